/* Tests of issue 11's features: the inflection rule table and the lemma
 * lines of the lexicons, implicit criticism ("impl:"), blame versus topic
 * ("blame:") and the previous sentence ("prev:"). */
#include "features_fixture.h"

#include "features/features_internal.h"
#include "demarche/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double feat(const dm_featurizer *fz, const dm_fvec *v, const char *name)
{
    int i = dm_featurizer_feature_index(fz, name);
    assert_true(i > 0);
    return dm_fvec_get(v, i);
}

/* ---- the rule table ----------------------------------------------------- */

static void expect_forms(const char *lemma, const char *classes,
                         const char *const *want)
{
    char forms[12][DM_INFLECT_MAX];
    int n = dm_inflect(lemma, classes, forms, 12);
    int k = 0;
    for (; want[k]; k++) {
        bool found = false;
        for (int i = 0; i < n && !found; i++)
            found = strcmp(forms[i], want[k]) == 0;
        if (!found)
            fail_msg("%s~%s: no form '%s'", lemma, classes, want[k]);
    }
    assert_int_equal(n, k);
}

static void test_inflection_rules(void **state)
{
    (void)state;
    expect_forms("condemn", "v", (const char *[]){"condemns", "condemned", "condemning", NULL});
    expect_forms("massacre", "vn", (const char *[]){"massacres", "massacred", "massacring", NULL});
    expect_forms("lack", "v", (const char *[]){"lacks", "lacked", "lacking", NULL});
    expect_forms("dissemble", "ve", (const char *[]){"dissembles", "dissembled",
                 "dissembling", "dissembler", "dissemblers", NULL});
    /* doubling: one syllable, stressed endings, not unstressed ones */
    expect_forms("ban", "v", (const char *[]){"bans", "banned", "banning", NULL});
    expect_forms("admit", "v", (const char *[]){"admits", "admitted", "admitting", NULL});
    expect_forms("expel", "v", (const char *[]){"expels", "expelled", "expelling", NULL});
    expect_forms("visit", "v", (const char *[]){"visits", "visited", "visiting", NULL});
    expect_forms("offer", "v", (const char *[]){"offers", "offered", "offering", NULL});
    expect_forms("shell", "v", (const char *[]){"shells", "shelled", "shelling", NULL});
    /* y, ie, ee, o, c */
    expect_forms("occupy", "v", (const char *[]){"occupies", "occupied", "occupying", NULL});
    expect_forms("deploy", "v", (const char *[]){"deploys", "deployed", "deploying", NULL});
    expect_forms("lie", "v", (const char *[]){"lies", "lied", "lying", NULL});
    expect_forms("agree", "v", (const char *[]){"agrees", "agreed", "agreeing", NULL});
    expect_forms("veto", "v", (const char *[]){"vetoes", "vetoed", "vetoing", NULL});
    expect_forms("panic", "v", (const char *[]){"panics", "panicked", "panicking", NULL});
    expect_forms("annex", "v", (const char *[]){"annexes", "annexed", "annexing", NULL});
    /* exceptions; a phrase inflects its first word (verbs), last (nouns) */
    expect_forms("tear up", "v", (const char *[]){"tears up", "tore up", "torn up",
                 "tearing up", NULL});
    expect_forms("fall short", "v", (const char *[]){"falls short", "fell short",
                 "fallen short", "falling short", NULL});
    expect_forms("double standard", "n", (const char *[]){"double standards", NULL});
    expect_forms("crisis", "n", (const char *[]){"crises", NULL});
    expect_forms("mouthpiece", "n", (const char *[]){"mouthpieces", NULL});
    expect_forms("atrocity", "n", (const char *[]){"atrocities", NULL});
    expect_forms("weak", "a", (const char *[]){"weaker", "weakest", NULL});
    /* not ASCII lower case: the lemma only; bad arguments: nothing */
    char forms[4][DM_INFLECT_MAX];
    assert_int_equal(dm_inflect("Condemn", "v", forms, 4), 0);
    assert_int_equal(dm_inflect("condamner\xc3\xa9", "v", forms, 4), 0);
    assert_int_equal(dm_inflect(NULL, "v", forms, 4), 0);
    assert_int_equal(dm_inflect("condemn", NULL, forms, 4), 0);
    assert_int_equal(dm_inflect("condemn", "v", forms, 0), 0);
    assert_int_equal(dm_inflect("condemn", "v", forms, 2), 2);
}

