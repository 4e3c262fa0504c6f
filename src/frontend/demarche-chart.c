/*
 * demarche-chart: tone over time from scored statements. Reads what
 * demarche-score prints (dm_statement_from_json), aggregates by period and
 * series (dm_chart_add), writes a CSV and draws a PNG, SVG, PDF or HTML
 * chart, and summarises each series on stderr with the statements behind
 * its peaks.
 */
#include "cli_common.h"
#include "demarche/demarche.h"
#include "demarche/chart.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Image size caps: a side, and the pixels of a PNG (drawn in memory). */
#define MAX_SIDE 10000
#define MAX_PNG_PIXELS 25000000
#define STR_(x) #x
#define STR(x) STR_(x)

typedef struct chart_cli {
    dm_chart_options opt;
#define MAX_OUTPUTS 4
    const char *outputs[MAX_OUTPUTS]; /* -o, given up to 4 times (a PNG and a page) */
    int n_outputs;
    const char *csv, *title, *events;
    int width, height;
    bool quiet;
    char *series_arg;
    const char *db, *model_id;  /* --db: chart a store, aggregated in SQL */
    const char *actors;         /* --actors: resolves speakers without an actor */
    dm_cli_warnings warnings;   /* --warnings */
    char old_letters[4];        /* -p -s -t given: their old spellings */
} chart_cli;

static void usage(FILE *fp, const dm_chart_options *d)
{
    fprintf(fp,
"usage: demarche-chart [options] [FILE...]\n"
"\n"
"Charts tone over time from scored statements (demarche-score's JSON Lines;\n"
"FILE may be gzipped; '-' or no FILE reads standard input).\n"
"\n");
    dm_cli_print_option(fp, "output", "draw the chart: .png, .svg, .pdf or .html by extension;\n"
                                      ".html is one self-contained page (nothing fetched):\n"
                                      "click a point for its statements, click the legend to\n"
                                      "hide a series; give -o up to 4 times for several files");
    fprintf(fp,
"      --csv FILE       write period,series,n,mean,lower,upper ('-': stdout;\n"
"                       default: stdout when there is no --output)\n"
"      --period P       year, quarter, month, week (ISO) or day (default: %s)\n"
"  -b, --by B           series: dyad (speaker actor>target), speaker-actor,\n"
"                       target or speaker (default: dyad)\n"
"      --series LIST    only these series, in this order: USA>RUS,RUS>USA\n"
"  -M, --metric M       hostility (mean, 0-4) or stance (share in favour minus\n"
"                       share against, -1..1; + is favour) (default: hostility)\n"
"      --from DATE      first date (YYYY[-MM[-DD]] or YYYYMMDD)\n"
"      --to DATE        last date, inclusive\n"
"      --min-n N        fewest statements a period needs to be drawn; fewer\n"
"                       is a gap in the line, not a dot (default: %d: from\n"
"                       n = 5 a 95%% interval is narrower than one level)\n"
"      --smooth K       draw the centred mean over K periods (K odd) as the\n"
"                       line, with its 95%% t-interval (the window's statements\n"
"                       pooled); each period's own mean stays as a faint marker\n"
"      --events FILE    CSV date,label: vertical markers on the chart (quote\n"
"                       a label holding a comma)\n"
"      --top K          most hostile statements kept per series and per\n"
"                       period (listed in the HTML page) (default: %d)\n"
"      --include-self   keep targets that are the speaker's own actor (\"self\":\n"
"                       true: RUS>RUS) in dyad and target series (default: left\n"
"                       out, a statement about oneself is no stance toward another)\n"
"      --title TEXT     chart title\n"
"      --width W        width in pixels, 200-%d (default: 1200)\n"
"      --height H       height in pixels, 100-%d (default: 600); a PNG may\n"
"                       have at most %d million pixels (%d MB of memory)\n"
"",
            dm_period_name(d->period), d->min_n, d->top, MAX_SIDE, MAX_SIDE,
            MAX_PNG_PIXELS / 1000000,
            MAX_PNG_PIXELS * 4 / 1000000);
    dm_cli_print_option(fp, "db", "chart the store FILE (demarche-score --db) instead of\n"
                                  "JSON Lines, aggregated in SQL: the same CSV as charting\n"
                                  "its --export");
    dm_cli_print_option(fp, "model-id", "with --db: scores of this model (default: the newest)");
    dm_cli_print_option(fp, "actors", "an extra actor dictionary (TSV as lexicons/actors.tsv)\n"
                                      "merged over the shipped one: a statement whose speaker\n"
                                      "has no actor gets the one the dictionary gives the\n"
                                      "speaker's name at the statement's date (a minister\n"
                                      "added after scoring joins his state's series)");
    dm_cli_print_option(fp, "warnings", NULL);
    dm_cli_print_option(fp, "quiet", NULL);
    dm_cli_print_option(fp, "help", NULL);
    dm_cli_print_option(fp, "version", NULL);
    fprintf(fp,
"  (-p, -s and -t, the old spellings of --period, --series and --title, are\n"
"  accepted with a warning: in demarche-train they are libsvm's letters)\n"
"\n"
"Intervals are 95%% Student t-intervals of the mean. Records without a date\n"
"(none, null or \"\"), with a date that does not parse (dates: YYYY, YYYY-MM,\n"
"YYYY-MM-DD, ISO 8601, GDELT's YYYYMMDD[HHMMSS]), or too coarse for the period\n"
"are counted and reported, never silently dropped; records without scores\n"
"(not demarche-score's output) are errors. Series codes are matched ignoring\n"
"case; a series asked for but absent is named, with the series there are.\n"
"Exit status: 0 done, 1 some records were bad (file:line) or nothing could be\n"
"drawn, 2 usage, 3 failure.\n");
}

