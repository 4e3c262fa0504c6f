/* Tests of the text layer: normalisation and its offset map, paragraphs,
 * tokens, case folding, invalid arguments (sentences: test_text_sentences.c). */
#include "text_test_helpers.h"
#include "text/utf8_internal.h"
#include "text/text_internal.h"

static void test_example_normalised_and_mapped(void **state)
{
    dm_text *t = make_str(EXAMPLE);
    const char *norm = "' \"We will not accept this,\" the minister said. "
                       "Britain's envoy called it \"a grave provocation.\" '";
    assert_string_equal(dm_text_norm(t), norm);
    assert_int_equal(dm_text_norm_len(t), strlen(norm));
    assert_int_equal(dm_text_invalid_utf8(t), 0);

    /* Every quote byte maps back to the mark the writer typed. */
    assert_original_of(t, 0, 1, "\xE2\x80\x99");
    assert_int_equal(dm_text_quote_hint(t, 0), DM_QUOTE_HINT_CLOSE);
    size_t we = find(t, "\"We");
    assert_original_of(t, we, we + 1, "\xE2\x80\x9D");
    assert_int_equal(dm_text_quote_hint(t, we), DM_QUOTE_HINT_CLOSE);
    size_t apos = find(t, "'s envoy");
    assert_original_of(t, apos, apos + 1, "\xE2\x80\x99\xE2\x80\x99");
    assert_int_equal(dm_text_quote_hint(t, apos), DM_QUOTE_HINT_CLOSE);
    assert_int_equal(dm_text_quote_hint(t, apos + 1), DM_QUOTE_HINT_NONE);
    size_t last = dm_text_norm_len(t) - 1;
    assert_original_of(t, last, last + 1, "\xE2\x80\x99");

    /* Spans print as in the original, with the original spacing. */
    size_t the = find(t, "the minister said.");
    assert_original_of(t, the, the + strlen("the minister said."),
                       "the   minister said.");
    size_t quote = find(t, "\"a grave provocation.\"");
    assert_original_of(t, quote, quote + strlen("\"a grave provocation.\""),
                       "\xE2\x80\x9D" "a   grave provocation.\xE2\x80\x9D");
    size_t brit = find(t, "Britain's");
    assert_original_of(t, brit, brit + strlen("Britain's"),
                       "Britain\xE2\x80\x99\xE2\x80\x99s");
    /* And back: original byte spans to normalised ones. */
    const char *orig_the = strstr(EXAMPLE, "the   minister");
    size_t os = (size_t)(orig_the - EXAMPLE);
    dm_span back = dm_text_norm_span(t, os, os + strlen("the   minister"));
    assert_int_equal(back.start, the);
    assert_int_equal(back.end, the + strlen("the minister"));
    back = dm_text_norm_span(t, os + 3, os + 5);        /* inside the run */
    assert_int_equal(back.start, the + 3);
    assert_int_equal(back.end, the + 4);
    back = dm_text_norm_span(t, 0, 3);                  /* the first ’ */
    assert_int_equal(back.start, 0);
    assert_int_equal(back.end, 1);
    back = dm_text_norm_span(t, 0, 10000);
    assert_int_equal(back.end, dm_text_norm_len(t));
    /* The whole text: nothing was trimmed at the ends here. */
    assert_original_of(t, 0, dm_text_norm_len(t), EXAMPLE);
    assert_int_equal(dm_text_orig_start(t, dm_text_norm_len(t)), strlen(EXAMPLE));
    dm_text_destroy(&t);
    assert_null(t);
}

typedef struct quote_case {
    const char *mark;
    char canonical;
    dm_quote_hint hint;
} quote_case;

static const quote_case QUOTES[] = {
    {"\"", '"', DM_QUOTE_HINT_AMBIGUOUS},
    {"\xE2\x80\x9C", '"', DM_QUOTE_HINT_OPEN},         /* “ */
    {"\xE2\x80\x9D", '"', DM_QUOTE_HINT_CLOSE},        /* ” */
    {"\xE2\x80\x9E", '"', DM_QUOTE_HINT_OPEN},         /* „ */
    {"\xE2\x80\x9F", '"', DM_QUOTE_HINT_OPEN},         /* ‟ */
    {"\xC2\xAB", '"', DM_QUOTE_HINT_OPEN},             /* « */
    {"\xC2\xBB", '"', DM_QUOTE_HINT_CLOSE},            /* » */
    {"\xE2\x80\xB3", '"', DM_QUOTE_HINT_AMBIGUOUS},    /* ″ */
    {"\xE3\x80\x9D", '"', DM_QUOTE_HINT_OPEN},         /* 〝 */
    {"\xE3\x80\x9E", '"', DM_QUOTE_HINT_CLOSE},        /* 〞 */
    {"\xEF\xBC\x82", '"', DM_QUOTE_HINT_AMBIGUOUS},    /* ＂ */
    {"''", '"', DM_QUOTE_HINT_AMBIGUOUS},
    {"\xE2\x80\x99\xE2\x80\x99", '"', DM_QUOTE_HINT_CLOSE},
    {"'", '\'', DM_QUOTE_HINT_AMBIGUOUS},
    {"\xE2\x80\x98", '\'', DM_QUOTE_HINT_OPEN},        /* ‘ */
    {"\xE2\x80\x99", '\'', DM_QUOTE_HINT_CLOSE},       /* ’ */
    {"\xE2\x80\x9A", '\'', DM_QUOTE_HINT_OPEN},        /* ‚ */
    {"\xE2\x80\x9B", '\'', DM_QUOTE_HINT_OPEN},        /* ‛ */
    {"\xE2\x80\xB2", '\'', DM_QUOTE_HINT_AMBIGUOUS},   /* ′ */
    {"\xE2\x80\xB9", '\'', DM_QUOTE_HINT_OPEN},        /* ‹ */
    {"\xE2\x80\xBA", '\'', DM_QUOTE_HINT_CLOSE},       /* › */
    {"`", '\'', DM_QUOTE_HINT_AMBIGUOUS},
    {"\xC2\xB4", '\'', DM_QUOTE_HINT_AMBIGUOUS},       /* ´ */
};

static void test_every_quote_variant_maps_back(void **state)
{
    for (size_t i = 0; i < sizeof QUOTES / sizeof *QUOTES; i++) {
        char in[64], expected[8];
        snprintf(in, sizeof in, "said %sno%s.", QUOTES[i].mark, QUOTES[i].mark);
        snprintf(expected, sizeof expected, "%cno%c.", QUOTES[i].canonical,
                 QUOTES[i].canonical);
        dm_text *t = make_str(in);
        const char *norm = dm_text_norm(t);
        assert_int_equal(strncmp(norm, "said ", 5), 0);
        assert_string_equal(norm + 5, expected);
        /* The opening mark and the closing mark each print the original. */
        assert_original_of(t, 5, 6, QUOTES[i].mark);
        assert_original_of(t, 8, 9, QUOTES[i].mark);
        assert_int_equal(dm_text_quote_hint(t, 5), QUOTES[i].hint);
        assert_int_equal(dm_text_quote_hint(t, 6), DM_QUOTE_HINT_NONE);
        char quoted[32];
        snprintf(quoted, sizeof quoted, "%sno%s", QUOTES[i].mark,
                 QUOTES[i].mark);
        assert_original_of(t, 5, dm_text_norm_len(t) - 1, quoted);
        dm_text_destroy(&t);
    }
}

