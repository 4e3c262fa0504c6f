/* A small strict RFC 4180 CSV reader (CSV is not JSON: jansson does not
 * apply). Fields may be quoted; inside quotes, commas, line breaks and
 * doubled quotes ("") are data. A quote inside an unquoted field, text after
 * a closing quote, or an unterminated quote is an error naming file:line.
 * Records end with LF or CRLF. */
#include "model/model_internal.h"
#include "io/gz_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct dm_csv_reader {
    gzFile gz;
    char *path;
    long line;           /* current physical line (1-based) */
    char *field;
    size_t len, cap;
};

dm_status dm_csv_reader_create(const char *path, dm_csv_reader **out,
                               dm_error *err)
{
    if (!path || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_csv_reader_create: invalid argument");
    dm_csv_reader *r = calloc(1, sizeof *r);
    if (!r)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    r->path = strdup(path);
    if (!r->path) {
        free(r);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    errno = 0;
    r->gz = dm_gz_open(path);
    if (!r->gz) {
        int e = errno;
        free(r->path);
        free(r);
        return dm_error_set(err, DM_E_IO, path, 0, "cannot open: %s",
                            strerror(e ? e : ENOENT));
    }
    r->line = 1;
    *out = r;
    return DM_OK;
}

void dm_csv_reader_destroy(dm_csv_reader **r)
{
    if (!r || !*r)
        return;
    if ((*r)->gz)
        gzclose((*r)->gz);
    free((*r)->path);
    free((*r)->field);
    free(*r);
    *r = NULL;
}

void dm_csv_fields_free(char **fields, size_t n_fields)
{
    if (!fields)
        return;
    for (size_t i = 0; i < n_fields; i++)
        free(fields[i]);
    free(fields);
}

static bool put(dm_csv_reader *r, int c)
{
    if (r->len + 1 >= r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        char *f = realloc(r->field, cap);
        if (!f)
            return false;
        r->field = f;
        r->cap = cap;
    }
    r->field[r->len++] = (char)c;
    return true;
}

/* Append the current field to the record. */
static bool emit(dm_csv_reader *r, char ***fields, size_t *n)
{
    char **v = realloc(*fields, (*n + 1) * sizeof *v);
    if (!v)
        return false;
    *fields = v;
    v[*n] = malloc(r->len + 1);
    if (!v[*n])
        return false;
    memcpy(v[*n], r->field ? r->field : "", r->len);
    v[*n][r->len] = '\0';
    (*n)++;
    r->len = 0;
    return true;
}

dm_status dm_csv_read_record(dm_csv_reader *r, char ***fields,
                             size_t *n_fields, long *line, dm_error *err)
{
    if (!r || !fields || !n_fields)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_csv_read_record: invalid argument");
    /* Start a fresh record; *fields may hold the previous one. */
    dm_csv_fields_free(*fields, *n_fields);
    *fields = NULL;
    *n_fields = 0;
    r->len = 0;
    long start_line = r->line;
    if (line)
        *line = start_line;
    int c = gzgetc(r->gz);
    if (c == -1)
        return DM_OK; /* end of input */
    bool quoted = false, after_quote = false, in_field = false;
    for (;; c = gzgetc(r->gz)) {
        if (quoted) {
            if (c == -1)
                return dm_error_set(err, DM_E_PARSE, r->path, start_line,
                                    "unterminated quoted field");
            if (c == '"') {
                int d = gzgetc(r->gz);
                if (d == '"') {
                    if (!put(r, '"'))
                        goto nomem;
                    continue;
                }
                quoted = false;
                after_quote = true;
                c = d; /* fall through to the unquoted handling */
            } else {
                if (c == '\n')
                    r->line++;
                if (!put(r, c))
                    goto nomem;
                continue;
            }
        }
        if (c == ',' ) {
            if (!emit(r, fields, n_fields))
                goto nomem;
            after_quote = in_field = false;
            continue;
        }
        if (c == '\r') {
            int d = gzgetc(r->gz);
            if (d != '\n')
                return dm_error_set(err, DM_E_PARSE, r->path, r->line,
                                    "carriage return not followed by a line feed");
            c = '\n';
        }
        if (c == '\n' || c == -1) {
            if (c == '\n')
                r->line++;
            if (!emit(r, fields, n_fields))
                goto nomem;
            return DM_OK;
        }
        if (after_quote)
            return dm_error_set(err, DM_E_PARSE, r->path, r->line,
                                "text after a closing quote in field %zu",
                                *n_fields + 1);
        if (c == '"') {
            if (in_field)
                return dm_error_set(err, DM_E_PARSE, r->path, r->line,
                                    "quote inside an unquoted field %zu",
                                    *n_fields + 1);
            quoted = true;
            in_field = true;
            continue;
        }
        in_field = true;
        if (!put(r, c))
            goto nomem;
    }
nomem:
    return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
}
