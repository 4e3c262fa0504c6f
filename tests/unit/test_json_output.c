/* The streaming statement encoder against jansson, a real JSON encoder and
 * parser: the same bytes for every Unicode scalar value and every byte
 * value in every string field, the same real-number formats, and output
 * that jansson parses back to the strings put in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/statement_json_internal.h"

#include <float.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A statement with every string field set to `s` and one scored target. */
static void fill(dm_statement_list *list, const char *s)
{
    dm_statement_list_clear(list);
    dm_statement *st = dm_statement_list_push(list);
    assert_non_null(st);
    st->n = 2;
    st->speaker = strdup(s);
    st->speaker_role = strdup(s);
    st->speaker_actor = strdup(s);
    st->cue = strdup(s);
    st->text = strdup(s);
    st->context = strdup(s);
    st->start = 7;
    st->end = 9;
    st->scored = true;
    st->hostility_level = 2;
    st->hostility_expected = 2.51234;
    assert_int_equal(dm_statement_add_target(st, s, s, true, 1, 2, 1, 2), DM_OK);
    st->targets[0].scored = true;
    st->targets[0].stance = DM_STANCE_FAVOR;
    st->targets[0].score = 0.25;
    st->targets[0].p[0] = 0.125;
    st->targets[0].p[1] = 0.5;
    st->targets[0].p[2] = 0.375;
}

/* Both encoders agree on `s` in every field; when s is valid, jansson
 * parses the output back to s. */
static void check_string(dm_statement_list *list, const char *s, bool valid)
{
    fill(list, s);
    const dm_statement *st = &list->v[0];
    int flags = DM_JSON_SCORES | DM_JSON_CONTEXT;
    char *fast = NULL, *tree = NULL;
    dm_error err;
    assert_int_equal(dm_statement_to_json(st, s, s, flags, &fast, &err), DM_OK);
    dm_status ts = dm_statement_to_json_tree_internal(st, s, s, flags, &tree, &err);
    if (ts == DM_OK) {
        if (strcmp(fast, tree) != 0)
            fail_msg("encoders differ on %zu bytes starting %02x:\n%s\n%s", strlen(s),
                     (unsigned char)s[0], fast, tree);
        free(tree);
    }
    if (valid) {
        json_error_t je;
        json_t *o = json_loads(fast, 0, &je);
        if (!o)
            fail_msg("jansson cannot parse the output: %s\n%s", je.text, fast);
        assert_string_equal(json_string_value(json_object_get(o, "text")), s);
        assert_string_equal(json_string_value(json_object_get(o, "doc")), s);
        json_t *t = json_array_get(json_object_get(o, "targets"), 0);
        assert_string_equal(json_string_value(json_object_get(t, "mention")), s);
        json_decref(o);
    }
    free(fast);
}

