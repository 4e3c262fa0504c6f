/*
 * Actors: who speaks and who is spoken about.
 *
 * A dictionary maps names (states, organisations, capitals, metonyms such as
 * "the Kremlin", adjectives such as "Russian", and people with their actor and
 * role over date ranges) to actor codes: ISO 3166-1 alpha-3 for states (USA,
 * RUS, GBR), short codes for organisations (UN, EU, NATO). The project's own
 * file is lexicons/actors.tsv (format in lexicons/README.md). Phoenix/CAMEO
 * TABARI dictionaries load too; entries from earlier loads win where both
 * know a name, so load our own file first.
 *
 * Ownership: see core.h. A loaded dictionary is read-only: dm_actors_find,
 * dm_actors_lookup and dm_target_key may run concurrently on it; loading
 * may not.
 */
#ifndef DEMARCHE_ACTORS_H
#define DEMARCHE_ACTORS_H

#include "demarche/core.h"
#include "demarche/text.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

typedef enum dm_actor_kind {
    DM_ACTOR_STATE = 0,     /* a state's name: "Russia", "the United States" */
    DM_ACTOR_ADJECTIVE,     /* "Russian", "British" */
    DM_ACTOR_CAPITAL,       /* "Moscow", "Washington" (metonymic use) */
    DM_ACTOR_METONYM,       /* "the Kremlin", "the Assad regime", "the White House" */
    DM_ACTOR_ORGANISATION,  /* "the United Nations", "NATO" */
    DM_ACTOR_PERSON,        /* "Vladimir Putin", "Lavrov" */
    DM_ACTOR_GROUP          /* "Hamas", "the Taliban" */
} dm_actor_kind;

typedef struct dm_actors dm_actors;

dm_status dm_actors_create(dm_actors **out, dm_error *err);
void dm_actors_destroy(dm_actors **actors);

/* Load the project's TSV format; errors name file:line. On error nothing
 * from this file is kept. */
dm_status dm_actors_load_tsv(dm_actors *actors, const char *path, dm_error *err);
/* Load a Phoenix/CAMEO TABARI .actors file (names with '_', '+' synonyms,
 * tab-indented [CODE date-range] lines). Codes keep their first three
 * letters as the actor (RUSGOV -> RUS); the role agent is kept as role. */
dm_status dm_actors_load_phoenix(dm_actors *actors, const char *path,
                                 dm_error *err);
/* Number of distinct names known. */
size_t dm_actors_count(const dm_actors *actors);
/* Lines of Phoenix files skipped as malformed (bad codes or dates, names
 * without codes, synonyms outside a block), summed over all loads. */
size_t dm_actors_phoenix_skipped(const dm_actors *actors);
/* "state", "adjective", "capital", "metonym", "organisation", "person",
 * "group" (the TSV kind names). Never NULL. */
const char *dm_actor_kind_name(dm_actor_kind kind);

/* One mention found in a text. */
typedef struct dm_actor_match {
    size_t start, end;       /* byte range in the searched string */
    const char *code;        /* actor code (borrowed from the dictionary) */
    const char *name;        /* canonical name of the entry (borrowed) */
    const char *role;        /* role for people at that date, or NULL (borrowed) */
    dm_actor_kind kind;
} dm_actor_match;

/* Find every actor mention in `utf8` (normalised text), longest match first,
 * non-overlapping, left to right. `date` ("YYYY", "YYYY-MM", "YYYY-MM-DD" or
 * NULL) selects date-ranged codes and roles; NULL means the newest entry.
 * (Text after the date, as in ISO 8601 timestamps, is ignored; a date that
 * does not parse counts as NULL. A partial date is a day range: the sense
 * covering all of it wins, else the one covering most of it. When no sense
 * is valid at the date, the nearest one gives the code and role is NULL.)
 * A leading "the" is part of the span when the name has one in the
 * dictionary; a possessive "'s" is not.
 * Matching is case-sensitive for capitalised names, with a case-insensitive
 * fallback for all-capital text. *out is freed with free(). */
dm_status dm_actors_find(const dm_actors *actors, const char *utf8, size_t len,
                         const char *date, dm_actor_match **out, size_t *n,
                         dm_error *err);

/* Look up a single name exactly (e.g. a speaker name, "Sergei Lavrov" or
 * "Lavrov"); returns true and fills *match (start=0, end=len) if known.
 * demarche-chart gives a speaker without an actor the one it finds. */
bool dm_actors_lookup(const dm_actors *actors, const char *name, size_t len,
                      const char *date, dm_actor_match *match);

/* The key (the "actor" of a target) of a target given by its words:
 * utf8[start, end) of a normalised text. The code of the first actor the
 * dictionary finds in those words ("President Trump" -> USA), else the words
 * themselves ("the poll"). `actors` may be NULL (the words). The training
 * readers and demarche-score's given targets all key targets with this one
 * function, so that a target has the same key when a model learns it and
 * when it scores it. *key is malloc'ed; the caller frees it. */
dm_status dm_target_key(const dm_actors *actors, const char *utf8, size_t len,
                        size_t start, size_t end, const char *date, char **key,
                        dm_error *err);

DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