static void test_doubled_apostrophe(void **state)
{
    dm_text *t = make_str("Britain\xE2\x80\x99\xE2\x80\x99s envoy, the "
                          "EU''s envoy and ''Quoted,'' he said "
                          "\xE2\x80\x99\xE2\x80\x99Yes\xE2\x80\x99\xE2\x80\x99.");
    assert_string_equal(dm_text_norm(t), "Britain's envoy, the EU's envoy and "
                        "\"Quoted,\" he said \"Yes\".");
    size_t q = find(t, "\"Quoted");
    assert_original_of(t, q, q + 1, "''");
    size_t yes = find(t, "\"Yes");
    assert_original_of(t, yes, yes + 5,
                       "\xE2\x80\x99\xE2\x80\x99Yes\xE2\x80\x99\xE2\x80\x99");
    dm_text_destroy(&t);
}

static void test_nbsp_and_whitespace_runs(void **state)
{
    dm_text *t = make_str("  \t a\xC2\xA0\xC2\xA0" "b \xE2\x80\xAF c\t\t d   ");
    assert_string_equal(dm_text_norm(t), "a b c d");
    assert_int_equal(dm_text_orig_start(t, 0), 4);
    assert_original_of(t, 1, 2, "\xC2\xA0\xC2\xA0");
    assert_original_of(t, 0, 3, "a\xC2\xA0\xC2\xA0" "b");
    assert_original_of(t, 4, 5, "c");
    assert_original_of(t, 0, 7, "a\xC2\xA0\xC2\xA0" "b \xE2\x80\xAF c\t\t d");
    assert_int_equal(dm_text_orig_end(t, 0), 4);
    dm_text_destroy(&t);
}

static void test_paragraphs(void **state)
{
    dm_text *t = make_str("\r\n First one. \r\n\r\n  \t Second\xE2\x80\xA9Third"
                          "\n \n\nFourth\n\n");
    assert_string_equal(dm_text_norm(t), "First one.\nSecond\nThird\nFourth");
    dm_span *p = NULL;
    size_t n = 0;
    dm_error err;
    assert_int_equal(dm_text_paragraphs(t, &p, &n, &err), DM_OK);
    assert_int_equal(n, 4);
    assert_int_equal(p[0].start, 0);
    assert_int_equal(p[0].end, 10);
    assert_int_equal(p[1].start, 11);
    assert_int_equal(p[1].end, 17);
    assert_int_equal(p[3].end, dm_text_norm_len(t));
    size_t nl = 10;
    assert_original_of(t, nl, nl + 1, " \r\n\r\n  \t ");
    free(p);
    dm_text_destroy(&t);
}

static void test_join_wrapped_lines_option(void **state)
{
    const char *in = "We are\nhere, in the\r\nAssembly, at 10\r\nam.\nThe end"
                     "\n\nof it\nIntroduction.\nThe";
    dm_text *t = make_str(in);
    assert_string_equal(dm_text_norm(t), "We are\nhere, in the\nAssembly, at "
                        "10\nam.\nThe end\nof it\nIntroduction.\nThe");
    dm_text_destroy(&t);
    dm_error err;
    assert_int_equal(dm_text_create_with(in, strlen(in),
                                         DM_TEXT_JOIN_WRAPPED_LINES, &t, &err),
                     DM_OK);
    assert_string_equal(dm_text_norm(t), "We are here, in the Assembly, at "
                        "10 am.\nThe end\nof it Introduction.\nThe");
    size_t am = find(t, " am.");
    assert_original_of(t, am, am + 1, "\r\n");
    dm_text_destroy(&t);
    assert_int_equal(dm_text_create_with("x", 1, 0, NULL, &err),
                     DM_E_INVALID_ARG);
}

static void test_invalid_utf8(void **state)
{
    const char in[] = "ab\xFF" "cd\xC3 e\xE2\x80" "f\xC3";
    dm_text *t = make(in, sizeof in - 1);
    assert_int_equal(dm_text_invalid_utf8(t), 4);
    assert_string_equal(dm_text_norm(t), "ab\xEF\xBF\xBD" "cd\xEF\xBF\xBD e"
                        "\xEF\xBF\xBD" "f\xEF\xBF\xBD");
    assert_original_of(t, 2, 5, "\xFF");
    assert_original_of(t, 5, 7, "cd");
    size_t f = find(t, "f");
    assert_original_of(t, f, f + 1, "f");
    dm_text_destroy(&t);
}

static void test_empty_and_invisible_input(void **state)
{
    dm_text *t = make(NULL, 0);
    assert_string_equal(dm_text_norm(t), "");
    assert_int_equal(dm_text_norm_len(t), 0);
    assert_int_equal(dm_text_orig_start(t, 0), 0);
    assert_int_equal(dm_text_orig_end(t, 0), 0);
    dm_span *s = (dm_span *)1;
    size_t n = 99;
    assert_int_equal(dm_text_sentences(t, &s, &n, NULL), DM_OK);
    assert_int_equal(n, 0);
    free(s);
    assert_int_equal(dm_text_paragraphs(t, &s, &n, NULL), DM_OK);
    assert_int_equal(n, 0);
    free(s);
    dm_text_destroy(&t);

    t = make_str(" \n\t\xC2\xA0\xEF\xBB\xBF ");
    assert_int_equal(dm_text_norm_len(t), 0);
    dm_text_destroy(&t);
}

static void test_dropped_and_nfkc(void **state)
{
    dm_text *t = make_str("\xEF\xBB\xBF" "co\xC2\xAD" "operate\xE2\x80\x8B now "
                          "\xEF\xAC\x81ne e\xCC\x81t\xC3\xA9 wait\xE2\x80\xA6 "
                          "x\x01y");
    assert_string_equal(dm_text_norm(t), "cooperate now fine \xC3\xA9t\xC3\xA9 "
                        "wait... xy");
    assert_int_equal(dm_text_orig_start(t, 0), 3);
    assert_original_of(t, 0, 9, "co\xC2\xAD" "operate");
    size_t fi = find(t, "fine");
    assert_original_of(t, fi, fi + 1, "\xEF\xAC\x81");
    assert_original_of(t, fi + 1, fi + 2, "\xEF\xAC\x81");
    assert_original_of(t, fi, fi + 4, "\xEF\xAC\x81ne");
    size_t e = find(t, "\xC3\xA9t");
    assert_original_of(t, e, e + 2, "e\xCC\x81");
    size_t dots = find(t, "...");
    assert_original_of(t, dots, dots + 3, "\xE2\x80\xA6");
    dm_text_destroy(&t);

    /* NFKC output goes through the same mapping: U+2034 is three primes,
     * fullwidth letters become ASCII. */
    t = make_str("5\xE2\x80\xB4 \xEF\xBC\xA1\xEF\xBC\xA2");
    assert_string_equal(dm_text_norm(t), "5''' AB");
    assert_int_equal(dm_text_quote_hint(t, 1), DM_QUOTE_HINT_AMBIGUOUS);
    assert_original_of(t, 5, 6, "\xEF\xBC\xA1");
    dm_text_destroy(&t);
}

/* Runs of plain ASCII are copied in a tight loop: each byte must still map
 * to itself, a run must stop before a byte that starts a combining sequence
 * ("abcde" + U+0301: the 'e' joins the accent's chunk), and quotes, spaces
 * and dropped controls inside a run keep their own treatment. */
