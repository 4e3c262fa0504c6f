/* Unit tests of the store: invalid arguments, idempotence and revisions,
 * scores of two models side by side, the schema version (newer refused,
 * older migrated), a batch lost whole, charting in SQL against charting
 * the same statements as JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demarche/io.h"
#include "demarche/store.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/dm-test-store-XXXXXX";
static char path[256];

static int setup(void **state)
{
    (void)state;
    static int k;
    snprintf(path, sizeof path, "%s/s%d.db", dir, k++);
    return 0;
}

/* A document with statements: one per element of `texts`, each naming
 * the targets listed (space-separated actor codes), spoken by `sa`. */
static void make_list(dm_statement_list *list, const char *sa, const char *const *texts,
                      const char *const *targets, size_t n)
{
    dm_statement_list_init(list);
    for (size_t i = 0; i < n; i++) {
        dm_statement *st = dm_statement_list_push(list);
        assert_non_null(st);
        st->n = (int)i + 1;
        st->text = strdup(texts[i]);
        st->speaker = strdup("Someone");
        st->speaker_actor = sa ? strdup(sa) : NULL;
        st->kind = DM_KIND_DIRECT;
        st->attribution = DM_ATTR_CUE;
        st->start = 10 * i;
        st->end = 10 * i + strlen(texts[i]);
        char buf[128];
        snprintf(buf, sizeof buf, "%s", targets[i]);
        for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
            assert_int_equal(dm_statement_add_target(st, t, NULL, false, 0, 0, 0, 0), DM_OK);
    }
}

/* Give every statement hostility `level` and every target stance against. */
static void score_list(dm_statement_list *list, int level)
{
    for (size_t i = 0; i < list->n; i++) {
        dm_statement *st = &list->v[i];
        st->scored = true;
        st->hostility_level = level;
        /* Off the 4-decimal grid, as real scores are. */
        st->hostility_expected = level ? level - 0.0493827 : 0.0493827;
        for (size_t k = 0; k < st->n_targets; k++) {
            st->targets[k].scored = true;
            st->targets[k].stance = DM_STANCE_AGAINST;
            st->targets[k].score = -0.5;
            st->targets[k].p[0] = 0.6;
            st->targets[k].p[1] = 0.3;
            st->targets[k].p[2] = 0.1;
        }
    }
}

