/* demarche-score --db, --rescore, --export, --models: glue between the
 * score run and the store (include/demarche/store.h). */
#include "cli_score_store.h"
#include "cli_pipeline.h"
#include "demarche/store.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct dm_score_store {
    dm_store *store;
    /* Workers look documents up while the writer stores: one connection
     * and its prepared statements, so one call at a time. */
    pthread_mutex_t lock;
    const dm_score_options *opt;
    dm_cli_log *log;
    char model_id[32];
    long added, revisions, already, already_unscored, statements;
    bool failed;
};

static const char *const PROGRAM = "demarche-score";

static void report(dm_cli_log *log, const dm_error *err)
{
    dm_cli_report(log, err);
}

/* "format 1, demarche 0.1.0" from the manifest. */
static void model_version(const char *manifest, char *buf, size_t size)
{
    json_t *m = json_loads(manifest, 0, NULL);
    json_t *f = m ? json_object_get(m, "format_version") : NULL;
    json_t *v = m ? json_object_get(m, "demarche_version") : NULL;
    snprintf(buf, size, "format %lld, demarche %s",
             json_is_integer(f) ? (long long)json_integer_value(f) : 0LL,
             json_is_string(v) ? json_string_value(v) : "?");
    json_decref(m);
}

static bool use_model(dm_score_store *s, dm_score_model *model, dm_error *err)
{
    const char *manifest = dm_score_model_manifest(model);
    char version[128];
    model_version(manifest, version, sizeof version);
    /* The bundle's directory name, as a label. */
    char dir[4096];
    if (s->opt->model_dir)
        snprintf(dir, sizeof dir, "%s", s->opt->model_dir);
    else
        snprintf(dir, sizeof dir, "default");
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = '\0';
    const char *name = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    return dm_store_model_id_of(manifest, s->model_id, sizeof s->model_id, err) == DM_OK &&
           dm_store_use_model(s->store, s->model_id, name, version, manifest, err) == DM_OK;
}

static bool open_store(dm_score_store **out, const dm_score_options *opt, dm_score_model *model,
                       dm_cli_log *log)
{
    *out = NULL;
    dm_score_store *s = calloc(1, sizeof *s);
    if (!s) {
        fprintf(stderr, "%s: out of memory\n", PROGRAM);
        return false;
    }
    s->opt = opt;
    s->log = log;
    pthread_mutex_init(&s->lock, NULL);
    dm_error err;
    /* Lookups as the store was when opened: the workers of -j N skip what
     * earlier runs stored, whatever this run's writer has stored meanwhile
     * (a repeat within the input is extracted again and found stored by
     * the writer), so what is extracted, and said, is the same for every N. */
    if (dm_store_open(opt->db, DM_STORE_WRITE | DM_STORE_LOOKUP_AS_OPENED, &s->store, &err) !=
            DM_OK ||
        (opt->db_batch > 0 && dm_store_set_batch(s->store, opt->db_batch, &err) != DM_OK) ||
        (model && !use_model(s, model, &err))) {
        report(log, &err);
        dm_store_close(&s->store);
        pthread_mutex_destroy(&s->lock);
        free(s);
        return false;
    }
    int was = dm_store_opened_version(s->store);
    if (!opt->quiet && was > 0 && was < DM_STORE_SCHEMA_VERSION)
        fprintf(stderr, "%s: %s: store migrated from schema version %d to %d\n", PROGRAM, opt->db,
                was, DM_STORE_SCHEMA_VERSION);
    *out = s;
    return true;
}

bool dm_score_store_open(dm_score_store **out, const dm_score_options *opt,
                         dm_score_model *model, dm_cli_log *log)
{
    return open_store(out, opt, model, log);
}

