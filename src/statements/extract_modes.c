/* dm_extract (articles and speech mode) and dm_extract_given. */
#include "statements/extract_internal.h"
#include "statements/rank_internal.h"

#include <stdlib.h>
#include <string.h>

static int by_position(const void *x, const void *y)
{
    const dm_statement *a = x, *b = y;
    if (a->norm_start != b->norm_start)
        return a->norm_start < b->norm_start ? -1 : 1;
    /* a speech sentence before a quote starting at the same byte */
    if (a->kind != b->kind)
        return a->kind == DM_KIND_SPEECH ? -1 : b->kind == DM_KIND_SPEECH;
    return a->norm_end < b->norm_end ? -1 : a->norm_end > b->norm_end;
}

/* Move d->tmp into `out` in document order, numbering from 1. */
static dm_status move_out(dm_doc *d, dm_statement_list *out)
{
    if (d->tmp.n > 1)
        qsort(d->tmp.v, d->tmp.n, sizeof *d->tmp.v, by_position);
    /* the learned choice where the rules guessed (articles only) */
    dm_status st = d->doc->speaker || d->doc->speaker_actor ? DM_OK : dm_rank_apply(d);
    /* the people are scanned as they are asked about (dm_persons_scan) */
    if (st == DM_OK && dm_persons_failed(&d->persons))
        st = DM_E_NOMEM;
    if (st != DM_OK)
        return st;
    if (out->n == 0) {
        /* An empty list takes d->tmp's array whole (its own, lent to
         * d->tmp by borrow_array, or none) */
        for (size_t i = 0; i < d->tmp.n; i++)
            d->tmp.v[i].n = (int)(i + 1);
        free(out->v);
        *out = d->tmp;
        dm_statement_list_init(&d->tmp);
        return DM_OK;
    }
    if (out->cap - out->n < d->tmp.n || !out->v) {
        size_t need = out->n + d->tmp.n;
        size_t cap = out->cap ? out->cap : 16;
        while (cap < need)
            cap *= 2;
        dm_statement *v = realloc(out->v, cap * sizeof *v);
        if (!v)
            return DM_E_NOMEM;
        out->v = v;
        out->cap = cap;
    }
    for (size_t i = 0; i < d->tmp.n; i++) {
        d->tmp.v[i].n = (int)(i + 1);
        out->v[out->n++] = d->tmp.v[i];
    }
    free(d->tmp.v);
    dm_statement_list_init(&d->tmp);
    return DM_OK;
}

/* The statements of a document are made in d->tmp and moved to `out` at
 * the end (move_out). A caller that empties its list and keeps the array
 * for the next document (demarche-score's workers) lends that array to
 * d->tmp here, and move_out gives it back: no allocation, realloc and
 * free a document for it. If extraction fails, d->tmp's array is freed
 * with it and `out` is left empty without one. */
static void borrow_array(dm_doc *d, dm_statement_list *out)
{
    if (out->n == 0 && out->v && !d->tmp.v) {
        d->tmp = *out;
        dm_statement_list_init(out);
    }
}

static dm_status speech_sentence(dm_doc *d, dm_span sent)
{
    dm_statement *s = dm_statement_list_push(&d->tmp);
    if (!s)
        return DM_E_NOMEM;
    const dm_document *doc = d->doc;
    dm_status st = DM_OK;
    s->kind = DM_KIND_SPEECH;
    s->attribution = DM_ATTR_GIVEN;
    s->norm_start = sent.start;
    s->norm_end = sent.end;
    s->start = dm_text_orig_start(d->text, sent.start);
    s->end = dm_text_orig_end(d->text, sent.end);
    s->text = dm_span_dup(d->s, sent);
    if (!s->text || (doc->speaker && !(s->speaker = strdup(doc->speaker))) ||
        (doc->speaker_actor && !(s->speaker_actor = strdup(doc->speaker_actor))))
        st = DM_E_NOMEM;
    dm_target_acc acc = {0};
    if (st == DM_OK)
        st = dm_targets_scan(d->ex->actors, d->datep, d->s, sent, NULL, 0, &acc,
                             d->err);
    if (st == DM_OK)
        st = dm_targets_commit(d->text, &acc, s);
    else
        dm_targets_release(&acc);
    if (st != DM_OK)
        dm_statement_list_pop_internal(&d->tmp);
    return st;
}

