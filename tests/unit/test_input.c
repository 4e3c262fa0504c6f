/* Unit tests of input reliability (issue 8, items 5-9): read errors that
 * must be errors, encodings, counts, spans that disagree with their
 * mention, caps, and long documents read by windows. */
/* The fixture's extraction helpers are not all used here (the warning
 * comes at the end of the file, so it stays off). */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "statements_fixture.h"

#include "demarche/demarche.h"
#include "demarche/chart.h"
#include "io/span_internal.h"
#include "datasets/datasets_internal.h" /* the strict CSV reader */
#include "io/reader_internal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <zlib.h>

static char tmpdir[256];

/* A line of demarche-score's output into a chart, as demarche-chart reads it. */
static dm_status chart_add_json(dm_chart *c, const char *json, size_t len, const char *where,
                                long line, dm_error *err)
{
    dm_statement st;
    char *doc, *date;
    dm_status s = dm_statement_from_json(json, len, where, line, &st, &doc, &date, err);
    if (s != DM_OK)
        return s;
    s = dm_chart_add(c, &st, date, doc, err);
    dm_statement_clear(&st);
    free(doc);
    free(date);
    return s;
}

static int setup(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dm_test_input_XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    return fx_setup(state);
}

static int teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        return -1;
    return fx_teardown(state);
}

/* Write `len` bytes to tmpdir/name (gzipped if asked); returns the path. */
static const char *write_bytes(const char *name, const void *bytes, size_t len, bool gzip)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    if (gzip) {
        gzFile gz = gzopen(path, "wb");
        assert_non_null(gz);
        assert_int_equal(gzwrite(gz, bytes, (unsigned)len), (int)len);
        assert_int_equal(gzclose(gz), Z_OK);
    } else {
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(bytes, 1, len, fp), len);
        assert_int_equal(fclose(fp), 0);
    }
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_bytes(name, text, strlen(text), false);
}

/* Cut the file at `path` to `len` bytes. */
static void cut_file(const char *path, size_t len)
{
    assert_int_equal(truncate(path, (off_t)len), 0);
}

static size_t file_size(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return (size_t)sb.st_size;
}

/* ---- Read errors are errors --------------------------------------------- */

static void test_gzip_magic_then_garbage(void **state)
{
    (void)state;
    static const char bytes[] = "\x1f\x8b\x08\x00garbage that is not deflate data at all";
    const char *path = write_bytes("garbage.gz", bytes, sizeof bytes - 1, false);
    dm_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_reader_open(path, &r, &err), DM_OK);
    /* --format auto looks first: it must not swallow the error. */
    assert_false(dm_reader_looks_like_jsonl(r));
    char *all = NULL;
    size_t len = 0;
    assert_int_equal(dm_reader_read_all(r, 0, &all, &len, &err), DM_E_IO);
    assert_null(all);
    assert_non_null(strstr(err.message, "read error"));
    assert_string_equal(err.where, path);
    /* And it stays an error. */
    const char *line;
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_E_IO);
    dm_reader_destroy(&r);
}

static void test_gzip_corrupt_after_header(void **state)
{
    (void)state;
    /* A valid gzip whose deflate data is overwritten after the header. */
    size_t n = 200000;
    char *text = malloc(n);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + (i * 7919) % 26);
    const char *path = write_bytes("corrupt.gz", text, n, true);
    size_t size = file_size(path);
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 12, SEEK_SET), 0);
    for (size_t i = 12; i + 8 < size; i++)
        fputc((int)((i * 131) & 0xFF), fp);
    assert_int_equal(fclose(fp), 0);
    free(text);
    dm_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_reader_open(path, &r, &err), DM_OK);
    char *all = NULL;
    size_t len = 0;
    assert_int_equal(dm_reader_read_all(r, 0, &all, &len, &err), DM_E_IO);
    dm_reader_destroy(&r);
}

