/*
 * Statements: the attributed things said in a document.
 *
 * A document (an article, a speech, a statement) goes in; a list of
 * statements comes out, each with its speaker, the speaker's role and actor,
 * the cue verb, its kind, its text and its exact byte range in the ORIGINAL
 * document text, and the actors it mentions (its targets).
 *
 * Ownership: see core.h. A dm_statement_list owns every string in it.
 *
 * What each field holds (text, start/end, speaker, role, speaker_actor,
 * targets, kind) is documented on dm_statement below; HOW dm_extract
 * decides it (the attribution heuristics: pronouns, surnames, anonymous
 * speakers, unattributed quotes, speech mode) is written out next to the
 * code, in src/statements/extract_internal.h.
 */
#ifndef DEMARCHE_STATEMENTS_H
#define DEMARCHE_STATEMENTS_H

#include "demarche/actors.h"
#include "demarche/core.h"
#include "demarche/text.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

typedef enum dm_statement_kind {
    DM_KIND_DIRECT = 0,  /* a full quotation: "We will not accept this," he said. */
    DM_KIND_PARTIAL,     /* a quoted fragment inside reported speech */
    DM_KIND_SPEECH,      /* a sentence of a speech whose speaker is given */
    DM_KIND_GIVEN        /* a statement given as such (--statements, -e) */
} dm_statement_kind;

const char *dm_statement_kind_name(dm_statement_kind kind); /* "direct", ... */

/* How a statement's speaker was found (its evidence), most direct first.
 * dm_attribution_name gives the JSON value in parentheses. */
typedef enum dm_attribution_kind {
    DM_ATTR_NONE = 0,      /* "none": no speaker */
    DM_ATTR_CUE,           /* "cue": a reporting verb names the speaker: "X said" */
    DM_ATTR_ACCORDING_TO,  /* "according_to": "according to X", "signed by X" */
    DM_ATTR_HEADLINE,      /* "headline": `X: "..."` (headline, caption, interview line) */
    DM_ATTR_STRIPPED_VERB, /* "stripped_verb": a name at a gap left by a deleted link */
    DM_ATTR_PRONOUN,       /* "pronoun": "he said", resolved to an earlier name */
    DM_ATTR_DESCRIPTION,   /* "description": "the group said", resolved to an earlier entity */
    DM_ATTR_SUBJECT,       /* "subject": no cue at the quote; the person the sentence opens
                              with, when a cue verb precedes the quote in it */
    DM_ATTR_PREVIOUS,      /* "previous_sentence": reported speech in the sentence before */
    DM_ATTR_CARRIED,       /* "carried": nothing in the sentence; the speaker of the
                              previous quote in this or the previous paragraph (the
                              ranker's choice when it replaced that quote's speaker) */
    DM_ATTR_GIVEN,         /* "given": speech mode and given statements */
    /* after "given" so that the values before keep their numbers (a guess,
     * like "carried") */
    DM_ATTR_RANKED         /* "ranked": the rules found no speaker, or only one of a kind
                              the ranker's file gives a margin for (pronoun); the speaker
                              ranker (dm_extractor_set_ranker) chose one of the names
                              nearby, an earlier speaker or the description opening the
                              quote's sentence: a learned guess */
} dm_attribution_kind;

const char *dm_attribution_name(dm_attribution_kind kind);

typedef enum dm_stance {
    DM_STANCE_AGAINST = 0,
    DM_STANCE_NEUTRAL = 1,
    DM_STANCE_FAVOR = 2
} dm_stance;

const char *dm_stance_name(dm_stance stance); /* "against", "neutral", "favor" */

/* One target of a statement: an actor it names (or a label given by the user). */
typedef struct dm_target {
    char *actor;           /* actor code or user label; never NULL */
    char *mention;         /* the words in the text, or NULL if not in the text */
    bool has_span;
    size_t start, end;     /* byte range in the ORIGINAL document text */
    size_t norm_start, norm_end; /* byte range in the normalised document text */
    /* Filled by scoring (dm_model_score); scored == false before. */
    bool scored;
    dm_stance stance;
    double score;          /* p(favor) - p(against), in [-1, 1] */
    double p[3];           /* indexed by dm_stance */
} dm_target;

typedef struct dm_statement {
    int n;                 /* 1-based position in its document */
    char *speaker;         /* NULL if unknown */
    char *speaker_role;    /* NULL if none */
    char *speaker_actor;   /* NULL if unknown */
    char *cue;             /* the cue verb or phrase as written, NULL if none */
    dm_attribution_kind attribution; /* how the speaker was found */
    dm_statement_kind kind;
    char *text;            /* the statement's words (normalised) */
    size_t start, end;     /* byte range in the ORIGINAL document text */
    size_t norm_start, norm_end; /* byte range in the normalised text */
    char *context;         /* the reporting sentence around a partial quote, or NULL */
    dm_target *targets;
    size_t n_targets;
    /* Filled by scoring; scored == false before. */
    bool scored;
    int hostility_level;   /* 0..4 */
    double hostility_expected; /* the expected level, 0..4 (probability-weighted;
                                  an SVR model's clamped output) */
} dm_statement;

typedef struct dm_statement_list {
    dm_statement *v;
    size_t n, cap;
} dm_statement_list;

