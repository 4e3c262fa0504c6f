/*
 * Robustness of the readers: deterministic pseudo-random and adversarial
 * input fed to the JSON record parser, the chart aggregator, the gzip
 * reader and the lexicon and dataset loaders. Bad input must give a clear
 * status and never a crash (see test_robustness.c for the text layer and
 * the extractor; the helpers are in robustness_fixture.h).
 */
#include "robustness_fixture.h"
#include "datasets/datasets_internal.h" /* the strict CSV reader */

/* Warnings and notes of dm_record_parse_json: the logger, never the
 * error buffer of a DM_OK. */
#include "notes_logger.h"
#include "actors/actors_internal.h"

/* ---- JSON records -------------------------------------------------------- */

static void check_record(const char *json, size_t len, dm_offsets offsets)
{
    dm_record rec;
    dm_record_init(&rec);
    dm_error err;
    dm_error_clear(&err);
    dm_status st = dm_record_parse_json(json, len, "in.jsonl", 7, offsets, NULL, &rec, &err);
    if (st == DM_OK) {
        assert_non_null(rec.text);
        assert_non_null(rec.id);
        assert_true(strlen(rec.text) <= rec.text_len);
        for (size_t i = 0; i < rec.n_targets; i++)
            if (rec.targets[i].has_span)
                assert_true(rec.targets[i].start <= rec.targets[i].end &&
                            rec.targets[i].end <= rec.text_len);
            else
                assert_non_null(rec.targets[i].actor);
    } else {
        if (st != DM_E_PARSE)
            fail_msg("status %s for [%.*s]", dm_status_name(st), (int)(len > 200 ? 200 : len),
                     json);
        assert_true(err.message[0] != '\0');
        assert_string_equal(err.where, "in.jsonl");
        assert_int_equal(err.line, 7);
        assert_null(rec.text);
    }
    dm_record_clear(&rec);
}

static const char *good_record =
    "{\"id\":\"d1\",\"date\":\"2024-03-01\",\"title\":\"T\",\"source\":\"S\","
    "\"speaker\":\"Sergei Lavrov\",\"speaker_actor\":\"RUS\",\"year\":2024,"
    "\"text\":\"Russia \xE2\x80\x9Cwarned\xE2\x80\x9D NATO.\","
    "\"targets\":[\"USA\",{\"actor\":\"NATO\",\"start\":23,\"end\":27}]}";

static void test_record_truncated_and_garbage(void **state)
{
    (void)state;
    size_t n = strlen(good_record);
    check_record(good_record, n, DM_OFFSETS_BYTES);
    for (size_t k = 0; k < n; k++)
        check_record(good_record, k, k % 2 ? DM_OFFSETS_CHARS : DM_OFFSETS_BYTES);
    uint64_t rng = 99;
    char buf[512];
    for (int iter = 0; iter < 500; iter++) {
        /* Flip, drop or insert bytes of the good record. */
        size_t len = n < sizeof buf ? n : sizeof buf - 1;
        memcpy(buf, good_record, len);
        for (int e = 0; e < 1 + (int)rng_below(&rng, 4); e++) {
            size_t at = rng_below(&rng, len);
            buf[at] = (char)(rng_next(&rng) >> 32);
        }
        check_record(buf, len, iter % 2 ? DM_OFFSETS_CHARS : DM_OFFSETS_BYTES);
        for (size_t i = 0; i < sizeof buf; i++)
            buf[i] = (char)(rng_next(&rng) >> 40);
        check_record(buf, rng_below(&rng, sizeof buf), DM_OFFSETS_BYTES);
    }
}

