/* dm_text_create: ICU normalisation that remembers where every normalised
 * byte came from.
 *
 * One pass over the original bytes (ICU U8_NEXT). Each code point is
 * classified: dropped (controls, invisible format characters), white space
 * (collapsed, line breaks become one '\n'), a quote mark (mapped to '"' or
 * '\'' with its typographic hint), or ordinary text. Ordinary text is gathered
 * into chunks that start at an NFKC normalisation boundary
 * (unorm2_hasBoundaryBefore); a chunk is normalised as a unit and every output
 * byte of it maps to the chunk's whole original byte range. ASCII followed by
 * ASCII is its own chunk and is copied without calling ICU: the common case
 * costs a few comparisons. Everything is O(n) with amortised buffer growth. */
#include "text/text_internal.h"
#include "core/bytes_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef enum char_class {
    CC_TEXT = 0,
    CC_DROP,
    CC_SPACE,
    CC_BREAK,
    CC_SQUOTE,
    CC_DQUOTE
} char_class;

typedef enum pending_ws { WS_NONE = 0, WS_SPACE, WS_BREAK } pending_ws;

#define BUILDER_INLINE 64

typedef struct builder {
    char *out;
    uint32_t *start, *end;
    uint8_t *hint;
    size_t len, cap;
    pending_ws ws;            /* white space seen since the last output */
    size_t ws_start, ws_end;  /* its original range */
    int ws_breaks;            /* line breaks in it ("\r\n" counts once) */
    UChar32 ws_last;          /* its last character */
    bool join_wrapped;        /* DM_TEXT_JOIN_WRAPPED_LINES */
    /* the current NFKC chunk; chunk and nfkc point at the inline arrays
     * until a longer chunk needs the heap (most texts never do: two
     * allocations a text saved) */
    UChar *chunk;
    int32_t chunk_len, chunk_cap;
    size_t chunk_start, chunk_end;
    UChar *nfkc;              /* normalisation output scratch */
    int32_t nfkc_cap;
    UChar chunk_inline[BUILDER_INLINE], nfkc_inline[BUILDER_INLINE];
    const UNormalizer2 *nfkc_norm;
    bool failed;              /* allocation or ICU failure */
    UErrorCode icu_status;
} builder;

static bool grow(builder *b, size_t extra)
{
    size_t cap = b->cap * 2;
    if (cap < b->len + extra)
        cap = b->len + extra;
    char *out = realloc(b->out, cap + 1);
    if (out)
        b->out = out;
    uint32_t *start = realloc(b->start, cap * sizeof *start);
    if (start)
        b->start = start;
    uint32_t *end = realloc(b->end, cap * sizeof *end);
    if (end)
        b->end = end;
    uint8_t *hint = realloc(b->hint, cap);
    if (hint)
        b->hint = hint;
    if (!out || !start || !end || !hint) {
        b->failed = true;
        return false;
    }
    b->cap = cap;
    return true;
}

static inline bool reserve(builder *b, size_t extra)
{
    return b->len + extra <= b->cap || grow(b, extra);
}

static inline void put_byte(builder *b, char c, size_t s, size_t e, uint8_t h)
{
    b->out[b->len] = c;
    b->start[b->len] = (uint32_t)s;
    b->end[b->len] = (uint32_t)e;
    b->hint[b->len] = h;
    b->len++;
}

/* A single line break inside a sentence of hard-wrapped text: after a
 * lowercase letter or , ; - and before a letter or digit ("the United\n
 * Nations"), or after a capital or digit and before a lowercase letter. */
static bool is_wrapped_line(const builder *b, UChar32 next)
{
    if (b->ws_breaks != 1)
        return false;
    unsigned char last = (unsigned char)b->out[b->len - 1];
    bool mid_sentence = last >= 0x80 || (last >= 'a' && last <= 'z') ||
                        last == ',' || last == ';' || last == '-';
    if (mid_sentence)
        return u_isalnum(next);
    bool word = (last >= 'A' && last <= 'Z') || (last >= '0' && last <= '9');
    return word && u_islower(next);
}

