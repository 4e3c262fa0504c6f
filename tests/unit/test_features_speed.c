/* The featurizer's per-token fast paths give what their plain forms give:
 * feature names hashed from stream states (explain off) are the joined
 * names (explain on), to the bit; the inline test before a lexicon match
 * skips only tokens where no match can start. */
#include "features_fixture.h"

#include "features/features_internal.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Sentences naming one to four actors, with hostile, cordial, negated and
 * valence words on both sides of them, clauses, a list, non-ASCII words. */
static const struct {
    const char *text;
    const char *names[5];
} CASES[] = {
    {"Russia strongly condemned Ukraine, and Ukraine did not welcome the deal.",
     {"Russia", "Ukraine", NULL}},
    {"We thank France and Germany for their generous support, but China has "
     "failed to act; the United States warned China against aggression.",
     {"France", "Germany", "China", "United States", NULL}},
    {"Israel accused Iran of terrible crimes while Iran praised Israel's "
     "restraint and Egypt, Jordan or Qatar offered peaceful mediation.",
     {"Israel", "Iran", "Egypt", "Jordan", NULL}},
    {"L'Union européenne regrette profondément que la Russie ait rejeté "
     "l'accord — naïve «hope» of Brazil.",
     {"Union européenne", "Russie", "Brazil", NULL}},
    {"Sudan is not a threat.", {"Sudan", NULL}},
};

static size_t mentions_of(const char *text, const char *const *names,
                          dm_feature_target *m)
{
    size_t n = 0;
    for (; names[n]; n++) {
        const char *p = strstr(text, names[n]);
        assert_non_null(p);
        m[n] = (dm_feature_target){.actor = names[n], .has_span = true,
                                   .start = (size_t)(p - text),
                                   .end = (size_t)(p - text) + strlen(names[n])};
    }
    return n;
}

/* Every target of every case, in order (explain off: the text memo and the
 * contrast families of the other targets are used, as in a run). */
static void stance_all(dm_featurizer *fz, size_t c, dm_fvec *out)
{
    dm_feature_target m[5];
    size_t n = mentions_of(CASES[c].text, CASES[c].names, m);
    dm_feature_input in = {.text = CASES[c].text, .len = strlen(CASES[c].text),
                           .speaker_actor = "USA", .mentions = m, .n_mentions = n};
    for (size_t t = 0; t < n; t++)
        assert_int_equal(dm_features_stance(fz, &in, &m[t], &out[t], NULL), DM_OK);
}

static void test_stance_names_streamed_as_joined(void **state)
{
    dm_featurizer *fz = *state;
    for (size_t c = 0; c < sizeof CASES / sizeof *CASES; c++) {
        dm_fvec streamed[4], named[4];
        for (int t = 0; t < 4; t++) {
            dm_fvec_init(&streamed[t]);
            dm_fvec_init(&named[t]);
        }
        stance_all(fz, c, streamed);
        assert_int_equal(dm_featurizer_set_explain(fz, true), DM_OK);
        stance_all(fz, c, named);
        assert_int_equal(dm_featurizer_set_explain(fz, false), DM_OK);
        dm_feature_target m[5];
        size_t n = mentions_of(CASES[c].text, CASES[c].names, m);
        for (size_t t = 0; t < n; t++) {
            assert_true(streamed[t].n > 20);
            assert_int_equal(streamed[t].n, named[t].n);
            for (size_t i = 0; i < streamed[t].n; i++) {
                assert_int_equal(streamed[t].v[i].index, named[t].v[i].index);
                assert_memory_equal(&streamed[t].v[i].value, &named[t].v[i].value,
                                    sizeof(double));
            }
        }
        /* the side ("s:"), window ("t:L:") and lexicon side names are there */
        assert_int_equal(dm_featurizer_set_explain(fz, true), DM_OK);
        stance_all(fz, 0, named);
        const char *want[] = {"s:RC:condemned", "s:RC:+hos", "t:R:strongly", "d:RC:condemned"};
        for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
            int index = dm_featurizer_feature_index(fz, want[k]);
            assert_true(index > 0);
            assert_true(dm_fvec_get(&named[0], index) != 0);
        }
        assert_int_equal(dm_featurizer_set_explain(fz, false), DM_OK);
        for (int t = 0; t < 4; t++) {
            dm_fvec_free(&streamed[t]);
            dm_fvec_free(&named[t]);
        }
    }
}

