/*
 * demarche-score: find the statements in documents and score them.
 * A thin front end over libdemarche: options, inputs, output format,
 * the error accounting and the summary.
 */
#include "cli_common.h"
#include "cli_heap.h"
#include "cli_score.h"
#include "demarche/store.h"
#include "cli_pipeline.h"

#include <getopt.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *fp)
{
    fprintf(fp,
"usage: demarche-score [options] [FILE...]\n"
"       demarche-score [options] --lines [FILE...]\n"
"       demarche-score [options] --text TEXT [--text TEXT]... [--speaker-actor CODE] [--target CODE]...\n"
"\n"
"Finds every attributed statement in each document (who said it, in which\n"
"words, about whom) and scores it for hostility (0-4) and for stance toward\n"
"each actor it names. FILE is raw text (one document), JSON Lines of\n"
"documents {\"id\",\"date\",\"text\"[,\"title\",\"source\",\"speaker\",\"speaker_actor\"]},\n"
"or either gzipped; '-' or no FILE reads standard input.\n"
"\n"
"Input:\n");
    dm_cli_print_option(fp, "format", "auto, text or jsonl: how to read FILE (default: auto,\n"
                                      "by its first byte)");
    fprintf(fp,

"      --lines          every input line is one statement, scored as given (its\n"
"                       index is the line number), as fastText predict and VADER\n"
"  --statements         input lines are single statements {\"text\"[,\"speaker_actor\",\n"
"                       \"targets\":[{\"actor\"}|{\"start\",\"end\"}]]}, scored as given;\n"
"                       plain text lines are read as with --lines\n"
"      --text TEXT      score one statement typed at the shell (repeatable: one\n"
"                       statement each, index 1, 2, ... in order; -e TEXT is\n"
"                       its old spelling, accepted with a warning)\n"
"      --speaker NAME   speaker of given statements (--text, --lines, --statements\n"
"                       records without one); documents become speeches of NAME\n"
"      --speaker-actor CODE  the speaker's actor code, likewise\n"
"      --target CODE    a target of given statements that name none (repeatable;\n"
"                       default: the actors the statement names)\n"
"      --date DATE      date for --text, --lines, raw text files and JSON Lines\n"
"                       records without one (YYYY[-MM[-DD]]; a record's own wins)\n");
    dm_cli_print_option(fp, "offsets", "unit of start/end in the output and of the target\n"
                                       "offsets given in --statements: bytes (default) or code\n"
                                       "points (as jq and Python slice)");
    fprintf(fp,
"\n"
"Model and lexicons:\n"
"  -m, --model DIR      model bundle (default: %s/models/default)\n",
            dm_cli_data_dir());
    dm_cli_print_option(fp, "lexicons", NULL);
    dm_cli_print_option(fp, "actors", NULL);
    fprintf(fp,
"      --phoenix FILE   also load a Phoenix/CAMEO .actors dictionary (repeatable)\n"
"      --extract-only   find statements, do not score\n"
"      --ranker FILE|none  the speaker ranker's weights for quotes whose speaker\n"
"                       the rules only guess (default: models/speaker_ranker.tsv\n"
"                       of the data directory when there is one; none: rules only)\n"
"\n"
"Output:\n");
    dm_cli_print_option(fp, "output", "write there instead of standard output (a regular file\n"
                                      "is replaced atomically, keeping its mode; a FIFO or\n"
                                      "device is written directly; README \"Output files\")");
    dm_cli_print_option(fp, "json", "JSON Lines (default unless stdout is a terminal); with\n"
                                    "--eval the report as one JSON object (--jsonl: the same)");
    fprintf(fp,
"      --table          a readable table (default when stdout is a terminal)\n"
"      --context        include the reporting sentence of partial quotes\n"
"      --min-attribution cue|resolved|any  print only statements whose speaker\n"
"                       is named at the quote (cue), also those resolved from a\n"
"                       pronoun or description (resolved), or all (any, default)\n"
"      --explain        print the features behind each score (stderr when --json)\n"
"      --eval FILE      score labelled statements and print the evaluation report\n"
"      --eval-format F  jsonl (default), unscon (UNSCon sentences.csv) or\n"
"                       newsmtsc (NewsMTSC jsonl): the labelled file's format\n");
    dm_cli_print_option(fp, "lenient", "with --eval: a key the codebook does not define is a\n"
                                       "warning, not an error of its record");
    char threads[256];
    snprintf(threads, sizeof threads,
             "score with N worker threads (default: the online CPUs,\n"
             "%d here; 1: a single thread); the output, warnings and\n"
             "summary are the same bytes for every N", dm_pipeline_default_workers());
    dm_cli_print_option(fp, "threads", threads);
    fprintf(fp, "\nStore (README \"The store\"):\n");
    dm_cli_print_option(fp, "db", "store documents, statements and scores in the SQLite\n"
                                  "store FILE (created if needed) instead of printing them;\n"
                                  "documents stored already (same id, same text) are\n"
                                  "skipped, so a killed run resumes where it stopped; a\n"
                                  "changed text under a stored id is a new revision");
    fprintf(fp,
"      --batch N        documents per transaction with --db (default: %d)\n"
"      --rescore        with --db, no FILE: score the stored statements the\n"
"                       model has not scored (scores of other models are kept)\n"
"      --export         with --db, no FILE: print the stored statements (latest\n"
"                       revisions) as a direct run prints them\n"
"      --models         with --db: list the models of the store\n"
"      --merge          with --db: FILEs are stores of other tasks (--shard), merged\n"
"                       into the store (documents stored already are skipped)\n"
"      --shard K/N      only the documents of shard K (0 to N-1) of N: the FNV-1a\n"
"                       64 hash of the document id modulo N (README \"Sharding\")\n",
            DM_STORE_DEFAULT_BATCH);
    dm_cli_print_option(fp, "model-id", "with --export: scores of this model (id, a unique\n"
                                        "prefix of one, or a bundle name; default: the newest)");
    fprintf(fp, "\n");
    dm_cli_print_option(fp, "warnings", NULL);
    dm_cli_print_option(fp, "quiet", NULL);
    dm_cli_print_option(fp, "help", NULL);
    dm_cli_print_option(fp, "version", NULL);
    fprintf(fp,
"\n"
"Output fields (JSON Lines): index (the statement's number in its document, from\n"
"1; the line number with --lines), hostility.level (0-4) and\n"
"hostility.expected_level (the probability-weighted level, 0-4), and per target\n"
"stance (against|neutral|favor), favor_minus_against (p(favor) - p(against),\n"
"-1..1: + is favor) and p. start/end are byte offsets into the original text\n"
"(code points with --offsets chars).\n"
"Table notation: # is the index; hostility '3 2.61' is the level and the\n"
"expected level; targets 'RUS-' against, 'FRA+' in favour, 'CHN=' neutral, a\n"
"code without a sign was not scored (--extract-only).\n"
"\n"
"Exit status: 0 all processed, 1 some records had errors (reported as\n"
"file:line: message, the rest processed), 2 usage error, 3 cannot run.\n");
}

