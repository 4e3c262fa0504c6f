/* demarche-score's job: load, read every input, extract, score, print. */
#include "cli_score.h"
#include "cli_common.h"
#include "cli_score_output.h"
#include "cli_score_store.h"
#include "cli_pipeline.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Raw text documents larger than this are refused with a message: as long
 * as the longest JSON Lines record (64 MB, some 20 novels). Such a document
 * is read in 1 MB windows (dm_extractor_set_window): it needs some 8 bytes
 * of memory a byte, most of them its statements (12.5 MB: 103 MB), and
 * some 3 s of CPU a megabyte (README, "Input: encodings, errors and limits"). */
#define MAX_TEXT_DOCUMENT DM_READER_DEFAULT_MAX_LINE

bool dm_score_parse_min_attribution(const char *name, dm_attribution_floor *out)
{
    static const char *const NAMES[] = {"any", "resolved", "cue"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, NAMES[i]) == 0) {
            *out = (dm_attribution_floor)i;
            return true;
        }
    return false;
}

bool dm_score_attribution_kept(const dm_statement *st, dm_attribution_floor floor)
{
    switch (st->attribution) {
    case DM_ATTR_CUE: case DM_ATTR_ACCORDING_TO: case DM_ATTR_HEADLINE:
    case DM_ATTR_STRIPPED_VERB: case DM_ATTR_GIVEN:
        return true;
    case DM_ATTR_PRONOUN: case DM_ATTR_DESCRIPTION: case DM_ATTR_SUBJECT:
    case DM_ATTR_PREVIOUS:
        return floor <= DM_ATTRIBUTION_RESOLVED;
    case DM_ATTR_CARRIED: case DM_ATTR_RANKED: case DM_ATTR_NONE:
        break;
    }
    return floor == DM_ATTRIBUTION_ANY;
}

void dm_score_options_init(dm_score_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->format = DM_SCORE_FORMAT_AUTO;
    opt->offsets = DM_OFFSETS_BYTES;
}

/* Work is handed out in batches: up to BATCH_RECORDS JSON lines or
 * BATCH_BYTES of input (a raw text document is a batch of its own), so
 * that a thread's handover costs little against the work of a batch, and
 * that there are batches enough to share out: with 1 MB, the 4.5 MB of
 * speeches of the benchmark (bench/speed.py) were 5 batches for 2 workers,
 * one of them idle while the other worked the last. At
 * most QUEUE_PER_WORKER batches a worker are in flight (read and not yet
 * written): memory stays bounded whatever the input's size. */
/* The longest given statement (--statements, --lines, --text), in bytes:
 * 1 MB, as a labelled statement in training data. */
#define MAX_GIVEN_STATEMENT ((size_t)1 << 20)
#define BATCH_RECORDS 256
#define BATCH_BYTES ((size_t)64 << 10)
#define QUEUE_PER_WORKER 2

typedef enum {
    ITEM_SHELL,             /* -e TEXT (text borrowed; line: its index) */
    ITEM_LINE,              /* a JSON Lines record */
    ITEM_GIVEN,             /* a line that is one given statement (--lines) */
    ITEM_TEXT,              /* a raw text document */
    ITEM_ERROR,             /* what the reader could not read */
    ITEM_EMPTY              /* an input with no document in it (a warning) */
} item_kind;

/* A message a worker logged, replayed by the writer through the run's own
 * logger, in input order: so --warnings=summary picks the same first three
 * of each kind, and the counts are the same, for every -j. */
typedef struct score_event {
    dm_log_level level;
    char *where;
    long line;
    char *message;
    size_t text_before;     /* the batch's text stream up to here comes first */
} score_event;

/* --db: a worked document and its scored statements, which the writer
 * stores in input order (the store is one connection, its rows in input
 * order for every -j). Owns copies of the document's strings. */
typedef struct stored_doc {
    char *id, *date, *title, *source, *speaker, *speaker_actor, *text;
    size_t text_len;
    const char *where;      /* interned for the run, or a literal */
    long line;
    dm_statement_list list;
} stored_doc;

/* One input record as the reader hands it to a worker. */
typedef struct score_item {
    item_kind kind;
    const char *where;      /* the input's name (interned for the run) */
    long line;
    char *text;             /* LINE: the JSON line; TEXT: the document */
    size_t len;
    /* LINE, GIVEN: text is in the batch's `lines` (not an allocation of its
     * own), at text_at until the batch is read whole. */
    bool in_lines;
    size_t text_at;
    const char *doc_id;     /* TEXT, GIVEN: the file's base name ("-": stdin) */
    dm_error *err;          /* ERROR: what the reader could not read */
    /* Filled by the worker: where the record's output ends in the batch's
     * streams, and the batch's counts after it. The writer writes record
     * by record, so that a failed write stops the run after the same
     * record for every -j. */
    size_t out_end, log_end;
    dm_cli_counts counts;
    long silent_documents, other_shards, rows, below_floor;
    size_t events_end;      /* the batch's events up to here are this record's */
    stored_doc *stored;     /* --db: what the writer stores after the record */
} score_item;

/* A batch: items in input order, and what working them printed. */
typedef struct score_batch {
    _Alignas(64) score_item *items; /* (cache lines of its own: see calloc_lines) */
    size_t n, cap, bytes;
    /* The batch's lines, one after another, each NUL-terminated: one
     * allocation a batch instead of one a line. (The reader made the lines
     * and the writer freed them: with -j 2, a free a line into another
     * thread's malloc arena, under its lock, while the reader allocated from
     * it.) */
    char *lines;
    size_t lines_len, lines_cap;
    char *out, *log;        /* stdout bytes, and stderr text (--explain) */
    size_t out_len, log_len;
    size_t out_cap;         /* JSON Lines: out's size, kept when the batch is reused */
    bool lost;              /* no memory for the batch's streams: its records are lost */
    FILE *log_fp;           /* the stream writing `log` while the batch is worked (--explain) */
    score_event *events;    /* messages, in order */
    size_t n_events, cap_events;
    dm_cli_counts counts;   /* what the batch adds to the summary */
    long silent_documents;  /* documents (not given statements) with no statement */
    long other_shards;      /* --shard: records left to the other shards' tasks */
    long below_floor;       /* statements --min-attribution did not print */
    long rows;              /* table rows printed */
    struct score_batch *next_free; /* in the run's pool of written batches */
} score_batch;

/* The reader's position in the inputs. */
typedef struct input_iter {
    size_t next;            /* next input to open */
    dm_reader *reader;      /* the input being read line by line */
    bool given_lines;       /* its lines are given statements (--lines) */
    const char *name;       /* its interned name */
    const char *id;         /* its document id for --lines */
    long records;           /* records (and errors) read from it so far */
    bool stdin_only;        /* no FILE given: read "-" */
    char **names;           /* interned names, freed at the end of the run */
    size_t n_names;
} input_iter;

typedef struct score_run score_run;

