/*
 * Internal layout of the actors dictionary (see include/demarche/actors.h).
 *
 * An entity is one dictionary entry ("Sergei Lavrov", "Russia") with its
 * senses: (code, role, date range) triples. Several names point to one entity
 * (synonyms, the surname alias). Names are stored without a leading "the";
 * the matcher hashes the case-folded first word (run of alphanumerics) of a
 * name and keeps, per first word, the candidate names longest first.
 */
#ifndef DM_ACTORS_INTERNAL_H
#define DM_ACTORS_INTERNAL_H

#include "demarche/actors.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DM_DAY_OPEN_FROM INT32_MIN
#define DM_DAY_OPEN_TO INT32_MAX

typedef struct dm_sense {
    const char *code;   /* pooled */
    const char *role;   /* pooled, or NULL */
    int32_t from, to;   /* inclusive day numbers; open ends use the limits */
} dm_sense;

typedef struct dm_entity {
    const char *canonical; /* pooled */
    dm_actor_kind kind;
    bool ignore;           /* a "not an actor" phrase: matched, never reported */
    uint32_t first_sense, n_senses;
} dm_entity;

typedef enum dm_name_case {
    DM_NAME_EXACT = 0,      /* our dictionary: case-sensitive */
    DM_NAME_CAPITALISED_CI  /* Phoenix: case-insensitive, text must be capitalised */
} dm_name_case;

typedef struct dm_name {
    const char *text;   /* pooled, without a leading "the ", single spaces */
    uint32_t len;       /* bytes */
    uint32_t entity;
    uint8_t case_mode;  /* dm_name_case */
    bool had_the;       /* "the" may precede it and is then part of the span */
    bool short_acronym; /* Phoenix single word of <= 4 letters: text must be all caps */
    bool ascii;         /* every byte of text below 0x80 (compare_at's short way) */
} dm_name;

/* String -> uint32 map (open addressing); keys are pooled strings. */
typedef struct dm_strmap {
    const char **keys;
    uint32_t *vals;
    size_t cap, n;
} dm_strmap;

typedef struct dm_u32vec {
    uint32_t *v;
    uint32_t n, cap;
} dm_u32vec;

typedef struct dm_pool_block dm_pool_block;

/* The first-word filter's bit of a folded word (n >= 1 bytes): its length
 * and first three bytes, which tell most words of a text from the ~1,500
 * first words of names at a few instructions (the actor scan looks up
 * every word of every text). The key: the bytes (0 past the word) from
 * the lowest byte up, the length (at most 31) in the top byte; the bit:
 * the key's multiplicative hash (the scan makes the key of an ASCII word
 * with one load, dm_actors_word_filter_key). */
#define DM_ACTORS_FILTER_BITS 65536
static inline uint32_t dm_actors_word_filter_key(uint32_t key)
{
    return (key * UINT32_C(0x9E3779B1)) >> 16;
}

static inline uint32_t dm_actors_word_filter(const char *w, size_t n)
{
    uint32_t a = (unsigned char)w[0];
    uint32_t b = n > 1 ? (unsigned char)w[1] : 0, c = n > 2 ? (unsigned char)w[2] : 0;
    uint32_t len = n < 31 ? (uint32_t)n : 31;
    return dm_actors_word_filter_key(a | b << 8 | c << 16 | len << 24);
}

/* dm_actors_find without its short way for ASCII words that start no name
 * (actors_match.c): the same matches, for the unit tests to compare. */
dm_status dm_actors_find_slow_internal(const dm_actors *actors, const char *utf8, size_t len,
                                       const char *date, dm_actor_match **out, size_t *n,
                                       dm_error *err);

