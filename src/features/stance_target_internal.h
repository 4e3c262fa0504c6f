/* Internal to the target features (stance_target.c, stance_target_mark.c,
 * stance_target_side.c): the helpers one stage defines and another uses.
 * Not part of the featurizer's interface (features_internal.h); the three
 * one-line helpers are inline here because they run in the inner loops
 * of every stage. */
#ifndef DM_STANCE_TARGET_INTERNAL_H
#define DM_STANCE_TARGET_INTERNAL_H

#include "features/features_internal.h"

static inline bool dm_fz_overlaps(const dm_ftok *t, size_t start, size_t end)
{
    return t->start < end && t->end > start;
}

static inline bool dm_fz_is_focal(const dm_ftok *t)
{
    return t->placeholder == 'T' || t->placeholder == 'G';
}

/* Tokens strictly between token a and token b, by compact position
 * (sc.cpos, dm_fz_compact_positions): 0 if touching. */
static inline int dm_fz_gap_between(const dm_scratch *sc, size_t a, size_t b)
{
    int d = sc->cpos[a] - sc->cpos[b];
    return (d < 0 ? -d : d) - 1 < 0 ? 0 : (d < 0 ? -d : d) - 1;
}

/* stance_target_mark.c: which tokens are the target's. */
/* sc.focal: the indices of the tokens marked for the target (dm_fz_is_focal),
 * in order; the sides and sums look at those only, not at every token. */
dm_status dm_fz_collect_focal(dm_scratch *sc);
bool dm_fz_same_words(const dm_feature_input *in, const dm_feature_target *a,
                      const dm_feature_target *b);
void dm_fz_mark_target(dm_scratch *sc, const dm_feature_input *in,
                       const dm_feature_target *target);
dm_status dm_fz_collapse(dm_scratch *sc, int *t_runs, int *o_runs);
dm_status dm_fz_compact_positions(dm_scratch *sc);
dm_status dm_fz_window_words(dm_featurizer *fz);

/* stance_target_side.c: the side families, "s:" and its contrast "d:". */
dm_status dm_fz_side_words(dm_featurizer *fz, dm_fvec *out);
dm_status dm_fz_contrast_words(dm_featurizer *fz, const dm_feature_input *in,
                               const dm_feature_target *target, dm_fvec *out);

#endif