/* One worker's state: its scorer, record buffer and the batch streams. */
typedef struct score_worker {
    _Alignas(64) score_run *run; /* (a worker's state: cache lines of its own) */
    dm_scorer *scorer;      /* NULL with --extract-only */
    dm_record rec;
    /* The record's statements: emptied after each document but kept with
     * its array, which the next document's statements reuse (a given
     * statement's list cost an allocation, a realloc and a free). */
    dm_statement_list list;
    dm_score_printer printer;
    dm_logger logger;       /* capture(): into the batch's events */
    score_batch *batch;     /* the batch being worked */
    dm_cli_counts *counts;
    long *silent_documents;
    long *other_shards;
    long *below_floor;
    FILE *err_fp;           /* where explanations and messages go */
    bool targets_left_out;  /* every target the record named was left out */
    int given_index;        /* > 0: the index of the given statement (-e, --lines) */
    /* The input line of the record being processed (JSON Lines, --lines):
     * the library's messages about that document (its id, no line) are
     * reported at file:line, as the input's own errors are. */
    const char *record_id, *record_where;
    long record_line;
    score_item *item;       /* the record being processed (--db hands it its document) */
} score_worker;

/* Zeroed memory that starts a cache line and fills its last one: what
 * one thread changes for every record must not share a line with what
 * another reads (a worker's state, a batch, the run). */
static void *calloc_lines(size_t size)
{
    size_t n = (size + 63) & ~(size_t)63;
    void *p = n >= size ? aligned_alloc(64, n) : NULL;
    if (p)
        memset(p, 0, n);
    return p;
}

/* Its fields in two parts: what the workers read for every record first,
 * and from a cache line of its own on what the reader and the writer change
 * for every record (counts, the log, the input's position): sharing a line
 * with those, a worker's every record found its line taken by another CPU.
 * (r is allocated aligned: see dm_score_run.) */
struct score_run {
    /* Read by the workers (and written only before they start, or once,
     * to stop them). */
    const dm_score_options *opt;
    dm_actors *actors;
    dm_cues *cues;
    dm_extractor *extractor;
    dm_ranker *ranker;           /* NULL: the rules' guesses stay */
    dm_score_model *model;       /* NULL with --extract-only */
    dm_score_store *store;       /* --db: documents go there instead of the output,
                                  * stored by the writer in input order */
    atomic_bool lookup_failed;   /* a worker could not read the store: stop */
    atomic_bool stopping;        /* the writer stopped: the reader reads no more */
    dm_score_options opt_copy;
    dm_record_target option_targets[DM_SCORE_MAX_TARGETS]; /* --target */
    score_worker *workers;
    int n_workers;
    size_t max_line;             /* DEMARCHE_MAX_LINE, for tests; 0: default */
    /* Changed by the reader and the writer. */
    _Alignas(64) dm_cli_output out;
    dm_score_printer printer;    /* the writer's: header, row count, finish */
    bool store_failed;           /* the store cannot be written: stop (writer) */
    dm_cli_counts counts;
    dm_cli_log log;
    dm_logger logger;
    time_t last_progress;
    struct timespec started;
    long long total_bytes;       /* the inputs' sizes; < 0: unknown (stdin, a pipe) */
    long long done_bytes;        /* of the inputs read to their end (reader) */
    atomic_llong bytes_read;     /* done_bytes and the offset in the current one */
    bool output_failed;
    input_iter in;
    long silent_documents;       /* documents (not given statements) with no statement */
    long other_shards;           /* --shard: records left to the other shards' tasks */
    long below_floor;            /* statements --min-attribution did not print */
    /* Written batches, emptied but with their items, lines and output
     * buffers, for the reader to fill again: with -j 2 and more, a batch
     * made and freed each time cost fresh memory (page faults) and frees
     * into other threads' malloc arenas. The writer puts, the reader takes. */
    pthread_mutex_t pool_mu;
    score_batch *pool;
};

/* One line on stderr, redrawn once a second: counts, the rate, and the
 * share of the input read when its size is known. Messages clear it first
 * (dm_cli_clear_progress), so a warning never starts after it. Drawn by the
 * writer; the reader publishes how far it has read (bytes_read). */
static void progress(score_run *r, bool final)
{
    if (!r->opt->progress)
        return;
    if (final) {
        dm_cli_clear_progress(&r->log);
        return;
    }
    time_t now = time(NULL);
    /* DEMARCHE_PROGRESS_EVERY_RECORD: redraw after every record (tests). */
    if (now == r->last_progress && !getenv("DEMARCHE_PROGRESS_EVERY_RECORD"))
        return;
    r->last_progress = now;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double secs = (double)(t.tv_sec - r->started.tv_sec) +
                  (double)(t.tv_nsec - r->started.tv_nsec) / 1e9;
    char share[32] = "";
    long long at = atomic_load(&r->bytes_read);
    if (r->total_bytes > 0 && at >= 0) {
        double pct = 100.0 * (double)at / (double)r->total_bytes;
        snprintf(share, sizeof share, ", %.0f%% read", pct > 100.0 ? 100.0 : pct);
    }
    fprintf(stderr, "\r%ld document%s, %ld statement%s (%.0f/s), %ld error%s%s\033[K",
            r->counts.documents, dm_cli_s(r->counts.documents), r->counts.statements,
            dm_cli_s(r->counts.statements),
            secs > 0 ? (double)r->counts.statements / secs : 0.0, r->counts.errors,
            dm_cli_s(r->counts.errors), share);
    r->log.progress_drawn = true;
}

/* Replace the found targets of a given statement by the targets the user
 * named: an actor keeps the span where the statement mentions it; a span
 * without an actor is keyed by dm_target_key (the actor the dictionary finds
 * in its words, else the words), as the training readers key it. */
static dm_status apply_given_targets(dm_statement *st, const dm_document *doc,
                                     const dm_actors *actors,
                                     const dm_record_target *given, size_t n_given,
                                     dm_error *err)
{
    dm_target *found = st->targets;
    size_t n_found = st->n_targets;
    st->targets = NULL;
    st->n_targets = 0;
    dm_text *text = NULL;
    dm_status s = DM_OK;
    for (size_t i = 0; i < n_given && s == DM_OK; i++) {
        const dm_record_target *g = &given[i];
        if (g->has_span) {
            if (!text && (s = dm_text_create(doc->text, doc->text_len, &text, err)) != DM_OK)
                break;
            dm_span norm = dm_text_norm_span(text, g->start, g->end);
            char *key = NULL;
            char *words = strndup(doc->text + g->start, g->end - g->start);
            if (!words) {
                s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
                break;
            }
            if (!g->actor)
                s = dm_target_key(actors, dm_text_norm(text), dm_text_norm_len(text), norm.start,
                                  norm.end, doc->date, &key, err);
            if (s == DM_OK)
                s = dm_statement_add_target(st, g->actor ? g->actor : key, words, true, g->start,
                                            g->end, norm.start, norm.end);
            free(key);
            free(words);
        } else {
            const dm_target *match = NULL;
            for (size_t k = 0; !match && k < n_found; k++)
                if (strcmp(found[k].actor, g->actor) == 0)
                    match = &found[k];
            if (match)
                s = dm_statement_add_target(st, g->actor, match->mention, match->has_span,
                                            match->start, match->end, match->norm_start,
                                            match->norm_end);
            else
                s = dm_statement_add_target(st, g->actor, NULL, false, 0, 0, 0, 0);
        }
    }
    dm_text_destroy(&text);
    for (size_t k = 0; k < n_found; k++) {
        free(found[k].actor);
        free(found[k].mention);
    }
    free(found);
    return s;
}

