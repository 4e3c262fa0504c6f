/* The people named in a document ("Foreign Minister Sergei Lavrov",
 * "Ukraine's ambassador, Sergiy Kyslytsya"), so that "Lavrov said" gets the
 * full name and the role it was introduced with. Internal to src/statements. */
#ifndef DM_STATEMENTS_PERSONS_INTERNAL_H
#define DM_STATEMENTS_PERSONS_INTERNAL_H

#include "statements/attribution_internal.h"

#include "statements/quotes_internal.h"

/* Names are kept in blocks that never move: a pointer to one stays valid
 * while the list grows (it grows while it is read, see dm_persons_scan). */
#define DM_PERSONS_BLOCK 64
typedef struct dm_person_entry {
    dm_attribution a;
    size_t sentence;    /* index of its sentence */
} dm_person_entry;

typedef struct dm_person_list {
    dm_person_entry **blocks;
    size_t n, n_blocks, cap_blocks;
} dm_person_list;

static inline const dm_person_entry *dm_person_list_at(const dm_person_list *l, size_t i)
{
    return &l->blocks[i / DM_PERSONS_BLOCK][i % DM_PERSONS_BLOCK];
}

/* One sentence's names (groups left out), read once. */
typedef struct dm_person_name {
    dm_attribution a;
    bool mention;       /* outside quotes */
    bool full;          /* two words or more */
} dm_person_name;

typedef struct dm_person_sentence {
    dm_person_name *v;
    size_t n;
    bool done;          /* scanned */
} dm_person_sentence;

typedef struct dm_persons {
    dm_person_list mentions; /* every name outside quotes, in order */
    /* The scan, sentence by sentence as the lookups read (below) */
    dm_attr_ctx ctx;         /* the context the names are read in */
    const dm_span *sents;
    size_t n_sents;
    size_t next;             /* mentions holds sentences [0, next) */
    const dm_quotes *quotes;
    dm_person_sentence *by_sentence; /* n_sents, each scanned when read */
    dm_attribution *tmp;     /* one sentence's names */
    size_t tmp_cap;
    bool failed;             /* out of memory: the lists stop short */
    /* dm_persons_whole_internal: every sentence scanned and searched as
     * one list (the tests hold the two ways to the same answers) */
    bool whole;
    const dm_attribution **full; /* whole: the full names in order */
    size_t n_full;
} dm_persons;

/* Look up as before the scan on demand: every sentence scanned first,
 * expand and first_in searching the lists of the whole text (for tests). */
void dm_persons_whole_internal(dm_persons *ps);

/* Collect the named people of every sentence (`quotes` may be NULL): on
 * demand. Nothing is scanned here; each function below scans the sentences
 * it reads (a sentence's names depend on that sentence alone): the mention
 * list up to where it reads, in sentence order (it holds what a scan of the
 * whole text would, up to there); dm_persons_first_in the sentences of its
 * range; dm_persons_expand the sentences from the first to the last that
 * hold the word it compares (no full name elsewhere can cover the name).
 * UN speeches ask about a few quotes, and the scan of every sentence was
 * the most costly step of extraction.
 * `c`, `sents` and `quotes` must outlive `out`. Out of memory during a later
 * scan shows in dm_persons_failed. */
dm_status dm_persons_scan(const dm_attr_ctx *c, const dm_span *sents,
                          size_t n_sents, const dm_quotes *quotes,
                          dm_persons *out);

/* Did a scan run out of memory (so that the lists stop short)? */
bool dm_persons_failed(const dm_persons *ps);

/* Scan every sentence; the number of mentions. */
size_t dm_persons_all_mentions(const dm_persons *ps);

/* Mention i (i < dm_persons_all_mentions or a count already scanned). */
static inline const dm_attribution *dm_persons_mention(const dm_persons *ps, size_t i)
{
    return &dm_person_list_at(&ps->mentions, i)->a;
}

static inline size_t dm_persons_mention_sentence(const dm_persons *ps, size_t i)
{
    return dm_person_list_at(&ps->mentions, i)->sentence;
}

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
