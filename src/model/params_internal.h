/* The parameter table's internal readers and writers (params.c). */
#ifndef DM_PARAMS_INTERNAL_H
#define DM_PARAMS_INTERNAL_H

#include "demarche/model.h"

#include <jansson.h>

/* Set the table's defaults in `p` (training settings) and/or `fs` (feature
 * settings); either may be NULL. */
void dm_params_defaults_internal(dm_model_train_params *p, dm_feature_settings *fs);
/* Check every table setting of `p` and/or `fs` against its range (and the
 * character n-gram pair): DM_E_INVALID_ARG naming the setting. */
dm_status dm_params_check_internal(const dm_model_train_params *p,
                                   const dm_feature_settings *fs, dm_error *err);
/* The manifest's "features" object: every feature setting under its key. */
void dm_params_write_features_internal(json_t *obj, const dm_feature_settings *fs);
/* Read it back, typed and range-checked (DM_E_FORMAT naming `path`). */
dm_status dm_params_read_features_internal(json_t *obj, const char *path,
                                           dm_feature_settings *fs, dm_error *err);

/* The name of a choice setting's value (key "solver", value
 * DM_SOLVER_LIBSVM: "libsvm"), or NULL; and the value of a name, or -1:
 * how the manifest writer and the loader spell the choices. */
const char *dm_params_choice_name_internal(const char *key, int value);
int dm_params_choice_value_internal(const char *key, const char *name);

#endif
