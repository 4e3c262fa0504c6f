/* Candidate speakers, their features and the ranker's choice (see
 * rank_internal.h). Only quotes the rules found no speaker for are looked
 * at, and only when an extractor has a ranker (dm_extractor_set_ranker). */
#include "statements/rank_internal.h"

#include "statements/phrase_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool dm_rank_guessed(dm_attribution_kind a)
{
    return a == DM_ATTR_NONE || a == DM_ATTR_CARRIED || a == DM_ATTR_SUBJECT ||
           a == DM_ATTR_PREVIOUS;
}

const char *dm_rq_kind_name(int kind)
{
    static const char *const N[DM_RQ_N] = {"none", "carried", "subject", "previous_sentence",
                                           "pronoun", "other"};
    return kind >= 0 && kind < DM_RQ_N ? N[kind] : "?";
}

static int quote_kind(dm_attribution_kind a)
{
    switch (a) {
    case DM_ATTR_NONE: return DM_RQ_NONE;
    case DM_ATTR_CARRIED: return DM_RQ_CARRIED;
    case DM_ATTR_SUBJECT: return DM_RQ_SUBJECT;
    case DM_ATTR_PREVIOUS: return DM_RQ_PREVIOUS;
    case DM_ATTR_PRONOUN: return DM_RQ_PRONOUN;
    default: return DM_RQ_OTHER;
    }
}

void dm_rank_cands_free(dm_rank_cands *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        dm_speaker_clear(&c->v[i].sp);
    free(c->v);
    memset(c, 0, sizeof *c);
}

/* The candidate named `sp->name` (merged), or a new one taking over sp's
 * strings (sp is left empty either way). NULL when out of memory. */
static dm_rank_cand *add(dm_rank_cands *cs, dm_speaker *sp)
{
    for (size_t i = 0; i < cs->n; i++)
        if (strcmp(cs->v[i].sp.name, sp->name) == 0) {
            dm_speaker_clear(sp);
            return &cs->v[i];
        }
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? 2 * cs->cap : 16;
        dm_rank_cand *v = realloc(cs->v, cap * sizeof *v);
        if (!v) {
            dm_speaker_clear(sp);
            return NULL;
        }
        cs->v = v;
        cs->cap = cap;
    }
    dm_rank_cand *c = &cs->v[cs->n++];
    memset(c, 0, sizeof *c);
    c->sp = *sp;
    memset(sp, 0, sizeof *sp);
    c->sent_back = c->pron_back = c->para_back = -1;
    c->unit_dist = SIZE_MAX;
    c->words = 1;
    for (const char *p = c->sp.name; *p; p++)
        c->words += *p == ' ';
    return c;
}

/* A statement's speaker as a dm_speaker (copies). */
static dm_status statement_speaker(const dm_statement *st, dm_speaker *out)
{
    dm_speaker view = {.name = st->speaker, .role = st->speaker_role,
                       .actor = st->speaker_actor};
    return dm_speaker_copy(out, &view);
}

/* The speaker dm_extract would name for a mention ("Ruiz" after "Dan Ruiz":
 * "Dan Ruiz"), with a memory of its own. sp->name NULL if none. */
static dm_status mention_speaker(const dm_doc *d, const dm_attribution *m, dm_speaker *sp)
{
    dm_speaker_memory mem = {0};
    dm_attr_ctx ac = d->ac;
    ac.pos = m->speaker.start;
    dm_status st = dm_speaker_resolve(&ac, m, &mem, NULL, sp);
    dm_speaker_memory_clear(&mem);
    return st;
}

/* The candidate mention m makes (merged with one of the same name); *c is
 * NULL when the mention names nobody. */
static dm_status add_mention(const dm_doc *d, const dm_attribution *m, dm_rank_cands *cs,
                             dm_rank_cand **c)
{
    *c = NULL;
    dm_speaker sp = {0};
    dm_status st = mention_speaker(d, m, &sp);
    if (st != DM_OK || !sp.name) {
        dm_speaker_clear(&sp);
        return st;
    }
    *c = add(cs, &sp);
    return *c ? DM_OK : DM_E_NOMEM;
}

static size_t words_between(const dm_doc *d, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t k = dm_units_at(&d->units, a); k < d->units.n && d->units.v[k].start < b; k++)
        n += d->units.v[k].word;
    return n;
}

