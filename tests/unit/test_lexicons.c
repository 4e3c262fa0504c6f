/* Tests of the featurizer lexicons: the shipped files (content the rules
 * rely on) and validation of broken files with file:line errors, written to
 * a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demarche/features.h"
#include "features/features_internal.h"
#include "features_fixture.h"

static const dm_lex_entry *entry(const dm_featurizer *fz, const char *key)
{
    return dm_lexicon_get(&fz->lex, key, strlen(key), fz->settings.hash_seed);
}

/* ---- the shipped lexicons ----------------------------------------------- */

/* The halves of dm_lexicon_get on a lexicon with no table: nothing found,
 * the prefetch a no-op. */
static void test_lookup_empty(void **state)
{
    (void)state;
    dm_lexicon empty;
    memset(&empty, 0, sizeof empty);
    dm_lexicon_prefetch(&empty, 12345);
    assert_null(dm_lexicon_get_hashed(&empty, "war", 3, 12345));
    assert_null(dm_lexicon_get(&empty, "war", 3, 1));
}

static void test_shipped_sizes_and_categories(void **state)
{
    dm_featurizer *fz = *state;
    int hostile = 0, cordial = 0, negators = 0, intens = 0, down = 0, hedges = 0;
    int hcat[HOSTILE_CATEGORY_COUNT] = {0}, ccat[CORDIAL_CATEGORY_COUNT] = {0}, gcat[HEDGE_CATEGORY_COUNT] = {0};
    size_t used = 0;
    for (size_t i = 0; i < fz->lex.cap; i++)
        used += fz->lex.slots[i].tag != 0;
    assert_int_equal(used, fz->lex.count);      /* one slot an entry */
    for (size_t i = 0; i < fz->lex.count; i++) {
        const dm_lex_entry *e = &fz->lex.entries[i];
        assert_ptr_equal(entry(fz, e->key), e); /* every entry found by its key */
        dm_lexicon_prefetch(&fz->lex, e->hash);  /* and by its hash */
        assert_ptr_equal(dm_lexicon_get_hashed(&fz->lex, e->key, e->key_len, e->hash), e);
        /* the same hash with another key: not that entry */
        assert_ptr_not_equal(dm_lexicon_get_hashed(&fz->lex, "\x01", 1, e->hash), e);
        if (e->flags & LEX_HOSTILE) {
            hostile++;
            hcat[e->hostile_cat]++;
        }
        if (e->flags & LEX_CORDIAL) {
            cordial++;
            ccat[e->cordial_cat]++;
        }
        if (e->flags & LEX_NEGATOR)
            negators++;
        if (e->flags & LEX_INTENSIFIER) {
            intens += e->multiplier > 1;
            down += e->multiplier < 1;
        }
        if (e->flags & LEX_HEDGE) {
            hedges++;
            gcat[e->hedge_cat]++;
        }
    }
    assert_true(hostile >= 300);
    assert_true(cordial >= 150);
    assert_true(negators >= 20);
    assert_true(intens >= 10 && down >= 5);
    assert_true(hedges >= 30);
    for (int c = 0; c < HOSTILE_CATEGORY_COUNT; c++)
        assert_true(hcat[c] > 0);
    for (int c = 0; c < CORDIAL_CATEGORY_COUNT; c++)
        assert_true(ccat[c] > 0);
    for (int c = 0; c < HEDGE_CATEGORY_COUNT; c++)
        assert_true(gcat[c] > 0);
}

/* What the loader's ICU path makes of a term: normalised, tokenised, the
 * folded tokens joined by spaces. */
static void icu_key(const char *term, char *key, size_t size, int *n)
{
    dm_text *text = NULL;
    dm_tokens toks = {0};
    assert_int_equal(dm_text_create(term, strlen(term), &text, NULL), DM_OK);
    assert_int_equal(dm_tokenize(dm_text_norm(text), dm_text_norm_len(text), &toks, NULL),
                     DM_OK);
    dm_text_destroy(&text);
    size_t used = 0;
    for (size_t i = 0; i < toks.n; i++)
        used += (size_t)snprintf(key + used, size - used, "%s%s", i ? " " : "",
                                 toks.v[i].folded);
    *n = (int)toks.n;
    dm_tokens_free(&toks);
}

