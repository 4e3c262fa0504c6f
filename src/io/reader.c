/*
 * Line reader over files, stdin and gzip. zlib's gz* functions read plain
 * files transparently, so one code path serves both; a gzip file is
 * recognised by its bytes, not its name.
 */
#include "demarche/io.h"
#include "io/gz_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define READ_CHUNK ((size_t)1 << 17)

gzFile dm_gz_open(const char *path)
{
    if (strcmp(path, "-") != 0)
        return gzopen(path, "rb");
    int fd = dup(STDIN_FILENO);
    gzFile gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
    if (!gz && fd >= 0)
        close(fd);
    return gz;
}

struct dm_reader {
    gzFile gz;
    char *name;
    char *buf;          /* unread bytes are buf[pos, len) */
    size_t cap, len, pos;
    bool eof;
    long line;
    size_t max_line;
};

dm_status dm_reader_open(const char *path, dm_reader **out, dm_error *err)
{
    if (!path || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_reader_open: NULL argument");
    *out = NULL;
    dm_reader *r = calloc(1, sizeof *r);
    if (!r)
        return dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    bool is_stdin = strcmp(path, "-") == 0;
    r->name = strdup(is_stdin ? "<stdin>" : path);
    if (!r->name) {
        free(r);
        return dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    }
    r->gz = dm_gz_open(path);
    if (!r->gz) {
        int e = errno;
        dm_error_set(err, DM_E_IO, r->name, 0, "cannot open: %s",
                     e ? strerror(e) : "unknown error");
        free(r->name);
        free(r);
        return DM_E_IO;
    }
    gzbuffer(r->gz, READ_CHUNK);
    r->max_line = DM_READER_DEFAULT_MAX_LINE;
    *out = r;
    return DM_OK;
}

void dm_reader_destroy(dm_reader **reader)
{
    if (!reader || !*reader)
        return;
    dm_reader *r = *reader;
    if (r->gz)
        gzclose(r->gz);
    free(r->buf);
    free(r->name);
    free(r);
    *reader = NULL;
}

void dm_reader_set_max_line(dm_reader *reader, size_t max_line)
{
    if (reader && max_line > 0)
        reader->max_line = max_line;
}

const char *dm_reader_name(const dm_reader *reader)
{
    return reader ? reader->name : "";
}

long dm_reader_line(const dm_reader *reader)
{
    return reader ? reader->line : 0;
}

/* zlib's message without the "path: " prefix gzerror() puts before it (our
 * errors already name the file; for stdin zlib would say "<fd:3>"). */
static const char *zlib_message(const char *msg)
{
    const char *sep = msg ? strstr(msg, ": ") : NULL, *next;
    while (sep && (next = strstr(sep + 2, ": ")))
        sep = next;
    return sep ? sep + 2 : msg ? msg : "unknown error";
}

/* Read more input after the unread bytes, growing the buffer if it is full.
 * Returns bytes added, 0 at end of input, -1 on error. */
static long fill(dm_reader *r, dm_error *err)
{
    if (r->eof)
        return 0;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->cap - r->len < READ_CHUNK + 1) {
        size_t ncap = r->cap ? r->cap * 2 : READ_CHUNK * 2;
        while (ncap - r->len < READ_CHUNK + 1)
            ncap *= 2;
        char *nb = realloc(r->buf, ncap);
        if (!nb) {
            dm_error_set(err, DM_E_NOMEM, r->name, r->line + 1, "out of memory");
            return -1;
        }
        r->buf = nb;
        r->cap = ncap;
    }
    int got = gzread(r->gz, r->buf + r->len, (unsigned)READ_CHUNK);
    if (got < 0) {
        int errnum = 0;
        const char *msg = gzerror(r->gz, &errnum);
        dm_error_set(err, DM_E_IO, r->name, r->line + 1, "read error: %s",
                     errnum == Z_ERRNO ? strerror(errno) : zlib_message(msg));
        r->eof = true;
        return -1;
    }
    if (got == 0) {
        /* gzread returns 0 both at a clean end and on a truncated stream. */
        int errnum = 0;
        const char *msg = gzerror(r->gz, &errnum);
        r->eof = true;
        if (errnum != Z_OK && errnum != Z_STREAM_END) {
            dm_error_set(err, DM_E_IO, r->name, r->line + 1, "read error: %s",
                         zlib_message(msg));
            return -1;
        }
        return 0;
    }
    r->len += (size_t)got;
    return got;
}

