/* Tests of the labelled-data readers: the strict CSV reader, our JSON Lines
 * format with its file:line errors, and the UNSCon and NewsMTSC mappings
 * (on small synthetic files; the real files only when ../shared has them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demarche/model.h"
#include "datasets/datasets_internal.h" /* CSV reader, hold-out rule, UNSCon names */

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dm_test_dataset.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *content)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(content, fp);
    assert_int_equal(fclose(fp), 0);
    return path;
}

/* ---- CSV ---- */

static void test_csv_edge_cases(void **state)
{
    (void)state;
    const char *path = write_file("ok.csv",
                                  "a,b,c\n"
                                  "1,\"x, y\",\"he said \"\"no\"\"\"\r\n"
                                  "2,\"line1\nline2\",z\n"
                                  "3,,\n"
                                  "4,a,b");
    dm_csv_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_csv_reader_create(path, &r, &err), DM_OK);
    char **f = NULL;
    size_t n = 0;
    long line = 0;
    assert_int_equal(dm_csv_read_record(r, &f, &n, &line, &err), DM_OK);
    assert_int_equal(n, 3);
    assert_int_equal(line, 1);
    assert_string_equal(f[2], "c");
    assert_int_equal(dm_csv_read_record(r, &f, &n, &line, &err), DM_OK);
    assert_int_equal(n, 3);
    assert_int_equal(line, 2);
    assert_string_equal(f[1], "x, y");
    assert_string_equal(f[2], "he said \"no\"");
    assert_int_equal(dm_csv_read_record(r, &f, &n, &line, &err), DM_OK);
    assert_int_equal(line, 3);
    assert_string_equal(f[1], "line1\nline2");
    assert_string_equal(f[2], "z");
    assert_int_equal(dm_csv_read_record(r, &f, &n, &line, &err), DM_OK);
    assert_int_equal(line, 5);
    assert_int_equal(n, 3);
    assert_string_equal(f[1], "");
    assert_string_equal(f[2], "");
    assert_int_equal(dm_csv_read_record(r, &f, &n, &line, &err), DM_OK);
    assert_int_equal(line, 6);
    assert_string_equal(f[2], "b");
    /* The end has its own status (as dm_reader_next_line), and stays. */
    assert_int_equal(dm_csv_read_record(r, &f, &n, &line, &err), DM_END_OF_INPUT);
    assert_int_equal(n, 0);
    assert_int_equal(dm_csv_read_record(r, &f, &n, &line, &err), DM_END_OF_INPUT);
    dm_csv_fields_free(f, n);
    dm_csv_reader_destroy(&r);
    assert_null(r);

    /* An empty file ends at once. */
    path = write_file("empty.csv", "");
    assert_int_equal(dm_csv_reader_create(path, &r, &err), DM_OK);
    f = NULL;
    n = 0;
    assert_int_equal(dm_csv_read_record(r, &f, &n, &line, &err), DM_END_OF_INPUT);
    assert_int_equal(n, 0);
    dm_csv_reader_destroy(&r);
}

static void expect_csv_error(const char *content, long want_line, const char *want)
{
    const char *path = write_file("bad.csv", content);
    dm_csv_reader *r = NULL;
    dm_error err;
    assert_int_equal(dm_csv_reader_create(path, &r, &err), DM_OK);
    char **f = NULL;
    size_t n = 0;
    dm_status s;
    do
        s = dm_csv_read_record(r, &f, &n, NULL, &err);
    while (s == DM_OK);
    assert_int_equal(s, DM_E_PARSE);
    assert_int_equal(err.line, want_line);
    assert_non_null(strstr(err.message, want));
    assert_non_null(strstr(err.where, "bad.csv"));
    dm_csv_fields_free(f, n);
    dm_csv_reader_destroy(&r);
}

static void test_csv_errors(void **state)
{
    (void)state;
    expect_csv_error("a,b\n1,x\"y\n", 2, "quote inside an unquoted field");
    expect_csv_error("a,b\n\"x\"y,2\n", 2, "text after a closing quote");
    expect_csv_error("a,b\n1,2\n3,\"never\nclosed\n", 3, "unterminated");
    expect_csv_error("a,b\r1,2\n", 1, "carriage return");
}

