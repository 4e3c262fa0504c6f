/* Aggregation of scored statements into (series, period) cells. */
#include "chart_internal.h"
#include "core/fnv_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>

void dm_chart_options_default(dm_chart_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->period = DM_PERIOD_MONTH;
    opt->by = DM_SERIES_DYAD;
    opt->metric = DM_METRIC_HOSTILITY;
    opt->min_n = 1;
    opt->top = 3;
}

dm_status dm_chart_create(const dm_chart_options *opt, dm_chart **out, dm_error *err)
{
    if (!opt || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_chart_create: NULL argument");
    *out = NULL;
    if (opt->min_n < 1 || opt->top < 0 || opt->n_series > DM_CHART_MAX_SERIES)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_chart_create: min_n must be >= 1 and top >= 0");
    dm_chart *c = calloc(1, sizeof *c);
    if (!c)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    c->opt = *opt;
    *out = c;
    return DM_OK;
}

static void free_example(dm_chart_example *e)
{
    free(e->speaker);
    free(e->speaker_actor);
    free(e->date);
    free(e->text);
    free(e->doc);
}

static void free_result(dm_chart *c)
{
    for (size_t i = 0; i < c->n_result; i++)
        free(c->result[i].points);
    free(c->result);
    c->result = NULL;
    c->n_result = 0;
}

void dm_chart_destroy(dm_chart **chart)
{
    if (!chart || !*chart)
        return;
    dm_chart *c = *chart;
    for (size_t i = 0; i < c->n_series; i++) {
        chart_series_acc *s = &c->series[i];
        free(s->name);
        free(s->cells);
        for (size_t k = 0; k < s->n_examples; k++)
            free_example(&s->examples[k]);
        free(s->examples);
    }
    free(c->series);
    free(c->index);
    free_result(c);
    if (c->calendar)
        ucal_close(c->calendar);
    free(c);
    *chart = NULL;
}

static uint64_t hash_name(const char *s)
{
    return dm_fnv1a64(DM_FNV1A64_BASIS, s, strlen(s));
}

static bool grow_index(dm_chart *c)
{
    size_t cap = c->index_cap ? c->index_cap * 2 : 64;
    size_t *idx = calloc(cap, sizeof *idx);
    if (!idx)
        return false;
    for (size_t i = 0; i < c->n_series; i++) {
        size_t h = hash_name(c->series[i].name) & (cap - 1);
        while (idx[h])
            h = (h + 1) & (cap - 1);
        idx[h] = i + 1;
    }
    free(c->index);
    c->index = idx;
    c->index_cap = cap;
    return true;
}

/* The series called `name`, created if needed; NULL if it is filtered out
 * (*filtered set) or memory ran out. */
static chart_series_acc *series_for(dm_chart *c, const char *name, bool *filtered)
{
    *filtered = false;
    if (c->index_cap) {
        size_t h = hash_name(name) & (c->index_cap - 1);
        while (c->index[h]) {
            chart_series_acc *s = &c->series[c->index[h] - 1];
            if (strcmp(s->name, name) == 0)
                return s;
            h = (h + 1) & (c->index_cap - 1);
        }
    }
    int order = -1;
    if (c->opt.n_series) {
        for (size_t i = 0; i < c->opt.n_series; i++)
            if (strcmp(c->opt.series[i], name) == 0)
                order = (int)i;
        if (order < 0) {
            *filtered = true;
            return NULL;
        }
    }
    if ((c->n_series + 1) * 2 > c->index_cap && !grow_index(c))
        return NULL;
    if (c->n_series == c->cap_series) {
        size_t cap = c->cap_series ? c->cap_series * 2 : 16;
        chart_series_acc *ns = realloc(c->series, cap * sizeof *ns);
        if (!ns)
            return NULL;
        c->series = ns;
        c->cap_series = cap;
    }
    chart_series_acc *s = &c->series[c->n_series];
    memset(s, 0, sizeof *s);
    s->name = strdup(name);
    if (!s->name)
        return NULL;
    s->order = order;
    size_t h = hash_name(name) & (c->index_cap - 1);
    while (c->index[h])
        h = (h + 1) & (c->index_cap - 1);
    c->index[h] = ++c->n_series;
    return s;
}

static chart_cell *cell_for(chart_series_acc *s, int ordinal)
{
    size_t lo = 0, hi = s->n_cells;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->cells[mid].ordinal < ordinal)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n_cells && s->cells[lo].ordinal == ordinal)
        return &s->cells[lo];
    if (s->n_cells == s->cap_cells) {
        size_t cap = s->cap_cells ? s->cap_cells * 2 : 16;
        chart_cell *nc = realloc(s->cells, cap * sizeof *nc);
        if (!nc)
            return NULL;
        s->cells = nc;
        s->cap_cells = cap;
    }
    memmove(&s->cells[lo + 1], &s->cells[lo], (s->n_cells - lo) * sizeof *s->cells);
    s->n_cells++;
    memset(&s->cells[lo], 0, sizeof s->cells[lo]);
    s->cells[lo].ordinal = ordinal;
    return &s->cells[lo];
}