enum {
    OPT_CSV = DM_CLI_OPT_LAST_, OPT_PERIOD, OPT_SERIES, OPT_FROM, OPT_TO, OPT_MIN_N,
    OPT_TOP, OPT_TITLE, OPT_WIDTH, OPT_HEIGHT, OPT_INCLUDE_SELF, OPT_SMOOTH, OPT_EVENTS
};

/* demarche-chart's own options; the shared ones (-o, --actors, --db,
 * --warnings, ...) come from the table in cli_common.c. */
static const struct option own_options[] = {
    {"csv", required_argument, NULL, OPT_CSV},
    {"period", required_argument, NULL, OPT_PERIOD}, {"by", required_argument, NULL, 'b'},
    {"series", required_argument, NULL, OPT_SERIES}, {"metric", required_argument, NULL, 'M'},
    {"from", required_argument, NULL, OPT_FROM},     {"to", required_argument, NULL, OPT_TO},
    {"min-n", required_argument, NULL, OPT_MIN_N},   {"top", required_argument, NULL, OPT_TOP},
    {"title", required_argument, NULL, OPT_TITLE},   {"width", required_argument, NULL, OPT_WIDTH},
    {"height", required_argument, NULL, OPT_HEIGHT},
    {"include-self", no_argument, NULL, OPT_INCLUDE_SELF},
    {"smooth", required_argument, NULL, OPT_SMOOTH},
    {"events", required_argument, NULL, OPT_EVENTS},
    {NULL, 0, NULL, 0},
};

/* A --series name without the blanks around it and around a dyad's '>'
 * (a speaker's own inner spaces stay): in place. */
static char *trim_series(char *name)
{
    while (*name == ' ' || *name == '\t')
        name++;
    char *w = name;
    for (char *r = name; *r; r++) {
        bool blank = *r == ' ' || *r == '\t';
        if (blank) {
            char *next = r;
            while (*next == ' ' || *next == '\t')
                next++;
            if (*next == '\0' || *next == '>' || (w > name && w[-1] == '>')) {
                r = next - 1; /* drop the run */
                continue;
            }
        }
        *w++ = *r;
    }
    *w = '\0';
    return name;
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "demarche-chart: %s '%s'\nTry 'demarche-chart --help'.\n", msg, arg);
    return DM_EXIT_USAGE;
}

/* --from/--to DATE that does not parse: dm_date_parse's reason ("impossible
 * date "20241341" (no month 13)", or the forms it reads). */
