/* Tests of the actors dictionary: TSV validation, matching, dates, roles,
 * Phoenix loading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demarche/actors.h"
#include "actors/actors_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];

static const char *source_dir(void)
{
    const char *d = getenv("DM_SOURCE_DIR");
    return d && *d ? d : DM_SOURCE_DIR;
}

static void write_file(const char *path, const char *content)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

/* A few rotating buffers, so two paths can be held at once. */
static char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int next;
    char *b = buf[next++ % 4];
    snprintf(b, sizeof buf[0], "%s/%s", tmpdir, name);
    return b;
}

static int setup_dir(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dm_test_actors_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static dm_actors *load_ours(void)
{
    dm_actors *a = NULL;
    dm_error err;
    char path[1024];
    snprintf(path, sizeof path, "%s/lexicons/actors.tsv", source_dir());
    assert_int_equal(dm_actors_create(&a, &err), DM_OK);
    dm_status st = dm_actors_load_tsv(a, path, &err);
    if (st != DM_OK) {
        char buf[1024];
        fail_msg("%s", dm_error_format(&err, buf, sizeof buf));
    }
    return a;
}

/* Matches of `text` as "code:mention" joined by ' ' into out. */
static const char *find_str(const dm_actors *a, const char *text,
                            const char *date)
{
    static char out[2048];
    dm_actor_match *m = NULL;
    size_t n = 0;
    dm_error err;
    assert_int_equal(dm_actors_find(a, text, strlen(text), date, &m, &n, &err),
                     DM_OK);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char one[256];
        snprintf(one, sizeof one, "%s%s:%.*s", i ? " " : "", m[i].code,
                 (int)(m[i].end - m[i].start), text + m[i].start);
        strncat(out, one, sizeof out - strlen(out) - 1);
    }
    free(m);
    return out;
}

#define HEADER "code\tkind\tname\trole\tfrom\tto\tshort\n"

static void expect_tsv_error(const char *content, long line,
                             const char *fragment)
{
    const char *path = tmp_path("bad.tsv");
    write_file(path, content);
    dm_actors *a = NULL;
    dm_error err;
    assert_int_equal(dm_actors_create(&a, &err), DM_OK);
    dm_status st = dm_actors_load_tsv(a, path, &err);
    assert_int_equal(st, DM_E_PARSE);
    assert_string_equal(err.where, path);
    assert_int_equal(err.line, line);
    if (!strstr(err.message, fragment))
        fail_msg("message '%s' lacks '%s'", err.message, fragment);
    assert_int_equal(dm_actors_count(a), 0); /* nothing kept */
    dm_actors_destroy(&a);
    assert_null(a);
}

static void test_tsv_errors(void **state)
{
    expect_tsv_error(HEADER "RUS\tstate\tRussia\t\t\t\t\nRUS\tstate\tMoscow\n", 3,
                     "columns");
    expect_tsv_error(HEADER "# comment\n\nRUS\tcountry\tRussia\t\t\t\t\n", 4,
                     "unknown kind");
    expect_tsv_error(HEADER "RU\tstate\tRussia\t\t\t\t\n", 2, "bad code");
    expect_tsv_error(HEADER "rus\tstate\tRussia\t\t\t\t\n", 2, "bad code");
    expect_tsv_error(HEADER "RUS\tperson\tVladimir Putin\tpresident\t2000-13-07\t\t\n",
                     2, "bad date");
    expect_tsv_error(HEADER "RUS\tperson\tVladimir Putin\tpresident\t2000-05-07\t2000-02-30\t\n",
                     2, "bad date");
    expect_tsv_error(HEADER "RUS\tperson\tVladimir Putin\tpresident\t2008-05-07\t2000-05-07\t\n",
                     2, "ends before");
    expect_tsv_error(HEADER "RUS\tstate\tRussia\t\t\t\t\nGBR\tstate\tBritain\t\t\t\t\n"
                     "RUS\tstate\tRussia\t\t\t\t\n", 4, "duplicate");
    expect_tsv_error(HEADER "GEO\tstate\tGeorgia\t\t\t\t\nUSA\tstate\tGeorgia\t\t\t\t\n",
                     3, "conflicting");
    expect_tsv_error(HEADER "RUS\tstate\tthe Kremlin\t\t\t\t\nRUS\tmetonym\tKremlin\t\t\t\t\n",
                     3, "conflicting");
    expect_tsv_error("code\tkind\tname\trole\tfrom\tto\n", 1, "columns");
    expect_tsv_error("code\tkind\tnom\trole\tfrom\tto\tshort\n", 1, "header");
    expect_tsv_error("# only a comment\n", 1, "missing header");
    expect_tsv_error(HEADER "RUS\tstate\t Russia\t\t\t\t\n", 2, "spaces");
    expect_tsv_error(HEADER "RUS\tstate\t-Russia\t\t\t\t\n", 2, "start with");
    expect_tsv_error(HEADER "USA\tignore\tLatin America\t\t\t\t\n", 2, "bad code");
    expect_tsv_error(HEADER "RUS\tperson\tSergei Lavrov\t\t\t\tLavrov||Lavrov2\n", 2,
                     "short form");

    dm_actors *a = NULL;
    dm_error err;
    assert_int_equal(dm_actors_create(&a, &err), DM_OK);
    assert_int_equal(dm_actors_load_tsv(a, tmp_path("missing.tsv"), &err), DM_E_IO);
    assert_string_equal(err.where, tmp_path("missing.tsv"));
    dm_actors_destroy(&a);
}