/* Every sentence is the speaker's, except those that only report a full
 * quotation of someone else (which becomes that person's statement). */
static dm_status extract_speech(dm_doc *d)
{
    const dm_document *doc = d->doc;
    dm_speaker self = {.name = (char *)doc->speaker,
                       .actor = (char *)doc->speaker_actor};
    bool *dropped = d->n_sents ? calloc(d->n_sents, sizeof *dropped) : NULL;
    if (d->n_sents && !dropped)
        return DM_E_NOMEM;
    dm_status st = DM_OK;
    for (size_t qi = 0; qi < d->quotes.n && st == DM_OK; qi++) {
        bool direct = false;
        st = dm_quote_statement(d, qi, true, &self, &direct);
        if (st == DM_OK && direct && d->n_sents)
            dropped[dm_span_index(d->sents, d->n_sents, d->quotes.v[qi].open)] = true;
    }
    for (size_t i = 0; i < d->n_sents && st == DM_OK; i++)
        if (!dropped[i] && d->sents[i].end > d->sents[i].start)
            st = speech_sentence(d, d->sents[i]);
    free(dropped);
    return st;
}

static dm_status check_args(const dm_extractor *ex, const dm_document *doc,
                            dm_statement_list *out, dm_error *err,
                            const char *fn)
{
    if (!ex || !doc || !out || (!doc->text && doc->text_len))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "%s: NULL argument", fn);
    return DM_OK;
}

static dm_status fail(dm_doc *d, dm_status st)
{
    if (d->err && d->err->status == DM_OK)
        dm_error_set(d->err, st, d->id, 0, "%s", dm_status_name(st));
    dm_doc_close(d);
    return st;
}

/* Extract one document (or window) into `out`; *norm_len is the length of
 * its normalised text. */
static dm_status extract_whole(const dm_extractor *ex, const dm_document *doc,
                               dm_statement_list *out, const dm_logger *logger,
                               dm_error *err, size_t *norm_len)
{
    dm_doc d;
    dm_status st = dm_doc_open(&d, ex, doc, logger, err);
    if (st != DM_OK)
        return fail(&d, st);
    borrow_array(&d, out);
    if (doc->speaker || doc->speaker_actor) {
        st = extract_speech(&d);
    } else {
        for (size_t qi = 0; qi < d.quotes.n && st == DM_OK; qi++) {
            bool direct;
            st = dm_quote_statement(&d, qi, false, NULL, &direct);
        }
    }
    if (st == DM_OK)
        st = move_out(&d, out);
    if (st != DM_OK)
        return fail(&d, st);
    *norm_len = d.len;
    dm_doc_close(&d);
    return DM_OK;
}

/* Where the window starting at `off` ends: after the last blank line in
 * the second half of the window, else after its last line break, else at a
 * character boundary; the white space after a blank line goes with it. */
