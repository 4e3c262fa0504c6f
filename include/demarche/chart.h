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
 * (series, period) cells (and the `top` statements kept per cell).
 *
 * Smoothing (`smooth` = K > 1, odd): the line at a period is the mean of
 * every observation in the K periods centred on it (a rolling mean weighted
 * by n, the same as pooling the window's statements), and its interval is
 * the t-interval of that pooled sample. Neighbouring smoothed values share
 * observations, so their intervals are not independent; each one alone is
 * an honest 95% interval for the window's mean.
 *
 * Input: statements as the library holds them (dm_statement, scored by
 * dm_model_score_*), whatever they were read from (demarche-score's JSON
 * Lines through dm_statement_from_json, a database, a program).
 *
 * Ownership: see core.h.
 */
#ifndef DEMARCHE_CHART_H
#define DEMARCHE_CHART_H

#include "demarche/core.h"
#include "demarche/io.h"
#include "demarche/statements.h"

#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

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
/* Why 5: below it Student's t explodes (t(0.975) is 12.7, 4.3, 3.2, 2.8 for
 * n = 2..5), and with the per-statement spread of hostility the shipped
 * model gives (s = 0.56 level on examples/news.jsonl) a 95% interval at
 * n = 5 is +-0.69 level: narrower than one step of the 0-4 scale, so a
 * point says which step it is on. At n = 3 it is +-1.4, at n = 2 +-5. */
#define DM_CHART_DEFAULT_MIN_N 5
#define DM_CHART_MAX_SMOOTH 99

typedef struct dm_chart_options {
    dm_period period;
    dm_series_by by;
    dm_metric metric;
    const char *series[DM_CHART_MAX_SERIES]; /* keep only these (n_series 0: all) */
    size_t n_series;
    bool has_from, has_to;
    dm_date from, to;        /* inclusive window, at any precision */
    int min_n;               /* fewer statements in a period: a gap (default
                              * DM_CHART_DEFAULT_MIN_N) */
    int top;                 /* most hostile statements kept per series and
                              * per period (default 3) */
    bool point_examples;     /* keep them per period too (the HTML page lists
                              * them; default true); false: per series only,
                              * which a store finds faster */
    int smooth;              /* centred rolling mean over this many periods
                              * (odd; 0 or 1: none, the default) */
    bool include_self;       /* count targets that are the speaker's own actor
                              * ("self": true) in target series (default false) */
} dm_chart_options;

void dm_chart_options_default(dm_chart_options *opt);

/* A statement kept for the summary (the words behind a spike). */
typedef struct dm_chart_example {
    double value;            /* expected level / 4 (0-1) or level / 4, for ranking */
    int level;               /* hostility level 0-4 */
    int stance;              /* dm_stance toward `target` (stance metric), or -1 */
    char *speaker, *speaker_actor, *date, *text, *doc;
    char *target;            /* the series' target, or all targets ("RUS, UKR") */
} dm_chart_example;

/* One period of one series. */
typedef struct dm_chart_point {
    char label[16];          /* "2014", "2014-Q2", "2014-03", "2014-W09", "2014-03-01" */
    int ordinal;             /* consecutive periods have consecutive ordinals */
    double t0, t1;           /* period start and end, days since 1970-01-01 */
    long n;
    double mean, lower, upper; /* n = 1: lower = upper = mean (drawn as a
                              * point; the CSV leaves the bounds empty) */
    bool drawn;              /* n >= min_n */
    /* The line: the centred rolling mean over `smooth` periods (the raw
     * values above when there is no smoothing). */
    long smooth_n;
    double smooth_mean, smooth_lower, smooth_upper;
    bool smooth_drawn;       /* smooth_n >= min_n */
    const dm_chart_example *examples; /* the period's most hostile, first */
    size_t n_examples;       /* at most `top`; n - n_examples were not kept */
} dm_chart_point;


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
    long not_scored;         /* left out: no score for the metric (a stance chart
                              * of statements scored for hostility only) */
    long filtered;           /* left out: series not asked for */
} dm_chart_counts;

