/* Internals shared by the files of the text module (not public API). */
#ifndef DEMARCHE_TEXT_INTERNAL_H
#define DEMARCHE_TEXT_INTERNAL_H

#include "demarche/text.h"

#include <stdint.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

/* Offsets are stored as 32 bits to keep the per-byte map small
 * (9 bytes of map per normalised byte); texts are limited to 4 GiB - 1. */
#define DM_TEXT_MAX_LEN ((size_t)UINT32_MAX - 1)

struct dm_text {
    char *original;
    size_t original_len;
    char *norm;            /* NUL-terminated */
    size_t norm_len;
    uint32_t *orig_start;  /* per normalised byte: first original byte */
    uint32_t *orig_end;    /* per normalised byte: one past its last original byte */
    uint8_t *hint;         /* per normalised byte: dm_quote_hint */
    size_t invalid_utf8;
    /* A text that normalising leaves as it is (printable ASCII, single
     * spaces, normalize.c's plain_text: most given statements): norm is
     * original, every byte maps to itself and the quote marks '"' and '\''
     * are ambiguous, so the three per-byte arrays are NULL and the
     * accessors in text.c answer from the offset (three allocations and
     * 9 bytes a byte of map saved on each). */
    bool identity;
    /* Buffers, for a text reused by dm_text_renew_internal: norm's own
     * buffer (NULL until a text needs one; norm is original for an
     * identity text), the bytes original may hold (besides its NUL) and
     * the entries norm_buf (besides its NUL) and the three maps may. */
    char *norm_buf;
    size_t original_cap, map_cap;
};

/* How an abbreviation behaves before a following capitalised word. */
typedef enum dm_abbrev_class {
    DM_ABBREV_NONE = 0,     /* not an abbreviation */
    DM_ABBREV_PREFIX,       /* "Mr.", "Gen.": never ends a sentence */
    DM_ABBREV_TERMINAL      /* "U.S.", "Inc.": ends one only before a starter */
} dm_abbrev_class;

/* Class of the abbreviation `s[0..n)` (which ends with '.') in `set`, or in
 * the built-in set when `set` is NULL. Exact (case-sensitive) match. */
dm_abbrev_class dm_abbrev_lookup(const dm_abbreviations *set, const char *s, size_t n);

/* True when the ASCII word s[0..n) typically starts a sentence
 * ("He", "The", "But", ...). */
bool dm_abbrev_is_sentence_starter(const char *s, size_t n);

/* This thread's cached break iterators and UTexts (created on first use,
 * closed at thread exit or by dm_text_thread_cleanup()). NULL on failure
 * with *status set. The iterator is already set on `utf8[0..len)`, and its
 * boundaries are indices of a UTF-16 copy: dm_break_offset() with *map
 * gives their byte offsets in utf8 (valid until the next call of the same
 * function on this thread). */
UBreakIterator *dm_text_sentence_iterator(const char *utf8, size_t len,
                                          const int32_t **map, UErrorCode *status);
UBreakIterator *dm_text_word_iterator(const char *utf8, size_t len,
                                      const int32_t **map, UErrorCode *status);

static inline size_t dm_break_offset(const int32_t *map, int32_t boundary)
{
    return (size_t)(map ? map[boundary] : boundary);
}

/* ---- Used by the statements and features modules and tests ---- */

/* Marks kept by normalisation about the original character at a normalised
 * quote position, so pairing can use what the writer typed. */
typedef enum dm_quote_hint {
    DM_QUOTE_HINT_NONE = 0,   /* not a quote mark */
    DM_QUOTE_HINT_OPEN,       /* “ „ « ‘ ‚ : typographically an opener */
    DM_QUOTE_HINT_CLOSE,      /* ” » ’ : typographically a closer (often misused) */
    DM_QUOTE_HINT_AMBIGUOUS   /* " ' ″ ＂ : straight or prime */
} dm_quote_hint;

