/* The evaluation's building blocks (eval.c), for cross-validation and the
 * tests; callers of the library use dm_eval (demarche/eval.h). */
#ifndef DM_EVAL_INTERNAL_H
#define DM_EVAL_INTERNAL_H

#include "demarche/eval.h"

/* Add every prediction of `other` (same n_classes) into `ev`: the folds of
 * a cross-validation into one report. */
dm_status dm_eval_merge(dm_eval *ev, const dm_eval *other, dm_error *err);
/* Mean absolute error of two arrays (0 if n == 0). */
double dm_eval_mae(const double *gold, const double *pred, size_t n);
/* Spearman's rho with average ranks for ties; 0 when undefined (n < 2 or a
 * constant array). */
double dm_eval_spearman(const double *a, const double *b, size_t n);
/* Average ranks (1-based) of n values into ranks[n]. */
dm_status dm_eval_ranks(const double *values, size_t n, double *ranks,
                        dm_error *err);

#endif
