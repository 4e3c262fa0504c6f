/* demarche-train's cross-validation report: plain columns or one JSON
 * object. */
#ifndef DM_CLI_TRAIN_REPORT_H
#define DM_CLI_TRAIN_REPORT_H

#include "demarche/model.h"

#include <stdbool.h>
#include <stdio.h>

/* How the folds of a cross-validation were made, for its heading. */
typedef enum {
    DM_TRAIN_CV_STATEMENTS,         /* statements dealt into k folds */
    DM_TRAIN_CV_LEAVE_GROUP_OUT,    /* --cv-by-group without -v: one fold a group */
    DM_TRAIN_CV_GROUP_FOLDS,        /* --cv-by-group -v K: groups dealt into K folds */
    DM_TRAIN_CV_NESTED              /* --grid --nested: the outer folds */
} dm_train_cv_kind;
/* Print the report as text (per task: N, accuracy, macro-F1, MAE and
 * Spearman for hostility, per-class precision/recall/F1, the confusion
 * matrix). folds == 0 (an evaluation, not a cross-validation) omits the
 * fold count and C; seconds <= 0 omits the time. */
void dm_train_report_text(FILE *fp, const dm_cv_report *r, double seconds,
                          dm_train_cv_kind kind);
/* Print the report as one JSON object (keys sorted) and a newline.
 * Returns false on failure. */
bool dm_train_report_json(FILE *fp, const dm_cv_report *r, double seconds,
                          const char *solver);

#endif
