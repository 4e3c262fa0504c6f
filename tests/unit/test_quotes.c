/* Quote pairing through dm_extract: marks of every kind, mangled and
 * unbalanced marks, single quotes and apostrophes, multi-paragraph quotes. */
#include "statements_fixture.h"

static void test_straight_marks(void **state)
{
    (void)state;
    const char *t = "\"We will respond,\" Lavrov said. \"The West is lying,\" he added.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 2);
    fx_assert_slice(t, fx_find(&l, "We will respond"), "We will respond");
    fx_assert_slice(t, fx_find(&l, "The West is lying"), "The West is lying");
    assert_int_equal(fx_n_warnings, 0);
    dm_statement_list_clear(&l);
}

static void test_mixed_typographic_marks(void **state)
{
    (void)state;
    const char *t = "“This is theft,” Lavrov said. Scholz said: „Wir bleiben.“ "
                    "Macron said: «Nous sommes prêts.»";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 3);
    fx_assert_slice(t, fx_find(&l, "This is theft"), "This is theft");
    fx_assert_slice(t, fx_find(&l, "Wir bleiben."), "Wir bleiben.");
    const dm_statement *m = fx_find(&l, "Nous sommes prêts.");
    fx_assert_slice(t, m, "Nous sommes prêts.");
    fx_assert_str(m->speaker, "Emmanuel Macron");
    dm_statement_list_clear(&l);
}

static void test_reversed_and_stray_marks(void **state)
{
    (void)state;
    /* a closing mark used as opener, and a stray mark between spaces */
    const char *t = "”We are ready,” the general said \" and left. "
                    "Then ”a grave mistake” was all he said.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 2);
    fx_assert_slice(t, fx_find(&l, "We are ready"), "We are ready");
    fx_assert_slice(t, fx_find(&l, "a grave mistake"), "a grave mistake");
    dm_statement_list_clear(&l);
}

static void test_doubled_apostrophe_marks(void **state)
{
    (void)state;
    /* '' used as a double quote */
    const char *t = "''We reject this,'' the ministry said.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 1);
    fx_assert_slice(t, fx_find(&l, "We reject this"), "We reject this");
    dm_statement_list_clear(&l);
}

static void test_unbalanced_opener_keeps_later_quotes(void **state)
{
    (void)state;
    const char *t = "The envoy called the plan \"a farce and walked out.\n"
                    "Officials said later: \"We will answer.\" "
                    "\"Nothing changes,\" Lavrov said.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 3);
    /* closed at its paragraph end */
    fx_assert_slice(t, fx_find(&l, "a farce and walked out."), "a farce and walked out.");
    fx_assert_str(fx_find(&l, "We will answer.")->speaker, "Officials");
    fx_assert_str(fx_find(&l, "Nothing changes")->speaker, "Sergei Lavrov");
    assert_int_equal(fx_n_warnings, 1);
    assert_non_null(strstr(fx_warnings, "doc1: unbalanced quote mark at byte 26"));
    dm_statement_list_clear(&l);
}

static void test_unbalanced_opener_inside_paragraph(void **state)
{
    (void)state;
    const char *t = "He said \"no. Later, \"We stay,\" Lavrov said.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 1);
    fx_assert_str(fx_find(&l, "We stay")->speaker, "Sergei Lavrov");
    assert_int_equal(fx_n_warnings, 1);
    dm_statement_list_clear(&l);
}

static void test_nested_single_quotes_and_apostrophes(void **state)
{
    (void)state;
    const char *t = "\"Russia's so-called 'peace plan' isn't a plan,\" Blinken's deputy said.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 1); /* the nested 'peace plan' is not a statement */
    const dm_statement *s = fx_find(&l, "Russia's so-called 'peace plan' isn't a plan");
    fx_assert_str(s->speaker, "Blinken's deputy");
    assert_true(fx_has_target(s, "RUS"));
    dm_statement_list_clear(&l);
}

static void test_single_quote_headline(void **state)
{
    (void)state;
    const char *t = "Lavrov: 'West is playing with fire'\n"
                    "The minister's remarks came late. Sanctions 'hurt', officials' aides said.";
    dm_statement_list l;
    fx_extract(t, &l);
    const dm_statement *s = fx_find(&l, "West is playing with fire");
    fx_assert_slice(t, s, "West is playing with fire");
    dm_statement_list_clear(&l);
}

static void test_multi_paragraph_quote(void **state)
{
    (void)state;
    const char *t = "Lavrov said: \"We warned them for years.\n\n"
                    "\"They did not listen. Now they will.\"\n"
                    "The talks ended.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 1);
    const dm_statement *s = fx_find(&l, "We warned them for years.\n"
                                        "They did not listen. Now they will.");
    fx_assert_slice(t, s, "We warned them for years.\n\n"
                          "\"They did not listen. Now they will.");
    assert_int_equal(s->kind, DM_KIND_DIRECT);
    fx_assert_str(s->speaker, "Sergei Lavrov");
    assert_int_equal(fx_n_warnings, 0);
    dm_statement_list_clear(&l);
}

static void test_label_quotes_are_no_statements(void **state)
{
    (void)state;
    const char *t = "A diplomat said the German \"no\" camp was small. Lavrov called the "
                    "plan \"unacceptable\" on Monday and said it \"rejects\" any claim. "
                    "Russia accused the United States of \"destroying\" arms control.";
    dm_statement_list l;
    fx_extract(t, &l);
    assert_int_equal(l.n, 3);
    fx_assert_str(fx_find(&l, "destroying")->speaker, "Russia");
    fx_assert_str(fx_find(&l, "unacceptable")->speaker, "Sergei Lavrov");
    fx_find(&l, "rejects");
    dm_statement_list_clear(&l);
}

static void test_no_quotes_and_only_quotes(void **state)
{
    (void)state;
    dm_statement_list l;
    fx_extract("The talks resumed in Geneva on Monday.", &l);
    assert_int_equal(l.n, 0);
    dm_statement_list_clear(&l);
    fx_extract("\"Yes.\" \"No.\" \"\" \"Maybe.\"", &l);
    assert_int_equal(l.n, 3);
    dm_statement_list_clear(&l);
    fx_extract("", &l);
    assert_int_equal(l.n, 0);
    dm_statement_list_clear(&l);
    fx_extract("\"", &l);
    assert_int_equal(l.n, 0);
    dm_statement_list_clear(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_straight_marks),
        cmocka_unit_test(test_mixed_typographic_marks),
        cmocka_unit_test(test_reversed_and_stray_marks),
        cmocka_unit_test(test_doubled_apostrophe_marks),
        cmocka_unit_test(test_unbalanced_opener_keeps_later_quotes),
        cmocka_unit_test(test_unbalanced_opener_inside_paragraph),
        cmocka_unit_test(test_nested_single_quotes_and_apostrophes),
        cmocka_unit_test(test_single_quote_headline),
        cmocka_unit_test(test_multi_paragraph_quote),
        cmocka_unit_test(test_label_quotes_are_no_statements),
        cmocka_unit_test(test_no_quotes_and_only_quotes),
    };
    return cmocka_run_group_tests(tests, fx_setup, fx_teardown);
}