/* 'm' / 'f' for a he/she unit, else 0. */
static char pronoun_gender(const dm_doc *d, const dm_unit *u)
{
    if (!u->word || u->end - u->start > 3)
        return 0;
    return dm_unit_is(d->s, u, "he") ? 'm' : dm_unit_is(d->s, u, "she") ? 'f' : 0;
}

static bool outside_quotes(const dm_doc *d, size_t off)
{
    return dm_quotes_containing(&d->quotes, off) == (size_t)-1;
}

/* The names of sentences [lo, si]. */
static dm_status add_mentions(const dm_doc *d, size_t lo, size_t si, size_t qopen, size_t pi,
                              dm_rank_cands *cs)
{
    const dm_persons *ps = &d->persons;
    size_t nm = dm_persons_all_mentions(ps);
    for (size_t i = 0; i < nm; i++) {
        size_t ms = dm_persons_mention_sentence(ps, i);
        if (ms < lo || ms > si)
            continue;
        const dm_attribution *m = dm_persons_mention(ps, i);
        dm_rank_cand *c;
        dm_status st = add_mention(d, m, cs, &c);
        if (st != DM_OK)
            return st;
        if (!c)
            continue;
        c->mention = true;
        int back = (int)(si - ms);
        if (c->sent_back < 0 || back < c->sent_back)
            c->sent_back = back;
        if (m->speaker.end <= qopen) {
            c->before = true;
            size_t u = words_between(d, m->speaker.end, qopen);
            if (u < c->unit_dist)
                c->unit_dist = u;
        }
        c->opens |= words_between(d, d->sents[ms].start, m->phrase.start) <= 4;
        c->owner |= m->owner;
        c->not_name |= dm_persons_not_a_name(&d->ac, m->speaker);
        if (!c->gender)
            c->gender = dm_persons_gender(&d->ac, ps, m, qopen);
        size_t k = dm_units_at(&d->units, m->phrase.end);
        size_t e = k + 4 < d->units.n ? d->units.v[k + 4].start : d->len;
        dm_span cue;
        c->cue_after |= dm_attribute_verb(&d->ac, m->phrase.end, e, &cue);
        size_t mp = d->n_paras ? dm_span_index(d->paras, d->n_paras, m->speaker.start) : 0;
        c->same_para |= d->n_paras && mp == pi;
        int pb = mp < pi ? (int)(pi - mp) : 0;
        if (c->para_back < 0 || pb < c->para_back)
            c->para_back = pb;
        c->count++;
    }
    return DM_OK;
}

/* The description (a noun phrase, no name) opening the quote's sentence
 * si before the quote's opening mark qopen: "The ad claims "Q"", "The
 * Florida senator took a heckler in stride, saying the person would "Q"".
 * The extractor lists noun phrases only before a cue, so without this no
 * description could be chosen. */
static dm_status add_subject_np(const dm_doc *d, size_t si, size_t qopen, dm_rank_cands *cs)
{
    /* words that end the phrase: a copula (then no speaker: "The line was
     * built for "Q""), auxiliaries, a few irregular pasts, relatives */
    static const char *const COPULA[] = {"is", "was", "are", "were", NULL};
    static const char *const ENDS[] = {"has", "have", "had", "will", "would", "can", "could",
                                       "should", "may", "might", "must", "did", "does", "do",
                                       "began", "sent", "took", "gave", "made", "went", "held",
                                       "spent", "ran", "brought", "kept", "got", "sought",
                                       "found", "thought", "also", "then", "not", "who",
                                       "which", "that", NULL};
    size_t a = d->sents[si].start, b = qopen < d->sents[si].end ? qopen : d->sents[si].end;
    if (b <= a || !outside_quotes(d, a))
        return DM_OK;
    dm_phrase_parser p = dm_phrase_parser_make(&d->ac, a, b);
    size_t k = p.lo;
    while (k < p.hi && !p.u[k].word)
        k++;
    dm_attribution m;
    if (k >= p.hi || !dm_phrase_speaker(&p, k, false, &m) || m.form != DM_SPEAKER_NP ||
        m.speaker.end <= m.speaker.start)
        return DM_OK;
    /* without a cue the phrase may run on through its verb ("The council
     * voted 6-1 for"): cut it at the first word that is no part of it */
    size_t e = dm_units_at(&d->units, m.speaker.end), v = k + 1;
    for (; v < e && v - k < 6; v++) {
        const dm_unit *u = &p.u[v];
        if (!u->word || dm_unit_in(d->s, u, COPULA) ||
            dm_unit_in(d->s, u, DM_FUNCTION_WORDS) ||
            dm_unit_in(d->s, u, DM_PREPOSITIONS) || dm_unit_in(d->s, u, ENDS) ||
            dm_phrase_verb(&p, v) || dm_cues_match(d->ex->cues, DM_CUE_VERB, d->s, u, 1) ||
            (!u->cap && u->end - u->start >= 5 && memcmp(d->s + u->end - 2, "ed", 2) == 0))
            break;
    }
    if ((v < p.hi && p.u[v].word && dm_unit_in(d->s, &p.u[v], COPULA)) || v - k < 2 ||
        p.u[v - 1].cap)
        return DM_OK; /* a subject of "was", a determiner alone, capitals */
    m.speaker = m.phrase = dm_phrase_span(&p, k, v);
    dm_rank_cand *c;
    dm_status st = add_mention(d, &m, cs, &c);
    if (st == DM_OK && c)
        c->subj_np = true;
    return st;
}

