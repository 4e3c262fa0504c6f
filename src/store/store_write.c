/* Writing to a store: models, documents with their statements, scores. */
#include "store_internal.h"

#include "core/fnv_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *dm_store_outcome_name(dm_store_outcome o)
{
    switch (o) {
    case DM_STORE_ADDED: return "added";
    case DM_STORE_REVISION: return "new revision";
    case DM_STORE_ALREADY: return "already stored";
    }
    return "?";
}

unsigned dm_document_shard(const char *id, unsigned n)
{
    if (!id || n == 0)
        return 0;
    return (unsigned)(dm_fnv1a64(DM_FNV1A64_BASIS, id, strlen(id)) % n);
}

dm_status dm_store_model_id_of(const char *manifest, char *buf, size_t size, dm_error *err)
{
    if (!manifest || !buf || size < 25)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_store_model_id_of: no manifest or a buffer under 25 bytes");
    uint64_t h = dm_fnv1a64(DM_FNV1A64_BASIS, manifest, strlen(manifest));
    snprintf(buf, size, "fnv1a64:%016" PRIx64, h);
    return DM_OK;
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

/* Step a write statement to its end and reset it. */
static dm_status run(dm_store *s, sqlite3_stmt *q, const char *what, dm_error *err)
{
    int rc = sqlite3_step(q);
    dm_status st = rc == SQLITE_DONE ? DM_OK : dm_store_sqlite_error(s, rc, what, err);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return st;
}

static dm_status check_writable(dm_store *s, const char *fn, dm_error *err)
{
    if (!s)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "%s: NULL store", fn);
    if (!s->writable)
        return dm_error_set(err, DM_E_INVALID_ARG, s->path, 0, "%s: store opened read only", fn);
    return DM_OK;
}

dm_status dm_store_use_model(dm_store *s, const char *model_id, const char *name,
                             const char *version, const char *manifest, dm_error *err)
{
    dm_status st = check_writable(s, "dm_store_use_model", err);
    if (st != DM_OK)
        return st;
    if (!model_id || !model_id[0])
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_store_use_model: no model id");
    sqlite3_stmt *q = NULL;
    if ((st = dm_store_prepare(s, "INSERT OR IGNORE INTO models(model_id, name, version, manifest)"
                                  " VALUES(?1, ?2, ?3, ?4)", &q, err)) != DM_OK)
        return st;
    bind_text(q, 1, model_id);
    bind_text(q, 2, name);
    bind_text(q, 3, version);
    bind_text(q, 4, manifest);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return dm_store_sqlite_error(s, rc, "cannot record the model", err);
    return dm_store_model_key(s, model_id, &s->model, err);
}

static void text_hash(const dm_document *doc, char buf[32])
{
    uint64_t h = dm_fnv1a64(DM_FNV1A64_BASIS, doc->text ? doc->text : "", doc->text_len);
    snprintf(buf, 32, "fnv1a64:%016" PRIx64, h);
}

/* Find `doc` by id and text hash: *key the row of that text (0 if none),
 * *last_revision the highest revision of the id (0 if none); with
 * `as_opened`, among the rows stored before the store was opened. */
static dm_status find(dm_store *s, const dm_document *doc, bool as_opened, long long *key,
                      int *last_revision, dm_error *err)
{
    char hash[32];
    text_hash(doc, hash);
    sqlite3_stmt *q = s->q[Q_LOOKUP];
    sqlite3_bind_text(q, 1, doc->id, -1, SQLITE_STATIC);
    *key = 0;
    *last_revision = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (as_opened && sqlite3_column_int64(q, 0) > s->opened_max_key)
            continue;
        *last_revision = sqlite3_column_int(q, 1);
        const char *h = (const char *)sqlite3_column_text(q, 2);
        if (h && strcmp(h, hash) == 0)
            *key = sqlite3_column_int64(q, 0);
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? DM_OK : dm_store_sqlite_error(s, rc, "cannot look a document up", err);
}

static dm_status is_scored(dm_store *s, long long key, bool *scored, dm_error *err)
{
    *scored = false;
    if (!s->model)
        return DM_OK;
    sqlite3_stmt *q = s->q[Q_SCORED];
    sqlite3_bind_int64(q, 1, key);
    sqlite3_bind_int64(q, 2, s->model);
    int rc = sqlite3_step(q);
    *scored = rc == SQLITE_ROW;
    sqlite3_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? DM_OK
                                                 : dm_store_sqlite_error(s, rc, "cannot read", err);
}