/* The workers' logger: the message becomes an event of the batch. Out of
 * memory, it is printed at once rather than lost (order aside). */
static void capture(void *user, dm_log_level level, const char *where, long line,
                    const char *message)
{
    score_worker *w = user;
    score_batch *b = w->batch;
    if (line == 0 && w->record_line > 0 && where && w->record_id &&
        strcmp(where, w->record_id) == 0) {
        where = w->record_where;
        line = w->record_line;
    }
    if (b->n_events == b->cap_events) {
        size_t cap = b->cap_events ? b->cap_events * 2 : 16;
        score_event *v = realloc(b->events, cap * sizeof *v);
        if (!v) {
            fprintf(stderr, "%s: %s\n", where && *where ? where : "demarche-score", message);
            return;
        }
        b->events = v;
        b->cap_events = cap;
    }
    if (b->log_fp)
        fflush(b->log_fp);
    score_event *e = &b->events[b->n_events];
    *e = (score_event){level, where ? strdup(where) : NULL, line, strdup(message ? message : ""),
                       b->log_len};
    if (!e->message) {
        free(e->where);
        fprintf(stderr, "%s: %s\n", where && *where ? where : "demarche-score", message);
        return;
    }
    b->n_events++;
}

/* Messages about document `id` from here on belong to the item's line. */
static void record_begin(score_worker *w, const char *id, const score_item *it)
{
    w->record_id = id;
    w->record_where = it->where;
    w->record_line = it->line;
}

static void worker_report(score_worker *w, const dm_error *err)
{
    capture(w, DM_LOG_ERROR, err->where, err->line, err->message);
}

static void stored_doc_free(stored_doc *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->date);
    free(d->title);
    free(d->source);
    free(d->speaker);
    free(d->speaker_actor);
    free(d->text);
    dm_statement_list_clear(&d->list);
    free(d);
}

static bool copy_string(char **to, const char *from)
{
    *to = from ? strdup(from) : NULL;
    return !from || *to;
}

/* --db: hand the document and its statements (moved from *list) to the
 * writer through the worker's current item. */
static bool keep_for_store(score_worker *w, const dm_document *doc, dm_statement_list *list,
                           const char *where, long line)
{
    stored_doc *d = calloc(1, sizeof *d);
    if (!d)
        return false;
    d->text = malloc(doc->text_len + 1);
    if (!d->text || !copy_string(&d->id, doc->id) || !copy_string(&d->date, doc->date) ||
        !copy_string(&d->title, doc->title) || !copy_string(&d->source, doc->source) ||
        !copy_string(&d->speaker, doc->speaker) ||
        !copy_string(&d->speaker_actor, doc->speaker_actor)) {
        stored_doc_free(d);
        return false;
    }
    if (doc->text_len)
        memcpy(d->text, doc->text, doc->text_len);
    d->text[doc->text_len] = '\0';
    d->text_len = doc->text_len;
    d->where = where;
    d->line = line;
    d->list = *list;
    dm_statement_list_init(list);
    w->item->stored = d;
    return true;
}

/* The writer's half of --db: store the item's document; false when the
 * store cannot be written (the run stops). */
static bool store_item(score_run *r, score_item *it)
{
    stored_doc *d = it->stored;
    dm_document doc = {.id = d->id, .date = d->date, .title = d->title, .source = d->source,
                       .speaker = d->speaker, .speaker_actor = d->speaker_actor,
                       .text = d->text, .text_len = d->text_len};
    long stored = 0;
    if (!dm_score_store_put(r->store, &doc, &d->list, d->where, d->line, &stored))
        return false;
    r->counts.statements += stored;
    return true;
}

/* Extract (or take as given), score and print one document into the
 * worker's streams. Errors are reported and counted; the run goes on. */
static void process_document(score_worker *w, const dm_document *doc, bool given,
                             const dm_record_target *targets, size_t n_targets,
                             const char *where, long line)
{
    score_run *r = w->run;
    dm_statement_list *list = &w->list; /* empty, its array kept (see score_worker) */
    dm_error err;
    dm_error_clear(&err);
    /* --shard K/N: another task's document. */
    if (r->opt->shard_n && dm_document_shard(doc->id, r->opt->shard_n) != r->opt->shard_k) {
        (*w->other_shards)++;
        return;
    }
    w->counts->documents++;
    /* A given statement is analysed whole (a document goes in windows):
     * featurising holds some 60-90 bytes per byte of it, and time grows
     * faster than its length (a 3 MB one ran for minutes). */
    if (given && doc->text_len > MAX_GIVEN_STATEMENT) {
        dm_error_set(&err, DM_E_PARSE, where, line,
                     "a given statement of %zu bytes, over the %zu a statement may have "
                     "(a document? give it without --statements or --lines: documents are "
                     "read in windows)", doc->text_len, MAX_GIVEN_STATEMENT);
        worker_report(w, &err);
        return;
    }
    /* --db: what is stored already is not extracted again (a resumed run). */
    if (r->store) {
        bool failed = false;
        if (dm_score_store_known(r->store, doc, &failed, &err))
            return;
        if (failed) {
            worker_report(w, &err);
            atomic_store(&r->lookup_failed, true);
            return;
        }
    }
    /* --target names the targets of a given statement that names none. */
    if (given && n_targets == 0 && !w->targets_left_out && r->opt->n_targets > 0) {
        targets = r->option_targets;
        n_targets = r->opt->n_targets;
    }
    dm_status s = given ? dm_extract_given(r->extractor, doc, list, &w->logger, &err)
                        : dm_extract(r->extractor, doc, list, &w->logger, &err);
    if (s == DM_OK && given && w->given_index > 0 && list->n > 0)
        list->v[0].n = w->given_index;
    if (s == DM_OK && !given && list->n == 0)
        (*w->silent_documents)++;
    if (s == DM_OK && given && (n_targets > 0 || w->targets_left_out) && list->n > 0)
        s = apply_given_targets(&list->v[0], doc, r->actors, targets, n_targets, &err);
    if (s == DM_OK && w->scorer)
        s = dm_scorer_score_list(w->scorer, list, &err);
    if (s != DM_OK) {
        if (!err.where[0] && where) {
            snprintf(err.where, sizeof err.where, "%s", where);
            err.line = line;
        }
        worker_report(w, &err);
    } else if (r->store) {
        if (!keep_for_store(w, doc, list, where, line)) {
            dm_error_set(&err, DM_E_NOMEM, where, line, "out of memory: document not stored");
            worker_report(w, &err);
        }
    } else {
        size_t printed = 0;
        for (size_t i = 0; i < list->n; i++) {
            if (!dm_score_attribution_kept(&list->v[i], r->opt->min_attribution)) {
                (*w->below_floor)++;
                continue;
            }
            printed++;
            bool chars = r->opt->offsets == DM_OFFSETS_CHARS;
            if (!(chars ? dm_score_print_chars(&w->printer, &list->v[i], doc->id, doc->date,
                                               doc->text, doc->text_len, &err)
                        : dm_score_print(&w->printer, &list->v[i], doc->id, doc->date, &err))) {
                worker_report(w, &err);
                continue;
            }
            if (r->opt->explain && w->scorer)
                dm_score_explain(w->scorer, &list->v[i], &w->printer, w->err_fp);
        }
        w->counts->statements += (long)printed;
    }
    for (size_t i = 0; i < list->n; i++)
        dm_statement_clear(&list->v[i]);
    list->n = 0;
}

