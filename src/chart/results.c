/* The chart's results: series with their points (raw and smoothed), the
 * keys of the input, events in date order. */
#include "chart_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double dm_t975(long df)
{
    static const double table[30] = {
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
        2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
        2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
    if (df < 1)
        return NAN;
    if (df <= 30)
        return table[df - 1];
    /* Cornish-Fisher expansion around the normal quantile: error < 1e-4 for df > 30. */
    double z = 1.959964, n = (double)df;
    double z3 = z * z * z, z5 = z3 * z * z;
    return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n);
}

/* Charted series first, in the order asked for, then by decreasing n. */
static int compare_series(const void *a, const void *b)
{
    const chart_series_acc *x = a, *y = b;
    if (x->charted != y->charted)
        return x->charted ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int compare_keys(const void *a, const void *b)
{
    const dm_chart_key *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Mean and 95% t-interval of n observations from their sums in units
 * (DM_CHART_UNITS to 1.0), clamped to the metric's scale (a mean cannot
 * leave it, so neither does its interval); n = 1: the point itself. */
static void estimate(const dm_chart_options *opt, long n, long long sum_u, long long sumsq_u,
                     double *mean, double *lower, double *upper)
{
    if (n < 1) {
        *mean = *lower = *upper = NAN;
        return;
    }
    double sum = (double)sum_u, dn = (double)n;
    *mean = sum / dn / DM_CHART_UNITS;
    if (n < 2) {
        *lower = *upper = *mean;
        return;
    }
    /* In units squared, then back to the scale. */
    double var = ((double)sumsq_u - sum * sum / dn) / (dn - 1) /
                 ((double)DM_CHART_UNITS * DM_CHART_UNITS);
    double half = dm_t975(n - 1) * sqrt(var > 0 ? var : 0) / sqrt(dn);
    double lo = opt->metric == DM_METRIC_HOSTILITY ? 0 : -1;
    double hi = opt->metric == DM_METRIC_HOSTILITY ? 4 : 1;
    *lower = fmax(lo, *mean - half);
    *upper = fmin(hi, *mean + half);
}

/* The points of one series; false when out of memory. With smoothing, a
 * period between the first and the last one that no statement fell in is a
 * point too when its window holds statements: the rolling mean is over
 * calendar periods, so the smoothed line bridges an empty month instead of
 * breaking at it. Such a point has n = 0 and no mean of its own. */
static bool build_points(dm_chart *c, const chart_series_acc *s, dm_chart_series *r)
{
    const dm_chart_options *opt = &c->opt;
    int half = opt->smooth > 1 ? opt->smooth / 2 : 0;
    /* A window of 2 half + 1 periods holds a cell, so there are at most
     * that many points per cell. */
    size_t cap = s->n_cells * (size_t)(2 * half + 1);
    r->points = calloc(cap ? cap : 1, sizeof *r->points);
    if (!r->points)
        return false;
    r->n_points = 0;
    if (s->n_cells == 0)
        return true;
    /* The window [o - half, o + half] over the sorted cells: [lo, hi). */
    size_t lo = 0, hi = 0, next = 0;
    long wn = 0;
    long long wsum = 0, wsumsq = 0; /* units: exact, however many added and taken */
    long last = s->cells[s->n_cells - 1].ordinal;
    for (long o = s->cells[0].ordinal; o <= last;) {
        while (hi < s->n_cells && (long)s->cells[hi].ordinal <= o + half) {
            wn += s->cells[hi].n;
            wsum += s->cells[hi].sum;
            wsumsq += s->cells[hi].sumsq;
            hi++;
        }
        while (lo < hi && (long)s->cells[lo].ordinal < o - half) {
            wn -= s->cells[lo].n;
            wsum -= s->cells[lo].sum;
            wsumsq -= s->cells[lo].sumsq;
            lo++;
        }
        const chart_cell *cell = s->cells[next].ordinal == o ? &s->cells[next] : NULL;
        if (cell || lo < hi) {
            dm_chart_point *p = &r->points[r->n_points++];
            p->ordinal = (int)o;
            if (cell) {
                memcpy(p->label, cell->label, sizeof p->label);
                p->t0 = cell->t0;
                p->t1 = cell->t1;
                p->n = cell->n;
                estimate(opt, cell->n, cell->sum, cell->sumsq, &p->mean, &p->lower, &p->upper);
                p->examples = cell->examples;
                p->n_examples = cell->n_examples;
            } else {
                if (!dm_chart_period_at(c, (int)o, &p->t0, &p->t1, p->label, sizeof p->label))
                    r->n_points--; /* no calendar (ICU failed): leave the gap */
                p->n = 0;
                p->mean = p->lower = p->upper = NAN;
            }
            p->drawn = p->n > 0 && p->n >= opt->min_n;
            if (half == 0) {
                p->smooth_n = p->n;
                p->smooth_mean = p->mean;
                p->smooth_lower = p->lower;
                p->smooth_upper = p->upper;
            } else {
                p->smooth_n = wn;
                estimate(opt, wn, wsum, wsumsq, &p->smooth_mean, &p->smooth_lower,
                         &p->smooth_upper);
            }
            p->smooth_drawn = p->smooth_n > 0 && p->smooth_n >= opt->min_n;
        }
        if (cell)
            next++;
        /* An empty window: jump to the first period whose window reaches
         * the next cell. */
        if (lo == hi && next < s->n_cells && (long)s->cells[next].ordinal - half > o + 1)
            o = (long)s->cells[next].ordinal - half;
        else
            o++;
    }
    return true;
}

static bool rebuild(dm_chart *c)
{
    dm_chart_free_results(c);
    if (c->n_series > 1) /* qsort(NULL, 0) is undefined behaviour */
        qsort(c->series, c->n_series, sizeof *c->series, compare_series);
    if (!dm_chart_rebuild_index(c, c->index_cap)) /* positions moved */
        return false;
    size_t charted = 0;
    while (charted < c->n_series && c->series[charted].charted)
        charted++;
    c->result = calloc(charted ? charted : 1, sizeof *c->result);
    c->keys = calloc(c->n_series ? c->n_series : 1, sizeof *c->keys);
    if (!c->result || !c->keys)
        return false;
    for (size_t i = 0; i < c->n_series; i++) {
        const chart_series_acc *s = &c->series[i];
        c->keys[i] = (dm_chart_key){.name = s->name, .n = s->n, .charted = s->charted};
        if (!s->charted)
            continue;
        dm_chart_series *r = &c->result[c->n_result++];
        r->name = s->name;
        r->n = s->n;
        r->mean = s->n ? (double)s->sum / (double)s->n / DM_CHART_UNITS : NAN;
        r->examples = s->examples;
        r->n_examples = s->n_examples;
        if (!build_points(c, s, r))
            return false;
    }
    c->n_keys = c->n_series;
    if (c->n_keys > 1)
        qsort(c->keys, c->n_keys, sizeof *c->keys, compare_keys);
    c->dirty = false;
    return true;
}

const dm_chart_series *dm_chart_series_list(dm_chart *c, size_t *n)
{
    if (n)
        *n = 0;
    if (!c)
        return NULL;
    if ((c->dirty || !c->result) && !rebuild(c)) {
        dm_chart_free_results(c);
        return NULL;
    }
    if (n)
        *n = c->n_result;
    return c->result;
}

const dm_chart_key *dm_chart_keys(dm_chart *c, size_t *n)
{
    if (n)
        *n = 0;
    if (!c || !dm_chart_series_list(c, NULL))
        return NULL;
    if (n)
        *n = c->n_keys;
    return c->keys;
}

size_t dm_chart_drawn_points(dm_chart *c)
{
    size_t n, drawn = 0;
    const dm_chart_series *s = dm_chart_series_list(c, &n);
    for (size_t i = 0; s && i < n; i++)
        for (size_t k = 0; k < s[i].n_points; k++)
            drawn += dm_chart_has_marker(&s[i].points[k], c->opt.smooth > 1);
    return drawn;
}
