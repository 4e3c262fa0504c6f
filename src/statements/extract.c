/* The extraction pipeline: normalise, split, pair quotes, attribute, find
 * targets (see statements.h). Speech mode and given statements live in
 * extract_modes.c; this file holds the extractor and the quote statements. */
#include "statements/extract_internal.h"
#include "statements/phrase_internal.h"
#include "actors/actors_internal.h"
#include "core/log_internal.h"
#include "text/text_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Longest reporting text looked at around a quote, in bytes. */
#define REGION_MAX 2000
/* Longest context kept on either side of a fragment, in bytes. */
#define CONTEXT_MAX 600
/* How far into the sentence before a quote paragraph its subject may start
 * ("On Monday, Ruiz ..."). */
#define PREV_SUBJECT_UNITS 4
/* Longest opening phrase (and its comma) before the person a cue-less
 * fragment's sentence opens with ("In the depths of the recession, Ruiz
 * ..."), in units. */
#define OPENING_PHRASE_UNITS 20

dm_status dm_extractor_create(const dm_actors *actors, const dm_cues *cues,
                              dm_extractor **out, dm_error *err)
{
    if (!out || !actors || !cues)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_extractor_create: NULL argument");
    dm_extractor *ex = calloc(1, sizeof *ex);
    if (!ex)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    ex->actors = actors;
    ex->cues = cues;
    ex->window = DM_EXTRACT_DEFAULT_WINDOW;
    *out = ex;
    return DM_OK;
}

void dm_extractor_set_window(dm_extractor *ex, size_t bytes)
{
    if (ex && bytes > 0)
        ex->window = bytes;
}

void dm_extractor_set_abbreviations(dm_extractor *ex,
                                    const dm_abbreviations *abbreviations)
{
    if (ex)
        ex->abbreviations = abbreviations;
}

void dm_extractor_destroy(dm_extractor **ex)
{
    if (!ex)
        return;
    free(*ex);
    *ex = NULL;
}

/* Index of the span containing (or last starting before) `off`. */
size_t dm_span_index(const dm_span *v, size_t n, size_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : 0;
}

dm_status dm_doc_open_text(dm_doc *d, const dm_extractor *ex, const dm_document *doc,
                           unsigned text_options, const dm_logger *logger, dm_error *err)
{
    memset(d, 0, sizeof *d);
    d->ex = ex;
    d->doc = doc;
    d->logger = logger;
    d->err = err;
    d->id = doc->id ? doc->id : "";
    if (doc->date) {
        size_t k = 0;
        while (k < 10 && doc->date[k] && doc->date[k] != 'T' && doc->date[k] != ' ')
            k++;
        memcpy(d->date, doc->date, k);
        d->date[k] = '\0';
        d->datep = k ? d->date : NULL;
    }
    dm_status st = dm_text_create_with(doc->text ? doc->text : "", doc->text_len, text_options,
                                       &d->text, err);
    if (st != DM_OK)
        return st;
    d->s = dm_text_norm(d->text);
    d->len = dm_text_norm_len(d->text);
    size_t bad = dm_text_invalid_utf8(d->text);
    if (bad)
        dm_log(logger, DM_LOG_WARNING, d->id, 0,
               "%zu invalid UTF-8 sequences replaced", bad);
    dm_statement_list_init(&d->tmp);
    return DM_OK;
}

