/* Implicit criticism and blame (issue 11): what a diplomat says without a
 * term of the hostility lexicon, and whether a hostile word blames anyone.
 *
 *   "impl:<cat>"       weighted sums of the implicit.tsv phrases by category
 *                      (action, insufficiency, denial, insinuation, agent,
 *                      topic, procedure, commemoration)
 *   "impl:action_actor" an actor does a negative action: an actor mention
 *                      (or an agent word such as "the regime") at most
 *                      SUBJECT_TOKENS before an action phrase in the same
 *                      clause ("Kyiv tore up the agreement", "Russian forces
 *                      have shelled"), or its passive agent ("annexed by
 *                      Russia", "was shot down by the militants")
 *   "impl:cue_actor"   insufficiency, denial or insinuation in a clause
 *                      that names an actor ("Israel has failed to")
 *   "blame:actor"      hostile lexicon terms (not negated) with an actor or
 *                      agent within BLAME_TOKENS either side, same clause
 *   "blame:none"       hostile terms in a clause naming no actor ("we
 *                      condemn the attack"): the codebook's level 1 unless
 *                      someone is blamed
 *   "blame:topic_only" 1 when the statement has topic, procedure or
 *                      commemoration words and nobody is blamed
 *   "blame:crime_*"    the hostile terms of a crime or of violence (lexicon
 *                      categories extreme and violence: genocide, war
 *                      crimes, massacre, kill), by who they blame
 *                      (train/CODEBOOK.md 9.4): _charged when an actor or
 *                      agent is their subject, passive agent or neighbour
 *                      ("Ruritania massacred", "killed by the regime", 4);
 *                      else _condemned when the speaker evaluates in the
 *                      statement (condemnation, accusation, rejection,
 *                      demand, criticism, concern terms: "we condemn the
 *                      massacre", 3); else _bare (a report, policy or
 *                      memory: "the tribunal tried war crimes", 1), and
 *                      _memory when a bare one comes with commemoration or
 *                      procedure words ("we remember the victims of the
 *                      genocide"). Without them the lexicon's weight of
 *                      "genocide" is the same whoever is blamed.
 * Actor positions are the mention tokens (placeholder 'A', set by
 * dm_fz_mask_actors) and the tokens of agent phrases, marked 'a' here; the
 * stance code re-marks every token, so the marks do not leak into it. */
#include "features/features_internal.h"

#include <math.h>
#include <string.h>

#define SUBJECT_TOKENS 6
#define PASSIVE_TOKENS 3
#define BLAME_TOKENS 4

static bool is_actor(const dm_ftok *t)
{
    return t->placeholder == 'A' || t->placeholder == 'a';
}

/* Calls fn on every implicit.tsv phrase of the current tokens (longest
 * first, not across actor mentions). */
typedef void (*implicit_fn)(dm_featurizer *fz, const dm_lex_entry *e,
                            size_t first, size_t last, void *user);

static void each_implicit(dm_featurizer *fz, implicit_fn fn, void *user)
{
    dm_scratch *sc = &fz->sc;
    for (size_t i = 0; i < sc->ntoks;) {
        int L = 0;
        const dm_lex_entry *e = sc->toks[i].placeholder == 'A'
            ? NULL : dm_fz_longest_match(fz, i, LEX_IMPLICIT, &L);
        if (!e) {
            i++;
            continue;
        }
        fn(fz, e, i, i + (size_t)L - 1, user);
        i += (size_t)L;
    }
}

static void mark_agent(dm_featurizer *fz, const dm_lex_entry *e, size_t first,
                       size_t last, void *user)
{
    (void)user;
    if (e->implicit_cat != ICAT_AGENT)
        return;
    for (size_t k = first; k <= last; k++)
        fz->sc.toks[k].placeholder = 'a';
}

/* An actor before `first` (same clause, within SUBJECT_TOKENS), or "by" +
 * actor (optionally "the") right after `last`. */