/* Output the pending white space (if any text precedes it) before the
 * character `next`: this is where runs collapse and where leading/trailing
 * white space disappears. */
static inline void flush_ws(builder *b, UChar32 next)
{
    if (b->ws != WS_NONE && b->len > 0) {
        bool line = b->ws == WS_BREAK &&
                    !(b->join_wrapped && is_wrapped_line(b, next));
        put_byte(b, line ? '\n' : ' ', b->ws_start, b->ws_end, 0);
    }
    b->ws = WS_NONE;
}

static inline void note_ws(builder *b, pending_ws kind, UChar32 c, size_t s,
                           size_t e)
{
    if (b->ws == WS_NONE) {
        b->ws_start = s;
        b->ws_breaks = 0;
        b->ws_last = 0;
    }
    if (kind == WS_BREAK && !(c == '\n' && b->ws_last == '\r'))
        b->ws_breaks++;
    if (kind > b->ws)
        b->ws = kind;
    b->ws_end = e;
    b->ws_last = c;
}

static void emit_cp(builder *b, UChar32 c, size_t s, size_t e, uint8_t h)
{
    if (!reserve(b, 5))
        return;
    flush_ws(b, c);
    uint8_t bytes[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(bytes, n, c);
    for (int32_t i = 0; i < n; i++)
        put_byte(b, (char)bytes[i], s, e, h);
}

/* realloc for a scratch array that may still be the builder's inline one
 * (`n` UChars in use). */
static UChar *scratch_realloc(UChar *p, const UChar *inline_array, int32_t n, int32_t cap)
{
    if (p != inline_array)
        return realloc(p, (size_t)cap * sizeof *p);
    UChar *q = malloc((size_t)cap * sizeof *q);
    if (q)
        memcpy(q, p, (size_t)n * sizeof *q);
    return q;
}

static bool chunk_push(builder *b, UChar32 c)
{
    if (b->chunk_len + 2 > b->chunk_cap) {
        int32_t cap = b->chunk_cap * 2;
        UChar *chunk = scratch_realloc(b->chunk, b->chunk_inline, b->chunk_len, cap);
        if (!chunk) {
            b->failed = true;
            return false;
        }
        b->chunk = chunk;
        b->chunk_cap = cap;
    }
    U16_APPEND_UNSAFE(b->chunk, b->chunk_len, c);
    return true;
}

/* Class of a code point, and its quote hint when it is a quote mark. */
static char_class classify(UChar32 c, uint8_t *hint)
{
    switch (c) {
    case '\n': case '\r': case 0x0B: case 0x0C: case 0x1C: case 0x1D:
    case 0x1E: case 0x85: case 0x2028: case 0x2029:
        return CC_BREAK;
    case '\t': case 0x1F:
        return CC_SPACE;
    case 0x200C: case 0x200D:   /* ZWNJ/ZWJ shape scripts and emoji: keep */
        return CC_TEXT;
    case 0x201C: case 0x201E: case 0x201F: case 0x00AB: case 0x301D:
        *hint = DM_QUOTE_HINT_OPEN;
        return CC_DQUOTE;
    case 0x201D: case 0x00BB: case 0x301E: case 0x301F:
        *hint = DM_QUOTE_HINT_CLOSE;
        return CC_DQUOTE;
    case '"': case 0x2033: case 0x2036: case 0xFF02:
        *hint = DM_QUOTE_HINT_AMBIGUOUS;
        return CC_DQUOTE;
    case 0x2018: case 0x201A: case 0x201B: case 0x2039:
        *hint = DM_QUOTE_HINT_OPEN;
        return CC_SQUOTE;
    case 0x2019: case 0x203A: case 0x02BC:
        *hint = DM_QUOTE_HINT_CLOSE;
        return CC_SQUOTE;
    case '\'': case 0x2032: case 0x2035: case '`': case 0x00B4: case 0xFF07:
        *hint = DM_QUOTE_HINT_AMBIGUOUS;
        return CC_SQUOTE;
    default:
        break;
    }
    if (c < 0x80)
        return (c < 0x20 || c == 0x7F) ? CC_DROP : (c == ' ' ? CC_SPACE : CC_TEXT);
    int8_t type = u_charType(c);
    if (type == U_SPACE_SEPARATOR)
        return CC_SPACE;
    if (type == U_CONTROL_CHAR)
        return CC_DROP;
    /* Soft hyphen, BOM, zero-width space, bidi marks: invisible, and they
     * would split words. Prepended concatenation marks (Arabic number signs)
     * carry meaning and stay. */
    if (type == U_FORMAT_CHAR &&
        !u_hasBinaryProperty(c, UCHAR_PREPENDED_CONCATENATION_MARK))
        return CC_DROP;
    return CC_TEXT;
}

/* Normalise the current chunk and emit it, every byte mapped to the
 * chunk's original range. */
static void flush_chunk(builder *b)
{
    if (b->chunk_len == 0)
        return;
    size_t s = b->chunk_start, e = b->chunk_end;
    const UChar *src = b->chunk;
    int32_t n = b->chunk_len;
    b->chunk_len = 0;
    if (!(n == 1 && src[0] < 0x80)) {
        UErrorCode st = U_ZERO_ERROR;
        int32_t need = unorm2_normalize(b->nfkc_norm, src, n, b->nfkc,
                                        b->nfkc_cap, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            UChar *grown = scratch_realloc(b->nfkc, b->nfkc_inline, 0, need);
            if (!grown) {
                b->failed = true;
                return;
            }
            b->nfkc = grown;
            b->nfkc_cap = need;
            st = U_ZERO_ERROR;
            need = unorm2_normalize(b->nfkc_norm, src, n, b->nfkc,
                                    b->nfkc_cap, &st);
        }
        if (U_FAILURE(st)) {
            b->failed = true;
            b->icu_status = st;
            return;
        }
        src = b->nfkc;
        n = need;
    }
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(src, i, n, c);
        /* NFKC can yield spaces (U+00A8 -> " \u0308") and primes (U+2034 ->
         * three U+2032): give them the same treatment as typed ones. */
        uint8_t hint = DM_QUOTE_HINT_NONE;
        switch (classify(c, &hint)) {
        case CC_SPACE: note_ws(b, WS_SPACE, c, s, e); break;
        case CC_BREAK: note_ws(b, WS_BREAK, c, s, e); break;
        case CC_DROP: break;
        case CC_DQUOTE: emit_cp(b, '"', s, e, hint); break;
        case CC_SQUOTE: emit_cp(b, '\'', s, e, hint); break;
        case CC_TEXT: emit_cp(b, c, s, e, DM_QUOTE_HINT_NONE); break;
        }
    }
}

