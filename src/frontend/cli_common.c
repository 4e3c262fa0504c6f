/* Shared front-end code: see cli_common.h. */
#include "cli_common.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
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
    if (!path || strcmp(path, "-") == 0) {
        out->fp = stdout;
        return true;
    }
    size_t n = strlen(path) + 16;
    out->path = strdup(path);
    out->tmp_path = malloc(n);
    if (!out->path || !out->tmp_path) {
        fprintf(stderr, "%s: out of memory\n", program);
        free(out->tmp_path); /* nothing created yet: only free, never unlink */
        out->tmp_path = NULL;
        dm_cli_output_abort(out);
        return false;
    }
    snprintf(out->tmp_path, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(out->tmp_path);
    if (fd < 0) {
        fprintf(stderr, "%s: %s: cannot create a temporary file: %s\n", program, path,
                strerror(errno));
        free(out->tmp_path); /* no file was created: only free, never unlink */
        out->tmp_path = NULL;
        dm_cli_output_abort(out); /* frees out->path (was leaked) */
        return false;
    }
    fchmod(fd, 0644);
    out->fp = fdopen(fd, "w");
    if (!out->fp) {
        close(fd);
        dm_cli_output_abort(out);
        return false;
    }
    return true;
}

bool dm_cli_output_commit(dm_cli_output *out, const char *program)
{
    if (!out->path) {
        if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
            fprintf(stderr, "%s: error writing standard output: %s\n", program,
                    strerror(errno));
            return false;
        }
        return true;
    }
    bool ok = fflush(out->fp) == 0 && !ferror(out->fp) && fsync(fileno(out->fp)) == 0;
    ok = (fclose(out->fp) == 0) && ok;
    out->fp = NULL;
    if (ok && rename(out->tmp_path, out->path) != 0)
        ok = false;
    if (!ok) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", program, out->path, strerror(errno));
        unlink(out->tmp_path);
    }
    free(out->path);
    free(out->tmp_path);
    out->path = out->tmp_path = NULL;
    return ok;
}

void dm_cli_output_abort(dm_cli_output *out)
{
    if (out->fp && out->fp != stdout)
        fclose(out->fp);
    if (out->tmp_path)
        unlink(out->tmp_path);
    free(out->path);
    free(out->tmp_path);
    memset(out, 0, sizeof *out);
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
