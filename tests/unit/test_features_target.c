/* Tests of the target-dependent (stance) features: placeholders, window
 * words, actor pair and target features, subject / object of hostile
 * predicates, clause and distance bins, implicit targets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/features.h"
#include "demarche/text.h"
#include "features_fixture.h"
#include "features/features_internal.h" /* dm_featurizer_feature_index */
#include "features/stance_target_internal.h" /* dm_fz_word_class */

static double feat(const dm_featurizer *fz, const dm_fvec *v, const char *name)
{
    int index = dm_featurizer_feature_index(fz, name);
    assert_true(index > 0);
    return dm_fvec_get(v, index);
}

/* ---- target features ---------------------------------------------------- */

typedef struct stance_case {
    dm_text *text;
    dm_feature_target mentions[4];
    size_t n;
} stance_case;

/* Normalise `raw`, and make a mention of every `names[i]` (actor codes[i]). */
static void stance_setup(stance_case *c, const char *raw, const char *const *names,
                         const char *const *codes, size_t n)
{
    assert_int_equal(dm_text_create(raw, strlen(raw), &c->text, NULL), DM_OK);
    const char *norm = dm_text_norm(c->text);
    c->n = n;
    for (size_t i = 0; i < n; i++) {
        const char *p = strstr(norm, names[i]);
        assert_non_null(p);
        c->mentions[i] = (dm_feature_target){
            .actor = codes[i], .has_span = true, .start = (size_t)(p - norm),
            .end = (size_t)(p - norm) + strlen(names[i])};
    }
}

static void stance(dm_featurizer *fz, stance_case *c, const char *speaker,
                   size_t target, dm_fvec *out)
{
    dm_feature_input in = {.text = dm_text_norm(c->text),
                           .len = dm_text_norm_len(c->text),
                           .speaker_actor = speaker, .mentions = c->mentions,
                           .n_mentions = c->n};
    assert_int_equal(dm_features_stance(fz, &in, &c->mentions[target], out, NULL),
                     DM_OK);
    dm_text_destroy(&c->text);
}

static void test_target_placeholders_and_pair(void **state)
{
    dm_featurizer *fz = *state;
    assert_int_equal(dm_featurizer_set_explain(fz, true), DM_OK);
    dm_fvec v;
    dm_fvec_init(&v);
    stance_case c;
    const char *names[] = {"United Kingdom", "China"};
    const char *codes[] = {"GBR", "CHN"};
    stance_setup(&c, "We condemn the United Kingdom and China.", names, codes, 2);
    stance(fz, &c, "USA", 0, &v);
    int i = dm_featurizer_feature_index(fz, "t:condemn the <T>");
    assert_true(dm_fvec_get(&v, i) > 0);
    assert_string_equal(dm_featurizer_feature_name(fz, i), "t:condemn the <T>");
    assert_true(feat(fz, &v, "t:<T> and <O>") > 0);
    assert_true(feat(fz, &v, "t:<T>") > 0);
    /* Window words: up to 4 tokens each side, '.' ends them. */
    assert_true(feat(fz, &v, "t:L:condemn") > 0);
    assert_true(feat(fz, &v, "t:L:we") > 0);
    assert_true(feat(fz, &v, "t:R:<O>") > 0);
    assert_true(feat(fz, &v, "t:R:and") > 0);
    assert_true(feat(fz, &v, "t:R:.") == 0);
    /* Only n-grams with a placeholder are in the "t:" family. */
    assert_true(feat(fz, &v, "t:we condemn") == 0);
    /* Names are "<A>" in the "w:" n-grams; no actor identity by default. */
    assert_true(feat(fz, &v, "w:<A> and <A>") > 0);
    assert_true(feat(fz, &v, "w:condemn the <A>") > 0);
    assert_true(feat(fz, &v, "w:united kingdom and") == 0);
    assert_true(feat(fz, &v, "w:china") == 0);
    assert_true(feat(fz, &v, "pair:USA>GBR") == 0);
    assert_true(feat(fz, &v, "tgt:GBR") == 0);
    assert_true(feat(fz, &v, "target:implicit") == 0);
    assert_true(feat(fz, &v, "target:self") == 0);
    assert_float_equal(feat(fz, &v, "target:mentions"), log1p(1), 1e-9);
    assert_float_equal(feat(fz, &v, "target:other_actors"), log1p(1), 1e-9);
    assert_true(feat(fz, &v, "target:object_hostile") > 0);
    assert_true(feat(fz, &v, "target:subject_hostile") == 0);

    /* No span: only the implicit marker and the actor features. */
    stance_setup(&c, "We condemn this decision.", NULL, NULL, 0);
    dm_feature_target implicit = {.actor = "GBR"};
    dm_feature_input in = {.text = dm_text_norm(c.text),
                           .len = dm_text_norm_len(c.text), .speaker_actor = "GBR"};
    assert_int_equal(dm_features_stance(fz, &in, &implicit, &v, NULL), DM_OK);
    dm_text_destroy(&c.text);
    assert_float_equal(feat(fz, &v, "target:implicit"), 1.0, 1e-12);
    assert_float_equal(feat(fz, &v, "target:self"), 1.0, 1e-12);
    assert_true(feat(fz, &v, "tgt:GBR") == 0); /* actor_priors off */
    assert_true(feat(fz, &v, "t:condemn") == 0);
    assert_true(feat(fz, &v, "target:object_hostile") == 0);
    assert_int_equal(dm_featurizer_set_explain(fz, false), DM_OK);
    assert_null(dm_featurizer_feature_name(fz, i));
    dm_fvec_free(&v);
}

static void test_target_predicates_and_clauses(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    stance_case c;
    const char *russia[] = {"Russia"};
    const char *rus[] = {"RUS"};
    stance_setup(&c, "Russia violated the agreement.", russia, rus, 1);
    stance(fz, &c, NULL, 0, &v);
    assert_true(feat(fz, &v, "target:subject_hostile") > 0);
    assert_true(feat(fz, &v, "target:object_hostile") == 0);
    assert_true(feat(fz, &v, "target:hostile_near") > 0);
    assert_true(feat(fz, &v, "t:<T> violated") > 0);

    /* Near / far in the target's clause; other clauses apart. */
    stance_setup(&c, "Russia and the government in the region have committed "
                     "atrocities.", russia, rus, 1);
    stance(fz, &c, NULL, 0, &v);
    assert_true(feat(fz, &v, "target:hostile_far") > 0);
    assert_true(feat(fz, &v, "target:hostile_near") == 0);
    assert_true(feat(fz, &v, "target:subject_hostile") == 0);

    stance_setup(&c, "Russia is a partner, but the regime committed atrocities.",
                 russia, rus, 1);
    stance(fz, &c, NULL, 0, &v);
    assert_true(feat(fz, &v, "target:cordial_near") > 0);
    assert_true(feat(fz, &v, "target:praise_near") > 0);
    assert_true(feat(fz, &v, "target:hostile_other_clause") > 0);
    assert_true(feat(fz, &v, "target:hostile_near") == 0);
    assert_true(feat(fz, &v, "target:hostile_far") == 0);

    stance_setup(&c, "We do not blame Russia.", russia, rus, 1);
    stance(fz, &c, NULL, 0, &v);
    assert_true(feat(fz, &v, "target:neg_hostile_clause") > 0);
    assert_true(feat(fz, &v, "target:object_hostile") == 0);
    dm_fvec_free(&v);
}