/* The next code point at byte i (without consuming), or -1 at the end. */
static UChar32 peek(const uint8_t *s, size_t i, size_t len, size_t *next)
{
    if (i >= len) {
        *next = len;
        return -1;
    }
    UChar32 c;
    U8_NEXT_OR_FFFD(s, i, len, c);
    *next = i;
    return c;
}

/* Two single marks in a row: inside a word ("Britain’’s") they are one
 * apostrophe, elsewhere ('' or ’’ around a quotation) a double quote. */
static void emit_single_quote(builder *b, const uint8_t *s, size_t len,
                              size_t start, size_t *i, uint8_t hint,
                              UChar32 prev)
{
    size_t after_second;
    UChar32 second = peek(s, *i, len, &after_second);
    uint8_t hint2 = DM_QUOTE_HINT_NONE;
    if (second < 0 || classify(second, &hint2) != CC_SQUOTE) {
        emit_cp(b, '\'', start, *i, hint);
        return;
    }
    size_t after_third;
    UChar32 third = peek(s, after_second, len, &after_third);
    bool in_word = prev >= 0 && u_isalnum(prev) && third >= 0 && u_isalpha(third);
    uint8_t pair_hint = hint == hint2 ? hint : DM_QUOTE_HINT_AMBIGUOUS;
    emit_cp(b, in_word ? '\'' : '"', start, after_second,
            in_word ? hint : pair_hint);
    *i = after_second;
}

