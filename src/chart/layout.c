/* What the cairo drawing and the HTML page share: the plotted ranges, the
 * ticks, marker sizes, colours. One place, so that the PNG and the page
 * tell the same story. */
#include "chart_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const double palette[][3] = {
    {0.122, 0.467, 0.706}, {0.839, 0.153, 0.157}, {0.173, 0.627, 0.173},
    {0.580, 0.404, 0.741}, {1.000, 0.498, 0.055}, {0.549, 0.337, 0.294},
    {0.890, 0.467, 0.761}, {0.498, 0.498, 0.498}, {0.737, 0.741, 0.133},
    {0.090, 0.745, 0.812}};
#define N_PALETTE (sizeof palette / sizeof palette[0])

const double *dm_chart_colour(size_t i)
{
    return palette[i % N_PALETTE];
}

void dm_chart_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

void dm_chart_range(dm_chart *chart, const dm_chart_series *series, size_t n, chart_range *r)
{
    const dm_chart_options *opt = dm_chart_get_options(chart);
    bool smooth = opt->smooth > 1;
    r->t_min = INFINITY;
    r->t_max = -INFINITY;
    r->max_n = 0;
    r->min_n = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < series[i].n_points; k++) {
            const dm_chart_point *p = &series[i].points[k];
            if (!p->drawn && !(smooth && p->smooth_drawn))
                continue;
            r->t_min = fmin(r->t_min, p->t0);
            r->t_max = fmax(r->t_max, p->t1);
            if (p->n > r->max_n)
                r->max_n = p->n;
            if (p->n > 0 && (r->min_n == 0 || p->n < r->min_n))
                r->min_n = p->n;
            lo = fmin(lo, p->mean); /* every marker's mean is in view */
            hi = fmax(hi, p->mean);
            if (smooth && p->smooth_drawn) {
                lo = fmin(lo, p->smooth_mean);
                hi = fmax(hi, p->smooth_mean);
            }
        }
    double full_lo = opt->metric == DM_METRIC_HOSTILITY ? 0 : -1;
    double full_hi = opt->metric == DM_METRIC_HOSTILITY ? 4 : 1;
    r->empty = !isfinite(r->t_min);
    if (r->empty) {
        r->t_min = 0;
        r->t_max = 365;
        lo = full_lo;
        hi = full_hi;
    }
    /* Zoom on the means with half a step of room, in half steps, never
     * past the scale's ends; bands are clipped to this range. */
    double room = opt->metric == DM_METRIC_HOSTILITY ? 0.25 : 0.1;
    r->y_min = fmax(full_lo, floor((lo - room) * 2) / 2);
    r->y_max = fmin(full_hi, ceil((hi + room) * 2) / 2);
    double least = opt->metric == DM_METRIC_HOSTILITY ? 1 : 0.5;
    if (r->y_max - r->y_min < least) {
        double mid = (r->y_max + r->y_min) / 2;
        r->y_min = fmax(full_lo, mid - least / 2);
        r->y_max = fmin(full_hi, r->y_min + least);
        r->y_min = fmax(full_lo, r->y_max - least);
    }
}

size_t dm_chart_events_outside(dm_chart *chart)
{
    size_t n, ne, outside = 0;
    const dm_chart_series *s = dm_chart_series_list(chart, &n);
    const dm_chart_event *ev = dm_chart_events(chart, &ne);
    chart_range r;
    dm_chart_range(chart, s, s ? n : 0, &r);
    for (size_t i = 0; i < ne; i++)
        outside += r.empty || ev[i].t < r.t_min || ev[i].t > r.t_max;
    return outside;
}

static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

