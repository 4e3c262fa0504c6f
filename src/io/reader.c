/*
 * Line reader over files, stdin and gzip. zlib's gz* functions read plain
 * files transparently, so one code path serves both; a gzip file is
 * recognised by its bytes, not its name.
 *
 * The first bytes also say the encoding: a UTF-8 byte order mark is
 * dropped; UTF-16 and UTF-32 with a byte order mark are decoded to UTF-8
 * with ICU's converters as the input streams in; UTF-16 without one is
 * refused (decoding it as UTF-8 would score garbage). Every read error is
 * sticky: once the input failed, every later read returns the same error.
 */
#include "demarche/io.h"
#include "io/gz_internal.h"
#include "io/reader_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unicode/ucnv.h>
#include <zlib.h>

#define READ_CHUNK ((size_t)1 << 17)
#define PIVOT_UNITS 4096

gzFile dm_gz_open(const char *path)
{
    int fd;
    if (strcmp(path, "-") == 0) {
        fd = dup(STDIN_FILENO);
    } else {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        struct stat sb;
        if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            close(fd);
            errno = EISDIR;
            return NULL;
        }
    }
    if (fd < 0)
        return NULL;
    gzFile gz = gzdopen(fd, "rb");
    if (!gz)
        close(fd);
    return gz;
}

/* Decoding of UTF-16/UTF-32 input to UTF-8 (NULL converters: UTF-8 input). */
typedef struct reader_decoder {
    UConverter *from, *to;
    const char *encoding;   /* "UTF-16LE", ... */
    char *raw;              /* undecoded input is raw[pos, len) */
    size_t pos, len;
    bool raw_eof, reset;
    UChar pivot[PIVOT_UNITS];
    UChar *pivot_source, *pivot_target;
} reader_decoder;

