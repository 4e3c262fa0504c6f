/* Unit tests of the two JSON record readers (src/io/record_simple.c, yajl,
 * and record.c, jansson): dm_record_parse_json must give what the jansson
 * reader alone gives, the same fields, status, message and notes, on every
 * line: the fuzz corpus, lines built for each case where yajl and jansson
 * differ, and every byte value at every position of a record. */
#include "io/record_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char notes[4096];
static void note_log(void *user, dm_log_level level, const char *where, long line,
                     const char *message)
{
    (void)user;
    size_t n = strlen(notes);
    snprintf(notes + n, sizeof notes - n, "%d %s:%ld %s\n", (int)level, where ? where : "",
             line, message);
}
static const dm_logger note_logger = {note_log, NULL};

static long simple_taken; /* lines the yajl reader took (the test must reach it) */

static void assert_same_string(const char *a, const char *b, const char *what, const char *json)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        fail_msg("%s differs on %s: \"%s\" / \"%s\"", what, json, a ? a : "(null)",
                 b ? b : "(null)");
}

/* The fields of two records are the same. */
static void assert_same_record(const dm_record *a, const dm_record *b, const char *shown)
{
    assert_same_string(a->id, b->id, "id", shown);
    assert_same_string(a->date, b->date, "date", shown);
    assert_same_string(a->title, b->title, "title", shown);
    assert_same_string(a->source, b->source, "source", shown);
    assert_same_string(a->speaker, b->speaker, "speaker", shown);
    assert_same_string(a->speaker_actor, b->speaker_actor, "speaker_actor", shown);
    assert_int_equal(a->text_len, b->text_len);
    if ((a->text == NULL) != (b->text == NULL) ||
        (a->text && memcmp(a->text, b->text, a->text_len + 1) != 0))
        fail_msg("text differs on %s", shown);
    assert_int_equal(a->n_targets, b->n_targets);
    assert_int_equal(a->n_rejected, b->n_rejected);
    for (size_t i = 0; i < a->n_targets; i++) {
        assert_same_string(a->targets[i].actor, b->targets[i].actor, "target", shown);
        assert_int_equal(a->targets[i].has_span, b->targets[i].has_span);
        assert_int_equal(a->targets[i].start, b->targets[i].start);
        assert_int_equal(a->targets[i].end, b->targets[i].end);
    }
}

/* One record every line of every test is read into, never cleared between
 * lines, as demarche-score's worker does: the strings of the yajl reader
 * live in the record's pool, kept and grown from line to line, and a line
 * read by jansson (or refused) comes between pooled ones. */
static dm_record reused;

/* Both readers on one line, both offsets: the same outcome. */
static void check_line(const char *json, size_t len)
{
    for (int o = 0; o < 2; o++) {
        dm_offsets offsets = o ? DM_OFFSETS_CHARS : DM_OFFSETS_BYTES;
        dm_record a, b;
        dm_record_init(&a);
        dm_record_init(&b);
        dm_error ea, eb, er;
        notes[0] = '\0';
        dm_status sa = dm_record_parse_json(json, len, "r.jsonl", 3, offsets, &note_logger, &a, &ea);
        char notes_a[sizeof notes];
        memcpy(notes_a, notes, sizeof notes);
        notes[0] = '\0';
        dm_status sb = dm_record_parse_json_tree(json, len, "r.jsonl", 3, offsets, &note_logger,
                                                 &b, &eb);
        char shown[200];
        snprintf(shown, sizeof shown, "%.*s", (int)(len < 150 ? len : 150), json);
        if (sa != sb)
            fail_msg("status %d / %d on %s", (int)sa, (int)sb, shown);
        assert_same_string(notes_a, notes, "notes", shown);
        if (sa != DM_OK) {
            assert_same_string(ea.message, eb.message, "message", shown);
            assert_same_string(ea.where, eb.where, "where", shown);
            assert_int_equal(ea.line, eb.line);
        }
        assert_same_record(&a, &b, shown);
        dm_status sr = dm_record_parse_json(json, len, "r.jsonl", 3, offsets, NULL, &reused, &er);
        if (sr != sb)
            fail_msg("status %d / %d on %s (a reused record)", (int)sr, (int)sb, shown);
        if (sr != DM_OK) {
            assert_same_string(er.message, eb.message, "message (a reused record)", shown);
            /* empty, its pool too: a caller need not clear a record not read */
            if (reused.pool_ || reused.pooled_ || reused.parser_)
                fail_msg("a record not read keeps its pool on %s", shown);
        }
        assert_same_record(&reused, &b, shown);
        if (sa == DM_OK && a.n_targets == 0 && a.n_rejected == 0) {
            dm_record_clear(&a);
            simple_taken += dm_record_parse_simple(json, len, "r.jsonl", 3, &a);
        }
        dm_record_clear(&a);
        dm_record_clear(&b);
    }
}

