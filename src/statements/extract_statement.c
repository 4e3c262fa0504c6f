/* A quote as a statement: its speaker resolved (names, pronouns, "the
 * group", the place a sentence opens with), its text, kind and offsets,
 * its context and targets. Labels, titles and scare quotes are dropped
 * here, once the quote's words are known. */
#include "statements/extract_internal.h"
#include "statements/phrase_internal.h"
#include "actors/actors_internal.h"
#include "text/text_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Longest context kept on either side of a fragment, in bytes. */
#define CONTEXT_MAX 600

/* Full quotation or fragment? See statements.h. */
static dm_statement_kind quote_kind(const dm_doc *d, const dm_quote *q,
                                    dm_span before, dm_span content)
{
    if (q->n_pieces > 1)
        return DM_KIND_DIRECT;
    dm_span sent = dm_sentence_at(d, q->open);
    size_t ua = dm_units_at(&d->units, sent.start < q->open ? sent.start : q->open);
    size_t ub = dm_units_at(&d->units, q->open);
    bool words_before = false;
    for (size_t i = ua; i < ub && !words_before; i++)
        words_before = d->units.v[i].word;
    if (!words_before)
        return DM_KIND_DIRECT;
    if (ub > 0 && dm_unit_punct(&d->units.v[ub - 1], ':'))
        return DM_KIND_DIRECT;
    size_t ca = dm_units_at(&d->units, content.start);
    size_t cb = dm_units_at(&d->units, content.end);
    size_t words = 0;
    for (size_t i = ca; i < cb && words < 4; i++)
        words += d->units.v[i].word;
    char last = content.end > content.start ? d->s[content.end - 1] : 0;
    bool full_stop = last == '.' || last == '?' || last == '!';
    /* `he said, "we will go."`: a sentence introduced by a comma */
    if (ub > 0 && dm_unit_punct(&d->units.v[ub - 1], ',') && words >= 4 && full_stop)
        return DM_KIND_DIRECT;
    if (q->single)
        return DM_KIND_PARTIAL;
    UChar32 c0;
    int32_t i0 = (int32_t)content.start;
    U8_NEXT_OR_FFFD(d->s, i0, (int32_t)d->len, c0);
    return (u_isupper(c0) && words >= 4) ? DM_KIND_DIRECT : DM_KIND_PARTIAL;
}

/* The statement text: content pieces joined by "\n", without a final comma
 * (the one before "he said", which stands for the quote's full stop). */
static dm_status quote_text(const dm_doc *d, const dm_quote *q, char **text,
                            dm_span *range)
{
    const dm_span *pc = &d->quotes.pieces[q->piece0];
    size_t last_end = pc[q->n_pieces - 1].end;
    size_t last_start = pc[q->n_pieces - 1].start;
    while (last_end > last_start &&
           (d->s[last_end - 1] == ',' || d->s[last_end - 1] == ' '))
        last_end--;
    size_t total = 0;
    for (size_t i = 0; i < q->n_pieces; i++)
        total += pc[i].end - pc[i].start + 1;
    char *t = malloc(total + 1);
    if (!t)
        return DM_E_NOMEM;
    size_t o = 0;
    for (size_t i = 0; i < q->n_pieces; i++) {
        size_t e = i + 1 == q->n_pieces ? last_end : pc[i].end;
        if (i)
            t[o++] = '\n';
        memcpy(t + o, d->s + pc[i].start, e - pc[i].start);
        o += e - pc[i].start;
    }
    t[o] = '\0';
    *text = t;
    *range = (dm_span){pc[0].start, last_end};
    return DM_OK;
}

static dm_status set_speaker(dm_statement *st, const dm_speaker *sp)
{
    if (sp->name && !(st->speaker = strdup(sp->name)))
        return DM_E_NOMEM;
    if (sp->role && !(st->speaker_role = strdup(sp->role)))
        return DM_E_NOMEM;
    if (sp->actor && !(st->speaker_actor = strdup(sp->actor)))
        return DM_E_NOMEM;
    return DM_OK;
}

/* "In Tehran, foreign ministry spokesman X said": the place a sentence
 * opens with stands for the speaker's actor when nothing else does. */
