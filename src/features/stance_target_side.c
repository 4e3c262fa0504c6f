/* Target features, second stage: the side families (the entry point and
 * the overview of every family are in stance_target.c).
 *
 * "s:<side><clause>:<word>": every word, valence and lexicon hit of the
 * sentence by where it stands from the target (left / right of its nearest
 * mention, in its clause or not), weighted by the distance; and the
 * contrast "d:", the same family of the target minus that of the other
 * actors of the sentence. Apart from the first stage (stance_target_mark.c)
 * because these read the marks it leaves and do not set them, except the
 * contrast, which asks it to mark the tokens again for each other mention
 * and so runs after every other target feature. */
#include "features/stance_target_internal.h"

#include <math.h>
#include <string.h>

/* Where token range [first, last] stands from the target: the nearest
 * target token (by compact position) and the tag "<side><clause>", side L
 * when the range is left of it, clause C when in its clause, else X, as
 * its slot (LC 0, LX 1, RC 2, RX 3; the tags' letters are only
 * written for explain, SIDE_TAGS).
 * `before` / `after`: the last target token before `first` and the first
 * after `last` (-1: none; not both). */
static inline int place(const dm_scratch *sc, size_t first, size_t last, long before,
                        long after, int *gap_out)
{
    bool left = before < 0 ||
                (after >= 0 && sc->cpos[after] - sc->cpos[last] < sc->cpos[first] - sc->cpos[before]);
    long ref = left ? after : before;
    *gap_out = left ? dm_fz_gap_between(sc, last, (size_t)ref)
                    : dm_fz_gap_between(sc, first, (size_t)ref);
    return (left ? 0 : 2) + (sc->clause_of[ref] != sc->clause_of[first]);
}