static int date_usage_error(const char *option, const dm_error *e)
{
    fprintf(stderr, "demarche-chart: %s: %s\nTry 'demarche-chart --help'.\n", option, e->message);
    return DM_EXIT_USAGE;
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static int parse_args(int argc, char **argv, chart_cli *cli)
{
    dm_chart_options_default(&cli->opt);
    cli->width = 1200;
    cli->height = 600;
    int c;
    const char *from_arg = "", *to_arg = "";
    dm_error derr;
    struct option long_options[48];
    char shortopts[64];
    /* -p -s -t: the old letters of --period, --series and --title. */
    if (!dm_cli_getopt_table(DM_CLI_CHART, own_options, long_options, 48, ":b:M:p:s:t:",
                             shortopts, sizeof shortopts))
        return DM_EXIT_FAILURE;
    opterr = 0; /* our own messages: the program's name, not argv[0]'s path */
    while ((c = getopt_long(argc, argv, shortopts, long_options, NULL)) != -1) {
        if ((c == 'p' || c == 's' || c == 't') && !strchr(cli->old_letters, c))
            cli->old_letters[strlen(cli->old_letters)] = (char)c;
        switch (c) {
        case DM_CLI_OPT_OUTPUT:
            if (cli->n_outputs == MAX_OUTPUTS)
                return usage_error("at most " STR(MAX_OUTPUTS) " -o, not another:", optarg);
            cli->outputs[cli->n_outputs++] = optarg;
            break;
        case OPT_CSV: cli->csv = optarg; break;
        case 'p':
        case OPT_PERIOD:
            if (dm_period_parse(optarg, &cli->opt.period) != DM_OK)
                return usage_error("unknown --period", optarg);
            break;
        case 'b':
            if (dm_series_by_parse(optarg, &cli->opt.by) != DM_OK)
                return usage_error("unknown --by", optarg);
            break;
        case 'M':
            if (dm_metric_parse(optarg, &cli->opt.metric) != DM_OK)
                return usage_error("unknown --metric", optarg);
            break;
        case 's':
        case OPT_SERIES: {
            free(cli->series_arg);
            cli->series_arg = strdup(optarg);
            cli->opt.n_series = 0;
            for (char *save = NULL, *tok = strtok_r(cli->series_arg, ",", &save); tok;
                 tok = strtok_r(NULL, ",", &save)) {
                tok = trim_series(tok); /* "USA>RUS, RUS > USA" as "USA>RUS,RUS>USA" */
                if (!*tok)
                    continue;
                if (cli->opt.n_series == DM_CHART_MAX_SERIES)
                    return usage_error("too many series (at most " STR(DM_CHART_MAX_SERIES) ") in", optarg);
                cli->opt.series[cli->opt.n_series++] = tok;
            }
            if (cli->opt.n_series == 0)
                return usage_error("empty --series", optarg);
            break;
        }
        case OPT_FROM:
            from_arg = optarg;
            if (dm_date_parse(optarg, &cli->opt.from, &derr) != DM_OK)
                return date_usage_error("--from", &derr);
            cli->opt.has_from = true;
            break;
        case OPT_TO:
            to_arg = optarg;
            if (dm_date_parse(optarg, &cli->opt.to, &derr) != DM_OK)
                return date_usage_error("--to", &derr);
            cli->opt.has_to = true;
            break;
        case OPT_MIN_N:
            if (!parse_int(optarg, 1, 1000000000, &cli->opt.min_n))
                return usage_error("--min-n needs a positive integer, not", optarg);
            break;
        case OPT_INCLUDE_SELF:
            cli->opt.include_self = true;
            break;
        case OPT_SMOOTH:
            if (!parse_int(optarg, 1, DM_CHART_MAX_SMOOTH, &cli->opt.smooth) ||
                cli->opt.smooth % 2 == 0)
                return usage_error("--smooth needs an odd number of periods (1-"
                                   STR(DM_CHART_MAX_SMOOTH) ") to centre on, not", optarg);
            break;
        case OPT_EVENTS: cli->events = optarg; break;
        case OPT_TOP:
            if (!parse_int(optarg, 0, 1000, &cli->opt.top))
                return usage_error("--top needs an integer 0-1000, not", optarg);
            break;
        case 't':
        case OPT_TITLE: cli->title = optarg; break;
        case OPT_WIDTH:
            if (!parse_int(optarg, 200, MAX_SIDE, &cli->width))
                return usage_error("--width needs 200-" STR(MAX_SIDE) ", not", optarg);
            break;
        case OPT_HEIGHT:
            if (!parse_int(optarg, 100, MAX_SIDE, &cli->height))
                return usage_error("--height needs 100-" STR(MAX_SIDE) ", not", optarg);
            break;
        case DM_CLI_OPT_QUIET: cli->quiet = true; break;
        case DM_CLI_OPT_DB: cli->db = optarg; break;
        case DM_CLI_OPT_MODEL_ID: cli->model_id = optarg; break;
        case DM_CLI_OPT_ACTORS: cli->actors = optarg; break;
        case DM_CLI_OPT_WARNINGS:
            if (!dm_cli_parse_warnings(optarg, &cli->warnings))
                return usage_error("--warnings must be summary, all or none, not", optarg);
            break;
        case DM_CLI_OPT_VERSION:
            printf("demarche-chart %s\n", DM_VERSION_STRING);
            exit(fclose(stdout) == 0 ? DM_EXIT_OK : DM_EXIT_FAILURE);
        case 'h': {
            dm_chart_options d;
            dm_chart_options_default(&d);
            usage(stdout, &d);
            exit(fclose(stdout) == 0 ? DM_EXIT_OK : DM_EXIT_FAILURE);
        }
        case ':':
            fprintf(stderr, "demarche-chart: option '%s' needs an argument\n"
                            "Try 'demarche-chart --help'.\n", argv[optind - 1]);
            return DM_EXIT_USAGE;
        default:
            return usage_error("unknown option", argv[optind - 1]);
        }
    }
    static const char *const OLD_NAMES[] = {"period", "series", "title"};
    for (const char *l = cli->old_letters; *l; l++)
        dm_cli_warn_old_letter("demarche-chart", *l, OLD_NAMES[strchr("pst", *l) - "pst"],
                               "in demarche-train it is libsvm's", cli->quiet);
    if (cli->db && optind < argc)
        return usage_error("--db charts the store, not input files: drop", argv[optind]);
    if (cli->actors && cli->db)
        return usage_error("--actors resolves speakers of JSON Lines input; a store is charted "
                           "in SQL as stored (score it with --actors): drop", "--actors");
    if (cli->model_id && !cli->db)
        return usage_error("--model-id picks the scores of a store: add --db FILE with", cli->model_id);
    /* A window that ends before it starts holds nothing: say so now, not
     * after reading every statement as "outside the window". */
    if (cli->opt.has_from && cli->opt.has_to) {
        const dm_date *f = &cli->opt.from, *t = &cli->opt.to;
        bool after = f->year != t->year ? f->year > t->year
                   : f->month && t->month && f->month != t->month ? f->month > t->month
                   : f->month == t->month && f->day && t->day && f->day > t->day;
        if (after) {
            char both[96];
            snprintf(both, sizeof both, "--from %.30s, --to %.30s", from_arg, to_arg);
            return usage_error("--from is after --to: the window holds no date:", both);
        }
    }
    /* An output over an input would replace it (--csv news.jsonl). */
    const char *read_too[] = {cli->events, cli->actors, cli->db};
    for (int i = -1; i < cli->n_outputs; i++) {
        const char *output = i < 0 ? cli->csv : cli->outputs[i];
        if (dm_cli_output_is_input(output, (const char *const *)argv + optind,
                                   (size_t)(argc - optind)) ||
            dm_cli_output_is_input(output, read_too, 3))
            return usage_error("an output is also an input: it would replace it (choose "
                               "another name):", output);
    }
    for (int i = 0; i < cli->n_outputs; i++) {
        const char *output = cli->outputs[i];
        const char *dot = strrchr(output, '.');
        if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".svg") && strcmp(dot, ".pdf") &&
                     strcmp(dot, ".html")))
            return usage_error("--output must end in .png, .svg, .pdf or .html:", output);
        /* A PNG is drawn in memory, 4 bytes a pixel. */
        if (strcmp(dot, ".png") == 0 && (long)cli->width * cli->height > MAX_PNG_PIXELS) {
            char size[64];
            snprintf(size, sizeof size, "%dx%d", cli->width, cli->height);
            return usage_error("a PNG may have at most " STR(MAX_PNG_PIXELS)
                               " pixels (--width x --height), not", size);
        }
    }
    return -1;
}

