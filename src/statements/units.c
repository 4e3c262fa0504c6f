/* Word units of normalised text (see units_internal.h). */
#include "statements/units_internal.h"
#include "core/bytes_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

static bool icu_word_char(UChar32 c)
{
    if (c < 0)
        return false;
    if (u_isalnum(c))
        return true;
    int8_t t = u_charType(c);
    return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK ||
           t == U_ENCLOSING_MARK;
}

/* ICU's answers for the 128 ASCII code points, asked once: the scan asks
 * them of every character (a call into ICU each, 40% of dm_units_scan on
 * UN speeches), and nearly every character is ASCII. Non-ASCII code
 * points still ask ICU. */
enum { ASCII_SPACE = 1, ASCII_WORD = 2, ASCII_CAP = 4 };
static uint8_t ascii_class[128];
/* Each byte's letter index in dm_unit_pair (a-z and A-Z: 1-26, any other
 * ASCII byte 0), 0x80 for a byte of 0x80 or more. */
static uint8_t pair_letter[256];
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;

static void fill_ascii_class(void)
{
    for (UChar32 c = 0; c < 128; c++)
        ascii_class[c] = (uint8_t)((u_isUWhiteSpace(c) || c == '\n' ? ASCII_SPACE : 0) |
                                   (icu_word_char(c) ? ASCII_WORD : 0) |
                                   (u_isupper(c) || u_istitle(c) ? ASCII_CAP : 0));
    for (unsigned b = 0; b < 256; b++)
        pair_letter[b] = (uint8_t)(b < 0x80 ? dm_unit_pair((unsigned char)b, 0) / 27u : 0x80);
}

static bool is_word_char(UChar32 c)
{
    if (c >= 0 && c < 128)
        return ascii_class[c] & ASCII_WORD;
    return icu_word_char(c);
}

static UChar32 peek(const char *s, size_t len, size_t i)
{
    if (i >= len)
        return -1;
    if ((unsigned char)s[i] < 0x80)
        return (unsigned char)s[i];
    UChar32 c;
    int32_t j = (int32_t)i;
    U8_NEXT_OR_FFFD(s, j, (int32_t)len, c);
    return c;
}

static bool grow(dm_units *out, size_t *cap)
{
    size_t nc = *cap ? *cap * 2 : 256;
    dm_unit *v = realloc(out->v, nc * sizeof *v);
    if (!v)
        return false;
    out->v = v;
    *cap = nc;
    return true;
}

/* Inline: once per unit, and nearly always with room. */
static inline dm_status push(dm_units *out, size_t *cap, const dm_unit *u)
{
    if (out->n == *cap && !grow(out, cap))
        return DM_E_NOMEM;
    out->v[out->n++] = *u;
    return DM_OK;
}

/* Lowercase modifiers after the hyphen of a capitalised compound
 * ("Manhattan-made", "Texas-based"): such a word describes the name after
 * it. */
static bool modifier_tail(const char *t, size_t n)
{
    static const char *const TAILS[] = {
        "made", "area", "based", "born", "bred", "raised", "style", "era", "backed",
        "led", "owned", "funded", "leaning", "allied", NULL};
    for (size_t k = 0; TAILS[k]; k++)
        if (strlen(TAILS[k]) == n && memcmp(TAILS[k], t, n) == 0)
            return true;
    return false;
}

/* Auxiliaries, "See" and "Neither", capitalised (ASCII, no case folding):
 * they open questions and sentences, and are no given names ("Does Ruiz
 * really think so?", "See Ortiz's essay"). Found once here: tested at
 * every capital word with the function words, their letter pairs ("Wa",
 * "Ha", "Do"...) sent most names to the folded comparison (+3.7% of
 * dm_extract's instructions). */
