/*
 * Robustness: deterministic pseudo-random and adversarial inputs fed to the
 * text layer and the extractor (the JSON record parser, the chart
 * aggregator, the gzip reader and the loaders: test_robustness_io.c;
 * shared helpers: robustness_fixture.h). Nothing here checks linguistic
 * quality; it checks that bad input gives a clear status and never a crash,
 * an out-of-range offset or a silent stop. Run it under -DDM_SANITIZE=ON to
 * catch memory errors. Seeds are fixed (xorshift64), so a failure always
 * reproduces.
 */
#include "robustness_fixture.h"
#include "text/text_internal.h"

/* ---- Text layer invariants ----------------------------------------------- */

static void check_text_with(const char *original, size_t len, unsigned options);

/* Both normalisations: plain and with hard-wrapped lines joined. */
static void check_text(const char *original, size_t len)
{
    check_text_with(original, len, 0);
    check_text_with(original, len, DM_TEXT_JOIN_WRAPPED_LINES);
}

static void check_text_with(const char *original, size_t len, unsigned options)
{
    dm_text *t = NULL;
    dm_error err;
    dm_status st = dm_text_create_with(original, len, options, &t, &err);
    assert_int_equal(st, DM_OK);
    assert_non_null(t);
    assert_int_equal(dm_text_original_len(t), len);
    assert_memory_equal(dm_text_original(t), original, len);
    const char *norm = dm_text_norm(t);
    size_t nlen = dm_text_norm_len(t);
    assert_non_null(norm);
    /* NUL and other control characters are dropped: no NUL inside. */
    assert_int_equal(strlen(norm), nlen);
    assert_valid_utf8(norm, nlen);
    assert_int_equal(dm_text_orig_start(t, nlen), len);
    size_t prev_start = 0, prev_end = 0;
    for (size_t a = 0; a < nlen; a++) {
        size_t s = dm_text_orig_start(t, a), e = dm_text_orig_end(t, a + 1);
        if (!(s < e && e <= len))
            fail_msg("norm byte %zu -> original [%zu, %zu) of %zu", a, s, e, len);
        if (s < prev_start || e < prev_end)
            fail_msg("offset map not monotonic at norm byte %zu", a);
        prev_start = s;
        prev_end = e;
        dm_quote_hint h = dm_text_quote_hint(t, a);
        assert_true(h >= DM_QUOTE_HINT_NONE && h <= DM_QUOTE_HINT_AMBIGUOUS);
    }
    /* The reverse map stays inside the normalised text, even when clamped. */
    for (size_t k = 0; k < 8; k++) {
        size_t os = len ? (k * 7919) % (len + 3) : k, oe = os + k * 13;
        dm_span sp = dm_text_norm_span(t, os, oe);
        assert_true(sp.start <= sp.end);
        assert_true(sp.end <= nlen);
    }

    dm_span *par = NULL, *sent = NULL;
    size_t n_par = 0, n_sent = 0;
    assert_int_equal(dm_text_paragraphs(t, &par, &n_par, &err), DM_OK);
    for (size_t i = 0; i < n_par; i++) {
        assert_true(par[i].start <= par[i].end && par[i].end <= nlen);
        if (i)
            assert_true(par[i - 1].end <= par[i].start);
    }
    free(par);
    assert_int_equal(dm_text_sentences(t, &sent, &n_sent, &err), DM_OK);
    for (size_t i = 0; i < n_sent; i++) {
        assert_true(sent[i].start <= sent[i].end && sent[i].end <= nlen);
        if (i)
            assert_true(sent[i - 1].end <= sent[i].start);
        if (memchr(norm + sent[i].start, '\n', sent[i].end - sent[i].start))
            fail_msg("sentence %zu [%zu, %zu) crosses a paragraph break", i,
                     sent[i].start, sent[i].end);
    }
    free(sent);

    dm_tokens tok = {0};
    assert_int_equal(dm_tokenize(norm, nlen, &tok, &err), DM_OK);
    for (size_t i = 0; i < tok.n; i++) {
        assert_true(tok.v[i].start < tok.v[i].end && tok.v[i].end <= nlen);
        assert_non_null(tok.v[i].folded);
        assert_true(tok.v[i].kind <= DM_TOKEN_PUNCT);
    }
    dm_tokens_free(&tok);
    dm_text_destroy(&t);
    assert_null(t);

    /* The tokenizer on raw (possibly invalid) bytes: a clean status either way. */
    st = dm_tokenize(original, len, &tok, &err);
    assert_true(st == DM_OK || st == DM_E_PARSE || st == DM_E_INVALID_ARG);
    if (st == DM_OK)
        for (size_t i = 0; i < tok.n; i++)
            assert_true(tok.v[i].start < tok.v[i].end && tok.v[i].end <= len);
    dm_tokens_free(&tok);
}

