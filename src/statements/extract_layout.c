/* Attributions that the layout of the page gives, not a sentence: a
 * paragraph ending in a colon before a quote paragraph, a "- Name" line
 * signing one, a title-case headline, links stripped from the text, a
 * document ("the report says") standing for its issuer. They are apart
 * from extract_attribute.c because each reads paragraphs or the original
 * bytes around a quote, where the sentence rules read one sentence. */
#include "statements/extract_internal.h"
#include "statements/phrase_internal.h"
#include "text/text_internal.h"

#include <string.h>
#include <strings.h>

/* Do two or more spaces stand between normalised offsets x and y in the
 * original text (the gap a deleted hyperlink leaves)? */
static bool gap_between(const dm_doc *d, size_t x, size_t y)
{
    if (y <= x || !d->doc->text)
        return false;
    size_t o1 = dm_text_orig_end(d->text, x), o2 = dm_text_orig_start(d->text, y);
    size_t spaces = 0;
    for (size_t i = o1; i < o2 && i < d->doc->text_len; i++)
        spaces += d->doc->text[i] == ' ' || (unsigned char)d->doc->text[i] == 0xA0;
    return spaces >= 2;
}

static bool quote_mark_unit(const dm_unit *u)
{
    return !u->word && (u->ch == '"' || u->ch == '\'' || u->ch == 0x201C || u->ch == 0x201D ||
                        u->ch == 0x2018 || u->ch == 0x2019 || u->ch == 0xAB || u->ch == 0xBB);
}

/* Text with stripped links (see statements.h): `"Q,"Sorel .`, `"Q," Sorel ''
 * the Times.` after a quote; `NAME, ROLE,  that ... "Q"` before one. */
bool dm_stripped_attribution(const dm_doc *d, const dm_quote *q, dm_span before,
                             dm_span after, dm_attribution *a)
{
    const dm_unit *u = d->units.v;
    if (q->has_close && after.end > after.start) {
        dm_phrase_parser p = dm_phrase_parser_make(&d->ac, after.start, after.end);
        size_t i = p.lo;
        if (i < p.hi && dm_phrase_punct(&p, i, ','))
            i++;
        dm_attribution at;
        size_t e = i < p.hi && dm_phrase_cap_word(&p, i) ? dm_phrase_speaker(&p, i, false, &at) : 0;
        if (e && at.form == DM_SPEAKER_NAME && !at.group) {
            bool glued = u[i].start == q->close + 1;      /* "Q,"Sorel */
            bool stray = e < p.hi && quote_mark_unit(&u[e]);
            bool spaced_stop = e < p.hi && dm_phrase_punct(&p, e, '.') &&
                               u[e].start > 0 && d->s[u[e].start - 1] == ' ';
            bool gap = e < p.hi && gap_between(d, u[e - 1].end, u[e].start);
            if (stray || spaced_stop || gap || (glued && (e >= p.hi || dm_phrase_punct(&p, e, '.')))) {
                *a = at;
                a->cue = (dm_span){0, 0};
                return true;
            }
        }
    }
    if (before.end > before.start) {
        dm_phrase_parser p = dm_phrase_parser_make(&d->ac, before.start, before.end);
        static const char *const THAT[] = {"that", NULL};
        for (size_t j = p.lo; j < p.hi; j++) {
            if (!u[j].word || (j > p.lo && u[j - 1].word && u[j - 1].cap))
                continue;
            dm_attribution at;
            size_t e = dm_phrase_speaker(&p, j, false, &at);
            if (!e || at.form != DM_SPEAKER_NAME || at.group || e >= p.hi)
                continue;
            if ((dm_unit_in(d->s, &u[e], THAT) || e + 1 == p.hi) &&
                gap_between(d, u[e - 1].end, u[e].start)) {
                *a = at;
                a->cue = (dm_span){0, 0};
                return true;
            }
        }
    }
    return false;
}

