/* The smallest program over libdemarche: find the statements of one text
 * and score them with a model bundle. Shown in the README.
 * Usage: example_minimal DATA_DIR TEXT   (DATA_DIR holds lexicons/ and models/) */
#include <demarche/demarche.h>
#include <demarche/model.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: example_minimal DATA_DIR TEXT\n");
        return 2;
    }
    char lexicons[4096], path[4200], model_dir[4200];
    snprintf(lexicons, sizeof lexicons, "%s/lexicons", argv[1]);
    snprintf(model_dir, sizeof model_dir, "%s/models/default", argv[1]);
    dm_error err;
    dm_actors *actors = NULL;
    dm_cues *cues = NULL;
    dm_extractor *ex = NULL;
    dm_model *model = NULL;
    dm_statement_list list;
    dm_statement_list_init(&list);
    int rc = 1;

    snprintf(path, sizeof path, "%s/actors.tsv", lexicons);
    if (dm_actors_create(&actors, &err) != DM_OK || dm_actors_load_tsv(actors, path, &err) != DM_OK)
        goto fail;
    snprintf(path, sizeof path, "%s/cues.tsv", lexicons);
    if (dm_cues_load(path, &cues, &err) != DM_OK ||
        dm_extractor_create(actors, cues, &ex, &err) != DM_OK)
        goto fail;
    if (dm_model_load(model_dir, lexicons, &model, &err) != DM_OK)
        goto fail;

    dm_document doc = {.id = "argv", .text = argv[2], .text_len = strlen(argv[2])};
    if (dm_extract(ex, &doc, &list, NULL, &err) != DM_OK)
        goto fail;
    for (size_t i = 0; i < list.n; i++) {
        dm_statement *st = &list.v[i];
        if (dm_model_score_statement(model, st, &err) != DM_OK)
            goto fail;
        printf("%s (%s) said \"%s\": hostility %d\n", st->speaker ? st->speaker : "?",
               st->speaker_actor ? st->speaker_actor : "?", st->text, st->hostility_level);
        for (size_t k = 0; k < st->n_targets; k++)
            printf("  toward %s: %s (%+.2f)\n", st->targets[k].actor,
                   dm_stance_name(st->targets[k].stance), st->targets[k].score);
    }
    rc = 0;
    goto done;
fail:
    fprintf(stderr, "example_minimal: %s\n", err.message);
done:
    dm_statement_list_clear(&list);
    dm_model_destroy(&model);
    dm_extractor_destroy(&ex);
    dm_cues_destroy(&cues);
    dm_actors_destroy(&actors);
    return rc;
}
