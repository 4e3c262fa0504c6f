/* Reading a store: models, counts, documents with their statements. */
#include "store_internal.h"
#include "statements/attribution_internal.h"

#include <stdlib.h>
#include <string.h>

/* Documents read per query while iterating (writes may happen between). */
#define EACH_CHUNK 512

/* One integer from a query with an optional text parameter; *rows counts
 * the rows (the value is the first row's). */
static dm_status query_key(dm_store *s, const char *sql, const char *param, long long *key,
                           int *rows, dm_error *err)
{
    sqlite3_stmt *q = NULL;
    dm_status st = dm_store_prepare(s, sql, &q, err);
    if (st != DM_OK)
        return st;
    if (param)
        sqlite3_bind_text(q, 1, param, -1, SQLITE_STATIC);
    int rc;
    *rows = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if ((*rows)++ == 0)
            *key = sqlite3_column_int64(q, 0); /* NULL (no models) reads as 0 */
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? DM_OK : dm_store_sqlite_error(s, rc, "cannot read the models", err);
}

dm_status dm_store_model_key(dm_store *s, const char *model_id, long long *key, dm_error *err)
{
    *key = 0;
    int rows = 0;
    if (!model_id)
        return query_key(s, "SELECT max(id) FROM models", NULL, key, &rows, err);
    /* An exact id, else a unique prefix of one (as git takes hashes), else
     * a unique name (the bundle directory's). */
    static const char *const SQL[] = {
        "SELECT id FROM models WHERE model_id = ?1",
        "SELECT id FROM models WHERE substr(model_id, 1, length(?1)) = ?1",
        "SELECT id FROM models WHERE name = ?1",
    };
    for (int i = 0; i < 3; i++) {
        dm_status st = query_key(s, SQL[i], model_id, key, &rows, err);
        if (st != DM_OK)
            return st;
        if (rows == 1)
            return DM_OK;
        if (rows > 1) {
            *key = 0;
            return dm_error_set(err, DM_E_NOT_FOUND, s->path, 0,
                                "model '%s' is ambiguous: %d models match it", model_id, rows);
        }
    }
    return dm_error_set(err, DM_E_NOT_FOUND, s->path, 0,
                        "no model '%s' in the store (demarche-score --db FILE --models lists them)",
                        model_id);
}