struct dm_actors {
    dm_pool_block *pool;
    dm_entity *entities;
    size_t n_entities, cap_entities;
    dm_sense *senses;
    size_t n_senses, cap_senses;
    dm_name *names;
    size_t n_names, cap_names;
    dm_strmap first_word;   /* folded first word -> index into buckets */
    /* A bit per dm_actors_word_filter(first word) of first_word's keys:
     * a word whose bit is clear is no key (no hash, no probe). */
    uint64_t word_filter[DM_ACTORS_FILTER_BITS / 64];
    /* The same bits for the first words of names that do not start with a
     * capital: the only ones a word starting with a lower-case letter can
     * match (a capitalised name wants a capital there, or an all-capital
     * word), so the scan turns away "world" and "people" where it tries
     * "World" and "People". */
    uint64_t lower_filter[DM_ACTORS_FILTER_BITS / 64];
    /* Bit c - 'a' for each ASCII lower-case letter c that starts a name not
     * starting with a capital (its text's first byte or its fold's): a
     * word starting with any other lower-case letter can start no name,
     * whatever follows (the scan passes it without looking further). */
    uint32_t lower_first;
    dm_u32vec *buckets;     /* name indices, longest name first */
    size_t n_buckets, cap_buckets;
    dm_strmap folded_names; /* folded full name -> name index (dedupe) */
    size_t phoenix_skipped;
};

/* Room for `entities`, `senses` and `names` more (arrays, buckets and maps
 * made at once for a file's rows, not doubled to their size: a start-up's
 * page faults). Only room: the dictionary is unchanged. */
dm_status dm_actors_reserve_internal(dm_actors *a, size_t entities, size_t senses,
                                     size_t names);

/* Pool: strings live as long as the dictionary. NULL on allocation failure. */
char *dm_actors_pool_strndup(dm_actors *a, const char *s, size_t n);

/* ICU simple case folding of a UTF-8 string into a pooled string. */
char *dm_actors_pool_fold(dm_actors *a, const char *s, size_t n);

/* Append into the tables; return DM_E_NOMEM on failure. */
dm_status dm_actors_add_entity(dm_actors *a, const char *canonical,
                               dm_actor_kind kind, uint32_t *out_index);
dm_status dm_actors_add_sense(dm_actors *a, uint32_t entity, const char *code,
                              const char *role, int32_t from, int32_t to);
/* Register `name` (already trimmed, single-spaced, leading "the " removed by
 * the caller through had_the) for `entity`. *added is false when the folded
 * name was already known (first loaded wins). */
dm_status dm_actors_add_name(dm_actors *a, const char *name, size_t len,
                             uint32_t entity, dm_name_case mode, bool had_the,
                             bool *added);
/* Index of a known name (folded comparison), or -1. */
long dm_actors_find_name(const dm_actors *a, const char *name, size_t len);

/* Day number of a civil date (days since 1970-01-01); false if invalid. */
bool dm_actors_day_number(int y, int m, int d, int32_t *out);
/* Parse "YYYY", "YYYY-MM", "YYYY-MM-DD" (anything after is ignored, so ISO
 * 8601 timestamps work) into an inclusive day range. */
bool dm_actors_parse_query_date(const char *date, int32_t *from, int32_t *to);

/* Pick the sense of `entity` valid for [qfrom, qto] (has_date false: the
 * newest); *dated_ok false when no sense covers the date (role then unknown). */
const dm_sense *dm_actors_pick_sense(const dm_actors *a, const dm_entity *e,
                                     bool has_date, int32_t qfrom, int32_t qto,
                                     bool *dated_ok);

/* Strip a leading "the " (any case); returns the number of bytes removed. */
size_t dm_actors_strip_the(const char *s, size_t len);

/* 32-bit FNV-1a, for the string maps. */
uint32_t dm_actors_hash(const char *s, size_t n);

/* ---- Used by the statements module (not public API) ---- */

/* dm_actors_load_phoenix, with a warning to `logger` (file:line, "skipped:
 * why") for every line that cannot be used; such lines never fail the load. */
dm_status dm_actors_load_phoenix_logged(dm_actors *actors, const char *path,
                                        const dm_logger *logger, dm_error *err);

/* Find the first country/organisation word inside a role phrase
 * ("Britain's ambassador to the UN" -> GBR): the actor the role belongs to.
 * Returns true and fills *match when found. Read-only, as dm_actors_lookup. */
bool dm_actors_role_actor(const dm_actors *actors, const char *role,
                          size_t len, const char *date, dm_actor_match *match);

#endif