/* The antecedents the extractor gives the he/she of sentences [lo, si]. */
static dm_status add_pronouns(const dm_doc *d, size_t lo, size_t si, dm_rank_cands *cs)
{
    for (size_t k = dm_units_at(&d->units, d->sents[lo].start);
         k < d->units.n && d->units.v[k].start < d->sents[si].end; k++) {
        const dm_unit *u = &d->units.v[k];
        char g = pronoun_gender(d, u);
        if (!g || !outside_quotes(d, u->start))
            continue;
        const dm_attribution *m = dm_persons_pronoun(&d->ac, &d->persons, u->start, g, NULL);
        if (!m)
            continue;
        dm_rank_cand *c;
        dm_status st = add_mention(d, m, cs, &c);
        if (st != DM_OK)
            return st;
        if (!c)
            continue;
        c->pronoun = true;
        int back = (int)(si - dm_span_index(d->sents, d->n_sents, u->start));
        if (c->pron_back < 0 || back < c->pron_back)
            c->pron_back = back;
        if (!c->gender)
            c->gender = g;
    }
    return DM_OK;
}

/* The speakers of the statements before v[i], latest first. */
static dm_status add_earlier(const dm_doc *d, const dm_statement *v, size_t i, size_t pi,
                             dm_rank_cands *cs)
{
    int rank = 0;
    const char *seen[DM_RANK_EARLIER];
    for (size_t j = i; j-- > 0 && rank < DM_RANK_EARLIER;) {
        const dm_statement *e = &v[j];
        if (!e->speaker)
            continue;
        bool dup = false;
        for (int r = 0; r < rank && !dup; r++)
            dup = strcmp(seen[r], e->speaker) == 0;
        if (dup)
            continue;
        seen[rank++] = e->speaker;
        dm_speaker sp = {0};
        if (statement_speaker(e, &sp) != DM_OK)
            return DM_E_NOMEM;
        dm_rank_cand *c = add(cs, &sp);
        if (!c)
            return DM_E_NOMEM;
        size_t ep = d->n_paras ? dm_span_index(d->paras, d->n_paras, e->norm_start) : 0;
        int pb = ep < pi ? (int)(pi - ep) : 0;
        if (c->para_back < 0 || pb < c->para_back)
            c->para_back = pb;
        if (j + 1 == i && ep == pi)
            c->prev_same_para = true;
        if (!c->earlier_rank) {
            c->earlier_rank = rank;
            c->earlier_cue = e->attribution == DM_ATTR_CUE ||
                             e->attribution == DM_ATTR_ACCORDING_TO ||
                             e->attribution == DM_ATTR_PRONOUN ||
                             e->attribution == DM_ATTR_DESCRIPTION;
        }
        if (!c->gender)
            c->gender = dm_persons_name_gender(&d->ac, e->speaker);
    }
    return DM_OK;
}

/* Does mention text t (n bytes) name `name`: the same, or its last word? */
static bool names(const char *name, const char *t, size_t n)
{
    size_t l = strlen(name);
    if (n == 0 || n > l || memcmp(name + l - n, t, n) != 0)
        return false;
    return n == l || name[l - n - 1] == ' ';
}

/* Each candidate's mentions in the whole article. */
static void article_counts(const dm_doc *d, dm_rank_cands *cs)
{
    const dm_persons *ps = &d->persons;
    size_t nm = dm_persons_all_mentions(ps);
    for (size_t k = 0; k < cs->n; k++) {
        dm_rank_cand *c = &cs->v[k];
        c->art_count = 0;
        for (size_t i = 0; i < nm; i++) {
            const dm_span *m = &dm_persons_mention(ps, i)->speaker;
            c->art_count += names(c->sp.name, d->s + m->start, m->end - m->start);
        }
    }
}

