/* Tests of untrusted model files (issue 8 item 10): the strict validation
 * of LIBLINEAR and libsvm model text (model_validate.c), the fold's own
 * checks of an svm_model (folded.c), the load of validated bytes, and the
 * loader's refusal of special files (bundle_load.c). The e2e counterpart,
 * with crafted bundles through demarche-score, is tests/e2e/corrupt_model.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "demarche/model.h"
#include "model/model_internal.h"

#define DIM 100

static const char LIN[] =
    "solver_type L2R_LR\nnr_class 3\nlabel 0 3 1\nnr_feature 3\nbias 1\nw\n"
    "0.5 -0.25 0 \n0 0 1e-3 \n-1 2 3 \n0.1 0.2 0.3 \n";
static const char LIN_SVR[] =
    "solver_type L2R_L2LOSS_SVR_DUAL\nnr_class 2\nnr_feature 2\nbias -1\nw\n0.5 \n-1 \n";
static const char SVM[] =
    "svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv 3\nrho 0.25\nlabel 0 2\n"
    "probA -1.5\nprobB 0.1\nnr_sv 2 1\nSV\n0.5 1:0.5 7:1 \n0.25 2:1 \n-0.75 1:0.25 100:1 \n";
static const char SVR[] =
    "svm_type epsilon_svr\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 2\nrho 0.1\nSV\n"
    "1 1:1 \n-1 3:0.5 \n";

/* Validate `text` as a hostility model; returns the status, err filled. */
static dm_status check(const char *text, dm_backend b, bool svr, dm_error *err)
{
    return dm_model_text_validate_internal("m.model", text, strlen(text), b,
                                           DM_TASK_HOSTILITY, svr, DIM, err);
}

/* Replace the first `from` in `text` by `to` (static buffer). */
static const char *edit(const char *text, const char *from, const char *to)
{
    static char buf[2048];
    const char *at = strstr(text, from);
    assert_non_null(at);
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return buf;
}

/* The edit must be refused at `line` with `words` in the message. */
static void refused(const char *text, dm_backend b, bool svr, long line, const char *words)
{
    dm_error err;
    dm_error_clear(&err);
    if (check(text, b, svr, &err) != DM_E_FORMAT)
        fail_msg("accepted:\n%s", text);
    assert_string_equal(err.where, "m.model");
    if (err.line != line || !strstr(err.message, words))
        fail_msg("line %ld (want %ld): %s (want \"%s\")", err.line, line, err.message, words);
}

static void test_valid_models_pass(void **state)
{
    (void)state;
    dm_error err;
    assert_int_equal(check(LIN, DM_BACKEND_LIBLINEAR, false, &err), DM_OK);
    assert_int_equal(check(LIN_SVR, DM_BACKEND_LIBLINEAR, true, &err), DM_OK);
    assert_int_equal(check(SVM, DM_BACKEND_LIBSVM, false, &err), DM_OK);
    assert_int_equal(check(SVR, DM_BACKEND_LIBSVM, true, &err), DM_OK);
    /* No probabilities is valid too (voting). */
    assert_int_equal(check(edit(SVM, "probA -1.5\nprobB 0.1\n", ""), DM_BACKEND_LIBSVM,
                           false, &err), DM_OK);
}

static void test_liblinear_refusals(void **state)
{
    (void)state;
    const dm_backend L = DM_BACKEND_LIBLINEAR;
    refused(edit(LIN, "nr_feature 3", "nr_feature -5"), L, false, 4, "nr_feature");
    refused(edit(LIN, "nr_feature 3", "nr_feature 101"), L, false, 4, "[0, 100]");
    refused(edit(LIN, "nr_feature 3", "nr_feature 4"), L, false, 11, "ends after 4 of 5");
    refused(edit(LIN, "nr_feature 3", "nr_feature 2"), L, false, 10, "unexpected text");
    refused(edit(LIN, "nr_class 3", "nr_class 1"), L, false, 2, "nr_class");
    refused(edit(LIN, "nr_class 3", "nr_class 6"), L, false, 2, "nr_class");
    refused(edit(LIN, "label 0 3 1", "label 0 3"), L, false, 3, "2 values, expected 3");
    refused(edit(LIN, "label 0 3 1", "label 0 3 3"), L, false, 3, "twice");
    refused(edit(LIN, "label 0 3 1", "label 0 3 5"), L, false, 3, "label");
    refused(edit(LIN, "solver_type L2R_LR", "solver_type L2R_WHAT"), L, false, 1, "unknown");
    refused(edit(LIN, "solver_type L2R_LR", "solver_type L2R_L2LOSS_SVR"), L, false, 1,
            "regression");
    refused(edit(LIN, "bias 1", "bias -2"), L, false, 5, "bias");
    refused(edit(LIN, "bias 1", "bias nan"), L, false, 5, "bias");
    refused(edit(LIN, "0.5 -0.25 0", "0.5 -0.25"), L, false, 7, "2 values, expected 3");
    refused(edit(LIN, "0.5 -0.25 0", "0.5 -0.25 0 9"), L, false, 7, "extra text");
    refused(edit(LIN, "1e-3", "1e-3x"), L, false, 8, "not a finite number");
    refused(edit(LIN, "1e-3", "1e999"), L, false, 8, "not a finite number");
    refused(edit(LIN, "nr_class 3\n", ""), L, false, 2, "expected \"nr_class\"");
    refused(edit(LIN, "\nw\n", "\n\nw\n"), L, false, 6, "empty line");
    refused("", L, false, 1, "ends before \"solver_type\"");
    /* Text after the weights, a NUL inside. */
    char buf[512];
    snprintf(buf, sizeof buf, "%sjunk\n", LIN);
    refused(buf, L, false, 11, "unexpected text");
    memcpy(buf, LIN, sizeof LIN);
    buf[40] = '\0';
    dm_error err;
    assert_int_equal(dm_model_text_validate_internal("m.model", buf, sizeof LIN - 1, L,
                                                     DM_TASK_HOSTILITY, false, DIM, &err),
                     DM_E_FORMAT);
    assert_non_null(strstr(err.message, "NUL"));
    assert_int_equal(err.line, 3);
}

