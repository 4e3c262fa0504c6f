/* Targets (see targets_internal.h). One target per actor, at its first
 * mention: the scorer wants one stance per actor and statement. */
#include "statements/targets_internal.h"

#include <stdlib.h>
#include <string.h>

dm_status dm_targets_scan(const dm_actors *actors, const char *date,
                          const char *norm, dm_span span,
                          const dm_span *excl, size_t n_excl,
                          dm_target_acc *acc, dm_error *err)
{
    if (!actors || span.end <= span.start)
        return DM_OK;
    dm_actor_match *m = NULL;
    size_t n = 0;
    dm_status st = dm_actors_find(actors, norm + span.start,
                                  span.end - span.start, date, &m, &n, err);
    if (st != DM_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        size_t a = span.start + m[i].start, b = span.start + m[i].end;
        bool skip = false;
        for (size_t k = 0; k < n_excl && !skip; k++)
            skip = a < excl[k].end && excl[k].start < b;
        if (skip || !m[i].code)
            continue;
        if (acc->n == acc->cap) {
            size_t nc = acc->cap ? acc->cap * 2 : 16;
            dm_target_found *v = realloc(acc->v, nc * sizeof *v);
            if (!v) {
                free(m);
                return DM_E_NOMEM;
            }
            acc->v = v;
            acc->cap = nc;
        }
        acc->v[acc->n++] = (dm_target_found){a, b, m[i].code};
    }
    free(m);
    return DM_OK;
}

static int found_cmp(const void *x, const void *y)
{
    const dm_target_found *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

dm_status dm_targets_commit(const dm_text *text, dm_target_acc *acc,
                            dm_statement *st)
{
    dm_status status = DM_OK;
    if (acc->n)
        qsort(acc->v, acc->n, sizeof *acc->v, found_cmp);
    const char *norm = dm_text_norm(text);
    for (size_t i = 0; i < acc->n && status == DM_OK; i++) {
        bool seen = false;
        for (size_t k = 0; k < st->n_targets && !seen; k++)
            seen = strcmp(st->targets[k].actor, acc->v[i].code) == 0;
        if (seen)
            continue;
        size_t a = acc->v[i].start, b = acc->v[i].end;
        status = dm_statement_add_target_n_internal(st, acc->v[i].code, norm + a, b - a, true,
                                                    dm_text_orig_start(text, a),
                                                    dm_text_orig_end(text, b), a, b);
    }
    free(acc->v);
    memset(acc, 0, sizeof *acc);
    return status;
}