static void builder_free(builder *b)
{
    free(b->out);
    free(b->start);
    free(b->end);
    free(b->hint);
    if (b->chunk != b->chunk_inline)
        free(b->chunk);
    if (b->nfkc != b->nfkc_inline)
        free(b->nfkc);
}

/* Printable ASCII other than quotes and space: text, no table needed. */
static inline bool plain_ascii_byte(uint8_t c)
{
    return (c > '\'' && c < 0x7F && c != '`') || (c > '"' && c < '\'') || c == '!';
}

/* Most calls find no chunk: the test without the call. */
static inline void flush_pending_chunk(builder *b)
{
    if (b->chunk_len > 0)
        flush_chunk(b);
}

/* The common text: printable ASCII with one space between words and none
 * at either end, no '`' (a quote mark that becomes '\'') and no two single
 * quotes in a row (which may become '"'). Normalising it changes nothing:
 * the loop below would copy every byte from its own range, the quote marks
 * ('"' and '\'') with the ambiguous hint, all others with none. Most
 * statements are such texts (88% of the benchmark's sentences): one pass to
 * check, one to copy, and no map (dm_text.identity). */
static bool plain_byte(const uint8_t *s, size_t len, size_t i)
{
    uint8_t c = s[i];
    return c >= 0x20 && c < 0x7F && c != '`' &&
           !((c == ' ' || c == '\'') && i + 1 < len && s[i + 1] == c);
}

static bool plain_text(const uint8_t *s, size_t len)
{
    if (len == 0 || s[0] == ' ' || s[len - 1] == ' ')
        return false;
    /* 16 bytes at a time where SSE2 is, then 8 (and the 16 or 8 after each
     * by one, for pairs): any byte below 0x20, above 0x7E, '`', or a space
     * or quote followed by itself */
    size_t i = 0;
#ifdef __SSE2__
    {
        const __m128i ctl = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F),
                      grave = _mm_set1_epi8('`'), space = _mm_set1_epi8(' '),
                      quote = _mm_set1_epi8('\'');
        for (; i + 17 <= len; i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i next = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 1));
            /* signed: 0x80 and above are negative, below 0x20 */
            __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, ctl), _mm_cmpeq_epi8(x, del)),
                                       _mm_cmpeq_epi8(x, grave));
            __m128i pair = _mm_and_si128(_mm_cmpeq_epi8(x, next),
                                         _mm_or_si128(_mm_cmpeq_epi8(x, space),
                                                      _mm_cmpeq_epi8(x, quote)));
            if (_mm_movemask_epi8(_mm_or_si128(bad, pair)))
                return false;
        }
    }
#endif
    for (; i + 9 <= len; i += 8) {
        uint64_t w = dm_bytes_load8((const char *)s + i);
        uint64_t same = w ^ dm_bytes_load8((const char *)s + i + 1); /* 0 where a byte repeats */
        uint64_t bad = dm_bytes_has_less(w, 0x20) |
                       (((w + DM_BYTES_ONES) | w) & DM_BYTES_HIGH) | /* 0x7F and above */
                       dm_bytes_has(w, '`') |
                       dm_bytes_has_zero(same | (w ^ DM_BYTES_ONES * ' ')) |
                       dm_bytes_has_zero(same | (w ^ DM_BYTES_ONES * '\''));
        if (bad)
            return false;
    }
    for (; i < len; i++)
        if (!plain_byte(s, len, i))
            return false;
    return true;
}

