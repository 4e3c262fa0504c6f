/* Quote pairing (see quotes_internal.h).
 *
 * After normalisation every double quote is '"' and every single one '\''.
 * A mark is an opener by position (after start/space/bracket/dash/colon,
 * before a non-space) and a closer by position (after a non-space, before
 * space/punctuation/end); the original typographic form (dm_quote_hint) only
 * breaks ties, because writers and converters misuse “ ” freely. A mark that
 * can be neither (spaces on both sides) is stray and ignored. An opener left
 * open at a paragraph end continues into the next paragraph if that one opens
 * with a quote and it ended with a full sentence (the news convention for
 * multi-paragraph quotes), otherwise it
 * is closed at the paragraph end with a warning: nothing after it is lost. */
#include "statements/quotes_internal.h"
#include "core/log_internal.h"
#include "text/text_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define NO_POS ((size_t)-1)

typedef struct pairer {
    const dm_text *text;
    const char *s;
    dm_quotes *out;
    size_t cap_q, cap_p;
    const dm_logger *logger;
    const char *doc_id;
} pairer;

static UChar32 cp_before(const char *s, size_t lo, size_t i)
{
    if (i <= lo)
        return -1;
    int32_t j = (int32_t)i;
    UChar32 c;
    U8_PREV_OR_FFFD(s, (int32_t)lo, j, c);
    return c;
}

static UChar32 cp_after(const char *s, size_t i, size_t hi)
{
    if (i >= hi)
        return -1;
    int32_t j = (int32_t)i;
    UChar32 c;
    U8_NEXT_OR_FFFD(s, j, (int32_t)hi, c);
    return c;
}

static bool is_space(UChar32 c)
{
    return c == -1 || c == '\n' || u_isUWhiteSpace(c);
}

static bool is_dash(UChar32 c)
{
    return c == '-' || u_charType(c) == U_DASH_PUNCTUATION;
}

static bool opener_before(UChar32 p)
{
    return p == -1 || is_space(p) || p == '(' || p == '[' || p == '{' ||
           is_dash(p) || p == ':' || p == '/' || p == '\'' || p == '"';
}

static bool can_open(UChar32 p, UChar32 n)
{
    if (is_space(n) || n == ',' || n == '.' || n == ';' || n == ':' ||
        n == ')' || n == ']')
        return false;
    return opener_before(p);
}

static bool can_close(UChar32 p, UChar32 n)
{
    if (is_space(p) || p == '(' || p == '[' || p == '{')
        return false;
    return is_space(n) || !u_isalnum(n);
}

static dm_status add_piece(pairer *pairing, size_t a, size_t b)
{
    while (a < b && (pairing->s[a] == ' ' || pairing->s[a] == '\n'))
        a++;
    while (b > a && (pairing->s[b - 1] == ' ' || pairing->s[b - 1] == '\n'))
        b--;
    dm_quotes *q = pairing->out;
    if (q->n_pieces == pairing->cap_p) {
        size_t nc = pairing->cap_p ? pairing->cap_p * 2 : 64;
        dm_span *v = realloc(q->pieces, nc * sizeof *v);
        if (!v)
            return DM_E_NOMEM;
        q->pieces = v;
        pairing->cap_p = nc;
    }
    q->pieces[q->n_pieces++] = (dm_span){a, b};
    return DM_OK;
}

static dm_status add_quote(pairer *pairing, dm_quote quote)
{
    dm_quotes *q = pairing->out;
    /* drop quotes whose content is empty */
    size_t len = 0;
    for (size_t i = 0; i < quote.n_pieces; i++)
        len += q->pieces[quote.piece0 + i].end - q->pieces[quote.piece0 + i].start;
    if (len == 0) {
        q->n_pieces = quote.piece0;
        return DM_OK;
    }
    if (q->n == pairing->cap_q) {
        size_t nc = pairing->cap_q ? pairing->cap_q * 2 : 32;
        dm_quote *v = realloc(q->v, nc * sizeof *v);
        if (!v)
            return DM_E_NOMEM;
        q->v = v;
        pairing->cap_q = nc;
    }
    q->v[q->n++] = quote;
    return DM_OK;
}

