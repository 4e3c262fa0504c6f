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

/* stance_target.c: the fixed word lists of the target features as one
 * set. dm_fz_word_class: the DM_WC_ bits of the lists that hold token t's
 * word (exact bytes, as dm_ftok_in), 0 for none; call
 * dm_fz_word_classes_ready once before (thread-safe). The list of one bit,
 * NULL-terminated, for the tests. */
enum { DM_WC_SKIP = 1, DM_WC_TIME = 2, DM_WC_TITLE = 4, DM_WC_DET = 8, DM_WC_PREP = 16,
       DM_WC_CLASSES = 5 };
void dm_fz_word_classes_ready(void);
unsigned dm_fz_word_class(const dm_ftok *t);
const char *const *dm_fz_word_class_list(unsigned cls);

/* stance_target_mark.c: which tokens are the target's. */
bool dm_fz_same_words(const dm_feature_input *in, const dm_feature_target *a,
                      const dm_feature_target *b);
/* sc.stmt made for the current statement, when not yet (its mentions'
 * tokens, quotes and valence words: features_internal.h); dm_fz_mark_target
 * calls it. */
dm_status dm_fz_statement_ready(dm_scratch *sc, const dm_feature_input *in);
/* What dm_fz_mark_target finds besides the marks. */
typedef struct dm_target_marks {
    size_t span_first, span_end; /* the tokens the target's span overlaps
                                  * are among [span_first, span_end) */
    int t_runs, o_runs;          /* runs of "<T>" / "<O>" (with collapse) */
    int quotes;                  /* double quotes ending before the target
                                  * (with collapse) */
    bool other_before;           /* an 'O' token before the first focal one */
} dm_target_marks;
/* Marks the tokens ('T', 'O', 'G') from `target`'s point of view and, in
 * one pass over them, sets sc.cpos, sc.focal and (with `collapse`)
 * sc.ttoks. */
dm_status dm_fz_mark_target(dm_scratch *sc, const dm_feature_input *in,
                            const dm_feature_target *target, bool collapse,
                            dm_target_marks *tm);
/* The "t:" n-grams of sc.ttoks (those holding a placeholder), into the
 * family. */
dm_status dm_fz_target_ngrams(dm_featurizer *fz);
dm_status dm_fz_window_words(dm_featurizer *fz);

/* stance_target_side.c: the side families, "s:" and its contrast "d:".
 * The other actors of the contrast (dm_fz_contrast_others: at most
 * DM_CONTRAST_OTHERS mentions with a span apart from the target's and
 * words of their own, their count returned) are found once for both. */
enum { DM_CONTRAST_OTHERS = 4 };
size_t dm_fz_contrast_others(const dm_feature_input *in, const dm_feature_target *target,
                             const dm_feature_target *others[DM_CONTRAST_OTHERS]);
dm_status dm_fz_side_words(dm_featurizer *fz, const dm_feature_input *in,
                           const dm_feature_target *target, size_t n_others, dm_fvec *out);
dm_status dm_fz_contrast_words(dm_featurizer *fz, const dm_feature_input *in,
                               const dm_feature_target *target,
                               const dm_feature_target *const *others, size_t n_others,
                               dm_fvec *out);

#endif
