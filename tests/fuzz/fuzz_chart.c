/* libFuzzer harness: chart input. Bytes -> JSON Lines of scored statements
 * -> dm_statement_from_json -> dm_chart_add (aggregation by period and
 * series) -> the series, the counts and the CSV; when asked, a small SVG
 * or the HTML page is drawn too. The first two bytes choose the options:
 * period, series key, metric, min_n, top, a date window, a series filter,
 * smoothing, drawing. */
#include "fuzz_common.h"

#include "demarche/demarche.h"
#include "demarche/chart.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>

static FILE *devnull;
static char svg_path[4200], html_path[4200];

static void cleanup(void)
{
    /* cairo's and fontconfig's font caches, or LeakSanitizer reports them. */
    cairo_debug_reset_static_data();
    FcFini();
    unlink(svg_path);
    unlink(html_path);
    rmdir(fuzz_scratch_dir());
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    snprintf(svg_path, sizeof svg_path, "%s/chart.svg", fuzz_scratch_dir());
    snprintf(html_path, sizeof html_path, "%s/chart.html", fuzz_scratch_dir());
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned a = data[0], b = data[1];
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.period = (dm_period)(a % 5);
    opt.by = (dm_series_by)((a / 5) % 4);
    opt.metric = (dm_metric)((a / 20) % 2);
    opt.min_n = 1 + (int)(b & 3);
    opt.top = (int)((b >> 2) & 7);
    if (b & 0x20) {
        opt.has_from = opt.has_to = true;
        dm_error derr;
        if (dm_date_parse("2021-06", &opt.from, &derr) != DM_OK ||
            dm_date_parse("2023-02-14", &opt.to, &derr) != DM_OK)
            abort();
    }
    opt.smooth = (a / 40) % 2 ? 3 : 0;
    if (b & 0x40) {
        opt.series[0] = "usa>rus";
        opt.series[1] = "RUS";
        opt.series[2] = "Sergei Lavrov";
        opt.n_series = 3;
    }
    dm_error err;
    dm_chart *chart = NULL;
    if (dm_chart_create(&opt, &chart, &err) != DM_OK)
        abort();
    const char *in = (const char *)data + 2;
    size_t len = size - 2;
    long line = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(in + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (in + pos)) : len - pos;
        dm_statement st;
        char *doc, *date;
        if (dm_statement_from_json(in + pos, n, "fuzz", ++line, &st, &doc, &date, &err) == DM_OK) {
            dm_status s = dm_chart_add(chart, &st, date, doc, &err);
            if (s != DM_OK && s != DM_E_PARSE)
                abort(); /* what the reader accepts, the chart takes or refuses as data */
            dm_statement_clear(&st);
            free(doc);
            free(date);
        }
        pos += n + 1;
    }
    size_t n_series = 0;
    const dm_chart_series *series = dm_chart_series_list(chart, &n_series);
    const dm_chart_counts *c = dm_chart_get_counts(chart);
    if (c->used > c->records)
        abort();
    for (size_t i = 0; i < n_series; i++)
        for (size_t k = 1; k < series[i].n_points; k++)
            if (series[i].points[k].ordinal <= series[i].points[k - 1].ordinal)
                abort(); /* points must be sorted by period */
    dm_chart_write_csv(chart, devnull, &err);
    if (b & 0x80) {
        dm_chart_add_event(chart, "2022-02-24", "<event> & \"label\"", &err);
        dm_chart_draw(chart, (a & 1) ? html_path : svg_path, 200, 120, "fuzz", &err);
    }
    dm_chart_destroy(&chart);
    return 0;
}
