/*
 * Labelled datasets: the statements demarche-train learns from and
 * demarche-score --eval measures on, read from JSON Lines (our codebook,
 * train/CODEBOOK.md), UNSCon's sentences.csv and NewsMTSC's JSON Lines.
 *
 * Ownership: see core.h. A dm_dataset from dm_dataset_create is the
 * caller's (dm_dataset_destroy); its records and strings belong to it.
 */
#ifndef DEMARCHE_DATASETS_H
#define DEMARCHE_DATASETS_H

#include "demarche/actors.h"
#include "demarche/core.h"
#include "demarche/io.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

/* Units of target offsets: the same type as dm_offsets in demarche/io.h
 * (DM_OFFSETS_BYTES, DM_OFFSETS_CHARS). */
typedef dm_offsets dm_offsets_mode;

typedef struct dm_labelled_target {
    char *actor;            /* actor code or free label; never NULL */
    bool has_span;
    size_t start, end;      /* bytes in the record's normalised text */
    int stance;             /* dm_stance, or -1 when not labelled */
} dm_labelled_target;

typedef struct dm_labelled_statement {
    char *text;             /* normalised text (dm_text) */
    size_t len;
    char *speaker_actor;    /* or NULL */
    char *date;             /* or NULL */
    int hostility;          /* 0..4, or -1 when not labelled */
    dm_labelled_target *targets;
    size_t n_targets;
    int source;             /* index into dm_dataset.sources */
    char *previous;         /* the sentence before it in the same speech
                             * (featurised as "prev:"), or NULL */
    char *group;            /* cross-validation group (UNSCon: the meeting;
                             * JSON Lines: "group"), or NULL */
} dm_labelled_statement;

/* A training source as recorded in the manifest. */
typedef struct dm_dataset_source {
    char *name;             /* "unscon", "newsmtsc", a file name... */
    char *licence;
    long statements, hostility_labels, stance_labels;
} dm_dataset_source;

/* The hold-out rule of train/CODEBOOK.md section 7: a record is in the test
 * split when FNV-1a 32 of its "id" modulo 5 is 0. Records without an id are
 * training data. */
typedef enum dm_split {
    DM_SPLIT_ALL = 0,       /* keep every record (default) */
    DM_SPLIT_TRAIN,         /* keep the training split only */
    DM_SPLIT_TEST           /* keep the test split only */
} dm_split;

typedef struct dm_dataset {
    dm_labelled_statement *v;
    size_t n, cap;
    dm_dataset_source *sources;
    size_t n_sources;
    dm_split split;         /* which records the JSON Lines reader keeps */
    /* The JSON Lines reader refuses a record with a key it does not know
     * ("target" for "targets"), naming the line; lenient: a warning, and the
     * record is read without it. */
    bool lenient;
    /* A file with bad records is all-or-nothing by default (training never
     * uses half a file). keep_good: its good records stay in the dataset
     * (for evaluation), the read still returns the error. */
    bool keep_good;
    long n_bad;             /* bad records reported by the readers so far */
    /* The good records of files refused for their bad ones (all-or-nothing,
     * above): read, then dropped with their file; for summaries that say
     * what was read. */
    long n_dropped, n_dropped_hostility, n_dropped_stance;
} dm_dataset;

dm_status dm_dataset_create(dm_dataset **out, dm_error *err);
void dm_dataset_destroy(dm_dataset **ds);

/* Readers append to `ds`. `path` may be "-" (stdin) and may be gzip'ed.
 * Every bad record or label is reported to `logger` (DM_LOG_ERROR, with
 * file:line); if there was any, nothing from this file is kept and the
 * reader returns DM_E_PARSE with `err` naming the first one and the count.
 * `actors` (may be NULL) locates targets given only by actor code.
 * `licence` (may be NULL) is recorded for the source.
 *
 * JSON Lines: {"text", "speaker_actor"?, "date"?, "hostility"?: 0-4,
 *  "targets"?: [{"actor" | "mention" | "start"+"end", "stance"}],
 *  "previous"?: the sentence before in the same speech, "group"?: the
 *  cross-validation group}, and the codebook's provenance keys "id",
 *  "register", "source", "note", "speaker", "year". Any other key, in a
 *  record or a target, is an error of its line (a warning when
 *  ds->lenient). */
dm_status dm_dataset_read_jsonl(dm_dataset *ds, const char *path,
                                dm_offsets_mode offsets, const dm_actors *actors,
                                const char *licence, const dm_logger *logger,
                                dm_error *err);
/* UNSCon sentences.csv (CC BY-SA 4.0): speaker from file_id; Direct_NegEval
 * -> hostility 3 and stance against the A4 target; Indirect_NegEval ->
 * hostility 2, against; Challenge/Correction alone -> hostility 2; nothing
 * -> hostility 1, no stance label. The group is the meeting (file_id up to
 * "_spch"), the previous sentence the row before in the same speech, and
 * every actor the dictionary finds in the text is a target without stance
 * label (a mention, as at scoring time). */
dm_status dm_dataset_read_unscon(dm_dataset *ds, const char *path,
                                 const dm_actors *actors,
                                 const dm_logger *logger, dm_error *err);
/* NewsMTSC train.jsonl (MIT): polarity 2/4/6 -> against/neutral/favor toward
 * the [from, to) code-point span of sentence_normalized; no hostility. A
 * target is keyed by dm_target_key (`actors` may be NULL: its words). */
dm_status dm_dataset_read_newsmtsc(dm_dataset *ds, const char *path,
                                   const dm_actors *actors, const dm_logger *logger,
                                   dm_error *err);

DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
