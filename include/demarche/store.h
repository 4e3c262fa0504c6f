/*
 * The store: years of scored statements in one SQLite file, without a
 * server (README, "The store").
 *
 * What it keeps: documents (id, revision, a hash of the text, date, title,
 * source, speaker; not the text itself), the statements extracted from
 * them with their targets, and the scores of every model that scored them,
 * each score tagged with the model (its id, the FNV-1a 64 of its manifest,
 * and its version). Scores of several models sit side by side.
 *
 * Idempotent: a document is keyed by its id and the FNV-1a 64 hash of its
 * text bytes. The same document stored again adds nothing
 * (DM_STORE_ALREADY); a changed text under the same id is a new revision
 * (DM_STORE_REVISION), kept beside the earlier ones, and the latest
 * revision is the one exports and charts use. A text equal to an earlier,
 * superseded revision is DM_STORE_ALREADY too: nothing changes.
 *
 * Crash-safe: the file is in WAL mode and documents are written in batches,
 * one transaction each (dm_store_set_batch, default 256 documents): a
 * killed writer loses at most the batch in flight and never half a
 * document. Running the same input again skips what is stored, so the
 * final store is the one an uninterrupted run gives.
 *
 * Versioned: PRAGMA user_version holds DM_STORE_SCHEMA_VERSION. A newer
 * store is refused (DM_E_VERSION, saying which version); an older one is
 * migrated in one transaction when opened for writing.
 *
 * Threads: a dm_store is one SQLite connection; use it from one thread at a
 * time.
 *
 * Ownership (see core.h): dm_store_open returns a store the caller closes
 * with dm_store_close(&s), which rolls back a batch not yet committed
 * (dm_store_commit) and sets the pointer to NULL. Strings passed in are
 * copied; a dm_statement_list passed in stays the caller's. The lists and
 * strings a callback receives are borrowed for the call.
 */
#ifndef DEMARCHE_STORE_H
#define DEMARCHE_STORE_H

#include "demarche/chart.h"
#include "demarche/core.h"
#include "demarche/statements.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

/* Schema version written by this build (PRAGMA user_version). */
#define DM_STORE_SCHEMA_VERSION 3
#define DM_STORE_DEFAULT_BATCH 256

typedef struct dm_store dm_store;

enum {
    DM_STORE_READ = 0,       /* open an existing store, read only */
    DM_STORE_WRITE = 1 << 0, /* open for writing, creating the file if needed */
    /* dm_store_lookup answers as the store was when opened: documents
     * stored since (by this connection or another) count as not stored.
     * Threads that look up while another thread stores then get the same
     * answers whatever the timing (demarche-score -j N --db). */
    DM_STORE_LOOKUP_AS_OPENED = 1 << 1,
};

/* Open (or create, with DM_STORE_WRITE) the store at `path`. Errors:
 * DM_E_IO (cannot open, not an SQLite file), DM_E_VERSION (a newer schema),
 * DM_E_FORMAT (an SQLite file that is not a demarche store),
 * DM_E_NOT_FOUND (no such file, read only). */
dm_status dm_store_open(const char *path, int flags, dm_store **out, dm_error *err);
void dm_store_close(dm_store **s);
/* The schema version the file had when opened (0: created now). */
int dm_store_opened_version(const dm_store *s);

/* Documents per transaction (>= 1). */
dm_status dm_store_set_batch(dm_store *s, int documents, dm_error *err);

/* The model whose scores dm_store_put and dm_store_put_scores write:
 * registered on first use. `model_id` identifies it (demarche uses
 * "fnv1a64:<hash of the manifest>"), `name` is a label (the bundle's
 * directory name), `version` its version, `manifest` its manifest JSON
 * (kept, so a score can always be traced to its model). name, version and
 * manifest may be NULL. */
dm_status dm_store_use_model(dm_store *s, const char *model_id, const char *name,
                             const char *version, const char *manifest, dm_error *err);

/* Sharding (demarche-score --shard K/N): the shard, 0 to n - 1, of the
 * document with id `id`: the FNV-1a 64 hash of the id's bytes (offset
 * basis 14695981039346656037, prime 1099511628211) modulo n. It depends
 * on nothing but the id, so every machine and every version puts a
 * document in the same shard. n == 0 or id == NULL: 0. */
unsigned dm_document_shard(const char *id, unsigned n);

/* The id demarche gives a model bundle: "fnv1a64:" and the 16 hex digits
 * of the FNV-1a 64 hash of its manifest (dm_model_manifest_json), which
 * records its features, lexicon checksum and task checksums. Same bundle,
 * same id. `size` >= 25. */
