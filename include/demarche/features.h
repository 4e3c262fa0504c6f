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
 * whether the target is the subject of a hostile predicate, and the speaker
 * actor paired with the target.
 *
 * Ownership: see core.h.
 */
#ifndef DEMARCHE_FEATURES_H
#define DEMARCHE_FEATURES_H

#include "demarche/core.h"

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Settings recorded in every model bundle; scoring uses the bundle's. */
typedef struct dm_feature_settings {
    int hash_bits;        /* 2^hash_bits buckets for hashed n-grams (default 18) */
    uint32_t hash_seed;   /* seed of the documented hash (default 0x646d3031) */
    int word_ngram_max;   /* 1..3 (default 3) */
    int char_ngram_min;   /* 0 = no character n-grams */
    int char_ngram_max;
    bool log_tf;          /* log(1 + tf) instead of tf (default true) */
    bool lexicon;         /* lexicon features on (default true) */
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
} dm_feature_input;

typedef struct dm_featurizer dm_featurizer;

/* Load the lexicons in `lexicon_dir` (hostility.tsv, cordiality.tsv,
 * negators.tsv, intensifiers.tsv, hedges.tsv; format in lexicons/README.md),
 * validating them with file:line errors. */
dm_status dm_featurizer_create(const dm_feature_settings *settings,
                               const char *lexicon_dir, dm_featurizer **out,
                               dm_error *err);
void dm_featurizer_destroy(dm_featurizer **fz);

/* SHA-256-free, documented checksum (hex) of the lexicon files the featurizer
 * loaded, for the model manifest. Borrowed. */
const char *dm_featurizer_lexicon_checksum(const dm_featurizer *fz);
const dm_feature_settings *dm_featurizer_settings(const dm_featurizer *fz);
/* Number of feature dimensions (largest index). */
int dm_featurizer_dimensions(const dm_featurizer *fz);

dm_status dm_features_hostility(const dm_featurizer *fz,
                                const dm_feature_input *in, dm_fvec *out,
                                dm_error *err);
/* Features for stance toward `target` (its span, if any, in in->text). */
dm_status dm_features_stance(const dm_featurizer *fz, const dm_feature_input *in,
                             const dm_feature_target *target, dm_fvec *out,
                             dm_error *err);

/* A readable name for a feature index seen in the last calls on this
 * featurizer ("w:not acceptable", "lex:condemnation", "pair:USA>RUS"), for
 * --explain; NULL if unknown. Borrowed. */
const char *dm_featurizer_feature_name(const dm_featurizer *fz, int index);

/* The project's fixed hash (documented in lexicons/README.md and locked by a
 * test vector): 32-bit MurmurHash3 (x86_32) of `len` bytes with `seed`. */
uint32_t dm_hash32(const void *data, size_t len, uint32_t seed);

#ifdef __cplusplus
}
#endif
#endif