enum {
    OPT_STATEMENTS = 1000, OPT_SPEAKER_ACTOR, OPT_TARGET, OPT_TEXT,
    OPT_DATE, OPT_SPEAKER, OPT_PHOENIX, OPT_EXTRACT_ONLY,
    OPT_TABLE, OPT_CONTEXT, OPT_EXPLAIN, OPT_EVAL, OPT_EVAL_FORMAT,
    OPT_MIN_ATTRIBUTION, OPT_LINES, OPT_BATCH, OPT_RESCORE,
    OPT_EXPORT, OPT_MODELS, OPT_SHARD, OPT_MERGE, OPT_RANKER
};

/* demarche-score's own options; the shared ones (-o, --json, --actors,
 * --warnings, ...) come from the table in cli_common.c. */
static const struct option own_options[] = {
    {"statements", no_argument, NULL, OPT_STATEMENTS},
    {"lines", no_argument, NULL, OPT_LINES},
    {"text", required_argument, NULL, OPT_TEXT},
    {"speaker-actor", required_argument, NULL, OPT_SPEAKER_ACTOR},
    {"target", required_argument, NULL, OPT_TARGET},
    {"date", required_argument, NULL, OPT_DATE},
    {"speaker", required_argument, NULL, OPT_SPEAKER},
    {"model", required_argument, NULL, 'm'},
    {"phoenix", required_argument, NULL, OPT_PHOENIX},
    {"extract-only", no_argument, NULL, OPT_EXTRACT_ONLY},
    {"ranker", required_argument, NULL, OPT_RANKER},
    {"table", no_argument, NULL, OPT_TABLE},
    {"context", no_argument, NULL, OPT_CONTEXT},
    {"min-attribution", required_argument, NULL, OPT_MIN_ATTRIBUTION},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"eval", required_argument, NULL, OPT_EVAL},
    {"eval-format", required_argument, NULL, OPT_EVAL_FORMAT},
    {"batch", required_argument, NULL, OPT_BATCH},
    {"rescore", no_argument, NULL, OPT_RESCORE},
    {"export", no_argument, NULL, OPT_EXPORT},
    {"models", no_argument, NULL, OPT_MODELS},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"merge", no_argument, NULL, OPT_MERGE},
    {NULL, 0, NULL, 0},
};