struct dm_reader {
    gzFile gz;
    char *name;
    char *buf;          /* unread bytes are buf[pos, len) */
    size_t cap, len, pos;
    bool eof;
    bool sniffed;       /* the first bytes were checked for an encoding */
    bool failed;        /* a read error happened: `failure` says which */
    dm_error failure;
    reader_decoder *dec;
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
    errno = 0;
    r->gz = dm_gz_open(path);
    if (!r->gz) {
        int e = errno;
        if (e == EISDIR)
            dm_error_set(err, DM_E_IO, r->name, 0, "is a directory");
        else
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

static void decoder_destroy(reader_decoder *d)
{
    if (!d)
        return;
    if (d->from)
        ucnv_close(d->from);
    if (d->to)
        ucnv_close(d->to);
    free(d->raw);
    free(d);
}

void dm_reader_destroy(dm_reader **reader)
{
    if (!reader || !*reader)
        return;
    dm_reader *r = *reader;
    if (r->gz)
        gzclose(r->gz);
    decoder_destroy(r->dec);
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

long long dm_reader_offset(const dm_reader *reader)
{
    if (!reader || !reader->gz)
        return -1;
    return (long long)gzoffset(reader->gz);
}

const char *dm_reader_name(const dm_reader *reader)
{
    return reader ? reader->name : "";
}

long dm_reader_line(const dm_reader *reader)
{
    return reader ? reader->line : 0;
}

const char *dm_reader_encoding(const dm_reader *reader)
{
    return reader && reader->dec ? reader->dec->encoding : "UTF-8";
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

/* Record a read error: this and every later read returns it. */
static long fail(dm_reader *r, dm_status status, const char *fmt, const char *detail)
{
    r->failed = true;
    r->eof = true;
    dm_error_set(&r->failure, status, r->name, r->line + 1, fmt, detail);
    return -1;
}

/* Up to n bytes of the (decompressed) input; 0 at its end, -1 on error.
 * gzread returns 0 both at a clean end and on a truncated stream, so the
 * end is checked with gzerror. */
static long read_input(dm_reader *r, char *dst, size_t n)
{
    int got = gzread(r->gz, dst, (unsigned)n);
    int errnum = Z_OK;
    const char *msg = got <= 0 ? gzerror(r->gz, &errnum) : NULL;
    if (got < 0 || (got == 0 && errnum != Z_OK && errnum != Z_STREAM_END))
        return fail(r, DM_E_IO, "read error: %s",
                    errnum == Z_ERRNO ? strerror(errno) : zlib_message(msg));
    return got;
}

/* Up to n bytes of UTF-8 decoded from the input; 0 at its end, -1 on error. */
static long read_decoded(dm_reader *r, char *dst, size_t n)
{
    reader_decoder *d = r->dec;
    char *target = dst;
    for (;;) {
        if (d->pos == d->len && !d->raw_eof) {
            long got = read_input(r, d->raw, READ_CHUNK);
            if (got < 0)
                return -1;
            d->pos = 0;
            d->len = (size_t)got;
            d->raw_eof = got == 0;
        }
        const char *source = d->raw + d->pos;
        UErrorCode ue = U_ZERO_ERROR;
        ucnv_convertEx(d->to, d->from, &target, dst + n, &source, d->raw + d->len, d->pivot,
                       &d->pivot_source, &d->pivot_target, d->pivot + PIVOT_UNITS, d->reset,
                       d->raw_eof, &ue);
        d->reset = false;
        d->pos = (size_t)(source - d->raw);
        if (ue == U_BUFFER_OVERFLOW_ERROR)
            break; /* dst is full; the converters keep their state */
        if (ue == U_TRUNCATED_CHAR_FOUND)
            return fail(r, DM_E_IO, "the input ends inside a %s character", d->encoding);
        if (ue == U_ILLEGAL_CHAR_FOUND || ue == U_INVALID_CHAR_FOUND)
            return fail(r, DM_E_IO, "invalid %s in the input (an unpaired surrogate?)",
                        d->encoding);
        if (U_FAILURE(ue))
            return fail(r, DM_E_IO, "cannot decode the input: %s", u_errorName(ue));
        if (target > dst || d->raw_eof)
            break;
    }
    return (long)(target - dst);
}

/* Whether the first bytes are text in UTF-16 without a byte order mark:
 * every other byte NUL, the others not. */
static const char *utf16_without_bom(const unsigned char *b, size_t n)
{
    if (n > 64)
        n = 64;
    n &= ~(size_t)1;
    if (n < 4)
        return NULL;
    bool le = true, be = true;
    for (size_t i = 0; i < n; i += 2) {
        le = le && b[i] != 0 && b[i + 1] == 0;
        be = be && b[i] == 0 && b[i + 1] != 0;
    }
    return le ? "UTF-16LE" : be ? "UTF-16BE" : NULL;
}

/* Look at the first bytes of the input, buf[start, len): drop a UTF-8 byte
 * order mark, switch to decoding after a UTF-16/32 one, refuse UTF-16
 * without one. Returns false (the reader failed) on error. */
static bool sniff(dm_reader *r, size_t start)
{
    const unsigned char *b = (const unsigned char *)r->buf + start;
    size_t n = r->len - start;
    static const struct {
        const char *encoding, *bom;
        size_t len;
    } boms[] = {
        {"UTF-32LE", "\xFF\xFE\0\0", 4}, {"UTF-32BE", "\0\0\xFE\xFF", 4},
        {"UTF-16LE", "\xFF\xFE", 2},     {"UTF-16BE", "\xFE\xFF", 2},
    };
    if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
        r->pos += 3;
        return true;
    }
    for (size_t i = 0; i < sizeof boms / sizeof *boms; i++) {
        if (n < boms[i].len || memcmp(b, boms[i].bom, boms[i].len) != 0)
            continue;
        reader_decoder *d = calloc(1, sizeof *d);
        UErrorCode ue = U_ZERO_ERROR;
        if (d) {
            d->raw = malloc(READ_CHUNK);
            d->from = ucnv_open(boms[i].encoding, &ue);
            /* Malformed input (an unpaired surrogate, a cut character) is
             * an error, not a silent substitute. */
            if (U_SUCCESS(ue))
                ucnv_setToUCallBack(d->from, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &ue);
            if (U_SUCCESS(ue))
                d->to = ucnv_open("UTF-8", &ue);
        }
        if (!d || !d->raw || U_FAILURE(ue)) {
            decoder_destroy(d);
            fail(r, d ? DM_E_INTERNAL : DM_E_NOMEM, "cannot decode %s input", boms[i].encoding);
            return false;
        }
        d->encoding = boms[i].encoding;
        d->len = n - boms[i].len;
        memcpy(d->raw, b + boms[i].len, d->len);
        d->reset = true;
        d->pivot_source = d->pivot_target = d->pivot;
        r->dec = d;
        r->len = start;
        return true;
    }
    const char *enc = utf16_without_bom(b, n);
    if (enc) {
        char how[160];
        snprintf(how, sizeof how, "%s without a byte order mark; convert it to UTF-8 first "
                 "(iconv -f %s -t UTF-8)", enc, enc);
        fail(r, DM_E_IO, "the input looks like %s", how);
        r->len = start;
        return false;
    }
    return true;
}

/* Read more input after the unread bytes, growing the buffer if it is full.
 * Returns bytes added, 0 at end of input, -1 on error. */
static long fill(dm_reader *r, dm_error *err)
{
    if (r->failed) {
        if (err)
            *err = r->failure;
        return -1;
    }
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
    size_t before = r->len;
    long got = r->dec ? read_decoded(r, r->buf + r->len, READ_CHUNK)
                      : read_input(r, r->buf + r->len, READ_CHUNK);
    if (got > 0) {
        r->len += (size_t)got;
        if (!r->sniffed) {
            r->sniffed = true;
            if (!sniff(r, before))
                got = -1;
            else if (r->dec)
                return fill(r, err); /* decode what sniff() took as raw input */
        }
    }
    if (got < 0) {
        if (err)
            *err = r->failure;
        return -1;
    }
    if (got == 0)
        r->eof = true;
    return got;
}

int dm_reader_getc_internal(dm_reader *reader, dm_error *err)
{
    while (reader->pos == reader->len) {
        long got = fill(reader, err);
        if (got < 0)
            return DM_READER_GETC_ERROR;
        if (got == 0 && reader->pos == reader->len)
            return DM_READER_GETC_EOF;
    }
    return (unsigned char)reader->buf[reader->pos++];
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
                return DM_END_OF_INPUT;
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

bool dm_reader_line_ready(const dm_reader *reader)
{
    if (!reader)
        return false;
    if (reader->eof || reader->failed)
        return true;
    size_t avail = reader->len - reader->pos;
    return avail > 0 && memchr(reader->buf + reader->pos, '\n', avail) != NULL;
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
    /* Hand the buffer over rather than copy it: a long document is then
     * held once, not twice. */
    size_t n = reader->len - reader->pos;
    if (!reader->buf) {
        reader->buf = malloc(1);
        if (!reader->buf)
            return dm_error_set(err, DM_E_NOMEM, reader->name, 0, "out of memory");
    }
    if (reader->pos > 0)
        memmove(reader->buf, reader->buf + reader->pos, n);
    char *s = realloc(reader->buf, n + 1);
    if (!s)
        s = reader->buf; /* keep the larger block */
    s[n] = '\0';
    reader->buf = NULL;
    reader->cap = reader->len = reader->pos = 0;
    /* A whole-file read counts every line for later messages. */
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n')
            reader->line++;
    *out = s;
    *len = n;
    return DM_OK;
}
