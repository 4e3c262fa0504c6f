/* demarche-score's job: load, read every input, extract, score, print. */
#include "cli_score.h"
#include "cli_common.h"
#include "cli_score_output.h"
#include "cli_score_store.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
    case DM_ATTR_CARRIED: case DM_ATTR_NONE:
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

typedef struct score_run {
    const dm_score_options *opt;
    dm_actors *actors;
    dm_cues *cues;
    dm_extractor *extractor;
    dm_score_model *model;       /* NULL with --extract-only */
    dm_cli_output out;
    dm_score_printer printer;
    dm_score_store *store;       /* --db: documents go there instead of the output */
    dm_cli_counts counts;
    dm_cli_log log;
    dm_logger logger;
    time_t last_progress;
    struct timespec started;
    long long total_bytes;       /* the inputs' sizes; < 0: unknown (stdin, a pipe) */
    long long done_bytes;        /* of the inputs read to their end */
    dm_reader *reading;          /* the input being read, for its offset */
    bool output_failed;
    bool targets_left_out;       /* every target the record named was left out */
    int given_index;             /* > 0: the index of the next given statement (-e, --lines) */
    long silent_documents;       /* documents (not given statements) with no statement */
    long other_shards;           /* --shard: records left to the other shards' tasks */
    dm_record_target option_targets[DM_SCORE_MAX_TARGETS]; /* --target */
} score_run;

/* One line on stderr, redrawn once a second: counts, the rate, and the
 * share of the input read when its size is known. Messages clear it first
 * (dm_cli_clear_progress), so a warning never starts after it. */
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
    long long at = r->reading ? dm_reader_offset(r->reading) : 0;
    if (r->total_bytes > 0 && at >= 0) {
        double pct = 100.0 * (double)(r->done_bytes + at) / (double)r->total_bytes;
        snprintf(share, sizeof share, ", %.0f%% read", pct > 100.0 ? 100.0 : pct);
    }
    fprintf(stderr, "\r%ld documents, %ld statements (%.0f/s), %ld errors%s\033[K",
            r->counts.documents, r->counts.statements,
            secs > 0 ? (double)r->counts.statements / secs : 0.0, r->counts.errors, share);
    r->log.progress_drawn = true;
}

/* The inputs' total size when every one is a regular file (for the share
 * read); -1 otherwise. */
