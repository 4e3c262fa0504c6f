/* Tests of the model layer: folded linear prediction against libsvm's own,
 * training, bundles (round trip, determinism, refusals), cross-validation,
 * scoring, explanations and the invalid-argument paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "demarche/model.h"
#include "model/model_internal.h"
#include "features/features_internal.h"
#include "core/fnv_internal.h"

#include <zlib.h>

#include <unicode/uversion.h>

static char tmpdir[256], lexdir[1024], datafile[1024];

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("DM_SOURCE_DIR");
    snprintf(lexdir, sizeof lexdir, "%s/lexicons", src ? src : DM_SOURCE_DIR);
    snprintf(datafile, sizeof datafile, "%s/tests/data/labelled-small.jsonl",
             src ? src : DM_SOURCE_DIR);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dm_test_model.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp(const char *name)
{
    static char buf[4][512];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", tmpdir, name);
    return buf[i];
}

static void sh(const char *fmt, const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    assert_int_equal(system(cmd), 0);
}

/* ---- folded prediction == libsvm ---- */

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* A small problem: n points in 8 dimensions (about half the features set),
 * k classes by the argmax of fixed linear functions plus noise. */
static void make_problem(struct svm_problem *prob, int n, int k, struct svm_node **space)
{
    uint32_t seed = 12345;
    prob->l = n;
    prob->y = malloc((size_t)n * sizeof *prob->y);
    prob->x = malloc((size_t)n * sizeof *prob->x);
    *space = malloc((size_t)n * 9 * sizeof **space);
    for (int i = 0; i < n; i++) {
        struct svm_node *x = *space + i * 9;
        prob->x[i] = x;
        int m = 0;
        double score[4] = {0};
        for (int d = 1; d <= 8; d++) {
            if (lcg(&seed) % 2)
                continue;
            double v = (double)(lcg(&seed) % 1000) / 250.0;
            x[m].index = d;
            x[m].value = v;
            m++;
            for (int c = 0; c < k; c++)
                score[c] += v * (((d + c) % 4) - 1.5);
        }
        x[m].index = -1;
        int best = 0;
        for (int c = 0; c < k; c++) {
            score[c] += (double)(lcg(&seed) % 100) / 50.0;
            if (score[c] > score[best])
                best = c;
        }
        prob->y[i] = best;
    }
}

static void check_folded(int k, int svm_type)
{
    struct svm_problem prob;
    struct svm_node *space;
    make_problem(&prob, 80, k, &space);
    if (svm_type == EPSILON_SVR)
        for (int i = 0; i < prob.l; i++)
            prob.y[i] = prob.y[i] * 1.5 + 0.25;
    struct svm_parameter param = {0};
    param.svm_type = svm_type;
    param.kernel_type = LINEAR;
    param.C = 1;
    param.eps = 0.001;
    param.cache_size = 10;
    param.p = 0.1;
    param.shrinking = 1;
    param.probability = svm_type == C_SVC;
    dm_solvers_quiet();
    srand(1);
    assert_null(svm_check_parameter(&prob, &param));
    struct svm_model *m = svm_train(&prob, &param);
    assert_non_null(m);
    dm_folded *f = NULL;
    assert_int_equal(dm_folded_create(m, 8, &f, NULL), DM_OK);
    int pairs = svm_type == C_SVC ? m->nr_class * (m->nr_class - 1) / 2 : 1;
    double dec_lib[16], dec_fold[16], p_lib[8], p_fold[8];
    for (int i = 0; i < prob.l; i++) {
        const dm_node *x = (const dm_node *)prob.x[i];
        double v = svm_predict_values(m, prob.x[i], dec_lib);
        dm_folded_decision_values(f, x, dec_fold);
        for (int p = 0; p < pairs; p++)
            assert_float_equal(dec_fold[p], dec_lib[p], 1e-9);
        if (svm_type == C_SVC) {
            double l_lib = svm_predict_probability(m, prob.x[i], p_lib);
            int l_fold = dm_folded_probability(m, dec_fold, p_fold);
            assert_int_equal(l_fold, (int)l_lib);
            for (int c = 0; c < m->nr_class; c++)
                assert_float_equal(p_fold[c], p_lib[c], 1e-6);
        } else {
            assert_float_equal(dec_fold[0], v, 1e-9);
        }
    }
    dm_folded_destroy(&f);
    assert_null(f);
    svm_free_and_destroy_model(&m);
    free(prob.x);
    free(prob.y);
    free(space);
}

static void test_folded_matches_libsvm(void **state)
{
    (void)state;
    check_folded(3, C_SVC);
    check_folded(4, C_SVC);
    check_folded(2, C_SVC);
    check_folded(3, EPSILON_SVR);
}

