/* Helpers shared by the text module's unit tests (static inline: each
 * test executable uses a different subset). */
#ifndef DM_TEXT_TEST_HELPERS_H
#define DM_TEXT_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demarche/text.h"
#include "text/text_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The example of messy news text. */
#define EXAMPLE \
    "\xE2\x80\x99   \xE2\x80\x9DWe will not accept this,\xE2\x80\x9D the   " \
    "minister said.   Britain\xE2\x80\x99\xE2\x80\x99s envoy called it " \
    "\xE2\x80\x9D" "a   grave provocation.\xE2\x80\x9D \xE2\x80\x99"

static inline dm_text *make(const char *s, size_t len)
{
    dm_text *t = NULL;
    dm_error err;
    assert_int_equal(dm_text_create(s, len, &t, &err), DM_OK);
    assert_non_null(t);
    return t;
}

static inline dm_text *make_str(const char *s)
{
    return make(s, strlen(s));
}

/* original[orig_start(a) : orig_end(b)] as a NUL-terminated copy. */
static inline char *original_of(const dm_text *t, size_t a, size_t b)
{
    size_t os = dm_text_orig_start(t, a), oe = dm_text_orig_end(t, b);
    assert_true(os <= oe);
    assert_true(oe <= dm_text_original_len(t));
    char *s = malloc(oe - os + 1);
    assert_non_null(s);
    memcpy(s, dm_text_original(t) + os, oe - os);
    s[oe - os] = '\0';
    return s;
}

static inline void assert_original_of(const dm_text *t, size_t a, size_t b,
                               const char *expected)
{
    char *got = original_of(t, a, b);
    assert_string_equal(got, expected);
    free(got);
}

static inline size_t find(const dm_text *t, const char *needle)
{
    const char *p = strstr(dm_text_norm(t), needle);
    assert_non_null(p);
    return (size_t)(p - dm_text_norm(t));
}

/* Sentences of `in` must be exactly `expected` (NULL-terminated). */
/* Sentences of `in` with an abbreviation set (NULL: the built-in one). */
static inline void check_sentences_with(const dm_abbreviations *abbr, const char *in,
                                        const char *const *expected)
{
    dm_span *s = NULL;
    size_t n = 0;
    dm_error err;
    assert_int_equal(dm_sentences_utf8_with(in, strlen(in), abbr, &s, &n, &err), DM_OK);
    size_t want = 0;
    while (expected[want])
        want++;
    for (size_t i = 0; i < n && i < want; i++) {
        char got[512];
        snprintf(got, sizeof got, "%.*s", (int)(s[i].end - s[i].start),
                 in + s[i].start);
        assert_string_equal(got, expected[i]);
    }
    assert_int_equal(n, want);
    free(s);
}

static inline void check_sentences(const char *in, const char *const *expected)
{
    check_sentences_with(NULL, in, expected);
}

#endif