bool dm_score_store_known(dm_score_store *s, const dm_document *doc, bool *failed,
                          dm_error *err)
{
    dm_store_outcome outcome;
    bool scored = false;
    pthread_mutex_lock(&s->lock);
    if (dm_store_lookup(s->store, doc, &outcome, &scored, err) != DM_OK) {
        pthread_mutex_unlock(&s->lock);
        *failed = true;
        return false;
    }
    bool known = outcome == DM_STORE_ALREADY;
    if (known) {
        s->already++;
        if (s->model_id[0] && !scored)
            s->already_unscored++;
    }
    pthread_mutex_unlock(&s->lock);
    return known;
}

bool dm_score_store_put(dm_score_store *s, const dm_document *doc, const dm_statement_list *list,
                        const char *where, long line, long *stored)
{
    dm_store_outcome outcome;
    dm_error err;
    *stored = 0;
    pthread_mutex_lock(&s->lock);
    dm_status st = dm_store_put(s->store, doc, list, where, line, &outcome, &err);
    if (st == DM_OK) {
        switch (outcome) {
        case DM_STORE_ADDED: s->added++; *stored = (long)list->n; break;
        case DM_STORE_REVISION: s->revisions++; *stored = (long)list->n; break;
        case DM_STORE_ALREADY: s->already++; break;
        }
        s->statements += *stored;
    } else {
        s->failed = true;
    }
    pthread_mutex_unlock(&s->lock);
    if (st != DM_OK)
        report(s->log, &err);
    return st == DM_OK;
}

bool dm_score_store_finish(dm_score_store **sp, bool quiet)
{
    dm_score_store *s = *sp;
    if (!s)
        return true;
    dm_error err;
    bool ok = !s->failed;
    if (dm_store_commit(s->store, &err) != DM_OK) {
        report(s->log, &err);
        ok = false;
    }
    if (!quiet) {
        fprintf(stderr, "%s: %s: %ld document%s added, %ld new revision%s, %ld already stored;"
                        " %ld statement%s stored%s%s\n",
                PROGRAM, s->opt->db, s->added, dm_cli_s(s->added), s->revisions,
                dm_cli_s(s->revisions), s->already, s->statements, dm_cli_s(s->statements),
                s->model_id[0] ? " with scores of model " : " without scores",
                s->model_id[0] ? s->model_id : " (--extract-only)");
        if (s->already_unscored)
            fprintf(stderr, "%s: %ld of the documents already stored have no scores of this model:"
                            " demarche-score --db %s --rescore adds them\n",
                    PROGRAM, s->already_unscored, s->opt->db);
    }
    dm_store_close(&s->store);
    pthread_mutex_destroy(&s->lock);
    free(s);
    *sp = NULL;
    return ok;
}

/* ---- --rescore ----------------------------------------------------------
 * Documents come from the store in order, in batches; the batch's
 * statements are scored by -j threads (one dm_scorer each, a slice of the
 * batch each), then written back by this thread in store order, so the
 * store ends the same for every -j. The one connection is only used by
 * this thread: reading (dm_store_each) and writing alternate. */

enum { RESCORE_BATCH_PER_THREAD = 64 };

typedef struct rescore_doc {
    long long key;
    char *id;                 /* for messages */
    dm_statement_list list;   /* taken from dm_store_each */
    dm_status status;
    dm_error err;
} rescore_doc;

typedef struct rescore_job {
    dm_score_store *s;
    dm_score_model *model;
    dm_scorer **scorers;      /* one per thread */
    int threads;
    rescore_doc *batch;
    size_t n_batch, cap_batch;
    long documents, statements, errors;
    bool progress, failed;
    time_t last;
} rescore_job;

typedef struct rescore_slice {
    rescore_job *j;
    int t;
} rescore_slice;

/* Thread t scores documents t, t + threads, ...: the batch's documents
 * differ in size, and interleaving shares them out evenly. */