static long long inputs_size(const dm_score_options *opt)
{
    long long total = 0;
    for (size_t i = 0; i < opt->n_inputs; i++) {
        struct stat sb;
        if (strcmp(opt->inputs[i], "-") == 0 || stat(opt->inputs[i], &sb) != 0 ||
            !S_ISREG(sb.st_mode))
            return -1;
        total += (long long)sb.st_size;
    }
    return opt->n_inputs > 0 ? total : -1;
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

/* Extract (or take as given), score and print one document. Errors are
 * reported and counted; the run goes on. */
static void process_document(score_run *r, const dm_document *doc, bool given,
                             const dm_record_target *targets, size_t n_targets,
                             const char *where, long line)
{
    dm_statement_list list;
    dm_statement_list_init(&list);
    dm_error err;
    dm_error_clear(&err);
    /* --shard K/N: another task's document. */
    if (r->opt->shard_n && dm_document_shard(doc->id, r->opt->shard_n) != r->opt->shard_k) {
        r->other_shards++;
        return;
    }
    r->counts.documents++;
    /* --db: what is stored already is not extracted again (a resumed run). */
    if (r->store && dm_score_store_known(r->store, doc, &r->output_failed))
        return;
    /* --target names the targets of a given statement that names none. */
    if (given && n_targets == 0 && !r->targets_left_out && r->opt->n_targets > 0) {
        targets = r->option_targets;
        n_targets = r->opt->n_targets;
    }
    dm_status s = given ? dm_extract_given(r->extractor, doc, &list, &r->logger, &err)
                        : dm_extract(r->extractor, doc, &list, &r->logger, &err);
    if (s == DM_OK && given && r->given_index > 0 && list.n > 0)
        list.v[0].n = r->given_index;
    if (s == DM_OK && !given && list.n == 0)
        r->silent_documents++;
    if (s == DM_OK && given && (n_targets > 0 || r->targets_left_out) && list.n > 0)
        s = apply_given_targets(&list.v[0], doc, r->actors, targets, n_targets, &err);
    if (s == DM_OK && r->model)
        s = dm_score_model_score(r->model, &list, &err);
    if (s != DM_OK) {
        if (!err.where[0] && where) {
            snprintf(err.where, sizeof err.where, "%s", where);
            err.line = line;
        }
        dm_cli_report(&r->log, &err);
    } else if (r->store) {
        if (dm_score_store_put(r->store, doc, &list, where, line))
            r->counts.statements += (long)list.n;
        else
            r->output_failed = true; /* the store cannot be written: stop */
    } else {
        size_t printed = 0;
        for (size_t i = 0; i < list.n && !r->output_failed; i++) {
            if (!dm_score_attribution_kept(&list.v[i], r->opt->min_attribution))
                continue;
            printed++;
            bool chars = r->opt->offsets == DM_OFFSETS_CHARS;
            if (!(chars ? dm_score_print_chars(&r->printer, &list.v[i], doc->id, doc->date,
                                               doc->text, doc->text_len, &err)
                        : dm_score_print(&r->printer, &list.v[i], doc->id, doc->date, &err))) {
                dm_cli_report(&r->log, &err);
                continue;
            }
            if (r->opt->explain && r->model)
                dm_score_model_explain(r->model, &list.v[i], &r->printer);
            /* A full disk or a closed pipe stops the run at once. */
            r->output_failed = !dm_cli_output_ok(&r->out);
        }
        r->counts.statements += (long)printed;
    }
    dm_statement_list_clear(&list);
    progress(r, false);
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

static void process_jsonl(score_run *r, dm_reader *reader)
{
    const char *line;
    size_t len;
    dm_error err;
    dm_record rec;
    dm_record_init(&rec);
    while (!r->output_failed) {
        dm_error_clear(&err);
        dm_status s = dm_reader_next_line(reader, &line, &len, &err);
        if (s == DM_END_OF_INPUT)
            break;
        if (s != DM_OK) {
            /* An over-long line is a record lost; a read error loses the
             * rest of the input: each counts as a document in error. */
            r->counts.documents++;
            dm_cli_report(&r->log, &err);
            if (s == DM_E_PARSE)
                continue; /* an over-long line: skipped, reading goes on */
            break;
        }
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len)
            continue; /* blank lines separate nothing and are not records */
        const char *where = dm_reader_name(reader);
        long lineno = dm_reader_line(reader);
        s = dm_record_parse_json(line, len, where, lineno, r->opt->offsets, &r->logger,
                                 &rec, &err);
        if (s != DM_OK && !in_shard_by_line(r, where, lineno)) {
            r->other_shards++; /* a bad record is reported by one task only */
            continue;
        }
        if (s != DM_OK) {
            r->counts.documents++;
            dm_cli_report(&r->log, &err);
            continue;
        }
        if (rec.date) {
            dm_date d;
            dm_error derr;
            if (dm_date_parse(rec.date, &d, &derr) != DM_OK)
                dm_cli_log_fn(&r->log, DM_LOG_WARNING, where, lineno, derr.message);
        }
        dm_document doc = dm_record_document(&rec);
        /* --speaker / --speaker-actor: for records that name none. */
        if (!doc.speaker && !doc.speaker_actor) {
            doc.speaker = r->opt->speaker;
            doc.speaker_actor = r->opt->speaker_actor;
        }
        /* Targets named but all left out: score none rather than the ones
         * the dictionary finds. */
        r->targets_left_out = rec.n_targets == 0 && rec.n_rejected > 0;
        process_document(r, &doc, r->opt->statements, rec.targets, rec.n_targets, where, lineno);
        r->targets_left_out = false;
    }
    dm_record_clear(&rec);
}

static void process_text(score_run *r, dm_reader *reader, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    dm_error err;
    if (dm_reader_read_all(reader, MAX_TEXT_DOCUMENT, &text, &len, &err) != DM_OK) {
        r->counts.documents++;
        dm_cli_report(&r->log, &err);
        return;
    }
    const char *base = strrchr(path, '/');
    dm_document doc = {
        .id = base ? base + 1 : path,
        .date = r->opt->date,
        .speaker = r->opt->speaker,
        .speaker_actor = r->opt->speaker_actor,
        .text = text,
        .text_len = len,
    };
    process_document(r, &doc, false, NULL, 0, dm_reader_name(reader), 1);
    free(text);
}

/* --lines (and --statements on plain text): every non-blank line is one
 * given statement, its index the line number, its doc the file. */
static void process_lines(score_run *r, dm_reader *reader, const char *path)
{
    const char *base = strrchr(path, '/');
    const char *id = strcmp(path, "-") == 0 ? "-" : base ? base + 1 : path;
    dm_error err;
    if (r->store) {
        /* Lines share their file's id: the store would take each for a
         * revision of the one before. */
        r->counts.documents++;
        dm_error_set(&err, DM_E_PARSE, dm_reader_name(reader), 0,
                     "--db stores documents with ids: plain-text statements have none "
                     "(give JSON Lines with an \"id\" per statement)");
        dm_cli_report(&r->log, &err);
        return;
    }
    while (!r->output_failed) {
        const char *line;
        size_t len;
        dm_error_clear(&err);
        dm_status s = dm_reader_next_line(reader, &line, &len, &err);
        if (s == DM_END_OF_INPUT)
            break;
        if (s != DM_OK) {
            r->counts.documents++;
            dm_cli_report(&r->log, &err);
            if (s == DM_E_PARSE)
                continue; /* an over-long line: skipped, reading goes on */
            break;
        }
        if (len > 0 && line[len - 1] == '\r')
            len--;
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len)
            continue; /* blank lines are not statements */
        long lineno = dm_reader_line(reader);
        dm_document doc = {
            .id = id,
            .date = r->opt->date,
            .speaker = r->opt->speaker,
            .speaker_actor = r->opt->speaker_actor,
            .text = line,
            .text_len = len,
        };
        r->given_index = lineno > 0 && lineno <= 0x7fffffff ? (int)lineno : 0;
        process_document(r, &doc, true, NULL, 0, dm_reader_name(reader), lineno);
        r->given_index = 0;
    }
}