/* Where dm_fz_may_match says no, dm_fz_longest_match finds nothing; where a
 * phrase starts with a word that is only the start of phrases, it says yes. */
static void test_may_match_skips_only_misses(void **state)
{
    dm_featurizer *fz = *state;
    const unsigned wants[] = {~(unsigned)(LEX_PREFIX | LEX_SENTIMENT | LEX_IMPLICIT),
                              LEX_IMPLICIT, LEX_HOSTILE, LEX_NEGATOR};
    size_t skipped = 0, found = 0;
    for (size_t c = 0; c < sizeof CASES / sizeof *CASES; c++) {
        dm_fvec v;
        dm_fvec_init(&v);
        dm_feature_input in = {.text = CASES[c].text, .len = strlen(CASES[c].text)};
        assert_int_equal(dm_features_hostility(fz, &in, &v, NULL), DM_OK);
        dm_fvec_free(&v);
        for (size_t i = 0; i < fz->sc.ntoks; i++)
            for (size_t w = 0; w < sizeof wants / sizeof *wants; w++) {
                int L = 0;
                const dm_lex_entry *e = dm_fz_longest_match(fz, i, wants[w], &L);
                if (!dm_fz_may_match(&fz->sc.toks[i], wants[w])) {
                    assert_null(e);
                    skipped++;
                }
                found += e != NULL;
            }
    }
    assert_true(skipped > 100);
    assert_true(found > 5);
    /* "failed" starts the implicit.tsv phrase "failed to" */
    dm_fvec v;
    dm_fvec_init(&v);
    const char *text = "failed to comply";
    dm_feature_input in = {.text = text, .len = strlen(text)};
    assert_int_equal(dm_features_hostility(fz, &in, &v, NULL), DM_OK);
    dm_fvec_free(&v);
    int L = 0;
    assert_true(dm_fz_may_match(&fz->sc.toks[0], LEX_IMPLICIT));
    assert_non_null(dm_fz_longest_match(fz, 0, LEX_IMPLICIT, &L));
    assert_true(L >= 2);
}

/* dm_fz_reported_speech looks at the phrases only for tokens whose first
 * two bytes and length are those of a marker's first word: it counts what
 * a look at every token counts (the markers as documented in
 * lexicon_rules.c), with words that share a marker's first letters. */
static const char *const MARKERS[][3] = {
    {"said", "that", NULL}, {"says", "that", NULL}, {"according", "to", NULL},
    {"called", "it", NULL}, {"called", "the", NULL}, {"described", "it", NULL},
    {"described", "as", NULL}, {"claimed", "that", NULL},
    {"claims", "that", NULL}, {"alleged", "that", NULL},
    {"allegedly", NULL, NULL}, {"reportedly", NULL, NULL},
    {"so-called", NULL, NULL}, {"quoted", "as", NULL},
    {"told", "reporters", NULL}, {"reports", "that", NULL},
};

static bool word_is(const dm_ftok *t, const char *w)
{
    return t->len == strlen(w) && memcmp(t->s, w, t->len) == 0;
}

static int plain_reported_speech(const dm_scratch *sc)
{
    static const char *const ACCUSE[] = {"accused", "accuses", "accusing", "accuse"};
    int count = 0;
    for (size_t i = 0; i < sc->ntoks; i++) {
        for (size_t m = 0; m < sizeof MARKERS / sizeof *MARKERS; m++) {
            size_t k = 0;
            while (k < 3 && MARKERS[m][k] && i + k < sc->ntoks &&
                   word_is(&sc->toks[i + k], MARKERS[m][k]))
                k++;
            if (k == 3 || !MARKERS[m][k]) {
                count++;
                break;
            }
        }
        bool accuse = false;
        for (size_t a = 0; a < 4; a++)
            accuse |= word_is(&sc->toks[i], ACCUSE[a]);
        for (size_t j = i + 2; accuse && j < sc->ntoks && j <= i + 6; j++)
            if (word_is(&sc->toks[j], "of")) {
                count++;
                break;
            }
    }
    return count;
}