/* Progress on stderr, only when stderr is a terminal: redrawn once a
 * second with the rate and, when the inputs' size is known, the share read. */
static bool show_progress;
static long lines_read;
static long long total_bytes = -1, bytes_done; /* bytes_done: files finished */
static struct timespec started;
static time_t last_progress;
/* --actors: the dictionary that gives a speaker without an actor one. */
static dm_actors *actors;

static void progress(dm_cli_log *log, const dm_reader *reader)
{
    time_t now = time(NULL);
    if (now == last_progress && !getenv("DEMARCHE_PROGRESS_EVERY_RECORD"))
        return;
    last_progress = now;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double secs = (double)(t.tv_sec - started.tv_sec) + (double)(t.tv_nsec - started.tv_nsec) / 1e9;
    char share[32] = "";
    long long at = dm_reader_offset(reader);
    if (total_bytes > 0 && at >= 0) {
        double pct = 100.0 * (double)(bytes_done + at) / (double)total_bytes;
        snprintf(share, sizeof share, ", %.0f%% read", pct > 100.0 ? 100.0 : pct);
    }
    fprintf(stderr, "\r%ld statement%s read (%.0f/s), %ld error%s%s\033[K", lines_read,
            dm_cli_s(lines_read), secs > 0 ? (double)lines_read / secs : 0.0, log->counts->errors,
            dm_cli_s(log->counts->errors), share);
    log->progress_drawn = true;
}

