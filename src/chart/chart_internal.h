/* Private parts of the chart module, shared by its files. */
#ifndef DM_CHART_INTERNAL_H
#define DM_CHART_INTERNAL_H

#include "demarche/chart.h"

/* Observations are summed in fixed point, DM_CHART_UNITS to 1.0 (the four
 * decimals demarche-score prints): the sums are then exact and do not
 * depend on the order statements arrive in, so charting a JSON Lines file
 * and charting a store of the same run (src/store, aggregated in SQL) give
 * the same CSV to the last digit (and a rolling window's sums, added and
 * taken away, stay exact). A value of 4.0 is 40000 units; its square
 * 1.6e9, so the sums hold some 5e9 observations a cell. */
#define DM_CHART_UNITS 10000
long long dm_chart_units(double value);

/* Running sums of one (series, period) cell, in units, and its most
 * hostile statements (at most opt.top, most hostile first). */
typedef struct chart_cell {
    int ordinal;
    double t0, t1;
    char label[16];
    long n;
    long long sum, sumsq;
    dm_chart_example *examples;
    size_t n_examples;
} chart_cell;

typedef struct chart_series_acc {
    char *name;
    int order;               /* position in --series, or -1 */
    bool charted;            /* false: not asked for; only n is counted */
    chart_cell *cells;       /* sorted by ordinal */
    size_t n_cells, cap_cells;
    long n;
    long long sum;           /* units */
    dm_chart_example *examples;
    size_t n_examples;
} chart_series_acc;

struct dm_chart {
    dm_chart_options opt;
    chart_series_acc *series;
    size_t n_series, cap_series;
    size_t *index;           /* open-addressing table of series positions + 1 */
    size_t index_cap;
    dm_chart_counts counts;
    dm_chart_event *events;  /* sorted by t when listed */
    size_t n_events, cap_events;
    /* The results, rebuilt by dm_chart_series_list when dirty. */
    dm_chart_series *result;
    size_t n_result;
    dm_chart_key *keys;
    size_t n_keys;
    bool dirty;
    void *calendar;          /* ICU UCalendar for ISO weeks, opened lazily */
};

/* The series table rebuilt at `min_cap` slots or more (and at least twice
 * the series); false when out of memory (the old table stays). */
bool dm_chart_rebuild_index(dm_chart *c, size_t min_cap);
void dm_chart_free_results(dm_chart *c);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
long dm_chart_days_from_civil(int y, int m, int d);
void dm_chart_civil_from_days(long z, int *y, int *m, int *d);
/* Place a date in a period: ordinal, bounds and label. Returns false when
 * the date is coarser than the period. */
bool dm_chart_period_of(dm_chart *chart, const dm_date *date, int *ordinal, double *t0,
                        double *t1, char *label, size_t label_size);
/* The bounds and label of the period numbered `ordinal` (a period no
 * statement fell in: the smoothed line goes through it). */
bool dm_chart_period_at(dm_chart *chart, int ordinal, double *t0, double *t1, char *label,
                        size_t label_size);

/* Pre-aggregated input, for the store's SQL aggregation (src/store): the
 * same effect as dm_chart_add for every statement behind it.
 * dm_chart_add_cell adds n observations of series `name` dated `date`
 * whose values sum to `sum` units (squares: `sumsq`); DM_E_PARSE if the
 * date is coarser than the period (the caller filters those), DM_E_NOMEM.
 * A series not asked for only counts n (dm_chart_keys lists it). */
dm_status dm_chart_add_cell(dm_chart *chart, const char *name, const dm_date *date, long n,
                            long long sum, long long sumsq);
/* Offer a statement dated `date` as one of the most hostile of series
 * `name`, in its period (unless opt.point_examples is false or `date` is
 * NULL) and in the whole series (e->value: expected level / 4, or level /
 * 4), after those offered before it with the same value. e's strings are
 * copied; any may be NULL. A series not asked for: DM_OK. */
dm_status dm_chart_add_example(dm_chart *chart, const char *name, const dm_date *date,
                               const dm_chart_example *e);
/* Add counts of statements read and left out. */
void dm_chart_add_counts(dm_chart *chart, const dm_chart_counts *delta);

/* 97.5% quantile of Student's t with `df` degrees of freedom (the
 * confidence bands). */
double dm_t975(long df);

/* ---- Shared by the cairo drawing and the HTML page ---------------------- */

/* The plotted ranges: time from the drawn periods (and nothing else), the
 * value axis from the drawn means (not the bands: a band of n = 2 may span
 * the scale, and is clipped to this range rather than widening it). */
typedef struct chart_range {
    double t_min, t_max, y_min, y_max;
    long max_n;              /* largest n of a marker drawn (marker scale) */
    long min_n;              /* smallest (marker-size legend) */
    bool empty;
} chart_range;
void dm_chart_range(dm_chart *chart, const dm_chart_series *series, size_t n, chart_range *r);

#define CHART_MAX_TICKS 40
typedef struct chart_tick {
    double v;
    char label[40];
    bool major;              /* a whole level / a year boundary label */
} chart_tick;
/* Whether a point has a marker: its own mean is drawn (n >= min_n) or,
 * with smoothing, the line passes there (the period's own mean is then a
 * faint marker, to click for its statements). */
static inline bool dm_chart_has_marker(const dm_chart_point *p, bool smooth)
{
    /* A period no statement fell in has no mean of its own: only the
     * smoothed line passes through it. */
    return p->n > 0 && (p->drawn || (smooth && p->smooth_drawn));
}

/* Calendar ticks between t_min and t_max, at most max_ticks of them. */
size_t dm_chart_time_ticks(double t_min, double t_max, int max_ticks, chart_tick *out);
/* Value ticks in half (or quarter) steps, labelled with the scale's words. */
size_t dm_chart_value_ticks(double y_min, double y_max, dm_metric metric, chart_tick *out);
/* Marker radius for n (area proportional to n), in design pixels. */
double dm_chart_marker_radius(long n, long max_n);
/* Values for the marker-size legend: min_n, a round number between, max_n. */
size_t dm_chart_size_legend(long min_n, long max_n, long out[3]);
/* A point's mean (which 0), lower (which < 0) or upper (which > 0) bound,
 * of the rolling mean when smooth. */
double dm_chart_point_value(const dm_chart_point *p, bool smooth, int which);
/* The next run of consecutive drawn points at or after *start: returns true
 * and sets [*start, *end) to it, false when none is left. PNG, SVG, PDF and
 * HTML draw one band and one line per run, so a gap breaks both. */
bool dm_chart_next_run(const dm_chart_series *sr, bool smooth, size_t *start, size_t *end);
/* Where each event label starts down its line: labels are written down
 * along their lines, label_h thick; a label whose line is closer than that
 * to an earlier one's starts below it (plus a gap), so close events stay
 * readable. x[i] is the line's position, len[i] the label's length, both in
 * the same units; y[i] gets the offset from the top of the plot. */
void dm_chart_event_offsets(const double *x, const double *len, size_t n, double label_h,
                            double gap, double *y);
/* The series colour (palette index i modulo its size) as 0-1 RGB. */
const double *dm_chart_colour(size_t i);
/* The axis title: "mean hostility (0-4) by year". */
void dm_chart_axis_title(const dm_chart_options *opt, char *buf, size_t size);

/* The HTML page (html.c) into `out`. */
struct dm_output;
dm_status dm_chart_write_html_internal(dm_chart *chart, const dm_chart_series *series, size_t n,
                                       struct dm_output *out, const char *title, dm_error *err);

#endif
