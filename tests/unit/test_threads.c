/* The library's thread-safety contract (core.h, "Threads"), tested with
 * threads (and run under ThreadSanitizer in CI): one model scored by
 * several dm_scorers at once gives what dm_model_score_* gives; featurizer
 * clones give their original's features; trainings in several threads
 * (rand()-drawing solvers included) give the bytes of a lone training; one
 * abbreviation set segments in several threads; and the invalid-argument
 * paths of the thread API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demarche/model.h"
#include "demarche/text.h"
#include "features/features_internal.h"
#include "model/model_calls_internal.h"
#include "text/text_internal.h"

#define THREADS 4

static char tmpdir[256], lexdir[1024], datafile[1024];

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("DM_SOURCE_DIR");
    snprintf(lexdir, sizeof lexdir, "%s/lexicons", src ? src : DM_SOURCE_DIR);
    snprintf(datafile, sizeof datafile, "%s/tests/data/labelled-small.jsonl",
             src ? src : DM_SOURCE_DIR);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dm_test_threads.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static dm_dataset *load_small(void)
{
    dm_dataset *ds = NULL;
    dm_error err;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    assert_int_equal(dm_dataset_read_jsonl(ds, datafile, DM_OFFSETS_BYTES, NULL, NULL, NULL,
                                           &err), DM_OK);
    assert_true(ds->n >= 60);
    return ds;
}

static dm_model_train_params small_params(void)
{
    dm_model_train_params p;
    dm_model_train_params_default(&p);
    p.features.hash_bits = 14; /* fast tests */
    return p;
}

static dm_model *train(const dm_dataset *ds, const dm_model_train_params *p,
                       dm_featurizer **fz)
{
    dm_error err;
    char buf[1024];
    if (dm_featurizer_create(&p->features, lexdir, fz, &err) != DM_OK)
        fail_msg("featurizer: %s", dm_error_format(&err, buf, sizeof buf));
    dm_model *m = NULL;
    if (dm_model_train(ds, *fz, p, &m, NULL, &err) != DM_OK)
        fail_msg("train: %s", dm_error_format(&err, buf, sizeof buf));
    return m;
}

/* One labelled record as a statement: its text and its labelled targets. */
static void fill_list(const dm_labelled_statement *ls, dm_statement_list *list)
{
    dm_statement_list_init(list);
    dm_statement *st = dm_statement_list_push(list);
    assert_non_null(st);
    st->n = 1;
    st->kind = DM_KIND_GIVEN;
    st->text = strndup(ls->text, ls->len);
    st->norm_end = st->end = ls->len;
    for (size_t i = 0; i < ls->n_targets; i++) {
        const dm_labelled_target *t = &ls->targets[i];
        assert_int_equal(dm_statement_add_target(st, t->actor, NULL, t->has_span, t->start,
                                                 t->end, t->start, t->end), DM_OK);
    }
}

/* What scoring one record gives, for comparing threads with one thread. */
typedef struct scored {
    int level;
    double score;
    double stance_score[8];
    int stance[8];
} scored;

static void take(const dm_statement_list *list, scored *out)
{
    const dm_statement *st = &list->v[0];
    memset(out, 0, sizeof *out);
    out->level = st->hostility_level;
    out->score = st->hostility_expected;
    for (size_t i = 0; i < st->n_targets && i < 8; i++) {
        out->stance[i] = (int)st->targets[i].stance;
        out->stance_score[i] = st->targets[i].score;
    }
}

typedef struct score_job {
    const dm_model *model;
    const dm_dataset *ds;
    scored *out;             /* one per record */
    int rounds;
    int failures;
} score_job;

static void *score_thread(void *arg)
{
    score_job *job = arg;
    dm_scorer *sc = NULL;
    dm_error err;
    if (dm_scorer_create(job->model, &sc, &err) != DM_OK) {
        job->failures++;
        return NULL;
    }
    for (int r = 0; r < job->rounds; r++)
        for (size_t i = 0; i < job->ds->n; i++) {
            dm_statement_list list;
            fill_list(&job->ds->v[i], &list);
            if (dm_scorer_score_list(sc, &list, &err) != DM_OK)
                job->failures++;
            else
                take(&list, &job->out[i]);
            dm_statement_list_clear(&list);
        }
    dm_scorer_destroy(&sc);
    dm_text_thread_cleanup();
    return NULL;
}