static void test_ascii_runs_mapped(void **state)
{
    (void)state;
    dm_text *t = make_str("abcde\xCC\x81" "fgh ij\x01kl 'mn'  op\"q\"r");
    assert_string_equal(dm_text_norm(t), "abcd\xC3\xA9" "fgh ijkl 'mn' op\"q\"r");
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(dm_text_orig_start(t, i), i);
        assert_int_equal(dm_text_orig_end(t, i + 1), i + 1);
    }
    assert_original_of(t, 4, 6, "e\xCC\x81");
    assert_original_of(t, 6, 7, "f");
    size_t j = find(t, "ijkl");
    assert_original_of(t, j, j + 2, "ij");
    assert_original_of(t, j + 2, j + 3, "k");
    assert_original_of(t, j, j + 4, "ij\x01kl");
    size_t m = find(t, "'mn'");
    assert_original_of(t, m, m + 4, "'mn'");
    assert_int_equal(dm_text_quote_hint(t, m), DM_QUOTE_HINT_AMBIGUOUS);
    assert_int_equal(dm_text_quote_hint(t, m + 1), DM_QUOTE_HINT_NONE);
    size_t o = find(t, "op");
    assert_original_of(t, o - 1, o, "  ");
    assert_original_of(t, o, dm_text_norm_len(t), "op\"q\"r");
    assert_int_equal(dm_text_orig_end(t, dm_text_norm_len(t)), strlen(dm_text_original(t)));
    dm_text_destroy(&t);
}

static const dm_token *token_at(const dm_tokens *tk, const char *s,
                                const char *text)
{
    for (size_t i = 0; i < tk->n; i++)
        if (tk->v[i].end - tk->v[i].start == strlen(text) &&
            memcmp(s + tk->v[i].start, text, strlen(text)) == 0)
            return &tk->v[i];
    fail_msg("no token '%s'", text);
    return NULL;
}

/* The tokens of s are exactly the strings want[0..n). */
static void assert_tokens(const dm_tokens *tk, const char *s,
                          const char *const *want, size_t n)
{
    assert_int_equal(tk->n, n);
    for (size_t i = 0; i < tk->n; i++) {
        char got[64];
        snprintf(got, sizeof got, "%.*s", (int)(tk->v[i].end - tk->v[i].start),
                 s + tk->v[i].start);
        assert_string_equal(got, want[i]);
    }
}

static void test_tokens_and_folding(void **state)
{
    const char *s = "Britain's envoy didn't say \"STRASSE\", Stra\xC3\x9F" "e: "
                    "1,000.5 well-known ?! \xC3\x89lys\xC3\xA9" "e";
    dm_tokens tk;
    dm_error err;
    assert_int_equal(dm_tokenize(s, strlen(s), &tk, &err), DM_OK);
    const char *want[] = {"Britain's", "envoy", "didn't", "say", "\"", "STRASSE",
                          "\"", ",", "Stra\xC3\x9F" "e", ":", "1,000.5", "well",
                          "-", "known", "?", "!", "\xC3\x89lys\xC3\xA9" "e"};
    assert_tokens(&tk, s, want, sizeof want / sizeof *want);
    const dm_token *brit = token_at(&tk, s, "Britain's");
    assert_int_equal(brit->kind, DM_TOKEN_WORD);
    assert_true(brit->capitalized);
    assert_string_equal(brit->folded, "britain's");
    const dm_token *upper = token_at(&tk, s, "STRASSE");
    const dm_token *eszett = token_at(&tk, s, "Stra\xC3\x9F" "e");
    assert_string_equal(upper->folded, "strasse");
    assert_string_equal(eszett->folded, upper->folded);
    assert_true(eszett->capitalized);
    assert_false(token_at(&tk, s, "envoy")->capitalized);
    assert_int_equal(token_at(&tk, s, "1,000.5")->kind, DM_TOKEN_NUMBER);
    assert_int_equal(token_at(&tk, s, "?")->kind, DM_TOKEN_PUNCT);
    assert_int_equal(token_at(&tk, s, "\"")->kind, DM_TOKEN_PUNCT);
    const dm_token *elysee = token_at(&tk, s, "\xC3\x89lys\xC3\xA9" "e");
    assert_string_equal(elysee->folded, "\xC3\xA9lys\xC3\xA9" "e");
    assert_true(elysee->capitalized);
    dm_tokens_free(&tk);
    assert_null(tk.v);
    assert_int_equal(tk.n, 0);

    assert_int_equal(dm_tokenize("", 0, &tk, &err), DM_OK);
    assert_int_equal(tk.n, 0);
    dm_tokens_free(&tk);
    assert_int_equal(dm_tokenize("  \n ", 4, &tk, &err), DM_OK);
    assert_int_equal(tk.n, 0);
    dm_tokens_free(&tk);

    char *folded = NULL;
    assert_int_equal(dm_casefold("Stra\xC3\x9F" "E \xCE\xA3", 10, &folded, &err),
                     DM_OK);
    assert_string_equal(folded, "strasse \xCF\x83");
    free(folded);
    assert_int_equal(dm_casefold("", 0, &folded, &err), DM_OK);
    assert_string_equal(folded, "");
    free(folded);
}

/* Offsets through ICU's UTF-16 copy of the text (break_cache.c): letters
 * of two, three and four bytes (a surrogate pair in UTF-16), an emoji
 * between words; ill-formed UTF-8 goes through UText instead. */
static void test_token_offsets_beyond_ascii(void **state)
{
    (void)state;
    const char *s = "We \xF0\x9F\x98\x80 love \xF0\x9D\x92\x9C" "bc na\xC3\xAF" "ve "
                    "\xE2\x82\xAC" "5 \xE6\x97\xA5\xE6\x9C\xAC.";
    dm_tokens tk;
    dm_error err;
    assert_int_equal(dm_tokenize(s, strlen(s), &tk, &err), DM_OK);
    const char *want[] = {"We", "\xF0\x9F\x98\x80", "love", "\xF0\x9D\x92\x9C" "bc",
                          "na\xC3\xAF" "ve", "\xE2\x82\xAC", "5",
                          "\xE6\x97\xA5\xE6\x9C\xAC", "."};
    assert_tokens(&tk, s, want, sizeof want / sizeof *want);
    dm_tokens_free(&tk);
    const char *bad = "ab \xFF cd \xC3\xA9t\xC3\xA9";
    assert_int_equal(dm_tokenize(bad, strlen(bad), &tk, &err), DM_OK);
    assert_int_equal(token_at(&tk, bad, "ab")->start, 0);
    assert_int_equal(token_at(&tk, bad, "cd")->start, 5);
    assert_int_equal(token_at(&tk, bad, "\xC3\xA9t\xC3\xA9")->end, strlen(bad));
    dm_tokens_free(&tk);
}

/* Property: in random messy text, every word span of the normalised text
 * maps back to original bytes that normalise to the same word. */
/* The capital test has an ASCII path and ICU's: each kind of first letter,
 * title case (U+01C5) included; numbers and marks are never capitalised.
 * Many tokens (more than the first allocation) and none at all. */
static void test_token_capitals_and_counts(void **state)
{
    (void)state;
    const char *s = "Zed zed Apple 9Lives \xC7\x85ungla \xC3\x89lan \xC3\xA9lan @ _X";
    dm_tokens tk;
    dm_error err;
    assert_int_equal(dm_tokenize(s, strlen(s), &tk, &err), DM_OK);
    assert_true(token_at(&tk, s, "Zed")->capitalized);
    assert_false(token_at(&tk, s, "zed")->capitalized);
    assert_true(token_at(&tk, s, "Apple")->capitalized);
    assert_false(token_at(&tk, s, "9Lives")->capitalized);
    assert_true(token_at(&tk, s, "\xC7\x85ungla")->capitalized);
    assert_true(token_at(&tk, s, "\xC3\x89lan")->capitalized);
    assert_false(token_at(&tk, s, "\xC3\xA9lan")->capitalized);
    assert_false(token_at(&tk, s, "@")->capitalized);
    dm_tokens_free(&tk);
    char many[6001];
    for (size_t i = 0; i < 3000; i++)
        memcpy(many + 2 * i, "A ", 2);
    many[6000] = '\0';
    assert_int_equal(dm_tokenize(many, 6000, &tk, &err), DM_OK);
    assert_int_equal(tk.n, 3000);
    assert_string_equal(tk.v[2999].folded, "a");
    assert_int_equal(tk.v[2999].start, 5998);
    dm_tokens_free(&tk);
    assert_int_equal(dm_tokenize("   \n ", 5, &tk, &err), DM_OK);
    assert_int_equal(tk.n, 0);
    dm_tokens_free(&tk);
    assert_null(tk.v);
}