static dm_status place_actor(dm_doc *d, size_t at, dm_speaker *sp)
{
    if (!d->n_sents)
        return DM_OK;
    dm_span sent = d->sents[dm_span_index(d->sents, d->n_sents, at)];
    size_t n = sent.end - sent.start;
    if (n < 6 || strncmp(d->s + sent.start, "In ", 3) != 0 || at < sent.start)
        return DM_OK;
    const char *comma = memchr(d->s + sent.start, ',', n < 48 ? n : 48);
    if (!comma)
        return DM_OK;
    size_t len = (size_t)(comma - (d->s + sent.start)) - 3;
    dm_actor_match m;
    if (!dm_actors_lookup(d->ex->actors, d->s + sent.start + 3, len, d->datep, &m) ||
        (m.kind != DM_ACTOR_CAPITAL && m.kind != DM_ACTOR_STATE))
        return DM_OK;
    sp->actor = strdup(m.code);
    return sp->actor ? DM_OK : DM_E_NOMEM;
}

/* The sentence around a quote, as context and for the targets of a
 * fragment; at most CONTEXT_MAX bytes on either side of the quote, cut at
 * word boundaries, so that a text without sentence breaks stays linear. */
static dm_span reporting_window(const dm_doc *d, const dm_quote *q, dm_span content)
{
    dm_span sent = dm_sentence_at(d, q->open);
    size_t a = sent.start, b = sent.end;
    if (q->open > a + CONTEXT_MAX) {
        size_t u = dm_units_at(&d->units, q->open - CONTEXT_MAX);
        a = u < d->units.n ? d->units.v[u].start : q->open;
    }
    if (b > content.end + CONTEXT_MAX) {
        size_t u = dm_units_at(&d->units, content.end + CONTEXT_MAX);
        b = u > 0 ? d->units.v[u - 1].end : content.end;
        if (b < content.end)
            b = content.end;
    }
    return (dm_span){a, b > a ? b : a};
}

/* "Russia said it would respond. "...," they said.": a pronoun nobody
 * quoted before stands for the speaker of reported speech in the three
 * sentences before (a person for he/she, an organisation for they/it). */
static dm_status pronoun_from_reports(dm_doc *d, size_t at, const dm_attribution *a,
                                      const dm_speaker *self, dm_speaker *sp)
{
    if (!d->n_sents)
        return DM_OK;
    char pr[8];
    const dm_unit *u = &d->units.v[dm_units_at(&d->units, a->speaker.start)];
    if (!dm_unit_fold(d->s, u, pr, sizeof pr))
        return DM_OK;
    bool want_person = strcmp(pr, "he") == 0 || strcmp(pr, "she") == 0;
    if (!want_person && strcmp(pr, "they") != 0 && strcmp(pr, "it") != 0)
        return DM_OK;
    size_t si = dm_span_index(d->sents, d->n_sents, at);
    for (size_t k = si; k-- > 0 && k + 3 >= si;) {
        dm_attribution r;
        if (!dm_report_in_sentence(d, k, &r) || r.form == DM_SPEAKER_PRONOUN)
            continue;
        dm_speaker tmp = {0};
        d->ac.pos = r.speaker.start;
        dm_status st = dm_speaker_resolve(&d->ac, &r, &d->mem, self, &tmp);
        d->ac.pos = at;
        char gender = pr[0] == 'h' ? 'm' : pr[0] == 's' ? 'f' : 0;
        if (st == DM_OK && tmp.name && tmp.person == want_person &&
            !(gender && tmp.gender && tmp.gender != gender)) {
            dm_speaker_clear(sp);
            *sp = tmp;
            return DM_OK;
        }
        dm_speaker_clear(&tmp);
        return st;
    }
    return DM_OK;
}

/* The German "no" camp: one or two quoted words used before a noun are a
 * label, not a statement (a lowercase content word follows the closing mark). */