static void *rescore_thread(void *arg)
{
    rescore_slice *sl = arg;
    rescore_job *j = sl->j;
    for (size_t i = (size_t)sl->t; i < j->n_batch; i += (size_t)j->threads) {
        rescore_doc *d = &j->batch[i];
        d->status = dm_scorer_score_list(j->scorers[sl->t], &d->list, &d->err);
    }
    return NULL;
}

static void score_batch(rescore_job *j)
{
    pthread_t tid[DM_CLI_MAX_THREADS];
    rescore_slice sl[DM_CLI_MAX_THREADS];
    int started = 0;
    for (int t = 1; t < j->threads; t++) {
        sl[t] = (rescore_slice){j, t};
        if (pthread_create(&tid[t], NULL, rescore_thread, &sl[t]) != 0)
            break;
        started = t;
    }
    /* This thread takes slice 0, and any slice whose thread did not start. */
    sl[0] = (rescore_slice){j, 0};
    rescore_thread(&sl[0]);
    for (int t = started + 1; t < j->threads; t++) {
        sl[t] = (rescore_slice){j, t};
        rescore_thread(&sl[t]);
    }
    for (int t = 1; t <= started; t++)
        pthread_join(tid[t], NULL);
}

/* Score the batch, then store it in order; false when the store failed. */
static bool flush_batch(rescore_job *j)
{
    score_batch(j);
    bool ok = true;
    for (size_t i = 0; i < j->n_batch; i++) {
        rescore_doc *d = &j->batch[i];
        if (ok && d->status != DM_OK) {
            if (!d->err.where[0]) {
                snprintf(d->err.where, sizeof d->err.where, "%s", d->id);
                d->err.line = 0;
            }
            report(j->s->log, &d->err);
            j->errors++;
        } else if (ok) {
            dm_error err;
            if (dm_store_put_scores(j->s->store, d->key, &d->list, &err) != DM_OK) {
                report(j->s->log, &err);
                j->failed = true;
                ok = false;
            } else {
                j->documents++;
                j->statements += (long)d->list.n;
            }
        }
        dm_statement_list_clear(&d->list);
        free(d->id);
    }
    j->n_batch = 0;
    if (ok && j->progress && time(NULL) != j->last) {
        j->last = time(NULL);
        fprintf(stderr, "\r%ld document%s, %ld statement%s rescored", j->documents,
                dm_cli_s(j->documents), j->statements, dm_cli_s(j->statements));
    }
    return ok;
}

static bool rescore_one(void *user, const dm_store_document *doc, dm_statement_list *list)
{
    rescore_job *j = user;
    /* Scores of other models were loaded with the statements: drop them. */
    for (size_t i = 0; i < list->n; i++) {
        list->v[i].scored = false;
        for (size_t k = 0; k < list->v[i].n_targets; k++)
            list->v[i].targets[k].scored = false;
    }
    rescore_doc *d = &j->batch[j->n_batch];
    *d = (rescore_doc){.key = doc->key, .id = strdup(doc->id ? doc->id : ""),
                       .list = *list, .status = DM_OK};
    dm_statement_list_init(list); /* taken: dm_store_each clears an empty list */
    if (!d->id) {
        dm_statement_list_clear(&d->list);
        fprintf(stderr, "%s: out of memory\n", PROGRAM);
        j->failed = true;
        return false;
    }
    j->n_batch++;
    if (j->n_batch == j->cap_batch)
        return flush_batch(j);
    return true;
}

