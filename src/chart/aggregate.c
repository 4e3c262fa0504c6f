/* Aggregation of scored statements into (series, period) cells. */
#include "chart_internal.h"
#include "core/fnv_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/ucal.h>

void dm_chart_options_default(dm_chart_options *opt)
{
    if (!opt)
        return;
    memset(opt, 0, sizeof *opt);
    opt->period = DM_PERIOD_MONTH;
    opt->by = DM_SERIES_DYAD;
    opt->metric = DM_METRIC_HOSTILITY;
    opt->min_n = DM_CHART_DEFAULT_MIN_N;
    opt->top = 3;
    opt->point_examples = true;
    opt->smooth = 0;
}

dm_status dm_chart_create(const dm_chart_options *opt, dm_chart **out, dm_error *err)
{
    if (!opt || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_chart_create: NULL argument");
    *out = NULL;
    if (opt->min_n < 1 || opt->top < 0 || opt->n_series > DM_CHART_MAX_SERIES)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_chart_create: min_n must be >= 1 and top >= 0");
    if (opt->smooth < 0 || opt->smooth > DM_CHART_MAX_SMOOTH ||
        (opt->smooth > 1 && opt->smooth % 2 == 0))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_chart_create: smooth must be an odd number of periods "
                            "(1-%d) so that the window is centred", DM_CHART_MAX_SMOOTH);
    for (size_t i = 0; i < opt->n_series; i++)
        if (!opt->series[i])
            return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_chart_create: NULL series");
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
    free(e->target);
}

static void free_examples(dm_chart_example *v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free_example(&v[k]);
    free(v);
}

void dm_chart_free_results(dm_chart *c)
{
    for (size_t i = 0; i < c->n_result; i++)
        free(c->result[i].points);
    free(c->result);
    c->result = NULL;
    c->n_result = 0;
    free(c->keys);
    c->keys = NULL;
    c->n_keys = 0;
}

void dm_chart_destroy(dm_chart **chart)
{
    if (!chart || !*chart)
        return;
    dm_chart *c = *chart;
    for (size_t i = 0; i < c->n_series; i++) {
        chart_series_acc *s = &c->series[i];
        free(s->name);
        for (size_t k = 0; k < s->n_cells; k++)
            free_examples(s->cells[k].examples, s->cells[k].n_examples);
        free(s->cells);
        free_examples(s->examples, s->n_examples);
    }
    for (size_t i = 0; i < c->n_events; i++) {
        free(c->events[i].date);
        free(c->events[i].label);
    }
    free(c->events);
    free(c->series);
    free(c->index);
    dm_chart_free_results(c);
    if (c->calendar)
        ucal_close(c->calendar);
    free(c);
    *chart = NULL;
}

static uint64_t hash_name(const char *s)
{
    return dm_fnv1a64(DM_FNV1A64_BASIS, s, strlen(s));
}

