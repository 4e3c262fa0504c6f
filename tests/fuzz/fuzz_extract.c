/* libFuzzer harness: bytes -> a document -> normalisation, statement
 * extraction with the shipped lexicons and actors, then scoring with the
 * shipped model (featurisation of every statement and target), or the
 * bundle in $DM_FUZZ_MODEL (scripts/fuzz.sh trains a small one, which
 * matches the lexicons and feature layout of the tree being fuzzed).
 * The first byte chooses the mode: bit 0 article/speech (speaker set),
 * bit 1 dm_extract_given (-e), bit 2 a date. */
#include "fuzz_common.h"

#include "demarche/demarche.h"
#include "demarche/model.h"

static dm_actors *actors;
static dm_cues *cues;
static dm_extractor *extractor;
static dm_model *model;

static void null_log(void *user, dm_log_level level, const char *where, long line,
                     const char *message)
{
    (void)user; (void)level; (void)where; (void)line;
    if (!message)
        abort();
}
static const dm_logger logger = {null_log, NULL};

static void die(const char *what, const dm_error *err)
{
    fprintf(stderr, "fuzz_extract: %s: %s\n", what, err->message);
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    char path[4096], lex[4096], models[4096];
    dm_error err;
    if (dm_actors_create(&actors, &err) != DM_OK ||
        dm_actors_load_tsv(actors, fuzz_path(path, sizeof path, "lexicons/actors.tsv"), &err) != DM_OK)
        die("actors", &err);
    if (dm_cues_load(fuzz_path(path, sizeof path, "lexicons/cues.tsv"), &cues, &err) != DM_OK ||
        dm_extractor_create(actors, cues, &extractor, &err) != DM_OK)
        die("cues", &err);
    const char *bundle = getenv("DM_FUZZ_MODEL");
    if (!bundle || !*bundle)
        bundle = fuzz_path(models, sizeof models, "models/default");
    if (dm_model_load(bundle,
                      fuzz_path(lex, sizeof lex, "lexicons"), &model, &err) != DM_OK)
        die("model", &err);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned mode = data[0];
    dm_document doc = {.id = "fuzz", .text = (const char *)data + 1, .text_len = size - 1};
    if (mode & 1) {
        doc.speaker = "Speaker";
        doc.speaker_actor = "RUS";
    }
    if (mode & 4)
        doc.date = "2024-03-01";
    dm_statement_list list;
    dm_statement_list_init(&list);
    dm_error err;
    dm_status s = (mode & 2) ? dm_extract_given(extractor, &doc, &list, &logger, &err)
                             : dm_extract(extractor, &doc, &list, &logger, &err);
    for (size_t i = 0; s == DM_OK && i < list.n; i++) {
        dm_statement *st = &list.v[i];
        if (st->start > st->end || st->end > doc.text_len || st->norm_start > st->norm_end)
            abort(); /* spans must stay inside the original text */
        for (size_t k = 0; k < st->n_targets; k++)
            if (st->targets[k].has_span &&
                (st->targets[k].start > st->targets[k].end || st->targets[k].end > doc.text_len))
                abort();
        if (dm_model_score_statement(model, st, &err) != DM_OK)
            break;
        char *json = NULL;
        if (dm_statement_to_json(st, doc.id, doc.date, DM_JSON_SCORES | DM_JSON_CONTEXT,
                                 &json, &err) == DM_OK)
            free(json);
    }
    dm_statement_list_clear(&list);
    return 0;
}