/* ---- the shipped lexicons' lemmas -------------------------------------- */

static const dm_lex_entry *entry(const dm_featurizer *fz, const char *key)
{
    return dm_lexicon_get(&fz->lex, key, strlen(key), fz->settings.hash_seed);
}

/* The table entry of a phrase keyed as the loader keys it: normalised,
 * tokenised, folded tokens joined by ' ' ("cease-fires" is 3 tokens). */
static const dm_lex_entry *entry_of_phrase(const dm_featurizer *fz, const char *phrase)
{
    dm_text *text = NULL;
    dm_tokens toks = {0};
    assert_int_equal(dm_text_create(phrase, strlen(phrase), &text, NULL), DM_OK);
    assert_int_equal(dm_tokenize(dm_text_norm(text), dm_text_norm_len(text), &toks, NULL),
                     DM_OK);
    char key[512] = "";
    for (size_t i = 0; i < toks.n; i++) {
        if (i)
            strcat(key, " ");
        strncat(key, toks.v[i].folded, sizeof key - strlen(key) - 2);
    }
    dm_tokens_free(&toks);
    dm_text_destroy(&text);
    return entry(fz, key);
}

/* Forms the issue found missing, and common ones, must match. */
static void test_shipped_inflections(void **state)
{
    const dm_featurizer *fz = *state;
    const char *hostile[] = {"massacred", "massacring", "massacres", "condemns",
                             "condemning", "condemned", "dissembling",
                             "dissembler", "mouthpieces", "decrying",
                             "refusing", "atrocities", "threatening", NULL};
    for (int i = 0; hostile[i]; i++) {
        const dm_lex_entry *e = entry(fz, hostile[i]);
        if (!e || !(e->flags & LEX_HOSTILE))
            fail_msg("hostility.tsv does not match '%s'", hostile[i]);
    }
    const char *implicit[] = {"lacking", "fell short", "fallen short", "tore up",
                              "vetoed", "failed to", "ulterior motives",
                              "hidden agendas", NULL};
    for (int i = 0; implicit[i]; i++) {
        const dm_lex_entry *e = entry(fz, implicit[i]);
        if (!e || !(e->flags & LEX_IMPLICIT))
            fail_msg("implicit.tsv does not match '%s'", implicit[i]);
    }
    const dm_lex_entry *e = entry(fz, "thanked");
    assert_true(e && (e->flags & LEX_CORDIAL));
}

/* Every lemma line of the shipped files: each generated form is in the
 * table with the lemma's role (a form listed on its own line may carry
 * other values). */
static void test_every_shipped_lemma_expands(void **state)
{
    const dm_featurizer *fz = *state;
    const struct { const char *file; unsigned flag; } files[] = {
        {"hostility.tsv", LEX_HOSTILE}, {"cordiality.tsv", LEX_CORDIAL},
        {"implicit.tsv", LEX_IMPLICIT}};
    int lemmas = 0;
    for (size_t f = 0; f < 3; f++) {
        char path[4200], line[512];
        snprintf(path, sizeof path, "%s/%s", lexdir, files[f].file);
        FILE *fp = fopen(path, "r");
        assert_non_null(fp);
        while (fgets(line, sizeof line, fp)) {
            char *tab = strchr(line, '\t'), *tilde = strchr(line, '~');
            if (line[0] == '#' || !tab || !tilde || tilde > tab)
                continue;
            *tab = '\0';
            *tilde = '\0';
            char forms[12][DM_INFLECT_MAX];
            int n = dm_inflect(line, tilde + 1, forms, 12);
            assert_true(n > 0);
            lemmas++;
            for (int i = 0; i < n; i++) {
                const dm_lex_entry *e = entry_of_phrase(fz, forms[i]);
                if (!e || !(e->flags & files[f].flag))
                    fail_msg("%s: form '%s' of '%s' does not match", files[f].file,
                             forms[i], line);
            }
        }
        fclose(fp);
    }
    assert_true(lemmas >= 100);
}