static void test_libsvm_refusals(void **state)
{
    (void)state;
    const dm_backend S = DM_BACKEND_LIBSVM;
    /* Truncated: fewer support vectors than total_sv (libsvm: SIGSEGV). */
    refused(edit(SVM, "-0.75 1:0.25 100:1 \n", ""), S, false, 13, "ends after 2 of 3");
    /* A huge total_sv (libsvm: a huge allocation). */
    refused(edit(SVM, "total_sv 3", "total_sv 2000000000"), S, false, 4, "total_sv");
    /* nr_sv disagreeing with the support vectors (the fold read past arrays). */
    refused(edit(SVM, "nr_sv 2 1", "nr_sv 1 1"), S, false, 9, "adds up to 2");
    refused(edit(SVM, "nr_sv 2 1", "nr_sv -1 4"), S, false, 9, "nr_sv");
    /* A negative index (the fold wrote out of bounds). */
    refused(edit(SVM, "0.25 2:1", "0.25 -2:1"), S, false, 12, "\"-2\" is not in [1, 100]");
    refused(edit(SVM, "0.25 2:1", "0.25 0:1"), S, false, 12, "is not in [1, 100]");
    refused(edit(SVM, "100:1", "101:1"), S, false, 13, "is not in [1, 100]");
    refused(edit(SVM, "1:0.5 7:1", "7:0.5 7:1"), S, false, 11, "must increase");
    refused(edit(SVM, "7:1", "7:x"), S, false, 11, "not a finite number");
    refused(edit(SVM, "7:1", "7=1"), S, false, 11, "index:value");
    refused(edit(SVM, "0.25 2:1", "2:1"), S, false, 12, "coefficient");
    refused(edit(SVM, "nr_class 2", "nr_class -3"), S, false, 3, "nr_class");
    refused(edit(SVM, "nr_class 2", "nr_class 3"), S, false, 5, "1 values, expected 3");
    refused(edit(SVM, "rho 0.25", "rho"), S, false, 5, "0 values");
    refused(edit(SVM, "kernel_type linear", "kernel_type precomputed"), S, false, 2, "precomputed");
    refused(edit(SVM, "svm_type c_svc", "svm_type nu_svc"), S, false, 1, "does not match");
    refused(edit(SVM, "svm_type c_svc", "svm_type c_svm"), S, false, 1, "unknown");
    refused(edit(SVM, "probB 0.1\n", ""), S, false, 8, "expected \"probB\"");
    refused(edit(SVM, "label 0 2", "label 0 7"), S, false, 6, "label");
    refused(edit(SVM, "SV\n", "SV x\n"), S, false, 10, "extra text");
    refused(edit(SVR, "gamma 0.5", "gamma -1"), S, true, 3, "gamma");
    refused(edit(SVR, "gamma 0.5\n", ""), S, true, 3, "expected \"gamma\"");
}

