/* Opening a store: the SQLite connection, its settings, the schema version
 * check and migration, the SQL functions. */
#include "store_internal.h"

#include "demarche/io.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Version 1: documents, statements, targets, models and scores.
 * Version 2: each document's date parsed into year, month and day (NULL
 * when it does not parse), so that charts filter and group dates in SQL;
 * an index for it; the views the README's example queries use.
 * Version 3: targets.repeated, 1 when an earlier target of the statement
 * names the same actor (a statement counts once in a series: charts skip
 * those rows instead of looking for earlier ones, a third of their time);
 * the views give the scales demarche now prints. */
static const char *const SCHEMA_V1 =
    "CREATE TABLE models("
    "  id INTEGER PRIMARY KEY,"
    "  model_id TEXT NOT NULL UNIQUE,"
    "  name TEXT, version TEXT, manifest TEXT);"
    "CREATE TABLE documents("
    "  id INTEGER PRIMARY KEY,"
    "  doc_id TEXT NOT NULL,"
    "  revision INTEGER NOT NULL,"
    "  latest INTEGER NOT NULL,"
    "  text_hash TEXT NOT NULL,"
    "  text_bytes INTEGER NOT NULL,"
    "  date TEXT, title TEXT, source TEXT, speaker TEXT, speaker_actor TEXT,"
    "  input TEXT, input_line INTEGER,"
    "  UNIQUE(doc_id, revision), UNIQUE(doc_id, text_hash));"
    "CREATE INDEX documents_latest ON documents(latest, id);"
    "CREATE TABLE statements("
    "  id INTEGER PRIMARY KEY,"
    "  document INTEGER NOT NULL REFERENCES documents(id),"
    "  n INTEGER NOT NULL,"
    "  speaker TEXT, speaker_role TEXT, speaker_actor TEXT, cue TEXT,"
    "  attribution TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,"
    "  start INTEGER NOT NULL, end INTEGER NOT NULL,"
    "  norm_start INTEGER NOT NULL, norm_end INTEGER NOT NULL,"
    "  context TEXT,"
    "  UNIQUE(document, n));"
    "CREATE TABLE targets("
    "  id INTEGER PRIMARY KEY,"
    "  statement INTEGER NOT NULL REFERENCES statements(id),"
    "  idx INTEGER NOT NULL,"
    "  actor TEXT NOT NULL, mention TEXT,"
    "  start INTEGER, end INTEGER, norm_start INTEGER, norm_end INTEGER,"
    "  UNIQUE(statement, idx));"
    "CREATE TABLE hostility("
    "  statement INTEGER NOT NULL REFERENCES statements(id),"
    "  model INTEGER NOT NULL REFERENCES models(id),"
    "  level INTEGER NOT NULL, score REAL NOT NULL,"
    "  PRIMARY KEY(statement, model)) WITHOUT ROWID;"
    "CREATE TABLE stance("
    "  target INTEGER NOT NULL REFERENCES targets(id),"
    "  model INTEGER NOT NULL REFERENCES models(id),"
    "  stance TEXT NOT NULL, score REAL NOT NULL,"
    "  p_against REAL NOT NULL, p_neutral REAL NOT NULL, p_favor REAL NOT NULL,"
    "  PRIMARY KEY(target, model)) WITHOUT ROWID;"
    "CREATE TABLE scored("
    "  document INTEGER NOT NULL REFERENCES documents(id),"
    "  model INTEGER NOT NULL REFERENCES models(id),"
    "  PRIMARY KEY(document, model)) WITHOUT ROWID;";

static const char *const MIGRATE_V1_V2 =
    "ALTER TABLE documents ADD COLUMN year INTEGER;"
    "ALTER TABLE documents ADD COLUMN month INTEGER;"
    "ALTER TABLE documents ADD COLUMN day INTEGER;"
    "UPDATE documents SET year = dm_date_part(date, 0), month = dm_date_part(date, 1),"
    "  day = dm_date_part(date, 2);"
    "CREATE INDEX documents_date ON documents(year, month, day);"
    /* One row per statement of a latest revision and model that scored it. */
    "CREATE VIEW scored_statements AS"
    "  SELECT d.doc_id, d.date, d.year, d.month, d.day, s.n, s.speaker, s.speaker_role,"
    "    s.speaker_actor, s.kind, s.text, m.model_id, m.version AS model_version,"
    "    h.level AS hostility_level, h.score AS hostility_score, s.id AS statement"
    "  FROM documents d JOIN statements s ON s.document = d.id"
    "  JOIN hostility h ON h.statement = s.id JOIN models m ON m.id = h.model"
    "  WHERE d.latest = 1;"
    /* One row per target of such a statement, with its stance. */
    "CREATE VIEW scored_targets AS"
    "  SELECT d.doc_id, d.date, d.year, d.month, d.day, s.n, s.speaker, s.speaker_actor,"
    "    t.actor AS target, (t.actor = s.speaker_actor) AS self, s.text, m.model_id,"
    "    x.stance, x.score AS stance_score, h.level AS hostility_level,"
    "    h.score AS hostility_score, s.id AS statement"
    "  FROM documents d JOIN statements s ON s.document = d.id"
    "  JOIN targets t ON t.statement = s.id"
    "  JOIN stance x ON x.target = t.id JOIN models m ON m.id = x.model"
    "  LEFT JOIN hostility h ON h.statement = s.id AND h.model = x.model"
    "  WHERE d.latest = 1;";