static void test_target_mentions_and_edges(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec v, h;
    dm_fvec_init(&v);
    dm_fvec_init(&h);
    const char *text = "Russia said Moscow would never attack Ukraine";
    size_t len = strlen(text);
    dm_feature_target m[3] = {
        {.actor = "RUS", .has_span = true, .start = 0, .end = 6},
        {.actor = "RUS", .has_span = true, .start = 12, .end = 18},
        {.actor = "UKR", .has_span = true, .start = len - 7, .end = len}};
    dm_feature_input in = {.text = text, .len = len, .mentions = m,
                           .n_mentions = 3, .speaker_actor = "RUS"};
    /* Another mention with other words is another actor, even under the
     * same key: only the target's own words are the target. */
    assert_int_equal(dm_features_stance(fz, &in, &m[0], &v, NULL), DM_OK);
    assert_float_equal(feat(fz, &v, "target:mentions"), log1p(1), 1e-9);
    assert_float_equal(feat(fz, &v, "target:other_actors"), log1p(2), 1e-9);
    assert_true(feat(fz, &v, "t:<T> said <O>") > 0);
    assert_float_equal(feat(fz, &v, "target:self"), 1.0, 1e-12);
    assert_true(feat(fz, &v, "pair:RUS>RUS") == 0); /* actor_priors off */
    /* The target at the very end; "never attack" is negated hostility. */
    assert_int_equal(dm_features_stance(fz, &in, &m[2], &v, NULL), DM_OK);
    assert_true(feat(fz, &v, "t:attack <T>") > 0);
    assert_true(feat(fz, &v, "t:R:said") == 0);
    assert_true(feat(fz, &v, "target:neg_hostile_clause") > 0);
    assert_true(feat(fz, &v, "target:object_hostile") == 0);
    assert_true(feat(fz, &v, "target:self") == 0);
    /* The named block of the hostility features is part of the stance
     * vector unchanged: one code path. */
    assert_int_equal(dm_features_hostility(fz, &in, &h, NULL), DM_OK);
    int named = dm_featurizer_dimensions(fz) - DM_FEATURES_NAMED_COUNT;
    for (size_t i = 0; i < h.n; i++)
        if (h.v[i].index > named)
            assert_true(dm_fvec_get(&v, h.v[i].index) == h.v[i].value);
    assert_true(feat(fz, &h, "target:mentions") == 0);
    /* A mention without actor is another actor; an empty span no target. */
    m[1].actor = NULL;
    assert_int_equal(dm_features_stance(fz, &in, &m[0], &v, NULL), DM_OK);
    assert_float_equal(feat(fz, &v, "target:mentions"), log1p(1), 1e-9);
    assert_float_equal(feat(fz, &v, "target:other_actors"), log1p(2), 1e-9);
    dm_feature_target empty = {.actor = "XYZ", .has_span = true, .start = 6, .end = 6};
    assert_int_equal(dm_features_stance(fz, &in, &empty, &v, NULL), DM_OK);
    assert_float_equal(feat(fz, &v, "target:implicit"), 1.0, 1e-12);
    dm_fvec_free(&v);
    dm_fvec_free(&h);
}

/* Swapping only the names gives the same vector, for hostility and stance:
 * the features see what is said, not who is named. */
/* Each target of a sentence gets its own context: the words by side and
 * clause, weighted by closeness; the same words again count as the target;
 * the target's own lowercase words, never its name. */
static void test_each_target_own_context(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec x, y;
    dm_fvec_init(&x);
    dm_fvec_init(&y);
    stance_case c;
    const char *names[] = {"Trump", "Obama"};
    const char *codes[] = {"USA", "USA"}; /* one key, two people */
    stance_setup(&c, "Trump accused Obama of lying, and Obama laughed.", names, codes, 2);
    dm_text *keep = c.text;
    /* a third mention: the second "Obama" */
    const char *norm = dm_text_norm(keep);
    const char *second = strstr(strstr(norm, "Obama") + 1, "Obama");
    c.mentions[2] = (dm_feature_target){.actor = "USA", .has_span = true,
                                        .start = (size_t)(second - norm),
                                        .end = (size_t)(second - norm) + 5};
    c.n = 3;
    dm_feature_input in = {.text = norm, .len = dm_text_norm_len(keep),
                           .mentions = c.mentions, .n_mentions = c.n};
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &x, NULL), DM_OK);
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[1], &y, NULL), DM_OK);
    /* "accused" is right of Trump, left of Obama, both in their clause */
    assert_true(feat(fz, &x, "s:RC:accused") > 0);
    assert_true(feat(fz, &x, "s:LC:accused") == 0);
    assert_true(feat(fz, &y, "s:LC:accused") > 0);
    /* closer words weigh more (before the family's normalisation) */
    assert_true(feat(fz, &x, "s:RC:accused") > feat(fz, &x, "s:RC:lying"));
    /* "laughed" is in another clause for Trump, in the clause of the second
     * "Obama" (the target again: same words) for Obama */
    assert_true(feat(fz, &x, "s:RX:laughed") > 0);
    assert_true(feat(fz, &y, "s:RC:laughed") > 0);
    assert_float_equal(feat(fz, &y, "target:mentions"), log1p(2), 1e-9);
    assert_float_equal(feat(fz, &x, "target:other_actors"), log1p(2), 1e-9);
    assert_true(x.n != y.n || memcmp(x.v, y.v, x.n * sizeof *x.v) != 0);
    /* lexicon hits and sentiment by side: the accusation is right of the
     * accuser, left of the accused */
    assert_true(feat(fz, &x, "s:RC:+hos") > 0);
    assert_true(feat(fz, &x, "s:LC:+hos") == 0);
    assert_true(feat(fz, &y, "s:LC:+hos") > 0);
    assert_true(feat(fz, &x, "s:RC:-val") > 0);
    assert_true(feat(fz, &x, "m:=outquote") > 0);
    dm_text_destroy(&keep);

    /* Inside a quotation or not. */
    stance_setup(&c, "Obama said: \xe2\x80\x9cTrump is lying.\xe2\x80\x9d", names + 0,
                 codes, 2);
    keep = c.text;
    in = (dm_feature_input){.text = dm_text_norm(keep), .len = dm_text_norm_len(keep),
                            .mentions = c.mentions, .n_mentions = c.n};
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &x, NULL), DM_OK);
    assert_true(feat(fz, &x, "m:=inquote") > 0);
    assert_true(feat(fz, &x, "m:=outquote") == 0);
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[1], &y, NULL), DM_OK);
    assert_true(feat(fz, &y, "m:=outquote") > 0);
    dm_text_destroy(&keep);

    /* Mention words: "the poll" gives m:poll; a name gives no m: feature. */
    stance_setup(&c, "Clinton leads in the poll.", (const char *[]){"the poll", "Clinton"},
                 (const char *[]){"the poll", "USA"}, 2);
    keep = c.text;
    in = (dm_feature_input){.text = dm_text_norm(keep), .len = dm_text_norm_len(keep),
                            .mentions = c.mentions, .n_mentions = c.n};
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &x, NULL), DM_OK);
    assert_true(feat(fz, &x, "m:poll") > 0);
    assert_true(feat(fz, &x, "m:the") == 0);
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[1], &y, NULL), DM_OK);
    assert_true(feat(fz, &y, "m:clinton") == 0);
    assert_true(feat(fz, &y, "m:poll") == 0);
    dm_text_destroy(&keep);
    dm_fvec_free(&x);
    dm_fvec_free(&y);
}

/* The target's kind, from words that are not names: a date or time, a
 * title in or before the mention, a possessor ('s, or with a right single quote). */
static void test_target_kind(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec x;
    dm_fvec_init(&x);
    const char *names[] = {"Vale", "Orland", "Tuesday"};
    const char *codes[] = {"P1", "P2", "Tuesday"};
    const char *texts[] = {"Senator Vale criticised Orland's budget on Tuesday.",
                           "Senator Vale criticised Orland\xe2\x80\x99s budget on Tuesday."};
    for (int k = 0; k < 2; k++) {
        stance_case c;
        stance_setup(&c, texts[k], names, codes, 3);
        dm_text *keep = c.text;
        dm_feature_input in = {.text = dm_text_norm(keep), .len = dm_text_norm_len(keep),
                               .mentions = c.mentions, .n_mentions = c.n};
        const char *expect[] = {"m:=title", "m:=poss", "m:=time"};
        for (size_t t = 0; t < 3; t++) {
            assert_int_equal(dm_features_stance(fz, &in, &c.mentions[t], &x, NULL), DM_OK);
            for (size_t e = 0; e < 3; e++)
                assert_true((feat(fz, &x, expect[e]) > 0) == (e == t));
        }
        dm_text_destroy(&keep);
    }
    /* A lowercase time word in the mention ("last week") counts; a name
     * that is also a month ("May") does not. */
    stance_case c;
    stance_setup(&c, "May spoke last week.", (const char *[]){"May", "last week"},
                 (const char *[]){"P3", "last week"}, 2);
    dm_text *keep = c.text;
    dm_feature_input in = {.text = dm_text_norm(keep), .len = dm_text_norm_len(keep),
                           .mentions = c.mentions, .n_mentions = c.n};
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &x, NULL), DM_OK);
    assert_true(feat(fz, &x, "m:=time") == 0);
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[1], &x, NULL), DM_OK);
    assert_true(feat(fz, &x, "m:=time") > 0);
    dm_text_destroy(&keep);
    dm_fvec_free(&x);
}

/* Coordination: actors in one list with the target share its role ("X and
 * Y condemned Z": both condemn, Z is condemned); a comma alone is no list. */