static void test_random_round_trip(void **state)
{
    static const char *pieces[] = {
        "word", "Minister", "  ", "\xC2\xA0", "\n", "\r\n\r\n", "\xE2\x80\x9D",
        "\xE2\x80\x99", "'", "''", "\"", "\xC2\xAB", "\xEF\xAC\x81", "e\xCC\x81",
        "\xFF", "\xC3", "\xC2\xAD", "\xEF\xBB\xBF", ".", ",", "U.S.", "\t",
        "\xE2\x80\xA9", "Stra\u00DFe", "42",
    };
    srand(12345);
    char buf[512];
    for (int round = 0; round < 500; round++) {
        size_t len = 0;
        int count = 1 + rand() % 30;
        for (int k = 0; k < count; k++) {
            const char *p = pieces[rand() % (sizeof pieces / sizeof *pieces)];
            memcpy(buf + len, p, strlen(p));
            len += strlen(p);
        }
        dm_text *t = make(buf, len);
        const char *norm = dm_text_norm(t);
        size_t nlen = dm_text_norm_len(t);
        assert_int_equal(strlen(norm), nlen);
        for (size_t i = 0; i + 1 < nlen; i++)
            assert_true(dm_text_orig_start(t, i) <= dm_text_orig_start(t, i + 1));
        if (nlen > 0) {
            assert_true(norm[0] != ' ' && norm[0] != '\n');
            assert_true(norm[nlen - 1] != ' ' && norm[nlen - 1] != '\n');
        }
        assert_null(strstr(norm, "  "));
        assert_null(strstr(norm, "\n\n"));
        dm_tokens tk;
        assert_int_equal(dm_tokenize(norm, nlen, &tk, NULL), DM_OK);
        for (size_t i = 0; i < tk.n; i++) {
            if (tk.v[i].kind == DM_TOKEN_PUNCT)
                continue;
            dm_span back = dm_text_norm_span(t,
                dm_text_orig_start(t, tk.v[i].start),
                dm_text_orig_end(t, tk.v[i].end));
            assert_int_equal(back.start, tk.v[i].start);
            assert_int_equal(back.end, tk.v[i].end);
            char *orig = original_of(t, tk.v[i].start, tk.v[i].end);
            dm_text *again = make_str(orig);
            char word[256];
            snprintf(word, sizeof word, "%.*s",
                     (int)(tk.v[i].end - tk.v[i].start), norm + tk.v[i].start);
            assert_string_equal(dm_text_norm(again), word);
            dm_text_destroy(&again);
            free(orig);
        }
        dm_tokens_free(&tk);
        dm_text_destroy(&t);
    }
}

/* Code point offsets as Python counts them: a, e-acute (2 bytes), euro
 * (3), an emoji (4), then one ill-formed byte that counts as one. */
static void test_code_point_offsets(void **state)
{
    (void)state;
    const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xFFz";
    size_t len = strlen(s), byte = 99;
    const size_t want[] = {0, 1, 3, 6, 10, 11, 12};
    for (size_t cp = 0; cp < 7; cp++) {
        assert_true(dm_utf8_cp_to_byte(s, len, cp, &byte));
        assert_int_equal(byte, want[cp]);
    }
    assert_false(dm_utf8_cp_to_byte(s, len, 8, &byte));
    assert_true(dm_utf8_cp_to_byte("", 0, 0, &byte));
    assert_int_equal(byte, 0);
}

/* dm_tokenize_reuse: texts that grow and shrink (ASCII, non-ASCII folding,
 * many tokens), each tokenised into the last one's buffers, give what a
 * fresh dm_tokenize gives; a failure releases the buffers and zeroes the
 * sizes; NULL arguments are refused. */
