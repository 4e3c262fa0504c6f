/* Statements to JSON, in the documented key order.
 *
 * Two encoders that print the same bytes: a streaming one (a small writer
 * with yajl's escaping rules: no tree of objects per statement, which cost
 * demarche-score a fifth of its time) and jansson's tree, kept for the one
 * case where they would differ: a field that is not valid UTF-8 (jansson
 * refuses such a string and its key is left out; the writer would print it).
 * The writer checks UTF-8 as it copies each string and, on the first
 * ill-formed one, throws its bytes away and lets jansson encode the
 * statement. The unit tests compare both on every byte value, on one bad
 * field at a time and on the real-number formats. */
#include "io/statement_json_internal.h"
#include "core/bytes_internal.h"

#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* Round to 4 decimals so that output is stable and readable. */
static json_t *rounded(double x)
{
    if (!isfinite(x))
        return json_null();
    return json_real(round(x * 10000.0) / 10000.0);
}

static int add_target(json_t *arr, const dm_target *t, const char *speaker_actor,
                      int flags)
{
    json_t *o = json_object();
    if (!o)
        return -1;
    json_object_set_new(o, "actor", string_or_null(t->actor));
    json_object_set_new(o, "mention", string_or_null(t->mention));
    json_object_set_new(o, "start", t->has_span ? json_integer((json_int_t)t->start) : json_null());
    json_object_set_new(o, "end", t->has_span ? json_integer((json_int_t)t->end) : json_null());
    /* The speaker's own actor ("Russia will never accept..." said by
     * Russia's minister): not a stance toward another; charts leave it out
     * of dyads by default. Present only when true. */
    if (t->actor && speaker_actor && strcmp(t->actor, speaker_actor) == 0)
        json_object_set_new(o, "self", json_true());
    if ((flags & DM_JSON_SCORES) && t->scored) {
        json_object_set_new(o, "stance", json_string(dm_stance_name(t->stance)));
        /* p(favor) - p(against): + is favor, as everywhere in demarche. */
        json_object_set_new(o, "favor_minus_against", rounded(t->score));
        json_t *p = json_object();
        json_object_set_new(p, "against", rounded(t->p[DM_STANCE_AGAINST]));
        json_object_set_new(p, "neutral", rounded(t->p[DM_STANCE_NEUTRAL]));
        json_object_set_new(p, "favor", rounded(t->p[DM_STANCE_FAVOR]));
        json_object_set_new(o, "p", p);
    }
    return json_array_append_new(arr, o);
}