/* --shard: a record without an id (a bad one) belongs to the shard of
 * "FILE:LINE", as a record without "id" gets that id. */
static bool in_shard_by_line(const score_run *r, const char *where, long line)
{
    if (!r->opt->shard_n)
        return true;
    char id[4200];
    snprintf(id, sizeof id, "%s:%ld", where, line);
    return dm_document_shard(id, r->opt->shard_n) == r->opt->shard_k;
}

/* One JSON line: a document, or a statement with --statements. */
static void process_line(score_worker *w, const score_item *it)
{
    const dm_score_options *o = w->run->opt;
    dm_error err;
    dm_error_clear(&err);
    dm_status s = dm_record_parse_json(it->text, it->len, it->where, it->line, o->offsets,
                                       &w->logger, &w->rec, &err);
    if (s != DM_OK && !in_shard_by_line(w->run, it->where, it->line)) {
        (*w->other_shards)++; /* a bad record is reported by one task only */
        return;
    }
    if (s != DM_OK) {
        w->counts->documents++;
        worker_report(w, &err);
        return;
    }
    if (dm_date_given(w->rec.date)) { /* "" or white space: no date, said nowhere */
        dm_date d;
        dm_error derr;
        if (dm_date_parse(w->rec.date, &d, &derr) != DM_OK)
            capture(w, DM_LOG_WARNING, it->where, it->line, derr.message);
    }
    dm_document doc = dm_record_document(&w->rec);
    /* --date: for records that give none (no key, null, "" or blank). */
    if (o->date && !dm_date_given(doc.date))
        doc.date = o->date;
    /* --speaker / --speaker-actor: for records that name none. */
    if (!doc.speaker && !doc.speaker_actor) {
        doc.speaker = o->speaker;
        doc.speaker_actor = o->speaker_actor;
    }
    /* Targets named but all left out: score none rather than the ones
     * the dictionary finds. */
    w->targets_left_out = w->rec.n_targets == 0 && w->rec.n_rejected > 0;
    record_begin(w, doc.id, it);
    process_document(w, &doc, o->statements, w->rec.targets, w->rec.n_targets, it->where,
                     it->line);
    w->record_line = 0;
    w->targets_left_out = false;
}

/* A raw text file: one document (one statement with --statements). */
static void process_text(score_worker *w, const score_item *it)
{
    const dm_score_options *o = w->run->opt;
    dm_document doc = {
        .id = it->doc_id,
        .date = o->date,
        .speaker = o->speaker,
        .speaker_actor = o->speaker_actor,
        .text = it->text,
        .text_len = it->len,
    };
    process_document(w, &doc, false, NULL, 0, it->where, 1);
}

/* --lines (and --statements on plain text): every non-blank line is one
 * given statement, its index the line number, its doc the file. */
static void process_given_line(score_worker *w, const score_item *it)
{
    const dm_score_options *o = w->run->opt;
    dm_document doc = {
        .id = it->doc_id,
        .date = o->date,
        .speaker = o->speaker,
        .speaker_actor = o->speaker_actor,
        .text = it->text,
        .text_len = it->len,
    };
    w->given_index = it->line > 0 && it->line <= 0x7fffffff ? (int)it->line : 0;
    record_begin(w, doc.id, it);
    process_document(w, &doc, true, NULL, 0, it->where, it->line);
    w->record_line = 0;
    w->given_index = 0;
}

/* -e TEXT (repeatable): a statement typed at the shell, numbered in order. */
static void process_shell_text(score_worker *w, const score_item *it)
{
    const dm_score_options *o = w->run->opt;
    dm_document doc = {
        .id = "-e",
        .date = o->date,
        .speaker = o->speaker,
        .speaker_actor = o->speaker_actor,
        .text = it->text,
        .text_len = it->len,
    };
    w->given_index = (int)it->line;
    process_document(w, &doc, true, NULL, 0, "-e", 0);
    w->given_index = 0;
}

static void process_item(score_worker *w, const score_item *it)
{
    if (atomic_load(&w->run->lookup_failed) || atomic_load(&w->run->stopping))
        return;                 /* the run stops (the store failed) */
    switch (it->kind) {
    case ITEM_SHELL:
        process_shell_text(w, it);
        break;
    case ITEM_LINE:
        process_line(w, it);
        break;
    case ITEM_GIVEN:
        process_given_line(w, it);
        break;
    case ITEM_TEXT:
        process_text(w, it);
        break;
    case ITEM_ERROR:
        /* A document (or more) that could not be read: an over-long line is
         * a record lost, an open or read error loses the rest of a file. */
        w->counts->documents++;
        worker_report(w, it->err);
        break;
    case ITEM_EMPTY:
        /* Not a document: an empty download must not read as one that
         * held nothing to quote (the summary says 0 documents). */
        capture(w, DM_LOG_WARNING, it->where, 0,
                "empty input: no document in it (0 bytes, or only blank lines)");
        break;
    }
}

/* ---- the reader ---- */

/* What b's items and events own (the arrays themselves are kept). */
static void batch_free_contents(score_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        if (b->items[i].kind != ITEM_SHELL && !b->items[i].in_lines)
            free(b->items[i].text);
        free(b->items[i].err);
        stored_doc_free(b->items[i].stored);
    }
    for (size_t i = 0; i < b->n_events; i++) {
        free(b->events[i].where);
        free(b->events[i].message);
    }
}

static void batch_free(score_batch *b)
{
    if (!b)
        return;
    batch_free_contents(b);
    free(b->items);
    free(b->lines);
    free(b->events);
    free(b->out);
    free(b->log);
    free(b);
}

/* A buffer over this size is not kept for the next batch. */
#define POOL_KEEP_BYTES ((size_t)8 << 20)

/* Empty a written batch for reuse: what its items own is freed, its
 * arrays and buffers are kept (a table's output, a stream's, is not). */
static void batch_reset(score_batch *b, bool keep_out)
{
    batch_free_contents(b);
    if (!keep_out || b->out_cap > POOL_KEEP_BYTES) {
        free(b->out);
        b->out = NULL;
        b->out_cap = 0;
    }
    if (b->lines_cap > POOL_KEEP_BYTES) {
        free(b->lines);
        b->lines = NULL;
        b->lines_cap = 0;
    }
    free(b->log);
    *b = (score_batch){.items = b->items, .cap = b->cap, .lines = b->lines,
                       .lines_cap = b->lines_cap, .out = b->out, .out_cap = b->out_cap,
                       .events = b->events, .cap_events = b->cap_events};
}

/* The writer is done with b: into the pool. */
static void batch_recycle(score_run *r, score_batch *b)
{
    batch_reset(b, !r->opt->table);
    pthread_mutex_lock(&r->pool_mu);
    b->next_free = r->pool;
    r->pool = b;
    pthread_mutex_unlock(&r->pool_mu);
}

