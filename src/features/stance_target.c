/* Target-dependent features for stance, over the statement's tokens and
 * lexicon hits (computed just before by featurize.c).
 *
 *   "t:" n-grams  the tokens with the target's mention(s) collapsed to "<T>"
 *                 and other actors' mentions to "<O>"; only n-grams holding a
 *                 placeholder are kept (the others are the "w:" n-grams);
 *                 plus "t:L:<tok>" / "t:R:<tok>" for the WINDOW_TOKENS
 *                 tokens left / right of each "<T>" (not across . ; :).
 *   clause sums   hostile / cordial weights of hits in a clause holding the
 *                 target, binned by token distance to it (near: <= NEAR_TOKENS
 *                 tokens between them; far: more), negated ones apart, and
 *                 the hits of the other clauses.
 *   predicates    subject: a hostile term starts within PREDICATE_TOKENS
 *                 after the mention, same clause ("Russia violated");
 *                 object: one ends within PREDICATE_TOKENS before it
 *                 ("condemns Russia"); praise near: a cordial term within
 *                 PREDICATE_TOKENS either side.
 *   actors        "tgt:<ACTOR>", "pair:<SPEAKER>><ACTOR>" (hashed; training
 *                 decides what they weigh) only when settings.actor_priors
 *                 is on; target:self when both are equal,
 *                 target:implicit when the target has no span.
 *   contrast      "d:" (dm_fz_contrast_words): the "s:" family of the target
 *                 minus the mean of that family seen from each other actor
 *                 of the sentence: what tells the sentence's targets apart.
 *   coordination  other actors in one list with the target ("X and Y
 *                 condemned Z", "X, Y or W") are marked 'G' and count with
 *                 the target for distances, sides and roles (see coordinate,
 *                 stance_target_mark.c).
 * Another mention with the target's own words ("Trump ... Trump") counts as
 * the target; one with other words is another actor even when both have the
 * same key ("Trump" and "Obama" are both USA in the dictionary), so that
 * each target of a sentence keeps its own context and no feature depends on
 * how targets are keyed (dm_target_key).
 *
 * Stages: stance_target_mark.c marks the tokens ('T', 'O', 'G'), collapses
 * the mentions, counts positions and gives the "t:L:" / "t:R:" windows;
 * stance_target_side.c gives the "s:" and "d:" families; this file the
 * target's own words ("m:"), the clause sums, predicates and roles, and
 * the entry point, dm_fz_target_features, which calls every stage.
 * Helpers shared by them: stance_target_internal.h. */
#include "features/stance_target_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define NEAR_TOKENS 3
#define PREDICATE_TOKENS 4

/* Words that say nothing of what a target is. */
static const char *const MENTION_SKIP[] = {"the", "a", "an", NULL};
/* A time is when something was said or done, seldom what it is said of
 * ("Fox News reported Tuesday that ..."). Case-folded; no month that is
 * also a name or a word (May, June, March, August). */
static const char *const TIME_WORDS[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "april", "july", "september", "october",
    "november", "december", "day", "week", "weekend", "month", "year",
    "summer", "winter", "spring", "autumn", "today", "tonight", "yesterday",
    "tomorrow", "morning", "evening", NULL};
/* Titles and roles: a person named in office ("President Trump", "Judge
 * Robinson", "Mr. Flynn"), who is spoken of more often than a place or a
 * date. In the mention or just before it; never a name. */
static const char *const TITLE_WORDS[] = {
    "president", "mr", "ms", "mrs", "dr", "sen", "senator", "rep", "gov",
    "governor", "judge", "officer", "secretary", "minister", "prime", "leader",
    "chairman", "director", "justice", "speaker", "general", "attorney",
    "former", "vice", NULL};
static const char *const PREPOSITIONS[] = {
    "on", "by", "from", "at", "in", "with", "to", "of", "for", "about",
    "against", "over", "into", "toward", "towards", "via", "after", "before",
    "under", "between", "among", "like", "than", "through", "behind", NULL};
