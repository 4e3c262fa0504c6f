/* Tokens as the features see them, and hashed word / character n-grams.
 * Strings are joined in one reusable buffer: no allocation per token. */
#include "features/features_internal.h"
#include "text/text_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

/* The byte of a one-byte punctuation token, else 0: the marks that break
 * n-grams and end clauses are all of one byte. */
static char mark_of(const dm_token *t)
{
    return t->kind == DM_TOKEN_PUNCT && t->folded_len == 1 ? t->folded[0] : 0;
}

static bool is_clause_word(const char *s, size_t len)
{
    /* length and first letter before any memcmp: called for every word */
    return (len == 3 && memcmp(s, "but", 3) == 0) ||
           (s[0] == 'w' && ((len == 5 && memcmp(s, "while", 5) == 0) ||
                            (len == 7 && memcmp(s, "whereas", 7) == 0)));
}

/* The string a token has in the feature view: its folded form, "<num>"
 * for a number. */
static inline void view_string(const dm_token *t, const char **s, size_t *len)
{
    if (t->kind == DM_TOKEN_NUMBER) {
        *s = "<num>";
        *len = 5;
    } else {
        *s = t->folded;
        *len = t->folded_len; /* the tokenizer's lengths: no strlen */
    }
}

/* The hash of "<s> <next s>" (f->lex a prefix, `next` the token after),
 * hashed in pieces, not joined; *gs and *glen the next token's string. Its
 * view may not be made yet (the next block): the string from the token. */
static uint32_t pair_hash(const dm_featurizer *fz, const dm_ftok *f, const dm_token *next,
                          const char **gs, size_t *glen)
{
    view_string(next, gs, glen);
    dm_hash_stream h;
    dm_hash_stream_init(&h, fz->settings.hash_seed);
    dm_hash_stream_add(&h, f->s, f->len);
    dm_hash_stream_add_byte(&h, ' ');
    dm_hash_stream_add(&h, *gs, *glen);
    return dm_hash_stream_end(&h);
}

/* Tokenise `text` into *cur and the feature view of its tokens into *toks. */
static dm_status tokenize_into(dm_featurizer *fz, const char *text, size_t len,
                               dm_tokens *cur, size_t cur_cap[2], dm_ftok **toks,
                               size_t *cap, dm_error *err)
{
    /* into the buffers of the last text tokenised here */
    dm_status st = dm_tokenize_reuse(text, len, cur, &cur_cap[0], &cur_cap[1], err);
    if (st != DM_OK)
        return st;
    if (dm_fz_grow((void **)toks, cap, cur->n + 1, sizeof **toks) != DM_OK)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    /* Blocks of tokens: the hashes first, each passed through the
     * lexicon's filter (55% of the words are in no lexicon: done there, no
     * slot touched) and the slots of the rest asked for; then their
     * lookups; then the two-token phrases of the prefixes found, their
     * slots asked for before any is looked up, so that the cache misses of
     * a block overlap (perf: the lookups ~10% of a run, on the slot's load,
     * the entry's, the key's, and the pair's slot unasked). */
    enum { BLOCK = 16 };
    const dm_lexicon *lex = &fz->lex;
    const uint32_t seed = fz->settings.hash_seed;
    const bool any = lex->cap != 0;
    dm_fz_report_ready();
    for (size_t b = 0; b < cur->n; b += BLOCK) {
        size_t e = b + BLOCK < cur->n ? b + BLOCK : cur->n;
        uint32_t hash[BLOCK];
        unsigned maybe = 0; /* bit i - b: the filter lets token i's key by */
        for (size_t i = b; i < e; i++) {
            const dm_token *t = &cur->v[i];
            dm_ftok *f = &(*toks)[i];
            view_string(t, &f->s, &f->len);
            f->start = t->start;
            f->end = t->end;
            f->kind = (unsigned char)t->kind;
            f->placeholder = 0;
            f->report_start = dm_fz_report_start(f->s, f->len);
            char c = mark_of(t);
            f->boundary = c == '.' || c == ';' || c == ':';
            f->skip = t->kind == DM_TOKEN_PUNCT && c != '?' && c != '!' && !f->boundary;
            f->clause_end = f->boundary || c == ',' || c == '?' || c == '!' ||
                            (t->kind == DM_TOKEN_WORD && is_clause_word(t->folded, t->folded_len));
            f->lex = f->lex2 = NULL;
            f->lexflags = 0;
            uint32_t h = dm_hash32(f->s, f->len, seed);
            hash[i - b] = h;
            if (any && dm_lex_maybe(lex, h)) {
                dm_lexicon_prefetch(lex, h);
                maybe |= 1u << (i - b);
            }
        }
        /* Two-token phrases, once per text (tokens are cached), not at
         * every rule's dm_fz_longest_match: their slots asked for here,
         * looked up after the block's words. */
        uint32_t pair_h[BLOCK];
        const char *pair_s[BLOCK];
        size_t pair_len[BLOCK];
        unsigned pairs = 0;
        for (; maybe; maybe &= maybe - 1) {
            size_t k = (size_t)__builtin_ctz(maybe), i = b + k;
            dm_ftok *f = &(*toks)[i];
            f->lex = dm_lexicon_get_hashed(lex, f->s, f->len, hash[k]);
            f->lexflags = f->lex ? f->lex->flags : 0;
            if ((f->lexflags & LEX_PREFIX) && i + 1 < cur->n) {
                uint32_t h = pair_hash(fz, f, &cur->v[i + 1], &pair_s[k], &pair_len[k]);
                if (dm_lex_maybe(lex, h)) {
                    dm_lexicon_prefetch(lex, h);
                    pair_h[k] = h;
                    pairs |= 1u << k;
                }
            }
        }
        for (; pairs; pairs &= pairs - 1) {
            size_t k = (size_t)__builtin_ctz(pairs);
            dm_ftok *f = &(*toks)[b + k];
            f->lex2 = dm_lexicon_get_pair(lex, f->s, f->len, pair_s[k], pair_len[k], pair_h[k]);
        }
    }
    return DM_OK;
}

