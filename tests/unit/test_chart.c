/* Unit tests of the chart module: periods, aggregation and intervals with
 * answers computed by hand, files that are valid PNG/SVG/PDF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demarche/chart.h"
#include "chart/chart_internal.h" /* dm_t975, ranges, legends */

#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A line of demarche-score's output into the chart, as the CLI does it. */
static dm_status add_json(dm_chart *c, const char *json, size_t len, const char *where,
                          long line, dm_error *err)
{
    dm_statement st;
    char *doc, *date;
    dm_status s = dm_statement_from_json(json, len, where, line, &st, &doc, &date, err);
    if (s != DM_OK)
        return s;
    s = dm_chart_add(c, &st, date, doc, err);
    dm_statement_clear(&st);
    free(doc);
    free(date);
    return s;
}

static void add(dm_chart *c, const char *json)
{
    dm_error err;
    assert_int_equal(add_json(c, json, strlen(json), "t", 1, &err), DM_OK);
}

static char *record(const char *date, const char *sa, const char *target, const char *stance,
                    double score)
{
    static char buf[512];
    snprintf(buf, sizeof buf,
             "{\"date\":\"%s\",\"speaker\":\"S\",\"speaker_actor\":\"%s\",\"text\":\"x\","
             "\"targets\":[{\"actor\":\"%s\",\"stance\":\"%s\"}],"
             "\"hostility\":{\"level\":%d,\"expected_level\":%g}}",
             date, sa, target, stance, (int)round(score * 4), score * 4);
    return buf;
}

static void test_t_quantiles(void **state)
{
    (void)state;
    assert_float_equal(dm_t975(1), 12.7062, 1e-4);
    assert_float_equal(dm_t975(4), 2.7764, 1e-4);
    assert_float_equal(dm_t975(30), 2.0423, 1e-4);
    assert_float_equal(dm_t975(40), 2.0211, 2e-4);
    assert_float_equal(dm_t975(120), 1.9799, 2e-4);
    assert_true(isnan(dm_t975(0)));
}

/* Sums are exact (fixed point), so the order statements come in cannot
 * change a mean in its last bit: a store's SQL aggregation and a JSON
 * Lines file of the same statements give the same CSV. In floating point
 * (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3). */
static void test_order_does_not_change_sums(void **state)
{
    (void)state;
    const double scores[] = {0.025, 0.05, 0.075, 0.0123, 0.9871, 0.3333};
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    dm_chart *fwd = NULL, *back = NULL;
    assert_int_equal(dm_chart_create(&opt, &fwd, NULL), DM_OK);
    assert_int_equal(dm_chart_create(&opt, &back, NULL), DM_OK);
    for (int i = 0; i < 6; i++) {
        add(fwd, record("2022-03-01", "USA", "RUS", "against", scores[i]));
        add(back, record("2022-03-01", "USA", "RUS", "against", scores[5 - i]));
    }
    size_t n;
    const dm_chart_series *a = dm_chart_series_list(fwd, &n);
    const dm_chart_series *b = dm_chart_series_list(back, &n);
    assert_int_equal(n, 1);
    assert_memory_equal(&a[0].points[0].mean, &b[0].points[0].mean, sizeof(double));
    assert_memory_equal(&a[0].points[0].lower, &b[0].points[0].lower, sizeof(double));
    assert_memory_equal(&a[0].mean, &b[0].mean, sizeof(double));
    assert_float_equal(a[0].points[0].mean, (0.1 + 0.2 + 0.3 + 0.0492 + 3.9484 + 1.3332) / 6, 1e-12);
    dm_chart_destroy(&fwd);
    dm_chart_destroy(&back);
}

static void test_mean_and_interval_by_hand(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.min_n = 1;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    /* Expected levels 1, 2, 3, 2, 2 (scores x 4) in March 2022. */
    const double scores[] = {0.25, 0.5, 0.75, 0.5, 0.5};
    for (int i = 0; i < 5; i++)
        add(c, record("2022-03-0" "1", "USA", "RUS", "against", scores[i]));
    add(c, record("2022-05-17", "USA", "RUS", "against", 1.0));
    size_t n;
    const dm_chart_series *s = dm_chart_series_list(c, &n);
    assert_int_equal(n, 1);
    assert_string_equal(s[0].name, "USA>RUS");
    assert_int_equal(s[0].n, 6);
    assert_int_equal(s[0].n_points, 2);
    const dm_chart_point *p = &s[0].points[0];
    assert_string_equal(p->label, "2022-03");
    assert_int_equal(p->n, 5);
    assert_float_equal(p->mean, 2.0, 1e-9);
    /* s = sqrt(0.5), half width = 2.7764 * 0.70711 / sqrt(5) = 0.87798 */
    assert_float_equal(p->lower, 1.12202, 1e-4);
    assert_float_equal(p->upper, 2.87798, 1e-4);
    assert_string_equal(s[0].points[1].label, "2022-05");
    assert_float_equal(s[0].points[1].lower, 4.0, 1e-9);
    /* March and May are not consecutive: April is a gap. */
    assert_int_equal(s[0].points[1].ordinal - p->ordinal, 2);
    /* The most hostile statement leads the examples. */
    assert_int_equal(s[0].n_examples, 3);
    assert_float_equal(s[0].examples[0].value, 1.0, 1e-9);
    dm_chart_destroy(&c);
    assert_null(c);
}