static const char *str_field(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

long long dm_chart_units(double value)
{
    return llround(value * DM_CHART_UNITS);
}

/* Keep the `top` most hostile statements of a series, most hostile first;
 * ties keep the earlier statement. */
static dm_status keep_example(dm_chart *c, chart_series_acc *s, double value, int level,
                              const char *speaker, const char *speaker_actor,
                              const char *date, const char *text, const char *doc)
{
    size_t top = (size_t)c->opt.top;
    if (top == 0)
        return DM_OK;
    if (s->n_examples == top && s->examples[top - 1].value >= value)
        return DM_OK;
    if (!s->examples) {
        s->examples = calloc(top, sizeof *s->examples);
        if (!s->examples)
            return DM_E_NOMEM;
    }
    size_t pos = s->n_examples;
    while (pos > 0 && s->examples[pos - 1].value < value)
        pos--;
    if (s->n_examples == top)
        free_example(&s->examples[top - 1]);
    else
        s->n_examples++;
    memmove(&s->examples[pos + 1], &s->examples[pos],
            (s->n_examples - 1 - pos) * sizeof *s->examples);
    dm_chart_example *e = &s->examples[pos];
    e->value = value;
    e->level = level;
    e->speaker = speaker ? strdup(speaker) : NULL;
    e->speaker_actor = speaker_actor ? strdup(speaker_actor) : NULL;
    e->date = strdup(date);
    e->text = text ? strdup(text) : NULL;
    e->doc = doc ? strdup(doc) : NULL;
    return DM_OK;
}

static dm_status observe(dm_chart *c, const char *name, double value, double rank_value,
                         int level, json_t *rec, const char *date_text, const dm_date *date,
                         bool *used)
{
    bool filtered;
    chart_series_acc *s = series_for(c, name, &filtered);
    if (!s)
        return filtered ? DM_OK : DM_E_NOMEM;
    int ordinal;
    double t0, t1;
    char label[16];
    if (!dm_chart_period_of(c, date, &ordinal, &t0, &t1, label, sizeof label))
        return DM_E_PARSE; /* coarse date: the caller counted it already */
    chart_cell *cell = cell_for(s, ordinal);
    if (!cell)
        return DM_E_NOMEM;
    cell->t0 = t0;
    cell->t1 = t1;
    memcpy(cell->label, label, sizeof label);
    long long units = dm_chart_units(value);
    cell->n++;
    cell->sum += units;
    cell->sumsq += units * units;
    s->n++;
    s->sum += units;
    *used = true;
    c->dirty = true;
    return keep_example(c, s, rank_value, level, str_field(rec, "speaker"),
                        str_field(rec, "speaker_actor"), date_text, str_field(rec, "text"),
                        str_field(rec, "doc"));
}

dm_status dm_chart_add_cell(dm_chart *c, const char *name, const dm_date *date, long n,
                            long long sum, long long sumsq)
{
    if (!c || !name || !date || n < 1)
        return DM_E_INVALID_ARG;
    bool filtered;
    chart_series_acc *s = series_for(c, name, &filtered);
    if (!s)
        return filtered ? DM_OK : DM_E_NOMEM;
    int ordinal;
    double t0, t1;
    char label[16];
    if (!dm_chart_period_of(c, date, &ordinal, &t0, &t1, label, sizeof label))
        return DM_E_PARSE;
    chart_cell *cell = cell_for(s, ordinal);
    if (!cell)
        return DM_E_NOMEM;
    cell->t0 = t0;
    cell->t1 = t1;
    memcpy(cell->label, label, sizeof label);
    cell->n += n;
    cell->sum += sum;
    cell->sumsq += sumsq;
    s->n += n;
    s->sum += sum;
    c->dirty = true;
    return DM_OK;
}

dm_status dm_chart_add_example(dm_chart *c, const char *name, double rank, int level,
                               const char *speaker, const char *speaker_actor,
                               const char *date, const char *text, const char *doc)
{
    if (!c || !name || !date)
        return DM_E_INVALID_ARG;
    bool filtered;
    chart_series_acc *s = series_for(c, name, &filtered);
    if (!s)
        return filtered ? DM_OK : DM_E_NOMEM;
    c->dirty = true;
    return keep_example(c, s, rank, level, speaker, speaker_actor, date, text, doc);
}

void dm_chart_add_counts(dm_chart *c, const dm_chart_counts *d)
{
    if (!c || !d)
        return;
    c->counts.records += d->records;
    c->counts.used += d->used;
    c->counts.no_date += d->no_date;
    c->counts.bad_date += d->bad_date;
    c->counts.coarse_date += d->coarse_date;
    c->counts.outside_window += d->outside_window;
    c->counts.no_series += d->no_series;
    c->counts.not_scored += d->not_scored;
    c->counts.filtered += d->filtered;
}

static bool in_window(const dm_chart *c, const dm_date *d)
{
    long day = dm_chart_days_from_civil(d->year, d->month ? d->month : 1, d->day ? d->day : 1);
    if (c->opt.has_from) {
        const dm_date *f = &c->opt.from;
        if (day < dm_chart_days_from_civil(f->year, f->month ? f->month : 1, f->day ? f->day : 1))
            return false;
    }
    if (c->opt.has_to) {
        const dm_date *t = &c->opt.to;
        long end;
        if (t->month == 0)
            end = dm_chart_days_from_civil(t->year + 1, 1, 1);
        else if (t->day == 0)
            end = t->month == 12 ? dm_chart_days_from_civil(t->year + 1, 1, 1)
                                 : dm_chart_days_from_civil(t->year, t->month + 1, 1);
        else
            end = dm_chart_days_from_civil(t->year, t->month, t->day) + 1;
        if (day >= end)
            return false;
    }
    return true;
}

/* Stance of a scored target as an observation: +1 against, 0 neutral,
 * -1 favour, so that a mean is the share against minus the share in favour. */
static bool stance_value(json_t *target, double *value)
{
    const char *stance = str_field(target, "stance");
    if (!stance)
        return false;
    /* + is favor, as the targets' favor_minus_against. */
    if (strcmp(stance, "against") == 0)
        *value = -1;
    else if (strcmp(stance, "favor") == 0 || strcmp(stance, "favour") == 0)
        *value = 1;
    else if (strcmp(stance, "neutral") == 0)
        *value = 0;
    else
        return false;
    return true;
}

/* A series key: "first" or "first>second" (a dyad), allocated whole: a
 * key cut to a buffer would merge two series. NULL when out of memory. */
static char *series_key(const char *first, const char *second)
{
    size_t a = strlen(first), b = second ? strlen(second) : 0;
    char *key = malloc(a + b + 2);
    if (!key)
        return NULL;
    memcpy(key, first, a);
    if (second) {
        key[a] = '>';
        memcpy(key + a + 1, second, b + 1);
    } else {
        key[a] = '\0';
    }
    return key;
}

/* The distinct keys of one statement: an open-addressing set of owned
 * strings, sized for all its targets so that it never fills up. */
typedef struct key_set {
    char **slots;
    size_t cap;
} key_set;

static bool key_set_init(key_set *set, size_t n)
{
    set->cap = 8;
    while (set->cap < 2 * n)
        set->cap *= 2;
    set->slots = calloc(set->cap, sizeof *set->slots);
    return set->slots != NULL;
}

/* 1 if `key` was added (the set owns it), 0 if it was there, -1 if full. */
static int key_set_add(key_set *set, char *key)
{
    size_t mask = set->cap - 1, h = hash_name(key) & mask;
    for (size_t probes = 0; probes < set->cap; probes++, h = (h + 1) & mask) {
        if (!set->slots[h]) {
            set->slots[h] = key;
            return 1;
        }
        if (strcmp(set->slots[h], key) == 0)
            return 0;
    }
    return -1;
}

static void key_set_clear(key_set *set)
{
    for (size_t i = 0; set->slots && i < set->cap; i++)
        free(set->slots[i]);
    free(set->slots);
    set->slots = NULL;
}

dm_status dm_chart_add_json(dm_chart *c, const char *json, size_t len, const char *where,
                            long line, dm_error *err)
{
    if (!c || !json)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_chart_add_json: NULL argument");
    json_error_t jerr;
    json_t *rec = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!rec)
        return dm_error_set(err, DM_E_PARSE, where, line, "invalid JSON at column %d: %s",
                            jerr.column, jerr.text);
    dm_status st = DM_OK;
    if (!json_is_object(rec)) {
        st = dm_error_set(err, DM_E_PARSE, where, line, "record is not a JSON object");
        goto done;
    }
    json_t *targets = json_object_get(rec, "targets");
    if (targets && !json_is_array(targets)) {
        st = dm_error_set(err, DM_E_PARSE, where, line, "\"targets\" must be an array");
        goto done;
    }
    json_t *h = json_object_get(rec, "hostility");
    double hscore = -1;
    int level = -1;
    if (json_is_object(h)) {
        json_t *lv = json_object_get(h, "level"), *ex = json_object_get(h, "expected_level");
        /* Files scored before the expected level was on the 0-4 scale
         * carry "score" = expected level / 4 (README, "Output fields"). */
        json_t *old = ex ? NULL : json_object_get(h, "score");
        /* A level or expected level off the scale (a hand-edited or foreign
         * file) would drag a mean off the 0-4 axis, or to infinity: reject
         * the line rather than chart it. */
        if ((json_is_integer(lv) && (json_integer_value(lv) < 0 || json_integer_value(lv) > 4)) ||
            (json_is_number(ex) && !(json_number_value(ex) >= 0 && json_number_value(ex) <= 4)) ||
            (json_is_number(old) && !(json_number_value(old) >= 0 && json_number_value(old) <= 1))) {
            st = dm_error_set(err, DM_E_PARSE, where, line,
                              "hostility out of range (level 0-4, expected_level 0-4)");
            goto done;
        }
        if (json_is_integer(lv))
            level = (int)json_integer_value(lv);
        if (json_is_number(ex))
            hscore = json_number_value(ex) / 4.0;
        else if (json_is_number(old))
            hscore = json_number_value(old);
    }
    c->counts.records++;
    const char *date_text = str_field(rec, "date");
    dm_date date;
    if (!date_text) {
        c->counts.no_date++;
        goto done;
    }
    if (dm_date_parse(date_text, &date, NULL) != DM_OK) {
        c->counts.bad_date++;
        goto done;
    }
    {
        int o;
        double a, b;
        char l[16];
        if (!dm_chart_period_of(c, &date, &o, &a, &b, l, sizeof l)) {
            c->counts.coarse_date++;
            goto done;
        }
    }
    if (!in_window(c, &date)) {
        c->counts.outside_window++;
        goto done;
    }
    /* The hostility of a statement on the 0-4 scale: the expected level
     * (score x 4) when there is a score, else the level. */
    double hvalue = hscore >= 0 ? hscore * 4.0 : level;
    double rank = hscore >= 0 ? hscore : level / 4.0;
    const char *speaker_actor = str_field(rec, "speaker_actor");
    const char *speaker = str_field(rec, "speaker");
    bool used = false, any_key = false, scored = false;
    size_t nt = targets ? json_array_size(targets) : 0;
    dm_status s = DM_OK;
    if (c->opt.metric == DM_METRIC_HOSTILITY && (c->opt.by == DM_SERIES_SPEAKER_ACTOR ||
                                                 c->opt.by == DM_SERIES_SPEAKER)) {
        const char *key = c->opt.by == DM_SERIES_SPEAKER ? speaker : speaker_actor;
        any_key = key != NULL;
        scored = hvalue >= 0;
        if (any_key && scored)
            s = observe(c, key, hvalue, rank, level, rec, date_text, &date, &used);
    } else {
        /* One observation per distinct series key among the targets (for
         * hostility; stance observes each statement-target pair). */
        key_set seen = {0};
        if (c->opt.metric == DM_METRIC_HOSTILITY && !key_set_init(&seen, nt))
            s = DM_E_NOMEM;
        for (size_t i = 0; i < nt && s == DM_OK; i++) {
            json_t *t = json_array_get(targets, i);
            const char *actor = str_field(t, "actor");
            if (!actor)
                continue;
            /* A statement about oneself is no stance toward another. */
            if (!c->opt.include_self && (c->opt.by == DM_SERIES_DYAD ||
                                         c->opt.by == DM_SERIES_TARGET) &&
                (json_is_true(json_object_get(t, "self")) ||
                 (speaker_actor && strcmp(speaker_actor, actor) == 0)))
                continue;
            const char *first = NULL, *second = NULL;
            switch (c->opt.by) {
            case DM_SERIES_DYAD:
                first = speaker_actor;
                second = actor;
                break;
            case DM_SERIES_TARGET:
                first = actor;
                break;
            case DM_SERIES_SPEAKER_ACTOR:
                first = speaker_actor;
                break;
            case DM_SERIES_SPEAKER:
                first = speaker;
                break;
            }
            if (!first)
                continue;
            any_key = true;
            double value;
            if (c->opt.metric == DM_METRIC_STANCE) {
                if (!stance_value(t, &value))
                    continue;
            } else if (hvalue < 0) {
                continue;
            } else {
                value = hvalue;
            }
            char *key = series_key(first, second);
            if (!key) {
                s = DM_E_NOMEM;
                break;
            }
            if (c->opt.metric == DM_METRIC_HOSTILITY) {
                int added = key_set_add(&seen, key);
                if (added <= 0) {
                    free(key);
                    if (added < 0)
                        s = DM_E_NOMEM;
                    continue; /* the statement is in this series already */
                }
            }
            scored = true;
            s = observe(c, key, value, rank, level, rec, date_text, &date, &used);
            if (c->opt.metric != DM_METRIC_HOSTILITY)
                free(key);
        }
        key_set_clear(&seen);
    }
    if (s == DM_E_NOMEM) {
        st = dm_error_set(err, DM_E_NOMEM, where, line, "out of memory");
        goto done;
    }
    if (used)
        c->counts.used++;
    else if (!any_key)
        c->counts.no_series++;
    else if (!scored)
        c->counts.not_scored++;
    else
        c->counts.filtered++;
done:
    json_decref(rec);
    return st;
}

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

