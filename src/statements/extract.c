/* The extraction pipeline: normalise, split, pair quotes, attribute, find
 * targets (see statements.h). This file holds the extractor, the document
 * every stage reads (dm_doc: text, paragraphs, sentences, units, quotes,
 * people) and where a quote stands in it; the stages that follow live in
 * extract_attribute.c (who spoke a quote), extract_layout.c (attributions
 * that only the layout gives), extract_statement.c (a quote as a
 * statement) and extract_modes.c (speech mode and given statements). */
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
    /* the thread's text of the document before, its buffers reused */
    d->text = dm_text_thread_take_internal();
    dm_status st = dm_text_renew_internal(&d->text, doc->text ? doc->text : "", doc->text_len,
                                          text_options, err);
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
    if (st == DM_OK) {
        st = dm_quotes_find(d->text, d->paras, d->n_paras, &d->quotes, logger,
                            d->id);
        if (st != DM_OK)
            st = dm_error_set(err, st, d->id, 0, "quote pairing failed");
    }
    /* Only quotes are attributed: the sentences are read for quotes and
     * for speech mode's statements, the word units (the phrase rules,
     * the people) for quotes alone. A speech without quotes (a third of
     * the UN General Debate's bytes) needs no units, an article without
     * quotes neither sentences nor units (both lists stay empty). */
    if (st == DM_OK && (speech || d->quotes.n > 0))
        st = dm_text_sentences_with(d->text, ex->abbreviations, &d->sents, &d->n_sents, err);
    if (st == DM_OK && d->quotes.n > 0 && dm_units_scan(d->s, d->len, &d->units) != DM_OK)
        st = dm_error_set(err, DM_E_NOMEM, d->id, 0, "out of memory");
    /* without the memo (out of memory) actor_word looks up every time */
    if (st == DM_OK)
        d->actor_memo = calloc(d->units.n ? d->units.n : 1, 1);
    d->ac = (dm_attr_ctx){.s = d->s, .units = &d->units, .cues = ex->cues,
                          .actors = ex->actors, .date = d->datep,
                          .actor_memo = d->actor_memo};
    /* The people are looked up only for quotes (attributing one, ranking
     * its speakers): a text without any needs none, and the scan is the
     * most costly step here (dm_persons stays empty). With quotes, the
     * sentences are scanned as far as the lookups read (dm_persons_scan). */
    if (st == DM_OK && d->quotes.n > 0 &&
        dm_persons_scan(&d->ac, d->sents, d->n_sents, &d->quotes, &d->persons) != DM_OK)
        st = dm_error_set(err, DM_E_NOMEM, d->id, 0, "out of memory");
    d->ac.persons = &d->persons;
    return st;
}

void dm_doc_close_text(dm_doc *d)
{
    dm_statement_list_clear(&d->tmp);
    dm_text_thread_keep_internal(&d->text); /* for the thread's next document */
}

void dm_doc_close(dm_doc *d)
{
    dm_doc_close_text(d);
    dm_quotes_free(&d->quotes);
    dm_persons_free(&d->persons);
    dm_units_free(&d->units);
    free(d->actor_memo);
    free(d->paras);
    free(d->sents);
    dm_speaker_memory_clear(&d->mem);
    dm_speaker_clear(&d->last_attr);
}

/* Sentence span holding `off` (the paragraph if there are no sentences). */
dm_span dm_sentence_at(const dm_doc *d, size_t off)
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

size_t dm_prev_outer_quote(const dm_doc *d, size_t qi)
{
    for (size_t k = qi; k-- > 0;)
        if (!d->quotes.v[k].nested)
            return k;
    return (size_t)-1;
}

size_t dm_quote_end(const dm_doc *d, const dm_quote *q)
{
    return q->has_close ? q->close + 1
                        : d->quotes.pieces[q->piece0 + q->n_pieces - 1].end;
}

void dm_quote_regions(const dm_doc *d, size_t qi, dm_span *before,
                      dm_span *after)
{
    const dm_quote *q = &d->quotes.v[qi];
    dm_span sent = dm_sentence_at(d, q->open);
    size_t b0 = sent.start;
    size_t pk = dm_prev_outer_quote(d, qi);
    if (pk != (size_t)-1) {
        size_t pe = dm_quote_end(d, &d->quotes.v[pk]);
        if (pe > b0 && pe <= q->open)
            b0 = pe;
    }
    /* bounded, so that a text without sentence breaks stays linear */
    if (q->open > b0 + REGION_MAX)
        b0 = q->open - REGION_MAX;
    *before = (dm_span){b0 < q->open ? b0 : q->open, q->open};
    size_t a0 = dm_quote_end(d, q);
    size_t t = a0;
    while (t < d->len && (d->s[t] == ' '))
        t++;
    size_t a1 = a0;
    if (t < d->len && d->s[t] != '\n') {
        dm_span s2 = dm_sentence_at(d, t);
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

/* First outer quote opening at or after `off`. */
size_t dm_quote_from(const dm_doc *d, size_t off)
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
