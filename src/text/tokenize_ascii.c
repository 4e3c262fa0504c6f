/* Plain ASCII without ICU (tokenize.c's dm_tokenize takes this path).
 *
 * ICU's word breaking was 12% of demarche-score --statements'
 * instructions, and most texts are plain ASCII, where the rules of UAX #29
 * that ICU applies come down to a few:
 *   - letters and digits never break among themselves (WB5, WB8-WB10): a
 *     run of them is one segment, a word (rule status "letter") when it has
 *     letters only, a number when it has digits only;
 *   - every other byte is outside words; how ICU groups such bytes into
 *     segments does not matter, since add_punctuation makes one token per
 *     mark of a non-word segment whatever its extent.
 * What joins across another byte is left to ICU: a MidLetter, MidNum,
 * MidNumLet or Single_Quote byte ('.', '\'', ':', ',', ';') between two
 * letters or digits ("U.S", "don't", "3.5", "1,000"), an ExtendNumLet ('_')
 * or an '@' (a letter to ICU: "x@" is one word) anywhere, and so are runs
 * that mix letters and digits (their rule status is that of ICU's last
 * rule: "a1" is a number, "1a" a word). ICU takes the chunk of such a byte
 * or run, up to the white space or control bytes around it: in plain ASCII
 * ICU breaks on both sides of those, whatever is beside them (UAX #29 WB3a,
 * WB3b, WB3d and WB999; ASCII has no Extend or Format for WB4 to attach),
 * and none of the rules that join looks past one, so ICU makes the same
 * segments of the chunk alone as of the whole text (one text in six had
 * such a byte and went to ICU whole: ICU's word breaking cost ~20,000
 * instructions a text). A byte beyond ASCII sends its chunk to ICU the
 * same way, the chunk grown until ASCII is on both sides of the white
 * space that ends it (icu_chunk): it sent the whole text to ICU before,
 * ~36,000 instructions a text, one UN sentence in 17. test_text compares
 * the two on every string of up to three printable ASCII bytes, every
 * four-byte string of the bytes around which ICU joins or breaks, long
 * random ones, and random mixes of ASCII with characters of every
 * Word_Break class beyond it. */

#include "text/tokenize_internal.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

/* What each byte is to the ASCII path, one load a byte: a letter, a
 * digit, a byte that joins two of them, one that only ICU may take (beyond
 * ASCII, '_', '@'), white space or a control (no token: the bytes of
 * dm_ascii_unmarked, which test_text checks against ICU's properties). Range
 * designators are GNU C, as the build is (-D_GNU_SOURCE, gcc and clang). */
enum { B_LETTER = 1, B_DIGIT = 2, B_JOINS = 4, B_ICU = 8, B_UNMARKED = 16 };
static const unsigned char byte_class[256] = {
    [0x00 ... 0x20] = B_UNMARKED, [0x7f] = B_UNMARKED,
    ['a' ... 'z'] = B_LETTER, ['A' ... 'Z'] = B_LETTER, ['0' ... '9'] = B_DIGIT,
    ['.'] = B_JOINS, ['\''] = B_JOINS, [':'] = B_JOINS, [','] = B_JOINS, [';'] = B_JOINS,
    ['_'] = B_ICU, ['@'] = B_ICU, [0x80 ... 0xff] = B_ICU,
};

/* A token of plain ASCII whose folded bytes (n of them) were written at
 * the pool's end; the NUL is added here. */
static void end_ascii_token(token_builder *tb, size_t start, size_t n,
                            dm_token_kind kind, bool capitalized)
{
    if (!token_room(tb))
        return;
    tb->pool[tb->pool_len + n] = '\0';
    dm_token *t = &tb->v[tb->n++];
    t->start = start;
    t->end = start + n;
    t->kind = kind;
    t->folded = (const char *)(uintptr_t)tb->pool_len;
    t->folded_len = n;
    t->capitalized = capitalized;
    tb->pool_len += n + 1;
}

static inline bool delimiter(unsigned char c)
{
    return byte_class[c] & B_UNMARKED;
}

/* ICU's tokens of the chunk around byte p of s (see above), in place of
 * those made of its bytes already; the chunk's end. The chunk is the run
 * of bytes between white space or control bytes (delimiters) around p,
 * grown to the next such run while a byte beyond ASCII is beside the
 * delimiters at an edge, so that ICU always sees ASCII on both sides of
 * the delimiters that end it: a character beyond ASCII may be one that
 * UAX #29 attaches to the white space before it (WB4: Extend, Format, ZWJ)
 * or joins to a space (WB3d: WSegSpace). It is also grown over a following
 * run that has a byte beyond ASCII, so that a text of many such words goes
 * to ICU in few calls. */