/* A speaker without an actor: the one --actors gives the name at the
 * statement's date. */
static void resolve_speaker(dm_statement *st, const char *date)
{
    dm_actor_match m;
    if (!actors || st->speaker_actor || !st->speaker ||
        !dm_actors_lookup(actors, st->speaker, strlen(st->speaker), date, &m))
        return;
    st->speaker_actor = strdup(m.code);
}
/* Unscored records: the first few are named, the rest counted. */
#define UNSCORED_NAMED 5
static long unscored;

/* One line: a statement into the chart, or an error naming file:line. */
static void add_line(dm_chart *chart, const char *line, size_t len, const char *where, long ln,
                     dm_cli_log *log)
{
    dm_statement st;
    char *doc = NULL, *date = NULL;
    dm_error err;
    dm_status s = dm_statement_from_json(line, len, where, ln, &st, &doc, &date, &err);
    if (s == DM_OK) {
        resolve_speaker(&st, date);
        s = dm_chart_add(chart, &st, date, doc, &err);
        dm_date parsed;
        dm_error derr;
        if (s == DM_OK && dm_date_given(date) && dm_date_parse(date, &parsed, &derr) != DM_OK) {
            /* Counted in the summary; named here (the first of the kind,
             * --warnings), so the user can find and fix the lines:
             * 'unparsable date "X": statement left out (expected ...)',
             * 'impossible date "X": statement left out (no month 13)'. */
            char msg[sizeof derr.message + 32];
            const char *why = NULL; /* the last " (": the date may hold one */
            for (const char *p = derr.message; (p = strstr(p, " (")) != NULL; p++)
                why = p;
            int head = why ? (int)(why - derr.message) : (int)strlen(derr.message);
            snprintf(msg, sizeof msg, "%.*s: statement left out%s", head, derr.message,
                     why ? why : "");
            dm_cli_log_fn(log, DM_LOG_WARNING, where, ln, msg);
        }
        if (s == DM_E_PARSE && ++unscored > UNSCORED_NAMED) {
            log->counts->errors++; /* counted, named in the summary */
        } else if (s != DM_OK) {
            dm_error located = err;
            dm_error_set(&located, s, where, ln, "%s", err.message);
            dm_cli_report(log, &located);
        }
        dm_statement_clear(&st);
    } else {
        dm_cli_report(log, &err);
    }
    free(doc);
    free(date);
}

static void read_input(dm_chart *chart, const char *path, dm_cli_log *log)
{
    dm_reader *reader = NULL;
    dm_error err;
    if (dm_reader_open(path, &reader, &err) != DM_OK) {
        dm_cli_report(log, &err);
        return;
    }
    const char *line;
    size_t len;
    long lines_in_file = 0;
    for (;;) {
        dm_status s = dm_reader_next_line(reader, &line, &len, &err);
        if (s == DM_END_OF_INPUT)
            break;
        if (s != DM_OK) {
            dm_cli_report(log, &err);
            if (s == DM_E_PARSE)
                continue;
            break;
        }
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len)
            continue;
        /* One JSON array of statements (json.dump, pandas): one error that
         * names the fix, not one "invalid JSON" for every line of it. */
        if (line[k] == '[' && lines_in_file++ == 0) {
            dm_error_set(&err, DM_E_PARSE, dm_reader_name(reader), dm_reader_line(reader),
                         "a JSON array, not JSON Lines (one statement a line): convert it "
                         "(jq -c '.[]' FILE >FILE.jsonl); nothing of this file read");
            dm_cli_report(log, &err);
            break;
        }
        lines_in_file++;
        add_line(chart, line, len, dm_reader_name(reader), dm_reader_line(reader), log);
        lines_read++;
        if (show_progress)
            progress(log, reader);
    }
    long long size = dm_reader_offset(reader);
    bytes_done += size > 0 ? size : 0;
    dm_reader_destroy(&reader);
}

/* --db: the store's statements, aggregated in SQL (include/demarche/store.h). */
static bool chart_store(dm_chart *chart, const chart_cli *cli, dm_cli_log *log)
{
    dm_store *store = NULL;
    dm_error err;
    dm_status s = dm_store_open(cli->db, DM_STORE_READ, &store, &err);
    if (s == DM_OK)
        s = dm_store_chart(store, chart, cli->model_id, &err);
    if (s != DM_OK)
        dm_cli_report(log, &err);
    dm_store_close(&store);
    return s == DM_OK;
}

/* The short text summary: per series its size, mean and the words behind
 * its peaks; then what was left out and why. */
