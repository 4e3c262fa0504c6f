/* Throughput of the featurizer on real news sentences.
 *
 * Reads NewsMTSC (../shared/data/newsmtsc/train.jsonl, or the path given),
 * normalises every sentence with the text layer (not timed), then times
 * dm_features_hostility on every sentence and dm_features_stance on every
 * target, over `rounds` passes. Prints statements per second.
 *
 * Usage: bench_features [train.jsonl] [rounds] [chars]
 *   rounds default 3; "chars" turns character 2-4-grams on.
 * Needs DM_SOURCE_DIR or the build's source dir for lexicons/. */
#include "demarche/features.h"
#include "demarche/text.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct item {
    dm_text *text;
    dm_feature_target targets[8];
    size_t n_targets;
} item;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static size_t load(const char *path, item **out)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = 0, cap = 0;
    item *items = NULL;
    char *line = NULL;
    size_t linecap = 0;
    while (getline(&line, &linecap, f) > 0) {
        json_t *root = json_loads(line, 0, NULL);
        const char *s = json_string_value(json_object_get(root, "sentence_normalized"));
        if (!s) {
            json_decref(root);
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            items = realloc(items, cap * sizeof *items);
        }
        item *it = &items[n];
        memset(it, 0, sizeof *it);
        if (dm_text_create(s, strlen(s), &it->text, NULL) != DM_OK) {
            json_decref(root);
            continue;
        }
        const char *norm = dm_text_norm(it->text);
        json_t *targets = json_object_get(root, "targets");
        for (size_t i = 0; i < json_array_size(targets) && it->n_targets < 8; i++) {
            const char *m = json_string_value(
                json_object_get(json_array_get(targets, i), "mention"));
            const char *p = m ? strstr(norm, m) : NULL;
            dm_feature_target *t = &it->targets[it->n_targets++];
            t->actor = "X";
            if (p) {
                t->has_span = true;
                t->start = (size_t)(p - norm);
                t->end = t->start + strlen(m);
            }
        }
        n++;
        json_decref(root);
    }
    free(line);
    fclose(f);
    *out = items;
    return n;
}

int main(int argc, char **argv)
{
    char path[4096], lexdir[4096];
    const char *src = getenv("DM_SOURCE_DIR");
    snprintf(lexdir, sizeof lexdir, "%s/lexicons", src ? src : ".");
    if (argc > 1)
        snprintf(path, sizeof path, "%s", argv[1]);
    else
        snprintf(path, sizeof path, "%s/../shared/data/newsmtsc/train.jsonl",
                 src ? src : ".");
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    item *items = NULL;
    size_t n = load(path, &items);
    if (n == 0) {
        fprintf(stderr, "bench_features: no sentences in %s (skipped)\n", path);
        return 77;
    }
    dm_featurizer *fz = NULL;
    dm_error err;
    dm_feature_settings settings;
    dm_feature_settings_default(&settings);
    if (argc > 3 && strcmp(argv[3], "chars") == 0) {
        settings.char_ngram_min = 2;
        settings.char_ngram_max = 4;
    }
    if (dm_featurizer_create(&settings, lexdir, &fz, &err) != DM_OK) {
        char buf[1024];
        fprintf(stderr, "bench_features: %s\n", dm_error_format(&err, buf, sizeof buf));
        return 1;
    }
    dm_fvec v;
    dm_fvec_init(&v);
    for (int explain = 0; explain <= 1; explain++) {
        dm_featurizer_set_explain(fz, explain);
        size_t statements = 0, stances = 0, nnz = 0;
        double t0 = now();
        for (int r = 0; r < rounds; r++)
            for (size_t i = 0; i < n; i++) {
                dm_feature_input in = {.text = dm_text_norm(items[i].text),
                                       .len = dm_text_norm_len(items[i].text),
                                       .cue = "said", .speaker_actor = "USA",
                                       .mentions = items[i].targets,
                                       .n_mentions = items[i].n_targets};
                dm_features_hostility(fz, &in, &v, NULL);
                nnz += v.n;
                statements++;
            }
        double t1 = now();
        for (int r = 0; r < rounds; r++)
            for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < items[i].n_targets; k++) {
                    dm_feature_input in = {.text = dm_text_norm(items[i].text),
                                           .len = dm_text_norm_len(items[i].text),
                                           .cue = "said", .speaker_actor = "USA",
                                           .mentions = items[i].targets,
                                           .n_mentions = items[i].n_targets};
                    dm_features_stance(fz, &in, &items[i].targets[k], &v, NULL);
                    stances++;
                }
        double t2 = now();
        printf("explain %-3s hostility: %zu statements in %.3f s = %.0f/s "
               "(%.1f features each); stance: %zu targets in %.3f s = %.0f/s\n",
               explain ? "on" : "off", statements, t1 - t0,
               (double)statements / (t1 - t0), (double)nnz / (double)statements,
               stances, t2 - t1, (double)stances / (t2 - t1));
    }
    dm_fvec_free(&v);
    dm_featurizer_destroy(&fz);
    for (size_t i = 0; i < n; i++)
        dm_text_destroy(&items[i].text);
    free(items);
    return 0;
}
