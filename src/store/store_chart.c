/*
 * Charting from a store: the statements of the latest revisions are
 * filtered, keyed by series and summed by (series, date) in SQL; the chart
 * module then only places each date in its period (ISO weeks need ICU's
 * calendar) and adds the sums. Every rule of dm_chart_add is
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

/* How statements become observations, for the options: the series key
 * of a target row (t), the condition that the statement has the key's
 * first part, the condition that the target is not the speaker's own
 * actor (when self targets are left out). */
typedef struct keying {
    bool by_statement;       /* hostility by speaker actor or speaker: no targets */
    bool hostility;
    const char *key;         /* SQL over b (statement) and t (target) */
    const char *first_ok;
    const char *not_self;
} keying;

static keying keying_of(const dm_chart_options *o)
{
    keying k = {.hostility = o->metric == DM_METRIC_HOSTILITY, .first_ok = "1", .not_self = "1"};
    k.by_statement = k.hostility && (o->by == DM_SERIES_SPEAKER_ACTOR || o->by == DM_SERIES_SPEAKER);
    switch (o->by) {
    case DM_SERIES_DYAD: k.key = "b.sa || '>' || t.actor"; k.first_ok = "b.sa IS NOT NULL"; break;
    case DM_SERIES_TARGET: k.key = "t.actor"; break;
    case DM_SERIES_SPEAKER_ACTOR: k.key = "b.sa"; k.first_ok = "b.sa IS NOT NULL"; break;
    case DM_SERIES_SPEAKER: k.key = "b.speaker"; k.first_ok = "b.speaker IS NOT NULL"; break;
    }
    /* A statement about oneself is no stance toward another. */
    if (!o->include_self && (o->by == DM_SERIES_DYAD || o->by == DM_SERIES_TARGET))
        k.not_self = "(b.sa IS NULL OR t.actor <> b.sa)";
    return k;
}

/* "key IN (?2, ?3...)" for the series asked for, "1" for all. */
static void wanted(sqlbuf *b, const dm_chart_options *o, const char *col)
{
    if (o->n_series == 0) {
        add(b, "1");
        return;
    }
    add(b, "%s COLLATE NOCASE IN (", col); /* --series ignores case, as dm_chart does */
    for (size_t i = 0; i < o->n_series; i++)
        add(b, "%s?%zu", i ? ", " : "", i + 2);
    add(b, ")");
}

/* The statements of the latest revisions as b, with the chosen model's
 * hostility (?1 is the model). */
#define BASE_COLUMNS                                                                          \
    "s.id AS sid, d.year AS y, d.month AS m, d.day AS dd, d.date AS date, d.doc_id AS doc,"  \
    " s.speaker AS speaker, s.speaker_actor AS sa, s.text AS text, h.level AS level,"        \
    " h.score AS score"
#define BASE_FROM                                                                             \
    " FROM %s d JOIN statements s ON s.document = d.id"                                      \
    " LEFT JOIN hostility h ON h.statement = s.id AND h.model = ?1 WHERE d.latest = 1"

/* BASE_FROM's documents: the table, or, in a store opened read-only whose
 * rows hold dates this demarche reads that an older one could not parse
 * (dm_store's stale_dates), the table with those dates parsed here, as
 * opening it for writing would store them. */
static const char *documents_of(const dm_store *s)
{
    return s->stale_dates
        ? "(SELECT id, doc_id, latest, date,"
          " CASE WHEN year IS NULL AND date IS NOT NULL THEN dm_date_part(date, 0) ELSE year END"
          " AS year,"
          " CASE WHEN year IS NULL AND date IS NOT NULL THEN dm_date_part(date, 1) ELSE month END"
          " AS month,"
          " CASE WHEN year IS NULL AND date IS NOT NULL THEN dm_date_part(date, 2) ELSE day END"
          " AS day FROM documents)"
        : "documents";
}

/* The CTE obs: one row per observation dm_chart_add makes of a
 * statement with a usable date: its series key, its value u in chart
 * units, its rank for the most hostile statements. */