/* The ASCII shortcut of the lexicon loader gives ICU's key for every term
 * it takes (every first column of the shipped .tsv files, and edge cases),
 * and leaves the rest to ICU. */
static void check_ascii_key(const char *term, int *taken)
{
    char fast[256], slow[1024];
    int n_fast = 0, n_slow = 0;
    if (!dm_lexicon_ascii_key(term, fast, sizeof fast, &n_fast))
        return;
    icu_key(term, slow, sizeof slow, &n_slow);
    if (strcmp(fast, slow) != 0 || n_fast != n_slow)
        fail_msg("'%s': shortcut '%s' (%d), ICU '%s' (%d)", term, fast, n_fast, slow, n_slow);
    (*taken)++;
}

static void test_ascii_key_is_icu_key(void **state)
{
    (void)state;
    int taken = 0;
    const char *yes[] = {"war", "UN", "De Facto", "a b c d", "SHOUTING LOUDLY", "Z"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        check_ascii_key(yes[i], &taken);
    assert_int_equal(taken, (int)(sizeof yes / sizeof *yes));
    const char *no[] = {"", " war", "war ", "de  facto", "don't", "co-operate", "caf\xc3\xa9",
                        "g7", "war.", "war\tcrime", "\xef\xbc\xa1"};
    char key[64];
    int n;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (dm_lexicon_ascii_key(no[i], key, sizeof key, &n))
            fail_msg("'%s' taken by the shortcut", no[i]);
    assert_false(dm_lexicon_ascii_key("abcdef", key, 4, &n));   /* does not fit */
    const char *files[] = {"hostility.tsv", "cordiality.tsv", "sentiment.tsv", "hedges.tsv",
                           "intensifiers.tsv", "negators.tsv", "implicit.tsv"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char path[4200], line[1024];
        snprintf(path, sizeof path, "%s/%s", lexdir, files[f]);
        FILE *fp = fopen(path, "r");
        assert_non_null(fp);
        while (fgets(line, sizeof line, fp)) {
            if (line[0] == '#')
                continue;
            line[strcspn(line, "\t\r\n")] = '\0';
            check_ascii_key(line, &taken);
        }
        fclose(fp);
    }
    assert_true(taken > 5000);
}

static void test_shipped_required_terms(void **state)
{
    dm_featurizer *fz = *state;
    const char *negs[] = {"not", "no", "never", "don't", "dont", "do not",
                          "cannot", "won't", "neither", "nor", "without"};
    for (size_t i = 0; i < sizeof negs / sizeof negs[0]; i++) {
        const dm_lex_entry *e = entry(fz, negs[i]);
        assert_non_null(e);
        assert_true(e->flags & LEX_NEGATOR);
        assert_true(e->negator_scope >= 1);
    }
    const char *up[] = {"deeply", "strongly", "utterly", "categorically"};
    for (size_t i = 0; i < 4; i++)
        assert_true(entry(fz, up[i])->multiplier > 1);
    const char *low[] = {"somewhat", "slightly", "rather"};
    for (size_t i = 0; i < 3; i++)
        assert_true(entry(fz, low[i])->multiplier < 1);
    const char *hedge[] = {"we regret", "we call on", "we note with concern",
                           "we urge", "it is regrettable", "we encourage",
                           "perhaps", "may"};
    for (size_t i = 0; i < sizeof hedge / sizeof hedge[0]; i++)
        assert_true(entry(fz, hedge[i])->flags & LEX_HEDGE);
    const char *extreme[] = {"war crimes", "genocide", "barbarism", "terrorism"};
    for (size_t i = 0; i < 4; i++) {
        const dm_lex_entry *e = entry(fz, extreme[i]);
        assert_true(e->flags & LEX_HOSTILE);
        assert_int_equal(e->hostile_cat, HCAT_EXTREME);
    }
    /* Multi-word phrases leave their prefixes in the table. */
    const dm_lex_entry *p = entry(fz, "we note with");
    assert_non_null(p);
    assert_true(p->flags & LEX_PREFIX);
    assert_int_equal(p->n_tokens, 3);
    assert_true(entry(fz, "we note with concern")->flags & LEX_HOSTILE);
    assert_true(fz->lex.max_tokens >= 4);
    assert_null(entry(fz, "zzzz not a term"));
}

/* ---- validation --------------------------------------------------------- */

typedef struct tmpdir {
    char path[256];
} tmpdir;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define N_VALID 7
static const char *VALID[N_VALID][2] = {
    {"hostility.tsv", "# test\nterm\tweight\tcategory\ncondemn\t2\tcondemnation\n"
                      "war crimes\t4\textreme\n"},
    {"cordiality.tsv", "term\tweight\tcategory\nthank\t1.5\tthanks\n"},
    {"negators.tsv", "term\tscope\nnot\t3\n"},
    {"intensifiers.tsv", "term\tmultiplier\nstrongly\t1.5\n"},
    {"hedges.tsv", "term\tcategory\nwe urge\tappeal\n"},
    {"sentiment.tsv", "term\tvalence\ngood\t1.9\n"},
    {"implicit.tsv", "term\tweight\tcategory\nfail to~v\t1.5\tinsufficiency\n"},
};

static void make_valid(tmpdir *t)
{
    snprintf(t->path, sizeof t->path, "/tmp/dm_lexicons_XXXXXX");
    assert_non_null(mkdtemp(t->path));
    for (int i = 0; i < N_VALID; i++)
        write_file(t->path, VALID[i][0], VALID[i][1]);
}

static void remove_dir(tmpdir *t)
{
    char path[512];
    for (int i = 0; i < N_VALID; i++) {
        snprintf(path, sizeof path, "%s/%s", t->path, VALID[i][0]);
        unlink(path);
    }
    rmdir(t->path);
}

/* Load with one file replaced by `text`; expect `status` at `line`, with
 * `needle` in the message. */
static void expect_error(const char *file, const char *text, dm_status status,
                         long line, const char *needle)
{
    tmpdir t;
    make_valid(&t);
    write_file(t.path, file, text);
    dm_featurizer *fz = NULL;
    dm_error err;
    dm_error_clear(&err);
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), status);
    assert_null(fz);
    assert_int_equal(err.status, status);
    assert_non_null(strstr(err.where, file));
    assert_int_equal(err.line, line);
    if (!strstr(err.message, needle))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
    char buf[1024], want[600];
    dm_error_format(&err, buf, sizeof buf);
    snprintf(want, sizeof want, "%s/%s:%ld: ", t.path, file, line);
    assert_true(strncmp(buf, want, strlen(want)) == 0);
    remove_dir(&t);
}