/* ---- JSON Lines ---- */

typedef struct log_capture {
    int errors;
    long lines[8];
} log_capture;

static void capture(void *user, dm_log_level level, const char *where, long line,
                    const char *message)
{
    log_capture *c = user;
    if (level == DM_LOG_ERROR && c->errors < 8)
        c->lines[c->errors++] = line;
}

static void test_jsonl_records(void **state)
{
    (void)state;
    const char *path = write_file(
        "ok.jsonl",
        "{\"id\":\"x\",\"text\":\"We condemn this.\",\"hostility\":3}\n"
        "\n"
        "{\"text\":\"Moscow and Beijing met.\",\"speaker_actor\":\"USA\",\"date\":\"2020-01-02\","
        "\"targets\":[{\"actor\":\"RUS\",\"start\":0,\"end\":6,\"stance\":\"neutral\"},"
        "{\"actor\":\"CHN\",\"mention\":\"Beijing\",\"stance\":\"favor\"}]}\n"
        "{\"text\":\"Z\xc3\xbcrich  and Moscow.\",\"targets\":[{\"start\":13,\"end\":19,"
        "\"stance\":\"against\"},{\"actor\":\"ARMS-TREATY\",\"stance\":\"favor\"}]}\n");
    dm_dataset *ds = NULL;
    dm_error err;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    assert_int_equal(dm_dataset_read_jsonl(ds, path, DM_OFFSETS_BYTES, NULL, NULL, NULL, &err),
                     DM_OK);
    assert_int_equal(ds->n, 3);
    assert_int_equal(ds->v[0].hostility, 3);
    assert_int_equal(ds->v[0].n_targets, 0);
    const dm_labelled_statement *r = &ds->v[1];
    assert_int_equal(r->hostility, -1);
    assert_string_equal(r->speaker_actor, "USA");
    assert_string_equal(r->date, "2020-01-02");
    assert_int_equal(r->n_targets, 2);
    assert_true(r->targets[0].has_span);
    assert_int_equal(r->targets[0].start, 0);
    assert_int_equal(r->targets[0].end, 6);
    assert_int_equal(r->targets[0].stance, DM_STANCE_NEUTRAL);
    assert_memory_equal(r->text + r->targets[1].start, "Beijing", 7);
    assert_int_equal(r->targets[1].stance, DM_STANCE_FAVOR);
    /* Bytes 13-19 of the original are "Moscow"; the double space collapses
     * in the normalised text, so the span moves one byte left. */
    r = &ds->v[2];
    assert_string_equal(r->text, "Z\xc3\xbcrich and Moscow.");
    assert_int_equal(r->targets[0].start, 12);
    assert_memory_equal(r->text + r->targets[0].start, "Moscow", 6);
    assert_string_equal(r->targets[0].actor, "Moscow"); /* no actor: the words */
    assert_string_equal(r->targets[1].actor, "ARMS-TREATY");
    assert_false(r->targets[1].has_span);
    assert_int_equal(ds->n_sources, 1);
    assert_string_equal(ds->sources[0].name, "ok.jsonl");
    assert_int_equal(ds->sources[0].statements, 3);
    assert_int_equal(ds->sources[0].hostility_labels, 1);
    assert_int_equal(ds->sources[0].stance_labels, 4);

    /* Code-point offsets: "Moscow" starts at character 11. */
    path = write_file("chars.jsonl",
                      "{\"text\":\"Z\xc3\xbcrich and Moscow.\",\"targets\":[{\"actor\":\"RUS\","
                      "\"start\":11,\"end\":17,\"stance\":\"against\"}]}\n");
    assert_int_equal(dm_dataset_read_jsonl(ds, path, DM_OFFSETS_CHARS, NULL, "CC0", NULL, &err),
                     DM_OK);
    assert_int_equal(ds->n, 4);
    r = &ds->v[3];
    assert_memory_equal(r->text + r->targets[0].start, "Moscow", 6);
    assert_string_equal(ds->sources[1].licence, "CC0");
    dm_dataset_destroy(&ds);
    assert_null(ds);
}