dm_status dm_doc_open(dm_doc *d, const dm_extractor *ex,
                      const dm_document *doc, const dm_logger *logger,
                      dm_error *err)
{
    /* Speeches come as hard-wrapped transcripts (the UN General Debate
     * corpus): there a single line break inside a sentence is a space. */
    bool speech = doc->speaker || doc->speaker_actor; /* as dm_extract decides */
    dm_status st = dm_doc_open_text(d, ex, doc, speech ? DM_TEXT_JOIN_WRAPPED_LINES : 0,
                                    logger, err);
    if (st != DM_OK)
        return st;
    st = dm_text_paragraphs(d->text, &d->paras, &d->n_paras, err);
    if (st == DM_OK)
        st = dm_text_sentences_with(d->text, ex->abbreviations, &d->sents, &d->n_sents, err);
    if (st == DM_OK && dm_units_scan(d->s, d->len, &d->units) != DM_OK)
        st = dm_error_set(err, DM_E_NOMEM, d->id, 0, "out of memory");
    if (st == DM_OK) {
        st = dm_quotes_find(d->text, d->paras, d->n_paras, &d->quotes, logger,
                            d->id);
        if (st != DM_OK)
            st = dm_error_set(err, st, d->id, 0, "quote pairing failed");
    }
    d->ac = (dm_attr_ctx){.s = d->s, .units = &d->units, .cues = ex->cues,
                          .actors = ex->actors, .date = d->datep};
    if (st == DM_OK && dm_persons_scan(&d->ac, d->sents, d->n_sents, &d->quotes,
                                       &d->persons) != DM_OK)
        st = dm_error_set(err, DM_E_NOMEM, d->id, 0, "out of memory");
    d->ac.persons = &d->persons;
    return st;
}

void dm_doc_close(dm_doc *d)
{
    dm_statement_list_clear(&d->tmp);
    dm_quotes_free(&d->quotes);
    dm_persons_free(&d->persons);
    dm_units_free(&d->units);
    free(d->paras);
    free(d->sents);
    dm_text_destroy(&d->text);
    dm_speaker_memory_clear(&d->mem);
    dm_speaker_clear(&d->last_attr);
}

/* Sentence span holding `off` (the paragraph if there are no sentences). */
static dm_span sentence_at(const dm_doc *d, size_t off)
{
    if (d->n_sents)
        return d->sents[dm_span_index(d->sents, d->n_sents, off)];
    if (d->n_paras)
        return d->paras[dm_span_index(d->paras, d->n_paras, off)];
    return (dm_span){0, d->len};
}

static size_t next_outer_quote(const dm_doc *d, size_t qi)
{
    for (size_t k = qi + 1; k < d->quotes.n; k++)
        if (!d->quotes.v[k].nested)
            return k;
    return (size_t)-1;
}

static size_t prev_outer_quote(const dm_doc *d, size_t qi)
{
    for (size_t k = qi; k-- > 0;)
        if (!d->quotes.v[k].nested)
            return k;
    return (size_t)-1;
}

static size_t quote_end(const dm_doc *d, const dm_quote *q)
{
    return q->has_close ? q->close + 1
                        : d->quotes.pieces[q->piece0 + q->n_pieces - 1].end;
}

void dm_quote_regions(const dm_doc *d, size_t qi, dm_span *before,
                      dm_span *after)
{
    const dm_quote *q = &d->quotes.v[qi];
    dm_span sent = sentence_at(d, q->open);
    size_t b0 = sent.start;
    size_t pk = prev_outer_quote(d, qi);
    if (pk != (size_t)-1) {
        size_t pe = quote_end(d, &d->quotes.v[pk]);
        if (pe > b0 && pe <= q->open)
            b0 = pe;
    }
    /* bounded, so that a text without sentence breaks stays linear */
    if (q->open > b0 + REGION_MAX)
        b0 = q->open - REGION_MAX;
    *before = (dm_span){b0 < q->open ? b0 : q->open, q->open};
    size_t a0 = quote_end(d, q);
    size_t t = a0;
    while (t < d->len && (d->s[t] == ' '))
        t++;
    size_t a1 = a0;
    if (t < d->len && d->s[t] != '\n') {
        dm_span s2 = sentence_at(d, t);
        a1 = s2.end > t ? s2.end : t;
        dm_span para = d->n_paras ? d->paras[dm_span_index(d->paras, d->n_paras, t)]
                                  : (dm_span){0, d->len};
        if (a1 > para.end)
            a1 = para.end;
        size_t nk = next_outer_quote(d, qi);
        if (nk != (size_t)-1 && d->quotes.v[nk].open < a1)
            a1 = d->quotes.v[nk].open;
    }
    if (a1 > a0 + REGION_MAX)
        a1 = a0 + REGION_MAX;
    *after = (dm_span){a0, a1 > a0 ? a1 : a0};
}