static void test_valid_temp_dir_and_checksum(void **state)
{
    (void)state;
    tmpdir t;
    make_valid(&t);
    dm_featurizer *fz = NULL;
    dm_error err;
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_OK);
    /* The documented checksum, recomputed here from the same bytes. */
    uint64_t h = DM_FNV1A64_BASIS;
    for (int i = 0; i < N_VALID; i++) {
        h = dm_fnv1a64(h, VALID[i][0], strlen(VALID[i][0]) + 1);
        h = dm_fnv1a64(h, VALID[i][1], strlen(VALID[i][1]));
        h = dm_fnv1a64(h, "", 1);
    }
    char want[17];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)h);
    assert_string_equal(dm_featurizer_lexicon_checksum(fz), want);
    /* The small lexicon works: "war crimes" is an extreme phrase. */
    const dm_lex_entry *e = entry(fz, "war crimes");
    assert_non_null(e);
    assert_float_equal(e->hostile_weight, 4.0, 1e-9);
    assert_int_equal(fz->lex.max_tokens, 2);
    /* The lemma line "fail to~v" gave its inflections the same values. */
    const char *forms[] = {"fail to", "fails to", "failed to", "failing to"};
    for (int i = 0; i < 4; i++) {
        e = entry(fz, forms[i]);
        assert_non_null(e);
        assert_true(e->flags & LEX_IMPLICIT);
        assert_int_equal(e->implicit_cat, ICAT_INSUFFICIENCY);
        assert_float_equal(e->implicit_weight, 1.5, 1e-9);
    }
    dm_featurizer_destroy(&fz);

    /* One changed byte (a comment) changes the checksum. */
    write_file(t.path, "negators.tsv", "# changed\nterm\tscope\nnot\t3\n");
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_OK);
    assert_string_not_equal(dm_featurizer_lexicon_checksum(fz), want);
    dm_featurizer_destroy(&fz);
    remove_dir(&t);
}