static size_t put_utf8(char *p, uint32_t c)
{
    if (c < 0x80) {
        p[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        p[0] = (char)(0xC0 | c >> 6);
        p[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        p[0] = (char)(0xE0 | c >> 12);
        p[1] = (char)(0x80 | (c >> 6 & 0x3F));
        p[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    p[0] = (char)(0xF0 | c >> 18);
    p[1] = (char)(0x80 | (c >> 12 & 0x3F));
    p[2] = (char)(0x80 | (c >> 6 & 0x3F));
    p[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static void test_every_byte_value(void **state)
{
    (void)state;
    dm_statement_list list;
    dm_statement_list_init(&list);
    char s[8];
    for (int b = 1; b < 256; b++) {
        /* alone, and between letters */
        s[0] = (char)b;
        s[1] = '\0';
        check_string(&list, s, b < 0x80);
        snprintf(s, sizeof s, "a%cz", b);
        check_string(&list, s, b < 0x80);
        /* at every place of a text long enough for the writer's
         * eight-bytes-at-a-time path, whose words it falls in or between */
        for (size_t at = 0; at < 19; at++) {
            char t[20];
            memcpy(t, "abcdefghijklmnopqrs", 20);
            t[at] = (char)b;
            check_string(&list, t, b < 0x80);
        }
    }
    /* Ill-formed sequences: truncated, overlong, surrogate, beyond U+10FFFF. */
    static const char *const BAD[] = {"\xC2", "a\xE2\x82", "\xC0\xAF", "\xE0\x80\xAF",
                                      "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80",
                                      "ok\xFF", "\x80" "abc"};
    for (size_t i = 0; i < sizeof BAD / sizeof *BAD; i++)
        check_string(&list, BAD[i], false);
    dm_statement_list_clear(&list);
}

/* Lines shorter and longer than the writer's first allocation (sized from
 * the text, the context and the targets): around its edges, and escapes
 * and targets that make the line outgrow it. */
static void test_long_lines(void **state)
{
    (void)state;
    dm_statement_list list;
    dm_statement_list_init(&list);
    static const size_t LENGTHS[] = {0, 100, 255, 256, 511, 512, 513, 1500, 4097};
    char *s = malloc(4098);
    assert_non_null(s);
    for (size_t i = 0; i < sizeof LENGTHS / sizeof *LENGTHS; i++) {
        memset(s, 'a', LENGTHS[i]);
        s[LENGTHS[i]] = '\0';
        check_string(&list, s, true);
        memset(s, 0x01, LENGTHS[i]); /* six bytes out for each */
        check_string(&list, s, true);
    }
    /* 40 targets of long names on a short text */
    memset(s, 'b', 300);
    s[300] = '\0';
    fill(&list, "x");
    dm_statement *st = &list.v[0];
    for (int k = 0; k < 40; k++)
        assert_int_equal(dm_statement_add_target(st, s, s, true, 0, 1, 0, 1), DM_OK);
    char *fast = NULL, *tree = NULL;
    dm_error err;
    int flags = DM_JSON_SCORES | DM_JSON_CONTEXT;
    assert_int_equal(dm_statement_to_json(st, "d", "2020", flags, &fast, &err), DM_OK);
    assert_int_equal(dm_statement_to_json_tree_internal(st, "d", "2020", flags, &tree, &err),
                     DM_OK);
    assert_true(strlen(fast) > 40 * 600);
    assert_string_equal(fast, tree);
    free(fast);
    free(tree);
    free(s);
    dm_statement_list_clear(&list);
}

static void test_every_scalar_value(void **state)
{
    (void)state;
    dm_statement_list list;
    dm_statement_list_init(&list);
    /* 4096 scalar values a statement: all of U+0001..U+10FFFF but surrogates. */
    char *s = malloc(4096 * 4 + 1);
    assert_non_null(s);
    for (uint32_t first = 1; first <= 0x10FFFF; first += 4096) {
        size_t n = 0;
        for (uint32_t c = first; c < first + 4096 && c <= 0x10FFFF; c++)
            if (c < 0xD800 || c > 0xDFFF)
                n += put_utf8(s + n, c);
        s[n] = '\0';
        if (n)
            check_string(&list, s, true);
    }
    free(s);
    dm_statement_list_clear(&list);
}

static void check_real(double x)
{
    char mine[64];
    assert_true(dm_json_format_real_internal(x, mine, sizeof mine) > 0);
    json_t *r = json_real(x);
    char *theirs = json_dumps(r, JSON_ENCODE_ANY | JSON_REAL_PRECISION(6));
    json_decref(r);
    assert_non_null(theirs);
    if (strcmp(mine, theirs) != 0)
        fail_msg("%.17g: %s, jansson %s", x, mine, theirs);
    free(theirs);
}

static void test_reals_as_jansson(void **state)
{
    (void)state;
    /* Every score as printed (rounded to 4 decimals, |x| < 10: the fast
     * path), then its neighbours and other values (printf's path). */
    for (int k = -100000; k <= 100000; k++) {
        check_real(k / 10000.0);
        check_real(nextafter(k / 10000.0, 1e9));
    }
    for (int k = 0; k < 2000; k++)
        check_real((k - 1000) * 0.1234567);
    static const double SPECIAL[] = {0.0, -0.0, 1.0, -1.0, 1e-5, 5e-5, 1.5e-7, 1e21, 123456.0,
                                     1234567.0, 1e300, -1e-300, DBL_MAX, DBL_MIN, 5e-324,
                                     0.1 + 0.2, 2.0 / 3.0, 100.0, 1e6};
    for (size_t i = 0; i < sizeof SPECIAL / sizeof *SPECIAL; i++)
        check_real(SPECIAL[i]);
    char small[4];
    assert_int_equal(dm_json_format_real_internal(0.123456, small, sizeof small), -1);
}

static void test_scores_and_absent_fields(void **state)
{
    (void)state;
    dm_statement_list list;
    dm_statement_list_init(&list);
    dm_statement *st = dm_statement_list_push(&list);
    assert_non_null(st);
    st->text = strdup("x");
    st->scored = true;
    st->hostility_expected = NAN; /* printed as null by both */
    assert_int_equal(dm_statement_add_target(st, "USA", NULL, false, 0, 0, 0, 0), DM_OK);
    for (int flags = 0; flags < 4; flags++) {
        char *fast = NULL, *tree = NULL;
        dm_error err;
        assert_int_equal(dm_statement_to_json(st, NULL, NULL, flags, &fast, &err), DM_OK);
        assert_int_equal(dm_statement_to_json_tree_internal(st, NULL, NULL, flags, &tree, &err),
                         DM_OK);
        assert_string_equal(fast, tree);
        free(fast);
        free(tree);
    }
    char *json = NULL;
    dm_error err;
    assert_int_equal(dm_statement_to_json_tree_internal(NULL, "d", NULL, 0, &json, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_statement_to_json(st, "d", NULL, 0, NULL, &err), DM_E_INVALID_ARG);
    dm_statement_list_clear(&list);
}

/* The streaming encoder checks UTF-8 while it writes and hands the whole
 * statement to jansson when a field is ill-formed: one bad field at a time
 * (in each place, at each end and in the middle of a long string), with and
 * without the context, must give jansson's bytes; the context, not printed
 * without DM_JSON_CONTEXT, must not matter then. */
static void test_one_bad_field(void **state)
{
    (void)state;
    dm_statement_list list;
    dm_statement_list_init(&list);
    static const char *const BAD[] = {"\xED\xA0\x80 after", "before \xC0\xAF",
                                      "a long \"quoted\"\n line \xE2\x82 \xE2\x82\xAC end"};
    for (size_t b = 0; b < sizeof BAD / sizeof *BAD; b++)
        for (int field = 0; field < 9; field++)
            for (int with_context = 0; with_context < 2; with_context++) {
                int flags = DM_JSON_SCORES | (with_context ? DM_JSON_CONTEXT : 0);
                fill(&list, "Good \xC3\xA9t\xC3\xA9");
                dm_statement *st = &list.v[0];
                char **slot[] = {&st->speaker, &st->speaker_role, &st->speaker_actor, &st->cue,
                                 &st->text, &st->context, &st->targets[0].actor,
                                 &st->targets[0].mention, NULL};
                const char *doc = field == 8 ? BAD[b] : "doc";
                if (slot[field]) {
                    free(*slot[field]);
                    *slot[field] = strdup(BAD[b]);
                }
                char *fast = NULL, *tree = NULL;
                dm_error err;
                assert_int_equal(dm_statement_to_json(st, doc, "2020", flags, &fast, &err), DM_OK);
                assert_int_equal(dm_statement_to_json_tree_internal(st, doc, "2020", flags, &tree,
                                                                    &err),
                                 DM_OK);
                if (strcmp(fast, tree) != 0)
                    fail_msg("field %d, flags %d: encoders differ:\n%s\n%s", field, flags, fast,
                             tree);
                /* the ill-formed bytes never reach the output */
                assert_null(strstr(fast, "\xED\xA0"));
                assert_null(strstr(fast, "\xC0"));
                assert_null(strstr(fast, "\xE2\x82 "));
                free(fast);
                free(tree);
            }
    dm_statement_list_clear(&list);
}

/* dm_statement_to_json_append writes the same bytes as dm_statement_to_json
 * after what the buffer holds, a '\n' when asked: into a buffer too small
 * (grown), one reused line after line, and with an ill-formed field, where
 * jansson's bytes replace the writer's from the line's start, not the
 * buffer's. Bad arguments leave the buffer as it was. */
static void test_append_to_buffer(void **state)
{
    (void)state;
    dm_statement_list list;
    dm_statement_list_init(&list);
    const char *const texts[] = {"Plain \"quoted\" text.", "bad \xC0\xAF byte",
                                 "caf\xC3\xA9 \xE2\x80\x9Cquote\xE2\x80\x9D"};
    char *buf = malloc(4);
    assert_non_null(buf);
    memcpy(buf, "ab", 3);
    size_t len = 2, cap = 4;
    char *want = strdup("ab");
    assert_non_null(want);
    dm_error err;
    for (int round = 0; round < 3; round++)
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            fill(&list, texts[k]);
            char *one = NULL;
            int flags = DM_JSON_SCORES | (round ? DM_JSON_CONTEXT : 0);
            assert_int_equal(dm_statement_to_json(&list.v[0], "d", "2020", flags, &one, &err),
                             DM_OK);
            bool newline = round != 1;
            assert_int_equal(dm_statement_to_json_append(&list.v[0], "d", "2020", flags, newline,
                                                         &buf, &len, &cap, &err),
                             DM_OK);
            size_t wl = strlen(want);
            char *grown = realloc(want, wl + strlen(one) + 2);
            assert_non_null(grown);
            want = grown;
            strcat(want, one);
            if (newline)
                strcat(want, "\n");
            free(one);
            assert_int_equal(len, strlen(want));
            assert_true(cap > len);
            assert_memory_equal(buf, want, len + 1); /* and NUL-terminated */
        }
    size_t before = len;
    assert_int_equal(dm_statement_to_json_append(NULL, "d", NULL, 0, true, &buf, &len, &cap, &err),
                     DM_E_INVALID_ARG);
    size_t big = cap + 1;
    assert_int_equal(dm_statement_to_json_append(&list.v[0], "d", NULL, 0, true, &buf, &big,
                                                 &cap, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(len, before);
    assert_memory_equal(buf, want, len + 1);
    /* from nothing: a new buffer */
    char *fresh = NULL;
    size_t flen = 0, fcap = 0;
    assert_int_equal(dm_statement_to_json_append(&list.v[0], NULL, NULL, 0, false, &fresh, &flen,
                                                 &fcap, &err),
                     DM_OK);
    char *one = NULL;
    assert_int_equal(dm_statement_to_json(&list.v[0], NULL, NULL, 0, &one, &err), DM_OK);
    assert_string_equal(fresh, one);
    assert_int_equal(flen, strlen(one));
    free(one);
    free(fresh);
    free(want);
    free(buf);
    dm_statement_list_clear(&list);
}

/* The same bytes as jansson's for st as it is, with and without scores. */
static void check_statement(const dm_statement *st)
{
    for (int flags = 0; flags < 4; flags++) {
        char *fast = NULL, *tree = NULL;
        dm_error err;
        assert_int_equal(dm_statement_to_json(st, "d", "2020", flags, &fast, &err), DM_OK);
        assert_int_equal(dm_statement_to_json_tree_internal(st, "d", "2020", flags, &tree, &err),
                         DM_OK);
        if (strcmp(fast, tree) != 0)
            fail_msg("encoders differ:\n%s\n%s", fast, tree);
        free(fast);
        free(tree);
    }
}

/* Every string of every length up to 40, and one special byte (escaped,
 * the start of a multi-byte sequence, ill-formed) at each of its places:
 * the writer copies words of eight bytes, and the last bytes of a string
 * as its last word when that word is plain, writing some bytes twice. */
static void test_every_length_and_place(void **state)
{
    (void)state;
    dm_statement_list list;
    dm_statement_list_init(&list);
    static const char *const SPECIAL[] = {"\"", "\\", "\n", "\x1f", "\x7f", "\xC3\xA9",
                                          "\xE2\x80\x9C", "\xF0\x9F\x98\x80", "\xFF"};
    char s[64];
    for (size_t n = 0; n <= 40; n++) {
        for (size_t i = 0; i < n; i++)
            s[i] = (char)('a' + i % 26);
        s[n] = '\0';
        check_string(&list, s, true);
        for (size_t k = 0; k < sizeof SPECIAL / sizeof *SPECIAL; k++)
            for (size_t at = 0; at <= n; at++) {
                size_t m = strlen(SPECIAL[k]);
                for (size_t i = 0; i < n; i++)
                    s[i] = (char)('A' + i % 26);
                memmove(s + at + m, s + at, n - at);
                memcpy(s + at, SPECIAL[k], m);
                s[n + m] = '\0';
                check_string(&list, s, SPECIAL[k][0] != '\xFF');
            }
    }
    dm_statement_list_clear(&list);
}

/* Every attribution, kind and stance name (and past the last one) written
 * between the literal quotes as jansson writes it; integers at each number
 * of digits; the scores rounded as jansson prints them. */
static void test_names_numbers_scores(void **state)
{
    (void)state;
    dm_statement_list list;
    dm_statement_list_init(&list);
    fill(&list, "x");
    dm_statement *st = &list.v[0];
    for (int a = 0; a <= DM_ATTR_RANKED + 1; a++)
        for (int k = 0; k <= DM_KIND_GIVEN + 1; k++)
            for (int s = 0; s <= DM_STANCE_FAVOR + 1; s++) {
                st->attribution = (dm_attribution_kind)a;
                st->kind = (dm_statement_kind)k;
                st->targets[0].stance = (dm_stance)s;
                check_statement(st);
            }
    static const long long INTS[] = {0, 1, 9, 10, 11, 99, 100, 999, 1000, 65535, 1000000,
                                     2147483647, 4294967296LL, 999999999999999999LL,
                                     1000000000000000000LL, 9223372036854775807LL};
    for (size_t i = 0; i < sizeof INTS / sizeof *INTS; i++)
        for (int sign = 1; sign >= -1; sign -= 2) {
            long long v = INTS[i] * sign;
            st->n = (int)(v > 2147483647 ? 2147483647 : v < -2147483647 ? -2147483647 : v);
            st->hostility_level = -st->n;
            st->start = (size_t)v;
            st->end = (size_t)v + 1;
            st->targets[0].start = (size_t)v;
            st->targets[0].end = (size_t)v;
            check_statement(st);
        }
    st->start = (size_t)INT64_MIN;
    check_statement(st);
    st->start = 7;
    st->targets[0].has_span = false;
    check_statement(st);
    st->targets[0].has_span = true;
    for (int k = -100100; k <= 100100; k += 1 + (k > -99000 && k < 99000 ? 6 : 0)) {
        double x = k / 10000.0;
        st->hostility_expected = x;
        st->targets[0].score = nextafter(x, 1e9);
        st->targets[0].p[0] = nextafter(x, -1e9);
        st->targets[0].p[1] = x + 0.00005;
        st->targets[0].p[2] = x - 0.00005;
        check_statement(st);
    }
    /* (Not x * 10^4 beyond DBL_MAX: both writers print "inf.0" there, where
     * jansson leaves the key out; no score comes near.) */
    static const double ODD[] = {0.0, -0.0, -0.00004, 0.00004, -0.00005, 0.00005, 9.99995,
                                 -9.99995, 10.0, 1e21, -1e300, INFINITY, -INFINITY,
                                 NAN, DBL_MIN, 5e-324};
    for (size_t i = 0; i < sizeof ODD / sizeof *ODD; i++) {
        st->hostility_expected = ODD[i];
        for (int j = 0; j < 3; j++)
            st->targets[0].p[j] = ODD[(i + (size_t)j + 1) % (sizeof ODD / sizeof *ODD)];
        st->targets[0].score = -ODD[i];
        check_statement(st);
    }
    dm_statement_list_clear(&list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte_value),
        cmocka_unit_test(test_every_scalar_value),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_one_bad_field),
        cmocka_unit_test(test_append_to_buffer),
        cmocka_unit_test(test_reals_as_jansson),
        cmocka_unit_test(test_scores_and_absent_fields),
        cmocka_unit_test(test_every_length_and_place),
        cmocka_unit_test(test_names_numbers_scores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