static void test_record_nesting_and_numbers(void **state)
{
    (void)state;
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 64);
    assert_non_null(deep);
    size_t len = (size_t)sprintf(deep, "{\"text\":\"x\",\"title\":");
    for (size_t i = 0; i < depth; i++)
        deep[len++] = '[';
    for (size_t i = 0; i < depth; i++)
        deep[len++] = ']';
    deep[len++] = '}';
    check_record(deep, len, DM_OFFSETS_BYTES);
    free(deep);
    static const char *cases[] = {
        "{\"text\":\"x\",\"id\":99999999999999999999999999999}",
        "{\"text\":\"x\",\"id\":-9223372036854775808}",
        "{\"text\":\"x\",\"id\":9223372036854775807}",
        "{\"text\":\"x\",\"year\":1e999}",
        "{\"text\":\"abc\",\"targets\":[{\"start\":9223372036854775807,\"end\":9223372036854775807}]}",
        "{\"text\":\"abc\",\"targets\":[{\"start\":-9223372036854775808,\"end\":1}]}",
        "{\"text\":\"abc\",\"targets\":[{\"start\":1,\"end\":-1}]}",
        "{\"text\":\"abc\",\"targets\":[{\"start\":2,\"end\":1}]}",
        "{\"text\":\"abc\",\"targets\":[{\"start\":0,\"end\":4}]}",
        "{\"text\":\"abc\",\"targets\":[{\"start\":0}]}",
        "{\"text\":\"abc\",\"targets\":[{\"start\":0.5,\"end\":1}]}",
        "{\"text\":\"\xC3\xA9t\xC3\xA9\",\"targets\":[{\"start\":1,\"end\":3}]}",
        "{\"text\":\"abc\",\"targets\":[{}]}",
        "{\"text\":\"abc\",\"targets\":[null]}",
        "{\"text\":\"abc\",\"targets\":[[]]}",
        "{\"text\":\"abc\",\"targets\":[1]}",
        "{\"text\":\"a\\u0000b\"}",
        "{\"text\":\"\\ud800\"}",
        "{\"text\":\"x\"} trailing",
        "{\"text\":\"x\",\"text\":\"y\"}",
        "[]", "null", "\"text\"", "42", "", " ", "{", "}", "{\"text\":}",
        "{\"text\":\"\xFF\xFE\"}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_record(cases[i], strlen(cases[i]), DM_OFFSETS_BYTES);
        check_record(cases[i], strlen(cases[i]), DM_OFFSETS_CHARS);
    }
}

/* An out-of-range code point offset names the text's length in code points
 * (the target is left out, the record kept). */
static void test_record_offset_message(void **state)
{
    (void)state;
    const char *json = "{\"text\":\"R\xC3\xA9ussia.\",\"targets\":[{\"start\":0,\"end\":99}]}";
    dm_record rec;
    dm_record_init(&rec);
    dm_error err;
    notes[0] = '\0';
    assert_int_equal(dm_record_parse_json(json, strlen(json), "s.jsonl", 4, DM_OFFSETS_CHARS,
                                          &note_logger, &rec, &err), DM_OK);
    assert_non_null(strstr(notes, "(8 code points)"));
    assert_int_equal(rec.n_rejected, 1);
    notes[0] = '\0';
    assert_int_equal(dm_record_parse_json(json, strlen(json), "s.jsonl", 4, DM_OFFSETS_BYTES,
                                          &note_logger, &rec, &err), DM_OK);
    assert_non_null(strstr(notes, "(9 bytes)"));
    dm_record_clear(&rec);
}

/* Every field of a record with every wrong JSON type. */
static void test_record_wrong_types(void **state)
{
    (void)state;
    static const char *fields[] = {"id", "date", "title", "source", "speaker",
                                   "speaker_actor", "text", "year", "targets"};
    static const char *values[] = {"1.5", "true", "false", "[]", "{}", "null", "123",
                                   "\"x\"", "[1,2]", "{\"a\":1}", "-0", "1e308"};
    char buf[256];
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
            if (strcmp(fields[f], "text") == 0)
                snprintf(buf, sizeof buf, "{\"text\":%s}", values[v]);
            else
                snprintf(buf, sizeof buf, "{\"text\":\"Russia said.\",\"%s\":%s}",
                         fields[f], values[v]);
            check_record(buf, strlen(buf), DM_OFFSETS_BYTES);
            /* The same inside a target object. */
            snprintf(buf, sizeof buf,
                     "{\"text\":\"Russia said.\",\"targets\":[{\"actor\":%s,\"start\":%s,"
                     "\"end\":%s}]}",
                     values[v], values[(v + f) % 12], values[(v + 2 * f) % 12]);
            check_record(buf, strlen(buf), DM_OFFSETS_BYTES);
            check_record(buf, strlen(buf), DM_OFFSETS_CHARS);
        }
}

/* ---- Chart records ------------------------------------------------------- */

static void chart_feed(dm_chart *c, const char *json, size_t len)
{
    dm_error err;
    dm_error_clear(&err);
    dm_statement s;
    char *doc, *date;
    dm_status st = dm_statement_from_json(json, len, "s.jsonl", 3, &s, &doc, &date, &err);
    if (st != DM_OK) {
        if (st != DM_E_PARSE)
            fail_msg("dm_statement_from_json: %s for [%.*s]", dm_status_name(st), (int)len, json);
        assert_true(err.message[0] != '\0');
        assert_int_equal(err.line, 3);
        return;
    }
    st = dm_chart_add(c, &s, date, doc, &err);
    if (st != DM_OK && st != DM_E_PARSE) /* DM_E_PARSE: not scored */
        fail_msg("dm_chart_add: %s for [%.*s]", dm_status_name(st), (int)len, json);
    if (st != DM_OK)
        assert_true(err.message[0] != '\0');
    dm_statement_clear(&s);
    free(doc);
    free(date);
}