/* Whether the quote opens (and ends) its paragraph; a he/she/they in it. */
static void quote_shape(const dm_doc *d, const dm_quote *q, const dm_span *para,
                        dm_rank_cands *cs)
{
    cs->q_opens_para = q->open >= para->start && words_between(d, para->start, q->open) == 0;
    size_t close = q->close < d->len ? q->close + 1 : d->len;
    cs->q_whole_para = cs->q_opens_para && (!q->has_close || close >= para->end ||
                                            words_between(d, close, para->end) == 0);
    for (size_t k = dm_units_at(&d->units, q->open);
         k < d->units.n && d->units.v[k].start < q->close && !cs->q_pron; k++) {
        const dm_unit *u = &d->units.v[k];
        cs->q_pron = u->word && (dm_unit_is(d->s, u, "he") || dm_unit_is(d->s, u, "she") ||
                                 dm_unit_is(d->s, u, "they"));
    }
}

dm_status dm_rank_candidates(const dm_doc *d, const dm_statement *v, size_t n, size_t i,
                             dm_rank_cands *out)
{
    if (!d || !v || i >= n || !out)
        return DM_E_INVALID_ARG;
    dm_rank_cands_free(out);
    const dm_statement *st = &v[i];
    out->kind = quote_kind(st->attribution);
    size_t qi = dm_quotes_containing(&d->quotes, st->norm_start);
    size_t qopen = qi != (size_t)-1 ? d->quotes.v[qi].open : st->norm_start;
    if (st->speaker) {
        dm_speaker sp = {0};
        if (statement_speaker(st, &sp) != DM_OK)
            return DM_E_NOMEM;
        dm_rank_cand *c = add(out, &sp);
        if (!c)
            return DM_E_NOMEM;
        c->rules = true;
    }
    if (!d->n_sents)
        return DM_OK;
    size_t si = dm_span_index(d->sents, d->n_sents, qopen);
    size_t pi = d->n_paras ? dm_span_index(d->paras, d->n_paras, qopen) : 0;
    size_t lo = si >= DM_RANK_BACK ? si - DM_RANK_BACK : 0;
    /* the he/she of the quote's sentence, outside quotes */
    for (size_t k = dm_units_at(&d->units, d->sents[si].start);
         k < d->units.n && d->units.v[k].start < d->sents[si].end && !out->gender; k++)
        if (outside_quotes(d, d->units.v[k].start))
            out->gender = pronoun_gender(d, &d->units.v[k]);
    dm_status s = add_mentions(d, lo, si, qopen, pi, out);
    if (s == DM_OK)
        s = add_pronouns(d, lo, si, out);
    if (s == DM_OK)
        s = add_subject_np(d, si, qopen, out);
    if (s == DM_OK)
        s = add_earlier(d, v, i, pi, out);
    if (s == DM_OK)
        article_counts(d, out);
    size_t na = (size_t)-1, nn = (size_t)-1;
    for (size_t k = 0; s == DM_OK && k < out->n; k++) {
        const dm_rank_cand *c = &out->v[k];
        if (!c->before)
            continue;
        if (nn == (size_t)-1 || c->unit_dist < out->v[nn].unit_dist)
            nn = k;
        if (out->gender && c->gender == out->gender &&
            (na == (size_t)-1 || c->unit_dist < out->v[na].unit_dist))
            na = k;
    }
    if (na != (size_t)-1)
        out->v[na].nearest_agree = true;
    if (nn != (size_t)-1)
        out->v[nn].nearest = true;
    if (s == DM_OK && qi != (size_t)-1 && d->n_paras)
        quote_shape(d, &d->quotes.v[qi], &d->paras[pi], out);
    return s;
}

int dm_rank_scope(const dm_rank_cand *c)
{
    int back = c->sent_back;
    if (c->pron_back >= 0 && (back < 0 || c->pron_back < back))
        back = c->pron_back;
    return back == 0 ? 0 : back == 1 ? 1 : back > 1 ? 2 : c->earlier_rank ? 3 : 4;
}