static void summarise(dm_chart *chart, const dm_chart_counts *counts, long errors)
{
    size_t n;
    const dm_chart_series *series = dm_chart_series_list(chart, &n);
    const dm_chart_options *opt = dm_chart_get_options(chart);
    for (size_t i = 0; i < n; i++) {
        const dm_chart_series *s = &series[i];
        size_t drawn = 0;
        for (size_t k = 0; k < s->n_points; k++)
            drawn += opt->smooth > 1 ? s->points[k].smooth_drawn : s->points[k].drawn;
        fprintf(stderr, "%s: %ld %s%s, mean %s %.2f, %zu of %zu period%s drawn\n", s->name, s->n,
                opt->metric == DM_METRIC_HOSTILITY ? "statement" : "statement-target pair",
                dm_cli_s(s->n), opt->metric == DM_METRIC_HOSTILITY ? "hostility" : "net stance",
                s->mean, drawn, s->n_points, dm_cli_s((long long)s->n_points));
        for (size_t k = 0; k < s->n_examples; k++) {
            const dm_chart_example *e = &s->examples[k];
            char text[200];
            snprintf(text, sizeof text, "%s", e->text ? e->text : "");
            if (e->text && strlen(e->text) >= sizeof text) {
                /* Cut before a whole UTF-8 character, never inside one. */
                size_t cut = sizeof text - 4;
                while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
                    cut--;
                memcpy(text + cut, "...", 4);
            }
            /* Speeches name their speaker by actor only: show what there is. */
            char who[160];
            if (e->speaker && e->speaker_actor)
                snprintf(who, sizeof who, "%s (%s)", e->speaker, e->speaker_actor);
            else
                snprintf(who, sizeof who, "%s", e->speaker ? e->speaker
                                                : e->speaker_actor ? e->speaker_actor
                                                                   : "(unknown speaker)");
            /* The examples are the most hostile statements for either
             * metric: under a stance chart, whose mean is on -1..1, their
             * figure is labelled (a statement without a hostility score,
             * from a stance-only model, has none). */
            char level[32];
            if (opt->metric == DM_METRIC_HOSTILITY)
                snprintf(level, sizeof level, "%.2f", e->value * 4);
            else if (e->value >= 0)
                snprintf(level, sizeof level, "hostility %.2f", e->value * 4);
            else
                snprintf(level, sizeof level, "hostility not scored");
            fprintf(stderr, "  %d. [%s] %s, %s, %s: \"%s\"\n", (int)k + 1, level, who,
                    e->date ? e->date : "", e->doc ? e->doc : "?", text);
        }
    }
    if (n == 0)
        fprintf(stderr, "demarche-chart: no series to chart\n");
    fprintf(stderr,
            "demarche-chart: %ld statement%s read, %ld used; left out: %ld without a date, "
            "%ld with an unparsable date, %ld with a date coarser than a %s, %ld outside the "
            "window, %ld without a series key, %ld not scored, %ld in other series; %ld error%s\n",
            counts->records, dm_cli_s(counts->records), counts->used, counts->no_date,
            counts->bad_date, counts->coarse_date, dm_period_name(opt->period),
            counts->outside_window, counts->no_series, counts->not_scored, counts->filtered, errors,
            dm_cli_s(errors));
}

/* Series asked for that are not there, or not drawn: said, with the series
 * there are (a misspelt code should not give a silently empty chart). */
static void warn_series(dm_chart *chart, const dm_chart_options *opt, dm_cli_log *log)
{
    char msg[512];
    size_t n, nk;
    const dm_chart_series *series = dm_chart_series_list(chart, &n);
    const dm_chart_key *keys = dm_chart_keys(chart, &nk);
    bool listed = false;
    for (size_t i = 0; i < opt->n_series; i++) {
        const dm_chart_series *found = NULL;
        for (size_t k = 0; k < n && !found; k++)
            if (strcasecmp(series[k].name, opt->series[i]) == 0)
                found = &series[k];
        if (found) {
            long most = 0;
            for (size_t k = 0; k < found->n_points; k++) {
                long nk = opt->smooth > 1 ? found->points[k].smooth_n : found->points[k].n;
                most = nk > most ? nk : most;
            }
            if (most < opt->min_n) {
                snprintf(msg, sizeof msg, "series '%s' not drawn: its fullest %s%s has %ld "
                         "statement%s, fewer than --min-n %d (try a longer --period or a "
                         "smaller --min-n)", found->name, dm_period_name(opt->period),
                         opt->smooth > 1 ? " window" : "", most, dm_cli_s(most), opt->min_n);
                dm_cli_log_fn(log, DM_LOG_WARNING, "", 0, msg);
            }
            continue;
        }
        snprintf(msg, sizeof msg, "no statements for series '%s'", opt->series[i]);
        dm_cli_log_fn(log, DM_LOG_WARNING, "", 0, msg);
        if (listed || log->quiet || log->warnings == DM_CLI_WARN_NONE)
            continue;
        listed = true;
        if (nk == 0) {
            fprintf(stderr, "demarche-chart: no series in the input at all (no dated, scored "
                            "statement with a %s)\n",
                    opt->by == DM_SERIES_SPEAKER ? "speaker" : "speaker actor and target");
            continue;
        }
        fprintf(stderr, "demarche-chart: series in the input (statements):");
        for (size_t k = 0; k < nk && k < 20; k++)
            fprintf(stderr, "%s %s (%ld)", k ? "," : "", keys[k].name, keys[k].n);
        if (nk > 20)
            fprintf(stderr, ", and %zu more", nk - 20);
        fputc('\n', stderr);
    }
}