static dm_document doc_of(const char *id, const char *date, const char *text)
{
    return (dm_document){.id = id, .date = date, .text = text, .text_len = strlen(text)};
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    dm_error err;
    dm_store *s = NULL;
    assert_int_equal(dm_store_open(NULL, DM_STORE_WRITE, &s, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_open(path, 99, &s, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_open(path, DM_STORE_READ, &s, &err), DM_E_NOT_FOUND);
    assert_null(s);
    assert_int_equal(dm_store_open(dir, DM_STORE_WRITE, &s, &err), DM_E_IO);
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &s, &err), DM_OK);
    dm_store_outcome o;
    dm_document nameless = doc_of(NULL, NULL, "x");
    assert_int_equal(dm_store_put(s, &nameless, NULL, NULL, 0, &o, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_put(NULL, &nameless, NULL, NULL, 0, &o, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_lookup(s, NULL, &o, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_set_batch(s, 0, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_use_model(s, "", NULL, NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_put_scores(s, 1, NULL, &err), DM_E_INVALID_ARG);
    dm_statement_list empty;
    dm_statement_list_init(&empty);
    assert_int_equal(dm_store_put_scores(s, 1, &empty, &err), DM_E_INVALID_ARG); /* no model */
    assert_int_equal(dm_store_each(s, NULL, DM_STORE_UNSCORED, NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_chart(s, NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_commit(NULL, &err), DM_E_INVALID_ARG);
    char id[32];
    assert_int_equal(dm_store_model_id_of("{}", id, 8, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_model_id_of("{}", id, sizeof id, &err), DM_OK);
    assert_string_equal(id, "fnv1a64:08f44b07b5901a25"); /* FNV-1a 64 of "{}" */
    assert_string_equal(dm_store_outcome_name(DM_STORE_ALREADY), "already stored");
    dm_store_close(&s);
    assert_null(s);
    dm_store_close(&s); /* a pointer to NULL is accepted */
    dm_store_close(NULL);
    /* Read only: writing is refused. */
    assert_int_equal(dm_store_open(path, DM_STORE_READ, &s, &err), DM_OK);
    dm_document d = doc_of("a", NULL, "x");
    assert_int_equal(dm_store_put(s, &d, &empty, NULL, 0, &o, &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "read only"));
    dm_store_close(&s);
}

static bool count_docs(void *user, const dm_store_document *doc, dm_statement_list *list)
{
    (void)doc;
    long *n = user;
    n[0]++;
    n[1] += (long)list->n;
    for (size_t i = 0; i < list->n; i++)
        n[2] += list->v[i].scored;
    return true;
}

static void test_idempotent_and_revisions(void **state)
{
    (void)state;
    dm_error err;
    dm_store *s = NULL;
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &s, &err), DM_OK);
    assert_int_equal(dm_store_opened_version(s), 0);
    assert_int_equal(dm_store_use_model(s, "fnv1a64:1", "m1", "v1", "{}", &err), DM_OK);
    const char *texts[] = {"We condemn it.", "We welcome it."};
    const char *targets[] = {"RUS", "RUS UKR"};
    dm_statement_list list;
    make_list(&list, "USA", texts, targets, 2);
    score_list(&list, 3);
    dm_store_outcome o;
    dm_document d = doc_of("doc-1", "2022-03-01", "original text");
    assert_int_equal(dm_store_put(s, &d, &list, "in.jsonl", 4, &o, &err), DM_OK);
    assert_int_equal(o, DM_STORE_ADDED);
    assert_int_equal(dm_store_put(s, &d, &list, "in.jsonl", 4, &o, &err), DM_OK);
    assert_int_equal(o, DM_STORE_ALREADY);
    bool scored = false;
    assert_int_equal(dm_store_lookup(s, &d, &o, &scored, &err), DM_OK);
    assert_int_equal(o, DM_STORE_ALREADY);
    assert_true(scored);
    /* Same id, another text: a revision; the latest is what reads give. */
    dm_document d2 = doc_of("doc-1", "2022-03-02", "corrected text");
    assert_int_equal(dm_store_lookup(s, &d2, &o, NULL, &err), DM_OK);
    assert_int_equal(o, DM_STORE_REVISION);
    dm_statement_list one;
    make_list(&one, "USA", texts, targets, 1);
    assert_int_equal(dm_store_put(s, &d2, &one, "in.jsonl", 9, &o, &err), DM_OK);
    assert_int_equal(o, DM_STORE_REVISION);
    /* The first text again: stored already (an earlier revision). */
    assert_int_equal(dm_store_put(s, &d, &list, "in.jsonl", 4, &o, &err), DM_OK);
    assert_int_equal(o, DM_STORE_ALREADY);
    assert_int_equal(dm_store_commit(s, &err), DM_OK);
    dm_store_counts c;
    assert_int_equal(dm_store_get_counts(s, &c, &err), DM_OK);
    assert_int_equal(c.documents, 1);
    assert_int_equal(c.revisions, 2);
    assert_int_equal(c.statements, 1);
    assert_int_equal(c.targets, 1);
    assert_int_equal(c.models, 1);
    long n[3] = {0};
    assert_int_equal(dm_store_each(s, NULL, 0, count_docs, n, &err), DM_OK);
    assert_int_equal(n[0], 1);
    assert_int_equal(n[1], 1);
    assert_int_equal(n[2], 0); /* the revision was stored unscored */
    memset(n, 0, sizeof n);
    assert_int_equal(dm_store_each(s, NULL, DM_STORE_ALL_REVISIONS, count_docs, n, &err), DM_OK);
    assert_int_equal(n[0], 2);
    assert_int_equal(n[1], 3);
    assert_int_equal(n[2], 2);
    dm_statement_list_clear(&list);
    dm_statement_list_clear(&one);
    dm_store_close(&s);
}

typedef struct rescore_state {
    dm_store *s;
    int level;
    long documents;
} rescore_state;

static bool rescore(void *user, const dm_store_document *doc, dm_statement_list *list)
{
    rescore_state *r = user;
    score_list(list, r->level);
    dm_error err;
    assert_int_equal(dm_store_put_scores(r->s, doc->key, list, &err), DM_OK);
    r->documents++;
    return true;
}

static bool first_level(void *user, const dm_store_document *doc, dm_statement_list *list)
{
    (void)doc;
    int *level = user;
    *level = list->n && list->v[0].scored ? list->v[0].hostility_level : -1;
    /* Every field comes back as stored. */
    assert_string_equal(list->v[0].text, "We condemn it.");
    assert_string_equal(list->v[0].speaker_actor, "USA");
    assert_int_equal(list->v[0].kind, DM_KIND_DIRECT);
    assert_int_equal(list->v[0].attribution, DM_ATTR_CUE);
    assert_int_equal(list->v[0].n_targets, 1);
    assert_string_equal(list->v[0].targets[0].actor, "RUS");
    if (list->v[0].targets[0].scored)
        assert_float_equal(list->v[0].targets[0].p[0], 0.6, 1e-12);
    return true;
}

/* DM_STORE_LOOKUP_AS_OPENED: what was stored before the open is found,
 * what is stored since is not (so -j N workers answer alike whatever the
 * writer has done); storing it again is still refused as already stored. */
static void test_lookup_as_opened(void **state)
{
    (void)state;
    dm_error err;
    dm_store *s = NULL;
    const char *texts[] = {"We condemn it."};
    const char *targets[] = {"RUS"};
    dm_statement_list list;
    make_list(&list, "USA", texts, targets, 1);
    dm_store_outcome o;
    dm_document old = doc_of("old", "2022-03-01", "stored before");
    dm_document fresh = doc_of("new", "2022-03-01", "stored since");
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &s, &err), DM_OK);
    assert_int_equal(dm_store_put(s, &old, &list, "in.jsonl", 1, &o, &err), DM_OK);
    assert_int_equal(dm_store_commit(s, &err), DM_OK);
    dm_store_close(&s);
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE | DM_STORE_LOOKUP_AS_OPENED, &s, &err),
                     DM_OK);
    assert_int_equal(dm_store_put(s, &fresh, &list, "in.jsonl", 2, &o, &err), DM_OK);
    assert_int_equal(o, DM_STORE_ADDED);
    assert_int_equal(dm_store_lookup(s, &old, &o, NULL, &err), DM_OK);
    assert_int_equal(o, DM_STORE_ALREADY);
    assert_int_equal(dm_store_lookup(s, &fresh, &o, NULL, &err), DM_OK);
    assert_int_equal(o, DM_STORE_ADDED);
    assert_int_equal(dm_store_put(s, &fresh, &list, "in.jsonl", 3, &o, &err), DM_OK);
    assert_int_equal(o, DM_STORE_ALREADY);
    assert_int_equal(dm_store_commit(s, &err), DM_OK);
    dm_store_close(&s);
    /* Unknown flags are refused. */
    assert_int_equal(dm_store_open(path, 1 << 5, &s, &err), DM_E_INVALID_ARG);
    dm_statement_list_clear(&list);
}

static void test_models_side_by_side(void **state)
{
    (void)state;
    dm_error err;
    dm_store *s = NULL;
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &s, &err), DM_OK);
    assert_int_equal(dm_store_use_model(s, "fnv1a64:aaaa", "old", "v1", "{}", &err), DM_OK);
    const char *texts[] = {"We condemn it."};
    const char *targets[] = {"RUS"};
    dm_statement_list list;
    make_list(&list, "USA", texts, targets, 1);
    score_list(&list, 1);
    dm_store_outcome o;
    char id[16];
    for (int i = 0; i < 600; i++) { /* more than a batch and a read chunk */
        snprintf(id, sizeof id, "d%d", i);
        dm_document d = doc_of(id, "2022-01-01", id);
        assert_int_equal(dm_store_put(s, &d, &list, NULL, 0, &o, &err), DM_OK);
    }
    assert_int_equal(dm_store_commit(s, &err), DM_OK);
    /* A new model scores what it has not scored; the old scores stay. */
    assert_int_equal(dm_store_use_model(s, "fnv1a64:bbbb", "new", "v2", "{}", &err), DM_OK);
    rescore_state r = {.s = s, .level = 4};
    assert_int_equal(dm_store_each(s, NULL, DM_STORE_UNSCORED, rescore, &r, &err), DM_OK);
    assert_int_equal(r.documents, 600);
    r.documents = 0;
    assert_int_equal(dm_store_each(s, NULL, DM_STORE_UNSCORED, rescore, &r, &err), DM_OK);
    assert_int_equal(r.documents, 0); /* nothing left: resumable */
    assert_int_equal(dm_store_commit(s, &err), DM_OK);
    int level = 0;
    assert_int_equal(dm_store_each(s, NULL, 0, first_level, &level, &err), DM_OK);
    assert_int_equal(level, 4); /* the newest model by default */
    assert_int_equal(dm_store_each(s, "fnv1a64:aaaa", 0, first_level, &level, &err), DM_OK);
    assert_int_equal(level, 1);
    assert_int_equal(dm_store_each(s, "old", 0, first_level, &level, &err), DM_OK);
    assert_int_equal(level, 1);
    assert_int_equal(dm_store_each(s, "fnv1a64:b", 0, first_level, &level, &err), DM_OK);
    assert_int_equal(level, 4); /* a unique prefix */
    assert_int_equal(dm_store_each(s, "fnv1a64:", 0, first_level, &level, &err), DM_E_NOT_FOUND);
    assert_non_null(strstr(err.message, "ambiguous"));
    assert_int_equal(dm_store_each(s, "nope", 0, first_level, &level, &err), DM_E_NOT_FOUND);
    dm_statement_list_clear(&list);
    dm_store_close(&s);
}