static void test_directory_is_refused(void **state)
{
    (void)state;
    dm_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_reader_open(tmpdir, &r, &err), DM_E_IO);
    assert_null(r);
    assert_string_equal(err.message, "is a directory");
    assert_string_equal(err.where, tmpdir);
    dm_csv_reader *csv = NULL;
    assert_int_equal(dm_csv_reader_create(tmpdir, &csv, &err), DM_E_IO);
    assert_null(csv);
}

/* A gzipped CSV of `rows` rows (row_fmt takes i % 100 and i), cut to half
 * its compressed size. */
static const char *cut_csv_gz(const char *name, const char *header, const char *row_fmt,
                              int rows)
{
    size_t cap = 1 << 20, n = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    n += (size_t)snprintf(csv, cap, "%s", header);
    for (int i = 0; n + 200 < cap && i < rows; i++)
        n += (size_t)snprintf(csv + n, cap - n, row_fmt, i % 100, i);
    const char *path = write_bytes(name, csv, n, true);
    free(csv);
    cut_file(path, file_size(path) / 2);
    return path;
}

static void test_csv_truncated_gzip(void **state)
{
    (void)state;
    const char *path = cut_csv_gz("cut.csv.gz", "file_id,sentence_text\n",
                                  "f%d,\"sentence %d, quoted\"\n", 5000);
    dm_csv_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_csv_reader_create(path, &r, &err), DM_OK);
    char **f = NULL;
    size_t nf = 0;
    long line = 0;
    dm_status s;
    long records = 0;
    while ((s = dm_csv_read_record(r, &f, &nf, &line, &err)) == DM_OK)
        records++;
    /* Not a clean end after half the records: an I/O error. */
    assert_int_equal(s, DM_E_IO);
    assert_true(records > 10);
    assert_non_null(strstr(err.message, "unexpected end of file"));
    assert_true(err.line > 1);
    dm_csv_fields_free(f, nf);
    dm_csv_reader_destroy(&r);
}

static void test_unscon_truncated_gzip_fails(void **state)
{
    (void)state;
    const char *path = cut_csv_gz("unscon.csv.gz", "file_id,sentence_text,A0,A4,B1,B3\n",
                                  "UNSC_2014_SPV.1_spch%03d_France,\"Sentence %d here .\",_,_,_,_\n",
                                  4000);
    dm_dataset *ds = NULL;
    dm_error err;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    assert_int_equal(dm_dataset_read_unscon(ds, path, NULL, NULL, &err), DM_E_IO);
    assert_int_equal(ds->n, 0); /* nothing of a file that could not be read */
    dm_dataset_destroy(&ds);
}

/* ---- Encodings ---------------------------------------------------------- */

/* Read every line of path into one '|'-joined string. */
static char *lines_of(const char *path, dm_status *end, const char **encoding)
{
    dm_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_reader_open(path, &r, &err), DM_OK);
    size_t cap = 1 << 22, n = 0;
    char *out = calloc(cap, 1);
    assert_non_null(out);
    const char *line;
    size_t len;
    dm_status s;
    while ((s = dm_reader_next_line(r, &line, &len, &err)) == DM_OK) {
        assert_true(n + len + 2 < cap);
        memcpy(out + n, line, len);
        n += len;
        out[n++] = '|';
    }
    *end = s;
    *encoding = dm_reader_encoding(r);
    dm_reader_destroy(&r);
    return out;
}