/* The views on the scales demarche prints (issue 17): the expected
 * hostility level 0-4 (hostility.score stays the expected level / 4, as
 * stores from schema 1 have it) and favor_minus_against. */
static const char *const MIGRATE_V2_V3 =
    "ALTER TABLE targets ADD COLUMN repeated INTEGER NOT NULL DEFAULT 0;"
    "UPDATE targets SET repeated = 1 WHERE EXISTS(SELECT 1 FROM targets t2"
    "  WHERE t2.statement = targets.statement AND t2.idx < targets.idx"
    "  AND t2.actor = targets.actor);"
    "DROP VIEW scored_statements;"
    "DROP VIEW scored_targets;"
    "CREATE VIEW scored_statements AS"
    "  SELECT d.doc_id, d.date, d.year, d.month, d.day, s.n, s.speaker, s.speaker_role,"
    "    s.speaker_actor, s.kind, s.text, m.model_id, m.version AS model_version,"
    "    h.level AS hostility_level, h.score * 4 AS hostility_expected, s.id AS statement"
    "  FROM documents d JOIN statements s ON s.document = d.id"
    "  JOIN hostility h ON h.statement = s.id JOIN models m ON m.id = h.model"
    "  WHERE d.latest = 1;"
    "CREATE VIEW scored_targets AS"
    "  SELECT d.doc_id, d.date, d.year, d.month, d.day, s.n, s.speaker, s.speaker_actor,"
    "    t.actor AS target, (t.actor = s.speaker_actor) AS self, t.repeated, s.text,"
    "    m.model_id, x.stance, x.score AS favor_minus_against, h.level AS hostility_level,"
    "    h.score * 4 AS hostility_expected, s.id AS statement"
    "  FROM documents d JOIN statements s ON s.document = d.id"
    "  JOIN targets t ON t.statement = s.id"
    "  JOIN stance x ON x.target = t.id JOIN models m ON m.id = x.model"
    "  LEFT JOIN hostility h ON h.statement = s.id AND h.model = x.model"
    "  WHERE d.latest = 1;";

dm_status dm_store_sqlite_error(dm_store *s, int rc, const char *what, dm_error *err)
{
    const char *msg = s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
    dm_status st = DM_E_IO;
    if (rc == SQLITE_NOMEM)
        st = DM_E_NOMEM;
    return dm_error_set(err, st, s ? s->path : NULL, 0, "store: %s: %s", what, msg);
}

dm_status dm_store_exec(dm_store *s, const char *sql, dm_error *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? DM_OK : dm_store_sqlite_error(s, rc, "cannot update", err);
}

dm_status dm_store_prepare(dm_store *s, const char *sql, sqlite3_stmt **out, dm_error *err)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, out, NULL);
    return rc == SQLITE_OK ? DM_OK : dm_store_sqlite_error(s, rc, "cannot prepare a query", err);
}

double dm_store_round4(double x)
{
    return round(x * 10000.0) / 10000.0;
}

/* dm_date_part(date, k): year (k 0), month (1) or day (2) of a date as
 * demarche reads it; 0 for a part not given; NULL when the date is NULL or
 * does not parse. */
static void sql_date_part(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *text = sqlite3_value_text(argv[0]);
    dm_date d;
    if (!text || dm_date_parse((const char *)text, &d, NULL) != DM_OK) {
        sqlite3_result_null(ctx);
        return;
    }
    int k = sqlite3_value_int(argv[1]);
    sqlite3_result_int(ctx, k == 0 ? d.year : k == 1 ? d.month : d.day);
}