/* ---- Extraction invariants ----------------------------------------------- */

/* The first violated invariant among statements [first, n), or NULL. */
static const char *bad_statements(const dm_statement_list *list, size_t first, size_t len)
{
    static char why[256];
    for (size_t i = first; i < list->n; i++) {
        const dm_statement *s = &list->v[i];
        if (!(s->kind >= DM_KIND_DIRECT && s->kind <= DM_KIND_GIVEN) || !s->text || s->scored)
            return "bad kind, NULL text or scored before scoring";
        if (!(s->start <= s->end && s->end <= len) || s->norm_start > s->norm_end) {
            snprintf(why, sizeof why, "statement %zu: [%zu, %zu) outside %zu bytes", i,
                     s->start, s->end, len);
            return why;
        }
        if (s->kind != DM_KIND_GIVEN && s->end <= s->start) {
            snprintf(why, sizeof why, "statement %zu (%s) is empty in the original: [%zu, %zu)",
                     i, dm_statement_kind_name(s->kind), s->start, s->end);
            return why;
        }
        for (size_t k = 0; k < s->n_targets; k++) {
            const dm_target *tg = &s->targets[k];
            if (!tg->actor)
                return "target without actor";
            if (tg->has_span && !(tg->start <= tg->end && tg->end <= len &&
                                  tg->norm_start <= tg->norm_end)) {
                snprintf(why, sizeof why, "statement %zu target %zu: [%zu, %zu) outside %zu", i,
                         k, tg->start, tg->end, len);
                return why;
            }
        }
    }
    return NULL;
}

static void check_statements(dm_statement_list *list, size_t first, size_t len)
{
    const char *why = bad_statements(list, first, len);
    if (why) {
        dm_statement_list_clear(list); /* fail_msg jumps out: no leak report */
        fail_msg("%s", why);
    }
}

static void check_extract(const char *text, size_t len, bool speech)
{
    dm_document doc = {.id = "fuzz", .date = "2024-03-01", .text = text, .text_len = len};
    if (speech)
        doc.speaker_actor = "GBR";
    dm_statement_list list;
    dm_statement_list_init(&list);
    dm_error err;
    dm_status st = dm_extract(extractor, &doc, &list, &logger, &err);
    if (st != DM_OK)
        fail_msg("dm_extract: %s: %s", dm_status_name(st), err.message);
    check_statements(&list, 0, len);
    size_t before = list.n;
    st = dm_extract_given(extractor, &doc, &list, &logger, &err);
    if (st != DM_OK)
        fail_msg("dm_extract_given: %s: %s", dm_status_name(st), err.message);
    assert_int_equal(list.n, before + 1);
    assert_int_equal(list.v[before].kind, DM_KIND_GIVEN);
    check_statements(&list, before, len);
    dm_statement_list_clear(&list);
}

static void test_random_text(void **state)
{
    (void)state;
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    char buf[4096];
    for (int iter = 0; iter < 300; iter++) {
        size_t len = random_text(&rng, buf, sizeof buf, 1 + rng_below(&rng, 120));
        check_text(buf, len);
        check_extract(buf, len, iter % 5 == 0);
    }
}

static void test_random_bytes(void **state)
{
    (void)state;
    uint64_t rng = 12345;
    char buf[2048];
    for (int iter = 0; iter < 150; iter++) {
        size_t len = rng_below(&rng, sizeof buf);
        for (size_t i = 0; i < len; i++)
            buf[i] = (char)(rng_next(&rng) >> 24);
        check_text(buf, len);
        check_extract(buf, len, iter % 4 == 0);
    }
}

