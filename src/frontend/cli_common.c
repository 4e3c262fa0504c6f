/* Shared front-end code: see cli_common.h. */
#include "cli_common.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#ifndef DM_SOURCE_DIR
#define DM_SOURCE_DIR "."
#endif
#ifndef DM_DATADIR_INSTALLED
#define DM_DATADIR_INSTALLED "/usr/local/share/demarche"
#endif

static bool has_lexicons(const char *dir)
{
    char path[PATH_MAX + 16];
    struct stat sb;
    snprintf(path, sizeof path, "%s/lexicons", dir);
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *dm_cli_data_dir(void)
{
    static char found[PATH_MAX];
    if (found[0])
        return found;
    const char *env = getenv("DEMARCHE_DATA");
    if (env && *env) {
        snprintf(found, sizeof found, "%s", env);
        return found;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char candidate[PATH_MAX];
        snprintf(candidate, sizeof candidate, "%s/../share/demarche", dirname(exe));
        if (has_lexicons(candidate)) {
            char *real = realpath(candidate, NULL);
            snprintf(found, sizeof found, "%s", real ? real : candidate);
            free(real);
            return found;
        }
    }
    if (has_lexicons(DM_SOURCE_DIR))
        snprintf(found, sizeof found, "%s", DM_SOURCE_DIR);
    else
        snprintf(found, sizeof found, "%s", DM_DATADIR_INSTALLED);
    return found;
}

const char *dm_cli_data_path(const char *sub, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", dm_cli_data_dir(), sub);
    return buf;
}

bool dm_cli_parse_warnings(const char *name, dm_cli_warnings *out)
{
    static const char *const NAMES[] = {"summary", "all", "none"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, NAMES[i]) == 0) {
            *out = (dm_cli_warnings)i;
            return true;
        }
    return false;
}

void dm_cli_clear_progress(dm_cli_log *log)
{
    if (log && log->progress_drawn) {
        fputs("\r\033[K", stderr);
        log->progress_drawn = false;
    }
}

/* The kind of a warning: its message with quoted parts and numbers blanked. */
static void warning_kind(const char *message, char *key, size_t size)
{
    size_t used = 0;
    /* "... (expected YYYY, ...)": the explanation in parentheses is the
     * same for every warning of a kind. */
    const char *end = strstr(message, " (");
    for (const char *p = message; *p && p != end && used + 4 < size; p++) {
        if (*p == '\'' || *p == '"') {
            const char *close = strchr(p + 1, *p);
            if (close) {
                key[used++] = *p;
                memcpy(key + used, "\u2026", 3); /* an ellipsis */
                used += 3;
                if (used + 1 < size)
                    key[used++] = *p;
                p = close;
                continue;
            }
        }
        if (*p >= '0' && *p <= '9') {
            while (p[1] >= '0' && p[1] <= '9')
                p++;
            key[used++] = 'N';
            continue;
        }
        key[used++] = *p;
    }
    key[used] = '\0';
}

/* Count a warning by kind; true if it is to be printed now. */
static bool count_warning(dm_cli_log *log, const char *message)
{
    if (log->warnings == DM_CLI_WARN_ALL)
        return true;
    if (log->warnings == DM_CLI_WARN_NONE) {
        log->held_back++;
        return false;
    }
    char key[sizeof log->kinds[0].key];
    warning_kind(message, key, sizeof key);
    size_t k = 0;
    while (k < log->n_kinds && strcmp(log->kinds[k].key, key) != 0)
        k++;
    if (k == log->n_kinds && k < DM_CLI_WARN_KINDS) {
        snprintf(log->kinds[k].key, sizeof log->kinds[k].key, "%s", key);
        log->n_kinds++;
    }
    long n = k < DM_CLI_WARN_KINDS ? ++log->kinds[k].n : DM_CLI_WARN_FIRST + 1;
    if (n <= DM_CLI_WARN_FIRST)
        return true;
    log->held_back++;
    return false;
}