bool dm_reader_looks_like_jsonl(dm_reader *reader)
{
    if (!reader)
        return false;
    for (;;) {
        for (size_t i = reader->pos; i < reader->len; i++) {
            unsigned char c = (unsigned char)reader->buf[i];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                continue;
            /* A UTF-8 byte order mark before the first record is tolerated. */
            if (c == 0xEF && i + 2 < reader->len &&
                (unsigned char)reader->buf[i + 1] == 0xBB &&
                (unsigned char)reader->buf[i + 2] == 0xBF) {
                i += 2;
                continue;
            }
            return c == '{';
        }
        if (reader->len - reader->pos > ((size_t)1 << 20))
            return false;
        if (fill(reader, NULL) <= 0)
            return false;
    }
}

dm_status dm_reader_next_line(dm_reader *reader, const char **line,
                              size_t *len, dm_error *err)
{
    if (!reader || !line || !len)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_reader_next_line: NULL argument");
    dm_reader *r = reader;
    size_t scanned = 0;      /* bytes after pos already searched for '\n' */
    bool too_long = false;   /* skipping the rest of an over-long line */
    for (;;) {
        char *start = r->buf ? r->buf + r->pos : NULL;
        size_t avail = r->len - r->pos;
        char *nl = avail > scanned ? memchr(start + scanned, '\n', avail - scanned) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - start);
            r->pos += n + 1;
            r->line++;
            if (too_long || n > r->max_line)
                return dm_error_set(err, DM_E_PARSE, r->name, r->line,
                                    "line longer than %zu bytes, skipped", r->max_line);
            if (n > 0 && start[n - 1] == '\r')
                n--;
            start[n] = '\0';
            *line = start;
            *len = n;
            return DM_OK;
        }
        if (avail > r->max_line) {
            /* Drop what we have of the over-long line and keep scanning. */
            too_long = true;
            r->pos = r->len;
            scanned = 0;
        } else {
            scanned = avail;
        }
        long got = fill(r, err);
        if (got < 0)
            return DM_E_IO;
        if (got == 0) {
            avail = r->len - r->pos;
            if (avail == 0 && !too_long)
                return DM_E_NOT_FOUND;
            r->line++;
            start = r->buf + r->pos;
            r->pos = r->len;
            if (too_long)
                return dm_error_set(err, DM_E_PARSE, r->name, r->line,
                                    "line longer than %zu bytes, skipped", r->max_line);
            size_t n = avail;
            if (n > 0 && start[n - 1] == '\r')
                n--;
            start[n] = '\0'; /* fill() keeps one spare byte */
            *line = start;
            *len = n;
            return DM_OK;
        }
    }
}

dm_status dm_reader_read_all(dm_reader *reader, size_t max, char **out,
                             size_t *len, dm_error *err)
{
    if (!reader || !out || !len)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_reader_read_all: NULL argument");
    *out = NULL;
    *len = 0;
    for (;;) {
        if (max && reader->len - reader->pos > max)
            return dm_error_set(err, DM_E_PARSE, reader->name, 0,
                                "input larger than %zu bytes", max);
        long got = fill(reader, err);
        if (got < 0)
            return DM_E_IO;
        if (got == 0)
            break;
    }
    size_t n = reader->len - reader->pos;
    char *s = malloc(n + 1);
    if (!s)
        return dm_error_set(err, DM_E_NOMEM, reader->name, 0, "out of memory");
    if (n)
        memcpy(s, reader->buf + reader->pos, n);
    s[n] = '\0';
    reader->pos = reader->len;
    /* A whole-file read counts every line for later messages. */
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n')
            reader->line++;
    *out = s;
    *len = n;
    return DM_OK;
}