/* A title-case headline or caption: `Ruiz Says Vote Was "Rigged"`, `Ortiz
 * Warns of "Chaos"`. Every word of four letters or more before the quote is
 * capitalised, and a name ends right at a capitalised cue verb. */
bool dm_headline_says(dm_doc *d, dm_span before, dm_attribution *a)
{
    if (before.end <= before.start)
        return false;
    dm_phrase_parser p = dm_phrase_parser_make(&d->ac, before.start, before.end);
    size_t words = 0, verb = 0;
    for (size_t k = p.lo; k < p.hi; k++) {
        const dm_unit *u = &p.u[k];
        if (!u->word)
            continue;
        words++;
        if (!u->cap && u->end - u->start >= 4)
            return false;
        if (!verb && u->cap && k > p.lo &&
            dm_cues_match(d->ex->cues, DM_CUE_VERB, d->s, u, 1))
            verb = k;
    }
    if (!verb || words < 3)
        return false;
    dm_attribution at;
    dm_phrase_parser np = dm_phrase_parser_make(&d->ac, before.start, p.u[verb].start);
    if (dm_phrase_speaker(&np, np.lo, false, &at) != verb || at.form != DM_SPEAKER_NAME ||
        at.group)
        return false;
    at.cue = dm_phrase_span(&p, verb, verb + 1);
    *a = at;
    return true;
}

/* "the report says", "the statement read", "the ad says": a document stands
 * for whoever issued it, the subject of the sentence (among the three
 * before) that names the same document noun ("The Tarven Institute
 * released a report on Monday."). */
bool dm_document_issuer(dm_doc *d, size_t si, dm_attribution *a)
{
    static const char *const DOCUMENTS[] = {
        "report", "statement", "study", "survey", "poll", "ad", "advert", "letter",
        "memo", "email", "e-mail", "release", "document", "filing", "video",
        "post", "tweet", "complaint", "lawsuit", "analysis", "brief", "paper", NULL};
    static const char *const DEFINITE[] = {"the", "its", "their", "this", "that", NULL};
    if (a->form != DM_SPEAKER_NP || !d->n_sents)
        return false;
    size_t ua = dm_units_at(&d->units, a->speaker.start);
    size_t ub = dm_units_at(&d->units, a->speaker.end);
    if (ub != ua + 2 || !dm_unit_in(d->s, &d->units.v[ua], DEFINITE) ||
        !dm_unit_in(d->s, &d->units.v[ua + 1], DOCUMENTS))
        return false;
    const dm_unit *head = &d->units.v[ua + 1];
    for (size_t k = si; k-- > 0 && k + 3 >= si;) {
        dm_span sent = d->sents[k];
        size_t a0 = dm_units_at(&d->units, sent.start), b0 = dm_units_at(&d->units, sent.end);
        bool names = false;
        for (size_t j = a0; j < b0 && !names; j++) {
            const dm_unit *u = &d->units.v[j];
            names = u->word && u->end - u->start == head->end - head->start &&
                    strncasecmp(d->s + u->start, d->s + head->start, u->end - u->start) == 0;
        }
        if (!names)
            continue;
        dm_phrase_parser p = dm_phrase_parser_make(&d->ac, sent.start, sent.end);
        dm_attribution at;
        if (!dm_phrase_speaker(&p, p.lo, false, &at) || at.form == DM_SPEAKER_PRONOUN ||
            at.group)
            return false;
        if (at.form == DM_SPEAKER_NP) {
            /* the issuer is a name: "The Tarven Institute (released ...)" */
            size_t e = p.lo + (p.lo < p.hi && dm_unit_in(d->s, &p.u[p.lo], DEFINITE));
            size_t n0 = e;
            while (e < p.hi && dm_phrase_cap_word(&p, e))
                e++;
            if (e == n0)
                return false;
            at.speaker = at.phrase = dm_phrase_span(&p, p.lo, e);
            at.role = (dm_span){0, 0};
        }
        /* ... and it did something with it: "released", "sent", "filed" */
        static const char *const ISSUED[] = {"sent", "put", "ran", "wrote",
                                             "has", "had", "also", NULL};
        size_t v = dm_units_at(&d->units, at.phrase.end);
        const dm_unit *vu = v < d->units.n ? &d->units.v[v] : NULL;
        const dm_unit *last = &d->units.v[dm_units_at(&d->units, at.speaker.end) - 1];
        if (!vu || !vu->word || vu->cap || last->possessive ||
            !((vu->end - vu->start > 3 && d->s[vu->end - 2] == 'e' && d->s[vu->end - 1] == 'd') ||
              dm_unit_in(d->s, vu, ISSUED)))
            return false;
        at.cue = a->cue;
        *a = at;
        return true;
    }
    return false;
}

