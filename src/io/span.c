/* A target's span checked against its mention (see span_internal.h). */
#include "io/span_internal.h"

#include <string.h>
#include <unicode/utf8.h>

bool dm_span_splits_char(const char *text, size_t len, size_t at)
{
    return at < len && U8_IS_TRAIL((unsigned char)text[at]);
}

dm_span_fit dm_span_fit_mention(const char *text, size_t len, const char *mention,
                                size_t mlen, size_t *start, size_t *end)
{
    size_t s = *start, e = *end;
    if (s <= e && e <= len && e - s == mlen && memcmp(text + s, mention, mlen) == 0 &&
        !dm_span_splits_char(text, len, s) && !dm_span_splits_char(text, len, e))
        return DM_SPAN_FITS;
    size_t best = 0, best_distance = 0;
    bool found = false;
    for (size_t i = 0; mlen > 0 && i + mlen <= len; i++) {
        if (text[i] != mention[0] || memcmp(text + i, mention, mlen) != 0)
            continue;
        size_t distance = i > s ? i - s : s - i;
        if (!found || distance < best_distance) {
            best = i;
            best_distance = distance;
            found = true;
        }
        if (i > s)
            break; /* later occurrences are farther still */
    }
    if (!found)
        return DM_SPAN_ABSENT;
    *start = best;
    *end = best + mlen;
    return DM_SPAN_RELOCATED;
}