static void test_invalid_args(void **state)
{
    (void)state;
    dm_error err;
    assert_int_equal(dm_model_text_validate_internal(NULL, "x", 1, DM_BACKEND_LIBSVM,
                                                     DM_TASK_HOSTILITY, false, DIM, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_model_text_validate_internal("m", NULL, 1, DM_BACKEND_LIBSVM,
                                                     DM_TASK_HOSTILITY, false, DIM, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_model_text_validate_internal("m", "x", 1, DM_BACKEND_LIBSVM,
                                                     DM_TASK_HOSTILITY, false, -1, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_folded_create(NULL, 0, NULL, &err), DM_E_INVALID_ARG);
}

/* The validated bytes load, and the loaded model predicts. */
static void test_load_text(void **state)
{
    (void)state;
    const char *texts[] = {LIN, SVM, SVR, LIN_SVR};
    dm_backend backends[] = {DM_BACKEND_LIBLINEAR, DM_BACKEND_LIBSVM, DM_BACKEND_LIBSVM,
                             DM_BACKEND_LIBLINEAR};
    bool svr[] = {false, false, true, true};
    for (int i = 0; i < 4; i++) {
        dm_submodel *sm = NULL;
        dm_error err;
        if (dm_submodel_load_text_internal("m.model", texts[i], strlen(texts[i]), backends[i],
                                           DM_TASK_HOSTILITY, svr[i], DIM, &sm, &err) != DM_OK)
            fail_msg("model %d: %s", i, err.message);
        dm_node x[] = {{1, 1.0}, {7, 1.0}, {-1, 0}, {-1, 0}};
        int label;
        double p[DM_HOSTILITY_LEVELS], value;
        assert_int_equal(dm_submodel_predict(sm, x, DM_HOSTILITY_LEVELS, &label, p, &value, &err),
                         DM_OK);
        assert_true(label >= 0 && label < DM_HOSTILITY_LEVELS);
        dm_submodel_destroy(&sm);
        assert_null(sm);
    }
    dm_submodel *sm = NULL;
    dm_error err;
    const char *bad = edit(SVM, "0.25 2:1", "0.25 -2:1");
    assert_int_equal(dm_submodel_load_text_internal("m.model", bad, strlen(bad), DM_BACKEND_LIBSVM,
                                                    DM_TASK_HOSTILITY, false, DIM, &sm, &err),
                     DM_E_FORMAT);
    assert_null(sm);
}

/* The fold checks an svm_model by itself (models not from the validator). */
static void test_folded_checks(void **state)
{
    (void)state;
    struct svm_node sv0[] = {{1, 0.5}, {3, 1.0}, {-1, 0}}, sv1[] = {{2, 1.0}, {-1, 0}};
    struct svm_node *svs[] = {sv0, sv1};
    double coef[] = {0.5, -0.5}, *coefs[] = {coef}, rho[] = {0.1};
    int labels[] = {0, 1}, nsv[] = {1, 1};
    struct svm_model m = {0};
    m.param.svm_type = C_SVC;
    m.param.kernel_type = LINEAR;
    m.nr_class = 2;
    m.l = 2;
    m.SV = svs;
    m.sv_coef = coefs;
    m.rho = rho;
    m.label = labels;
    m.nSV = nsv;
    dm_folded *f = NULL;
    dm_error err;
    assert_int_equal(dm_folded_create(&m, 0, &f, &err), DM_OK);
    assert_int_equal(f->dim, 3);
    dm_folded_destroy(&f);
    assert_null(f);
    nsv[0] = 5; /* nr_sv disagrees with l */
    assert_int_equal(dm_folded_create(&m, 0, &f, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "nr_sv"));
    nsv[0] = -1;
    nsv[1] = 3;
    assert_int_equal(dm_folded_create(&m, 0, &f, &err), DM_E_FORMAT);
    nsv[0] = nsv[1] = 1;
    sv1[0].index = -7; /* a negative index */
    assert_int_equal(dm_folded_create(&m, 0, &f, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "-7"));
    sv1[0].index = 0;
    assert_int_equal(dm_folded_create(&m, 0, &f, &err), DM_E_FORMAT);
    sv1[0].index = 2;
    m.nr_class = 1;
    assert_int_equal(dm_folded_create(&m, 0, &f, &err), DM_E_FORMAT);
    m.nr_class = 2;
    m.l = -1;
    assert_int_equal(dm_folded_create(&m, 0, &f, &err), DM_E_FORMAT);
    m.l = 2;
    assert_int_equal(dm_folded_create(&m, -1, &f, &err), DM_E_INVALID_ARG);
    assert_null(f);
}

/* Special files in a bundle are refused without blocking: a FIFO (open
 * would wait for a writer) and a link to /dev/zero (endless). */
static void test_special_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/dm_test_validate.XXXXXX", path[512], lex[1024];
    assert_non_null(mkdtemp(dir));
    const char *src = getenv("DM_SOURCE_DIR");
    snprintf(lex, sizeof lex, "%s/lexicons", src ? src : DM_SOURCE_DIR);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    dm_model *m = NULL;
    dm_error err;
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(dm_model_load(dir, lex, &m, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "FIFO"));
    assert_null(m);
    unlink(path);
    assert_int_equal(symlink("/dev/zero", path), 0);
    assert_int_equal(dm_model_load(dir, lex, &m, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "not a regular file"));
    unlink(path);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(dm_model_load(dir, lex, &m, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "directory"));
    rmdir(path);
    assert_int_equal(dm_model_load(dir, lex, &m, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "missing manifest.json"));
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_models_pass),
        cmocka_unit_test(test_liblinear_refusals),
        cmocka_unit_test(test_libsvm_refusals),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_load_text),
        cmocka_unit_test(test_folded_checks),
        cmocka_unit_test(test_special_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