/* The lexicons' numbers as strtod reads them, whatever their spelling:
 * plain decimals (read without strtod) and the rest (read by it). */
static void test_numbers_as_strtod(void **state)
{
    (void)state;
    static const char *const NUMS[] = {
        "1", "-1", "+2", "0.5", "-0.5", ".5", "-.25", "3.", "1.1", "-1.4", "2.0",
        "0.1", "0.7", "3.3", "-3.9", "1.23456789012345", "-0.000000000000001",
        "0.0000000000000001", "3.99999999999999", "0001.5", "1e0", "2.5E-1",
        "0x1p1", " 1.5", "1.50000000000000000001", "3.999999999999999", "-2.675"};
    size_t n = sizeof NUMS / sizeof NUMS[0];
    char text[4096] = "term\tvalence\n";
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(text);
        snprintf(text + used, sizeof text - used, "word%c%c\t%s\n", (char)('a' + i % 26),
                 (char)('a' + i / 26), NUMS[i]);
    }
    tmpdir t;
    make_valid(&t);
    write_file(t.path, "sentiment.tsv", text);
    dm_featurizer *fz = NULL;
    dm_error err;
    if (dm_featurizer_create(NULL, t.path, &fz, &err) != DM_OK)
        fail_msg("%s:%ld: %s", err.where, err.line, err.message);
    for (size_t i = 0; i < n; i++) {
        char key[8];
        snprintf(key, sizeof key, "word%c%c", (char)('a' + i % 26), (char)('a' + i / 26));
        const dm_lex_entry *e = entry(fz, key);
        assert_non_null(e);
        float want = (float)strtod(NUMS[i], NULL);
        if (e->valence != want)
            fail_msg("%s: %.9g, strtod %.9g", NUMS[i], (double)e->valence, (double)want);
    }
    dm_featurizer_destroy(&fz);
    remove_dir(&t);
}

static void test_validation_errors(void **state)
{
    (void)state;
    expect_error("hostility.tsv", "term\tcategory\n", DM_E_FORMAT, 1, "header");
    expect_error("hostility.tsv", "# only a comment\n", DM_E_FORMAT, 1,
                 "missing header");
    expect_error("hostility.tsv", "term\tweight\tcategory\ncondemn\t2\n",
                 DM_E_FORMAT, 2, "columns");
    expect_error("hostility.tsv",
                 "term\tweight\tcategory\ncondemn\t2\tcondemnation\n\n"
                 "deplore\tlots\tcondemnation\n", DM_E_FORMAT, 4, "weight");
    expect_error("hostility.tsv", "term\tweight\tcategory\ncondemn\t9\tcondemnation\n",
                 DM_E_FORMAT, 2, "weight");
    expect_error("hostility.tsv", "term\tweight\tcategory\ncondemn\t2\tanger\n",
                 DM_E_FORMAT, 2, "unknown category 'anger'");
    expect_error("hostility.tsv",
                 "term\tweight\tcategory\ncondemn\t2\tcondemnation\n"
                 "Condemn\t2\tcondemnation\n", DM_E_FORMAT, 3, "duplicate");
    expect_error("hostility.tsv", "term\tweight\tcategory\n\t2\tcondemnation\n",
                 DM_E_FORMAT, 2, "empty term");
    expect_error("hostility.tsv",
                 "term\tweight\tcategory\na b c d e f g h i\t2\tcondemnation\n",
                 DM_E_FORMAT, 2, "tokens");
    expect_error("hostility.tsv", "term\tweight\tcategory\nbad\xff\t2\tthreat\n",
                 DM_E_FORMAT, 2, "UTF-8");
    expect_error("cordiality.tsv", "term\tweight\tcategory\nthank\t1\tthreat\n",
                 DM_E_FORMAT, 2, "unknown category");
    expect_error("negators.tsv", "term\tscope\nnot\t2.5\n", DM_E_FORMAT, 2, "scope");
    expect_error("negators.tsv", "term\tscope\nnot\t0\n", DM_E_FORMAT, 2, "scope");
    expect_error("intensifiers.tsv", "term\tmultiplier\nvery\t1\n", DM_E_FORMAT,
                 2, "multiplier");
    expect_error("intensifiers.tsv", "term\tmultiplier\nvery\t-2\n", DM_E_FORMAT,
                 2, "multiplier");
    expect_error("hedges.tsv", "term\tcategory\nwe urge\turgent\n", DM_E_FORMAT,
                 2, "unknown category");
    expect_error("hedges.tsv", "term\tcategory\r\nwe urge\tappeal\textra\r\n",
                 DM_E_FORMAT, 2, "columns");
    expect_error("implicit.tsv", "term\tweight\tcategory\nfail to\t1\tthreat\n",
                 DM_E_FORMAT, 2, "unknown category 'threat'");
    /* Lemmas: only the classes v, n, a, e; a lemma twice is a duplicate. */
    expect_error("hostility.tsv", "term\tweight\tcategory\ncondemn~x\t2\tcondemnation\n",
                 DM_E_FORMAT, 2, "inflection classes");
    expect_error("hostility.tsv", "term\tweight\tcategory\ncondemn~\t2\tcondemnation\n",
                 DM_E_FORMAT, 2, "inflection classes");
    expect_error("hostility.tsv",
                 "term\tweight\tcategory\ncondemn~v\t2\tcondemnation\n"
                 "condemn\t3\tcondemnation\n", DM_E_FORMAT, 3, "duplicate");
}