static void test_coordinated_targets(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec x, y, z;
    dm_fvec_init(&x);
    dm_fvec_init(&y);
    dm_fvec_init(&z);
    const char *names[] = {"Russia", "China", "France"};
    const char *codes[] = {"RUS", "CHN", "FRA"};
    stance_case c;
    stance_setup(&c, "Russia and China condemned France.", names, codes, 3);
    dm_text *keep = c.text;
    dm_feature_input in = {.text = dm_text_norm(keep), .len = dm_text_norm_len(keep),
                           .mentions = c.mentions, .n_mentions = c.n};
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &x, NULL), DM_OK);
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[1], &y, NULL), DM_OK);
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[2], &z, NULL), DM_OK);
    /* Russia is as near the verb as China: its list ends next to it */
    assert_true(feat(fz, &x, "s:RC:condemned") > 0);
    assert_float_equal(feat(fz, &x, "s:RC:condemned"), feat(fz, &y, "s:RC:condemned"),
                       1e-9);
    assert_float_equal(feat(fz, &x, "s:RC:+hos"), feat(fz, &y, "s:RC:+hos"), 1e-9);
    assert_float_equal(feat(fz, &x, "target:subject_hostile"),
                       feat(fz, &y, "target:subject_hostile"), 1e-9);
    /* China opens the list's clause as Russia does */
    assert_float_equal(feat(fz, &y, "target:role_initial"), 1.0, 1e-12);
    /* France is the object, not in the list */
    assert_true(feat(fz, &z, "s:LC:condemned") > 0);
    assert_true(feat(fz, &z, "s:RC:condemned") == 0);
    assert_true(feat(fz, &z, "target:object_hostile") > 0);
    assert_true(feat(fz, &z, "target:subject_hostile") == 0);
    /* in the n-grams the other member is still another actor */
    assert_true(feat(fz, &x, "t:<T> and <O>") > 0);
    dm_text_destroy(&keep);

    /* "Russia, China condemned": no conjunction, no list; China is not
     * the target's and Russia does not open China's clause */
    stance_setup(&c, "Russia, China condemned France.", names, codes, 3);
    keep = c.text;
    in = (dm_feature_input){.text = dm_text_norm(keep), .len = dm_text_norm_len(keep),
                            .mentions = c.mentions, .n_mentions = c.n};
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &x, NULL), DM_OK);
    assert_true(feat(fz, &x, "s:RC:condemned") == 0);
    assert_true(feat(fz, &x, "s:RX:condemned") > 0);
    dm_text_destroy(&keep);
    dm_fvec_free(&x);
    dm_fvec_free(&y);
    dm_fvec_free(&z);
}

/* Contrast ("d:"): in a sentence that names two actors, each target gets
 * its own side family minus the other's, so the words they share cancel
 * and what tells them apart remains, with opposite signs: "accused" is
 * right of the accuser and left of the accused. A sentence with one actor
 * (or one actor named twice) has no contrast. */
static void test_contrast_between_targets(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec x, y;
    dm_fvec_init(&x);
    dm_fvec_init(&y);
    const char *names[] = {"Pence", "Kaine"}, *codes[] = {"P1", "P2"};
    stance_case c;
    stance_setup(&c, "Pence accused Kaine of lying.", names, codes, 2);
    dm_text *keep = c.text;
    dm_feature_input in = {.text = dm_text_norm(keep), .len = dm_text_norm_len(keep),
                           .mentions = c.mentions, .n_mentions = c.n};
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &x, NULL), DM_OK);
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[1], &y, NULL), DM_OK);
    /* the accuser: "accused" on its right, not on its left */
    assert_true(feat(fz, &x, "d:RC:accused") > 0);
    assert_true(feat(fz, &x, "d:LC:accused") < 0);
    /* the accused: the other way round */
    assert_true(feat(fz, &y, "d:RC:accused") < 0);
    assert_true(feat(fz, &y, "d:LC:accused") > 0);
    /* two targets: one contrast is the other's negative */
    const char *names_d[] = {"d:RC:accused", "d:LC:accused", "d:RC:lying", "d:RC:+hos",
                             "d:LC:+hos"};
    for (size_t i = 0; i < sizeof names_d / sizeof names_d[0]; i++)
        assert_float_equal(feat(fz, &x, names_d[i]), -feat(fz, &y, names_d[i]), 1e-6);
    /* "lying" is nearer the accused: more of it on Kaine's side */
    assert_true(feat(fz, &y, "d:RC:lying") > 0);
    /* the shared family is there for both, with the same words */
    assert_true(feat(fz, &x, "s:RC:accused") > 0);
    assert_true(feat(fz, &y, "s:LC:accused") > 0);
    dm_text_destroy(&keep);

    /* one actor, named twice: nobody to contrast with */
    const char *one[] = {"Pence"}, *one_code[] = {"P1"};
    stance_setup(&c, "Pence accused Kaine of lying.", one, one_code, 1);
    stance(fz, &c, NULL, 0, &x);
    assert_true(feat(fz, &x, "d:RC:accused") == 0);
    assert_true(feat(fz, &x, "s:RC:accused") > 0);
    dm_feature_target twice[2];
    stance_setup(&c, "Pence said Pence would win.", one, one_code, 1);
    keep = c.text;
    const char *norm = dm_text_norm(keep);
    twice[0] = c.mentions[0];
    twice[1] = (dm_feature_target){.actor = "P1", .has_span = true,
                                   .start = (size_t)(strstr(norm, "said Pence") - norm) + 5};
    twice[1].end = twice[1].start + 5;
    in = (dm_feature_input){.text = norm, .len = dm_text_norm_len(keep),
                            .mentions = twice, .n_mentions = 2};
    assert_int_equal(dm_features_stance(fz, &in, &twice[0], &x, NULL), DM_OK);
    assert_true(feat(fz, &x, "d:RC:said") == 0);
    assert_true(feat(fz, &x, "s:RC:said") > 0);
    dm_text_destroy(&keep);
    dm_fvec_free(&x);
    dm_fvec_free(&y);
}

static void test_names_do_not_change_features(void **state)
{
    dm_featurizer *fz = *state;
    const char *a[] = {"Russia", "China"}, *b[] = {"Brazil", "the European Union"};
    const char *ca[] = {"RUS", "CHN"}, *cb[] = {"BRA", "EU"};
    stance_case x, y;
    dm_fvec vx, vy;
    dm_fvec_init(&vx);
    dm_fvec_init(&vy);
    for (size_t t = 0; t < 2; t++) { /* stance() destroys the text */
        stance_setup(&x, "We thank Russia and condemn China for the strikes.", a, ca, 2);
        stance_setup(&y, "We thank Brazil and condemn the European Union for the strikes.",
                     b, cb, 2);
        stance(fz, &x, "USA", t, &vx);
        stance(fz, &y, "USA", t, &vy);
        assert_int_equal(vx.n, vy.n);
        for (size_t i = 0; i < vx.n; i++) {
            assert_int_equal(vx.v[i].index, vy.v[i].index);
            assert_float_equal(vx.v[i].value, vy.v[i].value, 1e-12);
        }
    }
    dm_fvec_free(&vx);
    dm_fvec_free(&vy);
}

/* A topic (no span, not an actor code) gets words of its own; an actor
 * named only by the task does not, so that its score stays name-blind. */
/* Scoring featurises a statement for hostility and then for each target;
 * the stance calls take the text features from the hostility call
 * (text_memo.c). Each vector must be the one a fresh featurizer gives, to
 * the bit, whatever came before: the same input, another input, another
 * target, with context and previous sentence tokenised in between. */
static void expect_fresh(const dm_featurizer *proto, const dm_feature_input *in,
                         const dm_feature_target *target, const dm_fvec *got)
{
    dm_featurizer *fresh = NULL;
    assert_int_equal(dm_featurizer_clone(proto, &fresh, NULL), DM_OK);
    dm_fvec want;
    dm_fvec_init(&want);
    if (target)
        assert_int_equal(dm_features_stance(fresh, in, target, &want, NULL), DM_OK);
    else
        assert_int_equal(dm_features_hostility(fresh, in, &want, NULL), DM_OK);
    assert_int_equal(got->n, want.n);
    for (size_t i = 0; i < want.n; i++) {
        assert_int_equal(got->v[i].index, want.v[i].index);
        assert_memory_equal(&got->v[i].value, &want.v[i].value, sizeof(double));
    }
    dm_fvec_free(&want);
    dm_featurizer_destroy(&fresh);
}