static void test_edge_texts(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
    } edges[] = {
        {"", 0}, {"a", 1}, {"\"", 1}, {"\xFF", 1}, {"\0", 1}, {"\n", 1}, {" ", 1},
        {"\xE2\x80\x9C", 3}, {"\xE2\x80", 2}, {"\"\"", 2}, {"''", 2},
        {"\"\"\"\"\"\"\"", 7}, {"\xC2\xAB\xC2\xBB", 4}, {"()[]{}", 6},
        {"(((((((((((", 11}, {")))))]]]]", 9}, {"\"He said\0 \"No,\" he said.", 25},
        {"\xE2\x80\x9C\xE2\x80\x9D said Lavrov.", 20},
        {"\"\" said Lavrov.", 15}, {"\" \" said Lavrov.", 16},
        {"''\xE2\x80\xB3''", 7}, {"\xC2\xA0\xC2\xA0\n\xC2\xA0", 7},
        {"'It' s '", 8}, {"\xEF\xBB\xBF\xC2\xAD\xE2\x80\x8B", 8},
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        check_text(edges[i].s, edges[i].len);
        check_extract(edges[i].s, edges[i].len, false);
        check_extract(edges[i].s, edges[i].len, true);
    }
}

/* An opening mark followed by nothing but a comma, found by the random 2 MB
 * line: the extractor emitted a statement with empty text and an empty
 * original span (fixed: such marks yield no statement). */
static void test_mark_and_comma_only(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
    } cases[] = {
        {"\xC2\xAB ,", 4}, {"\xE2\x80\x9C ,\xC2\xBB", 7}, {"\xE2\x80\x9E ,\xC2\xBB", 7},
        {"Lavrov said \xE2\x80\x9C,\xE2\x80\x9D", 18},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_extract(cases[i].s, cases[i].len, false);
}

/* Runs of one quote mark, and texts made of nothing but marks. */
static void test_quote_floods(void **state)
{
    (void)state;
    static const char *marks[] = {"\"", "\xE2\x80\x9C", "\xC2\xAB", "'", "''",
                                  "\xE2\x80\x99", "\xE2\x80\xB3"};
    size_t cap = 10000 * 3 + 64;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
        size_t ml = strlen(marks[m]), len = 0;
        for (int k = 0; k < 10000 && len + ml < cap; k++) {
            memcpy(buf + len, marks[m], ml);
            len += ml;
        }
        check_text(buf, len);
        check_extract(buf, len, false);
    }
    /* Only quote marks, mixed at random. */
    uint64_t rng = 777;
    for (int iter = 0; iter < 20; iter++) {
        size_t len = 0, n = 1 + rng_below(&rng, 2000);
        for (size_t k = 0; k < n; k++) {
            const char *mk = marks[rng_below(&rng, sizeof marks / sizeof marks[0])];
            memcpy(buf + len, mk, strlen(mk));
            len += strlen(mk);
            if (rng_below(&rng, 8) == 0)
                buf[len++] = rng_below(&rng, 2) ? '\n' : ' ';
        }
        check_text(buf, len);
        check_extract(buf, len, iter % 2 == 0);
    }
    free(buf);
}

/* One line of `size` bytes: random pieces (every `one_in` words; plain
 * words otherwise), never a line break. */
static char *long_line(uint64_t seed, size_t size, size_t one_in, size_t *out_len)
{
    static const char *plain[] = {"the", "talks", "in", "Geneva", "went", "on", "for",
                                  "hours", "and", "officials", "met", "again"};
    char *buf = malloc(size + 1);
    assert_non_null(buf);
    uint64_t rng = seed;
    size_t len = 0;
    while (len < size - 64) {
        const char *s;
        size_t plen;
        if (rng_below(&rng, one_in) == 0) {
            const piece *p = &pieces[rng_below(&rng, N_PIECES)];
            if (p->s[0] == '\n' || p->s[0] == '\r')
                continue;
            s = p->s;
            plen = p->len ? p->len : strlen(p->s);
        } else {
            s = plain[rng_below(&rng, sizeof plain / sizeof plain[0])];
            plen = strlen(s);
        }
        memcpy(buf + len, s, plen);
        len += plen;
        buf[len++] = ' ';
    }
    buf[len] = '\0';
    *out_len = len;
    return buf;
}