dm_status dm_store_lookup(dm_store *s, const dm_document *doc, dm_store_outcome *outcome,
                          bool *scored, dm_error *err)
{
    dm_status st = check_writable(s, "dm_store_lookup", err);
    if (st != DM_OK)
        return st;
    if (!doc || !doc->id || (!doc->text && doc->text_len) || !outcome)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_store_lookup: a document with an id is needed");
    long long key;
    int last;
    bool sc = false;
    if ((st = find(s, doc, s->lookup_as_opened, &key, &last, err)) != DM_OK)
        return st;
    *outcome = key ? DM_STORE_ALREADY : last ? DM_STORE_REVISION : DM_STORE_ADDED;
    if (key && (st = is_scored(s, key, &sc, err)) != DM_OK)
        return st;
    if (scored)
        *scored = sc;
    return DM_OK;
}

static dm_status put_scores(dm_store *s, const dm_statement *st_, long long statement,
                            const long long *targets, dm_error *err)
{
    dm_status st = DM_OK;
    if (st_->scored) {
        sqlite3_stmt *q = s->q[Q_INSERT_HOSTILITY];
        sqlite3_bind_int64(q, 1, statement);
        sqlite3_bind_int64(q, 2, s->model);
        sqlite3_bind_int(q, 3, st_->hostility_level);
        /* The schema's hostility.score is the expected level / 4 (0-1), as
         * JSON output had it when the store was made; / 4 is exact. */
        sqlite3_bind_double(q, 4, st_->hostility_expected / 4.0);
        st = run(s, q, "cannot store a score", err);
    }
    for (size_t i = 0; st == DM_OK && i < st_->n_targets; i++) {
        const dm_target *t = &st_->targets[i];
        if (!t->scored)
            continue;
        sqlite3_stmt *q = s->q[Q_INSERT_STANCE];
        sqlite3_bind_int64(q, 1, targets[i]);
        sqlite3_bind_int64(q, 2, s->model);
        sqlite3_bind_text(q, 3, dm_stance_name(t->stance), -1, SQLITE_STATIC);
        sqlite3_bind_double(q, 4, t->score);
        sqlite3_bind_double(q, 5, t->p[DM_STANCE_AGAINST]);
        sqlite3_bind_double(q, 6, t->p[DM_STANCE_NEUTRAL]);
        sqlite3_bind_double(q, 7, t->p[DM_STANCE_FAVOR]);
        st = run(s, q, "cannot store a stance", err);
    }
    return st;
}

static dm_status put_statement(dm_store *s, long long document, const dm_statement *st_,
                               dm_error *err)
{
    sqlite3_stmt *q = s->q[Q_INSERT_STATEMENT];
    sqlite3_bind_int64(q, 1, document);
    sqlite3_bind_int(q, 2, st_->n);
    bind_text(q, 3, st_->speaker);
    bind_text(q, 4, st_->speaker_role);
    bind_text(q, 5, st_->speaker_actor);
    bind_text(q, 6, st_->cue);
    sqlite3_bind_text(q, 7, dm_attribution_name(st_->attribution), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 8, dm_statement_kind_name(st_->kind), -1, SQLITE_STATIC);
    bind_text(q, 9, st_->text ? st_->text : "");
    sqlite3_bind_int64(q, 10, (sqlite3_int64)st_->start);
    sqlite3_bind_int64(q, 11, (sqlite3_int64)st_->end);
    sqlite3_bind_int64(q, 12, (sqlite3_int64)st_->norm_start);
    sqlite3_bind_int64(q, 13, (sqlite3_int64)st_->norm_end);
    bind_text(q, 14, st_->context);
    dm_status st = run(s, q, "cannot store a statement", err);
    if (st != DM_OK)
        return st;
    long long statement = sqlite3_last_insert_rowid(s->db);
    long long *targets = calloc(st_->n_targets ? st_->n_targets : 1, sizeof *targets);
    if (!targets)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; st == DM_OK && i < st_->n_targets; i++) {
        const dm_target *t = &st_->targets[i];
        q = s->q[Q_INSERT_TARGET];
        sqlite3_bind_int64(q, 1, statement);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
        bind_text(q, 3, t->actor ? t->actor : "");
        bind_text(q, 4, t->mention);
        if (t->has_span) {
            sqlite3_bind_int64(q, 5, (sqlite3_int64)t->start);
            sqlite3_bind_int64(q, 6, (sqlite3_int64)t->end);
            sqlite3_bind_int64(q, 7, (sqlite3_int64)t->norm_start);
            sqlite3_bind_int64(q, 8, (sqlite3_int64)t->norm_end);
        }
        bool repeated = false;
        for (size_t k = 0; k < i && !repeated; k++)
            repeated = st_->targets[k].actor && t->actor && strcmp(st_->targets[k].actor, t->actor) == 0;
        sqlite3_bind_int(q, 9, repeated);
        st = run(s, q, "cannot store a target", err);
        targets[i] = sqlite3_last_insert_rowid(s->db);
    }
    if (st == DM_OK && s->model)
        st = put_scores(s, st_, statement, targets, err);
    free(targets);
    return st;
}