static void test_multiclass_probability(void **state)
{
    (void)state;
    /* Consistent pairwise probabilities of p = (0.5, 0.3, 0.2) are
     * r_ij = p_i / (p_i + p_j); the coupling recovers p. */
    double p_true[3] = {0.5, 0.3, 0.2}, buf[9], *r[3] = {buf, buf + 3, buf + 6}, p[3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            r[i][j] = i == j ? 0 : p_true[i] / (p_true[i] + p_true[j]);
    dm_multiclass_probability(3, r, p);
    for (int i = 0; i < 3; i++)
        assert_float_equal(p[i], p_true[i], 5e-3);
    assert_float_equal(p[0] + p[1] + p[2], 1.0, 1e-9);
}

/* ---- training and bundles ---- */

static dm_dataset *load_small(void)
{
    dm_dataset *ds = NULL;
    dm_error err;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    assert_int_equal(dm_dataset_read_jsonl(ds, datafile, DM_OFFSETS_BYTES, NULL, NULL, NULL,
                                           &err),
                     DM_OK);
    assert_true(ds->n >= 60);
    return ds;
}

static dm_model_train_params small_params(dm_solver solver)
{
    dm_model_train_params p;
    dm_model_train_params_default(&p);
    p.features.hash_bits = 14; /* fast tests */
    p.solver = solver;
    return p;
}

static dm_featurizer *make_fz(const dm_model_train_params *p, const char *dir)
{
    dm_featurizer *fz = NULL;
    dm_error err;
    char buf[1024];
    if (dm_featurizer_create(&p->features, dir, &fz, &err) != DM_OK)
        fail_msg("featurizer: %s", dm_error_format(&err, buf, sizeof buf));
    return fz;
}

static dm_model *train_save(const dm_dataset *ds, const dm_model_train_params *p,
                            const char *dir)
{
    dm_featurizer *fz = make_fz(p, lexdir);
    dm_model *m = NULL;
    dm_error err;
    char buf[1024];
    if (dm_model_train(ds, fz, p, &m, NULL, &err) != DM_OK)
        fail_msg("train: %s", dm_error_format(&err, buf, sizeof buf));
    assert_int_equal(dm_model_save(m, dir, &err), DM_OK);
    dm_model_destroy(&m);
    assert_null(m);
    dm_featurizer_destroy(&fz);
    return NULL;
}

static bool same_file(const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
    return system(cmd) == 0;
}

/* A statement as the extractor gives it: offsets in the document. */
static void make_statement(dm_statement *st, dm_target *t, const char *text)
{
    memset(st, 0, sizeof *st);
    memset(t, 0, sizeof *t);
    st->text = (char *)text;
    st->speaker_actor = (char *)"GBR";
    st->norm_start = 100;
    st->norm_end = 100 + strlen(text);
    const char *hit = strstr(text, "Russia");
    t->actor = (char *)"RUS";
    t->has_span = hit != NULL;
    t->norm_start = 100 + (size_t)(hit - text);
    t->norm_end = t->norm_start + 6;
    st->targets = t;
    st->n_targets = 1;
}

/* ll_type < 0: the default LIBLINEAR type. */
static void round_trip_type(dm_solver solver, int ll_type, const char *name)
{
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params(solver);
    if (ll_type >= 0)
        p.liblinear_solver = ll_type;
    dm_featurizer *fz = make_fz(&p, lexdir);
    dm_model *trained = NULL, *loaded = NULL;
    dm_error err;
    assert_int_equal(dm_model_train(ds, fz, &p, &trained, NULL, &err), DM_OK);
    assert_true(dm_model_has_task(trained, DM_TASK_ALL));
    assert_int_equal(dm_model_save(trained, tmp(name), &err), DM_OK);
    char buf[1024];
    if (dm_model_load(tmp(name), lexdir, &loaded, &err) != DM_OK)
        fail_msg("load: %s", dm_error_format(&err, buf, sizeof buf));
    assert_non_null(dm_model_featurizer(loaded));
    /* The saved manifest is the trained one plus a checksum per model file. */
    const char *saved = dm_model_manifest_json(loaded);
    char *stripped = strdup(saved);
    assert_non_null(stripped);
    int checksums = 0;
    for (char *c; (c = strstr(stripped, "\"checksum\": \"crc32:")) != NULL; checksums++) {
        const char *hex = c + strlen("\"checksum\": \"crc32:");
        assert_int_equal(strspn(hex, "0123456789abcdef"), 8); /* all 32 bits */
        assert_int_equal(hex[8], '"');
        char *line = c;
        while (line > stripped && line[-1] != '\n')
            line--;
        char *next = strchr(c, '\n');
        memmove(line, next + 1, strlen(next + 1) + 1);
    }
    assert_int_equal(checksums, 2);
    /* ... and, for LIBLINEAR, a binary weight file each (weights.c). */
    int weight_lines = 0;
    static const char *const WEIGHT_KEYS[] = {"\"weights\": \"", "\"weights_checksum\": \"crc32:",
                                              "\"bytes\": "};
    for (int k = 0; k < 3; k++)
        for (char *c; (c = strstr(stripped, WEIGHT_KEYS[k])) != NULL; weight_lines++) {
            char *line = c;
            while (line > stripped && line[-1] != '\n')
                line--;
            char *next = strchr(c, '\n');
            memmove(line, next + 1, strlen(next + 1) + 1);
            /* the last key of its object: the one before loses its comma */
            if (line[strspn(line, " ")] == '}' && line - stripped >= 2 && line[-2] == ',')
                memmove(line - 2, line - 1, strlen(line - 1) + 1);
        }
    assert_int_equal(weight_lines, solver == DM_SOLVER_LIBSVM ? 0 : 6);
    assert_string_equal(dm_model_manifest_json(trained), stripped);
    free(stripped);
    /* The same bundle without its weight files (the LIBLINEAR text read)
     * scores exactly as with them. */
    dm_model *from_text = NULL;
    if (solver != DM_SOLVER_LIBSVM) {
        char text_dir[600];
        snprintf(text_dir, sizeof text_dir, "%s-text", tmp(name));
        sh("rm -rf '%s'%s", text_dir, "");
        sh("cp -r '%s' '%s'", tmp(name), text_dir);
        char path[700];
        snprintf(path, sizeof path, "%s/manifest.json", text_dir);
        json_error_t je;
        json_t *man = json_load_file(path, 0, &je);
        assert_non_null(man);
        const char *key;
        json_t *task;
        json_object_foreach(json_object_get(man, "tasks"), key, task) {
            json_object_del(task, "weights");
            json_object_del(task, "weights_checksum");
            json_object_del(task, "bytes");
        }
        assert_int_equal(json_dump_file(man, path, JSON_INDENT(2)), 0);
        json_decref(man);
        sh("rm -f '%s/hostility.weights' '%s/stance.weights'", text_dir, text_dir);
        if (dm_model_load(text_dir, lexdir, &from_text, &err) != DM_OK)
            fail_msg("load without weights: %s", dm_error_format(&err, buf, sizeof buf));
    }
    const char *texts[] = {
        "We condemn in the strongest terms the illegal annexation by Russia.",
        "We warmly thank Russia for its generous support and friendship.",
        "Talks with Russia will continue in Geneva next week."};
    for (int i = 0; i < 3; i++) {
        dm_statement a, b;
        dm_target ta, tb;
        make_statement(&a, &ta, texts[i]);
        make_statement(&b, &tb, texts[i]);
        assert_int_equal(dm_model_score_statement(trained, &a, &err), DM_OK);
        assert_int_equal(dm_model_score_statement(loaded, &b, &err), DM_OK);
        assert_true(a.scored && ta.scored);
        assert_int_equal(a.hostility_level, b.hostility_level);
        assert_float_equal(a.hostility_expected, b.hostility_expected, 1e-9);
        assert_true(a.hostility_expected >= 0 && a.hostility_expected <= 4);
        assert_int_equal(ta.stance, tb.stance);
        assert_float_equal(ta.score, tb.score, 1e-9);
        assert_float_equal(ta.p[0] + ta.p[1] + ta.p[2], 1.0, 1e-6);
        assert_float_equal(ta.score, (ta.p[DM_STANCE_FAVOR] - ta.p[DM_STANCE_AGAINST]), 1e-9); /* cmocka casts a to float without parentheses */
        if (from_text) {
            dm_statement c;
            dm_target tc;
            make_statement(&c, &tc, texts[i]);
            assert_int_equal(dm_model_score_statement(from_text, &c, &err), DM_OK);
            assert_true(c.hostility_expected == b.hostility_expected);
            assert_true(memcmp(tc.p, tb.p, sizeof tc.p) == 0);
        }
    }
    dm_model_destroy(&from_text);
    /* The model learnt something: condemnation is more hostile than thanks. */
    dm_statement hostile, cordial;
    dm_target th, tc;
    make_statement(&hostile, &th, texts[0]);
    make_statement(&cordial, &tc, texts[1]);
    assert_int_equal(dm_model_score_statement(loaded, &hostile, &err), DM_OK);
    assert_int_equal(dm_model_score_statement(loaded, &cordial, &err), DM_OK);
    assert_true(hostile.hostility_expected > cordial.hostility_expected);
    assert_true(th.score < tc.score);
    int level;
    double score, probs[5];
    assert_int_equal(dm_model_score_text(loaded, texts[0], strlen(texts[0]), &level, &score,
                                         probs, &err),
                     DM_OK);
    assert_true(level >= 0 && level <= 4);
    /* The expected level is on the level's own 0-4 scale (issue 17 item 2). */
    double expected = probs[1] + 2 * probs[2] + 3 * probs[3] + 4 * probs[4];
    assert_float_equal(score, expected, 1e-6);
    assert_float_equal(probs[0] + probs[1] + probs[2] + probs[3] + probs[4], 1.0, 1e-6);
    /* Explanations: sorted by |contribution|, named. */
    assert_int_equal(dm_model_set_explain(loaded, true, &err), DM_OK);
    assert_int_equal(dm_model_set_explain(trained, true, &err), DM_E_INVALID_ARG);
    dm_explain_item *items = NULL;
    size_t n = 0;
    assert_int_equal(dm_model_explain(loaded, &hostile, -1, 5, &items, &n, &err), DM_OK);
    assert_true(n > 0 && n <= 5);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(items[i].name);
        assert_true(items[i].name[0] != '#'); /* every feature is named */
        assert_float_equal(items[i].contribution, items[i].value * items[i].weight, 1e-12);
        if (i > 0)
            assert_true(fabs(items[i - 1].contribution) >= fabs(items[i].contribution));
    }
    dm_explain_items_free(&items, n);
    assert_null(items);
    assert_int_equal(dm_model_explain(loaded, &hostile, 0, 3, &items, &n, &err), DM_OK);
    dm_explain_items_free(&items, n);
    /* The whole sum (issue 17 item 3): shown items + the rest + the bias is
     * the decision value toward the predicted class. */
    for (int t = -1; t <= 0; t++) {
        dm_explanation ex;
        assert_int_equal(dm_model_explain_sum(loaded, &hostile, t, 3, &ex, &err), DM_OK);
        assert_int_equal(ex.label, t < 0 ? hostile.hostility_level : (int)th.stance);
        assert_true(ex.n > 0 && ex.n <= 3 && ex.n <= ex.n_features);
        double total = ex.rest + ex.bias;
        for (size_t i = 0; i < ex.n; i++)
            total += ex.items[i].contribution;
        assert_float_equal(total, ex.total, 1e-9);
        const dm_submodel *sm = t < 0 ? loaded->hostility : loaded->stance;
        if (sm->ll && sm->ll->bias >= 0)
            assert_true(ex.bias != 0.0);
        dm_explanation_clear(&ex);
        assert_null(ex.items);
    }
    assert_int_equal(dm_model_explain_sum(loaded, &hostile, 0, 3, NULL, &err), DM_E_INVALID_ARG);
    dm_explanation_clear(NULL);
    assert_int_equal(dm_model_explain(loaded, &hostile, 1, 3, &items, &n, &err),
                     DM_E_INVALID_ARG);
    dm_model_destroy(&trained);
    dm_model_destroy(&loaded);
    dm_featurizer_destroy(&fz);
    dm_dataset_destroy(&ds);
}

static void round_trip(dm_solver solver, const char *name)
{
    round_trip_type(solver, -1, name);
}

static void test_round_trip_liblinear(void **state)
{
    (void)state;
    round_trip(DM_SOLVER_AUTO, "rt-liblinear");
}

/* A LIBLINEAR SVC (-s 1) has no probabilities of its own: Platt scaling
 * fitted on cross-validation gives them, and the bundle keeps the fit. */
