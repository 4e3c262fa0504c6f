/* A small strict RFC 4180 CSV reader (CSV is not JSON: jansson does not
 * apply). Fields may be quoted; inside quotes, commas, line breaks and
 * doubled quotes ("") are data. A quote inside an unquoted field, text after
 * a closing quote, or an unterminated quote is an error naming file:line.
 * Records end with LF or CRLF. Bytes come from a dm_reader, which reads
 * gzip, drops a UTF-8 byte order mark, decodes UTF-16/32 and makes every
 * read error an error. */
#include "datasets/datasets_internal.h"
#include "io/reader_internal.h"

#include <stdlib.h>
#include <string.h>

struct dm_csv_reader {
    dm_reader *in;
    char *path;
    long line;           /* current physical line (1-based) */
    char *field;
    size_t len, cap;
    size_t max_field;
    long field_line;     /* where the current field started */
    dm_error read_error; /* why the last read failed */
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
    dm_status s = dm_reader_open(path, &r->in, err);
    if (s != DM_OK) {
        free(r->path);
        free(r);
        return s;
    }
    r->line = 1;
    r->max_field = DM_CSV_DEFAULT_MAX_FIELD;
    *out = r;
    return DM_OK;
}

void dm_csv_reader_destroy(dm_csv_reader **r)
{
    if (!r || !*r)
        return;
    dm_reader_destroy(&(*r)->in);
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

void dm_csv_reader_set_max_field(dm_csv_reader *r, size_t max_field)
{
    if (r && max_field > 0)
        r->max_field = max_field;
}

/* The next byte, DM_READER_GETC_EOF, or DM_READER_GETC_ERROR (read_error set). */
static int next_byte(dm_csv_reader *r)
{
    return dm_reader_getc_internal(r->in, &r->read_error);
}

typedef enum put_result { PUT_OK, PUT_NOMEM, PUT_TOO_LONG } put_result;

static put_result put(dm_csv_reader *r, int c)
{
    if (r->len >= r->max_field)
        return PUT_TOO_LONG;
    if (r->len + 1 >= r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        char *f = realloc(r->field, cap);
        if (!f)
            return PUT_NOMEM;
        r->field = f;
        r->cap = cap;
    }
    r->field[r->len++] = (char)c;
    return PUT_OK;
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
    r->field_line = start_line;
    int c = next_byte(r);
    if (c == DM_READER_GETC_EOF)
        return DM_END_OF_INPUT; /* as dm_reader_next_line: its own status */
    bool quoted = false, after_quote = false, in_field = false;
    put_result pr = PUT_OK;
    for (;; c = next_byte(r)) {
        if (c == DM_READER_GETC_ERROR)
            goto read_error;
        if (quoted) {
            if (c == DM_READER_GETC_EOF)
                return dm_error_set(err, DM_E_PARSE, r->path, r->field_line,
                                    "unterminated quoted field: its quote is never closed, "
                                    "so the rest of the file is inside it (no line after "
                                    "this one was read as a record)");
            if (c == '"') {
                int d = next_byte(r);
                if (d == DM_READER_GETC_ERROR)
                    goto read_error;
                if (d == '"') {
                    if ((pr = put(r, '"')) != PUT_OK)
                        goto put_failed;
                    continue;
                }
                quoted = false;
                after_quote = true;
                c = d; /* fall through to the unquoted handling */
            } else {
                if (c == '\n')
                    r->line++;
                if ((pr = put(r, c)) != PUT_OK)
                    goto put_failed;
                continue;
            }
        }
        if (c == ',' ) {
            if (!emit(r, fields, n_fields))
                goto nomem;
            after_quote = in_field = false;
            r->field_line = r->line;
            continue;
        }
        if (c == '\r') {
            int d = next_byte(r);
            if (d == DM_READER_GETC_ERROR)
                goto read_error;
            if (d != '\n')
                return dm_error_set(err, DM_E_PARSE, r->path, r->line,
                                    "carriage return not followed by a line feed");
            c = '\n';
        }
        if (c == '\n' || c == DM_READER_GETC_EOF) {
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
        if ((pr = put(r, c)) != PUT_OK)
            goto put_failed;
    }
read_error:
    /* The reader does not count CSV lines: name the line we are on. */
    return dm_error_set(err, r->read_error.status, r->path, r->line, "%s",
                        r->read_error.message);
put_failed:
    if (pr == PUT_TOO_LONG)
        return dm_error_set(err, DM_E_PARSE, r->path, r->field_line,
                            "field %zu is longer than %zu bytes%s", *n_fields + 1, r->max_field,
                            quoted ? " (a quote that is never closed?)" : "");
nomem:
    return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
}