static score_batch *batch_take(score_run *r)
{
    pthread_mutex_lock(&r->pool_mu);
    score_batch *b = r->pool;
    if (b) {
        r->pool = b->next_free;
        b->next_free = NULL;
    }
    pthread_mutex_unlock(&r->pool_mu);
    return b ? b : calloc_lines(sizeof *b);
}

static score_item *batch_push(score_batch *b)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        score_item *v = realloc(b->items, cap * sizeof *v);
        if (!v)
            return NULL;
        b->items = v;
        b->cap = cap;
    }
    score_item *it = &b->items[b->n++];
    memset(it, 0, sizeof *it);
    return it;
}

/* Add an error item; false when out of memory (the batch ends). */
static bool push_error(score_batch *b, const char *where, const dm_error *err)
{
    score_item *it = batch_push(b);
    dm_error *copy = it ? malloc(sizeof *copy) : NULL;
    if (!copy) {
        if (it)
            b->n--;
        return false;
    }
    *copy = *err;
    *it = (score_item){.kind = ITEM_ERROR, .where = where, .err = copy};
    return true;
}

/* Close an input, counting its bytes as read (progress). */
static void finish_input(score_run *r, dm_reader **reader)
{
    long long at = dm_reader_offset(*reader);
    r->done_bytes += at > 0 ? at : 0;
    dm_reader_destroy(reader);
}

static const char *intern_name(input_iter *in, const char *name)
{
    char **v = realloc(in->names, (in->n_names + 1) * sizeof *v);
    if (!v)
        return name;
    in->names = v;
    char *copy = strdup(name);
    if (!copy)
        return name;
    v[in->n_names++] = copy;
    return copy;
}

/* An input that held no document: a warning of its own, in input order. */
static void push_empty(score_batch *b, const char *where)
{
    score_item *it = batch_push(b);
    if (it)
        *it = (score_item){.kind = ITEM_EMPTY, .where = where};
}

static bool only_blanks(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r' &&
            text[i] != '\f' && text[i] != '\v')
            return false;
    return true;
}

/* A file that is one JSON array of records ([{"id":...,"text":...}, ...], as
 * json.dump or pandas write them): not a text to find quotations in. Sets
 * *err when it is one. */
static bool json_array_of_records(const char *text, size_t len, dm_error *err,
                                  const char *name)
{
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    if (i == len || text[i] != '[')
        return false;
    json_t *v = json_loadb(text, len, 0, NULL);
    bool records = json_is_array(v) && json_array_size(v) > 0 &&
                   json_is_object(json_array_get(v, 0));
    size_t n = records ? json_array_size(v) : 0;
    json_decref(v);
    if (records)
        dm_error_set(err, DM_E_PARSE, name, 1,
                     "one JSON array of %zu record%s, not JSON Lines (one record a line): "
                     "convert it (jq -c '.[]' FILE >FILE.jsonl), or --format text to score it "
                     "as a text", n, dm_cli_s((long long)n));
    return records;
}

/* Open the next input. A raw text file is read whole into `b` here; a JSON
 * Lines one stays open in r->in.reader. */
static void open_next(score_run *r, score_batch *b)
{
    input_iter *in = &r->in;
    const char *path = in->stdin_only ? "-" : r->opt->inputs[in->next];
    in->next++;
    dm_reader *reader = NULL;
    dm_error err;
    if (dm_reader_open(path, &reader, &err) != DM_OK) {
        push_error(b, NULL, &err);
        return;
    }
    if (r->max_line)
        dm_reader_set_max_line(reader, r->max_line);
    in->name = intern_name(in, dm_reader_name(reader));
    in->records = 0;
    bool jsonl = r->opt->format == DM_SCORE_FORMAT_JSONL ||
                 (r->opt->format == DM_SCORE_FORMAT_AUTO && dm_reader_looks_like_jsonl(reader));
    in->given_lines = r->opt->lines || (r->opt->statements && !jsonl);
    if (in->given_lines && r->store) {
        /* Lines share their file's id: the store would take each for a
         * revision of the one before. */
        dm_error_set(&err, DM_E_PARSE, in->name, 0,
                     "--db stores documents with ids: plain-text statements have none "
                     "(give JSON Lines with an \"id\" per statement)");
        push_error(b, NULL, &err);
        finish_input(r, &reader);
        return;
    }
    if (in->given_lines) {
        const char *id = intern_name(in, path);
        const char *base = strrchr(id, '/');
        in->id = strcmp(path, "-") == 0 ? "-" : base ? base + 1 : id;
    }
    if (jsonl || in->given_lines) {
        in->reader = reader;
        return;
    }
    char *text = NULL;
    size_t len = 0;
    if (dm_reader_read_all(reader, MAX_TEXT_DOCUMENT, &text, &len, &err) != DM_OK) {
        push_error(b, NULL, &err);
    } else if (only_blanks(text, len)) {
        free(text);
        push_empty(b, in->name);
    } else if (r->opt->format == DM_SCORE_FORMAT_AUTO && json_array_of_records(text, len, &err,
                                                                                 in->name)) {
        free(text);             /* records, not a text: scored as one, they were garbage */
        push_error(b, NULL, &err);
    } else {
        const char *id = intern_name(in, path);
        const char *base = strrchr(id, '/');
        score_item *it = batch_push(b);
        if (!it) {
            dm_error_set(&err, DM_E_NOMEM, in->name, 0, "out of memory");
            free(text);
            push_error(b, NULL, &err);
        } else {
            *it = (score_item){.kind = ITEM_TEXT, .where = in->name, .line = 1, .text = text,
                               .len = len, .doc_id = base ? base + 1 : id};
            b->bytes += len;
        }
    }
    finish_input(r, &reader);
}

/* Room for n more bytes in the batch's lines. */
static bool lines_room(score_batch *b, size_t n)
{
    if (b->lines_cap - b->lines_len >= n)
        return true;
    size_t cap = b->lines_cap ? b->lines_cap : (size_t)64 << 10;
    while (cap - b->lines_len < n) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *v = realloc(b->lines, cap);
    if (!v)
        return false;
    b->lines = v;
    b->lines_cap = cap;
    return true;
}

/* The next line of the open JSON Lines input into `b`. */
static void read_line(score_run *r, score_batch *b)
{
    input_iter *in = &r->in;
    const char *line;
    size_t len;
    dm_error err;
    dm_error_clear(&err);
    dm_status s = dm_reader_next_line(in->reader, &line, &len, &err);
    if (s == DM_END_OF_INPUT) {
        if (in->records == 0)
            push_empty(b, in->name);
        finish_input(r, &in->reader);
        return;
    }
    in->records++;
    if (s != DM_OK) {
        push_error(b, in->name, &err);
        if (s != DM_E_PARSE)          /* an over-long line: reading goes on */
            finish_input(r, &in->reader);
        return;
    }
    if (in->given_lines && len > 0 && line[len - 1] == '\r')
        len--;
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t'))
        k++;
    if (k == len) {
        in->records--;
        return; /* blank lines separate nothing and are not records */
    }
    score_item *it = batch_push(b);
    if (!it || !lines_room(b, len + 1)) {
        if (it)
            b->n--;
        dm_error_set(&err, DM_E_NOMEM, in->name, dm_reader_line(in->reader), "out of memory");
        push_error(b, NULL, &err);
        return;
    }
    size_t at = b->lines_len;
    memcpy(b->lines + at, line, len);
    b->lines[at + len] = '\0';
    b->lines_len += len + 1;
    /* (text is set once the batch is read: `lines` may move until then) */
    *it = (score_item){.kind = in->given_lines ? ITEM_GIVEN : ITEM_LINE, .where = in->name,
                       .line = dm_reader_line(in->reader), .in_lines = true, .text_at = at,
                       .len = len, .doc_id = in->id};
    b->bytes += len;
}