static void test_periods(void **state)
{
    (void)state;
    const struct { dm_period period; const char *date, *label; } cases[] = {
        {DM_PERIOD_YEAR, "2014", "2014"},
        {DM_PERIOD_QUARTER, "2014-05", "2014-Q2"},
        {DM_PERIOD_QUARTER, "2014-12-31", "2014-Q4"},
        {DM_PERIOD_MONTH, "2014-03-01T10:00:00Z", "2014-03"},
        {DM_PERIOD_WEEK, "2021-01-03", "2020-W53"}, /* a Sunday: ISO week of 2020 */
        {DM_PERIOD_WEEK, "2021-01-04", "2021-W01"},
        {DM_PERIOD_WEEK, "2019-12-30", "2020-W01"},
        {DM_PERIOD_DAY, "2016-02-29", "2016-02-29"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        dm_chart_options opt;
        dm_chart_options_default(&opt);
        opt.period = cases[i].period;
        dm_chart *c = NULL;
        assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
        add(c, record(cases[i].date, "FRA", "DEU", "neutral", 0.25));
        size_t n;
        const dm_chart_series *s = dm_chart_series_list(c, &n);
        assert_int_equal(n, 1);
        assert_string_equal(s[0].points[0].label, cases[i].label);
        dm_chart_destroy(&c);
    }
}

static void test_counts_and_filters(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.series[0] = "RUS>USA";
    opt.n_series = 1;
    opt.has_from = true;
    dm_date_parse("2020-01", &opt.from, NULL);
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    add(c, record("2021-02-03", "RUS", "USA", "against", 0.75));
    add(c, record("2021-02-03", "USA", "RUS", "against", 0.75)); /* other series */
    add(c, record("2019-12-31", "RUS", "USA", "against", 0.75)); /* before --from */
    add(c, record("2021", "RUS", "USA", "against", 0.75));       /* coarser than a month */
    add(c, record("Feb 2021", "RUS", "USA", "against", 0.75));   /* does not parse */
    add(c, "{\"speaker_actor\":\"RUS\",\"text\":\"no date\",\"targets\":[],"
           "\"hostility\":{\"level\":1}}");
    add(c, "{\"date\":\"2021-02-03\",\"text\":\"no actor\",\"targets\":[{\"actor\":\"USA\"}],"
           "\"hostility\":{\"level\":1}}");
    dm_error err;
    assert_int_equal(add_json(c, "{bad", 4, "in.jsonl", 9, &err), DM_E_PARSE);
    assert_int_equal(err.line, 9);
    /* Unscored (demarche-score --no-score, or raw statements): refused. */
    const char *raw = "{\"date\":\"2021-02-03\",\"speaker_actor\":\"RUS\","
                      "\"targets\":[{\"actor\":\"USA\"}]}";
    assert_int_equal(add_json(c, raw, strlen(raw), "in.jsonl", 10, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "not scored"));
    const dm_chart_counts *k = dm_chart_get_counts(c);
    assert_int_equal(k->records, 7);
    assert_int_equal(k->used, 1);
    assert_int_equal(k->filtered, 1);
    assert_int_equal(k->outside_window, 1);
    assert_int_equal(k->coarse_date, 1);
    assert_int_equal(k->bad_date, 1);
    assert_int_equal(k->no_date, 1);
    assert_int_equal(k->no_series, 1);
    dm_chart_destroy(&c);
}

static void test_stance_metric_and_min_n(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.metric = DM_METRIC_STANCE;
    opt.by = DM_SERIES_TARGET;
    opt.period = DM_PERIOD_YEAR;
    opt.min_n = 2;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    const char *stances[] = {"against", "against", "against", "favor", "neutral"};
    for (int i = 0; i < 5; i++)
        add(c, record("2015-06-01", "CHN", "JPN", stances[i], 0.5));
    add(c, record("2016-06-01", "CHN", "JPN", "favor", 0.5));
    size_t n;
    const dm_chart_series *s = dm_chart_series_list(c, &n);
    assert_int_equal(n, 1);
    assert_string_equal(s[0].name, "JPN");
    /* share in favour 1/5 minus share against 3/5: + is favour, as the
     * targets' favor_minus_against (issue 17 item 2) */
    assert_float_equal(s[0].points[0].mean, -0.4, 1e-9);
    assert_true(s[0].points[0].drawn);
    assert_false(s[0].points[1].drawn); /* n = 1 < min_n: a gap */
    FILE *fp = tmpfile();
    assert_int_equal(dm_chart_write_csv(c, fp, NULL), DM_OK);
    rewind(fp);
    char buf[256] = {0};
    fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    assert_string_equal(buf, "period,series,n,mean,lower,upper\n"
                             "2015,JPN,5,-0.4000,-1.0000,0.7106\n");
    dm_chart_destroy(&c);
}

/* Files scored before issue 17 carry hostility "score" = expected level / 4:
 * still charted on the 0-4 scale; the new "expected_level" is 0-4 itself. */
static void test_old_and_new_hostility_fields(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.by = DM_SERIES_SPEAKER_ACTOR;
    opt.period = DM_PERIOD_YEAR;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    const char *old = "{\"date\":\"2020\",\"speaker_actor\":\"USA\",\"targets\":[],"
                      "\"hostility\":{\"level\":2,\"score\":0.5}}";
    const char *new = "{\"date\":\"2020\",\"speaker_actor\":\"USA\",\"targets\":[],"
                      "\"hostility\":{\"level\":3,\"expected_level\":3.0}}";
    add(c, old);
    add(c, new);
    size_t n;
    const dm_chart_series *s = dm_chart_series_list(c, &n);
    assert_int_equal(n, 1);
    assert_float_equal(s[0].points[0].mean, 2.5, 1e-9);
    dm_error err;
    const char *off = "{\"date\":\"2020\",\"speaker_actor\":\"USA\",\"targets\":[],"
                      "\"hostility\":{\"level\":3,\"expected_level\":4.5}}";
    assert_int_equal(add_json(c, off, strlen(off), "t", 1, &err), DM_E_PARSE);
    dm_chart_destroy(&c);
}

static void test_files(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.min_n = 1;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    add(c, record("2022-01-05", "USA", "RUS", "against", 0.5));
    add(c, record("2022-02-05", "USA", "RUS", "against", 0.75));
    add(c, record("2022-02-05", "RUS", "USA", "against", 0.75));
    char dir[] = "/tmp/dm_chart_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    dm_error err;
    snprintf(path, sizeof path, "%s/c.png", dir);
    assert_int_equal(dm_chart_draw(c, path, 1200, 600, "t", &err), DM_OK);
    FILE *fp = fopen(path, "rb");
    unsigned char head[24];
    assert_int_equal(fread(head, 1, 24, fp), 24);
    fclose(fp);
    assert_memory_equal(head, "\x89PNG\r\n\x1a\n", 8);
    assert_int_equal((head[16] << 24) | (head[17] << 16) | (head[18] << 8) | head[19], 1200);
    assert_int_equal((head[20] << 24) | (head[21] << 16) | (head[22] << 8) | head[23], 600);
    unlink(path);
    snprintf(path, sizeof path, "%s/c.pdf", dir);
    assert_int_equal(dm_chart_draw(c, path, 2400, 1200, "t", &err), DM_OK);
    fp = fopen(path, "rb");
    assert_int_equal(fread(head, 1, 5, fp), 5);
    fclose(fp);
    assert_memory_equal(head, "%PDF-", 5);
    unlink(path);
    snprintf(path, sizeof path, "%s/c.gif", dir);
    assert_int_equal(dm_chart_draw(c, path, 1200, 600, "t", &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, ".gif"));
    assert_int_equal(access(path, F_OK), -1);
    rmdir(dir);
    dm_chart_destroy(&c);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    dm_chart *c = NULL;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    assert_int_equal(dm_chart_create(NULL, &c, NULL), DM_E_INVALID_ARG);
    opt.min_n = 0;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_E_INVALID_ARG);
    dm_statement st = {0};
    assert_int_equal(dm_chart_add(NULL, &st, "2020", NULL, NULL), DM_E_INVALID_ARG);
    opt.min_n = 1;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    assert_int_equal(dm_chart_add(c, NULL, "2020", NULL, NULL), DM_E_INVALID_ARG);
    st.scored = true;
    st.hostility_expected = 4.5; /* off the 0-4 scale */
    assert_int_equal(dm_chart_add(c, &st, "2020", NULL, NULL), DM_E_INVALID_ARG);
    assert_int_equal(dm_chart_add_event(c, NULL, "x", NULL), DM_E_INVALID_ARG);
    assert_int_equal(dm_chart_add_event(c, "2020", NULL, NULL), DM_E_INVALID_ARG);
    assert_int_equal(dm_chart_load_events(c, NULL, NULL), DM_E_INVALID_ARG);
    assert_int_equal(dm_chart_load_events(NULL, "x.csv", NULL), DM_E_INVALID_ARG);
    dm_chart_destroy(&c);
    opt.smooth = 4; /* not centred */
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_E_INVALID_ARG);
    opt.smooth = -1;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_E_INVALID_ARG);
    opt.smooth = 0;
    size_t nk = 9;
    assert_null(dm_chart_keys(NULL, &nk));
    assert_int_equal(nk, 0);
    assert_null(dm_chart_events(NULL, &nk));
    assert_int_equal(dm_chart_drawn_points(NULL), 0);
    char *doc, *date;
    assert_int_equal(dm_statement_from_json(NULL, 0, "x", 1, &st, &doc, &date, NULL),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_statement_from_json("{}", 2, "x", 1, NULL, &doc, &date, NULL),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_chart_write_csv(NULL, stdout, NULL), DM_E_INVALID_ARG);
    assert_int_equal(dm_chart_draw(NULL, "x.png", 100, 100, "", NULL), DM_E_INVALID_ARG);
    dm_period p;
    assert_int_equal(dm_period_parse("fortnight", &p), DM_E_NOT_FOUND);
    assert_int_equal(dm_period_parse("week", &p), DM_OK);
    assert_int_equal(p, DM_PERIOD_WEEK);
    assert_int_equal(dm_period_parse(NULL, &p), DM_E_INVALID_ARG);
    assert_int_equal(dm_period_parse("week", NULL), DM_E_INVALID_ARG);
    dm_series_by by;
    assert_int_equal(dm_series_by_parse("speaker-actor", &by), DM_OK);
    assert_int_equal(by, DM_SERIES_SPEAKER_ACTOR);
    assert_int_equal(dm_series_by_parse("dyad", NULL), DM_E_INVALID_ARG);
    assert_int_equal(dm_series_by_parse("pair", &by), DM_E_NOT_FOUND);
    dm_metric m;
    assert_int_equal(dm_metric_parse("stance", &m), DM_OK);
    assert_int_equal(m, DM_METRIC_STANCE);
    assert_int_equal(dm_metric_parse("stance", NULL), DM_E_INVALID_ARG);
    assert_int_equal(dm_metric_parse(NULL, &m), DM_E_INVALID_ARG);
    size_t n = 7;
    assert_null(dm_chart_series_list(NULL, &n));
    assert_int_equal(n, 0);
    assert_null(dm_chart_get_counts(NULL));
    assert_null(dm_chart_get_options(NULL));
    dm_chart_destroy(NULL);
    c = NULL;
    dm_chart_destroy(&c);
}