static void check(const char *json)
{
    check_line(json, strlen(json));
}

/* Each case where yajl is more lenient than jansson, and the edges of what
 * the yajl reader takes. */
static void test_built_lines(void **state)
{
    (void)state;
    static const char *const LINES[] = {
        "{\"id\":\"a\",\"date\":\"2024\",\"speaker_actor\":\"CHN\",\"text\":\"We are here.\"}",
        "{\"text\":\"no id\"}",
        "{\"text\":\"year\",\"year\":1999}",
        "{\"text\":\"both\",\"year\":1999,\"date\":\"2001-02-03\"}",
        "{\"text\":\"null date\",\"date\":null,\"year\":\"1990\"}",
        "{\"text\":\"t\",\"id\":-0}",
        "{\"text\":\"t\",\"id\":9223372036854775807}",
        "{\"text\":\"t\",\"id\":-9223372036854775808}",
        "{\"text\":\"t\",\"id\":9223372036854775808}",
        "{\"text\":\"t\",\"id\":-9223372036854775809}",
        "{\"text\":\"t\",\"id\":1.5}",
        "{\"text\":\"t\",\"id\":1e3}",
        "{\"text\":\"t\",\"other\":1e400}",
        "{\"text\":\"t\",\"other\":1e-400}",
        "{\"text\":\"t\",\"id\":true}",
        "{\"text\":\"t\",\"other\":false}",
        "{\"text\":\"t\",\"other\":[1,2]}",
        "{\"text\":\"t\",\"other\":{\"a\":1}}",
        "{\"text\":\"t\",\"source\":{\"speech\":\"x\"}}",
        "{\"text\":\"t\",\"source\":\"Reuters\"}",
        "{\"text\":\"t\",\"source\":7}",
        "{\"text\":\"t\",\"speaker_actor\":365}",
        "{\"text\":\"t\",\"speaker_actor\":3.5}",
        "{\"text\":\"Russia\",\"targets\":[{\"actor\":365,\"mention\":\"Russia\"}]}",
        "{\"text\":\"t\",\"targets\":null}",
        "{\"text\":\"t\",\"targets\":[]}",
        "{\"text\":\"t\",\"targets\":\"USA\"}",
        "{\"text\":\"Russia and China\",\"targets\":[\"RUS\",{\"actor\":\"CHN\",\"mention\":\"China\"}]}",
        "{\"text\":null}",
        "{\"text\":5}",
        "{\"text\":[\"a\"]}",
        "{\"id\":\"no text\"}",
        "{}",
        "[]",
        "\"text\"",
        "5",
        "",
        "   ",
        "{\"text\":\"a\"} {\"text\":\"b\"}",
        "{\"text\":\"a\"}x",
        "{\"text\":\"a\"}   ",
        "  {\"text\":\"a\"}",
        "{\"text\":\"a\",}",
        "{\"text\":\"a\"",
        "{\"text\" \"a\"}",
        "{\"text\":\"a\"}\v",
        "{\v\"text\":\"a\"}",
        "{\f\"text\":\"a\"}",
        "{\r\n\t \"text\":\"a\"}",
        "{\"text\":\"a\" /* c */}",
        "{\"text\":\"a\",\"text\":\"b\"}",
        "{\"text\":\"a\",\"x\":1,\"x\":2}",
        "{\"te\\u0078t\":\"escaped key\"}",
        "{\"text\":\"a\",\"te\\u0078t\":\"b\"}",
        "{\"text\":\"tab\\there \\\"q\\\" \\/ \\\\ \\b\\f\\n\\r\"}",
        "{\"text\":\"\\u00e9t\\u00e9 \\u4e2d \\ud83d\\ude00\"}",
        "{\"text\":\"lone \\ud800 high\"}",
        "{\"text\":\"lone \\udc00 low\"}",
        "{\"text\":\"reversed \\ude00\\ud83d\"}",
        "{\"text\":\"high then letter \\ud800\\u0041\"}",
        "{\"text\":\"nul \\u0000 inside\"}",
        "{\"te\\u0000xt\":\"nul key\",\"text\":\"a\"}",
        "{\"text\":\"escaped backslash \\\\u0000 is text\"}",
        "{\"text\":\"bad escape \\x\"}",
        "{\"text\":\"short escape \\u12\"}",
        "{\"text\":\"\xc3\xa9t\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"}",
        "{\"text\":\"overlong \xc0\xaf\"}",
        "{\"text\":\"overlong \xe0\x80\xaf\"}",
        "{\"text\":\"surrogate \xed\xa0\x80\"}",
        "{\"text\":\"too big \xf4\x90\x80\x80\"}",
        "{\"text\":\"stray \xff\xfe\"}",
        "{\"text\":\"cut \xe4\xb8\"}",
        "{\"text\":\"continuation \x80\"}",
        "{\"text\":\"raw tab\there\"}",
        "{\"text\":\"del \x7f\"}",
        "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,"
        "\"k\":11,\"l\":12,\"m\":13,\"n\":14,\"o\":15,\"p\":16,\"q\":17,\"r\":18,\"s\":19,"
        "\"t\":20,\"u\":21,\"v\":22,\"w\":23,\"x\":24,\"y\":25,\"z\":26,\"A\":27,\"B\":28,"
        "\"C\":29,\"D\":30,\"E\":31,\"F\":32,\"G\":33,\"text\":\"many keys\"}",
        "{\"\":\"empty key\",\"text\":\"a\"}",
    };
    for (size_t i = 0; i < sizeof LINES / sizeof LINES[0]; i++)
        check(LINES[i]);
    /* A NUL byte inside the line (strlen would stop there). */
    static const char nul[] = "{\"text\":\"a\0b\"}";
    check_line(nul, sizeof nul - 1);
    static const char nul_after[] = "{\"text\":\"a\"}\0";
    check_line(nul_after, sizeof nul_after - 1);
    assert_true(simple_taken > 0);
}

