/* Turning an attribution into speaker strings and an actor, with the memory
 * of recent speakers that resolves "he said" and "the ministry said".
 * Internal to src/statements. */
#ifndef DM_STATEMENTS_SPEAKERS_INTERNAL_H
#define DM_STATEMENTS_SPEAKERS_INTERNAL_H

#include "statements/attribution_internal.h"

typedef struct dm_speaker {
    char *name;     /* NULL: unknown */
    char *role;
    char *actor;
    bool person;
    char gender;    /* 'm', 'f' or 0 (unknown): "he"/"she" skip the other */
} dm_speaker;

typedef struct dm_speaker_memory {
    dm_speaker person;  /* most recent named person: "he"/"she" */
    dm_speaker org;     /* most recent organisation: "they", "the ministry" */
    size_t person_pos;  /* where `person` was named */
} dm_speaker_memory;

void dm_speaker_clear(dm_speaker *sp);
dm_status dm_speaker_copy(dm_speaker *dst, const dm_speaker *src);
void dm_speaker_memory_clear(dm_speaker_memory *mem);

/* Resolve `a` to `out` (cleared first) and update `mem`. `self` (may be
 * NULL) is who "I"/"we" are in speech mode. */
dm_status dm_speaker_resolve(const dm_attr_ctx *c, const dm_attribution *a,
                             dm_speaker_memory *mem, const dm_speaker *self,
                             dm_speaker *out);

/* A malloc'ed copy of s[span]. */
char *dm_span_dup(const char *s, dm_span span);

#endif