static void test_round_trip_svc_platt(void **state)
{
    (void)state;
    round_trip_type(DM_SOLVER_AUTO, 1, "rt-svc-platt");
    char path[4200];
    snprintf(path, sizeof path, "%s/manifest.json", tmp("rt-svc-platt"));
    json_error_t je;
    json_t *m = json_load_file(path, 0, &je);
    assert_non_null(m);
    json_t *platt = json_object_get(json_object_get(json_object_get(m, "tasks"), "stance"),
                                    "platt");
    assert_int_equal(json_array_size(platt), 3);
    json_decref(m);
    dm_model *loaded = NULL;
    dm_error err;
    assert_int_equal(dm_model_load(tmp("rt-svc-platt"), lexdir, &loaded, &err), DM_OK);
    dm_statement st;
    dm_target t;
    make_statement(&st, &t, "We warmly thank Russia for its generous support and friendship.");
    assert_int_equal(dm_model_score_statement(loaded, &st, &err), DM_OK);
    /* Graded, not one-hot, and summing to 1. */
    assert_true(t.p[0] > 0 && t.p[0] < 1 && t.p[2] > 0 && t.p[2] < 1);
    assert_float_equal(t.p[0] + t.p[1] + t.p[2], 1.0, 1e-6);
    dm_model_destroy(&loaded);
}

static void test_round_trip_libsvm(void **state)
{
    (void)state;
    round_trip(DM_SOLVER_LIBSVM, "rt-libsvm");
}

static void test_svr_round_trip(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params(DM_SOLVER_AUTO);
    p.hostility = DM_HOSTILITY_SVR;
    p.tasks = DM_TASK_HOSTILITY;
    train_save(ds, &p, tmp("svr"));
    dm_model *m = NULL;
    dm_error err;
    assert_int_equal(dm_model_load(tmp("svr"), lexdir, &m, &err), DM_OK);
    assert_true(dm_model_has_task(m, DM_TASK_HOSTILITY));
    assert_false(dm_model_has_task(m, DM_TASK_STANCE));
    assert_non_null(strstr(dm_model_manifest_json(m), "\"type\": \"svr\""));
    int level;
    double score;
    const char *t = "This is a war crime and genocide.";
    assert_int_equal(dm_model_score_text(m, t, strlen(t), &level, &score, NULL, &err), DM_OK);
    assert_true(score >= 0 && score <= 4);
    dm_model_destroy(&m);
    dm_dataset_destroy(&ds);
}

/* Ordinal hostility: one classifier per threshold "level >= k" packed as
 * LIBLINEAR's columns of classes 1-4, read back as such; the levels'
 * probabilities are differences of the thresholds' and sum to 1. */
static void test_ordinal_round_trip(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params(DM_SOLVER_AUTO);
    p.hostility = DM_HOSTILITY_ORDINAL;
    p.tasks = DM_TASK_HOSTILITY;
    p.liblinear_solver = 2;
    train_save(ds, &p, tmp("ordinal"));
    dm_model *m = NULL;
    dm_error err;
    assert_int_equal(dm_model_load(tmp("ordinal"), lexdir, &m, &err), DM_OK);
    assert_non_null(strstr(dm_model_manifest_json(m), "\"type\": \"ordinal\""));
    assert_true(m->hostility->ordinal);
    assert_int_equal(m->hostility->ll->nr_class, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(m->hostility->ll->label[i], i + 1);
    const char *texts[] = {"This is a war crime and genocide.",
                           "We warmly thank our friends for their support."};
    double expected[2];
    for (int i = 0; i < 2; i++) {
        int level;
        double score, probs[5], sum = 0;
        assert_int_equal(dm_model_score_text(m, texts[i], strlen(texts[i]), &level, &score,
                                             probs, &err),
                         DM_OK);
        for (int c = 0; c < 5; c++) {
            assert_true(probs[c] >= 0 && probs[c] <= 1);
            sum += probs[c];
            assert_true(probs[c] <= probs[level]);
        }
        assert_float_equal(sum, 1.0, 1e-9);
        assert_float_equal(score, (probs[1] + 2 * probs[2] + 3 * probs[3] + 4 * probs[4]), 1e-9);
        expected[i] = score;
    }
    assert_true(expected[0] > expected[1]);
    dm_model_destroy(&m);
    /* The loader refuses an ordinal reading of a one-vs-rest model. */
    p.hostility = DM_HOSTILITY_SVC;
    train_save(ds, &p, tmp("ordinal-svc"));
    sh("sed -i 's/\"type\": \"svc\"/\"type\": \"ordinal\"/' '%s/manifest.json'%s",
       tmp("ordinal-svc"), "");
    assert_int_equal(dm_model_load(tmp("ordinal-svc"), lexdir, &m, &err), DM_E_FORMAT);
    assert_null(m);
    assert_non_null(strstr(err.message, "ordinal"));
    /* Only LIBLINEAR, not Crammer-Singer. */
    p.hostility = DM_HOSTILITY_ORDINAL;
    p.solver = DM_SOLVER_LIBSVM;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    p.solver = DM_SOLVER_AUTO;
    p.liblinear_solver = 4;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    p.liblinear_solver = 2;
    assert_int_equal(dm_model_check_params(&p, &err), DM_OK);
    dm_dataset_destroy(&ds);
}

static void test_determinism(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_solver solvers[2] = {DM_SOLVER_AUTO, DM_SOLVER_LIBSVM};
    for (int i = 0; i < 2; i++) {
        dm_model_train_params p = small_params(solvers[i]);
        train_save(ds, &p, tmp("det1"));
        train_save(ds, &p, tmp("det2"));
        const char *files[] = {"manifest.json", "hostility.model", "stance.model"};
        for (int f = 0; f < 3; f++) {
            char a[600], b[600];
            snprintf(a, sizeof a, "%s/%s", tmp("det1"), files[f]);
            snprintf(b, sizeof b, "%s/%s", tmp("det2"), files[f]);
            assert_true(same_file(a, b));
        }
    }
    /* Saving over an existing bundle replaces it and leaves nothing behind. */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -d '%s'/*.tmp-* '%s'/*.old-* 2>/dev/null)\"",
             tmpdir, tmpdir);
    assert_int_equal(system(cmd), 0);
    dm_dataset_destroy(&ds);
}

static void test_refusals(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params(DM_SOLVER_AUTO);
    train_save(ds, &p, tmp("good"));
    dm_model *m = NULL;
    dm_error err;
    /* A newer format version. */
    sh("cp -r '%s' '%s'", tmp("good"), tmp("newer"));
    sh("sed -i 's/\"format_version\": 2/\"format_version\": 999/' '%s/manifest.json'%s",
       tmp("newer"), "");
    assert_int_equal(dm_model_load(tmp("newer"), lexdir, &m, &err), DM_E_VERSION);
    assert_null(m);
    assert_non_null(strstr(err.message, "999"));
    /* Lexicons that differ from the training ones. */
    sh("mkdir -p '%s'%s", tmp("lex"), "");
    sh("cp '%s'/*.tsv '%s'/", lexdir, tmp("lex"));
    sh("echo '# a local change' >> '%s/hostility.tsv'%s", tmp("lex"), "");
    assert_int_equal(dm_model_load(tmp("good"), tmp("lex"), &m, &err), DM_E_MISMATCH);
    assert_non_null(strstr(err.message, "lexicons differ"));
    /* A missing model file. */
    sh("cp -r '%s' '%s'", tmp("good"), tmp("missing"));
    sh("rm '%s/stance.model'%s", tmp("missing"), "");
    assert_int_equal(dm_model_load(tmp("missing"), lexdir, &m, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "missing stance.model"));
    /* A corrupt model file and a corrupt manifest. */
    sh("cp -r '%s' '%s'", tmp("good"), tmp("corrupt"));
    sh("echo 'solver_type NONSENSE' > '%s/hostility.model'%s", tmp("corrupt"), "");
    assert_int_equal(dm_model_load(tmp("corrupt"), lexdir, &m, &err), DM_E_FORMAT);
    sh("echo '{\"format_version\": ' > '%s/manifest.json'%s", tmp("corrupt"), "");
    assert_int_equal(dm_model_load(tmp("corrupt"), lexdir, &m, &err), DM_E_FORMAT);
    assert_int_equal(dm_model_load(tmp("nothing-here"), lexdir, &m, &err), DM_E_IO);
    /* The good one still loads. */
    assert_int_equal(dm_model_load(tmp("good"), lexdir, &m, &err), DM_OK);
    dm_model_destroy(&m);
    dm_dataset_destroy(&ds);
}

/* Copy bundle `from` to `to` and set manifest key `key` (in object `obj`,
 * or at the top when obj is NULL) to `value` (NULL: remove the key). */
static void edit_manifest(const char *from, const char *to, const char *obj,
                          const char *key, json_t *value)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", to, from, to);
    assert_int_equal(system(cmd), 0);
    char path[600];
    snprintf(path, sizeof path, "%s/manifest.json", to);
    json_t *m = json_load_file(path, 0, NULL);
    assert_non_null(m);
    json_t *o = obj ? json_object_get(m, obj) : m;
    assert_non_null(o);
    if (value)
        json_object_set_new(o, key, value);
    else
        json_object_del(o, key);
    assert_int_equal(json_dump_file(m, path, JSON_SORT_KEYS | JSON_INDENT(2)), 0);
    json_decref(m);
}