static void test_text_memo_as_fresh(void **state)
{
    static const char *const raws[] = {
        "Russia condemns the aggression of Ukraine and we do not accept the "
        "illegal sanctions imposed by the United States.",
        "We thank France and Germany for their support, but Russia continues "
        "its attacks.",
        "France and Germany, not Russia, deserve praise.",
    };
    static const char *const names[][3] = {{"Russia", "Ukraine", "United States"},
                                           {"France", "Germany", "Russia"},
                                           {"France", "Germany", "Russia"}};
    static const char *const codes[][3] = {{"RUS", "UKR", "USA"},
                                           {"FRA", "DEU", "RUS"},
                                           {"FRA", "DEU", "RUS"}};
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_clone(*state, &fz, NULL), DM_OK);
    dm_fvec v;
    dm_fvec_init(&v);
    for (int round = 0; round < 2; round++)
        for (size_t k = 0; k < 3; k++) {
            stance_case c;
            stance_setup(&c, raws[k], names[k], codes[k], 3);
            dm_feature_input in = {.text = dm_text_norm(c.text),
                                   .len = dm_text_norm_len(c.text),
                                   .speaker_actor = "GBR", .mentions = c.mentions,
                                   .n_mentions = c.n, .cue = "said",
                                   .context = round ? raws[(k + 1) % 3] : NULL,
                                   .previous = raws[(k + 2) % 3]};
            if (round == 0 || k != 1) { /* also a stance call with no hostility first */
                assert_int_equal(dm_features_hostility(fz, &in, &v, NULL), DM_OK);
                expect_fresh(fz, &in, NULL, &v);
            }
            for (size_t t = 0; t < 3; t++) {
                assert_int_equal(dm_features_stance(fz, &in, &c.mentions[t], &v, NULL), DM_OK);
                expect_fresh(fz, &in, &c.mentions[t], &v);
            }
            /* Another mention list on the same text: not the memo's input. */
            in.n_mentions = 2;
            assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &v, NULL), DM_OK);
            expect_fresh(fz, &in, &c.mentions[0], &v);
            dm_text_destroy(&c.text);
        }
    dm_fvec_free(&v);
    dm_featurizer_destroy(&fz);
}

static void test_topic_targets(void **state)
{
    dm_featurizer *fz = *state;
    assert_int_equal(dm_featurizer_set_explain(fz, true), DM_OK);
    const char *text = "The treaty keeps us all safe.";
    dm_feature_input in = {.text = text, .len = strlen(text)};
    dm_feature_target topic = {.actor = "ARMS-TREATY"}, actor = {.actor = "RUS"};
    dm_fvec v;
    dm_fvec_init(&v);
    assert_int_equal(dm_features_stance(fz, &in, &topic, &v, NULL), DM_OK);
    assert_true(feat(fz, &v, "tgt:ARMS-TREATY") > 0);
    assert_true(feat(fz, &v, "tc:ARMS-TREATY|safe") > 0);
    assert_int_equal(dm_features_stance(fz, &in, &actor, &v, NULL), DM_OK);
    assert_true(feat(fz, &v, "tgt:RUS") == 0);
    assert_true(feat(fz, &v, "tc:RUS|safe") == 0);
    assert_true(feat(fz, &v, "target:implicit") > 0);
    assert_int_equal(dm_featurizer_set_explain(fz, false), DM_OK);
    dm_fvec_free(&v);
}

/* --actor-priors: the identity and dyad indicators come back. */
static void test_actor_priors_opt_in(void **state)
{
    (void)state;
    dm_feature_settings s;
    dm_feature_settings_default(&s);
    assert_false(s.actor_priors);
    s.actor_priors = true;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &fz, NULL), DM_OK);
    assert_true(dm_featurizer_settings(fz)->actor_priors);
    const char *names[] = {"Russia"}, *codes[] = {"RUS"};
    stance_case c;
    stance_setup(&c, "We thank Russia.", names, codes, 1);
    dm_fvec v;
    dm_fvec_init(&v);
    stance(fz, &c, "USA", 0, &v);
    assert_true(feat(fz, &v, "tgt:RUS") > 0);
    assert_true(feat(fz, &v, "pair:USA>RUS") > 0);
    assert_true(feat(fz, &v, "w:thank <A>") > 0); /* names stay masked */
    dm_fvec_free(&v);
    dm_featurizer_destroy(&fz);
}

/* stance_hash_bits: stance hashes into its own 2^N buckets (named block
 * after them), hostility keeps hash_bits; each task's vector is the one a
 * featurizer hashing both tasks alike at that size gives, whatever the
 * order of the calls (the text memo holds the index space). */
static dm_featurizer *featurizer_bits(int bits, int stance_bits)
{
    dm_feature_settings s;
    dm_feature_settings_default(&s);
    s.hash_bits = bits;
    s.stance_hash_bits = stance_bits;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &fz, NULL), DM_OK);
    return fz;
}

static void expect_same(const dm_fvec *a, const dm_fvec *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->v[i].index, b->v[i].index);
        assert_memory_equal(&a->v[i].value, &b->v[i].value, sizeof(double));
    }
}

/* The "t:" n-grams hash only the units within word_ngram_max - 1 of a
 * placeholder (explain off); with explain on every n-gram is joined and
 * tested (join_ngrams). The same vector to the bit, for unigrams to
 * trigrams, whatever stands around the targets: sentence start and end,
 * boundaries, skipped punctuation, adjacent names. */
static void test_target_ngrams_near_placeholders(void **state)
{
    (void)state;
    static const char *const raws[] = {
        "Russia condemns the aggression, and we thank Ukraine; the United "
        "States, as always, said nothing about Russia.",
        "We say this: Russia. Ukraine, Russia, and then the United States; "
        "nothing more, nothing less, from us to Ukraine",
        "Ukraine Russia United States",
    };
    const char *names[] = {"Russia", "Ukraine", "United States"};
    const char *codes[] = {"RUS", "UKR", "USA"};
    for (int nmax = 1; nmax <= 3; nmax++) {
        dm_featurizer *fz = featurizer_ngrams(nmax);
        for (size_t k = 0; k < sizeof raws / sizeof *raws; k++)
            for (size_t t = 0; t < 3; t++) {
                dm_fvec streamed, joined;
                dm_fvec_init(&streamed);
                dm_fvec_init(&joined);
                stance_case c;
                stance_setup(&c, raws[k], names, codes, 3);
                stance(fz, &c, "GBR", t, &streamed);
                assert_int_equal(dm_featurizer_set_explain(fz, true), DM_OK);
                stance_setup(&c, raws[k], names, codes, 3);
                stance(fz, &c, "GBR", t, &joined);
                assert_int_equal(dm_featurizer_set_explain(fz, false), DM_OK);
                assert_true(streamed.n > 0);
                expect_same(&streamed, &joined);
                dm_fvec_free(&streamed);
                dm_fvec_free(&joined);
            }
        dm_featurizer_destroy(&fz);
    }
}

/* The fold of the memo's n-grams into the other task's space takes the
 * saved task's values when both spaces merge to as many entries, and
 * computes them when a space adds buckets together: both ways, in both
 * orders of the calls (stance first: the 2^14 memo folded into 2^10), the
 * vectors of featurizers hashing both tasks alike. A long text collides in
 * 2^10 buckets (hundreds of n-grams), a short one does not. */
static void test_fold_collisions(void **state)
{
    (void)state;
    static const char *const raws[] = {
        "Pence accused Kaine of lying about the deal.",
        "Pence accused Kaine of lying about the deal, and of hiding the costs of the "
        "war, the taxes, the debts, the failed schools, the closed hospitals and the "
        "empty promises he made to the workers of Ohio, Virginia, Michigan and "
        "Pennsylvania; Kaine answered that Pence had voted for every one of those "
        "wars, cut every one of those schools, and never once stood with a worker "
        "when it cost him anything at all, in twelve years in Congress and four in "
        "Indiana, where the roads, the bridges and the water pipes are falling apart "
        "while the governor talks about freedom and the budget and the courts.",
    };
    const char *names[] = {"Pence", "Kaine"}, *codes[] = {"Pence", "Kaine"};
    dm_featurizer *at10 = featurizer_bits(10, 0), *at14 = featurizer_bits(14, 0);
    for (int order = 0; order < 2; order++)
        for (size_t k = 0; k < sizeof raws / sizeof *raws; k++) {
            dm_featurizer *fz = featurizer_bits(10, 14);
            stance_case c;
            stance_setup(&c, raws[k], names, codes, 2);
            dm_feature_input in = {.text = dm_text_norm(c.text), .len = dm_text_norm_len(c.text),
                                   .mentions = c.mentions, .n_mentions = c.n, .cue = "said"};
            dm_fvec v, w;
            dm_fvec_init(&v);
            dm_fvec_init(&w);
            for (int call = 0; call < 3; call++) {
                /* order 0: hostility, stance, stance; 1: stance, hostility, stance */
                bool hostility = order == 0 ? call == 0 : call == 1;
                if (hostility) {
                    assert_int_equal(dm_features_hostility(fz, &in, &v, NULL), DM_OK);
                    assert_int_equal(dm_features_hostility(at10, &in, &w, NULL), DM_OK);
                } else {
                    size_t t = (size_t)call % 2;
                    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[t], &v, NULL), DM_OK);
                    assert_int_equal(dm_features_stance(at14, &in, &c.mentions[t], &w, NULL), DM_OK);
                }
                expect_same(&v, &w);
            }
            dm_fvec_free(&v);
            dm_fvec_free(&w);
            dm_text_destroy(&c.text);
            dm_featurizer_destroy(&fz);
        }
    dm_featurizer_destroy(&at10);
    dm_featurizer_destroy(&at14);
}

