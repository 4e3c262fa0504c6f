/*
 * Charting from a store: the statements of the latest revisions are
 * filtered, keyed by series and summed by (series, date) in SQL; the chart
 * module then only places each date in its period (ISO weeks need ICU's
 * calendar) and adds the sums. Every rule of dm_chart_add_json is
 * mirrored here, in the same order, so that the CSV, the counts of what was
 * left out and the most hostile statements are those of charting the JSON
 * Lines export of the same store (tests/e2e/store_chart.sh compares them).
 */
#include "store_internal.h"
#include "chart/chart_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct sqlbuf {
    char *s;
    size_t len, cap;
    bool failed;
} sqlbuf;

static void add(sqlbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(sqlbuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if (b->s && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)n;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->failed = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
}

/* A date key comparable with <= : YYYYMMDD with missing parts as 1 (as
 * dm_chart's window takes them). */
#define DATE_KEY "(d.year * 10000 + max(d.month, 1) * 100 + max(d.day, 1))"

static long date_key(int y, int m, int d)
{
    return y * 10000L + (m ? m : 1) * 100L + (d ? d : 1);
}

/* The condition that a parsed date is precise enough for the period. */
static const char *precise_enough(const dm_chart_options *o)
{
    switch (o->period) {
    case DM_PERIOD_YEAR: return "1";
    case DM_PERIOD_QUARTER: case DM_PERIOD_MONTH: return "d.month > 0";
    case DM_PERIOD_WEEK: case DM_PERIOD_DAY: return "d.day > 0";
    }
    return "1";
}

static void window(sqlbuf *b, const dm_chart_options *o)
{
    add(b, "1");
    if (o->has_from)
        add(b, " AND " DATE_KEY " >= %ld", date_key(o->from.year, o->from.month, o->from.day));
    if (o->has_to) {
        /* Inclusive: the whole year or month when the day is not given. */
        const dm_date *t = &o->to;
        add(b, " AND " DATE_KEY " <= %ld",
            t->year * 10000L + (t->month ? t->month : 12) * 100L + (t->day ? t->day : 31));
    }
}

/* The CTEs: base (statements with a usable date, with the chosen model's
 * hostility), tk (one row per series key a statement offers: u the
 * observation in chart units, NULL when not scored), obs (the observations
 * dm_chart_add_json makes). ?1 is the model. */
static void ctes(sqlbuf *b, const dm_chart_options *o)
{
    add(b, "WITH base AS (SELECT s.id AS sid, d.year AS y, d.month AS m, d.day AS dd,"
           " d.date AS date, d.doc_id AS doc, s.speaker AS speaker, s.speaker_actor AS sa,"
           " s.text AS text, h.level AS level, h.score AS score"
           " FROM documents d JOIN statements s ON s.document = d.id"
           " LEFT JOIN hostility h ON h.statement = s.id AND h.model = ?1"
           " WHERE d.latest = 1 AND d.year IS NOT NULL AND %s AND ", precise_enough(o));
    window(b, o);
    add(b, "), tk AS (");
    const char *rank = "coalesce(dm_round4(b.score * 4) / 4, -0.25) AS rank, coalesce(b.level, -1) AS level,"
                       " b.y, b.m, b.dd, b.date, b.doc, b.speaker, b.sa, b.text";
    bool hostility = o->metric == DM_METRIC_HOSTILITY;
    if (hostility && (o->by == DM_SERIES_SPEAKER_ACTOR || o->by == DM_SERIES_SPEAKER)) {
        const char *key = o->by == DM_SERIES_SPEAKER ? "b.speaker" : "b.sa";
        add(b, "SELECT b.sid, %s AS key, dm_hostility_units(b.score) AS u, 0 AS idx, %s"
               " FROM base b WHERE %s IS NOT NULL", key, rank, key);
    } else {
        const char *first = "b.sa", *key = "b.sa";
        switch (o->by) {
        case DM_SERIES_DYAD: first = "b.sa"; key = "b.sa || '>' || t.actor"; break;
        case DM_SERIES_TARGET: first = key = "t.actor"; break;
        case DM_SERIES_SPEAKER_ACTOR: first = key = "b.sa"; break;
        case DM_SERIES_SPEAKER: first = key = "b.speaker"; break;
        }
        const char *u = hostility ? "dm_hostility_units(b.score)"
                                  : "CASE x.stance WHEN 'against' THEN -10000 WHEN 'favor' THEN"
                                    " 10000 WHEN 'neutral' THEN 0 END"; /* + is favor */
        add(b, "SELECT b.sid, %s AS key, %s AS u, t.idx AS idx, %s FROM base b"
               " JOIN targets t ON t.statement = b.sid", key, u, rank);
        if (!hostility)
            add(b, " LEFT JOIN stance x ON x.target = t.id AND x.model = ?1");
        add(b, " WHERE %s IS NOT NULL", first);
        /* A statement about oneself is no stance toward another. */
        if (!o->include_self && (o->by == DM_SERIES_DYAD || o->by == DM_SERIES_TARGET))
            add(b, " AND (b.sa IS NULL OR t.actor <> b.sa)");
    }
    add(b, "), obs AS (");
    if (hostility)
        /* One observation per statement and series. */
        add(b, "SELECT sid, key, u, min(idx) AS idx, rank, level, y, m, dd, date, doc,"
               " speaker, sa, text FROM tk WHERE u IS NOT NULL GROUP BY sid, key");
    else
        add(b, "SELECT * FROM tk WHERE u IS NOT NULL");
    add(b, ") ");
}

/* "key IN (?2, ?3...)" for the series asked for, "1" for all. */
static void wanted(sqlbuf *b, const dm_chart_options *o, const char *col)
{
    if (o->n_series == 0) {
        add(b, "1");
        return;
    }
    add(b, "%s IN (", col);
    for (size_t i = 0; i < o->n_series; i++)
        add(b, "%s?%zu", i ? ", " : "", i + 2);
    add(b, ")");
}

static dm_status prepare(dm_store *s, sqlbuf *b, const dm_chart_options *o, long long model,
                         sqlite3_stmt **q, dm_error *err)
{
    if (b->failed)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    dm_status st = dm_store_prepare(s, b->s, q, err);
    if (st != DM_OK)
        return st;
    sqlite3_bind_int64(*q, 1, model);
    for (size_t i = 0; i < o->n_series; i++)
        sqlite3_bind_text(*q, (int)i + 2, o->series[i], -1, SQLITE_STATIC);
    return DM_OK;
}

/* What was read and left out for its date: classes as dm_chart_add_json
 * tests them, in its order. */
static dm_status count_dates(dm_store *s, const dm_chart_options *o, dm_chart_counts *c,
                             dm_error *err)
{
    sqlbuf b = {0};
    add(&b, "SELECT CASE WHEN d.date IS NULL THEN 0 WHEN d.year IS NULL THEN 1"
            " WHEN NOT (%s) THEN 2 WHEN NOT (", precise_enough(o));
    window(&b, o);
    add(&b, ") THEN 3 ELSE 4 END AS cls, count(*) FROM documents d"
            " JOIN statements s ON s.document = d.id WHERE d.latest = 1 GROUP BY cls");
    sqlite3_stmt *q = NULL;
    dm_status st = prepare(s, &b, o, 0, &q, err);
    free(b.s);
    if (st != DM_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        long n = (long)sqlite3_column_int64(q, 1);
        c->records += n;
        switch (sqlite3_column_int(q, 0)) {
        case 0: c->no_date += n; break;
        case 1: c->bad_date += n; break;
        case 2: c->coarse_date += n; break;
        case 3: c->outside_window += n; break;
        default: break;
        }
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? DM_OK : dm_store_sqlite_error(s, rc, "cannot chart", err);
}

/* Of the statements with a usable date: used, without a series key, not
 * scored, or only in series not asked for. */
static dm_status count_statements(dm_store *s, const dm_chart_options *o, long long model,
                                  dm_chart_counts *c, dm_error *err)
{
    sqlbuf b = {0};
    ctes(&b, o);
    add(&b, ", per AS (SELECT sid, max(u IS NOT NULL) AS scored, max(u IS NOT NULL AND ");
    wanted(&b, o, "key");
    add(&b, ") AS used FROM tk GROUP BY sid)"
            " SELECT count(*), coalesce(sum(per.sid IS NULL), 0),"
            " coalesce(sum(per.scored = 0), 0), coalesce(sum(per.used = 1), 0)"
            " FROM base LEFT JOIN per ON per.sid = base.sid");
    sqlite3_stmt *q = NULL;
    dm_status st = prepare(s, &b, o, model, &q, err);
    free(b.s);
    if (st != DM_OK)
        return st;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        long total = (long)sqlite3_column_int64(q, 0);
        c->no_series = (long)sqlite3_column_int64(q, 1);
        c->not_scored = (long)sqlite3_column_int64(q, 2);
        c->used = (long)sqlite3_column_int64(q, 3);
        c->filtered = total - c->no_series - c->not_scored - c->used;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? DM_OK : dm_store_sqlite_error(s, rc, "cannot chart", err);
}

static dm_status add_cells(dm_store *s, dm_chart *chart, const dm_chart_options *o,
                           long long model, dm_error *err)
{
    sqlbuf b = {0};
    ctes(&b, o);
    add(&b, "SELECT key, y, m, dd, count(*), sum(u), sum(u * u) FROM obs WHERE ");
    wanted(&b, o, "key");
    add(&b, " GROUP BY key, y, m, dd");
    sqlite3_stmt *q = NULL;
    dm_status st = prepare(s, &b, o, model, &q, err);
    free(b.s);
    if (st != DM_OK)
        return st;
    int rc;
    while (st == DM_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        dm_date d = {sqlite3_column_int(q, 1), sqlite3_column_int(q, 2), sqlite3_column_int(q, 3)};
        dm_status a = dm_chart_add_cell(chart, (const char *)sqlite3_column_text(q, 0), &d,
                                        (long)sqlite3_column_int64(q, 4),
                                        sqlite3_column_int64(q, 5), sqlite3_column_int64(q, 6));
        if (a == DM_E_NOMEM)
            st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        else if (a != DM_OK)
            st = dm_error_set(err, DM_E_INTERNAL, s->path, 0, "store: a date the chart refuses");
    }
    if (st == DM_OK && rc != SQLITE_DONE)
        st = dm_store_sqlite_error(s, rc, "cannot chart", err);
    sqlite3_finalize(q);
    return st;
}

/* The `top` most hostile statements of each series, most hostile first,
 * ties in the order stored. */
static dm_status add_examples(dm_store *s, dm_chart *chart, const dm_chart_options *o,
                              long long model, dm_error *err)
{
    if (o->top <= 0)
        return DM_OK;
    sqlbuf b = {0};
    ctes(&b, o);
    add(&b, "SELECT key, rank, level, speaker, sa, date, text, doc FROM (SELECT *, row_number()"
            " OVER (PARTITION BY key ORDER BY rank DESC, sid, idx) AS rn FROM obs WHERE ");
    wanted(&b, o, "key");
    add(&b, ") WHERE rn <= %d ORDER BY key, rn", o->top);
    sqlite3_stmt *q = NULL;
    dm_status st = prepare(s, &b, o, model, &q, err);
    free(b.s);
    if (st != DM_OK)
        return st;
    int rc;
    while (st == DM_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
#define TEXT(i) ((const char *)sqlite3_column_text(q, i))
        if (dm_chart_add_example(chart, TEXT(0), sqlite3_column_double(q, 1),
                                 sqlite3_column_int(q, 2), TEXT(3), TEXT(4), TEXT(5), TEXT(6),
                                 TEXT(7)) != DM_OK)
            st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
#undef TEXT
    }
    if (st == DM_OK && rc != SQLITE_DONE)
        st = dm_store_sqlite_error(s, rc, "cannot chart", err);
    sqlite3_finalize(q);
    return st;
}

dm_status dm_store_chart(dm_store *s, dm_chart *chart, const char *model_id, dm_error *err)
{
    if (!s || !chart)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_store_chart: NULL argument");
    const dm_chart_options *o = dm_chart_get_options(chart);
    long long model = 0;
    dm_chart_counts counts = {0};
    dm_status st = dm_store_model_key(s, model_id, &model, err);
    if (st == DM_OK)
        st = count_dates(s, o, &counts, err);
    if (st == DM_OK)
        st = count_statements(s, o, model, &counts, err);
    if (st == DM_OK)
        st = add_cells(s, chart, o, model, err);
    if (st == DM_OK)
        st = add_examples(s, chart, o, model, err);
    if (st == DM_OK)
        dm_chart_add_counts(chart, &counts);
    return st;
}
