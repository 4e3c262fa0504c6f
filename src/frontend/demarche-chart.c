/*
 * demarche-chart: tone over time from scored statements. Reads what
 * demarche-score prints, aggregates by period and series, writes a CSV and
 * draws a PNG, SVG or PDF chart, and summarises each series on stderr with
 * the statements behind its peaks.
 */
#include "cli_common.h"
#include "demarche/demarche.h"
#include "demarche/chart.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Image size caps: a side, and the pixels of a PNG (drawn in memory). */
#define MAX_SIDE 10000
#define MAX_PNG_PIXELS 25000000
#define STR_(x) #x
#define STR(x) STR_(x)

typedef struct chart_cli {
    dm_chart_options opt;
    const char *output, *csv, *title;
    int width, height;
    bool quiet;
    char *series_arg;
    const char *db, *model_id;  /* --db: chart a store, aggregated in SQL */
} chart_cli;

static void usage(FILE *fp, const dm_chart_options *d)
{
    fprintf(fp,
"usage: demarche-chart [options] [FILE...]\n"
"\n"
"Charts tone over time from scored statements (demarche-score's JSON Lines;\n"
"FILE may be gzipped; '-' or no FILE reads standard input).\n"
"\n"
"  -o, --output FILE     draw the chart: .png, .svg or .pdf by extension\n"
"      --csv FILE        write period,series,n,mean,lower,upper ('-': stdout;\n"
"                        default: stdout when there is no --output)\n"
"  -p, --period P        year, quarter, month, week (ISO) or day (default: %s)\n"
"  -b, --by B            series: dyad (speaker actor>target), speaker-actor,\n"
"                        target or speaker (default: dyad)\n"
"  -s, --series LIST     only these series, in this order: USA>RUS,RUS>USA\n"
"  -M, --metric M        hostility (mean, 0-4) or stance (share in favour minus\n"
"                        share against, -1..1; + is favour) (default: hostility)\n"
"      --from DATE       first date (YYYY[-MM[-DD]])\n"
"      --to DATE         last date, inclusive\n"
"      --min-n N         fewest statements a period needs to be drawn; fewer\n"
"                        is a gap, not a zero (default: %d)\n"
"      --top K           most hostile statements shown per series (default: %d)\n"
"      --include-self    keep targets that are the speaker's own actor (\"self\":\n"
"                        true: RUS>RUS) in dyad and target series (default: left\n"
"                        out, a statement about oneself is no stance toward another)\n"
"  -t, --title TEXT      chart title\n"
"      --width W         width in pixels, 200-%d (default: 1200)\n"
"      --height H        height in pixels, 100-%d (default: 600); a PNG may\n"
"                        have at most %d million pixels (%d MB of memory)\n"
"      --db FILE         chart the store FILE (demarche-score --db) instead of\n"
"                        JSON Lines, aggregated in SQL: the same CSV as charting\n"
"                        its --export\n"
"      --model-id ID     with --db: scores of this model (default: the newest)\n"
"  -q, --quiet           no summary on stderr\n"
"  -h, --help            this help\n"
"      --version         print the version\n"
"\n"
"Intervals are 95%% Student t-intervals of the mean. Records without a date,\n"
"with a date that does not parse, or too coarse for the period are counted\n"
"and reported, never silently dropped.\n"
"Exit status: 0 done, 1 some records were bad (file:line), 2 usage, 3 failure.\n",
            dm_period_name(d->period), d->min_n, d->top, MAX_SIDE, MAX_SIDE,
            MAX_PNG_PIXELS / 1000000, MAX_PNG_PIXELS * 4 / 1000000);
}

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'}, {"csv", required_argument, NULL, 'c'},
    {"period", required_argument, NULL, 'p'}, {"by", required_argument, NULL, 'b'},
    {"series", required_argument, NULL, 's'}, {"metric", required_argument, NULL, 'M'},
    {"from", required_argument, NULL, 'F'},   {"to", required_argument, NULL, 'T'},
    {"min-n", required_argument, NULL, 'n'},  {"top", required_argument, NULL, 'k'},
    {"title", required_argument, NULL, 't'},  {"width", required_argument, NULL, 'W'},
    {"height", required_argument, NULL, 'H'}, {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
    {"include-self", no_argument, NULL, 'S'},
    {"db", required_argument, NULL, 'D'},     {"model-id", required_argument, NULL, 'I'},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "demarche-chart: %s '%s'\nTry 'demarche-chart --help'.\n", msg, arg);
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
    opterr = 0; /* our own messages: the program's name, not argv[0]'s path */
    while ((c = getopt_long(argc, argv, ":o:p:b:s:M:t:qh", long_options, NULL)) != -1) {
        switch (c) {
        case 'o': cli->output = optarg; break;
        case 'c': cli->csv = optarg; break;
        case 'p':
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
        case 's': {
            free(cli->series_arg);
            cli->series_arg = strdup(optarg);
            cli->opt.n_series = 0;
            for (char *save = NULL, *tok = strtok_r(cli->series_arg, ",", &save); tok;
                 tok = strtok_r(NULL, ",", &save)) {
                if (cli->opt.n_series == DM_CHART_MAX_SERIES)
                    return usage_error("too many series in", optarg);
                cli->opt.series[cli->opt.n_series++] = tok;
            }
            if (cli->opt.n_series == 0)
                return usage_error("empty --series", optarg);
            break;
        }
        case 'F':
            if (dm_date_parse(optarg, &cli->opt.from, NULL) != DM_OK)
                return usage_error("--from is not a date:", optarg);
            cli->opt.has_from = true;
            break;
        case 'T':
            if (dm_date_parse(optarg, &cli->opt.to, NULL) != DM_OK)
                return usage_error("--to is not a date:", optarg);
            cli->opt.has_to = true;
            break;
        case 'n':
            if (!parse_int(optarg, 1, 1000000000, &cli->opt.min_n))
                return usage_error("--min-n needs a positive integer, not", optarg);
            break;
        case 'S':
            cli->opt.include_self = true;
            break;
        case 'k':
            if (!parse_int(optarg, 0, 1000, &cli->opt.top))
                return usage_error("--top needs an integer 0-1000, not", optarg);
            break;
        case 't': cli->title = optarg; break;
        case 'W':
            if (!parse_int(optarg, 200, MAX_SIDE, &cli->width))
                return usage_error("--width needs 200-" STR(MAX_SIDE) ", not", optarg);
            break;
        case 'H':
            if (!parse_int(optarg, 100, MAX_SIDE, &cli->height))
                return usage_error("--height needs 100-" STR(MAX_SIDE) ", not", optarg);
            break;
        case 'q': cli->quiet = true; break;
        case 'D': cli->db = optarg; break;
        case 'I': cli->model_id = optarg; break;
        case 'V':
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
    if (cli->db && optind < argc)
        return usage_error("--db charts the store, not input files: drop", argv[optind]);
    if (cli->model_id && !cli->db)
        return usage_error("--model-id picks the scores of a store: add --db FILE with", cli->model_id);
    if (cli->output) {
        const char *dot = strrchr(cli->output, '.');
        if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".svg") && strcmp(dot, ".pdf")))
            return usage_error("--output must end in .png, .svg or .pdf:", cli->output);
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

