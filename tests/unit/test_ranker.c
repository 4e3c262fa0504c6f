/* The speaker ranker (src/statements/rank.c, ranker.c): its weight file is
 * read, refused with a reason when it cannot be honoured, and used only for
 * quotes the rules found no speaker for ("ranked", a guess for
 * --min-attribution), and for pronoun / previous_sentence quotes only when
 * its choice beats the rules' by more than the file's margin. Texts invented. */
#include "statements_fixture.h"

#include "cli_score.h"
#include "core/fnv_internal.h"
#include "statements/rank_internal.h"

#include <inttypes.h>
#include <math.h>

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

/* The ranker dm_ranker_format makes of w and margin (NULL: no margin lines),
 * written to a file and loaded back (the file removed). */
static dm_ranker *load_formatted(const double *w, const double *margin, const char *name)
{
    char *text = dm_ranker_format(w, DM_RANK_NFEAT, margin, "source\tinvented\n");
    assert_non_null(text);
    char path[4300];
    temp_path(path, sizeof path, name);
    write_file(path, text, false);
    free(text);
    dm_ranker *r = NULL;
    dm_error err;
    assert_int_equal(dm_ranker_load(path, &r, &err), DM_OK);
    remove(path);
    return r;
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
    double margin[DM_RQ_N];
    for (int k = 0; k < DM_RQ_N; k++)
        margin[k] = HUGE_VAL;
    margin[DM_RQ_PRONOUN] = 0.75;
    dm_ranker *r = load_formatted(w, margin, "ok.tsv");
    for (size_t k = 0; k < DM_RANK_NFEAT; k++)
        assert_true(r->w[k] == w[k]);
    /* the margin written; kinds without a line never replaced, none always */
    assert_true(r->margin[DM_RQ_PRONOUN] == 0.75);
    assert_true(r->margin[DM_RQ_PREVIOUS] == HUGE_VAL);
    assert_true(r->margin[DM_RQ_CARRIED] == HUGE_VAL);
    assert_true(r->margin[DM_RQ_NONE] == -HUGE_VAL);
    dm_ranker_destroy(&r);
}

/* A "he said" the rules resolve to the last man named; weights (invented)
 * that favour the latest earlier speaker. The ranker replaces the pronoun's
 * speaker only when its best beats it by more than the file's margin. */
static const char PRONOUN[] =
    "\"Prices will fall,\" Dan Ruiz said on Monday. Tom Baker, a farmer, listened.\n\n"
    "\"It is a fair deal for the valley,\" he said.\n";

/* The same for a previous_sentence quote (the rules: the speaker of the
 * reported speech in the sentence before). */
static const char PREVIOUS[] =
    "\"We agree with the plan,\" Dan Ruiz said at noon.\n\n"
    "Ana Ortiz said the deal was off on Friday. \"It is dead for this year.\"\n";

static dm_ranker *ranker_for(int kind, double prev1, double kind_margin)
{
    static double w[DM_RANK_NFEAT];
    memset(w, 0, sizeof w);
    w[DM_RF_PREV1] = prev1; /* feature 1 + DM_RF_PREV1, alone */
    double margin[DM_RQ_N];
    for (int k = 0; k < DM_RQ_N; k++)
        margin[k] = HUGE_VAL;
    margin[kind] = kind_margin;
    return load_formatted(w, margin, "margin.tsv");
}

static dm_ranker *ranker_with(double prev1, double pronoun_margin)
{
    return ranker_for(DM_RQ_PRONOUN, prev1, pronoun_margin);
}

static void second_speaker(const char *text, dm_ranker *r, const char *want,
                           dm_attribution_kind attr)
{
    dm_statement_list l;
    dm_extractor_set_ranker(fx_ex, r);
    fx_extract(text, &l);
    assert_int_equal(l.n, 2);
    assert_non_null(l.v[1].speaker);
    assert_string_equal(l.v[1].speaker, want);
    assert_int_equal(l.v[1].attribution, attr);
    /* the first quote's cue speaker is never replaced */
    assert_string_equal(l.v[0].speaker, "Dan Ruiz");
    assert_int_equal(l.v[0].attribution, DM_ATTR_CUE);
    dm_statement_list_clear(&l);
    dm_extractor_set_ranker(fx_ex, NULL);
    dm_ranker_destroy(&r);
}

