/* Named people of a document (see persons_internal.h). */
#include "statements/persons_internal.h"

#include <stdlib.h>
#include <string.h>

static size_t count_words(const dm_attr_ctx *c, dm_span sp, size_t *first)
{
    size_t a = dm_units_at(c->units, sp.start), b = dm_units_at(c->units, sp.end);
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += c->units->v[i].word;
    if (first)
        *first = a;
    return n;
}

dm_status dm_persons_scan(const dm_attr_ctx *c, const dm_span *sents,
                          size_t n_sents, dm_persons *out)
{
    if (!c || !out)
        return DM_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    dm_persons all = {0};
    for (size_t i = 0; i < n_sents; i++) {
        dm_status st = dm_attribute_names(c, sents[i].start, sents[i].end,
                                          &all.v, &all.n, &all.cap);
        if (st != DM_OK) {
            free(all.v);
            return st;
        }
    }
    /* keep full names only */
    size_t k = 0;
    for (size_t i = 0; i < all.n; i++)
        if (count_words(c, all.v[i].speaker, NULL) >= 2)
            all.v[k++] = all.v[i];
    all.n = k;
    *out = all;
    return DM_OK;
}

void dm_persons_free(dm_persons *ps)
{
    if (!ps)
        return;
    free(ps->v);
    memset(ps, 0, sizeof *ps);
}

static bool same_unit(const dm_attr_ctx *c, size_t x, size_t y)
{
    const dm_unit *a = &c->units->v[x], *b = &c->units->v[y];
    return a->end - a->start == b->end - b->start &&
           memcmp(c->s + a->start, c->s + b->start, a->end - a->start) == 0;
}

/* Does the full name `full` cover the short name `name`? */
static bool covers(const dm_attr_ctx *c, dm_span full, dm_span name)
{
    size_t fa, na;
    size_t fn = count_words(c, full, &fa), nn = count_words(c, name, &na);
    if (nn == 0 || nn >= fn)
        return false;
    size_t fb = dm_units_at(c->units, full.end);
    if (nn == 1) {
        for (size_t i = fa; i < fb; i++)
            if (c->units->v[i].word && c->units->v[i].cap && same_unit(c, i, na))
                return true;
        return false;
    }
    /* the last nn units of full equal those of name */
    size_t nb = dm_units_at(c->units, name.end);
    if (nb - na > fb - fa)
        return false;
    for (size_t i = 0; i < nb - na; i++)
        if (!same_unit(c, fb - (nb - na) + i, na + i))
            return false;
    return true;
}

const dm_attribution *dm_persons_expand(const dm_attr_ctx *c,
                                        const dm_persons *ps, dm_span name,
                                        size_t pos)
{
    if (!c || !ps)
        return NULL;
    const dm_attribution *before = NULL, *after = NULL;
    for (size_t i = 0; i < ps->n; i++) {
        if (ps->v[i].group || !covers(c, ps->v[i].speaker, name))
            continue;
        if (ps->v[i].speaker.start <= pos)
            before = &ps->v[i];
        else if (!after)
            after = &ps->v[i];
    }
    return before ? before : after;
}
