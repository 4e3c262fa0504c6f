/* Unit tests of the chart module: periods, aggregation and intervals with
 * answers computed by hand, files that are valid PNG/SVG/PDF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demarche/chart.h"
#include "chart/chart_internal.h" /* dm_t975 */

#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void add(dm_chart *c, const char *json)
{
    dm_error err;
    assert_int_equal(dm_chart_add_json(c, json, strlen(json), "t", 1, &err), DM_OK);
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
    add(c, "{\"speaker_actor\":\"RUS\",\"text\":\"no date\",\"targets\":[]}");
    add(c, "{\"date\":\"2021-02-03\",\"text\":\"no actor\",\"targets\":[{\"actor\":\"USA\"}]}");
    dm_error err;
    assert_int_equal(dm_chart_add_json(c, "{bad", 4, "in.jsonl", 9, &err), DM_E_PARSE);
    assert_int_equal(err.line, 9);
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
    assert_int_equal(dm_chart_add_json(c, off, strlen(off), "t", 1, &err), DM_E_PARSE);
    dm_chart_destroy(&c);
}

static void test_files(void **state)
{
    (void)state;
    dm_chart_options opt;
    dm_chart_options_default(&opt);
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
    assert_int_equal(dm_chart_add_json(NULL, "{}", 2, "x", 1, NULL), DM_E_INVALID_ARG);
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
    };
    return cmocka_run_group_tests(tests, NULL, release_font_caches);
}