/* The library takes statements, not JSON: one built in C, with 40 targets
 * (one observation in each of 40 dyads: the de-duplication never fills). */
static void test_statement_input(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.min_n = 1;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    dm_statement_list list;
    dm_statement_list_init(&list);
    dm_statement *st = dm_statement_list_push(&list);
    st->speaker_actor = strdup("USA");
    st->text = strdup("words");
    for (int i = 0; i < 44; i++) {
        char actor[8];
        snprintf(actor, sizeof actor, "T%02d", i % 40); /* 4 repeats */
        assert_int_equal(dm_statement_add_target(st, actor, NULL, false, 0, 0, 0, 0), DM_OK);
    }
    dm_error err;
    /* Not scored yet: refused, with the reason. */
    assert_int_equal(dm_chart_add(c, st, "2020-05-01", "d1", &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "not scored"));
    st->scored = true;
    st->hostility_level = 3;
    st->hostility_expected = 3;
    assert_int_equal(dm_chart_add(c, st, "2020-05-01", "d1", &err), DM_OK);
    size_t n;
    const dm_chart_series *s = dm_chart_series_list(c, &n);
    assert_int_equal(n, 40);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(s[i].n, 1);
        assert_float_equal(s[i].points[0].mean, 3.0, 1e-12);
        assert_int_equal(s[i].points[0].n_examples, 1);
        assert_string_equal(s[i].points[0].examples[0].doc, "d1");
        assert_string_equal(s[i].points[0].examples[0].target, s[i].name + 4);
    }
    dm_statement_list_clear(&list);
    dm_chart_destroy(&c);
}

