/* Tokens (ICU word break iterator) and case folding (u_strFoldCase).
 *
 * Tokens and their folded strings come from two allocations per call: the
 * token array and one pool holding every folded string. ASCII tokens (most
 * of English news) are folded without leaving UTF-8. */
#include "text/tokenize_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

static bool u16_reserve(token_builder *tb, int32_t need)
{
    if (need <= tb->u16_cap)
        return true;
    UChar *u16 = realloc(tb->u16, (size_t)need * sizeof *u16);
    if (!u16) {
        tb->status = DM_E_NOMEM;
        return false;
    }
    tb->u16 = u16;
    tb->u16_cap = need;
    return true;
}

/* Full case folding of s[0..n) appended to the pool, NUL-terminated.
 * The scratch holds the UTF-16 input in its first half and the folded
 * text in the second (folding grows text at most 3x). The folded length
 * (without the NUL) is the pool's growth less one. */
static bool fold_into_pool(token_builder *tb, const char *s, size_t n)
{
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) {
            ascii = false;
            break;
        }
    if (ascii) {
        if (!pool_reserve(tb, n + 1))
            return false;
        char *dst = tb->pool + tb->pool_len;
        for (size_t i = 0; i < n; i++)
            dst[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
        dst[n] = '\0';
        tb->pool_len += n + 1;
        return true;
    }
    int32_t in_cap = (int32_t)n + 1, out_cap = 3 * (int32_t)n + 1;
    if (!u16_reserve(tb, in_cap + out_cap))
        return false;
    UChar *in = tb->u16, *folded = tb->u16 + in_cap;
    UErrorCode st = U_ZERO_ERROR;
    int32_t in_len = 0;
    u_strFromUTF8WithSub(in, in_cap, &in_len, s, (int32_t)n, 0xFFFD, NULL, &st);
    int32_t folded_len = U_SUCCESS(st)
        ? u_strFoldCase(folded, out_cap, in, in_len, U_FOLD_CASE_DEFAULT, &st)
        : 0;
    if (U_FAILURE(st)) {
        tb->status = DM_E_INTERNAL;
        tb->icu_status = st;
        return false;
    }
    size_t max_bytes = 3 * (size_t)folded_len + 1;
    if (!pool_reserve(tb, max_bytes))
        return false;
    int32_t out_len = 0;
    u_strToUTF8(tb->pool + tb->pool_len, (int32_t)max_bytes, &out_len, folded,
                folded_len, &st);
    if (U_FAILURE(st)) {
        tb->status = DM_E_INTERNAL;
        tb->icu_status = st;
        return false;
    }
    tb->pool_len += (size_t)out_len + 1;   /* u_strToUTF8 wrote the NUL */
    return true;
}

static void add_token(token_builder *tb, const char *s, size_t start,
                      size_t end, dm_token_kind kind)
{
    if (!token_room(tb))
        return;
    size_t folded_at = tb->pool_len;
    if (!fold_into_pool(tb, s + start, end - start))
        return;
    dm_token *t = &tb->v[tb->n++];
    t->start = start;
    t->end = end;
    t->kind = kind;
    /* The pool may still move: keep the offset, make it a pointer at the end. */
    t->folded = (const char *)(uintptr_t)folded_at;
    t->folded_len = tb->pool_len - folded_at - 1;
    UChar32 c;
    size_t i = start;
    U8_NEXT_OR_FFFD((const uint8_t *)s, i, end, c);
    /* ASCII answers without ICU: A-Z are upper case, no ASCII is title case */
    t->capitalized = kind == DM_TOKEN_WORD &&
                     (c < 0x80 ? c >= 'A' && c <= 'Z' : u_isupper(c) || u_istitle(c));
}

/* A non-word segment: one token per mark, white space and invisible
 * controls skipped. */
static void add_punctuation(token_builder *tb, const char *s, size_t a,
                            size_t b)
{
    size_t i = a;
    while (i < b && tb->status == DM_OK) {
        size_t start = i;
        UChar32 c;
        U8_NEXT_OR_FFFD((const uint8_t *)s, i, b, c);
        if (c < 0x80 ? dm_ascii_unmarked(c) : u_isUWhiteSpace(c) || u_iscntrl(c))
            continue;
        add_token(tb, s, start, i, DM_TOKEN_PUNCT);
    }
}

void dm_tokens_free(dm_tokens *tokens)
{
    if (!tokens)
        return;
    free(tokens->v);
    free(tokens->pool_);
    tokens->v = NULL;
    tokens->n = 0;
    tokens->pool_ = NULL;
}

/* dm_tokenize and dm_tokenize_reuse: `tb` comes with the buffers to fill
 * (none, or an earlier call's); they end in `out`, or are freed on failure. */
static dm_status tokenize(const char *utf8, size_t len, bool icu_only, token_builder *tb,
                          dm_tokens *out, dm_error *err);