static void test_tokenize_reuse(void **state)
{
    (void)state;
    char big[6000];
    for (size_t i = 0; i + 1 < sizeof big; i++)
        big[i] = (char)(i % 6 == 5 ? ' ' : 'a' + (char)(i % 26));
    big[sizeof big - 1] = '\0';
    const char *texts[] = {"Ruiz said the talks failed.", big, "",
                           "\xC3\x89TATS-UNIS: stra\xC3\x9F" "e \xEF\xAC\x81n 42", "x", big,
                           "We condemn, and we \"reject\" it!"};
    dm_tokens reused = {0};
    size_t cap_v = 0, cap_pool = 0;
    dm_error err;
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
        size_t len = strlen(texts[k]);
        dm_tokens fresh;
        assert_int_equal(dm_tokenize(texts[k], len, &fresh, &err), DM_OK);
        assert_int_equal(dm_tokenize_reuse(texts[k], len, &reused, &cap_v, &cap_pool, &err),
                         DM_OK);
        assert_int_equal(reused.n, fresh.n);
        for (size_t i = 0; i < fresh.n; i++) {
            assert_int_equal(reused.v[i].start, fresh.v[i].start);
            assert_int_equal(reused.v[i].end, fresh.v[i].end);
            assert_int_equal(reused.v[i].kind, fresh.v[i].kind);
            assert_string_equal(reused.v[i].folded, fresh.v[i].folded);
            assert_int_equal(reused.v[i].folded_len, strlen(fresh.v[i].folded));
            assert_int_equal(fresh.v[i].folded_len, strlen(fresh.v[i].folded));
            assert_int_equal(reused.v[i].capitalized, fresh.v[i].capitalized);
        }
        if (len > 0)
            assert_true(cap_v >= reused.n && cap_pool > 0);
        dm_tokens_free(&fresh);
    }
    assert_int_equal(dm_tokenize_reuse(NULL, 3, &reused, &cap_v, &cap_pool, &err),
                     DM_E_INVALID_ARG);
    assert_null(reused.v);
    assert_int_equal(reused.n, 0);
    assert_int_equal(cap_v, 0);
    assert_int_equal(cap_pool, 0);
    assert_int_equal(dm_tokenize_reuse("a b", 3, &reused, &cap_v, &cap_pool, &err), DM_OK);
    assert_int_equal(reused.n, 2);
    assert_int_equal(dm_tokenize_reuse("a", 1, NULL, &cap_v, &cap_pool, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_tokenize_reuse("a", 1, &reused, NULL, &cap_pool, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_tokenize_reuse("a", 1, &reused, &cap_v, NULL, &err),
                     DM_E_INVALID_ARG);
    dm_tokens_free(&reused);
}

/* A chunk longer than the normaliser's inline scratch (64 UTF-16 units,
 * normalize.c), whose NFKC form is longer than 64 too: "a" and 100
 * combining acute accents (no NFKC boundary between them) become U+00E1
 * and 99 accents, every byte mapped to the chunk's whole original range.
 * The text owns its copy of the original (allocated with it). */
static void test_long_nonascii_chunk(void **state)
{
    (void)state;
    char in[1 + 100 * 2 + 1], want[2 + 99 * 2 + 1];
    in[0] = 'a';
    for (int i = 0; i < 100; i++)
        memcpy(in + 1 + 2 * i, "\xcc\x81", 2);
    in[201] = '\0';
    memcpy(want, "\xc3\xa1", 2);
    for (int i = 0; i < 99; i++)
        memcpy(want + 2 + 2 * i, "\xcc\x81", 2);
    want[200] = '\0';
    dm_text *t = NULL;
    dm_error err;
    assert_int_equal(dm_text_create(in, 201, &t, &err), DM_OK);
    in[0] = 'x';                               /* the text kept its own copy */
    assert_int_equal(dm_text_original_len(t), 201);
    assert_int_equal(dm_text_original(t)[0], 'a');
    assert_int_equal(dm_text_norm_len(t), 200);
    assert_string_equal(dm_text_norm(t), want);
    for (size_t k = 0; k < 200; k++) {
        assert_int_equal(dm_text_orig_start(t, k), 0);
        assert_int_equal(dm_text_orig_end(t, k + 1), 201);
    }
    dm_text_destroy(&t);
    assert_null(t);
}

/* A plain ASCII text (printable, single spaces, none at the ends, no '`'
 * and no doubled quote: normalize.c copies it without the loop) comes out
 * as the loop makes it: the same as the text after one leading space,
 * which takes the loop and drops the space, with every original offset
 * one less and the same quote hints. Texts one byte away from plain (a
 * doubled space or quote, '`', a control, DEL, a tab, a non-ASCII letter,
 * at every place around the 8-byte words that are checked at once) take
 * the loop: the same holds. */
static void expect_as_after_space(const char *raw)
{
    size_t len = strlen(raw);
    char *spaced = malloc(len + 2);
    assert_non_null(spaced);
    spaced[0] = ' ';
    memcpy(spaced + 1, raw, len + 1);
    dm_text *a = NULL, *b = NULL;
    assert_int_equal(dm_text_create(raw, len, &a, NULL), DM_OK);
    assert_int_equal(dm_text_create(spaced, len + 1, &b, NULL), DM_OK);
    assert_int_equal(dm_text_norm_len(a), dm_text_norm_len(b));
    assert_string_equal(dm_text_norm(a), dm_text_norm(b));
    for (size_t i = 0; i < dm_text_norm_len(a); i++) {
        assert_int_equal(dm_text_orig_start(a, i) + 1, dm_text_orig_start(b, i));
        assert_int_equal(dm_text_orig_end(a, i + 1) + 1, dm_text_orig_end(b, i + 1));
        assert_int_equal(dm_text_quote_hint(a, i), dm_text_quote_hint(b, i));
    }
    dm_text_destroy(&a);
    dm_text_destroy(&b);
    free(spaced);
}

static void test_plain_ascii_as_loop(void **state)
{
    (void)state;
    static const char *const plain[] = {
        "a", "ab", "We said \"no\" to the world's 2 powers; it's over!",
        "Today, humanity has once again come to a historical crossroads.",
        "'quoted' and \"double\" ~{|}^_[\\]@ #$%&()*+,-./0123456789:<=>?",
    };
    static const char *const defects[] = {"  ", "''", "`", "\x7f", "\x1f", "\t",
                                          "\xc3\xa9", "\n", "'\"", "\" "};
    for (size_t k = 0; k < sizeof plain / sizeof *plain; k++) {
        expect_as_after_space(plain[k]);
        size_t len = strlen(plain[k]);
        for (size_t d = 0; d < sizeof defects / sizeof *defects; d++)
            for (size_t at = 0; at <= len && at < 20; at++) {
                char buf[160];
                snprintf(buf, sizeof buf, "%.*s%s%s", (int)at, plain[k], defects[d],
                         plain[k] + at);
                expect_as_after_space(buf);
            }
    }
    /* what the loop does with two of them, which the copy must not do */
    dm_text *t = NULL;
    assert_int_equal(dm_text_create("a  b`c", 6, &t, NULL), DM_OK);
    assert_string_equal(dm_text_norm(t), "a b'c");
    dm_text_destroy(&t);
}

/* dm_tokenize's plain ASCII path (tokenize.c) against ICU's word breaking
 * (dm_tokenize_by_icu): the same tokens, offsets, kinds, capitals and
 * folded strings. Every string of one to three bytes of printable ASCII,
 * tab, newline and carriage return; every four-byte string of the bytes
 * around which ICU joins or breaks; long random strings of them. */
static long ascii_compared;
static void same_tokens_as_icu(const char *s, size_t len)
{
    dm_tokens a, b;
    dm_error e;
    assert_int_equal(dm_tokenize(s, len, &a, &e), DM_OK);
    assert_int_equal(dm_tokenize_by_icu(s, len, &b, &e), DM_OK);
    bool same = a.n == b.n;
    for (size_t i = 0; same && i < a.n; i++)
        same = a.v[i].start == b.v[i].start && a.v[i].end == b.v[i].end &&
               a.v[i].kind == b.v[i].kind && a.v[i].capitalized == b.v[i].capitalized &&
               strcmp(a.v[i].folded, b.v[i].folded) == 0 &&
               a.v[i].folded_len == strlen(a.v[i].folded) &&
               b.v[i].folded_len == strlen(b.v[i].folded);
    if (!same) {
        char shown[64];
        snprintf(shown, sizeof shown, "%.*s", (int)(len < 60 ? len : 60), s);
        fail_msg("tokens differ from ICU's on \"%s\" (%zu / %zu tokens)", shown, a.n, b.n);
    }
    ascii_compared++;
    dm_tokens_free(&a);
    dm_tokens_free(&b);
}

static void test_ascii_tokens_as_icu(void **state)
{
    (void)state;
    char all[100];
    int na = 0;
    for (int c = 0x20; c < 0x7f; c++)
        all[na++] = (char)c;
    all[na++] = '\t';
    all[na++] = '\n';
    all[na++] = '\r';
    char s[4];
    for (int i = 0; i < na; i++) {
        s[0] = all[i];
        same_tokens_as_icu(s, 1);
        for (int j = 0; j < na; j++) {
            s[1] = all[j];
            same_tokens_as_icu(s, 2);
            for (int k = 0; k < na; k++) {
                s[2] = all[k];
                same_tokens_as_icu(s, 3);
            }
        }
    }
    static const char edge[] = "aZ09.',:;_-@\"# \n/$%&";
    int ne = (int)strlen(edge);
    for (int i = 0; i < ne; i++)
        for (int j = 0; j < ne; j++)
            for (int k = 0; k < ne; k++)
                for (int l = 0; l < ne; l++) {
                    char t[4] = {edge[i], edge[j], edge[k], edge[l]};
                    same_tokens_as_icu(t, 4);
                }
    uint32_t x = 12345;
    char text[400];
    for (int r = 0; r < 3000; r++) {
        size_t len = 1 + r % 397;
        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            /* mostly words and spaces, as prose, some of everything */
            unsigned pick = (x >> 16) % 100;
            text[i] = pick < 60 ? (char)('a' + pick % 26) : pick < 70 ? (char)('A' + pick % 26)
                    : pick < 82 ? ' ' : pick < 88 ? (char)('0' + pick % 10)
                    : all[(x >> 8) % (unsigned)na];
        }
        same_tokens_as_icu(text, len);
    }
    /* words with the bytes that send a chunk to ICU between or in them
     * ("U.S.", "don't", "1,000", "a1", "x_y"), amid white space of every
     * kind: the chunks ICU takes and the ASCII around them */
    static const char joiny[] = "aZq09.',:;_@- \t\n\r\x01\x7f\"(";
    int nj = (int)strlen(joiny) + 1; /* the NUL too */
    for (int r = 0; r < 20000; r++) {
        size_t len = 1 + r % 61;
        for (size_t i = 0; i < len; i++) {
            x = x * 1103515245u + 12345u;
            unsigned pick = (x >> 16) % 100;
            text[i] = pick < 50 ? (char)('a' + pick % 26) : joiny[(x >> 8) % (unsigned)nj];
        }
        same_tokens_as_icu(text, len);
    }
    assert_true(ascii_compared > 900000);
    /* add_punctuation's test of ASCII marks, as ICU's properties say */
    for (int c = 0; c < 0x80; c++)
        assert_int_equal(dm_ascii_unmarked(c), u_isUWhiteSpace(c) || u_iscntrl(c));
}

