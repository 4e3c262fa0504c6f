/* Target features, first stage: which tokens are the target's (the entry
 * point and the overview of every family are in stance_target.c).
 *
 * Marks each token of the statement from one target's point of view: 'T'
 * the target (or a mention with its own words), 'O' another actor, 'G'
 * another actor in one list with the target (coordinate); collapses each
 * run of one mark into a "<T>" / "<O>" token (sc.ttoks; also the "<A>"
 * masking of dm_fz_mask_actors), counts token positions with a name as one
 * (sc.cpos), and gives the "t:L:" / "t:R:" window words around "<T>".
 * Apart from the other stages because they all read these marks, and the
 * contrast (stance_target_side.c) marks the tokens again for each other
 * mention of the sentence. */
#include "features/stance_target_internal.h"

#include <string.h>

#define WINDOW_TOKENS 4

bool dm_fz_same_words(const dm_feature_input *in, const dm_feature_target *a,
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

/* The tokens that overlap byte span [start, end): from the first ending
 * after `start` to the first starting at or after `end` (tokens come in
 * text order, so all between overlap it). */
static void span_tokens(const dm_scratch *sc, size_t start, size_t end, size_t *first,
                        size_t *last_end)
{
    size_t i = first_token_ending_after(sc, start);
    *first = i;
    while (i < sc->ntoks && sc->toks[i].start < end)
        i++;
    *last_end = i;
}

static bool is_quote_mark(const char *text, const dm_ftok *t);

/* sc.stmt for the current statement (features_internal.h): the mentions'
 * tokens found once for every target of the statement and every contrast,
 * not by a binary search per mention and target; its quotes and valence
 * words listed once, not sought among all its tokens per target. */
dm_status dm_fz_statement_ready(dm_scratch *sc, const dm_feature_input *in)
{
    if (sc->stmt.serial != 0 && sc->stmt.serial == sc->text_serial &&
        sc->stmt.ntoks == sc->ntoks)
        return DM_OK;
    size_t nm = in->n_mentions, n = sc->ntoks;
    sc->stmt.serial = 0;
    if (dm_fz_grow((void **)&sc->stmt.mbuf, &sc->stmt.capm, 4 * nm + 1, sizeof(size_t)) != DM_OK ||
        dm_fz_grow((void **)&sc->stmt.quote_at, &sc->stmt.capquote, n + 1, sizeof(size_t)) != DM_OK ||
        dm_fz_grow((void **)&sc->stmt.val_at, &sc->stmt.capval, n + 1, sizeof(size_t)) != DM_OK)
        return DM_E_NOMEM;
    size_t *mfirst = sc->stmt.mbuf, *mend = mfirst + nm, *rfirst = mend + nm, *rend = rfirst + nm;
    size_t nr = 0;
    for (size_t m = 0; m < nm; m++) {
        const dm_feature_target *mt = &in->mentions[m];
        mfirst[m] = mend[m] = 0;
        if (!mt->has_span)
            continue;
        span_tokens(sc, mt->start, mt->end, &mfirst[m], &mend[m]);
        if (mfirst[m] == mend[m])
            continue;
        size_t k = nr++; /* by first token (insertion: a statement names few) */
        while (k > 0 && rfirst[k - 1] > mfirst[m]) {
            rfirst[k] = rfirst[k - 1];
            rend[k] = rend[k - 1];
            k--;
        }
        rfirst[k] = mfirst[m];
        rend[k] = mend[m];
    }
    sc->stmt.mfirst = mfirst;
    sc->stmt.mend = mend;
    sc->stmt.rfirst = rfirst;
    sc->stmt.rend = rend;
    sc->stmt.nr = nr;
    size_t nq = 0, nv = 0;
    for (size_t i = 0; i < n; i++) {
        if (sc->toks[i].kind == DM_TOKEN_PUNCT && is_quote_mark(in->text, &sc->toks[i]))
            sc->stmt.quote_at[nq++] = i;
        if (sc->valence[i] != 0)
            sc->stmt.val_at[nv++] = i;
    }
    sc->stmt.nquote = nq;
    sc->stmt.nval = nv;
    sc->stmt.ntoks = n;
    sc->stmt.serial = sc->text_serial;
    return DM_OK;
}

/* The next marked token: the statement's mention ranges (sc.stmt, by first
 * token) and the target's, walked along with increasing tokens. After
 * mark_mentions every token of one of them is marked, and no other. */
typedef struct marked_walk {
    const dm_scratch *sc;
    size_t r;                 /* the ranges before r end at or before the token */
    size_t tfirst, tend;      /* the target's tokens */
} marked_walk;

/* The first marked token at or after i (sc.ntoks: none); i never less
 * than at the call before. */
static inline size_t next_marked(marked_walk *w, size_t i)
{
    const dm_scratch *sc = w->sc;
    size_t best = sc->ntoks;
    while (w->r < sc->stmt.nr && sc->stmt.rend[w->r] <= i)
        w->r++;
    if (w->r < sc->stmt.nr)
        best = sc->stmt.rfirst[w->r] > i ? sc->stmt.rfirst[w->r] : i;
    if (w->tend > i && w->tfirst < w->tend) {
        size_t t = w->tfirst > i ? w->tfirst : i;
        best = t < best ? t : best;
    }
    return best;
}

/* Mark sc.toks[].placeholder from the target and the other mentions: 'T'
 * for a token of the target, else the mark of the first mention (in the
 * input's order) that holds it. The target and each mention visit only
 * their own run of tokens (a binary search), so a statement costs tokens +
 * mentions x log tokens per target, not tokens x mentions: a whole speech
 * given as one statement names a hundred actors. The target's own tokens
 * (those it overlaps) are [tm.span_first, tm.span_end). */
static void mark_mentions(dm_scratch *sc, const dm_feature_input *in,
                          const dm_feature_target *target, dm_target_marks *tm)
{
    for (size_t i = 0; i < sc->ntoks; i++)
        sc->toks[i].placeholder = 0;
    size_t first, end;
    span_tokens(sc, target->start, target->end, &first, &end);
    for (size_t i = first; i < end; i++)
        sc->toks[i].placeholder = 'T';
    tm->span_first = first;
    tm->span_end = end;
    for (size_t m = 0; m < in->n_mentions; m++) {
        const dm_feature_target *mt = &in->mentions[m];
        char mark = 0;
        /* none without a span; sc.stmt: dm_fz_statement_ready */
        for (size_t i = sc->stmt.mfirst[m]; i < sc->stmt.mend[m]; i++) {
            dm_ftok *t = &sc->toks[i];
            if (t->placeholder)
                continue; /* the target's, or an earlier mention's */
            if (!mark)
                mark = dm_fz_same_words(in, target, mt) ? 'T' : 'O';
            t->placeholder = mark;
        }
    }
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
static void coordinate(dm_scratch *sc, marked_walk *marked)
{
    size_t i = 0, n = sc->ntoks;
    while ((i = next_marked(marked, i)) < n) {
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

static bool is_quote_mark(const char *text, const dm_ftok *t)
{
    size_t n = t->end - t->start;
    const char *x = text + t->start;
    return t->kind == DM_TOKEN_PUNCT &&
           ((n == 1 && x[0] == '"') ||
            (n == 3 && (memcmp(x, "\xe2\x80\x9c", 3) == 0 ||    /* left double quote */
                        memcmp(x, "\xe2\x80\x9d", 3) == 0)));   /* right double quote */
}

/* The tokens marked from `target`'s point of view (mentions, lists), then
 * one pass over the marks for what every later stage reads of them: the
 * compact positions (sc.cpos: a run of one mark counts as one token, so
 * that distances do not depend on how many words a name has), the target's
 * tokens in order (sc.focal: 'T' and 'G'), and when `collapse`, sc.ttoks:
 * the tokens with each run of one mark collapsed into a single "<T>" /
 * "<O>" token, the runs counted, and the double quotes before the target
 * (tm.quotes). */
dm_status dm_fz_mark_target(dm_scratch *sc, const dm_feature_input *in,
                            const dm_feature_target *target, bool collapse,
                            dm_target_marks *tm)
{
    size_t ntoks = sc->ntoks;
    if (dm_fz_grow((void **)&sc->cpos, &sc->capcpos, ntoks + 1, sizeof *sc->cpos) != DM_OK ||
        dm_fz_grow((void **)&sc->focal, &sc->capfocal, ntoks + 1, sizeof *sc->focal) != DM_OK ||
        (collapse && (dm_fz_grow((void **)&sc->ttoks, &sc->capttoks, ntoks + 1,
                                 sizeof *sc->ttoks) != DM_OK ||
                      dm_fz_grow((void **)&sc->tph, &sc->captph, ntoks + 1,
                                 sizeof *sc->tph) != DM_OK)))
        return DM_E_NOMEM;
    memset(tm, 0, sizeof *tm);
    if (dm_fz_statement_ready(sc, in) != DM_OK)
        return DM_E_NOMEM;
    mark_mentions(sc, in, target, tm);
    marked_walk walk = {sc, 0, tm->span_first, tm->span_end};
    coordinate(sc, &walk);
    walk = (marked_walk){sc, 0, tm->span_first, tm->span_end};
    const dm_ftok *toks = sc->toks;
    int *cpos = sc->cpos;
    size_t *focal = sc->focal;
    dm_ftok *tt = sc->ttoks;
    size_t nf = 0, n = 0, np = 0, i = 0;
    int p = -1;
    /* By runs: the unmarked tokens up to the next mark (copied at once),
     * then the run of that mark (one position, one "<T>" / "<O>"). */
    while (i < ntoks) {
        size_t j = i, next = next_marked(&walk, i);
        while (j < next)
            cpos[j++] = ++p;
        if (collapse && j > i) {
            memcpy(tt + n, toks + i, (j - i) * sizeof *tt);
            n += j - i;
        }
        if (j == ntoks)
            break;
        char ph = toks[j].placeholder;
        bool is_focal = ph == 'T' || ph == 'G'; /* dm_fz_is_focal */
        tm->other_before |= ph == 'O' && nf == 0;
        p++;
        size_t k = j;
        for (; k < ntoks && toks[k].placeholder == ph; k++) {
            cpos[k] = p;
            if (is_focal)
                focal[nf++] = k;
        }
        if (collapse) {
            tt[n] = toks[j];
            tt[n].end = toks[k - 1].end;
            tt[n].s = ph == 'T' ? "<T>" : "<O>";
            tt[n].len = 3;
            tt[n].skip = false;
            tt[n].boundary = false;
            if (ph == 'T')
                tm->t_runs++;
            else
                tm->o_runs++;
            sc->tph[np++] = n;
            n++;
        }
        i = k;
    }
    /* The tokens ending before the target are those before its first
     * (token ends increase). */
    if (collapse)
        for (size_t q = 0; q < sc->stmt.nquote && sc->stmt.quote_at[q] < tm->span_first; q++)
            tm->quotes++;
    sc->nfocal = nf;
    if (collapse) {
        sc->nttoks = n;
        sc->ntph = np;
    }
    return DM_OK;
}

/* Copy the tokens into sc.ttoks with each run of actor tokens ('A')
 * collapsed into a single "<A>" token. (dm_fz_mark_target collapses the
 * target's marks in its own pass.) */
static dm_status collapse_actor_runs(dm_scratch *sc)
{
    if (dm_fz_grow((void **)&sc->ttoks, &sc->capttoks, sc->ntoks + 1,
                   sizeof *sc->ttoks) != DM_OK)
        return DM_E_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < sc->ntoks; i++) {
        const dm_ftok *t = &sc->toks[i];
        if (t->placeholder && i > 0 && sc->toks[i - 1].placeholder) {
            sc->ttoks[n - 1].end = t->end; /* the run goes on */
            continue;
        }
        sc->ttoks[n] = *t;
        if (t->placeholder) {
            sc->ttoks[n].s = "<A>";
            sc->ttoks[n].len = 3;
            sc->ttoks[n].skip = false;
            sc->ttoks[n].boundary = false;
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
            if (dm_fz_overlaps(&sc->toks[i], mt->start, mt->end))
                sc->toks[i].placeholder = 'A';
    }
    return collapse_actor_runs(sc);
}

/* The unit (a token neither skipped nor a boundary) before token j of
 * sc.ttoks (step -1) or after it (+1) in its segment, or (size_t)-1. */
static inline size_t unit_beside(const dm_ftok *tt, size_t n, size_t j, int step)
{
    for (j += (size_t)step; j < n; j += (size_t)step) { /* before 0, j wraps past n */
        if (tt[j].boundary)
            break;
        if (!tt[j].skip)
            return j;
    }
    return (size_t)-1;
}

/* The "t:" n-grams: dm_fz_word_ngrams of sc.ttoks with only the n-grams
 * that hold a placeholder, the same entries in the same order, from the
 * placeholders' places (sc.tph) instead of a look at every unit for one
 * near it. A kept n-gram (n <= nmax units of one segment) ends at a
 * placeholder or within nmax - 1 units after one (before the next), and
 * holds it when it is longer than the units since it: only those ends and
 * lengths are hashed, each end's shortest first as there, each from the
 * prefix. With explain on (named n-grams) or nmax > 3, dm_fz_word_ngrams. */
dm_status dm_fz_target_ngrams(dm_featurizer *fz)
{
    int nmax = fz->settings.word_ngram_max;
    const dm_scratch *sc = &fz->sc;
    if (fz->explain || nmax > 3)
        return dm_fz_word_ngrams(fz, sc->ttoks, sc->nttoks, "t:", nmax, true);
    const dm_ftok *tt = sc->ttoks;
    size_t n = sc->nttoks;
    dm_hash_stream start;
    dm_hash_stream_init(&start, fz->settings.hash_seed);
    dm_hash_stream_add(&start, "t:", 2);
    for (size_t q = 0; q < sc->ntph; q++) {
        size_t e = sc->tph[q];
        for (int since = 0; since < nmax; since++) {
            if (since > 0) {
                e = unit_beside(tt, n, e, +1);
                if (e == (size_t)-1 || tt[e].placeholder)
                    break; /* a placeholder's n-grams are its own */
            }
            size_t unit[3]; /* the units ending at e, unit[0] = e */
            int have = 1;
            unit[0] = e;
            while (have < nmax &&
                   (unit[have] = unit_beside(tt, n, unit[have - 1], -1)) != (size_t)-1)
                have++;
            for (int len = since + 1; len <= have; len++) {
                dm_hash_stream h = start;
                const dm_ftok *u = &tt[unit[len - 1]];
                dm_hash_stream_add(&h, u->s, u->len);
                for (int k = len - 2; k >= 0; k--) {
                    u = &tt[unit[k]];
                    dm_hash_stream_add_byte(&h, ' ');
                    dm_hash_stream_add(&h, u->s, u->len);
                }
                if (dm_fz_add_hash(fz, dm_hash_stream_end(&h), 1.0) != DM_OK)
                    return DM_E_NOMEM;
            }
        }
    }
    return DM_OK;
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

/* The words of one side of the "<T>" at token i (step -1: before it, +1:
 * after it), up to WINDOW_TOKENS of them and not across a boundary. */
static inline dm_status window_side(dm_featurizer *fz, size_t i, int step, const char *prefix,
                                    const dm_hash_stream *stream)
{
    const dm_scratch *sc = &fz->sc;
    int seen = 0;
    for (size_t j = i + (size_t)step; j < sc->nttoks && seen < WINDOW_TOKENS;
         j += (size_t)step) { /* before the first token, j wraps past nttoks */
        const dm_ftok *t = &sc->ttoks[j];
        if (t->boundary)
            break;
        if (t->skip || t->placeholder == 'T')
            continue;
        seen++;
        if (window_one(fz, prefix, stream, t) != DM_OK)
            return DM_E_NOMEM;
    }
    return DM_OK;
}

/* Bag of words on each side of every "<T>" in sc.ttoks (among its
 * placeholders, sc.tph), into the family. */
dm_status dm_fz_window_words(dm_featurizer *fz)
{
    const dm_scratch *sc = &fz->sc;
    dm_hash_stream left, right;
    dm_hash_stream_init(&left, fz->settings.hash_seed);
    dm_hash_stream_add(&left, "t:L:", 4);
    dm_hash_stream_init(&right, fz->settings.hash_seed);
    dm_hash_stream_add(&right, "t:R:", 4);
    for (size_t q = 0; q < sc->ntph; q++) {
        size_t i = sc->tph[q];
        if (sc->ttoks[i].placeholder == 'T' &&
            (window_side(fz, i, -1, "t:L:", &left) != DM_OK ||
             window_side(fz, i, +1, "t:R:", &right) != DM_OK))
            return DM_E_NOMEM;
    }
    return DM_OK;
}