static size_t window_end(const char *text, size_t len, size_t off, size_t window)
{
    if (len - off <= window)
        return len;
    size_t lo = off + window / 2, hi = off + window, line_end = 0;
    for (size_t i = hi; i > lo; i--) {
        if (text[i - 1] != '\n')
            continue;
        if (!line_end)
            line_end = i;
        size_t k = i - 1;
        while (k > lo && text[k - 1] == '\r')
            k--;
        if (k > lo && text[k - 1] == '\n') {
            while (i < len && (text[i] == '\n' || text[i] == '\r' || text[i] == ' ' ||
                               text[i] == '\t'))
                i++;
            return i;
        }
    }
    if (line_end)
        return line_end;
    size_t i = hi;
    while (i > lo && ((unsigned char)text[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* A long document, window by window: each window's statements are moved
 * to `out` with their offsets and numbers made the document's. */
static dm_status extract_windows(const dm_extractor *ex, const dm_document *doc,
                                 dm_statement_list *out, const dm_logger *logger,
                                 dm_error *err)
{
    size_t first = out->n, norm_base = 0;
    dm_status st = DM_OK;
    for (size_t off = 0; off < doc->text_len && st == DM_OK;) {
        size_t end = window_end(doc->text, doc->text_len, off, ex->window);
        dm_document part = *doc;
        part.text = doc->text + off;
        part.text_len = end - off;
        size_t before = out->n, norm_len = 0;
        st = extract_whole(ex, &part, out, logger, err, &norm_len);
        for (size_t i = before; i < out->n && st == DM_OK; i++) {
            dm_statement *s = &out->v[i];
            s->n += (int)(before - first);
            s->start += off;
            s->end += off;
            s->norm_start += norm_base;
            s->norm_end += norm_base;
            for (size_t t = 0; t < s->n_targets; t++) {
                if (!s->targets[t].has_span)
                    continue;
                s->targets[t].start += off;
                s->targets[t].end += off;
                s->targets[t].norm_start += norm_base;
                s->targets[t].norm_end += norm_base;
            }
        }
        norm_base += norm_len;
        off = end;
    }
    if (st != DM_OK)
        while (out->n > first)
            dm_statement_list_pop_internal(out);
    return st;
}

dm_status dm_extract(const dm_extractor *ex, const dm_document *doc,
                     dm_statement_list *out, const dm_logger *logger,
                     dm_error *err)
{
    dm_status st = check_args(ex, doc, out, err, "dm_extract");
    if (st != DM_OK)
        return st;
    if (err)
        dm_error_clear(err);
    if (doc->text_len > ex->window)
        return extract_windows(ex, doc, out, logger, err);
    size_t norm_len;
    return extract_whole(ex, doc, out, logger, err, &norm_len);
}

dm_status dm_extract_given(const dm_extractor *ex, const dm_document *doc,
                           dm_statement_list *out, const dm_logger *logger,
                           dm_error *err)
{
    dm_status st = check_args(ex, doc, out, err, "dm_extract_given");
    if (st != DM_OK)
        return st;
    if (err)
        dm_error_clear(err);
    dm_doc d;
    /* A given statement needs only its text: no quotes, no sentences. */
    st = dm_doc_open_text(&d, ex, doc, 0, logger, err);
    if (st != DM_OK)
        return st;
    borrow_array(&d, out);
    dm_statement *s = dm_statement_list_push(&d.tmp);
    if (!s)
        return fail(&d, DM_E_NOMEM);
    dm_span all = {0, d.len};
    s->kind = DM_KIND_GIVEN;
    s->attribution = DM_ATTR_GIVEN;
    s->norm_start = 0;
    s->norm_end = d.len;
    s->start = d.len ? dm_text_orig_start(d.text, 0) : 0;
    s->end = d.len ? dm_text_orig_end(d.text, d.len) : s->start;
    s->text = dm_span_dup(d.s, all);
    if (!s->text || (doc->speaker && !(s->speaker = strdup(doc->speaker))) ||
        (doc->speaker_actor && !(s->speaker_actor = strdup(doc->speaker_actor))))
        return fail(&d, DM_E_NOMEM);
    dm_target_acc acc = {0};
    st = dm_targets_scan(ex->actors, d.datep, d.s, all, NULL, 0, &acc, err);
    if (st == DM_OK)
        st = dm_targets_commit(d.text, &acc, s);
    else
        dm_targets_release(&acc);
    if (st == DM_OK)
        st = move_out(&d, out);
    if (st != DM_OK)
        return fail(&d, st);
    dm_doc_close_text(&d); /* all a given statement opened */
    return DM_OK;
}