static void test_scorers_in_threads(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params();
    dm_featurizer *fz = NULL;
    dm_model *m = train(ds, &p, &fz);
    dm_error err;
    /* One thread, through the model itself. */
    scored *want = calloc(ds->n, sizeof *want);
    assert_non_null(want);
    for (size_t i = 0; i < ds->n; i++) {
        dm_statement_list list;
        fill_list(&ds->v[i], &list);
        assert_int_equal(dm_model_score_list(m, &list, &err), DM_OK);
        take(&list, &want[i]);
        dm_statement_list_clear(&list);
    }
    pthread_t tid[THREADS];
    score_job jobs[THREADS];
    for (int t = 0; t < THREADS; t++) {
        jobs[t] = (score_job){.model = m, .ds = ds, .rounds = 3,
                              .out = calloc(ds->n, sizeof(scored))};
        assert_non_null(jobs[t].out);
        assert_int_equal(pthread_create(&tid[t], NULL, score_thread, &jobs[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        assert_int_equal(pthread_join(tid[t], NULL), 0);
        assert_int_equal(jobs[t].failures, 0);
        /* Bit for bit: the same code on the same inputs. */
        assert_memory_equal(jobs[t].out, want, ds->n * sizeof *want);
        free(jobs[t].out);
    }
    free(want);
    dm_model_destroy(&m);
    dm_featurizer_destroy(&fz);
    dm_dataset_destroy(&ds);
}

/* A scorer keeps its buffers (feature vector, model nodes, mentions) from
 * one statement to the next: records in an order where they shrink and
 * grow (the most targets first, then none, ...) score as the model's own
 * calls with buffers of their own do, bit for bit, also through
 * dm_scorer_score_statement_after and after an invalid call. */
static void test_scorer_reuse(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params();
    dm_featurizer *fz = NULL;
    dm_model *m = train(ds, &p, &fz);
    dm_error err;
    size_t most = 0;
    for (size_t i = 0; i < ds->n; i++)
        if (ds->v[i].n_targets > ds->v[most].n_targets)
            most = i;
    assert_true(ds->v[most].n_targets >= 2);
    dm_scorer *sc = NULL;
    assert_int_equal(dm_scorer_create(m, &sc, &err), DM_OK);
    size_t order[3] = {most, 0, most};
    for (size_t k = 0; k < ds->n + 3; k++) {
        size_t i = k < 3 ? order[k] : ds->n - 1 - (k - 3); /* then backwards */
        scored want, got;
        dm_statement_list list;
        fill_list(&ds->v[i], &list);
        assert_int_equal(dm_model_score_list(m, &list, &err), DM_OK);
        take(&list, &want);
        dm_statement_list_clear(&list);
        fill_list(&ds->v[i], &list);
        if (k % 2)
            assert_int_equal(dm_scorer_score_list(sc, &list, &err), DM_OK);
        else
            assert_int_equal(dm_scorer_score_statement_after(sc, &list.v[0], NULL, &err),
                             DM_OK);
        take(&list, &got);
        dm_statement_list_clear(&list);
        assert_memory_equal(&got, &want, sizeof want);
        if (k == 1)
            assert_int_equal(dm_scorer_score_statement_after(sc, NULL, NULL, &err),
                             DM_E_INVALID_ARG);
    }
    dm_scorer_destroy(&sc);
    assert_null(sc);
    dm_model_destroy(&m);
    dm_featurizer_destroy(&fz);
    dm_dataset_destroy(&ds);
}

static void test_featurizer_clone(void **state)
{
    (void)state;
    dm_featurizer *fz = NULL, *c1 = NULL, *c2 = NULL;
    dm_error err;
    assert_int_equal(dm_featurizer_create(NULL, lexdir, &fz, &err), DM_OK);
    assert_int_equal(dm_featurizer_clone(fz, &c1, &err), DM_OK);
    assert_int_equal(dm_featurizer_clone(c1, &c2, &err), DM_OK); /* a clone's clone */
    assert_string_equal(dm_featurizer_lexicon_checksum(c2), dm_featurizer_lexicon_checksum(fz));
    assert_int_equal(dm_featurizer_dimensions(c2), dm_featurizer_dimensions(fz));
    const char *text = "We condemn the illegal and outrageous attack by Russia.";
    dm_feature_target tg = {"RUS", true, 48, 54};
    dm_feature_input in = {.text = text, .len = strlen(text), .speaker_actor = "GBR",
                           .mentions = &tg, .n_mentions = 1};
    dm_fvec a, b;
    dm_fvec_init(&a);
    dm_fvec_init(&b);
    assert_int_equal(dm_features_stance(fz, &in, &tg, &a, &err), DM_OK);
    assert_int_equal(dm_features_stance(c2, &in, &tg, &b, &err), DM_OK);
    assert_int_equal(a.n, b.n);
    assert_true(a.n > 0);
    for (size_t i = 0; i < a.n; i++) {
        assert_int_equal(a.v[i].index, b.v[i].index);
        assert_true(a.v[i].value == b.v[i].value);
    }
    /* Clones do not free what they borrow: the original still works after. */
    dm_featurizer_destroy(&c1);
    dm_featurizer_destroy(&c2);
    assert_null(c2);
    assert_int_equal(dm_features_hostility(fz, &in, &a, &err), DM_OK);
    dm_fvec_free(&a);
    dm_fvec_free(&b);
    dm_featurizer_destroy(&fz);
}

/* ---- training in threads ---- */

typedef struct train_job {
    const dm_dataset *ds;
    dm_model_train_params p;
    char dir[512];
    dm_status status;
} train_job;

static void *train_thread(void *arg)
{
    train_job *job = arg;
    dm_featurizer *fz = NULL;
    dm_model *m = NULL;
    dm_error err;
    job->status = dm_featurizer_create(&job->p.features, lexdir, &fz, &err);
    if (job->status == DM_OK)
        job->status = dm_model_train(job->ds, fz, &job->p, &m, NULL, &err);
    if (job->status == DM_OK)
        job->status = dm_model_save(m, job->dir, &err);
    dm_model_destroy(&m);
    dm_featurizer_destroy(&fz);
    dm_text_thread_cleanup();
    return NULL;
}

static bool same_tree(const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "diff -r '%s' '%s' >/dev/null", a, b);
    return system(cmd) == 0;
}

/* `ll_type` -1: libsvm (probabilities: draws from rand()). */
static void trainings_agree(int ll_type, const char *name)
{
    dm_dataset *ds = load_small();
    train_job jobs[3];
    for (int i = 0; i < 3; i++) {
        jobs[i] = (train_job){.ds = ds, .p = small_params()};
        if (ll_type >= 0) {
            jobs[i].p.liblinear_solver = ll_type;
        } else {
            jobs[i].p.solver = DM_SOLVER_LIBSVM;
        }
        snprintf(jobs[i].dir, sizeof jobs[i].dir, "%s/%s-%d", tmpdir, name, i);
    }
    /* The host's rand() sequence is not disturbed by training. */
    srand(7);
    int first = rand();
    srand(7);
    train_thread(&jobs[0]);
    assert_int_equal(jobs[0].status, DM_OK);
    assert_int_equal(rand(), first);
    pthread_t tid[2];
    for (int i = 1; i < 3; i++)
        assert_int_equal(pthread_create(&tid[i - 1], NULL, train_thread, &jobs[i]), 0);
    for (int i = 1; i < 3; i++) {
        assert_int_equal(pthread_join(tid[i - 1], NULL), 0);
        assert_int_equal(jobs[i].status, DM_OK);
        assert_true(same_tree(jobs[0].dir, jobs[i].dir));
    }
    dm_dataset_destroy(&ds);
}

static void test_trainings_in_threads(void **state)
{
    (void)state;
    trainings_agree(1, "dual");       /* L2-loss SVC dual: draws from rand() */
    trainings_agree(2, "primal");     /* L2-loss SVC primal: draws nothing */
}

static void test_libsvm_trainings_in_threads(void **state)
{
    (void)state;
    trainings_agree(-1, "libsvm");
}

/* ---- cross-validation and grid search on threads ---- */

static void same_eval(const dm_eval *a, const dm_eval *b)
{
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->confusion, b->confusion,
                        (size_t)a->n_classes * (size_t)a->n_classes * sizeof *a->confusion);
    assert_true(a->accuracy == b->accuracy && a->macro_f1 == b->macro_f1);
    assert_true(a->ece == b->ece && a->spearman == b->spearman && a->mae == b->mae);
    assert_memory_equal(a->reliability_n, b->reliability_n, sizeof a->reliability_n);
    assert_int_equal(a->groups_mixed_gold, b->groups_mixed_gold);
    assert_int_equal(a->groups_mixed_one_label, b->groups_mixed_one_label);
    assert_int_equal(a->groups_same_gold, b->groups_same_gold);
    assert_int_equal(a->groups_same_split, b->groups_same_split);
}

static void test_cross_validation_threads(void **state)
{
    (void)state;
    dm_dataset *ds = load_small();
    dm_model_train_params p = small_params();
    p.liblinear_solver = 1;             /* dual: draws from rand(); Platt */
    dm_featurizer *fz = NULL;
    dm_error err;
    assert_int_equal(dm_featurizer_create(&p.features, lexdir, &fz, &err), DM_OK);
    dm_cv_report one, many;
    p.threads = 1;
    assert_int_equal(dm_model_cross_validate(ds, fz, &p, 4, &one, NULL, &err), DM_OK);
    p.threads = 3;
    assert_int_equal(dm_model_cross_validate(ds, fz, &p, 4, &many, NULL, &err), DM_OK);
    assert_true(one.has_hostility && one.has_stance);
    same_eval(&one.hostility, &many.hostility);
    same_eval(&one.stance, &many.stance);
    dm_cv_report_free(&one);
    dm_cv_report_free(&many);
    /* A grid: the same choice of C and the same figures. */
    dm_model_train_params g1 = p, g3 = p;
    g1.threads = 1;
    g3.threads = 3;
    assert_int_equal(dm_model_grid_search(ds, fz, &g1, 3, &one, NULL, &err), DM_OK);
    assert_int_equal(dm_model_grid_search(ds, fz, &g3, 3, &many, NULL, &err), DM_OK);
    assert_true(g1.C == g3.C && g1.stance_C == g3.stance_C);
    same_eval(&one.hostility, &many.hostility);
    same_eval(&one.stance, &many.stance);
    /* Every point of both grids, in the same order with the same figures. */
    assert_true(one.n_grid > 0 && one.n_grid == many.n_grid);
    for (size_t i = 0; i < one.n_grid; i++) {
        assert_true(one.grid[i].task == many.grid[i].task && one.grid[i].C == many.grid[i].C);
        assert_true(one.grid[i].macro_f1 == many.grid[i].macro_f1);
        assert_true(one.grid[i].best == many.grid[i].best);
    }
    dm_cv_report_free(&one);
    dm_cv_report_free(&many);
    /* Nested CV of the grid: the same chosen points and figures on 1 and 3
     * threads; params untouched. */
    g1 = p;
    g3 = p;
    g1.threads = 1;
    g3.threads = 3;
    dm_cv_report best;
    assert_int_equal(dm_model_grid_search(ds, fz, &g1, 3, &best, NULL, &err), DM_OK);
    g1 = p;
    g1.threads = 1;
    assert_int_equal(dm_model_grid_nested(ds, fz, &g1, 3, &one, NULL, &err), DM_OK);
    assert_int_equal(dm_model_grid_nested(ds, fz, &g3, 3, &many, NULL, &err), DM_OK);
    assert_true(g1.C == p.C && g1.stance_C == p.stance_C);
    assert_true(one.nested && one.folds == 3 && one.has_hostility && one.has_stance);
    assert_int_equal(one.n_grid, 6); /* 3 outer folds, two tasks */
    same_eval(&one.hostility, &many.hostility);
    same_eval(&one.stance, &many.stance);
    for (size_t i = 0; i < one.n_grid; i++)
        assert_true(one.grid[i].C == many.grid[i].C &&
                    one.grid[i].macro_f1 == many.grid[i].macro_f1);
    assert_int_equal(one.hostility.n, best.hostility.n);
    dm_cv_report_free(&one);
    dm_cv_report_free(&many);
    dm_cv_report_free(&best);
    /* not by group; invalid arguments */
    g1.cv_by_group = true;
    assert_int_equal(dm_model_grid_nested(ds, fz, &g1, 3, &one, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_grid_nested(NULL, fz, &g3, 3, &one, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_grid_nested(ds, fz, &g3, 3, NULL, NULL, &err), DM_E_INVALID_ARG);
    dm_featurizer_destroy(&fz);
    dm_dataset_destroy(&ds);
}

/* ---- one abbreviation set, several threads ---- */

static void *segment_thread(void *arg)
{
    const dm_abbreviations *abbr = arg;
    /* Four sentences: "Zyx." is the loaded abbreviation. */
    const char *text = "Call Zyx. Brown now. Gen. Smith agreed. He lives in the U.S. He said no.";
    for (int r = 0; r < 200; r++) {
        dm_span *s = NULL;
        size_t n = 0;
        if (dm_sentences_utf8_with(text, strlen(text), abbr, &s, &n, NULL) != DM_OK || n != 4) {
            free(s);
            return (void *)1;
        }
        free(s);
    }
    dm_text_thread_cleanup();
    return NULL;
}

static void test_abbreviations_in_threads(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/abbr.tsv", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("Zyx.\n", f);
    fclose(f);
    dm_abbreviations *abbr = NULL;
    dm_error err;
    assert_int_equal(dm_abbreviations_create(&abbr, &err), DM_OK);
    assert_int_equal(dm_abbreviations_load(abbr, path, &err), DM_OK);
    pthread_t tid[THREADS];
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_create(&tid[t], NULL, segment_thread, abbr), 0);
    for (int t = 0; t < THREADS; t++) {
        void *rc = NULL;
        assert_int_equal(pthread_join(tid[t], &rc), 0);
        assert_null(rc);
    }
    dm_abbreviations_destroy(&abbr);
}

static void test_invalid_args(void **state)
{
    (void)state;
    dm_error err;
    dm_scorer *sc = NULL;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_scorer_create(NULL, &sc, &err), DM_E_INVALID_ARG);
    assert_null(sc);
    assert_int_equal(dm_scorer_score_list(NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_scorer_score_statement_after(NULL, NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_scorer_explain(NULL, NULL, -1, 1, NULL, NULL, &err), DM_E_INVALID_ARG);
    dm_scorer_destroy(&sc);
    dm_scorer_destroy(NULL);
    assert_int_equal(dm_featurizer_clone(NULL, &fz, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_featurizer_create(NULL, lexdir, &fz, &err), DM_OK);
    assert_int_equal(dm_featurizer_clone(fz, NULL, &err), DM_E_INVALID_ARG);
    dm_featurizer_destroy(&fz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scorers_in_threads),
        cmocka_unit_test(test_scorer_reuse),
        cmocka_unit_test(test_featurizer_clone),
        cmocka_unit_test(test_trainings_in_threads),
        cmocka_unit_test(test_libsvm_trainings_in_threads),
        cmocka_unit_test(test_cross_validation_threads),
        cmocka_unit_test(test_abbreviations_in_threads),
        cmocka_unit_test(test_invalid_args),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
