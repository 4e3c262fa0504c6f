/* demarche-train: learn hostility and stance models from labelled
 * statements, cross-validate them, and write a model bundle. */
#include "cli_common.h"
#include "cli_train_report.h"
#include "cli_pipeline.h"

#include "demarche/model.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROGRAM "demarche-train"
#define DEFAULT_LICENCE "MIT"

typedef enum input_format { FORMAT_JSONL, FORMAT_UNSCON, FORMAT_NEWSMTSC } input_format;

typedef struct input {
    const char *path;
    input_format format;
    const char *licence;
} input;

typedef struct options {
    dm_model_train_params params;
    input *inputs;
    size_t n_inputs;
    dm_offsets_mode offsets;
    int folds;             /* -v K; 0 = none */
    bool grid;
    bool nested;           /* --nested: the grid's figure by nested CV too */
    const char *output;
    const char *lexicons;
    const char *actors;
    bool json;
    bool quiet;
    dm_cli_warnings warnings; /* --warnings */
    bool lenient;             /* --lenient */
    bool task_given;       /* --task was on the command line */
    /* -g, -p, --stance-c, -s on the command line: said when the model
     * trained has no use for them (warn_ignored). */
    bool gamma_given, epsilon_given, stance_c_given, type_given;
    dm_split split;
} options;

/* The settings of the parameter table (include/demarche/model.h) that have
 * an option: help text, range and live default from the table. */
static void print_param_help(FILE *fp)
{
    for (size_t i = 0; i < dm_param_count(); i++) {
        const dm_param *param = dm_param_at(i);
        if (!param->option)
            continue;
        char lead[64], range[64];
        snprintf(lead, sizeof lead, "%s%s%s%s%s", param->option, param->alias ? ", " : "",
                 param->alias ? param->alias : "", param->metavar ? " " : "",
                 param->metavar ? param->metavar : "");
        fprintf(fp, strlen(lead) > 19 ? "  %s\n  %-19s " : "  %-19s ", lead, "");
        const char *help = param->help;
        for (const char *nl; (nl = strchr(help, '\n')); help = nl + 1)
            fprintf(fp, "%.*s\n  %-19s ", (int)(nl - help), help, "");
        if (param->type == DM_PARAM_BOOL)
            fprintf(fp, "%s (default %s)\n", help, param->def ? "on" : "off");
        else if (param->type == DM_PARAM_CHOICE)
            fprintf(fp, "%s (%s; default %s)\n", help,
                    dm_param_range(param, range, sizeof range), param->choices[(int)param->def]);
        else
            fprintf(fp, "%s (%s; default %g)\n", help,
                    dm_param_range(param, range, sizeof range), param->def);
    }
}