static void test_tsv_small(void **state)
{
    const char *path = tmp_path("small.tsv");
    write_file(path, HEADER
               "GBR\tstate\tthe United Kingdom\t\t\t\t\n"
               "GBR\tstate\tthe United Kingdom of Great Britain and Northern Ireland\t\t\t\t\n"
               "USA\tstate\tAmerica\t\t\t\t\n"
               "-\tignore\tLatin America\t\t\t\t\n"
               "SYR\tperson\tBashar al-Assad\tpresident\t2000-07-17\t2024-12-08\tAssad|al-Assad\n"
               "RUS\tperson\tSergei Lavrov\tforeign minister\t2004-03-09\t\t\n"
               "USA\tperson\tHillary Clinton\tsecretary of state\t2009-01-21\t2013-02-01\t\n"
               "USA\tperson\tBill Clinton\tpresident\t1993-01-20\t2001-01-20\t\n"
               "UN\torganisation\tthe United Nations\t\t\t\tthe UN|U.N.\n");
    dm_actors *a = NULL;
    dm_error err;
    assert_int_equal(dm_actors_create(&a, &err), DM_OK);
    assert_int_equal(dm_actors_load_tsv(a, path, &err), DM_OK);
    /* 9 names + 2 Assad aliases + Lavrov + UN, U.N.; "Clinton" is
     * ambiguous: dropped */
    assert_int_equal(dm_actors_count(a), 14);
    assert_string_equal(find_str(a, "The UN, U.N. and the United Nations", NULL),
                        "UN:The UN UN:U.N. UN:the United Nations");
    assert_string_equal(find_str(a, "The United Kingdom and United Kingdom", NULL),
                        "GBR:The United Kingdom GBR:United Kingdom");
    assert_string_equal(find_str(a, "the United Kingdom of Great Britain and Northern Ireland's",
                                 NULL),
                        "GBR:the United Kingdom of Great Britain and Northern Ireland");
    assert_string_equal(find_str(a, "in Latin America, America", NULL), "USA:America");
    assert_string_equal(find_str(a, "Al-Assad, Assad's and al-Assad", NULL),
                        "SYR:Al-Assad SYR:Assad SYR:al-Assad");
    assert_string_equal(find_str(a, "Lavrov and Clinton; Americas", NULL), "RUS:Lavrov");
    dm_actors_destroy(&a);
}

/* Names sharing a first word share a bucket, which starts small and grows
 * (2, 4, 8 names): every name stays findable and the longest matches. */
static void test_tsv_shared_first_word(void **state)
{
    const char *path = tmp_path("shared.tsv");
    write_file(path, HEADER
               "NZL\tstate\tNew Zealand\t\t\t\t-\n"
               "USA\tcapital\tNew York\t\t\t\t-\n"
               "IND\tcapital\tNew Delhi\t\t\t\t-\n"
               "NCL\torganisation\tNew Caledonia Territorial Government\t\t\t\t-\n"
               "NCL\torganisation\tNew Caledonia\t\t\t\t-\n"
               "USA\torganisation\tNew York Police Department\t\t\t\t-\n"
               "GBR\torganisation\tNew Scotland Yard\t\t\t\t-\n"
               "PNG\tstate\tNew Guinea\t\t\t\t-\n"
               "USA\torganisation\tNew Jersey State Police\t\t\t\t-\n"
               "FRA\tstate\tFrance\t\t\t\t-\n");
    dm_actors *a = NULL;
    dm_error err;
    assert_int_equal(dm_actors_create(&a, &err), DM_OK);
    assert_int_equal(dm_actors_load_tsv(a, path, &err), DM_OK);
    assert_int_equal(dm_actors_count(a), 10);
    assert_int_equal(a->n_buckets, 2);
    long b = -1;
    for (size_t i = 0; i < a->n_buckets; i++)
        if (a->buckets[i].n == 9)
            b = (long)i;
    assert_true(b >= 0);
    const dm_u32vec *v = &a->buckets[b];
    assert_true(v->cap >= v->n);
    for (uint32_t i = 1; i < v->n; i++)
        assert_true(a->names[v->v[i - 1]].len >= a->names[v->v[i]].len);
    assert_string_equal(find_str(a, "New York Police Department officers in New York", NULL),
                        "USA:New York Police Department USA:New York");
    assert_string_equal(find_str(a, "New Caledonia Territorial Government, New Caledonia", NULL),
                        "NCL:New Caledonia Territorial Government NCL:New Caledonia");
    assert_string_equal(find_str(a, "New Zealand, New Delhi, New Guinea, New Scotland Yard", NULL),
                        "NZL:New Zealand IND:New Delhi PNG:New Guinea GBR:New Scotland Yard");
    assert_string_equal(find_str(a, "New Jersey State Police and France", NULL),
                        "USA:New Jersey State Police FRA:France");
    assert_string_equal(find_str(a, "New Jersey", NULL), "");
    dm_actors_destroy(&a);
}

/* A name's first word is keyed by its fold taken from the fold of the
 * whole name: first words whose fold is shorter (U+1E9E to U+00DF, the
 * ohm sign U+2126 to omega U+03C9: three bytes to two) or longer than
 * they are, or a word alone, all found; names that fold alike share a
 * bucket. Room reserved later keeps every name, and a second file loads
 * into the same dictionary. */