/* The jansson encoder (see the top of the file). */
static dm_status to_json_tree(const dm_statement *st, const char *doc_id,
                              const char *date, int flags, char **out,
                              dm_error *err)
{
    json_t *o = json_object();
    json_t *targets = json_array();
    if (!o || !targets) {
        json_decref(o);
        json_decref(targets);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    json_object_set_new(o, "doc", string_or_null(doc_id));
    json_object_set_new(o, "index", json_integer(st->n));
    json_object_set_new(o, "date", string_or_null(date));
    json_object_set_new(o, "speaker", string_or_null(st->speaker));
    json_object_set_new(o, "speaker_role", string_or_null(st->speaker_role));
    json_object_set_new(o, "speaker_actor", string_or_null(st->speaker_actor));
    json_object_set_new(o, "cue", string_or_null(st->cue));
    json_object_set_new(o, "attribution", json_string(dm_attribution_name(st->attribution)));
    json_object_set_new(o, "kind", json_string(dm_statement_kind_name(st->kind)));
    json_object_set_new(o, "text", string_or_null(st->text));
    json_object_set_new(o, "start", json_integer((json_int_t)st->start));
    json_object_set_new(o, "end", json_integer((json_int_t)st->end));
    if ((flags & DM_JSON_CONTEXT) && st->context)
        json_object_set_new(o, "context", json_string(st->context));
    for (size_t i = 0; i < st->n_targets; i++)
        if (add_target(targets, &st->targets[i], st->speaker_actor, flags) != 0) {
            json_decref(o);
            json_decref(targets);
            return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        }
    json_object_set_new(o, "targets", targets);
    if ((flags & DM_JSON_SCORES) && st->scored) {
        json_t *h = json_object();
        json_object_set_new(h, "level", json_integer(st->hostility_level));
        json_object_set_new(h, "expected_level", rounded(st->hostility_expected));
        json_object_set_new(o, "hostility", h);
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(o);
    if (!s)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0,
                            "cannot encode statement as JSON (invalid UTF-8 in a field?)");
    *out = s;
    return DM_OK;
}

/* ---- the streaming encoder ---------------------------------------------- */

/* k / 10000 (k a whole number, |k| < 10^5; -0 as "-0.0") as "%.6g" prints
 * it with ".0" added when whole: five significant digits at most, never an
 * exponent, trailing zeros dropped; written without printf, which was a
 * tenth of the cost of a statement's JSON. At most 7 bytes, no NUL. */
static inline int put_decimal4(char *buf, double k)
{
    long m = labs((long)k);
    int n = 0;
    if (signbit(k))
        buf[n++] = '-';
    buf[n++] = (char)('0' + m / 10000); /* one integer digit: |x| < 10 */
    buf[n++] = '.';
    int frac = (int)(m % 10000);
    if (frac == 0) {
        buf[n++] = '0';
    } else {
        /* the four decimals at once, then as many as up to the last
         * non-zero one (a loop a digit and one to trim were half the
         * cost of this function) */
        buf[n] = (char)('0' + frac / 1000);
        buf[n + 1] = (char)('0' + frac / 100 % 10);
        buf[n + 2] = (char)('0' + frac / 10 % 10);
        buf[n + 3] = (char)('0' + frac % 10);
        n += frac % 10 ? 4 : frac % 100 ? 3 : frac % 1000 ? 2 : 1;
    }
    return n;
}

/* A real as jansson prints it with JSON_REAL_PRECISION(6): "%.6g", the
 * locale's decimal point made '.', ".0" appended when neither '.' nor 'e'
 * shows, the exponent without '+' or leading zeros. */
int dm_json_format_real_internal(double x, char *buf, size_t size)
{
    /* The scores printed: x the double nearest to k / 10000 with |k| < 10^5.
     * "%.6g" prints such an x as the decimal k / 10000 (five significant
     * digits at most, never an exponent: |x| >= 0.0001), trailing zeros
     * dropped; written here without printf, which was a tenth of the cost
     * of a statement's JSON. Checked against jansson for every such k. */
    double k = round(x * 10000.0);
    if (fabs(k) < 100000.0 && k / 10000.0 == x && size >= 16) {
        int n = put_decimal4(buf, k);
        buf[n] = '\0';
        return n;
    }
    int n = snprintf(buf, size, "%.6g", x);
    if (n < 0 || (size_t)n + 3 >= size)
        return -1;
    const char *point = localeconv()->decimal_point;
    if (point && point[0] && point[0] != '.' && !point[1]) {
        char *p = strchr(buf, point[0]);
        if (p)
            *p = '.';
    }
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(buf, 'e');
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, (size_t)n - (size_t)(end - buf) + 1);
            n -= (int)(end - start);
        }
    }
    return n;
}

/* The streaming encoder writes into one growing buffer, the caller's
 * (dm_statement_to_json_append) or a new one that becomes the result. Its
 * escaper is yajl's rules (the two-character escapes, \u00XX for the other
 * bytes below 0x20, everything else as it is) without yajl's per-byte
 * print callback and sprintf per integer, which were a tenth of
 * demarche-score --statements; test_json_output.c holds it to jansson's
 * bytes on every byte value and every Unicode scalar value. The keys, the
 * separators and the quotes around names go as literal runs, each written
 * at once ("\",\"kind\":\""), as the order of the keys is fixed. */
typedef struct json_writer {
    char *buf;
    size_t len, cap;
    bool failed;    /* out of memory */
    bool bad_utf8;  /* a string was not well-formed UTF-8: jansson's turn */
} json_writer;

static bool w_grow(json_writer *w, size_t more);

static inline bool w_room(json_writer *w, size_t more)
{
    if (w->cap - w->len > more)
        return true;
    return w_grow(w, more);
}

static bool w_grow(json_writer *w, size_t more)
{
    if (w->failed)
        return false;
    size_t cap = w->cap ? w->cap : 512;
    while (cap - w->len <= more)
        cap *= 2;
    char *b = realloc(w->buf, cap);
    if (!b) {
        w->failed = true;
        return false;
    }
    w->buf = b;
    w->cap = cap;
    return true;
}