/* dm_round4(score): the score as printed (4 decimals). */
static void sql_round4(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_double(ctx, dm_store_round4(sqlite3_value_double(argv[0])));
}

/* dm_hostility_units(score): the hostility observation a chart makes of a
 * stored score (expected level / 4): the expected level as printed (0-4, 4
 * decimals), in chart units (see src/chart). */
static void sql_hostility_units(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_int64(ctx, llround(dm_store_round4(sqlite3_value_double(argv[0]) * 4.0) *
                                          10000.0));
}

dm_status dm_store_register_functions(dm_store *s, dm_error *err)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    int rc = sqlite3_create_function(s->db, "dm_date_part", 2, flags, NULL, sql_date_part,
                                     NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(s->db, "dm_round4", 1, flags, NULL, sql_round4, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(s->db, "dm_hostility_units", 1, flags, NULL,
                                     sql_hostility_units, NULL, NULL);
    return rc == SQLITE_OK ? DM_OK : dm_store_sqlite_error(s, rc, "cannot register functions", err);
}

static dm_status set_user_version(dm_store *s, int version, dm_error *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
    return dm_store_exec(s, sql, err);
}

/* From `from` (>= 1) to the current version, each step with its version
 * number, all in the caller's transaction. */
static dm_status migrate_steps(dm_store *s, int from, dm_error *err)
{
    dm_status st = DM_OK;
    if (from < 2 && (st = dm_store_exec(s, MIGRATE_V1_V2, err)) == DM_OK)
        st = set_user_version(s, 2, err);
    if (st == DM_OK && from < 3 && (st = dm_store_exec(s, MIGRATE_V2_V3, err)) == DM_OK)
        st = set_user_version(s, 3, err);
    return st;
}

dm_status dm_store_create_schema(dm_store *s, int version, dm_error *err)
{
    if (version < 1 || version > DM_STORE_SCHEMA_VERSION)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "store: no schema version %d",
                            version);
    dm_status st = dm_store_exec(s, "BEGIN IMMEDIATE", err);
    if (st != DM_OK)
        return st;
    if ((st = dm_store_exec(s, SCHEMA_V1, err)) == DM_OK &&
        (st = set_user_version(s, 1, err)) == DM_OK && version > 1)
        st = migrate_steps(s, 1, err);
    if (st == DM_OK && (st = dm_store_exec(s, "COMMIT", err)) == DM_OK)
        return DM_OK;
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

/* One statement, so one snapshot: read as two, another task of the same
 * sharded job could commit the schema between them, and a store it just
 * created would look like "not a demarche store" (tables, no version). */
static dm_status read_user_version(dm_store *s, int *version, bool *empty, dm_error *err)
{
    sqlite3_stmt *q = NULL;
    dm_status st = dm_store_prepare(s,
                                    "SELECT (SELECT user_version FROM pragma_user_version),"
                                    " (SELECT count(*) FROM sqlite_master)",
                                    &q, err);
    if (st != DM_OK)
        return st;
    int rc = sqlite3_step(q);
    *version = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    *empty = rc == SQLITE_ROW && sqlite3_column_int(q, 1) == 0;
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW)
        return dm_store_sqlite_error(s, rc, "not a store (cannot read its schema version)", err);
    return DM_OK;
}

static const char *const WRITE_SQL[Q_COUNT] = {
    [Q_LOOKUP] = "SELECT id, revision, text_hash, latest FROM documents WHERE doc_id = ?1"
                 " ORDER BY revision",
    [Q_SCORED] = "SELECT 1 FROM scored WHERE document = ?1 AND model = ?2",
    [Q_INSERT_DOCUMENT] =
        "INSERT INTO documents(doc_id, revision, latest, text_hash, text_bytes, date, title,"
        " source, speaker, speaker_actor, input, input_line, year, month, day)"
        " VALUES(?1, ?2, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
        " dm_date_part(?5, 0), dm_date_part(?5, 1), dm_date_part(?5, 2))",
    [Q_SUPERSEDE] = "UPDATE documents SET latest = 0 WHERE doc_id = ?1 AND latest = 1",
    [Q_INSERT_STATEMENT] =
        "INSERT INTO statements(document, n, speaker, speaker_role, speaker_actor, cue,"
        " attribution, kind, text, start, end, norm_start, norm_end, context)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [Q_INSERT_TARGET] =
        "INSERT INTO targets(statement, idx, actor, mention, start, end, norm_start, norm_end,"
        " repeated) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [Q_INSERT_HOSTILITY] =
        "INSERT OR REPLACE INTO hostility(statement, model, level, score) VALUES(?1, ?2, ?3, ?4)",
    [Q_INSERT_STANCE] =
        "INSERT OR REPLACE INTO stance(target, model, stance, score, p_against, p_neutral,"
        " p_favor) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_INSERT_SCORED] = "INSERT OR IGNORE INTO scored(document, model) VALUES(?1, ?2)",
    [Q_STATEMENT_IDS] = "SELECT id, n FROM statements WHERE document = ?1 ORDER BY n",
    [Q_TARGET_IDS] = "SELECT id, idx FROM targets WHERE statement = ?1 ORDER BY idx",
};