static void pronoun_speaker(dm_ranker *r, const char *want, dm_attribution_kind attr)
{
    second_speaker(PRONOUN, r, want, attr);
}

static void test_pronoun_replaced_beyond_margin(void **state)
{
    (void)state;
    pronoun_speaker(NULL, "Tom Baker", DM_ATTR_PRONOUN);            /* the rules */
    pronoun_speaker(ranker_with(2.0, 1.0), "Dan Ruiz", DM_ATTR_RANKED);
    pronoun_speaker(ranker_with(2.0, 3.0), "Tom Baker", DM_ATTR_PRONOUN); /* margin not met */
    pronoun_speaker(ranker_with(2.0, 2.0), "Tom Baker", DM_ATTR_PRONOUN); /* "more than" */
    /* no margin line for pronoun: never replaced, however strong */
    static double w[DM_RANK_NFEAT];
    w[DM_RF_PREV1] = 50;
    pronoun_speaker(load_formatted(w, NULL, "nomargin.tsv"), "Tom Baker", DM_ATTR_PRONOUN);
    /* a margin for another kind does not open this one */
    pronoun_speaker(ranker_for(DM_RQ_PREVIOUS, 2.0, 0.0), "Tom Baker", DM_ATTR_PRONOUN);
}

static void test_previous_replaced_beyond_margin(void **state)
{
    (void)state;
    second_speaker(PREVIOUS, NULL, "Ana Ortiz", DM_ATTR_PREVIOUS);
    second_speaker(PREVIOUS, ranker_for(DM_RQ_PREVIOUS, 2.0, 1.0), "Dan Ruiz", DM_ATTR_RANKED);
    second_speaker(PREVIOUS, ranker_for(DM_RQ_PREVIOUS, 2.0, 3.0), "Ana Ortiz",
                   DM_ATTR_PREVIOUS);
    second_speaker(PREVIOUS, ranker_with(2.0, 0.0), "Ana Ortiz", DM_ATTR_PREVIOUS);
}