static void test_utf8_bom_keeps_first_record(void **state)
{
    (void)state;
    static const char bytes[] = "\xEF\xBB\xBF{\"id\":\"first\",\"text\":\"x\"}\n{\"id\":\"second\"}\n";
    for (int gz = 0; gz < 2; gz++) {
        const char *path = write_bytes(gz ? "bom.jsonl.gz" : "bom.jsonl", bytes,
                                       sizeof bytes - 1, gz);
        dm_status end;
        const char *enc;
        char *all = lines_of(path, &end, &enc);
        assert_int_equal(end, DM_END_OF_INPUT);
        assert_string_equal(all, "{\"id\":\"first\",\"text\":\"x\"}|{\"id\":\"second\"}|");
        assert_string_equal(enc, "UTF-8");
        free(all);
        /* The whole-file read drops it too. */
        dm_reader *r = NULL;
        dm_error err;
        assert_int_equal(dm_reader_open(path, &r, &err), DM_OK);
        assert_true(dm_reader_looks_like_jsonl(r));
        char *text = NULL;
        size_t len;
        assert_int_equal(dm_reader_read_all(r, 0, &text, &len, &err), DM_OK);
        assert_int_equal(text[0], '{');
        free(text);
        dm_reader_destroy(&r);
    }
}

/* Encode UTF-8 `s` (BMP and astral characters) as UTF-16/32 with a BOM. */
static size_t encode(const char *s, int unit, bool big_endian, bool bom, unsigned char *out)
{
    size_t o = 0;
    int32_t i = 0, len = (int32_t)strlen(s);
    if (bom) {
        uint32_t c = 0xFEFF;
        for (int k = 0; k < unit; k++)
            out[o + (big_endian ? unit - 1 - k : k)] = (unsigned char)(c >> (8 * k));
        o += (size_t)unit;
    }
    while (i < len) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        uint32_t units[2];
        int n = 1;
        units[0] = (uint32_t)c;
        if (unit == 2 && c > 0xFFFF) {
            units[0] = U16_LEAD(c);
            units[1] = U16_TRAIL(c);
            n = 2;
        }
        for (int u = 0; u < n; u++) {
            for (int k = 0; k < unit; k++)
                out[o + (big_endian ? unit - 1 - k : k)] = (unsigned char)(units[u] >> (8 * k));
            o += (size_t)unit;
        }
    }
    return o;
}

static void test_utf16_utf32_with_bom_decoded(void **state)
{
    (void)state;
    /* Long enough to cross the reader's 128 KB chunks many times, with
     * two-, three- and four-byte characters straddling them. */
    size_t lines = 6000;
    const char *one = "{\"text\":\"Zürich € \xF0\x9F\x98\x80 ok\"}\n";
    size_t n1 = strlen(one);
    char *utf8 = malloc(lines * n1 + 1);
    assert_non_null(utf8);
    for (size_t i = 0; i < lines; i++)
        memcpy(utf8 + i * n1, one, n1);
    utf8[lines * n1] = '\0';
    unsigned char *enc = malloc(lines * n1 * 4 + 8);
    assert_non_null(enc);
    static const struct {
        int unit;
        bool be;
        const char *name;
    } cases[] = {{2, false, "UTF-16LE"}, {2, true, "UTF-16BE"}, {4, false, "UTF-32LE"},
                 {4, true, "UTF-32BE"}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t n = encode(utf8, cases[c].unit, cases[c].be, true, enc);
        for (int gz = 0; gz < 2; gz++) {
            const char *path = write_bytes(gz ? "wide.gz" : "wide.txt", enc, n, gz);
            dm_status end;
            const char *name;
            char *all = lines_of(path, &end, &name);
            assert_int_equal(end, DM_END_OF_INPUT);
            assert_string_equal(name, cases[c].name);
            size_t count = 0;
            for (const char *p = all; (p = strstr(p, "{\"text\":\"Zürich € \xF0\x9F\x98\x80 ok\"}|"));
                 p++)
                count++;
            assert_int_equal(count, lines);
            assert_int_equal(strlen(all), lines * n1);
            free(all);
        }
    }
    /* Truncated inside a character: an error, not a silent end. */
    size_t n = encode("{\"text\":\"ab\"}\n", 2, false, true, enc);
    const char *path = write_bytes("odd.txt", enc, n - 1, false);
    dm_status end;
    const char *name;
    char *all = lines_of(path, &end, &name);
    assert_int_equal(end, DM_E_IO);
    free(all);
    free(enc);
    free(utf8);
}

