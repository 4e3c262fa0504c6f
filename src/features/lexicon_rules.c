/* Lexicon matching and its rules, over the current tokens.
 *
 * Matching: at each token the longest phrase of the phrase table wins
 * (extension stops as soon as no term starts with the tokens seen so far);
 * matched tokens are consumed.
 * Rules, applied left to right and reset at every clause end (, ; : . ? !
 * but while whereas):
 *   - a negator ("not", "do not", "never", ...) negates every hostile or
 *     cordial term that STARTS within its scope (the negators.tsv column,
 *     counted in tokens after the negator): the weight then goes to the
 *     negated sums instead of the plain ones ("not acceptable" -> a negated
 *     cordial term, which reads hostile; "do not oppose" -> a negated
 *     hostile term);
 *   - an intensifier or downtoner multiplies the weight of the next term
 *     starting within INTENSIFIER_SCOPE tokens; consecutive ones multiply;
 *   - hedges are counted by category; a phrase can be a hedge and a
 *     hostile term at once ("we note with concern").
 * The cue verb map and the reported-speech markers are built in here. */
#include "features/features_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define INTENSIFIER_SCOPE 3

static dm_status push_hit(dm_scratch *sc, const dm_hit *h)
{
    if (dm_fz_grow((void **)&sc->hits, &sc->caphits, sc->nhits + 1,
                   sizeof *sc->hits) != DM_OK)
        return DM_E_NOMEM;
    sc->hits[sc->nhits++] = *h;
    return DM_OK;
}

const dm_lex_entry *dm_fz_longest_match(dm_featurizer *fz, size_t i,
                                        unsigned want, int *ntok)
{
    dm_scratch *sc = &fz->sc;
    const dm_lex_entry *best = NULL;
    size_t used = 0;
    for (int L = 1; L <= fz->lex.max_tokens && i + (size_t)L <= sc->ntoks; L++) {
        const dm_ftok *t = &sc->toks[i + (size_t)L - 1];
        const dm_lex_entry *e;
        if (L == 1) {
            e = t->lex; /* looked up by dm_fz_tokens */
        } else if (L == 2) {
            e = sc->toks[i].lex2; /* so was this: toks[i].lex is a prefix */
        } else {
            if (L == 3) {
                const dm_ftok *a = &sc->toks[i], *b = a + 1;
                if (dm_fz_grow((void **)&sc->buf, &sc->capbuf, a->len + b->len + 2, 1) != DM_OK)
                    return best;
                memcpy(sc->buf, a->s, a->len);
                sc->buf[a->len] = ' ';
                memcpy(sc->buf + a->len + 1, b->s, b->len);
                used = a->len + 1 + b->len;
            }
            if (dm_fz_grow((void **)&sc->buf, &sc->capbuf, used + t->len + 2, 1) != DM_OK)
                return best;
            sc->buf[used++] = ' ';
            memcpy(sc->buf + used, t->s, t->len);
            used += t->len;
            e = dm_lexicon_get(&fz->lex, sc->buf, used, fz->settings.hash_seed);
        }
        if (!e)
            break;
        if (e->flags & want) {
            best = e;
            *ntok = L;
        }
        if (!(e->flags & LEX_PREFIX))
            break;
    }
    return best;
}

dm_status dm_fz_match_lexicon(dm_featurizer *fz, int *n_negators,
                              int *n_intensified, int *n_downtoned)
{
    dm_scratch *sc = &fz->sc;
    sc->nhits = 0;
    *n_negators = *n_intensified = *n_downtoned = 0;
    long neg_until = -1, mult_until = -1;
    double mult = 1.0;
    for (size_t i = 0; i < sc->ntoks; ) {
        if (sc->toks[i].clause_end) {
            neg_until = mult_until = -1;
            mult = 1.0;
        }
        int L = 0;
        const unsigned want = ~(unsigned)(LEX_PREFIX | LEX_SENTIMENT | LEX_IMPLICIT);
        const dm_lex_entry *e = dm_fz_may_match(&sc->toks[i], want)
            ? dm_fz_longest_match(fz, i, want, &L) : NULL;
        if (!e) {
            i++;
            continue;
        }
        long first = (long)i, last = (long)i + L - 1;
        if (e->flags & LEX_HEDGE) {
            dm_hit h = {.first = (int)first, .last = (int)last,
                        .flags = LEX_HEDGE, .hedge_cat = e->hedge_cat,
                        .weight = 1.0};
            if (push_hit(sc, &h) != DM_OK)
                return DM_E_NOMEM;
        }
        if (e->flags & (LEX_HOSTILE | LEX_CORDIAL)) {
            bool negated = first <= neg_until;
            double m = first <= mult_until ? mult : 1.0;
            if (m > 1)
                (*n_intensified)++;
            else if (m < 1)
                (*n_downtoned)++;
            for (unsigned f = LEX_HOSTILE; f <= LEX_CORDIAL; f <<= 1) {
                if (!(e->flags & f))
                    continue;
                dm_hit h = {.first = (int)first, .last = (int)last, .flags = f,
                            .hostile_cat = e->hostile_cat,
                            .cordial_cat = e->cordial_cat, .negated = negated,
                            .weight = m * (f == LEX_HOSTILE ? e->hostile_weight
                                                            : e->cordial_weight)};
                if (push_hit(sc, &h) != DM_OK)
                    return DM_E_NOMEM;
            }
            mult = 1.0;
            mult_until = -1;
        } else if (e->flags & LEX_NEGATOR) {
            (*n_negators)++;
            neg_until = last + e->negator_scope;
        } else if (e->flags & LEX_INTENSIFIER) {
            mult = (first <= mult_until ? mult : 1.0) * e->multiplier;
            mult_until = last + INTENSIFIER_SCOPE;
        }
        i += (size_t)L;
    }
    return DM_OK;
}