/* The checksum of file `dir`/`name` in the algorithm of `like` ("crc32:"
 * by zlib, or "fnv1a64:"), as a manifest records it. */
static char *file_checksum(const char *dir, const char *name, const char *like)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char out[4][32];
    static int k;
    k = (k + 1) % 4;
    unsigned char buf[4096];
    size_t n;
    if (strncmp(like, "crc32:", 6) == 0) {
        uLong crc = crc32(0L, Z_NULL, 0);
        while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
            crc = crc32(crc, buf, (uInt)n);
        snprintf(out[k], sizeof out[k], "crc32:%08lx", crc);
    } else {
        uint64_t h = DM_FNV1A64_BASIS;
        while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
            h = dm_fnv1a64(h, buf, n);
        snprintf(out[k], sizeof out[k], "fnv1a64:%016llx", (unsigned long long)h);
    }
    fclose(fp);
    return out[k];
}

/* Bundle `dir` as format 1 wrote it: FNV-1a 64 checksums, format_version 1. */
static void to_format_1(const char *dir)
{
    char path[600];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    json_t *m = json_load_file(path, 0, NULL);
    assert_non_null(m);
    json_object_set_new(m, "format_version", json_integer(1));
    const char *key;
    json_t *t;
    json_object_foreach(json_object_get(m, "tasks"), key, t) {
        json_object_set_new(t, "checksum", json_string(file_checksum(
            dir, json_string_value(json_object_get(t, "file")), "fnv1a64:")));
        if (json_object_get(t, "weights"))
            json_object_set_new(t, "weights_checksum", json_string(file_checksum(
                dir, json_string_value(json_object_get(t, "weights")), "fnv1a64:")));
    }
    assert_int_equal(json_dump_file(m, path, JSON_SORT_KEYS | JSON_INDENT(2)), 0);
    json_decref(m);
}

/* Flip one byte in the middle of `dir`/`name`. */
static void damage(const char *dir, const char *name)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long mid = ftell(fp) / 2;
    assert_int_equal(fseek(fp, mid, SEEK_SET), 0);
    int c = fgetc(fp);
    assert_int_equal(fseek(fp, mid, SEEK_SET), 0);
    fputc(c ^ 0x10, fp);
    assert_int_equal(fclose(fp), 0);
}

/* Checksums: new bundles record CRC-32 ("crc32:", zlib's), format 2;
 * bundles of format 1 (FNV-1a 64, "fnv1a64:") still load and score the
 * same; a damaged weights or model file is refused under either; a
 * checksum of an algorithm this build does not know is refused, saying so. */
static void test_checksum_algorithms(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params(DM_SOLVER_LIBLINEAR);
    train_save(ds, &p, tmp("ck"));
    dm_model *m = NULL, *old = NULL;
    dm_error err;
    char buf[1024];
    /* What was written: CRC-32 of each file, as zlib computes it. */
    char path[600];
    snprintf(path, sizeof path, "%s/manifest.json", tmp("ck"));
    json_t *man = json_load_file(path, 0, NULL);
    assert_non_null(man);
    assert_int_equal(json_integer_value(json_object_get(man, "format_version")),
                     DM_MODEL_FORMAT_VERSION);
    const char *key;
    json_t *t;
    int n_tasks = 0;
    json_object_foreach(json_object_get(man, "tasks"), key, t) {
        const char *file = json_string_value(json_object_get(t, "file"));
        const char *weights = json_string_value(json_object_get(t, "weights"));
        assert_non_null(weights);
        assert_string_equal(json_string_value(json_object_get(t, "checksum")),
                            file_checksum(tmp("ck"), file, "crc32:"));
        assert_string_equal(json_string_value(json_object_get(t, "weights_checksum")),
                            file_checksum(tmp("ck"), weights, "crc32:"));
        n_tasks++;
    }
    assert_int_equal(n_tasks, 2);
    json_decref(man);
    if (dm_model_load(tmp("ck"), lexdir, &m, &err) != DM_OK)
        fail_msg("load: %s", dm_error_format(&err, buf, sizeof buf));
    /* Format 1, FNV-1a 64: loads, scores the same. */
    sh("rm -rf '%s'%s", tmp("ck-fnv"), "");
    sh("cp -r '%s' '%s'", tmp("ck"), tmp("ck-fnv"));
    to_format_1(tmp("ck-fnv"));
    if (dm_model_load(tmp("ck-fnv"), lexdir, &old, &err) != DM_OK)
        fail_msg("load format 1: %s", dm_error_format(&err, buf, sizeof buf));
    const char *text = "We condemn in the strongest terms the illegal annexation by Russia.";
    dm_statement a, b;
    dm_target ta, tb;
    make_statement(&a, &ta, text);
    make_statement(&b, &tb, text);
    assert_int_equal(dm_model_score_statement(m, &a, &err), DM_OK);
    assert_int_equal(dm_model_score_statement(old, &b, &err), DM_OK);
    assert_true(a.scored && b.scored && ta.scored && tb.scored);
    assert_true(a.hostility_expected == b.hostility_expected);
    assert_true(ta.score == tb.score);
    dm_model_destroy(&m);
    dm_model_destroy(&old);
    /* A damaged weights file, under either algorithm. */
    const char *bundles[2] = {"ck", "ck-fnv"};
    for (int i = 0; i < 2; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s-bad", bundles[i]);
        sh("rm -rf '%s'%s", tmp(name), "");
        sh("cp -r '%s' '%s'", tmp(bundles[i]), tmp(name));
        damage(tmp(name), "stance.weights");
        assert_int_equal(dm_model_load(tmp(name), lexdir, &m, &err), DM_E_FORMAT);
        assert_null(m);
        assert_non_null(strstr(err.message, "stance.weights is damaged or was changed"));
        assert_non_null(strstr(err.message, i == 0 ? "manifest crc32:" : "manifest fnv1a64:"));
        assert_non_null(strstr(err.where, "stance.weights"));
    }
    /* A damaged LIBLINEAR text read without its weights (its own checksum). */
    edit_manifest(tmp("ck"), tmp("ck-text"), "tasks", "hostility", NULL);
    snprintf(path, sizeof path, "%s/manifest.json", tmp("ck-text"));
    man = json_load_file(path, 0, NULL);
    assert_non_null(man);
    json_object_del(json_object_get(json_object_get(man, "tasks"), "stance"), "weights");
    assert_int_equal(json_dump_file(man, path, JSON_SORT_KEYS | JSON_INDENT(2)), 0);
    json_decref(man);
    assert_int_equal(dm_model_load(tmp("ck-text"), lexdir, &m, &err), DM_OK);
    dm_model_destroy(&m);
    damage(tmp("ck-text"), "stance.model");
    assert_int_equal(dm_model_load(tmp("ck-text"), lexdir, &m, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "stance.model is damaged or was changed"));
    /* An algorithm this build does not know: refused before the file is
     * trusted, the message naming it. */
    const char *unknown[] = {"sha256:0123", "crc32c:01234567", "0123456789abcdef", ""};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        snprintf(path, sizeof path, "%s/manifest.json", tmp("ck-alg"));
        edit_manifest(tmp("ck"), tmp("ck-alg"), NULL, "seed", json_integer(1));
        man = json_load_file(path, 0, NULL);
        assert_non_null(man);
        json_object_set_new(json_object_get(json_object_get(man, "tasks"), "stance"),
                            "weights_checksum", json_string(unknown[i]));
        assert_int_equal(json_dump_file(man, path, JSON_SORT_KEYS | JSON_INDENT(2)), 0);
        json_decref(man);
        assert_int_equal(dm_model_load(tmp("ck-alg"), lexdir, &m, &err), DM_E_FORMAT);
        assert_null(m);
        assert_non_null(strstr(err.message, "unknown algorithm"));
        assert_non_null(strstr(err.message, "stance.weights"));
        assert_non_null(strstr(err.where, "manifest.json"));
        if (i == 0)
            assert_non_null(strstr(err.message, "\"sha256\""));
    }
    dm_dataset_destroy(&ds);
}

/* Load `dir` sequentially and with the weights read ahead on a thread
 * (dm_model_load_parallel): the same status, message and place, and, when
 * both load, the same scores. Returns the status. */