static void test_utf16_without_bom_refused(void **state)
{
    (void)state;
    unsigned char enc[256];
    for (int be = 0; be < 2; be++) {
        size_t n = encode("{\"id\":\"a\",\"text\":\"Moscow said no.\"}\n", 2, be, false, enc);
        const char *path = write_bytes("nobom.jsonl", enc, n, false);
        dm_reader *r = NULL;
        dm_error err;
        assert_int_equal(dm_reader_open(path, &r, &err), DM_OK);
        const char *line;
        size_t len;
        assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_E_IO);
        assert_non_null(strstr(err.message, be ? "UTF-16BE without a byte order mark"
                                               : "UTF-16LE without a byte order mark"));
        assert_non_null(strstr(err.message, "iconv"));
        dm_reader_destroy(&r);
    }
}

static void test_csv_bom_header(void **state)
{
    (void)state;
    static const char bytes[] = "\xEF\xBB\xBF" "file_id,x\nf1,1\n";
    const char *path = write_bytes("bom.csv", bytes, sizeof bytes - 1, false);
    dm_csv_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_csv_reader_create(path, &r, &err), DM_OK);
    char **f = NULL;
    size_t nf = 0;
    long line;
    assert_int_equal(dm_csv_read_record(r, &f, &nf, &line, &err), DM_OK);
    assert_int_equal(nf, 2);
    assert_string_equal(f[0], "file_id");
    dm_csv_fields_free(f, nf);
    dm_csv_reader_destroy(&r);
}

/* ---- Caps ----------------------------------------------------------------- */

static void test_csv_field_cap(void **state)
{
    (void)state;
    /* An unterminated quote that would swallow the rest of the file. */
    char bytes[2048];
    size_t n = (size_t)snprintf(bytes, sizeof bytes, "a,b\n1,2\n3,\"never closed\n");
    while (n < sizeof bytes - 20)
        n += (size_t)snprintf(bytes + n, sizeof bytes - n, "more text,\n");
    const char *path = write_bytes("cap.csv", bytes, n, false);
    dm_csv_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_csv_reader_create(path, &r, &err), DM_OK);
    dm_csv_reader_set_max_field(r, 100);
    char **f = NULL;
    size_t nf = 0;
    long line;
    assert_int_equal(dm_csv_read_record(r, &f, &nf, &line, &err), DM_OK);
    assert_int_equal(dm_csv_read_record(r, &f, &nf, &line, &err), DM_OK);
    assert_int_equal(dm_csv_read_record(r, &f, &nf, &line, &err), DM_E_PARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "field 2 is longer than 100 bytes"));
    assert_non_null(strstr(err.message, "never closed"));
    dm_csv_fields_free(f, nf);
    dm_csv_reader_destroy(&r);
    assert_int_equal(DM_CSV_DEFAULT_MAX_FIELD, 1 << 20);
}

static void test_over_long_line_reported(void **state)
{
    (void)state;
    char bytes[600];
    memset(bytes, 'x', sizeof bytes);
    memcpy(bytes, "ok\n", 3);
    bytes[500] = '\n';
    memcpy(bytes + 501, "after", 5);
    const char *path = write_bytes("long.txt", bytes, 506, false);
    dm_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_reader_open(path, &r, &err), DM_OK);
    dm_reader_set_max_line(r, 100);
    const char *line;
    size_t len;
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_OK);
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_E_PARSE);
    assert_int_equal(err.line, 2);
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_OK);
    assert_string_equal(line, "after");
    dm_reader_destroy(&r);
}

/* ---- JSON: duplicate keys --------------------------------------------- */

