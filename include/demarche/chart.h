/*
 * Tone over time: aggregate scored statements by period and series, and
 * draw them with cairo.
 *
 * A series is a dyad "USA>RUS" (speaker actor to target actor, the
 * default), a speaker actor, a target actor, or a speaker. Metrics: mean
 * hostility (0-4, one observation per statement and series) and net stance
 * toward the target (share in favour minus share against, in [-1, 1], + is favour; one
 * observation per statement-target pair).
 *
 * Intervals are 95% Student t-intervals of the mean (mean +- t(0.975, n-1)
 * * s / sqrt(n)), clamped to the scale (0-4, or -1..1); with n = 1 the
 * interval is the point itself. They are computed from running sums, so
 * millions of statements aggregate in memory proportional to the number of
 * (series, period) cells.
 *
 * Ownership: see core.h.
 */
#ifndef DEMARCHE_CHART_H
#define DEMARCHE_CHART_H

#include "demarche/core.h"
#include "demarche/io.h"

#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dm_period {
    DM_PERIOD_YEAR = 0,
    DM_PERIOD_QUARTER,
    DM_PERIOD_MONTH,
    DM_PERIOD_WEEK,    /* ISO 8601 weeks, from ICU's calendar */
    DM_PERIOD_DAY
} dm_period;

typedef enum dm_series_by {
    DM_SERIES_DYAD = 0,       /* "USA>RUS" */
    DM_SERIES_SPEAKER_ACTOR,  /* "USA" */
    DM_SERIES_TARGET,         /* "RUS" */
    DM_SERIES_SPEAKER         /* "Sergei Lavrov" */
} dm_series_by;

typedef enum dm_metric {
    DM_METRIC_HOSTILITY = 0,
    DM_METRIC_STANCE
} dm_metric;

/* Parse names as the command line gives them ("month", "dyad", ...). */
dm_status dm_period_parse(const char *name, dm_period *out);
dm_status dm_series_by_parse(const char *name, dm_series_by *out);
dm_status dm_metric_parse(const char *name, dm_metric *out);
const char *dm_period_name(dm_period p);

#define DM_CHART_MAX_SERIES 64

typedef struct dm_chart_options {
    dm_period period;
    dm_series_by by;
    dm_metric metric;
    const char *series[DM_CHART_MAX_SERIES]; /* keep only these (n_series 0: all) */
    size_t n_series;
    bool has_from, has_to;
    dm_date from, to;        /* inclusive window, at any precision */
    int min_n;               /* fewer statements in a period: a gap (default 1) */
    int top;                 /* most hostile statements kept per series (default 3) */
    bool include_self;       /* count targets that are the speaker's own actor
                              * ("self": true) in target series (default false) */
} dm_chart_options;

void dm_chart_options_default(dm_chart_options *opt);

/* One period of one series. */
typedef struct dm_chart_point {
    char label[16];          /* "2014", "2014-Q2", "2014-03", "2014-W09", "2014-03-01" */
    int ordinal;             /* consecutive periods have consecutive ordinals */
    double t0, t1;           /* period start and end, days since 1970-01-01 */
    long n;
    double mean, lower, upper;
    bool drawn;              /* n >= min_n */
} dm_chart_point;

/* A statement kept for the summary (the words behind a spike). */
typedef struct dm_chart_example {
    double value;            /* expected level / 4 (0-1) or level / 4, for ranking */
    int level;
    char *speaker, *speaker_actor, *date, *text, *doc;
} dm_chart_example;

typedef struct dm_chart_series {
    char *name;
    dm_chart_point *points;  /* sorted by ordinal */
    size_t n_points;
    long n;                  /* observations in the window */
    double mean;
    dm_chart_example *examples; /* most hostile first */
    size_t n_examples;
} dm_chart_series;

/* Counts of what was read and what was left out, and why. */
typedef struct dm_chart_counts {
    long records;            /* statements read */
    long used;               /* statements that contributed an observation */
    long no_date;            /* left out: no date */
    long bad_date;           /* left out: a date that does not parse */
    long coarse_date;        /* left out: a date coarser than the period ("2014" by month) */
    long outside_window;     /* left out: before --from or after --to */
    long no_series;          /* left out: no key for the series (no speaker actor...) */
    long not_scored;         /* left out: no hostility / stance in the record */
    long filtered;           /* left out: series not asked for */
} dm_chart_counts;

typedef struct dm_chart dm_chart;

dm_status dm_chart_create(const dm_chart_options *opt, dm_chart **out, dm_error *err);
void dm_chart_destroy(dm_chart **chart);

/* Add one scored statement as demarche-score prints it (a JSON object).
 * Returns DM_E_PARSE (err names where:line) for a line that is not such a
 * record; a record left out for a reason in dm_chart_counts is DM_OK. */
dm_status dm_chart_add_json(dm_chart *chart, const char *json, size_t len,
                            const char *where, long line, dm_error *err);

/* Series in the order asked for (or by decreasing n). Borrowed; valid
 * until the next add or destroy. */
const dm_chart_series *dm_chart_series_list(dm_chart *chart, size_t *n);
const dm_chart_counts *dm_chart_get_counts(const dm_chart *chart);
const dm_chart_options *dm_chart_get_options(const dm_chart *chart);

/* CSV: period,series,n,mean,lower,upper (drawn periods only), header first.
 * Every write is checked; the first failure stops it with DM_E_IO. */
dm_status dm_chart_write_csv(dm_chart *chart, FILE *fp, dm_error *err);

/* Draw to `path` as PNG, SVG or PDF by its extension, through dm_output
 * (output.h): atomically to a regular file (a mkstemp temporary renamed
 * into place), directly to a FIFO or device. */
dm_status dm_chart_draw(dm_chart *chart, const char *path, int width, int height,
                        const char *title, dm_error *err);


#ifdef __cplusplus
}
#endif
#endif