static void obs_cte(sqlbuf *b, const dm_store *s, const dm_chart_options *o)
{
    keying k = keying_of(o);
    add(b, "WITH base AS (SELECT " BASE_COLUMNS BASE_FROM " AND d.year IS NOT NULL AND %s AND ",
        documents_of(s), precise_enough(o));
    window(b, o);
    add(b, "), obs AS (SELECT b.sid, %s AS key, ", k.by_statement ? (o->by == DM_SERIES_SPEAKER
                                                                      ? "b.speaker" : "b.sa")
                                                                : k.key);
    add(b, "%s AS u, ", k.hostility ? "dm_hostility_units(b.score)"
                                    : "CASE x.stance WHEN 'against' THEN -10000 WHEN 'favor' THEN"
                                      " 10000 ELSE 0 END"); /* + is favour */
    add(b, "%s AS idx, coalesce(dm_round4(b.score * 4) / 4, -0.25) AS rank, coalesce(b.level, -1) AS level,"
           " b.y, b.m, b.dd, b.date, b.doc, b.speaker, b.sa, b.text, ",
        k.by_statement ? "0" : "t.idx");
    /* The target an example names: the series' own, or (a speaker's
     * series) all the statement's targets, as dm_chart_add lists them;
     * the stance toward it (stance charts). */
    if (k.by_statement)
        add(b, "(SELECT group_concat(actor, ', ') FROM (SELECT actor FROM targets"
               " WHERE statement = b.sid ORDER BY idx)) AS target, NULL AS stance");
    else
        add(b, "t.actor AS target, %s AS stance", k.hostility ? "NULL" : "x.stance");
    add(b, " FROM base b");
    if (k.by_statement) {
        add(b, " WHERE %s IS NOT NULL AND b.score IS NOT NULL",
            o->by == DM_SERIES_SPEAKER ? "b.speaker" : "b.sa");
    } else if (k.hostility) {
        /* One observation per statement and series: a target whose actor
         * an earlier target of the statement has adds nothing. */
        add(b, " JOIN targets t ON t.statement = b.sid WHERE b.score IS NOT NULL AND %s AND %s"
               " AND t.repeated = 0", k.first_ok, k.not_self);
    } else {
        add(b, " JOIN targets t ON t.statement = b.sid"
               " JOIN stance x ON x.target = t.id AND x.model = ?1 WHERE %s AND %s",
            k.first_ok, k.not_self);
    }
    add(b, ") ");
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

/* What was read, and what was left out and why, in one pass without a
 * sort: the date (none, unparsable, coarser than the period, outside the
 * window), then for the statements with a usable date: no series key, not
 * scored, used, or only in series not asked for; as dm_chart_add
 * tests them, in its order. */
static dm_status count_statements(dm_store *s, const dm_chart_options *o, long long model,
                                  dm_chart_counts *c, dm_error *err)
{
    keying k = keying_of(o);
    bool key_of_statement = o->by == DM_SERIES_SPEAKER_ACTOR || o->by == DM_SERIES_SPEAKER;
    sqlbuf b = {0};
    /* Per statement: cls, its date class; hk, it has a series key; sc, it
     * has an observation; uw, one in a series asked for. From the inner
     * query (kept whole by its LIMIT, so that each subquery runs once a
     * row): nk, its targets with a key (for stance, times 2^32, plus those
     * with a stance), and uw when the key is a target's. */
    add(&b, "SELECT count(*), total(cls = 0), total(cls = 1), total(cls = 2), total(cls = 3),"
            " total(cls = 4), total(cls = 4 AND NOT hk), total(cls = 4 AND hk AND NOT sc),"
            " total(cls = 4 AND hk AND sc AND uw) FROM (SELECT cls, ");
    if (k.by_statement) {
        add(&b, "%s IS NOT NULL AS hk, b.score IS NOT NULL AS sc, ",
            o->by == DM_SERIES_SPEAKER ? "b.speaker" : "b.sa");
        wanted(&b, o, o->by == DM_SERIES_SPEAKER ? "b.speaker" : "b.sa");
        add(&b, " AS uw");
    } else {
        /* An aggregate in a subquery must not take outer columns only:
         * SQLite would make it the outer query's. */
        add(&b, "%s AND %s > 0 AS hk, %s AS sc, ", k.first_ok, k.hostility ? "nk" : "(nk >> 32)",
            k.hostility ? "b.score IS NOT NULL" : "(nk & 4294967295) > 0");
        if (o->n_series == 0)
            add(&b, "1");
        else if (key_of_statement)
            wanted(&b, o, k.key);
        else
            add(&b, "uw");
        add(&b, " AS uw");
    }
    add(&b, " FROM (SELECT b.*");
    if (!k.by_statement) {
        /* Stance: targets with a key times 2^32, plus those with a stance. */
        if (k.hostility)
            add(&b, ", CASE WHEN cls = 4 THEN (SELECT count(*) FROM targets t WHERE"
                    " t.statement = b.sid AND %s) END AS nk", k.not_self);
        else
            add(&b, ", CASE WHEN cls = 4 THEN (SELECT count(*) * 4294967296 + count(x.stance)"
                    " FROM targets t LEFT JOIN stance x ON x.target = t.id AND x.model = ?1"
                    " WHERE t.statement = b.sid AND %s) END AS nk", k.not_self);
        if (o->n_series > 0 && !key_of_statement) {
            add(&b, ", CASE WHEN cls = 4 THEN EXISTS(SELECT 1 FROM targets t%s WHERE"
                    " t.statement = b.sid AND %s AND ",
                k.hostility ? "" : " JOIN stance x ON x.target = t.id AND x.model = ?1",
                k.not_self);
            wanted(&b, o, k.key);
            add(&b, ") END AS uw");
        }
    }
    add(&b, " FROM (SELECT " BASE_COLUMNS ", CASE WHEN d.date IS NULL OR trim(d.date, char(32, 9, 10, 11, 12, 13)) = '' THEN 0"
            " WHEN d.year IS NULL THEN 1 WHEN NOT (%s) THEN 2 WHEN NOT (", precise_enough(o));
    window(&b, o);
    add(&b, ") THEN 3 ELSE 4 END AS cls" BASE_FROM ") b LIMIT -1) b LIMIT -1)", documents_of(s));
    sqlite3_stmt *q = NULL;
    dm_status st = prepare(s, &b, o, model, &q, err);
    free(b.s);
    if (st != DM_OK)
        return st;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        c->records = (long)sqlite3_column_int64(q, 0);
        c->no_date = (long)sqlite3_column_int64(q, 1);
        c->bad_date = (long)sqlite3_column_int64(q, 2);
        c->coarse_date = (long)sqlite3_column_int64(q, 3);
        c->outside_window = (long)sqlite3_column_int64(q, 4);
        long usable = (long)sqlite3_column_int64(q, 5);
        c->no_series = (long)sqlite3_column_int64(q, 6);
        c->not_scored = (long)sqlite3_column_int64(q, 7);
        c->used = (long)sqlite3_column_int64(q, 8);
        c->filtered = usable - c->no_series - c->not_scored - c->used;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? DM_OK : dm_store_sqlite_error(s, rc, "cannot chart", err);
}

/* The highest ranks of a series' cells: its `top`-th highest bounds the
 * rank of its `top`-th most hostile statement from below (those cells'
 * maxima are `top` statements at least that high). */
typedef struct threshold {
    char *key;
    double *best;            /* descending, at most top */
    int n;
} threshold;

static void offer(threshold *t, double rank, int top)
{
    int pos = t->n < top ? t->n++ : top;
    if (pos == top && (top == 0 || t->best[top - 1] >= rank))
        return;
    if (pos == top)
        pos = top - 1;
    while (pos > 0 && t->best[pos - 1] < rank) {
        t->best[pos] = t->best[pos - 1];
        pos--;
    }
    t->best[pos] = rank;
}

/* Sums by series and date, at the precision the period needs (one sort
 * of the observations: the only one); each cell's highest rank goes to the
 * series' threshold. */
static dm_status add_cells(dm_store *s, dm_chart *chart, const dm_chart_options *o,
                           long long model, threshold **ths, size_t *n_ths, dm_error *err)
{
    const char *month = "0", *day = "0";
    switch (o->period) {
    case DM_PERIOD_YEAR: break;
    case DM_PERIOD_QUARTER: month = "((m - 1) / 3) * 3 + 1"; break;
    case DM_PERIOD_MONTH: month = "m"; break;
    case DM_PERIOD_WEEK: case DM_PERIOD_DAY: month = "m"; day = "dd"; break;
    }
    sqlbuf b = {0};
    obs_cte(&b, s, o);
    /* Every key, asked for or not: the chart counts the others, to name
     * them when a series asked for is not there. */
    add(&b, "SELECT key, y, %s AS cm, %s AS cd, count(*), sum(u), sum(u * u), max(rank),", month,
        day);
    wanted(&b, o, "key");
    add(&b, " FROM obs GROUP BY key, y, cm, cd ORDER BY key, y, cm, cd");
    sqlite3_stmt *q = NULL;
    dm_status st = prepare(s, &b, o, model, &q, err);
    free(b.s);
    if (st != DM_OK)
        return st;
    size_t cap = 0;
    int rc;
    while (st == DM_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(q, 0);
        dm_date d = {sqlite3_column_int(q, 1), sqlite3_column_int(q, 2), sqlite3_column_int(q, 3)};
        dm_status a = dm_chart_add_cell(chart, key, &d, (long)sqlite3_column_int64(q, 4),
                                        sqlite3_column_int64(q, 5), sqlite3_column_int64(q, 6));
        if (a == DM_E_NOMEM) {
            st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        if (a != DM_OK) {
            st = dm_error_set(err, DM_E_INTERNAL, s->path, 0, "store: a date the chart refuses");
            break;
        }
        if (!sqlite3_column_int(q, 8))
            continue; /* not asked for: no most hostile statements */
        if (*n_ths == 0 || strcmp((*ths)[*n_ths - 1].key, key) != 0) {
            if (*n_ths == cap) {
                cap = cap ? cap * 2 : 64;
                threshold *nt = realloc(*ths, cap * sizeof *nt);
                if (!nt) {
                    st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
                    break;
                }
                *ths = nt;
            }
            threshold *t = &(*ths)[(*n_ths)++];
            t->key = strdup(key);
            t->best = calloc((size_t)(o->top > 0 ? o->top : 1), sizeof *t->best);
            t->n = 0;
            if (!t->key || !t->best) {
                st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
                break;
            }
        }
        offer(&(*ths)[*n_ths - 1], sqlite3_column_double(q, 7), o->top);
    }
    if (st == DM_OK && rc != SQLITE_DONE)
        st = dm_store_sqlite_error(s, rc, "cannot chart", err);
    sqlite3_finalize(q);
    return st;
}

/* The `top` most hostile statements of each series, most hostile first,
 * ties in the order stored: only observations at or above their series'
 * threshold are sorted. */
static dm_status add_examples(dm_store *s, dm_chart *chart, const dm_chart_options *o,
                              long long model, const threshold *ths, size_t n_ths,
                              dm_error *err)
{
    if (o->top <= 0 || n_ths == 0)
        return DM_OK;
    dm_status st = dm_store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS dm_chart_threshold("
                                    "key TEXT PRIMARY KEY, rank REAL NOT NULL) WITHOUT ROWID;"
                                    " DELETE FROM temp.dm_chart_threshold", err);
    sqlite3_stmt *q = NULL;
    if (st == DM_OK)
        st = dm_store_prepare(s, "INSERT INTO temp.dm_chart_threshold VALUES(?1, ?2)", &q, err);
    for (size_t i = 0; st == DM_OK && i < n_ths; i++) {
        /* Fewer cells than `top`: every observation of the series. */
        double t = ths[i].n < o->top ? -1e300 : ths[i].best[o->top - 1];
        sqlite3_bind_text(q, 1, ths[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_double(q, 2, t);
        int rc = sqlite3_step(q);
        sqlite3_reset(q);
        if (rc != SQLITE_DONE)
            st = dm_store_sqlite_error(s, rc, "cannot chart", err);
    }
    sqlite3_finalize(q);
    q = NULL;
    if (st != DM_OK)
        return st;
    sqlbuf b = {0};
    obs_cte(&b, s, o);
    if (o->point_examples) {
        /* The `top` of every period (the page lists them), which hold
         * each series' `top` too: all observations are ranked. */
        const char *month = "0", *day = "0";
        switch (o->period) {
        case DM_PERIOD_YEAR: break;
        case DM_PERIOD_QUARTER: month = "((m - 1) / 3) * 3 + 1"; break;
        case DM_PERIOD_MONTH: month = "m"; break;
        case DM_PERIOD_WEEK: case DM_PERIOD_DAY: month = "m"; day = "dd"; break;
        }
        add(&b, "SELECT key, rank, level, speaker, sa, date, text, doc, y, cm, cd, target, stance"
                " FROM (SELECT obs.*, %s AS cm, %s AS cd, row_number() OVER (PARTITION BY obs.key,"
                " y, %s, %s ORDER BY obs.rank DESC, obs.sid, obs.idx) AS rn FROM obs WHERE ",
            month, day, month, day);
        wanted(&b, o, "key");
        add(&b, ") WHERE rn <= %d ORDER BY key, rank DESC, sid, idx", o->top);
    } else {
        add(&b, "SELECT key, rank, level, speaker, sa, date, text, doc, NULL, NULL, NULL, target,"
                " stance FROM (SELECT obs.*, row_number() OVER (PARTITION BY obs.key ORDER BY"
                " obs.rank DESC, obs.sid, obs.idx) AS rn FROM obs JOIN temp.dm_chart_threshold th"
                " ON th.key = obs.key AND obs.rank >= th.rank) WHERE rn <= %d ORDER BY key, rn",
            o->top);
    }
    st = prepare(s, &b, o, model, &q, err);
    free(b.s);
    if (st != DM_OK)
        return st;
    int rc;
    while (st == DM_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
#define TEXT(i) ((char *)sqlite3_column_text(q, i))
        const char *stance = TEXT(12);
        dm_chart_example e = {
            .value = sqlite3_column_double(q, 1), .level = sqlite3_column_int(q, 2),
            .stance = !stance ? -1 : strcmp(stance, "against") == 0 ? DM_STANCE_AGAINST
                    : strcmp(stance, "favor") == 0 ? DM_STANCE_FAVOR : DM_STANCE_NEUTRAL,
            .speaker = TEXT(3), .speaker_actor = TEXT(4), .date = TEXT(5), .text = TEXT(6),
            .doc = TEXT(7), .target = TEXT(11)};
        dm_date d = {sqlite3_column_int(q, 8), sqlite3_column_int(q, 9), sqlite3_column_int(q, 10)};
        dm_status a = dm_chart_add_example(chart, TEXT(0), o->point_examples ? &d : NULL, &e);
        if (a == DM_E_NOMEM)
            st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        else if (a != DM_OK)
            st = dm_error_set(err, DM_E_INTERNAL, s->path, 0, "store: a date the chart refuses");
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
    threshold *ths = NULL;
    size_t n_ths = 0;
    dm_status st = dm_store_model_key(s, model_id, &model, err);
    if (st == DM_OK)
        st = count_statements(s, o, model, &counts, err);
    if (st == DM_OK)
        st = add_cells(s, chart, o, model, &ths, &n_ths, err);
    if (st == DM_OK)
        st = add_examples(s, chart, o, model, ths, n_ths, err);
    if (st == DM_OK)
        dm_chart_add_counts(chart, &counts);
    for (size_t i = 0; i < n_ths; i++) {
        free(ths[i].key);
        free(ths[i].best);
    }
    free(ths);
    return st;
}