/* Full quotation or fragment? See statements.h. */
static dm_statement_kind quote_kind(const dm_doc *d, const dm_quote *q,
                                    dm_span before, dm_span content)
{
    if (q->n_pieces > 1)
        return DM_KIND_DIRECT;
    dm_span sent = sentence_at(d, q->open);
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

/* First outer quote opening at or after `off`. */
static size_t quote_from(const dm_doc *d, size_t off)
{
    size_t lo = 0, hi = d->quotes.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->quotes.v[mid].open < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo < d->quotes.n && d->quotes.v[lo].nested)
        lo++;
    return lo;
}

/* Reported speech in sentence si, before its first quote: "Kremlin
 * spokesman Dmitry Peskov said Moscow welcomed the decision." */
static bool report_in_sentence(dm_doc *d, size_t si, dm_attribution *a)
{
    dm_span sent = d->sents[si];
    /* a sentence that opens inside a quote ("... He's hard to predict," Ruiz
     * said.): the narration starts after its closing mark; the quoted words
     * are no report ("to predict" gave "He's a hard guy to") */
    size_t qc = dm_quotes_containing(&d->quotes, sent.start);
    if (qc != (size_t)-1) {
        const dm_quote *q = &d->quotes.v[qc];
        if (!q->has_close || quote_end(d, q) >= sent.end)
            return false;
        sent.start = quote_end(d, q);
    }
    size_t k = quote_from(d, sent.start);
    size_t end = k < d->quotes.n && d->quotes.v[k].open < sent.end
                     ? d->quotes.v[k].open : sent.end;
    if (end > sent.start + REGION_MAX)
        end = sent.start + REGION_MAX;
    return dm_attribute_before(&d->ac, sent.start, end, a) &&
           a->form != DM_SPEAKER_NONE;
}

