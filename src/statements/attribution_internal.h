/* Speaker attribution: finding "X said" around a quote. Works on word units
 * of the normalised text; offsets are normalised. Internal to src/statements. */
#ifndef DM_STATEMENTS_ATTRIBUTION_INTERNAL_H
#define DM_STATEMENTS_ATTRIBUTION_INTERNAL_H

#include "demarche/actors.h"
#include "statements/cues_internal.h"
#include "statements/units_internal.h"

typedef enum dm_speaker_form {
    DM_SPEAKER_NONE = 0,
    DM_SPEAKER_NAME,     /* a capitalised name: "Sergei Lavrov", "NATO" */
    DM_SPEAKER_NP,       /* a noun phrase: "the Iranian foreign ministry" */
    DM_SPEAKER_PRONOUN   /* he, she, they, we, I, it */
} dm_speaker_form;

typedef struct dm_attribution {
    dm_speaker_form form;
    dm_span speaker;     /* the name, the noun phrase or the pronoun */
    dm_span role;        /* title before the name or apposition; empty if none */
    dm_span phrase;      /* everything naming the speaker (title, apposition) */
    dm_span cue;         /* the cue as written */
    bool group;          /* several names: "France, Germany and Britain" */
    bool owner;          /* a possessive's owner ("Ruiz" of "Ruiz's plan"):
                            a mention, weaker than a name of its own */
} dm_attribution;

struct dm_persons;

typedef struct dm_attr_ctx {
    const struct dm_persons *persons; /* named people of the document */
    size_t pos;             /* where the statement being resolved is */
    const char *s;          /* normalised text */
    const dm_units *units;  /* its word units */
    const dm_cues *cues;
    const dm_actors *actors;
    const char *date;       /* for dm_actors_lookup, may be NULL */
    /* Per unit of *units, what phrase.c's actor_word found: 0 not looked
     * up yet, 1 no actor or a person, 2 an actor that is no person (the
     * parser asks again and again of the same words as it starts at each
     * of them). Owned by the document (one thread); NULL: no memo. */
    uint8_t *actor_memo;
} dm_attr_ctx;

/* `"Q," X said` / `"Q," said X` / `"Q," according to X`: the attribution
 * must start the region [a, b) (after leading punctuation). */
bool dm_attribute_after(const dm_attr_ctx *c, size_t a, size_t b,
                        dm_attribution *out);
/* `"Q" about the decision, said X.` / `"Q," in contrast to ..., X says.`: a
 * clause `, said X` or `, X said` later in the region after a quote, ending
 * its clause. */
bool dm_attribute_after_late(const dm_attr_ctx *c, size_t a, size_t b,
                             dm_attribution *out);
/* `X said: "Q"`, `X said that ... "Q"`, `X called Y "Q"`, `according to X,
 * "Q"`, `... signed by X: "Q"`: a cue anywhere in [a, b) (the reporting
 * text before a quote). */
bool dm_attribute_before(const dm_attr_ctx *c, size_t a, size_t b,
                         dm_attribution *out);
/* "according to X" / "signed by X" anywhere in [a, b). */
bool dm_attribute_prep(const dm_attr_ctx *c, size_t a, size_t b,
                       dm_attribution *out);

/* Headline style `NAME: "Q"`: [a, b) is only a speaker and a colon. The
 * cue stays empty. */
bool dm_attribute_colon(const dm_attr_ctx *c, size_t a, size_t b,
                        dm_attribution *out);

/* The first verb cue in [a, b), if any. */
bool dm_attribute_verb(const dm_attr_ctx *c, size_t a, size_t b, dm_span *cue);

/* Append every named person phrase (form NAME) of [a, b) to *v. */
dm_status dm_attribute_names(const dm_attr_ctx *c, size_t a, size_t b,
                             dm_attribution **v, size_t *n, size_t *cap);

/* True if the unit is one of the words (folded, ASCII) in the NULL-terminated
 * list. The list must have static storage duration and never change: a
 * process-wide cache, built on first use and shared by all threads, keeps
 * a letter-pair filter of each list by its address (thread-safe). */
bool dm_unit_in(const char *s, const dm_unit *u, const char *const *words);

/* Parse a name of dm_attribution_name; false if unknown (the statement
 * readers: JSON and the store). */
bool dm_attribution_parse(const char *name, dm_attribution_kind *kind);

#endif