static void test_comments_crlf_and_missing_file(void **state)
{
    (void)state;
    tmpdir t;
    make_valid(&t);
    /* CRLF line ends and trailing comments are accepted. */
    write_file(t.path, "hedges.tsv",
               "term\tcategory\r\nwe urge\tappeal   # a call\r\n\r\n");
    dm_featurizer *fz = NULL;
    dm_error err;
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_OK);
    assert_int_equal(entry(fz, "we urge")->hedge_cat, GCAT_APPEAL);
    dm_featurizer_destroy(&fz);
    /* A missing file is an I/O error naming it. */
    char path[512];
    snprintf(path, sizeof path, "%s/intensifiers.tsv", t.path);
    unlink(path);
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_E_IO);
    assert_non_null(strstr(err.where, "intensifiers.tsv"));
    assert_null(fz);
    remove_dir(&t);
}

/* The table is made once from an estimate of the entries the files can
 * make (their lines, lemmas and spaces): files with no entry, one entry,
 * and more entries than the estimate (8-word verb lemmas: each form makes
 * 8 entries with its prefixes), all found by their keys. */
static void check_table(const dm_lexicon *lex)
{
    size_t used = 0;
    assert_true(lex->cap >= 1024 && (lex->cap & (lex->cap - 1)) == 0);
    assert_true(2 * lex->count < lex->cap);
    assert_true(lex->count <= lex->cap_entries);
    for (size_t i = 0; i < lex->cap; i++)
        used += lex->slots[i].tag != 0;
    assert_int_equal(used, lex->count);
    for (size_t i = 0; i < lex->count; i++) {
        const dm_lex_entry *e = &lex->entries[i];
        assert_int_equal(strlen(e->key), e->key_len);
        assert_ptr_equal(dm_lexicon_get_hashed(lex, e->key, e->key_len, e->hash), e);
    }
}

/* ---- the staged lookups of dm_fz_tokens ---------------------------------- */

/* The entry whose key is key[0, len), by a scan of every entry (not the
 * table, nor its filter). */
static const dm_lex_entry *scan_entry(const dm_lexicon *lex, const char *key, size_t len)
{
    for (size_t i = 0; i < lex->count; i++)
        if (lex->entries[i].key_len == len && memcmp(lex->entries[i].key, key, len) == 0)
            return &lex->entries[i];
    return NULL;
}

typedef struct hashed_word {
    uint32_t h, i;
} hashed_word;

static int by_hash(const void *a, const void *b)
{
    const hashed_word *x = a, *y = b;
    return x->h < y->h ? -1 : x->h > y->h ? 1 : x->i < y->i ? -1 : x->i > y->i;
}

static void word_of(uint32_t i, char w[8])
{
    w[0] = 'q';
    for (int k = 1; k < 7; k++, i /= 26)
        w[k] = (char)('a' + i % 26);
    w[7] = '\0';
}