static void test_tsv_folded_first_words(void **state)
{
    (void)state;
    const char *path = tmp_path("folded.tsv");
    write_file(path, HEADER
               "SBG\torganisation\t\xe1\xba\x9e" "eta Group\t\t\t\t-\n"
               "OMC\torganisation\t\xe2\x84\xa6MEGA Corps\t\t\t\t-\n"
               "OMA\torganisation\t\xe2\x84\xa6mega Alliance\t\t\t\t-\n"
               "ARM\tstate\t\xc8\xba" "rmoria\t\t\t\t-\n"
               "FRA\tstate\tFrance\t\t\t\t-\n");
    dm_actors *a = NULL;
    dm_error err;
    assert_int_equal(dm_actors_create(&a, &err), DM_OK);
    assert_int_equal(dm_actors_load_tsv(a, path, &err), DM_OK);
    assert_int_equal(dm_actors_count(a), 5);
    assert_int_equal(a->n_buckets, 4);  /* ßeta, ωmega, ⱥrmoria, france */
    const char *text = "\xe1\xba\x9e" "eta Group and \xe2\x84\xa6MEGA Corps met the "
                       "\xe2\x84\xa6mega Alliance in \xc8\xba" "rmoria and France";
    const char *want = "SBG:\xe1\xba\x9e" "eta Group OMC:\xe2\x84\xa6MEGA Corps "
                       "OMA:\xe2\x84\xa6mega Alliance ARM:\xc8\xba" "rmoria FRA:France";
    assert_string_equal(find_str(a, text, NULL), want);
    size_t n_names = a->n_names, n_entities = a->n_entities, n_senses = a->n_senses;
    assert_int_equal(dm_actors_reserve_internal(a, 100, 200, 5000), DM_OK);
    assert_int_equal(a->n_names, n_names);
    assert_int_equal(a->n_entities, n_entities);
    assert_int_equal(a->n_senses, n_senses);
    assert_true(a->cap_names >= n_names + 5000 && a->cap_entities >= n_entities + 100 &&
                a->cap_senses >= n_senses + 200 && a->cap_buckets >= a->n_buckets + 5000);
    assert_true(a->folded_names.cap >= 2 * (a->folded_names.n + 5000 + 1));
    assert_true(a->first_word.cap >= 2 * (a->first_word.n + 5000 + 1));
    assert_string_equal(find_str(a, text, NULL), want);
    const char *more = tmp_path("more.tsv");
    write_file(more, HEADER "DEU\tstate\tGermany\t\t\t\t-\n"
                            "OMX\torganisation\t\xe2\x84\xa6mega\t\t\t\t-\n");
    assert_int_equal(dm_actors_load_tsv(a, more, &err), DM_OK);
    assert_int_equal(dm_actors_count(a), 7);
    assert_string_equal(find_str(a, "Germany, \xe2\x84\xa6mega, France", NULL),
                        "DEU:Germany OMX:\xe2\x84\xa6mega FRA:France");
    assert_string_equal(find_str(a, text, NULL), want);
    dm_actors_destroy(&a);
}

static void test_matching(void **state)
{
    dm_actors *a = load_ours();
    assert_true(dm_actors_count(a) > 1000);
    /* longest match, possessive, optional "the" */
    assert_string_equal(find_str(a, "Russia's envoy met the United States of America.", NULL),
                        "RUS:Russia USA:the United States of America");
    assert_string_equal(find_str(a, "United Kingdom officials and the UK", NULL),
                        "GBR:United Kingdom GBR:the UK");
    assert_string_equal(find_str(a, "the U.S. and U.S.-led forces", NULL),
                        "USA:the U.S. USA:U.S.");
    /* case-sensitive: no bird, no lower-case america */
    assert_string_equal(find_str(a, "a turkey in america", NULL), "");
    assert_string_equal(find_str(a, "Turkey and Türkiye", NULL), "TUR:Turkey TUR:Türkiye");
    /* all caps headline */
    assert_string_equal(find_str(a, "RUSSIA WARNS BRITAIN", NULL), "RUS:RUSSIA GBR:BRITAIN");
    /* word boundaries: no match inside words, plural nouns are entries */
    assert_string_equal(find_str(a, "Russians, Prussia and Nigeria", NULL),
                        "RUS:Russians NGA:Nigeria");
    /* metonyms and capitals */
    assert_string_equal(find_str(a, "The Kremlin told Washington and the Élysée", NULL),
                        "RUS:The Kremlin USA:Washington FRA:the Élysée");
    assert_string_equal(find_str(a, "Kyiv and Kiev", NULL), "UKR:Kyiv UKR:Kiev");
    /* invalid UTF-8 around a name; names never span a paragraph break */
    assert_string_equal(find_str(a, "\xff\xfeRussia\xc3 and \xe2\x82", NULL),
                        "RUS:Russia");
    assert_string_equal(find_str(a, "United\nKingdom", NULL), "");
    assert_string_equal(find_str(a, "St. John's and New Zealanders", NULL),
                        "ATG:St. John's NZL:New Zealanders");
    /* not actors */
    assert_string_equal(find_str(a, "Latin America and the South China Sea", NULL), "");
    /* empty input */
    dm_actor_match *m = (void *)1;
    size_t n = 7;
    assert_int_equal(dm_actors_find(a, "", 0, NULL, &m, &n, NULL), DM_OK);
    assert_int_equal(n, 0);
    free(m);
    /* offsets and fields */
    const char *t = "He said Moscow's role";
    assert_int_equal(dm_actors_find(a, t, strlen(t), NULL, &m, &n, NULL), DM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].start, 8);
    assert_int_equal(m[0].end, 14);
    assert_int_equal(m[0].kind, DM_ACTOR_CAPITAL);
    assert_string_equal(m[0].name, "Moscow");
    assert_null(m[0].role);
    free(m);
    dm_actors_destroy(&a);
}

/* The matcher's ASCII word path and the general (code point) path must
 * agree at their seams: a word ending in a non-ASCII byte, a word of the
 * longest length the matcher considers and one byte longer, names right
 * after a long word, digits, and a name directly after a word it skipped. */