static dm_status check_version(dm_store *s, int version, bool empty, dm_error *err)
{
    if (version > DM_STORE_SCHEMA_VERSION)
        return dm_error_set(err, DM_E_VERSION, s->path, 0,
                            "store schema version %d is newer than this demarche reads (%d):"
                            " use a newer demarche", version, DM_STORE_SCHEMA_VERSION);
    if (version == 0 && !empty)
        return dm_error_set(err, DM_E_FORMAT, s->path, 0,
                            "an SQLite database that is not a demarche store (no schema version)");
    return DM_OK;
}

/* Dates a store parsed as NULL that this demarche reads (GDELT's
 * YYYYMMDD, read since December 2026). Opened for writing, the store
 * parses them again, so that its charts count them as dates; opened
 * read-only, it is left as it is and its charts parse them as they read
 * (store_chart.c, documents_of). Looked for first (no write lock when
 * there are none, the usual case); the rows are found by the date index
 * (year IS NULL). */
#define STALE_DATES " WHERE year IS NULL AND date IS NOT NULL AND dm_date_part(date, 0) IS NOT NULL"

static dm_status find_stale_dates(dm_store *s, dm_error *err)
{
    sqlite3_stmt *q = NULL;
    dm_status st = dm_store_prepare(s, "SELECT EXISTS(SELECT 1 FROM documents" STALE_DATES ")",
                                    &q, err);
    if (st != DM_OK)
        return st;
    int rc = sqlite3_step(q);
    s->stale_dates = rc == SQLITE_ROW && sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? DM_OK : dm_store_sqlite_error(s, rc, "cannot read documents", err);
}

static dm_status reparse_dates(dm_store *s, dm_error *err)
{
    dm_status st = find_stale_dates(s, err);
    if (st != DM_OK || !s->stale_dates)
        return st;
    s->stale_dates = false;
    return dm_store_exec(s, "UPDATE documents SET year = dm_date_part(date, 0),"
                            " month = dm_date_part(date, 1), day = dm_date_part(date, 2)"
                            STALE_DATES, err);
}

static dm_status configure(dm_store *s, dm_error *err)
{
    dm_status st = dm_store_register_functions(s, err);
    if (st != DM_OK)
        return st;
    sqlite3_busy_timeout(s->db, 10000); /* another writer's batch */
    int version = 0;
    bool empty = false;
    if ((st = read_user_version(s, &version, &empty, err)) != DM_OK ||
        (st = check_version(s, version, empty, err)) != DM_OK)
        return st;
    s->opened_version = version;
    if (!s->writable) {
        if (version == 0)
            return dm_error_set(err, DM_E_FORMAT, s->path, 0, "an empty file, not a store");
        if (version < DM_STORE_SCHEMA_VERSION)
            return dm_error_set(err, DM_E_VERSION, s->path, 0,
                                "store schema version %d is older than this demarche reads (%d):"
                                " open it once for writing (demarche-score --db) to migrate it",
                                version, DM_STORE_SCHEMA_VERSION);
        return find_stale_dates(s, err);
    }
    /* WAL: readers do not block the writer, and a crash leaves the last
     * committed batch. NORMAL sync is durable to the last commit but one
     * on power loss, never corrupt. */
    if ((st = dm_store_exec(s, "PRAGMA journal_mode = WAL", err)) != DM_OK ||
        (st = dm_store_exec(s, "PRAGMA synchronous = NORMAL", err)) != DM_OK ||
        (st = dm_store_exec(s, "PRAGMA foreign_keys = ON", err)) != DM_OK)
        return st;
    if (version < DM_STORE_SCHEMA_VERSION) {
        /* Under the write lock, look again: another process (a task of
         * the same sharded job) may have created or migrated it meanwhile. */
        if ((st = dm_store_exec(s, "BEGIN IMMEDIATE", err)) != DM_OK)
            return st;
        if ((st = read_user_version(s, &version, &empty, err)) == DM_OK &&
            (st = check_version(s, version, empty, err)) == DM_OK) {
            if (version == 0 && (st = dm_store_exec(s, SCHEMA_V1, err)) == DM_OK)
                st = set_user_version(s, version = 1, err);
            if (st == DM_OK && version < DM_STORE_SCHEMA_VERSION)
                st = migrate_steps(s, version, err);
        }
        if (st == DM_OK)
            st = dm_store_exec(s, "COMMIT", err);
        if (st != DM_OK) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return st;
        }
    }
    if (st == DM_OK)
        st = reparse_dates(s, err);
    for (int i = 0; st == DM_OK && i < Q_COUNT; i++)
        st = dm_store_prepare(s, WRITE_SQL[i], &s->q[i], err);
    return st;
}