/* Words that may stand between a clause start and its subject. */
static const char *const DETERMINERS[] = {
    "the", "a", "an", "this", "that", "these", "those", "but", "and", "so",
    "then", "yet", "also", "even", "only", NULL};

/* The lists above as one set: each word once, with the bits (DM_WC_) of
 * the lists that hold it, so that a token is looked up once (a hash of
 * its length, first and last byte, then its bytes compared) instead of
 * compared with every word of each list (dm_ftok_in: about 180
 * instructions a target, 14 M of 1,310 M on 20k sentences). Built from
 * the lists once (pthread_once, read-only after): it cannot fall out of
 * step with them. */
#define WORD_SLOTS 256 /* a power of two, over twice the words */
#define WORD_MAX 255
typedef struct word_slot {
    const char *w; /* NULL: empty */
    uint8_t len, cls;
} word_slot;
static word_slot word_set[WORD_SLOTS];
static pthread_once_t word_set_once = PTHREAD_ONCE_INIT;

const char *const *dm_fz_word_class_list(unsigned cls)
{
    switch (cls) {
    case DM_WC_SKIP: return MENTION_SKIP;
    case DM_WC_TIME: return TIME_WORDS;
    case DM_WC_TITLE: return TITLE_WORDS;
    case DM_WC_DET: return DETERMINERS;
    case DM_WC_PREP: return PREPOSITIONS;
    default: return NULL;
    }
}

static unsigned word_slot_of(const unsigned char *s, size_t len)
{
    return (s[0] * 49u + s[len - 1] * 59u + (unsigned)len * 101u) & (WORD_SLOTS - 1);
}

static void fill_word_set(void)
{
    for (unsigned cls = 1; cls < 1u << DM_WC_CLASSES; cls <<= 1)
        for (const char *const *l = dm_fz_word_class_list(cls); *l; l++) {
            size_t len = strlen(*l);
            unsigned k = word_slot_of((const unsigned char *)*l, len);
            while (word_set[k].w && !(word_set[k].len == len && memcmp(word_set[k].w, *l, len) == 0))
                k = (k + 1) & (WORD_SLOTS - 1);
            word_set[k].w = *l;
            word_set[k].len = (uint8_t)len;
            word_set[k].cls |= (uint8_t)cls;
        }
}

void dm_fz_word_classes_ready(void)
{
    pthread_once(&word_set_once, fill_word_set);
}

unsigned dm_fz_word_class(const dm_ftok *t)
{
    size_t len = t->len;
    if (len == 0 || len > WORD_MAX)
        return 0;
    const unsigned char *s = (const unsigned char *)t->s;
    for (unsigned k = word_slot_of(s, len);; k = (k + 1) & (WORD_SLOTS - 1)) {
        const word_slot *w = &word_set[k];
        if (!w->w)
            return 0;
        if (w->len == len && (unsigned char)w->w[0] == s[0] && memcmp(w->w, s, len) == 0)
            return w->cls;
    }
}

/* The target's names that are the same for every target ("m:=inquote"
 * ...): hashed once for the featurizer (sc.stance_names.mention), added by
 * their hash; with explain on, by name (the same hashes). */
enum { MN_INQUOTE, MN_OUTQUOTE, MN_TIME, MN_TITLE, MN_POSS, MN_COUNT };
static const char *const MENTION_NAMES[MN_COUNT] = {"m:=inquote", "m:=outquote", "m:=time",
                                                    "m:=title", "m:=poss"};
_Static_assert(sizeof ((dm_scratch *)0)->stance_names.mention ==
                   MN_COUNT * sizeof(uint32_t),
               "a hash for each MENTION_NAMES");

