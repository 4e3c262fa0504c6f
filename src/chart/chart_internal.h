/* Private parts of the chart module, shared by its files. */
#ifndef DM_CHART_INTERNAL_H
#define DM_CHART_INTERNAL_H

#include "demarche/chart.h"

/* Observations are summed in fixed point, DM_CHART_UNITS to 1.0 (the four
 * decimals demarche-score prints): the sums are then exact and do not
 * depend on the order statements arrive in, so charting a JSON Lines file
 * and charting a store of the same run (src/store, aggregated in SQL) give
 * the same CSV to the last digit. A value of 4.0 is 40000 units; its square
 * 1.6e9, so the sums hold some 5e9 observations a cell. */
#define DM_CHART_UNITS 10000
long long dm_chart_units(double value);

/* Running sums of one (series, period) cell, in units. */
typedef struct chart_cell {
    int ordinal;
    double t0, t1;
    char label[16];
    long n;
    long long sum, sumsq;
} chart_cell;

typedef struct chart_series_acc {
    char *name;
    int order;               /* position in --series, or -1 */
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
    /* The result, rebuilt by dm_chart_series_list. */
    dm_chart_series *result;
    size_t n_result;
    bool dirty;
    void *calendar;          /* ICU UCalendar for ISO weeks, opened lazily */
};

/* Days since 1970-01-01 of a proleptic Gregorian date. */
long dm_chart_days_from_civil(int y, int m, int d);
/* Place a date in a period: ordinal, bounds and label. Returns false when
 * the date is coarser than the period. */
bool dm_chart_period_of(dm_chart *chart, const dm_date *date, int *ordinal, double *t0,
                        double *t1, char *label, size_t label_size);

/* Pre-aggregated input, for the store's SQL aggregation (src/store): the
 * same effect as dm_chart_add_json for every statement behind it.
 * dm_chart_add_cell adds n observations of series `name` dated `date`
 * whose values sum to `sum` units (squares: `sumsq`); DM_E_PARSE if the
 * date is coarser than the period (the caller filters those), DM_E_NOMEM.
 * A series not asked for is DM_OK and adds nothing. */
dm_status dm_chart_add_cell(dm_chart *chart, const char *name, const dm_date *date, long n,
                            long long sum, long long sumsq);
/* Offer a statement as one of the most hostile of series `name` (`rank`:
 * hostility score 0-1, or level / 4), after those offered before it with
 * the same rank. Strings are copied; any may be NULL except date. */
dm_status dm_chart_add_example(dm_chart *chart, const char *name, double rank, int level,
                               const char *speaker, const char *speaker_actor,
                               const char *date, const char *text, const char *doc);
/* Add counts of statements read and left out. */
void dm_chart_add_counts(dm_chart *chart, const dm_chart_counts *delta);

/* 97.5% quantile of Student's t with `df` degrees of freedom (the
 * confidence bands). */
double dm_t975(long df);

#endif