static dm_status same_loads(const char *dir, const char *lex)
{
    dm_model *a = NULL, *b = NULL;
    dm_error ea, eb;
    dm_error_clear(&ea);
    dm_error_clear(&eb);
    dm_status sa = dm_model_load_with_logger(dir, lex, NULL, &a, &ea);
    dm_status sb = dm_model_load_parallel(dir, lex, NULL, &b, &eb);
    assert_int_equal(sa, sb);
    assert_string_equal(ea.message, eb.message);
    assert_string_equal(ea.where, eb.where);
    assert_int_equal(ea.line, eb.line);
    if (sa == DM_OK) {
        const char *text = "We condemn in the strongest terms the illegal annexation by Russia.";
        dm_statement x, y;
        dm_target tx, ty;
        make_statement(&x, &tx, text);
        make_statement(&y, &ty, text);
        assert_int_equal(dm_model_score_statement(a, &x, &ea), DM_OK);
        assert_int_equal(dm_model_score_statement(b, &y, &eb), DM_OK);
        assert_true(x.scored && y.scored && tx.scored && ty.scored);
        assert_true(x.hostility_expected == y.hostility_expected);
        assert_int_equal(x.hostility_level, y.hostility_level);
        assert_true(tx.score == ty.score);
    } else {
        assert_null(a);
        assert_null(b);
    }
    dm_model_destroy(&a);
    dm_model_destroy(&b);
    return sa;
}

/* dm_model_load_parallel reads the weights files ahead, on a thread, while
 * the featurizer is built: the same model, and for a damaged bundle the
 * error the sequential load gives, also when an earlier check fails too
 * (what the thread found waits its turn). */
static void test_load_parallel(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params(DM_SOLVER_LIBLINEAR);
    train_save(ds, &p, tmp("par"));
    assert_int_equal(same_loads(tmp("par"), lexdir), DM_OK);
    /* A damaged weights file: refused, the same words. */
    sh("rm -rf '%s'%s", tmp("par-bad"), "");
    sh("cp -r '%s' '%s'", tmp("par"), tmp("par-bad"));
    damage(tmp("par-bad"), "hostility.weights");
    assert_int_equal(same_loads(tmp("par-bad"), lexdir), DM_E_FORMAT);
    /* ... and lexicons that differ: that comes first, as it did. */
    sh("mkdir -p '%s'%s", tmp("par-lex"), "");
    sh("cp '%s'/*.tsv '%s'/", lexdir, tmp("par-lex"));
    sh("echo '# a local change' >> '%s/hostility.tsv'%s", tmp("par-lex"), "");
    assert_int_equal(same_loads(tmp("par-bad"), tmp("par-lex")), DM_E_MISMATCH);
    /* ... and the LIBLINEAR text missing: checked before the weights. */
    sh("rm '%s/hostility.model'%s", tmp("par-bad"), "");
    assert_int_equal(same_loads(tmp("par-bad"), lexdir), DM_E_FORMAT);
    /* A missing weights file; a damaged one of the second task. */
    sh("rm -rf '%s'%s", tmp("par-gone"), "");
    sh("cp -r '%s' '%s'", tmp("par"), tmp("par-gone"));
    sh("rm '%s/stance.weights'%s", tmp("par-gone"), "");
    assert_int_equal(same_loads(tmp("par-gone"), lexdir), DM_E_FORMAT);
    sh("cp -r '%s' '%s'", tmp("par"), tmp("par-stance"));
    damage(tmp("par-stance"), "stance.weights");
    assert_int_equal(same_loads(tmp("par-stance"), lexdir), DM_E_FORMAT);
    dm_dataset_destroy(&ds);
}

typedef struct captured_log {
    int warnings;
    char last[DM_ERROR_MESSAGE_MAX];
} captured_log;

static void capture_log(void *user, dm_log_level level, const char *where, long line,
                        const char *message)
{
    captured_log *c = user;
    if (level == DM_LOG_WARNING) {
        c->warnings++;
        snprintf(c->last, sizeof c->last, "%s", message);
    }
}

/* The manifest records the dimensions and the ICU version; the loader
 * refuses another dimension count or ICU major version, warns on another
 * ICU minor version. */
static void test_compatibility(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params(DM_SOLVER_AUTO);
    train_save(ds, &p, tmp("compat"));
    dm_model *m = NULL;
    dm_error err;
    captured_log c = {0};
    dm_logger logger = {capture_log, &c};
    UVersionInfo v;
    char icu[U_MAX_VERSION_STRING_LENGTH], other[64];
    u_getVersion(v);
    u_versionToString(v, icu);

    char path[600];
    snprintf(path, sizeof path, "%s/manifest.json", tmp("compat"));
    json_t *man = json_load_file(path, 0, NULL);
    assert_non_null(man);
    json_t *f = json_object_get(man, "features");
    assert_int_equal(json_integer_value(json_object_get(f, "dimensions")),
                     (1 << 14) + DM_FEATURES_NAMED_COUNT);
    assert_string_equal(json_string_value(json_object_get(man, "icu_version")), icu);
    assert_non_null(json_string_value(json_object_get(man, "unicode_version")));
    json_decref(man);

    /* The intact bundle loads without a warning. */
    assert_int_equal(dm_model_load_with_logger(tmp("compat"), lexdir, &logger, &m, &err), DM_OK);
    assert_int_equal(c.warnings, 0);
    dm_model_destroy(&m);

    /* Another dimension count: refused, naming both. */
    edit_manifest(tmp("compat"), tmp("dims"), "features", "dimensions",
                  json_integer((1 << 14) + DM_FEATURES_NAMED_COUNT + 1));
    assert_int_equal(dm_model_load(tmp("dims"), lexdir, &m, &err), DM_E_MISMATCH);
    assert_null(m);
    assert_non_null(strstr(err.message, "feature dimensions"));
    assert_non_null(strstr(err.message, "retrain"));
    edit_manifest(tmp("compat"), tmp("dims"), "features", "dimensions", json_string("many"));
    assert_int_equal(dm_model_load(tmp("dims"), lexdir, &m, &err), DM_E_FORMAT);

    /* Another ICU major version: refused, naming both versions. */
    snprintf(other, sizeof other, "%d.%d", v[0] + 1, v[1]);
    edit_manifest(tmp("compat"), tmp("icu"), NULL, "icu_version", json_string(other));
    assert_int_equal(dm_model_load(tmp("icu"), lexdir, &m, &err), DM_E_MISMATCH);
    assert_null(m);
    assert_non_null(strstr(err.message, other));
    assert_non_null(strstr(err.message, icu));
    edit_manifest(tmp("compat"), tmp("icu"), NULL, "icu_version", json_integer(72));
    assert_int_equal(dm_model_load(tmp("icu"), lexdir, &m, &err), DM_E_FORMAT);

    /* Another ICU minor version: loads, with a warning to the logger. */
    snprintf(other, sizeof other, "%d.%d", v[0], v[1] + 1);
    edit_manifest(tmp("compat"), tmp("icu"), NULL, "icu_version", json_string(other));
    assert_int_equal(dm_model_load_with_logger(tmp("icu"), lexdir, &logger, &m, &err), DM_OK);
    assert_int_equal(c.warnings, 1);
    assert_non_null(strstr(c.last, other));
    dm_model_destroy(&m);
    /* No recorded version (an older bundle): loads, with a warning. */
    edit_manifest(tmp("compat"), tmp("icu"), NULL, "icu_version", NULL);
    assert_int_equal(dm_model_load_with_logger(tmp("icu"), lexdir, &logger, &m, &err), DM_OK);
    assert_int_equal(c.warnings, 2);
    dm_model_destroy(&m);
    dm_dataset_destroy(&ds);
}

/* stance_hash_bits: recorded in the manifest only when set, each task's
 * dimensions its own; the loaded bundle scores as the trained model; the
 * loader refuses a value it cannot honour (out of range, or dimensions
 * that do not match it: also what a build without the setting sees). */