/* Every byte value at every position of a record, and after a backslash. */
static void test_every_byte_everywhere(void **state)
{
    (void)state;
    static const char base[] = "{\"id\":7,\"te\":\"\\u00e9\",\"text\":\"a \\\"b\\\" \xc3\xa9.\","
                               "\"date\":null}";
    size_t n = sizeof base - 1;
    char line[sizeof base + 8];
    long before = simple_taken;
    for (size_t pos = 0; pos <= n; pos++)
        for (int c = 0; c < 256; c++) {
            memcpy(line, base, pos); /* inserted */
            line[pos] = (char)c;
            memcpy(line + pos + 1, base + pos, n - pos);
            check_line(line, n + 1);
            if (pos < n) { /* replaced */
                memcpy(line, base, n);
                line[pos] = (char)c;
                check_line(line, n);
            }
        }
    for (int c = 0; c < 256; c++) {
        snprintf(line, sizeof line, "{\"text\":\"\\%c\"}", c ? c : '0');
        line[10] = (char)c;
        check_line(line, 13);
    }
    assert_true(simple_taken > before);
}

/* The fuzz corpus of the record reader: a selector byte, then lines. */
static void test_fuzz_corpus(void **state)
{
    (void)state;
    static const char *const FILES[] = {"record.jsonl", "record-chars.jsonl", "newsmtsc.jsonl"};
    for (size_t f = 0; f < sizeof FILES / sizeof FILES[0]; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/tests/fuzz/corpus/records/%s", DM_SOURCE_DIR, FILES[f]);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        static char data[1 << 20];
        size_t size = fread(data, 1, sizeof data, fp);
        fclose(fp);
        for (size_t pos = size ? 1 : 0; pos < size;) {
            const char *nl = memchr(data + pos, '\n', size - pos);
            size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
            check_line(data + pos, len);
            pos += len + 1;
        }
    }
}

/* yajl's memory comes from a 4 KB block on the stack and the heap beyond
 * it (record_simple.c): escaped strings of every size around the block's
 * (yajl decodes them into a buffer that doubles), many of them in one
 * record, and nested values, which the yajl reader gives up on; each line
 * as jansson reads it (ASan: nothing lost, nothing overrun). */
