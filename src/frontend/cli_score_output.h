/* demarche-score's output (JSON Lines or a table) and its model glue. */
#ifndef DM_CLI_SCORE_OUTPUT_H
#define DM_CLI_SCORE_OUTPUT_H

#include "cli_common.h"
#include "cli_score.h"

#include <stdio.h>

typedef struct dm_score_printer {
    FILE *fp;
    bool table, scores, context, explain;
    bool header_done;   /* the table header was printed (or is not wanted:
                         * a -j worker's printer; the writer prints it) */
    long rows;
    /* JSON Lines go into buf (len bytes of cap, grown with realloc) rather
     * than fp: a -j worker writes its batch's lines there, with no stream
     * between (open_memstream's growth and a copy a line were a twentieth
     * of demarche-score --statements). The owner takes or frees buf. */
    bool to_buffer;
    char *buf;
    size_t len, cap;
} dm_score_printer;

void dm_score_printer_init(dm_score_printer *p, FILE *fp, bool table, bool scores,
                           bool context, bool explain);
/* Print one statement; false (err filled) if it could not be encoded. */
bool dm_score_print(dm_score_printer *p, const dm_statement *st, const char *doc_id,
                    const char *date, dm_error *err);
/* The table header (once; nothing for JSON Lines). */
void dm_score_print_header(dm_score_printer *p);
void dm_score_printer_finish(dm_score_printer *p);
/* --offsets chars: print `st` with its start/end and its targets' as code
 * point offsets into `text` (the document's original bytes, len bytes)
 * instead of byte offsets; an invalid UTF-8 sequence counts as one code
 * point, as ICU and Python's errors="replace" decode it. */
bool dm_score_print_chars(dm_score_printer *p, const dm_statement *st, const char *doc_id,
                          const char *date, const char *text, size_t len, dm_error *err);

/* The model as demarche-score uses it (wraps include/demarche/model.h). */
typedef struct dm_score_model dm_score_model;
dm_status dm_score_model_load(const char *dir, const char *lexicon_dir, bool explain,
                              const dm_logger *logger, dm_score_model **out,
                              dm_error *err);
void dm_score_model_destroy(dm_score_model **m);
/* The same load on a thread of its own, so that with -j N the bundle loads
 * while the caller reads the actors and cues (start-up is otherwise the
 * serial part of a run); the weights files are read on a second thread
 * meanwhile (dm_model_load_parallel). _begin returns NULL when no thread could be
 * started (load inline then); the strings must outlive _end. _end waits
 * for the thread; with `keep` it passes the load's messages to `logger` (in
 * their order) and returns its status and model, else it discards both. */
typedef struct dm_score_model_loading dm_score_model_loading;
dm_score_model_loading *dm_score_model_load_begin(const char *dir, const char *lexicon_dir,
                                                  bool explain);
dm_status dm_score_model_load_end(dm_score_model_loading *l, bool keep,
                                  const dm_logger *logger, dm_score_model **out,
                                  dm_error *err);
/* The bundle's manifest JSON (borrowed): the store identifies models by it. */
const char *dm_score_model_manifest(dm_score_model *m);
dm_status dm_score_model_score(dm_score_model *m, dm_statement_list *list, dm_error *err);
/* One worker's scorer over the model (model.h: dm_scorer; one per thread,
 * released with dm_scorer_destroy). */
dm_status dm_score_worker_create(const dm_score_model *m, dm_scorer **out, dm_error *err);
/* Print the features behind the scores of `st` (to err_fp for JSON Lines
 * output, under the row for a table). */
void dm_score_explain(dm_scorer *sc, const dm_statement *st, dm_score_printer *p,
                      FILE *err_fp);
/* --eval: score the labelled file and print the report; returns a dm_exit. */
/* Targets given only by actor code are located with `actors`, as in training. */
int dm_score_eval(dm_score_model *m, const dm_actors *actors, const dm_score_options *opt,
                  dm_cli_log *log);

#endif