/* An actor code typed in lower case ("usa"): codes are upper case
 * (lexicons/README.md: A-Z, 0-9, -), and "usa" would be no actor at all,
 * its own series, never the speaker's self. Upper-cased in place, said;
 * returns whether it was (a warning for the summary's count). */
static bool upper_code(const char *option, char *code, bool quiet)
{
    bool lower = false;
    for (const char *p = code; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-'))
            return false; /* not a code's letters: left as given */
        lower |= *p >= 'a' && *p <= 'z';
    }
    if (!lower)
        return false;
    char given[64];
    snprintf(given, sizeof given, "%s", code);
    for (char *p = code; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    if (!quiet)
        fprintf(stderr, "demarche-score: warning: %s '%s' read as '%s' (actor codes are upper "
                        "case)\n", option, given, code);
    return true;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "demarche-score: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'demarche-score --help'.\n");
    return DM_EXIT_USAGE;
}

/* -e TEXT arguments, at most one per argument; freed at exit, whichever
 * return main takes. */
static const char **texts;

static void free_texts(void)
{
    free(texts);
    texts = NULL;
}

/* glibc returns the top of a heap to the kernel once 128 kB or more are
 * free there (more once its threshold adapts), and maps blocks of 128 kB
 * or more on their own: each batch's output buffer (about 100 kB for 256
 * statements, grown by doubling) was given back and faulted in again, page
 * by page, batch after batch: 1,100 page faults on 50,000 statements, each
 * about 20 us on a virtual machine. Keeping up to 64 MB of freed memory
 * (the peak stays about 20 MB) costs nothing where faults are cheap. */