/* The fold skips the merge when it cannot add two entries together: this
 * space splits the saved one's buckets and the saved family had no two in
 * one bucket. Held to featurizers hashing both tasks alike, in each
 * direction: a short text, folded from 2^12 into 2^14 after a hostility
 * call that merged none of its n-grams (no merge); a text of distinct
 * words (no n-gram twice) whose n-grams share no bucket of 2^14 but some
 * of 2^10, folded from 2^14 into 2^10 (coarser: merged, and must add up
 * the entries that share a bucket). */
static void test_fold_skips_merge(void **state)
{
    (void)state;
    const char *names[] = {"Pence"}, *codes[] = {"Pence"};
    /* no n-gram twice: one name ("<A>" twice would be) */
    char text[4096] = "Pence accused everyone of lying about the deal.";
    bool tested[2] = {false, false};
    for (int trial = 0; trial <= 100 && !tested[1]; trial++) { /* a few suffice */
        int order = trial > 0;
        if (order == 1) { /* "Pence accused" and 25 distinct words, others each trial */
            size_t used = (size_t)snprintf(text, sizeof text, "Pence accused");
            for (int i = 0; i < 25; i++)
                used += (size_t)snprintf(text + used, sizeof text - used, " w%c%c%c",
                                         'a' + i, 'a' + trial % 26, 'a' + trial / 26);
            snprintf(text + used, sizeof text - used, ".");
        }
        dm_featurizer *fz = featurizer_bits(order == 0 ? 12 : 10, 14),
                      *at10 = featurizer_bits(10, 0), *at14 = featurizer_bits(14, 0);
        stance_case c;
        stance_setup(&c, text, names, codes, 1);
        dm_feature_input in = {.text = dm_text_norm(c.text), .len = dm_text_norm_len(c.text),
                               .mentions = c.mentions, .n_mentions = c.n};
        dm_fvec v, w;
        dm_fvec_init(&v);
        dm_fvec_init(&w);
        const dm_text_memo *m = &fz->sc.memo;
        if (order == 0) {
            /* saved at 2^12, no two "w:" n-grams in a bucket there */
            assert_int_equal(dm_features_hostility(fz, &in, &v, NULL), DM_OK);
            assert_true(m->nraw_w > 0);
            assert_int_equal(m->fam_n[0], m->nraw_w);
            unsigned long merges = m->fold_merges;
            for (int call = 0; call < 2; call++) { /* the fold, then the folded kept */
                assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &v, NULL), DM_OK);
                assert_int_equal(dm_features_stance(at14, &in, &c.mentions[0], &w, NULL), DM_OK);
                expect_same(&v, &w);
            }
            assert_int_equal(m->fold_merges, merges); /* skipped */
            tested[0] = true;
        } else {
            /* saved at 2^14: wanted with no two n-grams in a bucket, and
             * some sharing one of 2^10 (else more words) */
            assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &v, NULL), DM_OK);
            size_t shared = 0; /* n-grams in the bucket of 2^10 of an earlier one */
            for (size_t i = 0; i < m->nraw_w; i++)
                for (size_t j = 0; j < i; j++)
                    if (((m->raw[i].index ^ m->raw[j].index) & 1023u) == 0) {
                        shared++;
                        break;
                    }
            unsigned long merges = m->fold_merges;
            assert_int_equal(dm_features_hostility(fz, &in, &v, NULL), DM_OK);
            assert_int_equal(dm_features_hostility(at10, &in, &w, NULL), DM_OK);
            expect_same(&v, &w);
            if (m->fam_n[0] == m->nraw_w && shared > 0) {
                assert_true(m->fold_merges > merges);
                tested[1] = true;
            }
        }
        dm_fvec_free(&v);
        dm_fvec_free(&w);
        dm_text_destroy(&c.text);
        dm_featurizer_destroy(&fz);
        dm_featurizer_destroy(&at10);
        dm_featurizer_destroy(&at14);
    }
    assert_true(tested[0] && tested[1]);
}

static void test_stance_hash_bits(void **state)
{
    (void)state;
    dm_featurizer *fz = featurizer_bits(12, 14), *at12 = featurizer_bits(12, 0),
                  *at14 = featurizer_bits(14, 0);
    assert_int_equal(dm_featurizer_dimensions(fz), (1 << 12) + DM_FEATURES_NAMED_COUNT);
    assert_int_equal(dm_featurizer_task_dimensions(fz, false),
                     (1 << 12) + DM_FEATURES_NAMED_COUNT);
    assert_int_equal(dm_featurizer_task_dimensions(fz, true),
                     (1 << 14) + DM_FEATURES_NAMED_COUNT);
    assert_int_equal(dm_featurizer_task_dimensions(at12, true),
                     dm_featurizer_task_dimensions(at12, false));
    assert_int_equal(dm_featurizer_task_dimensions(NULL, true), 0);
    const char *names[] = {"Pence", "Kaine"}, *codes[] = {"Pence", "Kaine"};
    stance_case c;
    stance_setup(&c, "Pence accused Kaine of lying about the deal.", names, codes, 2);
    dm_feature_input in = {.text = dm_text_norm(c.text), .len = dm_text_norm_len(c.text),
                           .mentions = c.mentions, .n_mentions = c.n, .cue = "said"};
    dm_fvec v, w;
    dm_fvec_init(&v);
    dm_fvec_init(&w);
    for (int round = 0; round < 2; round++) {
        /* Hostility: the 2^12 space, as at12 gives it. */
        assert_int_equal(dm_features_hostility(fz, &in, &v, NULL), DM_OK);
        assert_int_equal(dm_features_hostility(at12, &in, &w, NULL), DM_OK);
        expect_same(&v, &w);
        assert_true(v.v[v.n - 1].index <= (1 << 12) + DM_FEATURES_NAMED_COUNT);
        assert_true(dm_fvec_get(&v, (1 << 12) + 1 + NF_LENGTH) > 0);
        /* Stance right after (the memo's input): the 2^14 space, as at14
         * gives it, named features after 2^14 buckets. */
        /* the second target and the first again: the memo's n-grams folded
         * once into 2^14, the same entries for each */
        for (size_t k = 0; k < 3; k++) {
            size_t t = k % 2;
            assert_int_equal(dm_features_stance(fz, &in, &c.mentions[t], &v, NULL), DM_OK);
            assert_int_equal(dm_features_stance(at14, &in, &c.mentions[t], &w, NULL), DM_OK);
            expect_same(&v, &w);
            expect_fresh(fz, &in, &c.mentions[t], &v);
            assert_true(dm_fvec_get(&v, (1 << 14) + 1 + NF_LENGTH) > 0);
            assert_true(dm_fvec_get(&v, (1 << 12) + 1 + NF_LENGTH) == 0);
            assert_true(v.v[v.n - 1].index <= (1 << 14) + DM_FEATURES_NAMED_COUNT);
        }
        /* Another input in between: its own n-grams, not the last fold. */
        stance_case d;
        stance_setup(&d, "Kaine thanked Pence for the peace agreement.", names, codes, 2);
        dm_feature_input other = {.text = dm_text_norm(d.text),
                                  .len = dm_text_norm_len(d.text),
                                  .mentions = d.mentions, .n_mentions = d.n};
        assert_int_equal(dm_features_hostility(fz, &other, &v, NULL), DM_OK);
        assert_int_equal(dm_features_stance(fz, &other, &d.mentions[1], &v, NULL), DM_OK);
        assert_int_equal(dm_features_stance(at14, &other, &d.mentions[1], &w, NULL), DM_OK);
        expect_same(&v, &w);
        dm_text_destroy(&d.text);
    }
    dm_fvec_free(&v);
    dm_fvec_free(&w);
    dm_text_destroy(&c.text);
    dm_featurizer_destroy(&fz);
    dm_featurizer_destroy(&at12);
    dm_featurizer_destroy(&at14);
    /* Invalid: 1-9 and over 24. */
    dm_feature_settings s;
    dm_feature_settings_default(&s);
    dm_error err;
    s.stance_hash_bits = 9;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &fz, &err), DM_E_INVALID_ARG);
    assert_null(fz);
    assert_non_null(strstr(err.message, "stance_hash_bits"));
    s.stance_hash_bits = 25;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &fz, &err), DM_E_INVALID_ARG);
    assert_null(fz);
    s.stance_hash_bits = -1;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &fz, &err), DM_E_INVALID_ARG);
    assert_null(fz);
}

