/* Target-dependent features for stance, over the statement's tokens and
 * lexicon hits (computed just before by featurize.c).
 *
 *   "t:" n-grams  the tokens with the target's mention(s) collapsed to "<T>"
 *                 and other actors' mentions to "<O>"; only n-grams holding a
 *                 placeholder are kept (the others are the "w:" n-grams);
 *                 plus "t:L:<tok>" / "t:R:<tok>" for the WINDOW_TOKENS
 *                 tokens left / right of each "<T>" (not across . ; :).
 *   clause sums   hostile / cordial weights of hits in a clause holding the
 *                 target, binned by token distance to it (near: <= NEAR_TOKENS
 *                 tokens between them; far: more), negated ones apart, and
 *                 the hits of the other clauses.
 *   predicates    subject: a hostile term starts within PREDICATE_TOKENS
 *                 after the mention, same clause ("Russia violated");
 *                 object: one ends within PREDICATE_TOKENS before it
 *                 ("condemns Russia"); praise near: a cordial term within
 *                 PREDICATE_TOKENS either side.
 *   actors        "tgt:<ACTOR>", "pair:<SPEAKER>><ACTOR>" (hashed; training
 *                 decides what they weigh) only when settings.actor_priors
 *                 is on; target:self when both are equal,
 *                 target:implicit when the target has no span.
 *   contrast      "d:" (contrast_words): the "s:" family of the target
 *                 minus the mean of that family seen from each other actor
 *                 of the sentence: what tells the sentence's targets apart.
 *   coordination  other actors in one list with the target ("X and Y
 *                 condemned Z", "X, Y or W") are marked 'G' and count with
 *                 the target for distances, sides and roles (see coordinate).
 * Another mention with the target's own words ("Trump ... Trump") counts as
 * the target; one with other words is another actor even when both have the
 * same key ("Trump" and "Obama" are both USA in the dictionary), so that
 * each target of a sentence keeps its own context and no feature depends on
 * how targets are keyed (dm_target_key). */
#include "features/features_internal.h"

#include <math.h>
#include <string.h>

#define NEAR_TOKENS 3
#define PREDICATE_TOKENS 4
#define WINDOW_TOKENS 4

static bool overlaps(const dm_ftok *t, size_t start, size_t end)
{
    return t->start < end && t->end > start;
}

static bool same_words(const dm_feature_input *in, const dm_feature_target *a,
                       const dm_feature_target *b)
{
    size_t n = a->end - a->start;
    return n > 0 && b->end - b->start == n && b->end <= in->len &&
           memcmp(in->text + a->start, in->text + b->start, n) == 0;
}

/* The first token ending after byte `at`: tokens come in text order, so
 * their ends do not decrease. */