static void test_yajl_memory(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 100, 2000, 2047, 2048, 2049, 4000, 4096, 9000, 40000};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        for (int fields = 1; fields <= 3; fields++) {
            char *json = malloc(6 * n * 3 + 200), *w = json;
            w += sprintf(w, "{");
            static const char *const keys[] = {"text", "title", "speaker"};
            for (int f = 0; f < fields; f++) {
                w += sprintf(w, "%s\"%s\":\"", f ? "," : "", keys[f]);
                for (size_t i = 0; i < n; i++) {
                    static const char *const pieces[] = {"a", "\\n", "\\\"", "\\u00e9", " "};
                    const char *piece = pieces[(i * 7 + (size_t)f) % 5];
                    w += sprintf(w, "%s", piece);
                }
                w += sprintf(w, "\"");
            }
            w += sprintf(w, "%s}", fields == 3 ? ",\"x\":[{\"y\":\"z\"}]" : "");
            long before = simple_taken;
            check_line(json, (size_t)(w - json));
            if (fields < 3)
                assert_true(simple_taken == before + 2); /* the yajl reader, twice */
            free(json);
        }
    }
}

static void test_simple_refuses_null_args_cases(void **state)
{
    (void)state;
    dm_record rec;
    dm_record_init(&rec);
    /* What the yajl reader leaves to jansson leaves `out` untouched. */
    assert_false(dm_record_parse_simple("{\"text\":1}", 10, "w", 1, &rec));
    assert_null(rec.text);
    assert_null(rec.id);
    /* An actor code that is a number is an error, not the code "365". */
    assert_false(dm_record_parse_simple("{\"text\":\"x\",\"speaker_actor\":365}", 32, "w", 1, &rec));
    dm_error e;
    static const char *const numeric_codes[] = {
        "{\"text\":\"x\",\"speaker_actor\":365}",
        "{\"text\":\"Russia\",\"targets\":[{\"actor\":365}]}"};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(dm_record_parse_json(numeric_codes[i], strlen(numeric_codes[i]), "w", 1,
                                              DM_OFFSETS_BYTES, NULL, &rec, &e), DM_E_PARSE);
        assert_non_null(strstr(e.message, "must be an actor code"));
    }
    assert_true(dm_record_parse_simple("{\"text\":\"x\"}", 12, "w", 1, &rec));
    assert_string_equal(rec.text, "x");
    assert_string_equal(rec.id, "w:1");
    dm_record_clear(&rec);
    dm_error err;
    assert_int_equal(dm_record_parse_json(NULL, 0, "w", 1, DM_OFFSETS_BYTES, NULL, &rec, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_record_parse_json_tree("{}", 2, "w", 1, DM_OFFSETS_BYTES, NULL, NULL, &err),
                     DM_E_INVALID_ARG);
}

/* The yajl handle a record keeps from line to line (record_simple.c):
 * a line it reads to the record's '}' leaves it for the next line; any
 * other leaves it half-way (inside a string, an object, an array, after a
 * value) and must not be used again. Every good line after a bad one is
 * read by the yajl reader again, to the same record. */
