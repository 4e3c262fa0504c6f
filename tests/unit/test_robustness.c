/*
 * Robustness: deterministic pseudo-random and adversarial inputs fed to the
 * text layer, the extractor, the JSON record parser, the chart aggregator
 * and the gzip reader. Nothing here checks linguistic quality; it checks
 * that bad input gives a clear status and never a crash, an out-of-range
 * offset or a silent stop. Run it under -DDM_SANITIZE=ON to catch memory
 * errors. Seeds are fixed (xorshift64), so a failure always reproduces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demarche/demarche.h"
#include "demarche/chart.h"
#include "demarche/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/utf8.h>
#include <zlib.h>

/* ---- Deterministic random input ----------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static size_t rng_below(uint64_t *s, size_t n)
{
    return n ? (size_t)(rng_next(s) % n) : 0;
}

/* Pieces that stress quote pairing, normalisation and attribution. Entries
 * with an explicit length may hold NUL bytes. */
typedef struct piece {
    const char *s;
    size_t len; /* 0: strlen */
} piece;

static const piece pieces[] = {
    {"\xE2\x80\x9C", 0}, {"\xE2\x80\x9D", 0},   /* “ ” */
    {"\xE2\x80\x9E", 0},                        /* „ */
    {"\xC2\xAB", 0}, {"\xC2\xBB", 0},           /* « » */
    {"'", 0}, {"\xE2\x80\x99", 0}, {"''", 0},   /* ' ’ '' */
    {"\xE2\x80\xB3", 0}, {"\"", 0},             /* ″ " */
    {"\xC2\xA0", 0}, {"\n", 0}, {"\n\n", 0}, {"\r\n", 0}, {" ", 0}, {"\t", 0},
    {"\xFF", 0}, {"\xC3", 0}, {"\xE2\x80", 0}, {"\xED\xA0\x80", 0}, /* invalid */
    {"\xC0\xAF", 0}, {"\xF4\x90\x80\x80", 0},
    {"\0", 1}, {"a\0b", 3},                     /* NUL inside the text */
    {"(", 0}, {")", 0}, {"[", 0}, {"]", 0}, {"{", 0}, {"}", 0},
    {".", 0}, {",", 0}, {":", 0}, {"?", 0}, {"!", 0}, {"-", 0},
    {"\xC2\xAD", 0}, {"\xEF\xBB\xBF", 0}, {"\xE2\x80\x8B", 0}, /* SHY BOM ZWSP */
    {"\xEF\xAC\x81", 0},                        /* ﬁ ligature (NFKC grows it) */
    {"\xE2\x80\xA6", 0},                        /* … */
    {"said", 0}, {"told reporters", 0}, {"warned", 0}, {"according to", 0},
    {"Sergei Lavrov", 0}, {"he", 0}, {"she", 0}, {"they", 0},
    {"Russia", 0}, {"the United States", 0}, {"NATO", 0}, {"Moscow", 0},
    {"the Kremlin", 0}, {"Foreign Minister", 0}, {"U.S.", 0}, {"Mr.", 0},
    {"We will not accept this", 0}, {"a senior official", 0},
    {"The", 0}, {"war", 0}, {"peace", 0}, {"42", 0}, {"2024", 0},
};
#define N_PIECES (sizeof pieces / sizeof pieces[0])

/* Append a random mix of `n_pieces` pieces to buf (cap bytes); returns length. */
static size_t random_text(uint64_t *rng, char *buf, size_t cap, size_t n_pieces)
{
    size_t len = 0;
    for (size_t i = 0; i < n_pieces; i++) {
        const piece *p = &pieces[rng_below(rng, N_PIECES)];
        size_t plen = p->len ? p->len : strlen(p->s);
        if (len + plen + 1 >= cap)
            break;
        memcpy(buf + len, p->s, plen);
        len += plen;
        if (rng_below(rng, 3) == 0)
            buf[len++] = ' ';
    }
    buf[len] = '\0';
    return len;
}

/* ---- Fixture: real lexicons, one extractor ------------------------------ */

static dm_actors *actors;
static dm_cues *cues;
static dm_extractor *extractor;