dm_status dm_fz_tokens(dm_featurizer *fz, const char *text, size_t len,
                       dm_error *err)
{
    dm_scratch *sc = &fz->sc;
    sc->ntoks = 0;
    dm_status st = tokenize_into(fz, text, len, &sc->cur, sc->cur_cap, &sc->toks, &sc->captoks,
                                   err);
    if (st == DM_OK)
        sc->ntoks = sc->cur.n;
    return st;
}

dm_status dm_fz_cached_tokens(dm_featurizer *fz, const char *text, size_t len,
                              dm_error *err)
{
    dm_scratch *sc = &fz->sc;
    sc->ntoks = 0;
    dm_tok_cache *c = NULL;
    for (int i = 0; i < DM_TOK_CACHE_ENTRIES && !c; i++)
        if (sc->cache[i].valid && sc->cache[i].len == len &&
            memcmp(sc->cache[i].text, text, len) == 0)
            c = &sc->cache[i];
    if (!c) { /* tokenise into the entry used least recently */
        c = &sc->cache[0];
        for (int i = 1; i < DM_TOK_CACHE_ENTRIES; i++)
            if (sc->cache[i].used < c->used)
                c = &sc->cache[i];
        c->valid = false;
        c->generation++;
        dm_status st = tokenize_into(fz, text, len, &c->tokens, c->tokens_cap, &c->toks, &c->cap,
                                       err);
        if (st != DM_OK)
            return st;
        /* Without room for the key the tokens serve this call only. */
        if (dm_fz_grow((void **)&c->text, &c->captext, len + 1, 1) == DM_OK) {
            memcpy(c->text, text, len);
            c->len = len;
            c->valid = true;
        }
    }
    c->used = ++sc->cache_clock;
    sc->entry = (int)(c - sc->cache);
    /* A fresh copy each call: the rules mark tokens (placeholders). */
    if (dm_fz_grow((void **)&sc->toks, &sc->captoks, c->tokens.n + 1, sizeof *sc->toks) != DM_OK)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    memcpy(sc->toks, c->toks, c->tokens.n * sizeof *sc->toks);
    sc->ntoks = c->tokens.n;
    return DM_OK;
}

void dm_fz_free_token_cache(dm_featurizer *fz)
{
    for (int i = 0; i < DM_TOK_CACHE_ENTRIES; i++) {
        dm_tok_cache *c = &fz->sc.cache[i];
        dm_tokens_free(&c->tokens);
        free(c->toks);
        free(c->text);
        memset(c, 0, sizeof *c);
    }
}

/* Join prefix + toks[idx[0..n)] with ' ' into sc.buf; returns its length. */
static dm_status join(dm_scratch *sc, const char *prefix, size_t plen,
                      const dm_ftok *toks, const size_t *idx, int n,
                      size_t *out_len)
{
    size_t need = plen + 1;
    for (int i = 0; i < n; i++)
        need += toks[idx[i]].len + 1;
    if (dm_fz_grow((void **)&sc->buf, &sc->capbuf, need, 1) != DM_OK)
        return DM_E_NOMEM;
    memcpy(sc->buf, prefix, plen);
    size_t used = plen;
    for (int i = 0; i < n; i++) {
        if (i)
            sc->buf[used++] = ' ';
        memcpy(sc->buf + used, toks[idx[i]].s, toks[idx[i]].len);
        used += toks[idx[i]].len;
    }
    *out_len = used;
    return DM_OK;
}