int dm_score_store_rescore(const dm_score_options *opt, dm_score_model *model, dm_cli_log *log)
{
    dm_score_store *s = NULL;
    if (!open_store(&s, opt, model, log))
        return DM_EXIT_FAILURE;
    int threads = opt->threads > 0 ? opt->threads : dm_pipeline_default_workers();
    if (threads > DM_CLI_MAX_THREADS)
        threads = DM_CLI_MAX_THREADS;
    rescore_job j = {.s = s, .model = model, .progress = opt->progress, .threads = threads};
    j.cap_batch = (size_t)threads * RESCORE_BATCH_PER_THREAD;
    j.batch = calloc(j.cap_batch, sizeof *j.batch);
    j.scorers = calloc((size_t)threads, sizeof *j.scorers);
    dm_error err;
    if (!j.batch || !j.scorers) {
        fprintf(stderr, "%s: out of memory\n", PROGRAM);
        j.failed = true;
    }
    for (int t = 0; !j.failed && t < threads; t++)
        if (dm_score_worker_create(model, &j.scorers[t], &err) != DM_OK) {
            report(log, &err);
            j.failed = true;
        }
    if (!j.failed &&
        dm_store_each(s->store, NULL, DM_STORE_UNSCORED, rescore_one, &j, &err) != DM_OK) {
        report(log, &err);
        j.failed = true;
    }
    if (!j.failed && j.n_batch > 0)
        flush_batch(&j);
    for (size_t i = 0; i < j.n_batch; i++) { /* left after a failure */
        dm_statement_list_clear(&j.batch[i].list);
        free(j.batch[i].id);
    }
    for (int t = 0; j.scorers && t < threads; t++)
        dm_scorer_destroy(&j.scorers[t]);
    free(j.scorers);
    free(j.batch);
    if (j.progress)
        fputs("\r\033[K", stderr);
    if (dm_store_commit(s->store, &err) != DM_OK) {
        report(log, &err);
        j.failed = true;
    }
    if (!opt->quiet)
        fprintf(stderr, "%s: %s: %ld document%s, %ld statement%s rescored with model %s on %d "
                        "thread%s, %ld error%s\n",
                PROGRAM, opt->db, j.documents, dm_cli_s(j.documents), j.statements,
                dm_cli_s(j.statements), s->model_id, threads, dm_cli_s(threads), j.errors,
                dm_cli_s(j.errors));
    dm_store_close(&s->store);
    pthread_mutex_destroy(&s->lock);
    free(s);
    if (j.failed)
        return DM_EXIT_FAILURE;
    return j.errors ? DM_EXIT_DATA : DM_EXIT_OK;
}

/* ---- --export ----------------------------------------------------------- */

typedef struct export_job {
    const dm_score_options *opt;
    dm_cli_output out;
    dm_score_printer printer;
    dm_cli_log *log;
    long documents, statements, below_floor; /* below_floor: --min-attribution's */
    bool failed;
} export_job;

static bool export_one(void *user, const dm_store_document *doc, dm_statement_list *list)
{
    export_job *j = user;
    j->documents++;
    for (size_t i = 0; i < list->n; i++) {
        if (!dm_score_attribution_kept(&list->v[i], j->opt->min_attribution)) {
            j->below_floor++;
            continue;
        }
        dm_error err;
        if (!dm_score_print(&j->printer, &list->v[i], doc->id, doc->date, &err)) {
            report(j->log, &err);
            continue;
        }
        j->statements++;
        if (!dm_cli_output_ok(&j->out)) {
            j->failed = true;
            return false;
        }
    }
    return true;
}

static bool open_read(const dm_score_options *opt, dm_store **store, dm_cli_log *log)
{
    dm_error err;
    if (dm_store_open(opt->db, DM_STORE_READ, store, &err) != DM_OK) {
        report(log, &err);
        return false;
    }
    return true;
}