static int setup(void **state)
{
    (void)state;
    const char *src = getenv("DM_SOURCE_DIR");
    if (!src)
        src = DM_SOURCE_DIR;
    char path[4096];
    dm_error err;
    if (dm_actors_create(&actors, &err) != DM_OK)
        return -1;
    snprintf(path, sizeof path, "%s/lexicons/actors.tsv", src);
    if (dm_actors_load_tsv(actors, path, &err) != DM_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path, err.message);
        return -1;
    }
    snprintf(path, sizeof path, "%s/lexicons/cues.tsv", src);
    if (dm_cues_load(path, &cues, &err) != DM_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path, err.message);
        return -1;
    }
    return dm_extractor_create(actors, cues, &extractor, &err) == DM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    dm_extractor_destroy(&extractor);
    dm_cues_destroy(&cues);
    dm_actors_destroy(&actors);
    dm_text_thread_cleanup();
    return 0;
}

static int n_warnings;
static void count_log(void *user, dm_log_level level, const char *where, long line,
                      const char *message)
{
    (void)user; (void)where; (void)line;
    assert_non_null(message);
    if (level >= DM_LOG_WARNING)
        n_warnings++;
}
static const dm_logger logger = {count_log, NULL};

static void assert_valid_utf8(const char *s, size_t len)
{
    int32_t i = 0;
    while ((size_t)i < len) {
        UChar32 c;
        U8_NEXT(s, i, (int32_t)len, c);
        if (c < 0)
            fail_msg("invalid UTF-8 at byte %d of normalised text", (int)i);
    }
}

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

/* ---- JSON records -------------------------------------------------------- */

static void check_record(const char *json, size_t len, dm_offsets offsets)
{
    dm_record rec;
    dm_record_init(&rec);
    dm_error err;
    dm_error_clear(&err);
    dm_status st = dm_record_parse_json(json, len, "in.jsonl", 7, offsets, &rec, &err);
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

/* An out-of-range code point offset names the text's length in code points. */
static void test_record_offset_message(void **state)
{
    (void)state;
    const char *json = "{\"text\":\"R\xC3\xA9ussia.\",\"targets\":[{\"start\":0,\"end\":99}]}";
    dm_record rec;
    dm_record_init(&rec);
    dm_error err;
    assert_int_equal(dm_record_parse_json(json, strlen(json), "s.jsonl", 4, DM_OFFSETS_CHARS,
                                          &rec, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "(8 code points)"));
    assert_int_equal(dm_record_parse_json(json, strlen(json), "s.jsonl", 4, DM_OFFSETS_BYTES,
                                          &rec, &err), DM_E_PARSE);
    assert_non_null(strstr(err.message, "(9 bytes)"));
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
    dm_status st = dm_chart_add_json(c, json, len, "s.jsonl", 3, &err);
    if (st != DM_OK) {
        if (st != DM_E_PARSE)
            fail_msg("dm_chart_add_json: %s for [%.*s]", dm_status_name(st), (int)len, json);
        assert_true(err.message[0] != '\0');
        assert_int_equal(err.line, 3);
    }
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

/* Read every line; returns the final status (DM_E_NOT_FOUND at a clean end). */
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
    assert_int_equal(read_to_end(path, &lines), DM_E_NOT_FOUND);
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
        assert_clean_status(dm_dataset_read_newsmtsc(ds, path, &logger, &err), &err,
                            "newsmtsc");
        dm_dataset_destroy(&ds);

        dm_csv_reader *csv = NULL;
        if (dm_csv_reader_create(path, &csv, &err) == DM_OK) {
            char **fields = NULL;
            size_t nf = 0;
            long line = 0;
            for (int rec = 0; rec < 1000; rec++) {
                st = dm_csv_read_record(csv, &fields, &nf, &line, &err);
                assert_clean_status(st, &err, "csv");
                if (st != DM_OK || nf == 0)
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
        cmocka_unit_test(test_random_text),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_edge_texts),
        cmocka_unit_test(test_mark_and_comma_only),
        cmocka_unit_test(test_quote_floods),
        cmocka_unit_test(test_huge_line),
        cmocka_unit_test(test_unbalanced_quote_does_not_hide_later_quote),
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