/* Progress on stderr for long inputs, only when stderr is a terminal. */
static bool show_progress;
static long lines_read;

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
        if (dm_chart_add_json(chart, line, len, dm_reader_name(reader), dm_reader_line(reader),
                              &err) != DM_OK)
            dm_cli_report(log, &err);
        if (show_progress && ++lines_read % 100000 == 0)
            fprintf(stderr, "\r%ld statements read", lines_read);
    }
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
            drawn += s->points[k].drawn;
        fprintf(stderr, "%s: %ld %s, mean %s %.2f, %zu of %zu periods drawn\n", s->name, s->n,
                opt->metric == DM_METRIC_HOSTILITY ? "statements" : "statement-target pairs",
                opt->metric == DM_METRIC_HOSTILITY ? "hostility" : "net stance", s->mean, drawn,
                s->n_points);
        for (size_t k = 0; k < s->n_examples; k++) {
            const dm_chart_example *e = &s->examples[k];
            char text[200];
            snprintf(text, sizeof text, "%s", e->text ? e->text : "");
            if (e->text && strlen(e->text) >= sizeof text)
                memcpy(text + sizeof text - 4, "...", 4);
            /* Speeches name their speaker by actor only: show what there is. */
            char who[160];
            if (e->speaker && e->speaker_actor)
                snprintf(who, sizeof who, "%s (%s)", e->speaker, e->speaker_actor);
            else
                snprintf(who, sizeof who, "%s", e->speaker ? e->speaker
                                                : e->speaker_actor ? e->speaker_actor
                                                                   : "(unknown speaker)");
            fprintf(stderr, "  %d. [%.2f] %s, %s, %s: \"%s\"\n", (int)k + 1, e->value * 4, who,
                    e->date ? e->date : "", e->doc ? e->doc : "?", text);
        }
    }
    if (n == 0)
        fprintf(stderr, "demarche-chart: no series to chart\n");
    fprintf(stderr,
            "demarche-chart: %ld statements read, %ld used; left out: %ld without a date, "
            "%ld with an unparsable date, %ld with a date coarser than a %s, %ld outside the "
            "window, %ld without a series key, %ld not scored, %ld in other series; %ld errors\n",
            counts->records, counts->used, counts->no_date, counts->bad_date, counts->coarse_date,
            dm_period_name(opt->period), counts->outside_window, counts->no_series,
            counts->not_scored, counts->filtered, errors);
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
    dm_cli_log log = {.program = "demarche-chart", .quiet = cli.quiet, .counts = &counts};
    dm_chart *chart = NULL;
    dm_error err;
    if (dm_chart_create(&cli.opt, &chart, &err) != DM_OK) {
        dm_cli_report(&log, &err);
        free(cli.series_arg);
        return DM_EXIT_FAILURE;
    }
    show_progress = !cli.quiet && dm_cli_isatty(STDERR_FILENO);
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
    if (show_progress && lines_read >= 100000)
        fputs("\r\033[K", stderr);
    rc = counts.errors ? DM_EXIT_DATA : DM_EXIT_OK;
    const char *csv = cli.csv ? cli.csv : (cli.output ? NULL : "-");
    if (csv) {
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
    if (cli.output) {
        char title[256];
        if (!cli.title) {
            const dm_chart_options *o = &cli.opt;
            snprintf(title, sizeof title, "%s by %s",
                     o->metric == DM_METRIC_HOSTILITY ? "Hostility" : "Net stance",
                     dm_period_name(o->period));
        }
        if (dm_chart_draw(chart, cli.output, cli.width, cli.height, cli.title ? cli.title : title,
                          &err) != DM_OK) {
            dm_cli_report_output("demarche-chart", &err);
            rc = DM_EXIT_FAILURE;
        }
    }
    if (!cli.quiet)
        summarise(chart, dm_chart_get_counts(chart), counts.errors);
    if (!cli.quiet && rc == DM_EXIT_FAILURE)
        fprintf(stderr, "demarche-chart: stopped: the output could not be written\n");
    dm_chart_destroy(&chart);
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
