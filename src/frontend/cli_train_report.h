/* demarche-train's cross-validation report: plain columns or one JSON
 * object. */
#ifndef DM_CLI_TRAIN_REPORT_H
#define DM_CLI_TRAIN_REPORT_H

#include "demarche/model.h"

#include <stdbool.h>
#include <stdio.h>

/* Print the report as text (per task: N, accuracy, macro-F1, MAE and
 * Spearman for hostility, per-class precision/recall/F1, the confusion
 * matrix). folds == 0 (an evaluation, not a cross-validation) omits the
 * fold count and C; seconds <= 0 omits the time. */
void dm_train_report_text(FILE *fp, const dm_cv_report *r, double seconds);
/* Print the report as one JSON object (keys sorted) and a newline.
 * Returns false on failure. */
bool dm_train_report_json(FILE *fp, const dm_cv_report *r, double seconds,
                          const char *solver);

#endif