static void test_stance_hash_bits(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params(DM_SOLVER_AUTO);
    p.features.hash_bits = 12;
    p.features.stance_hash_bits = 14;
    dm_featurizer *fz = make_fz(&p, lexdir);
    dm_model *trained = NULL, *m = NULL;
    dm_error err;
    assert_int_equal(dm_model_train(ds, fz, &p, &trained, NULL, &err), DM_OK);
    assert_int_equal(dm_model_attach_featurizer(trained, fz, &err), DM_OK);
    assert_int_equal(dm_model_save(trained, tmp("sbits"), &err), DM_OK);
    json_t *man = json_loads(dm_model_manifest_json(trained), 0, NULL);
    assert_non_null(man);
    json_t *f = json_object_get(man, "features"), *tasks = json_object_get(man, "tasks");
    assert_int_equal(json_integer_value(json_object_get(f, "stance_hash_bits")), 14);
    assert_int_equal(json_integer_value(json_object_get(f, "dimensions")),
                     (1 << 12) + DM_FEATURES_NAMED_COUNT);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(tasks, "hostility"),
                                                        "dimensions")),
                     (1 << 12) + DM_FEATURES_NAMED_COUNT);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(tasks, "stance"),
                                                        "dimensions")),
                     (1 << 14) + DM_FEATURES_NAMED_COUNT);
    json_decref(man);
    /* Loads and scores as trained. */
    assert_int_equal(dm_model_load(tmp("sbits"), lexdir, &m, &err), DM_OK);
    assert_int_equal(dm_featurizer_settings(dm_model_featurizer(m))->stance_hash_bits, 14);
    dm_statement a, b;
    dm_target ta, tb;
    make_statement(&a, &ta, "We condemn in the strongest terms the illegal annexation by Russia.");
    make_statement(&b, &tb, "We condemn in the strongest terms the illegal annexation by Russia.");
    assert_int_equal(dm_model_score_statement(trained, &a, &err), DM_OK);
    assert_int_equal(dm_model_score_statement(m, &b, &err), DM_OK);
    assert_true(a.hostility_expected == b.hostility_expected);
    assert_true(memcmp(ta.p, tb.p, sizeof ta.p) == 0);
    dm_model_destroy(&m);
    /* A featurizer hashing otherwise is not attached. */
    dm_model_train_params q = p;
    q.features.stance_hash_bits = 0;
    dm_featurizer *other = make_fz(&q, lexdir);
    assert_int_equal(dm_model_attach_featurizer(trained, other, &err), DM_E_MISMATCH);
    assert_non_null(strstr(err.message, "buckets"));
    dm_featurizer_destroy(&other);
    /* Refused: out of range; absent (a build without the setting hashes
     * stance into 2^12: the stance dimensions do not match); another size. */
    edit_manifest(tmp("sbits"), tmp("sbits-bad"), "features", "stance_hash_bits",
                  json_integer(5));
    assert_int_equal(dm_model_load(tmp("sbits-bad"), lexdir, &m, &err), DM_E_FORMAT);
    assert_null(m);
    assert_non_null(strstr(err.message, "stance_hash_bits"));
    edit_manifest(tmp("sbits"), tmp("sbits-bad"), "features", "stance_hash_bits",
                  json_integer(30));
    assert_int_equal(dm_model_load(tmp("sbits-bad"), lexdir, &m, &err), DM_E_FORMAT);
    edit_manifest(tmp("sbits"), tmp("sbits-bad"), "features", "stance_hash_bits",
                  json_string("14"));
    assert_int_equal(dm_model_load(tmp("sbits-bad"), lexdir, &m, &err), DM_E_FORMAT);
    edit_manifest(tmp("sbits"), tmp("sbits-bad"), "features", "stance_hash_bits", NULL);
    assert_int_equal(dm_model_load(tmp("sbits-bad"), lexdir, &m, &err), DM_E_MISMATCH);
    assert_null(m);
    assert_non_null(strstr(err.message, "stance feature dimensions"));
    edit_manifest(tmp("sbits"), tmp("sbits-bad"), "features", "stance_hash_bits",
                  json_integer(13));
    assert_int_equal(dm_model_load(tmp("sbits-bad"), lexdir, &m, &err), DM_E_MISMATCH);
    assert_null(m);
    /* Without the setting the manifest has no key (bundles as before). */
    dm_model_destroy(&trained);
    dm_featurizer_destroy(&fz);
    q = small_params(DM_SOLVER_AUTO);
    q.tasks = DM_TASK_HOSTILITY;
    fz = make_fz(&q, lexdir);
    assert_int_equal(dm_model_train(ds, fz, &q, &trained, NULL, &err), DM_OK);
    man = json_loads(dm_model_manifest_json(trained), 0, NULL);
    assert_null(json_object_get(json_object_get(man, "features"), "stance_hash_bits"));
    json_decref(man);
    dm_model_destroy(&trained);
    dm_featurizer_destroy(&fz);
    /* The option: in the table, strict. */
    const dm_param *sb = dm_param_find("--stance-hash-bits");
    assert_non_null(sb);
    assert_ptr_equal(sb, dm_param_find("stance_hash_bits"));
    assert_true(sb->feature);
    dm_model_train_params_default(&q);
    assert_int_equal(q.features.stance_hash_bits, 0);
    assert_int_equal(dm_param_set(&q, sb, "18", &err), DM_OK);
    assert_int_equal(q.features.stance_hash_bits, 18);
    assert_int_equal(dm_param_set(&q, sb, "9", &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "--stance-hash-bits"));
    assert_int_equal(dm_param_set(&q, sb, "25", &err), DM_E_INVALID_ARG);
    assert_int_equal(q.features.stance_hash_bits, 18);
    assert_int_equal(dm_param_set(&q, sb, "0", &err), DM_OK);
    q.features.stance_hash_bits = 3;
    assert_int_equal(dm_model_check_params(&q, &err), DM_E_INVALID_ARG);
    dm_dataset_destroy(&ds);
}

/* The parameter table: one default, range and key per setting, read by
 * the defaults, the checker, dm_param_set, the manifest and the loader. */
