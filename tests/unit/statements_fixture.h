/* Shared fixture of test_statements.c and test_quotes.c: the real lexicons
 * from DM_SOURCE_DIR, an extractor, a logger that keeps warnings. */
#ifndef DM_TEST_STATEMENTS_FIXTURE_H
#define DM_TEST_STATEMENTS_FIXTURE_H

#include "demarche/statements.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static dm_actors *fx_actors;
static dm_cues *fx_cues;
static dm_extractor *fx_ex;
static char fx_warnings[4096];
static int fx_n_warnings;

static void fx_log(void *user, dm_log_level level, const char *where,
                   long line, const char *message)
{
    (void)user; (void)line;
    if (level < DM_LOG_WARNING)
        return;
    fx_n_warnings++;
    size_t n = strlen(fx_warnings);
    snprintf(fx_warnings + n, sizeof fx_warnings - n, "%s: %s\n", where, message);
}

static const dm_logger fx_logger = {fx_log, NULL};

static int fx_setup(void **state)
{
    (void)state;
    const char *src = getenv("DM_SOURCE_DIR");
    if (!src)
        src = DM_SOURCE_DIR;
    char path[4096];
    dm_error err;
    if (dm_actors_create(&fx_actors, &err) != DM_OK)
        return -1;
    snprintf(path, sizeof path, "%s/lexicons/actors.tsv", src);
    if (dm_actors_load_tsv(fx_actors, path, &err) != DM_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path, err.message);
        return -1;
    }
    snprintf(path, sizeof path, "%s/lexicons/cues.tsv", src);
    if (dm_cues_load(path, &fx_cues, &err) != DM_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path, err.message);
        return -1;
    }
    return dm_extractor_create(fx_actors, fx_cues, &fx_ex, &err) == DM_OK ? 0 : -1;
}

static int fx_teardown(void **state)
{
    (void)state;
    dm_extractor_destroy(&fx_ex);
    dm_cues_destroy(&fx_cues);
    dm_actors_destroy(&fx_actors);
    return 0;
}

/* Extract from `text` (NUL-terminated) into `list` (initialised here). */
static void fx_extract(const char *text, dm_statement_list *list)
{
    fx_warnings[0] = '\0';
    fx_n_warnings = 0;
    dm_document doc = {.id = "doc1", .date = "2024-03-01", .text = text,
                       .text_len = strlen(text)};
    dm_statement_list_init(list);
    dm_error err;
    assert_int_equal(dm_extract(fx_ex, &doc, list, &fx_logger, &err), DM_OK);
}

/* The statement whose text is exactly `text`, or fail. */
static const dm_statement *fx_find(const dm_statement_list *list, const char *text)
{
    for (size_t i = 0; i < list->n; i++)
        if (strcmp(list->v[i].text, text) == 0)
            return &list->v[i];
    for (size_t i = 0; i < list->n; i++)
        fprintf(stderr, "  have #%d [%s] speaker=%s\n", list->v[i].n,
                list->v[i].text, list->v[i].speaker ? list->v[i].speaker : "-");
    fail_msg("no statement with text [%s]", text);
    return NULL;
}

/* original[start:end] of a statement equals `expected`. */
static void fx_assert_slice(const char *original, const dm_statement *st,
                            const char *expected)
{
    assert_true(st->start <= st->end);
    size_t n = st->end - st->start;
    char *got = malloc(n + 1);
    assert_non_null(got);
    memcpy(got, original + st->start, n);
    got[n] = '\0';
    assert_string_equal(got, expected);
    free(got);
}

static bool fx_has_target(const dm_statement *st, const char *actor)
{
    for (size_t i = 0; i < st->n_targets; i++)
        if (strcmp(st->targets[i].actor, actor) == 0)
            return true;
    return false;
}

#define fx_assert_str(actual, expected)                                       \
    do {                                                                      \
        const char *a_ = (actual), *e_ = (expected);                          \
        if (!e_)                                                              \
            assert_null(a_);                                                  \
        else {                                                                \
            assert_non_null(a_);                                              \
            assert_string_equal(a_, e_);                                      \
        }                                                                     \
    } while (0)

#endif
