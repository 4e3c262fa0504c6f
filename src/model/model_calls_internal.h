/* Calls of the model module that are not public API (tests and the
 * library use them), apart from model_internal.h so that a file can use
 * them without libsvm's and LIBLINEAR's headers (whose names, such as
 * train(), would clash). */
#ifndef DEMARCHE_MODEL_CALLS_INTERNAL_H
#define DEMARCHE_MODEL_CALLS_INTERNAL_H

#include "demarche/model.h"

/* Add a training source (name, licence, counts) to the manifest (the
 * training sources of the dataset are recorded by dm_model_train). */
dm_status dm_model_add_source(dm_model *m, const char *name,
                              const char *licence, long statements,
                              long hostility_labels, long stance_labels,
                              dm_error *err);
/* Hostility of a bare text (no targets): level, expected level in [0,4] and
 * the five class probabilities (p may be NULL; SVR models give one-hot p). */
dm_status dm_model_score_text(const dm_model *m, const char *text, size_t len,
                              int *level, double *expected, double *p,
                              dm_error *err);
/* dm_model_explain_sum's items alone. Free *items with
 * dm_explain_items_free. */
dm_status dm_model_explain(const dm_model *m, const dm_statement *st,
                           int target_index, size_t top_k,
                           dm_explain_item **items, size_t *n, dm_error *err);
void dm_explain_items_free(dm_explain_item **items, size_t n);
/* dm_model_score_statement_after and dm_model_explain through a scorer's
 * featurizer. */
dm_status dm_scorer_score_statement_after(dm_scorer *sc, dm_statement *st,
                                          const char *previous, dm_error *err);
dm_status dm_scorer_explain(dm_scorer *sc, const dm_statement *st, int target_index,
                            size_t top_k, dm_explain_item **items, size_t *n,
                            dm_error *err);

#endif
