/* demarche-score --db: storing scored documents (include/demarche/store.h),
 * --rescore and --export. The hooks score_run calls are small on purpose:
 * one before a document is extracted (already stored?), one where its
 * statements would be printed. */
#ifndef DM_CLI_SCORE_STORE_H
#define DM_CLI_SCORE_STORE_H

#include "cli_common.h"
#include "cli_score.h"
#include "cli_score_output.h"

typedef struct dm_score_store dm_score_store;

/* Open opt->db for writing and register `model` (NULL: --extract-only).
 * False (reported) if it cannot. */
bool dm_score_store_open(dm_score_store **out, const dm_score_options *opt,
                         dm_score_model *model, dm_cli_log *log);
/* True if `doc` is stored already (counted, nothing else to do). On a
 * store error, fills *err and sets *failed. Workers call it at once: the
 * store's calls are serialised by a lock (one connection). */
bool dm_score_store_known(dm_score_store *s, const dm_document *doc, bool *failed,
                          dm_error *err);
/* Store `doc` and its statements (*stored: how many were added, 0 for a
 * document stored already); false (reported) on a store error. */
bool dm_score_store_put(dm_score_store *s, const dm_document *doc, const dm_statement_list *list,
                        const char *where, long line, long *stored);
/* Commit, print the summary of what was stored (unless quiet), close.
 * False on a store error. */
bool dm_score_store_finish(dm_score_store **s, bool quiet);

/* --rescore: the stored documents `model` has not scored, scored. */
int dm_score_store_rescore(const dm_score_options *opt, dm_score_model *model, dm_cli_log *log);
/* --export: the stored statements as a direct run prints them. */
int dm_score_store_export(const dm_score_options *opt, dm_cli_log *log);
/* --merge PART...: the part stores (other tasks') merged into opt->db. */
int dm_score_store_merge(const dm_score_options *opt, dm_cli_log *log);
/* --models: the models of the store, one a line. */
int dm_score_store_list_models(const dm_score_options *opt, dm_cli_log *log);

#endif