static void test_kept_parser(void **state)
{
    (void)state;
    static const char *const BAD[] = {
        "{\"text\":\"a\",\"id\":\"abc",            /* inside a string */
        "{\"text\":\"a\",\"id\":12",                /* inside a number */
        "{\"text\":\"a\",",                          /* inside the object */
        "{\"text\":\"a\",\"x\":[1,{",              /* inside an array */
        "{\"text\":\"a\",\"x\":{\"y\":1}}",          /* a nested object */
        "{\"text\":\"a\",\"targets\":[]}",         /* targets: jansson's */
        "{\"text\":\"a\",\"text\":\"b\"}",          /* a key twice */
        "0{\"text\":\"a\"}",                         /* a value before the record */
        "null {\"text\":\"a\"}",
        "\"s\" {\"text\":\"a\"}",
        "{\"text\":\"a\"} null",                     /* a value after it */
        "{\"text\":\"a\"} 5",
        "{\"text\":\"a\"}{\"text\":\"b\"}",
        "{\"text\":\"a\"} \"x",
        "{\"text\":\"a\"} tru",
        "{\"id\":\"no text\"}",
        "[1]",
        "",
        "   ",
    };
    dm_record rec;
    dm_record_init(&rec);
    assert_true(dm_record_parse_simple("{\"text\":\"first\"}", 16, "k", 1, &rec));
    assert_non_null(rec.parser_);
    void *kept = rec.parser_;
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++) {
        char good[64];
        int n = snprintf(good, sizeof good, " {\"id\":%zu, \"text\":\"line %zu\"}\r\n", i, i);
        /* twice: the line after a good one too */
        for (int twice = 0; twice < 2; twice++) {
            if (dm_record_parse_simple(BAD[i], strlen(BAD[i]), "k", 2, &rec))
                fail_msg("the yajl reader took %s", BAD[i]);
            if (!dm_record_parse_simple(good, (size_t)n, "k", 3, &rec))
                fail_msg("the yajl reader refused a good line after %s", BAD[i]);
            char want[32];
            snprintf(want, sizeof want, "line %zu", i);
            assert_string_equal(rec.text, want);
            snprintf(want, sizeof want, "%zu", i);
            assert_string_equal(rec.id, want);
        }
    }
    /* good lines one after the other: one handle */
    assert_true(dm_record_parse_simple("{\"text\":\"a\"}", 12, "k", 4, &rec));
    kept = rec.parser_;
    assert_true(dm_record_parse_simple("{\"text\":\"b\"} ", 13, "k", 5, &rec));
    assert_ptr_equal(rec.parser_, kept);
    assert_string_equal(rec.text, "b");
    assert_string_equal(rec.id, "k:5");
    dm_record_clear(&rec);
    assert_null(rec.parser_);
}

/* The yajl reader checks a line's UTF-8 once (simple_bytes, with ICU;
 * yajl's handle does not): not well-formed anywhere in the line, at every
 * position around the 8- and 16-byte steps of the scan, is left to jansson
 * (which repairs it and says so), well-formed is read. */
static void test_simple_utf8(void **state)
{
    (void)state;
    static const char *const BAD[] = {
        "\xC3\x28", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80",
        "\xF0\x9F\x98", "\xFF",
    };
    static const char *const GOOD[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                       "\xED\x9F\xBF", "\xF4\x8F\xBF\xBF"};
    dm_record rec;
    dm_record_init(&rec);
    for (size_t at = 0; at < 40; at++) {
        for (size_t b = 0; b < sizeof BAD / sizeof *BAD; b++) {
            char line[128];
            int n = snprintf(line, sizeof line, "{\"text\":\"%.*s%s%s\"}", (int)at,
                             "0123456789012345678901234567890123456789", BAD[b], "a\xC3\xA9" "b");
            if (dm_record_parse_simple(line, (size_t)n, "u", 1, &rec))
                fail_msg("the yajl reader took bad UTF-8 %zu at %zu", b, at);
            /* in a key, and ending the line */
            n = snprintf(line, sizeof line, "{\"text\":\"x\",\"%.*s%s\":1}", (int)at,
                         "0123456789012345678901234567890123456789", BAD[b]);
            assert_false(dm_record_parse_simple(line, (size_t)n, "u", 1, &rec));
            n = snprintf(line, sizeof line, "{\"text\":\"x\"}%.*s%s", (int)at,
                         "                                        ", BAD[b]);
            assert_false(dm_record_parse_simple(line, (size_t)n, "u", 1, &rec));
        }
        for (size_t g = 0; g < sizeof GOOD / sizeof *GOOD; g++) {
            char line[128], want[64];
            int n = snprintf(line, sizeof line, "{\"text\":\"%.*s%s%s\"}", (int)at,
                             "0123456789012345678901234567890123456789", GOOD[g], GOOD[g]);
            snprintf(want, sizeof want, "%.*s%s%s", (int)at,
                     "0123456789012345678901234567890123456789", GOOD[g], GOOD[g]);
            if (!dm_record_parse_simple(line, (size_t)n, "u", 1, &rec))
                fail_msg("the yajl reader refused good UTF-8 %zu at %zu", g, at);
            assert_string_equal(rec.text, want);
        }
    }
    dm_record_clear(&rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_built_lines),
        cmocka_unit_test(test_every_byte_everywhere),
        cmocka_unit_test(test_fuzz_corpus),
        cmocka_unit_test(test_yajl_memory),
        cmocka_unit_test(test_simple_refuses_null_args_cases),
        cmocka_unit_test(test_kept_parser),
        cmocka_unit_test(test_simple_utf8),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    dm_record_clear(&reused);
    return failed;
}
