/* Shared state of one extraction. Internal to src/statements. */
#ifndef DM_STATEMENTS_EXTRACT_INTERNAL_H
#define DM_STATEMENTS_EXTRACT_INTERNAL_H

#include "demarche/statements.h"
#include "statements/attribution_internal.h"
#include "statements/persons_internal.h"
#include "statements/quotes_internal.h"
#include "statements/speakers_internal.h"
#include "statements/targets_internal.h"

struct dm_extractor {
    const dm_actors *actors;
    const dm_cues *cues;
    size_t window;   /* longer documents are read window by window */
    const dm_abbreviations *abbreviations;  /* NULL: built-in */
};

typedef struct dm_doc {
    const dm_extractor *ex;
    const dm_document *doc;
    const dm_logger *logger;
    dm_error *err;
    const char *id;
    char date[11];
    const char *datep;       /* NULL when the document has no date */
    dm_text *text;
    const char *s;           /* normalised text */
    size_t len;
    dm_span *paras, *sents;
    size_t n_paras, n_sents;
    dm_units units;
    dm_quotes quotes;
    dm_persons persons;      /* named people, for "Lavrov said" */
    dm_attr_ctx ac;
    dm_speaker_memory mem;
    dm_speaker last_attr;    /* speaker of the last attributed quote */
    size_t last_attr_para;
    dm_statement_list tmp;   /* statements before ordering */
} dm_doc;

/* The part of dm_doc_open every mode needs: id, date, the normalised text
 * (dm_text_create_with `text_options`) and the invalid UTF-8 warning. */
dm_status dm_doc_open_text(dm_doc *d, const dm_extractor *ex, const dm_document *doc,
                           unsigned text_options, const dm_logger *logger, dm_error *err);
dm_status dm_doc_open(dm_doc *d, const dm_extractor *ex,
                      const dm_document *doc, const dm_logger *logger,
                      dm_error *err);
void dm_doc_close(dm_doc *d);

size_t dm_span_index(const dm_span *v, size_t n, size_t off);

/* The reporting text before quote qi (from its sentence start or the
 * previous quote) and after it (to its sentence end or the next quote). */
void dm_quote_regions(const dm_doc *d, size_t qi, dm_span *before,
                      dm_span *after);

/* Append the statement of quote qi to d->tmp (if it makes one). In speech
 * mode only quotes attributed to someone else do. */
dm_status dm_quote_statement(dm_doc *d, size_t qi, bool speech,
                             const dm_speaker *self, bool *emitted_direct);

/* statement_list.c */
void dm_statement_list_pop_internal(dm_statement_list *list);

#endif