static void test_chart_garbage(void **state)
{
    (void)state;
    static const char *good =
        "{\"doc\":\"a\",\"n\":1,\"date\":\"2014-03-02\",\"speaker\":\"Lavrov\","
        "\"speaker_actor\":\"RUS\",\"kind\":\"direct\",\"text\":\"No.\",\"start\":0,\"end\":3,"
        "\"targets\":[{\"actor\":\"USA\",\"stance\":\"against\",\"score\":-0.5}],"
        "\"hostility\":{\"level\":3,\"score\":0.7}}";
    static const char *cases[] = {
        "{\"date\":\"2014-03-02\",\"speaker_actor\":\"RUS\",\"targets\":[1,null,\"USA\",[]],"
        "\"hostility\":{\"level\":3,\"score\":0.7}}",
        "{\"date\":\"2014-03-02\",\"speaker_actor\":\"RUS\",\"targets\":[{\"actor\":\"USA\"}],"
        "\"hostility\":{\"level\":99999999999,\"score\":1e308}}",
        "{\"date\":\"2014-03-02\",\"speaker_actor\":\"RUS\",\"targets\":[{\"actor\":\"USA\"}],"
        "\"hostility\":{\"level\":-5,\"score\":-1e308}}",
        "{\"date\":\"2014-03-02\",\"speaker_actor\":\"RUS\",\"targets\":[{\"actor\":\"USA\"}],"
        "\"hostility\":[3]}",
        "{\"date\":\"2014-03-02\",\"speaker_actor\":7,\"targets\":[{\"actor\":\"USA\"}],"
        "\"hostility\":{\"level\":\"3\"}}",
        "{\"date\":\"0000-01-01\",\"speaker_actor\":\"RUS\",\"targets\":[{\"actor\":\"USA\"}],"
        "\"hostility\":{\"level\":1}}",
        "{\"date\":\"9999-12-31\",\"speaker_actor\":\"RUS\",\"targets\":[{\"actor\":\"USA\"}],"
        "\"hostility\":{\"level\":1}}",
        "{\"date\":\"2014-02-30\",\"speaker_actor\":\"RUS\",\"targets\":[{\"actor\":\"USA\"}],"
        "\"hostility\":{\"level\":1}}",
        "{\"date\":\"2014-13\",\"hostility\":{\"level\":1}}",
        "{\"date\":\"99999999999999999999\",\"hostility\":{\"level\":1}}",
        "{\"date\":\"2014-03-02T25:99\",\"hostility\":{\"level\":1}}",
        "{\"date\":\"2014\",\"hostility\":{\"level\":1}}",
        "{\"date\":2014,\"hostility\":{\"level\":1}}",
        "{\"date\":\"\",\"hostility\":{\"level\":1}}",
        "{\"targets\":{}}", "{\"targets\":\"USA\"}", "[]", "null", "", "{", "1e999",
    };
    static const char *periods[] = {"year", "quarter", "month", "week", "day"};
    static const char *bys[] = {"dyad", "speaker-actor", "target", "speaker"};
    static const char *metrics[] = {"hostility", "stance"};
    for (size_t p = 0; p < 5; p++)
        for (size_t b = 0; b < 4; b++)
            for (size_t m = 0; m < 2; m++) {
                dm_chart_options opt;
                dm_chart_options_default(&opt);
                assert_int_equal(dm_period_parse(periods[p], &opt.period), DM_OK);
                assert_int_equal(dm_series_by_parse(bys[b], &opt.by), DM_OK);
                assert_int_equal(dm_metric_parse(metrics[m], &opt.metric), DM_OK);
                dm_chart *c = NULL;
                dm_error err;
                assert_int_equal(dm_chart_create(&opt, &c, &err), DM_OK);
                chart_feed(c, good, strlen(good));
                for (size_t k = 0; k < strlen(good); k += 7)
                    chart_feed(c, good, k);
                for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
                    chart_feed(c, cases[i], strlen(cases[i]));
                /* A long actor name (longer than any series key buffer). */
                char longrec[2048];
                int n = snprintf(longrec, sizeof longrec,
                                 "{\"date\":\"2014-03-02\",\"speaker\":\"%0900d\","
                                 "\"speaker_actor\":\"%0300d\",\"targets\":[{\"actor\":\"%0300d\","
                                 "\"stance\":\"favor\"}],\"hostility\":{\"score\":0.1}}",
                                 1, 2, 3);
                chart_feed(c, longrec, (size_t)n);
                size_t ns = 0;
                const dm_chart_series *s = dm_chart_series_list(c, &ns);
                for (size_t i = 0; i < ns; i++) {
                    assert_non_null(s[i].name);
                    for (size_t k = 0; k < s[i].n_points; k++)
                        assert_true(s[i].points[k].lower <= s[i].points[k].upper);
                }
                FILE *fp = fopen("/dev/null", "w");
                assert_non_null(fp);
                assert_int_equal(dm_chart_write_csv(c, fp, &err), DM_OK);
                fclose(fp);
                const dm_chart_counts *cnt = dm_chart_get_counts(c);
                assert_true(cnt->records >= 1);
                dm_chart_destroy(&c);
                assert_null(c);
            }
}