static size_t first_token_ending_after(const dm_scratch *sc, size_t at)
{
    size_t lo = 0, hi = sc->ntoks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->toks[mid].end > at)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Mark sc.toks[].placeholder from the target and the other mentions: 'T'
 * for a token of the target, else the mark of the first mention (in the
 * input's order) that holds it. Each mention visits only its own run of
 * tokens (a binary search), so a statement costs tokens + mentions x log
 * tokens per target, not tokens x mentions: a whole speech given as one
 * statement names a hundred actors. */
static void mark_mentions(dm_scratch *sc, const dm_feature_input *in,
                          const dm_feature_target *target)
{
    for (size_t i = 0; i < sc->ntoks; i++) {
        dm_ftok *t = &sc->toks[i];
        t->placeholder = overlaps(t, target->start, target->end) ? 'T' : 0;
    }
    for (size_t m = 0; m < in->n_mentions; m++) {
        const dm_feature_target *mt = &in->mentions[m];
        if (!mt->has_span)
            continue;
        char mark = 0;
        for (size_t i = first_token_ending_after(sc, mt->start);
             i < sc->ntoks && sc->toks[i].start < mt->end; i++) {
            dm_ftok *t = &sc->toks[i];
            if (t->placeholder || !overlaps(t, mt->start, mt->end))
                continue; /* the target's, or an earlier mention's */
            if (!mark)
                mark = same_words(in, target, mt) ? 'T' : 'O';
            t->placeholder = mark;
        }
    }
}

static bool is_focal(const dm_ftok *t)
{
    return t->placeholder == 'T' || t->placeholder == 'G';
}

static bool is_conjunction(const dm_ftok *t)
{
    if (t->kind == DM_TOKEN_PUNCT)
        return t->len == 1 && t->s[0] == '&';
    return t->kind == DM_TOKEN_WORD &&
           ((t->len == 3 && memcmp(t->s, "and", 3) == 0) ||
            (t->len == 2 && memcmp(t->s, "or", 2) == 0) ||
            (t->len == 3 && memcmp(t->s, "nor", 3) == 0));
}

static bool is_comma(const dm_ftok *t)
{
    return t->kind == DM_TOKEN_PUNCT && t->len == 1 && t->s[0] == ',';
}

/* Coordination: mentions joined into one list by "and", "or", "nor", "&"
 * or commas ending in one of them ("X and Y condemned Z", "X, Y and W")
 * share their role in the sentence, so the other actors of a list that
 * holds the target are marked 'G' (with the target, for distances and
 * roles; "<O>" in the n-grams). A comma alone makes no list: "Paris,
 * France" is an apposition. Within a list the target's stance may still
 * differ from the others' ("between Russia and Ukraine"); the words around
 * the target itself keep telling them apart ("t:" n-grams, windows). */
static void coordinate(dm_scratch *sc)
{
    size_t i = 0, n = sc->ntoks;
    while (i < n) {
        if (!sc->toks[i].placeholder) {
            i++;
            continue;
        }
        size_t start = i, j = i, end;
        bool has_t = false, joined = false;
        for (;;) {
            char p = sc->toks[j].placeholder;
            while (j < n && sc->toks[j].placeholder == p) {
                has_t |= p == 'T';
                j++;
            }
            end = j;
            size_t k = j;
            bool word = false, comma = false;
            while (k < n && k < j + 2 && !sc->toks[k].placeholder) {
                if (is_conjunction(&sc->toks[k]) && !word)
                    word = true;
                else if (is_comma(&sc->toks[k]) && !comma && !word)
                    comma = true;
                else
                    break;
                k++;
            }
            if (k == j || k >= n || !sc->toks[k].placeholder ||
                (k - j == 2 && !(comma && word)))
                break;
            joined |= word;
            j = k;
        }
        if (has_t && joined)
            for (size_t m = start; m < end; m++)
                if (sc->toks[m].placeholder == 'O')
                    sc->toks[m].placeholder = 'G';
        i = end > i ? end : i + 1;
    }
}

/* The tokens marked from `target`'s point of view: mentions, lists. */
static void mark_target(dm_scratch *sc, const dm_feature_input *in,
                        const dm_feature_target *target)
{
    mark_mentions(sc, in, target);
    coordinate(sc);
}

/* Copy the tokens into sc.ttoks with each run of one placeholder collapsed
 * into a single "<T>" / "<O>" token; counts the runs. */
static dm_status collapse(dm_scratch *sc, int *t_runs, int *o_runs)
{
    if (dm_fz_grow((void **)&sc->ttoks, &sc->capttoks, sc->ntoks + 1,
                   sizeof *sc->ttoks) != DM_OK)
        return DM_E_NOMEM;
    size_t n = 0;
    *t_runs = *o_runs = 0;
    for (size_t i = 0; i < sc->ntoks; i++) {
        const dm_ftok *t = &sc->toks[i];
        if (t->placeholder && n > 0 && sc->ttoks[n - 1].placeholder == t->placeholder
            && i > 0 && sc->toks[i - 1].placeholder == t->placeholder) {
            sc->ttoks[n - 1].end = t->end;
            continue;
        }
        sc->ttoks[n] = *t;
        if (t->placeholder) {
            sc->ttoks[n].s = t->placeholder == 'T' ? "<T>"
                             : t->placeholder == 'A' ? "<A>" : "<O>";
            sc->ttoks[n].len = 3;
            sc->ttoks[n].skip = false;
            sc->ttoks[n].boundary = false;
            (*(t->placeholder == 'T' ? t_runs : o_runs))++; /* 'A': o_runs */
        }
        n++;
    }
    sc->nttoks = n;
    return DM_OK;
}

dm_status dm_fz_mask_actors(dm_featurizer *fz, const dm_feature_input *in)
{
    dm_scratch *sc = &fz->sc;
    for (size_t i = 0; i < sc->ntoks; i++)
        sc->toks[i].placeholder = 0;
    /* Each mention marks its own run of tokens (a binary search, as in
     * mark_mentions), not every token asking every mention. */
    for (size_t m = 0; m < in->n_mentions; m++) {
        const dm_feature_target *mt = &in->mentions[m];
        if (!mt->has_span)
            continue;
        for (size_t i = first_token_ending_after(sc, mt->start);
             i < sc->ntoks && sc->toks[i].start < mt->end; i++)
            if (overlaps(&sc->toks[i], mt->start, mt->end))
                sc->toks[i].placeholder = 'A';
    }
    int a_runs, unused;
    return collapse(sc, &unused, &a_runs);
}

/* "t:L:<word>" / "t:R:<word>": the 4-byte prefix's hash state (`pre`) is
 * extended by the word, no string joined (but with explain on, which names
 * the features). */
static dm_status window_one(dm_featurizer *fz, const char *prefix,
                            const dm_hash_stream *pre, const dm_ftok *t)
{
    if (!fz->explain) {
        dm_hash_stream h = *pre;
        dm_hash_stream_add(&h, t->s, t->len);
        return dm_fz_add_hash(fz, dm_hash_stream_end(&h), 1.0);
    }
    dm_scratch *sc = &fz->sc;
    if (dm_fz_grow((void **)&sc->buf, &sc->capbuf, t->len + 8, 1) != DM_OK)
        return DM_E_NOMEM;
    memcpy(sc->buf, prefix, 4);
    memcpy(sc->buf + 4, t->s, t->len);
    return dm_fz_add_hashed(fz, sc->buf, t->len + 4, 1.0);
}

/* Bag of words on each side of every "<T>" in sc.ttoks, into the family. */
static dm_status window_words(dm_featurizer *fz)
{
    const dm_scratch *sc = &fz->sc;
    dm_hash_stream left, right;
    dm_hash_stream_init(&left, fz->settings.hash_seed);
    dm_hash_stream_add(&left, "t:L:", 4);
    dm_hash_stream_init(&right, fz->settings.hash_seed);
    dm_hash_stream_add(&right, "t:R:", 4);
    for (size_t i = 0; i < sc->nttoks; i++) {
        if (sc->ttoks[i].placeholder != 'T')
            continue;
        int seen = 0;
        for (size_t j = i; j-- > 0 && seen < WINDOW_TOKENS;) {
            const dm_ftok *t = &sc->ttoks[j];
            if (t->boundary)
                break;
            if (t->skip || t->placeholder == 'T')
                continue;
            seen++;
            if (window_one(fz, "t:L:", &left, t) != DM_OK)
                return DM_E_NOMEM;
        }
        seen = 0;
        for (size_t j = i + 1; j < sc->nttoks && seen < WINDOW_TOKENS; j++) {
            const dm_ftok *t = &sc->ttoks[j];
            if (t->boundary)
                break;
            if (t->skip || t->placeholder == 'T')
                continue;
            seen++;
            if (window_one(fz, "t:R:", &right, t) != DM_OK)
                return DM_E_NOMEM;
        }
    }
    return DM_OK;
}

static int gap_between(const dm_scratch *sc, size_t a, size_t b);
static dm_status compact_positions(dm_scratch *sc);

/* Where token range [first, last] stands from the target: the nearest
 * target token (by compact position) and the tag "<side><clause>", side L
 * when the range is left of it, clause C when in its clause, else X. False
 * when the sentence has no target token. */
static inline bool place(const dm_scratch *sc, size_t first, size_t last, char tag[2],
                         int *gap_out)
{
    long before = sc->side_last[first], after = sc->side_next[last];
    if (before < 0 && after < 0)
        return false;
    bool left = before < 0 ||
                (after >= 0 && sc->cpos[after] - sc->cpos[last] < sc->cpos[first] - sc->cpos[before]);
    long ref = left ? after : before;
    tag[0] = left ? 'L' : 'R';
    tag[1] = sc->clause_of[ref] == sc->clause_of[first] ? 'C' : 'X';
    *gap_out = left ? gap_between(sc, last, (size_t)ref) : gap_between(sc, first, (size_t)ref);
    return true;
}

/* The names "<family>:<side><clause>:<word>" hashed without joining them:
 * the four prefixes of a family are hashed once per sweep (stream states),
 * each word's bytes are added to its tag's copy. The lexicon and valence
 * names ("+hos" ...) of a tag are the same for every token: each hashed
 * once per sweep when first met. With explain on, the names are wanted:
 * joined and hashed whole (side_add_named), the same hashes. */
enum { SIDE_WHATS = 6 };
static const char SIDE_WHAT[SIDE_WHATS][5] = {"+val", "-val", "+hos", "!hos",
                                              "+cor", "!cor"};
typedef struct side_names {
    char family;
    dm_hash_stream prefix[4];          /* by side_slot(tag) */
    uint32_t what[4][SIDE_WHATS];
    unsigned what_done[4];             /* bit w: what[][w] is hashed */
} side_names;

static int side_slot(const char tag[2])
{
    return (tag[0] == 'R') * 2 + (tag[1] == 'X');
}

static void side_names_init(const dm_featurizer *fz, side_names *n, char family)
{
    static const char TAGS[4][2] = {{'L', 'C'}, {'L', 'X'}, {'R', 'C'}, {'R', 'X'}};
    n->family = family;
    for (int k = 0; k < 4; k++) {
        char pre[5] = {family, ':', TAGS[k][0], TAGS[k][1], ':'};
        dm_hash_stream_init(&n->prefix[k], fz->settings.hash_seed);
        dm_hash_stream_add(&n->prefix[k], pre, sizeof pre);
        n->what_done[k] = 0;
    }
}

static dm_status side_add_named(dm_featurizer *fz, char family, const char tag[2],
                                const char *s, size_t len, double value)
{
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

static dm_status side_add(dm_featurizer *fz, side_names *n, const char tag[2],
                          const char *s, size_t len, double value)
{
    if (fz->explain)
        return side_add_named(fz, n->family, tag, s, len, value);
    dm_hash_stream h = n->prefix[side_slot(tag)];
    dm_hash_stream_add(&h, s, len);
    return dm_fz_add_hash(fz, dm_hash_stream_end(&h), value);
}

/* The same for SIDE_WHAT[w]. */
static dm_status side_add_what(dm_featurizer *fz, side_names *n, const char tag[2],
                               int w, double value)
{
    if (fz->explain)
        return side_add_named(fz, n->family, tag, SIDE_WHAT[w], 4, value);
    int k = side_slot(tag);
    if (!(n->what_done[k] >> w & 1)) {
        dm_hash_stream h = n->prefix[k];
        dm_hash_stream_add(&h, SIDE_WHAT[w], 4);
        n->what[k][w] = dm_hash_stream_end(&h);
        n->what_done[k] |= 1u << w;
    }
    return dm_fz_add_hash(fz, n->what[k][w], value);
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
 * target tokens come from one sweep each way (sc.side_last, sc.side_next). */
#define SIDE_VALENCE 4.0
static dm_status side_collect(dm_featurizer *fz, char family)
{
    dm_scratch *sc = &fz->sc;
    if (dm_fz_grow((void **)&sc->side_next, &sc->capside, 2 * sc->ntoks + 2,
                   sizeof *sc->side_next) != DM_OK)
        return DM_E_NOMEM;
    sc->side_last = sc->side_next + sc->ntoks + 1;
    long near = -1;
    for (size_t i = sc->ntoks; i-- > 0;) {
        sc->side_next[i] = near;
        if (is_focal(&sc->toks[i]))
            near = (long)i;
    }
    near = -1;
    for (size_t i = 0; i < sc->ntoks; i++) {
        sc->side_last[i] = near;
        if (is_focal(&sc->toks[i]))
            near = (long)i;
    }
    side_names names;
    if (!fz->explain)
        side_names_init(fz, &names, family);
    else
        names.family = family;
    char tag[2];
    int g;
    for (size_t i = 0; i < sc->ntoks; i++) {
        const dm_ftok *t = &sc->toks[i];
        if (t->placeholder || t->skip || t->kind == DM_TOKEN_PUNCT || !place(sc, i, i, tag, &g))
            continue;
        double w = 1.0 / (1.0 + g);
        if (side_add(fz, &names, tag, t->s, t->len, w) != DM_OK)
            return DM_E_NOMEM;
        double v = sc->valence[i];
        if (v != 0 && side_add_what(fz, &names, tag, v > 0 ? 0 : 1,
                                    SIDE_VALENCE * fabs(v) * w) != DM_OK)
            return DM_E_NOMEM;
    }
    for (size_t k = 0; k < sc->nhits; k++) {
        const dm_hit *h = &sc->hits[k];
        if (h->flags == LEX_HEDGE || !place(sc, (size_t)h->first, (size_t)h->last, tag, &g))
            continue;
        int what = (h->flags == LEX_HOSTILE ? 2 : 4) + (h->negated ? 1 : 0);
        if (side_add_what(fz, &names, tag, what, h->weight / (1.0 + g)) != DM_OK)
            return DM_E_NOMEM;
    }
    return DM_OK;
}

static dm_status side_words(dm_featurizer *fz, dm_fvec *out)
{
    dm_status st = side_collect(fz, 's');
    return st == DM_OK ? dm_fz_family_flush(fz, out, 1.0) : st;
}

/* The side family ("d:" names) of mention `m` as the target, unit length,
 * appended to sc.con times `sign`. Computed with the tokens marked for m
 * (`marked`: they are; else they are marked here), or taken from sc.dfam,
 * where the families of the current input's mentions are kept: the same
 * entries in the same order, so the same sums follow. */
static dm_status contrast_add(dm_featurizer *fz, const dm_feature_input *in,
                              const dm_feature_target *m, bool marked, double sign)
{
    dm_scratch *sc = &fz->sc;
    if (sc->dfam_serial != sc->text_serial || fz->explain) {
        sc->dfam_serial = sc->text_serial;
        sc->n_dfam_of = 0;
        sc->ndfam = 0;
    }
    const dm_rawfeat *v = NULL;
    size_t n = 0;
    for (int i = 0; i < sc->n_dfam_of && !v; i++)
        if (sc->dfam_of[i].start == m->start && sc->dfam_of[i].end == m->end) {
            v = sc->dfam + sc->dfam_of[i].at;
            n = sc->dfam_of[i].n;
        }
    if (!v) {
        if (!marked) {
            mark_target(sc, in, m);
            if (compact_positions(sc) != DM_OK)
                return DM_E_NOMEM;
        }
        if (side_collect(fz, 'd') != DM_OK || dm_fz_family_unit(fz) != DM_OK)
            return DM_E_NOMEM;
        v = sc->fam;
        n = sc->nfam;
        /* With explain on, the bucket names are written while computing. */
        if (!fz->explain && sc->n_dfam_of < DM_CONTRAST_CACHED &&
            dm_fz_grow((void **)&sc->dfam, &sc->capdfam, sc->ndfam + n + 1,
                       sizeof *sc->dfam) == DM_OK) {
            memcpy(sc->dfam + sc->ndfam, sc->fam, n * sizeof *sc->fam);
            sc->dfam_of[sc->n_dfam_of].start = m->start;
            sc->dfam_of[sc->n_dfam_of].end = m->end;
            sc->dfam_of[sc->n_dfam_of].at = sc->ndfam;
            sc->dfam_of[sc->n_dfam_of].n = n;
            sc->n_dfam_of++;
            sc->ndfam += n;
        }
    }
    if (dm_fz_grow((void **)&sc->con, &sc->capcon, sc->ncon + n + 1, sizeof *sc->con) != DM_OK)
        return DM_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        sc->con[sc->ncon] = v[i];
        sc->con[sc->ncon++].value = (float)(sign * v[i].value);
    }
    sc->nfam = 0;
    return DM_OK;
}

/* Contrast ("d:<side><clause>:<word>"): the target's side family minus the
 * mean of the same family seen from each other actor of the sentence (at
 * most CONTRAST_OTHERS, by distinct words). Only in sentences that name
 * someone else, and there only what differs between the targets: the words
 * all of them share cancel out, so these weights learn from what tells the
 * targets of one sentence apart ("X accused Y": "accused" is d:RC for X
 * and -d:RC for Y), which the shared sentence n-grams cannot. Re-marks the
 * tokens (or leaves them marked for another mention, when its family was
 * kept): call after every other target feature. */
#define CONTRAST_OTHERS 4
#define CONTRAST_SCALE 1.0
static dm_status contrast_words(dm_featurizer *fz, const dm_feature_input *in,
                                const dm_feature_target *target, dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    const dm_feature_target *others[CONTRAST_OTHERS];
    size_t k = 0;
    for (size_t m = 0; m < in->n_mentions && k < CONTRAST_OTHERS; m++) {
        const dm_feature_target *o = &in->mentions[m];
        if (!o->has_span || o->end > in->len ||
            (o->start < target->end && o->end > target->start) ||
            same_words(in, target, o))
            continue;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = same_words(in, others[j], o);
        if (!seen)
            others[k++] = o;
    }
    if (k == 0)
        return DM_OK;
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

static bool is_quote_mark(const char *text, const dm_ftok *t)
{
    size_t n = t->end - t->start;
    const char *x = text + t->start;
    return t->kind == DM_TOKEN_PUNCT &&
           ((n == 1 && x[0] == '"') ||
            (n == 3 && (memcmp(x, "\xe2\x80\x9c", 3) == 0 ||    /* left double quote */
                        memcmp(x, "\xe2\x80\x9d", 3) == 0)));   /* right double quote */
}

/* Words that say nothing of what a target is. */
static const char *const MENTION_SKIP[] = {"the", "a", "an", NULL};
/* A time is when something was said or done, seldom what it is said of
 * ("Fox News reported Tuesday that ..."). Case-folded; no month that is
 * also a name or a word (May, June, March, August). */
static const char *const TIME_WORDS[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "april", "july", "september", "october",
    "november", "december", "day", "week", "weekend", "month", "year",
    "summer", "winter", "spring", "autumn", "today", "tonight", "yesterday",
    "tomorrow", "morning", "evening", NULL};
/* Titles and roles: a person named in office ("President Trump", "Judge
 * Robinson", "Mr. Flynn"), who is spoken of more often than a place or a
 * date. In the mention or just before it; never a name. */
static const char *const TITLE_WORDS[] = {
    "president", "mr", "ms", "mrs", "dr", "sen", "senator", "rep", "gov",
    "governor", "judge", "officer", "secretary", "minister", "prime", "leader",
    "chairman", "director", "justice", "speaker", "general", "attorney",
    "former", "vice", NULL};

/* The target's kind, from words that are not names: "m:=time" (a date or
 * time), "m:=title" (a title or office in or just before the mention),
 * "m:=poss" (a possessor, "Hagel's performance": what is said is said of
 * the thing possessed, whose owner may or may not be its object). */
static dm_status mention_kind(dm_featurizer *fz, const dm_feature_input *in,
                              const dm_feature_target *target)
{
    const dm_scratch *sc = &fz->sc;
    bool time = false, title = false;
    for (size_t i = 0; i < sc->ntoks; i++) {
        const dm_ftok *t = &sc->toks[i];
        if (t->kind != DM_TOKEN_WORD || !overlaps(t, target->start, target->end))
            continue;
        time |= dm_ftok_in(t, TIME_WORDS);
        title |= dm_ftok_in(t, TITLE_WORDS);
        if (i > 0 && !overlaps(&sc->toks[i - 1], target->start, target->end))
            title |= dm_ftok_in(&sc->toks[i - 1], TITLE_WORDS);
    }
    const char *e = in->text + target->end;
    size_t left = in->len - target->end;
    bool poss = (left >= 2 && e[0] == '\'' && e[1] == 's') ||
                (left >= 4 && memcmp(e, "\xe2\x80\x99s", 4) == 0); /* right single quote */
    dm_status st = DM_OK;
    if (time)
        st = dm_fz_add_hashed(fz, "m:=time", 7, 1.0);
    if (st == DM_OK && title)
        st = dm_fz_add_hashed(fz, "m:=title", 8, 1.0);
    if (st == DM_OK && poss)
        st = dm_fz_add_hashed(fz, "m:=poss", 7, 1.0);
    return st;
}

/* The target's own common words ("m:<word>"): a target that is not a name
 * ("the poll", "the attack", "he", "the Trump administration") says what
 * it is by its lowercase words. A word that starts with a capital gives
 * nothing: no name, hence no actor identity, enters the features. Same
 * family: "m:=inquote" / "m:=outquote", whether the target stands inside a
 * quotation, and the target's kind (mention_kind). */
static dm_status mention_words(dm_featurizer *fz, const dm_feature_input *in,
                               const dm_feature_target *target, dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    for (size_t i = 0; i < sc->ntoks; i++) {
        const dm_ftok *t = &sc->toks[i];
        if (!overlaps(t, target->start, target->end) || t->kind != DM_TOKEN_WORD)
            continue;
        unsigned char c = (unsigned char)in->text[t->start];
        if (!(c >= 'a' && c <= 'z') || dm_ftok_in(t, MENTION_SKIP))
            continue;
        if (dm_fz_grow((void **)&sc->buf, &sc->capbuf, t->len + 4, 1) != DM_OK)
            return DM_E_NOMEM;
        memcpy(sc->buf, "m:", 2);
        memcpy(sc->buf + 2, t->s, t->len);
        if (dm_fz_add_hashed(fz, sc->buf, t->len + 2, 1.0) != DM_OK)
            return DM_E_NOMEM;
    }
    /* Inside a quotation or not (an odd number of double quotes before it):
     * the quoted are spoken of, the speakers speak. */
    int quotes = 0;
    for (size_t i = 0; i < sc->ntoks && sc->toks[i].end <= target->start; i++)
        quotes += is_quote_mark(in->text, &sc->toks[i]);
    const char *where = quotes % 2 ? "m:=inquote" : "m:=outquote";
    if (dm_fz_add_hashed(fz, where, strlen(where), 1.0) != DM_OK ||
        mention_kind(fz, in, target) != DM_OK)
        return DM_E_NOMEM;
    return dm_fz_family_flush(fz, out, 1.0);
}

/* Tokens strictly between hit [first, last] and token j (0 if touching). */
/* Token positions with every run of one mention counted once (sc.cpos),
 * so that distances do not depend on how many words a name has. */
static dm_status compact_positions(dm_scratch *sc)
{
    if (dm_fz_grow((void **)&sc->cpos, &sc->capcpos, sc->ntoks + 1, sizeof *sc->cpos) != DM_OK)
        return DM_E_NOMEM;
    int p = -1;
    for (size_t i = 0; i < sc->ntoks; i++) {
        bool continues = i > 0 && sc->toks[i].placeholder &&
                         sc->toks[i].placeholder == sc->toks[i - 1].placeholder;
        p += !continues;
        sc->cpos[i] = p;
    }
    return DM_OK;
}

static int gap_between(const dm_scratch *sc, size_t a, size_t b)
{
    int d = sc->cpos[a] - sc->cpos[b];
    return (d < 0 ? -d : d) - 1 < 0 ? 0 : (d < 0 ? -d : d) - 1;
}

static int gap(const dm_scratch *sc, const dm_hit *h, size_t j)
{
    if ((int)j < h->first)
        return gap_between(sc, (size_t)h->first, j);
    if ((int)j > h->last)
        return gap_between(sc, j, (size_t)h->last);
    return 0;
}

typedef struct target_sums {
    double near[2], far[2], neg[2], other[2]; /* [0] hostile, [1] cordial */
    double subject, object, praise;
} target_sums;

/* sc.focal: the indices of the target's tokens (is_focal), in order: the
 * sums below look at those only, not at every token once per hit. */
static dm_status collect_focal(dm_scratch *sc)
{
    if (dm_fz_grow((void **)&sc->focal, &sc->capfocal, sc->ntoks + 1, sizeof *sc->focal) != DM_OK)
        return DM_E_NOMEM;
    sc->nfocal = 0;
    for (size_t j = 0; j < sc->ntoks; j++)
        if (is_focal(&sc->toks[j]))
            sc->focal[sc->nfocal++] = j;
    return DM_OK;
}

/* The first of sc.focal in clause `clause` or after it: the target's tokens
 * come in text order and a clause is a run of tokens, so those of one
 * clause are a run of sc.focal. The sums below look at that run only, not
 * at every target token for every hit and valence word (a speech that
 * names its target a thousand times in a thousand clauses). */
static size_t focal_of_clause(const dm_scratch *sc, int clause)
{
    size_t lo = 0, hi = sc->nfocal;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->clause_of[sc->focal[mid]] < clause)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void score_hit(const dm_scratch *sc, const dm_hit *h, target_sums *ts)
{
    int kind = h->flags == LEX_HOSTILE ? 0 : 1;
    int best = -1;             /* smallest gap to a target token, same clause */
    bool after = false, before = false; /* hit after / before a target token */
    int clause = sc->clause_of[h->first];
    for (size_t f = focal_of_clause(sc, clause);
         f < sc->nfocal && sc->clause_of[sc->focal[f]] == clause; f++) {
        size_t j = sc->focal[f];
        int g = gap(sc, h, j);
        if (best < 0 || g < best)
            best = g;
        if (g < PREDICATE_TOKENS) {
            after |= (int)j < h->first;
            before |= (int)j > h->last;
        }
    }
    if (best < 0) {
        ts->other[kind] += h->negated ? 0 : h->weight;
        return;
    }
    if (h->negated) {
        ts->neg[kind] += h->weight;
        return;
    }
    (best <= NEAR_TOKENS ? ts->near : ts->far)[kind] += h->weight;
    if (kind == 0) {
        ts->subject += after ? h->weight : 0;
        ts->object += before ? h->weight : 0;
    } else if (after || before) {
        ts->praise += h->weight;
    }
}

static const char *const PREPOSITIONS[] = {
    "on", "by", "from", "at", "in", "with", "to", "of", "for", "about",
    "against", "over", "into", "toward", "towards", "via", "after", "before",
    "under", "between", "among", "like", "than", "through", "behind", NULL};
/* Words that may stand between a clause start and its subject. */
static const char *const DETERMINERS[] = {
    "the", "a", "an", "this", "that", "these", "those", "but", "and", "so",
    "then", "yet", "also", "even", "only", NULL};

typedef struct target_role {
    bool pp, initial, first;
} target_role;

/* Where the target's first mention stands: after a preposition, among the
 * first words of its clause (subject-like), the first actor named. */
static target_role role_of(const dm_scratch *sc)
{
    target_role r = {false, false, true};
    size_t i = 0;
    while (i < sc->ntoks && !is_focal(&sc->toks[i])) {
        r.first &= sc->toks[i].placeholder != 'O';
        i++;
    }
    if (i == sc->ntoks)
        return r;
    size_t j = i;
    while (j > 0 && !sc->toks[j - 1].skip && sc->toks[j - 1].kind == DM_TOKEN_WORD &&
           sc->clause_of[j - 1] == sc->clause_of[i] && dm_ftok_in(&sc->toks[j - 1], DETERMINERS))
        j--;
    r.pp = j > 0 && sc->clause_of[j - 1] == sc->clause_of[i] &&
           dm_ftok_in(&sc->toks[j - 1], PREPOSITIONS);
    r.initial = j == 0 || sc->clause_of[j - 1] != sc->clause_of[i] ||
                sc->toks[j - 1].skip;
    return r;
}

/* Valence around the target: in its clause weighted by closeness, in its
 * clause, in the other clauses, and as the subject / object of an
 * evaluative word (within PREDICATE_TOKENS after / before it). */
static dm_status sentiment_sums(dm_featurizer *fz, dm_fvec *out)
{
    const dm_scratch *sc = &fz->sc;
    double near[2] = {0}, clause[2] = {0}, other[2] = {0}; /* [0] pos [1] neg */
    double subject[2] = {0}, object[2] = {0};
    for (size_t i = 0; i < sc->ntoks; i++) {
        double v = sc->valence[i];
        if (v == 0)
            continue;
        int k = v > 0 ? 0 : 1;
        double a = fabs(v);
        int best = -1;
        bool after = false, before = false;
        int ci = sc->clause_of[i];
        for (size_t f = focal_of_clause(sc, ci);
             f < sc->nfocal && sc->clause_of[sc->focal[f]] == ci; f++) {
            size_t j = sc->focal[f];
            int g = gap_between(sc, i, j);
            if (best < 0 || g < best)
                best = g;
            if (g < PREDICATE_TOKENS) {
                after |= j < i;
                before |= j > i;
            }
        }
        if (best < 0) {
            other[k] += a;
            continue;
        }
        clause[k] += a;
        near[k] += a / (1.0 + best);
        subject[k] += after ? a : 0;
        object[k] += before ? a : 0;
    }
    const struct { int nf; double v; } vals[] = {
        {NF_TARGET_SENT_POS_NEAR, near[0]}, {NF_TARGET_SENT_NEG_NEAR, near[1]},
        {NF_TARGET_SENT_POS_CLAUSE, clause[0]}, {NF_TARGET_SENT_NEG_CLAUSE, clause[1]},
        {NF_TARGET_SENT_POS_OTHER, other[0]}, {NF_TARGET_SENT_NEG_OTHER, other[1]},
        {NF_TARGET_SUBJECT_NEG, subject[1]}, {NF_TARGET_OBJECT_NEG, object[1]},
        {NF_TARGET_SUBJECT_POS, subject[0]}, {NF_TARGET_OBJECT_POS, object[0]},
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        if (dm_fz_named(fz, out, vals[i].nf, dm_fz_log1p(vals[i].v)) != DM_OK)
            return DM_E_NOMEM;
    double pos = dm_fz_log1p(clause[0] + other[0]), neg = dm_fz_log1p(clause[1] + other[1]);
    target_role r = role_of(sc);
    const struct { int nf; double v; } roles[] = {
        {NF_TARGET_ROLE_PP, r.pp}, {NF_TARGET_ROLE_INITIAL, r.initial},
        {NF_TARGET_FIRST_ACTOR, r.first},
        {NF_TARGET_SENT_POS_X_INITIAL, r.initial * pos},
        {NF_TARGET_SENT_NEG_X_INITIAL, r.initial * neg},
        {NF_TARGET_SENT_POS_X_PP, r.pp * pos}, {NF_TARGET_SENT_NEG_X_PP, r.pp * neg},
        {NF_TARGET_SENT_POS_X_FIRST, r.first * pos},
        {NF_TARGET_SENT_NEG_X_FIRST, r.first * neg},
    };
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (dm_fz_named(fz, out, roles[i].nf, roles[i].v) != DM_OK)
            return DM_E_NOMEM;
    return DM_OK;
}

static dm_status emit_sums(dm_featurizer *fz, dm_fvec *out,
                           const target_sums *ts)
{
    const struct { int nf; double v; } vals[] = {
        {NF_TARGET_HOSTILE_NEAR, ts->near[0]},
        {NF_TARGET_CORDIAL_NEAR, ts->near[1]},
        {NF_TARGET_HOSTILE_FAR, ts->far[0]},
        {NF_TARGET_CORDIAL_FAR, ts->far[1]},
        {NF_TARGET_NEG_HOSTILE_CLAUSE, ts->neg[0]},
        {NF_TARGET_NEG_CORDIAL_CLAUSE, ts->neg[1]},
        {NF_TARGET_HOSTILE_OTHER_CLAUSE, ts->other[0]},
        {NF_TARGET_CORDIAL_OTHER_CLAUSE, ts->other[1]},
        {NF_TARGET_SUBJECT_HOSTILE, ts->subject},
        {NF_TARGET_OBJECT_HOSTILE, ts->object},
        {NF_TARGET_PRAISE_NEAR, ts->praise},
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        if (dm_fz_named(fz, out, vals[i].nf, dm_fz_log1p(vals[i].v)) != DM_OK)
            return DM_E_NOMEM;
    return DM_OK;
}

dm_status dm_fz_target_features(dm_featurizer *fz, const dm_feature_input *in,
                                const dm_feature_target *target, dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    dm_status st = DM_OK;
    bool priors = fz->settings.actor_priors;
    if (priors)
        st = dm_fz_indicator(fz, out, "tgt:", target->actor, "", "");
    if (st == DM_OK && in->speaker_actor && in->speaker_actor[0]) {
        if (priors)
            st = dm_fz_indicator(fz, out, "pair:", in->speaker_actor, ">",
                                 target->actor);
        if (st == DM_OK && strcmp(in->speaker_actor, target->actor) == 0)
            st = dm_fz_named(fz, out, NF_TARGET_SELF, 1.0);
    }
    if (st != DM_OK)
        return st;
    if (!target->has_span) {
        st = dm_fz_named(fz, out, NF_TARGET_IMPLICIT, 1.0);
        if (st == DM_OK && dm_fz_is_topic(fz, target))
            st = dm_fz_topic_features(fz, target->actor, out);
        return st;
    }

    mark_target(sc, in, target);
    if (compact_positions(sc) != DM_OK)
        return DM_E_NOMEM;
    int t_runs, o_runs;
    if (collapse(sc, &t_runs, &o_runs) != DM_OK)
        return DM_E_NOMEM;
    if (t_runs == 0) /* a span that covers no token: as good as implicit */
        return dm_fz_named(fz, out, NF_TARGET_IMPLICIT, 1.0);
    st = dm_fz_word_ngrams(fz, sc->ttoks, sc->nttoks, "t:",
                           fz->settings.word_ngram_max, true);
    if (st == DM_OK)
        st = window_words(fz);
    if (st == DM_OK)
        st = dm_fz_family_flush(fz, out, 1.0);
    if (st == DM_OK)
        st = side_words(fz, out);
    if (st == DM_OK)
        st = mention_words(fz, in, target, out);
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_TARGET_MENTIONS, dm_fz_log1p(t_runs));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_TARGET_OTHER_ACTORS, dm_fz_log1p(o_runs));
    if (st != DM_OK)
        return st;
    if (collect_focal(sc) != DM_OK)
        return DM_E_NOMEM;
    target_sums ts;
    memset(&ts, 0, sizeof ts);
    for (size_t i = 0; i < sc->nhits; i++)
        if (sc->hits[i].flags != LEX_HEDGE)
            score_hit(sc, &sc->hits[i], &ts);
    st = emit_sums(fz, out, &ts);
    if (st == DM_OK)
        st = sentiment_sums(fz, out);
    return st == DM_OK ? contrast_words(fz, in, target, out) : st;
}