static bool has_agent(const dm_scratch *sc, size_t first, size_t last)
{
    int clause = sc->clause_of[first];
    for (size_t k = first, seen = 0; k-- > 0 && seen < SUBJECT_TOKENS; seen++) {
        if (sc->clause_of[k] != clause)
            break;
        if (is_actor(&sc->toks[k]))
            return true;
    }
    for (size_t k = last + 1; k < sc->ntoks && k <= last + PASSIVE_TOKENS; k++) {
        if (sc->clause_of[k] != clause)
            break;
        const dm_ftok *t = &sc->toks[k];
        if (t->len != 2 || memcmp(t->s, "by", 2) != 0)
            continue;
        size_t a = k + 1;
        if (a < sc->ntoks && sc->toks[a].len == 3 && memcmp(sc->toks[a].s, "the", 3) == 0)
            a++;
        return a < sc->ntoks && sc->clause_of[a] == clause && is_actor(&sc->toks[a]);
    }
    return false;
}

static bool clause_has_actor(const dm_scratch *sc, int clause)
{
    for (size_t k = 0; k < sc->ntoks; k++)
        if (sc->clause_of[k] == clause && is_actor(&sc->toks[k]))
            return true;
    return false;
}

typedef struct implicit_sums {
    double cat[IMPLICIT_CATEGORY_COUNT];
    double action_actor, cue_actor;
} implicit_sums;

static void add_implicit(dm_featurizer *fz, const dm_lex_entry *e,
                         size_t first, size_t last, void *user)
{
    implicit_sums *s = user;
    const dm_scratch *sc = &fz->sc;
    double w = e->implicit_weight;
    s->cat[e->implicit_cat] += w;
    if (e->implicit_cat == ICAT_ACTION && has_agent(sc, first, last))
        s->action_actor += w;
    else if ((e->implicit_cat == ICAT_INSUFFICIENCY ||
              e->implicit_cat == ICAT_DENIAL ||
              e->implicit_cat == ICAT_INSINUATION) &&
             clause_has_actor(sc, sc->clause_of[first]))
        s->cue_actor += w;
}

/* Is an actor token within BLAME_TOKENS of hit h, in its clause? */
static bool actor_near(const dm_scratch *sc, const dm_hit *h)
{
    int clause = sc->clause_of[h->first];
    size_t lo = (size_t)h->first > BLAME_TOKENS ? (size_t)h->first - BLAME_TOKENS : 0;
    size_t hi = (size_t)h->last + BLAME_TOKENS;
    for (size_t k = lo; k <= hi && k < sc->ntoks; k++)
        if (sc->clause_of[k] == clause && is_actor(&sc->toks[k]))
            return true;
    return false;
}

/* Lexicon categories by which the speaker evaluates (not the crime words
 * themselves, nor threats, warnings, sanctions, insults). */
static bool is_evaluation(int hcat)
{
    return hcat == HCAT_CONDEMNATION || hcat == HCAT_ACCUSATION ||
           hcat == HCAT_REJECTION || hcat == HCAT_DEMAND ||
           hcat == HCAT_CRITICISM || hcat == HCAT_CONCERN;
}

