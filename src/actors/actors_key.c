/* dm_target_key: the one rule that names a target given by its words, for
 * the training readers (NewsMTSC, JSON Lines spans without an actor code)
 * and for demarche-score's given targets alike (issue 10, item 3). */
#include "demarche/actors.h"

#include <stdlib.h>
#include <string.h>

dm_status dm_target_key(const dm_actors *actors, const char *utf8, size_t len,
                        size_t start, size_t end, const char *date, char **key,
                        dm_error *err)
{
    if (key)
        *key = NULL;
    if (!utf8 || !key || start > end || end > len)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_target_key: invalid argument");
    *key = NULL;
    const char *code = NULL;
    dm_actor_match *m = NULL;
    size_t n = 0;
    if (actors && end > start) {
        dm_status st = dm_actors_find(actors, utf8 + start, end - start, date, &m, &n, err);
        if (st != DM_OK)
            return st;
        for (size_t i = 0; i < n && !code; i++)
            code = m[i].code;
    }
    *key = code ? strdup(code) : strndup(utf8 + start, end - start);
    free(m);
    if (!*key)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    return DM_OK;
}