/* ---- the target features to the bit ------------------------------------ */

/* Statements with several targets: at the start and at the end of the
 * text, repeated, adjacent, coordinated, quoted, with a title or a
 * possessive, negated hits, more other actors than the contrast takes, a
 * span that covers no token. Each mention is a target in turn. */
typedef struct golden_case {
    const char *raw;
    const char *names[7];  /* NULL-terminated; "#2Russia": the 2nd "Russia" */
} golden_case;

static const golden_case GOLDEN_CASES[] = {
    {"Russia condemned Ukraine and the United States, while France said Russia "
     "must stop the attacks on Ukraine.",
     {"Russia", "Ukraine", "United States", "France", "#2Russia", "#2Ukraine", NULL}},
    {"Ukraine thanks Germany for its support; we condemn the brutal aggression by Russia",
     {"Ukraine", "Germany", "Russia", NULL}},
    {"Russia Ukraine talks failed, said France and Germany, and Italy, Spain or "
     "Poland did not welcome them.",
     {"Russia", "Ukraine", "France", "Germany", "Italy", "Spain", "Poland"}},
    {"\"President Putin is wrong and dangerous,\" said Biden's spokesman on "
     "Tuesday, and the EU agreed with Mr. Biden.",
     {"Putin", "Biden", "EU", "#2Biden", NULL}},
    {"China did not condemn Japan, but praised Korea and welcomed India's "
     "cooperation, and the poll by the Times attacked China.",
     {"China", "Japan", "Korea", "India", "the Times", "#2China", NULL}},
    {"Trump accused Obama of lying; Trump and Clinton, however, never threatened "
     "the government of Mexico whereas Canada failed.",
     {"Trump", "Obama", "#2Trump", "Clinton", "government of Mexico", "Canada", NULL}},
};
#define GOLDEN_COUNT (sizeof GOLDEN_CASES / sizeof GOLDEN_CASES[0])

/* Count and FNV-1a 64 of (index, value bits) of each target's vector: as
 * made (dm_fz_features_for_dot, whose order the decision values follow)
 * and merged (dm_features_stance). Recorded from c62e5d5, before the
 * target stages were merged; DM_TARGET_GOLDEN_PRINT=1 prints them. */
typedef struct golden_sum { size_t n_dot; uint64_t dot; size_t n; uint64_t merged; } golden_sum;
#include "target_golden.h"

static uint64_t fvec_fnv(const dm_fvec *v)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < v->n; i++) {
        unsigned char b[sizeof(int) + sizeof(double)];
        memcpy(b, &v->v[i].index, sizeof(int));
        memcpy(b + sizeof(int), &v->v[i].value, sizeof(double));
        for (size_t k = 0; k < sizeof b; k++) {
            h ^= b[k];
            h *= 0x100000001b3ull;
        }
    }
    return h;
}

static size_t golden_setup(const golden_case *g, dm_text **text, dm_feature_target *m,
                           const char **codes)
{
    static const char *const CODES[] = {"AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG"};
    assert_int_equal(dm_text_create(g->raw, strlen(g->raw), text, NULL), DM_OK);
    const char *norm = dm_text_norm(*text);
    size_t n = 0;
    for (; n < 7 && g->names[n]; n++) {
        const char *name = g->names[n];
        int nth = 1;
        if (name[0] == '#') {
            nth = name[1] - '0';
            name += 2;
        }
        const char *p = norm - 1;
        for (int k = 0; k < nth; k++) {
            p = strstr(p + 1, name);
            assert_non_null(p);
        }
        /* A repeated name is the same actor. */
        codes[n] = CODES[n];
        for (size_t j = 0; j < n; j++)
            if (strcmp(g->names[j] + (g->names[j][0] == '#' ? 2 : 0), name) == 0)
                codes[n] = codes[j];
        m[n] = (dm_feature_target){.actor = codes[n], .has_span = true,
                                  .start = (size_t)(p - norm),
                                  .end = (size_t)(p - norm) + strlen(name)};
    }
    return n;
}

/* The shipped model's settings (models/default/manifest.json): the
 * tasks in spaces of different sizes, bigrams, no character n-grams. */
static dm_featurizer *featurizer_golden(void)
{
    dm_feature_settings s;
    dm_feature_settings_default(&s);
    s.hash_bits = 16;
    s.stance_hash_bits = 18;
    s.word_ngram_max = 2;
    s.char_ngram_min = s.char_ngram_max = 0;
    s.actor_priors = false;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &fz, NULL), DM_OK);
    return fz;
}

static void golden_target(dm_featurizer *fz, const dm_feature_input *in,
                          const dm_feature_target *t, const golden_sum *want,
                          bool print)
{
    dm_fvec dot, merged;
    dm_fvec_init(&dot);
    dm_fvec_init(&merged);
    assert_int_equal(dm_fz_features_for_dot(fz, in, t, &dot, NULL), DM_OK);
    assert_int_equal(dm_features_stance(fz, in, t, &merged, NULL), DM_OK);
    if (print) {
        printf("    {%zu, 0x%016llxull, %zu, 0x%016llxull},\n", dot.n,
               (unsigned long long)fvec_fnv(&dot), merged.n,
               (unsigned long long)fvec_fnv(&merged));
    } else {
        assert_int_equal(dot.n, want->n_dot);
        assert_true(fvec_fnv(&dot) == want->dot);
        assert_int_equal(merged.n, want->n);
        assert_true(fvec_fnv(&merged) == want->merged);
    }
    dm_fvec_free(&dot);
    dm_fvec_free(&merged);
}

/* Every target of every case: in order, in reverse order (other targets'
 * families kept from the calls before), each on a fresh featurizer, and
 * with explain on (names joined); plus an implicit target and one whose
 * span covers only a space. The same vectors to the bit each time. */
static void test_target_features_golden(void **state)
{
    (void)state;
    bool print = getenv("DM_TARGET_GOLDEN_PRINT") != NULL;
    size_t at = 0;
    for (size_t c = 0; c < GOLDEN_COUNT; c++) {
        dm_text *text = NULL;
        dm_feature_target m[8];
        const char *codes[7];
        size_t n = golden_setup(&GOLDEN_CASES[c], &text, m, codes);
        /* Implicit, and a span on the first space. */
        m[n] = (dm_feature_target){.actor = "ZZZ", .has_span = false};
        const char *norm = dm_text_norm(text);
        size_t sp = (size_t)(strchr(norm, ' ') - norm);
        dm_feature_target blank = {.actor = "YYY", .has_span = true, .start = sp, .end = sp + 1};
        dm_feature_input in = {.text = norm, .len = dm_text_norm_len(text),
                               .speaker_actor = codes[0], .mentions = m,
                               .n_mentions = n};
        size_t first = at;
        assert_true(print || first + n + 2 <= sizeof GOLDEN / sizeof *GOLDEN);
        for (int pass = 0; pass < (print ? 1 : 4); pass++) {
            dm_featurizer *fz = featurizer_golden();
            if (pass == 3)
                assert_int_equal(dm_featurizer_set_explain(fz, true), DM_OK);
            for (size_t k = 0; k < n + 2; k++) {
                size_t t = pass == 1 ? n + 1 - k : k;
                const dm_feature_target *tg = t < n ? &m[t] : t == n ? &m[n] : &blank;
                if (pass == 2 && k > 0) { /* fresh each time */
                    dm_featurizer_destroy(&fz);
                    fz = featurizer_golden();
                }
                golden_target(fz, &in, tg, print ? NULL : &GOLDEN[first + t], print);
            }
            dm_featurizer_destroy(&fz);
        }
        at = first + n + 2;
        dm_text_destroy(&text);
    }
    assert_true(print || at == sizeof GOLDEN / sizeof *GOLDEN);
}


/* The side families computed together: the first target's "s:" pass also
 * gives its "d:" family, and the other mention's "d:" pass (its contrast)
 * also its "s:" family, kept for when it is the target. Each target's
 * vector is the one a fresh featurizer gives, in either order; with one
 * actor nothing is kept. */