static dm_status max_document_key(dm_store *s, long long *key, dm_error *err)
{
    sqlite3_stmt *q = NULL;
    dm_status st = dm_store_prepare(s, "SELECT coalesce(max(id), 0) FROM documents", &q, err);
    if (st != DM_OK)
        return st;
    int rc = sqlite3_step(q);
    *key = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? DM_OK : dm_store_sqlite_error(s, rc, "cannot read documents", err);
}

dm_status dm_store_open(const char *path, int flags, dm_store **out, dm_error *err)
{
    if (!path || !out || (flags & ~(DM_STORE_WRITE | DM_STORE_LOOKUP_AS_OPENED)))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_store_open: invalid argument");
    *out = NULL;
    struct stat sb;
    if (!(flags & DM_STORE_WRITE) && stat(path, &sb) != 0)
        return dm_error_set(err, DM_E_NOT_FOUND, path, 0, "no such store");
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return dm_error_set(err, DM_E_IO, path, 0, "a store is a regular file");
    dm_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    s->writable = flags & DM_STORE_WRITE;
    s->batch = DM_STORE_DEFAULT_BATCH;
    int oflags = s->writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    int rc = sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    dm_status st = rc == SQLITE_OK ? configure(s, err)
                                   : dm_store_sqlite_error(s, rc, "cannot open", err);
    s->lookup_as_opened = flags & DM_STORE_LOOKUP_AS_OPENED;
    if (st == DM_OK && s->lookup_as_opened)
        st = max_document_key(s, &s->opened_max_key, err);
    if (st == DM_E_IO && sqlite3_errcode(s->db) == SQLITE_NOTADB)
        st = dm_error_set(err, DM_E_FORMAT, path, 0, "not an SQLite file, so not a store");
    /* A file shorter than its header says (a copy cut short) fails here. */
    else if (st == DM_E_IO && sqlite3_errcode(s->db) == SQLITE_CORRUPT)
        st = dm_error_set(err, DM_E_FORMAT, path, 0,
                          "a damaged store (truncated or corrupt: %s)", sqlite3_errmsg(s->db));
    if (st != DM_OK) {
        dm_store_close(&s);
        return st;
    }
    *out = s;
    return DM_OK;
}

int dm_store_opened_version(const dm_store *s)
{
    return s ? s->opened_version : -1;
}

void dm_store_close(dm_store **sp)
{
    if (!sp || !*sp)
        return;
    dm_store *s = *sp;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(s->q[i]);
    if (s->db) {
        if (s->in_transaction)
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(s->db);
    }
    free(s->path);
    free(s);
    *sp = NULL;
}

dm_status dm_store_set_batch(dm_store *s, int documents, dm_error *err)
{
    if (!s || documents < 1)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_store_set_batch: a batch holds at least one document");
    s->batch = documents;
    return DM_OK;
}

dm_status dm_store_begin(dm_store *s, dm_error *err)
{
    if (s->in_transaction)
        return DM_OK;
    dm_status st = dm_store_exec(s, "BEGIN IMMEDIATE", err);
    if (st == DM_OK) {
        s->in_transaction = true;
        s->in_batch = 0;
    }
    return st;
}

dm_status dm_store_commit(dm_store *s, dm_error *err)
{
    if (!s)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_store_commit: NULL store");
    if (!s->in_transaction)
        return DM_OK;
    dm_status st = dm_store_exec(s, "COMMIT", err);
    if (st != DM_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    s->in_transaction = false;
    s->in_batch = 0;
    return st;
}

dm_status dm_store_batch_done(dm_store *s, dm_error *err)
{
    if (++s->in_batch >= s->batch)
        return dm_store_commit(s, err);
    return DM_OK;
}