/* ---- Readers over broken gzip -------------------------------------------- */

static char *gz_file(size_t *gz_len)
{
    char *path = strdup("/tmp/dm_test_robust_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    gzFile gz = gzdopen(fd, "wb");
    assert_non_null(gz);
    uint64_t rng = 31337;
    for (int i = 0; i < 5000; i++)
        gzprintf(gz, "{\"id\":\"%d\",\"text\":\"line %llu\"}\n", i,
                 (unsigned long long)rng_next(&rng));
    gzclose(gz);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    *gz_len = (size_t)ftell(fp);
    fclose(fp);
    return path;
}

/* Read every line; returns the final status (DM_END_OF_INPUT at a clean end). */
static dm_status read_to_end(const char *path, long *lines)
{
    dm_reader *r = NULL;
    dm_error err;
    dm_status st = dm_reader_open(path, &r, &err);
    if (st != DM_OK)
        return st;
    const char *line;
    size_t len;
    *lines = 0;
    while ((st = dm_reader_next_line(r, &line, &len, &err)) == DM_OK)
        (*lines)++;
    if (st == DM_E_IO) {
        assert_true(err.message[0] != '\0');
        assert_string_equal(err.where, path);
    }
    dm_reader_destroy(&r);
    return st;
}

static void test_reader_truncated_gzip(void **state)
{
    (void)state;
    size_t full;
    char *path = gz_file(&full);
    long lines = 0;
    assert_int_equal(read_to_end(path, &lines), DM_END_OF_INPUT);
    assert_int_equal(lines, 5000);
    const size_t cuts[] = {full - 1, full - 4, full - 8, full - 9, full / 2, 30, 11};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        assert_int_equal(truncate(path, (off_t)cuts[i]), 0);
        dm_status st = read_to_end(path, &lines);
        if (st != DM_E_IO)
            fail_msg("gzip cut to %zu of %zu bytes: %s after %ld lines, not an I/O error",
                     cuts[i], full, dm_status_name(st), lines);
        /* read_all must fail the same way. */
        dm_reader *r = NULL;
        dm_error err;
        char *all = NULL;
        size_t n = 0;
        assert_int_equal(dm_reader_open(path, &r, &err), DM_OK);
        assert_int_equal(dm_reader_read_all(r, 0, &all, &n, &err), DM_E_IO);
        assert_null(all);
        dm_reader_destroy(&r);
        /* Regenerate for the next cut. */
        unlink(path);
        free(path);
        path = gz_file(&full);
    }
    /* A flipped byte in the middle of the deflate stream: an error, whatever
     * part of the data came out before it. */
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    fseek(fp, (long)(full / 2), SEEK_SET);
    int c = fgetc(fp);
    fseek(fp, (long)(full / 2), SEEK_SET);
    fputc(c ^ 0x55, fp);
    fclose(fp);
    assert_int_equal(read_to_end(path, &lines), DM_E_IO);
    unlink(path);
    free(path);
}

/* ---- Lexicon and dataset loaders on garbage files ------------------------ */