static void test_uncommitted_batch_is_lost_whole(void **state)
{
    (void)state;
    dm_error err;
    dm_store *s = NULL;
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &s, &err), DM_OK);
    assert_int_equal(dm_store_set_batch(s, 3, &err), DM_OK);
    const char *texts[] = {"a", "b"};
    const char *targets[] = {"RUS", "USA"};
    dm_statement_list list;
    make_list(&list, "GBR", texts, targets, 2);
    dm_store_outcome o;
    char id[16];
    for (int i = 0; i < 5; i++) {
        snprintf(id, sizeof id, "d%d", i);
        dm_document d = doc_of(id, NULL, id);
        assert_int_equal(dm_store_put(s, &d, &list, NULL, 0, &o, &err), DM_OK);
    }
    dm_store_close(&s); /* documents 4 and 5 were in the batch in flight */
    assert_int_equal(dm_store_open(path, DM_STORE_READ, &s, &err), DM_OK);
    dm_store_counts c;
    assert_int_equal(dm_store_get_counts(s, &c, &err), DM_OK);
    assert_int_equal(c.documents, 3);
    assert_int_equal(c.statements, 6);
    dm_statement_list_clear(&list);
    dm_store_close(&s);
}

static void set_user_version(const char *p, int v)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_schema_versions(void **state)
{
    (void)state;
    dm_error err;
    dm_store *s = NULL;
    /* An old store (schema 1) with a document in it. */
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &s, &err), DM_OK);
    dm_store_close(&s);
    unlink(path);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    dm_store raw = {.db = db, .path = path};
    assert_int_equal(dm_store_register_functions(&raw, &err), DM_OK);
    assert_int_equal(dm_store_create_schema(&raw, 1, &err), DM_OK);
    assert_int_equal(dm_store_create_schema(&raw, 9, &err), DM_E_INVALID_ARG);
    assert_int_equal(sqlite3_exec(db, "INSERT INTO documents(doc_id, revision, latest, text_hash,"
                                      " text_bytes, date) VALUES('old', 1, 1, 'h', 1, '2021-07-04');"
                                      "INSERT INTO statements(document, n, attribution, kind, text,"
                                      " start, end, norm_start, norm_end)"
                                      " VALUES(1, 1, 'cue', 'direct', 'x', 0, 1, 0, 1);"
                                      "INSERT INTO targets(statement, idx, actor) VALUES(1, 0, 'RUS'),"
                                      " (1, 1, 'USA'), (1, 2, 'RUS')",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    /* Read only, an old store is refused with what to do. */
    assert_int_equal(dm_store_open(path, DM_STORE_READ, &s, &err), DM_E_VERSION);
    assert_non_null(strstr(err.message, "older"));
    /* For writing it is migrated, its data kept and completed. */
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &s, &err), DM_OK);
    assert_int_equal(dm_store_opened_version(s), 1);
    dm_store_close(&s);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT year, month, day, (SELECT user_version FROM"
                                            " pragma_user_version) FROM documents", -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), 2021);
    assert_int_equal(sqlite3_column_int(q, 1), 7);
    assert_int_equal(sqlite3_column_int(q, 2), 4);
    assert_int_equal(sqlite3_column_int(q, 3), DM_STORE_SCHEMA_VERSION);
    sqlite3_finalize(q);
    /* Version 3 marks a target naming an actor named before in its statement. */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(repeated, '') FROM"
                                            " (SELECT repeated FROM targets ORDER BY idx)", -1, &q,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "001");
    sqlite3_finalize(q);
    sqlite3_close(db);
    /* A newer store is refused, read or write, and left as it is. */
    set_user_version(path, DM_STORE_SCHEMA_VERSION + 1);
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &s, &err), DM_E_VERSION);
    assert_non_null(strstr(err.message, "newer"));
    assert_null(s);
    assert_int_equal(dm_store_open(path, DM_STORE_READ, &s, &err), DM_E_VERSION);
    /* SQLite files that are not stores, and files that are not SQLite. */
    char other[300];
    snprintf(other, sizeof other, "%s/other.db", dir);
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(dm_store_open(other, DM_STORE_WRITE, &s, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "not a demarche store"));
    snprintf(other, sizeof other, "%s/text.db", dir);
    FILE *fp = fopen(other, "w");
    assert_non_null(fp);
    fputs("not a database at all, but long enough to have a header of sorts......\n", fp);
    fclose(fp);
    assert_int_equal(dm_store_open(other, DM_STORE_WRITE, &s, &err), DM_E_FORMAT);
    assert_null(s);
}