dm_status dm_store_models(dm_store *s, dm_store_model_fn fn, void *user, dm_error *err)
{
    if (!s || !fn)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_store_models: NULL argument");
    sqlite3_stmt *q = NULL;
    dm_status st = dm_store_prepare(s,
        "SELECT model_id, name, version,"
        " (SELECT count(*) FROM hostility h WHERE h.model = m.id) FROM models m ORDER BY id",
        &q, err);
    if (st != DM_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (!fn(user, (const char *)sqlite3_column_text(q, 0),
                (const char *)sqlite3_column_text(q, 1), (const char *)sqlite3_column_text(q, 2),
                sqlite3_column_int64(q, 3))) {
            rc = SQLITE_DONE;
            break;
        }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? DM_OK : dm_store_sqlite_error(s, rc, "cannot read the models", err);
}

dm_status dm_store_get_counts(dm_store *s, dm_store_counts *out, dm_error *err)
{
    if (!s || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_store_get_counts: NULL argument");
    memset(out, 0, sizeof *out);
    sqlite3_stmt *q = NULL;
    dm_status st = dm_store_prepare(s,
        "SELECT (SELECT count(*) FROM documents WHERE latest = 1),"
        " (SELECT count(*) FROM documents),"
        " (SELECT count(*) FROM statements s JOIN documents d ON d.id = s.document"
        "   WHERE d.latest = 1),"
        " (SELECT count(*) FROM targets t JOIN statements s ON s.id = t.statement"
        "   JOIN documents d ON d.id = s.document WHERE d.latest = 1),"
        " (SELECT count(*) FROM models)", &q, err);
    if (st != DM_OK)
        return st;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        out->documents = sqlite3_column_int64(q, 0);
        out->revisions = sqlite3_column_int64(q, 1);
        out->statements = sqlite3_column_int64(q, 2);
        out->targets = sqlite3_column_int64(q, 3);
        out->models = sqlite3_column_int64(q, 4);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? DM_OK : dm_store_sqlite_error(s, rc, "cannot count", err);
}

static char *dup_col(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? strdup((const char *)t) : NULL;
}

static bool kind_parse(const char *name, dm_statement_kind *out)
{
    for (int k = DM_KIND_DIRECT; k <= DM_KIND_GIVEN; k++)
        if (name && strcmp(dm_statement_kind_name((dm_statement_kind)k), name) == 0) {
            *out = (dm_statement_kind)k;
            return true;
        }
    return false;
}

static bool stance_parse(const char *name, dm_stance *out)
{
    for (int k = DM_STANCE_AGAINST; k <= DM_STANCE_FAVOR; k++)
        if (name && strcmp(dm_stance_name((dm_stance)k), name) == 0) {
            *out = (dm_stance)k;
            return true;
        }
    return false;
}

/* Prepared once per dm_store_each. */
typedef struct reader {
    sqlite3_stmt *statements, *targets;
} reader;

/* The statements of document `key`, with the scores of model `model`. */
static dm_status load_statements(dm_store *s, reader *r, long long key, long long model,
                                 dm_statement_list *list, dm_error *err)
{
    sqlite3_stmt *q = r->statements;
    sqlite3_bind_int64(q, 1, key);
    sqlite3_bind_int64(q, 2, model);
    int rc;
    dm_status st = DM_OK;
    while (st == DM_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        dm_statement *x = dm_statement_list_push(list);
        if (!x) {
            st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        x->n = sqlite3_column_int(q, 0);
        x->speaker = dup_col(q, 1);
        x->speaker_role = dup_col(q, 2);
        x->speaker_actor = dup_col(q, 3);
        x->cue = dup_col(q, 4);
        x->text = dup_col(q, 7);
        x->start = (size_t)sqlite3_column_int64(q, 8);
        x->end = (size_t)sqlite3_column_int64(q, 9);
        x->norm_start = (size_t)sqlite3_column_int64(q, 10);
        x->norm_end = (size_t)sqlite3_column_int64(q, 11);
        x->context = dup_col(q, 12);
        if (sqlite3_column_type(q, 13) != SQLITE_NULL) {
            x->scored = true;
            x->hostility_level = sqlite3_column_int(q, 13);
            x->hostility_expected = sqlite3_column_double(q, 14) * 4.0; /* exact */
        }
        if (!dm_attribution_parse((const char *)sqlite3_column_text(q, 5), &x->attribution) ||
            !kind_parse((const char *)sqlite3_column_text(q, 6), &x->kind))
            st = dm_error_set(err, DM_E_FORMAT, s->path, 0,
                              "store: statement %d of document %lld: unknown attribution or kind",
                              x->n, key);
        else if (!x->text)
            st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    if (st == DM_OK && rc != SQLITE_DONE)
        st = dm_store_sqlite_error(s, rc, "cannot read statements", err);
    sqlite3_reset(q);
    if (st != DM_OK)
        return st;
    q = r->targets;
    sqlite3_bind_int64(q, 1, key);
    sqlite3_bind_int64(q, 2, model);
    size_t i = 0;
    while (st == DM_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        int n = sqlite3_column_int(q, 0);
        while (i < list->n && list->v[i].n < n)
            i++;
        if (i == list->n || list->v[i].n != n) {
            st = dm_error_set(err, DM_E_FORMAT, s->path, 0, "store: a target without its statement");
            break;
        }
        dm_statement *x = &list->v[i];
        bool span = sqlite3_column_type(q, 3) != SQLITE_NULL;
        st = dm_statement_add_target(x, (const char *)sqlite3_column_text(q, 1),
                                     (const char *)sqlite3_column_text(q, 2), span,
                                     (size_t)sqlite3_column_int64(q, 3),
                                     (size_t)sqlite3_column_int64(q, 4),
                                     (size_t)sqlite3_column_int64(q, 5),
                                     (size_t)sqlite3_column_int64(q, 6));
        if (st != DM_OK)
            st = dm_error_set(err, st, NULL, 0, "out of memory");
        if (st == DM_OK && sqlite3_column_type(q, 7) != SQLITE_NULL) {
            dm_target *t = &x->targets[x->n_targets - 1];
            if (!stance_parse((const char *)sqlite3_column_text(q, 7), &t->stance)) {
                st = dm_error_set(err, DM_E_FORMAT, s->path, 0, "store: unknown stance");
                break;
            }
            t->scored = true;
            t->score = sqlite3_column_double(q, 8);
            t->p[DM_STANCE_AGAINST] = sqlite3_column_double(q, 9);
            t->p[DM_STANCE_NEUTRAL] = sqlite3_column_double(q, 10);
            t->p[DM_STANCE_FAVOR] = sqlite3_column_double(q, 11);
        }
    }
    if (st == DM_OK && rc != SQLITE_DONE)
        st = dm_store_sqlite_error(s, rc, "cannot read targets", err);
    sqlite3_reset(q);
    return st;
}

typedef struct doc_row {
    long long key;
    char *id, *date, *title, *source;
    int revision;
} doc_row;

static void free_rows(doc_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].id);
        free(rows[i].date);
        free(rows[i].title);
        free(rows[i].source);
    }
}

dm_status dm_store_each(dm_store *s, const char *model_id, int flags, dm_store_document_fn fn,
                        void *user, dm_error *err)
{
    if (!s || !fn || (flags & ~(DM_STORE_ALL_REVISIONS | DM_STORE_UNSCORED)))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_store_each: invalid argument");
    long long model = 0;
    dm_status st = DM_OK;
    if (flags & DM_STORE_UNSCORED) {
        if (!s->model)
            return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                                "dm_store_each: DM_STORE_UNSCORED needs a model in use");
        model = s->model;
    } else if ((st = dm_store_model_key(s, model_id, &model, err)) != DM_OK) {
        return st;
    }
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT id, doc_id, date, title, source, revision FROM documents d"
             " WHERE id > ?1 %s %s ORDER BY id LIMIT %d",
             flags & DM_STORE_ALL_REVISIONS ? "" : "AND latest = 1",
             flags & DM_STORE_UNSCORED
                 ? "AND NOT EXISTS(SELECT 1 FROM scored c WHERE c.document = d.id AND c.model = ?2)"
                 : "",
             EACH_CHUNK);
    reader r = {0};
    sqlite3_stmt *docs = NULL;
    if ((st = dm_store_prepare(s, sql, &docs, err)) != DM_OK ||
        (st = dm_store_prepare(s,
             "SELECT s.n, s.speaker, s.speaker_role, s.speaker_actor, s.cue, s.attribution,"
             " s.kind, s.text, s.start, s.end, s.norm_start, s.norm_end, s.context,"
             " h.level, h.score FROM statements s"
             " LEFT JOIN hostility h ON h.statement = s.id AND h.model = ?2"
             " WHERE s.document = ?1 ORDER BY s.n", &r.statements, err)) != DM_OK ||
        (st = dm_store_prepare(s,
             "SELECT s.n, t.actor, t.mention, t.start, t.end, t.norm_start, t.norm_end,"
             " x.stance, x.score, x.p_against, x.p_neutral, x.p_favor FROM statements s"
             " JOIN targets t ON t.statement = s.id"
             " LEFT JOIN stance x ON x.target = t.id AND x.model = ?2"
             " WHERE s.document = ?1 ORDER BY s.n, t.idx", &r.targets, err)) != DM_OK)
        goto done;
    doc_row rows[EACH_CHUNK];
    long long last = 0;
    bool go_on = true;
    while (go_on && st == DM_OK) {
        /* A chunk of documents read whole, so that no query is open while
         * the callback writes. */
        size_t n = 0;
        sqlite3_bind_int64(docs, 1, last);
        if (flags & DM_STORE_UNSCORED)
            sqlite3_bind_int64(docs, 2, model);
        int rc;
        while ((rc = sqlite3_step(docs)) == SQLITE_ROW) {
            doc_row *d = &rows[n++];
            d->key = sqlite3_column_int64(docs, 0);
            d->id = dup_col(docs, 1);
            d->date = dup_col(docs, 2);
            d->title = dup_col(docs, 3);
            d->source = dup_col(docs, 4);
            d->revision = sqlite3_column_int(docs, 5);
        }
        sqlite3_reset(docs);
        if (rc != SQLITE_DONE) {
            free_rows(rows, n);
            st = dm_store_sqlite_error(s, rc, "cannot read documents", err);
            break;
        }
        if (n == 0)
            break;
        for (size_t i = 0; i < n && go_on && st == DM_OK; i++) {
            dm_statement_list list;
            dm_statement_list_init(&list);
            st = load_statements(s, &r, rows[i].key, model, &list, err);
            dm_store_document doc = {.key = rows[i].key, .id = rows[i].id, .date = rows[i].date,
                                     .title = rows[i].title, .source = rows[i].source,
                                     .revision = rows[i].revision};
            if (st == DM_OK)
                go_on = fn(user, &doc, &list);
            dm_statement_list_clear(&list);
        }
        last = rows[n - 1].key;
        free_rows(rows, n);
    }
done:
    sqlite3_finalize(docs);
    sqlite3_finalize(r.statements);
    sqlite3_finalize(r.targets);
    return st;
}