size_t dm_chart_time_ticks(double t_min, double t_max, int max_ticks, chart_tick *out)
{
    static const int year_steps[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
    static const int month_steps[] = {1, 2, 3, 6};
    static const int day_steps[] = {1, 2, 7, 14};
    if (max_ticks < 2)
        max_ticks = 2;
    if (max_ticks > CHART_MAX_TICKS)
        max_ticks = CHART_MAX_TICKS;
    double span = t_max - t_min;
    int y0, m0, d0;
    dm_chart_civil_from_days((long)floor(t_min), &y0, &m0, &d0);
    int kind = 0, step = 1; /* kind 0 years, 1 months, 2 days */
    if (span / 365.25 > 3) {
        for (size_t i = 0; i < sizeof year_steps / sizeof *year_steps; i++) {
            step = year_steps[i];
            if (span / 365.25 / step <= max_ticks)
                break;
        }
    } else if (span / 30.4 > 3) {
        kind = 1;
        step = 6;
        for (size_t i = 0; i < sizeof month_steps / sizeof *month_steps; i++)
            if (span / 30.4 / month_steps[i] <= max_ticks) {
                step = month_steps[i];
                break;
            }
        if (span / 30.4 / step > max_ticks) { /* too long for months: years */
            kind = 0;
            step = 1;
        }
    } else {
        kind = 2;
        step = 14;
        for (size_t i = 0; i < sizeof day_steps / sizeof *day_steps; i++)
            if (span / day_steps[i] <= max_ticks) {
                step = day_steps[i];
                break;
            }
    }
    size_t n = 0;
    int y = kind == 0 ? (y0 / step) * step : y0, m = kind == 1 ? 1 : m0;
    long day = (long)ceil(t_min);
    for (int guard = 0; guard < 2000 && n < CHART_MAX_TICKS; guard++) {
        double t;
        chart_tick tk = {.major = true};
        if (kind == 0) {
            t = (double)dm_chart_days_from_civil(y, 1, 1);
            snprintf(tk.label, sizeof tk.label, "%d", y);
            y += step;
        } else if (kind == 1) {
            t = (double)dm_chart_days_from_civil(y, m, 1);
            tk.major = m == 1;
            if (m == 1)
                snprintf(tk.label, sizeof tk.label, "%s %d", month_abbr[m - 1], y);
            else
                snprintf(tk.label, sizeof tk.label, "%s", month_abbr[m - 1]);
            m += step;
            while (m > 12) {
                m -= 12;
                y++;
            }
        } else {
            t = (double)day;
            int yy, mm, dd;
            dm_chart_civil_from_days(day, &yy, &mm, &dd);
            snprintf(tk.label, sizeof tk.label, "%d %s", dd, month_abbr[mm - 1]);
            day += step;
        }
        if (t > t_max)
            break;
        if (t < t_min)
            continue;
        tk.v = t;
        out[n++] = tk;
    }
    return n;
}

static const char *const hostility_words[] = {"cordial", "neutral", "critical",
                                              "condemnatory", "extreme"};

size_t dm_chart_value_ticks(double y_min, double y_max, dm_metric metric, chart_tick *out)
{
    double step = (y_max - y_min) > 1.5 ? 0.5 : 0.25;
    size_t n = 0;
    for (double v = ceil(y_min / step - 1e-9) * step; v <= y_max + 1e-9 && n < CHART_MAX_TICKS;
         v += step) {
        chart_tick tk = {.v = v, .major = fabs(v - round(v)) < 1e-9};
        if (metric == DM_METRIC_HOSTILITY && tk.major && v >= 0 && v <= 4)
            snprintf(tk.label, sizeof tk.label, "%s %d", hostility_words[(int)round(v)],
                     (int)round(v));
        else if (metric == DM_METRIC_STANCE && tk.major && fabs(v) < 1e-9)
            snprintf(tk.label, sizeof tk.label, "balanced 0");
        else if (metric == DM_METRIC_STANCE && tk.major && v > 0)
            snprintf(tk.label, sizeof tk.label, "all in favour +1");
        else if (metric == DM_METRIC_STANCE && tk.major && v < 0)
            snprintf(tk.label, sizeof tk.label, "all against -1");
        else
            snprintf(tk.label, sizeof tk.label, "%.2g", fabs(v) < 1e-9 ? 0.0 : v);
        out[n++] = tk;
    }
    return n;
}

/* Area proportional to n, so that a point of 200 statements looks 40 times
 * the claim of one of 5; at least 2.5 pixels to stay visible. */
double dm_chart_marker_radius(long n, long max_n)
{
    double r = 9.0 * sqrt((double)n / (double)(max_n > 0 ? max_n : 1));
    return r < 2.5 ? 2.5 : r;
}

static long round_number(double x)
{
    double p = pow(10, floor(log10(x)));
    double m = x / p;
    double nice = m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10;
    return (long)(nice * p);
}

size_t dm_chart_size_legend(long min_n, long max_n, long out[3])
{
    if (max_n < 1)
        return 0;
    if (min_n < 1)
        min_n = 1;
    if (min_n >= max_n) {
        out[0] = max_n;
        return 1;
    }
    size_t n = 0;
    out[n++] = min_n;
    long mid = round_number(sqrt((double)min_n * (double)max_n));
    if (mid > min_n && mid < max_n)
        out[n++] = mid;
    out[n++] = max_n;
    return n;
}

void dm_chart_axis_title(const dm_chart_options *opt, char *buf, size_t size)
{
    snprintf(buf, size, "%s by %s%s",
             opt->metric == DM_METRIC_HOSTILITY ? "mean hostility (0-4)"
                                                : "net stance (share in favour - share against)",
             dm_period_name(opt->period),
             opt->smooth > 1 ? ", smoothed" : "");
}

double dm_chart_point_value(const dm_chart_point *p, bool smooth, int which)
{
    if (which == 0)
        return smooth ? p->smooth_mean : p->mean;
    if (which < 0)
        return smooth ? p->smooth_lower : p->lower;
    return smooth ? p->smooth_upper : p->upper;
}

static bool line_drawn(const dm_chart_point *p, bool smooth)
{
    return smooth ? p->smooth_drawn : p->drawn;
}

bool dm_chart_next_run(const dm_chart_series *sr, bool smooth, size_t *start, size_t *end)
{
    size_t i = *start;
    while (i < sr->n_points && !line_drawn(&sr->points[i], smooth))
        i++;
    if (i >= sr->n_points)
        return false;
    size_t j = i + 1;
    while (j < sr->n_points && line_drawn(&sr->points[j], smooth) &&
           sr->points[j].ordinal == sr->points[j - 1].ordinal + 1)
        j++;
    *start = i;
    *end = j;
    return true;
}

void dm_chart_event_offsets(const double *x, const double *len, size_t n, double label_h,
                            double gap, double *y)
{
    /* Greedy, in the events' order: move a label below every earlier label
     * it would touch, until it touches none. n is a handful of events, so
     * the quadratic passes cost nothing. */
    for (size_t i = 0; i < n; i++) {
        y[i] = 0;
        for (bool moved = true; moved;) {
            moved = false;
            for (size_t j = 0; j < i; j++)
                if (fabs(x[i] - x[j]) < label_h && y[i] < y[j] + len[j] + gap &&
                    y[j] < y[i] + len[i] + gap) {
                    y[i] = y[j] + len[j] + gap;
                    moved = true;
                }
        }
    }
}