static char *write_temp(const char *content, size_t len)
{
    char *path = strdup("/tmp/dm_test_robust_lex_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, len), (ssize_t)len);
    close(fd);
    return path;
}

static void assert_clean_status(dm_status st, const dm_error *err, const char *what)
{
    if (st < DM_OK || st > DM_E_INTERNAL)
        fail_msg("%s: status %d out of range", what, (int)st);
    if (st != DM_OK && err->message[0] == '\0')
        fail_msg("%s: %s without a message", what, dm_status_name(st));
}

/* A random file of tab-separated pieces (and sometimes CSV-ish quotes). */
static size_t garbage_table(uint64_t *rng, char *buf, size_t cap)
{
    static const char *cells[] = {"\t", "\t", "\n", "\n", ",", "\"", "\"\"", "#",
                                  "state", "person", "RUS", "USA", "1990-2000",
                                  "2014-02-30", "said", "verb", "[RUSGOV 990101-]",
                                  "RUSSIA_", "+PUTIN", "\xFF", "\r\n", " ", "-"};
    size_t len = 0;
    size_t n = 1 + rng_below(rng, 200);
    for (size_t i = 0; i < n; i++) {
        const char *c = rng_below(rng, 3) ? cells[rng_below(rng, sizeof cells / sizeof cells[0])]
                                          : pieces[rng_below(rng, N_PIECES)].s;
        size_t cl = strlen(c);
        if (len + cl + 1 >= cap)
            break;
        memcpy(buf + len, c, cl);
        len += cl;
    }
    buf[len] = '\0';
    return len;
}

static void test_loaders_on_garbage(void **state)
{
    (void)state;
    uint64_t rng = 2024;
    char buf[8192];
    for (int iter = 0; iter < 40; iter++) {
        size_t len = iter == 0 ? 0 : garbage_table(&rng, buf, sizeof buf);
        char *path = write_temp(buf, len);
        dm_error err;
        dm_error_clear(&err);

        dm_actors *a = NULL;
        assert_int_equal(dm_actors_create(&a, &err), DM_OK);
        assert_clean_status(dm_actors_load_tsv(a, path, &err), &err, "actors tsv");
        assert_clean_status(dm_actors_load_phoenix_logged(a, path, &logger, &err), &err,
                            "phoenix");
        dm_actor_match *m = NULL;
        size_t nm = 0;
        if (dm_actors_find(a, buf, strlen(buf), "2014", &m, &nm, &err) == DM_OK)
            for (size_t k = 0; k < nm; k++)
                assert_true(m[k].start <= m[k].end && m[k].end <= strlen(buf));
        free(m);
        dm_actors_destroy(&a);

        dm_cues *cu = NULL;
        dm_status st = dm_cues_load(path, &cu, &err);
        assert_clean_status(st, &err, "cues");
        dm_cues_destroy(&cu);

        dm_dataset *ds = NULL;
        assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
        assert_clean_status(dm_dataset_read_jsonl(ds, path, DM_OFFSETS_CHARS, actors, NULL,
                                                  &logger, &err), &err, "dataset jsonl");
        assert_clean_status(dm_dataset_read_unscon(ds, path, actors, &logger, &err), &err,
                            "unscon");
        assert_clean_status(dm_dataset_read_newsmtsc(ds, path, NULL, &logger, &err), &err,
                            "newsmtsc");
        dm_dataset_destroy(&ds);

        dm_csv_reader *csv = NULL;
        if (dm_csv_reader_create(path, &csv, &err) == DM_OK) {
            char **fields = NULL;
            size_t nf = 0;
            long line = 0;
            for (int rec = 0; rec < 1000; rec++) {
                st = dm_csv_read_record(csv, &fields, &nf, &line, &err);
                if (st == DM_END_OF_INPUT) { /* the end, not an error */
                    assert_int_equal(nf, 0);
                    break;
                }
                assert_clean_status(st, &err, "csv");
                if (st != DM_OK)
                    break;
                for (size_t k = 0; k < nf; k++)
                    assert_non_null(fields[k]);
            }
            dm_csv_fields_free(fields, nf);
            dm_csv_reader_destroy(&csv);
        }
        unlink(path);
        free(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_truncated_and_garbage),
        cmocka_unit_test(test_record_nesting_and_numbers),
        cmocka_unit_test(test_record_wrong_types),
        cmocka_unit_test(test_record_offset_message),
        cmocka_unit_test(test_chart_garbage),
        cmocka_unit_test(test_reader_truncated_gzip),
        cmocka_unit_test(test_loaders_on_garbage),
    };
    /* ROBUST_FILTER=test_huge_line runs one test (to time or debug it). */
    if (getenv("ROBUST_FILTER"))
        cmocka_set_test_filter(getenv("ROBUST_FILTER"));
    return cmocka_run_group_tests(tests, setup, teardown);
}
