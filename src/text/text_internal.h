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
 * with *status set. The iterator is already set on `utf8[0..len)`. */
UBreakIterator *dm_text_sentence_iterator(const char *utf8, size_t len,
                                          UErrorCode *status);
UBreakIterator *dm_text_word_iterator(const char *utf8, size_t len,
                                      UErrorCode *status);

#endif