static void test_duplicate_keys_rejected(void **state)
{
    (void)state;
    dm_record rec;
    dm_record_init(&rec);
    dm_error err;
    const char *json = "{\"id\":\"a\",\"text\":\"one\",\"text\":\"two\"}";
    assert_int_equal(dm_record_parse_json(json, strlen(json), "d.jsonl", 7, DM_OFFSETS_BYTES, NULL,
                                          &rec, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "duplicate"));
    assert_string_equal(err.where, "d.jsonl");
    assert_int_equal(err.line, 7);
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    dm_chart *c = NULL;
    assert_int_equal(dm_chart_create(&opt, &c, &err), DM_OK);
    json = "{\"date\":\"2020-01-01\",\"date\":\"2021-01-01\",\"speaker_actor\":\"USA\"}";
    assert_int_equal(chart_add_json(c, json, strlen(json), "c.jsonl", 3, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "duplicate"));
    dm_chart_destroy(&c);
    /* Training data: our format and NewsMTSC. */
    const char *path = write_text("dup.jsonl", "{\"text\":\"a b\",\"hostility\":1,\"hostility\":3}\n");
    dm_dataset *ds = NULL;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    assert_int_equal(dm_dataset_read_jsonl(ds, path, DM_OFFSETS_BYTES, NULL, NULL, NULL, &err),
                     DM_E_PARSE);
    assert_non_null(strstr(err.message, "duplicate"));
    assert_int_equal(err.line, 1);
    static const char news[] = "{\"sentence_normalized\":\"Trump won.\",\"sentence_normalized\":"
                               "\"x\",\"targets\":[{\"from\":0,\"to\":5,\"polarity\":4}]}\n";
    path = write_bytes("dup-news.jsonl", news, sizeof news - 1, false);
    assert_int_equal(dm_dataset_read_newsmtsc(ds, path, NULL, NULL, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "duplicate"));
    dm_dataset_destroy(&ds);
}

/* ---- Spans and mentions -------------------------------------------------- */

static void test_span_fit(void **state)
{
    (void)state;
    const char *t = "Moscow, Paris, Moscow and Moscow.";
    size_t len = strlen(t), s = 15, e = 21;
    assert_int_equal(dm_span_fit_mention(t, len, "Moscow", 6, &s, &e), DM_SPAN_FITS);
    s = 13; /* nearer the second occurrence (15) than the first (0) */
    e = 14;
    assert_int_equal(dm_span_fit_mention(t, len, "Moscow", 6, &s, &e), DM_SPAN_RELOCATED);
    assert_int_equal(s, 15);
    assert_int_equal(e, 21);
    s = 30;
    e = 90; /* out of range: the last occurrence */
    assert_int_equal(dm_span_fit_mention(t, len, "Moscow", 6, &s, &e), DM_SPAN_RELOCATED);
    assert_int_equal(s, 26);
    s = 0;
    e = 6;
    assert_int_equal(dm_span_fit_mention(t, len, "Berlin", 6, &s, &e), DM_SPAN_ABSENT);
    assert_int_equal(s, 0);
    assert_true(dm_span_splits_char("\xC3\x87" "a", 3, 1));
    assert_false(dm_span_splits_char("\xC3\x87" "a", 3, 2));
    assert_false(dm_span_splits_char("a", 1, 1));
}

