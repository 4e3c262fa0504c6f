/* The statement-text features of the last featurisation, kept for the next
 * call on the same input. Scoring featurises a statement once for hostility
 * and once per target for stance, and everything text_features computes
 * (n-grams, lexicon hits, clauses, valence, the masked view, implicit
 * criticism) depends on the input only, never on the target: the stance
 * calls copy it back instead of computing it again.
 *
 * Exactness: the key is every byte of the input that any feature reads, and
 * the saved state is the vector entries text_features appended and every
 * scratch array it writes that later stages read (token placeholders,
 * ttoks, hits, clause numbers, valence). A stage added to text_features that
 * writes another scratch array read by the target, cue, context or previous
 * stages must be saved here too; tests/unit/test_features_target.c compares
 * featurisations through the memo with a fresh featurizer's. With explain on
 * nothing is kept (the bucket names are written while computing).
 *
 * Two index spaces (stance_hash_bits): the saved vector is in the space of
 * the task that computed it; the other task's call folds the saved raw
 * n-gram families (hashed into the larger space) into its own and moves the
 * named entries (test_stance_hash_bits checks it against fresh featurizers
 * at each size). */
#include "features/features_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The key of an input is written once, when its features are saved, and
 * read in place by every lookup (most lookups differ in the first bytes:
 * another text): no copy of the text at every call. One walk over the
 * input's fields does both, so that they cannot disagree: `compare`
 * off, it appends each field's bytes to m->key (`failed` when it cannot
 * grow); on, it compares them with m->key from `at` on (`failed` at the
 * first difference, and then reads no further). */
typedef struct key_walk {
    dm_text_memo *m;
    bool compare, failed;
    size_t at;
} key_walk;

/* False once the walk failed: the caller stops there. Inline: most fields
 * are a few bytes, compared without a call. */
static inline bool put(key_walk *w, const void *p, size_t n)
{
    dm_text_memo *m = w->m;
    if (w->compare) {
        /* n = 0: p may be NULL, which memcmp must not see */
        if (m->nkey - w->at < n || (n > 0 && memcmp(m->key + w->at, p, n) != 0))
            w->failed = true;
        else
            w->at += n;
        return !w->failed;
    }
    if (dm_fz_grow((void **)&m->key, &m->capkey, m->nkey + n, 1) != DM_OK) {
        w->failed = true;
        return false;
    }
    if (n > 0) /* p may be NULL for nothing: memcpy must not see it */
        memcpy(m->key + m->nkey, p, n);
    m->nkey += n;
    return true;
}

static inline bool put_str(key_walk *w, const char *s)
{
    /* NULL and "" differ: a marker byte, then the string and its NUL. */
    char present = s != NULL;
    return put(w, &present, 1) && (!s || put(w, s, strlen(s) + 1));
}

/* The key of `in`: every byte of the input that any feature reads. */
static void walk_key(key_walk *w, const dm_feature_input *in)
{
    if (!put(w, &in->len, sizeof in->len) || !put(w, in->text, in->len) ||
        !put(w, &in->n_mentions, sizeof in->n_mentions))
        return;
    for (size_t i = 0; i < in->n_mentions; i++) {
        const dm_feature_target *t = &in->mentions[i];
        if (!put_str(w, t->actor) || !put(w, &t->has_span, sizeof t->has_span) ||
            !put(w, &t->start, sizeof t->start) || !put(w, &t->end, sizeof t->end))
            return;
    }
    (void)(put_str(w, in->speaker_actor) && put_str(w, in->cue) && put_str(w, in->context) &&
           put_str(w, in->previous));
}

bool dm_fz_memo_lookup(dm_featurizer *fz, const dm_feature_input *in)
{
    dm_text_memo *m = &fz->sc.memo;
    if (fz->explain)
        m->valid = false;
    if (!m->valid)
        return false;
    key_walk w = {.m = m, .compare = true};
    walk_key(&w, in);
    return !w.failed && w.at == m->nkey;
}

/* memcpy, but for n = 0 with NULL pointers (empty vectors have none),
 * which memcpy may not be given. */