int dm_rank_features(const dm_rank_cand *c, const dm_rank_cands *all, int *f)
{
    int b[DM_RANK_MAXF / 2], n = 0;
    if (c->rules) b[n++] = DM_RF_RULES;
    if (c->mention) b[n++] = DM_RF_MENTION;
    if (c->pronoun) b[n++] = DM_RF_PRONOUN;
    if (c->earlier_rank) b[n++] = DM_RF_EARLIER;
    b[n++] = c->sent_back < 0 ? DM_RF_NOBACK : c->sent_back == 0 ? DM_RF_BACK0
             : c->sent_back == 1 ? DM_RF_BACK1 : c->sent_back == 2 ? DM_RF_BACK2 : DM_RF_BACK3;
    if (c->mention && !c->before) b[n++] = DM_RF_AFTER_ONLY;
    if (c->before)
        b[n++] = c->unit_dist < 5 ? DM_RF_U5 : c->unit_dist < 10 ? DM_RF_U10
                 : c->unit_dist < 20 ? DM_RF_U20 : c->unit_dist < 40 ? DM_RF_U40 : DM_RF_UFAR;
    if (c->earlier_rank)
        b[n++] = c->earlier_rank == 1 ? DM_RF_PREV1 : c->earlier_rank == 2 ? DM_RF_PREV2
                                                                         : DM_RF_PREV3;
    if (c->earlier_cue) b[n++] = DM_RF_EARLIER_CUE;
    if (c->opens) b[n++] = DM_RF_OPENS;
    if (c->owner) b[n++] = DM_RF_OWNER;
    if (c->not_name) b[n++] = DM_RF_NOT_NAME;
    if (c->gender) b[n++] = DM_RF_PERSON;
    if (c->cue_after) b[n++] = DM_RF_CUE_AFTER;
    if (all->gender && c->gender) b[n++] = all->gender == c->gender ? DM_RF_AGREE : DM_RF_CLASH;
    if (c->mention && !c->same_para) b[n++] = DM_RF_OTHER_PARA;
    int cnt = c->count + (c->earlier_rank != 0);
    if (cnt) b[n++] = cnt == 1 ? DM_RF_COUNT1 : cnt <= 3 ? DM_RF_COUNT2 : DM_RF_COUNT4;
    b[n++] = c->words == 1 ? DM_RF_WORDS1 : c->words == 2 ? DM_RF_WORDS2 : DM_RF_WORDS3;
    if (c->pron_back == 0) b[n++] = DM_RF_PRON_BACK0;
    else if (c->pron_back > 0) b[n++] = DM_RF_PRON_BACK1;
    if (c->rules && !c->mention && !c->pronoun && !c->earlier_rank) b[n++] = DM_RF_ONLY_RULES;
    if (c->prev_same_para) b[n++] = DM_RF_PREV_SAME_PARA;
    if (c->para_back >= 0)
        b[n++] = c->para_back == 0 ? DM_RF_PARA0 : c->para_back == 1 ? DM_RF_PARA1 : DM_RF_PARA2;
    if (c->art_count)
        b[n++] = c->art_count == 1 ? DM_RF_ART1 : c->art_count < 5 ? DM_RF_ART2 : DM_RF_ART5;
    if (c->rules && all->q_opens_para) b[n++] = DM_RF_RULES_QOPEN;
    if (c->rules && all->q_whole_para) b[n++] = DM_RF_RULES_QWHOLE;
    if (c->rules && all->q_pron) b[n++] = DM_RF_RULES_QPRON;
    if (c->rules && !c->prev_same_para && (c->sent_back < 0 || c->sent_back > 1))
        b[n++] = DM_RF_RULES_FAR;
    if (all->q_opens_para && c->sent_back == 0) b[n++] = DM_RF_QOPEN_BACK0;
    if (c->subj_np) b[n++] = DM_RF_SUBJ_NP;
    if (c->nearest_agree) b[n++] = DM_RF_NEAREST_AGREE;
    if (c->nearest) b[n++] = DM_RF_NEAREST;
    /* alone, then with the quote's kind: ascending, as LIBLINEAR wants */
    int nf = 0;
    for (int i = 0; i < n; i++) f[nf++] = 1 + b[i];
    for (int i = 0; i < n; i++) f[nf++] = 1 + DM_RF_N * (1 + all->kind) + b[i];
    return nf;
}

double dm_rank_score(const dm_ranker *r, const int *f, int nf)
{
    double s = 0;
    for (int i = 0; i < nf; i++)
        if (f[i] >= 1 && (size_t)f[i] <= r->n)
            s += r->w[f[i] - 1];
    return s;
}

/* The ranker's choice for statement i: the index of the best candidate in
 * *cs (first of equals), or (size_t)-1 when there is none or when it does
 * not beat the rules' own candidate by more than the margin of the quote's
 * kind. */