/* Frees a statement's strings and targets (not the struct itself, which
 * may live on the stack or in a list) and zeroes it; NULL is a no-op. */
void dm_statement_clear(dm_statement *st);

void dm_statement_list_init(dm_statement_list *list);
/* Frees every statement and its strings; leaves an empty list. */
void dm_statement_list_clear(dm_statement_list *list);
/* Append a new zeroed statement owned by the list and return it (NULL when
 * out of memory or list is NULL). Earlier pointers into list->v may move. */
dm_statement *dm_statement_list_push(dm_statement_list *list);
/* Append a target (strings copied; mention may be NULL). */
dm_status dm_statement_add_target(dm_statement *st, const char *actor,
                                  const char *mention, bool has_span,
                                  size_t start, size_t end, size_t norm_start,
                                  size_t norm_end);

/* A document to extract from. Strings are borrowed by the extractor. */
typedef struct dm_document {
    const char *id;            /* may be NULL */
    const char *date;          /* "YYYY", "YYYY-MM", "YYYY-MM-DD" or ISO 8601; may be NULL */
    const char *title;         /* may be NULL */
    const char *source;        /* may be NULL */
    const char *speaker;       /* speech mode when speaker or speaker_actor is set */
    const char *speaker_actor;
    const char *text;          /* the original bytes; need not be valid UTF-8 */
    size_t text_len;
} dm_document;

/* Cue verbs and phrases (lexicons/cues.tsv): said, told, warned, according to... */
typedef struct dm_cues dm_cues;
dm_status dm_cues_load(const char *path, dm_cues **out, dm_error *err);
void dm_cues_destroy(dm_cues **cues);

/* An extractor holds no scratch: extraction keeps its working state on the
 * caller's stack and in the per-thread cache of text.h (ICU iterators, the
 * buffers of the thread's last document text). Once configured
 * (create, set_window, set_abbreviations), one extractor, with its actors,
 * cues and abbreviations, may be used by any number of threads at once;
 * each thread needs its own dm_statement_list and dm_error. */
typedef struct dm_extractor dm_extractor;

/* `actors` and `cues` are borrowed and must outlive the extractor. */
dm_status dm_extractor_create(const dm_actors *actors, const dm_cues *cues,
                              dm_extractor **out, dm_error *err);
void dm_extractor_destroy(dm_extractor **ex);

/* The speaker ranker (models/speaker_ranker.tsv): a linear model that,
 * for a quote the rules found no speaker for, chooses among the names of
 * the quote's sentence and the three before it, their he/she antecedents,
 * the earlier speakers and the description opening the quote's sentence
 * (attribution "ranked"); for a kind of quote its file gives a margin for
 * (pronoun, previous_sentence), it replaces the rules' speaker when its
 * choice scores more than that margin above it, and a quote carried from
 * that one follows (still "carried"). dm_ranker_load refuses (DM_E_FORMAT, DM_E_VERSION,
 * DM_E_MISMATCH, with the reason in err) a file that is damaged, of another
 * format version or of another feature layout. Immutable once loaded: one
 * ranker may serve any number of extractors and threads. */
typedef struct dm_ranker dm_ranker;
dm_status dm_ranker_load(const char *path, dm_ranker **out, dm_error *err);
void dm_ranker_destroy(dm_ranker **ranker);
/* `ranker` is borrowed and must outlive the extractor; NULL (the default)
 * leaves the rules' guesses as they are. */
void dm_extractor_set_ranker(dm_extractor *ex, const dm_ranker *ranker);

/* Documents longer than the window (bytes; default 1 MB) are read paragraph
 * window by window, so that a long document needs memory for one window's
 * analysis (some 30 bytes a byte) besides its statements, not for all of
 * it. Windows end at a blank line (else a line break, else a character
 * boundary) in the second half of the window. What crosses a window's
 * start is not seen: a quotation spanning it, a pronoun or surname whose
 * antecedent is in an earlier window. bytes == 0 leaves it as it is. */
#define DM_EXTRACT_DEFAULT_WINDOW ((size_t)1 << 20)
void dm_extractor_set_window(dm_extractor *ex, size_t bytes);

/* Segment sentences with `abbreviations` (borrowed, must outlive the
 * extractor; text.h) instead of the built-in set; NULL: the built-in set. */
void dm_extractor_set_abbreviations(dm_extractor *ex,
                                    const dm_abbreviations *abbreviations);

/* Extract every statement of `doc`, appending to `out`. Warnings (invalid
 * UTF-8 replaced, unbalanced quote marks) go to `logger` with the document id
 * as `where`. An unbalanced mark never discards the rest of the document.
 * Statements are numbered 1.. in document order. For a document read by
 * windows, norm_start/norm_end index the windows' normalised texts laid end
 * to end (start/end index the original text, as always). */
dm_status dm_extract(const dm_extractor *ex, const dm_document *doc,
                     dm_statement_list *out, const dm_logger *logger,
                     dm_error *err);

/* Find the targets of one given statement text (the -e / --statements path):
 * every actor mentioned, as DM_KIND_GIVEN. Appends one statement to `out`. */
dm_status dm_extract_given(const dm_extractor *ex, const dm_document *doc,
                           dm_statement_list *out, const dm_logger *logger,
                           dm_error *err);

DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