/* The same statements charted from JSON and from the store. */
static void test_chart_matches_json(void **state)
{
    (void)state;
    dm_error err;
    dm_store *s = NULL;
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &s, &err), DM_OK);
    assert_int_equal(dm_store_use_model(s, "fnv1a64:cccc", "m", "v", "{}", &err), DM_OK);
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    dm_chart *from_json = NULL, *from_store = NULL;
    assert_int_equal(dm_chart_create(&opt, &from_json, &err), DM_OK);
    assert_int_equal(dm_chart_create(&opt, &from_store, &err), DM_OK);
    const char *dates[] = {"2022-01-03", "2022-01-20", "2022-02", "2022", NULL, "garbage"};
    const char *sas[] = {"USA", "RUS", "USA", NULL, "USA", "RUS"};
    const char *texts[] = {"One.", "Two."};
    const char *targets[] = {"RUS UKR RUS", "USA"}; /* RUS twice: counted once */
    dm_store_outcome o;
    char id[16];
    for (int i = 0; i < 6; i++) {
        dm_statement_list list;
        make_list(&list, sas[i], texts, targets, 2);
        score_list(&list, i % 5);
        snprintf(id, sizeof id, "d%d", i);
        dm_document d = doc_of(id, dates[i], id);
        assert_int_equal(dm_store_put(s, &d, &list, NULL, 0, &o, &err), DM_OK);
        for (size_t k = 0; k < list.n; k++) {
            char *json = NULL;
            assert_int_equal(dm_statement_to_json(&list.v[k], id, dates[i], DM_JSON_SCORES,
                                                  &json, &err), DM_OK);
            dm_statement st;
            char *doc, *date;
            assert_int_equal(dm_statement_from_json(json, strlen(json), "t", 1, &st, &doc, &date,
                                                    &err), DM_OK);
            assert_int_equal(dm_chart_add(from_json, &st, date, doc, &err), DM_OK);
            dm_statement_clear(&st);
            free(doc);
            free(date);
            free(json);
        }
        dm_statement_list_clear(&list);
    }
    assert_int_equal(dm_store_commit(s, &err), DM_OK);
    assert_int_equal(dm_store_chart(s, from_store, NULL, &err), DM_OK);
    assert_memory_equal(dm_chart_get_counts(from_json), dm_chart_get_counts(from_store),
                        sizeof(dm_chart_counts));
    assert_int_equal(dm_chart_get_counts(from_store)->no_date, 2);
    assert_int_equal(dm_chart_get_counts(from_store)->bad_date, 2);
    assert_int_equal(dm_chart_get_counts(from_store)->coarse_date, 2);
    size_t na, nb;
    const dm_chart_series *a = dm_chart_series_list(from_json, &na);
    const dm_chart_series *b = dm_chart_series_list(from_store, &nb);
    assert_int_equal(na, nb);
    assert_true(na >= 3);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(a[i].name, b[i].name);
        assert_int_equal(a[i].n_points, b[i].n_points);
        assert_true(a[i].mean == b[i].mean);
        for (size_t k = 0; k < a[i].n_points; k++) {
            assert_string_equal(a[i].points[k].label, b[i].points[k].label);
            assert_true(a[i].points[k].mean == b[i].points[k].mean);
            assert_true(a[i].points[k].upper == b[i].points[k].upper);
            /* The statements behind each point (the HTML page lists them). */
            assert_int_equal(a[i].points[k].n_examples, b[i].points[k].n_examples);
            for (size_t e = 0; e < a[i].points[k].n_examples; e++) {
                const dm_chart_example *x = &a[i].points[k].examples[e],
                                       *y = &b[i].points[k].examples[e];
                assert_string_equal(x->doc, y->doc);
                assert_true(x->target == y->target ||
                            (x->target && y->target && strcmp(x->target, y->target) == 0));
                assert_int_equal(x->stance, y->stance);
                assert_true(x->value == y->value);
            }
        }
        assert_int_equal(a[i].n_examples, b[i].n_examples);
        for (size_t k = 0; k < a[i].n_examples; k++) {
            assert_string_equal(a[i].examples[k].doc, b[i].examples[k].doc);
            assert_true(a[i].examples[k].value == b[i].examples[k].value);
        }
    }
    dm_chart_destroy(&from_json);
    dm_chart_destroy(&from_store);
    dm_store_close(&s);
}