/* Two 7-letter words whose dm_hash32 with `seed` are equal. */
static void colliding_words(uint32_t seed, char a[8], char b[8])
{
    enum { N = 300000 };
    hashed_word *v = malloc(N * sizeof *v);
    assert_non_null(v);
    for (uint32_t i = 0; i < N; i++) {
        char w[8];
        word_of(i, w);
        v[i] = (hashed_word){dm_hash32(w, 7, seed), i};
    }
    qsort(v, N, sizeof *v, by_hash);
    size_t k = 1;
    while (k < N && v[k].h != v[k - 1].h)
        k++;
    assert_true(k < N);
    word_of(v[k - 1].i, a);
    word_of(v[k].i, b);
    free(v);
}

/* Each token's entry (lex) and two-token entry (lex2) are those of its
 * string and of "<string> <next string>", found by scan_entry. */
static void check_tokens(dm_featurizer *fz, const char *text)
{
    dm_error err;
    assert_int_equal(dm_fz_tokens(fz, text, strlen(text), &err), DM_OK);
    assert_true(fz->sc.ntoks > 3 * 16); /* blocks of 16 tokens */
    for (size_t i = 0; i < fz->sc.ntoks; i++) {
        const dm_ftok *t = &fz->sc.toks[i];
        const dm_lex_entry *e = scan_entry(&fz->lex, t->s, t->len);
        assert_ptr_equal(t->lex, e);
        assert_int_equal(t->lexflags, e ? e->flags : 0);
        const dm_lex_entry *e2 = NULL;
        if (e && (e->flags & LEX_PREFIX) && i + 1 < fz->sc.ntoks) {
            char pair[256];
            int n = snprintf(pair, sizeof pair, "%.*s %.*s", (int)t->len, t->s,
                             (int)t[1].len, t[1].s);
            e2 = scan_entry(&fz->lex, pair, (size_t)n);
        }
        assert_ptr_equal(t->lex2, e2);
    }
}

/* The lookups of dm_fz_tokens, in stages a block of tokens at a time (the
 * filter, the slots asked for, then the entries, then the pairs' slots and
 * entries) find what a scan of the entries finds: for keys of every length
 * around DM_LEX_INLINE_KEY (inline or in a key block), their pairs, words
 * in no lexicon, and two words of the same hash (one slot's tag is the
 * other's), listed in either order. */
static void test_tokens_lookups_as_scan(void **state)
{
    (void)state;
    tmpdir t;
    make_valid(&t);
    dm_featurizer *fz = NULL;
    dm_error err;
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_OK);
    char ca[8], cb[8];
    colliding_words(fz->settings.hash_seed, ca, cb);
    dm_featurizer_destroy(&fz);
    const char *letters = "abcdefghijklmnopqrstuvwxyzabcdefghij";
    enum { MAXW = DM_LEX_INLINE_KEY + 6 };
    char sentiment[4096], hostility[4096], text[8192];
    for (int order = 0; order < 2; order++) {
        size_t ns = (size_t)snprintf(sentiment, sizeof sentiment, "term\tvalence\n%s\t1\n",
                                     order ? cb : ca);
        size_t nh = (size_t)snprintf(hostility, sizeof hostility, "term\tweight\tcategory\n");
        size_t nt = 0;
        for (int n = 1; n <= MAXW; n++) {
            /* the word of n letters, and "<word> zz" (n + 3 bytes) */
            ns += (size_t)snprintf(sentiment + ns, sizeof sentiment - ns, "%.*s\t1\n", n,
                                   letters + n % 5);
            nh += (size_t)snprintf(hostility + nh, sizeof hostility - nh,
                                   "%.*s zz\t1\taccusation\n", n, letters + n % 7);
            nt += (size_t)snprintf(text + nt, sizeof text - nt, "%.*s zz %.*s zz %.*s zy ",
                                   n, letters + n % 5, n, letters + n % 7, n, letters + n % 5);
        }
        ns += (size_t)snprintf(sentiment + ns, sizeof sentiment - ns, "%s\t-1\n",
                               order ? ca : cb);
        nh += (size_t)snprintf(hostility + nh, sizeof hostility - nh, "%s %s\t2\tthreat\n",
                               ca, cb);
        snprintf(text + nt, sizeof text - nt, "%s %s %s %s %s zz", ca, cb, cb, ca, ca);
        write_file(t.path, "sentiment.tsv", sentiment);
        write_file(t.path, "hostility.tsv", hostility);
        assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_OK);
        const dm_lex_entry *a = scan_entry(&fz->lex, ca, 7), *b = scan_entry(&fz->lex, cb, 7);
        assert_true(a && b && a != b && a->hash == b->hash);
        assert_float_equal(a->valence, order ? -1 : 1, 1e-6);
        for (size_t i = 0; i < fz->lex.count; i++) /* the filter lets every key by */
            assert_true(dm_lex_maybe(&fz->lex, fz->lex.entries[i].hash));
        check_tokens(fz, text);
        dm_featurizer_destroy(&fz);
    }
    remove_dir(&t);
}