static void test_corrupt_files_refused(void **state)
{
    (void)state;
    char head[256];
    snprintf(head, sizeof head, "demarche-speaker-ranker\t2\nfeatures\t%d\t%d\n", DM_RANK_LAYOUT,
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
    /* a newer format, and the older one (no margins) */
    expect_refused("demarche-speaker-ranker\t3\n", true, DM_E_VERSION, "format version 3");
    expect_refused("demarche-speaker-ranker\t1\n", true, DM_E_VERSION, "format version 1");
    /* another feature layout */
    expect_refused("demarche-speaker-ranker\t2\nfeatures\t1\t7\n", true, DM_E_MISMATCH,
                   "retrain");
    /* margins: only for the kinds this build lets the ranker replace */
    snprintf(body, sizeof body, "%smargin\tcarried\t1\n", head);
    expect_refused(body, true, DM_E_MISMATCH, "bad margin line");
    snprintf(body, sizeof body, "%smargin\tcue\t1\n", head);
    expect_refused(body, true, DM_E_MISMATCH, "bad margin line");
    snprintf(body, sizeof body, "%smargin\tpronoun\tinf\n", head);
    expect_refused(body, true, DM_E_MISMATCH, "bad margin line");
    snprintf(body, sizeof body, "%smargin\tpronoun\n", head);
    expect_refused(body, true, DM_E_MISMATCH, "bad margin line");
    /* a weight out of range, not a number, before the layout */
    snprintf(body, sizeof body, "%sw\t%d\t1\n", head, (int)DM_RANK_NFEAT + 1);
    expect_refused(body, true, DM_E_FORMAT, "bad weight");
    snprintf(body, sizeof body, "%sw\t3\tnan\n", head);
    expect_refused(body, true, DM_E_FORMAT, "bad weight");
    expect_refused("demarche-speaker-ranker\t2\nw\t1\t1\n", true, DM_E_FORMAT,
                   "before the features line");
    snprintf(body, sizeof body, "%sbias\t1\n", head);
    expect_refused(body, true, DM_E_FORMAT, "unknown line 'bias'");
    expect_refused("demarche-speaker-ranker\t2\n", true, DM_E_FORMAT, "no features line");
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

/* Round 15: a carried quote follows the ranker's replacement of the speaker
 * it was carried from, and stays "carried". */
static void test_carried_follows_replacement(void **state)
{
    (void)state;
    static const char *const TEXT =
        "\"Prices will fall,\" Dan Ruiz said on Monday. Tom Baker, a farmer, listened.\n\n"
        "\"It is a fair deal for the valley,\" he said. \"We will sign it.\"\n";
    const char *want[2][3] = {{"Dan Ruiz", "Tom Baker", "Tom Baker"},  /* the rules */
                              {"Dan Ruiz", "Dan Ruiz", "Dan Ruiz"}};   /* with the ranker */
    const dm_attribution_kind how[2][3] = {{DM_ATTR_CUE, DM_ATTR_PRONOUN, DM_ATTR_CARRIED},
                                           {DM_ATTR_CUE, DM_ATTR_RANKED, DM_ATTR_CARRIED}};
    for (int k = 0; k < 2; k++) {
        dm_ranker *r = k ? ranker_with(2.0, 1.0) : NULL;
        dm_extractor_set_ranker(fx_ex, r);
        dm_statement_list l;
        fx_extract(TEXT, &l);
        assert_int_equal(l.n, 3);
        for (size_t i = 0; i < 3; i++) {
            assert_non_null(l.v[i].speaker);
            assert_string_equal(l.v[i].speaker, want[k][i]);
            assert_int_equal(l.v[i].attribution, how[k][i]);
        }
        assert_int_equal(dm_rank_carried_from(l.v, 2), 1);
        assert_int_equal(dm_rank_carried_from(l.v, 1), (size_t)-1);
        dm_statement_list_clear(&l);
        dm_extractor_set_ranker(fx_ex, NULL);
        dm_ranker_destroy(&r);
    }
}

/* Round 15: the description opening a quote's sentence is a candidate (the
 * extractor lists noun phrases only before a cue), cut before its verb. */
static void test_description_opening_sentence(void **state)
{
    (void)state;
    static const char *const TEXT =
        "Dan Ruiz toured the plant in Elm Falls on Monday.\n\n"
        "The union leaflet showed workers \"a fair deal for all\" beside a drawing.\n";
    dm_statement_list l;
    fx_extract(TEXT, &l);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].attribution, DM_ATTR_NONE);
    dm_statement_list_clear(&l);
    static double w[DM_RANK_NFEAT];
    w[DM_RF_SUBJ_NP] = 5;
    dm_ranker *r = load_formatted(w, NULL, "subject.tsv");
    dm_extractor_set_ranker(fx_ex, r);
    fx_extract(TEXT, &l);
    assert_int_equal(l.n, 1);
    assert_non_null(l.v[0].speaker);
    assert_string_equal(l.v[0].speaker, "The union leaflet");
    assert_int_equal(l.v[0].attribution, DM_ATTR_RANKED);
    dm_statement_list_clear(&l);
    /* no description opens the sentence: a name nearby, never "Dan Ruiz toured" */
    fx_extract("Dan Ruiz toured the plant in Elm Falls on Monday.\n\n"
               "Beside a drawing were the words \"a fair deal for all\" in red.\n", &l);
    assert_int_equal(l.n, 1);
    assert_non_null(l.v[0].speaker);
    assert_string_equal(l.v[0].speaker, "Dan Ruiz");
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
        cmocka_unit_test(test_pronoun_replaced_beyond_margin),
        cmocka_unit_test(test_previous_replaced_beyond_margin),
        cmocka_unit_test(test_description_opening_sentence),
        cmocka_unit_test(test_carried_follows_replacement),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