static dm_status mark_scored(dm_store *s, long long document, dm_error *err)
{
    sqlite3_stmt *q = s->q[Q_INSERT_SCORED];
    sqlite3_bind_int64(q, 1, document);
    sqlite3_bind_int64(q, 2, s->model);
    return run(s, q, "cannot store a score", err);
}

/* Undo a document half written (its batch stays usable): a savepoint. */
static dm_status put_document(dm_store *s, const dm_document *doc, const dm_statement_list *list,
                              int revision, const char *where, long line, dm_error *err)
{
    char hash[32];
    text_hash(doc, hash);
    dm_status st = DM_OK;
    if (revision > 1) {
        sqlite3_stmt *q = s->q[Q_SUPERSEDE];
        sqlite3_bind_text(q, 1, doc->id, -1, SQLITE_STATIC);
        st = run(s, q, "cannot store a revision", err);
    }
    if (st != DM_OK)
        return st;
    sqlite3_stmt *q = s->q[Q_INSERT_DOCUMENT];
    bind_text(q, 1, doc->id);
    sqlite3_bind_int(q, 2, revision);
    bind_text(q, 3, hash);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)doc->text_len);
    bind_text(q, 5, doc->date);
    bind_text(q, 6, doc->title);
    bind_text(q, 7, doc->source);
    bind_text(q, 8, doc->speaker);
    bind_text(q, 9, doc->speaker_actor);
    bind_text(q, 10, where);
    if (line > 0)
        sqlite3_bind_int64(q, 11, line);
    if ((st = run(s, q, "cannot store a document", err)) != DM_OK)
        return st;
    long long document = sqlite3_last_insert_rowid(s->db);
    for (size_t i = 0; st == DM_OK && list && i < list->n; i++)
        st = put_statement(s, document, &list->v[i], err);
    if (st == DM_OK && s->model)
        st = mark_scored(s, document, err);
    return st;
}

dm_status dm_store_put(dm_store *s, const dm_document *doc, const dm_statement_list *list,
                       const char *where, long line, dm_store_outcome *outcome, dm_error *err)
{
    dm_status st = check_writable(s, "dm_store_put", err);
    if (st != DM_OK)
        return st;
    if (!doc || !doc->id || (!doc->text && doc->text_len) || !outcome)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_store_put: a document with an id is needed");
    long long key;
    int last;
    if ((st = dm_store_begin(s, err)) != DM_OK || (st = find(s, doc, false, &key, &last, err)) != DM_OK)
        return st;
    if (key) {
        *outcome = DM_STORE_ALREADY;
        return DM_OK;
    }
    *outcome = last ? DM_STORE_REVISION : DM_STORE_ADDED;
    /* A document is whole or absent: a failure part way undoes it. */
    if ((st = dm_store_exec(s, "SAVEPOINT document", err)) != DM_OK)
        return st;
    st = put_document(s, doc, list, last + 1, where, line, err);
    if (st != DM_OK) {
        sqlite3_exec(s->db, "ROLLBACK TO document; RELEASE document", NULL, NULL, NULL);
        return st;
    }
    if ((st = dm_store_exec(s, "RELEASE document", err)) != DM_OK)
        return st;
    return dm_store_batch_done(s, err);
}