static inline void w_raw(json_writer *w, const char *s, size_t n)
{
    if (w_room(w, n)) {
        memcpy(w->buf + w->len, s, n);
        w->len += n;
    }
}

/* A literal run: its length known at compile time, so one copy of a few
 * moves. */
#define w_lit(w, s) w_raw((w), s, sizeof s - 1)

/* Bytes that w_quoted cannot copy as they are: 1 for the ASCII ones that
 * need an escape, 2 for the first byte of a multi-byte sequence (checked
 * with ICU's U8_NEXT: well-formed UTF-8 as ICU defines it, no surrogates,
 * no overlong forms, which is what jansson's json_string accepts). */
static const unsigned char special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0x80 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0x90 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xa0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xb0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xc0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xd0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xe0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xf0 */
};

/* No byte of v has special[] != 0. */
static inline bool plain_word(uint64_t v)
{
    return !((v & DM_BYTES_HIGH) | dm_bytes_has_less(v, 0x20) | dm_bytes_has(v, '"') |
             dm_bytes_has(v, '\\'));
}

/* s[0..n) between quotes, escaped as jansson escapes (s[n] is its NUL). */
static void w_quoted_n(json_writer *w, const char *s, size_t n)
{
    if (n > INT32_MAX) { /* U8_NEXT takes int32_t offsets */
        w->bad_utf8 = true;
        return;
    }
    if (!w_room(w, 6 * n + 2)) /* each byte at most \u00XX */
        return;
    char *o = w->buf + w->len;
    *o++ = '"';
    for (size_t i = 0; i < n;) {
        /* Whole words of bytes that special[] passes (no control, quote,
         * backslash or byte >= 0x80) copied as they are: most of a text. */
#ifdef __SSE2__
        /* sixteen at a time first (SSE2, which every x86-64 has): a byte
         * below 0x20 or from 0x80 up is below 0x20 as a signed char */
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i odd = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
            if (_mm_movemask_epi8(odd))
                break;
            _mm_storeu_si128((__m128i *)(void *)o, v);
            o += 16;
            i += 16;
        }
#endif
        while (i + 8 <= n && plain_word(dm_bytes_load8(s + i))) {
            memcpy(o, s + i, 8);
            o += 8;
            i += 8;
        }
        /* Fewer than 8 bytes left, which end a plain last word: that word
         * copied whole, the bytes of it already written again as they are
         * (plain bytes are written as they are), not byte by byte. */
        if (n - i < 8 && n >= 8 && i < n && plain_word(dm_bytes_load8(s + n - 8))) {
            memcpy(o - (8 - (n - i)), s + n - 8, 8);
            o += n - i;
            break;
        }
        for (size_t stop = i + 8 < n ? i + 8 : n; i < stop;) {
            unsigned char c = (unsigned char)s[i];
            unsigned char k = special[c];
            if (!k) {
                *o++ = (char)c;
                i++;
                continue;
            }
            if (k == 2) {
                int32_t j = (int32_t)i;
                UChar32 cp;
                U8_NEXT(s, j, (int32_t)n, cp);
                if (cp < 0) {
                    w->bad_utf8 = true;
                    return;
                }
                memcpy(o, s + i, (size_t)j - i);
                o += (size_t)j - i;
                i = (size_t)j;
                continue;
            }
            i++;
            *o++ = '\\';
            switch (c) {
            case '"': *o++ = '"'; break;
            case '\\': *o++ = '\\'; break;
            case '\b': *o++ = 'b'; break;
            case '\f': *o++ = 'f'; break;
            case '\n': *o++ = 'n'; break;
            case '\r': *o++ = 'r'; break;
            case '\t': *o++ = 't'; break;
            default:
                memcpy(o, "u00", 3);
                o[3] = "0123456789ABCDEF"[c >> 4];
                o[4] = "0123456789ABCDEF"[c & 15];
                o += 5;
            }
        }
    }
    *o++ = '"';
    w->len = (size_t)(o - w->buf);
}

static void w_quoted(json_writer *w, const char *s)
{
    w_quoted_n(w, s, strlen(s));
}

/* A string or null. */
static void w_string(json_writer *w, const char *s)
{
    if (s)
        w_quoted(w, s);
    else
        w_lit(w, "null");
}