/* A part store merged: new documents, a changed text as a revision, a
 * known one skipped, scores of its model carried; bad arguments refused. */
static void test_merge(void **state)
{
    (void)state;
    dm_error err;
    char part_path[300];
    snprintf(part_path, sizeof part_path, "%s.part", path);
    const char *texts[] = {"We condemn it."};
    const char *targets[] = {"RUS"};
    dm_statement_list list;
    make_list(&list, "USA", texts, targets, 1);
    score_list(&list, 2);
    dm_store_outcome o;
    dm_store *main_store = NULL, *part = NULL;
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &main_store, &err), DM_OK);
    assert_int_equal(dm_store_open(part_path, DM_STORE_WRITE, &part, &err), DM_OK);
    assert_int_equal(dm_store_use_model(main_store, "fnv1a64:m1", "m1", "v", "{}", &err), DM_OK);
    assert_int_equal(dm_store_use_model(part, "fnv1a64:m2", "m2", "v", "{}", &err), DM_OK);
    dm_document a = doc_of("a", "2022-01-01", "text a"), a2 = doc_of("a", "2022-01-02", "text a2");
    dm_document b = doc_of("b", "2022-01-01", "text b");
    assert_int_equal(dm_store_put(main_store, &a, &list, NULL, 0, &o, &err), DM_OK);
    assert_int_equal(dm_store_put(part, &a, &list, NULL, 0, &o, &err), DM_OK);
    assert_int_equal(dm_store_put(part, &a2, &list, NULL, 0, &o, &err), DM_OK);
    assert_int_equal(dm_store_put(part, &b, &list, NULL, 0, &o, &err), DM_OK);
    assert_int_equal(dm_store_commit(part, &err), DM_OK);
    assert_int_equal(dm_store_commit(main_store, &err), DM_OK);
    dm_store_close(&part);
    dm_store_merge_counts c;
    assert_int_equal(dm_store_merge(main_store, NULL, &c, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_merge(NULL, part_path, &c, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_store_merge(main_store, dir, &c, &err), DM_E_IO);
    assert_int_equal(dm_store_merge(main_store, part_path, &c, &err), DM_OK);
    assert_int_equal(c.added, 1);     /* b */
    assert_int_equal(c.revisions, 1); /* a's new text */
    assert_int_equal(c.already, 1);   /* a */
    assert_int_equal(dm_store_merge(main_store, part_path, &c, &err), DM_OK);
    assert_int_equal(c.added + c.revisions, 0);
    assert_int_equal(c.already, 3);
    dm_store_counts n;
    assert_int_equal(dm_store_get_counts(main_store, &n, &err), DM_OK);
    assert_int_equal(n.documents, 2);
    assert_int_equal(n.revisions, 3);
    assert_int_equal(n.models, 2);
    long docs[3] = {0};
    assert_int_equal(dm_store_each(main_store, "m2", 0, count_docs, docs, &err), DM_OK);
    assert_int_equal(docs[2], 2); /* the part's model scored both latest revisions */
    dm_store_close(&main_store);
    assert_int_equal(dm_store_open(path, DM_STORE_READ, &main_store, &err), DM_OK);
    assert_int_equal(dm_store_merge(main_store, part_path, &c, &err), DM_E_INVALID_ARG);
    dm_store_close(&main_store);
    dm_statement_list_clear(&list);
}

/* Copy file `from` to `to`, keeping its first `keep` bytes (all: -1) and
 * then overwriting `page` (4096 bytes, >= 0) with 0xff when asked. */
static void copy_damaged(const char *from, const char *to, long keep, long page)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t n;
    long total = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0 && (keep < 0 || total < keep)) {
        if (keep >= 0 && total + (long)n > keep)
            n = (size_t)(keep - total);
        assert_int_equal(fwrite(buf, 1, n, out), n);
        total += (long)n;
    }
    fclose(in);
    if (page >= 0) {
        memset(buf, 0xff, sizeof buf);
        assert_int_equal(fseek(out, page * 4096, SEEK_SET), 0);
        assert_int_equal(fwrite(buf, 1, sizeof buf, out), sizeof buf);
    }
    assert_int_equal(fclose(out), 0);
}