static bool opener_word(const char *w, size_t n)
{
    static const char *const OPENERS[8][9] = {
        [2] = {"do", "is"},
        [3] = {"see", "nor", "did", "are", "was", "has", "had", "can"},
        [4] = {"does", "were", "have", "must"},
        [5] = {"could", "would"},
        [6] = {"either", "should"},
        [7] = {"neither"},
    };
    if (n < 2 || n > 7)
        return false;
    for (size_t k = 0; OPENERS[n][k]; k++)
        if (OPENERS[n][k][0] == (w[0] | 0x20) && memcmp(OPENERS[n][k] + 1, w + 1, n - 1) == 0)
            return true;
    return false;
}

/* dm_unit_key of the word at s[start..start+n), eight bytes at once when
 * they are there to read: no byte of 0x80 or more, A-Z lowered. */
static uint64_t word_key(const char *s, size_t len, size_t start, size_t n)
{
    if (n > 8 || start + 8 > len)
        return dm_unit_key(s + start, n);
    uint64_t v = dm_bytes_load8(s + start);
    if (n < 8)
        v &= (UINT64_C(1) << (8 * n)) - 1;
    if (v & DM_BYTES_HIGH)
        return 0;
    /* each byte below 0x80: adding 0x80 - 'A' sets its high bit when it
     * is 'A' or more, adding 0x7F - 'Z' when it is above 'Z' */
    uint64_t ge_a = v + DM_BYTES_ONES * (0x80 - 'A');
    uint64_t gt_z = v + DM_BYTES_ONES * (0x7F - 'Z');
    uint64_t upper = ge_a & ~gt_z & DM_BYTES_HIGH;
    return v | (upper >> 2); /* 0x80 >> 2 is 0x20, the case bit */
}

dm_status dm_units_scan(const char *s, size_t len, dm_units *out)
{
    if (!s || !out)
        return DM_E_INVALID_ARG;
    out->v = NULL;
    out->n = 0;
    size_t cap = 0;
    size_t i = 0;
    if (len > INT32_MAX)
        return DM_E_INVALID_ARG;
    pthread_once(&ascii_once, fill_ascii_class);
    /* room for a unit every 5 bytes (UN speeches have one every 5.5): the
     * doublings from 256 copied the array a dozen times */
    cap = len / 5 + 64;
    out->v = malloc(cap * sizeof *out->v);
    if (!out->v)
        return DM_E_NOMEM;
    while (i < len) {
        int32_t j = (int32_t)i;
        UChar32 c;
        unsigned cls;
        if ((unsigned char)s[i] < 0x80) {
            c = (unsigned char)s[i];
            j++;
            cls = ascii_class[c];
        } else {
            U8_NEXT_OR_FFFD(s, j, (int32_t)len, c);
            cls = (u_isUWhiteSpace(c) ? ASCII_SPACE : 0) |
                  (icu_word_char(c) ? ASCII_WORD : 0) |
                  (u_isupper(c) || u_istitle(c) ? ASCII_CAP : 0);
        }
        if (cls & ASCII_SPACE) {
            i = (size_t)j;
            continue;
        }
        dm_unit u = {.start = i, .end = (size_t)j, .word = false, .ch = c};
        if (!(cls & ASCII_WORD)) {
            if (push(out, &cap, &u) != DM_OK)
                return DM_E_NOMEM;
            i = (size_t)j;
            continue;
        }
        u.word = true;
        u.cap = (cls & ASCII_CAP) != 0;
        size_t seg_letters = 1;     /* letters since the last joiner */
        bool all_single = true;     /* every segment so far one letter: U.S */
        size_t hyph = 0;            /* start of the part after the last hyphen */
        size_t k = (size_t)j;
        for (;;) {
            /* a run of ASCII word characters at once, a table test each
             * (what peek and is_word_char say of them) */
            size_t run = k;
            while (run < len && (unsigned char)s[run] < 0x80 &&
                   (ascii_class[(unsigned char)s[run]] & ASCII_WORD))
                run++;
            seg_letters += run - k;
            k = run;
            UChar32 d = peek(s, len, k);
            if (d >= 0 && is_word_char(d)) {
                k += (size_t)U8_LENGTH(d);
                seg_letters++;
                continue;
            }
            if (d == '\'' || d == '-' || d == '.') {
                UChar32 e = peek(s, len, k + 1);
                bool joins = e >= 0 && is_word_char(e);
                if (d == '.' && joins && seg_letters != 1)
                    joins = false; /* only abbreviations: U.S, U.N, e.g */
                if (joins) {
                    if (d == '-')
                        hyph = k + 1;
                    if (seg_letters != 1)
                        all_single = false;
                    k += 1;
                    seg_letters = 0;
                    continue;
                }
                /* "U.S." / "F.": the final dot belongs to the initialism */
                if (d == '.' && seg_letters == 1 && all_single && u.cap)
                    k += 1;
            }
            break;
        }
        u.end = k;
        size_t wl = u.end - u.start;
        if (u.cap && hyph)
            u.modifier = modifier_tail(s + hyph, u.end - hyph);
        else if (u.cap && wl >= 2 && wl <= 7)
            u.opener = opener_word(s + u.start, wl);
        if (wl >= 2 && s[u.end - 1] == 's' && s[u.end - 2] == '\'')
            u.possessive = true;
        u.key = word_key(s, len, u.start, wl);
        {
            /* dm_unit_pair of its first two bytes (the second 0 for a word
             * of one), by the table; a non-ASCII one gives none */
            unsigned x = pair_letter[(unsigned char)s[u.start]];
            unsigned y = wl > 1 ? pair_letter[(unsigned char)s[u.start + 1]] : 0;
            u.pair = (uint16_t)((x | y) & 0x80 ? DM_UNIT_NO_PAIR : x * 27u + y);
        }
        if (push(out, &cap, &u) != DM_OK)
            return DM_E_NOMEM;
        i = k;
    }
    return DM_OK;
}

