/* The people named in a document ("Foreign Minister Sergei Lavrov",
 * "Ukraine's ambassador, Sergiy Kyslytsya"), so that "Lavrov said" gets the
 * full name and the role it was introduced with. Internal to src/statements. */
#ifndef DM_STATEMENTS_PERSONS_INTERNAL_H
#define DM_STATEMENTS_PERSONS_INTERNAL_H

#include "statements/attribution_internal.h"

#include "statements/quotes_internal.h"

typedef struct dm_persons {
    dm_attribution *v;   /* form NAME; speaker = the name (two words or more) */
    size_t n, cap;
    dm_attribution *mentions; /* every name outside quotes, in order */
    size_t *mention_sentence; /* sentence index of each mention */
    size_t n_mentions;
} dm_persons;

/* Collect the named people of every sentence (`quotes` may be NULL). */
dm_status dm_persons_scan(const dm_attr_ctx *c, const dm_span *sents,
                          size_t n_sents, const dm_quotes *quotes,
                          dm_persons *out);

/* The antecedent of "he"/"she" at `pos`: the first person (a full name, a
 * surname of one, or a person of the dictionary) of the latest sentence
 * before it naming one whose gender is `gender` or unknown (gender 0: any).
 * NULL if none. *found (when not NULL) gets the gender the antecedent is
 * known to have, 0 when unknown. */
const dm_attribution *dm_persons_pronoun(const dm_attr_ctx *c,
                                         const dm_persons *ps, size_t pos,
                                         char gender, char *found);

/* The gender of a full name from the given name it opens with (cues.tsv
 * male/female), else 0 (also when `name` is NULL or folding fails): a
 * name taken from the dictionary ("Obama" gives "Barack Obama"). */
char dm_persons_name_gender(const dm_attr_ctx *c, const char *name);

/* The gender a person phrase says: 'm'/'f' from an honorific before the name
 * ("Ms. Okafor") or its first name (cues.tsv male/female; a surname takes
 * the full name it was introduced with before `pos`), else 0. */
char dm_persons_gender(const dm_attr_ctx *c, const dm_persons *ps,
                       const dm_attribution *a, size_t pos);
void dm_persons_free(dm_persons *ps);

/* Does the capitalised phrase hold a word no person's name holds: a day, a
 * month, a place or organisation head ("Late Sunday", "Democratic Party"),
 * or is it a US state ("Iowa", "Salem, New Hampshire")? */
bool dm_persons_not_a_name(const dm_attr_ctx *c, dm_span name);

/* The first person mention in [a, b), or NULL. */
const dm_attribution *dm_persons_first_in(const dm_attr_ctx *c,
                                          const dm_persons *ps, size_t a,
                                          size_t b);

/* The full-name mention a shorter name refers to: the latest one before
 * `pos` whose last words are `name`'s words (or, for one word, any of its
 * words: "Zhang" -> "Zhang Jun", "Lula" -> "Luiz Inacio Lula da Silva"),
 * else the first after `pos`. NULL if none. */
const dm_attribution *dm_persons_expand(const dm_attr_ctx *c,
                                        const dm_persons *ps, dm_span name,
                                        size_t pos);

/* The gender an honorific gives a name ("Mr." before it: 'm'; "Mrs.",
 * "Ms.", "Miss": 'f'), else 0. */
char dm_persons_honorific(const dm_attr_ctx *c, dm_span name);

#endif