/* A damaged part (cut short, as a failed copy leaves it; a page
 * overwritten) is refused, named, and nothing of it is merged; the whole
 * part then merges in full. */
static void test_merge_damaged(void **state)
{
    (void)state;
    dm_error err;
    char part_path[300], bad_path[310];
    snprintf(part_path, sizeof part_path, "%s.part", path);
    snprintf(bad_path, sizeof bad_path, "%s.bad", path);
    const char *texts[] = {"We condemn it."};
    const char *targets[] = {"RUS"};
    dm_statement_list list;
    make_list(&list, "USA", texts, targets, 1);
    score_list(&list, 2);
    dm_store_outcome o;
    dm_store *main_store = NULL, *part = NULL;
    assert_int_equal(dm_store_open(part_path, DM_STORE_WRITE, &part, &err), DM_OK);
    assert_int_equal(dm_store_use_model(part, "fnv1a64:m1", "m1", "v", "{}", &err), DM_OK);
    char id[16];
    for (int i = 0; i < 200; i++) {
        snprintf(id, sizeof id, "d%d", i);
        dm_document d = doc_of(id, "2022-01-01", id);
        assert_int_equal(dm_store_put(part, &d, &list, NULL, 0, &o, &err), DM_OK);
    }
    assert_int_equal(dm_store_commit(part, &err), DM_OK);
    dm_store_close(&part);
    FILE *f = fopen(part_path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    fclose(f);
    assert_true(size > 8 * 4096);
    assert_int_equal(dm_store_open(path, DM_STORE_WRITE, &main_store, &err), DM_OK);
    dm_store_merge_counts c;
    dm_store_counts n;
    const long cuts[][2] = {{size / 2, -1}, {size - 100, -1}, {-1, 2}, {-1, size / 4096 - 1}};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        copy_damaged(part_path, bad_path, cuts[i][0], cuts[i][1]);
        assert_int_equal(dm_store_merge(main_store, bad_path, &c, &err), DM_E_FORMAT);
        assert_string_equal(err.where, bad_path);
        assert_non_null(strstr(err.message, "damaged store"));
        assert_non_null(strstr(err.message, "nothing of it merged"));
        assert_null(strchr(err.message, '\n'));
        assert_int_equal(dm_store_get_counts(main_store, &n, &err), DM_OK);
        assert_int_equal(n.documents, 0);
    }
    assert_int_equal(dm_store_merge(main_store, part_path, &c, &err), DM_OK);
    assert_int_equal(c.added, 200);
    assert_int_equal(dm_store_get_counts(main_store, &n, &err), DM_OK);
    assert_int_equal(n.documents, 200);
    dm_store_close(&main_store);
    unlink(bad_path);
    dm_statement_list_clear(&list);
}