/* dm_tokenize and dm_tokenize_by_icu: fresh buffers. */
static dm_status tokenize_fresh(const char *utf8, size_t len, bool icu_only, dm_tokens *out,
                                dm_error *err)
{
    if (!out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_tokenize: out is NULL");
    out->v = NULL;
    out->n = 0;
    out->pool_ = NULL;
    token_builder tb = {0};
    return tokenize(utf8, len, icu_only, &tb, out, err);
}

dm_status dm_tokenize(const char *utf8, size_t len, dm_tokens *out,
                      dm_error *err)
{
    return tokenize_fresh(utf8, len, false, out, err);
}

dm_status dm_tokenize_by_icu(const char *utf8, size_t len, dm_tokens *out, dm_error *err)
{
    return tokenize_fresh(utf8, len, true, out, err);
}

dm_status dm_tokenize_reuse(const char *utf8, size_t len, dm_tokens *out, size_t *cap_v,
                            size_t *cap_pool, dm_error *err)
{
    if (!out || !cap_v || !cap_pool)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_tokenize_reuse: NULL argument");
    token_builder tb = {0};
    tb.v = out->v;
    tb.cap = out->v ? *cap_v : 0;
    tb.pool = out->pool_;
    tb.pool_cap = out->pool_ ? *cap_pool : 0;
    out->v = NULL;
    out->n = 0;
    out->pool_ = NULL;
    dm_status st = tokenize(utf8, len, false, &tb, out, err);
    *cap_v = out->v ? tb.cap : 0;
    *cap_pool = out->pool_ ? tb.pool_cap : 0;
    return st;
}

void dm_tokenize_icu_segments(UBreakIterator *bi, const int32_t *map, const char *utf8,
                         size_t base, token_builder *tb)
{
    size_t prev = base;
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE && tb->status == DM_OK;
         b = ubrk_next(bi)) {
        size_t at = base + dm_break_offset(map, b);
        int32_t rule = ubrk_getRuleStatus(bi);
        if (rule >= UBRK_WORD_NUMBER && rule < UBRK_WORD_NUMBER_LIMIT)
            add_token(tb, utf8, prev, at, DM_TOKEN_NUMBER);
        else if (rule >= UBRK_WORD_LETTER && rule < UBRK_WORD_IDEO_LIMIT)
            add_token(tb, utf8, prev, at, DM_TOKEN_WORD);
        else
            add_punctuation(tb, utf8, prev, at);
        prev = at;
    }
}

static dm_status tokenize(const char *utf8, size_t len, bool icu_only, token_builder *tbp,
                          dm_tokens *out, dm_error *err)
{
    token_builder tb = *tbp;
    dm_status bad = DM_OK;
    if (!utf8 && len > 0)
        bad = dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_tokenize: utf8 is NULL");
    else if (len > (size_t)INT32_MAX / 4)
        bad = dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                           "dm_tokenize: text of %zu bytes is too long", len);
    if (bad != DM_OK || len == 0) {
        free(tb.v);
        free(tb.pool);
        return bad;
    }
    tb.status = DM_OK;
    tb.n = 0;
    tb.pool_len = 0;
    size_t pool_want = len + len / 2 + 16;
    if (tb.pool_cap < pool_want) {
        free(tb.pool);
        tb.pool_cap = pool_want;
        tb.pool = malloc(tb.pool_cap);
    }
    /* room for the tokens of a sentence of ordinary prose (a word and its
     * space: about a token per 4 bytes), so that most need no realloc;
     * long texts grow by doubling as before */
    size_t v_want = len < 4096 ? len / 4 + 16 : 1040;
    if (tb.cap < v_want) {
        free(tb.v);
        tb.cap = v_want;
        tb.v = malloc(tb.cap * sizeof *tb.v);
        if (!tb.v)
            tb.cap = 0;
    }
    if (!tb.pool) {
        free(tb.v);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory tokenising");
    }
    if (!icu_only) {
        dm_tokenize_ascii(utf8, len, &tb);
    } else {
        UErrorCode st = U_ZERO_ERROR;
        const int32_t *map;
        UBreakIterator *bi = dm_text_word_iterator(utf8, len, &map, &st);
        if (!bi) {
            free(tb.v);
            free(tb.pool);
            free(tb.u16);
            return dm_error_set(err, DM_E_INTERNAL, NULL, 0,
                                "ICU word break iterator: %s", u_errorName(st));
        }
        dm_tokenize_icu_segments(bi, map, utf8, 0, &tb);
    }
    free(tb.u16);
    if (tb.status != DM_OK) {
        free(tb.v);
        free(tb.pool);
        return dm_error_set(err, tb.status, NULL, 0, "tokenising: %s",
                            tb.status == DM_E_NOMEM ? "out of memory"
                                                    : u_errorName(tb.icu_status));
    }
    for (size_t i = 0; i < tb.n; i++)
        tb.v[i].folded = tb.pool + (uintptr_t)tb.v[i].folded;
    out->v = tb.v;
    out->n = tb.n;
    out->pool_ = tb.pool;
    tbp->cap = tb.cap;
    tbp->pool_cap = tb.pool_cap;
    return DM_OK;
}

dm_status dm_casefold(const char *utf8, size_t len, char **out, dm_error *err)
{
    if (!out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_casefold: out is NULL");
    *out = NULL;
    if (!utf8 && len > 0)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_casefold: utf8 is NULL");
    if (len > (size_t)INT32_MAX / 4)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_casefold: text of %zu bytes is too long", len);
    token_builder tb = {0};
    tb.status = DM_OK;
    bool ok = fold_into_pool(&tb, utf8 ? utf8 : "", len);
    free(tb.u16);
    if (!ok) {
        free(tb.pool);
        return dm_error_set(err, tb.status, NULL, 0, "case folding: %s",
                            tb.status == DM_E_NOMEM ? "out of memory"
                                                    : u_errorName(tb.icu_status));
    }
    *out = tb.pool;
    return DM_OK;
}