static bool inputs_left(const score_run *r)
{
    if (r->opt->n_texts > 0)
        return r->in.next < r->opt->n_texts;
    return r->in.reader || r->in.next < (r->in.stdin_only ? 1 : r->opt->n_inputs);
}

/* The next -e TEXT as an item. */
static void next_shell_text(score_run *r, score_batch *b)
{
    size_t i = r->in.next++;
    score_item *it = batch_push(b);
    if (!it) {
        dm_error err;
        dm_error_set(&err, DM_E_NOMEM, "-e", 0, "out of memory");
        push_error(b, NULL, &err);
        return;
    }
    *it = (score_item){.kind = ITEM_SHELL, .where = "-e", .line = (long)i + 1,
                       .text = (char *)r->opt->texts[i], .len = strlen(r->opt->texts[i])};
}

/* dm_pipeline read: the next batch, NULL at the end of the inputs. */
static void *read_batch(void *user)
{
    score_run *r = user;
    score_batch *b = batch_take(r);
    if (!b)
        return NULL;
    while (b->n < BATCH_RECORDS && b->bytes < BATCH_BYTES && inputs_left(r) &&
           !atomic_load(&r->stopping)) {
        size_t before = b->n;
        /* Pass on what was read before a read that may block: a pipe or a
         * terminal that has no more yet must not hold back what it gave. */
        if (r->in.reader && b->n > 0 && !dm_reader_line_ready(r->in.reader))
            break;
        if (r->opt->n_texts > 0)
            next_shell_text(r, b);
        else if (r->in.reader)
            read_line(r, b);
        else
            open_next(r, b);
        if (b->n > before && b->items[b->n - 1].kind == ITEM_TEXT)
            break;              /* a raw text document is a batch of its own */
    }
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].in_lines)
            b->items[i].text = b->lines + b->items[i].text_at;
    /* (the offset is a system call, lseek: only for --progress) */
    if (r->opt->progress) {
        long long at = r->in.reader ? dm_reader_offset(r->in.reader) : 0;
        atomic_store(&r->bytes_read, r->done_bytes + (at > 0 ? at : 0));
    }
    if (b->n == 0) {
        batch_recycle(r, b);
        return NULL;
    }
    return b;
}

/* ---- workers and the writer ---- */

/* dm_pipeline work: print the batch's records into its own streams. */
static void work_batch(void *user, int index, void *item)
{
    score_run *r = user;
    score_batch *b = item;
    score_worker *w = &r->workers[index];
    /* JSON Lines: the printer writes into the batch's buffer itself (see
     * dm_score_printer.to_buffer), sized for about twice the batch's input
     * (a statement's line is some 1.7 times its record); a table goes
     * through a stream. */
    bool json = !w->printer.table;
    w->printer.to_buffer = json;
    FILE *out = NULL;
    if (json) {
        /* (a reused batch's buffer when it is big enough) */
        size_t want = (b->bytes < ((size_t)2 << 20) ? 2 * b->bytes : ((size_t)4 << 20)) + 4096;
        if (b->out_cap < want) {
            free(b->out);
            b->out = malloc(want);
            b->out_cap = b->out ? want : 0;
        }
        w->printer.buf = b->out;
        w->printer.cap = b->out_cap;
        w->printer.len = 0;
    } else {
        out = open_memstream(&b->out, &b->out_len);
    }
    /* Only explanations (--explain with JSON Lines) write to the batch's
     * text for stderr: without them there is no stream to flush. */
    FILE *log = r->opt->explain ? open_memstream(&b->log, &b->log_len) : NULL;
    w->counts = &b->counts;
    w->silent_documents = &b->silent_documents;
    w->other_shards = &b->other_shards;
    w->below_floor = &b->below_floor;
    if (!(json ? b->out != NULL : out != NULL) || (r->opt->explain && !log)) {
        /* Without memory for the streams the batch's records are lost:
         * the writer says so and counts them as documents in error. */
        if (out)
            fclose(out);
        if (log)
            fclose(log);
        if (!json) {
            free(b->out);
            b->out = NULL;
        }
        free(b->log);
        b->log = NULL;
        b->out_len = b->log_len = 0;
        b->lost = true;
        w->printer.buf = NULL;
        w->printer.len = w->printer.cap = 0;
        return;
    }
    w->batch = b;
    b->log_fp = log;
    w->err_fp = log;
    w->printer.fp = out;
    w->printer.rows = 0;
    for (size_t i = 0; i < b->n; i++) {
        score_item *it = &b->items[i];
        w->item = it;
        process_item(w, it);
        if (out)
            fflush(out);
        if (log)
            fflush(log);
        it->out_end = json ? w->printer.len : b->out_len;
        it->log_end = b->log_len;
        it->counts = b->counts;
        it->silent_documents = b->silent_documents;
        it->other_shards = b->other_shards;
        it->below_floor = b->below_floor;
        it->rows = w->printer.rows;
        it->events_end = b->n_events;
    }
    b->rows = w->printer.rows;
    if (json) {
        b->out = w->printer.buf; /* the batch's now (realloc may have moved it) */
        b->out_cap = w->printer.cap;
        b->out_len = w->printer.len;
        w->printer.buf = NULL;
        w->printer.len = w->printer.cap = 0;
    } else {
        fclose(out);
    }
    if (log)
        fclose(log);
    b->log_fp = NULL;
    w->batch = NULL;
    w->printer.fp = NULL;
}

/* dm_pipeline write: the batch's bytes, messages, counts and progress, in
 * order, record by record. */