static void test_record_span_mention(void **state)
{
    (void)state;
    dm_record rec;
    dm_record_init(&rec);
    dm_error err;
    fx_warnings[0] = '\0';
    fx_n_warnings = 0;
    const char *json =
        "{\"text\":\"Paris and Moscow disagree; Moscow insists.\",\"targets\":["
        "{\"actor\":\"RUS\",\"mention\":\"Moscow\",\"start\":25,\"end\":30},"
        "{\"actor\":\"DEU\",\"mention\":\"Berlin\",\"start\":0,\"end\":6},"
        "{\"actor\":\"FRA\",\"mention\":\"Paris\",\"start\":0,\"end\":5},"
        "{\"start\":1,\"end\":99}]}";
    assert_int_equal(dm_record_parse_json(json, strlen(json), "s.jsonl", 4, DM_OFFSETS_BYTES,
                                              &fx_logger, &rec, &err), DM_OK);
    /* The second Moscow (27) is nearer 25 than the first (10). */
    assert_int_equal(rec.n_targets, 2);
    assert_string_equal(rec.targets[0].actor, "RUS");
    assert_int_equal(rec.targets[0].start, 27);
    assert_int_equal(rec.targets[0].end, 33);
    assert_string_equal(rec.targets[1].actor, "FRA");
    assert_int_equal(rec.targets[1].start, 0);
    assert_int_equal(rec.n_rejected, 2);
    assert_int_equal(fx_n_warnings, 3);
    assert_non_null(strstr(fx_warnings, "s.jsonl: target 1: offsets 25-30 hold other words"));
    assert_non_null(strstr(fx_warnings, "target 2: mention \"Berlin\" is not in the text"));
    assert_non_null(strstr(fx_warnings, "target 4: offsets 1-99 outside the text"));
    /* A span splitting a character, with a mention: moved to the mention. */
    fx_warnings[0] = '\0';
    json = "{\"text\":\"\xC3\x87" "a va, Moscow.\",\"targets\":[{\"mention\":\"Moscow\","
           "\"start\":1,\"end\":7}]}";
    assert_int_equal(dm_record_parse_json(json, strlen(json), "s.jsonl", 5, DM_OFFSETS_BYTES,
                                              &fx_logger, &rec, &err), DM_OK);
    assert_int_equal(rec.n_targets, 1);
    assert_int_equal(rec.targets[0].start, 8);
    assert_non_null(strstr(fx_warnings, "split a character"));
    /* The note goes to the logger; DM_OK leaves no message in err. */
    json = "{\"text\":\"Moscow.\",\"targets\":[{\"mention\":\"Berlin\"},\"RUS\"]}";
    fx_warnings[0] = '\0';
    assert_int_equal(dm_record_parse_json(json, strlen(json), "s.jsonl", 6, DM_OFFSETS_BYTES,
                                          &fx_logger, &rec, &err), DM_OK);
    assert_int_equal(rec.n_targets, 1);
    assert_int_equal(rec.n_rejected, 1);
    assert_non_null(strstr(fx_warnings, "not in the text"));
    assert_string_equal(err.message, "");
    /* Without a logger it is dropped; n_rejected still counts it. */
    assert_int_equal(dm_record_parse_json(json, strlen(json), "s.jsonl", 6, DM_OFFSETS_BYTES,
                                          NULL, &rec, &err), DM_OK);
    assert_int_equal(rec.n_rejected, 1);
    dm_record_clear(&rec);
}

static void log_to_buffer(void *user, dm_log_level level, const char *where, long line,
                          const char *message)
{
    char *buf = user;
    size_t n = strlen(buf);
    snprintf(buf + n, 4096 - n, "%s %s:%ld: %s\n", level == DM_LOG_ERROR ? "E" : "W", where,
             line, message);
}

