/* Quote pairing on normalised text. Internal to src/statements. */
#ifndef DM_STATEMENTS_QUOTES_INTERNAL_H
#define DM_STATEMENTS_QUOTES_INTERNAL_H

#include "demarche/core.h"
#include "demarche/text.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct dm_quote {
    size_t open;          /* normalised offset of the opening mark */
    size_t close;         /* offset of the closing mark, or the content end
                             when the quote was closed at a paragraph end */
    bool has_close;       /* false: unbalanced, closed at a paragraph end */
    bool single;          /* a '...' quotation */
    bool nested;          /* a '...' quotation inside a "..." one */
    size_t piece0;        /* content pieces: pieces[piece0 .. piece0+n_pieces) */
    size_t n_pieces;      /* > 1 for a quote continued over paragraphs */
    size_t para;          /* paragraph index where it opens */
} dm_quote;

typedef struct dm_quotes {
    dm_quote *v;
    size_t n;
    dm_span *pieces;      /* content spans (normalised, trimmed), in order */
    size_t n_pieces;
} dm_quotes;

/* Pair the quote marks of `text` (paragraph spans `paras`). Unbalanced
 * marks are reported to `logger` (where = doc_id) and never stop pairing. */
dm_status dm_quotes_find(const dm_text *text, const dm_span *paras,
                         size_t n_paras, dm_quotes *out,
                         const dm_logger *logger, const char *doc_id);
void dm_quotes_free(dm_quotes *q);

/* Index of the quote whose content contains normalised offset `off`
 * (outermost first; single quotes nested in a double one are skipped), or
 * (size_t)-1. */
size_t dm_quotes_containing(const dm_quotes *q, size_t off);

#endif