static bool write_batch(void *user, void *item)
{
    score_run *r = user;
    score_batch *b = item;
    if (b->lost) {
        dm_error err;
        dm_error_set(&err, DM_E_NOMEM, NULL, 0, "out of memory: %zu records not processed",
                     b->n);
        r->counts.documents += (long)b->n;
        dm_cli_report(&r->log, &err);
        batch_recycle(r, b);
        return true;
    }
    size_t out_at = 0, log_at = 0, ev = 0;
    dm_cli_counts before = {0};
    long silent = 0, shards = 0, rows = 0, below = 0;
    for (size_t i = 0; i < b->n && !r->output_failed; i++) {
        const score_item *it = &b->items[i];
        /* Messages through the run's logger (it counts errors and
         * warnings, and holds back repeats), explanations between them. */
        for (; ev < it->events_end; ev++) {
            const score_event *e = &b->events[ev];
            if (e->text_before > log_at) {
                dm_cli_clear_progress(&r->log);
                fwrite(b->log + log_at, 1, e->text_before - log_at, stderr);
                log_at = e->text_before;
            }
            dm_cli_log_fn(&r->log, e->level, e->where, e->line, e->message);
        }
        if (it->log_end > log_at) {
            dm_cli_clear_progress(&r->log);
            fwrite(b->log + log_at, 1, it->log_end - log_at, stderr);
        }
        log_at = it->log_end;
        if (it->rows > rows)
            dm_score_print_header(&r->printer);
        if (it->out_end > out_at)
            fwrite(b->out + out_at, 1, it->out_end - out_at, r->out.fp);
        out_at = it->out_end;
        if (it->stored && !store_item(r, &b->items[i]))
            r->store_failed = true;
        if (atomic_load(&r->lookup_failed))
            r->store_failed = true;
        r->counts.documents += it->counts.documents - before.documents;
        r->counts.statements += it->counts.statements - before.statements;
        r->silent_documents += it->silent_documents - silent;
        r->other_shards += it->other_shards - shards;
        shards = it->other_shards;
        r->below_floor += it->below_floor - below;
        below = it->below_floor;
        r->printer.rows += it->rows - rows;
        before = it->counts;
        silent = it->silent_documents;
        rows = it->rows;
        /* A full disk, a closed pipe or a store that cannot be written
         * stops the run at once; so does a standard error that cannot be
         * written when it carries the --explain sums (with --json). */
        r->output_failed = !dm_cli_output_ok(&r->out) || r->store_failed ||
                           (r->opt->explain && !r->opt->table && ferror(stderr));
        progress(r, false);
    }
    if (r->output_failed)
        atomic_store(&r->stopping, true);
    batch_recycle(r, b);
    return !r->output_failed;
}

static void discard_batch(void *user, void *item)
{
    (void)user;
    batch_free(item);
}

static void workers_release(score_run *r)
{
    for (int i = 0; r->workers && i < r->n_workers; i++) {
        dm_scorer_destroy(&r->workers[i].scorer);
        dm_record_clear(&r->workers[i].rec);
        dm_statement_list_clear(&r->workers[i].list);
    }
    free(r->workers);
    r->workers = NULL;
}

static bool workers_create(score_run *r, int n)
{
    r->workers = calloc_lines((size_t)n * sizeof *r->workers);
    if (!r->workers) {
        fprintf(stderr, "demarche-score: out of memory\n");
        return false;
    }
    r->n_workers = n;
    const dm_score_options *o = r->opt;
    for (int i = 0; i < n; i++) {
        score_worker *w = &r->workers[i];
        w->run = r;
        dm_record_init(&w->rec);
        dm_statement_list_init(&w->list);
        dm_score_printer_init(&w->printer, NULL, o->table, r->model != NULL, o->context,
                              o->explain);
        w->printer.header_done = true;  /* the writer prints the header */
        w->logger = (dm_logger){.fn = capture, .user = w};
        dm_error err;
        if (r->model && dm_score_worker_create(r->model, &w->scorer, &err) != DM_OK) {
            dm_cli_report(&r->log, &err);
            return false;
        }
    }
    return true;
}

/* Actors, cues, extractor and model. With `parallel` (-j 2 or more) the
 * model bundle loads on a thread of its own meanwhile (it needs none of the
 * others); its messages and errors come after theirs, as inline. */
static bool load_resources(score_run *r, bool parallel)
{
    const dm_score_options *o = r->opt;
    char lexdir[4096], path[4200], model[4096];
    dm_error err;
    if (o->lexicon_dir)
        snprintf(lexdir, sizeof lexdir, "%s", o->lexicon_dir);
    else
        dm_cli_data_path("lexicons", lexdir, sizeof lexdir);
    if (o->model_dir)
        snprintf(model, sizeof model, "%s", o->model_dir);
    else
        dm_cli_data_path("models/default", model, sizeof model);
    dm_score_model_loading *bg =
        !o->extract_only && parallel ? dm_score_model_load_begin(model, lexdir, o->explain)
                                     : NULL;
    bool ok = true;
    snprintf(path, sizeof path, "%s/actors.tsv", lexdir);
    if (dm_cli_load_actors(path, o->actors, &r->actors, &err) != DM_OK) {
        dm_cli_report(&r->log, &err);
        ok = false;
    }
    for (size_t i = 0; ok && i < o->n_phoenix; i++)
        if (dm_actors_load_phoenix(r->actors, o->phoenix[i], &err) != DM_OK) {
            dm_cli_report(&r->log, &err);
            ok = false;
        }
    snprintf(path, sizeof path, "%s/cues.tsv", lexdir);
    if (ok && (dm_cues_load(path, &r->cues, &err) != DM_OK ||
               dm_extractor_create(r->actors, r->cues, &r->extractor, &err) != DM_OK)) {
        dm_cli_report(&r->log, &err);
        ok = false;
    }
    /* The speaker ranker: --ranker FILE, else the data's own when there is
     * one; a file that is there but cannot be honoured is an error. */
    char ranker[4200] = "";
    if (o->ranker && strcmp(o->ranker, "none") != 0)
        snprintf(ranker, sizeof ranker, "%s", o->ranker);
    else if (!o->ranker && dm_cli_data_path("models/speaker_ranker.tsv", ranker, sizeof ranker) &&
             access(ranker, F_OK) != 0)
        ranker[0] = '\0';
    if (ok && ranker[0]) {
        if (dm_ranker_load(ranker, &r->ranker, &err) != DM_OK) {
            dm_cli_report(&r->log, &err);
            ok = false;
        } else {
            dm_extractor_set_ranker(r->extractor, r->ranker);
        }
    }
    /* For tests: windows small enough to show on a small document. */
    const char *window = getenv("DEMARCHE_WINDOW_BYTES");
    if (ok && window)
        dm_extractor_set_window(r->extractor, strtoul(window, NULL, 10));
    if (!ok) {
        if (bg)
            dm_score_model_load_end(bg, false, NULL, &r->model, NULL);
        return false;
    }
    if (o->extract_only)
        return true;
    dm_status s = bg ? dm_score_model_load_end(bg, true, &r->logger, &r->model, &err)
                     : dm_score_model_load(model, lexdir, o->explain, &r->logger,
                                           &r->model, &err);
    if (s != DM_OK) {
        dm_cli_report(&r->log, &err);
        /* The model load reads the lexicons too: a fault in one of them is
         * not mended by another bundle, so the hint names what is. */
        size_t n = strlen(lexdir);
        bool in_lexicons = strncmp(err.where, lexdir, n) == 0 && err.where[n] == '/';
        if (in_lexicons)
            fprintf(stderr, "demarche-score: a lexicon of %s could not be read; mend it, "
                            "or use --lexicons DIR\n", lexdir);
        else if (!o->model_dir)
            fprintf(stderr, "demarche-score: no usable default model; use --model DIR, "
                            "or --extract-only to find statements without scores\n");
        return false;
    }
    return true;
}

static void release(score_run *r)
{
    workers_release(r);
    while (r->pool) {
        score_batch *b = r->pool;
        r->pool = b->next_free;
        batch_free(b);
    }
    pthread_mutex_destroy(&r->pool_mu);
    for (size_t i = 0; i < r->in.n_names; i++)
        free(r->in.names[i]);
    free(r->in.names);
    dm_reader_destroy(&r->in.reader);
    dm_score_model_destroy(&r->model);
    dm_extractor_destroy(&r->extractor);
    dm_ranker_destroy(&r->ranker);
    dm_cues_destroy(&r->cues);
    dm_actors_destroy(&r->actors);
}