static dm_status choose(const dm_doc *d, size_t i, dm_rank_cands *cs, size_t *best)
{
    *best = (size_t)-1;
    dm_status st = dm_rank_candidates(d, d->tmp.v, d->tmp.n, i, cs);
    double top = 0, rules = -HUGE_VAL;
    int f[DM_RANK_MAXF];
    for (size_t k = 0; st == DM_OK && k < cs->n; k++) {
        double s = dm_rank_score(d->ex->ranker, f, dm_rank_features(&cs->v[k], cs, f));
        if (cs->v[k].rules)
            rules = s;
        if (*best == (size_t)-1 || s > top)
            top = s, *best = k;
    }
    if (*best != (size_t)-1 && rules != -HUGE_VAL &&
        !(top - rules > d->ex->ranker->margin[cs->kind]))
        *best = (size_t)-1;
    return st;
}

size_t dm_rank_carried_from(const dm_statement *v, size_t i)
{
    if (!v || v[i].attribution != DM_ATTR_CARRIED || !v[i].speaker)
        return (size_t)-1;
    for (size_t j = i; j-- > 0;)
        if (v[j].speaker && v[j].attribution != DM_ATTR_CARRIED &&
            (v[j].kind == DM_KIND_DIRECT || v[j].kind == DM_KIND_PARTIAL))
            return strcmp(v[j].speaker, v[i].speaker) == 0 ? j : (size_t)-1;
    return (size_t)-1;
}

dm_status dm_rank_apply(dm_doc *d)
{
    if (!d || !d->ex->ranker || !d->tmp.n)
        return DM_OK;
    /* all choices from the rules' speakers first (as in training); the
     * array only once the ranker picks someone (a document where it picks
     * nobody needs none) */
    dm_speaker *pick = NULL;
    dm_rank_cands cs = {0};
    dm_status st = DM_OK;
    for (size_t i = 0; i < d->tmp.n && st == DM_OK; i++) {
        const dm_statement *s = &d->tmp.v[i];
        /* where the rules found nobody, and for the kinds the weight file
         * gives a margin (pronoun, previous_sentence: in a nested CV on
         * PolNeAR train they gained in every fold; carried and subject did
         * not, bench/POLNEAR.md, round 14) */
        if (d->ex->ranker->margin[quote_kind(s->attribution)] == HUGE_VAL ||
            (s->kind != DM_KIND_DIRECT && s->kind != DM_KIND_PARTIAL))
            continue;
        size_t b;
        st = choose(d, i, &cs, &b);
        if (st == DM_OK && b != (size_t)-1 && !cs.v[b].rules) {
            if (!pick && !(pick = calloc(d->tmp.n, sizeof *pick))) {
                st = DM_E_NOMEM;
                break;
            }
            pick[i] = cs.v[b].sp;
            memset(&cs.v[b].sp, 0, sizeof cs.v[b].sp);
        }
    }
    dm_rank_cands_free(&cs);
    /* a carried quote follows the quote it was carried from: the rules gave
     * it that quote's speaker, so it takes the replacement too (in a nested
     * CV on PolNeAR train: +8, no fold losing; bench/POLNEAR.md, round 15) */
    bool *follows = pick ? calloc(d->tmp.n, sizeof *follows) : NULL;
    if (pick && !follows)
        st = DM_E_NOMEM;
    for (size_t i = 0; follows && st == DM_OK && i < d->tmp.n; i++) {
        size_t j = pick[i].name ? (size_t)-1 : dm_rank_carried_from(d->tmp.v, i);
        if (j != (size_t)-1 && pick[j].name) {
            st = dm_speaker_copy(&pick[i], &pick[j]);
            follows[i] = true;
        }
    }
    for (size_t i = 0; pick && i < d->tmp.n; i++) {
        dm_statement *s = &d->tmp.v[i];
        if (st == DM_OK && pick[i].name) {
            free(s->speaker);
            free(s->speaker_role);
            free(s->speaker_actor);
            free(s->cue);
            s->speaker = pick[i].name;
            s->speaker_role = pick[i].role;
            s->speaker_actor = pick[i].actor;
            s->cue = NULL;
            if (!follows[i])
                s->attribution = DM_ATTR_RANKED;
            memset(&pick[i], 0, sizeof pick[i]);
        }
        dm_speaker_clear(&pick[i]);
    }
    free(pick);
    free(follows);
    return st;
}
