/*
 * The text layer: ICU normalisation with a map back to original byte offsets,
 * paragraphs, sentences and tokens.
 *
 * Normalised text is UTF-8 and NUL-terminated. It is NFKC, with every double
 * quote variant (" “ ” „ ‟ « » ″ 〝 〞 ＂ and '' used as a double quote) mapped
 * to '"', every single quote / apostrophe variant (' ‘ ’ ‚ ‛ ′ ‹ › ` ´) mapped
 * to '\'', a doubled apostrophe inside a word ("Britain’’s") reduced to one,
 * every run of horizontal white space (including NBSP and other Zs) reduced to
 * one ' ', each paragraph break (one or more line breaks with optional white
 * space between them) reduced to one '\n', and leading/trailing white space of
 * the text and of each paragraph removed. Invalid UTF-8 becomes U+FFFD.
 * Invisible characters are dropped: control characters that are not white
 * space, and format characters (soft hyphen, BOM, zero-width space, bidi
 * marks; ZWJ/ZWNJ are kept); a span across one includes it in the original.
 * Memory: about 11 bytes per input byte (the copy, the text and the map);
 * texts are limited to 4 GiB.
 *
 * Offsets: every byte of the normalised text maps back to a half-open range
 * of the original bytes. dm_text_orig_start(t, a) and dm_text_orig_end(t, b)
 * turn a normalised span [a, b) into the original span whose bytes print the
 * same text (with the original marks and spacing).
 *
 * Ownership: see core.h.
 */
#ifndef DEMARCHE_TEXT_H
#define DEMARCHE_TEXT_H

#include "demarche/core.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

/* Half-open byte range [start, end). Which text it indexes is said where used. */
typedef struct dm_span {
    size_t start;
    size_t end;
} dm_span;

typedef struct dm_text dm_text;

/* Normalise `len` bytes of `original` (need not be NUL-terminated; may hold
 * invalid UTF-8). The text keeps its own copy of the original. */
dm_status dm_text_create(const char *original, size_t len, dm_text **out,
                         dm_error *err);
void dm_text_destroy(dm_text **text);

const char *dm_text_original(const dm_text *text);
size_t dm_text_original_len(const dm_text *text);
const char *dm_text_norm(const dm_text *text);
size_t dm_text_norm_len(const dm_text *text);

/* Number of invalid UTF-8 sequences replaced by U+FFFD. */
size_t dm_text_invalid_utf8(const dm_text *text);

/* Original byte offset where the normalised byte `norm_offset` starts
 * (norm_offset == norm_len gives original_len). */
size_t dm_text_orig_start(const dm_text *text, size_t norm_offset);
/* Original byte offset just past the normalised byte before `norm_end`
 * (norm_end == 0 gives the start of the first original byte). */
size_t dm_text_orig_end(const dm_text *text, size_t norm_end);

/* The reverse map: the normalised span covering the original byte span
 * [orig_start, orig_end), from the first normalised byte whose original
 * bytes end after orig_start to just past the last one whose original bytes
 * start before orig_end (empty, at the right place, when the original span
 * holds only dropped characters). Offsets beyond the original are clamped. */
dm_span dm_text_norm_span(const dm_text *text, size_t orig_start,
                          size_t orig_end);

/* ---- Abbreviations --------------------------------------------------------
 * A set of abbreviations after which no sentence ends. The built-in set (the
 * list of lexicons/abbreviations.tsv, compiled in; see lexicons/README.md) is
 * built once and never changes; functions taking a `const dm_abbreviations *`
 * use it when given NULL. A set the caller creates is read-only once loaded:
 * any number of threads may segment with it at the same time; loading into
 * it must not overlap its use. */
typedef struct dm_abbreviations dm_abbreviations;

/* A new set holding the built-in abbreviations; dm_abbreviations_destroy. */
dm_status dm_abbreviations_create(dm_abbreviations **out, dm_error *err);
void dm_abbreviations_destroy(dm_abbreviations **set);
/* Add the abbreviations of a file (one per line or TSV first column; '#'
 * comments; an optional second column `terminal` marks ones that may end a
 * sentence before "He", "The", ...; format: lexicons/README.md). A later
 * entry's class wins. All or nothing: DM_E_IO if unreadable, DM_E_FORMAT
 * (with the line) if malformed, and then the set is as it was. */
dm_status dm_abbreviations_load(dm_abbreviations *set, const char *path,
                                dm_error *err);

/* Sentences of normalised text, in normalised byte offsets, never crossing
 * a paragraph break, with ICU's sentence break iterator (en, with the
 * standard suppressions) and no break after the abbreviations of the
 * built-in set (U.S., U.N., Mr., Gen., Sen., ...). A piece that starts with
 * a lowercase letter continues the sentence ("Why?" he asked.), and a piece
 * with no letter or digit (a stray closing mark) joins the sentence before
 * it. Leading and trailing white space is excluded from each span.
 * *out is freed with free(). Thread-safe (per-thread ICU iterators). */
dm_status dm_text_sentences(const dm_text *text, dm_span **out, size_t *n,
                            dm_error *err);

typedef enum dm_token_kind {
    DM_TOKEN_WORD = 0,    /* letters (may contain ' and -) */
    DM_TOKEN_NUMBER,
    DM_TOKEN_PUNCT,       /* punctuation and symbols, one token per mark */
} dm_token_kind;

typedef struct dm_token {
    size_t start, end;    /* byte range in the tokenised string */
    dm_token_kind kind;
    const char *folded;   /* ICU full case folding of the token, NUL-terminated */
    size_t folded_len;    /* strlen(folded) */
    bool capitalized;     /* first letter is upper/title case */
} dm_token;

typedef struct dm_tokens {
    dm_token *v;
    size_t n;
    char *pool_;          /* private storage for `folded` strings */
} dm_tokens;

/* ICU word-break tokens of a UTF-8 string; white space is skipped.
 * Release with dm_tokens_free(). */
dm_status dm_tokenize(const char *utf8, size_t len, dm_tokens *out,
                      dm_error *err);
void dm_tokens_free(dm_tokens *tokens);

/* Sentence and token functions keep ICU break iterators per thread (opening
 * one per call is slow), and extraction (statements.h) the buffers of the
 * thread's last document text, up to 64 KB of it, for the next one. They
 * are released when the thread exits; a thread may also release them now
 * (they are made again on next use). */
void dm_text_thread_cleanup(void);

DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