void dm_cli_warnings_summary(dm_cli_log *log)
{
    if (!log || log->quiet || log->held_back == 0 || log->warnings != DM_CLI_WARN_SUMMARY)
        return;
    dm_cli_clear_progress(log);
    fprintf(stderr, "%s: %ld more warning%s not shown (the first %d of each kind were; "
                    "--warnings=all prints every one); by kind:\n",
            log->program, log->held_back, dm_cli_s(log->held_back), DM_CLI_WARN_FIRST);
    long listed = 0;
    for (size_t k = 0; k < log->n_kinds; k++) {
        fprintf(stderr, "  %8ld  %s\n", log->kinds[k].n, log->kinds[k].key);
        listed += log->kinds[k].n;
    }
    long total = log->counts ? log->counts->warnings : listed;
    if (total > listed)
        fprintf(stderr, "  %8ld  (other kinds)\n", total - listed);
}

void dm_cli_log_fn(void *user, dm_log_level level, const char *where,
                   long line, const char *message)
{
    dm_cli_log *log = user;
    if (level == DM_LOG_ERROR && log && log->counts)
        log->counts->errors++;
    if (level == DM_LOG_WARNING && log && log->counts)
        log->counts->warnings++;
    if (level < DM_LOG_WARNING || (log && log->quiet && level == DM_LOG_WARNING))
        return;
    if (level == DM_LOG_WARNING && log && !count_warning(log, message))
        return;
    dm_cli_clear_progress(log);
    const char *tag = level == DM_LOG_ERROR ? "" : "warning: ";
    if (where && *where && line > 0)
        fprintf(stderr, "%s:%ld: %s%s\n", where, line, tag, message);
    else if (where && *where)
        fprintf(stderr, "%s: %s%s\n", where, tag, message);
    else
        fprintf(stderr, "%s: %s%s\n", log ? log->program : "demarche", tag, message);
}

void dm_cli_report(dm_cli_log *log, const dm_error *err)
{
    dm_cli_log_fn(log, DM_LOG_ERROR, err->where, err->line, err->message);
}

bool dm_cli_output_open(dm_cli_output *out, const char *path, const char *program)
{
    memset(out, 0, sizeof *out);
    out->program = program;
    dm_error err;
    dm_status s = !path || strcmp(path, "-") == 0
                      ? dm_output_open_fd(STDOUT_FILENO, "standard output", &out->o, &err)
                      : dm_output_open(path, &out->o, &err);
    if (s != DM_OK) {
        dm_cli_report_output(program, &err);
        return false;
    }
    out->fp = dm_output_stream(out->o);
    return true;
}

void dm_cli_report_output(const char *program, const dm_error *err)
{
    char msg[DM_ERROR_MESSAGE_MAX + DM_ERROR_WHERE_MAX + 8];
    fprintf(stderr, "%s: %s\n", program, dm_error_format(err, msg, sizeof msg));
}

static void report_output_error(dm_cli_output *out, const dm_error *err)
{
    if (!out->reported)
        dm_cli_report_output(out->program, err);
    out->reported = true;
}

bool dm_cli_output_ok(dm_cli_output *out)
{
    dm_error err;
    if (!out->o || dm_output_check(out->o, &err) == DM_OK)
        return true;
    report_output_error(out, &err);
    return false;
}

bool dm_cli_output_commit(dm_cli_output *out, const char *program)
{
    dm_error err;
    out->program = program;
    bool ok = dm_output_commit(&out->o, &err) == DM_OK;
    if (!ok)
        report_output_error(out, &err);
    out->fp = NULL;
    return ok;
}

void dm_cli_output_abort(dm_cli_output *out)
{
    dm_output_abort(&out->o);
    out->fp = NULL;
}

static void remove_temporaries_and_die(int sig)
{
    dm_output_remove_temporaries();
    /* SA_RESETHAND restored the default action: the signal, pending until
     * this handler returns, then ends the process as it would have. */
    raise(sig);
}

