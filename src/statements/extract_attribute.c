/* Who spoke a quote: the rules tried in order, from a cue next to the quote
 * ("..., Lavrov said") to the sentence or paragraph before it. They are
 * ordered so that the evidence closest to the quote wins; the fallbacks
 * that read the page layout rather than a sentence are in
 * extract_layout.c. A quote none of them attributes is left to
 * extract_statement.c, which carries the previous speaker on. */
#include "statements/extract_internal.h"
#include "statements/phrase_internal.h"

#include <string.h>
#include <strings.h>

/* How far into the sentence before a quote paragraph its subject may start
 * ("On Monday, Ruiz ..."). */
#define PREV_SUBJECT_UNITS 4
/* Longest opening phrase (and its comma) before the person a cue-less
 * fragment's sentence opens with ("In the depths of the recession, Ruiz
 * ..."), in units. */
#define OPENING_PHRASE_UNITS 20

/* Reported speech in sentence si, before its first quote: "Kremlin
 * spokesman Dmitry Peskov said Moscow welcomed the decision." */
bool dm_report_in_sentence(dm_doc *d, size_t si, dm_attribution *a)
{
    dm_span sent = d->sents[si];
    /* a sentence that opens inside a quote ("... He's hard to predict," Ruiz
     * said.): the narration starts after its closing mark; the quoted words
     * are no report ("to predict" gave "He's a hard guy to") */
    size_t qc = dm_quotes_containing(&d->quotes, sent.start);
    if (qc != (size_t)-1) {
        const dm_quote *q = &d->quotes.v[qc];
        if (!q->has_close || dm_quote_end(d, q) >= sent.end)
            return false;
        sent.start = dm_quote_end(d, q);
    }
    size_t k = dm_quote_from(d, sent.start);
    size_t end = k < d->quotes.n && d->quotes.v[k].open < sent.end
                     ? d->quotes.v[k].open : sent.end;
    if (end > sent.start + REGION_MAX)
        end = sent.start + REGION_MAX;
    return dm_attribute_before(&d->ac, sent.start, end, a) &&
           a->form != DM_SPEAKER_NONE;
}

bool dm_starts_with_word(const char *s, dm_span sp, const char *w)
{
    size_t n = strlen(w);
    return sp.end - sp.start > n && strncasecmp(s + sp.start, w, n) == 0 &&
           s[sp.start + n] == ' ';
}

static dm_span head_word(const dm_doc *d, dm_span sp)
{
    size_t a = dm_units_at(&d->units, sp.start), b = dm_units_at(&d->units, sp.end);
    while (b > a && !d->units.v[b - 1].word)
        b--;
    return b > a ? (dm_span){d->units.v[b - 1].start, d->units.v[b - 1].end} : sp;
}

/* "the official said" after "A US official said ...": the indefinite noun
 * phrase with the same head in the three sentences before. */
static void definite_antecedent(dm_doc *d, size_t si, dm_attribution *a)
{
    if (a->form != DM_SPEAKER_NP || !dm_starts_with_word(d->s, a->speaker, "the"))
        return;
    dm_span h = head_word(d, a->speaker);
    const dm_unit *hu = &d->units.v[dm_units_at(&d->units, h.start)];
    if (dm_cues_match(d->ex->cues, DM_CUE_ORG, d->s, hu, 1))
        return;
    for (size_t k = si; k-- > 0 && k + 3 >= si;) {
        dm_attribution r;
        if (!dm_report_in_sentence(d, k, &r) || r.form != DM_SPEAKER_NP ||
            !(dm_starts_with_word(d->s, r.speaker, "a") ||
              dm_starts_with_word(d->s, r.speaker, "an")))
            continue;
        /* the head may be followed by a place: "A European diplomat in
         * The Hague" -> "A European diplomat" */
        size_t ua = dm_units_at(&d->units, r.speaker.start);
        size_t ub = dm_units_at(&d->units, r.speaker.end);
        for (size_t u = ua + 1; u < ub; u++) {
            const dm_unit *x = &d->units.v[u];
            if (x->end - x->start == h.end - h.start &&
                memcmp(d->s + x->start, d->s + h.start, h.end - h.start) == 0) {
                a->speaker = (dm_span){r.speaker.start, x->end};
                a->role = r.role;
                a->phrase = r.phrase;
                return;
            }
        }
    }
}

/* The evidence of an attribution found at the quote: a prep cue ("according
 * to") or a verb; no cue is a headline colon. */
dm_attribution_kind dm_cue_kind(const dm_doc *d, const dm_attribution *a)
{
    if (a->cue.end <= a->cue.start)
        return DM_ATTR_HEADLINE;
    const dm_unit *u = &d->units.v[dm_units_at(&d->units, a->cue.start)];
    size_t n = d->units.n - (size_t)(u - d->units.v);
    if (dm_cues_match(d->ex->cues, DM_CUE_PREP, d->s, u, n) ||
        dm_cues_match(d->ex->cues, DM_CUE_BY, d->s, u, n))
        return DM_ATTR_ACCORDING_TO;
    return a->form == DM_SPEAKER_PRONOUN ? DM_ATTR_PRONOUN : DM_ATTR_CUE;
}