static void test_param_table(void **state)
{
    (void)state;
    dm_model_train_params p;
    dm_model_train_params_default(&p);
    dm_error err;
    assert_true(dm_param_count() > 10);
    assert_null(dm_param_at(dm_param_count()));
    assert_null(dm_param_find(NULL));
    assert_null(dm_param_find("no_such_setting"));
    const dm_param *bits = dm_param_find("--hash-bits");
    assert_non_null(bits);
    assert_ptr_equal(bits, dm_param_find("hash_bits"));
    assert_true(bits->feature);
    /* Defaults come from the table. */
    assert_int_equal(p.features.hash_bits, (int)bits->def);
    assert_true(p.C == dm_param_find("-c")->def);
    assert_int_equal(p.seed, (unsigned)dm_param_find("seed")->def);
    /* Every option's key is unique, every default is in its range. */
    for (size_t i = 0; i < dm_param_count(); i++) {
        const dm_param *a = dm_param_at(i);
        assert_non_null(a->help);
        assert_ptr_equal(dm_param_find(a->key), a);
        assert_true(a->def >= a->min && a->def <= a->max);
    }
    assert_int_equal(dm_model_check_params(&p, &err), DM_OK);
    /* dm_param_set parses strictly and checks the range. */
    assert_int_equal(dm_param_set(&p, bits, "16", &err), DM_OK);
    assert_int_equal(p.features.hash_bits, 16);
    assert_int_equal(dm_param_set(&p, bits, "26", &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "--hash-bits needs an integer 10-24, not '26'"));
    assert_int_equal(p.features.hash_bits, 16);
    assert_int_equal(dm_param_set(&p, bits, "12.5", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, bits, "12x", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, bits, "", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, dm_param_find("C"), "0", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, dm_param_find("C"), "nan", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, dm_param_find("C"), "0.5", &err), DM_OK);
    assert_true(p.C == 0.5);
    assert_int_equal(dm_param_set(&p, dm_param_find("actor_priors"), "true", &err), DM_OK);
    assert_true(p.features.actor_priors);
    assert_int_equal(dm_param_set(&p, dm_param_find("actor_priors"), "yes", &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, dm_param_find("seed"), "-1", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, dm_param_find("seed"), "4294967295", &err), DM_OK);
    assert_int_equal(p.seed, 4294967295u);
    assert_int_equal(dm_param_set(NULL, bits, "12", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, NULL, "12", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, bits, NULL, &err), DM_E_INVALID_ARG);
    dm_param fake = *bits; /* not an entry of the table */
    assert_int_equal(dm_param_set(&p, &fake, "12", &err), DM_E_INVALID_ARG);
    /* The choices are in the table too: names, default, message. */
    const dm_param *solver = dm_param_find("--solver");
    assert_non_null(solver);
    assert_int_equal(solver->type, DM_PARAM_CHOICE);
    assert_string_equal(solver->choices[(int)solver->def], "auto");
    assert_int_equal(dm_param_set(&p, solver, "libsvm", &err), DM_OK);
    assert_int_equal(p.solver, DM_SOLVER_LIBSVM);
    assert_int_equal(dm_param_set(&p, solver, "svm", &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "--solver must be auto, liblinear or libsvm, not 'svm'"));
    assert_int_equal(p.solver, DM_SOLVER_LIBSVM);
    assert_int_equal(dm_param_set(&p, solver, "", &err), DM_E_INVALID_ARG);
    const dm_param *kernel = dm_param_find("--kernel");
    assert_non_null(kernel);
    assert_ptr_equal(kernel, dm_param_find("-t"));
    assert_ptr_equal(kernel, dm_param_find("kernel"));
    assert_int_equal(dm_param_set(&p, kernel, "rbf", &err), DM_OK);
    assert_int_equal(p.kernel, DM_KERNEL_RBF);
    assert_int_equal(dm_param_set(&p, kernel, "poly", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, dm_param_find("--task"), "stance", &err), DM_OK);
    assert_int_equal(p.tasks, DM_TASK_STANCE);
    assert_int_equal(dm_param_set(&p, dm_param_find("--task"), "both", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_param_set(&p, dm_param_find("hostility_model"), "svr", &err), DM_OK);
    assert_int_equal(p.hostility, DM_HOSTILITY_SVR);
    /* ... and their defaults are the table's. */
    dm_model_train_params_default(&p);
    assert_int_equal(p.tasks, DM_TASK_ALL);
    assert_int_equal(p.solver, DM_SOLVER_AUTO);
    assert_int_equal(p.kernel, DM_KERNEL_LINEAR);
    assert_int_equal(p.hostility, DM_HOSTILITY_SVC);
    /* The checker refuses a value that is none of the choices. */
    p.solver = (dm_solver)7;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "solver must be auto, liblinear or libsvm (got 7)"));
    dm_model_train_params_default(&p);
    p.tasks = 0;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "tasks must be hostility, stance or all"));
    dm_model_train_params_default(&p);
    p.kernel = DM_KERNEL_RBF;
    p.solver = DM_SOLVER_LIBLINEAR;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "liblinear trains linear models only"));
    dm_model_train_params_default(&p);
    assert_int_equal(dm_param_set(&p, bits, "16", &err), DM_OK);
    char range[64];
    assert_string_equal(dm_param_range(kernel, range, sizeof range), "linear or rbf");
    assert_string_equal(dm_param_range(solver, range, sizeof range), "auto, liblinear or libsvm");
    assert_string_equal(dm_param_range(bits, range, sizeof range), "10-24");
    assert_string_equal(dm_param_range(dm_param_find("C"), range, sizeof range), "> 0");
    /* The checker and the featurizer read the same ranges. */
    dm_model_train_params_default(&p);
    p.features.hash_bits = 26;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "hash_bits must be 10-24"));
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(&p.features, lexdir, &fz, &err), DM_E_INVALID_ARG);
    assert_null(fz);
    p.features.hash_bits = 24;
    p.features.char_ngram_min = 3;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    p.features.char_ngram_max = 4;
    assert_int_equal(dm_model_check_params(&p, &err), DM_OK);

    /* The manifest has every feature setting of the table under its key
     * (stance_hash_bits only when set: test_stance_hash_bits), and the
     * loader reads the same ranges. */
    dm_dataset *ds = load_small();
    dm_model_train_params sp = small_params(DM_SOLVER_AUTO);
    train_save(ds, &sp, tmp("params"));
    char path[600];
    snprintf(path, sizeof path, "%s/manifest.json", tmp("params"));
    json_t *man = json_load_file(path, 0, NULL);
    json_t *f = json_object_get(man, "features");
    for (size_t i = 0; i < dm_param_count(); i++)
        if (dm_param_at(i)->feature && strcmp(dm_param_at(i)->key, "stance_hash_bits") != 0)
            assert_non_null(json_object_get(f, dm_param_at(i)->key));
    json_decref(man);
    dm_model *m = NULL;
    edit_manifest(tmp("params"), tmp("params-bad"), "features", "hash_bits", json_integer(26));
    assert_int_equal(dm_model_load(tmp("params-bad"), lexdir, &m, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "hash_bits must be 10-24 (got 26)"));
    edit_manifest(tmp("params"), tmp("params-bad"), "features", "word_ngram_max", json_true());
    assert_int_equal(dm_model_load(tmp("params-bad"), lexdir, &m, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "word_ngram_max"));
    edit_manifest(tmp("params"), tmp("params-bad"), "features", "log_tf", NULL);
    assert_int_equal(dm_model_load(tmp("params-bad"), lexdir, &m, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "log_tf"));
    /* Older bundles without actor_priors were trained without them. */
    edit_manifest(tmp("params"), tmp("params-old"), "features", "actor_priors", NULL);
    assert_int_equal(dm_model_load(tmp("params-old"), lexdir, &m, &err), DM_OK);
    assert_false(dm_featurizer_settings(dm_model_featurizer(m))->actor_priors);
    dm_model_destroy(&m);
    dm_dataset_destroy(&ds);
}