/* ---- implicit criticism and blame -------------------------------------- */

typedef struct sentence {
    const char *text;
    dm_feature_target mentions[4];
    size_t n;
} sentence;

/* Mentions of `names` (NULL-terminated) in `text`, first occurrence each. */
static void setup(sentence *s, const char *text, const char *const *names)
{
    s->text = text;
    s->n = 0;
    for (; names && *names; names++) {
        const char *p = strstr(text, *names);
        assert_non_null(p);
        s->mentions[s->n++] = (dm_feature_target){
            .actor = *names, .has_span = true, .start = (size_t)(p - text),
            .end = (size_t)(p - text) + strlen(*names)};
    }
}

static void hostility(const dm_featurizer *fz, const char *text,
                      const char *const *names, const char *previous, dm_fvec *out)
{
    sentence s;
    setup(&s, text, names);
    dm_feature_input in = {.text = text, .len = strlen(text),
                           .mentions = s.mentions, .n_mentions = s.n,
                           .previous = previous};
    assert_int_equal(dm_features_hostility(fz, &in, out, NULL), DM_OK);
}

static void test_actor_does_negative_action(void **state)
{
    const dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    hostility(fz, "Kyiv tore up the agreement.", (const char *[]){"Kyiv", NULL}, NULL, &v);
    assert_true(feat(fz, &v, "impl:action") > 0);
    assert_true(feat(fz, &v, "impl:action_actor") > 0);
    /* the subject may be a few words away; the agent of a passive counts */
    hostility(fz, "Russian forces have once again shelled the city.",
              (const char *[]){"Russian", NULL}, NULL, &v);
    assert_true(feat(fz, &v, "impl:action_actor") > 0);
    hostility(fz, "The airliner was shot down by the separatists and Russia.",
              (const char *[]){"Russia", NULL}, NULL, &v);
    assert_true(feat(fz, &v, "impl:action_actor") == 0);
    hostility(fz, "The peninsula was annexed by Russia in 2014.",
              (const char *[]){"Russia", NULL}, NULL, &v);
    assert_true(feat(fz, &v, "impl:action_actor") > 0);
    /* an agent word names an actor without a name */
    hostility(fz, "The regime has allowed recruitment offices to open.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "impl:agent") > 0);
    assert_true(feat(fz, &v, "impl:action_actor") > 0);
    /* nobody does it: the action alone */
    hostility(fz, "The agreement was torn up in 2019.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "impl:action") > 0);
    assert_true(feat(fz, &v, "impl:action_actor") == 0);
    /* another clause does not count */
    hostility(fz, "Ukraine spoke, and the agreement was torn up.",
              (const char *[]){"Ukraine", NULL}, NULL, &v);
    assert_true(feat(fz, &v, "impl:action_actor") == 0);
    dm_fvec_free(&v);
}

static void test_insufficiency_denial_insinuation(void **state)
{
    const dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    hostility(fz, "The response has fallen short, and cooperation has been lacking.",
              NULL, NULL, &v);
    assert_float_equal(feat(fz, &v, "impl:insufficiency"), log1p(3.0), 1e-6);
    assert_true(feat(fz, &v, "impl:cue_actor") == 0);
    hostility(fz, "Israel has failed to comply with the resolution.",
              (const char *[]){"Israel", NULL}, NULL, &v);
    assert_true(feat(fz, &v, "impl:insufficiency") > 0);
    assert_true(feat(fz, &v, "impl:cue_actor") > 0);
    hostility(fz, "We know that is not the case.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "impl:denial") > 0);
    hostility(fz, "Certain delegations have ulterior motives.", NULL, NULL, &v);
    assert_float_equal(feat(fz, &v, "impl:insinuation"), log1p(4.0), 1e-6);
    /* plain procedure has none of them */
    hostility(fz, "The provisional agenda is adopted.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "impl:insufficiency") == 0);
    assert_true(feat(fz, &v, "impl:denial") == 0);
    assert_true(feat(fz, &v, "impl:insinuation") == 0);
    assert_true(feat(fz, &v, "impl:procedure") > 0);
    dm_fvec_free(&v);
}

static void test_blame_versus_topic(void **state)
{
    const dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    /* condemnation of a crime that blames nobody */
    hostility(fz, "We condemn the terrorist attack and call for an investigation.",
              NULL, NULL, &v);
    assert_true(feat(fz, &v, "blame:none") > 0);
    assert_true(feat(fz, &v, "blame:actor") == 0);
    assert_true(feat(fz, &v, "impl:procedure") > 0);
    /* ... and one that blames an actor */
    hostility(fz, "We condemn Russia for the attack.", (const char *[]){"Russia", NULL},
              NULL, &v);
    assert_true(feat(fz, &v, "blame:actor") > 0);
    assert_true(feat(fz, &v, "blame:none") == 0);
    assert_true(feat(fz, &v, "blame:topic_only") == 0);
    /* commemoration and violent topic words, nobody blamed */
    hostility(fz, "We honour the victims of the airliner shot down over Donetsk.",
              NULL, NULL, &v);
    assert_true(feat(fz, &v, "impl:commemoration") > 0);
    assert_true(feat(fz, &v, "impl:topic") > 0);
    assert_true(feat(fz, &v, "blame:topic_only") == 1.0);
    /* a negated hostile term blames nobody */
    hostility(fz, "We do not accuse Brazil.", (const char *[]){"Brazil", NULL}, NULL, &v);
    assert_true(feat(fz, &v, "blame:actor") == 0);
    dm_fvec_free(&v);
}

/* Who a crime word blames (train/CODEBOOK.md 9.4): an actor (4), nobody but
 * the speaker condemns (3), nobody and no evaluation (1). Exactly one of
 * charged / condemned / bare carries the crime's weight. */
static void expect_crime(const dm_featurizer *fz, const char *text,
                         const char *const *names, const char *which, bool memory)
{
    dm_fvec v;
    dm_fvec_init(&v);
    hostility(fz, text, names, NULL, &v);
    const char *all[] = {"blame:crime_charged", "blame:crime_condemned",
                         "blame:crime_bare"};
    for (size_t i = 0; i < 3; i++) {
        double x = feat(fz, &v, all[i]);
        bool want = strcmp(all[i], which) == 0;
        if (want ? !(x > 0) : x != 0)
            fail_msg("%s: %s = %g, expected %s", text, all[i], x, want ? "> 0" : "0");
    }
    double m = feat(fz, &v, "blame:crime_memory");
    if (memory ? !(m > 0) : m != 0)
        fail_msg("%s: blame:crime_memory = %g", text, m);
    dm_fvec_free(&v);
}

static void test_crime_blame(void **state)
{
    const dm_featurizer *fz = *state;
    /* an actor is the subject, the passive agent or beside the crime word */
    expect_crime(fz, "The occupation forces massacred the villagers.", NULL,
                 "blame:crime_charged", false);
    expect_crime(fz, "The villagers were massacred by Ruritania.",
                 (const char *[]){"Ruritania", NULL}, "blame:crime_charged", false);
    expect_crime(fz, "Ruritania committed genocide.", (const char *[]){"Ruritania", NULL},
                 "blame:crime_charged", false);
    /* nobody charged, the speaker condemns */
    expect_crime(fz, "We condemn the massacre of villagers.", NULL,
                 "blame:crime_condemned", false);
    /* nobody charged, no evaluation: a report, a policy, a memory */
    expect_crime(fz, "The tribunal tried war crimes committed during the conflict.", NULL,
                 "blame:crime_bare", true);
    expect_crime(fz, "We remember the victims of the genocide.", NULL, "blame:crime_bare",
                 true);
    expect_crime(fz, "Thousands were killed in the genocide twenty years ago.", NULL,
                 "blame:crime_bare", false);
    /* calling something a crime is an evaluation; a passive report is not */
    expect_crime(fz, "What happened in the valley is a genocide.", NULL,
                 "blame:crime_condemned", false);
    expect_crime(fz, "Twenty years ago, thousands were killed in the genocide.", NULL,
                 "blame:crime_bare", false);
    /* a culprit unnamed but there ("the men who bombed", "by gunmen") */
    expect_crime(fz, "The men who bombed the station were never found.", NULL,
                 "blame:crime_condemned", false);
    expect_crime(fz, "Two guards were killed by gunmen at dawn.", NULL,
                 "blame:crime_charged", false);
    /* a trial of the accused: the accusation is described, not made */
    expect_crime(fz, "The trial of those accused of war crimes resumed on Monday.", NULL,
                 "blame:crime_bare", true);
    /* a level-4 epithet evaluates */
    expect_crime(fz, "The barbaric bombing of the market killed forty people.", NULL,
                 "blame:crime_condemned", false);
    /* an actor named anywhere: not blame-free */
    expect_crime(fz, "Ruritania will always honour the memory of the many thousands killed in that war.",
                 (const char *[]){"Ruritania", NULL}, "blame:crime_condemned", false);
    /* a negated crime word is not counted at all */
    dm_fvec v;
    dm_fvec_init(&v);
    hostility(fz, "This was not genocide.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "blame:crime_bare") == 0);
    assert_true(feat(fz, &v, "blame:crime_charged") == 0);
    /* no crime word: nothing */
    hostility(fz, "We condemn the decision of Ruritania.", (const char *[]){"Ruritania", NULL},
              NULL, &v);
    assert_true(feat(fz, &v, "blame:crime_charged") == 0);
    assert_true(feat(fz, &v, "blame:crime_condemned") == 0);
    assert_true(feat(fz, &v, "blame:crime_bare") == 0);
    dm_fvec_free(&v);
}

/* Blame-free hits leave the lexicon sums (train/CODEBOOK.md 9.4: "no alarm
 * without blame"): the host:* and lex:* features do not see them. */
static void test_blame_gating(void **state)
{
    const dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    hostility(fz, "We remember the victims of the genocide.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "host:extreme") == 0);
    assert_true(feat(fz, &v, "lex:hostile_sum") == 0);
    assert_true(feat(fz, &v, "blame:none") == 0);
    hostility(fz, "We condemn the genocide.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "host:extreme") > 0);
    /* accountability with no culprit is procedure, not a demand */
    hostility(fz, "Accountability for these crimes is essential.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "blame:procedure_bare") > 0);
    assert_true(feat(fz, &v, "host:demand") == 0);
    hostility(fz, "Ruritania must be held accountable.", (const char *[]){"Ruritania", NULL},
              NULL, &v);
    assert_true(feat(fz, &v, "blame:procedure_bare") == 0);
    assert_true(feat(fz, &v, "host:demand") > 0);
    dm_fvec_free(&v);
}

/* Conditional threats (train/CODEBOOK.md 3.4, 9.12): a threat or warning
 * under a condition, and one naming military force. */
static void test_conditional_threats(void **state)
{
    const dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    hostility(fz, "Should the embargo continue, there will be consequences.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "threat:conditional") > 0);
    assert_true(feat(fz, &v, "threat:force") == 0);
    hostility(fz, "Any new incursion will be met with a firm military response.", NULL,
              NULL, &v);
    assert_true(feat(fz, &v, "threat:conditional") > 0);
    assert_true(feat(fz, &v, "threat:force") > 0);
    hostility(fz, "In the event of an attack, our forces will retaliate.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "threat:force") > 0);
    /* a threat without a condition, a condition without a threat */
    hostility(fz, "There will be consequences.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "threat:conditional") == 0);
    hostility(fz, "If the talks resume, we will send a delegation.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "threat:conditional") == 0);
    /* "should" inside a clause is a modal, not a condition */
    hostility(fz, "Ruritania should withdraw or face consequences.",
              (const char *[]){"Ruritania", NULL}, NULL, &v);
    assert_true(feat(fz, &v, "threat:conditional") == 0);
    dm_fvec_free(&v);
}

static void test_previous_sentence(void **state)
{
    const dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    const char *const names[] = {"Russia", NULL};
    hostility(fz, "Russia must answer for this.", names, NULL, &v);
    assert_true(feat(fz, &v, "prev:hostile_sum") == 0);
    assert_true(feat(fz, &v, "prev:implicit") == 0);
    hostility(fz, "Russia must answer for this.", names,
              "Russia has violated the ceasefire and the agreement is not the case.", &v);
    assert_true(feat(fz, &v, "prev:hostile_sum") > 0);
    assert_true(feat(fz, &v, "prev:implicit") > 0);
    assert_true(feat(fz, &v, "prev:same_actor") == 1.0);
    hostility(fz, "Russia must answer for this.", names, "We thank Brazil.", &v);
    assert_true(feat(fz, &v, "prev:hostile_sum") == 0);
    assert_true(feat(fz, &v, "prev:same_actor") == 0);
    /* the statement's own features do not depend on the previous one */
    dm_fvec w;
    dm_fvec_init(&w);
    hostility(fz, "Russia must answer for this.", names, "", &w);
    assert_true(feat(fz, &w, "prev:same_actor") == 0);
    assert_true(feat(fz, &w, "len:tokens") == feat(fz, &v, "len:tokens"));
    dm_fvec_free(&w);
    dm_fvec_free(&v);
}

/* Swapping the names leaves the new features as they were. */
static void test_names_do_not_change_implicit(void **state)
{
    const dm_featurizer *fz = *state;
    dm_fvec a, b;
    dm_fvec_init(&a);
    dm_fvec_init(&b);
    hostility(fz, "Russia has failed to act and China tore up the deal.",
              (const char *[]){"Russia", "China", NULL}, "Russia lied.", &a);
    hostility(fz, "The United Kingdom has failed to act and the European Union tore up the deal.",
              (const char *[]){"The United Kingdom", "the European Union", NULL},
              "The United Kingdom lied.", &b);
    const char *names[] = {"impl:action_actor", "impl:cue_actor", "blame:actor",
                           "blame:none", "prev:hostile_sum", "prev:same_actor"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        assert_float_equal(feat(fz, &a, names[i]), feat(fz, &b, names[i]), 1e-12);
    assert_true(feat(fz, &a, "impl:action_actor") > 0);
    dm_fvec_free(&a);
    dm_fvec_free(&b);
}

/* Whether a clause names an actor is read once per clause and pass, not
 * once per hit over the whole text (which took seconds on a 1 MB text):
 * one long clause of many hits reads about its tokens, where the
 * quadratic form read hits x tokens (sc.clause_steps counts the reads). */
static char *repeated(const char *unit, size_t reps, const char *end)
{
    size_t n = strlen(unit);
    char *text = malloc(reps * n + strlen(end) + 1);
    assert_non_null(text);
    for (size_t i = 0; i < reps; i++)
        memcpy(text + i * n, unit, n);
    strcpy(text + reps * n, end);
    return text;
}

static unsigned long clause_reads(dm_featurizer *fz, const char *text, size_t *ntoks)
{
    dm_fvec v;
    dm_fvec_init(&v);
    unsigned long before = fz->sc.clause_steps;
    hostility(fz, text, NULL, NULL, &v);
    *ntoks = fz->sc.ntoks; /* no previous sentence: the statement's tokens */
    dm_fvec_free(&v);
    return fz->sc.clause_steps - before;
}

static void test_clause_actor_is_linear(void **state)
{
    dm_featurizer *fz = *state;
    size_t ntoks;
    /* hostile terms and insufficiency cues (dm_fz_implicit's two passes) */
    char *text = repeated("we condemn this and they have failed to act and ", 300, "now.");
    unsigned long reads = clause_reads(fz, text, &ntoks);
    assert_true(ntoks > 3000);
    assert_true(reads >= ntoks); /* the hook counts */
    assert_true(reads <= 3 * ntoks);
    free(text);
    /* demands of accountability in a short text (dm_fz_blame's pass) */
    text = repeated("accountability for these crimes is essential and ", 30, "now.");
    reads = clause_reads(fz, text, &ntoks);
    assert_true(ntoks > 200 && ntoks <= 256);
    assert_true(reads >= ntoks);
    assert_true(reads <= 3 * ntoks);
    free(text);
}

/* The memo of the last clause gives each clause its own answer, in either
 * order: the cue of a clause naming nobody adds nothing to cue_actor. */
static void test_clause_actor_per_clause(void **state)
{
    const dm_featurizer *fz = *state;
    dm_fvec a, b, c;
    dm_fvec_init(&a);
    dm_fvec_init(&b);
    dm_fvec_init(&c);
    hostility(fz, "Israel has failed to comply.", (const char *[]){"Israel", NULL}, NULL, &a);
    hostility(fz, "Israel has failed to comply, and the response has fallen short.",
              (const char *[]){"Israel", NULL}, NULL, &b);
    hostility(fz, "The response has fallen short, and Israel has failed to comply.",
              (const char *[]){"Israel", NULL}, NULL, &c);
    assert_true(feat(fz, &a, "impl:cue_actor") > 0);
    assert_float_equal(feat(fz, &b, "impl:cue_actor"), feat(fz, &a, "impl:cue_actor"), 1e-12);
    assert_float_equal(feat(fz, &c, "impl:cue_actor"), feat(fz, &a, "impl:cue_actor"), 1e-12);
    assert_true(feat(fz, &b, "impl:insufficiency") > feat(fz, &a, "impl:insufficiency"));
    /* a hostile term in a clause of its own, and one beside an actor */
    hostility(fz, "Russia attacked, and we condemn it.", (const char *[]){"Russia", NULL},
              NULL, &a);
    hostility(fz, "We condemn it, and Russia attacked.", (const char *[]){"Russia", NULL},
              NULL, &b);
    assert_true(feat(fz, &a, "blame:none") > 0);
    assert_float_equal(feat(fz, &a, "blame:none"), feat(fz, &b, "blame:none"), 1e-12);
    dm_fvec_free(&a);
    dm_fvec_free(&b);
    dm_fvec_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inflection_rules),
        cmocka_unit_test(test_shipped_inflections),
        cmocka_unit_test(test_every_shipped_lemma_expands),
        cmocka_unit_test(test_actor_does_negative_action),
        cmocka_unit_test(test_insufficiency_denial_insinuation),
        cmocka_unit_test(test_blame_versus_topic),
        cmocka_unit_test(test_crime_blame),
        cmocka_unit_test(test_blame_gating),
        cmocka_unit_test(test_conditional_threats),
        cmocka_unit_test(test_previous_sentence),
        cmocka_unit_test(test_names_do_not_change_implicit),
        cmocka_unit_test(test_clause_actor_is_linear),
        cmocka_unit_test(test_clause_actor_per_clause),
    };
    return cmocka_run_group_tests(tests, featurizer_setup, featurizer_teardown);
}