static void process_input(score_run *r, const char *path)
{
    dm_reader *reader = NULL;
    dm_error err;
    if (dm_reader_open(path, &reader, &err) != DM_OK) {
        r->counts.documents++; /* a document (or more) that could not be read */
        dm_cli_report(&r->log, &err);
        return;
    }
    /* For tests: a line limit small enough to show on a small file. */
    const char *max_line = getenv("DEMARCHE_MAX_LINE");
    if (max_line)
        dm_reader_set_max_line(reader, strtoul(max_line, NULL, 10));
    bool jsonl = r->opt->format == DM_SCORE_FORMAT_JSONL ||
                 (r->opt->format == DM_SCORE_FORMAT_AUTO && dm_reader_looks_like_jsonl(reader));
    r->reading = reader;
    if (r->opt->lines || (r->opt->statements && !jsonl))
        process_lines(r, reader, path);
    else if (jsonl)
        process_jsonl(r, reader);
    else
        process_text(r, reader, path);
    long long at = dm_reader_offset(reader);
    r->done_bytes += at > 0 ? at : 0;
    r->reading = NULL;
    dm_reader_destroy(&reader);
}

/* -e TEXT (repeatable): statements typed at the shell, numbered in order. */
static void process_shell_texts(score_run *r)
{
    const dm_score_options *o = r->opt;
    for (size_t i = 0; i < o->n_texts && !r->output_failed; i++) {
        dm_document doc = {
            .id = "-e",
            .date = o->date,
            .speaker = o->speaker,
            .speaker_actor = o->speaker_actor,
            .text = o->texts[i],
            .text_len = strlen(o->texts[i]),
        };
        r->given_index = (int)i + 1;
        process_document(r, &doc, true, NULL, 0, "-e", 0);
    }
    r->given_index = 0;
}

static bool load_resources(score_run *r)
{
    const dm_score_options *o = r->opt;
    char lexdir[4096], path[4200];
    dm_error err;
    if (o->lexicon_dir)
        snprintf(lexdir, sizeof lexdir, "%s", o->lexicon_dir);
    else
        dm_cli_data_path("lexicons", lexdir, sizeof lexdir);
    snprintf(path, sizeof path, "%s/actors.tsv", lexdir);
    if (dm_actors_create(&r->actors, &err) != DM_OK ||
        dm_actors_load_tsv(r->actors, path, &err) != DM_OK) {
        dm_cli_report(&r->log, &err);
        return false;
    }
    for (size_t i = 0; i < o->n_phoenix; i++)
        if (dm_actors_load_phoenix(r->actors, o->phoenix[i], &err) != DM_OK) {
            dm_cli_report(&r->log, &err);
            return false;
        }
    snprintf(path, sizeof path, "%s/cues.tsv", lexdir);
    if (dm_cues_load(path, &r->cues, &err) != DM_OK ||
        dm_extractor_create(r->actors, r->cues, &r->extractor, &err) != DM_OK) {
        dm_cli_report(&r->log, &err);
        return false;
    }
    /* For tests: windows small enough to show on a small document. */
    const char *window = getenv("DEMARCHE_WINDOW_BYTES");
    if (window)
        dm_extractor_set_window(r->extractor, strtoul(window, NULL, 10));
    if (!o->extract_only) {
        char model[4096];
        if (o->model_dir)
            snprintf(model, sizeof model, "%s", o->model_dir);
        else
            dm_cli_data_path("models/default", model, sizeof model);
        if (dm_score_model_load(model, lexdir, r->actors, o->explain, &r->logger,
                                &r->model, &err) != DM_OK) {
            dm_cli_report(&r->log, &err);
            if (!o->model_dir)
                fprintf(stderr, "demarche-score: no usable default model; use --model DIR, "
                                "or --extract-only to find statements without scores\n");
            return false;
        }
    }
    return true;
}