int dm_score_store_export(const dm_score_options *opt, dm_cli_log *log)
{
    dm_store *store = NULL;
    if (!open_read(opt, &store, log))
        return DM_EXIT_FAILURE;
    export_job j = {.opt = opt, .log = log};
    if (!dm_cli_output_open(&j.out, opt->output, PROGRAM)) {
        dm_store_close(&store);
        return DM_EXIT_FAILURE;
    }
    dm_score_printer_init(&j.printer, j.out.fp, opt->table, true, opt->context, false);
    dm_error err;
    dm_status st = dm_store_each(store, opt->db_model, 0, export_one, &j, &err);
    if (st != DM_OK)
        report(log, &err);
    bool ok = st == DM_OK && !j.failed;
    if (ok) {
        dm_score_printer_finish(&j.printer);
        ok = dm_cli_output_commit(&j.out, PROGRAM);
    } else {
        dm_cli_output_abort(&j.out);
    }
    char floor[96] = "";
    if (opt->min_attribution != DM_ATTRIBUTION_ANY)
        snprintf(floor, sizeof floor, " (%ld more below --min-attribution %s, not printed)",
                 j.below_floor, opt->min_attribution == DM_ATTRIBUTION_CUE ? "cue" : "resolved");
    if (!opt->quiet)
        fprintf(stderr, "%s: %s: exported %ld document%s, %ld statement%s%s\n", PROGRAM, opt->db,
                j.documents, dm_cli_s(j.documents), j.statements, dm_cli_s(j.statements), floor);
    dm_store_close(&store);
    return ok ? (log->counts->errors ? DM_EXIT_DATA : DM_EXIT_OK) : DM_EXIT_FAILURE;
}

/* ---- --merge ------------------------------------------------------------ */

int dm_score_store_merge(const dm_score_options *opt, dm_cli_log *log)
{
    dm_store *store = NULL;
    dm_error err;
    if (dm_store_open(opt->db, DM_STORE_WRITE, &store, &err) != DM_OK ||
        (opt->db_batch > 0 && dm_store_set_batch(store, opt->db_batch, &err) != DM_OK)) {
        report(log, &err);
        dm_store_close(&store);
        return DM_EXIT_FAILURE;
    }
    long errors = 0;
    dm_store_merge_counts total = {0};
    for (size_t i = 0; i < opt->n_inputs; i++) {
        dm_store_merge_counts c;
        if (dm_store_merge(store, opt->inputs[i], &c, &err) != DM_OK) {
            if (!err.where[0])
                snprintf(err.where, sizeof err.where, "%s", opt->inputs[i]);
            report(log, &err);
            errors++;
            continue;
        }
        total.added += c.added;
        total.revisions += c.revisions;
        total.already += c.already;
        if (!opt->quiet)
            fprintf(stderr, "%s: %s: %lld document%s added, %lld new revision%s, %lld already stored\n",
                    PROGRAM, opt->inputs[i], c.added, dm_cli_s(c.added), c.revisions,
                    dm_cli_s(c.revisions), c.already);
    }
    if (!opt->quiet)
        fprintf(stderr, "%s: %s: merged %zu part%s (%ld failed): %lld document%s added, %lld new"
                        " revision%s, %lld already stored\n", PROGRAM, opt->db,
                opt->n_inputs - (size_t)errors, dm_cli_s((long long)(opt->n_inputs - (size_t)errors)),
                errors, total.added, dm_cli_s(total.added), total.revisions,
                dm_cli_s(total.revisions), total.already);
    dm_store_close(&store);
    return errors ? DM_EXIT_DATA : DM_EXIT_OK;
}

/* ---- --models ----------------------------------------------------------- */

static bool print_model(void *user, const char *model_id, const char *name, const char *version,
                        long long scored)
{
    (void)user;
    printf("%s\t%s\t%s\t%lld statements scored\n", model_id, name ? name : "-",
           version ? version : "-", scored);
    return true;
}

int dm_score_store_list_models(const dm_score_options *opt, dm_cli_log *log)
{
    dm_store *store = NULL;
    if (!open_read(opt, &store, log))
        return DM_EXIT_FAILURE;
    dm_error err;
    dm_status st = dm_store_models(store, print_model, NULL, &err);
    if (st != DM_OK)
        report(log, &err);
    dm_store_close(&store);
    if (fflush(stdout) != 0)
        return DM_EXIT_FAILURE;
    return st == DM_OK ? DM_EXIT_OK : DM_EXIT_FAILURE;
}
