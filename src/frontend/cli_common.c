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
            log->program, log->held_back, log->held_back == 1 ? "" : "s", DM_CLI_WARN_FIRST);
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
