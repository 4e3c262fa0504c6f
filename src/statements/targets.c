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
        if (acc->n == acc->cap && !acc->v) {
            acc->v = acc->inl;
            acc->cap = DM_TARGET_ACC_INLINE;
        } else if (acc->n == acc->cap) {
            size_t nc = acc->cap * 2;
            bool inl = acc->v == acc->inl;
            dm_target_found *v = inl ? malloc(nc * sizeof *v) : realloc(acc->v, nc * sizeof *v);
            if (!v) {
                free(m);
                return DM_E_NOMEM;
            }
            if (inl)
                memcpy(v, acc->inl, acc->n * sizeof *v);
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

void dm_targets_release(dm_target_acc *acc)
{
    if (acc->v != acc->inl)
        free(acc->v);
    acc->v = NULL;
    acc->n = acc->cap = 0;
}

dm_status dm_targets_commit(const dm_text *text, dm_target_acc *acc,
                            dm_statement *st)
{
    if (acc->n > 1)
        qsort(acc->v, acc->n, sizeof *acc->v, found_cmp);
    /* The first mention of each actor the statement does not name yet,
     * kept in place at the front; then the room for them all at once. */
    size_t keep = 0;
    for (size_t i = 0; i < acc->n; i++) {
        bool seen = false;
        for (size_t k = 0; k < st->n_targets && !seen; k++)
            seen = strcmp(st->targets[k].actor, acc->v[i].code) == 0;
        for (size_t k = 0; k < keep && !seen; k++)
            seen = strcmp(acc->v[k].code, acc->v[i].code) == 0;
        if (!seen)
            acc->v[keep++] = acc->v[i];
    }
    dm_status status = dm_statement_reserve_targets_internal(st, keep);
    const char *norm = dm_text_norm(text);
    for (size_t i = 0; i < keep && status == DM_OK; i++) {
        size_t a = acc->v[i].start, b = acc->v[i].end;
        status = dm_statement_put_target_internal(st, acc->v[i].code, norm + a, b - a, true,
                                                  dm_text_orig_start(text, a),
                                                  dm_text_orig_end(text, b), a, b);
    }
    dm_targets_release(acc);
    return status;
}