#define SENTIMENT_NEGATION_TOKENS 3
#define SENTIMENT_NEGATION_SCALE -0.74

dm_status dm_fz_sentiment(dm_featurizer *fz, dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    if (dm_fz_grow((void **)&sc->valence, &sc->capvalence, sc->ntoks + 1,
                   sizeof *sc->valence) != DM_OK)
        return DM_E_NOMEM;
    double pos = 0, neg = 0;
    long negator_at = -100;
    for (size_t i = 0; i < sc->ntoks; i++) {
        const dm_ftok *t = &sc->toks[i];
        sc->valence[i] = 0;
        if (t->clause_end)
            negator_at = -100;
        /* the token's flags first: most tokens are neither, and their
         * entries need not be read */
        if (t->kind != DM_TOKEN_WORD || t->placeholder ||
            !(t->lexflags & (LEX_NEGATOR | LEX_SENTIMENT)))
            continue;
        const dm_lex_entry *e = t->lex;
        if (e->flags & LEX_NEGATOR) {
            negator_at = (long)i;
            continue;
        }
        if (!(e->flags & LEX_SENTIMENT))
            continue;
        double v = e->valence;
        if ((long)i - negator_at <= SENTIMENT_NEGATION_TOKENS)
            v *= SENTIMENT_NEGATION_SCALE;
        sc->valence[i] = (float)v;
        *(v > 0 ? &pos : &neg) += v;
    }
    dm_status st = dm_fz_named(fz, out, NF_SENT_POS, dm_fz_log1p(pos));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_SENT_NEG, dm_fz_log1p(-neg));
    return st;
}

dm_status dm_fz_clauses(dm_featurizer *fz)
{
    dm_scratch *sc = &fz->sc;
    if (dm_fz_grow((void **)&sc->clause_of, &sc->capclause, sc->ntoks + 1,
                   sizeof *sc->clause_of) != DM_OK)
        return DM_E_NOMEM;
    int clause = 0;
    for (size_t i = 0; i < sc->ntoks; i++) {
        /* The boundary token itself belongs to the clause it closes. */
        sc->clause_of[i] = clause;
        if (sc->toks[i].clause_end)
            clause++;
    }
    return DM_OK;
}

/* ---- cue verbs ---------------------------------------------------------- */

static const char *const NEUTRAL_CUES[] = {
    "said", "says", "say", "saying", "told", "tells", "tell", "added", "adds",
    "stated", "states", "noted", "notes", "explained", "explains", "announced",
    "announces", "remarked", "wrote", "writes", "replied", "replies",
    "responded", "asked", "asks", "declared", "declares", "according",
    "commented", "continued", "observed", "recalled", "stressed",
    "emphasised", "emphasized", "insisted", "argued", "suggested", "answered",
    "confirmed", "indicated", "maintained", "affirmed", "reiterated",
    "underlined", "pointed", NULL};
static const char *const HOSTILE_CUES[] = {
    "accused", "accuses", "accusing", "condemned", "condemns", "condemning",
    "warned", "warns", "warning", "threatened", "threatens", "threatening",
    "denounced", "denounces", "slammed", "slams", "blasted", "blasts",
    "attacked", "attacks", "criticised", "criticized", "criticises",
    "criticizes", "lashed", "lashes", "rejected", "rejects", "dismissed",
    "dismisses", "demanded", "demands", "blamed", "blames", "charged",
    "decried", "decries", "deplored", "deplores", "protested", "scolded",
    "rebuked", "mocked", "derided", "ridiculed", "vowed", "fumed",
    "complained", "railed", "hit", NULL};
