/* A target's span checked against its mention: shared by the --statements
 * record reader (io) and the training data reader (model). Internal. */
#ifndef DEMARCHE_IO_SPAN_INTERNAL_H
#define DEMARCHE_IO_SPAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

typedef enum dm_span_fit {
    DM_SPAN_FITS = 0,       /* text[start:end] is the mention */
    DM_SPAN_RELOCATED,      /* it was not: moved to the nearest occurrence */
    DM_SPAN_ABSENT          /* the mention is nowhere in the text */
} dm_span_fit;

/* True if byte offset `at` of text[0, len) is inside a UTF-8 character. */
bool dm_span_splits_char(const char *text, size_t len, size_t at);

/* Check the span [*start, *end) of text against `mention` (mlen > 0 bytes).
 * A span that is out of range, splits a character or holds other words is
 * moved to the occurrence of the mention whose start is nearest *start
 * (the earlier one on a tie). */
dm_span_fit dm_span_fit_mention(const char *text, size_t len, const char *mention,
                                size_t mlen, size_t *start, size_t *end);

#endif
