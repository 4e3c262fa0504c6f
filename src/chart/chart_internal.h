/* Private parts of the chart module, shared by its files. */
#ifndef DM_CHART_INTERNAL_H
#define DM_CHART_INTERNAL_H

#include "demarche/chart.h"

/* Running sums of one (series, period) cell. */
typedef struct chart_cell {
    int ordinal;
    double t0, t1;
    char label[16];
    long n;
    double sum, sumsq;
} chart_cell;

typedef struct chart_series_acc {
    char *name;
    int order;               /* position in --series, or -1 */
    chart_cell *cells;       /* sorted by ordinal */
    size_t n_cells, cap_cells;
    long n;
    double sum;
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

#endif