/* Eight bytes that the run loop in normalise() would copy one by one, each
 * with its own range and no hint, ending where the loop takes its next
 * step: each byte printable ASCII other than '"', '\'' and '`' or a space,
 * no space followed by a space, the last byte no space, and the ninth byte
 * (p[8], which must be there) ASCII. A space then always precedes a plain
 * byte inside the eight (the loop's pair step), and the last byte, plain,
 * is followed by ASCII (its single step). tests/unit/test_text.c compares
 * the result with the loop's on random texts (DM_TEXT_BYTEWISE_INTERNAL). */
static inline bool plain_block(const uint8_t *p)
{
    uint64_t w = dm_bytes_load8((const char *)p);
    uint64_t same = w ^ dm_bytes_load8((const char *)p + 1); /* 0 where a byte repeats */
    uint64_t bad = dm_bytes_has_less(w, 0x20) |
                   (((w + DM_BYTES_ONES) | w) & DM_BYTES_HIGH) | /* 0x7F and above */
                   dm_bytes_has(w, '"') | dm_bytes_has(w, '\'') | dm_bytes_has(w, '`') |
                   dm_bytes_has_zero(same | (w ^ DM_BYTES_ONES * ' '));
    return !bad && p[7] != ' ' && p[8] < 0x80;
}

/* The eight bytes of a plain_block at original offset `at`: each its own
 * range, no hint (room reserved). */
static inline void put_block(builder *b, const uint8_t *p, size_t at)
{
    size_t o = b->len;
    memcpy(b->out + o, p, 8);
    memset(b->hint + o, 0, 8);
#ifdef __SSE2__
    /* at .. at + 7 and at + 1 .. at + 8, four at a time (SSE2, which
     * every x86-64 has) */
    __m128i lo = _mm_add_epi32(_mm_set1_epi32((int)(uint32_t)at), _mm_setr_epi32(0, 1, 2, 3));
    __m128i four = _mm_set1_epi32(4), one = _mm_set1_epi32(1);
    __m128i hi = _mm_add_epi32(lo, four);
    _mm_storeu_si128((__m128i *)(void *)(b->start + o), lo);
    _mm_storeu_si128((__m128i *)(void *)(b->start + o + 4), hi);
    _mm_storeu_si128((__m128i *)(void *)(b->end + o), _mm_add_epi32(lo, one));
    _mm_storeu_si128((__m128i *)(void *)(b->end + o + 4), _mm_add_epi32(hi, one));
#else
    for (size_t k = 0; k < 8; k++) {
        b->start[o + k] = (uint32_t)(at + k);
        b->end[o + k] = (uint32_t)(at + k + 1);
    }
#endif
    b->len = o + 8;
}

