/* The work of demarche-score, separate from its option parsing. */
#ifndef DM_CLI_SCORE_H
#define DM_CLI_SCORE_H

#include "cli_common.h"
#include "demarche/demarche.h"

#include <stdbool.h>
#include <stddef.h>

#define DM_SCORE_MAX_TARGETS 32
#define DM_SCORE_MAX_PHOENIX 16

typedef enum {
    DM_SCORE_FORMAT_AUTO = 0,
    DM_SCORE_FORMAT_TEXT,
    DM_SCORE_FORMAT_JSONL
} dm_score_format;

typedef enum dm_attribution_floor {
    DM_ATTRIBUTION_ANY = 0,  /* everything (default) */
    DM_ATTRIBUTION_RESOLVED, /* drop carried-over and unattributed quotes */
    DM_ATTRIBUTION_CUE       /* only speakers named at the quote (cue, according to,
                                headline, stripped verb) and given statements */
} dm_attribution_floor;

typedef struct dm_score_options {
    dm_score_format format;
    bool statements;            /* --statements */
    bool lines;                 /* --lines: every input line is one given statement */
    dm_offsets offsets;
    const char **texts;         /* -e TEXT, once per statement (in order) */
    size_t n_texts;
    const char *speaker_actor;  /* given statements' speaker actor; speech mode for documents */
    const char *speaker;        /* given statements' speaker; speech mode for documents */
    const char *date;
    const char *targets[DM_SCORE_MAX_TARGETS];
    size_t n_targets;
    const char *model_dir;
    const char *lexicon_dir;
    const char *actors;        /* --actors: an extra TSV merged over lexicons/actors.tsv */
    const char *phoenix[DM_SCORE_MAX_PHOENIX];
    size_t n_phoenix;
    bool extract_only;
    const char *ranker;        /* --ranker: a weight file, "none", or NULL (the default) */
    const char *output;
    bool table, context, explain, quiet, progress;
    dm_cli_warnings warnings;   /* --warnings */
    long option_warnings;       /* warnings already said about the options, for the summary */
    int threads;                /* -j: worker threads; 0: the online CPUs */
    dm_attribution_floor min_attribution; /* --min-attribution */
    const char *eval_path;
    const char *eval_format;    /* jsonl (default), unscon or newsmtsc */
    bool eval_json;
    bool lenient;               /* --lenient: unknown keys in --eval data are warnings */
    const char *const *inputs;
    size_t n_inputs;
    /* The store (README "The store"): --db FILE stores instead of printing;
     * --rescore, --export and --models work on the store alone. */
    const char *db;
    bool db_rescore, db_export, db_models, db_merge;
    const char *db_model;       /* --model-id: whose scores --export prints */
    int db_batch;               /* --batch: documents per transaction (0: default) */
    unsigned shard_k, shard_n;  /* --shard K/N (shard_n 0: every document) */
} dm_score_options;

/* --min-attribution: how directly a speaker must be evidenced for its
 * statement to be printed (see README, "How the speaker was found"). */
bool dm_score_parse_min_attribution(const char *name, dm_attribution_floor *out);

/* Is the statement's speaker evidenced well enough for --min-attribution? */
bool dm_score_attribution_kept(const dm_statement *st, dm_attribution_floor floor);

void dm_score_options_init(dm_score_options *opt);
/* Runs the whole job; returns a dm_exit code. */
int dm_score_run(const dm_score_options *opt);

#endif
