/* The cue lexicon (lexicons/cues.tsv) as the extractor uses it.
 * Internal to src/statements. */
#ifndef DM_STATEMENTS_CUES_INTERNAL_H
#define DM_STATEMENTS_CUES_INTERNAL_H

#include "demarche/statements.h"
#include "statements/units_internal.h"

typedef enum dm_cue_type {
    DM_CUE_VERB = 0,   /* speaker before it ("X said") or after ("said X") */
    DM_CUE_PREP,       /* speaker after it: "according to X" */
    DM_CUE_BY,         /* the author after it, preferred to verbs: "signed by X" */
    DM_CUE_SUFFIX,     /* extends a verb cue: "said in a statement" */
    DM_CUE_TITLE,      /* a title word before a name: "Foreign Minister" */
    DM_CUE_ORG,        /* an organisation head noun: "the ministry" */
    DM_CUE_SKIP,       /* may stand between speaker and cue: "also", "Monday" */
    DM_CUE_MALE,       /* a first name of a man: "he" may refer to its bearer */
    DM_CUE_FEMALE,     /* a first name of a woman: "she" */
    DM_CUE_TYPE_COUNT
} dm_cue_type;

/* Number of units (>= 1) of the longest entry of `type` matching the word
 * units starting at u[0] (n available), or 0. */
size_t dm_cues_match(const dm_cues *cues, dm_cue_type type, const char *s,
                     const dm_unit *u, size_t n);

/* Gender of a first name ('m', 'f') from the male/female entries (cues.tsv
 * and the list it includes, lexicons/given_names.tsv), else 0. The
 * `_folded` form takes an ICU case-folded word. */
char dm_cues_name_gender(const dm_cues *cues, const char *s, const dm_unit *u);
char dm_cues_name_gender_folded(const dm_cues *cues, const char *folded);

/* Number of entries of a type (for tests and diagnostics). */
size_t dm_cues_count(const dm_cues *cues, dm_cue_type type);

#endif