static void normalise(builder *b, const uint8_t *s, size_t len,
                      size_t *invalid, unsigned options)
{
    UChar32 prev = -1;   /* previous kept code point, for in-word tests */
    size_t i = 0;
    while (i < len && !b->failed) {
        size_t start = i;
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0) {
            c = 0xFFFD;
            (*invalid)++;
        }
        uint8_t hint = DM_QUOTE_HINT_NONE;
        bool plain_ascii = c >= 0 && c < 0x80 && plain_ascii_byte((uint8_t)c);
        char_class cls = plain_ascii ? CC_TEXT : classify(c, &hint);
        if (cls == CC_TEXT) {
            if (c >= 0x80 && b->chunk_len > 0 &&
                !unorm2_hasBoundaryBefore(b->nfkc_norm, c)) {
                chunk_push(b, c);            /* combining: joins the chunk */
                b->chunk_end = i;
            } else if (c < 0x80 && (i >= len || s[i] < 0x80)) {
                flush_pending_chunk(b);              /* ASCII then ASCII: fast path */
                if (!reserve(b, 2))
                    break;
                flush_ws(b, c);
                put_byte(b, (char)c, start, i, 0);
                /* and the run of such bytes after it: no chunk and no white
                 * space pending, each byte is copied with its own range. A
                 * single space before such a byte is copied too: the slow
                 * way would note it (from i to i + 1) and put it out, with
                 * that range, when the byte after it comes (the next byte
                 * being ASCII, that byte takes the fast way, which flushes
                 * it first). */
                while (i < len && reserve(b, 3)) {
                    if (i + 9 <= len && !(options & DM_TEXT_BYTEWISE_INTERNAL) &&
                        plain_block(s + i) && reserve(b, 8)) {
                        put_block(b, s + i, i);
                        prev = s[i + 7];
                        i += 8;
                        continue;
                    }
                    if (plain_ascii_byte(s[i]) && (i + 1 >= len || s[i + 1] < 0x80)) {
                        put_byte(b, (char)s[i], i, i + 1, 0);
                        prev = s[i];
                        i++;
                    } else if (s[i] == ' ' && i + 1 < len && plain_ascii_byte(s[i + 1]) &&
                               (i + 2 >= len || s[i + 2] < 0x80)) {
                        put_byte(b, ' ', i, i + 1, 0);
                        put_byte(b, (char)s[i + 1], i + 1, i + 2, 0);
                        prev = s[i + 1];
                        i += 2;
                    } else {
                        break;
                    }
                }
                if (b->failed)
                    break;
                if (i > start + 1)
                    continue;
            } else {
                flush_pending_chunk(b);
                chunk_push(b, c);
                b->chunk_start = start;
                b->chunk_end = i;
            }
            prev = c;
            continue;
        }
        flush_pending_chunk(b);
        switch (cls) {
        case CC_DROP:
            continue;                        /* keep prev: invisible */
        case CC_SPACE:
            note_ws(b, WS_SPACE, c, start, i);
            break;
        case CC_BREAK:
            note_ws(b, WS_BREAK, c, start, i);
            break;
        case CC_DQUOTE:
            emit_cp(b, '"', start, i, hint);
            break;
        case CC_SQUOTE:
            emit_single_quote(b, s, len, start, &i, hint, prev);
            break;
        case CC_TEXT:
            break;
        }
        prev = c;
    }
    flush_pending_chunk(b);
}

dm_status dm_text_create(const char *original, size_t len, dm_text **out,
                         dm_error *err)
{
    return dm_text_create_with(original, len, 0, out, err);
}

/* original[0..len) normalised into *tp: a new text when *tp is NULL, else
 * *tp with its buffers reused, grown (doubled) when they are too small.
 * On failure *tp is destroyed and NULL. */
