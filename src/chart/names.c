/* Option names of the chart module, and the CSV writer. */
#include "chart_internal.h"

#include <math.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

static const char *const period_names[] = {"year", "quarter", "month", "week", "day"};
static const char *const series_names[] = {"dyad", "speaker-actor", "target", "speaker"};
static const char *const metric_names[] = {"hostility", "stance"};

/* Index of `name` in names[count] into *out. DM_E_INVALID_ARG for NULL
 * arguments (checked here, before any caller stores the result). */
static dm_status parse_name(const char *name, const char *const *names, int count,
                            const void *out, int *index)
{
    if (!name || !out)
        return DM_E_INVALID_ARG;
    for (int i = 0; i < count; i++)
        if (strcmp(name, names[i]) == 0) {
            *index = i;
            return DM_OK;
        }
    return DM_E_NOT_FOUND;
}

dm_status dm_period_parse(const char *name, dm_period *out)
{
    int v;
    dm_status s = parse_name(name, period_names, 5, out, &v);
    if (s == DM_OK)
        *out = (dm_period)v;
    return s;
}

dm_status dm_series_by_parse(const char *name, dm_series_by *out)
{
    int v;
    dm_status s = parse_name(name, series_names, 4, out, &v);
    if (s == DM_OK)
        *out = (dm_series_by)v;
    return s;
}

dm_status dm_metric_parse(const char *name, dm_metric *out)
{
    int v;
    dm_status s = parse_name(name, metric_names, 2, out, &v);
    if (s == DM_OK)
        *out = (dm_metric)v;
    return s;
}

const char *dm_period_name(dm_period p)
{
    return (unsigned)p < 5 ? period_names[p] : "?";
}

/* RFC 4180 quoting for a field that may hold commas or quotes. False if
 * the stream refused a byte. */
static bool csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return fputs(s, fp) >= 0;
    bool ok = fputc('"', fp) != EOF;
    for (; *s && ok; s++)
        ok = (*s != '"' || fputc('"', fp) != EOF) && fputc(*s, fp) != EOF;
    return ok && fputc('"', fp) != EOF;
}

/* ",n,mean,lower,upper". One statement has a mean but no interval (no
 * spread to estimate): its bounds are empty, not the mean twice, which
 * would read as certainty. No statement: only n. */
static bool estimate_fields(FILE *fp, long n, double mean, double lower, double upper)
{
    if (n < 1)
        return fprintf(fp, ",%ld,,,", n) >= 0;
    if (n < 2)
        return fprintf(fp, ",%ld,%.4f,,", n, mean) >= 0;
    return fprintf(fp, ",%ld,%.4f,%.4f,%.4f", n, mean, lower, upper) >= 0;
}

dm_status dm_chart_write_csv(dm_chart *chart, FILE *fp, dm_error *err)
{
    if (!chart || !fp)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_chart_write_csv: NULL argument");
    size_t n;
    const dm_chart_series *series = dm_chart_series_list(chart, &n);
    if (!series && n)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    bool smooth = chart->opt.smooth > 1;
    /* Every write is checked: the first failure (a full disk) stops it. */
    bool ok = fputs(smooth ? "period,series,n,mean,lower,upper,smooth_n,smooth_mean,"
                             "smooth_lower,smooth_upper\n"
                           : "period,series,n,mean,lower,upper\n", fp) >= 0;
    for (size_t i = 0; i < n && ok; i++)
        for (size_t k = 0; k < series[i].n_points && ok; k++) {
            const dm_chart_point *p = &series[i].points[k];
            if (smooth ? !p->smooth_drawn : !p->drawn)
                continue;
            ok = fprintf(fp, "%s,", p->label) >= 0 && csv_field(fp, series[i].name) &&
                 estimate_fields(fp, p->n, p->mean, p->lower, p->upper) &&
                 (!smooth || estimate_fields(fp, p->smooth_n, p->smooth_mean, p->smooth_lower,
                                             p->smooth_upper)) &&
                 fputc('\n', fp) != EOF && !ferror(fp);
        }
    if (!ok || ferror(fp))
        return dm_error_set(err, DM_E_IO, NULL, 0, "cannot write the CSV: %s",
                            strerror(errno ? errno : EIO));
    return DM_OK;
}