/* The shard of an id is pinned: FNV-1a 64 of its bytes modulo N (values
 * from an independent implementation), the same on every machine and in
 * every version, or sharded runs would stop adding up. */
static void test_document_shard(void **state)
{
    (void)state;
    assert_int_equal(dm_document_shard("news-01", 8), 6); /* 0xbb16e6e84fa47d66 */
    assert_int_equal(dm_document_shard("news-02", 8), 3); /* 0xbb16e5e84fa47bb3 */
    assert_int_equal(dm_document_shard("doc-1", 3), 2);   /* 0x42d4e5ab72fc8a9b */
    assert_int_equal(dm_document_shard("", 8), 5);        /* the offset basis */
    assert_int_equal(dm_document_shard("news-01", 1), 0);
    assert_int_equal(dm_document_shard(NULL, 8), 0);
    assert_int_equal(dm_document_shard("news-01", 0), 0);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_invalid_arguments, setup),
        cmocka_unit_test_setup(test_idempotent_and_revisions, setup),
        cmocka_unit_test_setup(test_lookup_as_opened, setup),
        cmocka_unit_test_setup(test_models_side_by_side, setup),
        cmocka_unit_test_setup(test_uncommitted_batch_is_lost_whole, setup),
        cmocka_unit_test_setup(test_schema_versions, setup),
        cmocka_unit_test_setup(test_chart_matches_json, setup),
        cmocka_unit_test(test_document_shard),
        cmocka_unit_test_setup(test_merge, setup),
        cmocka_unit_test_setup(test_merge_damaged, setup),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    return rc;
}