static void usage(FILE *fp)
{
    fprintf(fp,
        "usage: " PROGRAM " [options] [-o BUNDLE] [-v K] FILE...\n"
        "\n"
        "Train demarche's hostility and stance models from labelled statements.\n"
        "\n"
        "Inputs (FILE '-' is standard input; .gz files are read transparently):\n");
    dm_cli_print_option(fp, "format", "format of the FILEs after it: jsonl, unscon, newsmtsc\n"
                                      "(default jsonl; see train/CODEBOOK.md)");
    fprintf(fp,
        "      --unscon PATH    add UNSCon sentences.csv (CC BY-SA 4.0)\n"
        "      --newsmtsc PATH  add NewsMTSC train.jsonl (MIT)\n");
    dm_cli_print_option(fp, "offsets", "unit of start/end in jsonl targets (default bytes)");
    dm_cli_print_option(fp, "lenient", "a jsonl key the codebook does not define is a warning\n"
                                       "(default: an error naming the line; no model is written)");
    fprintf(fp,
        "      --licence TEXT   licence recorded for the jsonl FILEs after it (default %s)\n"
        "      --split S        jsonl records to keep by the codebook's hold-out rule\n"
        "                       (FNV-1a of \"id\" mod 5 == 0 is test): all, train, test\n"
        "                       (default all)\n",
        DEFAULT_LICENCE);
    dm_cli_print_option(fp, "lexicons", NULL);
    dm_cli_print_option(fp, "actors", "an extra actor dictionary (TSV as lexicons/actors.tsv)\n"
                                      "merged over the shipped one (its names win): it locates\n"
                                      "targets given only by code and keys targets given by\n"
                                      "their words");
    fprintf(fp,
        "\n"
        "Model (-s -t -c -g -p -e -v are svm-train's and train's letters):\n");
    print_param_help(fp);
    fprintf(fp,
        "  --char-ngrams MIN-MAX  character n-grams of MIN to MAX characters within\n"
        "                      words (1 <= MIN <= MAX <= %g; 0 = none; default none)\n"
        "\n"
        "Evaluation and output:\n"
        "  -v K                K-fold cross-validation report (no bundle unless -o)\n"
        "  --cv-by-group       cross-validate by group instead of by statement: each\n"
        "                      group (UNSCon: the meeting; jsonl: the \"group\" key)\n"
        "                      is tested whole, as one fold (leave one group out) or\n"
        "                      dealt into K folds with -v K; records without a group\n"
        "                      are training data in every fold\n"
        "  --grid              choose C (and gamma for rbf) per task by cross-validation\n"
        "                      (K from -v, default 5), then train with the best; the\n"
        "                      report lists every point tried (also in --json and in\n"
        "                      the bundle's manifest); its figures are the best of the\n"
        "                      grid on the folds that chose it, so optimistic\n"
        "  --nested            with --grid, also estimate the grid search without that\n"
        "                      optimism: nested K-fold CV (each fold predicted with the\n"
        "                      point its own inner CV of the other folds chose; about K\n"
        "                      times the grid's work). By statements only\n",
        dm_param_find("char_ngram_max")->max);
    dm_cli_print_option(fp, "output", "write the model bundle directory PATH (new, empty or\n"
                                      "an old bundle, which is replaced atomically; any other\n"
                                      "directory is refused, never emptied)");
    dm_cli_print_option(fp, "json", "print the report as one JSON object (--jsonl: the same)");
    dm_cli_print_option(fp, "warnings", NULL);
    char threads[256];
    snprintf(threads, sizeof threads,
             "run cross-validation folds and grid points on N threads\n"
             "(default: the online CPUs, %d here; 1: one thread); the\n"
             "bundle and the report are the same bytes for every N",
             dm_pipeline_default_workers());
    dm_cli_print_option(fp, "threads", threads);
    dm_cli_print_option(fp, "quiet", NULL);
    dm_cli_print_option(fp, "help", NULL);
    dm_cli_print_option(fp, "version", NULL);
    fprintf(fp,
        "\n"
        "Exit status: 0 ok, 1 data or training error (no bundle written), 2 usage,\n"
        "3 could not run (lexicons, output).\n");
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, PROGRAM ": ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '" PROGRAM " --help'.\n");
    return DM_EXIT_USAGE;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool add_input(options *o, const char *path, input_format f, const char *licence)
{
    input *v = realloc(o->inputs, (o->n_inputs + 1) * sizeof *v);
    if (!v)
        return false;
    o->inputs = v;
    v[o->n_inputs++] = (input){path, f, licence};
    return true;
}

enum {
    OPT_UNSCON = DM_CLI_OPT_LAST_, OPT_NEWSMTSC, OPT_LICENCE,
    OPT_CHAR_NGRAMS, OPT_GRID, OPT_NESTED, OPT_SPLIT, OPT_CV_BY_GROUP,
    OPT_PARAM = 1024 /* + index in the parameter table */
};

#define MAX_LONGOPTS 64

/* The shared and fixed long options (already in `all`), then one per "--"
 * option of the parameter table. */
static void build_longopts(struct option *all)
{
    size_t n = 0;
    while (all[n].name)
        n++;
    for (size_t i = 0; i < dm_param_count() && n + 1 < MAX_LONGOPTS; i++) {
        const dm_param *param = dm_param_at(i);
        const char *names[] = {param->option, param->alias};
        for (int k = 0; k < 2 && n + 1 < MAX_LONGOPTS; k++)
            if (names[k] && strncmp(names[k], "--", 2) == 0)
                all[n++] = (struct option){names[k] + 2,
                                           param->metavar ? required_argument : no_argument,
                                           NULL, OPT_PARAM + (int)i};
    }
    all[n] = (struct option){NULL, 0, NULL, 0};
}