/* A quote paragraph introduced by the paragraph before it: `Ruiz
 * continued:` or `The ministry said in a statement:` and the quote opens the
 * next paragraph. The speaker is found in that introducing sentence. */
bool dm_colon_paragraph(dm_doc *d, const dm_quote *q, dm_attribution *a,
                        dm_attribution_kind *how)
{
    if (d->n_paras < 2 || !d->n_sents)
        return false;
    size_t pi = dm_span_index(d->paras, d->n_paras, q->open);
    if (pi == 0 || pi >= d->n_paras || d->paras[pi].start > q->open)
        return false;
    for (size_t k = dm_units_at(&d->units, d->paras[pi].start);
         k < d->units.n && d->units.v[k].start < q->open; k++)
        if (d->units.v[k].word)
            return false; /* words before the quote in its paragraph */
    dm_span prev = d->paras[pi - 1];
    size_t e = prev.end;
    while (e > prev.start && (d->s[e - 1] == ' ' || d->s[e - 1] == '\n' ||
                              d->s[e - 1] == '\t' || d->s[e - 1] == '\r'))
        e--;
    if (e == prev.start || d->s[e - 1] != ':')
        return false;
    dm_span sent = dm_sentence_at(d, e - 1);
    size_t s0 = sent.start > prev.start ? sent.start : prev.start;
    if (e > s0 + REGION_MAX)
        s0 = e - REGION_MAX;
    /* the sentence's own quotes end the region: `X called it "Y":` */
    size_t k = dm_quote_from(d, s0);
    if (k < d->quotes.n && d->quotes.v[k].open < e)
        return false;
    if (dm_attribute_before(&d->ac, s0, e, a) || dm_attribute_colon(&d->ac, s0, e, a)) {
        *how = dm_cue_kind(d, a);
        return a->form != DM_SPEAKER_NONE;
    }
    /* "Ruiz released the following statement:": the person it opens with */
    const dm_attribution *m = dm_persons_first_in(&d->ac, &d->persons, s0, e);
    if (!m)
        return false;
    *a = *m;
    a->cue = (dm_span){0, 0};
    *how = DM_ATTR_SUBJECT;
    return true;
}

/* A paragraph that is only a dash and a name ("- Dan Ruiz.", "— Ruiz"):
 * it signs the quote paragraph before it. */
bool dm_signed_by_next(dm_doc *d, size_t pi, dm_attribution *a)
{
    dm_span para = d->paras[pi];
    dm_phrase_parser p = dm_phrase_parser_make(&d->ac, para.start, para.end);
    if (p.lo + 1 >= p.hi || p.u[p.lo].word ||
        (p.u[p.lo].ch != '-' && p.u[p.lo].ch != 0x2014 && p.u[p.lo].ch != 0x2013))
        return false;
    dm_attribution at;
    size_t e = dm_phrase_speaker(&p, p.lo + 1, false, &at);
    if (!e || at.form != DM_SPEAKER_NAME || at.group ||
        !(e == p.hi || (e + 1 == p.hi && dm_phrase_punct(&p, e, '.'))))
        return false;
    *a = at;
    a->cue = (dm_span){0, 0};
    return true;
}
