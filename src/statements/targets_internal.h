/* Targets of a statement: the actors it mentions, one entry per actor at its
 * first mention. Internal to src/statements. */
#ifndef DM_STATEMENTS_TARGETS_INTERNAL_H
#define DM_STATEMENTS_TARGETS_INTERNAL_H

#include "demarche/statements.h"

typedef struct dm_target_found {
    size_t start, end;   /* normalised */
    const char *code;    /* borrowed from the dictionary */
} dm_target_found;

typedef struct dm_target_acc {
    dm_target_found *v;
    size_t n, cap;
} dm_target_acc;

/* Add every actor mention in norm[span], skipping mentions overlapping any
 * of the `n_excl` excluded spans. */
dm_status dm_targets_scan(const dm_actors *actors, const char *date,
                          const char *norm, dm_span span,
                          const dm_span *excl, size_t n_excl,
                          dm_target_acc *acc, dm_error *err);

/* Sort by position, keep the first mention of each actor, append them to
 * `st` with original offsets, and free the accumulator. */
dm_status dm_targets_commit(const dm_text *text, dm_target_acc *acc,
                            dm_statement *st);

/* dm_statement_add_target with the mention's first `mention_len` bytes
 * (it may be NULL, as there; a NUL among them ends it, as strndup does):
 * the mention straight from the normalised text, no copy made first. */
dm_status dm_statement_add_target_n_internal(dm_statement *st, const char *actor,
                                            const char *mention, size_t mention_len,
                                            bool has_span, size_t start, size_t end,
                                            size_t norm_start, size_t norm_end);

#endif