/* The number of target tokens (sc.focal) before token i. */
static size_t focal_before(const dm_scratch *sc, size_t i)
{
    size_t lo = 0, hi = sc->nfocal;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->focal[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The names "<family>:<side><clause>:<word>" hashed without joining them:
 * each word's bytes are added to a copy of its tag's prefix state. The
 * prefixes and the lexicon and valence names ("+hos" ...) of each tag are
 * the same for every token, target and statement: hashed once for the
 * featurizer (sc.stance_names, side_names_ready). With explain on, the
 * names are wanted: joined and hashed whole (side_add_named), the same
 * hashes. */
enum { SIDE_WHATS = 6 };
static const char SIDE_WHAT[SIDE_WHATS][5] = {"+val", "-val", "+hos", "!hos",
                                              "+cor", "!cor"};
_Static_assert(sizeof ((dm_scratch *)0)->stance_names.side_what[0][0] ==
                   SIDE_WHATS * sizeof(uint32_t),
               "a hash for each SIDE_WHAT");
typedef struct side_names {
    char family;
    const dm_hash_stream *prefix;      /* [4], by slot (place) */
    const uint32_t (*what)[SIDE_WHATS]; /* [4] */
} side_names;

/* The tag of each slot. */
static const char SIDE_TAGS[4][2] = {{'L', 'C'}, {'L', 'X'}, {'R', 'C'}, {'R', 'X'}};

/* sc.stance_names' side part, made once. */
static void side_names_ready(dm_featurizer *fz)
{
    dm_scratch *sc = &fz->sc;
    if (sc->stance_names.side_ready)
        return;
    for (int f = 0; f < 2; f++)
        for (int k = 0; k < 4; k++) {
            /* 5 bytes, ending in ':' (side_word_hash) */
            char pre[5] = {f ? 'd' : 's', ':', SIDE_TAGS[k][0], SIDE_TAGS[k][1], ':'};
            dm_hash_stream *p = &sc->stance_names.side_prefix[f][k];
            dm_hash_stream_init(p, fz->settings.hash_seed);
            dm_hash_stream_add(p, pre, sizeof pre);
            for (int w = 0; w < SIDE_WHATS; w++) {
                dm_hash_stream h = *p;
                dm_hash_stream_add(&h, SIDE_WHAT[w], 4);
                sc->stance_names.side_what[f][k][w] = dm_hash_stream_end(&h);
            }
        }
    sc->stance_names.side_ready = true;
}

/* The names of family 's' or 'd'. */
static void side_names_init(dm_featurizer *fz, side_names *n, char family)
{
    side_names_ready(fz);
    int f = family == 'd';
    n->family = family;
    n->prefix = fz->sc.stance_names.side_prefix[f];
    n->what = fz->sc.stance_names.side_what[f];
}

static dm_status side_add_named(dm_featurizer *fz, char family, int k,
                                const char *s, size_t len, double value)
{
    const char *tag = SIDE_TAGS[k];
    dm_scratch *sc = &fz->sc;
    if (dm_fz_grow((void **)&sc->buf, &sc->capbuf, len + 8, 1) != DM_OK)
        return DM_E_NOMEM;
    sc->buf[0] = family;
    sc->buf[1] = ':';
    sc->buf[2] = tag[0];
    sc->buf[3] = tag[1];
    sc->buf[4] = ':';
    memcpy(sc->buf + 5, s, len);
    return dm_fz_add_hashed(fz, sc->buf, len + 5, value);
}

/* Every word of the sentence conjoined with where it stands from the target
 * ("s:<side><clause>:<word>"): its side, L(eft) or R(ight) of the nearest
 * mention of the target, and whether it is in that mention's C(lause) or
 * another one (X); weighted 1 / (1 + gap) by the tokens between them (a
 * name counted as one). The targets of one sentence see the same words
 * under other names ("X accused Y": "accused" is s:RC for X, s:LC for Y),
 * so the weights learn which side of a target carries what is said of it.
 * The same for the general sentiment of the words ("s:LC:-val", |valence| x
 * SIDE_VALENCE / (1 + gap)) and the hostility / cordiality lexicon hits
 * ("s:RC:+hos", "s:LX:!cor" when negated; weight / (1 + gap)): distance-
 * weighted lexicon scores by side and clause. One family; the nearest
 * target tokens come from sc.focal (dm_fz_mark_target made it),
 * walked along with the tokens. */
#define SIDE_VALENCE 4.0

/* dm_hash_stream_end of prefix state `pre` (a 5-byte side prefix, whose
 * last byte waits as its tail) and of `pre2` (another of them; only when
 * `two`) each followed by the word's `len` bytes at `s`, as
 * dm_hash_stream_add2 gives them, with the waiting byte known: its shifts
 * are constants, and no stream state is copied or kept. */
__attribute__((always_inline)) static inline void
side_word_hash(const dm_hash_stream *pre, const dm_hash_stream *pre2, bool two, const char *s,
               size_t len, uint32_t *out, uint32_t *out2)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t h = pre->h, h2 = two ? pre2->h : 0, total = (uint32_t)(5 + len);
    uint64_t acc = pre->tail; /* one byte, ':' */
    for (; len >= 4; p += 4, len -= 4) {
        acc |= (uint64_t)dm_hash_le32(p) << 8;
        uint32_t k = dm_hash_mix_k((uint32_t)acc);
        h = dm_hash_mix_h(h, k);
        h2 = two ? dm_hash_mix_h(h2, k) : 0;
        acc >>= 32;
    }
    switch (len) { /* the last 0-3 bytes, after the waiting one */
    case 3:
        acc |= (uint64_t)p[0] << 8 | (uint64_t)p[1] << 16 | (uint64_t)p[2] << 24;
        {
            uint32_t k = dm_hash_mix_k((uint32_t)acc);
            h = dm_hash_mix_h(h, k);
            h2 = two ? dm_hash_mix_h(h2, k) : 0;
        }
        acc = 0;
        break;
    case 2: acc |= (uint64_t)p[1] << 16; /* fall through */
    case 1: acc |= (uint64_t)p[0] << 8;
    }
    *out = dm_hash_finish(h, (uint32_t)acc, total);
    if (two)
        *out2 = dm_hash_finish(h2, (uint32_t)acc, total);
}

/* One hashed entry, into room made before (side_collect). */
static inline dm_rawfeat *side_put(dm_rawfeat *o, uint32_t index, double value)
{
    o->index = index;
    o->value = (float)value;
    return o + 1;
}

/* The family `family` into sc.fam and, when `family2` is not 0 (never
 * with explain on), the same entries under `family2` into sc.fam2 (the
 * word's blocks hashed once for both: their prefixes differ in the family
 * byte only). The tokens between two target tokens (sc.focal) stand
 * between the same two, walked as one run; room for every entry (a word
 * and its valence per token, a hit) is made before, so that the words go
 * in without a test of room each; with explain on, by name
 * (side_add_named), the same hashes. */
static dm_status side_collect(dm_featurizer *fz, char family, char family2)
{
    dm_scratch *sc = &fz->sc;
    sc->nfam2 = 0;
    size_t nf = sc->nfocal;
    if (nf == 0) /* no target token: nothing stands anywhere from it */
        return DM_OK;
    side_names names, names2 = {0};
    side_names_init(fz, &names, family);
    bool explain = fz->explain, both = family2 && !explain;
    if (both)
        side_names_init(fz, &names2, family2);
    size_t most = 2 * sc->ntoks + sc->nhits + 1;
    if (!explain &&
        (dm_fz_grow((void **)&sc->fam, &sc->capfam, sc->nfam + most, sizeof *sc->fam) != DM_OK ||
         (both && dm_fz_grow((void **)&sc->fam2, &sc->capfam2, most, sizeof *sc->fam2) != DM_OK)))
        return DM_E_NOMEM;
    dm_rawfeat *o = sc->fam + sc->nfam, *o2 = sc->fam2;
    const uint32_t mask = fz->mask;
    const dm_ftok *toks = sc->toks;
    const float *valence = sc->valence;
    const size_t *focal = sc->focal;
    const int *cpos = sc->cpos, *clause_of = sc->clause_of;
    int g;
    size_t i = 0;
    for (size_t f = 0; f <= nf; f++) {
        /* the tokens before target token focal[f] and after focal[f - 1]
         * (a token of a mention is skipped, so never a target token):
         * place() of each, with the two target tokens' positions and
         * clauses read once */
        size_t end = f < nf ? focal[f] : sc->ntoks;
        bool has_before = f > 0, has_after = f < nf;
        int cb = has_before ? cpos[focal[f - 1]] : 0, ca = has_after ? cpos[focal[f]] : 0;
        int clb = has_before ? clause_of[focal[f - 1]] : 0;
        int cla = has_after ? clause_of[focal[f]] : 0;
        for (; i < end; i++) {
            const dm_ftok *t = &toks[i];
            if (t->placeholder || t->skip || t->kind == DM_TOKEN_PUNCT)
                continue;
            int ci = cpos[i];
            bool left = !has_before || (has_after && ca - ci < ci - cb);
            int d = left ? ci - ca : ci - cb;
            d = d < 0 ? -d : d;
            g = d - 1 < 0 ? 0 : d - 1; /* dm_fz_gap_between */
            int slot = (left ? 0 : 2) + ((left ? cla : clb) != clause_of[i]);
            double w = 1.0 / (1.0 + g);
            if (explain) {
                if (side_add_named(fz, family, slot, t->s, t->len, w) != DM_OK)
                    return DM_E_NOMEM;
            } else if (both) {
                uint32_t x, x2;
                side_word_hash(&names.prefix[slot], &names2.prefix[slot], true, t->s, t->len,
                               &x, &x2);
                o = side_put(o, x & mask, w);
                o2 = side_put(o2, x2 & mask, w);
            } else {
                uint32_t x;
                side_word_hash(&names.prefix[slot], NULL, false, t->s, t->len, &x, NULL);
                o = side_put(o, x & mask, w);
            }
            double v = valence[i];
            if (v == 0)
                continue;
            int what = v > 0 ? 0 : 1;
            double value = SIDE_VALENCE * fabs(v) * w;
            if (explain) {
                if (side_add_named(fz, family, slot, SIDE_WHAT[what], 4, value) != DM_OK)
                    return DM_E_NOMEM;
                continue;
            }
            o = side_put(o, names.what[slot][what] & mask, value);
            if (both)
                o2 = side_put(o2, names2.what[slot][what] & mask, value);
        }
        i = end + 1;
    }
    for (size_t k = 0; k < sc->nhits; k++) {
        const dm_hit *h = &sc->hits[k];
        if (h->flags == LEX_HEDGE)
            continue;
        size_t b = focal_before(sc, (size_t)h->first);
        size_t a = focal_before(sc, (size_t)h->last + 1);
        if (b == 0 && a == nf) /* the hit holds every target token */
            continue;
        int slot = place(sc, (size_t)h->first, (size_t)h->last,
                         b > 0 ? (long)focal[b - 1] : -1, a < nf ? (long)focal[a] : -1, &g);
        int what = (h->flags == LEX_HOSTILE ? 2 : 4) + (h->negated ? 1 : 0);
        double value = h->weight / (1.0 + g);
        if (explain) {
            if (side_add_named(fz, family, slot, SIDE_WHAT[what], 4, value) != DM_OK)
                return DM_E_NOMEM;
            continue;
        }
        o = side_put(o, names.what[slot][what] & mask, value);
        if (both)
            o2 = side_put(o2, names2.what[slot][what] & mask, value);
    }
    if (!explain) {
        sc->nfam = (size_t)(o - sc->fam);
        sc->nfam2 = both ? (size_t)(o2 - sc->fam2) : 0;
    }
    return DM_OK;
}

/* The kept families (sc.dfam, sc.sfam) are those of the current input's
 * mentions: emptied when the text features are computed afresh, and never
 * kept with explain on (the bucket names are written while computing). */
static void kept_check(dm_featurizer *fz)
{
    dm_scratch *sc = &fz->sc;
    if (sc->dfam_serial != sc->text_serial || fz->explain) {
        sc->dfam_serial = sc->text_serial;
        sc->n_dfam_of = 0;
        sc->ndfam = 0;
        sc->n_sfam_of = 0;
        sc->nsfam = 0;
    }
}

static int kept_d(const dm_scratch *sc, const dm_feature_target *m)
{
    for (int i = 0; i < sc->n_dfam_of; i++)
        if (sc->dfam_of[i].start == m->start && sc->dfam_of[i].end == m->end)
            return i;
    return -1;
}

static int kept_s(const dm_scratch *sc, const dm_feature_target *m)
{
    for (int i = 0; i < sc->n_sfam_of; i++)
        if (sc->sfam_of[i].start == m->start && sc->sfam_of[i].end == m->end)
            return i;
    return -1;
}

/* Keep the n entries v as mention m's unit "d:" family (when there is
 * room; else they are computed again when asked). */
static void keep_d(dm_featurizer *fz, const dm_feature_target *m, const dm_rawfeat *v, size_t n)
{
    dm_scratch *sc = &fz->sc;
    if (fz->explain || sc->n_dfam_of >= DM_CONTRAST_CACHED ||
        dm_fz_grow((void **)&sc->dfam, &sc->capdfam, sc->ndfam + n + 1, sizeof *sc->dfam) != DM_OK)
        return;
    memcpy(sc->dfam + sc->ndfam, v, n * sizeof *v);
    sc->dfam_of[sc->n_dfam_of].start = m->start;
    sc->dfam_of[sc->n_dfam_of].end = m->end;
    sc->dfam_of[sc->n_dfam_of].at = sc->ndfam;
    sc->dfam_of[sc->n_dfam_of].n = n;
    sc->n_dfam_of++;
    sc->ndfam += n;
}

/* The same for m's raw "s:" family. */
static void keep_s(dm_featurizer *fz, const dm_feature_target *m, const dm_rawfeat *v, size_t n)
{
    dm_scratch *sc = &fz->sc;
    if (fz->explain || sc->n_sfam_of >= DM_CONTRAST_CACHED ||
        dm_fz_grow((void **)&sc->sfam, &sc->capsfam, sc->nsfam + n + 1, sizeof *sc->sfam) != DM_OK)
        return;
    memcpy(sc->sfam + sc->nsfam, v, n * sizeof *v);
    sc->sfam_of[sc->n_sfam_of].start = m->start;
    sc->sfam_of[sc->n_sfam_of].end = m->end;
    sc->sfam_of[sc->n_sfam_of].at = sc->nsfam;
    sc->sfam_of[sc->n_sfam_of].n = n;
    sc->n_sfam_of++;
    sc->nsfam += n;
}

/* sc.fam and sc.fam2 trade places (buffers, sizes). */
static void swap_fams(dm_scratch *sc)
{
    dm_rawfeat *f = sc->fam;
    size_t n = sc->nfam, cap = sc->capfam;
    sc->fam = sc->fam2;
    sc->nfam = sc->nfam2;
    sc->capfam = sc->capfam2;
    sc->fam2 = f;
    sc->nfam2 = n;
    sc->capfam2 = cap;
}

/* The "s:" family of the target (the tokens marked for it). Taken from
 * sc.sfam when it was computed as another target's contrast (the same
 * entries in the same order); else computed, and with it, in the same
 * pass, its "d:" family when the contrast will ask for it (kept in
 * sc.dfam, where dm_fz_contrast_words finds it). */
dm_status dm_fz_side_words(dm_featurizer *fz, const dm_feature_input *in,
                           const dm_feature_target *target, size_t n_others, dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    if (fz->explain) {
        dm_status st = side_collect(fz, 's', 0);
        return st == DM_OK ? dm_fz_family_flush(fz, out, 1.0) : st;
    }
    kept_check(fz);
    int ks = kept_s(sc, target);
    if (ks >= 0) {
        size_t n = sc->sfam_of[ks].n;
        if (dm_fz_grow((void **)&sc->fam, &sc->capfam, n + 1, sizeof *sc->fam) != DM_OK)
            return DM_E_NOMEM;
        memcpy(sc->fam, sc->sfam + sc->sfam_of[ks].at, n * sizeof *sc->fam);
        sc->nfam = n;
        return dm_fz_family_flush(fz, out, 1.0);
    }
    bool want_d = n_others > 0 && sc->n_dfam_of < DM_CONTRAST_CACHED &&
                  kept_d(sc, target) < 0 && target->end <= in->len;
    if (side_collect(fz, 's', want_d ? 'd' : 0) != DM_OK)
        return DM_E_NOMEM;
    if (want_d) {
        swap_fams(sc); /* the "d:" family to unit length in sc.fam */
        dm_status st = dm_fz_family_unit(fz);
        if (st == DM_OK)
            keep_d(fz, target, sc->fam, sc->nfam);
        swap_fams(sc);
        if (st != DM_OK)
            return st;
    }
    return dm_fz_family_flush(fz, out, 1.0);
}

/* The side family ("d:" names) of mention `m` as the target, unit length:
 * taken from sc.dfam, where the families of the current input's mentions
 * are kept (*kd its place in sc.dfam_of), or computed with the tokens
 * marked for m (`marked`: they are; else they are marked here), then kept
 * when there is room (*kd its place; -1 when not kept, the family in
 * sc.fam). A mention marked here gets its "s:" family in the same pass,
 * kept in sc.sfam for when it is the target (dm_fz_side_words). */
static dm_status contrast_family(dm_featurizer *fz, const dm_feature_input *in,
                                 const dm_feature_target *m, bool marked, int *kd)
{
    dm_scratch *sc = &fz->sc;
    kept_check(fz);
    *kd = kept_d(sc, m);
    if (*kd >= 0)
        return DM_OK;
    dm_target_marks tm;
    if (!marked && dm_fz_mark_target(sc, in, m, false, &tm) != DM_OK)
        return DM_E_NOMEM;
    bool want_s = !marked && !fz->explain && sc->n_sfam_of < DM_CONTRAST_CACHED &&
                  kept_s(sc, m) < 0;
    if (side_collect(fz, 'd', want_s ? 's' : 0) != DM_OK)
        return DM_E_NOMEM;
    if (want_s)
        keep_s(fz, m, sc->fam2, sc->nfam2);
    if (dm_fz_family_unit(fz) != DM_OK)
        return DM_E_NOMEM;
    int before = sc->n_dfam_of;
    keep_d(fz, m, sc->fam, sc->nfam);
    *kd = sc->n_dfam_of > before ? before : -1;
    return DM_OK;
}

/* The family of contrast_family, appended to sc.con times `sign`. */
static dm_status contrast_add(dm_featurizer *fz, const dm_feature_input *in,
                              const dm_feature_target *m, bool marked, double sign)
{
    dm_scratch *sc = &fz->sc;
    int kd;
    if (contrast_family(fz, in, m, marked, &kd) != DM_OK)
        return DM_E_NOMEM;
    /* keep_d may have grown sc.dfam, not sc.fam: v stays valid */
    const dm_rawfeat *v = kd >= 0 ? sc->dfam + sc->dfam_of[kd].at : sc->fam;
    size_t n = kd >= 0 ? sc->dfam_of[kd].n : sc->nfam;
    if (dm_fz_grow((void **)&sc->con, &sc->capcon, sc->ncon + n + 1, sizeof *sc->con) != DM_OK)
        return DM_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        sc->con[sc->ncon] = v[i];
        sc->con[sc->ncon++].value = (float)(sign * v[i].value);
    }
    sc->nfam = 0;
    return DM_OK;
}