/* Runs of letters and digits of 1 to 40 bytes, which the plain ASCII
 * path reads 16 bytes at a time while 16 are left (tokenize_ascii.c):
 * runs that end in a block, on its last byte, in the next one or in the
 * bytes read one at a time at the end; a capital or a digit at each
 * place of the run (a digit among letters sends the run to ICU); after
 * the run the bytes that end it otherwise (white space, a mark, a joining
 * byte, '_', a byte beyond ASCII, the end of the text). Against ICU. */
static void test_long_runs_as_icu(void **state)
{
    (void)state;
    static const char *const after[] = {" ", ".", ", ", "'s", "_x", "\xc3\xa9", "\n", "-", ""};
    char text[128];
    long before = ascii_compared;
    for (int lead = 0; lead < 3; lead++)
        for (int n = 1; n <= 40; n++)
            for (int odd = -1; odd < n; odd++)
                for (int kind = 0; kind < 3; kind++)
                    for (size_t a = 0; a < sizeof after / sizeof *after; a++)
                        for (int tail = 0; tail < 2; tail++) {
                            if (odd < 0 && kind > 0)
                                continue;
                            size_t len = 0;
                            for (int i = 0; i < lead; i++)
                                text[len++] = ' ';
                            for (int i = 0; i < n; i++) /* letters, or digits */
                                text[len++] = kind == 2 ? (char)('0' + i % 10)
                                                        : (char)('a' + (i * 7) % 26);
                            if (odd >= 0) /* a capital, a digit, a letter */
                                text[lead + odd] = kind == 0 ? 'Q' : kind == 1 ? '7' : 'k';
                            size_t al = strlen(after[a]);
                            memcpy(text + len, after[a], al);
                            len += al;
                            if (tail) { /* more words: the run read by blocks */
                                memcpy(text + len, " more words after it", 20);
                                len += 20;
                            }
                            same_tokens_as_icu(text, len);
                        }
    assert_true(ascii_compared - before > 10000);
}

/* Texts with characters beyond ASCII: dm_tokenize sends only their chunks
 * to ICU (tokenize_ascii.c), dm_tokenize_by_icu the whole text; the same
 * tokens. The characters are of every Word_Break class (UAX #29), those
 * that attach to or join across white space (Extend, Format, ZWJ after it,
 * WSegSpace beside it) above all, with ASCII letters, digits, the bytes
 * that ICU joins, white space and controls; also a byte that is not UTF-8. */
static void test_mixed_tokens_as_icu(void **state)
{
    (void)state;
    static const char *const wide[] = {
        "\xcc\x81",         /* U+0301 combining acute: Extend */
        "\xe2\x80\x8d",     /* U+200D ZWJ */
        "\xc2\xad",         /* U+00AD soft hyphen: Format */
        "\xe2\x81\xa0",     /* U+2060 word joiner: Format */
        "\xe3\x80\x80",     /* U+3000 ideographic space: WSegSpace */
        "\xe2\x80\x83",     /* U+2003 em space: WSegSpace */
        "\xc2\xa0",         /* U+00A0 no-break space */
        "\xc2\x85",         /* U+0085 next line: Newline */
        "\xe2\x80\xa8",     /* U+2028 line separator: Newline */
        "\xe2\x80\x99",     /* U+2019 right single quote: MidNumLet */
        "\xc2\xb7",         /* U+00B7 middle dot: MidLetter */
        "\xd9\xac",         /* U+066C Arabic thousands separator: MidNum */
        "\xe2\x80\xaf",     /* U+202F narrow no-break space: ExtendNumLet */
        "\xe2\x80\xbf",     /* U+203F undertie: ExtendNumLet */
        "\xc3\xa9",         /* U+00E9: ALetter */
        "\xc3\x89",         /* U+00C9: ALetter, upper case */
        "\xc3\x9f",         /* U+00DF sharp s: folds to "ss" */
        "\xc4\xb0",         /* U+0130 capital I with dot */
        "\xd7\x90",         /* U+05D0 alef: Hebrew_Letter */
        "\xd8\xa7",         /* U+0627 Arabic alef */
        "\xd9\xa0",         /* U+0660 Arabic-Indic zero: Numeric */
        "\xe3\x82\xa2",     /* U+30A2 katakana a */
        "\xe4\xb8\xad",     /* U+4E2D: Ideographic (dictionary) */
        "\xe0\xb8\x81",     /* U+0E01 Thai ko kai: dictionary */
        "\xf0\x9f\x87\xba", /* U+1F1FA: Regional_Indicator */
        "\xf0\x9f\x98\x80", /* U+1F600: Extended_Pictographic */
        "\xe2\x80\x9c",     /* U+201C left double quote */
        "\xe2\x80\x94",     /* U+2014 em dash */
        "\xef\xbc\x8c",     /* U+FF0C fullwidth comma: MidNum */
        "\xff",             /* not UTF-8 */
    };
    int nw = (int)(sizeof wide / sizeof *wide);
    static const char *const narrow[] = {"a", "Z", "7", " ", "\t", "\n", "\r", ".", "'",
                                         ",", ":", "_", "@", "-", "\"", "\x01"};
    int nn = (int)(sizeof narrow / sizeof *narrow);
    long before = ascii_compared;
    char text[256];
    /* every string of three characters, one of them at least beyond ASCII */
    for (int i = 0; i < nw + nn; i++)
        for (int j = 0; j < nw + nn; j++)
            for (int k = 0; k < nw + nn; k++) {
                if (i >= nw && j >= nw && k >= nw)
                    continue;
                int pick[3] = {i, j, k};
                size_t len = 0;
                for (int p = 0; p < 3; p++) {
                    const char *c = pick[p] < nw ? wide[pick[p]] : narrow[pick[p] - nw];
                    memcpy(text + len, c, strlen(c));
                    len += strlen(c);
                }
                same_tokens_as_icu(text, len);
            }
    /* long random ones: words, white space, those characters */
    uint32_t x = 4242;
    for (int r = 0; r < 20000; r++) {
        size_t len = 0, want = 1 + r % 120;
        while (len < want) {
            x = x * 1103515245u + 12345u;
            unsigned pick = (x >> 16) % 100;
            const char *c = pick < 45 ? narrow[(x >> 8) % 3] : pick < 60 ? " "
                          : pick < 80 ? narrow[(x >> 8) % (unsigned)nn]
                                      : wide[(x >> 8) % (unsigned)nw];
            memcpy(text + len, c, strlen(c));
            len += strlen(c);
        }
        same_tokens_as_icu(text, len);
    }
    assert_true(ascii_compared - before > 100000);
}