static dm_status add_mention_name(dm_featurizer *fz, int which)
{
    if (fz->explain)
        return dm_fz_add_hashed(fz, MENTION_NAMES[which], strlen(MENTION_NAMES[which]), 1.0);
    dm_scratch *sc = &fz->sc;
    if (!sc->stance_names.mention_ready) {
        for (int k = 0; k < MN_COUNT; k++)
            sc->stance_names.mention[k] =
                dm_hash32(MENTION_NAMES[k], strlen(MENTION_NAMES[k]), fz->settings.hash_seed);
        sc->stance_names.mention_ready = true;
    }
    return dm_fz_add_hash(fz, sc->stance_names.mention[which], 1.0);
}

/* The target's kind, from words that are not names: "m:=time" (a date or
 * time), "m:=title" (a title or office in or just before the mention),
 * "m:=poss" (a possessor, "Hagel's performance": what is said is said of
 * the thing possessed, whose owner may or may not be its object). */
static dm_status mention_kind(dm_featurizer *fz, const dm_feature_input *in,
                              const dm_feature_target *target, const dm_target_marks *tm)
{
    const dm_scratch *sc = &fz->sc;
    bool time = false, title = false;
    for (size_t i = tm->span_first; i < tm->span_end; i++) {
        const dm_ftok *t = &sc->toks[i];
        if (t->kind != DM_TOKEN_WORD || !dm_fz_overlaps(t, target->start, target->end))
            continue;
        unsigned cls = dm_fz_word_class(t);
        time |= (cls & DM_WC_TIME) != 0;
        title |= (cls & DM_WC_TITLE) != 0;
        if (i > 0 && !dm_fz_overlaps(&sc->toks[i - 1], target->start, target->end))
            title |= (dm_fz_word_class(&sc->toks[i - 1]) & DM_WC_TITLE) != 0;
    }
    const char *e = in->text + target->end;
    size_t left = in->len - target->end;
    bool poss = (left >= 2 && e[0] == '\'' && e[1] == 's') ||
                (left >= 4 && memcmp(e, "\xe2\x80\x99s", 4) == 0); /* right single quote */
    dm_status st = DM_OK;
    if (time)
        st = add_mention_name(fz, MN_TIME);
    if (st == DM_OK && title)
        st = add_mention_name(fz, MN_TITLE);
    if (st == DM_OK && poss)
        st = add_mention_name(fz, MN_POSS);
    return st;
}

/* The target's own common words ("m:<word>"): a target that is not a name
 * ("the poll", "the attack", "he", "the Trump administration") says what
 * it is by its lowercase words. A word that starts with a capital gives
 * nothing: no name, hence no actor identity, enters the features. Same
 * family: "m:=inquote" / "m:=outquote", whether the target stands inside a
 * quotation, and the target's kind (mention_kind). */
static dm_status mention_words(dm_featurizer *fz, const dm_feature_input *in,
                               const dm_feature_target *target,
                               const dm_target_marks *tm, dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    for (size_t i = tm->span_first; i < tm->span_end; i++) {
        const dm_ftok *t = &sc->toks[i];
        if (!dm_fz_overlaps(t, target->start, target->end) || t->kind != DM_TOKEN_WORD)
            continue;
        unsigned char c = (unsigned char)in->text[t->start];
        if (!(c >= 'a' && c <= 'z') || (dm_fz_word_class(t) & DM_WC_SKIP))
            continue;
        if (!fz->explain) { /* "m:" and the word hashed in a stream, not joined */
            dm_hash_stream h;
            dm_hash_stream_init(&h, fz->settings.hash_seed);
            dm_hash_stream_add(&h, "m:", 2);
            dm_hash_stream_add(&h, t->s, t->len);
            if (dm_fz_add_hash(fz, dm_hash_stream_end(&h), 1.0) != DM_OK)
                return DM_E_NOMEM;
            continue;
        }
        if (dm_fz_grow((void **)&sc->buf, &sc->capbuf, t->len + 4, 1) != DM_OK)
            return DM_E_NOMEM;
        memcpy(sc->buf, "m:", 2);
        memcpy(sc->buf + 2, t->s, t->len);
        if (dm_fz_add_hashed(fz, sc->buf, t->len + 2, 1.0) != DM_OK)
            return DM_E_NOMEM;
    }
    /* Inside a quotation or not (an odd number of double quotes before it):
     * the quoted are spoken of, the speakers speak. */
    if (add_mention_name(fz, tm->quotes % 2 ? MN_INQUOTE : MN_OUTQUOTE) != DM_OK ||
        mention_kind(fz, in, target, tm) != DM_OK)
        return DM_E_NOMEM;
    return dm_fz_family_flush(fz, out, 1.0);
}