void dm_units_free(dm_units *u)
{
    if (!u)
        return;
    free(u->v);
    u->v = NULL;
    u->n = 0;
}

size_t dm_units_at(const dm_units *u, size_t offset)
{
    size_t lo = 0, hi = u->n;
    /* The units of a text are spread about evenly over it: guess the index
     * from the offset, bracket the answer by doubling steps from there (a
     * few probes, where a search of the whole array takes eighteen on a
     * speech), then halve the bracket. The answer is the same: the first
     * unit starting at or after `offset`. */
    size_t n = u->n;
    if (n > 16 && u->v[n - 1].end > 0) {
        uint64_t g = (uint64_t)offset * n / u->v[n - 1].end;
        size_t guess = g < n ? (size_t)g : n - 1;
        if (u->v[guess].start < offset) {
            /* everything up to guess is before offset */
            lo = guess + 1;
            size_t p = lo, step = 1;
            while (p < n && u->v[p].start < offset) {
                lo = p + 1;
                p += step;
                step *= 2;
            }
            hi = p < n ? p : n;
        } else {
            /* guess and everything after it is at or after offset */
            hi = guess;
            lo = 0;
            size_t p = guess, step = 1;
            while (p > 0) {
                size_t q = p > step ? p - step : 0;
                if (u->v[q].start < offset) {
                    lo = q + 1;
                    break;
                }
                hi = q;
                p = q;
                step *= 2;
            }
        }
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u->v[mid].start < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool dm_unit_fold(const char *s, const dm_unit *u, char *buf, size_t size)
{
    size_t o = 0;
    int32_t i = (int32_t)u->start;
    int32_t end = (int32_t)u->end;
    while (i < end && (unsigned char)s[i] < 0x80) { /* ASCII fast path */
        if (o + 2 > size)
            return false;
        char ch = s[i++];
        buf[o++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
    }
    while (i < end) {
        UChar32 c;
        U8_NEXT_OR_FFFD(s, i, end, c);
        c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        if (o + U8_LENGTH(c) + 1 > size)
            return false;
        U8_APPEND_UNSAFE(buf, o, c);
    }
    buf[o] = '\0';
    return true;
}

bool dm_unit_is(const char *s, const dm_unit *u, const char *folded)
{
    char buf[64];
    if (!dm_unit_fold(s, u, buf, sizeof buf))
        return false;
    return strcmp(buf, folded) == 0;
}
