/* The cmocka group fixture shared by the features module's unit tests: a
 * featurizer with default settings over the repository's lexicons (found
 * through $DM_SOURCE_DIR, else the source tree the test was built from). */
#ifndef DM_FEATURES_FIXTURE_H
#define DM_FEATURES_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demarche/features.h"

#include <stdio.h>
#include <stdlib.h>

/* The lexicon directory, set by featurizer_setup. */
static char lexdir[4096];

/* Group setup: *state becomes the featurizer. */
static inline int featurizer_setup(void **state)
{
    const char *src = getenv("DM_SOURCE_DIR");
    snprintf(lexdir, sizeof lexdir, "%s/lexicons", src ? src : DM_SOURCE_DIR);
    dm_featurizer *fz = NULL;
    dm_error err;
    if (dm_featurizer_create(NULL, lexdir, &fz, &err) != DM_OK) {
        char buf[1024];
        fprintf(stderr, "featurizer: %s\n", dm_error_format(&err, buf, sizeof buf));
        return -1;
    }
    *state = fz;
    return 0;
}

/* A featurizer of the default settings but word n-grams up to `nmax`. */
static inline dm_featurizer *featurizer_ngrams(int nmax)
{
    dm_feature_settings s;
    dm_feature_settings_default(&s);
    s.word_ngram_max = nmax;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &fz, NULL), DM_OK);
    return fz;
}

static inline int featurizer_teardown(void **state)
{
    dm_featurizer *fz = *state;
    dm_featurizer_destroy(&fz);
    assert_null(fz);
    return 0;
}

#endif