bool dm_chart_rebuild_index(dm_chart *c, size_t min_cap)
{
    size_t cap = 64;
    while (cap < min_cap)
        cap *= 2;
    while (cap < 2 * (c->n_series + 1))
        cap *= 2;
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

/* The series called `name`, created if needed (a series not asked for is
 * created too, uncharted, to count it for dm_chart_keys); NULL when memory
 * ran out. Series codes are matched case-insensitively against --series
 * ("chn>phl" asks for CHN>PHL). */
static chart_series_acc *series_for(dm_chart *c, const char *name)
{
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
    bool charted = c->opt.n_series == 0;
    for (size_t i = 0; i < c->opt.n_series && !charted; i++)
        if (strcasecmp(c->opt.series[i], name) == 0) {
            order = (int)i;
            charted = true;
        }
    if ((c->n_series + 1) * 2 > c->index_cap && !dm_chart_rebuild_index(c, c->index_cap * 2))
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
    s->charted = charted;
    size_t h = hash_name(name) & (c->index_cap - 1);
    while (c->index[h])
        h = (h + 1) & (c->index_cap - 1);
    c->index[h] = ++c->n_series;
    return s;
}

long long dm_chart_units(double value)
{
    return llround(value * DM_CHART_UNITS);
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

/* The cell of `date`'s period in series s, created if new, with its period's
 * bounds and label: DM_E_PARSE for a date coarser than the period. */
static dm_status cell_at(dm_chart *c, chart_series_acc *s, const dm_date *date,
                         chart_cell **out)
{
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
    *out = cell;
    return DM_OK;
}

/* What an observation is, for the statements kept behind a point. */
typedef struct observation {
    const dm_statement *st;
    const char *date, *doc;
    const char *target;      /* the series' target actor, or NULL: all of them */
    int stance;              /* -1: not a stance observation */
    double value, rank;
} observation;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* "RUS, UKR": the statement's target actors, for series without a target. */
static char *all_targets(const dm_statement *st)
{
    size_t len = 1;
    for (size_t i = 0; i < st->n_targets; i++)
        len += strlen(st->targets[i].actor) + 2;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < st->n_targets; i++) {
        size_t a = strlen(st->targets[i].actor);
        if (i) {
            memcpy(p, ", ", 2);
            p += 2;
        }
        memcpy(p, st->targets[i].actor, a);
        p += a;
    }
    *p = '\0';
    return s;
}

/* Keep a copy of `e` among the `top` most hostile of v[*n] (most hostile
 * first; ties keep the one offered first). */
static dm_status keep_example(dm_chart_example **v, size_t *n, size_t top,
                              const dm_chart_example *e)
{
    if (top == 0 || (*n == top && (*v)[top - 1].value >= e->value))
        return DM_OK;
    if (!*v) {
        *v = calloc(top, sizeof **v);
        if (!*v)
            return DM_E_NOMEM;
    }
    dm_chart_example c = {.value = e->value, .level = e->level, .stance = e->stance};
    c.speaker = dup_or_null(e->speaker);
    c.speaker_actor = dup_or_null(e->speaker_actor);
    c.date = dup_or_null(e->date);
    c.text = dup_or_null(e->text);
    c.doc = dup_or_null(e->doc);
    c.target = dup_or_null(e->target);
    if ((e->speaker && !c.speaker) || (e->speaker_actor && !c.speaker_actor) ||
        (e->date && !c.date) || (e->text && !c.text) || (e->doc && !c.doc) ||
        (e->target && !c.target)) {
        free_example(&c);
        return DM_E_NOMEM;
    }
    size_t pos = *n;
    while (pos > 0 && (*v)[pos - 1].value < e->value)
        pos--;
    if (*n == top)
        free_example(&(*v)[top - 1]);
    else
        (*n)++;
    memmove(&(*v)[pos + 1], &(*v)[pos], (*n - 1 - pos) * sizeof **v);
    (*v)[pos] = c;
    return DM_OK;
}

/* Offer e to a cell's and its series' lists. */
static dm_status keep_both(dm_chart *c, chart_series_acc *s, chart_cell *cell,
                           const dm_chart_example *e)
{
    size_t top = (size_t)c->opt.top;
    dm_status st = cell && c->opt.point_examples
                       ? keep_example(&cell->examples, &cell->n_examples, top, e) : DM_OK;
    return st == DM_OK ? keep_example(&s->examples, &s->n_examples, top, e) : st;
}

/* The example an observation offers (borrowing its strings); *owned is a
 * string to free afterwards (the list of targets), NULL when none. */
static bool example_of(dm_chart *c, const observation *o, dm_chart_example *e, char **owned)
{
    *owned = NULL;
    if (c->opt.top == 0)
        return true;
    const dm_statement *st = o->st;
    *e = (dm_chart_example){.value = o->rank, .level = st->hostility_level, .stance = o->stance,
                            .speaker = st->speaker, .speaker_actor = st->speaker_actor,
                            .date = (char *)o->date, .text = st->text, .doc = (char *)o->doc,
                            .target = (char *)o->target};
    if (!o->target && st->n_targets > 0) { /* none: NULL, as a store gives it */
        *owned = e->target = all_targets(st);
        return e->target != NULL;
    }
    return true;
}

static dm_status observe(dm_chart *c, const char *name, const observation *o,
                         const dm_date *date, bool *used, bool *charted)
{
    chart_series_acc *s = series_for(c, name);
    if (!s)
        return DM_E_NOMEM;
    c->dirty = true;
    s->n++;
    if (!s->charted)
        return DM_OK;
    *charted = true;
    chart_cell *cell;
    dm_status cs = cell_at(c, s, date, &cell); /* a coarse date: counted by the caller */
    if (cs != DM_OK)
        return cs;
    long long units = dm_chart_units(o->value);
    cell->n++;
    cell->sum += units;
    cell->sumsq += units * units;
    s->sum += units;
    *used = true;
    dm_chart_example e;
    char *owned;
    if (!example_of(c, o, &e, &owned))
        return DM_E_NOMEM;
    dm_status st = c->opt.top ? keep_both(c, s, cell, &e) : DM_OK;
    free(owned);
    return st;
}

dm_status dm_chart_add_cell(dm_chart *c, const char *name, const dm_date *date, long n,
                            long long sum, long long sumsq)
{
    if (!c || !name || !date || n < 1)
        return DM_E_INVALID_ARG;
    chart_series_acc *s = series_for(c, name);
    if (!s)
        return DM_E_NOMEM;
    c->dirty = true;
    s->n += n;
    if (!s->charted)
        return DM_OK;
    chart_cell *cell;
    dm_status cs = cell_at(c, s, date, &cell);
    if (cs != DM_OK)
        return cs;
    cell->n += n;
    cell->sum += sum;
    cell->sumsq += sumsq;
    s->sum += sum;
    return DM_OK;
}

dm_status dm_chart_add_example(dm_chart *c, const char *name, const dm_date *date,
                               const dm_chart_example *e)
{
    if (!c || !name || !e)
        return DM_E_INVALID_ARG;
    chart_series_acc *s = series_for(c, name);
    if (!s)
        return DM_E_NOMEM;
    if (!s->charted || c->opt.top == 0)
        return DM_OK;
    if (!date) { /* the series' list only */
        c->dirty = true;
        return keep_both(c, s, NULL, e);
    }
    chart_cell *cell;
    dm_status cs = cell_at(c, s, date, &cell);
    if (cs != DM_OK)
        return cs;
    c->dirty = true;
    return keep_both(c, s, cell, e);
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

static long day_of(const dm_date *d)
{
    return dm_chart_days_from_civil(d->year, d->month ? d->month : 1, d->day ? d->day : 1);
}

static bool in_window(const dm_chart *c, const dm_date *d)
{
    long day = day_of(d);
    if (c->opt.has_from && day < day_of(&c->opt.from))
        return false;
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

/* Stance of a scored target as an observation: +1 favour, 0 neutral,
 * -1 against, so that a mean is the share in favour minus the share
 * against (+ is favour, as the targets' favor_minus_against). */
static double stance_value(dm_stance s)
{
    return s == DM_STANCE_FAVOR ? 1 : s == DM_STANCE_AGAINST ? -1 : 0;
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
 * strings, sized for all its targets so that it never fills up (a
 * statement naming 40 countries counts once in each of 40 series). */
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

/* 1 if `key` was added (the set owns it), 0 if it was there, -1 if full
 * (which the sizing above rules out; a caller reports it as an error). */
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

static bool any_score(const dm_statement *st)
{
    if (st->scored)
        return true;
    for (size_t i = 0; i < st->n_targets; i++)
        if (st->targets[i].scored)
            return true;
    return false;
}

/* Observations of the target series (dyads, targets; and stance by any
 * key): one per distinct key for hostility, one per statement-target pair
 * for stance. */
static dm_status observe_targets(dm_chart *c, const dm_statement *st, observation *o,
                                 const dm_date *date, bool *used, bool *charted, bool *any_key,
                                 bool *scored)
{
    bool hostility = c->opt.metric == DM_METRIC_HOSTILITY;
    key_set seen = {0};
    if (hostility && !key_set_init(&seen, st->n_targets))
        return DM_E_NOMEM;
    dm_status s = DM_OK;
    for (size_t i = 0; i < st->n_targets && s == DM_OK; i++) {
        const dm_target *t = &st->targets[i];
        /* A statement about oneself is no stance toward another. */
        if (!c->opt.include_self &&
            (c->opt.by == DM_SERIES_DYAD || c->opt.by == DM_SERIES_TARGET) &&
            st->speaker_actor && strcmp(st->speaker_actor, t->actor) == 0)
            continue;
        const char *first = NULL, *second = NULL;
        switch (c->opt.by) {
        case DM_SERIES_DYAD: first = st->speaker_actor; second = t->actor; break;
        case DM_SERIES_TARGET: first = t->actor; break;
        case DM_SERIES_SPEAKER_ACTOR: first = st->speaker_actor; break;
        case DM_SERIES_SPEAKER: first = st->speaker; break;
        }
        if (!first)
            continue;
        *any_key = true;
        if (hostility ? !st->scored : !t->scored)
            continue;
        o->value = hostility ? st->hostility_expected : stance_value(t->stance);
        o->stance = hostility ? -1 : (int)t->stance;
        o->target = c->opt.by == DM_SERIES_DYAD || c->opt.by == DM_SERIES_TARGET || !hostility
                        ? t->actor : NULL;
        char *key = series_key(first, second);
        if (!key) {
            s = DM_E_NOMEM;
            break;
        }
        if (hostility) {
            int added = key_set_add(&seen, key);
            if (added <= 0) {
                free(key);
                if (added < 0)
                    s = DM_E_INTERNAL;
                continue; /* the statement is in this series already */
            }
        }
        *scored = true;
        s = observe(c, key, o, date, used, charted);
        if (!hostility)
            free(key);
    }
    key_set_clear(&seen);
    return s;
}

dm_status dm_chart_add(dm_chart *c, const dm_statement *st, const char *date_text,
                       const char *doc, dm_error *err)
{
    if (!c || !st)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_chart_add: NULL argument");
    for (size_t i = 0; i < st->n_targets; i++)
        if (!st->targets[i].actor)
            return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                                "dm_chart_add: a target without an actor");
    if (!any_score(st))
        return dm_error_set(err, DM_E_PARSE, NULL, 0,
                            "statement not scored (no hostility, no stance): chart the output "
                            "of demarche-score");
    if (st->scored && !(st->hostility_expected >= 0 && st->hostility_expected <= 4))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_chart_add: expected hostility level %g off its scale (0-4)",
                            st->hostility_expected);
    c->counts.records++;
    dm_date date;
    if (!dm_date_given(date_text)) { /* null, "" or white space: not given */
        c->counts.no_date++;
        return DM_OK;
    }
    if (dm_date_parse(date_text, &date, NULL) != DM_OK) {
        c->counts.bad_date++;
        return DM_OK;
    }
    int ordinal;
    double t0, t1;
    char label[16];
    if (!dm_chart_period_of(c, &date, &ordinal, &t0, &t1, label, sizeof label)) {
        c->counts.coarse_date++;
        return DM_OK;
    }
    if (!in_window(c, &date)) {
        c->counts.outside_window++;
        return DM_OK;
    }
    observation o = {.st = st, .date = date_text, .doc = doc, .stance = -1,
                     .rank = st->scored ? st->hostility_expected / 4 : -0.25};
    bool used = false, charted = false, any_key = false, scored = false;
    dm_status s = DM_OK;
    if (c->opt.metric == DM_METRIC_HOSTILITY && (c->opt.by == DM_SERIES_SPEAKER_ACTOR ||
                                                 c->opt.by == DM_SERIES_SPEAKER)) {
        const char *key = c->opt.by == DM_SERIES_SPEAKER ? st->speaker : st->speaker_actor;
        any_key = key != NULL;
        scored = st->scored;
        o.value = st->hostility_expected;
        if (any_key && scored)
            s = observe(c, key, &o, &date, &used, &charted);
    } else {
        s = observe_targets(c, st, &o, &date, &used, &charted, &any_key, &scored);
    }
    if (s != DM_OK)
        return dm_error_set(err, s, NULL, 0, s == DM_E_NOMEM ? "out of memory"
                                                             : "chart: key table full");
    if (used)
        c->counts.used++;
    else if (!any_key)
        c->counts.no_series++;
    else if (!scored)
        c->counts.not_scored++;
    else
        c->counts.filtered++;
    return DM_OK;
}

const dm_chart_counts *dm_chart_get_counts(const dm_chart *chart)
{
    return chart ? &chart->counts : NULL;
}

const dm_chart_options *dm_chart_get_options(const dm_chart *chart)
{
    return chart ? &chart->opt : NULL;
}