/* One of demarche's names (dm_attribution_name, dm_statement_kind_name,
 * dm_stance_name: lower-case ASCII and '_'), as it is, between the quotes
 * of the literal runs around it (test_json_output.c holds every name to
 * jansson's bytes). */
#define NAME_MAX_BYTES 32 /* "previous_sentence", the longest, has 17 */
static void w_name(json_writer *w, const char *name)
{
    /* copied up to its NUL, no strlen first: room for the longest; through
     * a cursor, w->len once after (a char store may alias it: the loop
     * loaded and stored it every byte) */
    if (!w_room(w, NAME_MAX_BYTES))
        return;
    char *o = w->buf + w->len;
    size_t i = 0;
    while (i < NAME_MAX_BYTES && name[i]) {
        o[i] = name[i];
        i++;
    }
    w->len += i;
}

static void w_int(json_writer *w, long long v)
{
    static const unsigned long long TEN[] = {
        10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
        1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
        100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
        100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL};
    if (!w_room(w, 21)) /* '-' and 20 digits */
        return;
    char *o = w->buf + w->len;
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    if (v < 0)
        *o++ = '-';
    /* the digits written from the last, straight into place */
    size_t digits = 1;
    while (digits < sizeof TEN / sizeof *TEN + 1 && m >= TEN[digits - 1])
        digits++;
    char *e = o + digits;
    do
        *--e = (char)('0' + m % 10);
    while (m /= 10);
    w->len = (size_t)(o + digits - w->buf);
}

/* Rounded to 4 decimals, as rounded() above: what
 * dm_json_format_real_internal prints for round(x * 10^4) / 10^4, its
 * first path taken here without the second round() and the division that
 * check it (for a whole k with |k| < 10^5, round(k / 10^4 * 10^4) is k). */
static void w_rounded(json_writer *w, double x)
{
    if (!isfinite(x)) {
        w_lit(w, "null");
        return;
    }
    double k = round(x * 10000.0);
    if (fabs(k) < 100000.0) {
        if (w_room(w, 8))
            w->len += (size_t)put_decimal4(w->buf + w->len, k);
        return;
    }
    char buf[64];
    int n = dm_json_format_real_internal(k / 10000.0, buf, sizeof buf);
    if (n < 0)
        w_lit(w, "null");
    else
        w_raw(w, buf, (size_t)n);
}

static void w_target(json_writer *w, const dm_target *t, const char *speaker_actor, int flags)
{
    w_lit(w, "{\"actor\":");
    w_string(w, t->actor);
    w_lit(w, ",\"mention\":");
    w_string(w, t->mention);
    if (t->has_span) {
        w_lit(w, ",\"start\":");
        w_int(w, (long long)t->start);
        w_lit(w, ",\"end\":");
        w_int(w, (long long)t->end);
    } else {
        w_lit(w, ",\"start\":null,\"end\":null");
    }
    if (t->actor && speaker_actor && strcmp(t->actor, speaker_actor) == 0)
        w_lit(w, ",\"self\":true");
    if ((flags & DM_JSON_SCORES) && t->scored) {
        w_lit(w, ",\"stance\":\"");
        w_name(w, dm_stance_name(t->stance));
        w_lit(w, "\",\"favor_minus_against\":");
        w_rounded(w, t->score);
        w_lit(w, ",\"p\":{\"against\":");
        w_rounded(w, t->p[DM_STANCE_AGAINST]);
        w_lit(w, ",\"neutral\":");
        w_rounded(w, t->p[DM_STANCE_NEUTRAL]);
        w_lit(w, ",\"favor\":");
        w_rounded(w, t->p[DM_STANCE_FAVOR]);
        w_lit(w, "}");
    }
    w_lit(w, "}");
}

/* Append the statement (and '\n' with `newline`) to buf[*len..], *cap
 * bytes, NUL-terminated after. On error *len is unchanged. */
