/* The option table shared by the three tools (src/frontend/cli_common.c):
 * one letter per option and no letter twice, getopt tables built for each
 * tool with the shared options and aliases, room checked, and the --actors
 * loader's merge order (the extra file's names win) and its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "cli_score.h"

static void test_letters_unique(void **state)
{
    (void)state;
    size_t n;
    const dm_cli_option *o = dm_cli_options(&n);
    assert_true(n > 5);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(o[i].name);
        assert_true(o[i].tools != 0);
        for (size_t j = i + 1; j < n; j++) {
            assert_true(o[i].id != o[j].id);
            assert_string_not_equal(o[i].name, o[j].name);
        }
        /* libsvm's letters belong to demarche-train's own options. */
        if (o[i].id < 128)
            assert_null(strchr("stcgpev", o[i].id));
    }
}

static const struct option *find(const struct option *t, const char *name)
{
    for (; t->name; t++)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

static void test_getopt_table(void **state)
{
    (void)state;
    static const struct option own[] = {{"own", no_argument, NULL, 2000}, {NULL, 0, NULL, 0}};
    struct option t[64];
    char shortopts[64];
    assert_true(dm_cli_getopt_table(DM_CLI_SCORE, own, t, 64, ":e:", shortopts, sizeof shortopts));
    assert_non_null(find(t, "own"));
    assert_non_null(find(t, "actors"));
    assert_int_equal(find(t, "json")->val, find(t, "jsonl")->val);  /* one option */
    assert_int_equal(find(t, "actors")->has_arg, required_argument);
    assert_true(strncmp(shortopts, ":e:", 3) == 0);
    assert_non_null(strstr(shortopts, "a:"));
    assert_non_null(strstr(shortopts, "o:"));
    /* demarche-chart has no --json, no -j; every tool has --actors. */
    assert_true(dm_cli_getopt_table(DM_CLI_CHART, NULL, t, 64, ":", shortopts, sizeof shortopts));
    assert_null(find(t, "json"));
    assert_null(strchr(shortopts, 'j'));
    assert_non_null(find(t, "actors"));
    /* Too little room: false, never an overflow. */
    assert_false(dm_cli_getopt_table(DM_CLI_SCORE, own, t, 3, ":", shortopts, sizeof shortopts));
    assert_false(dm_cli_getopt_table(DM_CLI_SCORE, own, t, 64, ":", shortopts, 4));
    assert_false(dm_cli_getopt_table(DM_CLI_SCORE, own, t, 64, "0123456789", shortopts, 8));
}

static void test_threads_arg(void **state)
{
    (void)state;
    int n = 0;
    assert_true(dm_cli_parse_threads("4", &n));
    assert_int_equal(n, 4);
    assert_false(dm_cli_parse_threads("0", &n));
    assert_false(dm_cli_parse_threads("257", &n));
    assert_false(dm_cli_parse_threads("", &n));
    assert_false(dm_cli_parse_threads("2x", &n));
}

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/test-cli-options-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_load_actors(void **state)
{
    (void)state;
    static const char *const header = "code\tkind\tname\trole\tfrom\tto\tshort\n";
    char base_text[256], extra_text[256];
    snprintf(base_text, sizeof base_text, "%sRUS\tstate\tRussia\t\t\t\t\n"
             "FRA\tstate\tFrance\t\t\t\t\n", header);
    snprintf(extra_text, sizeof extra_text, "%sXYZ\tstate\tFrance\t\t\t\t\n"
             "KOS\tstate\tKosova\t\t\t\t\n", header);
    char *base = write_tmp(base_text), *extra = write_tmp(extra_text);
    dm_actors *a = NULL;
    dm_error err;
    dm_actor_match m;
    assert_int_equal(dm_cli_load_actors(base, extra, &a, &err), DM_OK);
    assert_true(dm_actors_lookup(a, "France", 6, NULL, &m));
    assert_string_equal(m.code, "XYZ");        /* the extra file wins */
    assert_true(dm_actors_lookup(a, "Russia", 6, NULL, &m));
    assert_string_equal(m.code, "RUS");        /* the shipped names stay */
    assert_true(dm_actors_lookup(a, "Kosova", 6, NULL, &m));
    dm_actors_destroy(&a);
    /* No extra file: the base alone; no base: the extra alone. */
    assert_int_equal(dm_cli_load_actors(base, NULL, &a, &err), DM_OK);
    assert_false(dm_actors_lookup(a, "Kosova", 6, NULL, &m));
    dm_actors_destroy(&a);
    assert_int_equal(dm_cli_load_actors(NULL, extra, &a, &err), DM_OK);
    assert_false(dm_actors_lookup(a, "Russia", 6, NULL, &m));
    dm_actors_destroy(&a);
    /* A missing or malformed extra file: an error naming it, no dictionary. */
    assert_int_not_equal(dm_cli_load_actors(base, "/nonexistent/actors.tsv", &a, &err), DM_OK);
    assert_null(a);
    assert_non_null(strstr(err.where, "nonexistent"));
    char *bad = write_tmp("code\tkind\n");
    assert_int_not_equal(dm_cli_load_actors(base, bad, &a, &err), DM_OK);
    assert_null(a);
    unlink(base);
    unlink(extra);
    unlink(bad);
    free(base);
    free(extra);
    free(bad);
}

/* demarche-score's worker keeps one statement list and one output buffer
 * for all its records (score_worker.list, dm_score_printer.to_buffer):
 * each record must print its own statement only, with its own targets,
 * whether the record before it had targets or not, in input order, and
 * the same for a table (through a stream). */
static char *run_score(const char *input, bool table)
{
    char *out = write_tmp("");
    const char *inputs[] = {input};
    dm_score_options opt;
    dm_score_options_init(&opt);
    opt.statements = true;
    opt.extract_only = true;
    opt.quiet = true;
    opt.threads = 1;
    opt.table = table;
    opt.format = table ? DM_SCORE_FORMAT_TEXT : DM_SCORE_FORMAT_JSONL;
    opt.output = out;
    opt.inputs = inputs;
    opt.n_inputs = 1;
    assert_int_equal(dm_score_run(&opt), 0);
    FILE *f = fopen(out, "rb");
    assert_non_null(f);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    unlink(out);
    free(out);
    return buf;
}

static void test_score_worker_reuse(void **state)
{
    (void)state;
    char *input = write_tmp("{\"id\": \"a\", \"text\": \"Russia and France met.\"}\n"
                            "{\"id\": \"b\", \"text\": \"Nothing here.\"}\n"
                            "{\"id\": \"c\", \"text\": \"China spoke.\"}\n"
                            "{\"id\": \"d\", \"text\": \"Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d.\"}\n");
    const char *json = run_score(input, false);
    const char *want[] = {"{\"doc\":\"a\",", "{\"doc\":\"b\",", "{\"doc\":\"c\",", "{\"doc\":\"d\","};
    const char *line = json;
    for (int i = 0; i < 4; i++) {
        const char *eol = strchr(line, '\n');
        assert_non_null(eol);
        assert_memory_equal(line, want[i], strlen(want[i]));
        char one[1024];
        snprintf(one, sizeof one, "%.*s", (int)(eol - line), line);
        bool russia = strstr(one, "\"actor\":\"RUS\"") != NULL;
        bool china = strstr(one, "\"actor\":\"CHN\"") != NULL;
        assert_int_equal(russia, i == 0);
        assert_int_equal(china, i == 2);
        if (i == 1 || i == 3)
            assert_non_null(strstr(one, "\"targets\":[]"));
        line = eol + 1;
    }
    assert_string_equal(line, "");
    const char *table = run_score(input, true);
    assert_non_null(strstr(table, "Nothing here."));
    assert_non_null(strstr(table, "China spoke."));
    assert_null(strstr(strstr(table, "Nothing here."), "RUS"));
    unlink(input);
    free(input);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_letters_unique),
        cmocka_unit_test(test_getopt_table),
        cmocka_unit_test(test_threads_arg),
        cmocka_unit_test(test_load_actors),
        cmocka_unit_test(test_score_worker_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