/* --top K per period, most hostile first, the count of the rest. */
static void test_statements_behind_a_point(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.top = 2;
    opt.by = DM_SERIES_SPEAKER_ACTOR;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    const double scores[] = {0.25, 0.75, 0.5, 1.0, 0.0, 0.5};
    for (int i = 0; i < 6; i++)
        add(c, record("2022-03-02", "USA", "RUS", "against", scores[i]));
    add(c, record("2022-04-02", "USA", "RUS", "against", 0.25));
    size_t n;
    const dm_chart_series *s = dm_chart_series_list(c, &n);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].n_points, 2);
    const dm_chart_point *p = &s[0].points[0];
    assert_true(p->drawn);            /* n = 6 >= the default min_n 5 */
    assert_false(s[0].points[1].drawn); /* n = 1: a gap */
    assert_int_equal(p->n_examples, 2);
    assert_float_equal(p->examples[0].value, 1.0, 1e-12);
    assert_float_equal(p->examples[1].value, 0.75, 1e-12);
    assert_string_equal(p->examples[0].target, "RUS"); /* a speaker series: all targets */
    assert_int_equal(p->n - (long)p->n_examples, 4);
    assert_int_equal(s[0].points[1].n_examples, 1);
    dm_chart_destroy(&c);
    /* Per series only (no page to list them): points keep none. */
    opt.point_examples = false;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    for (int i = 0; i < 6; i++)
        add(c, record("2022-03-02", "USA", "RUS", "against", scores[i]));
    s = dm_chart_series_list(c, &n);
    assert_int_equal(s[0].points[0].n_examples, 0);
    assert_int_equal(s[0].n_examples, 2);
    assert_float_equal(s[0].examples[0].value, 1.0, 1e-12);
    dm_chart_destroy(&c);
}