static size_t icu_chunk(const char *s, size_t len, size_t p, token_builder *tb)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t cs = p, ce = p;
    for (;;) {
        while (cs > 0 && !delimiter(u[cs - 1]))
            cs--;
        if (cs == 0)
            break;
        size_t ds = cs; /* the delimiters before the chunk: [ds, cs) */
        while (ds > 0 && delimiter(u[ds - 1]))
            ds--;
        if (u[cs] < 0x80 && (ds == 0 || u[ds - 1] < 0x80))
            break;
        cs = ds;
    }
    for (;;) {
        while (ce < len && !delimiter(u[ce]))
            ce++;
        if (ce == len)
            break;
        size_t de = ce; /* the delimiters after the chunk: [ce, de) */
        while (de < len && delimiter(u[de]))
            de++;
        bool beyond = u[ce - 1] >= 0x80;
        for (size_t q = de; !beyond && q < len && !delimiter(u[q]); q++)
            beyond = u[q] >= 0x80;
        if (!beyond)
            break;
        ce = de;
    }
    while (tb->n > 0 && tb->v[tb->n - 1].start >= cs) /* still offsets */
        tb->pool_len = (size_t)(uintptr_t)tb->v[--tb->n].folded;
    UErrorCode st = U_ZERO_ERROR;
    const int32_t *map;
    UBreakIterator *bi = dm_text_word_iterator(s + cs, ce - cs, &map, &st);
    if (!bi) {
        tb->status = DM_E_INTERNAL;
        tb->icu_status = st;
        return ce;
    }
    dm_tokenize_icu_segments(bi, map, s, cs, tb);
    /* ASCII folds to as many bytes: the pool keeps its 2 bytes a byte */
    pool_reserve(tb, 2 * (len - ce) + 1);
    return ce;
}

/* One pass: the tokens are made as the bytes are read; a byte that ICU
 * must see (beyond ASCII, or one of those above) sends its chunk to ICU
 * (icu_chunk). The folding of ASCII is A-Z to
 * a-z (ICU's full case folding of ASCII; test_text), so the folded bytes
 * are written while the run is read. */
void dm_tokenize_ascii(const char *s, size_t len, token_builder *tb)
{
    const unsigned char *u = (const unsigned char *)s;
    /* a byte a token at most (marks), each with its NUL: no check per token */
    if (!pool_reserve(tb, 2 * len + 1))
        return; /* tb->status tells */
    size_t i = 0, icu_at;
    while (i < len && tb->status == DM_OK) {
        size_t start = i;
        unsigned k = byte_class[u[i]];
        if (!(k & (B_LETTER | B_DIGIT))) {
            for (; i < len && !((k = byte_class[u[i]]) & (B_LETTER | B_DIGIT)); i++) {
                if (k & B_ICU) {
                    icu_at = i;
                    goto icu;
                }
                if (k & B_UNMARKED)
                    continue;
                /* a mark: a token of its own, folded to itself */
                tb->pool[tb->pool_len] = (char)u[i];
                end_ascii_token(tb, i, 1, DM_TOKEN_PUNCT, false);
            }
            /* a joining byte alone between two letters or digits */
            if (i - start == 1 && start > 0 && i < len && (byte_class[u[start]] & B_JOINS)) {
                icu_at = start;
                goto icu;
            }
            continue;
        }
        char *dst = tb->pool + tb->pool_len;
        unsigned seen = 0; /* B_LETTER and B_DIGIT met */
#if defined(__SSE2__) && defined(__GNUC__)
        /* 16 bytes at a time while 16 are left (a word is ~5 letters: most
         * end in the first block), the rest a byte at a time below. The
         * block is written folded whole: the bytes past the run are written
         * over by the NUL and the next tokens. The pool has room: at input
         * byte i the tokens before took at most 2 bytes a byte (what
         * dm_tokenize_ascii and icu_chunk reserve, 2 a byte left), so the
         * block's end is at most 2 * start + (i - start) + 16 <= 2 * len
         * pool bytes past the reserve's base, as i + 16 <= len. */
        while (i + 16 <= len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(u + i));
            __m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20)); /* A-Z to a-z */
            /* x in [lo, lo + n) as one signed compare: x - lo - 128 < n - 128
             * (bytes beyond ASCII are in neither range) */
            __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(low, _mm_set1_epi8((char)(-128 - 'a'))),
                                            _mm_set1_epi8(-128 + 26));
            __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(-128 - '0'))),
                                           _mm_set1_epi8(-128 + 10));
            unsigned ml = (unsigned)_mm_movemask_epi8(letter);
            unsigned md = (unsigned)_mm_movemask_epi8(digit);
            _mm_storeu_si128((__m128i *)dst, low); /* digits have the bit already */
            unsigned stop = ~(ml | md) & 0xffffu;
            unsigned run = stop ? (unsigned)__builtin_ctz(stop) : 16;
            unsigned keep = (1u << run) - 1;
            seen |= ((ml & keep) ? B_LETTER : 0) | ((md & keep) ? B_DIGIT : 0);
            i += run;
            dst += run;
            if (stop)
                goto ended;
        }
#endif
        for (; i < len && ((k = byte_class[u[i]]) & (B_LETTER | B_DIGIT)); i++) {
            seen |= k;
            *dst++ = (char)(u[i] | 0x20); /* digits have the bit already */
        }
#if defined(__SSE2__) && defined(__GNUC__)
    ended:
#endif
        if (seen == (B_LETTER | B_DIGIT)) {
            icu_at = start;
            goto icu;
        }
        end_ascii_token(tb, start, i - start, seen == B_LETTER ? DM_TOKEN_WORD : DM_TOKEN_NUMBER,
                        seen == B_LETTER && u[start] <= 'Z');
        /* the commonest gap, one space before the next word: no token, and
         * not a joining byte (the loop above would skip it the same) */
        if (i + 1 < len && u[i] == ' ' && (byte_class[u[i + 1]] & (B_LETTER | B_DIGIT)))
            i++;
        continue;
    icu:
        i = icu_chunk(s, len, icu_at, tb);
    }
}