/* Options of dm_text_create_with (bit flags). */
enum {
    /* Hard-wrapped text (speech transcripts): a single line break inside a
     * sentence is a space, not a paragraph break: after a lowercase letter
     * or , ; - and before a letter or digit, or after a capital or digit and
     * before a lowercase letter. */
    DM_TEXT_JOIN_WRAPPED_LINES = 1u << 0,
    /* Unit tests: build the per-byte map even for a text that normalising
     * leaves as it is (see dm_text.identity), to compare the two. */
    DM_TEXT_ALWAYS_MAP_INTERNAL = 1u << 1,
    /* Unit tests: copy plain ASCII runs a byte at a time, not eight at
     * once (normalize.c's plain_block), to compare the two. */
    DM_TEXT_BYTEWISE_INTERNAL = 1u << 2
};

/* dm_text_create with options (0: the same as dm_text_create). */
dm_status dm_text_create_with(const char *original, size_t len,
                              unsigned options, dm_text **out, dm_error *err);

/* dm_text_create_with into *text, a text made before (or NULL: a new one),
 * whose buffers are reused: a thread that normalises text after text
 * allocates only when one is longer than all before. On failure *text is
 * destroyed and NULL. */
dm_status dm_text_renew_internal(dm_text **text, const char *original, size_t len,
                                 unsigned options, dm_error *err);

/* This thread's kept text (taken out of its cache: NULL when there is
 * none), for dm_text_renew_internal; and giving one back when done with it
 * (*text is NULL after). The cache keeps one text, of at most
 * DM_TEXT_KEEP_MAX bytes (a longer one is destroyed), until the thread
 * exits or calls dm_text_thread_cleanup(). */
#define DM_TEXT_KEEP_MAX ((size_t)64 << 10)
dm_text *dm_text_thread_take_internal(void);
void dm_text_thread_keep_internal(dm_text **text);

/* Typographic hint of the original mark at normalised byte `norm_offset`. */
dm_quote_hint dm_text_quote_hint(const dm_text *text, size_t norm_offset);

/* Paragraphs of the normalised text (separated by '\n'). *out is freed with
 * free(). */
dm_status dm_text_paragraphs(const dm_text *text, dm_span **out, size_t *n,
                             dm_error *err);

/* dm_text_sentences with another abbreviation set (NULL: the built-in one). */
dm_status dm_text_sentences_with(const dm_text *text,
                                 const dm_abbreviations *abbreviations,
                                 dm_span **out, size_t *n, dm_error *err);

/* The same on any UTF-8 string (already normalised). */
dm_status dm_sentences_utf8(const char *utf8, size_t len, dm_span **out,
                            size_t *n, dm_error *err);
dm_status dm_sentences_utf8_with(const char *utf8, size_t len,
                                 const dm_abbreviations *abbreviations,
                                 dm_span **out, size_t *n, dm_error *err);

/* dm_tokenize into the buffers `out` holds from an earlier call of this
 * function (*cap_v tokens, *cap_pool bytes: 0 and zeroed `out` the first
 * time; a buffer that is NULL counts as none), grown as needed: a thread
 * that tokenises text after text allocates only when one is longer than
 * all before. `out` is released with dm_tokens_free (then zero the two
 * sizes). On failure `out` is released and the sizes are 0. */
dm_status dm_tokenize_reuse(const char *utf8, size_t len, dm_tokens *out, size_t *cap_v,
                            size_t *cap_pool, dm_error *err);

/* An ASCII character that makes no token in a non-word segment: what
 * u_isUWhiteSpace or u_iscntrl say of it (controls 0-31 and 127, the
 * space), without the two calls for every space between words
 * (tests/unit/test_text.c checks all 128). */
static inline bool dm_ascii_unmarked(int c)
{
    return c <= 0x20 || c == 0x7f;
}

/* dm_tokenize with ICU's word breaking on every text (dm_tokenize takes
 * plain ASCII without it): what the fast path must agree with
 * (tests/unit/test_text.c). */
dm_status dm_tokenize_by_icu(const char *utf8, size_t len, dm_tokens *out, dm_error *err);

/* ICU full case folding of a UTF-8 string into a new malloc'ed string. */
dm_status dm_casefold(const char *utf8, size_t len, char **out, dm_error *err);

#endif