dm_status dm_store_put_scores(dm_store *s, long long key, const dm_statement_list *list,
                              dm_error *err)
{
    dm_status st = check_writable(s, "dm_store_put_scores", err);
    if (st != DM_OK)
        return st;
    if (!list || key <= 0)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_store_put_scores: no document");
    if (!s->model)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_store_put_scores: no model in use (dm_store_use_model)");
    if ((st = dm_store_begin(s, err)) != DM_OK ||
        (st = dm_store_exec(s, "SAVEPOINT document", err)) != DM_OK)
        return st;
    /* Statements by their number n, targets by their position. */
    sqlite3_stmt *qs = s->q[Q_STATEMENT_IDS], *qt = s->q[Q_TARGET_IDS];
    sqlite3_bind_int64(qs, 1, key);
    int rc;
    while (st == DM_OK && (rc = sqlite3_step(qs)) == SQLITE_ROW) {
        long long statement = sqlite3_column_int64(qs, 0);
        int n = sqlite3_column_int(qs, 1);
        const dm_statement *found = NULL;
        for (size_t i = 0; !found && i < list->n; i++)
            if (list->v[i].n == n)
                found = &list->v[i];
        if (!found)
            continue;
        long long *targets = calloc(found->n_targets ? found->n_targets : 1, sizeof *targets);
        if (!targets) {
            st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        sqlite3_bind_int64(qt, 1, statement);
        while ((rc = sqlite3_step(qt)) == SQLITE_ROW) {
            long long idx = sqlite3_column_int64(qt, 1);
            if (idx >= 0 && (size_t)idx < found->n_targets)
                targets[idx] = sqlite3_column_int64(qt, 0);
        }
        sqlite3_reset(qt);
        if (rc != SQLITE_DONE)
            st = dm_store_sqlite_error(s, rc, "cannot read targets", err);
        for (size_t i = 0; st == DM_OK && i < found->n_targets; i++)
            if (found->targets[i].scored && !targets[i])
                st = dm_error_set(err, DM_E_INVALID_ARG, s->path, 0,
                                  "dm_store_put_scores: a target the store does not have");
        if (st == DM_OK)
            st = put_scores(s, found, statement, targets, err);
        free(targets);
    }
    if (st == DM_OK && rc != SQLITE_DONE)
        st = dm_store_sqlite_error(s, rc, "cannot read statements", err);
    sqlite3_reset(qs);
    if (st == DM_OK)
        st = mark_scored(s, key, err);
    if (st != DM_OK) {
        sqlite3_exec(s->db, "ROLLBACK TO document; RELEASE document", NULL, NULL, NULL);
        return st;
    }
    if ((st = dm_store_exec(s, "RELEASE document", err)) != DM_OK)
        return st;
    return dm_store_batch_done(s, err);
}

/* ---- Merging a part store (dm_store_merge) ------------------------------ */

/* Copy part document `old` (attached as "part") into the main store as
 * document `doc_id`'s revision `revision`, with its statements, targets
 * and every model's scores (models matched by model_id). */
static dm_status merge_document(dm_store *s, long long old, int revision, const char *doc_id,
                                dm_error *err)
{
    static const char *const COPY[] = {
        "INSERT INTO main.statements(document, n, speaker, speaker_role, speaker_actor, cue,"
        " attribution, kind, text, start, end, norm_start, norm_end, context)"
        " SELECT ?2, n, speaker, speaker_role, speaker_actor, cue, attribution, kind, text, start,"
        " end, norm_start, norm_end, context FROM part.statements WHERE document = ?1 ORDER BY n",
        "INSERT INTO main.targets(statement, idx, actor, mention, start, end, norm_start, norm_end,"
        " repeated) SELECT ms.id, pt.idx, pt.actor, pt.mention, pt.start, pt.end, pt.norm_start,"
        " pt.norm_end, pt.repeated FROM part.targets pt JOIN part.statements ps ON ps.id ="
        " pt.statement JOIN main.statements ms ON ms.document = ?2 AND ms.n = ps.n"
        " WHERE ps.document = ?1 ORDER BY ps.n, pt.idx",
        "INSERT INTO main.hostility(statement, model, level, score) SELECT ms.id, mm.id, ph.level,"
        " ph.score FROM part.hostility ph JOIN part.statements ps ON ps.id = ph.statement"
        " JOIN part.models pm ON pm.id = ph.model JOIN main.models mm ON mm.model_id = pm.model_id"
        " JOIN main.statements ms ON ms.document = ?2 AND ms.n = ps.n WHERE ps.document = ?1",
        "INSERT INTO main.stance(target, model, stance, score, p_against, p_neutral, p_favor)"
        " SELECT mt.id, mm.id, px.stance, px.score, px.p_against, px.p_neutral, px.p_favor"
        " FROM part.stance px JOIN part.targets pt ON pt.id = px.target"
        " JOIN part.statements ps ON ps.id = pt.statement"
        " JOIN part.models pm ON pm.id = px.model JOIN main.models mm ON mm.model_id = pm.model_id"
        " JOIN main.statements ms ON ms.document = ?2 AND ms.n = ps.n"
        " JOIN main.targets mt ON mt.statement = ms.id AND mt.idx = pt.idx WHERE ps.document = ?1",
        "INSERT INTO main.scored(document, model) SELECT ?2, mm.id FROM part.scored pc"
        " JOIN part.models pm ON pm.id = pc.model JOIN main.models mm ON mm.model_id = pm.model_id"
        " WHERE pc.document = ?1",
    };
    dm_status st = DM_OK;
    if (revision > 1) {
        sqlite3_stmt *q = s->q[Q_SUPERSEDE];
        sqlite3_bind_text(q, 1, doc_id, -1, SQLITE_STATIC);
        st = run(s, q, "cannot store a revision", err);
    }
    sqlite3_stmt *q = NULL;
    if (st == DM_OK &&
        (st = dm_store_prepare(s, "INSERT INTO main.documents(doc_id, revision, latest, text_hash,"
                                  " text_bytes, date, title, source, speaker, speaker_actor, input,"
                                  " input_line, year, month, day) SELECT doc_id, ?2, 1, text_hash,"
                                  " text_bytes, date, title, source, speaker, speaker_actor, input,"
                                  " input_line, year, month, day FROM part.documents WHERE id = ?1",
                               &q, err)) == DM_OK) {
        sqlite3_bind_int64(q, 1, old);
        sqlite3_bind_int(q, 2, revision);
        st = run(s, q, "cannot merge a document", err);
        sqlite3_finalize(q);
    }
    long long doc = sqlite3_last_insert_rowid(s->db);
    for (size_t i = 0; st == DM_OK && i < sizeof COPY / sizeof *COPY; i++) {
        if ((st = dm_store_prepare(s, COPY[i], &q, err)) != DM_OK)
            break;
        sqlite3_bind_int64(q, 1, old);
        sqlite3_bind_int64(q, 2, doc);
        st = run(s, q, "cannot merge a document", err);
        sqlite3_finalize(q);
    }
    return st;
}

/* PRAGMA quick_check of the attached part: DM_E_FORMAT with its first
 * finding unless "ok". */
static dm_status check_part(dm_store *s, const char *part_path, dm_error *err)
{
    sqlite3_stmt *q = NULL;
    dm_status st = dm_store_prepare(s, "PRAGMA part.quick_check(1)", &q, err);
    if (st != DM_OK)
        return st;
    int rc = sqlite3_step(q);
    const char *found = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
    if (rc != SQLITE_ROW)
        st = dm_error_set(err, DM_E_FORMAT, part_path, 0,
                          "a damaged store (truncated or corrupt: %s): nothing of it merged",
                          sqlite3_errmsg(s->db));
    else if (!found || strcmp(found, "ok") != 0) {
        /* "*** in database part ***\nPage 11: ..." made one line. */
        char what[256];
        const char *from = found ? found : "no verdict";
        const char *nl = strstr(from, "***\n");
        snprintf(what, sizeof what, "%s", nl ? nl + 4 : from);
        for (char *c = what; *c; c++)
            if (*c == '\n')
                *c = ' ';
        st = dm_error_set(err, DM_E_FORMAT, part_path, 0,
                          "a damaged store (truncated or corrupt: %s): nothing of it merged", what);
    }
    sqlite3_finalize(q);
    return st;
}

dm_status dm_store_merge(dm_store *s, const char *part_path, dm_store_merge_counts *counts,
                         dm_error *err)
{
    dm_status st = check_writable(s, "dm_store_merge", err);
    if (st != DM_OK)
        return st;
    if (!part_path || !counts)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_store_merge: NULL argument");
    memset(counts, 0, sizeof *counts);
    /* The part must be a store this build reads, as it is. */
    dm_store *part = NULL;
    if ((st = dm_store_open(part_path, DM_STORE_READ, &part, err)) != DM_OK) {
        if (err && strlen(err->message) + 24 < sizeof err->message)
            strcat(err->message, ": nothing of it merged");
        return st;
    }
    dm_store_close(&part);
    if ((st = dm_store_commit(s, err)) != DM_OK)
        return st;
    sqlite3_stmt *q = NULL;
    if ((st = dm_store_prepare(s, "ATTACH DATABASE ?1 AS part", &q, err)) != DM_OK)
        return st;
    sqlite3_bind_text(q, 1, part_path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return dm_store_sqlite_error(s, rc, "cannot attach the part", err);
    /* A damaged part (a cut copy, a bad disk) could read as fewer rows
     * rather than fail: check every page first and take nothing of it. */
    if ((st = check_part(s, part_path, err)) != DM_OK) {
        sqlite3_exec(s->db, "DETACH DATABASE part", NULL, NULL, NULL);
        return st;
    }
    st = dm_store_begin(s, err);
    if (st == DM_OK)
        st = dm_store_exec(s, "INSERT OR IGNORE INTO main.models(model_id, name, version, manifest)"
                              " SELECT model_id, name, version, manifest FROM part.models ORDER BY id",
                           err);
    /* The part's documents in the order stored, revisions included. */
    long long last = 0;
    while (st == DM_OK) {
        if ((st = dm_store_prepare(s, "SELECT id, doc_id, text_hash FROM part.documents WHERE id > ?1"
                                      " ORDER BY id LIMIT 1", &q, err)) != DM_OK)
            break;
        sqlite3_bind_int64(q, 1, last);
        rc = sqlite3_step(q);
        if (rc != SQLITE_ROW) {
            sqlite3_finalize(q);
            if (rc != SQLITE_DONE)
                st = dm_store_sqlite_error(s, rc, "cannot read the part", err);
            break;
        }
        last = sqlite3_column_int64(q, 0);
        const char *id_text = (const char *)sqlite3_column_text(q, 1);
        const char *hash_text = (const char *)sqlite3_column_text(q, 2);
        if (!id_text || !hash_text) { /* the schema forbids it: a damaged part */
            sqlite3_finalize(q);
            st = dm_error_set(err, DM_E_FORMAT, part_path, 0,
                              "a damaged store (document row %lld without id or text hash)", last);
            break;
        }
        char *doc_id = strdup(id_text);
        char *hash = strdup(hash_text);
        sqlite3_finalize(q);
        if (!doc_id || !hash) {
            free(doc_id);
            free(hash);
            st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
            break;
        }
        /* Stored already (that id with that text)? Else its next revision. */
        sqlite3_stmt *l = s->q[Q_LOOKUP];
        sqlite3_bind_text(l, 1, doc_id, -1, SQLITE_STATIC);
        int last_revision = 0;
        bool known = false;
        while ((rc = sqlite3_step(l)) == SQLITE_ROW) {
            last_revision = sqlite3_column_int(l, 1);
            known = known || strcmp((const char *)sqlite3_column_text(l, 2), hash) == 0;
        }
        sqlite3_reset(l);
        sqlite3_clear_bindings(l);
        if (rc != SQLITE_DONE) {
            st = dm_store_sqlite_error(s, rc, "cannot look a document up", err);
        } else if (known) {
            counts->already++;
        } else if ((st = dm_store_exec(s, "SAVEPOINT document", err)) == DM_OK) {
            st = merge_document(s, last, last_revision + 1, doc_id, err);
            if (st != DM_OK) {
                sqlite3_exec(s->db, "ROLLBACK TO document; RELEASE document", NULL, NULL, NULL);
            } else if ((st = dm_store_exec(s, "RELEASE document", err)) == DM_OK) {
                if (last_revision)
                    counts->revisions++;
                else
                    counts->added++;
                st = dm_store_batch_done(s, err);
                if (st == DM_OK)
                    st = dm_store_begin(s, err);
            }
        }
        free(doc_id);
        free(hash);
    }
    dm_status c = st == DM_OK ? dm_store_commit(s, err) : DM_OK;
    if (st != DM_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->in_transaction = false;
    }
    sqlite3_exec(s->db, "DETACH DATABASE part", NULL, NULL, NULL);
    return st != DM_OK ? st : c;
}
