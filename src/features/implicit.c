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
 *                      genocide"). dm_fz_blame decides, before the lexicon
 *                      block: _bare only when the statement names no actor
 *                      or agent, holds no other hostile term (or a negated
 *                      cordial one: "not acceptable"), does not call
 *                      anything a crime ("is a genocide") and has no
 *                      unnamed culprit ("the men who bombed", "killed by
 *                      gunmen", "they tortured"). Bare hits are left out of
 *                      the host:* and lex:* sums (layout 9), so that only
 *                      these features weigh a crime nobody is blamed for.
 *   "blame:procedure_bare" a demand of accountability or justice (a
 *                      procedure phrase of implicit.tsv) in a clause naming
 *                      no actor ("accountability for these crimes is
 *                      essential", 9.4: 1); also left out of the sums
 *   "threat:conditional" threat and warning weights when the statement sets
 *                      a condition ("if", "unless", "should" opening a
 *                      clause, "any further", "whoever", "in the event")
 *   "threat:force"     the same when it names military force: 4 where
 *                      unspecified consequences are 3 (3.4, 9.12)
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

/* The implicit.tsv phrases of the current tokens (longest first, not
 * across actor mentions). Found once: the four passes of a featurisation
 * (agents and procedures for blame, agents and sums for the features) each
 * called dm_fz_longest_match on every token. */
dm_status dm_fz_find_implicit(dm_featurizer *fz)
{
    dm_scratch *sc = &fz->sc;
    sc->nimpl = 0;
    for (size_t i = 0; i < sc->ntoks;) {
        int L = 0;
        const dm_lex_entry *e = sc->toks[i].placeholder == 'A' ||
                                !dm_fz_may_match(&sc->toks[i], LEX_IMPLICIT)
            ? NULL : dm_fz_longest_match(fz, i, LEX_IMPLICIT, &L);
        if (!e) {
            i++;
            continue;
        }
        if (dm_fz_grow((void **)&sc->impl, &sc->capimpl, sc->nimpl + 1,
                       sizeof *sc->impl) != DM_OK)
            return DM_E_NOMEM;
        sc->impl[sc->nimpl++] = (dm_impl_match){e, i, i + (size_t)L - 1};
        i += (size_t)L;
    }
    return DM_OK;
}

/* Calls fn on every phrase dm_fz_find_implicit found. */
typedef void (*implicit_fn)(dm_featurizer *fz, const dm_lex_entry *e,
                            size_t first, size_t last, void *user);

static void each_implicit(dm_featurizer *fz, implicit_fn fn, void *user)
{
    for (size_t m = 0; m < fz->sc.nimpl; m++) {
        const dm_impl_match *im = &fz->sc.impl[m];
        fn(fz, im->e, im->first, im->last, user);
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
        if (!dm_ftok_is(t, "by"))
            continue;
        size_t a = k + 1;
        if (a < sc->ntoks && sc->toks[a].len == 3 && memcmp(sc->toks[a].s, "the", 3) == 0)
            a++;
        return a < sc->ntoks && sc->clause_of[a] == clause && is_actor(&sc->toks[a]);
    }
    return false;
}

/* Does the clause of token `tok` name an actor? A clause is a run of
 * tokens (dm_fz_clauses numbers them in order), so only that run is looked
 * at, and `memo` keeps the last clause's answer: the callers ask for hits
 * in text order, many in one clause, and so look at each token once per
 * pass. (Scanning every token of the text per hit made a 1 MB text take
 * seconds.) Steps are counted in sc.clause_steps for the tests. */
bool dm_fz_clause_has_actor(dm_scratch *sc, size_t tok, dm_clause_memo *memo)
{
    int clause = sc->clause_of[tok];
    if (memo->valid && memo->clause == clause)
        return memo->has;
    bool has = false;
    size_t k = tok;
    while (k > 0 && sc->clause_of[k - 1] == clause) {
        sc->clause_steps++;
        k--;
    }
    for (; k < sc->ntoks && sc->clause_of[k] == clause && !has; k++) {
        sc->clause_steps++;
        has = is_actor(&sc->toks[k]);
    }
    *memo = (dm_clause_memo){.valid = true, .clause = clause, .has = has};
    return has;
}

typedef struct implicit_sums {
    double cat[IMPLICIT_CATEGORY_COUNT];
    double action_actor, cue_actor;
    dm_clause_memo clause;
} implicit_sums;

static void add_implicit(dm_featurizer *fz, const dm_lex_entry *e,
                         size_t first, size_t last, void *user)
{
    implicit_sums *s = user;
    dm_scratch *sc = &fz->sc;
    double w = e->implicit_weight;
    s->cat[e->implicit_cat] += w;
    if (e->implicit_cat == ICAT_ACTION && has_agent(sc, first, last))
        s->action_actor += w;
    else if ((e->implicit_cat == ICAT_INSUFFICIENCY ||
              e->implicit_cat == ICAT_DENIAL ||
              e->implicit_cat == ICAT_INSINUATION) &&
             dm_fz_clause_has_actor(sc, first, &s->clause))
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

/* "those accused of", "was accused of": an accusation described (a trial,
 * a report), not made by the speaker. */
static bool described_accusation(const dm_scratch *sc, const dm_hit *h)
{
    static const char *const BEFORE[] = {"those", "the", "persons", "people",
        "individuals", "suspects", "was", "were", "been", "being", "is", "are",
        "stand", "stands", "stood", NULL};
    static const char *const FORMS[] = {"accused", "charged", NULL};
    return h->hostile_cat == HCAT_ACCUSATION && h->first > 0 &&
           dm_ftok_in(&sc->toks[h->first], FORMS) &&
           dm_ftok_in(&sc->toks[h->first - 1], BEFORE);
}

static void mark_procedure(dm_featurizer *fz, const dm_lex_entry *e,
                           size_t first, size_t last, void *user)
{
    bool *proc = user;
    if (e->implicit_cat == ICAT_PROCEDURE)
        for (size_t k = first; k <= last; k++)
            proc[k] = true;
    (void)fz;
}

/* Is hit h inside a procedure phrase of implicit.tsv ("accountability",
 * "brought to justice")? */
static bool in_procedure(const bool *proc, const dm_hit *h)
{
    for (int k = h->first; k <= h->last; k++)
        if (!proc[k])
            return false;
    return true;
}

/* "is a genocide", "are crimes against humanity", "amount to war crimes":
 * calling something a crime is an evaluation (9.4), a report of it is not.
 * A verb in -ed after "were" ("were killed") is a passive report. */
static bool called_a_crime(const dm_scratch *sc, const dm_hit *h)
{
    static const char *const COPULA[] = {"is", "are", "was", "were", "be",
        "been", "constitute", "constitutes", "constituted", "amount",
        "amounts", "amounted", NULL};
    const dm_ftok *w = &sc->toks[h->first];
    if (w->len > 2 && memcmp(w->s + w->len - 2, "ed", 2) == 0)
        return false;
    /* Between the copula and the crime only determiners and modifiers:
     * a preposition or a participle means the crime is not the predicate
     * ("were killed in the genocide"). */
    static const char *const BREAK[] = {"in", "at", "on", "during", "after",
        "before", "since", "by", "from", "with", "into", "for", "under", NULL};
    int clause = sc->clause_of[h->first];
    for (int k = h->first - 1; k >= 0 && k >= h->first - 4; k--) {
        const dm_ftok *t = &sc->toks[k];
        if (sc->clause_of[k] != clause || dm_ftok_in(t, BREAK) ||
            (t->len > 2 && memcmp(t->s + t->len - 2, "ed", 2) == 0))
            break;
        if (dm_ftok_in(t, COPULA))
            return true;
    }
    return false;
}

/* Someone unnamed does it: "the men who bombed", "killed by gunmen".
 * Not blame-free (a generic culprit, 9.3), though no actor is named. */
static bool generic_culprit(const dm_scratch *sc, const dm_hit *h)
{
    static const char *const AUX[] = {"have", "has", "had", NULL};
    int k = h->first - 1;
    if (k >= 0 && dm_ftok_in(&sc->toks[k], AUX))
        k--;
    if (k >= 0 && dm_ftok_is(&sc->toks[k], "who"))
        return true;
    /* "they bombed", "their atrocities": the culprit is in the previous
     * sentence (9.6) */
    static const char *const PRONOUNS[] = {"they", "their", "them", "he",
                                           "his", "she", "her", NULL};
    int clause = sc->clause_of[h->first];
    for (int j = h->first - 1; j >= 0 && j >= h->first - SUBJECT_TOKENS; j--) {
        if (sc->clause_of[j] != clause)
            break;
        if (dm_ftok_in(&sc->toks[j], PRONOUNS))
            return true;
    }
    for (size_t j = (size_t)h->last + 1;
         j < sc->ntoks && j <= (size_t)h->last + PASSIVE_TOKENS; j++) {
        if (sc->clause_of[j] != clause)
            break;
        if (dm_ftok_is(&sc->toks[j], "by"))
            return j + 1 < sc->ntoks && sc->toks[j + 1].kind == DM_TOKEN_WORD &&
                   sc->clause_of[j + 1] == clause;
    }
    return false;
}

#define PROC_MAX_TOKENS 256

void dm_fz_blame(dm_featurizer *fz)
{
    dm_scratch *sc = &fz->sc;
    /* Agent words ("the regime") count as actors here, as in dm_fz_implicit;
     * the marks are taken back so that the sentiment pass, which skips
     * actors, sees the tokens as before. */
    each_implicit(fz, mark_agent, NULL);
    bool proc[PROC_MAX_TOKENS] = {false};
    bool short_text = sc->ntoks <= PROC_MAX_TOKENS;
    if (short_text)
        each_implicit(fz, mark_procedure, proc);
    bool any_actor = false;
    for (size_t k = 0; k < sc->ntoks && !any_actor; k++)
        any_actor = is_actor(&sc->toks[k]);
    /* A demand for accountability naming no culprit is procedure (9.4),
     * not an evaluation; an accusation described is none either. Any other
     * hostile term is the speaker's evaluation (or threat, insult ...). */
    bool evaluates = false;
    dm_clause_memo memo = {.valid = false};
    for (size_t i = 0; i < sc->nhits; i++) {
        dm_hit *h = &sc->hits[i];
        if (h->flags != LEX_HOSTILE || h->negated ||
            h->hostile_cat == HCAT_EXTREME || h->hostile_cat == HCAT_VIOLENCE)
            continue;
        if (h->hostile_cat == HCAT_DEMAND && short_text && in_procedure(proc, h) &&
            !dm_fz_clause_has_actor(sc, (size_t)h->first, &memo))
            h->blame = BLAME_PROCEDURE_BARE;
        else if (!described_accusation(sc, h))
            evaluates = true;
    }
    /* A level-4 epithet ("barbaric", 9.5) evaluates whatever it is said of. */
    static const char *const EPITHETS[] = {"barbar", "savage", "bestial", NULL};
    for (size_t i = 0; i < sc->nhits && !evaluates; i++) {
        const dm_hit *h = &sc->hits[i];
        const dm_ftok *t = &sc->toks[h->first];
        for (size_t e = 0; h->flags == LEX_HOSTILE && !h->negated && EPITHETS[e]; e++)
            evaluates |= t->len >= strlen(EPITHETS[e]) &&
                         memcmp(t->s, EPITHETS[e], strlen(EPITHETS[e])) == 0;
    }
    /* "not acceptable", "never justified": a negated cordial term reads
     * hostile (lexicon_rules.c), so it evaluates too. */
    for (size_t i = 0; i < sc->nhits && !evaluates; i++)
        evaluates = sc->hits[i].flags == LEX_CORDIAL && sc->hits[i].negated;
    /* A crime word blames nobody only when the statement names no actor,
     * evaluates nothing and does not call anything a crime: a report, a
     * trial, a policy, a memory ("thousands were killed in the genocide"). */
    for (size_t i = 0; i < sc->nhits; i++) {
        dm_hit *h = &sc->hits[i];
        if (h->flags != LEX_HOSTILE || h->negated ||
            (h->hostile_cat != HCAT_EXTREME && h->hostile_cat != HCAT_VIOLENCE))
            continue;
        if (actor_near(sc, h) || has_agent(sc, (size_t)h->first, (size_t)h->last))
            h->blame = BLAME_CRIME_CHARGED;
        else if (any_actor || evaluates || called_a_crime(sc, h) ||
                 generic_culprit(sc, h))
            h->blame = BLAME_CRIME_CONDEMNED;
        else
            h->blame = BLAME_CRIME_BARE;
    }
    for (size_t k = 0; k < sc->ntoks; k++)
        if (sc->toks[k].placeholder == 'a')
            sc->toks[k].placeholder = 0;
}

/* A condition on a threat: "if", "unless", "whoever", "anyone who", "any
 * further", "in the event", and "should" opening the statement or a clause
 * ("Should the blockade continue, ..."). */
static bool has_condition(const dm_scratch *sc)
{
    static const char *const ANY[] = {"if", "unless", "whoever", "whomever",
                                      NULL};
    /* phrases of two words, or three when the third is given */
    static const char *const PHRASES[][3] = {{"any", "further"},
        {"anyone", "who"}, {"anybody", "who"}, {"in", "the", "event"},
        {"those", "who"}, {"any", "new"}, {"any", "attempt"},
        {"any", "aggression"}, {"any", "attack"}};
    for (size_t k = 0; k < sc->ntoks; k++) {
        const dm_ftok *t = &sc->toks[k];
        if (dm_ftok_in(t, ANY))
            return true;
        bool opens = k == 0 || sc->toks[k - 1].clause_end;
        if (opens && dm_ftok_is(t, "should"))
            return true;
        for (size_t p = 0; p < sizeof PHRASES / sizeof *PHRASES; p++) {
            size_t words = PHRASES[p][2] ? 3 : 2, w = 0;
            while (w < words && k + w < sc->ntoks &&
                   dm_ftok_is(&sc->toks[k + w], PHRASES[p][w]))
                w++;
            if (w == words)
                return true;
        }
    }
    return false;
}

/* Words of military force: a threat that names them is a threat of force
 * (train/CODEBOOK.md 3.4, 9.12: 4, where unspecified consequences are 3). */
static bool names_force(const dm_scratch *sc)
{
    static const char *const FORCE[] = {"force", "forces", "military", "armed",
        "army", "troops", "missiles", "nuclear", "strike", "strikes",
        "firepower", "militarily", NULL};
    for (size_t k = 0; k < sc->ntoks; k++)
        if (dm_ftok_in(&sc->toks[k], FORCE))
            return true;
    return false;
}

dm_status dm_fz_implicit(dm_featurizer *fz, dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    implicit_sums s;
    memset(&s, 0, sizeof s);
    each_implicit(fz, mark_agent, NULL);
    each_implicit(fz, add_implicit, &s);
    double blame_actor = 0, blame_none = 0, threat = 0;
    double crime_charged = 0, crime_condemned = 0, crime_bare = 0, proc_bare = 0;
    dm_clause_memo memo = {.valid = false};
    for (size_t i = 0; i < sc->nhits; i++) {
        const dm_hit *h = &sc->hits[i];
        if (h->flags != LEX_HOSTILE || h->negated)
            continue;
        switch (h->blame) {
        case BLAME_CRIME_CHARGED: crime_charged += h->weight; break;
        case BLAME_CRIME_CONDEMNED: crime_condemned += h->weight; break;
        case BLAME_CRIME_BARE: crime_bare += h->weight; continue;
        case BLAME_PROCEDURE_BARE: proc_bare += h->weight; continue;
        default: break;
        }
        if (h->hostile_cat == HCAT_THREAT || h->hostile_cat == HCAT_WARNING)
            threat += h->weight;
        if (actor_near(sc, h))
            blame_actor += h->weight;
        else if (!dm_fz_clause_has_actor(sc, (size_t)h->first, &memo))
            blame_none += h->weight;
    }
    bool memory = s.cat[ICAT_PROCEDURE] + s.cat[ICAT_COMMEMORATION] > 0;
    bool topic = s.cat[ICAT_TOPIC] + s.cat[ICAT_PROCEDURE] +
                 s.cat[ICAT_COMMEMORATION] > 0;
    bool blamed = blame_actor > 0 || s.action_actor > 0 || s.cue_actor > 0;
    bool conditional = threat > 0 && has_condition(sc);
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
        {NF_CRIME_CONDEMNED, dm_fz_log1p(crime_condemned)},
        {NF_CRIME_BARE, dm_fz_log1p(crime_bare)},
        {NF_CRIME_MEMORY, memory ? dm_fz_log1p(crime_bare) : 0.0},
        {NF_PROCEDURE_BARE, dm_fz_log1p(proc_bare)},
        {NF_THREAT_CONDITIONAL, conditional ? dm_fz_log1p(threat) : 0.0},
        {NF_THREAT_FORCE, conditional && names_force(sc) ? dm_fz_log1p(threat) : 0.0},
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
    if (st == DM_OK)
        st = dm_fz_find_implicit(fz);
    if (st == DM_OK)
        each_implicit(fz, count_cue, &cues);
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_PREV_HOSTILE_SUM, dm_fz_log1p(host));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_PREV_IMPLICIT, dm_fz_log1p(cues));
    return st;
}
