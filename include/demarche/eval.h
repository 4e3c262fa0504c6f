/*
 * Evaluation metrics for the classifiers: a confusion matrix with accuracy,
 * per-class precision / recall / F1 and macro-F1; for ordinal labels
 * (hostility 0..4) also the mean absolute error of the predicted level and
 * Spearman's rank correlation (ties get average ranks) between the gold
 * level and the predicted score.
 *
 * Usage: dm_eval_init, dm_eval_add for every prediction, dm_eval_finish,
 * read the fields, dm_eval_free.
 *
 * Ownership: see core.h. A dm_eval owns its arrays; `labels` is borrowed.
 */
#ifndef DEMARCHE_EVAL_H
#define DEMARCHE_EVAL_H

#include "demarche/core.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

#define DM_EVAL_BINS 10

typedef struct dm_eval {
    int n_classes;
    const char *const *labels;  /* n_classes names (borrowed), or NULL */
    bool ordinal;               /* compute MAE and Spearman too */
    long n;                     /* number of predictions added */
    long *confusion;            /* [gold * n_classes + predicted] */
    /* Filled by dm_eval_finish: */
    double accuracy;
    double macro_f1;            /* mean F1 over classes with gold support or predictions */
    double *precision, *recall, *f1; /* per class; 0 when undefined */
    long *support;              /* gold count per class */
    double mae;                 /* ordinal: mean |gold - predicted level| */
    double spearman;            /* ordinal: rank correlation gold vs predicted value; 0 if undefined */
    /* Groups of predictions (the targets of one statement), counted by
     * dm_eval_add_group: groups whose gold labels differ, and how many of
     * them were given one predicted label for all (a model that cannot tell
     * the targets of one sentence apart); and the other side of that figure,
     * groups of two or more whose gold labels are all one, and how many of
     * them were given differing labels (a decoder that splits targets the
     * text treats alike). */
    long groups_mixed_gold, groups_mixed_one_label;
    long groups_same_gold, groups_same_split;
    /* Reliability (dm_eval_add_confidence): predictions binned by the
     * probability given to the predicted class, [0.0, 0.1) ... [0.9, 1.0];
     * per bin the count, mean probability and share correct; ece is the
     * expected calibration error (count-weighted |accuracy - probability|).
     * reliability_n == 0 everywhere: no probabilities were added. */
    long reliability_n[DM_EVAL_BINS];
    double reliability_confidence[DM_EVAL_BINS], reliability_accuracy[DM_EVAL_BINS];
    long reliability_correct_[DM_EVAL_BINS];
    double reliability_sum_[DM_EVAL_BINS];
    double ece;
    /* Private storage of ordinal values. */
    double *gold_values_, *pred_values_;
    size_t n_values_, cap_values_;
} dm_eval;

/* Prepare an evaluation for labels 0..n_classes-1 (n_classes >= 1). */
dm_status dm_eval_init(dm_eval *ev, int n_classes, const char *const *labels,
                       bool ordinal, dm_error *err);
/* Record one prediction. `pred_value` is the continuous prediction used by
 * Spearman for ordinal evaluations (e.g. expected level); ignored otherwise. */
dm_status dm_eval_add(dm_eval *ev, int gold, int predicted, double pred_value,
                      dm_error *err);
/* Count one group of n predictions (their gold and predicted labels) for
 * groups_mixed_gold / groups_mixed_one_label and groups_same_gold /
 * groups_same_split. Call it besides dm_eval_add,
 * which counts the predictions themselves. */
dm_status dm_eval_add_group(dm_eval *ev, const int *gold, const int *predicted,
                            size_t n, dm_error *err);
/* Record the probability a model gave its predicted class, and whether the
 * prediction was right, for the reliability table. */
dm_status dm_eval_add_confidence(dm_eval *ev, double probability, bool correct,
                                 dm_error *err);
/* Compute the derived figures. May be called again after more adds. */
dm_status dm_eval_finish(dm_eval *ev, dm_error *err);
void dm_eval_free(dm_eval *ev);

/* The evaluation as a JSON object (keys sorted, fixed precision): n,
 * accuracy, macro_f1, classes[{label, precision, recall, f1, support}],
 * confusion [[...]], mae/spearman when ordinal, and multi_target
 * {statements, one_label, share, same_gold, same_gold_split} when groups
 * of two or more were added,
 * and reliability [{from, to, n, confidence, accuracy}] with ece when
 * confidences were added. *json is malloc'ed;
 * free() it. */
dm_status dm_eval_to_json(const dm_eval *ev, char **json, dm_error *err);

DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
