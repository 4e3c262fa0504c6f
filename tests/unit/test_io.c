/* Unit tests of the io module: readers, dates, records, statement JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demarche/demarche.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* Warnings and notes of dm_record_parse_json: the logger, never the
 * error buffer of a DM_OK. */
#include "notes_logger.h"
#include "io/date_internal.h"

static char *temp_file(const char *content, size_t len, bool gzip)
{
    char *path = strdup("/tmp/dm_test_io_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    if (gzip) {
        gzFile gz = gzdopen(fd, "wb");
        assert_non_null(gz);
        assert_int_equal(gzwrite(gz, content, (unsigned)len), (int)len);
        gzclose(gz);
    } else {
        assert_int_equal(write(fd, content, len), (ssize_t)len);
        close(fd);
    }
    return path;
}

static void read_lines(const char *content, bool gzip)
{
    char *path = temp_file(content, strlen(content), gzip);
    dm_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_reader_open(path, &r, &err), DM_OK);
    assert_true(dm_reader_looks_like_jsonl(r));
    const char *line;
    size_t len;
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_OK);
    assert_string_equal(line, "{\"a\":1}");
    assert_int_equal(dm_reader_line(r), 1);
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_OK);
    assert_string_equal(line, "");
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_OK);
    assert_string_equal(line, "{\"b\":2}"); /* CRLF stripped */
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_OK);
    assert_string_equal(line, "last"); /* no final newline */
    assert_int_equal(dm_reader_line(r), 4);
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_END_OF_INPUT);
    dm_reader_destroy(&r);
    assert_null(r);
    unlink(path);
    free(path);
}

static void test_reader_plain(void **state)
{
    (void)state;
    read_lines("{\"a\":1}\n\n{\"b\":2}\r\nlast", false);
}

static void test_reader_gzip(void **state)
{
    (void)state;
    read_lines("{\"a\":1}\n\n{\"b\":2}\r\nlast", true);
}

static void test_reader_long_line_skipped(void **state)
{
    (void)state;
    size_t n = 300000;
    char *content = malloc(n + 32);
    memset(content, 'x', n);
    strcpy(content + n, "\nshort\n");
    char *path = temp_file(content, strlen(content), false);
    dm_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_reader_open(path, &r, &err), DM_OK);
    dm_reader_set_max_line(r, 1000);
    const char *line;
    size_t len;
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_E_PARSE);
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.message, "longer than 1000"));
    assert_int_equal(dm_reader_next_line(r, &line, &len, &err), DM_OK);
    assert_string_equal(line, "short");
    assert_int_equal(dm_reader_line(r), 2);
    dm_reader_destroy(&r);
    unlink(path);
    free(path);
    free(content);
}

static void test_reader_read_all_and_missing(void **state)
{
    (void)state;
    char *path = temp_file("Plain text.\nSecond line.", 24, true);
    dm_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_reader_open(path, &r, &err), DM_OK);
    assert_false(dm_reader_looks_like_jsonl(r));
    char *all;
    size_t len;
    assert_int_equal(dm_reader_read_all(r, 0, &all, &len, &err), DM_OK);
    assert_int_equal(len, 24);
    assert_string_equal(all, "Plain text.\nSecond line.");
    free(all);
    dm_reader_destroy(&r);
    unlink(path);
    free(path);
    assert_int_equal(dm_reader_open("/nonexistent/file.jsonl", &r, &err), DM_E_IO);
    assert_null(r);
    assert_string_equal(err.where, "/nonexistent/file.jsonl");
    assert_int_equal(dm_reader_open(NULL, &r, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_reader_next_line(NULL, NULL, NULL, &err), DM_E_INVALID_ARG);
    dm_reader_destroy(NULL);
}