/* A single 2 MB line (no paragraph break anywhere), and a denser 200 KB one.
 * (Extraction time grows faster than linearly with the number of quotes and
 * names in one paragraph, so the 2 MB line is mostly plain words to keep
 * this test fast under sanitizers.) */
static void test_huge_line(void **state)
{
    (void)state;
    size_t len;
    char *buf = long_line(4242, (size_t)2 << 20, 80, &len);
    dm_text *t = NULL;
    dm_error err;
    assert_int_equal(dm_text_create(buf, len, &t, &err), DM_OK);
    assert_int_equal(dm_text_orig_start(t, dm_text_norm_len(t)), len);
    dm_span *sent = NULL;
    size_t n_sent = 0;
    assert_int_equal(dm_text_sentences(t, &sent, &n_sent, &err), DM_OK);
    for (size_t i = 0; i < n_sent; i++)
        assert_true(sent[i].start <= sent[i].end && sent[i].end <= dm_text_norm_len(t));
    free(sent);
    dm_text_destroy(&t);
    check_extract(buf, len, false);
    free(buf);

    buf = long_line(4243, (size_t)100 << 10, 1, &len);
    check_text(buf, len);
    check_extract(buf, len, false);
    free(buf);
}

/* An opening mark that is never closed in paragraph 1 must not swallow a
 * well-formed quotation two paragraphs later. */
static void test_unbalanced_quote_does_not_hide_later_quote(void **state)
{
    (void)state;
    static const char *openers[] = {"\"", "\xE2\x80\x9C", "\xE2\x80\x9E", "\xC2\xAB ",
                                    "'", "\xE2\x80\x98", "''", "\xE2\x80\xB3"};
    for (size_t i = 0; i < sizeof openers / sizeof openers[0]; i++) {
        char text[1024];
        int n = snprintf(text, sizeof text,
                         "The minister said %sthe talks would go on for weeks and "
                         "then stopped.\n\nDiplomats met in Geneva on Monday.\n\n"
                         "\xE2\x80\x9CWe will not accept this,\xE2\x80\x9D Sergei Lavrov "
                         "told reporters.",
                         openers[i]);
        dm_document doc = {.id = "unbalanced", .date = "2024-03-01", .text = text,
                           .text_len = (size_t)n};
        dm_statement_list list;
        dm_statement_list_init(&list);
        dm_error err;
        assert_int_equal(dm_extract(extractor, &doc, &list, &logger, &err), DM_OK);
        check_statements(&list, 0, (size_t)n);
        bool found = false;
        for (size_t k = 0; k < list.n; k++)
            if (strstr(list.v[k].text, "We will not accept this") &&
                !strstr(list.v[k].text, "Geneva")) {
                found = true;
                assert_non_null(list.v[k].speaker);
                assert_string_equal(list.v[k].speaker, "Sergei Lavrov");
            }
        if (!found) {
            for (size_t k = 0; k < list.n; k++)
                fprintf(stderr, "  #%zu [%s]\n", k, list.v[k].text);
            fail_msg("opener %zu (%s): the quote of paragraph 3 is lost", i, openers[i]);
        }
        dm_statement_list_clear(&list);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_text),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_edge_texts),
        cmocka_unit_test(test_mark_and_comma_only),
        cmocka_unit_test(test_quote_floods),
        cmocka_unit_test(test_huge_line),
        cmocka_unit_test(test_unbalanced_quote_does_not_hide_later_quote),
    };
    /* ROBUST_FILTER=test_huge_line runs one test (to time or debug it). */
    if (getenv("ROBUST_FILTER"))
        cmocka_set_test_filter(getenv("ROBUST_FILTER"));
    return cmocka_run_group_tests(tests, setup, teardown);
}