static void test_matching_word_paths(void **state)
{
    dm_actors *a = load_ours();
    /* a name followed by non-ASCII punctuation (general path) */
    assert_string_equal(find_str(a, "Russia\xe2\x80\x99s envoy and Russia\xc2\xa0said", NULL),
                        "RUS:Russia RUS:Russia");
    /* a name followed by a non-ASCII letter: one longer word, no match */
    assert_string_equal(find_str(a, "Russia\xc3\xa9 and Chinaé", NULL), "");
    /* upper case non-ASCII first letter (folded by ICU) */
    assert_string_equal(find_str(a, "\xc3\x89lys\xc3\xa9" "e", NULL), "FRA:Élysée");
    /* digits and letters make one word; skipped words hide no names */
    assert_string_equal(find_str(a, "2Russia Russia2 xRussia Russia", NULL), "RUS:Russia");
    /* words of 126 and 127 letters (the buffer's limit), then a name */
    char text[400];
    for (size_t len = 125; len <= 128; len++) {
        memset(text, 'a', len);
        strcpy(text + len, " Russia");
        assert_string_equal(find_str(a, text, NULL), "RUS:Russia");
        memset(text, 'R', len);
        strcpy(text + len, ",China");
        assert_string_equal(find_str(a, text, NULL), "CHN:China");
    }
    dm_actors_destroy(&a);
}

/* Random texts of `words` glued by `seps`, up to max_words words and
 * `size` - 1 bytes: dm_actors_find must find what
 * dm_actors_find_slow_internal (the code point loop alone, every name
 * compared code point by code point) finds, match by match. */
static void same_as_slow(const dm_actors *a, const char *const *words, size_t nw,
                         const char *const *seps, size_t ns, int rounds, int max_words,
                         size_t size, uint32_t x)
{
    char *text = malloc(size);
    assert_non_null(text);
    for (int round = 0; round < rounds; round++) {
        size_t used = 0;
        int count = 1 + (int)((x = x * 1103515245u + 12345u) >> 16) % max_words;
        for (int k = 0; k < count; k++) {
            const char *w = words[((x = x * 1103515245u + 12345u) >> 16) % nw];
            const char *sep = seps[((x = x * 1103515245u + 12345u) >> 16) % ns];
            size_t lw = strlen(w), ls = strlen(sep);
            if (used + lw + ls + 1 >= size)
                break;
            memcpy(text + used, w, lw);
            memcpy(text + used + lw, sep, ls);
            used += lw + ls;
        }
        text[used] = '\0';
        dm_actor_match *fast = NULL, *slow = NULL;
        size_t nf = 0, nsl = 0;
        assert_int_equal(dm_actors_find(a, text, used, NULL, &fast, &nf, NULL), DM_OK);
        assert_int_equal(dm_actors_find_slow_internal(a, text, used, NULL, &slow, &nsl, NULL),
                         DM_OK);
        if (nf != nsl)
            fail_msg("'%s': %zu matches, the code point loop %zu", text, nf, nsl);
        for (size_t i = 0; i < nf; i++)
            if (fast[i].start != slow[i].start || fast[i].end != slow[i].end ||
                strcmp(fast[i].code, slow[i].code) != 0)
                fail_msg("'%s': match %zu differs", text, i);
        free(fast);
        free(slow);
    }
    free(text);
}

/* dm_actors_find's short ways must find what the code point loop finds:
 * skip_plain over ASCII words that start no name (the text's maps of
 * alphanumeric and non-ASCII bytes, 64 a word, on the stack or, for a text
 * over 4 KiB, the heap; lower_filter for words in lower case) and
 * compare_at's byte by byte comparison of ASCII names. Random texts of
 * names, near-names, short and over-long words, digits and non-ASCII
 * letters, glued by ASCII and non-ASCII separators (or none), short and
 * long. */
static void test_matching_short_way(void **state)
{
    (void)state;
    dm_actors *a = load_ours();
    char longword[131];
    memset(longword, 'q', 130);
    longword[130] = '\0';
    const char *words[] = {"Russia", "russia", "RUSSIA", "United", "States", "Kingdom", "the",
                           "The", "UK", "U.S.", "Moscow", "Kremlin", "China", "Washington",
                           "peace", "we", "a", "x", "2", "42nd", "\xc3\xa9", "\xc3\x89lys\xc3\xa9" "e",
                           "Beijing", "Putin", "President", "Minister", "Iran", "Israel",
                           "Zealanders", "New", longword, "of", "America", "Tu\xcc\x88rkiye",
                           "T\xc3\xbcrkiye", "S\xc3\xa3o", "united", "world", "World",
                           "people", "new", "al-Qaeda", "al", "guinea", "who", "WHO", "us",
                           "US", "10", "Downing", "Street", "UNITED", "STATES", "KINGDOM",
                           "Unite", "Kingdo", "Russi", "\xe2\x84\xaaremlin", "Ru\xc5\xbfsia"};
    const char *seps[] = {" ", " ", " ", ", ", "'s ", "\n", "-", "", ".", "\xc2\xa0",
                          "\xe2\x80\x99", "(", ") "};
    size_t nw = sizeof words / sizeof *words, ns = sizeof seps / sizeof *seps;
    same_as_slow(a, words, nw, seps, ns, 5000, 12, 2048, 2024);
    /* long texts: many blocks of 64, maps on the heap */
    same_as_slow(a, words, nw, seps, ns, 40, 3000, 16384, 7);
    /* the texts hold names: the comparison is not of empty lists only */
    assert_string_equal(find_str(a, "peace, Russia and the UK-China", NULL),
                        "RUS:Russia GBR:the UK CHN:China");
    /* ASCII names, the short way: a capital first letter only, no longer
     * word, the end of the text */
    assert_string_equal(find_str(a, "UNITED KINGDOM and UNITED States, United Kingdoms; United Kingdo",
                                 NULL),
                        "GBR:UNITED KINGDOM");
    dm_actors_destroy(&a);
}