static void test_table_sizes_and_growth(void **state)
{
    (void)state;
    static const char *const HEADERS[N_VALID] = {
        "term\tweight\tcategory\n", "term\tweight\tcategory\n", "term\tscope\n",
        "term\tmultiplier\n", "term\tcategory\n", "term\tvalence\n",
        "term\tweight\tcategory\n"};
    tmpdir t;
    make_valid(&t);
    for (int i = 0; i < N_VALID; i++)
        write_file(t.path, VALID[i][0], HEADERS[i]);
    dm_featurizer *fz = NULL;
    dm_error err;
    /* no entry at all */
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_OK);
    assert_int_equal(fz->lex.count, 0);
    check_table(&fz->lex);
    assert_null(entry(fz, "good"));
    dm_featurizer_destroy(&fz);
    /* one entry */
    write_file(t.path, "sentiment.tsv", "term\tvalence\ngood\t1.9\n");
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_OK);
    assert_int_equal(fz->lex.count, 1);
    check_table(&fz->lex);
    assert_float_equal(entry(fz, "good")->valence, 1.9, 1e-6);
    dm_featurizer_destroy(&fz);
    /* 300 lemmas of 8 words, 4 forms each: 9,600 entries, an estimate of
     * 20 a line (6,000) */
    enum { LEMMAS = 300 };
    size_t size = 64 + LEMMAS * 64;
    char *text = malloc(size);
    assert_non_null(text);
    size_t used = (size_t)snprintf(text, size, "term\tweight\tcategory\n");
    for (int i = 0; i < LEMMAS; i++)
        used += (size_t)snprintf(text + used, size - used,
                                 "blor%c%cst to do a b c d e~v\t1.5\tinsufficiency\n",
                                 'a' + i % 26, 'a' + i / 26);
    write_file(t.path, "implicit.tsv", text);
    free(text);
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_OK);
    assert_int_equal(fz->lex.count, 1 + LEMMAS * 4 * 8);
    check_table(&fz->lex);
    const char *forms[] = {"blorqkst", "blorqksts", "blorqksted", "blorqksting"};
    for (int f = 0; f < 4; f++) {
        char key[64];
        snprintf(key, sizeof key, "%s to do a b c d e", forms[f]);
        const dm_lex_entry *e = entry(fz, key);
        assert_non_null(e);
        assert_int_equal(e->n_tokens, 8);
        assert_int_equal(e->implicit_cat, ICAT_INSUFFICIENCY);
        snprintf(key, sizeof key, "%s to do", forms[f]);
        e = entry(fz, key);
        assert_non_null(e);
        assert_true(e->flags & LEX_PREFIX);
        assert_false(e->flags & LEX_IMPLICIT);
    }
    dm_featurizer_destroy(&fz);
    /* A file that does not parse before one that cannot be read: the
     * parse error, as when the files were read one at a time. */
    write_file(t.path, "hostility.tsv", "term\tweight\tcategory\ncondemn\t9\tcondemnation\n");
    char path[512];
    snprintf(path, sizeof path, "%s/intensifiers.tsv", t.path);
    unlink(path);
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.where, "hostility.tsv"));
    assert_int_equal(err.line, 2);
    assert_null(fz);
    remove_dir(&t);
}

/* The files are read where they are mapped (no copy cut in place): a last
 * line without its '\n', a NUL byte, a line longer than the loader's own
 * line buffer (512 bytes), CR-LF and comments give what the file cut in
 * place gave; a lemma's forms are read with the rest of its line. */
