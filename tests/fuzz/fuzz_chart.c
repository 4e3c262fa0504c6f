/* libFuzzer harness: chart input. Bytes -> JSON Lines of scored statements
 * -> dm_chart_add_json (aggregation by period and series) -> the series,
 * the counts and the CSV; when asked, a small SVG is drawn too.
 * The first two bytes choose the options: period, series key, metric,
 * min_n, top, a date window, a series filter, drawing. */
#include "fuzz_common.h"

#include "demarche/demarche.h"
#include "demarche/chart.h"

static FILE *devnull;
static char svg_path[4200];

static void cleanup(void)
{
    unlink(svg_path);
    rmdir(fuzz_scratch_dir());
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    snprintf(svg_path, sizeof svg_path, "%s/chart.svg", fuzz_scratch_dir());
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
    if (b & 0x40) {
        opt.series[0] = "USA>RUS";
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
        dm_chart_add_json(chart, in + pos, n, "fuzz", ++line, &err);
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
    if (b & 0x80)
        dm_chart_draw(chart, svg_path, 160, 120, "fuzz", &err);
    dm_chart_destroy(&chart);
    return 0;
}
