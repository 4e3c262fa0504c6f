/* dm_text accessors, the offset map and paragraphs. */
#include "text/text_internal.h"

#include <stdlib.h>
#include <string.h>

void dm_text_destroy(dm_text **text)
{
    if (!text || !*text)
        return;
    dm_text *t = *text;
    if (t->original != (char *)(t + 1))   /* else allocated with t (normalize.c) */
        free(t->original);
    free(t->norm_buf);          /* norm when not identity */
    free(t->orig_start);
    free(t->orig_end);
    free(t->hint);
    free(t);
    *text = NULL;
}

const char *dm_text_original(const dm_text *text)
{
    return text ? text->original : NULL;
}

size_t dm_text_original_len(const dm_text *text)
{
    return text ? text->original_len : 0;
}

const char *dm_text_norm(const dm_text *text)
{
    return text ? text->norm : NULL;
}

size_t dm_text_norm_len(const dm_text *text)
{
    return text ? text->norm_len : 0;
}

size_t dm_text_invalid_utf8(const dm_text *text)
{
    return text ? text->invalid_utf8 : 0;
}

/* The maps, for an identity text too (see dm_text.identity). */
static inline size_t map_start(const dm_text *text, size_t i)
{
    return text->identity ? i : text->orig_start[i];
}

static inline size_t map_end(const dm_text *text, size_t i)
{
    return text->identity ? i + 1 : text->orig_end[i];
}

size_t dm_text_orig_start(const dm_text *text, size_t norm_offset)
{
    if (!text)
        return 0;
    if (norm_offset >= text->norm_len)
        return text->original_len;
    return map_start(text, norm_offset);
}

size_t dm_text_orig_end(const dm_text *text, size_t norm_end)
{
    if (!text)
        return 0;
    if (norm_end == 0)
        return text->norm_len > 0 ? map_start(text, 0) : 0;
    if (norm_end > text->norm_len)
        norm_end = text->norm_len;
    return map_end(text, norm_end - 1);
}

dm_span dm_text_norm_span(const dm_text *text, size_t orig_start,
                          size_t orig_end)
{
    dm_span span = {0, 0};
    if (!text)
        return span;
    if (orig_end < orig_start)
        orig_end = orig_start;
    /* Both maps are non-decreasing, so two binary searches do. */
    size_t lo = 0, hi = text->norm_len;
    while (lo < hi) {            /* first byte with orig_end > orig_start */
        size_t mid = lo + (hi - lo) / 2;
        if (map_end(text, mid) > orig_start)
            hi = mid;
        else
            lo = mid + 1;
    }
    span.start = lo;
    hi = text->norm_len;
    while (lo < hi) {            /* first byte with orig_start >= orig_end */
        size_t mid = lo + (hi - lo) / 2;
        if (map_start(text, mid) >= orig_end)
            hi = mid;
        else
            lo = mid + 1;
    }
    span.end = lo;
    return span;
}

dm_quote_hint dm_text_quote_hint(const dm_text *text, size_t norm_offset)
{
    if (!text || norm_offset >= text->norm_len)
        return DM_QUOTE_HINT_NONE;
    if (text->identity) {
        char c = text->norm[norm_offset];
        return c == '"' || c == '\'' ? DM_QUOTE_HINT_AMBIGUOUS : DM_QUOTE_HINT_NONE;
    }
    return (dm_quote_hint)text->hint[norm_offset];
}

dm_status dm_text_paragraphs(const dm_text *text, dm_span **out, size_t *n,
                             dm_error *err)
{
    if (!text || !out || !n)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_text_paragraphs: NULL argument");
    *out = NULL;
    *n = 0;
    if (text->norm_len == 0)
        return DM_OK;
    /* Normalisation left exactly one '\n' between paragraphs and none at
     * the ends, so every piece between '\n's is a non-empty paragraph. */
    size_t count = 1;
    for (const char *p = text->norm; (p = memchr(p, '\n',
             text->norm_len - (size_t)(p - text->norm))) != NULL; p++)
        count++;
    dm_span *spans = malloc(count * sizeof *spans);
    if (!spans)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0,
                            "out of memory listing %zu paragraphs", count);
    /* from line break to line break at once (memchr), as counted above */
    size_t k = 0, start = 0;
    for (;;) {
        const char *nl = memchr(text->norm + start, '\n', text->norm_len - start);
        size_t end = nl ? (size_t)(nl - text->norm) : text->norm_len;
        spans[k].start = start;
        spans[k].end = end;
        k++;
        if (!nl)
            break;
        start = end + 1;
    }
    *out = spans;
    *n = k;
    return DM_OK;
}