int main(int argc, char **argv)
{
    chart_cli cli;
    memset(&cli, 0, sizeof cli);
    int rc = parse_args(argc, argv, &cli);
    if (rc >= 0) {
        free(cli.series_arg);
        return rc;
    }
    dm_cli_cleanup_on_signals();
    dm_cli_counts counts = {0};
    dm_cli_log log = {.program = "demarche-chart", .quiet = cli.quiet, .counts = &counts,
                      .warnings = cli.warnings};
    dm_chart *chart = NULL;
    dm_error err;
    /* --include-self acts on targets: hostility by speaker actor or by
     * speaker has none (a statement counts for its speaker, whatever it
     * names), so there it would change nothing; said, not silent. */
    if (cli.opt.include_self && cli.opt.metric == DM_METRIC_HOSTILITY &&
        (cli.opt.by == DM_SERIES_SPEAKER_ACTOR || cli.opt.by == DM_SERIES_SPEAKER))
        dm_cli_log_fn(&log, DM_LOG_WARNING, "", 0,
                      "--include-self changes nothing here: it keeps targets that are the "
                      "speaker's own actor, and hostility by speaker actor or speaker has no "
                      "targets (it acts on --by dyad or target, or --metric stance)");
    /* The statements behind each point are kept only for a page. */
    cli.opt.point_examples = false;
    for (int i = 0; i < cli.n_outputs; i++) {
        const char *dot = strrchr(cli.outputs[i], '.');
        cli.opt.point_examples |= dot && strcmp(dot, ".html") == 0;
    }
    if (dm_chart_create(&cli.opt, &chart, &err) != DM_OK) {
        dm_cli_report(&log, &err);
        free(cli.series_arg);
        return DM_EXIT_FAILURE;
    }
    /* A bad event line is a data error: named (file:line), left out, the
     * lines after it read, exit 1. An unreadable file is reported once. */
    if (cli.events) {
        dm_logger events_logger = {dm_cli_log_fn, &log};
        long before = counts.errors;
        if (dm_chart_load_events_with_logger(chart, cli.events, &events_logger, &err) != DM_OK &&
            counts.errors == before)
            dm_cli_report(&log, &err);
    }
    if (cli.actors) {
        char base[4096];
        struct stat sb;
        dm_cli_data_path("lexicons/actors.tsv", base, sizeof base);
        if (dm_cli_load_actors(stat(base, &sb) == 0 ? base : NULL, cli.actors, &actors,
                               &err) != DM_OK) {
            dm_cli_report(&log, &err);
            dm_chart_destroy(&chart);
            free(cli.series_arg);
            return DM_EXIT_FAILURE;
        }
    }
    show_progress = !cli.quiet && dm_cli_isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &started);
    if (!cli.db)
        total_bytes = optind == argc ? -1
                      : dm_cli_inputs_size((const char *const *)argv + optind,
                                           (size_t)(argc - optind));
    if (cli.db) {
        if (!chart_store(chart, &cli, &log)) {
            dm_chart_destroy(&chart);
            free(cli.series_arg);
            return DM_EXIT_FAILURE;
        }
    } else if (optind == argc) {
        read_input(chart, "-", &log);
    }
    for (int i = optind; i < argc; i++)
        read_input(chart, argv[i], &log);
    dm_cli_clear_progress(&log);
    if (unscored > UNSCORED_NAMED)
        fprintf(stderr, "demarche-chart: %ld more records without scores (errors, not named)\n",
                unscored - UNSCORED_NAMED);
    rc = counts.errors ? DM_EXIT_DATA : DM_EXIT_OK;
    warn_series(chart, &cli.opt, &log);
    size_t drawn = dm_chart_drawn_points(chart);
    if (drawn == 0) {
        /* Said even under -q: it is why the exit status is 1. */
        bool csv_file = cli.csv && strcmp(cli.csv, "-") != 0;
        /* Why: --min-n only when there is a series it kept from the chart;
         * else nothing was charted at all (unscored input, no dates, ...). */
        size_t n_series;
        dm_chart_series_list(chart, &n_series);
        const dm_chart_counts *cc = dm_chart_get_counts(chart);
        char why[200];
        if (n_series > 0)
            snprintf(why, sizeof why, "no period of any series has %d statement%s (--min-n)",
                     cli.opt.min_n, dm_cli_s(cli.opt.min_n));
        else if (cc->records == 0 && unscored > 0)
            snprintf(why, sizeof why, "no record has scores (%ld without: chart the output of "
                     "demarche-score)", unscored);
        else if (cc->records == 0)
            snprintf(why, sizeof why, "no statement read%s", counts.errors ? " (errors above)" : "");
        else
            snprintf(why, sizeof why, "none of the %ld statement%s read could be charted%s",
                     cc->records, dm_cli_s(cc->records),
                     cli.quiet ? "" : " (the last line says why)");
        fprintf(stderr, "demarche-chart: nothing to draw: %s%s\n", why,
                cli.n_outputs && csv_file ? "; no chart or CSV written"
                : cli.n_outputs ? "; no chart written" : csv_file ? "; no CSV written" : "");
        rc = rc == DM_EXIT_OK ? DM_EXIT_DATA : rc;
    } else if (cli.events && dm_chart_events_outside(chart) > 0) {
        char msg[160];
        snprintf(msg, sizeof msg, "%zu of the events fall outside the charted time and are "
                 "not drawn", dm_chart_events_outside(chart));
        dm_cli_log_fn(&log, DM_LOG_WARNING, "", 0, msg);
    }
    const char *csv = cli.csv ? cli.csv : (cli.n_outputs ? NULL : "-");
    /* A CSV file of nothing but its header is not written: it would replace
     * what is at the path (a CSV of an earlier run, or an input file named
     * by mistake) with nothing. Standard output still gets the header. */
    bool write_csv = csv && (drawn > 0 || strcmp(csv, "-") == 0);
    if (write_csv) {
        dm_cli_output out;
        if (!dm_cli_output_open(&out, csv, "demarche-chart"))
            rc = DM_EXIT_FAILURE;
        else if (dm_chart_write_csv(chart, out.fp, &err) != DM_OK) {
            if (dm_cli_output_ok(&out)) /* else it said "PATH: cannot write: <why>" */
                dm_cli_report(&log, &err);
            dm_cli_output_abort(&out);
            rc = DM_EXIT_FAILURE;
        } else if (!dm_cli_output_commit(&out, "demarche-chart"))
            rc = DM_EXIT_FAILURE;
    }
    for (int i = 0; i < cli.n_outputs && drawn > 0; i++) {
        char title[256];
        if (!cli.title) {
            const dm_chart_options *o = &cli.opt;
            snprintf(title, sizeof title, "%s by %s",
                     o->metric == DM_METRIC_HOSTILITY ? "Hostility" : "Net stance",
                     dm_period_name(o->period));
        }
        if (dm_chart_draw(chart, cli.outputs[i], cli.width, cli.height,
                          cli.title ? cli.title : title, &err) != DM_OK) {
            dm_cli_report_output("demarche-chart", &err);
            rc = DM_EXIT_FAILURE;
        }
    }
    dm_cli_warnings_summary(&log);
    if (!cli.quiet)
        summarise(chart, dm_chart_get_counts(chart), counts.errors);
    if (!cli.quiet && rc == DM_EXIT_FAILURE)
        fprintf(stderr, "demarche-chart: stopped: the output could not be written\n");
    dm_chart_destroy(&chart);
    dm_actors_destroy(&actors);
    free(cli.series_arg);
    if (!csv || strcmp(csv, "-") != 0) {
        if (fclose(stdout) != 0 && rc == DM_EXIT_OK)
            rc = DM_EXIT_FAILURE;
    }
    /* Release cairo's and fontconfig's process-wide font caches: nothing
     * draws after this, and LeakSanitizer (CI's ASan run) otherwise reports
     * fontconfig's configuration as leaked and fails the run. */
    cairo_debug_reset_static_data();
    FcFini();
    return rc;
}
