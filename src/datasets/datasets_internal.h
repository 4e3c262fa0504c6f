/* Internal interfaces of the datasets module: the shared record-building
 * helpers of the readers, the hold-out rule, the strict CSV reader and
 * UNSCon's country names. */
#ifndef DM_DATASETS_INTERNAL_H
#define DM_DATASETS_INTERNAL_H

#include "demarche/datasets.h"
#include "demarche/text.h"

#include <stdbool.h>
#include <stddef.h>

/* The hold-out rule of train/CODEBOOK.md section 7: a record is in the test
 * split when FNV-1a 32 of its "id" modulo 5 is 0. Records without an id are
 * training data. */
bool dm_dataset_id_is_test(const char *id);

/* ---- record building (dataset.c) ---- */

/* The longest text (and "previous" sentence) a labelled statement may have,
 * in bytes: 1 MB, as a CSV field and demarche-score's analysis window.
 * Featurising a text holds some 60-90 bytes of analysis per byte of it at
 * once (a 12.5 MB record took over 700 MB and minutes per pass), and a
 * labelled statement is a sentence or a paragraph, not a document: a longer
 * one is an error of its record (so training on the file is refused). */
#define DM_DATASET_MAX_TEXT ((size_t)1 << 20)

/* Append a record (takes ownership of nothing: copies). */
dm_labelled_statement *dm_dataset_push_internal(dm_dataset *ds, dm_error *err);
void dm_labelled_statement_free_internal(dm_labelled_statement *r);
int dm_dataset_add_source_internal(dm_dataset *ds, const char *name,
                                   const char *licence, dm_error *err);
/* Drop records from index `keep` on (used when a file had errors). */
void dm_dataset_truncate_internal(dm_dataset *ds, size_t keep);
/* Remove the last source (index src) again after a failed read. */
void dm_dataset_drop_source_internal(dm_dataset *ds, int src);
/* "against"/"neutral"/"favor" ("favour") -> dm_stance, or -1. */
int dm_stance_from_name_internal(const char *s);

/* Errors of one input file: all go to the logger (DM_LOG_ERROR, file:line),
 * the first is kept for the dm_error. */
typedef struct dm_bad_records {
    const dm_logger *logger;
    const char *path;
    long count;
    long first_line;
    char first[DM_ERROR_MESSAGE_MAX];
} dm_bad_records;
void dm_bad_record(dm_bad_records *b, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Finish a read: DM_E_PARSE naming the first error and the count. */
dm_status dm_bad_records_status(const dm_bad_records *b, dm_error *err);

/* Recount the statistics of source `src`. */
void dm_dataset_count_source_internal(dm_dataset *ds, int src);
/* Normalise `orig` (bytes) into rec->text and return the dm_text so the
 * caller can map original spans (destroy it after). */
dm_status dm_dataset_set_text_internal(dm_labelled_statement *rec,
                                       const char *orig, size_t len,
                                       dm_text **text, dm_error *err);
dm_status dm_dataset_add_target_internal(dm_labelled_statement *rec,
                                         const char *actor, bool has_span,
                                         size_t start, size_t end, int stance,
                                         dm_error *err);
/* Locate a target by dictionary match of its actor code in rec->text. */
void dm_dataset_locate_actor_internal(dm_labelled_statement *rec,
                                      dm_labelled_target *t,
                                      const dm_actors *actors);

/* Next line of a records file (*line borrowed until the next call): 1 on a
 * line, 0 at the end, -1 on a read error (err set). A line over the
 * reader's limit is recorded as a bad record and skipped. */
int dm_dataset_next_line_internal(dm_reader *rd, dm_bad_records *b,
                                  const char **line, size_t *len, dm_error *err);
/* End of reading one file into source `src` (records from index `keep`),
 * `s` the reading's status so far: on an error or any bad record, drop the
 * file's records and source and return the error; else count the source. */
dm_status dm_dataset_finish_read_internal(dm_dataset *ds, size_t keep, int src,
                                          const dm_bad_records *b, dm_status s,
                                          dm_error *err);

/* UNSCon country name ("United_Kingdom_Of_Great_Britain_And_Northern_Ireland",
 * "russian_federation", case-insensitive) to ISO 3166-1 alpha-3, or NULL. */
const char *dm_unscon_country_code(const char *name);

/* Strict RFC 4180 CSV: one record per call. Fields are written into *fields
 * (array of malloc'ed strings, *n_fields of them), reusing the arrays
 * between calls; free with dm_csv_fields_free. Returns DM_END_OF_INPUT
 * (with *n_fields == 0) at end of input, as dm_reader_next_line does.
 * *line is the 1-based line where the record started. The input is read as dm_reader reads it (gzip, byte order
 * marks, UTF-16/32 decoded); a read error, a truncated gzip included, is an
 * error (DM_E_IO), never a short file. A field longer than the cap
 * (DM_CSV_DEFAULT_MAX_FIELD, an unterminated quote usually) is an error
 * naming the line where it started. */
#define DM_CSV_DEFAULT_MAX_FIELD ((size_t)1 << 20)
typedef struct dm_csv_reader dm_csv_reader;
dm_status dm_csv_reader_create(const char *path, dm_csv_reader **out,
                               dm_error *err);
void dm_csv_reader_destroy(dm_csv_reader **r);
/* Longest field accepted, in bytes (0 leaves the cap as it is). */
void dm_csv_reader_set_max_field(dm_csv_reader *r, size_t max_field);
dm_status dm_csv_read_record(dm_csv_reader *r, char ***fields,
                             size_t *n_fields, long *line, dm_error *err);
void dm_csv_fields_free(char **fields, size_t n_fields);

#endif