/* The pronoun the text [from, to) opens with, directly or after a short
 * phrase and a comma ("She was defending the group but admitted "Q"", "At
 * the debate, he ..."): the subject, not the person named after it. A name
 * or a noun phrase there, or no subject, is left to the people of the
 * document (false). */
static bool opening_pronoun(dm_doc *d, size_t from, size_t to, dm_attribution *at)
{
    dm_phrase_parser p = dm_phrase_parser_make(&d->ac, from, to);
    size_t start = p.lo;
    for (int pass = 0; pass < 2; pass++) {
        while (start < p.hi && !p.u[start].word)
            start++;
        if (start >= p.hi)
            return false;
        size_t e = dm_phrase_speaker(&p, start, false, at);
        if (e && !at->group && at->form == DM_SPEAKER_PRONOUN)
            return true;

        if (e || pass)
            return false;
        /* a short opening phrase: "In his address to the council," */
        size_t k = start;
        while (k < p.hi && k < start + 8 && !dm_phrase_punct(&p, k, ','))
            k++;
        if (k >= p.hi || k >= start + 8)
            return false;
        start = k + 1;
    }
    return false;
}

/* Does person m open the sentence starting at unit ua: within its first
 * `units` units, or right after an opening phrase and its comma ("In the
 * depths of the recession, Ruiz worried that ...")? */
static bool opens_sentence(const dm_doc *d, size_t ua, const dm_attribution *m, size_t units)
{
    size_t pm = dm_units_at(&d->units, m->phrase.start);
    if (pm <= ua + units)
        return true;
    if (pm > ua + OPENING_PHRASE_UNITS || !dm_unit_punct(&d->units.v[pm - 1], ','))
        return false;
    for (size_t k = ua; k + 1 < pm; k++)
        if (dm_unit_punct(&d->units.v[k], ','))
            return false;
    return true;
}

/* Did a person other than mention m speak the quote before qi, in the same
 * sentence si? (m names the speaker when the speaker's name ends with it.) */
static bool other_than_last_speaker(const dm_doc *d, size_t qi, size_t si,
                                    const dm_attribution *m)
{
    size_t pk = dm_prev_outer_quote(d, qi);
    if (pk == (size_t)-1 || d->last_attr_quote != pk + 1 || !d->last_attr.name ||
        !d->last_attr.person || d->quotes.v[pk].open < d->sents[si].start)
        return false;
    size_t n = m->speaker.end - m->speaker.start, ln = strlen(d->last_attr.name);
    return !(n <= ln && memcmp(d->last_attr.name + ln - n, d->s + m->speaker.start, n) == 0 &&
             (n == ln || d->last_attr.name[ln - n - 1] == ' '));
}

/* Attribute quote qi. Returns the attribution form found (NONE if none);
 * *how says how it was found. */