/* The first-word filter (dm_actors_word_filter): the bit of every folded
 * first word of a name is set, so the filter never hides a name from the
 * scan, and few bits are (it turns most words away before the hash). */
static void test_first_word_filter(void **state)
{
    (void)state;
    dm_actors *a = load_ours();
    size_t set = 0, keys = 0;
    for (size_t k = 0; k < DM_ACTORS_FILTER_BITS / 64; k++)
        set += (size_t)__builtin_popcountll(a->word_filter[k]);
    for (size_t i = 0; i < a->first_word.cap; i++) {
        const char *key = a->first_word.keys[i];
        if (!key || !key[0])
            continue;
        keys++;
        uint32_t bit = dm_actors_word_filter(key, strlen(key));
        assert_true(a->word_filter[bit / 64] >> (bit % 64) & 1);
    }
    assert_true(keys > 1000);
    assert_true(set > keys / 2 && set <= keys);
    /* names behind filtered words, the words' bits clear */
    const char *words[] = {"the", "we", "and", "of", "peace"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        uint32_t bit = dm_actors_word_filter(words[i], strlen(words[i]));
        assert_false(a->word_filter[bit / 64] >> (bit % 64) & 1);
    }
    assert_string_equal(find_str(a, "the peace we and Élysée of Russia", NULL),
                        "FRA:Élysée RUS:Russia");
    /* lower_first: "al-Qaeda" and "guinea" start in lower case, no name
     * that can match a word in lower case starts with t, w or p */
    assert_true(a->lower_first >> ('a' - 'a') & 1);
    assert_true(a->lower_first >> ('g' - 'a') & 1);
    assert_false(a->lower_first >> ('t' - 'a') & 1);
    assert_false(a->lower_first >> ('w' - 'a') & 1);
    assert_false(a->lower_first >> ('p' - 'a') & 1);
    assert_string_equal(find_str(a, "the al-Qaeda and Al-Qaeda, then al-Qaedaé", NULL),
                        "AL-QAEDA:al-Qaeda AL-QAEDA:Al-Qaeda");
    dm_actors_destroy(&a);
}

static void test_dates(void **state)
{
    dm_actors *a = load_ours();
    dm_actor_match m;
    const char *p = "Vladimir Putin";
    assert_true(dm_actors_lookup(a, p, strlen(p), "2010", &m));
    assert_string_equal(m.code, "RUS");
    assert_string_equal(m.role, "prime minister");
    assert_int_equal(m.kind, DM_ACTOR_PERSON);
    assert_true(dm_actors_lookup(a, p, strlen(p), "2015-06-01", &m));
    assert_string_equal(m.role, "president");
    assert_true(dm_actors_lookup(a, p, strlen(p), "2005-03", &m));
    assert_string_equal(m.role, "president");
    assert_true(dm_actors_lookup(a, p, strlen(p), NULL, &m));
    assert_string_equal(m.role, "president");
    /* 2008: PM from May covers most of the year */
    assert_true(dm_actors_lookup(a, p, strlen(p), "2008", &m));
    assert_string_equal(m.role, "prime minister");
    assert_true(dm_actors_lookup(a, p, strlen(p), "2008-05-01", &m));
    assert_string_equal(m.role, "president");
    /* ISO timestamp */
    assert_true(dm_actors_lookup(a, p, strlen(p), "2010-03-04T10:00:00Z", &m));
    assert_string_equal(m.role, "prime minister");
    /* GDELT's YYYYMMDD and YYYYMMDDHHMMSS, as the chart reads them */
    assert_true(dm_actors_lookup(a, p, strlen(p), "20100304", &m));
    assert_string_equal(m.role, "prime minister");
    assert_true(dm_actors_lookup(a, p, strlen(p), "20150601120000", &m));
    assert_string_equal(m.role, "president");
    assert_true(dm_actors_lookup(a, p, strlen(p), "20080501", &m));
    assert_string_equal(m.role, "president");
    /* not a date (a month 13, seven digits): as no date at all */
    assert_true(dm_actors_lookup(a, p, strlen(p), "20101304", &m));
    assert_string_equal(m.role, "president");
    assert_true(dm_actors_lookup(a, p, strlen(p), "2010030", &m));
    assert_string_equal(m.role, "president");
    /* out of office: the actor stays, the role goes */
    const char *k = "John Kerry";
    assert_true(dm_actors_lookup(a, k, strlen(k), "2019", &m));
    assert_string_equal(m.code, "USA");
    assert_null(m.role);
    /* a person whose actor changes: Stoltenberg NOR then NATO */
    const char *s = "Stoltenberg";
    assert_true(dm_actors_lookup(a, s, strlen(s), "2010", &m));
    assert_string_equal(m.code, "NOR");
    assert_true(dm_actors_lookup(a, s, strlen(s), "2018-01-01", &m));
    assert_string_equal(m.code, "NATO");
    /* find uses the date too */
    assert_string_equal(find_str(a, "Putin and Medvedev", "2010"),
                        "RUS:Putin RUS:Medvedev");
    dm_actors_destroy(&a);
}