/* Tokens strictly between hit [first, last] and token j (0 if touching). */
static int gap(const dm_scratch *sc, const dm_hit *h, size_t j)
{
    if ((int)j < h->first)
        return dm_fz_gap_between(sc, (size_t)h->first, j);
    if ((int)j > h->last)
        return dm_fz_gap_between(sc, j, (size_t)h->last);
    return 0;
}

typedef struct target_sums {
    double near[2], far[2], neg[2], other[2]; /* [0] hostile, [1] cordial */
    double subject, object, praise;
} target_sums;

/* The first of sc.focal in clause `clause` or after it: the target's tokens
 * come in text order and a clause is a run of tokens, so those of one
 * clause are a run of sc.focal. The sums below look at that run only, not
 * at every target token for every hit and valence word (a speech that
 * names its target a thousand times in a thousand clauses). */
static size_t focal_of_clause(const dm_scratch *sc, int clause)
{
    size_t lo = 0, hi = sc->nfocal;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->clause_of[sc->focal[mid]] < clause)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void score_hit(const dm_scratch *sc, const dm_hit *h, target_sums *ts)
{
    int kind = h->flags == LEX_HOSTILE ? 0 : 1;
    int best = -1;             /* smallest gap to a target token, same clause */
    bool after = false, before = false; /* hit after / before a target token */
    int clause = sc->clause_of[h->first];
    for (size_t f = focal_of_clause(sc, clause);
         f < sc->nfocal && sc->clause_of[sc->focal[f]] == clause; f++) {
        size_t j = sc->focal[f];
        int g = gap(sc, h, j);
        if (best < 0 || g < best)
            best = g;
        if (g < PREDICATE_TOKENS) {
            after |= (int)j < h->first;
            before |= (int)j > h->last;
        }
    }
    if (best < 0) {
        ts->other[kind] += h->negated ? 0 : h->weight;
        return;
    }
    if (h->negated) {
        ts->neg[kind] += h->weight;
        return;
    }
    (best <= NEAR_TOKENS ? ts->near : ts->far)[kind] += h->weight;
    if (kind == 0) {
        ts->subject += after ? h->weight : 0;
        ts->object += before ? h->weight : 0;
    } else if (after || before) {
        ts->praise += h->weight;
    }
}


typedef struct target_role {
    bool pp, initial, first;
} target_role;

/* Where the target's first mention stands: after a preposition, among the
 * first words of its clause (subject-like), the first actor named. */
static target_role role_of(const dm_scratch *sc, const dm_target_marks *tm)
{
    target_role r = {false, false, !tm->other_before};
    if (sc->nfocal == 0)
        return r;
    size_t i = sc->focal[0], j = i;
    while (j > 0 && !sc->toks[j - 1].skip && sc->toks[j - 1].kind == DM_TOKEN_WORD &&
           sc->clause_of[j - 1] == sc->clause_of[i] &&
           (dm_fz_word_class(&sc->toks[j - 1]) & DM_WC_DET))
        j--;
    r.pp = j > 0 && sc->clause_of[j - 1] == sc->clause_of[i] &&
           (dm_fz_word_class(&sc->toks[j - 1]) & DM_WC_PREP);
    r.initial = j == 0 || sc->clause_of[j - 1] != sc->clause_of[i] ||
                sc->toks[j - 1].skip;
    return r;
}