/* The other actors of the sentence for the contrast of `target`: at most
 * DM_CONTRAST_OTHERS mentions with a span apart from the target's and
 * words of their own (neither the target's nor an earlier one's). */
size_t dm_fz_contrast_others(const dm_feature_input *in, const dm_feature_target *target,
                             const dm_feature_target *others[DM_CONTRAST_OTHERS])
{
    size_t k = 0;
    for (size_t m = 0; m < in->n_mentions && k < DM_CONTRAST_OTHERS; m++) {
        const dm_feature_target *o = &in->mentions[m];
        if (!o->has_span || o->end > in->len ||
            (o->start < target->end && o->end > target->start) ||
            dm_fz_same_words(in, target, o))
            continue;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = dm_fz_same_words(in, others[j], o);
        if (!seen)
            others[k++] = o;
    }
    return k;
}

/* Contrast ("d:<side><clause>:<word>"): the target's side family minus the
 * mean of the same family seen from each other actor of the sentence (at
 * most DM_CONTRAST_OTHERS, by distinct words). Only in sentences that name
 * someone else, and there only what differs between the targets: the words
 * all of them share cancel out, so these weights learn from what tells the
 * targets of one sentence apart ("X accused Y": "accused" is d:RC for X
 * and -d:RC for Y), which the shared sentence n-grams cannot. Re-marks the
 * tokens (or leaves them marked for another mention, when its family was
 * kept): call after every other target feature. */