/* A labelled date drawn as a vertical marker (the invasion of Crimea). */
typedef struct dm_chart_event {
    double t;                /* days since 1970-01-01 (start of the date) */
    char *date, *label;
} dm_chart_event;

/* A series key seen in the input, charted or not (what --series may name). */
typedef struct dm_chart_key {
    const char *name;
    long n;                  /* observations */
    bool charted;            /* asked for (or no filter) */
} dm_chart_key;

typedef struct dm_chart dm_chart;

dm_status dm_chart_create(const dm_chart_options *opt, dm_chart **out, dm_error *err);
void dm_chart_destroy(dm_chart **chart);

/* Add one scored statement of a document dated `date` ("YYYY[-MM[-DD]]" or
 * ISO 8601; NULL: undated) with id `doc` (may be NULL). Everything is
 * borrowed and copied where kept. A statement left out for a reason in
 * dm_chart_counts is DM_OK. A statement without any score (neither
 * hostility nor a target's stance: not demarche-score's output) is refused
 * with DM_E_PARSE: charting it would draw zeros. */
dm_status dm_chart_add(dm_chart *chart, const dm_statement *st, const char *date,
                       const char *doc, dm_error *err);

/* Add an event marker; `date` as above, `label` any text (copied).
 * DM_E_PARSE for a date that does not parse. */
dm_status dm_chart_add_event(dm_chart *chart, const char *date, const char *label,
                             dm_error *err);
/* Add the events of a CSV file `date,label` (a header line "date,label" is
 * skipped; labels may be quoted, RFC 4180). A bad line (a date that does
 * not parse, not two fields) is left out and the lines after it are read:
 * the good events are added, and the result is DM_E_PARSE naming the first
 * bad line's file:line (and how many more there were). An unreadable file
 * or a quote never closed stops the reading (DM_E_IO / DM_E_PARSE). */
dm_status dm_chart_load_events(dm_chart *chart, const char *path, dm_error *err);
/* The same, and every bad line is also given to `logger` (DM_LOG_ERROR,
 * with file and line; `logger` may be NULL). */
dm_status dm_chart_load_events_with_logger(dm_chart *chart, const char *path,
                                           const dm_logger *logger, dm_error *err);
/* Events in date order. Borrowed; valid until the next add or destroy. */
const dm_chart_event *dm_chart_events(dm_chart *chart, size_t *n);
/* How many events fall outside the charted time (they are not drawn). */
size_t dm_chart_events_outside(dm_chart *chart);

/* Series in the order asked for (or by decreasing n). Borrowed; valid
 * until the next add or destroy. */
const dm_chart_series *dm_chart_series_list(dm_chart *chart, size_t *n);
/* Every series key of the input, by decreasing n, with the series not
 * asked for (their observations are counted, not kept). Borrowed; valid
 * until the next add or destroy. */
const dm_chart_key *dm_chart_keys(dm_chart *chart, size_t *n);
/* The number of points drawn over all series: 0 means an empty chart. */
size_t dm_chart_drawn_points(dm_chart *chart);
const dm_chart_counts *dm_chart_get_counts(const dm_chart *chart);
const dm_chart_options *dm_chart_get_options(const dm_chart *chart);

/* CSV: period,series,n,mean,lower,upper (drawn periods only), header first;
 * with smoothing also smooth_n,smooth_mean,smooth_lower,smooth_upper (the
 * periods whose smoothed value is drawn). A mean of one statement has empty
 * bounds (no interval), of none empty mean and bounds. Every write is checked; the first
 * failure stops it with DM_E_IO. */
dm_status dm_chart_write_csv(dm_chart *chart, FILE *fp, dm_error *err);

/* Draw to `path` as PNG, SVG, PDF or HTML by its extension, through
 * dm_output (output.h): atomically to a regular file (a mkstemp temporary
 * renamed into place), directly to a FIFO or device. HTML is one
 * self-contained page (inline SVG, CSS and script; nothing fetched) whose
 * points list their statements when clicked; it scales to its window, and
 * width and height only bound the design (see html.c). */
dm_status dm_chart_draw(dm_chart *chart, const char *path, int width, int height,
                        const char *title, dm_error *err);


DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
