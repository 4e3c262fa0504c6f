/* Shared state of one extraction. Internal to src/statements.
 *
 * The conventions of dm_extract (include/demarche/statements.h), the
 * heuristics behind each field of a statement:
 *
 *   - text: the normalised words of the quote without its marks. A quote
 *     continued over paragraphs has its pieces joined with "\n" (and
 *     start/end then cover the whole original range, marks included). A
 *     final comma before the attribution ("We will go," he said) is dropped;
 *     a full stop, ? or ! is kept.
 *   - start/end: original[start:end] prints the quote's words as written.
 *   - speaker: the name without its title ("Sergei Lavrov"; role "Foreign
 *     Minister"), the noun phrase of an anonymous or organisation speaker
 *     ("a senior US official", "the Kremlin"), or the resolved antecedent of
 *     a pronoun. NULL when unattributed. A surname ("Lavrov said") takes the
 *     full name (and title) it was introduced with in the document, else the
 *     dictionary's. he/she: the first person named in the latest sentence
 *     naming one, or the last person speaker if quoted later; they/it: the
 *     last organisation speaker, else reported speech just before ("Russia
 *     said ..."). "the official said" after "A US official said ..." is
 *     "A US official". "the ministry" without an actor of its own takes the
 *     last organisation speaker's actor. A quote without attribution takes,
 *     in order: the person a sentence opens with when a cue verb precedes
 *     the quote in it; the speaker of reported speech in the sentence just
 *     before (same paragraph); the speaker of the attributed quote in the
 *     same or the previous paragraph (cue NULL).
 *   - role: an apposition (", Britain's ambassador to the UN,"), a title
 *     before the name, a role phrase before it ("Ukraine's ambassador,
 *     NAME," / "China's ambassador NAME"), or the dictionary role.
 *   - speaker_actor: the dictionary entry of the name, else the actor in the
 *     role, else the first actor word of the phrase, else the place the
 *     sentence opens with ("In Tehran, ..."); NULL for a group of speakers
 *     ("France, Germany and Britain").
 *   - targets: one entry per actor, at its first mention (offsets of that
 *     mention), from the quote's words; for partial and one-word quotes also
 *     from the reporting sentence outside the speaker phrase. context is
 *     that sentence (at most 600 bytes on either side of the quote).
 *   - kind: direct when the quote opens its sentence, follows a colon, spans
 *     paragraphs, or is a capitalised clause of 4+ words (or a full sentence
 *     after a comma); partial otherwise. Single-quoted ('...') quotations
 *     count only when attributed; single quotes nested in a double quotation
 *     are part of it.
 *   - speech mode (doc->speaker or doc->speaker_actor): every sentence is a
 *     speech statement, except a sentence that only reports a full quotation
 *     of someone else (that quote becomes the other speaker's statement).
 *     Partial quotes of others are extracted too and leave the sentence in
 *     place; unattributed quotes stay part of the speaker's sentence.
 */
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
    const dm_ranker *ranker; /* NULL: the rules' guesses stay (rank.c) */
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
    uint8_t *actor_memo;     /* ac.actor_memo: a byte per unit */
    dm_quotes quotes;
    dm_persons persons;      /* named people, for "Lavrov said" */
    dm_attr_ctx ac;
    dm_speaker_memory mem;
    dm_speaker last_attr;    /* speaker of the last attributed quote */
    size_t last_attr_para;
    size_t last_attr_quote;  /* index + 1 of the quote last given a speaker */
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
/* The part of dm_doc_close that undoes dm_doc_open_text (all a given
 * statement opens): its statements and its text. */
void dm_doc_close_text(dm_doc *d);

/* Longest reporting text looked at around a quote, in bytes. */
#define REGION_MAX 2000

size_t dm_span_index(const dm_span *v, size_t n, size_t off);

/* extract.c: where a quote stands in the document. */
dm_span dm_sentence_at(const dm_doc *d, size_t off);
size_t dm_prev_outer_quote(const dm_doc *d, size_t qi);
size_t dm_quote_end(const dm_doc *d, const dm_quote *q);
size_t dm_quote_from(const dm_doc *d, size_t off);

/* The reporting text before quote qi (from its sentence start or the
 * previous quote) and after it (to its sentence end or the next quote). */
void dm_quote_regions(const dm_doc *d, size_t qi, dm_span *before,
                      dm_span *after);

/* extract_attribute.c: who spoke quote qi (the form found, NONE if none;
 * *how says how it was found), and the rules the other stages share. */
dm_speaker_form dm_attribute_quote(dm_doc *d, size_t qi, dm_attribution *a,
                                   dm_attribution_kind *how);
bool dm_report_in_sentence(dm_doc *d, size_t si, dm_attribution *a);
bool dm_starts_with_word(const char *s, dm_span sp, const char *w);
dm_attribution_kind dm_cue_kind(const dm_doc *d, const dm_attribution *a);

/* extract_layout.c: attributions the page layout gives. */
bool dm_stripped_attribution(const dm_doc *d, const dm_quote *q, dm_span before,
                             dm_span after, dm_attribution *a);
bool dm_headline_says(dm_doc *d, dm_span before, dm_attribution *a);
bool dm_document_issuer(dm_doc *d, size_t si, dm_attribution *a);
bool dm_colon_paragraph(dm_doc *d, const dm_quote *q, dm_attribution *a,
                        dm_attribution_kind *how);
bool dm_signed_by_next(dm_doc *d, size_t pi, dm_attribution *a);

/* Append the statement of quote qi to d->tmp (if it makes one). In speech
 * mode only quotes attributed to someone else do. */
dm_status dm_quote_statement(dm_doc *d, size_t qi, bool speech,
                             const dm_speaker *self, bool *emitted_direct);

/* statement_list.c */
void dm_statement_list_pop_internal(dm_statement_list *list);

#endif