static void copy_some(void *dst, const void *src, size_t n)
{
    if (n > 0)
        memcpy(dst, src, n);
}

#define COPY(dst, cap, src, n)                                                \
    (dm_fz_grow((void **)&(dst), &(cap), (n) + 1, sizeof *(dst)) == DM_OK    \
         ? (copy_some((dst), (src), (n) * sizeof *(dst)), DM_OK)              \
         : DM_E_NOMEM)

void dm_fz_memo_save(dm_featurizer *fz, const dm_feature_input *in, const dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    dm_text_memo *m = &sc->memo;
    m->valid = false;
    m->folded_valid = false;
    if (fz->explain)
        return;
    key_walk w = {.m = m, .compare = false};
    m->nkey = 0;
    walk_key(&w, in);
    if (w.failed ||
        dm_fz_grow((void **)&m->placeholder, &m->capph, sc->ntoks + 1, 1) != DM_OK)
        return;
    for (size_t i = 0; i < sc->ntoks; i++)
        m->placeholder[i] = sc->toks[i].placeholder;
    if (COPY(m->out, m->capout, out->v, out->n) != DM_OK ||
        COPY(m->ttoks, m->capttoks, sc->ttoks, sc->nttoks) != DM_OK ||
        COPY(m->hits, m->caphits, sc->hits, sc->nhits) != DM_OK ||
        COPY(m->clause_of, m->capclause, sc->clause_of, sc->ntoks + 1) != DM_OK ||
        COPY(m->valence, m->capvalence, sc->valence, sc->ntoks + 1) != DM_OK)
        return;
    m->nout = out->n;
    m->mask = fz->mask;
    m->named_base = fz->named_base;
    m->ntoks = sc->ntoks;
    m->nttoks = sc->nttoks;
    m->nhits = sc->nhits;
    m->entry = sc->entry;
    m->generation = sc->cache[sc->entry].generation;
    m->valid = true;
}