void dm_cli_cleanup_on_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_temporaries_and_die;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        /* A signal the shell made us ignore (nohup, trap '' INT) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

bool dm_cli_isatty(int fd)
{
    const char *term = getenv("TERM");
    return isatty(fd) && !(term && strcmp(term, "dumb") == 0);
}

void dm_cli_print_cell(FILE *fp, const char *s, int width)
{
    bool pad = width > 0;
    if (width < 0)
        width = -width;
    /* One column of every cell is a separator: text gets width - 1. */
    int room = width - 1, used = 0;
    if (s) {
        int32_t len = (int32_t)strlen(s), i = 0;
        while (i < len) {
            int32_t start = i;
            UChar32 c;
            U8_NEXT(s, i, len, c);
            if (c < 0)
                c = 0xFFFD;
            int w = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
            int cw = (w == U_EA_WIDE || w == U_EA_FULLWIDTH) ? 2 : 1;
            if (u_getCombiningClass(c) > 0)
                cw = 0;
            if (used + cw > room - 1 && i < len) {
                fputs("\u2026", fp); /* an ellipsis marks a cut */
                used++;
                break;
            }
            if (used + cw > room)
                break;
            if (c == '\n' || c == '\t' || c == '\r')
                fputc(' ', fp);
            else if (c == 0xFFFD && s[start] != (char)0xEF)
                fputs("\uFFFD", fp);
            else
                fwrite(s + start, 1, (size_t)(i - start), fp);
            used += cw;
        }
    }
    for (; pad && used < width; used++)
        fputc(' ', fp);
}

/* ---- the shared option table (cli_common.h) ---------------------------- */

#define ALL_TOOLS (DM_CLI_TRAIN | DM_CLI_SCORE | DM_CLI_CHART)

static const dm_cli_option OPTIONS[] = {
    {"output", DM_CLI_OPT_OUTPUT, "PATH", ALL_TOOLS, NULL},
    {"format", DM_CLI_OPT_FORMAT, "F", DM_CLI_TRAIN | DM_CLI_SCORE, NULL},
    {"offsets", DM_CLI_OPT_OFFSETS, "bytes|chars", DM_CLI_TRAIN | DM_CLI_SCORE, NULL},
    {"json", DM_CLI_OPT_JSON, NULL, DM_CLI_TRAIN | DM_CLI_SCORE, NULL},
    {"lexicons", DM_CLI_OPT_LEXICONS, "DIR", DM_CLI_TRAIN | DM_CLI_SCORE,
     "lexicon directory (default: %s/lexicons)"},
    {"actors", DM_CLI_OPT_ACTORS, "FILE", ALL_TOOLS,
     "an extra actor dictionary (TSV as lexicons/actors.tsv,\n"
     "lexicons/README.md) merged over the shipped one: its names\n"
     "win, the others stay (add a minister without copying the\n"
     "lexicons folder; a model is not retrained for it)"},
    {"lenient", DM_CLI_OPT_LENIENT, NULL, DM_CLI_TRAIN | DM_CLI_SCORE, NULL},
    {"db", DM_CLI_OPT_DB, "FILE", DM_CLI_SCORE | DM_CLI_CHART, NULL},
    {"model-id", DM_CLI_OPT_MODEL_ID, "ID", DM_CLI_SCORE | DM_CLI_CHART, NULL},
    {"threads", DM_CLI_OPT_THREADS, "N", DM_CLI_TRAIN | DM_CLI_SCORE, NULL},
    {"warnings", DM_CLI_OPT_WARNINGS, "W", ALL_TOOLS,
     "summary (default: the first 3 of each kind as they\n"
     "come, then a count per kind), all, or none; the summary\n"
     "line counts them in every case"},
    {"quiet", DM_CLI_OPT_QUIET, NULL, ALL_TOOLS,
     "no warnings, no progress, no summary (errors are still\n"
     "printed)"},
    {"help", DM_CLI_OPT_HELP, NULL, ALL_TOOLS, "this help"},
    {"version", DM_CLI_OPT_VERSION, NULL, ALL_TOOLS, "print the version"},
};
#define N_OPTIONS (sizeof OPTIONS / sizeof *OPTIONS)

/* Other spellings of shared options: the same option. */
static const struct { const char *name; int id; } ALIASES[] = {
    {"jsonl", DM_CLI_OPT_JSON},  /* --json is canonical */
};

const dm_cli_option *dm_cli_options(size_t *n)
{
    *n = N_OPTIONS;
    return OPTIONS;
}

