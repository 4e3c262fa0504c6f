/* Sentence segmentation: ICU's sentence break iterator (en@ss=standard),
 * cut at every paragraph break, then corrected within a paragraph:
 *   - a break after a prefix abbreviation ("Gen.", "Mr.") is undone, and one
 *     after a terminal abbreviation or initial ("U.N.", "F.") is undone
 *     unless a typical sentence opener ("He", "The") follows; ICU's own
 *     suppressions are re-split in that case ("the U.S. He said");
 *   - a piece starting in lowercase continues the sentence ("Why?" he asked);
 *   - a piece without letters or digits (a stray closing mark) and a lone
 *     paragraph number ("2.") join their neighbours. */
#include "text/text_internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

typedef struct span_vec {
    dm_span *v;
    size_t n, cap;
    bool after_paragraph;   /* the next piece starts a new paragraph */
    bool failed;
    const dm_abbreviations *abbr;   /* NULL: the built-in set */
} span_vec;

static void push(span_vec *vec, size_t start, size_t end)
{
    if (vec->n == vec->cap) {
        size_t cap = vec->cap ? vec->cap * 2 : 16;
        dm_span *v = realloc(vec->v, cap * sizeof *v);
        if (!v) {
            vec->failed = true;
            return;
        }
        vec->v = v;
        vec->cap = cap;
    }
    vec->v[vec->n].start = start;
    vec->v[vec->n].end = end;
    vec->n++;
}

static bool is_space_at(const char *s, size_t i, size_t len, size_t *next)
{
    UChar32 c;
    U8_NEXT_OR_FFFD((const uint8_t *)s, i, len, c);
    *next = i;
    return u_isUWhiteSpace(c);
}

static void trim(const char *s, size_t *a, size_t *b)
{
    size_t next;
    while (*a < *b && is_space_at(s, *a, *b, &next))
        *a = next;
    while (*b > *a) {
        /* U8_PREV wants int32_t offsets: index from *a (spans are < 2 GiB). */
        int32_t i = (int32_t)(*b - *a);
        UChar32 c;
        U8_PREV_OR_FFFD((const uint8_t *)s + *a, 0, i, c);
        if (!u_isUWhiteSpace(c))
            break;
        *b = *a + (size_t)i;
    }
}

static bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_ascii_alpha(char c) { return is_ascii_upper(c) || is_ascii_lower(c); }

/* "F." or "D.C.": single letters each followed by a period. */
static bool is_initials(const char *w, size_t n)
{
    if (n < 2 || n % 2 != 0)
        return false;
    for (size_t i = 0; i < n; i += 2)
        if (!is_ascii_upper(w[i]) || w[i + 1] != '.')
            return false;
    return true;
}

/* Class of the period-final word ending at `end` (exclusive), if any. */
static dm_abbrev_class abbreviation_before(const dm_abbreviations *abbr,
                                           const char *s, size_t floor,
                                           size_t end)
{
    if (end <= floor || s[end - 1] != '.')
        return DM_ABBREV_NONE;
    size_t w = end - 1;
    while (w > floor && s[w - 1] != ' ' && s[w - 1] != '\n' &&
           s[w - 1] != '\t' && !strchr("(['\"", s[w - 1]))
        w--;
    dm_abbrev_class cls = dm_abbrev_lookup(abbr, s + w, end - w);
    if (cls == DM_ABBREV_NONE) {
        /* "then-U.N." or "ex-Gen.": the part after the hyphen. */
        size_t h = end - 1;
        while (h > w && s[h - 1] != '-' && s[h - 1] != '/')
            h--;
        if (h > w)
            w = h;
        cls = dm_abbrev_lookup(abbr, s + w, end - w);
    }
    if (cls == DM_ABBREV_NONE && is_initials(s + w, end - w))
        cls = DM_ABBREV_TERMINAL;
    return cls;
}

/* Whether the text from `start` opens with a typical sentence starter
 * (after opening quotes or brackets). */
static bool starts_with_starter(const char *s, size_t start, size_t len,
                                bool *lower_or_digit)
{
    size_t i = start;
    while (i < len && strchr("\"'([", s[i]) && s[i])
        i++;
    *lower_or_digit = i < len && (is_ascii_lower(s[i]) ||
                                  (s[i] >= '0' && s[i] <= '9'));
    size_t w = i;
    while (i < len && is_ascii_alpha(s[i]))
        i++;
    if (i < len && ((unsigned char)s[i] >= 0x80 || s[i] == '.'))
        return false;             /* a longer non-ASCII word, or "I." */
    return dm_abbrev_is_sentence_starter(s + w, i - w);
}

/* Should the sentence ending at `prev_end` continue into the one
 * starting at `next_start`? */
static bool should_join(const dm_abbreviations *abbr, const char *s, size_t len,
                        size_t floor, size_t prev_end, size_t next_start)
{
    dm_abbrev_class cls = abbreviation_before(abbr, s, floor, prev_end);
    if (cls == DM_ABBREV_NONE)
        return false;
    bool lower_or_digit;
    bool starter = starts_with_starter(s, next_start, len, &lower_or_digit);
    if (cls == DM_ABBREV_PREFIX || lower_or_digit)
        return true;
    return !starter;
}

/* ICU may have suppressed a break after a terminal abbreviation ("the U.S.
 * He said"): split [a, b) where such an abbreviation meets a starter. With
 * `extend`, the first part continues the last sentence instead of starting
 * one (`floor` is where that sentence starts). */
