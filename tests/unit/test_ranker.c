/* The speaker ranker (src/statements/rank.c, ranker.c): its weight file is
 * read, refused with a reason when it cannot be honoured, and used only for
 * quotes the rules found no speaker for ("ranked", a guess for
 * --min-attribution). Texts invented. */
#include "statements_fixture.h"

#include "cli_score.h"
#include "core/fnv_internal.h"
#include "statements/rank_internal.h"

#include <inttypes.h>

static char shipped[4200];

static void temp_path(char *buf, size_t size, const char *name)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, size, "%s/dm-test-ranker-%ld-%s", tmp && *tmp ? tmp : "/tmp", (long)getpid(),
             name);
}

/* Write `body` and, unless NULL-checksummed, its checksum line. */
static void write_file(const char *path, const char *body, bool checksum)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(body, fp);
    if (checksum)
        fprintf(fp, "checksum\tfnv1a64:%016" PRIx64 "\n",
                dm_fnv1a64(DM_FNV1A64_BASIS, body, strlen(body)));
    fclose(fp);
}

/* Load `body` (+ checksum) and expect `status` with `reason` in the message. */
static void expect_refused(const char *body, bool checksum, dm_status status, const char *reason)
{
    char path[4300];
    temp_path(path, sizeof path, "bad.tsv");
    write_file(path, body, checksum);
    dm_ranker *r = (dm_ranker *)&r; /* must come back NULL */
    dm_error err = {0};
    assert_int_equal(dm_ranker_load(path, &r, &err), status);
    assert_null(r);
    if (!strstr(err.message, reason))
        fail_msg("message '%s' lacks '%s'", err.message, reason);
    remove(path);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    dm_ranker *r = NULL;
    dm_error err;
    assert_int_equal(dm_ranker_load(NULL, &r, &err), DM_E_INVALID_ARG);
    assert_null(r);
    assert_int_equal(dm_ranker_load(shipped, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_ranker_load("/nonexistent/speaker_ranker.tsv", &r, &err), DM_E_IO);
    assert_null(r);
    dm_ranker_destroy(NULL);
    dm_ranker_destroy(&r); /* NULL inside: a no-op */
    dm_extractor_set_ranker(NULL, NULL);
    dm_rank_cands cs = {0};
    assert_int_equal(dm_rank_candidates(NULL, NULL, 0, 0, &cs), DM_E_INVALID_ARG);
    dm_rank_cands_free(NULL);
}

static void test_shipped_loads(void **state)
{
    (void)state;
    dm_ranker *r = NULL;
    dm_error err;
    assert_int_equal(dm_ranker_load(shipped, &r, &err), DM_OK);
    assert_non_null(r);
    assert_int_equal(r->n, DM_RANK_NFEAT);
    dm_ranker_destroy(&r);
    assert_null(r);
}

static void test_format_round_trip(void **state)
{
    (void)state;
    double w[DM_RANK_NFEAT] = {0};
    w[0] = 1.5;
    w[DM_RANK_NFEAT - 1] = -0.125;
    w[7] = 1.0 / 3.0;
    char *text = dm_ranker_format(w, DM_RANK_NFEAT, "source\tinvented\n");
    assert_non_null(text);
    char path[4300];
    temp_path(path, sizeof path, "ok.tsv");
    write_file(path, text, false);
    free(text);
    dm_ranker *r = NULL;
    dm_error err;
    assert_int_equal(dm_ranker_load(path, &r, &err), DM_OK);
    for (size_t k = 0; k < DM_RANK_NFEAT; k++)
        assert_true(r->w[k] == w[k]);
    dm_ranker_destroy(&r);
    remove(path);
}

static void test_corrupt_files_refused(void **state)
{
    (void)state;
    char head[256];
    snprintf(head, sizeof head, "demarche-speaker-ranker\t1\nfeatures\t%d\t%d\n", DM_RANK_LAYOUT,
             (int)DM_RANK_NFEAT);
    char body[1024];
    /* damaged: a weight changed after the checksum was made */
    snprintf(body, sizeof body, "%sw\t1\t0.5\n", head);
    char path[4300];
    temp_path(path, sizeof path, "damaged.tsv");
    write_file(path, body, true);
    FILE *fp = fopen(path, "r+");
    assert_non_null(fp);
    fseek(fp, (long)strlen(head) + 4, SEEK_SET);
    fputc('9', fp);
    fclose(fp);
    dm_ranker *r = NULL;
    dm_error err;
    assert_int_equal(dm_ranker_load(path, &r, &err), DM_E_FORMAT);
    assert_null(r);
    assert_non_null(strstr(err.message, "checksum mismatch"));
    remove(path);
    /* truncated: no checksum line */
    expect_refused(body, false, DM_E_FORMAT, "no checksum line");
    /* not a ranker at all */
    expect_refused("hostility\t1\n", true, DM_E_FORMAT, "not a speaker ranker");
    /* a newer format */
    expect_refused("demarche-speaker-ranker\t2\n", true, DM_E_VERSION, "format version 2");
    /* another feature layout */
    expect_refused("demarche-speaker-ranker\t1\nfeatures\t1\t7\n", true, DM_E_MISMATCH,
                   "retrain");
    /* a weight out of range, not a number, before the layout */
    snprintf(body, sizeof body, "%sw\t%d\t1\n", head, (int)DM_RANK_NFEAT + 1);
    expect_refused(body, true, DM_E_FORMAT, "bad weight");
    snprintf(body, sizeof body, "%sw\t3\tnan\n", head);
    expect_refused(body, true, DM_E_FORMAT, "bad weight");
    expect_refused("demarche-speaker-ranker\t1\nw\t1\t1\n", true, DM_E_FORMAT,
                   "before the features line");
    snprintf(body, sizeof body, "%sbias\t1\n", head);
    expect_refused(body, true, DM_E_FORMAT, "unknown line 'bias'");
    expect_refused("demarche-speaker-ranker\t1\n", true, DM_E_FORMAT, "no features line");
}

/* A fragment whose sentence names nobody and has no cue: no speaker by the
 * rules; the ranker takes the person the paragraph before opens with. */
static const char FRAGMENT[] =
    "Dan Ruiz toured the plant in Elm Falls on Monday. The workers cheered him.\n\n"
    "The line was built for \"the next ten years\" of work.\n";

static void test_ranked_only_where_no_speaker(void **state)
{
    (void)state;
    dm_statement_list l;
    fx_extract(FRAGMENT, &l);
    assert_int_equal(l.n, 1);
    assert_null(l.v[0].speaker);
    assert_int_equal(l.v[0].attribution, DM_ATTR_NONE);
    dm_statement_list_clear(&l);

    dm_ranker *r = NULL;
    dm_error err;
    assert_int_equal(dm_ranker_load(shipped, &r, &err), DM_OK);
    dm_extractor_set_ranker(fx_ex, r);
    fx_extract(FRAGMENT, &l);
    assert_int_equal(l.n, 1);
    assert_non_null(l.v[0].speaker);
    assert_string_equal(l.v[0].speaker, "Dan Ruiz");
    assert_int_equal(l.v[0].attribution, DM_ATTR_RANKED);
    assert_null(l.v[0].cue);
    assert_string_equal(dm_attribution_name(l.v[0].attribution), "ranked");
    dm_attribution_kind k;
    assert_true(dm_attribution_parse("ranked", &k));
    assert_int_equal(k, DM_ATTR_RANKED);
    /* a guess: only --min-attribution any keeps it */
    assert_false(dm_score_attribution_kept(&l.v[0], DM_ATTRIBUTION_CUE));
    assert_false(dm_score_attribution_kept(&l.v[0], DM_ATTRIBUTION_RESOLVED));
    assert_true(dm_score_attribution_kept(&l.v[0], DM_ATTRIBUTION_ANY));
    dm_statement_list_clear(&l);

    /* a speaker the rules found (a cue) is left alone */
    fx_extract("\"We will build it,\" Ana Ortiz said. Dan Ruiz nodded.\n", &l);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].speaker, "Ana Ortiz");
    assert_int_equal(l.v[0].attribution, DM_ATTR_CUE);
    dm_statement_list_clear(&l);
    dm_extractor_set_ranker(fx_ex, NULL);
    dm_ranker_destroy(&r);
}

int main(void)
{
    (void)fx_find; /* the fixture's helpers that this file does not need */
    (void)fx_assert_slice;
    (void)fx_has_target;
    const char *src = getenv("DM_SOURCE_DIR");
    snprintf(shipped, sizeof shipped, "%s/models/speaker_ranker.tsv", src ? src : DM_SOURCE_DIR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_shipped_loads),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_corrupt_files_refused),
        cmocka_unit_test(test_ranked_only_where_no_speaker),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