static bool starts_with_word(const char *s, dm_span sp, const char *w)
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
    if (a->form != DM_SPEAKER_NP || !starts_with_word(d->s, a->speaker, "the"))
        return;
    dm_span h = head_word(d, a->speaker);
    const dm_unit *hu = &d->units.v[dm_units_at(&d->units, h.start)];
    if (dm_cues_match(d->ex->cues, DM_CUE_ORG, d->s, hu, 1))
        return;
    for (size_t k = si; k-- > 0 && k + 3 >= si;) {
        dm_attribution r;
        if (!report_in_sentence(d, k, &r) || r.form != DM_SPEAKER_NP ||
            !(starts_with_word(d->s, r.speaker, "a") ||
              starts_with_word(d->s, r.speaker, "an")))
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
    dm_span sent = sentence_at(d, q->open);
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
        if (!report_in_sentence(d, k, &r) || r.form == DM_SPEAKER_PRONOUN)
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
static bool stripped_attribution(const dm_doc *d, const dm_quote *q, dm_span before,
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

/* The evidence of an attribution found at the quote: a prep cue ("according
 * to") or a verb; no cue is a headline colon. */
static dm_attribution_kind cue_kind(const dm_doc *d, const dm_attribution *a)
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

/* "the group said", "the ministry added": a definite organisation noun
 * phrase of two words, which stands for the organisation last heard from. */
static bool description_speaker(const dm_doc *d, const dm_attribution *a)
{
    if (a->form != DM_SPEAKER_NP || !d->mem.org.name || !starts_with_word(d->s, a->speaker, "the"))
        return false;
    size_t ua = dm_units_at(&d->units, a->speaker.start);
    size_t ub = dm_units_at(&d->units, a->speaker.end);
    return ub == ua + 2 && dm_cues_match(d->ex->cues, DM_CUE_ORG, d->s, &d->units.v[ua + 1], 1);
}

/* A title-case headline or caption: `Ruiz Says Vote Was "Rigged"`, `Ortiz
 * Warns of "Chaos"`. Every word of four letters or more before the quote is
 * capitalised, and a name ends right at a capitalised cue verb. */
static bool headline_says(dm_doc *d, dm_span before, dm_attribution *a)
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
static bool document_issuer(dm_doc *d, size_t si, dm_attribution *a)
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
static bool colon_paragraph(dm_doc *d, const dm_quote *q, dm_attribution *a,
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
    dm_span sent = sentence_at(d, e - 1);
    size_t s0 = sent.start > prev.start ? sent.start : prev.start;
    if (e > s0 + REGION_MAX)
        s0 = e - REGION_MAX;
    /* the sentence's own quotes end the region: `X called it "Y":` */
    size_t k = quote_from(d, s0);
    if (k < d->quotes.n && d->quotes.v[k].open < e)
        return false;
    if (dm_attribute_before(&d->ac, s0, e, a) || dm_attribute_colon(&d->ac, s0, e, a)) {
        *how = cue_kind(d, a);
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
static bool signed_by_next(dm_doc *d, size_t pi, dm_attribution *a)
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
    size_t pk = prev_outer_quote(d, qi);
    if (pk == (size_t)-1 || d->last_attr_quote != pk + 1 || !d->last_attr.name ||
        !d->last_attr.person || d->quotes.v[pk].open < d->sents[si].start)
        return false;
    size_t n = m->speaker.end - m->speaker.start, ln = strlen(d->last_attr.name);
    return !(n <= ln && memcmp(d->last_attr.name + ln - n, d->s + m->speaker.start, n) == 0 &&
             (n == ln || d->last_attr.name[ln - n - 1] == ' '));
}

/* Attribute quote qi. Returns the attribution form found (NONE if none);
 * *how says how it was found. */
static dm_speaker_form attribute(dm_doc *d, size_t qi, dm_attribution *a,
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
        *how = cue_kind(d, a);
        if (document_issuer(d, si, a))
            *how = DM_ATTR_DESCRIPTION;
        return a->form;
    }
    if (colon_paragraph(d, q, a, how))
        return a->form;
    if (stripped_attribution(d, q, before, after, a)) {
        *how = DM_ATTR_STRIPPED_VERB;
        return a->form;
    }
    if (headline_says(d, before, a)) {
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
        if (d->sents[si - 1].start >= para.start && report_in_sentence(d, si - 1, a)) {
            *how = DM_ATTR_PREVIOUS;
            return a->form;
        }
    }
    /* a quote paragraph signed by the next one: "\"Q\"\n\n- Dan Ruiz." */
    if (d->n_paras && q->has_close && after.end <= after.start + 1 &&
        q->para + 1 < d->n_paras && signed_by_next(d, q->para + 1, a)) {
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
        size_t k = quote_from(d, prev.start);
        bool quoted = k < d->quotes.n && d->quotes.v[k].open < prev.end;
        if (opens && !quoted) {
            if (report_in_sentence(d, si - 1, a)) {
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

dm_status dm_quote_statement(dm_doc *d, size_t qi, bool speech,
                             const dm_speaker *self, bool *emitted_direct)
{
    const dm_quote *q = &d->quotes.v[qi];
    *emitted_direct = false;
    if (q->nested)
        return DM_OK;
    dm_attribution a;
    dm_attribution_kind how;
    dm_speaker_form form = attribute(d, qi, &a, &how);
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
        dm_span excl[2] = {{q->open, quote_end(d, q)}, a.phrase};
        st = dm_targets_scan(d->ex->actors, d->datep, d->s, sent, excl,
                             form != DM_SPEAKER_NONE ? 2 : 1, &acc, d->err);
    }
    if (st == DM_OK)
        st = dm_targets_commit(d->text, &acc, s);
    else
        free(acc.v);
    dm_speaker_clear(&sp);
    if (st != DM_OK) {
        dm_statement_list_pop_internal(&d->tmp);
        return st;
    }
    *emitted_direct = s->kind == DM_KIND_DIRECT;
    return DM_OK;
}