static void test_lookup(void **state)
{
    dm_actors *a = load_ours();
    dm_actor_match m;
    assert_true(dm_actors_lookup(a, "Lavrov", 6, NULL, &m));
    assert_string_equal(m.code, "RUS");
    assert_string_equal(m.name, "Sergei Lavrov");
    assert_string_equal(m.role, "foreign minister");
    assert_int_equal(m.start, 0);
    assert_int_equal(m.end, 6);
    assert_true(dm_actors_lookup(a, " Sergei Lavrov ", 15, "2020", &m));
    assert_string_equal(m.code, "RUS");
    const char *x = "Xi";
    assert_true(dm_actors_lookup(a, x, strlen(x), "2020", &m));
    assert_string_equal(m.code, "CHN");
    const char *g = "Antonio Guterres";
    assert_true(dm_actors_lookup(a, g, strlen(g), "2020", &m));
    assert_string_equal(m.code, "UN");
    const char *b = "Blinken";
    assert_true(dm_actors_lookup(a, b, strlen(b), "2022", &m));
    assert_string_equal(m.role, "secretary of state");
    const char *pm = "President Vladimir Putin";
    assert_true(dm_actors_lookup(a, pm, strlen(pm), NULL, &m));
    assert_string_equal(m.code, "RUS");
    assert_false(dm_actors_lookup(a, "John Smith", 10, NULL, &m));
    assert_false(dm_actors_lookup(a, "", 0, NULL, &m));
    dm_actors_destroy(&a);
}

static void expect_role(const dm_actors *a, const char *role, const char *code)
{
    dm_actor_match m;
    bool found = dm_actors_role_actor(a, role, strlen(role), "2020", &m);
    if (!code) {
        assert_false(found);
        return;
    }
    if (!found)
        fail_msg("no actor for role '%s'", role);
    if (strcmp(m.code, code) != 0)
        fail_msg("role '%s': got %s, expected %s", role, m.code, code);
}

static void test_role_actor(void **state)
{
    dm_actors *a = load_ours();
    expect_role(a, "Britain's ambassador to the UN", "GBR");
    expect_role(a, "the Russian foreign ministry spokeswoman", "RUS");
    expect_role(a, "UN Secretary-General", "UN");
    expect_role(a, "a senior State Department official", "USA");
    expect_role(a, "U.S. ambassador to the United Nations", "USA");
    expect_role(a, "the UN envoy to Syria", "UN");
    expect_role(a, "NATO's secretary-general", "NATO");
    expect_role(a, "ambassador to the UN", NULL);
    expect_role(a, "a spokesman", NULL);
    dm_actors_destroy(&a);
}

static const char PHOENIX_SNIPPET[] =
    "# a comment line\n"
    "\n"
    "RUSSIA_  [RUSGOV]\n"
    "FREEDONIA_  [FRD]  # trailing comment\n"
    "+FREEDONIAN_\n"
    "+THE_GRAND_FENWICK_DUCHY_\n"
    "VLADIMIR_PUTIN_  # CountryInfo.txt\n"
    "+PUTIN_\n"
    "+PRIME_MINISTER_PUTIN_\n"
    "\t[RUSELI 700101-990809]\n"
    "\t[RUSGOV >20120507]\n"
    "\t[RUSGOV 080508-120507]\n"
    "THE_UNITED_NATIONS_ [IGOUNO]\n"
    "INTERNATIONAL_ATOMIC_ENERGY_AGENCY_\t[IGOUNOIAE]# NGO_Actors\n"
    "ACME_CORP_\t[MNCUSA]\n"
    "WHO_\t[IGOUNOHLHWHO]\n"
    "POLICE_\t[FRDCOP]\n"
    "NAMELESS_WITHOUT_CODE_\n"
    "+ORPHAN_SYNONYM_\n"
    "\t[BADCODE 99999]\n"
    "BROKEN_  [FRDGOV 2004017-20061201]\n"
    "UNCLOSED_ [FRDGOV\n"
    "JUNK_ [ELI] [---]\n"
    "+\n";

typedef struct log_record {
    int n;
    long lines[32];
    char last[256];
} log_record;

static void record_log(void *user, dm_log_level level, const char *where,
                       long line, const char *message)
{
    log_record *r = user;
    if (r->n < 32)
        r->lines[r->n++] = line;
    snprintf(r->last, sizeof r->last, "%s", message);
}

static bool logged_line(const log_record *r, long line)
{
    for (int i = 0; i < r->n; i++)
        if (r->lines[i] == line)
            return true;
    return false;
}