static void test_dates(void **state)
{
    (void)state;
    dm_date d;
    dm_error err;
    char buf[16];
    assert_int_equal(dm_date_parse("2014", &d, &err), DM_OK);
    assert_int_equal(d.year, 2014);
    assert_int_equal(d.month, 0);
    assert_string_equal(dm_date_format(&d, buf, sizeof buf), "2014");
    assert_int_equal(dm_date_parse("2014-03", &d, &err), DM_OK);
    assert_string_equal(dm_date_format(&d, buf, sizeof buf), "2014-03");
    assert_int_equal(dm_date_parse("2016-02-29", &d, &err), DM_OK);
    assert_int_equal(dm_date_parse("2016-12-20T14:03:00Z", &d, &err), DM_OK);
    assert_int_equal(d.day, 20);
    assert_int_equal(dm_date_parse("2016-12-20T14:03:00.123+01:00", &d, &err), DM_OK);
    assert_int_equal(dm_date_parse("2016-12-20 14:03", &d, &err), DM_OK);
    assert_int_equal(dm_date_parse("2015-02-29", &d, &err), DM_E_PARSE);
    assert_int_equal(dm_date_parse("2015-13", &d, &err), DM_E_PARSE);
    assert_int_equal(dm_date_parse("2015-13", &d, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "impossible date \"2015-13\" (no month 13)"));
    /* GDELT's SQLDATE and DATEADDED, and ISO 8601's basic form */
    assert_int_equal(dm_date_parse("20240315", &d, &err), DM_OK);
    assert_int_equal(d.year, 2024);
    assert_int_equal(d.month, 3);
    assert_int_equal(d.day, 15);
    assert_string_equal(dm_date_format(&d, buf, sizeof buf), "2024-03-15");
    memset(&d, 0, sizeof d);
    assert_int_equal(dm_date_parse("20240315120000", &d, &err), DM_OK);
    assert_int_equal(d.day, 15);
    assert_int_equal(dm_date_parse("20240229T2359Z", &d, &err), DM_OK);
    assert_int_equal(dm_date_parse("20240315T120000", &d, &err), DM_OK);
    assert_int_equal(dm_date_parse("20241341", &d, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "impossible date \"20241341\" (no month 13)"));
    assert_int_equal(dm_date_parse("20240431", &d, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "(no day 31 in 2024-04)"));
    assert_int_equal(dm_date_parse("20230229", &d, &err), DM_E_PARSE);
    assert_int_equal(dm_date_parse("2024-04-31", &d, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "impossible date"));
    assert_int_equal(dm_date_parse("20240315250000", &d, &err), DM_E_PARSE);
    assert_int_equal(dm_date_parse("202403", &d, &err), DM_E_PARSE);  /* not ISO 8601 */
    assert_int_equal(dm_date_parse("2024031", &d, &err), DM_E_PARSE);
    assert_int_equal(dm_date_parse("202403151", &d, &err), DM_E_PARSE);
    assert_int_equal(dm_date_parse("2024031512", &d, &err), DM_E_PARSE);
    assert_int_equal(dm_date_parse("20240315 ", &d, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "unparsable date"));
    assert_non_null(strstr(err.message, "YYYYMMDD"));
    /* blank: not given */
    assert_int_equal(dm_date_parse("", &d, &err), DM_E_PARSE);
    assert_false(dm_date_given(NULL));
    assert_false(dm_date_given(""));
    assert_false(dm_date_given(" \t\r\n"));
    assert_true(dm_date_given("2024"));
    assert_true(dm_date_given(" x"));
    assert_int_equal(dm_date_parse("March 2015", &d, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "March 2015"));
    assert_int_equal(dm_date_parse("2015-01-01T25:00", &d, &err), DM_E_PARSE);
    assert_int_equal(dm_date_parse(NULL, &d, &err), DM_E_INVALID_ARG);
}

static void test_record_document(void **state)
{
    (void)state;
    dm_record rec;
    dm_record_init(&rec);
    dm_error err;
    const char *json = "{\"id\":7,\"date\":\"2019-05\",\"text\":\"Hello\",\"speaker_actor\":\"FRA\"}";
    assert_int_equal(dm_record_parse_json(json, strlen(json), "f.jsonl", 3, DM_OFFSETS_BYTES, NULL,
                                          &rec, &err), DM_OK);
    assert_string_equal(rec.id, "7");
    assert_string_equal(rec.date, "2019-05");
    assert_string_equal(rec.speaker_actor, "FRA");
    assert_int_equal(rec.text_len, 5);
    dm_document doc = dm_record_document(&rec);
    assert_string_equal(doc.text, "Hello");
    /* Speech corpora give a year and no id. */
    json = "{\"year\":1946,\"text\":\"x\"}";
    assert_int_equal(dm_record_parse_json(json, strlen(json), "f.jsonl", 4, DM_OFFSETS_BYTES, NULL,
                                          &rec, &err), DM_OK);
    assert_string_equal(rec.date, "1946");
    assert_string_equal(rec.id, "f.jsonl:4");
    /* An empty or blank "date" is no date: the year stands in (flat records
     * and, with a nested "source", jansson's path); without a year the
     * blank date is kept as given. */
    const char *with_year[] = {"{\"date\":\"\",\"year\":1946,\"text\":\"x\"}",
                               "{\"date\":\" \",\"year\":\"1946\",\"text\":\"x\","
                               "\"source\":{\"speech\":\"a\"}}",
                               "{\"date\":null,\"year\":1946,\"text\":\"x\"}"};
    for (size_t i = 0; i < sizeof with_year / sizeof *with_year; i++) {
        dm_record_clear(&rec);
        assert_int_equal(dm_record_parse_json(with_year[i], strlen(with_year[i]), "f.jsonl", 5,
                                              DM_OFFSETS_BYTES, NULL, &rec, &err), DM_OK);
        assert_string_equal(rec.date, "1946");
    }
    dm_record_clear(&rec);
    json = "{\"date\":\"\",\"text\":\"x\"}";
    assert_int_equal(dm_record_parse_json(json, strlen(json), "f.jsonl", 6, DM_OFFSETS_BYTES, NULL,
                                          &rec, &err), DM_OK);
    assert_string_equal(rec.date, "");
    dm_record_clear(&rec);
}