static bool modifier_quote(const dm_doc *d, const dm_quote *q, dm_span content)
{
    if (!q->has_close)
        return false;
    size_t ca = dm_units_at(&d->units, content.start);
    size_t cb = dm_units_at(&d->units, content.end);
    size_t words = 0;
    for (size_t i = ca; i < cb; i++) {
        if (!d->units.v[i].word)
            return false; /* punctuation inside: a phrase, not a label */
        words++;
    }
    if (words == 0 || words > 2 || ca == 0)
        return false;
    /* ... after a determiner or an adjective: "the German "no" camp", not
     * "accused Washington of "destroying" arms control" */
    const dm_unit *pv = &d->units.v[dm_units_at(&d->units, q->open) - 1];
    static const char *const DET[] = {"the", "a", "an", "its", "this", "that",
                                      "his", "her", "their", "our", NULL};
    if (!pv->word || !(dm_unit_in(d->s, pv, DET) || pv->cap || pv->possessive))
        return false;
    size_t nx = dm_units_at(&d->units, q->close + 1);
    if (nx >= d->units.n)
        return false;
    const dm_unit *u = &d->units.v[nx];
    if (!u->word || u->cap || u->start != q->close + 2 || d->s[q->close + 1] != ' ')
        return false;
    dm_phrase_parser p = dm_phrase_parser_make(&d->ac, u->start, d->len);
    static const char *const MORE[] = {"any", "every", "each", "such", "more",
                                       "than", "too", "so", "very", "only", NULL};
    return !dm_unit_in(d->s, u, DM_FUNCTION_WORDS) && !dm_unit_in(d->s, u, DM_NP_STOPS) &&
           !dm_unit_in(d->s, u, MORE) && !dm_unit_in(d->s, u, DM_DETERMINERS) &&
           !dm_unit_in(d->s, u, DM_PREPOSITIONS) && !dm_phrase_verb(&p, p.lo) &&
           !dm_cues_match(d->ex->cues, DM_CUE_SKIP, d->s, u, 1);
}

/* Titles and scare quotes are no statements: `told the BBC's "Sunday
 * Politics"`, `the book "The Art of the Deal"`, `a so-called "peace plan"`,
 * `dubbed it "Operation Dawn"`. A quotation counts as one when it follows
 * "so-called", or when its words are in title case (every word of four
 * letters or more capitalised, at most ten words) and it follows a
 * possessive, a title word (book, show, titled, dubbed...) or on/in/the. */
static bool title_quote(const dm_doc *d, const dm_quote *q, dm_span content)
{
    size_t uo = dm_units_at(&d->units, q->open);
    if (uo == 0)
        return false;
    size_t k = uo - 1;
    while (k > 0 && !d->units.v[k].word && d->units.v[k].ch == '-')
        k--; /* "so- called" */
    const dm_unit *pv = &d->units.v[k];
    if (!pv->word)
        return false;
    static const char *const OBJECT[] = {"it", "them", "him", "her", NULL};
    if (k > 0 && dm_unit_in(d->s, pv, OBJECT) && d->units.v[k - 1].word)
        pv = &d->units.v[--k]; /* "dubbed it "Operation Dawn"" */
    static const char *const SCARE[] = {"so-called", "dubbed", "nicknamed",
                                        "titled", "entitled", NULL};
    char w[24];
    bool so_called = dm_unit_fold(d->s, pv, w, sizeof w) &&
                     (strcmp(w, "so-called") == 0 ||
                      (strcmp(w, "called") == 0 && k > 0 && d->units.v[k - 1].start + 2 <= pv->start &&
                       strncasecmp(d->s + d->units.v[k - 1].start, "so", 2) == 0 &&
                       d->units.v[k - 1].end - d->units.v[k - 1].start == 2));
    if (so_called)
        return true;
    static const char *const BEFORE_TITLE[] = {
        "on", "in", "the", "its", "his", "her", "their", "book", "books", "film",
        "movie", "show", "program", "programme", "series", "song", "album",
        "documentary", "article", "op-ed", "column", "headline", "titled",
        "entitled", "dubbed", "nicknamed", "slogan", "hashtag", "memoir",
        "novel", "play", "musical", "episode", "segment", "magazine", NULL};
    if (!pv->possessive && !dm_unit_in(d->s, pv, BEFORE_TITLE) && !dm_unit_in(d->s, pv, SCARE))
        return false;
    size_t ca = dm_units_at(&d->units, content.start);
    size_t cb = dm_units_at(&d->units, content.end);
    size_t words = 0, caps = 0;
    for (size_t i = ca; i < cb; i++) {
        const dm_unit *u = &d->units.v[i];
        if (!u->word) {
            if (u->ch == '?' || u->ch == '!' || u->ch == ',' || u->ch == ';')
                return false;
            continue;
        }
        words++;
        caps += u->cap;
        if (!u->cap && u->end - u->start >= 4)
            return false;
    }
    return words > 0 && words <= 10 && caps > 0;
}

