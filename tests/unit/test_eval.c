/* Tests of the metrics against hand-computed answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/eval.h"
#include "model/eval_internal.h"

static const char *const NAMES[3] = {"a", "b", "c"};

/* gold 0 0 1 1 2, predicted 0 1 1 1 0:
 * confusion [[1,1,0],[0,2,0],[1,0,0]]; accuracy 3/5;
 * P = (1/2, 2/3, 0), R = (1/2, 1, 0), F1 = (0.5, 0.8, 0); macro-F1 1.3/3;
 * MAE (0+1+0+0+2)/5 = 0.6;
 * Spearman: gold ranks (1.5,1.5,3.5,3.5,5), predicted ranks (1.5,4,4,4,1.5),
 * covariance sum -1.25, variance sums 9 and 7.5: rho = -1.25/sqrt(67.5). */
static void fill(dm_eval *ev, bool ordinal)
{
    int gold[] = {0, 0, 1, 1, 2}, pred[] = {0, 1, 1, 1, 0};
    assert_int_equal(dm_eval_init(ev, 3, NAMES, ordinal, NULL), DM_OK);
    for (int i = 0; i < 5; i++)
        assert_int_equal(dm_eval_add(ev, gold[i], pred[i], pred[i], NULL), DM_OK);
    assert_int_equal(dm_eval_finish(ev, NULL), DM_OK);
}

static void test_classification(void **state)
{
    (void)state;
    dm_eval ev;
    fill(&ev, false);
    assert_int_equal(ev.n, 5);
    assert_int_equal(ev.confusion[0 * 3 + 0], 1);
    assert_int_equal(ev.confusion[0 * 3 + 1], 1);
    assert_int_equal(ev.confusion[1 * 3 + 1], 2);
    assert_int_equal(ev.confusion[2 * 3 + 0], 1);
    assert_float_equal(ev.accuracy, 0.6, 1e-12);
    assert_float_equal(ev.precision[0], 0.5, 1e-12);
    assert_float_equal(ev.precision[1], 2.0 / 3.0, 1e-12);
    assert_float_equal(ev.precision[2], 0.0, 1e-12);
    assert_float_equal(ev.recall[0], 0.5, 1e-12);
    assert_float_equal(ev.recall[1], 1.0, 1e-12);
    assert_float_equal(ev.f1[1], 0.8, 1e-12);
    assert_float_equal(ev.macro_f1, 1.3 / 3.0, 1e-12);
    assert_int_equal(ev.support[0], 2);
    assert_int_equal(ev.support[2], 1);
    dm_eval_free(&ev);
    assert_null(ev.confusion);
}

static void test_ordinal(void **state)
{
    (void)state;
    dm_eval ev;
    fill(&ev, true);
    assert_float_equal(ev.mae, 0.6, 1e-12);
    assert_float_equal(ev.spearman, -1.25 / sqrt(67.5), 1e-12);
    char *json = NULL;
    assert_int_equal(dm_eval_to_json(&ev, &json, NULL), DM_OK);
    assert_non_null(strstr(json, "\"accuracy\":0.6"));
    assert_non_null(strstr(json, "\"confusion\":[[1,1,0],[0,2,0],[1,0,0]]"));
    assert_non_null(strstr(json, "\"mae\":0.6"));
    assert_non_null(strstr(json, "\"label\":\"b\""));
    free(json);
    /* Merging doubles every count but no ratio. */
    dm_eval other;
    fill(&other, true);
    assert_int_equal(dm_eval_merge(&ev, &other, NULL), DM_OK);
    assert_int_equal(dm_eval_finish(&ev, NULL), DM_OK);
    assert_int_equal(ev.n, 10);
    assert_float_equal(ev.accuracy, 0.6, 1e-12);
    assert_float_equal(ev.mae, 0.6, 1e-12);
    dm_eval_free(&other);
    dm_eval_free(&ev);
}