static void test_record_errors(void **state)
{
    (void)state;
    dm_record rec;
    dm_record_init(&rec);
    dm_error err;
    const char *bad[] = {"{\"text\": \"unterminated", "[1,2]", "{\"id\":\"a\"}",
                         "{\"text\": 5}", "{\"text\":\"x\",\"date\":[1]}",
                         "{\"text\":\"x\",\"targets\":{}}",
                         "{\"text\":\"x\",\"text\":\"y\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dm_error_clear(&err);
        assert_int_equal(dm_record_parse_json(bad[i], strlen(bad[i]), "in.jsonl", 12,
                                              DM_OFFSETS_BYTES, NULL, &rec, &err), DM_E_PARSE);
        assert_string_equal(err.where, "in.jsonl");
        assert_int_equal(err.line, 12);
        assert_null(rec.text);
    }
    assert_int_equal(dm_record_parse_json(NULL, 0, "x", 1, DM_OFFSETS_BYTES, NULL, &rec, &err),
                     DM_E_INVALID_ARG);
    /* A target out of range is left out; the record is kept. */
    const char *json = "{\"text\":\"abc\",\"targets\":[{\"start\":1,\"end\":9},\"RUS\"]}";
    notes[0] = '\0';
    assert_int_equal(dm_record_parse_json(json, strlen(json), "in.jsonl", 12, DM_OFFSETS_BYTES,
                                          &note_logger, &rec, &err), DM_OK);
    assert_int_equal(rec.n_targets, 1);
    assert_int_equal(rec.n_rejected, 1);
    assert_non_null(strstr(notes, "outside the text"));
    assert_string_equal(err.message, ""); /* DM_OK leaves no message */
    dm_record_clear(&rec);
}

static void test_record_targets_and_offsets(void **state)
{
    (void)state;
    dm_record rec;
    dm_record_init(&rec);
    dm_error err;
    /* "Ça" is 2 code points, 3 bytes: char offsets 3..9 are bytes 4..10. */
    const char *json = "{\"text\":\"Ça va Moscow\",\"targets\":[\"RUS\",{\"start\":6,\"end\":12}]}";
    assert_int_equal(dm_record_parse_json(json, strlen(json), "s", 1, DM_OFFSETS_CHARS, NULL, &rec,
                                          &err), DM_OK);
    assert_int_equal(rec.n_targets, 2);
    assert_string_equal(rec.targets[0].actor, "RUS");
    assert_false(rec.targets[0].has_span);
    assert_null(rec.targets[1].actor);
    assert_int_equal(rec.targets[1].start, 7);
    assert_int_equal(rec.targets[1].end, 13);
    assert_memory_equal(rec.text + 7, "Moscow", 6);
    /* In bytes, offset 1 splits the two-byte "Ç": that target is left out. */
    json = "{\"text\":\"Ça\",\"targets\":[{\"start\":1,\"end\":3}]}";
    notes[0] = '\0';
    assert_int_equal(dm_record_parse_json(json, strlen(json), "s", 2, DM_OFFSETS_BYTES,
                                          &note_logger, &rec, &err), DM_OK);
    assert_int_equal(rec.n_targets, 0);
    assert_int_equal(rec.n_rejected, 1);
    assert_non_null(strstr(notes, "split a character"));
    dm_record_clear(&rec);
}