static void test_jsonl_errors_name_every_line(void **state)
{
    (void)state;
    const char *path = write_file(
        "bad.jsonl",
        "{\"text\":\"Fine.\",\"hostility\":1}\n"
        "{\"text\":\"Broken\n"
        "{\"text\":\"Too hostile.\",\"hostility\":7}\n"
        "{\"text\":\"Fine again.\",\"hostility\":0}\n"
        "{\"text\":\"A target.\",\"targets\":[{\"actor\":\"RUS\",\"stance\":\"hostile\"}]}\n"
        "{\"text\":\"Not here.\",\"targets\":[{\"mention\":\"Moscow\",\"stance\":\"favor\"}]}\n"
        "{\"text\":\"No label.\"}\n");
    dm_dataset *ds = NULL;
    dm_error err;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    log_capture cap = {0};
    dm_logger logger = {capture, &cap};
    assert_int_equal(dm_dataset_read_jsonl(ds, path, DM_OFFSETS_BYTES, NULL, NULL, &logger, &err),
                     DM_E_PARSE);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.where, "bad.jsonl"));
    assert_non_null(strstr(err.message, "5 bad records"));
    assert_int_equal(cap.errors, 5);
    assert_int_equal(cap.lines[0], 2);
    assert_int_equal(cap.lines[1], 3);
    assert_int_equal(cap.lines[2], 5);
    assert_int_equal(cap.lines[3], 6);
    assert_int_equal(cap.lines[4], 7);
    assert_int_equal(ds->n, 0);          /* nothing of the file is kept */
    assert_int_equal(ds->n_sources, 0);
    dm_dataset_destroy(&ds);
}

/* ---- UNSCon and NewsMTSC ---- */

static void test_unscon_mapping(void **state)
{
    (void)state;
    assert_string_equal(dm_unscon_country_code("russian_federation"), "RUS");
    assert_string_equal(dm_unscon_country_code("United_States_Of_America"), "USA");
    assert_string_equal(
        dm_unscon_country_code("United_Kingdom_Of_Great_Britain_And_Northern_Ireland"), "GBR");
    assert_string_equal(dm_unscon_country_code("ukraine"), "UKR");
    assert_null(dm_unscon_country_code("atlantis"));
    assert_null(dm_unscon_country_code(NULL));
    const char *path = write_file(
        "sentences.csv",
        "file_id,sentence_text,sentence_char_offsets,A0,A2,A3,A4,B1,B2,B3\n"
        "UNSC_2014_SPV.7165_spch004_United_Kingdom_Of_Great_Britain_And_Northern_Ireland_02.txt,"
        "\"Russia 's actions , we believe , are illegal .   \",0-10,Direct_NegEval,Country,-NONE-,"
        "russian_federation,_,_,_\n"
        "UNSC_2014_SPV.7165_spch005_United_States_Of_AmericaA2_00_GD.txt,"
        "\"That is simply not true .\",10-20,_,_,_,_,Correction,-NONE-,-NONE-\n"
        "UNSC_2014_SPV.7165_spch006_NAMIBIA_01_GD.txt,\"We thank the President .\",20-30,"
        "_,_,_,_,_,_,_\n"
        "UNSC_2016_SPV.7658_spch007_Russian_Federation2_00.txt,\"It is regrettable .\",30-40,"
        "Indirect_NegEval,Country,-NONE-,ukraine,_,_,_\n");
    dm_dataset *ds = NULL;
    dm_error err;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    assert_int_equal(dm_dataset_read_unscon(ds, path, NULL, NULL, &err), DM_OK);
    assert_int_equal(ds->n, 4);
    assert_string_equal(ds->v[0].text, "Russia's actions, we believe, are illegal.");
    assert_string_equal(ds->v[0].speaker_actor, "GBR");
    assert_string_equal(ds->v[0].date, "2014");
    assert_int_equal(ds->v[0].hostility, 3);
    assert_int_equal(ds->v[0].n_targets, 1);
    assert_string_equal(ds->v[0].targets[0].actor, "RUS");
    assert_int_equal(ds->v[0].targets[0].stance, DM_STANCE_AGAINST);
    assert_string_equal(ds->v[1].speaker_actor, "USA");
    assert_int_equal(ds->v[1].hostility, 2);
    assert_int_equal(ds->v[1].n_targets, 0);
    assert_string_equal(ds->v[2].speaker_actor, "NAM");
    assert_int_equal(ds->v[2].hostility, 1);
    assert_string_equal(ds->v[3].speaker_actor, "RUS");
    assert_int_equal(ds->v[3].hostility, 2);
    assert_string_equal(ds->v[3].targets[0].actor, "UKR");
    assert_non_null(strstr(ds->sources[0].licence, "CC BY-SA 4.0; a model trained on it is derived from UNSCon"));
    assert_int_equal(ds->sources[0].stance_labels, 2);

    /* A bad A0 value names its line; nothing is kept. */
    path = write_file("bad.csv",
                      "file_id,sentence_text,A0,A4,B1,B3\n"
                      "UNSC_2014_x_spch001_Chad_00.txt,\"Ok .\",_,_,_,_\n"
                      "UNSC_2014_x_spch001_Chad_00.txt,\"Odd .\",Praise,_,_,_\n");
    assert_int_equal(dm_dataset_read_unscon(ds, path, NULL, NULL, &err), DM_E_PARSE);
    assert_int_equal(err.line, 3);
    assert_int_equal(ds->n, 4);
    assert_int_equal(ds->n_sources, 1);

    /* An empty file has no header: refused, not read as zero records. */
    path = write_file("empty.csv", "");
    assert_int_equal(dm_dataset_read_unscon(ds, path, NULL, NULL, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "needs columns"));
    assert_int_equal(ds->n_sources, 1);
    /* A header alone: a source with no records. */
    path = write_file("header.csv", "file_id,sentence_text,A0,A4,B1,B3\n");
    assert_int_equal(dm_dataset_read_unscon(ds, path, NULL, NULL, &err), DM_OK);
    assert_int_equal(ds->n, 4);
    dm_dataset_destroy(&ds);
}