static void test_training_span_mention(void **state)
{
    (void)state;
    const char *path = write_text("spans.jsonl",
        "{\"text\":\"Paris and Moscow disagree; Moscow insists.\",\"targets\":["
        "{\"actor\":\"RUS\",\"mention\":\"Moscow\",\"start\":0,\"end\":6,\"stance\":\"against\"}]}\n");
    char log[4096] = "";
    dm_logger logger = {log_to_buffer, log};
    dm_dataset *ds = NULL;
    dm_error err;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    assert_int_equal(dm_dataset_read_jsonl(ds, path, DM_OFFSETS_BYTES, NULL, NULL, &logger, &err),
                     DM_OK);
    assert_int_equal(ds->n, 1);
    assert_int_equal(ds->v[0].n_targets, 1);
    /* Normalised text equals the original here: the first Moscow (10). */
    assert_int_equal(ds->v[0].targets[0].start, 10);
    assert_int_equal(ds->v[0].targets[0].end, 16);
    assert_non_null(strstr(log, "W "));
    assert_non_null(strstr(log, "spans.jsonl:1: targets[0]: span 0-6 is not the mention"));
    /* An absent mention: that target is an error (and the file with it). */
    log[0] = '\0';
    path = write_text("absent.jsonl",
        "{\"text\":\"Moscow insists.\",\"hostility\":2,\"targets\":["
        "{\"actor\":\"DEU\",\"mention\":\"Berlin\",\"start\":0,\"end\":6,\"stance\":\"against\"},"
        "{\"actor\":\"RUS\",\"mention\":\"Moscow\",\"stance\":\"against\"}]}\n");
    assert_int_equal(dm_dataset_read_jsonl(ds, path, DM_OFFSETS_BYTES, NULL, NULL, &logger, &err),
                     DM_E_PARSE);
    assert_non_null(strstr(log, "E "));
    assert_non_null(strstr(log, "absent.jsonl:1: targets[0]: mention \"Berlin\" is not in the text"));
    assert_int_equal(ds->n, 1); /* nothing of the failed file was kept */
    dm_dataset_destroy(&ds);
}

/* ---- Chart keys ---------------------------------------------------------- */

static void test_chart_many_targets_count_once(void **state)
{
    (void)state;
    char json[4096];
    size_t n = (size_t)snprintf(json, sizeof json,
                                "{\"date\":\"2020-01-01\",\"speaker_actor\":\"USA\",\"targets\":[");
    /* 18 distinct targets, then two of them again: 20 targets. */
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(json + n, sizeof json - n, "%s{\"actor\":\"T%02d\"}", i ? "," : "",
                              i < 18 ? i : i - 2);
    snprintf(json + n, sizeof json - n, "],\"hostility\":{\"level\":2,\"score\":0.5}}");
    static const dm_series_by bys[] = {DM_SERIES_TARGET, DM_SERIES_DYAD, DM_SERIES_SPEAKER_ACTOR};
    for (size_t b = 0; b < 3; b++) {
        dm_chart_options opt;
        dm_chart_options_default(&opt);
        opt.by = bys[b];
        dm_chart *c = NULL;
        dm_error err;
        assert_int_equal(dm_chart_create(&opt, &c, &err), DM_OK);
        assert_int_equal(chart_add_json(c, json, strlen(json), "t", 1, &err), DM_OK);
        size_t ns;
        const dm_chart_series *s = dm_chart_series_list(c, &ns);
        assert_int_equal(ns, bys[b] == DM_SERIES_SPEAKER_ACTOR ? 1 : 18);
        for (size_t i = 0; i < ns; i++)
            if (s[i].n != 1)
                fail_msg("series %s counted %ld times", s[i].name, s[i].n);
        dm_chart_destroy(&c);
    }
}

static void test_chart_long_keys_stay_distinct(void **state)
{
    (void)state;
    char a[201], b[201], json[1024];
    memset(a, 'A', 200);
    a[200] = '\0';
    memcpy(b, a, sizeof b);
    b[199] = 'B'; /* the two differ only in their last byte */
    dm_chart_options opt;
    dm_chart_options_default(&opt);
    opt.by = DM_SERIES_DYAD;
    dm_chart *c = NULL;
    dm_error err;
    assert_int_equal(dm_chart_create(&opt, &c, &err), DM_OK);
    const char *actors[] = {a, b};
    for (int i = 0; i < 2; i++) {
        snprintf(json, sizeof json,
                 "{\"date\":\"2020-01-01\",\"speaker_actor\":\"USA\",\"targets\":[{\"actor\":\"%s\"}],"
                 "\"hostility\":{\"level\":%d,\"score\":%g}}", actors[i], i * 4, i * 1.0);
        assert_int_equal(chart_add_json(c, json, strlen(json), "t", 1, &err), DM_OK);
    }
    size_t ns;
    const dm_chart_series *s = dm_chart_series_list(c, &ns);
    assert_int_equal(ns, 2);
    for (size_t i = 0; i < ns; i++) {
        assert_int_equal(strlen(s[i].name), 204); /* "USA>" + 200 */
        assert_int_equal(s[i].n, 1);
    }
    dm_chart_destroy(&c);
}