/* "the group said", "the ministry added": a definite organisation noun
 * phrase of two words, which stands for the organisation last heard from. */
static bool description_speaker(const dm_doc *d, const dm_attribution *a)
{
    if (a->form != DM_SPEAKER_NP || !d->mem.org.name || !dm_starts_with_word(d->s, a->speaker, "the"))
        return false;
    size_t ua = dm_units_at(&d->units, a->speaker.start);
    size_t ub = dm_units_at(&d->units, a->speaker.end);
    return ub == ua + 2 && dm_cues_match(d->ex->cues, DM_CUE_ORG, d->s, &d->units.v[ua + 1], 1);
}

dm_status dm_quote_statement(dm_doc *d, size_t qi, bool speech,
                             const dm_speaker *self, bool *emitted_direct)
{
    const dm_quote *q = &d->quotes.v[qi];
    *emitted_direct = false;
    if (q->nested)
        return DM_OK;
    dm_attribution a;
    dm_attribution_kind how;
    dm_speaker_form form = dm_attribute_quote(d, qi, &a, &how);
    if (form != DM_SPEAKER_NONE && form != DM_SPEAKER_PRONOUN && a.speaker.end > a.speaker.start) {
        /* "a national campaign - one he calls "Q"": the phrase before the
         * cue ends with its real subject, a pronoun */
        size_t k = dm_units_at(&d->units, a.speaker.end);
        const dm_unit *u = k > 0 ? &d->units.v[k - 1] : NULL;
        if (u && u->start > a.speaker.start && u->word &&
            (dm_unit_is(d->ac.s, u, "he") || dm_unit_is(d->ac.s, u, "she"))) {
            a.form = form = DM_SPEAKER_PRONOUN;
            a.speaker = a.phrase = (dm_span){u->start, u->end};
            a.role = (dm_span){0, 0};
            a.group = a.owner = false;
            how = DM_ATTR_PRONOUN;
        }
    }
    if (speech && (form == DM_SPEAKER_NONE || form == DM_SPEAKER_PRONOUN))
        return DM_OK; /* stays part of the speech sentence */
    dm_speaker sp = {0}, prev_org = {0};
    d->ac.pos = q->open;
    bool described = description_speaker(d, &a);
    dm_status st = described ? dm_speaker_copy(&prev_org, &d->mem.org) : DM_OK;
    if (st == DM_OK)
        st = dm_speaker_resolve(&d->ac, &a, &d->mem, self, &sp);
    if (st == DM_OK && described && (!sp.actor || (prev_org.actor &&
                                                   strcmp(sp.actor, prev_org.actor) == 0))) {
        /* "the group said": the organisation heard from last */
        dm_speaker_clear(&sp);
        st = dm_speaker_copy(&sp, &prev_org);
        if (st == DM_OK)
            st = dm_speaker_copy(&d->mem.org, &prev_org);
        how = DM_ATTR_DESCRIPTION;
    }
    dm_speaker_clear(&prev_org);
    if (st == DM_OK && sp.name && !sp.actor && !a.group && form != DM_SPEAKER_PRONOUN)
        st = place_actor(d, a.phrase.start, &sp);
    if (st == DM_OK && form == DM_SPEAKER_PRONOUN && !sp.name)
        st = pronoun_from_reports(d, q->open, &a, self, &sp);
    if (st != DM_OK)
        return st;
    if (speech && self && sp.name && self->name && strcmp(sp.name, self->name) == 0) {
        dm_speaker_clear(&sp);
        return DM_OK;
    }
    size_t last_para = dm_span_index(d->paras, d->n_paras,
                                     d->quotes.pieces[q->piece0 + q->n_pieces - 1].start);
    bool inherited = false;
    if (!speech && form == DM_SPEAKER_NONE && d->last_attr.name &&
        (q->para == d->last_attr_para || q->para == d->last_attr_para + 1)) {
        st = dm_speaker_copy(&sp, &d->last_attr); /* same speaker goes on */
        inherited = st == DM_OK;
        how = DM_ATTR_CARRIED;
    }
    if (!sp.name && !sp.actor)
        how = DM_ATTR_NONE;
    if (st == DM_OK && q->single && !sp.name && !sp.actor) {
        dm_speaker_clear(&sp);
        return DM_OK; /* single-quoted and nobody's: scare quotes, titles */
    }
    dm_statement *s = st == DM_OK ? dm_statement_list_push(&d->tmp) : NULL;
    if (!s) {
        dm_speaker_clear(&sp);
        return DM_E_NOMEM;
    }
    dm_span range = {0, 0}, before, after; /* range stays empty if quote_text fails */
    dm_quote_regions(d, qi, &before, &after);
    st = quote_text(d, q, &s->text, &range);
    if (st == DM_OK && range.end <= range.start) {
        /* "« ," or "“,”": marks around nothing but a comma say nothing. */
        dm_speaker_clear(&sp);
        dm_statement_list_pop_internal(&d->tmp);
        return DM_OK;
    }
    if (st == DM_OK) {
        s->kind = quote_kind(d, q, before, range);
        if ((s->kind == DM_KIND_PARTIAL && modifier_quote(d, q, range)) ||
            title_quote(d, q, range)) {
            dm_speaker_clear(&sp);
            dm_statement_list_pop_internal(&d->tmp);
            return DM_OK;
        }
        s->attribution = how;
        s->norm_start = range.start;
        s->norm_end = range.end;
        s->start = dm_text_orig_start(d->text, range.start);
        s->end = dm_text_orig_end(d->text, range.end);
        if (s->end < s->start)
            s->end = s->start;
        st = set_speaker(s, &sp);
    }
    if (st == DM_OK && form != DM_SPEAKER_NONE && a.cue.end > a.cue.start &&
        !(s->cue = dm_span_dup(d->s, a.cue)))
        st = DM_E_NOMEM;
    dm_span sent = reporting_window(d, q, range);
    if (st == DM_OK && s->kind == DM_KIND_PARTIAL &&
        !(s->context = dm_span_dup(d->s, sent)))
        st = DM_E_NOMEM;
    if (st == DM_OK && sp.name && !inherited) {
        st = dm_speaker_copy(&d->last_attr, &sp);
        d->last_attr_para = last_para;
        d->last_attr_quote = qi + 1;
    } else if (st == DM_OK && inherited) {
        d->last_attr_para = last_para;
        d->last_attr_quote = qi + 1;
    }
    /* targets: the quote's words; for fragments also the reporting clause */
    dm_target_acc acc = {0};
    for (size_t i = 0; i < q->n_pieces && st == DM_OK; i++) {
        dm_span pc = d->quotes.pieces[q->piece0 + i];
        if (i + 1 == q->n_pieces)
            pc.end = range.end;
        st = dm_targets_scan(d->ex->actors, d->datep, d->s, pc, NULL, 0, &acc,
                             d->err);
    }
    size_t cw = dm_units_at(&d->units, range.end) - dm_units_at(&d->units, range.start);
    if (st == DM_OK && (s->kind == DM_KIND_PARTIAL || cw <= 1)) {
        dm_span excl[2] = {{q->open, dm_quote_end(d, q)}, a.phrase};
        st = dm_targets_scan(d->ex->actors, d->datep, d->s, sent, excl,
                             form != DM_SPEAKER_NONE ? 2 : 1, &acc, d->err);
    }
    if (st == DM_OK)
        st = dm_targets_commit(d->text, &acc, s);
    else
        dm_targets_release(&acc);
    dm_speaker_clear(&sp);
    if (st != DM_OK) {
        dm_statement_list_pop_internal(&d->tmp);
        return st;
    }
    *emitted_direct = s->kind == DM_KIND_DIRECT;
    return DM_OK;
}
