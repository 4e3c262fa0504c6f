/* The cue lexicon's tables, shared by its loader (cues.c) and its matcher
 * (cues_match.c). Internal to src/statements. */
#ifndef DM_STATEMENTS_CUES_DATA_INTERNAL_H
#define DM_STATEMENTS_CUES_DATA_INTERNAL_H

#include "statements/cues_internal.h"

#include <stdint.h>

#define CUE_MAX_WORDS 6

typedef struct cue_entry {
    dm_cue_type type;
    size_t n_words;
    char *words[CUE_MAX_WORDS]; /* folded; words[0] owns one allocation */
    uint64_t keys[CUE_MAX_WORDS]; /* each word's dm_unit_key (set with the index) */
} cue_entry;

/* A first name and its gender: kept apart from the phrase entries so that a
 * long name list does not slow the verb look-ups of every word. Eight
 * bytes, offsets rather than pointers: 33,000 of them are written at every
 * start-up (16 bytes an entry were 128 pages more to fault in). */
typedef struct name_entry {
    uint32_t name;   /* its folded bytes' offset in name_pool, NUL-terminated */
    uint32_t order;  /* load order << 1, | 1 for a woman's name ('f'); the
                      * hand-made entries of cues.tsv, read before an
                      * included list, win for a name in both */
} name_entry;

/* The entries of one type and first word: v[first, first + count), in the
 * sorted order (longest first). */
typedef struct cue_slot {
    const char *word;   /* the first word (folded); NULL: an empty slot */
    uint64_t key;       /* its dm_unit_key */
    uint32_t first, count;
    dm_cue_type type;
} cue_slot;

#define PAIRS (27 * 27)

struct dm_cues {
    cue_entry *v;
    size_t n, cap;
    /* first-two-letter pairs of the first words of each type: a word whose
     * pair is not set starts no entry of that type (no folding, no search) */
    uint32_t pairs[DM_CUE_TYPE_COUNT][(PAIRS + 31) / 32];
    /* open addressing by (type, first word): a word's entries without a
     * binary search of string comparisons (dm_cues_match) */
    cue_slot *slots;
    size_t slot_mask;
    name_entry *names;
    size_t n_names, cap_names;
    char *name_pool;        /* every name's folded bytes, NUL-terminated: one
                             * allocation for the ~33,000 names */
    size_t pool_len, pool_cap;
};

/* A name entry's folded name and gender ('m' or 'f'). */
static inline const char *dm_cues_entry_name(const dm_cues *c, const name_entry *e)
{
    return c->name_pool + e->name;
}

static inline char dm_cues_entry_gender(const name_entry *e)
{
    return e->order & 1 ? 'f' : 'm';
}

/* Letter pairs: dm_unit_pair (units_internal.h), the index the units carry. */

/* Fill the entries' keys and the slots (after the entries are sorted). */
dm_status dm_cues_build_index(dm_cues *c);

#endif