static void test_newsmtsc_mapping(void **state)
{
    (void)state;
    /* "Zürich’s mayor" — from/to count code points: "mayor" is 9..14. */
    const char *path = write_file(
        "train.jsonl",
        "{\"primary_gid\":\"g\",\"sentence_normalized\":\"Z\xc3\xbcrich\xe2\x80\x99s mayor lied.\","
        "\"targets\":[{\"from\":9,\"to\":14,\"mention\":\"mayor\",\"polarity\":2.0},"
        "{\"from\":0,\"to\":6,\"mention\":\"Z\xc3\xbcrich\",\"polarity\":6.0}]}\n"
        "{\"sentence_normalized\":\"Ok.\",\"targets\":[{\"from\":0,\"to\":2,\"polarity\":4.0}]}\n");
    dm_dataset *ds = NULL;
    dm_error err;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    assert_int_equal(dm_dataset_read_newsmtsc(ds, path, NULL, NULL, &err), DM_OK);
    assert_int_equal(ds->n, 2);
    const dm_labelled_statement *r = &ds->v[0];
    assert_int_equal(r->hostility, -1);
    assert_memory_equal(r->text + r->targets[0].start, "mayor", 5);
    assert_int_equal(r->targets[0].end - r->targets[0].start, 5);
    assert_int_equal(r->targets[0].stance, DM_STANCE_AGAINST);
    assert_string_equal(r->targets[1].actor, "Z\xc3\xbcrich");
    assert_int_equal(r->targets[1].stance, DM_STANCE_FAVOR);
    assert_int_equal(ds->v[1].targets[0].stance, DM_STANCE_NEUTRAL);
    assert_string_equal(ds->v[1].targets[0].actor, "Ok");
    path = write_file("bad.jsonl",
                      "{\"sentence_normalized\":\"Ok.\",\"targets\":[{\"from\":0,\"to\":2,"
                      "\"polarity\":5.0}]}\n");
    assert_int_equal(dm_dataset_read_newsmtsc(ds, path, NULL, NULL, &err), DM_E_PARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(ds->n, 2);
    dm_dataset_destroy(&ds);
}

static void test_holdout_split(void **state)
{
    (void)state;
    /* FNV-1a 32: "a" = 3826002220 (mod 5 = 0), "a-00001" = 738953142 (2). */
    assert_true(dm_dataset_id_is_test("a"));
    assert_false(dm_dataset_id_is_test("a-00001"));
    assert_false(dm_dataset_id_is_test(NULL));
    const char *path = write_file("split.jsonl",
                                  "{\"id\":\"a\",\"text\":\"Test.\",\"hostility\":1}\n"
                                  "{\"id\":\"a-00001\",\"text\":\"Train.\",\"hostility\":1}\n"
                                  "{\"text\":\"No id.\",\"hostility\":1}\n");
    dm_dataset *ds = NULL;
    dm_error err;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    ds->split = DM_SPLIT_TEST;
    assert_int_equal(dm_dataset_read_jsonl(ds, path, DM_OFFSETS_BYTES, NULL, NULL, NULL, &err),
                     DM_OK);
    assert_int_equal(ds->n, 1);
    assert_string_equal(ds->v[0].text, "Test.");
    ds->split = DM_SPLIT_TRAIN;
    assert_int_equal(dm_dataset_read_jsonl(ds, path, DM_OFFSETS_BYTES, NULL, NULL, NULL, &err),
                     DM_OK);
    assert_int_equal(ds->n, 3);
    assert_string_equal(ds->v[1].text, "Train.");
    assert_string_equal(ds->v[2].text, "No id.");
    dm_dataset_destroy(&ds);
}

static void test_shared_unscon(void **state)
{
    (void)state;
    const char *shared = getenv("DM_SHARED_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/data/unscon/sentences.csv", shared ? shared : "../shared");
    if (access(path, R_OK) != 0) {
        printf("skipped: %s not found\n", path); /* stdout: scripts/ctest-skips.sh */
        skip();
    }
    dm_dataset *ds = NULL;
    dm_error err;
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    assert_int_equal(dm_dataset_read_unscon(ds, path, NULL, NULL, &err), DM_OK);
    assert_int_equal(ds->n, 1636);
    long levels[5] = {0};
    for (size_t i = 0; i < ds->n; i++) {
        assert_non_null(ds->v[i].speaker_actor);
        levels[ds->v[i].hostility]++;
    }
    assert_int_equal(levels[0], 0);
    assert_int_equal(levels[3], 266);
    assert_int_equal(levels[4], 0);
    dm_dataset_destroy(&ds);
}

static void test_invalid_args(void **state)
{
    (void)state;
    dm_error err;
    dm_dataset *ds = NULL;
    assert_int_equal(dm_dataset_create(NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_dataset_read_jsonl(NULL, "x", DM_OFFSETS_BYTES, NULL, NULL, NULL, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_dataset_create(&ds, &err), DM_OK);
    assert_int_equal(dm_dataset_read_jsonl(ds, NULL, DM_OFFSETS_BYTES, NULL, NULL, NULL, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_dataset_read_unscon(ds, NULL, NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_dataset_read_newsmtsc(NULL, "x", NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_dataset_read_jsonl(ds, "/nonexistent/x.jsonl", DM_OFFSETS_BYTES, NULL,
                                           NULL, NULL, &err),
                     DM_E_IO);
    assert_int_equal(dm_csv_reader_create(NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_csv_read_record(NULL, NULL, NULL, NULL, &err), DM_E_INVALID_ARG);
    dm_dataset_destroy(&ds);
    dm_dataset_destroy(&ds);
    dm_dataset_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_edge_cases),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_jsonl_records),
        cmocka_unit_test(test_jsonl_errors_name_every_line),
        cmocka_unit_test(test_unscon_mapping),
        cmocka_unit_test(test_newsmtsc_mapping),
        cmocka_unit_test(test_holdout_split),
        cmocka_unit_test(test_shared_unscon),
        cmocka_unit_test(test_invalid_args),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