/* The n-grams of up to 3 units ending at each unit, in the order
 * unigram, bigram, trigram; each one's hash is the one shorter n-gram's
 * (ending at the unit before) extended by ' ' and the unit's string, which
 * is dm_hash32 of "<prefix><t1> <t2> <t3>" without joining it. With explain
 * on, the joined strings are wanted as names: join them (join_ngrams). */
static dm_status join_ngrams(dm_featurizer *fz, const dm_ftok *toks, size_t n,
                             const char *prefix, int nmax,
                             bool only_with_placeholder)
{
    size_t plen = strlen(prefix);
    size_t window[3];   /* indices of the last units of this segment */
    int filled = 0;
    for (size_t i = 0; i < n; i++) {
        if (toks[i].boundary) {
            filled = 0;
            continue;
        }
        if (toks[i].skip)
            continue;
        if (filled == nmax) {
            memmove(window, window + 1, (size_t)(nmax - 1) * sizeof *window);
            filled--;
        }
        window[filled++] = i;
        for (int g = 1; g <= filled; g++) {
            const size_t *idx = window + filled - g;
            if (only_with_placeholder) {
                bool any = false;
                for (int k = 0; k < g; k++)
                    any |= toks[idx[k]].placeholder != 0;
                if (!any)
                    continue;
            }
            size_t len;
            if (join(&fz->sc, prefix, plen, toks, idx, g, &len) != DM_OK ||
                dm_fz_add_hashed(fz, fz->sc.buf, len, 1.0) != DM_OK)
                return DM_E_NOMEM;
        }
    }
    return DM_OK;
}

/* dm_hash_stream_add of ' ' and then t's bytes. */
static inline void add_word(dm_hash_stream *s, const dm_ftok *t)
{
    dm_hash_stream_add_byte(s, ' ');
    dm_hash_stream_add(s, t->s, t->len);
}

/* Every n-gram (no placeholder needed), nmax <= 3: the unit's n-grams in
 * the order unigram, bigram, trigram, as the general loop below pushes
 * them, written straight into the family after one capacity check per
 * unit (not dm_fz_add_hash's per n-gram), the states in locals. */
static dm_status all_word_ngrams(dm_featurizer *fz, const dm_ftok *toks, size_t n,
                                 const dm_hash_stream *start, int nmax)
{
    dm_scratch *sc = &fz->sc;
    const uint32_t mask = fz->mask;
    dm_hash_stream g1 = *start, g2 = *start, g3 = *start; /* the 1-, 2-, 3-gram ending here */
    int filled = 0; /* n-grams ending at the last unit */
    for (size_t i = 0; i < n; i++) {
        const dm_ftok *t = &toks[i];
        if (t->boundary) {
            filled = 0;
            continue;
        }
        if (t->skip)
            continue;
        if (sc->capfam - sc->nfam < 3 &&
            dm_fz_grow((void **)&sc->fam, &sc->capfam, sc->nfam + 3, sizeof *sc->fam) != DM_OK)
            return DM_E_NOMEM;
        dm_rawfeat *o = sc->fam + sc->nfam;
        if (filled == nmax)
            filled--;
        /* longest first: each extends the one shorter ending before */
        if (filled == 2) {
            g3 = g2;
            add_word(&g3, t);
        }
        if (filled >= 1) {
            g2 = g1;
            add_word(&g2, t);
        }
        g1 = *start;
        dm_hash_stream_add(&g1, t->s, t->len);
        o[0].index = dm_hash_stream_end(&g1) & mask;
        o[0].value = 1.0f;
        if (filled >= 1) {
            o[1].index = dm_hash_stream_end(&g2) & mask;
            o[1].value = 1.0f;
        }
        if (filled == 2) {
            o[2].index = dm_hash_stream_end(&g3) & mask;
            o[2].value = 1.0f;
        }
        filled++;
        sc->nfam += (size_t)filled;
    }
    return DM_OK;
}