static void warn_unbalanced(pairer *pairing, size_t mark)
{
    dm_log(pairing->logger, DM_LOG_WARNING, pairing->doc_id, 0,
           "unbalanced quote mark at byte %zu",
           dm_text_orig_start(pairing->text, mark));
}

/* Pair the single quotes of paragraph [a, b); double quotes of the paragraph
 * are out->v[dq0 .. out->n). */
static dm_status pair_singles(pairer *pairing, size_t a, size_t b, size_t dq0,
                              size_t para)
{
    const char *s = pairing->s;
    size_t dq_end = pairing->out->n;
    size_t open = NO_POS;
    long open_container = -2;
    size_t dk = dq0; /* double quotes are in order: walk along with i */
    for (size_t i = a; i < b; i++) {
        /* to the next mark at once (memchr: most bytes are none) */
        const char *mark = memchr(s + i, '\'', b - i);
        if (!mark)
            break;
        i = (size_t)(mark - s);
        UChar32 p = cp_before(s, a, i), n = cp_after(s, i + 1, b);
        bool letters_both = p >= 0 && n >= 0 && u_isalnum(p) && u_isalnum(n);
        if (letters_both)
            continue; /* an apostrophe inside a word is never a quote */
        while (dk < dq_end && pairing->out->v[dk].close < i)
            dk++;
        long container = -1;
        if (dk < dq_end && pairing->out->v[dk].open < i && i < pairing->out->v[dk].close)
            container = (long)dk;
        bool opens = opener_before(p) && n >= 0 && u_isalnum(n);
        bool closes = p >= 0 && (u_isalnum(p) || p == '.' || p == ',' ||
                                 p == '!' || p == '?') &&
                      (is_space(n) || !u_isalnum(n));
        if (open != NO_POS && closes && container == open_container) {
            dm_quote q = {.open = open, .close = i, .has_close = true,
                          .single = true, .nested = container >= 0,
                          .piece0 = pairing->out->n_pieces, .n_pieces = 1,
                          .para = para};
            dm_status st = add_piece(pairing, open + 1, i);
            if (st == DM_OK)
                st = add_quote(pairing, q);
            if (st != DM_OK)
                return st;
            open = NO_POS;
        } else if (opens) {
            open = i;
            open_container = container;
        }
    }
    return DM_OK;
}

static int quote_cmp(const void *x, const void *y)
{
    const dm_quote *a = x, *b = y;
    return a->open < b->open ? -1 : a->open > b->open;
}