static void test_side_families_kept(void **state)
{
    (void)state;
    const char *names[] = {"Pence", "Kaine"}, *codes[] = {"P1", "P2"};
    stance_case c;
    stance_setup(&c, "Pence sharply accused Kaine of lying, and Kaine denied it.", names, codes, 2);
    dm_text *keep = c.text;
    dm_feature_input in = {.text = dm_text_norm(keep), .len = dm_text_norm_len(keep),
                           .mentions = c.mentions, .n_mentions = c.n};
    dm_fvec fresh[2], x;
    dm_fvec_init(&x);
    for (int t = 0; t < 2; t++) {
        dm_featurizer *fz = featurizer_golden();
        dm_fvec_init(&fresh[t]);
        assert_int_equal(dm_features_stance(fz, &in, &c.mentions[t], &fresh[t], NULL), DM_OK);
        dm_featurizer_destroy(&fz);
    }
    for (int order = 0; order < 2; order++) {
        dm_featurizer *fz = featurizer_golden();
        for (int k = 0; k < 2; k++) {
            int t = order ? 1 - k : k;
            assert_int_equal(dm_features_stance(fz, &in, &c.mentions[t], &x, NULL), DM_OK);
            if (k == 0) {
                /* the target's "d:" and the other's "d:" and "s:" */
                assert_int_equal(fz->sc.n_dfam_of, 2);
                assert_int_equal(fz->sc.n_sfam_of, 1);
                assert_true(fz->sc.sfam_of[0].start == c.mentions[1 - t].start);
            }
            assert_int_equal(x.n, fresh[t].n);
            for (size_t i = 0; i < x.n; i++) {
                assert_int_equal(x.v[i].index, fresh[t].v[i].index);
                assert_true(x.v[i].value == fresh[t].v[i].value);
            }
        }
        dm_featurizer_destroy(&fz);
    }
    dm_text_destroy(&keep);
    const char *one[] = {"Pence"}, *one_code[] = {"P1"};
    stance_setup(&c, "Pence accused Kaine of lying.", one, one_code, 1);
    keep = c.text;
    in = (dm_feature_input){.text = dm_text_norm(keep), .len = dm_text_norm_len(keep),
                            .mentions = c.mentions, .n_mentions = c.n};
    dm_featurizer *fz = featurizer_golden();
    assert_int_equal(dm_features_stance(fz, &in, &c.mentions[0], &x, NULL), DM_OK);
    assert_int_equal(fz->sc.n_dfam_of, 0);
    assert_int_equal(fz->sc.n_sfam_of, 0);
    dm_featurizer_destroy(&fz);
    dm_text_destroy(&keep);
    dm_fvec_free(&x);
    dm_fvec_free(&fresh[0]);
    dm_fvec_free(&fresh[1]);
}

/* The contrast of a target whose families are all kept (sc.dfam) is
 * merged from them at once (dm_fz_merge_scaled); when one finds no room
 * (more than DM_CONTRAST_CACHED mentions) it is copied and merged as with
 * explain on. Both ways give each target the vector explain gives (names
 * joined, nothing kept), in either order of the targets. */
static void test_contrast_kept_as_copied(void **state)
{
    (void)state;
    static const char *const NAMES[] = {
        "Russia", "Ukraine", "France", "Germany", "Italy", "Spain", "Poland", "Japan",
        "China", "India", "Brazil", "Canada", "Mexico", "Chile", "Peru", "Egypt",
        "Kenya", "Ghana", "Norway", "Sweden", "Iran"};
    enum { N = sizeof NAMES / sizeof *NAMES };
    _Static_assert(N > DM_CONTRAST_CACHED + 2, "more mentions than the kept families");
    const char *raw = "Russia condemned Ukraine, France praised Germany and Italy; Spain "
                      "accused Poland of lying while Japan thanked China. India attacked "
                      "Brazil, Canada welcomed Mexico, Chile blamed Peru and Egypt, and "
                      "Kenya, Ghana or Norway supported Sweden against Iran.";
    dm_text *text = NULL;
    assert_int_equal(dm_text_create(raw, strlen(raw), &text, NULL), DM_OK);
    const char *norm = dm_text_norm(text);
    dm_feature_target m[N];
    for (size_t i = 0; i < N; i++) {
        const char *p = strstr(norm, NAMES[i]);
        assert_non_null(p);
        m[i] = (dm_feature_target){.actor = NAMES[i], .has_span = true,
                                   .start = (size_t)(p - norm),
                                   .end = (size_t)(p - norm) + strlen(NAMES[i])};
    }
    dm_feature_input in = {.text = norm, .len = dm_text_norm_len(text), .mentions = m,
                           .n_mentions = N};
    dm_fvec want[N], x;
    dm_fvec_init(&x);
    dm_featurizer *ex = featurizer_golden();
    assert_int_equal(dm_featurizer_set_explain(ex, true), DM_OK);
    for (size_t t = 0; t < N; t++) {
        dm_fvec_init(&want[t]);
        assert_int_equal(dm_fz_features_for_dot(ex, &in, &m[t], &want[t], NULL), DM_OK);
    }
    dm_featurizer_destroy(&ex);
    for (int order = 0; order < 2; order++) {
        dm_featurizer *fz = featurizer_golden();
        for (size_t k = 0; k < N; k++) {
            size_t t = order ? N - 1 - k : k;
            assert_int_equal(dm_fz_features_for_dot(fz, &in, &m[t], &x, NULL), DM_OK);
            expect_same(&x, &want[t]);
        }
        /* the last targets found no room: the copies were taken */
        assert_int_equal(fz->sc.n_dfam_of, DM_CONTRAST_CACHED);
        dm_featurizer_destroy(&fz);
    }
    for (size_t t = 0; t < N; t++)
        dm_fvec_free(&want[t]);
    dm_fvec_free(&x);
    dm_text_destroy(&text);
}

/* dm_fz_mark_target finds the mentions' tokens once for a statement
 * (sc.stmt) and walks from marked token to marked token: the same marks,
 * positions, target tokens and quotes as a look at every token for every
 * mention, whatever the mentions' order, nesting and overlap, a mention
 * on a space, one without a span, a target that is no mention; and after
 * another statement, that statement's. */
static void check_marks_naive(dm_featurizer *fz, const dm_feature_input *in,
                              const dm_feature_target *target)
{
    dm_scratch *sc = &fz->sc;
    dm_target_marks tm;
    assert_int_equal(dm_fz_mark_target(sc, in, target, true, &tm), DM_OK);
    int p = -1, quotes = 0;
    size_t nf = 0;
    bool before_first = true;
    for (size_t i = 0; i < sc->ntoks; i++) {
        const dm_ftok *t = &sc->toks[i];
        char want = 0;
        if (dm_fz_overlaps(t, target->start, target->end))
            want = 'T';
        for (size_t m = 0; !want && m < in->n_mentions; m++) {
            const dm_feature_target *mt = &in->mentions[m];
            if (mt->has_span && dm_fz_overlaps(t, mt->start, mt->end))
                want = dm_fz_same_words(in, target, mt) ? 'T' : 'O';
        }
        char got = t->placeholder == 'G' ? 'O' : t->placeholder; /* lists: apart */
        if (got != want)
            fail_msg("token %zu \"%.*s\": mark %c, a look at every mention %c", i,
                     (int)t->len, t->s, got ? got : '-', want ? want : '-');
        if (!t->placeholder || i == 0 || sc->toks[i - 1].placeholder != t->placeholder)
            p++;
        assert_int_equal(sc->cpos[i], p);
        if (dm_fz_is_focal(t)) {
            assert_true(nf < sc->nfocal);
            assert_int_equal(sc->focal[nf++], i);
            before_first = false;
        }
        if (before_first && !dm_fz_overlaps(t, target->start, target->end) &&
            t->end <= target->start && t->kind == DM_TOKEN_PUNCT &&
            ((t->len == 1 && t->s[0] == '"') || t->len == 3))
            quotes++;
    }
    assert_int_equal(nf, sc->nfocal);
    if (nf > 0)
        assert_int_equal(tm.quotes, quotes);
}

static void test_mark_target_as_naive(void **state)
{
    (void)state;
    const char *raws[] = {
        "\"The United States and Russia\", said Lavrov, \"and the States, France or "
        "Germany\" condemned the United Nations and Russia.",
        "Russia, China and Iran met France; the United States and the UN watched.",
    };
    dm_featurizer *fz = featurizer_golden();
    dm_fvec v;
    dm_fvec_init(&v);
    for (int round = 0; round < 2; round++)
        for (size_t k = 0; k < 2; k++) {
            stance_case c;
            const char *names[2][4] = {{"Russia", "The United States", "United", "France"},
                                       {"France", "Iran", "the United States", "Russia"}};
            const char *codes[] = {"A1", "A2", "A3", "A4"};
            stance_setup(&c, raws[k], names[k], codes, 4);
            dm_feature_target m[8];
            memcpy(m, c.mentions, sizeof c.mentions);
            const char *norm = dm_text_norm(c.text);
            size_t sp = (size_t)(strchr(norm, ' ') - norm);
            m[4] = (dm_feature_target){.actor = "SP", .has_span = true, .start = sp, .end = sp + 1};
            m[5] = (dm_feature_target){.actor = "NO", .has_span = false};
            const char *s = strstr(norm, "States");
            m[6] = (dm_feature_target){.actor = "ST", .has_span = true,
                                       .start = (size_t)(s - norm), .end = (size_t)(s - norm) + 6};
            const char *u = strstr(norm, k ? "UN" : "United Nations");
            dm_feature_target other = {.actor = "UN", .has_span = true,
                                       .start = (size_t)(u - norm),
                                       .end = (size_t)(u - norm) + (k ? 2 : 14)};
            dm_feature_input in = {.text = norm, .len = dm_text_norm_len(c.text),
                                   .mentions = m, .n_mentions = 7};
            assert_int_equal(dm_features_stance(fz, &in, &m[round], &v, NULL), DM_OK);
            for (size_t t = 0; t < 7; t++)
                if (m[t].has_span)
                    check_marks_naive(fz, &in, &m[t]);
            check_marks_naive(fz, &in, &other);
            dm_text_destroy(&c.text);
        }
    dm_fvec_free(&v);
    dm_featurizer_destroy(&fz);
}