dm_status dm_fz_word_ngrams(dm_featurizer *fz, const dm_ftok *toks, size_t n,
                            const char *prefix, int nmax,
                            bool only_with_placeholder)
{
    if (fz->explain || nmax > 3)
        return join_ngrams(fz, toks, n, prefix, nmax, only_with_placeholder);
    dm_hash_stream start, gram[3]; /* gram[g - 1]: the g-gram ending here */
    bool holder[3];                /* ... has a placeholder */
    dm_hash_stream_init(&start, fz->settings.hash_seed);
    dm_hash_stream_add(&start, prefix, strlen(prefix));
    if (!only_with_placeholder)
        return all_word_ngrams(fz, toks, n, &start, nmax);
    int filled = 0;
    int since = nmax; /* units since the last placeholder (nmax: none near) */
    for (size_t i = 0; i < n; i++) {
        const dm_ftok *t = &toks[i];
        if (t->boundary) {
            filled = 0;
            since = nmax;
            continue;
        }
        if (t->skip)
            continue;
        if (only_with_placeholder) {
            /* A unit with no placeholder within nmax - 1 units either side
             * (same segment) is in no n-gram that is kept: it ends the
             * window as a boundary does and is not hashed. The n-grams
             * after it start after it, as they would anyway. Most of a
             * sentence is such units ("t:" n-grams, once per target). */
            since = t->placeholder ? 0 : since < nmax ? since + 1 : nmax;
            bool near = since < nmax;
            for (size_t j = i + 1, k = 1; !near && j < n && k < (size_t)nmax; j++) {
                if (toks[j].boundary)
                    break;
                if (toks[j].skip)
                    continue;
                near = toks[j].placeholder != 0;
                k++;
            }
            if (!near) {
                filled = 0;
                continue;
            }
        }
        if (filled == nmax)
            filled--;
        /* longest first: gram[g - 1] is read. Written out for nmax <= 3:
         * as a loop, the compiler moved the states with a memmove call. */
        if (filled == 2) {
            gram[2] = gram[1];
            dm_hash_stream_add_byte(&gram[2], ' ');
            dm_hash_stream_add(&gram[2], t->s, t->len);
            holder[2] = holder[1] || t->placeholder != 0;
        }
        if (filled >= 1) {
            gram[1] = gram[0];
            dm_hash_stream_add_byte(&gram[1], ' ');
            dm_hash_stream_add(&gram[1], t->s, t->len);
            holder[1] = holder[0] || t->placeholder != 0;
        }
        gram[0] = start;
        dm_hash_stream_add(&gram[0], t->s, t->len);
        holder[0] = t->placeholder != 0;
        filled++;
        for (int g = 0; g < filled; g++)
            if ((!only_with_placeholder || holder[g]) &&
                dm_fz_add_hash(fz, dm_hash_stream_end(&gram[g]), 1.0) != DM_OK)
                return DM_E_NOMEM;
    }
    return DM_OK;
}

#define MAX_WORD_CHARS 64

dm_status dm_fz_char_ngrams(dm_featurizer *fz)
{
    dm_scratch *sc = &fz->sc;
    int lo = fz->settings.char_ngram_min, hi = fz->settings.char_ngram_max;
    for (size_t t = 0; t < sc->ntoks; t++) {
        const dm_ftok *tok = &sc->toks[t];
        if (tok->kind != DM_TOKEN_WORD || tok->placeholder) /* names: "<A>" */
            continue;
        /* "c:" + ' ' + word + ' ': the spaces mark the word's edges. */
        size_t need = tok->len + 8;
        if (dm_fz_grow((void **)&sc->buf, &sc->capbuf, need, 1) != DM_OK)
            return DM_E_NOMEM;
        char *w = sc->buf + 2;
        memcpy(sc->buf, "c:", 2);
        w[0] = ' ';
        memcpy(w + 1, tok->s, tok->len);
        w[tok->len + 1] = ' ';
        int32_t wlen = (int32_t)tok->len + 2;
        /* starts[k]: byte offset of character k; starts[nchars]: the end.
         * Words longer than MAX_WORD_CHARS characters are cut there. */
        int32_t starts[MAX_WORD_CHARS + 1];
        int nchars = 0;
        int32_t i = 0;
        while (i < wlen && nchars < MAX_WORD_CHARS) {
            UChar32 c;
            starts[nchars++] = i;
            U8_NEXT_OR_FFFD(w, i, wlen, c);
            (void)c;
        }
        starts[nchars] = i;
        char gram[2 + 4 * 6];
        memcpy(gram, "c:", 2);
        for (int a = 0; a < nchars; a++)
            for (int g = lo; g <= hi && a + g <= nchars; g++) {
                size_t blen = (size_t)(starts[a + g] - starts[a]);
                if (blen + 2 > sizeof gram)
                    break;
                memcpy(gram + 2, w + starts[a], blen);
                if (dm_fz_add_hashed(fz, gram, blen + 2, 1.0) != DM_OK)
                    return DM_E_NOMEM;
            }
    }
    return DM_OK;
}