/* Smoothing by hand: K = 3 pools the window's observations. */
static void test_smoothing_by_hand(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.period = DM_PERIOD_YEAR;
    opt.smooth = 3;
    opt.min_n = 3;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    /* 2001: levels 1, 1; 2002: 3; 2003: 2, 2, 2; 2005: 4 (2004 empty). */
    add(c, record("2001-01-01", "USA", "RUS", "against", 0.25));
    add(c, record("2001-01-01", "USA", "RUS", "against", 0.25));
    add(c, record("2002-01-01", "USA", "RUS", "against", 0.75));
    for (int i = 0; i < 3; i++)
        add(c, record("2003-01-01", "USA", "RUS", "against", 0.5));
    add(c, record("2005-01-01", "USA", "RUS", "against", 1.0));
    size_t n;
    const dm_chart_series *s = dm_chart_series_list(c, &n);
    assert_int_equal(s[0].n_points, 5); /* 2004 is a point of the line */
    const dm_chart_point *p = s[0].points;
    /* 2001: window 2000-2002 = {1, 1, 3}: mean 5/3, s = 1.1547,
     * half = 4.3027 * 1.1547 / sqrt(3) = 2.8685 */
    assert_int_equal(p[0].smooth_n, 3);
    assert_float_equal(p[0].smooth_mean, 5.0 / 3, 1e-9);
    assert_float_equal(p[0].smooth_lower, 0.0, 1e-9); /* clamped to the scale */
    assert_float_equal(p[0].smooth_upper, 4.0, 1e-9); /* 5/3 + 2.8685, clamped */
    assert_true(p[0].smooth_drawn);
    assert_false(p[0].drawn); /* its own n = 2 < 3 */
    /* 2002: {1, 1, 3, 2, 2, 2}: mean 11/6 */
    assert_int_equal(p[1].smooth_n, 6);
    assert_float_equal(p[1].smooth_mean, 11.0 / 6, 1e-9);
    /* s^2 = (1+1+9+4+4+4 - 121/6) / 5 = 0.5667; half = 2.5706 * 0.75277 / sqrt(6) */
    assert_float_equal(p[1].smooth_lower, 11.0 / 6 - 0.79000, 1e-4);
    assert_float_equal(p[1].smooth_upper, 11.0 / 6 + 0.79000, 1e-4);
    /* 2003: 2002-2004 = {3, 2, 2, 2}: mean 2.25 */
    assert_int_equal(p[2].smooth_n, 4);
    assert_float_equal(p[2].smooth_mean, 2.25, 1e-9);
    /* 2004, empty: 2003-2005 = {2, 2, 2, 4}: the line bridges it, no marker */
    assert_string_equal(p[3].label, "2004");
    assert_int_equal(p[3].ordinal, 2004);
    assert_int_equal(p[3].n, 0);
    assert_true(isnan(p[3].mean));
    assert_false(p[3].drawn);
    assert_int_equal(p[3].smooth_n, 4);
    assert_float_equal(p[3].smooth_mean, 2.5, 1e-9);
    assert_true(p[3].smooth_drawn);
    assert_float_equal(p[3].t0, (double)dm_chart_days_from_civil(2004, 1, 1), 1e-9);
    assert_float_equal(p[3].t1, (double)dm_chart_days_from_civil(2005, 1, 1), 1e-9);
    /* 2005: 2004-2006 = {4}: n = 1 < 3, a gap */
    assert_int_equal(p[4].smooth_n, 1);
    assert_false(p[4].smooth_drawn);
    FILE *fp = tmpfile();
    assert_int_equal(dm_chart_write_csv(c, fp, NULL), DM_OK);
    rewind(fp);
    char buf[512] = {0};
    fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    assert_non_null(strstr(buf, "smooth_n,smooth_mean,smooth_lower,smooth_upper\n"));
    assert_non_null(strstr(buf, "2003,USA>RUS,3,2.0000,2.0000,2.0000,4,2.2500,"));
    assert_non_null(strstr(buf, "2004,USA>RUS,0,,,,4,2.5000,"));
    assert_null(strstr(buf, "2005,"));
    dm_chart_destroy(&c);
}