/* Valence around the target: in its clause weighted by closeness, in its
 * clause, in the other clauses, and as the subject / object of an
 * evaluative word (within PREDICATE_TOKENS after / before it). */
static dm_status sentiment_sums(dm_featurizer *fz, const dm_target_marks *tm, dm_fvec *out)
{
    const dm_scratch *sc = &fz->sc;
    double near[2] = {0}, clause[2] = {0}, other[2] = {0}; /* [0] pos [1] neg */
    double subject[2] = {0}, object[2] = {0};
    /* the tokens of valence != 0, in order (sc.stmt, made by
     * dm_fz_mark_target) */
    for (size_t q = 0; q < sc->stmt.nval; q++) {
        size_t i = sc->stmt.val_at[q];
        double v = sc->valence[i];
        int k = v > 0 ? 0 : 1;
        double a = fabs(v);
        int best = -1;
        bool after = false, before = false;
        int ci = sc->clause_of[i];
        for (size_t f = focal_of_clause(sc, ci);
             f < sc->nfocal && sc->clause_of[sc->focal[f]] == ci; f++) {
            size_t j = sc->focal[f];
            int g = dm_fz_gap_between(sc, i, j);
            if (best < 0 || g < best)
                best = g;
            if (g < PREDICATE_TOKENS) {
                after |= j < i;
                before |= j > i;
            }
        }
        if (best < 0) {
            other[k] += a;
            continue;
        }
        clause[k] += a;
        near[k] += a / (1.0 + best);
        subject[k] += after ? a : 0;
        object[k] += before ? a : 0;
    }
    const struct { int nf; double v; } vals[] = {
        {NF_TARGET_SENT_POS_NEAR, near[0]}, {NF_TARGET_SENT_NEG_NEAR, near[1]},
        {NF_TARGET_SENT_POS_CLAUSE, clause[0]}, {NF_TARGET_SENT_NEG_CLAUSE, clause[1]},
        {NF_TARGET_SENT_POS_OTHER, other[0]}, {NF_TARGET_SENT_NEG_OTHER, other[1]},
        {NF_TARGET_SUBJECT_NEG, subject[1]}, {NF_TARGET_OBJECT_NEG, object[1]},
        {NF_TARGET_SUBJECT_POS, subject[0]}, {NF_TARGET_OBJECT_POS, object[0]},
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        if (dm_fz_named(fz, out, vals[i].nf, dm_fz_log1p(vals[i].v)) != DM_OK)
            return DM_E_NOMEM;
    double pos = dm_fz_log1p(clause[0] + other[0]), neg = dm_fz_log1p(clause[1] + other[1]);
    target_role r = role_of(sc, tm);
    const struct { int nf; double v; } roles[] = {
        {NF_TARGET_ROLE_PP, r.pp}, {NF_TARGET_ROLE_INITIAL, r.initial},
        {NF_TARGET_FIRST_ACTOR, r.first},
        {NF_TARGET_SENT_POS_X_INITIAL, r.initial * pos},
        {NF_TARGET_SENT_NEG_X_INITIAL, r.initial * neg},
        {NF_TARGET_SENT_POS_X_PP, r.pp * pos}, {NF_TARGET_SENT_NEG_X_PP, r.pp * neg},
        {NF_TARGET_SENT_POS_X_FIRST, r.first * pos},
        {NF_TARGET_SENT_NEG_X_FIRST, r.first * neg},
    };
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (dm_fz_named(fz, out, roles[i].nf, roles[i].v) != DM_OK)
            return DM_E_NOMEM;
    return DM_OK;
}

static dm_status emit_sums(dm_featurizer *fz, dm_fvec *out,
                           const target_sums *ts)
{
    const struct { int nf; double v; } vals[] = {
        {NF_TARGET_HOSTILE_NEAR, ts->near[0]},
        {NF_TARGET_CORDIAL_NEAR, ts->near[1]},
        {NF_TARGET_HOSTILE_FAR, ts->far[0]},
        {NF_TARGET_CORDIAL_FAR, ts->far[1]},
        {NF_TARGET_NEG_HOSTILE_CLAUSE, ts->neg[0]},
        {NF_TARGET_NEG_CORDIAL_CLAUSE, ts->neg[1]},
        {NF_TARGET_HOSTILE_OTHER_CLAUSE, ts->other[0]},
        {NF_TARGET_CORDIAL_OTHER_CLAUSE, ts->other[1]},
        {NF_TARGET_SUBJECT_HOSTILE, ts->subject},
        {NF_TARGET_OBJECT_HOSTILE, ts->object},
        {NF_TARGET_PRAISE_NEAR, ts->praise},
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        if (dm_fz_named(fz, out, vals[i].nf, dm_fz_log1p(vals[i].v)) != DM_OK)
            return DM_E_NOMEM;
    return DM_OK;
}

dm_status dm_fz_target_features(dm_featurizer *fz, const dm_feature_input *in,
                                const dm_feature_target *target, dm_fvec *out)
{
    dm_scratch *sc = &fz->sc;
    dm_status st = DM_OK;
    bool priors = fz->settings.actor_priors;
    if (priors)
        st = dm_fz_indicator(fz, out, "tgt:", target->actor, "", "");
    if (st == DM_OK && in->speaker_actor && in->speaker_actor[0]) {
        if (priors)
            st = dm_fz_indicator(fz, out, "pair:", in->speaker_actor, ">",
                                 target->actor);
        if (st == DM_OK && strcmp(in->speaker_actor, target->actor) == 0)
            st = dm_fz_named(fz, out, NF_TARGET_SELF, 1.0);
    }
    if (st != DM_OK)
        return st;
    dm_fz_word_classes_ready();
    if (!target->has_span) {
        st = dm_fz_named(fz, out, NF_TARGET_IMPLICIT, 1.0);
        if (st == DM_OK && dm_fz_is_topic(fz, target))
            st = dm_fz_topic_features(fz, target->actor, out);
        return st;
    }

    dm_target_marks tm;
    if (dm_fz_mark_target(sc, in, target, true, &tm) != DM_OK)
        return DM_E_NOMEM;
    if (tm.t_runs == 0) /* a span that covers no token: as good as implicit */
        return dm_fz_named(fz, out, NF_TARGET_IMPLICIT, 1.0);
    st = dm_fz_target_ngrams(fz);
    if (st == DM_OK)
        st = dm_fz_window_words(fz);
    if (st == DM_OK)
        st = dm_fz_family_flush(fz, out, 1.0);
    const dm_feature_target *others[DM_CONTRAST_OTHERS];
    size_t n_others = dm_fz_contrast_others(in, target, others);
    if (st == DM_OK)
        st = dm_fz_side_words(fz, in, target, n_others, out);
    if (st == DM_OK)
        st = mention_words(fz, in, target, &tm, out);
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_TARGET_MENTIONS, dm_fz_log1p(tm.t_runs));
    if (st == DM_OK)
        st = dm_fz_named(fz, out, NF_TARGET_OTHER_ACTORS, dm_fz_log1p(tm.o_runs));
    if (st != DM_OK)
        return st;
    /* sc.focal: made by dm_fz_mark_target for these marks. */
    target_sums ts;
    memset(&ts, 0, sizeof ts);
    for (size_t i = 0; i < sc->nhits; i++)
        if (sc->hits[i].flags != LEX_HEDGE)
            score_hit(sc, &sc->hits[i], &ts);
    st = emit_sums(fz, out, &ts);
    if (st == DM_OK)
        st = sentiment_sums(fz, &tm, out);
    return st == DM_OK ? dm_fz_contrast_words(fz, in, target, others, n_others, out) : st;
}