static void test_invalid_arguments(void **state)
{
    dm_error err;
    dm_text *t = NULL;
    assert_int_equal(dm_text_create("x", 1, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(err.status, DM_E_INVALID_ARG);
    assert_int_equal(dm_text_create(NULL, 3, &t, &err), DM_E_INVALID_ARG);
    assert_null(t);
    dm_span *s = NULL;
    size_t n = 0;
    assert_int_equal(dm_text_paragraphs(NULL, &s, &n, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_text_sentences(NULL, &s, &n, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_sentences_utf8(NULL, 4, &s, &n, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_sentences_utf8("a", 1, NULL, &n, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_sentences_utf8("a", 1, &s, NULL, NULL), DM_E_INVALID_ARG);
    t = make_str("x");
    assert_int_equal(dm_text_sentences(t, NULL, &n, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_text_paragraphs(t, &s, NULL, &err), DM_E_INVALID_ARG);
    dm_text_destroy(&t);
    dm_text_destroy(&t);    /* already NULL: no-op */
    dm_text_destroy(NULL);
    assert_int_equal(dm_abbreviations_create(NULL, &err), DM_E_INVALID_ARG);
    dm_abbreviations *abbr = NULL;
    assert_int_equal(dm_abbreviations_create(&abbr, &err), DM_OK);
    assert_int_equal(dm_abbreviations_load(abbr, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_abbreviations_load(NULL, "x", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_text_sentences_with(NULL, abbr, &s, &n, &err), DM_E_INVALID_ARG);
    dm_abbreviations_destroy(&abbr);
    dm_tokens tk;
    assert_int_equal(dm_tokenize(NULL, 2, &tk, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_tokenize("a", 1, NULL, &err), DM_E_INVALID_ARG);
    dm_tokens_free(NULL);
    char *folded = NULL;
    assert_int_equal(dm_casefold(NULL, 2, &folded, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_casefold("a", 1, NULL, &err), DM_E_INVALID_ARG);
    assert_null(dm_text_norm(NULL));
    assert_int_equal(dm_text_norm_len(NULL), 0);
    assert_int_equal(dm_text_quote_hint(NULL, 0), DM_QUOTE_HINT_NONE);
    dm_span none = dm_text_norm_span(NULL, 0, 5);
    assert_int_equal(none.start, 0);
    assert_int_equal(none.end, 0);
}

static int teardown_group(void **state)
{
    dm_text_thread_cleanup();
    return 0;
}

/* A text that normalising leaves as it is has no per-byte map
 * (dm_text.identity): its normalised bytes, both maps, spans of every pair
 * of offsets, quote hints and paragraphs must be what the mapped
 * representation of the same text gives (DM_TEXT_ALWAYS_MAP_INTERNAL);
 * texts that normalising changes keep their map. */
static void test_identity_texts(void **state)
{
    (void)state;
    const char *plain[] = {"x", "Hello, world.", "He said \"no\" and 'yes' (it's 10%).",
                           "a b", "The U.S.-led talks; 3 + 4 = 7 {ok} [#] ~ | ^ @ _ \\ !",
                           "'quoted'", "\"", "Two sentences. Here is the second one!"};
    for (size_t k = 0; k < sizeof plain / sizeof *plain; k++) {
        const char *s = plain[k];
        size_t len = strlen(s);
        dm_text *id = NULL, *mapped = NULL;
        dm_error err;
        assert_int_equal(dm_text_create_with(s, len, 0, &id, &err), DM_OK);
        assert_int_equal(dm_text_create_with(s, len, DM_TEXT_ALWAYS_MAP_INTERNAL, &mapped, &err),
                         DM_OK);
        assert_true(id->identity);
        assert_false(mapped->identity);
        assert_int_equal(dm_text_norm_len(id), dm_text_norm_len(mapped));
        assert_string_equal(dm_text_norm(id), dm_text_norm(mapped));
        assert_string_equal(dm_text_original(id), s);
        for (size_t i = 0; i <= len + 2; i++) {
            assert_int_equal(dm_text_orig_start(id, i), dm_text_orig_start(mapped, i));
            assert_int_equal(dm_text_orig_end(id, i), dm_text_orig_end(mapped, i));
            assert_int_equal(dm_text_quote_hint(id, i), dm_text_quote_hint(mapped, i));
            for (size_t j = 0; j <= len + 2; j++) {
                dm_span a = dm_text_norm_span(id, i, j), b = dm_text_norm_span(mapped, i, j);
                assert_int_equal(a.start, b.start);
                assert_int_equal(a.end, b.end);
            }
        }
        dm_span *pa = NULL, *pb = NULL;
        size_t na = 0, nb = 0;
        assert_int_equal(dm_text_paragraphs(id, &pa, &na, &err), DM_OK);
        assert_int_equal(dm_text_paragraphs(mapped, &pb, &nb, &err), DM_OK);
        assert_int_equal(na, nb);
        assert_memory_equal(pa, pb, na * sizeof *pa);
        free(pa);
        free(pb);
        dm_text_destroy(&id);
        dm_text_destroy(&mapped);
    }
    const char *changed[] = {"", " x", "x ", "a  b", "a\nb", "it\xe2\x80\x99s", "a`b", "a''b",
                             "caf\xc3\xa9", "tab\there"};
    for (size_t k = 0; k < sizeof changed / sizeof *changed; k++) {
        dm_text *t = NULL;
        dm_error err;
        assert_int_equal(dm_text_create(changed[k], strlen(changed[k]), &t, &err), DM_OK);
        assert_false(t->identity);
        dm_text_destroy(&t);
    }
}

/* The identity test (plain_text, 16 bytes at a time, then 8, then one)
 * finds anything that normalising changes wherever it is: each such byte
 * or pair at every offset of a plain text of 3 to 60 bytes. */
static void test_identity_every_offset(void **state)
{
    (void)state;
    const char *odd[] = {"  ", "``", "''", "\x7f", "\x1f", "\xc3\xa9", "\n", "\t", "\xe2\x80\x9c"};
    char text[80];
    for (size_t len = 3; len <= 60; len++) {
        for (size_t i = 0; i < len; i++)
            text[i] = "Plain text, one space (no pairs) & \"quotes\"; 42 'ok'! 0123456789"[i];
        text[len - 1] = '.';
        dm_text *t = NULL;
        assert_int_equal(dm_text_create(text, len, &t, NULL), DM_OK);
        assert_true(t->identity);
        dm_text_destroy(&t);
        for (size_t k = 0; k < sizeof odd / sizeof *odd; k++) {
            size_t n = strlen(odd[k]);
            for (size_t at = 1; at + n < len; at++) {
                char s[80];
                memcpy(s, text, len);
                memcpy(s + at, odd[k], n);
                assert_int_equal(dm_text_create(s, len, &t, NULL), DM_OK);
                if (t->identity)
                    fail_msg("'%.*s' (%zu bytes): identity", (int)len, s, len);
                dm_text_destroy(&t);
            }
        }
    }
}

/* normalize.c copies eight plain bytes at once (plain_block) where its run
 * loop would copy them one by one: the normalised bytes, both maps and
 * the quote hints must be the loop's (DM_TEXT_BYTEWISE_INTERNAL), on random
 * texts of prose with every byte the block test looks at (a space before
 * a space or a quote, quotes, '`', controls, DEL, tabs, line breaks,
 * non-ASCII letters and marks) at every place around the eight bytes. */
static void same_as_bytewise(const char *s, size_t len, unsigned options)
{
    dm_text *a = NULL, *b = NULL;
    options |= DM_TEXT_ALWAYS_MAP_INTERNAL;
    assert_int_equal(dm_text_create_with(s, len, options, &a, NULL), DM_OK);
    assert_int_equal(dm_text_create_with(s, len, options | DM_TEXT_BYTEWISE_INTERNAL, &b, NULL),
                     DM_OK);
    bool same = a->norm_len == b->norm_len && memcmp(a->norm, b->norm, a->norm_len + 1) == 0;
    for (size_t i = 0; same && i < a->norm_len; i++)
        same = a->orig_start[i] == b->orig_start[i] && a->orig_end[i] == b->orig_end[i] &&
               a->hint[i] == b->hint[i];
    if (!same)
        fail_msg("eight at once differs from the loop on \"%.*s\"", (int)len, s);
    dm_text_destroy(&a);
    dm_text_destroy(&b);
}

static void test_plain_blocks_as_bytewise(void **state)
{
    (void)state;
    static const char *const odd[] = {" ", "  ", "\"", "'", "''", "`", "\t", "\n", "\n\n",
                                      "\x01", "\x7f", "\xc3\xa9", "\xe2\x80\x99",
                                      "e\xcc\x81", "\xc2\xa0", "!", "#", "&", "(", "~"};
    uint32_t x = 424242;
    char text[160];
    for (int r = 0; r < 20000; r++) {
        size_t len = 0, want = 1 + (size_t)(r % 120);
        while (len < want) {
            x = x * 1103515245u + 12345u;
            unsigned pick = (x >> 16) % 100;
            const char *piece = NULL;
            char one[2] = {0, 0};
            if (pick < 55)
                one[0] = (char)('a' + (x >> 8) % 26);
            else if (pick < 62)
                one[0] = (char)('A' + (x >> 8) % 26);
            else if (pick < 80)
                one[0] = ' ';
            else if (pick < 84)
                one[0] = (char)('0' + (x >> 8) % 10);
            else
                piece = odd[(x >> 8) % (sizeof odd / sizeof *odd)];
            if (!piece)
                piece = one;
            size_t n = strlen(piece);
            if (len + n > sizeof text)
                break;
            memcpy(text + len, piece, n);
            len += n;
        }
        same_as_bytewise(text, len, 0);
        same_as_bytewise(text, len, DM_TEXT_JOIN_WRAPPED_LINES);
    }
}

/* `got` (renewed) says what a new text of the same bytes says. */
static void assert_same_text(const dm_text *got, const dm_text *want)
{
    assert_int_equal(dm_text_original_len(got), dm_text_original_len(want));
    assert_memory_equal(dm_text_original(got), dm_text_original(want),
                        dm_text_original_len(want) + 1);
    assert_int_equal(dm_text_norm_len(got), dm_text_norm_len(want));
    assert_memory_equal(dm_text_norm(got), dm_text_norm(want), dm_text_norm_len(want) + 1);
    assert_int_equal(dm_text_invalid_utf8(got), dm_text_invalid_utf8(want));
    assert_int_equal(got->identity, want->identity);
    for (size_t i = 0; i <= dm_text_norm_len(want); i++) {
        assert_int_equal(dm_text_orig_start(got, i), dm_text_orig_start(want, i));
        assert_int_equal(dm_text_orig_end(got, i), dm_text_orig_end(want, i));
        assert_int_equal(dm_text_quote_hint(got, i), dm_text_quote_hint(want, i));
    }
}

/* One text renewed with text after text (dm_text_renew_internal: the
 * thread's document text in extraction) says of each what a new one says:
 * long then short, mapped then identity then mapped, invalid UTF-8 then
 * valid, joined lines then not, empty; and the thread's cache keeps one
 * text of at most DM_TEXT_KEEP_MAX bytes. */
static void test_renewed_text(void **state)
{
    (void)state;
    char long_text[3000];
    size_t n = 0;
    while (n + 40 < sizeof long_text)
        n += (size_t)snprintf(long_text + n, sizeof long_text - n,
                              "\xE2\x80\x9CNo,\xE2\x80\x9D  she\tsaid.\n\n\xEF\xAC\x81ne ");
    static const struct {
        const char *s;
        unsigned options;
    } TEXTS[] = {
        {NULL, 0},                    /* long_text */
        {"Plain words.", 0},
        {"Bad \xff\xfe bytes \xE2\x80\x9Chere\xE2\x80\x9D.", 0},
        {"Fine \xE2\x80\x98words\xE2\x80\x99.", 0},
        {"one line\nwrapped here\n\nand a paragraph", DM_TEXT_JOIN_WRAPPED_LINES},
        {"one line\nwrapped here", 0},
        {"", 0},
        {"x", 0},
        {"Plain again, and mapped.", DM_TEXT_ALWAYS_MAP_INTERNAL},
        {NULL, DM_TEXT_JOIN_WRAPPED_LINES},
        {"\"Short.\"", 0},
    };
    dm_text *t = NULL;
    dm_error err;
    for (size_t k = 0; k < sizeof TEXTS / sizeof *TEXTS; k++) {
        const char *s = TEXTS[k].s ? TEXTS[k].s : long_text;
        size_t len = strlen(s);
        dm_text *fresh = NULL;
        assert_int_equal(dm_text_create_with(s, len, TEXTS[k].options, &fresh, &err), DM_OK);
        assert_int_equal(dm_text_renew_internal(&t, s, len, TEXTS[k].options, &err), DM_OK);
        assert_same_text(t, fresh);
        dm_text_destroy(&fresh);
    }
    /* refused as dm_text_create refuses, and destroyed */
    assert_int_equal(dm_text_renew_internal(&t, NULL, 3, 0, &err), DM_E_INVALID_ARG);
    assert_null(t);

    /* the thread's cache: one text, not a long one */
    dm_text_thread_cleanup();
    assert_null(dm_text_thread_take_internal());
    assert_int_equal(dm_text_renew_internal(&t, "abc", 3, 0, &err), DM_OK);
    dm_text *kept = t;
    dm_text_thread_keep_internal(&t);
    assert_null(t);
    dm_text *other = NULL;
    assert_int_equal(dm_text_create_with("def", 3, 0, &other, &err), DM_OK);
    dm_text_thread_keep_internal(&other); /* the cache is full: destroyed */
    assert_null(other);
    t = dm_text_thread_take_internal();
    assert_ptr_equal(t, kept);
    assert_null(dm_text_thread_take_internal());
    size_t big = DM_TEXT_KEEP_MAX + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, 'a', big);
    assert_int_equal(dm_text_renew_internal(&t, huge, big, 0, &err), DM_OK);
    assert_int_equal(dm_text_norm_len(t), big);
    dm_text_thread_keep_internal(&t); /* too long to keep: destroyed */
    assert_null(dm_text_thread_take_internal());
    free(huge);
    /* kept at cleanup: released */
    assert_int_equal(dm_text_renew_internal(&t, "abc", 3, 0, &err), DM_OK);
    dm_text_thread_keep_internal(&t);
    dm_text_thread_cleanup();
    assert_null(dm_text_thread_take_internal());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_normalised_and_mapped),
        cmocka_unit_test(test_every_quote_variant_maps_back),
        cmocka_unit_test(test_doubled_apostrophe),
        cmocka_unit_test(test_nbsp_and_whitespace_runs),
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_join_wrapped_lines_option),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_empty_and_invisible_input),
        cmocka_unit_test(test_dropped_and_nfkc),
        cmocka_unit_test(test_ascii_runs_mapped),
        cmocka_unit_test(test_token_capitals_and_counts),
        cmocka_unit_test(test_tokens_and_folding),
        cmocka_unit_test(test_token_offsets_beyond_ascii),
        cmocka_unit_test(test_random_round_trip),
        cmocka_unit_test(test_code_point_offsets),
        cmocka_unit_test(test_tokenize_reuse),
        cmocka_unit_test(test_long_nonascii_chunk),
        cmocka_unit_test(test_identity_texts),
        cmocka_unit_test(test_identity_every_offset),
        cmocka_unit_test(test_plain_ascii_as_loop),
        cmocka_unit_test(test_plain_blocks_as_bytewise),
        cmocka_unit_test(test_ascii_tokens_as_icu),
        cmocka_unit_test(test_mixed_tokens_as_icu),
        cmocka_unit_test(test_long_runs_as_icu),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_renewed_text),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_group);
}