dm_status dm_fz_implicit(dm_featurizer *fz, dm_fvec *out)
{
    const dm_scratch *sc = &fz->sc;
    implicit_sums s;
    memset(&s, 0, sizeof s);
    each_implicit(fz, mark_agent, NULL);
    each_implicit(fz, add_implicit, &s);
    double blame_actor = 0, blame_none = 0;
    for (size_t i = 0; i < sc->nhits; i++) {
        const dm_hit *h = &sc->hits[i];
        if (h->flags != LEX_HOSTILE || h->negated)
            continue;
        if (actor_near(sc, h))
            blame_actor += h->weight;
        else if (!clause_has_actor(sc, sc->clause_of[h->first]))
            blame_none += h->weight;
    }
    double crime_charged = 0, crime_free = 0;
    bool evaluates = false;
    for (size_t i = 0; i < sc->nhits; i++) {
        const dm_hit *h = &sc->hits[i];
        if (h->flags != LEX_HOSTILE || h->negated)
            continue;
        if (h->hostile_cat == HCAT_EXTREME || h->hostile_cat == HCAT_VIOLENCE) {
            if (actor_near(sc, h) || has_agent(sc, (size_t)h->first, (size_t)h->last))
                crime_charged += h->weight;
            else
                crime_free += h->weight;
        } else if (is_evaluation(h->hostile_cat))
            evaluates = true;
    }
    bool memory = s.cat[ICAT_PROCEDURE] + s.cat[ICAT_COMMEMORATION] > 0;
    bool topic = s.cat[ICAT_TOPIC] + s.cat[ICAT_PROCEDURE] +
                 s.cat[ICAT_COMMEMORATION] > 0;
    bool blamed = blame_actor > 0 || s.action_actor > 0 || s.cue_actor > 0;
    dm_status st = DM_OK;
    for (int c = 0; c < IMPLICIT_CATEGORY_COUNT && st == DM_OK; c++)
        st = dm_fz_named(fz, out, NF_IMPL + c, dm_fz_log1p(s.cat[c]));
    const struct { int nf; double v; } vals[] = {
        {NF_IMPL_ACTION_ACTOR, dm_fz_log1p(s.action_actor)},
        {NF_IMPL_CUE_ACTOR, dm_fz_log1p(s.cue_actor)},
        {NF_BLAME_ACTOR, dm_fz_log1p(blame_actor)},
        {NF_BLAME_NONE, dm_fz_log1p(blame_none)},
        {NF_BLAME_TOPIC_ONLY, topic && !blamed ? 1.0 : 0.0},
        {NF_CRIME_CHARGED, dm_fz_log1p(crime_charged)},
        {NF_CRIME_CONDEMNED, evaluates ? dm_fz_log1p(crime_free) : 0.0},
        {NF_CRIME_BARE, evaluates ? 0.0 : dm_fz_log1p(crime_free)},
        {NF_CRIME_MEMORY, !evaluates && memory ? dm_fz_log1p(crime_free) : 0.0},
    };
    for (size_t i = 0; i < sizeof vals / sizeof *vals && st == DM_OK; i++)
        st = dm_fz_named(fz, out, vals[i].nf, vals[i].v);
    return st;
}

/* ---- the previous sentence ----------------------------------------------
 *   "prev:hostile_sum"  its hostile lexicon weights (not negated)
 *   "prev:implicit"     its action, insufficiency, denial, insinuation cues
 *   "prev:same_actor"   it holds the words of one of this statement's actor
 *                       mentions (the same name, not resolved to a code) */

static void count_cue(dm_featurizer *fz, const dm_lex_entry *e, size_t first,
                      size_t last, void *user)
{
    (void)fz, (void)first, (void)last;
    if (e->implicit_cat <= ICAT_INSINUATION)
        *(double *)user += e->implicit_weight;
}

/* Does `previous` contain the words of one of the statement's mentions? */
static bool names_same_actor(const dm_feature_input *in)
{
    for (size_t m = 0; m < in->n_mentions; m++) {
        const dm_feature_target *t = &in->mentions[m];
        if (!t->has_span || t->end <= t->start || t->end > in->len)
            continue;
        size_t n = t->end - t->start;
        for (const char *p = in->previous; (p = strchr(p, in->text[t->start]));
             p++)
            if (strncmp(p, in->text + t->start, n) == 0)
                return true;
    }
    return false;
}

dm_status dm_fz_previous(dm_featurizer *fz, const dm_feature_input *in,
                         dm_fvec *out, dm_error *err)
{
    if (!in->previous || !in->previous[0])
        return DM_OK;
    bool same = names_same_actor(in);
    dm_status st = dm_fz_cached_tokens(fz, in->previous, strlen(in->previous), err);
    /* No "a previous sentence exists" feature: only one training source
     * may have them, and it would learn that source's label prior. */
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_PREV_SAME_ACTOR, same ? 1.0 : 0.0);
    if (st != DM_OK || !fz->settings.lexicon)
        return st;
    int negators, intensified, downtoned;
    st = dm_fz_match_lexicon(fz, &negators, &intensified, &downtoned);
    double host = 0, cues = 0;
    for (size_t i = 0; st == DM_OK && i < fz->sc.nhits; i++) {
        const dm_hit *h = &fz->sc.hits[i];
        host += h->flags == LEX_HOSTILE && !h->negated ? h->weight : 0;
    }
    each_implicit(fz, count_cue, &cues);
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_PREV_HOSTILE_SUM, dm_fz_log1p(host));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_PREV_IMPLICIT, dm_fz_log1p(cues));
    return st;
}