static void test_ranks_and_spearman(void **state)
{
    (void)state;
    double v[] = {10, 20, 20, 5}, r[4];
    assert_int_equal(dm_eval_ranks(v, 4, r, NULL), DM_OK);
    assert_float_equal(r[0], 2.0, 1e-12);
    assert_float_equal(r[1], 3.5, 1e-12);
    assert_float_equal(r[2], 3.5, 1e-12);
    assert_float_equal(r[3], 1.0, 1e-12);
    double a[] = {1, 2, 3, 4}, b[] = {10, 20, 30, 40}, c[] = {4, 3, 2, 1}, k[] = {7, 7, 7, 7};
    assert_float_equal(dm_eval_spearman(a, b, 4), 1.0, 1e-12);
    assert_float_equal(dm_eval_spearman(a, c, 4), -1.0, 1e-12);
    assert_float_equal(dm_eval_spearman(a, k, 4), 0.0, 1e-12); /* undefined */
    assert_float_equal(dm_eval_spearman(a, b, 1), 0.0, 1e-12);
    assert_float_equal(dm_eval_mae(a, c, 4), (3 + 1 + 1 + 3) / 4.0, 1e-12);
    assert_float_equal(dm_eval_mae(a, c, 0), 0.0, 1e-12);
}

/* Groups of targets of one statement: mixed gold given one label, and the
 * other side, one gold label given differing labels; a group of one counts
 * for neither. */
static void test_groups(void **state)
{
    (void)state;
    dm_eval ev, more;
    dm_error err;
    assert_int_equal(dm_eval_init(&ev, 3, NAMES, false, &err), DM_OK);
    int mixed_gold[] = {0, 1}, one_pred[] = {2, 2}, split_pred[] = {0, 1};
    int same_gold[] = {1, 1, 1}, same_pred[] = {1, 1, 1}, same_split[] = {1, 0, 1};
    assert_int_equal(dm_eval_add_group(&ev, mixed_gold, one_pred, 2, &err), DM_OK);
    assert_int_equal(dm_eval_add_group(&ev, mixed_gold, split_pred, 2, &err), DM_OK);
    assert_int_equal(dm_eval_add_group(&ev, same_gold, same_pred, 3, &err), DM_OK);
    assert_int_equal(dm_eval_add_group(&ev, same_gold, same_split, 3, &err), DM_OK);
    assert_int_equal(dm_eval_add_group(&ev, same_gold, same_split, 1, &err), DM_OK);
    assert_int_equal(dm_eval_add_group(&ev, NULL, NULL, 0, &err), DM_OK);
    assert_int_equal(dm_eval_add_group(&ev, NULL, same_pred, 2, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_eval_add_group(NULL, same_gold, same_pred, 2, &err), DM_E_INVALID_ARG);
    assert_int_equal(ev.groups_mixed_gold, 2);
    assert_int_equal(ev.groups_mixed_one_label, 1);
    assert_int_equal(ev.groups_same_gold, 2);
    assert_int_equal(ev.groups_same_split, 1);

    /* Merged counts add up (the folds of a cross-validation). */
    assert_int_equal(dm_eval_init(&more, 3, NAMES, false, &err), DM_OK);
    assert_int_equal(dm_eval_add_group(&more, same_gold, same_split, 2, &err), DM_OK);
    assert_int_equal(dm_eval_merge(&ev, &more, &err), DM_OK);
    assert_int_equal(ev.groups_same_gold, 3);
    assert_int_equal(ev.groups_same_split, 2);
    assert_int_equal(dm_eval_finish(&ev, &err), DM_OK);
    char *json = NULL;
    assert_int_equal(dm_eval_to_json(&ev, &json, &err), DM_OK);
    assert_non_null(strstr(json, "\"multi_target\":{\"one_label\":1,\"same_gold\":3,"
                                 "\"same_gold_split\":2,\"share\":0.5,\"statements\":2}"));
    free(json);
    dm_eval_free(&more);
    dm_eval_free(&ev);
}

static void test_invalid_args(void **state)
{
    (void)state;
    dm_eval ev;
    dm_error err;
    assert_int_equal(dm_eval_init(NULL, 3, NULL, false, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_eval_init(&ev, 0, NULL, false, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_eval_init(&ev, 2, NULL, false, &err), DM_OK);
    assert_int_equal(dm_eval_add(&ev, 2, 0, 0, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_eval_add(&ev, 0, -1, 0, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_eval_add(NULL, 0, 0, 0, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_eval_finish(NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_eval_to_json(&ev, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_eval_ranks(NULL, 2, NULL, &err), DM_E_INVALID_ARG);
    /* An empty evaluation is all zeros, not NaN. */
    assert_int_equal(dm_eval_finish(&ev, &err), DM_OK);
    assert_float_equal(ev.accuracy, 0.0, 0);
    assert_float_equal(ev.macro_f1, 0.0, 0);
    dm_eval_free(&ev);
    dm_eval_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classification),
        cmocka_unit_test(test_ordinal),
        cmocka_unit_test(test_ranks_and_spearman),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_invalid_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
