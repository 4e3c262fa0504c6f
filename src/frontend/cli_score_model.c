/* demarche-score's glue to the model layer. */
#include "cli_score_output.h"

#include <stdlib.h>

struct dm_score_model {
    int unused;
};

dm_status dm_score_model_load(const char *dir, const char *lexicon_dir,
                              const dm_actors *actors, dm_score_model **out,
                              dm_error *err)
{
    *out = NULL;
    return dm_error_set(err, DM_E_NOT_FOUND, dir, 0,
                        "scoring is not available in this build yet");
}

void dm_score_model_destroy(dm_score_model **m)
{
    if (m && *m) {
        free(*m);
        *m = NULL;
    }
}

dm_status dm_score_model_score(dm_score_model *m, dm_statement_list *list, dm_error *err)
{
    return DM_OK;
}

void dm_score_model_explain(dm_score_model *m, const dm_statement *st, dm_score_printer *p)
{
}

int dm_score_eval(dm_score_model *m, const dm_score_options *opt, dm_cli_log *log)
{
    return DM_EXIT_FAILURE;
}
