/* Private parts of the store module, shared by its files. */
#ifndef DM_STORE_INTERNAL_H
#define DM_STORE_INTERNAL_H

#include "demarche/store.h"

#include <sqlite3.h>

/* Prepared statements kept for the life of the connection (write path). */
enum {
    Q_LOOKUP = 0,        /* (doc_id) -> id, revision, text_hash, latest */
    Q_SCORED,            /* (document, model) -> 1 */
    Q_INSERT_DOCUMENT,
    Q_SUPERSEDE,         /* (doc_id): latest = 0 */
    Q_INSERT_STATEMENT,
    Q_INSERT_TARGET,
    Q_INSERT_HOSTILITY,
    Q_INSERT_STANCE,
    Q_INSERT_SCORED,
    Q_STATEMENT_IDS,     /* (document) -> id, n */
    Q_TARGET_IDS,        /* (statement) -> id, idx */
    Q_COUNT
};

struct dm_store {
    sqlite3 *db;
    char *path;
    bool writable;
    int opened_version;
    int batch;               /* documents per transaction */
    int in_batch;            /* documents written in the open transaction */
    bool in_transaction;
    long long model;         /* models.id of the current model, 0 if none */
    bool lookup_as_opened;   /* DM_STORE_LOOKUP_AS_OPENED */
    long long opened_max_key; /* the largest documents.id when opened */
    bool stale_dates;        /* read-only: dates to parse again (store_open.c, reparse_dates) */
    sqlite3_stmt *q[Q_COUNT];
};

/* Fill err from the connection's last error, naming the store's path. */
dm_status dm_store_sqlite_error(dm_store *s, int rc, const char *what, dm_error *err);
/* Run SQL without results. */
dm_status dm_store_exec(dm_store *s, const char *sql, dm_error *err);
/* Prepare `sql` (caller finalizes). */
dm_status dm_store_prepare(dm_store *s, const char *sql, sqlite3_stmt **out, dm_error *err);
/* The models.id of `model_id`, or of the newest model when NULL (0 when
 * the store has none); DM_E_NOT_FOUND for an unknown id. */
dm_status dm_store_model_key(dm_store *s, const char *model_id, long long *key, dm_error *err);
/* Begin the batch transaction if none is open. */
dm_status dm_store_begin(dm_store *s, dm_error *err);
/* Count one document into the batch; commits when it is full. */
dm_status dm_store_batch_done(dm_store *s, dm_error *err);

/* Schema: create a new store at schema version 1, or at the current one
 * (1 then migrated), in a transaction. Internal so that tests can make an
 * old store. */
dm_status dm_store_create_schema(dm_store *s, int version, dm_error *err);
/* Register the SQL functions the schema and the chart queries use. */
dm_status dm_store_register_functions(dm_store *s, dm_error *err);

/* Hostility score rounded as demarche-score prints it (4 decimals). */
double dm_store_round4(double x);

#endif