dm_status dm_quotes_find(const dm_text *text, const dm_span *paras,
                         size_t n_paras, dm_quotes *out,
                         const dm_logger *logger, const char *doc_id)
{
    if (!text || !out || (!paras && n_paras))
        return DM_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    pairer pairing = {.text = text, .s = dm_text_norm(text), .out = out,
                .logger = logger, .doc_id = doc_id};
    const char *s = pairing.s;
    size_t open = NO_POS;        /* opening mark of the quote being read */
    size_t content = 0;          /* start of its current content piece */
    size_t piece0 = 0;           /* its first piece */
    size_t open_para = 0;
    dm_status st = DM_OK;
    for (size_t pi = 0; pi < n_paras && st == DM_OK; pi++) {
        size_t a = paras[pi].start, b = paras[pi].end;
        size_t dq0 = out->n;
        size_t skip = NO_POS;    /* continuation mark opening this paragraph */
        if (open != NO_POS) {
            skip = a;            /* checked below: paragraph opens with '"' */
            content = a + 1;
        }
        for (size_t i = a; i < b && st == DM_OK; i++) {
            /* to the next mark at once (memchr: most bytes are none) */
            const char *mark = memchr(s + i, '"', b - i);
            if (!mark)
                break;
            i = (size_t)(mark - s);
            if (i == skip)
                continue;
            UChar32 p = cp_before(s, a, i), n = cp_after(s, i + 1, b);
            bool o = can_open(p, n), c = can_close(p, n);
            if (o && c) {
                dm_quote_hint h = dm_text_quote_hint(text, i);
                if (h == DM_QUOTE_HINT_OPEN)
                    c = false;
                else if (h == DM_QUOTE_HINT_CLOSE)
                    o = false;
                else if (open != NO_POS)
                    o = false;
                else
                    c = false;
            }
            if (!o && !c) {
                /* French spacing: « text » (NBSP became a space). Only the
                 * typographic form can tell these from stray marks. */
                dm_quote_hint h = dm_text_quote_hint(text, i);
                UChar32 n2 = is_space(n) ? cp_after(s, i + 2, b) : -1;
                UChar32 p2 = is_space(p) && i >= a + 2 ? cp_before(s, a, i - 1) : -1;
                if (h == DM_QUOTE_HINT_OPEN && open == NO_POS && n >= 0 &&
                    n2 >= 0 && !is_space(n2) && opener_before(p))
                    o = true;
                else if (h == DM_QUOTE_HINT_CLOSE && open != NO_POS && p >= 0 &&
                         p2 >= 0 && !is_space(p2) && (is_space(n) || !u_isalnum(n)))
                    c = true;
                else if (open != NO_POS && (p == ',' || p == '.' || p == '?' || p == '!') &&
                         u_isalpha(n))
                    c = true; /* "Q,"Sorel: the space went with a deleted link */
                else
                    continue; /* stray mark */
            }
            if (open != NO_POS && c) {
                dm_quote q = {.open = open, .close = i, .has_close = true,
                              .piece0 = piece0, .para = open_para};
                st = add_piece(&pairing, content, i);
                q.n_pieces = out->n_pieces - piece0;
                if (st == DM_OK)
                    st = add_quote(&pairing, q);
                open = NO_POS;
            } else if (o) {
                if (open != NO_POS) {
                    /* an opener while open: the earlier one was unbalanced */
                    warn_unbalanced(&pairing, open);
                    out->n_pieces = piece0;
                }
                open = i;
                content = i + 1;
                piece0 = out->n_pieces;
                open_para = pi;
            }
        }
        if (st == DM_OK && open != NO_POS) {
            bool continues = false;
            if (pi + 1 < n_paras) {
                size_t na = paras[pi + 1].start, nb = paras[pi + 1].end;
                /* a quote carried over ends its paragraph with a full
                 * sentence; a dangling fragment is an unbalanced mark */
                size_t e = b;
                while (e > content && (s[e - 1] == ' ' || s[e - 1] == '\''))
                    e--;
                bool sentence_end = e > content &&
                                    (s[e - 1] == '.' || s[e - 1] == '?' ||
                                     s[e - 1] == '!' || s[e - 1] == ':');
                continues = sentence_end && na < nb && s[na] == '"' &&
                            can_open(-1, cp_after(s, na + 1, nb));
            }
            st = add_piece(&pairing, content, b);
            if (st == DM_OK && !continues) {
                warn_unbalanced(&pairing, open);
                dm_quote q = {.open = open, .close = b, .has_close = false,
                              .piece0 = piece0, .para = open_para,
                              .n_pieces = out->n_pieces - piece0};
                st = add_quote(&pairing, q);
                open = NO_POS;
            }
        }
        if (st == DM_OK)
            st = pair_singles(&pairing, a, b, dq0, pi);
    }
    if (st != DM_OK) {
        dm_quotes_free(out);
        return st;
    }
    if (out->n > 1) /* qsort(NULL, 0) is undefined (UBSan: nonnull argument) */
        qsort(out->v, out->n, sizeof *out->v, quote_cmp);
    return DM_OK;
}

void dm_quotes_free(dm_quotes *q)
{
    if (!q)
        return;
    free(q->v);
    free(q->pieces);
    memset(q, 0, sizeof *q);
}

size_t dm_quotes_containing(const dm_quotes *q, size_t off)
{
    /* last quote opening before off, then back over nested ones */
    size_t lo = 0, hi = q->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (q->v[mid].open < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo, steps = 0; i-- > 0 && steps < 16; steps++) {
        const dm_quote *x = &q->v[i];
        if (x->nested)
            continue;
        size_t end = q->pieces[x->piece0 + x->n_pieces - 1].end;
        if (off > x->open && off < (x->has_close ? x->close : end + 1))
            return i;
        return (size_t)-1; /* outer quotes do not overlap */
    }
    return (size_t)-1;
}
