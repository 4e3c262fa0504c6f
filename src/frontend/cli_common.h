/*
 * What the three executables share: exit codes, where the shipped data
 * lives, the stderr logger, atomic output files and the run summary.
 */
#ifndef DM_CLI_COMMON_H
#define DM_CLI_COMMON_H

#include "demarche/actors.h"
#include "demarche/core.h"
#include "demarche/output.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

/* Named exit codes (as jq names its own). */
enum dm_exit {
    DM_EXIT_OK = 0,        /* everything processed */
    DM_EXIT_DATA = 1,      /* some records or files had errors; the rest was processed */
    DM_EXIT_USAGE = 2,     /* bad command line */
    DM_EXIT_FAILURE = 3    /* could not run at all (model, lexicons, output) */
};

/* Directory holding lexicons/ and models/: $DEMARCHE_DATA, else
 * <executable>/../share/demarche (installed), else the source tree the
 * program was built from, else the configured install location. Returns a
 * static string. */
const char *dm_cli_data_dir(void);
/* dm_cli_data_dir()/sub into buf; returns buf. */
const char *dm_cli_data_path(const char *sub, char *buf, size_t size);

/* Counters behind the summary line and the exit status. */
typedef struct dm_cli_counts {
    long documents, statements, errors, warnings;
} dm_cli_counts;

/* --warnings: which warnings are printed as they happen. */
typedef enum dm_cli_warnings {
    DM_CLI_WARN_SUMMARY = 0, /* the first DM_CLI_WARN_FIRST of each kind, then a count per kind */
    DM_CLI_WARN_ALL,         /* every one */
    DM_CLI_WARN_NONE         /* none (still counted in the summary line) */
} dm_cli_warnings;

#define DM_CLI_WARN_FIRST 3
#define DM_CLI_WARN_KINDS 32

/* Logger context: the program name, quiet flag and counters. A zeroed
 * struct with a program name is a valid one (--warnings=summary). */
typedef struct dm_cli_log {
    const char *program;
    bool quiet;            /* drop warnings (errors still print) */
    dm_cli_counts *counts;
    dm_cli_warnings warnings;
    bool progress_drawn;   /* a progress line is on stderr: cleared before a message */
    /* Warnings by kind: the message with its quoted parts and numbers
     * blanked ("date '…' is not YYYY…"). */
    struct { char key[96]; long n; } kinds[DM_CLI_WARN_KINDS];
    size_t n_kinds;
    long held_back;        /* warnings not printed (summary mode) */
} dm_cli_log;

/* Parse summary|all|none; false for anything else. */
bool dm_cli_parse_warnings(const char *name, dm_cli_warnings *out);
/* Clear a progress line drawn on stderr (if any), so that what follows
 * starts at column 0 on a clean line. */
void dm_cli_clear_progress(dm_cli_log *log);
/* In summary mode, when warnings were held back: their count per kind on
 * stderr (call before the summary line). Nothing under quiet. */
void dm_cli_warnings_summary(dm_cli_log *log);

/* dm_log_fn printing "where:line: message" to stderr and counting. */
void dm_cli_log_fn(void *user, dm_log_level level, const char *where,
                   long line, const char *message);
/* Print an error buffer as "where:line: message" and count it. */
void dm_cli_report(dm_cli_log *log, const dm_error *err);

/* An output stream: stdout ("-" or NULL) or the file -o names, written
 * through dm_output (include/demarche/output.h): atomically to a regular
 * file, directly to a FIFO or device. Every function prints its own
 * "program: PATH: cannot write: <why>" once and returns false. */
typedef struct dm_cli_output {
    FILE *fp;          /* write here */
    dm_output *o;
    const char *program;
    bool reported;     /* the write error was printed */
} dm_cli_output;

bool dm_cli_output_open(dm_cli_output *out, const char *path, const char *program);
/* False (after printing why, once) if a write has failed: call it after
 * each record and stop early. */
bool dm_cli_output_ok(dm_cli_output *out);
/* Flush, close and move into place. False (after printing why) on failure. */
bool dm_cli_output_commit(dm_cli_output *out, const char *program);
/* Remove the temporary file without touching the target. */
void dm_cli_output_abort(dm_cli_output *out);

/* Print an output error as "program: PATH: message" (e.g. "cannot write:
 * No space left on device"). */
void dm_cli_report_output(const char *program, const dm_error *err);

/* Install handlers for SIGINT, SIGTERM, SIGHUP and SIGPIPE that remove the
 * library's temporary files and directories (dm_output_remove_temporaries)
 * and then die of the same signal, default action. Call once from main. */
void dm_cli_cleanup_on_signals(void);

/* True if `fd` is a terminal and the environment does not say otherwise. */
bool dm_cli_isatty(int fd);

/* Print `s` to fp cut or padded to `width` display columns (ICU character
 * widths: wide East Asian characters count two), the last column being a
 * separator. A negative width cuts to -width without padding (last cell). */