int dm_score_run(const dm_score_options *opt)
{
    if (opt->db_export || opt->db_models || opt->db_merge) {
        dm_cli_counts counts = {0};
        dm_cli_log log = {.program = "demarche-score", .quiet = opt->quiet, .counts = &counts};
        return opt->db_export ? dm_score_store_export(opt, &log)
               : opt->db_merge ? dm_score_store_merge(opt, &log)
                               : dm_score_store_list_models(opt, &log);
    }
    /* On the heap, with its own copy of the options: a reader left blocked
     * after a failed write (dm_pipeline_run) may still use them while the
     * process exits. */
    score_run *r = calloc_lines(sizeof *r);
    if (!r) {
        fprintf(stderr, "demarche-score: out of memory\n");
        return DM_EXIT_FAILURE;
    }
    r->opt_copy = *opt;
    opt = r->opt = &r->opt_copy;
    pthread_mutex_init(&r->pool_mu, NULL);
    r->log = (dm_cli_log){.program = "demarche-score", .quiet = opt->quiet, .counts = &r->counts,
                          .warnings = opt->warnings};
    r->logger = (dm_logger){.fn = dm_cli_log_fn, .user = &r->log};
    /* the summary's warning total counts those said about the options too */
    r->counts.warnings = opt->option_warnings;
    clock_gettime(CLOCK_MONOTONIC, &r->started);
    r->total_bytes = dm_cli_inputs_size(opt->inputs, opt->n_inputs);
    /* For tests: a line limit small enough to show on a small file. */
    const char *max_line = getenv("DEMARCHE_MAX_LINE");
    if (max_line)
        r->max_line = strtoul(max_line, NULL, 10);
    /* -e: a few statements. With --db the workers extract and score, and
     * the writer stores in input order (see README "Threads"). */
    int threads = opt->threads > 0 ? opt->threads : dm_pipeline_default_workers();
    if (opt->n_texts > 0)
        threads = 1;
    if (!load_resources(r, threads > 1)) {
        release(r);
        free(r);
        return DM_EXIT_FAILURE;
    }
    if (opt->eval_path) {
        int rc = dm_score_eval(r->model, r->actors, opt, &r->log);
        release(r);
        free(r);
        return rc;
    }
    if (opt->db_rescore) {
        int rc = dm_score_store_rescore(opt, r->model, &r->log);
        release(r);
        free(r);
        return rc;
    }
    if (opt->db && !dm_score_store_open(&r->store, opt, r->model, &r->log)) {
        release(r);
        free(r);
        return DM_EXIT_FAILURE;
    }
    if (!workers_create(r, threads)) {
        release(r);
        free(r);
        return DM_EXIT_FAILURE;
    }
    if (!dm_cli_output_open(&r->out, opt->output, "demarche-score")) {
        release(r);
        free(r);
        return DM_EXIT_FAILURE;
    }
    dm_score_printer_init(&r->printer, r->out.fp, opt->table, r->model != NULL, opt->context,
                          opt->explain);
    for (size_t i = 0; i < opt->n_targets; i++)
        r->option_targets[i] = (dm_record_target){.actor = (char *)opt->targets[i]};
    r->in.stdin_only = opt->n_inputs == 0 && opt->n_texts == 0;
    dm_pipeline_ops ops = {read_batch, work_batch, write_batch, discard_batch};
    bool keep = false;          /* a reader left blocked still uses r */
    dm_pipeline_run(&ops, r, threads, (size_t)threads * QUEUE_PER_WORKER, &keep);
    progress(r, true);
    if (r->store && !dm_score_store_finish(&r->store, opt->quiet))
        r->output_failed = true;
    if (r->store_failed)
        r->output_failed = true;
    bool ok;
    /* Every document an error (a mistyped input name, a file that is not
     * what it should be): -o FILE keeps what it had instead of being
     * replaced by an empty output. */
    bool all_failed = opt->output && strcmp(opt->output, "-") != 0 && !opt->db &&
                      r->counts.errors > 0 && r->counts.statements == 0 &&
                      r->counts.errors >= r->counts.documents;
    /* No document at all (every input empty: a download that failed):
     * likewise, an empty output must not replace yesterday's. (A --shard
     * task whose documents all fell to other shards read them: its empty
     * part is its output.) */
    bool none_read = opt->output && strcmp(opt->output, "-") != 0 && !opt->db &&
                     r->counts.documents == 0 && r->other_shards == 0 && !r->output_failed;
    if (r->output_failed) {
        dm_cli_output_abort(&r->out);
        ok = false;
    } else if (none_read || all_failed) {
        dm_cli_output_abort(&r->out);
        ok = true;
        if (!opt->quiet)
            fprintf(stderr, "demarche-score: %s: %s not written (what was there is kept)\n",
                    none_read ? "no document in the input" : "every document was an error",
                    opt->output);
    } else {
        if (!opt->db)
            dm_score_printer_finish(&r->printer);
        ok = dm_cli_output_commit(&r->out, "demarche-score");
    }
    dm_cli_warnings_summary(&r->log);
    if (!opt->quiet && r->silent_documents > 0)
        fprintf(stderr, "demarche-score: note: %ld document%s yielded no statement (a statement is "
                        "a quotation or reported speech with its speaker, or a sentence of a "
                        "speech); to score each input line as one statement, use --lines\n",
                r->silent_documents, dm_cli_s(r->silent_documents));
    /* --min-attribution: the statements it left out, so that "59
     * statements" is not read as all there were. */
    char floor[96] = "";
    if (opt->min_attribution != DM_ATTRIBUTION_ANY && !opt->db)
        snprintf(floor, sizeof floor, " (%ld more below --min-attribution %s, not printed)",
                 r->below_floor,
                 opt->min_attribution == DM_ATTRIBUTION_CUE ? "cue" : "resolved");
    if (!opt->quiet)
        fprintf(stderr, "demarche-score: %ld document%s, %ld statement%s%s, %ld error%s, %ld warning%s%s\n",
                r->counts.documents, dm_cli_s(r->counts.documents), r->counts.statements,
                dm_cli_s(r->counts.statements), floor, r->counts.errors, dm_cli_s(r->counts.errors),
                r->counts.warnings, dm_cli_s(r->counts.warnings),
                ok ? "" : r->output_failed ? (opt->db ? "; stopped early: the store could not be written"
                                                     : "; stopped early: the output could not be written")
                                           : "; the output could not be written");
    if (!opt->quiet && opt->shard_n)
        fprintf(stderr, "demarche-score: shard %u/%u: %ld record%s of the other shards left to "
                        "their tasks\n", opt->shard_k, opt->shard_n, r->other_shards,
                dm_cli_s(r->other_shards));
    int rc = !ok ? DM_EXIT_FAILURE : r->counts.errors > 0 || none_read ? DM_EXIT_DATA : DM_EXIT_OK;
    if (!keep) {              /* else the reader still uses it: the process exits */
        release(r);
        free(r);
    }
    return rc;
}