static void test_phoenix_snippet(void **state)
{
    const char *path = tmp_path("snippet.actors.txt");
    write_file(path, PHOENIX_SNIPPET);
    const char *ours = tmp_path("ours.tsv");
    write_file(ours, HEADER "RUS\tstate\tRussia\t\t\t\t\n");
    dm_actors *a = NULL;
    dm_error err;
    assert_int_equal(dm_actors_create(&a, &err), DM_OK);
    assert_int_equal(dm_actors_load_tsv(a, ours, &err), DM_OK);
    log_record rec = {0};
    dm_logger logger = {record_log, &rec};
    assert_int_equal(dm_actors_load_phoenix_logged(a, path, &logger, &err), DM_OK);
    assert_int_equal(rec.n, 8);
    assert_true(logged_line(&rec, 18)); /* NAMELESS: no code */
    assert_true(logged_line(&rec, 20)); /* [BADCODE 99999] */
    assert_true(logged_line(&rec, 22)); /* unclosed bracket */
    assert_true(logged_line(&rec, 24)); /* empty synonym */
    assert_non_null(strstr(rec.last, "skipped"));
    /* skipped (8): the bad code line, NAMELESS+ORPHAN (no code), BROKEN's
     * 7-digit date and BROKEN itself (no code left), UNCLOSED's bracket and
     * UNCLOSED itself, the empty "+" synonym, JUNK ([ELI] and [---] are no
     * actor codes) */
    assert_int_equal(dm_actors_phoenix_skipped(a), 8);

    dm_actor_match m;
    /* ours first: Russia stays a state with no role */
    assert_true(dm_actors_lookup(a, "Russia", 6, NULL, &m));
    assert_int_equal(m.kind, DM_ACTOR_STATE);
    assert_null(m.role);
    /* upper-case Phoenix names match capitalised text */
    assert_string_equal(find_str(a, "Freedonian troops entered Freedonia", NULL),
                        "FRD:Freedonian FRD:Freedonia");
    assert_string_equal(find_str(a, "the Grand Fenwick Duchy", NULL),
                        "FRD:the Grand Fenwick Duchy");
    assert_string_equal(find_str(a, "freedonia", NULL), "");
    /* dates pick the code; role is the agent */
    assert_true(dm_actors_lookup(a, "Putin", 5, "2010", &m));
    assert_string_equal(m.code, "RUS");
    assert_string_equal(m.role, "GOV");
    assert_true(dm_actors_lookup(a, "Putin", 5, "1980", &m));
    assert_string_equal(m.role, "ELI");
    assert_string_equal(m.name, "Vladimir Putin");
    assert_string_equal(find_str(a, "Prime Minister Putin", "2010"),
                        "RUS:Prime Minister Putin");
    /* IGO codes map to ours; others keep the code */
    assert_string_equal(find_str(a, "The United Nations and the International Atomic Energy Agency", NULL),
                        "UN:The United Nations IAEA:International Atomic Energy Agency");
    assert_string_equal(find_str(a, "Acme Corp", NULL), "MNCUSA:Acme Corp");
    /* short acronyms need capitals: "Who" is not the WHO */
    assert_string_equal(find_str(a, "Who said it? WHO did.", NULL), "WHO:WHO");
    assert_string_equal(find_str(a, "the police and Police", NULL), "FRD:Police");
    assert_false(dm_actors_lookup(a, "Nameless Without Code", 21, NULL, &m));
    dm_actors_destroy(&a);
}

/* Phoenix names (compared folded) take compare_at's short way too: the
 * code point loop's answers, also where a non-ASCII letter folds to an
 * ASCII one (U+212A KELVIN SIGN to k, U+017F LONG S to s). */
static void test_phoenix_short_way(void **state)
{
    (void)state;
    const char *path = tmp_path("short.actors.txt");
    write_file(path, "FREEDONIA_  [FRD]\n+FREEDONIAN_\n+THE_GRAND_FENWICK_DUCHY_\n"
                     "KIEV_ [UKR]\nKREMLIN_ [RUSGOV]\nASSAD_ [SYRGOV]\nWHO_ [IGOUNOHLHWHO]\n"
                     "POLICE_ [FRDCOP]\nACME_CORP_ [MNCUSA]\nA-B_C_ [ABC]\n");
    dm_actors *a = NULL;
    dm_error err;
    assert_int_equal(dm_actors_create(&a, &err), DM_OK);
    assert_int_equal(dm_actors_load_phoenix(a, path, &err), DM_OK);
    const char *words[] = {"Freedonia", "FREEDONIA", "freedonia", "Freedonian", "FreedoniaN",
                           "Fr\xc3\xa9" "edonia", "Grand", "Fenwick", "Duchy", "GRAND", "the",
                           "The", "Kiev", "KIEV", "kiev", "\xe2\x84\xaaIEV", "\xe2\x84\xaaiev",
                           "KIE\xe2\x84\xaa", "Kremlin", "\xe2\x84\xaaremlin", "Assad", "ASSAD",
                           "A\xc5\xbf\xc5\xbf" "ad", "As\xc5\xbf" "ad", "WHO", "Who", "who",
                           "Police", "POLICE", "police", "Acme", "Corp", "ACME", "CORP", "corp",
                           "A-B", "C", "A", "B", "x", "42", "\xc3\xa9"};
    const char *seps[] = {" ", " ", " ", ", ", "'s ", "\n", "-", "", ".", "\xc2\xa0", "_"};
    same_as_slow(a, words, sizeof words / sizeof *words, seps, sizeof seps / sizeof *seps,
                 5000, 12, 2048, 99);
    /* and they match (a short acronym in capitals only): the comparison
     * is not of empty lists only */
    assert_string_equal(find_str(a, "KIEV, Kiev and \xe2\x84\xaaIEV; the Kremlin, Acme CORP", NULL),
                        "UKR:KIEV UKR:\xe2\x84\xaaIEV RUS:Kremlin MNCUSA:Acme CORP");
    dm_actors_destroy(&a);
}

/* Odd input never crashes the Phoenix loader and never fails it. */
static void test_phoenix_garbage(void **state)
{
    static const char alphabet[] = "AB_+[]<>-#\t \n0123456789\xff\xc3\xa9ZQ";
    const char *path = tmp_path("garbage.actors.txt");
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    unsigned long long r = 12345;
    for (int i = 0; i < 200000; i++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        fputc(alphabet[(r >> 33) % (sizeof alphabet - 1)], f);
    }
    fputs("\nGOOD_NAME_ [ABCGOV 990101-20101231]\n\t[", f);
    fclose(f);
    dm_actors *a = NULL;
    dm_error err;
    assert_int_equal(dm_actors_create(&a, &err), DM_OK);
    assert_int_equal(dm_actors_load_phoenix(a, path, &err), DM_OK);
    assert_true(dm_actors_phoenix_skipped(a) > 0);
    dm_actor_match m;
    assert_true(dm_actors_lookup(a, "Good Name", 9, "2005", &m));
    assert_string_equal(m.code, "ABC");
    assert_string_equal(m.role, "GOV");
    dm_actors_destroy(&a);
}

