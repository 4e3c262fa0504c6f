/*
 * Features: one code path turns a statement into a sparse vector, for
 * training and for scoring alike.
 *
 * Hostility features: hashed word n-grams (1..ngram_max) over ICU-normalised,
 * case-folded tokens, plus lexicon features (hostility / cordiality terms
 * with weights and categories, negation scope, intensifiers, downtoners,
 * hedges, the cue verb). Stance features add target-dependent features for
 * one target: the target mention replaced by a placeholder and the other
 * actors by another, lexicon hits in the target's clause and their distance,
 * whether the target is the subject of a hostile predicate, every word by
 * its side of the target and clause, and (only with actor_priors) the
 * speaker actor paired with the target. A mention with the target's own
 * words is the target; one with other words is another actor, whatever
 * the keys (dm_target_key) of the two.
 *
 * Index layout (1-based, K = 2^hash_bits for hostility, 2^stance_hash_bits
 * for stance when that is set: the two tasks may hash into spaces of
 * different sizes, each with the named block after its own buckets):
 *   1 .. K      hashed string features. index = 1 + (dm_hash32(s, len(s),
 *               hash_seed) & (K - 1)) where s is a prefixed string:
 *                 "w:<tok> <tok>"   word n-grams of the statement text
 *                 "c:<chars>"       character n-grams (when enabled)
 *                 "t:<tok> <T>"     n-grams with the target mention as "<T>",
 *                                   other actor mentions as "<O>" (stance),
 *                 "t:L:<tok>", "t:R:<tok>"  words within 4 tokens left /
 *                                   right of the target (same family)
 *                 "s:<L|R><C|X>:<tok>" every word by its side of the
 *                                   nearest target mention (or of an actor
 *                                   coordinated with it: "X and Y said")
 *                                   and whether it is
 *                                   in that mention's clause, weighted
 *                                   1 / (1 + tokens between) (stance); in
 *                                   the same family "s:<L|R><C|X>:+val" /
 *                                   "-val" (4 x |valence| / (1 + gap)) and
 *                                   "+hos", "!hos", "+cor", "!cor" (lexicon
 *                                   hits, "!" negated; weight / (1 + gap))
 *                 "d:<L|R><C|X>:<tok>", "d:..:+val" ... contrast (stance,
                                   only when another actor is named): the
                                   "s:" family seen from the target, unit
                                   length, minus the mean of the same seen
                                   from each other actor (at most 4, by
                                   distinct words); no log, no norm after
                 "m:<tok>"         the target mention's own lowercase words
 *                                   but the/a/an ("the poll": m:poll); never
 *                                   a capitalised word, so never a name;
 *                                   with "m:=inquote" / "m:=outquote",
 *                                   "m:=time" (a weekday, month, day...),
 *                                   "m:=title" (President, Judge, Mr...
 *                                   in or just before it), "m:=poss"
 *                                   (followed by 's)
 *                 "ctx:<tok> <tok>" uni/bigrams of a partial quote's context
 *                 "cue:<folded cue>"
 *                 "tgt:<ACTOR>", "pair:<SPK>><TGT>" only with actor_priors
 *                 "tgt:<TOPIC>", "tc:<TOPIC>|<tok>" for a topic target: no
 *                 span and not an actor code of <lexicons>/actors.tsv (the
 *                 statement's words with weights of the topic's own)
 *               Every actor mention (dm_feature_input.mentions) is one
 *               "<A>" token in the "w:" n-grams, so that the words of the
 *               statement, not the names in it, carry the weights.
 *               Each family is counted (tf or log(1+tf)) and L2-normalised
 *               on its own; "w:" and "c:" together form the n-gram block of
 *               norm 1 (each scaled by 1/sqrt(2) when both are on); "ctx:"
 *               is scaled by 0.5. Collisions between families add up.
 *   K+1 .. K+N  named features, a fixed block (N = DM_FEATURES_NAMED_COUNT):
 *               per-category lexicon sums ("host:condemnation",
 *               "cordneg:agreement", ...), totals, hedges, cue category,
 *               punctuation, reported speech, context, implicit criticism
 *               and blame ("impl:action_actor", "blame:none", ...), the
 *               previous sentence ("prev:hostile_sum"), target features.
 *               Sums and counts are given as log(1 + x).
 *   dm_featurizer_dimensions() = K + N.
 * Tokens: '?' and '!' are kept as tokens; '.', ';' and ':' break n-grams;
 * other punctuation is dropped; numbers become "<num>".
 *
 * Threads: a featurizer keeps reusable scratch buffers and the --explain name
 * map, which every dm_features_* call updates although the featurizer is
 * passed as const (featurizing never changes what an index means). One
 * featurizer is therefore used by one thread at a time. Its settings,
 * lexicons and actor codes are read-only after dm_featurizer_create; to
 * score from several threads, give each a dm_scorer (model.h), which
 * shares them and has scratch of its own.
 *
 * Ownership: see core.h. A dm_fvec belongs to the caller (dm_fvec_init /
 * dm_fvec_free); the featurizer only writes into it and keeps no pointer to
 * it, nor to any dm_feature_input string after a call returns.
 */