/* The stance names that are the same for every target (the side prefixes
 * and their valence and lexicon names, "m:=inquote" ...) are hashed once
 * for a featurizer, from its seed: two featurizers of other seeds, called
 * in turn, each give what the same featurizer with explain on gives (names
 * joined and hashed whole), and those names are there. */
static dm_featurizer *featurizer_seed(uint32_t seed, bool explain)
{
    dm_feature_settings s;
    dm_feature_settings_default(&s);
    s.hash_seed = seed;
    s.word_ngram_max = 2;
    s.char_ngram_min = s.char_ngram_max = 0;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &fz, NULL), DM_OK);
    if (explain)
        assert_int_equal(dm_featurizer_set_explain(fz, true), DM_OK);
    return fz;
}

static void test_stance_names_by_seed(void **state)
{
    (void)state;
    const char *names[] = {"Smith", "Jones", "the committee", "Tuesday"};
    const char *codes[] = {"P1", "P2", "C1", "T1"};
    const char *raw = "Senator Smith's office said on Tuesday that \"the minister wrongly "
                      "accused Jones of lying\", and the committee praised Jones.";
    const uint32_t seeds[2] = {1684877361u, 7u};
    dm_featurizer *fz[2], *ex[2];
    for (int k = 0; k < 2; k++) {
        fz[k] = featurizer_seed(seeds[k], false);
        ex[k] = featurizer_seed(seeds[k], true);
    }
    dm_fvec got, want;
    dm_fvec_init(&got);
    dm_fvec_init(&want);
    for (int round = 0; round < 2; round++)
        for (size_t t = 0; t < 4; t++)
            for (int k = 0; k < 2; k++) {
                stance_case c;
                stance_setup(&c, raw, names, codes, 4);
                dm_feature_input in = {.text = dm_text_norm(c.text),
                                       .len = dm_text_norm_len(c.text),
                                       .speaker_actor = "GBR", .mentions = c.mentions,
                                       .n_mentions = c.n};
                assert_int_equal(dm_features_stance(fz[k], &in, &c.mentions[t], &got, NULL),
                                 DM_OK);
                assert_int_equal(dm_features_stance(ex[k], &in, &c.mentions[t], &want, NULL),
                                 DM_OK);
                assert_int_equal(got.n, want.n);
                for (size_t i = 0; i < want.n; i++) {
                    assert_int_equal(got.v[i].index, want.v[i].index);
                    assert_memory_equal(&got.v[i].value, &want.v[i].value, sizeof(double));
                }
                static const char *const present[4][3] = {
                    {"m:=title", "m:=poss", "s:RC:+hos"},
                    {"m:=inquote", "s:LC:+hos", "d:LC:+hos"},
                    {"m:committee", "m:=outquote", "s:RC:+cor"},
                    {"m:=time", "s:RC:-val", "d:RC:accused"}};
                for (int n = 0; n < 3; n++)
                    if (!(feat(ex[k], &want, present[t][n]) != 0))
                        fail_msg("target %zu, seed %u: no %s", t, (unsigned)seeds[k],
                                 present[t][n]);
                dm_text_destroy(&c.text);
            }
    for (int k = 0; k < 2; k++) {
        dm_featurizer_destroy(&fz[k]);
        dm_featurizer_destroy(&ex[k]);
    }
    dm_fvec_free(&got);
    dm_fvec_free(&want);
}

/* The fixed word lists of the target features as one set
 * (dm_fz_word_class): for every word of every list, and for words near
 * them (a byte more or less, another first or last byte, capitalised),
 * the same classes as dm_ftok_in over each list. */
static unsigned word_class_by_lists(const dm_ftok *t)
{
    unsigned cls = 0;
    for (unsigned bit = 1; bit < 1u << DM_WC_CLASSES; bit <<= 1)
        cls |= dm_ftok_in(t, dm_fz_word_class_list(bit)) ? bit : 0;
    return cls;
}

static void check_word_class(const char *w, size_t len)
{
    dm_ftok t = {.s = w, .len = len};
    if (dm_fz_word_class(&t) != word_class_by_lists(&t))
        fail_msg("word class of \"%.*s\": %u, the lists say %u", (int)len, w,
                 dm_fz_word_class(&t), word_class_by_lists(&t));
}

static void test_word_classes(void **state)
{
    (void)state;
    dm_fz_word_classes_ready();
    size_t words = 0;
    for (unsigned bit = 1; bit < 1u << DM_WC_CLASSES; bit <<= 1) {
        const char *const *list = dm_fz_word_class_list(bit);
        assert_non_null(list);
        for (; *list; list++, words++) {
            const char *w = *list;
            size_t n = strlen(w);
            dm_ftok t = {.s = w, .len = n};
            assert_true(dm_fz_word_class(&t) & bit);
            char v[64];
            assert_true(n + 2 < sizeof v);
            check_word_class(w, n);
            check_word_class(w, n - 1);   /* a byte less */
            check_word_class(w + 1, n - 1);
            memcpy(v, w, n);
            v[n] = 's';                    /* a byte more */
            check_word_class(v, n + 1);
            v[0] = (char)(w[0] - 'a' + 'A'); /* capitalised */
            check_word_class(v, n);
            for (int c = 0; c < 256; c += 7) { /* another first / last byte */
                memcpy(v, w, n);
                v[0] = (char)c;
                check_word_class(v, n);
                memcpy(v, w, n);
                v[n - 1] = (char)c;
                check_word_class(v, n);
            }
        }
    }
    assert_true(words > 90);
    assert_null(dm_fz_word_class_list(DM_WC_SKIP | DM_WC_TIME));
    /* in two lists; in none; empty */
    dm_ftok the = {.s = "the", .len = 3}, may = {.s = "may", .len = 3}, none = {.s = "", .len = 0};
    assert_int_equal(dm_fz_word_class(&the), DM_WC_SKIP | DM_WC_DET);
    assert_int_equal(dm_fz_word_class(&may), 0);
    assert_int_equal(dm_fz_word_class(&none), 0);
    const char *sentence[] = {"senator", "vale", "criticised", "orland", "budget", "on",
                              "tuesday", "mr", "prime", "minister", "towards", "toward",
                              "those", "thos", "monday", "mondays", "\xe2\x80\x9c"};
    for (size_t i = 0; i < sizeof sentence / sizeof *sentence; i++)
        check_word_class(sentence[i], strlen(sentence[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_placeholders_and_pair),
        cmocka_unit_test(test_target_predicates_and_clauses),
        cmocka_unit_test(test_target_mentions_and_edges),
        cmocka_unit_test(test_each_target_own_context),
        cmocka_unit_test(test_target_kind),
        cmocka_unit_test(test_coordinated_targets),
        cmocka_unit_test(test_contrast_between_targets),
        cmocka_unit_test(test_names_do_not_change_features),
        cmocka_unit_test(test_actor_priors_opt_in),
        cmocka_unit_test(test_topic_targets),
        cmocka_unit_test(test_text_memo_as_fresh),
        cmocka_unit_test(test_stance_hash_bits),
        cmocka_unit_test(test_fold_collisions),
        cmocka_unit_test(test_fold_skips_merge),
        cmocka_unit_test(test_target_ngrams_near_placeholders),
        cmocka_unit_test(test_target_features_golden),
        cmocka_unit_test(test_word_classes),
        cmocka_unit_test(test_side_families_kept),
        cmocka_unit_test(test_contrast_kept_as_copied),
        cmocka_unit_test(test_stance_names_by_seed),
        cmocka_unit_test(test_mark_target_as_naive),
    };
    return cmocka_run_group_tests(tests, featurizer_setup, featurizer_teardown);
}