static void test_phoenix_real(void **state)
{
    const char *shared = getenv("DM_SHARED_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/data/phoenix/Phoenix.Countries.actors.txt",
             shared ? shared : "");
    if (!shared || access(path, R_OK) != 0) {
        print_message("skipped: Phoenix dictionaries not found (DM_SHARED_DIR)\n");
        skip();
    }
    dm_actors *a = load_ours();
    size_t ours = dm_actors_count(a);
    dm_error err;
    const char *files[] = {"Countries", "International", "MilNonState"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/data/phoenix/Phoenix.%s.actors.txt",
                 shared, files[i]);
        assert_int_equal(dm_actors_load_phoenix(a, path, &err), DM_OK);
    }
    assert_true(dm_actors_count(a) > ours + 15000);
    dm_actor_match m;
    const char *h = "Hamid Karzai";
    assert_true(dm_actors_lookup(a, h, strlen(h), "2010", &m));
    assert_string_equal(m.code, "AFG");
    const char *n = "North Atlantic Treaty Organization";
    assert_true(dm_actors_lookup(a, n, strlen(n), NULL, &m));
    assert_string_equal(m.code, "NATO");
    /* ours still wins */
    assert_true(dm_actors_lookup(a, "Lavrov", 6, "2010", &m));
    assert_string_equal(m.role, "foreign minister");
    dm_actors_destroy(&a);
}

/* dm_target_key: the dictionary's actor in the words, else the words. */
static void test_target_key(void **state)
{
    (void)state;
    dm_actors *a = load_ours();
    const char *t = "Then President Barack Obama met the poll's authors in Moscow.";
    char *key = NULL;
    dm_error err;
    size_t s = (size_t)(strstr(t, "President") - t);
    assert_int_equal(dm_target_key(a, t, strlen(t), s, s + strlen("President Barack Obama"),
                                   NULL, &key, &err), DM_OK);
    assert_string_equal(key, "USA");
    free(key);
    s = (size_t)(strstr(t, "the poll") - t);
    assert_int_equal(dm_target_key(a, t, strlen(t), s, s + 8, NULL, &key, &err), DM_OK);
    assert_string_equal(key, "the poll");
    free(key);
    /* no dictionary: the words */
    s = (size_t)(strstr(t, "Moscow") - t);
    assert_int_equal(dm_target_key(NULL, t, strlen(t), s, s + 6, NULL, &key, &err), DM_OK);
    assert_string_equal(key, "Moscow");
    free(key);
    assert_int_equal(dm_target_key(a, t, strlen(t), s, s + 6, NULL, &key, &err), DM_OK);
    assert_string_equal(key, "RUS");
    free(key);
    /* invalid arguments */
    assert_int_equal(dm_target_key(a, NULL, 1, 0, 1, NULL, &key, &err), DM_E_INVALID_ARG);
    assert_null(key);
    assert_int_equal(dm_target_key(a, t, strlen(t), 0, 1, NULL, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_target_key(a, t, strlen(t), 5, 4, NULL, &key, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_target_key(a, t, 3, 0, 4, NULL, &key, &err), DM_E_INVALID_ARG);
    assert_int_equal(err.status, DM_E_INVALID_ARG);
    dm_actors_destroy(&a);
}

static void test_invalid_args(void **state)
{
    dm_error err;
    dm_actors *a = NULL;
    assert_int_equal(dm_actors_create(NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(err.status, DM_E_INVALID_ARG);
    assert_int_equal(dm_actors_create(&a, NULL), DM_OK);
    assert_int_equal(dm_actors_load_tsv(NULL, "x", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_actors_load_tsv(a, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_actors_load_phoenix(NULL, "x", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_actors_load_phoenix(a, NULL, NULL), DM_E_INVALID_ARG);
    assert_int_equal(dm_actors_load_phoenix(a, tmp_path("nope.txt"), &err), DM_E_IO);
    dm_actor_match *m = NULL;
    size_t n = 0;
    assert_int_equal(dm_actors_find(NULL, "x", 1, NULL, &m, &n, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_actors_find(a, NULL, 1, NULL, &m, &n, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_actors_find(a, "x", 1, NULL, NULL, &n, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_actors_find(a, "x", 1, NULL, &m, NULL, &err), DM_E_INVALID_ARG);
    dm_actor_match one;
    assert_false(dm_actors_lookup(NULL, "x", 1, NULL, &one));
    assert_false(dm_actors_lookup(a, NULL, 1, NULL, &one));
    assert_false(dm_actors_lookup(a, "x", 1, NULL, NULL));
    assert_false(dm_actors_role_actor(NULL, "x", 1, NULL, &one));
    assert_false(dm_actors_role_actor(a, NULL, 1, NULL, &one));
    assert_false(dm_actors_role_actor(a, "x", 1, NULL, NULL));
    assert_int_equal(dm_actors_count(NULL), 0);
    assert_int_equal(dm_actors_phoenix_skipped(NULL), 0);
    assert_string_equal(dm_actor_kind_name(DM_ACTOR_METONYM), "metonym");
    dm_actors_destroy(&a);
    assert_null(a);
    dm_actors_destroy(&a);
    dm_actors_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tsv_errors),
        cmocka_unit_test(test_tsv_small),
        cmocka_unit_test(test_tsv_shared_first_word),
        cmocka_unit_test(test_tsv_folded_first_words),
        cmocka_unit_test(test_matching),
        cmocka_unit_test(test_matching_word_paths),
        cmocka_unit_test(test_matching_short_way),
        cmocka_unit_test(test_first_word_filter),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_role_actor),
        cmocka_unit_test(test_phoenix_snippet),
        cmocka_unit_test(test_phoenix_short_way),
        cmocka_unit_test(test_phoenix_garbage),
        cmocka_unit_test(test_phoenix_real),
        cmocka_unit_test(test_target_key),
        cmocka_unit_test(test_invalid_args),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