static void test_reported_speech_as_plain(void **state)
{
    dm_featurizer *fz = *state;
    const char *texts[] = {
        "He said that it was fine, according to reports; she says that "
        "the so-called deal was reportedly signed.",
        "They told reporters that Iran was accused by them of lying, and "
        "allegedly described it as bad: he claims that they accuse us of it.",
        "Reports that the minister called the shots, claimed that, alleged that, "
        "quoted as saying; it was described as, called it, accusing nobody "
        "of anything, accuses them all of it.",
        "Today to told tolls tol regions report reported saying sa so "
        "accord according described describe calls claim allege quote, "
        "SAID THAT, Said That.",
        "", "said", "told",
    };
    int total = 0;
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
        dm_fvec v;
        dm_fvec_init(&v);
        dm_feature_input in = {.text = texts[k], .len = strlen(texts[k])};
        assert_int_equal(dm_features_hostility(fz, &in, &v, NULL), DM_OK);
        dm_fvec_free(&v);
        int want = plain_reported_speech(&fz->sc);
        assert_int_equal(dm_fz_reported_speech(fz), want);
        total += want;
    }
    assert_true(total >= 20);
}

/* The token flags from one look at a one-byte mark: '.' ';' ':' break
 * n-grams and end clauses, ',' '?' '!' end clauses ("but", "while",
 * "whereas" too); punctuation but '?' '!' and the breaks is skipped. */
static void test_token_marks(void **state)
{
    dm_featurizer *fz = *state;
    const char *text = "a, b; c: d. e? f! g - h ( i ) j but k while l whereas m \xe2\x80\xa6 n";
    dm_fvec v;
    dm_fvec_init(&v);
    dm_feature_input in = {.text = text, .len = strlen(text)};
    assert_int_equal(dm_features_hostility(fz, &in, &v, NULL), DM_OK);
    dm_fvec_free(&v);
    const struct { const char *s; bool boundary, clause_end, skip; } want[] = {
        {",", false, true, true}, {";", true, true, false}, {":", true, true, false},
        {".", true, true, false}, {"?", false, true, false}, {"!", false, true, false},
        {"-", false, false, true}, {"(", false, false, true}, {")", false, false, true},
        {"but", false, true, false}, {"while", false, true, false},
        {"whereas", false, true, false}, {"\xe2\x80\xa6", false, false, true},
        {"a", false, false, false}, {"k", false, false, false},
    };
    size_t seen = 0;
    for (size_t i = 0; i < fz->sc.ntoks; i++) {
        const dm_ftok *t = &fz->sc.toks[i];
        for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
            if (!word_is(t, want[k].s))
                continue;
            assert_int_equal(t->boundary, want[k].boundary);
            assert_int_equal(t->clause_end, want[k].clause_end);
            assert_int_equal(t->skip, want[k].skip);
            seen++;
        }
    }
    assert_int_equal(seen, sizeof want / sizeof *want);
}

/* dm_fz_mask_actors marks, mention by mention, the tokens that some
 * mention overlaps: what asking every mention at every token marks (spans
 * out of order, overlapping, inside a token, empty, without a span). */