dm_speaker_form dm_attribute_quote(dm_doc *d, size_t qi, dm_attribution *a,
                                   dm_attribution_kind *how)
{
    const dm_quote *q = &d->quotes.v[qi];
    dm_span before, after;
    dm_quote_regions(d, qi, &before, &after);
    memset(a, 0, sizeof *a);
    *how = DM_ATTR_NONE;
    size_t si = d->n_sents ? dm_span_index(d->sents, d->n_sents, q->open) : 0;
    /* a quote inside a sentence ("Ruiz said he "cannot walk down the street"
     * without reporters asking"): the clause before it speaks first */
    bool inside = false;
    for (size_t k = dm_units_at(&d->units, before.start);
         k < d->units.n && d->units.v[k].start < before.end && !inside; k++)
        inside = d->units.v[k].word;
    if ((inside && dm_attribute_before(&d->ac, before.start, before.end, a)) ||
        (q->has_close && dm_attribute_after(&d->ac, after.start, after.end, a)) ||
        (!inside && dm_attribute_before(&d->ac, before.start, before.end, a)) ||
        dm_attribute_prep(&d->ac, after.start, after.end, a) ||
        dm_attribute_colon(&d->ac, before.start, before.end, a) ||
        (q->has_close && dm_attribute_after_late(&d->ac, after.start, after.end, a))) {
        if (d->n_sents)
            definite_antecedent(d, si, a);
        *how = dm_cue_kind(d, a);
        if (dm_document_issuer(d, si, a))
            *how = DM_ATTR_DESCRIPTION;
        return a->form;
    }
    if (dm_colon_paragraph(d, q, a, how))
        return a->form;
    if (dm_stripped_attribution(d, q, before, after, a)) {
        *how = DM_ATTR_STRIPPED_VERB;
        return a->form;
    }
    if (dm_headline_says(d, before, a)) {
        *how = DM_ATTR_HEADLINE;
        return a->form;
    }
    /* "Gilad Erdan ... did not address the strike but accused Iran of "Q"":
     * the person the sentence opens with, when a cue verb precedes the quote */
    dm_span cue;
    if (d->n_sents && dm_attribute_verb(&d->ac, before.start, before.end, &cue)) {
        dm_span sent = d->sents[si];
        size_t from = sent.start > before.start ? sent.start : before.start;
        const dm_attribution *m = dm_persons_first_in(&d->ac, &d->persons,
                                                      from, cue.start);
        dm_attribution subj;
        if (opening_pronoun(d, from, cue.start, &subj) &&
            (!m || subj.phrase.end <= m->phrase.start)) {
            *a = subj;
            a->cue = cue;
            *how = DM_ATTR_SUBJECT;
            return a->form;
        }
        if (m) {
            *a = *m;
            a->cue = cue;
            *how = DM_ATTR_SUBJECT;
            return a->form;
        }
    }
    /* "Sanders has pushed his promise of "free college"": a fragment with no
     * cue, in a sentence that opens with a person (after at most a short
     * phrase: "In Ohio, Sanders has ...") */
    if (d->n_sents && q->has_close) {
        dm_span sent = d->sents[si];
        size_t ua = dm_units_at(&d->units, sent.start);
        const dm_attribution *m = dm_persons_first_in(&d->ac, &d->persons, sent.start, q->open);
        /* "In a swipe at Hale, Ruiz said the goal was not "A" but "B"": a
         * later quote of the sentence goes on with the person who spoke the
         * one before it (carried), not with another the sentence opens with */
        dm_attribution subj0;
        if (!m && opening_pronoun(d, sent.start, q->open, &subj0)) {
            *a = subj0;
            *how = DM_ATTR_SUBJECT;
            return a->form;
        }
        if (m && other_than_last_speaker(d, qi, si, m)) {
            memset(a, 0, sizeof *a);
            return DM_SPEAKER_NONE;
        }
        if (m && opens_sentence(d, ua, m, 4) &&
            dm_units_at(&d->units, m->speaker.end) < dm_units_at(&d->units, q->open)) {
            /* "She shares with Ruiz a plan to be "anti-system"": the
             * pronoun the sentence opens with is its subject, not Ruiz */
            dm_attribution subj;
            if (opening_pronoun(d, sent.start, m->phrase.start, &subj)) {
                *a = subj;
                *how = DM_ATTR_SUBJECT;
                return a->form;
            }
            *a = *m;
            a->cue = (dm_span){0, 0};
            *how = DM_ATTR_SUBJECT;
            return a->form;
        }
    }
    /* a quote right after a sentence of reported speech in its paragraph */
    if (si > 0 && d->n_paras) {
        dm_span para = d->paras[dm_span_index(d->paras, d->n_paras, q->open)];
        if (d->sents[si - 1].start >= para.start && dm_report_in_sentence(d, si - 1, a)) {
            *how = DM_ATTR_PREVIOUS;
            return a->form;
        }
    }
    /* a quote paragraph signed by the next one: "\"Q\"\n\n- Dan Ruiz." */
    if (d->n_paras && q->has_close && after.end <= after.start + 1 &&
        q->para + 1 < d->n_paras && dm_signed_by_next(d, q->para + 1, a)) {
        *how = DM_ATTR_HEADLINE;
        return a->form;
    }
    /* a quote paragraph after a paragraph of narration (no quote of the
     * same speaker to carry on) whose last sentence reports speech or
     * opens with a person: "Viguerie is upbeat about Cruz.\n\n"Q"" */
    if (si > 0 && d->n_paras && !q->single && q->para > 0 && q->para < d->n_paras &&
        !(d->last_attr.name && (q->para == d->last_attr_para || q->para == d->last_attr_para + 1)) &&
        d->sents[si - 1].start >= d->paras[q->para - 1].start &&
        d->sents[si - 1].end <= d->paras[q->para].start) {
        bool opens = true;
        for (size_t k = dm_units_at(&d->units, d->paras[q->para].start);
             k < d->units.n && d->units.v[k].start < q->open && opens; k++)
            opens = !d->units.v[k].word;
        dm_span prev = d->sents[si - 1];
        size_t k = dm_quote_from(d, prev.start);
        bool quoted = k < d->quotes.n && d->quotes.v[k].open < prev.end;
        if (opens && !quoted) {
            if (dm_report_in_sentence(d, si - 1, a)) {
                *how = DM_ATTR_PREVIOUS;
                return a->form;
            }
            size_t ua = dm_units_at(&d->units, prev.start);
            const dm_attribution *m = dm_persons_first_in(&d->ac, &d->persons, prev.start, prev.end);
            if (m && opens_sentence(d, ua, m, PREV_SUBJECT_UNITS)) {
                *a = *m;
                a->cue = (dm_span){0, 0};
                *how = DM_ATTR_PREVIOUS;
                return a->form;
            }
        }
    }
    memset(a, 0, sizeof *a);
    return DM_SPEAKER_NONE;
}
