/* Targets of a statement: the actors it mentions, one entry per actor at its
 * first mention. Internal to src/statements. */
#ifndef DM_STATEMENTS_TARGETS_INTERNAL_H
#define DM_STATEMENTS_TARGETS_INTERNAL_H

#include "demarche/statements.h"

typedef struct dm_target_found {
    size_t start, end;   /* normalised */
    const char *code;    /* borrowed from the dictionary */
} dm_target_found;

/* Zeroed before use (= {0}); released by dm_targets_commit, or by
 * dm_targets_release when the statement is given up. The first
 * DM_TARGET_ACC_INLINE mentions stay in `inl` (v points there): most
 * statements name a few actors, and an allocation and a free a statement
 * were spent on them. */
#define DM_TARGET_ACC_INLINE 8
typedef struct dm_target_acc {
    dm_target_found *v;
    size_t n, cap;
    dm_target_found inl[DM_TARGET_ACC_INLINE];
} dm_target_acc;

/* Free what the accumulator allocated (nothing while it is inline) and
 * zero it. */
void dm_targets_release(dm_target_acc *acc);

/* Add every actor mention in norm[span], skipping mentions overlapping any
 * of the `n_excl` excluded spans. */
dm_status dm_targets_scan(const dm_actors *actors, const char *date,
                          const char *norm, dm_span span,
                          const dm_span *excl, size_t n_excl,
                          dm_target_acc *acc, dm_error *err);

/* Sort by position, keep the first mention of each actor, append them to
 * `st` with original offsets (st->targets grown once, to its new count),
 * and release the accumulator. */
dm_status dm_targets_commit(const dm_text *text, dm_target_acc *acc,
                            dm_statement *st);

/* dm_statement_add_target with the mention's first `mention_len` bytes
 * (it may be NULL, as there; a NUL among them ends it, as strndup does):
 * the mention straight from the normalised text, no copy made first. */
dm_status dm_statement_add_target_n_internal(dm_statement *st, const char *actor,
                                            const char *mention, size_t mention_len,
                                            bool has_span, size_t start, size_t end,
                                            size_t norm_start, size_t norm_end);

/* Room for `more` targets after st->n_targets, made in one realloc, for
 * dm_statement_put_target_internal to fill (a statement naming three
 * actors cost three reallocs, one a target). */
dm_status dm_statement_reserve_targets_internal(dm_statement *st, size_t more);
/* dm_statement_add_target_n_internal into room reserved before: no realloc. */
dm_status dm_statement_put_target_internal(dm_statement *st, const char *actor,
                                          const char *mention, size_t mention_len,
                                          bool has_span, size_t start, size_t end,
                                          size_t norm_start, size_t norm_end);

#endif