static void release(score_run *r)
{
    dm_score_model_destroy(&r->model);
    dm_extractor_destroy(&r->extractor);
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
    score_run r;
    memset(&r, 0, sizeof r);
    r.opt = opt;
    r.log = (dm_cli_log){.program = "demarche-score", .quiet = opt->quiet, .counts = &r.counts,
                         .warnings = opt->warnings};
    r.logger = (dm_logger){.fn = dm_cli_log_fn, .user = &r.log};
    clock_gettime(CLOCK_MONOTONIC, &r.started);
    r.total_bytes = inputs_size(opt);
    if (!load_resources(&r)) {
        release(&r);
        return DM_EXIT_FAILURE;
    }
    if (opt->eval_path) {
        int rc = dm_score_eval(r.model, r.actors, opt, &r.log);
        release(&r);
        return rc;
    }
    if (opt->db_rescore) {
        int rc = dm_score_store_rescore(opt, r.model, &r.log);
        release(&r);
        return rc;
    }
    if (opt->db && !dm_score_store_open(&r.store, opt, r.model, &r.log)) {
        release(&r);
        return DM_EXIT_FAILURE;
    }
    if (!dm_cli_output_open(&r.out, opt->output, "demarche-score")) {
        release(&r);
        return DM_EXIT_FAILURE;
    }
    dm_score_printer_init(&r.printer, r.out.fp, opt->table, r.model != NULL, opt->context,
                          opt->explain);
    for (size_t i = 0; i < opt->n_targets; i++)
        r.option_targets[i] = (dm_record_target){.actor = (char *)opt->targets[i]};
    if (opt->n_texts > 0) {
        process_shell_texts(&r);
    } else if (opt->n_inputs == 0) {
        process_input(&r, "-");
    } else {
        for (size_t i = 0; i < opt->n_inputs && !r.output_failed; i++)
            process_input(&r, opt->inputs[i]);
    }
    progress(&r, true);
    if (r.store && !dm_score_store_finish(&r.store, opt->quiet))
        r.output_failed = true;
    bool ok;
    if (r.output_failed) {
        dm_cli_output_abort(&r.out);
        ok = false;
    } else {
        if (!opt->db)
            dm_score_printer_finish(&r.printer);
        ok = dm_cli_output_commit(&r.out, "demarche-score");
    }
    dm_cli_warnings_summary(&r.log);
    if (!opt->quiet && r.silent_documents > 0)
        fprintf(stderr, "demarche-score: note: %ld document%s yielded no statement (a statement is "
                        "a quotation or reported speech with its speaker, or a sentence of a "
                        "speech); to score each input line as one statement, use --lines\n",
                r.silent_documents, r.silent_documents == 1 ? "" : "s");
    if (!opt->quiet)
        fprintf(stderr, "demarche-score: %ld documents, %ld statements, %ld errors, %ld warnings%s\n",
                r.counts.documents, r.counts.statements, r.counts.errors, r.counts.warnings,
                ok ? "" : r.output_failed ? (opt->db ? "; stopped early: the store could not be written"
                                                    : "; stopped early: the output could not be written")
                                          : "; the output could not be written");
    if (!opt->quiet && opt->shard_n)
        fprintf(stderr, "demarche-score: shard %u/%u: %ld records of the other shards left to their"
                        " tasks\n", opt->shard_k, opt->shard_n, r.other_shards);
    release(&r);
    if (!ok)
        return DM_EXIT_FAILURE;
    return r.counts.errors > 0 ? DM_EXIT_DATA : DM_EXIT_OK;
}