static void keep_freed_memory(void)
{
#if defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

/* The main thread's heap in 2 MB pages from here on (cli_heap.h): at -j 1
 * the start-up's page faults went from about 780 to 240. The block below
 * the first boundary is freed at exit. */
static void *heap_filler;

static void free_heap_filler(void)
{
    free(heap_filler);
    heap_filler = NULL;
}

int main(int argc, char **argv)
{
    keep_freed_memory();
    heap_filler = dm_cli_heap_huge(NULL);
    atexit(free_heap_filler);
    dm_score_options opt;
    dm_score_options_init(&opt);
    int table = -1; /* -1: decide by the terminal */
    bool old_e = false; /* -e, the old spelling of --text */
    int c;
    struct option long_options[64];
    char shortopts[64];
    /* -e: --text's old letter (in demarche-train it is libsvm's -e). */
    if (!dm_cli_getopt_table(DM_CLI_SCORE, own_options, long_options, 64, ":e:m:",
                             shortopts, sizeof shortopts))
        return DM_EXIT_FAILURE;
    opterr = 0; /* our own messages: the program's name, not argv[0]'s path */
    while ((c = getopt_long(argc, argv, shortopts, long_options, NULL)) != -1) {
        switch (c) {
        case DM_CLI_OPT_FORMAT:
            if (strcmp(optarg, "auto") == 0) opt.format = DM_SCORE_FORMAT_AUTO;
            else if (strcmp(optarg, "text") == 0) opt.format = DM_SCORE_FORMAT_TEXT;
            else if (strcmp(optarg, "jsonl") == 0) opt.format = DM_SCORE_FORMAT_JSONL;
            else return usage_error("unknown --format '%s' (auto, text or jsonl)", optarg);
            break;
        case OPT_STATEMENTS: opt.statements = true; break;
        case OPT_LINES: opt.lines = true; break;
        case DM_CLI_OPT_OFFSETS:
            if (strcmp(optarg, "bytes") == 0) opt.offsets = DM_OFFSETS_BYTES;
            else if (strcmp(optarg, "chars") == 0) opt.offsets = DM_OFFSETS_CHARS;
            else return usage_error("unknown --offsets '%s' (bytes or chars)", optarg);
            break;
        case 'e':
            old_e = true;
            /* fall through */
        case OPT_TEXT:
            if (!texts) {
                if (!(texts = calloc((size_t)argc, sizeof *texts))) {
                    fprintf(stderr, "demarche-score: out of memory\n");
                    return DM_EXIT_FAILURE;
                }
                atexit(free_texts);
            }
            texts[opt.n_texts++] = optarg;
            opt.texts = texts;
            break;
        case OPT_SPEAKER_ACTOR: opt.speaker_actor = optarg; break;
        case OPT_TARGET:
            if (opt.n_targets >= DM_SCORE_MAX_TARGETS)
                return usage_error("too many --target options (at most %s)", "32");
            opt.targets[opt.n_targets++] = optarg;
            break;
        case OPT_DATE: {
            dm_date d;
            dm_error derr;
            if (dm_date_parse(optarg, &d, &derr) != DM_OK)
                return usage_error("--date: %s", derr.message);
            opt.date = optarg;
            break;
        }
        case OPT_SPEAKER: opt.speaker = optarg; break;
        case 'm': opt.model_dir = optarg; break;
        case DM_CLI_OPT_LEXICONS: opt.lexicon_dir = optarg; break;
        case OPT_PHOENIX:
            if (opt.n_phoenix >= DM_SCORE_MAX_PHOENIX)
                return usage_error("too many --phoenix options (at most %s)", "16");
            opt.phoenix[opt.n_phoenix++] = optarg;
            break;
        case OPT_EXTRACT_ONLY: opt.extract_only = true; break;
        case OPT_RANKER: opt.ranker = optarg; break;
        case DM_CLI_OPT_OUTPUT: opt.output = optarg; break;
        case DM_CLI_OPT_ACTORS: opt.actors = optarg; break;
        case OPT_TABLE: table = 1; break;
        case OPT_CONTEXT: opt.context = true; break;
        case OPT_MIN_ATTRIBUTION:
            if (!dm_score_parse_min_attribution(optarg, &opt.min_attribution))
                return usage_error("--min-attribution '%s' is not cue, resolved or any", optarg);
            break;
        case OPT_EXPLAIN: opt.explain = true; break;
        case OPT_EVAL: opt.eval_path = optarg; break;
        case OPT_EVAL_FORMAT:
            if (strcmp(optarg, "jsonl") && strcmp(optarg, "unscon") && strcmp(optarg, "newsmtsc"))
                return usage_error("unknown --eval-format '%s' (jsonl, unscon or newsmtsc)", optarg);
            opt.eval_format = optarg;
            break;
        case DM_CLI_OPT_JSON: /* --json, --jsonl: JSON Lines, or --eval's object */
            table = 0;
            opt.eval_json = true;
            break;
        case DM_CLI_OPT_LENIENT: opt.lenient = true; break;
        case DM_CLI_OPT_THREADS:
            if (!dm_cli_parse_threads(optarg, &opt.threads))
                return usage_error("-j '%s' is not a number of threads from 1 to 256", optarg);
            break;
        case DM_CLI_OPT_QUIET: opt.quiet = true; break;
        case DM_CLI_OPT_WARNINGS:
            if (!dm_cli_parse_warnings(optarg, &opt.warnings))
                return usage_error("--warnings '%s' is not summary, all or none", optarg);
            break;
        case DM_CLI_OPT_DB: opt.db = optarg; break;
        case OPT_BATCH: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || n < 1 || n > 1000000)
                return usage_error("--batch needs 1-1000000 documents, not '%s'", optarg);
            opt.db_batch = (int)n;
            break;
        }
        case OPT_RESCORE: opt.db_rescore = true; break;
        case OPT_EXPORT: opt.db_export = true; break;
        case DM_CLI_OPT_MODEL_ID: opt.db_model = optarg; break;
        case OPT_MODELS: opt.db_models = true; break;
        case OPT_MERGE: opt.db_merge = true; break;
        case OPT_SHARD: {
            unsigned k, n;
            char end;
            if (sscanf(optarg, "%u/%u%c", &k, &n, &end) != 2 || n == 0 || k >= n || n > 1000000)
                return usage_error("--shard needs K/N with 0 <= K < N (N up to 1000000), not '%s'",
                                   optarg);
            opt.shard_k = k;
            opt.shard_n = n;
            break;
        }
        case 'h':
            usage(stdout);
            return fclose(stdout) == 0 ? DM_EXIT_OK : DM_EXIT_FAILURE;
        case DM_CLI_OPT_VERSION:
            printf("demarche-score %s\n", DM_VERSION_STRING);
            return fclose(stdout) == 0 ? DM_EXIT_OK : DM_EXIT_FAILURE;
        case ':':
            return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (opt.speaker_actor)
        opt.option_warnings += upper_code("--speaker-actor", (char *)opt.speaker_actor, opt.quiet);
    for (size_t i = 0; i < opt.n_targets; i++)
        opt.option_warnings += upper_code("--target", (char *)opt.targets[i], opt.quiet);
    if (old_e) {
        dm_cli_warn_old_letter("demarche-score", 'e', "text",
                               "in demarche-train -e is libsvm's tolerance", opt.quiet);
        opt.option_warnings++;
    }
    if (opt.n_texts && optind < argc)
        return usage_error("--text TEXT takes no input files (got '%s')", argv[optind]);
    if (opt.n_texts && opt.lines)
        return usage_error("%s: --text TEXT is one statement already", "--lines");
    if (opt.n_targets && !opt.n_texts && !opt.statements && !opt.lines)
        return usage_error("%s applies to given statements (--text, --lines, --statements)", "--target");
    if (opt.eval_path && (opt.n_texts || opt.lines || optind < argc))
        return usage_error("--eval takes its labelled file only (got '%s')",
                           opt.n_texts ? "--text" : opt.lines ? "--lines" : argv[optind]);
    if (!opt.eval_path && (opt.lenient || opt.eval_format))
        return usage_error("%s works with --eval FILE only", opt.lenient ? "--lenient"
                                                                        : "--eval-format");
    if (opt.eval_path && opt.extract_only)
        return usage_error("--eval needs a model: drop %s", "--extract-only");
    if (opt.explain && opt.extract_only)
        return usage_error("--explain needs a model: drop %s", "--extract-only");
    int store_jobs = opt.db_rescore + opt.db_export + opt.db_models + opt.db_merge;
    if (opt.db_merge && (optind == argc || !opt.db))
        return usage_error("%s: --merge --db STORE PART...", "--merge needs a store and parts");
    if (opt.shard_n && (opt.n_texts || opt.eval_path || store_jobs))
        return usage_error("--shard splits input documents: drop %s",
                           opt.n_texts ? "--text" : opt.eval_path ? "--eval"
                           : opt.db_rescore ? "--rescore" : opt.db_export ? "--export"
                           : opt.db_merge ? "--merge" : "--models");
    if ((store_jobs || opt.db_batch || opt.db_model) && !opt.db)
        return usage_error("%s works on a store: add --db FILE",
                           opt.db_rescore ? "--rescore" : opt.db_export ? "--export"
                           : opt.db_models ? "--models" : opt.db_batch ? "--batch" : "--model-id");
    if (store_jobs > 1)
        return usage_error("%s", "--rescore, --export, --models and --merge are separate jobs: one at a time");
    if (store_jobs && !opt.db_merge && (optind < argc || opt.n_texts))
        return usage_error("%s reads the store, not input files: drop the FILEs",
                           opt.db_rescore ? "--rescore" : opt.db_export ? "--export" : "--models");
    if (opt.db && (opt.n_texts || opt.lines || opt.eval_path || opt.explain))
        return usage_error("--db stores documents read from FILEs: drop %s",
                           opt.n_texts ? "--text" : opt.lines ? "--lines (lines have no ids)"
                           : opt.eval_path ? "--eval" : "--explain");
    if (opt.db_rescore && opt.extract_only)
        return usage_error("--rescore needs a model: drop %s", "--extract-only");
    if (opt.db && !store_jobs && opt.min_attribution != DM_ATTRIBUTION_ANY)
        return usage_error("the store keeps every statement: %s applies to --export",
                           "--min-attribution");
    /* The store keeps byte offsets and not the documents' text, which
     * code-point offsets would need: say so rather than print bytes. */
    if (opt.db_export && opt.offsets == DM_OFFSETS_CHARS)
        return usage_error("%s", "--export prints byte offsets: the store does not keep the"
                                 " documents' text that code-point offsets need (score the input"
                                 " with --offsets chars instead)");
    if (opt.db_model && !opt.db_export)
        return usage_error("%s picks the scores --export prints", "--model-id");
    if (opt.db && !store_jobs && (opt.output || table == 1))
        return usage_error("--db stores what it scores: %s applies to --export",
                           opt.output ? "-o" : "--table");
    const char *read_too[] = {opt.eval_path, opt.actors, opt.db};
    if (dm_cli_output_is_input(opt.output, (const char *const *)argv + optind,
                               (size_t)(argc - optind)) ||
        dm_cli_output_is_input(opt.output, read_too, 3))
        return usage_error("-o '%s' is also an input: the output would replace it "
                           "(choose another name)", opt.output);
    opt.table = table < 0 ? (!opt.output && !opt.eval_path && dm_cli_isatty(STDOUT_FILENO)) : table;
    opt.progress = !opt.quiet && dm_cli_isatty(STDERR_FILENO);
    dm_cli_cleanup_on_signals();
    opt.inputs = (const char *const *)argv + optind;
    opt.n_inputs = (size_t)(argc - optind);
    return dm_score_run(&opt);
}