dm_status dm_store_model_id_of(const char *manifest, char *buf, size_t size, dm_error *err);

typedef enum dm_store_outcome {
    DM_STORE_ADDED = 0,   /* a new document */
    DM_STORE_REVISION,    /* a new revision of a stored document id */
    DM_STORE_ALREADY      /* that id with that text is stored: nothing added */
} dm_store_outcome;

const char *dm_store_outcome_name(dm_store_outcome o); /* "added", ... */

/* What is stored of `doc` (its id and text; doc->id may not be NULL), or
 * was when the store was opened with DM_STORE_LOOKUP_AS_OPENED.
 * *scored: the stored revision has scores of the current model (false
 * when no model is in use). Does not write. */
dm_status dm_store_lookup(dm_store *s, const dm_document *doc, dm_store_outcome *outcome,
                          bool *scored, dm_error *err);

/* Store `doc` (not its text) and its statements `list` (scores of the
 * current model, where scored), in the batch transaction, committed every
 * dm_store_set_batch documents. `where`/`line` name the input (kept with
 * the document). A document already stored adds nothing (*outcome
 * DM_STORE_ALREADY). */
dm_status dm_store_put(dm_store *s, const dm_document *doc, const dm_statement_list *list,
                       const char *where, long line, dm_store_outcome *outcome,
                       dm_error *err);
/* Commit the batch in flight (a no-op when there is none). */
dm_status dm_store_commit(dm_store *s, dm_error *err);

/* A stored document as iteration gives it. */
typedef struct dm_store_document {
    long long key;           /* row id: pass to dm_store_put_scores */
    const char *id, *date, *title, *source;
    int revision;
} dm_store_document;

/* Called with each document and its statements (scores filled from the
 * chosen model, where it scored them). Return false to stop. */
typedef bool (*dm_store_document_fn)(void *user, const dm_store_document *doc,
                                     dm_statement_list *list);

enum {
    DM_STORE_ALL_REVISIONS = 1 << 0, /* every revision, not only the latest */
    DM_STORE_UNSCORED = 1 << 1       /* only documents the current model has not scored */
};

/* Every latest-revision document in the order stored, with its statements,
 * scores taken from `model_id` (NULL: the newest model in the store; a
 * store without models gives unscored statements). With DM_STORE_UNSCORED
 * the current model (dm_store_use_model) must be set; the scores then come
 * from it. DM_E_NOT_FOUND for an unknown model_id. */
dm_status dm_store_each(dm_store *s, const char *model_id, int flags, dm_store_document_fn fn,
                        void *user, dm_error *err);

/* Write the current model's scores of the statements of stored document
 * `key` (list as dm_store_each gave it, then scored), in the batch
 * transaction; the document then counts as scored by that model. */
dm_status dm_store_put_scores(dm_store *s, long long key, const dm_statement_list *list,
                              dm_error *err);

/* Merge the store at `part_path` (another task's, of this schema version)
 * into `s`: its documents in the order stored, each as `s` would take it
 * (a known id and text: already; a changed text: a new revision), with
 * statements, targets and the scores of every model (models matched by
 * id), in the batch transactions. Merging a part twice adds nothing; an
 * interrupted merge, run again, finishes it. A part that is not a store of
 * this version, or is damaged (truncated, or a page fails SQLite's
 * quick_check), is refused before anything of it is merged: DM_E_FORMAT
 * (DM_E_VERSION for another schema version), `err` naming the part. */
typedef struct dm_store_merge_counts {
    long long added, revisions, already;
} dm_store_merge_counts;
dm_status dm_store_merge(dm_store *s, const char *part_path, dm_store_merge_counts *counts,
                         dm_error *err);

/* The model ids in the store, oldest first, and the newest. */
typedef bool (*dm_store_model_fn)(void *user, const char *model_id, const char *name,
                                  const char *version, long long statements_scored);
dm_status dm_store_models(dm_store *s, dm_store_model_fn fn, void *user, dm_error *err);

/* Counts of the store's content (latest revisions). */
typedef struct dm_store_counts {
    long long documents, revisions, statements, targets, models;
} dm_store_counts;
dm_status dm_store_get_counts(dm_store *s, dm_store_counts *out, dm_error *err);

/* Aggregate the latest revisions' statements into `chart` in SQL, scores
 * from `model_id` (NULL: the newest): the chart then holds what
 * dm_chart_add gives for the JSON Lines of the same statements (the
 * same CSV, counts and most hostile statements). */
dm_status dm_store_chart(dm_store *s, dm_chart *chart, const char *model_id, dm_error *err);

DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