bool dm_cli_getopt_table(unsigned tool, const struct option *own, struct option *out,
                         size_t cap, const char *own_short, char *shortopts, size_t scap)
{
    size_t n = 0, used = strlen(own_short);
    if (used + 1 > scap)
        return false;
    memcpy(shortopts, own_short, used + 1);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const dm_cli_option *o = &OPTIONS[i];
        if (!(o->tools & tool))
            continue;
        if (n + 1 >= cap)
            return false;
        int has_arg = o->arg ? required_argument : no_argument;
        out[n++] = (struct option){o->name, has_arg, NULL, o->id};
        for (size_t a = 0; a < sizeof ALIASES / sizeof *ALIASES; a++)
            if (ALIASES[a].id == o->id) {
                if (n + 1 >= cap)
                    return false;
                out[n++] = (struct option){ALIASES[a].name, has_arg, NULL, o->id};
            }
        if (o->id < 128) {
            if (used + 3 > scap)
                return false;
            shortopts[used++] = (char)o->id;
            if (o->arg)
                shortopts[used++] = ':';
            shortopts[used] = '\0';
        }
    }
    for (; own && own->name; own++) {
        if (n + 1 >= cap)
            return false;
        out[n++] = *own;
    }
    out[n] = (struct option){NULL, 0, NULL, 0};
    return true;
}

void dm_cli_print_option(FILE *fp, const char *name, const char *help)
{
    const dm_cli_option *o = NULL;
    for (size_t i = 0; i < N_OPTIONS && !o; i++)
        if (strcmp(OPTIONS[i].name, name) == 0)
            o = &OPTIONS[i];
    if (!o)
        return;
    char lead[64];
    if (o->id < 128)
        snprintf(lead, sizeof lead, "-%c, --%s%s%s", o->id, o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
    else
        snprintf(lead, sizeof lead, "    --%s%s%s", o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
    fprintf(fp, strlen(lead) > 20 ? "  %s\n  %-20s " : "  %-20s ", lead, "");
    const char *text = help ? help : o->help ? o->help : "";
    /* The table's texts may name the data directory once (%s). */
    char buf[1024];
    if (!help && strstr(text, "%s")) {
        snprintf(buf, sizeof buf, text, dm_cli_data_dir());
        text = buf;
    }
    for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1)
        fprintf(fp, "%.*s\n  %-20s ", (int)(nl - text), text, "");
    fprintf(fp, "%s\n", text);
}

bool dm_cli_parse_threads(const char *arg, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    if (errno || *arg == '\0' || *end != '\0' || n < 1 || n > DM_CLI_MAX_THREADS)
        return false;
    *out = (int)n;
    return true;
}

dm_status dm_cli_load_actors(const char *base, const char *extra, dm_actors **out,
                             dm_error *err)
{
    dm_status s = dm_actors_create(out, err);
    /* First load wins a name both files know: the extra file goes first. */
    if (s == DM_OK && extra)
        s = dm_actors_load_tsv(*out, extra, err);
    if (s == DM_OK && base)
        s = dm_actors_load_tsv(*out, base, err);
    if (s != DM_OK)
        dm_actors_destroy(out);
    return s;
}

void dm_cli_warn_old_letter(const char *program, int letter, const char *name,
                            const char *why, bool quiet)
{
    if (!quiet)
        fprintf(stderr, "%s: warning: -%c is an old spelling of --%s (%s); say --%s: -%c "
                        "will go\n", program, letter, name, why, name, letter);
}

long long dm_cli_inputs_size(const char *const *paths, size_t n)
{
    long long total = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (strcmp(paths[i], "-") == 0 || stat(paths[i], &sb) != 0 || !S_ISREG(sb.st_mode))
            return -1;
        total += (long long)sb.st_size;
    }
    return n > 0 ? total : -1;
}

const char *dm_cli_output_is_input(const char *output, const char *const *paths, size_t n)
{
    struct stat o, sb;
    if (!output || strcmp(output, "-") == 0 || stat(output, &o) != 0 || !S_ISREG(o.st_mode))
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (paths[i] && strcmp(paths[i], "-") != 0 && stat(paths[i], &sb) == 0 &&
            sb.st_dev == o.st_dev && sb.st_ino == o.st_ino)
            return paths[i];
    return NULL;
}