static void test_mask_actors_as_plain(void **state)
{
    dm_featurizer *fz = *state;
    const char *text = "The United States and Russia, said the Russian envoy, "
                       "met the UK's minister and Russia again in New York.";
    size_t len = strlen(text);
    const char *spans[] = {"Russia again", "United States", "Russian", "UK", "New York",
                           "States and Russia", "nited"};
    dm_feature_target m[9];
    size_t n = 0;
    for (; n < sizeof spans / sizeof *spans; n++) {
        const char *p = strstr(text, spans[n]);
        assert_non_null(p);
        m[n] = (dm_feature_target){.actor = "X", .has_span = true,
                                   .start = (size_t)(p - text),
                                   .end = (size_t)(p - text) + strlen(spans[n])};
    }
    m[n++] = (dm_feature_target){.actor = "Y", .has_span = true, .start = 10, .end = 10};
    m[n++] = (dm_feature_target){.actor = "Z", .has_span = false, .start = 0, .end = len};
    dm_feature_input in = {.text = text, .len = len, .mentions = m, .n_mentions = n};
    assert_int_equal(dm_fz_cached_tokens(fz, text, len, NULL), DM_OK);
    assert_int_equal(dm_fz_mask_actors(fz, &in), DM_OK);
    size_t marked = 0;
    for (size_t i = 0; i < fz->sc.ntoks; i++) {
        const dm_ftok *t = &fz->sc.toks[i];
        bool any = false;
        for (size_t k = 0; k < n; k++)
            any |= m[k].has_span && t->start < m[k].end && t->end > m[k].start;
        assert_int_equal(t->placeholder == 'A', any);
        assert_true(t->placeholder == 'A' || t->placeholder == 0);
        marked += any;
    }
    assert_true(marked >= 8 && marked < fz->sc.ntoks);
}

/* The clause sums of a target look at its tokens in the hit's clause: a
 * text of N copies of two sentences (the target with a hostile verb and
 * negative words; a hostile clause without it) sums N times the sums of
 * one copy. */
static double named_value(dm_featurizer *fz, const dm_fvec *v, const char *name)
{
    int index = dm_featurizer_feature_index(fz, name);
    assert_true(index > 0);
    return dm_fvec_get(v, index);
}

static void stance_of_copies(dm_featurizer *fz, size_t copies, dm_fvec *out)
{
    const char *unit = "Russia condemned the brutal attack. Peace was condemned by some. ";
    size_t ulen = strlen(unit);
    char *text = malloc(copies * ulen + 1);
    dm_feature_target *m = calloc(copies, sizeof *m);
    assert_non_null(text);
    assert_non_null(m);
    for (size_t c = 0; c < copies; c++) {
        memcpy(text + c * ulen, unit, ulen);
        m[c] = (dm_feature_target){.actor = "RUS", .has_span = true,
                                   .start = c * ulen, .end = c * ulen + 6};
    }
    text[copies * ulen] = 0;
    dm_feature_input in = {.text = text, .len = copies * ulen, .speaker_actor = "USA",
                           .mentions = m, .n_mentions = copies};
    assert_int_equal(dm_features_stance(fz, &in, &m[0], out, NULL), DM_OK);
    free(m);
    free(text);
}

static void test_target_sums_by_clause(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec one, many;
    dm_fvec_init(&one);
    dm_fvec_init(&many);
    stance_of_copies(fz, 1, &one);
    stance_of_copies(fz, 40, &many);
    const char *names[] = {"target:hostile_near", "target:subject_hostile",
                           "target:hostile_other_clause", "target:sent_neg_near",
                           "target:sent_neg_clause", "target:subject_neg"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        double a = expm1(named_value(fz, &one, names[k]));
        double b = expm1(named_value(fz, &many, names[k]));
        if (a <= 0)
            fail_msg("%s: 0 in one copy", names[k]);
        if (fabs(b - 40 * a) > 1e-9 * 40 * a)
            fail_msg("%s: %.17g in 40 copies, %.17g in one", names[k], b, a);
    }
    dm_fvec_free(&one);
    dm_fvec_free(&many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stance_names_streamed_as_joined),
        cmocka_unit_test(test_may_match_skips_only_misses),
        cmocka_unit_test(test_reported_speech_as_plain),
        cmocka_unit_test(test_token_marks),
        cmocka_unit_test(test_mask_actors_as_plain),
        cmocka_unit_test(test_target_sums_by_clause),
    };
    return cmocka_run_group_tests(tests, featurizer_setup, featurizer_teardown);
}