static void test_mapped_lines(void **state)
{
    (void)state;
    tmpdir t;
    make_valid(&t);
    /* the last line without its '\n'; a header alone without one */
    write_file(t.path, "negators.tsv", "term\tscope\nnot\t3\r\nnever\t4");
    write_file(t.path, "hedges.tsv", "term\tcategory");
    write_file(t.path, "implicit.tsv",
               "term\tweight\tcategory\nfail to~v\t1.5\tinsufficiency # c\n"
               "blame~v\t2.5\tagent");
    dm_featurizer *fz = NULL;
    dm_error err;
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_OK);
    assert_int_equal(entry(fz, "never")->negator_scope, 4);
    assert_int_equal(entry(fz, "not")->negator_scope, 3);
    assert_null(entry(fz, "we urge"));
    const char *forms[] = {"fail to", "fails to", "failed to", "failing to",
                           "blame", "blames", "blamed", "blaming"};
    for (int i = 0; i < 8; i++) {
        const dm_lex_entry *e = entry(fz, forms[i]);
        assert_non_null(e);
        assert_true(e->flags & LEX_IMPLICIT);
        assert_float_equal(e->implicit_weight, i < 4 ? 1.5 : 2.5, 1e-6);
        assert_int_equal(e->implicit_cat, i < 4 ? ICAT_INSUFFICIENCY : ICAT_AGENT);
    }
    dm_featurizer_destroy(&fz);
    /* A NUL byte anywhere. */
    char path[512];
    snprintf(path, sizeof path, "%s/sentiment.tsv", t.path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("term\tvalence\ngood\t1.9\n\0bad\t-1\n", 1, 30, f);
    fclose(f);
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_E_FORMAT);
    assert_non_null(strstr(err.message, "NUL byte"));
    assert_non_null(strstr(err.where, "sentiment.tsv"));
    remove_dir(&t);
    /* errors on a last line without '\n', and on a line of 600 bytes */
    expect_error("negators.tsv", "term\tscope\nnot\t3\nnever\t0", DM_E_FORMAT, 3,
                 "scope '0'");
    char long_line[700];
    int n = snprintf(long_line, sizeof long_line, "term\tvalence\n# x\n");
    memset(long_line + n, 'a', 600);
    snprintf(long_line + n + 600, sizeof long_line - (size_t)n - 600, "\t1\n");
    expect_error("sentiment.tsv", long_line, DM_E_FORMAT, 3, "term too long");
    memcpy(long_line + n + 600, "\t1 # a comment\r\ngood\t9\n", 24);
    long_line[n + 624] = '\0';
    expect_error("sentiment.tsv", long_line, DM_E_FORMAT, 3, "term too long");
}

/* The table is reserved from the files' own count: a line, 12 forms for a
 * '~' and a prefix for each space, plus one a file. */
static void test_table_estimate(void **state)
{
    (void)state;
    tmpdir t;
    make_valid(&t);
    dm_featurizer *fz = NULL;
    dm_error err;
    assert_int_equal(dm_featurizer_create(NULL, t.path, &fz, &err), DM_OK);
    size_t want = 0;
    for (int i = 0; i < N_VALID; i++) {
        want++;
        for (const char *p = VALID[i][1]; *p; p++)
            want += *p == '\n' ? 1 : *p == '~' ? 12 : *p == ' ';
    }
    assert_int_equal(fz->lex.cap_entries, want);
    check_table(&fz->lex);
    dm_featurizer_destroy(&fz);
    remove_dir(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_sizes_and_categories),
        cmocka_unit_test(test_shipped_required_terms),
        cmocka_unit_test(test_ascii_key_is_icu_key),
        cmocka_unit_test(test_valid_temp_dir_and_checksum),
        cmocka_unit_test(test_validation_errors),
        cmocka_unit_test(test_numbers_as_strtod),
        cmocka_unit_test(test_comments_crlf_and_missing_file),
        cmocka_unit_test(test_lookup_empty),
        cmocka_unit_test(test_table_sizes_and_growth),
        cmocka_unit_test(test_tokens_lookups_as_scan),
        cmocka_unit_test(test_mapped_lines),
        cmocka_unit_test(test_table_estimate),
    };
    return cmocka_run_group_tests(tests, featurizer_setup, featurizer_teardown);
}