static int compare_series(const void *a, const void *b)
{
    const chart_series_acc *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->name, y->name);
}

const dm_chart_series *dm_chart_series_list(dm_chart *c, size_t *n)
{
    if (!c) {
        if (n)
            *n = 0;
        return NULL;
    }
    if (c->dirty || !c->result) {
        free_result(c);
        if (c->n_series > 1) /* qsort(NULL, 0) is undefined behaviour */
            qsort(c->series, c->n_series, sizeof *c->series, compare_series);
        grow_index(c); /* positions moved: rebuild the table at a larger size */
        c->result = calloc(c->n_series ? c->n_series : 1, sizeof *c->result);
        if (!c->result) {
            *n = 0;
            return NULL;
        }
        for (size_t i = 0; i < c->n_series; i++) {
            chart_series_acc *s = &c->series[i];
            dm_chart_series *r = &c->result[i];
            r->name = s->name;
            r->n = s->n;
            r->mean = s->n ? (double)s->sum / (double)s->n / DM_CHART_UNITS : NAN;
            r->examples = s->examples;
            r->n_examples = s->n_examples;
            r->points = calloc(s->n_cells ? s->n_cells : 1, sizeof *r->points);
            if (!r->points)
                continue;
            r->n_points = s->n_cells;
            for (size_t k = 0; k < s->n_cells; k++) {
                const chart_cell *cell = &s->cells[k];
                dm_chart_point *p = &r->points[k];
                memcpy(p->label, cell->label, sizeof p->label);
                p->ordinal = cell->ordinal;
                p->t0 = cell->t0;
                p->t1 = cell->t1;
                p->n = cell->n;
                double sum = (double)cell->sum, n = (double)cell->n;
                p->mean = sum / n / DM_CHART_UNITS;
                if (cell->n > 1) {
                    /* In units squared, then back to the scale. */
                    double var = ((double)cell->sumsq - sum * sum / n) / (n - 1) /
                                 ((double)DM_CHART_UNITS * DM_CHART_UNITS);
                    double half = dm_t975(cell->n - 1) * sqrt(var > 0 ? var : 0) / sqrt(n);
                    /* A mean cannot leave its scale, so neither does its interval. */
                    double lo = c->opt.metric == DM_METRIC_HOSTILITY ? 0 : -1;
                    double hi = c->opt.metric == DM_METRIC_HOSTILITY ? 4 : 1;
                    p->lower = fmax(lo, p->mean - half);
                    p->upper = fmin(hi, p->mean + half);
                } else {
                    p->lower = p->upper = p->mean;
                }
                p->drawn = cell->n >= c->opt.min_n;
            }
        }
        c->n_result = c->n_series;
        c->dirty = false;
    }
    if (n)
        *n = c->n_result;
    return c->result;
}

const dm_chart_counts *dm_chart_get_counts(const dm_chart *chart)
{
    return chart ? &chart->counts : NULL;
}

const dm_chart_options *dm_chart_get_options(const dm_chart *chart)
{
    return chart ? &chart->opt : NULL;
}