/* ---- Long documents by windows ----------------------------------------- */

static void test_windows_match_whole_document(void **state)
{
    (void)state;
    const char *src = getenv("DM_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/examples/article.txt", src ? src : DM_SOURCE_DIR);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char article[8192];
    size_t n = fread(article, 1, sizeof article, fp);
    fclose(fp);
    size_t copies = 6, len = 0;
    char *text = malloc(copies * (n + 2));
    assert_non_null(text);
    for (size_t i = 0; i < copies; i++) {
        memcpy(text + len, article, n);
        len += n;
        memcpy(text + len, "\n\n", 2);
        len += 2;
    }
    dm_document doc = {.id = "long", .text = text, .text_len = len};
    dm_statement_list whole, windows;
    dm_statement_list_init(&whole);
    dm_statement_list_init(&windows);
    dm_error err;
    assert_int_equal(dm_extract(fx_ex, &doc, &whole, NULL, &err), DM_OK);
    dm_extractor_set_window(fx_ex, 1500); /* smaller than one article */
    assert_int_equal(dm_extract(fx_ex, &doc, &windows, NULL, &err), DM_OK);
    dm_extractor_set_window(fx_ex, DM_EXTRACT_DEFAULT_WINDOW);
    assert_true(whole.n >= copies * 10);
    assert_int_equal(windows.n, whole.n);
    for (size_t i = 0; i < whole.n; i++) {
        const dm_statement *a = &whole.v[i], *b = &windows.v[i];
        assert_int_equal(b->n, (int)i + 1);
        assert_int_equal(a->start, b->start);
        assert_int_equal(a->end, b->end);
        assert_string_equal(a->text, b->text);
        assert_memory_equal(text + b->start, text + a->start, a->end - a->start);
        assert_int_equal(a->n_targets, b->n_targets);
        for (size_t t = 0; t < a->n_targets; t++) {
            assert_int_equal(a->targets[t].start, b->targets[t].start);
            /* Relative positions in the normalised text are what scoring uses. */
            assert_int_equal(a->targets[t].norm_start - a->norm_start,
                             b->targets[t].norm_start - b->norm_start);
        }
    }
    dm_statement_list_clear(&whole);
    dm_statement_list_clear(&windows);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gzip_magic_then_garbage),
        cmocka_unit_test(test_gzip_corrupt_after_header),
        cmocka_unit_test(test_directory_is_refused),
        cmocka_unit_test(test_csv_truncated_gzip),
        cmocka_unit_test(test_unscon_truncated_gzip_fails),
        cmocka_unit_test(test_utf8_bom_keeps_first_record),
        cmocka_unit_test(test_utf16_utf32_with_bom_decoded),
        cmocka_unit_test(test_utf16_without_bom_refused),
        cmocka_unit_test(test_csv_bom_header),
        cmocka_unit_test(test_csv_field_cap),
        cmocka_unit_test(test_over_long_line_reported),
        cmocka_unit_test(test_duplicate_keys_rejected),
        cmocka_unit_test(test_span_fit),
        cmocka_unit_test(test_record_span_mention),
        cmocka_unit_test(test_training_span_mention),
        cmocka_unit_test(test_chart_many_targets_count_once),
        cmocka_unit_test(test_chart_long_keys_stay_distinct),
        cmocka_unit_test(test_windows_match_whole_document),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
