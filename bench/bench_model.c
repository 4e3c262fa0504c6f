/* Scoring speed of a model bundle: featurising alone, featurising plus the
 * model's own prediction (folded dot products for linear libsvm models,
 * liblinear's for liblinear ones), and, for libsvm bundles, featurising plus
 * svm_predict_probability over every support vector.
 *
 *   bench_model BUNDLE LEXICON_DIR DATA.jsonl [ROUNDS]
 */
#include "../src/model/model_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s BUNDLE LEXICON_DIR DATA.jsonl [ROUNDS]\n", argv[0]);
        return 2;
    }
    int rounds = argc > 4 ? atoi(argv[4]) : 3;
    dm_error err;
    char buf[1024];
    dm_model *m = NULL;
    dm_dataset *ds = NULL;
    if (dm_model_load(argv[1], argv[2], &m, &err) != DM_OK ||
        dm_dataset_create(&ds, &err) != DM_OK ||
        dm_dataset_read_jsonl(ds, argv[3], DM_OFFSETS_BYTES, NULL, NULL, NULL, &err) != DM_OK) {
        fprintf(stderr, "%s\n", dm_error_format(&err, buf, sizeof buf));
        return 1;
    }
    const dm_submodel *sm = m->hostility ? m->hostility : m->stance;
    int n_classes = m->hostility ? DM_HOSTILITY_LEVELS : DM_STANCE_CLASSES;
    dm_fvec f;
    dm_fvec_init(&f);
    double t_feat = 0, t_model = 0, t_libsvm = 0, sink = 0;
    for (int r = 0; r < rounds; r++) {
        for (int mode = 0; mode < 3; mode++) {
            if (mode == 2 && !sm->svm)
                continue;
            double t0 = now();
            for (size_t i = 0; i < ds->n; i++) {
                dm_feature_input in = {.text = ds->v[i].text, .len = ds->v[i].len};
                dm_features_hostility(m->fz, &in, &f, NULL);
                if (mode == 0)
                    continue;
                dm_node *x = NULL;
                dm_node_from_fvec(&f, &x, NULL);
                int label;
                double p[DM_HOSTILITY_LEVELS], value;
                if (mode == 1) {
                    dm_submodel_predict(sm, x, n_classes, &label, p, &value, NULL);
                } else {
                    svm_predict_probability(sm->svm, (const struct svm_node *)x, p);
                }
                sink += p[0];
                free(x);
            }
            double dt = now() - t0;
            if (mode == 0)
                t_feat += dt;
            else if (mode == 1)
                t_model += dt;
            else
                t_libsvm += dt;
        }
    }
    double n = (double)ds->n * rounds;
    printf("statements %zu x %d rounds, backend %s%s\n", ds->n, rounds,
           sm->ll ? "liblinear" : "libsvm", sm->folded ? " (folded)" : "");
    printf("featurise only:                 %8.1f us/statement\n", 1e6 * t_feat / n);
    printf("featurise + model prediction:   %8.1f us/statement\n", 1e6 * t_model / n);
    if (sm->svm)
        printf("featurise + svm_predict_probability: %8.1f us/statement (%d SVs)\n",
               1e6 * t_libsvm / n, sm->svm->l);
    if (sink == 12345.678)
        printf("\n");
    dm_fvec_free(&f);
    dm_model_destroy(&m);
    dm_dataset_destroy(&ds);
    return 0;
}