/* The period of `date`, found again from its ordinal alone, has the same
 * label and bounds. */
static void assert_period_round_trip(dm_chart *c, const dm_date *date)
{
    int ordinal;
    double t0, t1, u0, u1;
    char label[16], again[16];
    assert_true(dm_chart_period_of(c, date, &ordinal, &t0, &t1, label, sizeof label));
    assert_true(dm_chart_period_at(c, ordinal, &u0, &u1, again, sizeof again));
    assert_string_equal(label, again);
    assert_float_equal(t0, u0, 0);
    assert_float_equal(t1, u1, 0);
}

/* A period found from its ordinal alone (the empty periods the smoothed
 * line bridges) has the bounds and label a statement of it gets: every
 * day from 1999-12-01 to 2001-01-31 by every period, and a year before 0. */
static void test_period_at_round_trip(void **state)
{
    (void)state;
    const dm_period periods[] = {DM_PERIOD_YEAR, DM_PERIOD_QUARTER, DM_PERIOD_MONTH,
                                 DM_PERIOD_WEEK, DM_PERIOD_DAY};
    for (size_t k = 0; k < sizeof periods / sizeof *periods; k++) {
        dm_chart_options opt;
        dm_chart_options_default(&opt);
        opt.period = periods[k];
        dm_chart *c = NULL;
        assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
        long first = dm_chart_days_from_civil(1999, 12, 1);
        long last = dm_chart_days_from_civil(2001, 1, 31);
        for (long day = first; day <= last; day++) {
            dm_date d;
            dm_chart_civil_from_days(day, &d.year, &d.month, &d.day);
            assert_period_round_trip(c, &d);
        }
        assert_period_round_trip(c, &(dm_date){-5, 11, 3});
        dm_chart_destroy(&c);
    }
}

/* A monthly chart smoothed over 3 months bridges an empty month; without
 * smoothing the month stays a gap. */
static void test_smoothing_bridges_empty_months(void **state)
{
    (void)state;
    for (int smooth = 0; smooth <= 3; smooth += 3) {
        dm_chart_options opt;
        dm_chart_options_default(&opt);
        opt.period = DM_PERIOD_MONTH;
        opt.smooth = smooth;
        opt.min_n = 2;
        dm_chart *c = NULL;
        assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
        for (int i = 0; i < 2; i++) {
            add(c, record("2020-01-10", "USA", "RUS", "against", 0.25));
            add(c, record("2020-03-10", "USA", "RUS", "against", 0.75));
            add(c, record("2020-09-10", "USA", "RUS", "against", 0.5));
        }
        size_t n;
        const dm_chart_series *s = dm_chart_series_list(c, &n);
        if (smooth == 0) {
            assert_int_equal(s[0].n_points, 3);
        } else {
            /* 01, 02 (empty, window 01-03), 03, 04 (window 03-05), then
             * nothing until 09: 05-07 have empty windows, 08 reaches 09. */
            assert_int_equal(s[0].n_points, 6);
            const char *labels[] = {"2020-01", "2020-02", "2020-03", "2020-04", "2020-08",
                                    "2020-09"};
            for (size_t k = 0; k < 6; k++)
                assert_string_equal(s[0].points[k].label, labels[k]);
            assert_int_equal(s[0].points[1].n, 0);
            assert_int_equal(s[0].points[1].smooth_n, 4);
            assert_float_equal(s[0].points[1].smooth_mean, 2.0, 1e-9);
            size_t start = 0, end = 0;
            assert_true(dm_chart_next_run(&s[0], true, &start, &end));
            assert_int_equal(start, 0); /* one run of the line, 01 to 04 */
            assert_int_equal(end, 4);
            start = end;
            assert_true(dm_chart_next_run(&s[0], true, &start, &end));
            assert_int_equal(start, 4);
            assert_int_equal(end, 6);
            assert_false(dm_chart_has_marker(&s[0].points[1], true));
            assert_true(dm_chart_has_marker(&s[0].points[0], true));
        }
        dm_chart_destroy(&c);
    }
}