/* The table entry of option `c` (a table long option, or -c -g -p -e -s -t). */
static const dm_param *param_of_option(int c)
{
    if (c >= OPT_PARAM)
        return dm_param_at((size_t)(c - OPT_PARAM));
    char name[3] = {'-', (char)c, '\0'};
    return c > 0 && c < 128 && c != 1 ? dm_param_find(name) : NULL;
}

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, options *o)
{
    /* The shared options (cli_common.h) come from the one table. */
    static const struct option fixed[] = {
        {"unscon", required_argument, NULL, OPT_UNSCON},
        {"newsmtsc", required_argument, NULL, OPT_NEWSMTSC},
        {"licence", required_argument, NULL, OPT_LICENCE},
        {"split", required_argument, NULL, OPT_SPLIT},
        {"license", required_argument, NULL, OPT_LICENCE},
        {"char-ngrams", required_argument, NULL, OPT_CHAR_NGRAMS},
        {"grid", no_argument, NULL, OPT_GRID},
        {"nested", no_argument, NULL, OPT_NESTED},
        {"cv-by-group", no_argument, NULL, OPT_CV_BY_GROUP},
        {NULL, 0, NULL, 0}};
    struct option longopts[MAX_LONGOPTS];
    char shortopts[64];
    /* Leading '-': operands come back in order as option 1, so --format
     * applies to the files after it. libsvm's letters: svm-train's. */
    if (!dm_cli_getopt_table(DM_CLI_TRAIN, fixed, longopts, MAX_LONGOPTS - 20,
                             "-:t:c:g:p:e:s:v:", shortopts, sizeof shortopts))
        return DM_EXIT_FAILURE;
    build_longopts(longopts);
    input_format format = FORMAT_JSONL;
    const char *licence = DEFAULT_LICENCE;
    dm_model_train_params *p = &o->params;
    dm_error err;
    dm_error_clear(&err);
    int c;
    long l;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        const dm_param *param = param_of_option(c);
        if (param) {
            /* Parsed and range-checked by the parameter table. */
            const char *value = param->metavar ? optarg : "true";
            if (strcmp(param->key, "kernel") == 0 && strcmp(value, "0") == 0)
                value = "linear"; /* libsvm's -t numbers */
            else if (strcmp(param->key, "kernel") == 0 && strcmp(value, "2") == 0)
                value = "rbf";
            if (dm_param_set(p, param, value, &err) != DM_OK)
                return usage_error("%s", err.message);
            if (strcmp(param->key, "tasks") == 0)
                o->task_given = true;
            o->gamma_given |= strcmp(param->key, "gamma") == 0;
            o->epsilon_given |= strcmp(param->key, "svr_epsilon") == 0;
            o->stance_c_given |= strcmp(param->key, "stance_C") == 0;
            o->type_given |= strcmp(param->key, "liblinear_type") == 0;
            continue;
        }
        switch (c) {
        case 1:
            if (!add_input(o, optarg, format, licence))
                return DM_EXIT_FAILURE;
            break;
        case DM_CLI_OPT_FORMAT:
            if (strcmp(optarg, "jsonl") == 0)
                format = FORMAT_JSONL;
            else if (strcmp(optarg, "unscon") == 0)
                format = FORMAT_UNSCON;
            else if (strcmp(optarg, "newsmtsc") == 0)
                format = FORMAT_NEWSMTSC;
            else
                return usage_error("--format must be jsonl, unscon or newsmtsc, not '%s'", optarg);
            break;
        case OPT_UNSCON:
            if (!add_input(o, optarg, FORMAT_UNSCON, NULL))
                return DM_EXIT_FAILURE;
            break;
        case OPT_NEWSMTSC:
            if (!add_input(o, optarg, FORMAT_NEWSMTSC, NULL))
                return DM_EXIT_FAILURE;
            break;
        case DM_CLI_OPT_OFFSETS:
            if (strcmp(optarg, "bytes") == 0)
                o->offsets = DM_OFFSETS_BYTES;
            else if (strcmp(optarg, "chars") == 0)
                o->offsets = DM_OFFSETS_CHARS;
            else
                return usage_error("--offsets must be bytes or chars, not '%s'", optarg);
            break;
        case OPT_LICENCE:
            licence = optarg;
            break;
        case OPT_SPLIT:
            if (strcmp(optarg, "all") == 0)
                o->split = DM_SPLIT_ALL;
            else if (strcmp(optarg, "train") == 0)
                o->split = DM_SPLIT_TRAIN;
            else if (strcmp(optarg, "test") == 0)
                o->split = DM_SPLIT_TEST;
            else
                return usage_error("--split must be all, train or test, not '%s'", optarg);
            break;
        case 'v':
            if (!parse_long(optarg, 2, 1000, &l))
                return usage_error("-v needs a number of folds >= 2, not '%s'", optarg);
            o->folds = (int)l;
            break;
        case OPT_CHAR_NGRAMS: {
            /* MIN-MAX, or 0: the two table settings char_ngram_min/max. */
            const char *dash = strchr(optarg, '-');
            char lo[32];
            if (strcmp(optarg, "0") == 0) {
                p->features.char_ngram_min = p->features.char_ngram_max = 0;
                break;
            }
            if (!dash || dash == optarg || (size_t)(dash - optarg) >= sizeof lo)
                return usage_error("--char-ngrams needs MIN-MAX (1 <= MIN <= MAX <= 6) or 0, "
                                   "not '%s'", optarg);
            snprintf(lo, sizeof lo, "%.*s", (int)(dash - optarg), optarg);
            if (dm_param_set(p, dm_param_find("char_ngram_min"), lo, &err) != DM_OK ||
                dm_param_set(p, dm_param_find("char_ngram_max"), dash + 1, &err) != DM_OK ||
                p->features.char_ngram_min < 1 ||
                p->features.char_ngram_max < p->features.char_ngram_min)
                return usage_error("--char-ngrams needs MIN-MAX (1 <= MIN <= MAX <= 6) or 0, "
                                   "not '%s'", optarg);
            break;
        }
        case OPT_GRID:
            o->grid = true;
            break;
        case OPT_NESTED:
            o->nested = true;
            break;
        case OPT_CV_BY_GROUP:
            p->cv_by_group = true;
            break;
        case 'o':
            o->output = optarg;
            break;
        case DM_CLI_OPT_LEXICONS:
            o->lexicons = optarg;
            break;
        case DM_CLI_OPT_ACTORS:
            o->actors = optarg;
            break;
        case DM_CLI_OPT_JSON:
            o->json = true;
            break;
        case DM_CLI_OPT_LENIENT:
            o->lenient = true;
            break;
        case DM_CLI_OPT_WARNINGS:
            if (!dm_cli_parse_warnings(optarg, &o->warnings))
                return usage_error("--warnings must be summary, all or none, not '%s'", optarg);
            break;
        case DM_CLI_OPT_THREADS:
            if (!dm_cli_parse_threads(optarg, &p->threads))
                return usage_error("-j needs a number of threads from 1 to 256, not '%s'", optarg);
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'h':
            usage(stdout);
            return fclose(stdout) == 0 ? DM_EXIT_OK : DM_EXIT_FAILURE;
        case DM_CLI_OPT_VERSION:
            printf(PROGRAM " %s\n", DM_VERSION_STRING);
            return fclose(stdout) == 0 ? DM_EXIT_OK : DM_EXIT_FAILURE;
        case ':':
            return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (o->n_inputs == 0)
        return usage_error("%s", "no training data: give FILE, --unscon or --newsmtsc");
    if (!o->output && !o->folds && !o->grid && !p->cv_by_group)
        return usage_error("%s", "nothing to do: give -o BUNDLE and/or -v K");
    if (o->nested && !o->grid)
        return usage_error("%s", "--nested estimates a grid search: give it with --grid");
    if (o->nested && p->cv_by_group)
        return usage_error("%s", "--nested is by statements: not with --cv-by-group");
    if (dm_model_check_params(p, &err) != DM_OK)
        return usage_error("%s", err.message);
    return -1;
}

/* Progress and warnings: warnings via the shared logger, progress notes
 * only when stderr is a terminal. */
typedef struct train_log {
    dm_cli_log cli;
    bool progress;
} train_log;

static void train_log_fn(void *user, dm_log_level level, const char *where, long line,
                         const char *message)
{
    train_log *t = user;
    if (level == DM_LOG_INFO) {
        if (t->progress)
            fprintf(stderr, PROGRAM ": %s\n", message);
        return;
    }
    dm_cli_log_fn(&t->cli, level, where, line, message);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_inputs(const options *o, dm_dataset *ds, const dm_actors *actors,
                       const dm_logger *logger, train_log *tl)
{
    int status = DM_EXIT_OK;
    for (size_t i = 0; i < o->n_inputs; i++) {
        const input *in = &o->inputs[i];
        dm_error err;
        dm_error_clear(&err);
        dm_status s;
        long logged = tl->cli.counts->errors;
        size_t bad_before = ds->n_bad;
        if (in->format == FORMAT_UNSCON)
            s = dm_dataset_read_unscon(ds, in->path, actors, logger, &err);
        else if (in->format == FORMAT_NEWSMTSC)
            s = dm_dataset_read_newsmtsc(ds, in->path, actors, logger, &err);
        else
            s = dm_dataset_read_jsonl(ds, in->path, o->offsets, actors, in->licence,
                                      logger, &err);
        /* Lines counted but named together (a CSV given as JSON Lines:
         * "and 99 more lines"): the summary counts each one. */
        long bad = (long)(ds->n_bad - bad_before);
        if (bad > tl->cli.counts->errors - logged)
            tl->cli.counts->errors = logged + bad;
        if (s == DM_E_PARSE && tl->cli.counts->errors > logged) {
            /* Every bad record was already printed by the logger. */
            status = DM_EXIT_DATA;
        } else if (s != DM_OK) {
            dm_cli_report(&tl->cli, &err);
            status = DM_EXIT_DATA;
        }
    }
    return status;
}

/* Without --task, train only the tasks the data has labels for. */
static void drop_unlabelled_tasks(const dm_dataset *ds, dm_model_train_params *p,
                                  train_log *tl)
{
    long host = 0, stance = 0;
    for (size_t i = 0; i < ds->n_sources; i++) {
        host += ds->sources[i].hostility_labels;
        stance += ds->sources[i].stance_labels;
    }
    if (host == 0 && stance > 0 && (p->tasks & DM_TASK_HOSTILITY)) {
        p->tasks &= ~(unsigned)DM_TASK_HOSTILITY;
        dm_cli_log_fn(&tl->cli, DM_LOG_WARNING, "", 0,
                      "no hostility labels in the data: training stance only");
    }
    if (stance == 0 && host > 0 && (p->tasks & DM_TASK_STANCE)) {
        p->tasks &= ~(unsigned)DM_TASK_STANCE;
        dm_cli_log_fn(&tl->cli, DM_LOG_WARNING, "", 0,
                      "no stance labels in the data: training hostility only");
    }
}

/* The summary line, as the other tools end theirs: what was read and what
 * went wrong, so a run that wrote no model says how far it got. */
static void summarise(const options *o, const dm_dataset *ds, const dm_cli_counts *counts)
{
    if (o->quiet || !ds)
        return;
    long statements = 0, host = 0, stance = 0;
    for (size_t i = 0; i < ds->n_sources; i++) {
        statements += ds->sources[i].statements;
        host += ds->sources[i].hostility_labels;
        stance += ds->sources[i].stance_labels;
    }
    /* Files refused for their bad records were read all the same: their
     * good statements count as read, and the summary says they were left out. */
    statements += ds->n_dropped;
    host += ds->n_dropped_hostility;
    stance += ds->n_dropped_stance;
    char dropped[96] = "";
    if (ds->n_dropped > 0)
        snprintf(dropped, sizeof dropped, ", %ld of them in files refused for their errors",
                 ds->n_dropped);
    fprintf(stderr, PROGRAM ": %zu input%s, %ld statement%s (%ld hostility, %ld stance label%s)%s, "
                    "%ld error%s, %ld warning%s\n",
            o->n_inputs, dm_cli_s((long long)o->n_inputs), statements, dm_cli_s(statements), host,
            stance, dm_cli_s(stance), dropped, counts->errors, dm_cli_s(counts->errors),
            counts->warnings, dm_cli_s(counts->warnings));
}

/* Settings given that the models trained do not read: a warning each
 * (svm-train ignores them silently, and a user then believes a grid of -g
 * values was tried on a linear model). */
static void warn_ignored(const options *o, dm_cli_log *log)
{
    const dm_model_train_params *p = &o->params;
    bool libsvm = p->solver == DM_SOLVER_LIBSVM ||
                  (p->solver == DM_SOLVER_AUTO && p->kernel == DM_KERNEL_RBF);
    if (o->gamma_given && p->kernel != DM_KERNEL_RBF)
        dm_cli_log_fn(log, DM_LOG_WARNING, "", 0,
                      "-g (gamma) ignored: it is the rbf kernel's, and the kernel is linear "
                      "(-t rbf to use it)");
    if (o->epsilon_given && (p->hostility != DM_HOSTILITY_SVR || !(p->tasks & DM_TASK_HOSTILITY)))
        dm_cli_log_fn(log, DM_LOG_WARNING, "", 0,
                      "-p (epsilon of SVR) ignored: only --hostility-model svr reads it");
    if (o->stance_c_given && !(p->tasks & DM_TASK_STANCE))
        dm_cli_log_fn(log, DM_LOG_WARNING, "", 0,
                      "--stance-c ignored: no stance model is trained (--task hostility)");
    if (o->type_given && libsvm)
        dm_cli_log_fn(log, DM_LOG_WARNING, "", 0,
                      "-s (LIBLINEAR's classifier type) ignored: libsvm trains these models "
                      "(--solver libsvm or the rbf kernel)");
}

static int run(options *o)
{
    dm_cli_counts counts = {0};
    train_log tl = {.cli = {.program = PROGRAM, .quiet = o->quiet, .counts = &counts,
                            .warnings = o->warnings},
                    .progress = !o->quiet && dm_cli_isatty(2)};
    dm_logger logger = {train_log_fn, &tl};
    warn_ignored(o, &tl.cli);
    char lexdir[4096], actors_path[4200];
    if (!o->lexicons)
        o->lexicons = dm_cli_data_path("lexicons", lexdir, sizeof lexdir);
    dm_error err;
    dm_error_clear(&err);
    /* Refuse a directory that is not a bundle before a long training run. */
    if (o->output && dm_model_check_output(o->output, &err) != DM_OK) {
        dm_cli_report_output(PROGRAM, &err);
        return DM_EXIT_FAILURE;
    }
    int status = DM_EXIT_OK;
    dm_featurizer *fz = NULL;
    dm_actors *actors = NULL;
    dm_dataset *ds = NULL;
    dm_model *model = NULL;
    dm_cv_report report = {0};
    if (dm_featurizer_create(&o->params.features, o->lexicons, &fz, &err) != DM_OK) {
        dm_cli_report(&tl.cli, &err);
        return DM_EXIT_FAILURE;
    }
    /* The lexicons' actors.tsv (when there is one), --actors merged over it. */
    struct stat sb;
    snprintf(actors_path, sizeof actors_path, "%s/actors.tsv", o->lexicons);
    const char *base = stat(actors_path, &sb) == 0 ? actors_path : NULL;
    if ((base || o->actors) &&
        dm_cli_load_actors(base, o->actors, &actors, &err) != DM_OK) {
        dm_cli_report(&tl.cli, &err);
        status = DM_EXIT_FAILURE;
        goto done;
    }
    if (dm_dataset_create(&ds, &err) != DM_OK) {
        dm_cli_report(&tl.cli, &err);
        status = DM_EXIT_FAILURE;
        goto done;
    }
    ds->split = o->split;
    ds->lenient = o->lenient;
    status = read_inputs(o, ds, actors, &logger, &tl);
    if (status != DM_EXIT_OK) {
        fprintf(stderr, PROGRAM ": errors in the training data; no model written\n");
        goto done;
    }
    if (!o->task_given)
        drop_unlabelled_tasks(ds, &o->params, &tl);
    double t0 = now_seconds();
    int k = o->folds ? o->folds : o->params.cv_by_group ? 0 : 5;
    bool have_report = false;
    if (o->grid || o->folds || o->params.cv_by_group) {
        dm_status s = o->grid
            ? dm_model_grid_search(ds, fz, &o->params, k, &report, &logger, &err)
            : dm_model_cross_validate(ds, fz, &o->params, k, &report, &logger, &err);
        if (s != DM_OK) {
            dm_cli_report(&tl.cli, &err);
            status = s == DM_E_NOMEM ? DM_EXIT_FAILURE : DM_EXIT_DATA;
            goto done;
        }
        have_report = true;
        double seconds = now_seconds() - t0;
        if (o->json) {
            if (!dm_train_report_json(stdout, &report, seconds,
                                      dm_model_solver_name(&o->params)))
                status = DM_EXIT_FAILURE;
        } else {
            dm_train_report_text(stdout, &report, seconds,
                                 !o->params.cv_by_group ? DM_TRAIN_CV_STATEMENTS
                                 : o->folds ? DM_TRAIN_CV_GROUP_FOLDS
                                            : DM_TRAIN_CV_LEAVE_GROUP_OUT);
        }
        if (o->nested) {
            /* After the grid (which chose the final model's parameters),
             * its figure without the optimism; not in the bundle. */
            dm_cv_report nested = {0};
            double t1 = now_seconds();
            if (dm_model_grid_nested(ds, fz, &o->params, k, &nested, &logger, &err) != DM_OK) {
                dm_cli_report(&tl.cli, &err);
                status = err.status == DM_E_NOMEM ? DM_EXIT_FAILURE : DM_EXIT_DATA;
                goto done;
            }
            if (o->json) {
                if (!dm_train_report_json(stdout, &nested, now_seconds() - t1,
                                          dm_model_solver_name(&o->params)))
                    status = DM_EXIT_FAILURE;
            } else {
                dm_train_report_text(stdout, &nested, now_seconds() - t1, DM_TRAIN_CV_NESTED);
            }
            dm_cv_report_free(&nested);
        }
    }
    if (o->output) {
        t0 = now_seconds();
        if (dm_model_train(ds, fz, &o->params, &model, &logger, &err) != DM_OK) {
            dm_cli_report(&tl.cli, &err);
            fprintf(stderr, PROGRAM ": no model written\n");
            status = DM_EXIT_DATA;
            goto done;
        }
        if ((have_report && dm_model_set_cv_report(model, &report, &err) != DM_OK) ||
            dm_model_save(model, o->output, &err) != DM_OK) {
            dm_cli_report_output(PROGRAM, &err);
            fprintf(stderr, PROGRAM ": no model written%s\n",
                    err.status == DM_E_IO ? ": the output could not be written" : "");
            status = DM_EXIT_FAILURE;
            goto done;
        }
        if (tl.progress)
            fprintf(stderr, PROGRAM ": wrote %s (%s, trained in %.2f s)\n", o->output,
                    dm_model_solver_name(&o->params), now_seconds() - t0);
        /* A bundle alone says nothing of how good it is: say how to find out. */
        if (!have_report && !tl.cli.quiet)
            fprintf(stderr, PROGRAM ": note: %s has no evaluation figures: -v 5 adds a 5-fold "
                            "cross-validation (on this data), demarche-score --model %s --eval "
                            "FILE scores held-out data\n", o->output, o->output);
    }
done:
    summarise(o, ds, &counts);
    dm_cv_report_free(&report);
    dm_model_destroy(&model);
    dm_dataset_destroy(&ds);
    dm_actors_destroy(&actors);
    dm_featurizer_destroy(&fz);
    dm_cli_warnings_summary(&tl.cli);
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        fprintf(stderr, PROGRAM ": error writing standard output: %s\n", strerror(errno));
        return DM_EXIT_FAILURE;
    }
    return status;
}

int main(int argc, char **argv)
{
    options o = {0};
    dm_model_train_params_default(&o.params);
    o.params.threads = dm_pipeline_default_workers();  /* -j; the same bytes for any */
    int rc = parse_args(argc, argv, &o);
    if (rc < 0) {
        dm_cli_cleanup_on_signals();
        rc = run(&o);
    }
    free(o.inputs);
    return rc;
}