#define CONTRAST_SCALE 1.0
dm_status dm_fz_contrast_words(dm_featurizer *fz, const dm_feature_input *in,
                               const dm_feature_target *target,
                               const dm_feature_target *const *others, size_t k, dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    if (k == 0)
        return DM_OK;
    if (!fz->explain) {
        /* Every family kept (nearly always): merged from sc.dfam into
         * sc.fam as the copies into sc.con below would be, and pushed as
         * dm_fz_family_push_raw does, without the two copies. */
        const dm_rawfeat *src[1 + DM_CONTRAST_OTHERS];
        size_t n[1 + DM_CONTRAST_OTHERS], total = 0, j = 0;
        double scale[1 + DM_CONTRAST_OTHERS];
        int kd[1 + DM_CONTRAST_OTHERS];
        for (; j <= k; j++) {
            if (contrast_family(fz, in, j ? others[j - 1] : target, j == 0, &kd[j]) != DM_OK)
                return DM_E_NOMEM;
            sc->nfam = 0;
            if (kd[j] < 0)
                break; /* no room: the copies below */
            n[j] = sc->dfam_of[kd[j]].n;
            total += n[j];
            scale[j] = j ? -1.0 / (double)k : 1.0;
        }
        if (j > k) {
            for (j = 0; j <= k; j++) /* sc.dfam no longer grows */
                src[j] = sc->dfam + sc->dfam_of[kd[j]].at;
            if (dm_fz_grow((void **)&sc->fam, &sc->capfam, total + 1, sizeof *sc->fam) != DM_OK)
                return DM_E_NOMEM;
            size_t w = dm_fz_merge_scaled(sc->fam, src, n, scale, k + 1, &sc->table,
                                          &sc->captable);
            if (w == (size_t)-1 ||
                dm_fz_grow((void **)&out->v, &out->cap, out->n + w, sizeof *out->v) != DM_OK)
                return DM_E_NOMEM;
            dm_feature *o = out->v + out->n;
            for (size_t i = 0; i < w; i++) {
                if (sc->fam[i].value == 0)
                    continue;
                o->index = (int)sc->fam[i].index + 1;
                o->value = CONTRAST_SCALE * sc->fam[i].value;
                o++;
            }
            out->n = (size_t)(o - out->v);
            return DM_OK;
        }
    }
    sc->ncon = 0;
    if (contrast_add(fz, in, target, true, 1.0) != DM_OK)
        return DM_E_NOMEM;
    for (size_t j = 0; j < k; j++)
        if (contrast_add(fz, in, others[j], false, -1.0 / (double)k) != DM_OK)
            return DM_E_NOMEM;
    if (dm_fz_grow((void **)&sc->fam, &sc->capfam, sc->ncon + 1, sizeof *sc->fam) != DM_OK)
        return DM_E_NOMEM;
    memcpy(sc->fam, sc->con, sc->ncon * sizeof *sc->con);
    sc->nfam = sc->ncon;
    return dm_fz_family_push_raw(fz, out, CONTRAST_SCALE);
}