/* Keys of the input, asked for or not; --series ignores case. */
static void test_keys_and_series_case(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.series[0] = "rus>usa";
    opt.series[1] = "CHN>PHL";
    opt.n_series = 2;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    add(c, record("2021-02-03", "RUS", "USA", "against", 0.75));
    add(c, record("2021-02-03", "USA", "RUS", "against", 0.75));
    add(c, record("2021-02-04", "USA", "RUS", "against", 0.75));
    size_t n, nk;
    const dm_chart_series *s = dm_chart_series_list(c, &n);
    assert_int_equal(n, 1);
    assert_string_equal(s[0].name, "RUS>USA");
    const dm_chart_key *k = dm_chart_keys(c, &nk);
    assert_int_equal(nk, 2);
    assert_string_equal(k[0].name, "USA>RUS");
    assert_int_equal(k[0].n, 2);
    assert_false(k[0].charted);
    assert_string_equal(k[1].name, "RUS>USA");
    assert_true(k[1].charted);
    assert_int_equal(dm_chart_drawn_points(c), 0); /* n = 1 < min_n 5 */
    dm_chart_destroy(&c);
}

static const char *write_file(const char *dir, const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* A logger that counts errors ([0]) and keeps the line of the last ([1]). */
static void count_errors(void *user, dm_log_level level, const char *where, long line,
                         const char *message)
{
    (void)where;
    (void)message;
    long *v = user;
    if (level == DM_LOG_ERROR) {
        v[0]++;
        v[1] = line;
    }
}

static void test_events(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.min_n = 1;
    opt.period = DM_PERIOD_YEAR;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    add(c, record("2013-06-01", "USA", "RUS", "against", 0.5));
    add(c, record("2015-06-01", "USA", "RUS", "against", 0.5));
    char dir[] = "/tmp/dm_events_XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *path = write_file(dir, "e.csv",
                                  "date,label\n2022-02-24,Invasion of Ukraine\n"
                                  "2014-03-18,\"Crimea annexed, Russia suspended from G8\"\n");
    dm_error err;
    assert_int_equal(dm_chart_load_events(c, path, &err), DM_OK);
    size_t n;
    const dm_chart_event *ev = dm_chart_events(c, &n);
    assert_int_equal(n, 2);
    assert_string_equal(ev[0].label, "Crimea annexed, Russia suspended from G8"); /* by date */
    assert_float_equal(ev[0].t, 16147, 0); /* 2014-03-18 */
    assert_int_equal(dm_chart_events_outside(c), 1); /* 2022 is after the data */
    /* A bad line costs only itself: the events after it are added, the
     * error names the first bad line and counts the others. */
    path = write_file(dir, "bad.csv", "2014-03-18,ok\nMarch 2014,bad date\n"
                                      "2015-01-01,after the bad one\n2014-13-01,bad month\n");
    assert_int_equal(dm_chart_load_events(c, path, &err), DM_E_PARSE);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.where, "bad.csv"));
    assert_non_null(strstr(err.message, "and 1 more bad line"));
    ev = dm_chart_events(c, &n);
    assert_int_equal(n, 4);
    assert_string_equal(ev[2].label, "after the bad one");
    path = write_file(dir, "three.csv", "2014-03-18,a,b\n2016-01-01,fine\n");
    long logged[2] = {0, 0};
    dm_logger logger = {count_errors, logged};
    assert_int_equal(dm_chart_load_events_with_logger(c, path, &logger, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "3 fields"));
    assert_int_equal(logged[0], 1);   /* one error, */
    assert_int_equal(logged[1], 1);   /* on line 1 */
    ev = dm_chart_events(c, &n);
    assert_int_equal(n, 5);
    assert_int_equal(dm_chart_load_events_with_logger(NULL, path, &logger, &err),
                     DM_E_INVALID_ARG);
    unlink(path);
    snprintf((char *)path, 256, "%s/bad.csv", dir);
    unlink(path);
    snprintf((char *)path, 256, "%s/e.csv", dir);
    unlink(path);
    rmdir(dir);
    dm_chart_destroy(&c);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)len + 1);
    assert_int_equal(fread(s, 1, (size_t)len, fp), (size_t)len);
    s[len] = '\0';
    fclose(fp);
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The page: self-contained, its points, and statements that hold markup
 * kept as text. */