static dm_status fill_text(dm_text **tp, const char *original, size_t len,
                           unsigned options, dm_error *err)
{
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&st);
    if (U_FAILURE(st)) {
        dm_text_destroy(tp);
        return dm_error_set(err, DM_E_INTERNAL, NULL, 0,
                            "ICU NFKC normaliser unavailable: %s",
                            u_errorName(st));
    }
    dm_text *t = *tp;
    if (!t) {
        /* The text and its copy of the original in one block (dm_text_destroy
         * frees the copy only when it is not that one). */
        t = malloc(sizeof *t + len + 1);
        if (!t)
            return dm_error_set(err, DM_E_NOMEM, NULL, 0,
                                "out of memory normalising %zu bytes", len);
        memset(t, 0, sizeof *t);
        t->original = (char *)(t + 1);
        t->original_cap = len;
        *tp = t;
    } else if (len > t->original_cap) {
        size_t cap = t->original_cap * 2 > len ? t->original_cap * 2 : len;
        char *o = t->original == (char *)(t + 1) ? malloc(cap + 1)
                                                 : realloc(t->original, cap + 1);
        if (!o) {
            dm_text_destroy(tp);
            return dm_error_set(err, DM_E_NOMEM, NULL, 0,
                                "out of memory normalising %zu bytes", len);
        }
        t->original = o;
        t->original_cap = cap;
    }
    if (len)
        memcpy(t->original, original, len);
    t->original[len] = '\0';
    t->original_len = len;
    t->invalid_utf8 = 0;
    /* A text that normalising leaves as it is: the copy is also the
     * normalised text, with no map (dm_text.identity; a reused text keeps
     * its map buffers for the next one). */
    if (!(options & DM_TEXT_ALWAYS_MAP_INTERNAL) &&
        plain_text((const uint8_t *)original, len)) {
        t->norm = t->original;
        t->norm_len = len;
        t->identity = true;
        return DM_OK;
    }
    t->identity = false;
    builder b = {0};
    b.nfkc_norm = nfkc;
    b.join_wrapped = (options & DM_TEXT_JOIN_WRAPPED_LINES) != 0;
    /* the builder works in the text's buffers (the text's again at the end) */
    b.out = t->norm_buf;
    b.start = t->orig_start;
    b.end = t->orig_end;
    b.hint = t->hint;
    b.cap = t->map_cap;
    t->norm = t->norm_buf = NULL;
    t->orig_start = t->orig_end = NULL;
    t->hint = NULL;
    t->map_cap = 0;
    b.chunk_cap = BUILDER_INLINE;
    b.chunk = b.chunk_inline;
    b.nfkc_cap = BUILDER_INLINE;
    b.nfkc = b.nfkc_inline;
    size_t want = len + len / 8 + 16;
    if (b.cap < want) {
        /* new buffers, not realloc'd ones: nothing in them is kept */
        free(b.out);
        free(b.start);
        free(b.end);
        free(b.hint);
        b.out = NULL;
        b.start = b.end = NULL;
        b.hint = NULL;
    }
    if (b.cap < want && !grow(&b, want)) {
        builder_free(&b);
        dm_text_destroy(tp);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0,
                            "out of memory normalising %zu bytes", len);
    }
    normalise(&b, (const uint8_t *)original, len, &t->invalid_utf8, options);
    if (b.failed) {
        dm_status status = U_FAILURE(b.icu_status) ? DM_E_INTERNAL : DM_E_NOMEM;
        const char *why = U_FAILURE(b.icu_status) ? u_errorName(b.icu_status)
                                                  : "out of memory";
        builder_free(&b);
        dm_text_destroy(tp);
        return dm_error_set(err, status, NULL, 0, "normalising text: %s", why);
    }
    b.out[b.len] = '\0';
    t->norm = t->norm_buf = b.out;
    t->norm_len = b.len;
    t->orig_start = b.start;
    t->orig_end = b.end;
    t->hint = b.hint;
    t->map_cap = b.cap;
    b.out = NULL;               /* the text's now */
    b.start = b.end = NULL;
    b.hint = NULL;
    builder_free(&b);
    return DM_OK;
}

static dm_status check_create(const char *original, size_t len, const void *out,
                              dm_error *err)
{
    if (!out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_text_create: out is NULL");
    if (!original && len > 0)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_text_create: original is NULL");
    if (len > DM_TEXT_MAX_LEN)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_text_create: text of %zu bytes is too long", len);
    return DM_OK;
}

dm_status dm_text_create_with(const char *original, size_t len,
                              unsigned options, dm_text **out, dm_error *err)
{
    if (out)
        *out = NULL;
    dm_status st = check_create(original, len, out, err);
    return st != DM_OK ? st : fill_text(out, original, len, options, err);
}

dm_status dm_text_renew_internal(dm_text **text, const char *original, size_t len,
                                 unsigned options, dm_error *err)
{
    dm_status st = check_create(original, len, text, err);
    if (st != DM_OK) {
        dm_text_destroy(text);
        return st;
    }
    return fill_text(text, original, len, options, err);
}