static dm_status to_json_stream(const dm_statement *st, const char *doc_id,
                                const char *date, int flags, bool newline, char **buf,
                                size_t *len, size_t *cap, dm_error *err)
{
    json_writer w = {.buf = *buf, .len = *len, .cap = *cap};
    size_t base = *len;
    /* Room for about the size the line needs (the keys, the text and
     * context, a few hundred bytes a target) at once, where starting at
     * 512 bytes and doubling took two or three allocations for most
     * statements; a reused buffer has it already. Out of memory: w.failed,
     * and the message below. */
    size_t text_len = st->text ? strlen(st->text) : 0; /* once, for the guess and w_quoted */
    size_t guess = 512 + 256 * st->n_targets + text_len +
                   ((flags & DM_JSON_CONTEXT) && st->context ? strlen(st->context) : 0);
    w_room(&w, guess);
    w_lit(&w, "{\"doc\":");
    w_string(&w, doc_id);
    w_lit(&w, ",\"index\":");
    w_int(&w, st->n);
    w_lit(&w, ",\"date\":");
    w_string(&w, date);
    w_lit(&w, ",\"speaker\":");
    w_string(&w, st->speaker);
    w_lit(&w, ",\"speaker_role\":");
    w_string(&w, st->speaker_role);
    w_lit(&w, ",\"speaker_actor\":");
    w_string(&w, st->speaker_actor);
    w_lit(&w, ",\"cue\":");
    w_string(&w, st->cue);
    w_lit(&w, ",\"attribution\":\"");
    w_name(&w, dm_attribution_name(st->attribution));
    w_lit(&w, "\",\"kind\":\"");
    w_name(&w, dm_statement_kind_name(st->kind));
    w_lit(&w, "\",\"text\":");
    if (st->text)
        w_quoted_n(&w, st->text, text_len);
    else
        w_lit(&w, "null");
    w_lit(&w, ",\"start\":");
    w_int(&w, (long long)st->start);
    w_lit(&w, ",\"end\":");
    w_int(&w, (long long)st->end);
    if ((flags & DM_JSON_CONTEXT) && st->context) {
        w_lit(&w, ",\"context\":");
        w_string(&w, st->context);
    }
    w_lit(&w, ",\"targets\":[");
    for (size_t i = 0; i < st->n_targets; i++) {
        if (i)
            w_lit(&w, ",");
        w_target(&w, &st->targets[i], st->speaker_actor, flags);
    }
    if ((flags & DM_JSON_SCORES) && st->scored) {
        w_lit(&w, "],\"hostility\":{\"level\":");
        w_int(&w, st->hostility_level);
        w_lit(&w, ",\"expected_level\":");
        w_rounded(&w, st->hostility_expected);
        w_lit(&w, "}}");
    } else {
        w_lit(&w, "]}");
    }
    if (w.bad_utf8) {
        /* jansson's bytes in place of the writer's */
        char *tree = NULL;
        dm_status s = to_json_tree(st, doc_id, date, flags, &tree, err);
        w.len = base;
        w.failed = false;
        if (s == DM_OK)
            w_raw(&w, tree, strlen(tree));
        free(tree);
        if (s != DM_OK) {
            *buf = w.buf;
            *cap = w.cap;
            return s;
        }
    }
    if (newline)
        w_raw(&w, "\n", 1);
    bool room = w_room(&w, 1);
    *buf = w.buf; /* grown or not, still the caller's */
    *cap = w.cap;
    if (!room)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    w.buf[w.len] = '\0';
    *len = w.len;
    return DM_OK;
}

dm_status dm_statement_to_json(const dm_statement *st, const char *doc_id,
                               const char *date, int flags, char **out,
                               dm_error *err)
{
    if (!st || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_statement_to_json: NULL argument");
    *out = NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    dm_status s = to_json_stream(st, doc_id, date, flags, false, &buf, &len, &cap, err);
    if (s != DM_OK) {
        free(buf);
        return s;
    }
    *out = buf;
    return DM_OK;
}

dm_status dm_statement_to_json_append(const dm_statement *st, const char *doc_id,
                                      const char *date, int flags, bool newline,
                                      char **buf, size_t *len, size_t *cap,
                                      dm_error *err)
{
    if (!st || !buf || !len || !cap || (!*buf && *cap > 0) || *len > *cap)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_statement_to_json_append: bad argument");
    return to_json_stream(st, doc_id, date, flags, newline, buf, len, cap, err);
}

dm_status dm_statement_to_json_tree_internal(const dm_statement *st, const char *doc_id,
                                             const char *date, int flags, char **out,
                                             dm_error *err)
{
    if (!st || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_statement_to_json: NULL argument");
    *out = NULL;
    return to_json_tree(st, doc_id, date, flags, out, err);
}