static void test_cross_validation(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params(DM_SOLVER_AUTO);
    dm_featurizer *fz = make_fz(&p, lexdir);
    dm_cv_report r;
    dm_error err;
    assert_int_equal(dm_model_cross_validate(ds, fz, &p, 3, &r, NULL, &err), DM_OK);
    assert_true(r.has_hostility && r.has_stance);
    assert_int_equal(r.hostility.n, 61);
    assert_int_equal(r.stance.n, 64);
    assert_true(r.hostility.accuracy > 0.3);    /* well above chance (0.2) */
    assert_true(r.stance.macro_f1 > 0.4);
    assert_true(r.hostility.spearman > 0.3);
    /* The report goes into the manifest. */
    dm_model *m = NULL;
    assert_int_equal(dm_model_train(ds, fz, &p, &m, NULL, &err), DM_OK);
    assert_int_equal(dm_model_set_cv_report(m, &r, &err), DM_OK);
    assert_non_null(strstr(dm_model_manifest_json(m), "\"cross_validation\""));
    /* A plain cross-validation has no grid; the report as JSON. */
    assert_null(r.grid);
    char *json = NULL;
    assert_int_equal(dm_cv_report_to_json(&r, &json, &err), DM_OK);
    assert_non_null(strstr(json, "\"folds\":3"));
    assert_null(strstr(json, "\"grid\""));
    free(json);
    assert_int_equal(dm_cv_report_to_json(NULL, &json, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_cv_report_to_json(&r, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_add_source(m, "extra", "CC0", 3, 2, 1, &err), DM_OK);
    assert_non_null(strstr(dm_model_manifest_json(m), "\"extra\""));
    dm_model_destroy(&m);
    dm_cv_report_free(&r);
    /* One class only: a training error, not a crash. */
    dm_dataset *one = NULL;
    assert_int_equal(dm_dataset_create(&one, &err), DM_OK);
    const char *path = tmp("one.jsonl");
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("{\"text\":\"A.\",\"hostility\":1}\n{\"text\":\"B.\",\"hostility\":1}\n", fp);
    fclose(fp);
    assert_int_equal(dm_dataset_read_jsonl(one, path, DM_OFFSETS_BYTES, NULL, NULL, NULL, &err),
                     DM_OK);
    p.tasks = DM_TASK_HOSTILITY;
    assert_int_equal(dm_model_train(one, fz, &p, &m, NULL, &err), DM_E_TRAIN);
    assert_null(m);
    assert_non_null(strstr(err.message, "same label"));
    dm_dataset_destroy(&one);
    dm_featurizer_destroy(&fz);
    dm_dataset_destroy(&ds);
}

/* dm_submodel_decision_values against LIBLINEAR's own predict_values, to
 * the bit, for every shape of w the scorer meets (one column, three, four)
 * and the general loop (two columns of a Crammer-Singer model, five):
 * with and without bias, x past the trained dimension, an empty x. */
static void test_decision_values_liblinear(void **state)
{
    (void)state;
    static const int shapes[][2] = { /* nr_class, solver */
        {2, L2R_L2LOSS_SVC}, {3, L2R_L2LOSS_SVC}, {4, L2R_L2LOSS_SVC},
        {2, MCSVM_CS}, {5, L2R_L2LOSS_SVC}};
    enum { NF = 40, NX = 30 };
    int labels[5] = {0, 1, 2, 3, 4};
    double w[(NF + 1) * 5];
    uint32_t r = 7;
    for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
        r = r * 1103515245u + 12345u;
        w[i] = ((double)(r >> 8) / (1 << 24) - 0.5) * 3.1; /* inexact sums */
    }
    for (size_t sh = 0; sh < sizeof shapes / sizeof *shapes; sh++)
        for (int with_bias = 0; with_bias < 2; with_bias++) {
            struct model ll = {0};
            ll.param.solver_type = shapes[sh][1];
            ll.nr_class = shapes[sh][0];
            ll.nr_feature = NF;
            ll.bias = with_bias ? 1.5 : -1;
            ll.w = w;
            ll.label = labels;
            dm_submodel sm = {.ll = &ll, .bias = ll.bias, .dim = NF};
            for (int len = 0; len <= NX; len += 5) {
                dm_node x[NX + 2];
                struct feature_node lx[NX + 3];
                int at = 0;
                for (int j = 0; j < len; j++) {
                    r = r * 1103515245u + 12345u;
                    at += 1 + (int)(r >> 28);  /* ascending, some past NF */
                    x[j].index = lx[j].index = at;
                    x[j].value = lx[j].value = (double)(r >> 9) / (1 << 20) - 2;
                }
                x[len].index = lx[len].index = -1;
                int lxn = len;
                if (with_bias) { /* LIBLINEAR's caller appends the bias node */
                    lx[lxn].index = NF + 1;
                    lx[lxn++].value = ll.bias;
                    lx[lxn].index = -1;
                }
                double ours[5], theirs[5];
                assert_int_equal(dm_submodel_decision_values(&sm, x, ours), ll.nr_class);
                predict_values(&ll, lx, theirs);
                int nr_w = ll.nr_class == 2 && ll.param.solver_type != MCSVM_CS ? 1
                                                                              : ll.nr_class;
                assert_memory_equal(ours, theirs, (size_t)nr_w * sizeof *ours);
            }
        }
}

/* A weights file read in two parts (bundle_load.c): header and labels in
 * one buffer, the weights straight into the array the model keeps. The
 * same model as from the whole file; a body of the wrong size refused and
 * left to the caller; no plausible header: no split (the whole-file checks
 * then say what is wrong). */
/* The finite check of the weights: one infinity or NaN (of any sign and
 * payload) at any place of arrays of every length to 100 is found, on the
 * 32-byte vector path (this CPU's, when it has AVX2) and on the narrow one;
 * the largest, smallest and subnormal finite numbers pass. */
static void test_weights_all_finite(void **state)
{
    (void)state;
    static const uint64_t BAD[] = {0x7ff0000000000000ULL, 0xfff0000000000000ULL,
                                   0x7ff8000000000000ULL, 0xfff8000000000000ULL,
                                   0x7ff0000000000001ULL, 0x7fffffffffffffffULL};
    static const uint64_t GOOD[] = {0x7fefffffffffffffULL, 0xffefffffffffffffULL,
                                    0x0000000000000001ULL, 0x8000000000000000ULL,
                                    0x000fffffffffffffULL, 0x3ff0000000000000ULL};
    double w[100];
    for (size_t n = 0; n <= 100; n++)
        for (int wide = 0; wide <= 1; wide++) {
            for (size_t i = 0; i < n; i++)
                memcpy(&w[i], &GOOD[i % 6], sizeof w[i]);
            assert_true(dm_weights_all_finite_internal(w, n, wide));
            for (size_t at = 0; at < n; at++)
                for (size_t b = 0; b < sizeof BAD / sizeof BAD[0]; b++) {
                    double keep = w[at];
                    memcpy(&w[at], &BAD[b], sizeof w[at]);
                    assert_false(dm_weights_all_finite_internal(w, n, wide));
                    w[at] = keep;
                }
        }
}

static void test_weights_split(void **state)
{
    (void)state;
    struct model ll = {0};
    int labels[3] = {0, 1, 2};
    double w[3 * 5];
    for (int i = 0; i < 15; i++)
        w[i] = (i - 7) * 0.125;
    ll.param.solver_type = L2R_L2LOSS_SVC;
    ll.nr_class = 3;
    ll.nr_feature = 4;
    ll.bias = 1;
    ll.w = w;
    ll.label = labels;
    dm_error err;
    const char *path = tmp("split.weights");
    assert_int_equal(dm_weights_save_internal(&ll, path, &err), DM_OK);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    unsigned char file[512];
    size_t size = fread(file, 1, sizeof file, fp);
    fclose(fp);
    assert_int_equal(size, 40 + 4 * 3 + 8 * 15);
    size_t head = dm_weights_head_bytes_internal(file, size, size);
    assert_int_equal(head, 40 + 4 * 3);
    assert_int_equal(dm_weights_head_bytes_internal(file, 39, size), 0);
    assert_int_equal(dm_weights_head_bytes_internal(file, size, size + 1), 0); /* not whole doubles */
    assert_int_equal(dm_weights_head_bytes_internal(file, size, head), 0);     /* no weight */
    assert_int_equal(dm_weights_head_bytes_internal(NULL, size, size), 0);
    file[0] ^= 1;
    assert_int_equal(dm_weights_head_bytes_internal(file, size, size), 0);
    file[0] ^= 1;
    /* The same weights, whole or in parts. */
    dm_submodel *whole = NULL, *parts = NULL;
    assert_int_equal(dm_weights_load_internal(path, file, size, DM_TASK_STANCE, false, 16,
                                              &whole, &err), DM_OK);
    double *body = dm_weights_alloc_internal(size - head);
    assert_non_null(body);
    memcpy(body, file + head, size - head);
    double *given = body;
    assert_int_equal(dm_weights_load_split_internal(path, file, head, &body, size - head,
                                                    DM_TASK_STANCE, false, 16, &parts, &err),
                     DM_OK);
    assert_null(body);                      /* the model's now */
    assert_ptr_equal(parts->ll->w, given);
    assert_int_equal(parts->ll->nr_class, whole->ll->nr_class);
    assert_memory_equal(parts->ll->label, whole->ll->label, 3 * sizeof(int));
    assert_memory_equal(parts->ll->w, whole->ll->w, sizeof w);
    assert_memory_equal(parts->ll->w, w, sizeof w);
    dm_submodel_destroy(&parts);
    /* A body one weight short: refused, still the caller's. */
    body = dm_weights_alloc_internal(size - head);
    assert_non_null(body);
    memcpy(body, file + head, size - head);
    assert_int_equal(dm_weights_load_split_internal(path, file, head, &body, size - head - 8,
                                                    DM_TASK_STANCE, false, 16, &parts, &err),
                     DM_E_FORMAT);
    assert_non_null(strstr(err.message, "size does not match its header"));
    assert_non_null(body);
    assert_null(parts);
    /* A bad weight in the body: refused by the same check. */
    body[2] = NAN;
    assert_int_equal(dm_weights_load_split_internal(path, file, head, &body, size - head,
                                                    DM_TASK_STANCE, false, 16, &parts, &err),
                     DM_E_FORMAT);
    assert_non_null(strstr(err.message, "not a finite number"));
    assert_non_null(body);
    assert_int_equal(dm_weights_load_split_internal(NULL, file, head, &body, size - head,
                                                    DM_TASK_STANCE, false, 16, &parts, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_weights_load_split_internal(path, file, head, NULL, size - head,
                                                    DM_TASK_STANCE, false, 16, &parts, &err),
                     DM_E_INVALID_ARG);
    free(body);
    dm_submodel_destroy(&whole);
}

static void test_invalid_args(void **state)
{
    (void)state;
    dm_error err;
    dm_model_train_params p;
    dm_model_train_params_default(&p);
    assert_int_equal(dm_model_check_params(&p, &err), DM_OK);
    assert_string_equal(dm_model_solver_name(&p), "liblinear");
    assert_int_equal(dm_model_check_params(NULL, &err), DM_E_INVALID_ARG);
    p.C = 0;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "C must be > 0"));
    p.C = 1;
    p.kernel = DM_KERNEL_RBF;
    assert_string_equal(dm_model_solver_name(&p), "libsvm");
    p.solver = DM_SOLVER_LIBLINEAR;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    dm_model_train_params_default(&p);
    p.tasks = 0;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    dm_model_train_params_default(&p);
    p.liblinear_solver = 11;
    assert_int_equal(dm_model_check_params(&p, &err), DM_E_INVALID_ARG);
    dm_model *m = NULL;
    assert_int_equal(dm_model_train(NULL, NULL, NULL, &m, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_load(NULL, lexdir, &m, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_load("x", NULL, &m, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_save(NULL, "x", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_score_statement(NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_score_text(NULL, "x", 1, NULL, NULL, NULL, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_model_explain(NULL, NULL, -1, 1, NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_cross_validate(NULL, NULL, NULL, 5, NULL, NULL, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_model_grid_search(NULL, NULL, NULL, 5, NULL, NULL, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_model_set_cv_report(NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_add_source(NULL, "a", "b", 0, 0, 0, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_attach_featurizer(NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_false(dm_model_has_task(NULL, DM_TASK_HOSTILITY));
    assert_null(dm_model_manifest_json(NULL));
    dm_model_destroy(&m);
    dm_model_destroy(NULL);
    dm_cv_report_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folded_matches_libsvm),
        cmocka_unit_test(test_multiclass_probability),
        cmocka_unit_test(test_round_trip_liblinear),
        cmocka_unit_test(test_round_trip_libsvm),
        cmocka_unit_test(test_round_trip_svc_platt),
        cmocka_unit_test(test_svr_round_trip),
        cmocka_unit_test(test_ordinal_round_trip),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_checksum_algorithms),
        cmocka_unit_test(test_load_parallel),
        cmocka_unit_test(test_compatibility),
        cmocka_unit_test(test_param_table),
        cmocka_unit_test(test_stance_hash_bits),
        cmocka_unit_test(test_cross_validation),
        cmocka_unit_test(test_weights_split),
        cmocka_unit_test(test_weights_all_finite),
        cmocka_unit_test(test_decision_values_liblinear),
        cmocka_unit_test(test_invalid_args),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