static void test_html(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.min_n = 1;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    add(c, record("2022-01-05", "USA", "RUS", "against", 0.5));
    add(c, record("2022-02-05", "USA", "RUS", "against", 0.75));
    add(c, "{\"doc\":\"evil\",\"date\":\"2022-02-06\",\"speaker\":\"<b>X</b>\","
           "\"speaker_actor\":\"RUS\",\"text\":\"</script><img src=x onerror=alert(1)> & "
           "<!-- \\u2028\",\"targets\":[{\"actor\":\"USA\",\"stance\":\"against\"}],"
           "\"hostility\":{\"level\":4,\"score\":1}}");
    assert_int_equal(dm_chart_add_event(c, "2022-01-20", "<i>event</i>", NULL), DM_OK);
    char dir[] = "/tmp/dm_html_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/c.html", dir);
    dm_error err;
    assert_int_equal(dm_chart_draw(c, path, 1200, 600, "Title <script>x</script>", &err), DM_OK);
    char *html = slurp(path);
    assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    /* Nothing fetched: no external script, stylesheet, link or url(). */
    assert_null(strstr(html, "<script src"));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "href="));
    assert_null(strstr(html, "url("));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<b>"));
    assert_null(strstr(html, "<i>"));
    assert_null(strstr(html, "<!--"));
    assert_non_null(strstr(html, "&lt;i&gt;event&lt;/i&gt;"));
    assert_non_null(strstr(html, "Title &lt;script&gt;x&lt;/script&gt;"));
    assert_non_null(strstr(html, "\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e"));
    /* Two scripts (data and code), two closing tags: the statement's did not count. */
    assert_int_equal(count(html, "</script>"), 2);
    /* Three drawn points in two series, in both designs. */
    assert_int_equal(count(html, "class=\"pt\""), 2 * 3);
    assert_int_equal(count(html, "<g class=\"series\""), 2 * 2);
    assert_int_equal(count(html, "<line class=\"event\""), 2);
    assert_int_equal(count(html, "<text class=\"event\""), 2);
    free(html);
    unlink(path);
    rmdir(dir);
    dm_chart_destroy(&c);
}

/* Bands of n = 2 do not set the value axis: the means do. */
static void test_range_follows_means(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.min_n = 2;
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, NULL), DM_OK);
    add(c, record("2022-01-05", "USA", "RUS", "against", 0.25));
    add(c, record("2022-01-06", "USA", "RUS", "against", 0.5)); /* mean 1.5, band 0-4 */
    add(c, record("2022-02-05", "USA", "RUS", "against", 0.5));
    add(c, record("2022-02-06", "USA", "RUS", "against", 0.5)); /* mean 2 */
    size_t n;
    const dm_chart_series *s = dm_chart_series_list(c, &n);
    assert_float_equal(s[0].points[0].lower, 0.0, 1e-9);
    assert_float_equal(s[0].points[0].upper, 4.0, 1e-9);
    chart_range r;
    dm_chart_range(c, s, n, &r);
    assert_float_equal(r.y_min, 1.0, 1e-9);
    assert_float_equal(r.y_max, 2.5, 1e-9);
    assert_int_equal(opt.min_n, 2);
    dm_chart_options d;
    dm_chart_options_default(&d);
    assert_int_equal(d.min_n, DM_CHART_DEFAULT_MIN_N);
    long sizes[3];
    assert_int_equal(dm_chart_size_legend(5, 200, sizes), 3);
    assert_int_equal(sizes[0], 5);
    assert_int_equal(sizes[1], 20); /* sqrt(1000) = 31.6 -> a round 20 */
    assert_int_equal(sizes[2], 200);
    /* Marker area proportional to n. */
    double r1 = dm_chart_marker_radius(50, 200), r2 = dm_chart_marker_radius(200, 200);
    assert_float_equal(r2 * r2 / (r1 * r1), 4.0, 1e-9);
    dm_chart_destroy(&c);
}

/* Close events' labels are stacked down their lines; far ones stay at the
 * top; a label clear of one neighbour but not of another moves past both. */
static void test_event_label_offsets(void **state)
{
    (void)state;
    double x[] = {100, 105, 300, 108, 112}, len[] = {50, 30, 40, 20, 10}, y[5];
    dm_chart_event_offsets(x, len, 5, 14, 8, y);
    assert_float_equal((y[0]), (0.0), 1e-9);
    assert_float_equal((y[1]), (58.0), 1e-9);  /* below the first: 50 + 8 */
    assert_float_equal((y[2]), (0.0), 1e-9);   /* far away: at the top */
    assert_float_equal((y[3]), (96.0), 1e-9);  /* below the second: 58 + 30 + 8 */
    assert_float_equal((y[4]), (124.0), 1e-9); /* close to three: below all of them */
}

/* Free cairo's and fontconfig's font caches so that LeakSanitizer does not
 * report fontconfig's configuration as leaked. */
static int release_font_caches(void **state)
{
    (void)state;
    cairo_debug_reset_static_data();
    FcFini();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_quantiles),
        cmocka_unit_test(test_mean_and_interval_by_hand),
        cmocka_unit_test(test_order_does_not_change_sums),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_counts_and_filters),
        cmocka_unit_test(test_stance_metric_and_min_n),
        cmocka_unit_test(test_old_and_new_hostility_fields),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_statement_input),
        cmocka_unit_test(test_statements_behind_a_point),
        cmocka_unit_test(test_smoothing_by_hand),
        cmocka_unit_test(test_period_at_round_trip),
        cmocka_unit_test(test_smoothing_bridges_empty_months),
        cmocka_unit_test(test_keys_and_series_case),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_event_label_offsets),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_range_follows_means),
    };
    return cmocka_run_group_tests(tests, NULL, release_font_caches);
}
