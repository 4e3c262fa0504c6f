/* Word units of normalised text for attribution: words (letters/digits with
 * inner ' - and abbreviation dots: "Britain's", "al-Assad", "U.S.") and
 * single punctuation marks. Internal to src/statements. */
#ifndef DM_STATEMENTS_UNITS_INTERNAL_H
#define DM_STATEMENTS_UNITS_INTERNAL_H

#include "demarche/core.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dm_unit {
    size_t start, end;  /* byte range in the scanned text */
    bool word;          /* false: one punctuation/symbol character */
    bool cap;           /* word whose first letter is upper/title case */
    bool possessive;    /* word ending in 's or s' ("Britain's") */
    bool modifier;      /* capitalised compound ending in a lowercase
                           modifier ("Manhattan-made", "Texas-based") */
    bool opener;        /* capitalised auxiliary, "See" or "Neither": no
                           given name when it opens a sentence ("Does
                           Ruiz really think so?") */
    uint16_t pair;      /* a word's dm_unit_pair of its first two bytes
                           (the second 0 for a word of one byte), or
                           DM_UNIT_NO_PAIR when either is not ASCII: the
                           word lists' first filter (phrase.c dm_unit_in) */
    int32_t ch;         /* the character of a punctuation unit */
    uint64_t key;       /* an ASCII word of at most 8 bytes: its folded
                           bytes (A-Z lowered, as dm_unit_fold does), byte i
                           at bits 8i; 0 for any other unit. Equal keys are
                           equal folded words, so word lists and cues
                           compare it instead of folding (dm_unit_key) */
} dm_unit;

typedef struct dm_units {
    dm_unit *v;
    size_t n;
} dm_units;

/* Scan `len` bytes of valid UTF-8 (normalised text). */
dm_status dm_units_scan(const char *s, size_t len, dm_units *out);
void dm_units_free(dm_units *u);

/* Index of the first unit whose start >= offset (n if none). */
size_t dm_units_at(const dm_units *u, size_t offset);

/* Fold a word unit into buf (ICU simple case folding); false if too long. */
bool dm_unit_fold(const char *s, const dm_unit *u, char *buf, size_t size);

/* Case-insensitive comparison of a unit with an already folded word. */
bool dm_unit_is(const char *s, const dm_unit *u, const char *folded);

/* The key of a folded word (see dm_unit.key): 0 unless it is ASCII of 1 to
 * 8 bytes. */
static inline uint64_t dm_unit_key(const char *folded, size_t n)
{
    if (n == 0 || n > 8)
        return 0;
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)folded[i];
        if (b >= 0x80)
            return 0;
        k |= (uint64_t)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) << (8 * i);
    }
    return k;
}

/* Letter pair index of two ASCII bytes, A-Z as a-z (a-z: 1-26, any other
 * byte 0): 0 .. 27 * 27 - 1. */
static inline unsigned dm_unit_pair(unsigned char a, unsigned char b)
{
    a = (unsigned char)(a >= 'A' && a <= 'Z' ? a + 32 : a);
    b = (unsigned char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
    unsigned x = a >= 'a' && a <= 'z' ? a - 'a' + 1u : 0u;
    unsigned y = b >= 'a' && b <= 'z' ? b - 'a' + 1u : 0u;
    return x * 27u + y;
}
#define DM_UNIT_NO_PAIR 0xFFFFu

/* True if the unit is a punctuation unit holding character c. */
static inline bool dm_unit_punct(const dm_unit *u, int32_t c)
{
    return !u->word && u->ch == c;
}

#endif