void dm_cli_print_cell(FILE *fp, const char *s, int width);

/* ---- One option table for the three tools ------------------------------
 *
 * Every option that more than one tool has, with the short letter it has
 * in all of them. Each tool builds its getopt_long table and short-option
 * string from these entries and its own (dm_cli_getopt_table) and prints
 * their --help lines from here (dm_cli_print_option), so a shared option
 * cannot get two spellings or two letters. The other letters: demarche-train
 * keeps libsvm's -s -t -c -g -p -e -v (svm-train's meanings), demarche-chart
 * has -b and -M; no tool gives a letter another meaning (README "Options",
 * checked by tests/e2e/options.sh on the three --help texts). */
enum dm_cli_tool { DM_CLI_TRAIN = 1u, DM_CLI_SCORE = 2u, DM_CLI_CHART = 4u };

enum dm_cli_opt_id {
    DM_CLI_OPT_HELP = 'h',
    DM_CLI_OPT_QUIET = 'q',
    DM_CLI_OPT_OUTPUT = 'o',
    DM_CLI_OPT_THREADS = 'j',
    DM_CLI_OPT_MODEL = 'm',
    DM_CLI_OPT_ACTORS = 'a',
    /* Long-only options: above any letter, below the tools' own ids. */
    DM_CLI_OPT_VERSION = 0x300,
    DM_CLI_OPT_WARNINGS,
    DM_CLI_OPT_JSON,       /* --json, and --jsonl, the same option */
    DM_CLI_OPT_LEXICONS,
    DM_CLI_OPT_LENIENT,
    DM_CLI_OPT_OFFSETS,
    DM_CLI_OPT_FORMAT,
    DM_CLI_OPT_DB,
    DM_CLI_OPT_MODEL_ID,
    DM_CLI_OPT_LAST_       /* tools number their own options above this */
};

typedef struct dm_cli_option {
    const char *name;      /* long name without "--" */
    int id;                /* the letter, or a DM_CLI_OPT_ id */
    const char *arg;       /* metavar; NULL: a flag */
    unsigned tools;        /* DM_CLI_TRAIN | ... : the tools that have it */
    const char *help;      /* lines separated by '\n'; NULL: the tool's own
                            * (what it is differs: -o, --format) */
} dm_cli_option;

/* Entries of the table, in --help order; *n their count. */
const dm_cli_option *dm_cli_options(size_t *n);
/* Build a getopt_long table into `out` (room for `cap` entries with the
 * terminator): the shared options of `tool`, their aliases (--jsonl), then
 * `own` (terminated by a NULL name). `shortopts` gets `own_short` (which
 * starts with getopt's flags, e.g. "-:" or ":") followed by the letters of
 * the shared options. False if the room is too small. */
bool dm_cli_getopt_table(unsigned tool, const struct option *own, struct option *out,
                         size_t cap, const char *own_short, char *shortopts, size_t scap);
/* The --help line(s) of shared option `name`, aligned at column 23; `help`
 * replaces the table's text when not NULL (a tool's own -o). */
void dm_cli_print_option(FILE *fp, const char *name, const char *help);

/* The parsers of shared options' arguments: false for a bad value. */
enum { DM_CLI_MAX_THREADS = 256 };                       /* -j's largest */
bool dm_cli_parse_threads(const char *arg, int *out);    /* 1-DM_CLI_MAX_THREADS */

/* The actor dictionary for --actors: the extra TSV `extra` (may be NULL)
 * merged over the dictionary `base` (may be NULL: none). The extra file is
 * loaded first and the library keeps the first meaning of a name both
 * files know (actors.h), so the extra file's entries win, and a name only
 * the shipped file knows keeps its meaning. Errors name file:line. */
dm_status dm_cli_load_actors(const char *base, const char *extra, dm_actors **out,
                             dm_error *err);
/* "s" unless n is 1, for the counts of the summaries: "1 document, 2
 * statements". */
static inline const char *dm_cli_s(long long n)
{
    return n == 1 ? "" : "s";
}
/* The total size of the input files when every one is a regular file (for
 * progress's share read); -1 otherwise (stdin, a pipe, none). */
long long dm_cli_inputs_size(const char *const *paths, size_t n);
/* The path among `paths` that names the same regular file as `output`
 * (through links and other spellings), or NULL: writing the output there
 * would replace that input (demarche-score news.jsonl -o news.jsonl), so
 * the tools refuse it as a usage error. */
const char *dm_cli_output_is_input(const char *output, const char *const *paths, size_t n);
/* A deprecated short letter: "PROGRAM: warning: -X is an old spelling of
 * --NAME (...)" once, unless quiet. */
void dm_cli_warn_old_letter(const char *program, int letter, const char *name,
                            const char *why, bool quiet);

#endif