static void push_split(span_vec *vec, const char *s, size_t floor, size_t a,
                       size_t b, bool extend)
{
    size_t start = a;
    for (size_t i = a; i + 2 < b; i++) {
        /* to the next full stop at once (memchr: most bytes are none) */
        const char *dot = memchr(s + i, '.', b - 2 - i);
        if (!dot)
            break;
        i = (size_t)(dot - s);
        if (s[i + 1] != ' ')
            continue;
        if (abbreviation_before(vec->abbr, s, extend ? floor : start, i + 1) !=
            DM_ABBREV_TERMINAL)
            continue;
        bool lower_or_digit;
        if (!starts_with_starter(s, i + 2, b, &lower_or_digit))
            continue;
        if (extend)
            vec->v[vec->n - 1].end = i + 1;
        else
            push(vec, start, i + 1);
        extend = false;
        start = i + 2;
    }
    if (extend)
        vec->v[vec->n - 1].end = b;
    else
        push(vec, start, b);
}

static bool has_alnum(const char *s, size_t a, size_t b)
{
    size_t i = a;
    while (i < b) {
        UChar32 c;
        U8_NEXT_OR_FFFD((const uint8_t *)s, i, b, c);
        if (u_isalnum(c))
            return true;
    }
    return false;
}

static bool starts_lowercase(const char *s, size_t a, size_t b)
{
    UChar32 c;
    U8_NEXT_OR_FFFD((const uint8_t *)s, a, b, c);
    return u_islower(c);
}

/* A paragraph number ("2.", "14.") alone: it belongs to what follows. */
static bool is_enumerator(const char *s, const dm_span *span)
{
    size_t n = span->end - span->start;
    if (n < 2 || n > 5 || s[span->end - 1] != '.')
        return false;
    for (size_t i = span->start; i + 1 < span->end; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* One piece between ICU boundaries, already free of '\n'. */
static void add_piece(span_vec *vec, const char *s, size_t len, size_t a,
                      size_t b)
{
    trim(s, &a, &b);
    if (a == b)
        return;
    bool new_paragraph = vec->after_paragraph;
    vec->after_paragraph = false;
    if (!new_paragraph && vec->n > 0) {
        dm_span *last = &vec->v[vec->n - 1];
        if (!has_alnum(s, a, b)) {
            last->end = b;        /* a stray closing mark: no sentence alone */
            return;
        }
        /* ICU always breaks after '?' and '!', but in news "?" he asked.
         * continues the sentence: a lowercase start means no sentence began. */
        if (starts_lowercase(s, a, b) || is_enumerator(s, last) ||
            should_join(vec->abbr, s, len, last->start, last->end, a)) {
            push_split(vec, s, last->start, a, b, true);
            return;
        }
    }
    push_split(vec, s, a, a, b, false);
}

/* A segment from ICU, cut at paragraph breaks. */
static void add_segment(span_vec *vec, const char *s, size_t len, size_t a,
                        size_t b)
{
    while (a < b) {
        const char *nl = memchr(s + a, '\n', b - a);
        size_t piece_end = nl ? (size_t)(nl - s) : b;
        add_piece(vec, s, len, a, piece_end);
        if (!nl)
            break;
        vec->after_paragraph = true;
        a = piece_end + 1;
    }
}

dm_status dm_sentences_utf8(const char *utf8, size_t len, dm_span **out,
                            size_t *n, dm_error *err)
{
    return dm_sentences_utf8_with(utf8, len, NULL, out, n, err);
}

dm_status dm_sentences_utf8_with(const char *utf8, size_t len,
                                 const dm_abbreviations *abbreviations,
                                 dm_span **out, size_t *n, dm_error *err)
{
    if (!out || !n || (!utf8 && len > 0))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_sentences_utf8: NULL argument");
    *out = NULL;
    *n = 0;
    if (len > (size_t)INT32_MAX)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_sentences_utf8: text of %zu bytes is too long",
                            len);
    if (len == 0)
        return DM_OK;
    UErrorCode st = U_ZERO_ERROR;
    const int32_t *map;
    UBreakIterator *bi = dm_text_sentence_iterator(utf8, len, &map, &st);
    if (!bi)
        return dm_error_set(err, DM_E_INTERNAL, NULL, 0,
                            "ICU sentence break iterator: %s", u_errorName(st));
    span_vec vec = {.abbr = abbreviations};
    size_t prev = 0;
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE && !vec.failed;
         b = ubrk_next(bi)) {
        size_t at = dm_break_offset(map, b);
        add_segment(&vec, utf8, len, prev, at);
        prev = at;
    }
    if (!vec.failed && prev < len)
        add_segment(&vec, utf8, len, prev, len);
    if (vec.failed) {
        free(vec.v);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0,
                            "out of memory listing sentences");
    }
    *out = vec.v;
    *n = vec.n;
    return DM_OK;
}

dm_status dm_text_sentences(const dm_text *text, dm_span **out, size_t *n,
                            dm_error *err)
{
    return dm_text_sentences_with(text, NULL, out, n, err);
}

dm_status dm_text_sentences_with(const dm_text *text,
                                 const dm_abbreviations *abbreviations,
                                 dm_span **out, size_t *n, dm_error *err)
{
    if (!text || !out || !n)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_text_sentences: NULL argument");
    return dm_sentences_utf8_with(text->norm, text->norm_len, abbreviations,
                                  out, n, err);
}