dm_status dm_fz_memo_restore(dm_featurizer *fz, dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    dm_text_memo *m = &sc->memo;
    /* sc.toks were just copied from the token cache: the same tokens as
     * when saved, unless the cache entry was tokenised again since (then
     * ttoks' strings would point into freed tokens). */
    if (!m->valid || m->entry != sc->entry ||
        m->generation != sc->cache[sc->entry].generation || m->ntoks != sc->ntoks)
        return DM_E_INTERNAL;
    if (m->mask != fz->mask && !m->folds)
        return DM_E_INTERNAL;
    for (size_t i = 0; i < sc->ntoks; i++)
        sc->toks[i].placeholder = m->placeholder[i];
    if (m->mask != fz->mask && m->folded_valid && m->folded_mask == fz->mask &&
        m->folded_named_base == fz->named_base) {
        /* Folded for an earlier target of this input: the same entries. */
        if (COPY(out->v, out->cap, m->folded, m->nfolded) != DM_OK)
            return DM_E_NOMEM;
        out->n = m->nfolded;
    } else if (m->mask != fz->mask) {
        /* Saved by the other task: fold its n-grams into this space. */
        out->n = 0;
        const dm_feature_settings *s = &fz->settings;
        double scale = s->char_ngram_min > 0 ? sqrt(0.5) : 1.0;
        size_t bounds[3] = {0, m->nraw_w, m->nraw};
        for (int k = 0; k < 2; k++) {
            size_t n = bounds[k + 1] - bounds[k];
            if (n == 0)
                continue;
            if (dm_fz_grow((void **)&sc->fam, &sc->capfam, n, sizeof *sc->fam) != DM_OK)
                return DM_E_NOMEM;
            bool ones = true; /* every n-gram pushed as 1 (they all are) */
            for (size_t i = 0; i < n; i++) {
                sc->fam[i] = m->raw[bounds[k] + i];
                sc->fam[i].index &= fz->mask;
                ones &= sc->fam[i].value == 1.0f;
            }
            /* Merged here as the flush would (dm_fz_family_flush merges
             * again: a merged family is its own merge). Values all 1 add
             * up to whole counts whatever the order, so when this space
             * merges to as many entries as the saved task's did, its
             * entries are those, in the same order (the first occurrences)
             * with the same counts: the same log tf and norm, so the same
             * values, to the bit, under this space's indices. */
            /* This space's buckets split the saved one's (its mask has
             * every bit of that mask), and the saved family merged to as
             * many entries as it had (no two in one bucket there): no two
             * share a bucket here either, and the merge would leave the
             * family as it is. Else merged. */
            size_t w = n;
            if ((fz->mask & m->mask) != m->mask || m->fam_n[k] != n) {
                w = dm_fz_merge_family(sc->fam, n, &sc->table, &sc->captable);
                m->fold_merges++;
            }
            if (w == (size_t)-1)
                return DM_E_NOMEM;
            if (ones && w > 0 && w == m->fam_n[k]) {
                if (dm_fz_grow((void **)&out->v, &out->cap, out->n + w, sizeof *out->v) != DM_OK)
                    return DM_E_NOMEM;
                const dm_feature *saved = m->out + m->fam_at[k];
                dm_feature *o = out->v + out->n;
                for (size_t i = 0; i < w; i++) {
                    o[i].index = (int)sc->fam[i].index + 1;
                    o[i].value = saved[i].value;
                }
                out->n += w;
                sc->nfam = 0;
                continue;
            }
            sc->nfam = w;
            if (dm_fz_family_flush(fz, out, scale) != DM_OK)
                return DM_E_NOMEM;
        }
        /* the named entries: after the families, which lie first in
         * `out` in their order (text_features) and are none of them */
        size_t from = 0;
        for (int k = 0; k < 2; k++)
            if (m->fam_at[k] == from)
                from += m->fam_n[k];
        for (size_t i = from; i < m->nout; i++)
            if (m->out[i].index >= m->named_base &&
                dm_fvec_push(out, m->out[i].index - m->named_base + fz->named_base,
                             m->out[i].value) != DM_OK)
                return DM_E_NOMEM;
        m->folded_valid = COPY(m->folded, m->capfolded, out->v, out->n) == DM_OK;
        m->nfolded = out->n;
        m->folded_mask = fz->mask;
        m->folded_named_base = fz->named_base;
    } else {
        if (COPY(out->v, out->cap, m->out, m->nout) != DM_OK)
            return DM_E_NOMEM;
        out->n = m->nout;
    }
    if (COPY(sc->ttoks, sc->capttoks, m->ttoks, m->nttoks) != DM_OK ||
        COPY(sc->hits, sc->caphits, m->hits, m->nhits) != DM_OK ||
        COPY(sc->clause_of, sc->capclause, m->clause_of, m->ntoks + 1) != DM_OK ||
        COPY(sc->valence, sc->capvalence, m->valence, m->ntoks + 1) != DM_OK)
        return DM_E_NOMEM;
    sc->nttoks = m->nttoks;
    sc->nhits = m->nhits;
    return DM_OK;
}

dm_status dm_fz_memo_keep_raw(dm_featurizer *fz)
{
    dm_scratch *sc = &fz->sc;
    dm_text_memo *m = &sc->memo;
    if (dm_fz_grow((void **)&m->raw, &m->capraw, m->nraw + sc->nfam + 1, sizeof *m->raw) != DM_OK)
        return DM_E_NOMEM;
    copy_some(m->raw + m->nraw, sc->fam, sc->nfam * sizeof *sc->fam);
    m->nraw += sc->nfam;
    for (size_t i = 0; i < sc->nfam; i++)
        sc->fam[i].index &= fz->mask;
    return DM_OK;
}

void dm_fz_memo_free(dm_text_memo *m)
{
    free(m->raw);
    free(m->key);
    free(m->placeholder);
    free(m->out);
    free(m->ttoks);
    free(m->hits);
    free(m->clause_of);
    free(m->valence);
    free(m->folded);
    memset(m, 0, sizeof *m);
}