#ifndef DEMARCHE_FEATURES_H
#define DEMARCHE_FEATURES_H

#include "demarche/core.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

/* Settings recorded in every model bundle; scoring uses the bundle's.
 * Defaults, ranges and manifest keys: the parameter table (demarche/model.h,
 * dm_param_*). */
typedef struct dm_feature_settings {
    int hash_bits;        /* 2^hash_bits buckets for hashed n-grams */
    uint32_t hash_seed;   /* seed of the documented hash */
    int word_ngram_max;   /* longest word n-gram */
    int char_ngram_min;   /* 0 = no character n-grams */
    int char_ngram_max;
    bool log_tf;          /* log(1 + tf) instead of tf */
    bool lexicon;         /* lexicon features on */
    bool actor_priors;    /* "tgt:<ACTOR>" and "pair:<SPK>><TGT>" identity
                           * features (default false: a score must not
                           * depend on which actor is named, only on what is
                           * said; see README "Actor priors") */
    int stance_hash_bits; /* 2^N buckets for the stance features; 0: the
                           * same as hash_bits (hostility always uses
                           * hash_bits) */
} dm_feature_settings;

void dm_feature_settings_default(dm_feature_settings *s);

/* One non-zero feature. Indices are 1-based (libsvm/liblinear convention). */
typedef struct dm_feature {
    int index;
    double value;
} dm_feature;

/* A sparse vector, sorted by index, no duplicates. */
typedef struct dm_fvec {
    dm_feature *v;
    size_t n, cap;
} dm_fvec;

void dm_fvec_init(dm_fvec *f);
void dm_fvec_free(dm_fvec *f);

/* A target for stance features: an actor code or label, and where it is
 * mentioned in the statement text (has_span false: not mentioned). */
typedef struct dm_feature_target {
    const char *actor;
    bool has_span;
    size_t start, end;    /* bytes in `text` */
} dm_feature_target;

/* What the featurizer sees of a statement. All borrowed. */
typedef struct dm_feature_input {
    const char *text;          /* normalised statement text (UTF-8) */
    size_t len;
    const char *context;       /* reporting sentence of a partial quote, or NULL */
    const char *speaker_actor; /* or NULL */
    const char *cue;           /* or NULL */
    const dm_feature_target *mentions; /* every actor mention in text */
    size_t n_mentions;
    const char *previous;      /* the sentence before this one in the same
                                * speech, or NULL: "prev:" features */
} dm_feature_input;

typedef struct dm_featurizer dm_featurizer;

/* Load the lexicons in `lexicon_dir` (hostility.tsv, cordiality.tsv,
 * negators.tsv, intensifiers.tsv, hedges.tsv, sentiment.tsv, implicit.tsv;
 * format in lexicons/README.md),
 * validating them with file:line errors; they are loaded and checksummed
 * even when settings->lexicon is false. `settings` NULL means the defaults;
 * they are copied. Ranges: the parameter table (DM_E_INVALID_ARG outside). */
dm_status dm_featurizer_create(const dm_feature_settings *settings,
                               const char *lexicon_dir, dm_featurizer **out,
                               dm_error *err);
void dm_featurizer_destroy(dm_featurizer **fz);

/* Number of feature dimensions (largest index) of the hostility features,
 * 2^hash_bits + N. */
int dm_featurizer_dimensions(const dm_featurizer *fz);
/* The same for one task's features: stance ones have 2^stance_hash_bits + N
 * when stance_hash_bits is set (the named block follows the task's own
 * buckets). 0 for NULL. */
int dm_featurizer_task_dimensions(const dm_featurizer *fz, bool stance);

/* Version of the feature layout and rules; bump when any feature changes
 * meaning, so that bundles trained with another layout can be refused. */
#define DM_FEATURES_LAYOUT_VERSION 10
/* Size of the named block after the hashed buckets: a constant, checked
 * at compile time against the named features (features_internal.h).
 * Adding or removing one changes the layout: bump the version above. */
#define DM_FEATURES_NAMED_COUNT 131


/* Turn the --explain name map on or off (default off: no cost). While on,
 * every hashed feature records the most recent string that hashed to its
 * bucket. Named features always have names. */
dm_status dm_featurizer_set_explain(dm_featurizer *fz, bool on);

/* The dm_features_* functions clear `out` (keeping its storage) and fill it
 * sorted by index without duplicates. in->text must be non-NULL. */
dm_status dm_features_hostility(const dm_featurizer *fz,
                                const dm_feature_input *in, dm_fvec *out,
                                dm_error *err);
/* Features for stance toward `target` (its span, if any, in in->text). */
dm_status dm_features_stance(const dm_featurizer *fz, const dm_feature_input *in,
                             const dm_feature_target *target, dm_fvec *out,
                             dm_error *err);

/* The project's fixed hash (documented in lexicons/README.md and locked by a
 * test vector): 32-bit MurmurHash3 (x86_32) of `len` bytes with `seed`. */
uint32_t dm_hash32(const void *data, size_t len, uint32_t seed);

DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
