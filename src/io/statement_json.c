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
        long m = labs((long)k);
        int n = 0;
        if (signbit(x))
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
 * (dm_statement_to_json_append) or a new one that becomes the result. Its escaper is yajl's rules (the two-character escapes, \u00XX
 * for the other bytes below 0x20, everything else as it is) without yajl's
 * per-byte print callback and sprintf per integer, which were a tenth of
 * demarche-score --statements; test_json_output.c holds it to jansson's
 * bytes on every byte value and every Unicode scalar value. */
typedef struct json_writer {
    char *buf;
    size_t len, cap;
    bool comma;     /* a value came last: the next one needs a ',' */
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

/* Before a value or a key: the separator. */
static inline void w_sep(json_writer *w)
{
    if (w->comma)
        w_raw(w, ",", 1);
    w->comma = false;
}

static void w_open(json_writer *w, char c)
{
    w_sep(w);
    w_raw(w, &c, 1);
}

static void w_close(json_writer *w, char c)
{
    w_raw(w, &c, 1);
    w->comma = true;
}

/* A value written as it is: a number, true, null. */
static void w_atom(json_writer *w, const char *s, size_t n)
{
    w_sep(w);
    w_raw(w, s, n);
    w->comma = true;
}

static void w_null(json_writer *w)
{
    w_atom(w, "null", 4);
}

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

static void w_quoted(json_writer *w, const char *s)
{
    size_t n = strlen(s);
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
        while (i + 8 <= n && plain_word(dm_bytes_load8(s + i))) {
            memcpy(o, s + i, 8);
            o += 8;
            i += 8;
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

/* A key: a string literal of plain ASCII, so written with its quotes and
 * colon as one piece, its length known at compile time. */
#define w_key(w, key) w_key_raw((w), "\"" key "\":", sizeof "\"" key "\":" - 1)

static inline void w_key_raw(json_writer *w, const char *quoted, size_t n)
{
    w_sep(w);
    w_raw(w, quoted, n);
}

static void w_string(json_writer *w, const char *s)
{
    if (!s) {
        w_null(w);
        return;
    }
    w_sep(w);
    w_quoted(w, s);
    w->comma = true;
}

static void w_int(json_writer *w, long long v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + m % 10);
    while (m /= 10);
    if (v < 0)
        *--p = '-';
    w_atom(w, p, (size_t)(buf + sizeof buf - p));
}

/* Rounded to 4 decimals, as rounded() above. */
static void w_rounded(json_writer *w, double x)
{
    char buf[64];
    int n;
    if (!isfinite(x) ||
        (n = dm_json_format_real_internal(round(x * 10000.0) / 10000.0, buf, sizeof buf)) < 0) {
        w_null(w);
        return;
    }
    w_atom(w, buf, (size_t)n);
}

static void w_target(json_writer *w, const dm_target *t, const char *speaker_actor, int flags)
{
    w_open(w, '{');
    w_key(w, "actor");
    w_string(w, t->actor);
    w_key(w, "mention");
    w_string(w, t->mention);
    w_key(w, "start");
    if (t->has_span)
        w_int(w, (long long)t->start);
    else
        w_null(w);
    w_key(w, "end");
    if (t->has_span)
        w_int(w, (long long)t->end);
    else
        w_null(w);
    if (t->actor && speaker_actor && strcmp(t->actor, speaker_actor) == 0) {
        w_key(w, "self");
        w_atom(w, "true", 4);
    }
    if ((flags & DM_JSON_SCORES) && t->scored) {
        w_key(w, "stance");
        w_string(w, dm_stance_name(t->stance));
        w_key(w, "favor_minus_against");
        w_rounded(w, t->score);
        w_key(w, "p");
        w_open(w, '{');
        w_key(w, "against");
        w_rounded(w, t->p[DM_STANCE_AGAINST]);
        w_key(w, "neutral");
        w_rounded(w, t->p[DM_STANCE_NEUTRAL]);
        w_key(w, "favor");
        w_rounded(w, t->p[DM_STANCE_FAVOR]);
        w_close(w, '}');
    }
    w_close(w, '}');
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
    size_t guess = 512 + 256 * st->n_targets + (st->text ? strlen(st->text) : 0) +
                   ((flags & DM_JSON_CONTEXT) && st->context ? strlen(st->context) : 0);
    w_room(&w, guess);
    w_open(&w, '{');
    w_key(&w, "doc");
    w_string(&w, doc_id);
    w_key(&w, "index");
    w_int(&w, st->n);
    w_key(&w, "date");
    w_string(&w, date);
    w_key(&w, "speaker");
    w_string(&w, st->speaker);
    w_key(&w, "speaker_role");
    w_string(&w, st->speaker_role);
    w_key(&w, "speaker_actor");
    w_string(&w, st->speaker_actor);
    w_key(&w, "cue");
    w_string(&w, st->cue);
    w_key(&w, "attribution");
    w_string(&w, dm_attribution_name(st->attribution));
    w_key(&w, "kind");
    w_string(&w, dm_statement_kind_name(st->kind));
    w_key(&w, "text");
    w_string(&w, st->text);
    w_key(&w, "start");
    w_int(&w, (long long)st->start);
    w_key(&w, "end");
    w_int(&w, (long long)st->end);
    if ((flags & DM_JSON_CONTEXT) && st->context) {
        w_key(&w, "context");
        w_string(&w, st->context);
    }
    w_key(&w, "targets");
    w_open(&w, '[');
    for (size_t i = 0; i < st->n_targets; i++)
        w_target(&w, &st->targets[i], st->speaker_actor, flags);
    w_close(&w, ']');
    if ((flags & DM_JSON_SCORES) && st->scored) {
        w_key(&w, "hostility");
        w_open(&w, '{');
        w_key(&w, "level");
        w_int(&w, st->hostility_level);
        w_key(&w, "expected_level");
        w_rounded(&w, st->hostility_expected);
        w_close(&w, '}');
    }
    w_close(&w, '}');
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