static const char *const CORDIAL_CUES[] = {
    "praised", "praises", "welcomed", "welcomes", "thanked", "thanks",
    "congratulated", "congratulates", "hailed", "hails", "lauded", "lauds",
    "commended", "commends", "applauded", "applauds", "celebrated",
    "expressed", "pledged", "promised", "assured", "reassured", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

int dm_fz_cue_category(const char *folded_token)
{
    if (in_list(HOSTILE_CUES, folded_token))
        return NF_CUE_HOSTILE;
    if (in_list(CORDIAL_CUES, folded_token))
        return NF_CUE_CORDIAL;
    if (in_list(NEUTRAL_CUES, folded_token))
        return NF_CUE_NEUTRAL;
    return NF_CUE_OTHER;
}

/* ---- reported speech ---------------------------------------------------- */

/* Marker phrases of describing what someone else said or did: the codebook
 * counts describing hostility as not hostile in itself. */
static const char *const REPORTED_MARKERS[][3] = {
    {"said", "that", NULL}, {"says", "that", NULL}, {"according", "to", NULL},
    {"called", "it", NULL}, {"called", "the", NULL}, {"described", "it"},
    {"described", "as", NULL}, {"claimed", "that", NULL},
    {"claims", "that", NULL}, {"alleged", "that", NULL},
    {"allegedly", NULL, NULL}, {"reportedly", NULL, NULL},
    {"so-called", NULL, NULL}, {"quoted", "as", NULL},
    {"told", "reporters", NULL}, {"reports", "that", NULL},
};
static const char *const ACCUSE_FORMS[] = {"accused", "accuses", "accusing",
                                           "accuse", NULL};

/* Token strings are NUL-terminated; strcmp fails on the first byte mostly. */
static bool tok_is(const dm_ftok *t, const char *s)
{
    return t->s[0] == s[0] && strcmp(t->s, s) == 0;
}

/* The first two bytes (folded to 5 bits each) and the length (3 bits) of
 * a token: the key of the words that can start a marker or an accusation. */
static unsigned start_key(const char *s, size_t len)
{
    const unsigned char *w = (const unsigned char *)s;
    return (w[0] & 31u) << 8 | (w[0] ? w[1] & 31u : 0u) << 3 | (unsigned)(len & 7);
}

/* The keys of the first words of the markers and the accusation forms:
 * most tokens have none of them and need no look at the 20 phrases (this
 * function was 6% of demarche-score --statements). Built once from the
 * tables, so that it cannot fall out of step with them (it was built at
 * every call, a fifth of the function's time); a false hit only costs the
 * look. The length keeps "to" and "re..." from looking like "told" and
 * "reports". Written once (pthread_once), read-only after. */
static uint64_t marker_starts[(1u << 13) / 64];
static pthread_once_t marker_once = PTHREAD_ONCE_INIT;

static void fill_marker_starts(void)
{
    size_t nm = sizeof REPORTED_MARKERS / sizeof REPORTED_MARKERS[0];
    size_t na = sizeof ACCUSE_FORMS / sizeof ACCUSE_FORMS[0] - 1;
    for (size_t m = 0; m < nm + na; m++) {
        const char *w = m < nm ? REPORTED_MARKERS[m][0] : ACCUSE_FORMS[m - nm];
        unsigned key = start_key(w, strlen(w));
        marker_starts[key >> 6] |= (uint64_t)1 << (key & 63);
    }
}

void dm_fz_report_ready(void)
{
    pthread_once(&marker_once, fill_marker_starts);
}

bool dm_fz_report_start(const char *s, size_t len)
{
    unsigned key = start_key(s, len);
    return marker_starts[key >> 6] >> (key & 63) & 1;
}

int dm_fz_reported_speech(const dm_featurizer *fz)
{
    const dm_scratch *sc = &fz->sc;
    int count = 0;
    size_t nm = sizeof REPORTED_MARKERS / sizeof REPORTED_MARKERS[0];
    for (size_t i = 0; i < sc->ntoks; i++) {
        if (!sc->toks[i].report_start) /* dm_fz_report_start, once per text */
            continue;
        for (size_t m = 0; m < nm; m++) {
            size_t k = 0;
            while (k < 3 && REPORTED_MARKERS[m][k] && i + k < sc->ntoks &&
                   tok_is(&sc->toks[i + k], REPORTED_MARKERS[m][k]))
                k++;
            if (k == 3 || !REPORTED_MARKERS[m][k]) {
                count++;
                break;
            }
        }
        /* "accused X of": the accusation is described, not made. */
        bool accuse = false;
        for (size_t a = 0; ACCUSE_FORMS[a]; a++)
            accuse |= tok_is(&sc->toks[i], ACCUSE_FORMS[a]);
        if (!accuse)
            continue;
        for (size_t j = i + 2; j < sc->ntoks && j <= i + 6; j++)
            if (tok_is(&sc->toks[j], "of")) {
                count++;
                break;
            }
    }
    return count;
}
