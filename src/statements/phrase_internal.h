/* The speaker-phrase parser shared by attribution.c and phrase.c.
 * Internal to src/statements. */
#ifndef DM_STATEMENTS_PHRASE_INTERNAL_H
#define DM_STATEMENTS_PHRASE_INTERNAL_H

#include "statements/attribution_internal.h"

/* The longest noun phrase parse_speaker reads after its first unit (np_tail):
 * the people scan's skip of lowercase determiners relies on it. */
#define DM_MAX_NP 10

/* Word classes (folded, NULL-terminated). */
extern const char *const DM_PRONOUNS[];
extern const char *const DM_DETERMINERS[];
extern const char *const DM_FUNCTION_WORDS[];
/* Subordinators that open a clause before a name ("Until Mr. Comey spoke",
 * "Whatever Bloomberg does"; POLNEAR.md round 14): in DM_FUNCTION_WORDS
 * (never the start of a name) and in attribution.c's NAME_OPENERS (a name
 * may start right after one). One list for both, spliced into each. */
#define DM_SUBORDINATOR_WORDS                                                                      \
    "until", "unless", "whether", "whatever", "whenever", "wherever", "unlike", "throughout",      \
        "following"
extern const char *const DM_NP_STOPS[];
extern const char *const DM_PARTICLES[];
extern const char *const DM_PREPOSITIONS[];
extern const char *const DM_ROLE_STOPS[];
extern const char *const DM_HONORIFICS[]; /* mr, mrs, ms, miss */

/* A region of word units being parsed. */
typedef struct dm_phrase_parser {
    const dm_attr_ctx *c;
    const char *s;
    const dm_unit *u;
    size_t lo, hi;           /* unit bounds of the region */
} dm_phrase_parser;

dm_phrase_parser dm_phrase_parser_make(const dm_attr_ctx *c, size_t a, size_t b);
/* A speaker phrase from unit i (need_cue: a verb cue must follow); returns
 * the unit after it, or 0. */
size_t dm_phrase_speaker(const dm_phrase_parser *p, size_t i, bool need_cue,
                         dm_attribution *a);
/* A cue of `type` anywhere in the region with a speaker after it. */
bool dm_phrase_prep(const dm_phrase_parser *p, dm_cue_type type,
                    dm_attribution *out);
/* Length of a (lowercase) verb cue at unit k, or 0. */
size_t dm_phrase_verb(const dm_phrase_parser *p, size_t k);
dm_span dm_phrase_span(const dm_phrase_parser *p, size_t a, size_t b);
bool dm_phrase_punct(const dm_phrase_parser *p, size_t i, int32_t ch);
/* A capitalised word that is not a function word. */
bool dm_phrase_cap_word(const dm_phrase_parser *p, size_t i);
/* The name a run of capitals from unit i ends with when its last word is a
 * possessive ("Bill Clinton's hair", "Sen. Ruiz's website"): a name
 * without its 's, for a mention. Returns the unit after the possessive, or 0. */
size_t dm_phrase_possessive_name(const dm_phrase_parser *p, size_t i, dm_attribution *a);

#endif