static void test_record_invalid_utf8_repaired(void **state)
{
    (void)state;
    dm_record rec;
    dm_record_init(&rec);
    dm_error err;
    const char json[] = "{\"text\":\"bad \xff byte\"}";
    dm_error_clear(&err);
    notes[0] = '\0';
    assert_int_equal(dm_record_parse_json(json, strlen(json), "u", 1, DM_OFFSETS_BYTES,
                                          &note_logger, &rec, &err), DM_OK);
    assert_string_equal(rec.text, "bad \xef\xbf\xbd byte");
    assert_non_null(strstr(notes, "1 invalid UTF-8"));
    assert_string_equal(err.message, ""); /* a warning is not an error */
    /* Broken JSON that is not a UTF-8 problem is not "repaired". */
    const char broken[] = "{\"text\":\"bad \xff byte\"";
    assert_int_equal(dm_record_parse_json(broken, strlen(broken), "u", 2, DM_OFFSETS_BYTES,
                                          &note_logger, &rec, &err), DM_E_PARSE);
    dm_record_clear(&rec);
}

static void test_statement_json(void **state)
{
    (void)state;
    dm_statement_list list;
    dm_statement_list_init(&list);
    dm_statement *st = dm_statement_list_push(&list);
    assert_non_null(st);
    st->n = 1;
    st->speaker = strdup("Helena Marsh");
    st->speaker_actor = strdup("GBR");
    st->kind = DM_KIND_DIRECT;
    st->text = strdup("We will not \"accept\" this");
    st->start = 5;
    st->end = 30;
    assert_int_equal(dm_statement_add_target(st, "RUS", "Moscow", true, 40, 46, 30, 36), DM_OK);
    char *json = NULL;
    dm_error err;
    assert_int_equal(dm_statement_to_json(st, "d1", "2020-01-02", 0, &json, &err), DM_OK);
    assert_string_equal(json,
        "{\"doc\":\"d1\",\"index\":1,\"date\":\"2020-01-02\",\"speaker\":\"Helena Marsh\","
        "\"speaker_role\":null,\"speaker_actor\":\"GBR\",\"cue\":null,\"attribution\":\"none\","
        "\"kind\":\"direct\","
        "\"text\":\"We will not \\\"accept\\\" this\",\"start\":5,\"end\":30,"
        "\"targets\":[{\"actor\":\"RUS\",\"mention\":\"Moscow\",\"start\":40,\"end\":46}]}");
    free(json);
    st->scored = true;
    st->hostility_level = 3;
    st->hostility_expected = 2.712345;
    st->targets[0].scored = true;
    st->targets[0].stance = DM_STANCE_AGAINST;
    st->targets[0].score = -0.8;
    st->targets[0].p[0] = 0.85;
    st->targets[0].p[1] = 0.1;
    st->targets[0].p[2] = 0.05;
    assert_int_equal(dm_statement_to_json(st, "d1", NULL, DM_JSON_SCORES, &json, &err), DM_OK);
    assert_non_null(strstr(json, "\"stance\":\"against\",\"favor_minus_against\":-0.8,"
                                 "\"p\":{\"against\":0.85,\"neutral\":0.1,\"favor\":0.05}"));
    assert_non_null(strstr(json, "\"hostility\":{\"level\":3,\"expected_level\":2.7123}"));
    assert_non_null(strstr(json, "\"date\":null"));
    /* And back: what the chart reads. */
    dm_statement back;
    char *doc, *date;
    assert_int_equal(dm_statement_from_json(json, strlen(json), "s.jsonl", 4, &back, &doc, &date,
                                            &err), DM_OK);
    assert_string_equal(doc, "d1");
    assert_null(date);
    assert_string_equal(back.speaker, "Helena Marsh");
    assert_string_equal(back.speaker_actor, "GBR");
    assert_string_equal(back.text, "We will not \"accept\" this");
    assert_true(back.scored);
    assert_int_equal(back.hostility_level, 3);
    assert_float_equal(back.hostility_expected, 2.7123, 1e-12);
    assert_int_equal(back.n_targets, 1);
    assert_string_equal(back.targets[0].actor, "RUS");
    assert_string_equal(back.targets[0].mention, "Moscow");
    assert_true(back.targets[0].has_span);
    assert_int_equal(back.targets[0].start, 40);
    assert_true(back.targets[0].scored);
    assert_int_equal(back.targets[0].stance, DM_STANCE_AGAINST);
    assert_float_equal(back.targets[0].p[0], 0.85, 1e-12);
    dm_statement_clear(&back);
    free(doc);
    free(date);
    free(json);
    /* A level alone gives the expected level, an expected level alone the
     * level; an old file's "score" is the expected level / 4. */
    const char *lv = "{\"hostility\":{\"level\":2}}", *sc = "{\"hostility\":{\"score\":0.8}}";
    assert_int_equal(dm_statement_from_json(lv, strlen(lv), "x", 1, &back, &doc, &date, &err), DM_OK);
    assert_float_equal(back.hostility_expected, 2.0, 1e-12);
    dm_statement_clear(&back);
    assert_int_equal(dm_statement_from_json(sc, strlen(sc), "x", 1, &back, &doc, &date, &err), DM_OK);
    assert_int_equal(back.hostility_level, 3);
    assert_float_equal(back.hostility_expected, 3.2, 1e-12);
    dm_statement_clear(&back);
    const char *ex = "{\"hostility\":{\"expected_level\":3.6},\"targets\":[{\"actor\":\"RUS\","
                     "\"stance\":\"favor\",\"favor_minus_against\":0.5}],\"index\":7}";
    assert_int_equal(dm_statement_from_json(ex, strlen(ex), "x", 1, &back, &doc, &date, &err), DM_OK);
    assert_int_equal(back.hostility_level, 4);
    assert_float_equal(back.targets[0].score, 0.5, 1e-12);
    assert_int_equal(back.n, 7);
    dm_statement_clear(&back);
    /* Unscored: read, not scored. */
    const char *raw = "{\"text\":\"x\",\"targets\":[{\"actor\":\"RUS\"}]}";
    assert_int_equal(dm_statement_from_json(raw, strlen(raw), "x", 1, &back, &doc, &date, &err),
                     DM_OK);
    assert_false(back.scored);
    assert_false(back.targets[0].scored);
    dm_statement_clear(&back);
    /* Errors name the place; nothing is left allocated. */
    static const char *const bad[] = {
        "{\"hostility\":{\"level\":5}}", "{\"hostility\":{\"score\":1.5}}",
        "{\"hostility\":{\"expected_level\":4.5}}",
        "{\"hostility\":3}", "{\"targets\":[{\"mention\":\"x\"}]}",
        "{\"targets\":[{\"actor\":\"RUS\",\"stance\":\"hostile\"}]}", "{\"targets\":{}}",
        "{\"speaker\":7}", "{\"text\":\"a\",\"text\":\"b\"}", "[1]", "{",
        /* wrong types in a scored target are errors, not silent zeros */
        "{\"targets\":[{\"actor\":\"RUS\",\"stance\":\"against\",\"favor_minus_against\":\"-0.8\"}]}",
        "{\"targets\":[{\"actor\":\"RUS\",\"stance\":\"against\",\"p\":[0.9,0.05,0.05]}]}",
        "{\"targets\":[{\"actor\":\"RUS\",\"stance\":\"against\",\"p\":{\"against\":\"0.9\"}}]}",
        "{\"targets\":[{\"actor\":\"RUS\",\"stance\":\"against\",\"p\":{\"favor\":1.5}}]}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(dm_statement_from_json(bad[i], strlen(bad[i]), "b.jsonl", 9, &back, &doc,
                                                &date, &err), DM_E_PARSE);
        assert_string_equal(err.where, "b.jsonl");
        assert_int_equal(err.line, 9);
        assert_null(doc);
        assert_null(back.targets);
    }
    assert_int_equal(dm_statement_from_json(NULL, 0, "x", 1, &back, &doc, &date, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_statement_from_json("{}", 2, "x", 1, &back, NULL, &date, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_statement_to_json(NULL, "d", NULL, 0, &json, &err), DM_E_INVALID_ARG);
    dm_statement_clear(NULL);
    dm_statement_list_clear(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_plain),
        cmocka_unit_test(test_reader_gzip),
        cmocka_unit_test(test_reader_long_line_skipped),
        cmocka_unit_test(test_reader_read_all_and_missing),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_record_document),
        cmocka_unit_test(test_record_errors),
        cmocka_unit_test(test_record_targets_and_offsets),
        cmocka_unit_test(test_record_invalid_utf8_repaired),
        cmocka_unit_test(test_statement_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
