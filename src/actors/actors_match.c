/* Finding actor mentions in text: dm_actors_find, _lookup, _role_actor.
 *
 * At each word start (an alphanumeric code point after a non-alphanumeric
 * one, ICU u_isalnum) the case-folded first word selects a bucket of names,
 * tried longest first; the first that matches wins and scanning resumes after
 * it. No regular expressions: one hash lookup per word. */
#include "actors/actors_internal.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

#define NO_MATCH ((size_t)-1)

/* The folded ASCII alphanumerics (A-Z lower-cased, which is all ICU's
 * folding does to ASCII; the bytes is_alnum accepts below 0x80); 0 for every
 * other byte. */
static const unsigned char ASCII_FOLDED[256] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
    ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
    ['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j',
    ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o',
    ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't',
    ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
    ['Z'] = 'z',
    ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e',
    ['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j',
    ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['o'] = 'o',
    ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
    ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y',
    ['z'] = 'z',
};

/* u_isalnum with an ASCII fast path (same answer: [0-9A-Za-z]). */
static inline bool is_alnum(UChar32 c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    return u_isalnum(c);
}

static inline UChar32 fold(UChar32 c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    return u_foldCase(c, U_FOLD_CASE_DEFAULT);
}

static bool is_upperish(UChar32 c)
{
    return u_isupper(c) || u_istitle(c);
}

static bool alnum_at(const char *t, size_t len, size_t i)
{
    if (i >= len)
        return false;
    UChar32 c;
    U8_NEXT(t, i, len, c);
    return c >= 0 && is_alnum(c);
}

/* The code point ending at byte i; *start receives where it begins.
 * (U8_PREV wants an int32_t offset: texts are below 2 GiB.) */
static UChar32 prev_cp(const char *t, size_t i, size_t *start)
{
    int32_t k = (int32_t)i;
    UChar32 c;
    U8_PREV(t, 0, k, c);
    *start = (size_t)k;
    return c;
}

static bool alnum_before(const char *t, size_t i)
{
    if (i == 0)
        return false;
    size_t s;
    UChar32 c = prev_cp(t, i, &s);
    return c >= 0 && is_alnum(c);
}

/* End of the word (alphanumeric run) starting at i. */
static size_t word_end(const char *t, size_t len, size_t i)
{
    while (i < len) {
        size_t prev = i;
        UChar32 c;
        U8_NEXT(t, i, len, c);
        if (c < 0 || !is_alnum(c))
            return prev;
    }
    return len;
}

/* Letters in [a, b): *upper and *lower counts. */
static void count_case(const char *t, size_t a, size_t b, size_t *upper,
                       size_t *lower)
{
    *upper = *lower = 0;
    while (a < b) {
        UChar32 c;
        U8_NEXT(t, a, b, c);
        if (c < 0)
            continue;
        if (u_islower(c))
            (*lower)++;
        else if (is_upperish(c))
            (*upper)++;
    }
}

/* Is the word at [a, b) in an all-capital stretch of text: itself all caps,
 * and its neighbouring words (if any, on the same line) all caps too? */
static bool caps_context(const char *t, size_t len, size_t a, size_t b)
{
    size_t up, low;
    count_case(t, a, b, &up, &low);
    if (low > 0 || up < 2)
        return false;
    /* previous word */
    size_t i = a;
    while (i > 0) {
        size_t j;
        UChar32 c = prev_cp(t, i, &j);
        if (c == '\n')
            break;
        if (c >= 0 && is_alnum(c)) {
            size_t e = i, s = j;
            while (s > 0) {
                size_t k;
                c = prev_cp(t, s, &k);
                if (c < 0 || !is_alnum(c))
                    break;
                s = k;
            }
            count_case(t, s, e, &up, &low);
            if (low > 0)
                return false;
            break;
        }
        i = j;
    }
    /* next word */
    i = b;
    while (i < len) {
        size_t j = i;
        UChar32 c;
        U8_NEXT(t, j, len, c);
        if (c == '\n')
            break;
        if (c >= 0 && is_alnum(c)) {
            count_case(t, i, word_end(t, len, i), &up, &low);
            return low == 0;
        }
        i = j;
    }
    return true;
}

/* Compare name nm with text at pos; returns the end of the match or NO_MATCH.
 * ci: compare case-folded. fast: an ASCII name takes the short way (the
 * unit tests hold it to the code point loop's answers). */
static size_t compare_at(const dm_name *nm, const char *t, size_t len,
                         size_t pos, bool ci, bool fast)
{
    if (fast && nm->ascii) {
        /* An ASCII name, byte by byte: the loop below's answer. Case-
         * sensitive, each code point of a match is the name's byte (the
         * first may be its capital, ASCII too); folded, a non-ASCII code
         * point may fold to an ASCII letter (U+212A K): the loop decides
         * from the first non-ASCII byte met before a difference. */
        const unsigned char *u = (const unsigned char *)t + pos;
        const unsigned char *w = (const unsigned char *)nm->text;
        size_t n = nm->len;
        if (!ci) {
            if (n > len - pos)
                return NO_MATCH;
            if (u[0] != w[0] && !(w[0] >= 'a' && w[0] <= 'z' && u[0] == w[0] - 32))
                return NO_MATCH;
            for (size_t k = 1; k < n; k++)
                if (u[k] != w[k])
                    return NO_MATCH;
        } else {
            size_t k = 0;
            for (; k < n && k < len - pos; k++) {
                if (u[k] >= 0x80)
                    break;
                if (u[k] != w[k] && fold(u[k]) != fold(w[k]))
                    return NO_MATCH;
            }
            if (k < n)
                goto general; /* a non-ASCII byte, or the end of the text */
        }
        if (ASCII_FOLDED[w[n - 1]] && alnum_at(t, len, pos + n))
            return NO_MATCH;
        return pos + n;
    }
general:;
    size_t i = 0, j = pos;
    UChar32 nc = 0;
    bool first = true;
    while (i < nm->len) {
        UChar32 tc;
        if (j >= len)
            return NO_MATCH;
        U8_NEXT(nm->text, i, nm->len, nc);
        U8_NEXT(t, j, len, tc);
        if (tc < 0)
            return NO_MATCH;
        if (nc != tc) {
            if (ci) {
                if (fold(nc) != fold(tc))
                    return NO_MATCH;
            } else if (!(first && (tc == u_toupper(nc) || tc == u_totitle(nc)))) {
                return NO_MATCH;
            }
        }
        first = false;
    }
    if (is_alnum(nc) && alnum_at(t, len, j))
        return NO_MATCH;
    return j;
}

/* Phoenix names are upper case: the text must look like a name. */
static bool capitalised_enough(const dm_name *nm, const char *t, size_t a,
                               size_t b)
{
    size_t up, low;
    if (nm->short_acronym) {
        count_case(t, a, b, &up, &low);
        return low == 0;
    }
    size_t i = a;
    UChar32 c;
    U8_NEXT(t, i, b, c);
    if (c < 0 || !is_upperish(c))
        return false;
    size_t last = a;
    for (size_t k = a; k < b; k++)
        if (t[k] == ' ')
            last = k + 1;
    i = last;
    U8_NEXT(t, i, b, c);
    return c >= 0 && (is_upperish(c) || !u_isalpha(c));
}

/* The common case of match_at's word, in one pass: an ASCII word followed
 * by an ASCII byte (or the end). Sets *we to its end and writes it folded
 * (A-Z lower-cased, which is all ICU's folding does to ASCII) into buf, *o
 * bytes. False when the word runs into a non-ASCII byte or is too long for
 * buf (the same limit as the general path): the caller then takes the
 * general path, which answers the same for ASCII words. */
static bool ascii_word(const char *t, size_t len, size_t pos, char *buf,
                       size_t size, size_t *we, size_t *o)
{
    /* longest word the general path accepts: 2 * wl + 4 <= size */
    size_t end = size >= 4 ? pos + (size - 4) / 2 : pos;
    size_t i = pos;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        unsigned char f = ASCII_FOLDED[c];
        if (!f) {
            if (c >= 0x80)
                return false;
            break;
        }
        if (i >= end)
            return false;
        buf[i - pos] = (char)f;
    }
    *we = i;
    *o = i - pos;
    return true;
}

/* Try every name starting with the word at pos; fill *nm_out and the end.
 * *word_out receives the end of the word when it was found (else pos): on
 * NO_MATCH the scan may go on from there, since no word starts inside it. */
static size_t match_at(const dm_actors *a, const char *t, size_t len,
                       size_t pos, bool fast, const dm_name **nm_out, size_t *word_out)
{
    *word_out = pos;
    char buf[256];
    size_t we, o;
    if (!ascii_word(t, len, pos, buf, sizeof buf, &we, &o)) {
        we = word_end(t, len, pos);
        size_t wl = we - pos;
        if (wl == 0 || 2 * wl + 4 > sizeof buf)
            return NO_MATCH;
        size_t i = pos;
        o = 0;
        while (i < we) {
            UChar32 c;
            U8_NEXT(t, i, we, c);
            if (c < 0)
                return NO_MATCH;
            c = fold(c);
            UBool bad = false;
            U8_APPEND(buf, o, sizeof buf - 1, c, bad);
            if (bad)
                return NO_MATCH;
        }
    }
    if (we == pos)
        return NO_MATCH;
    *word_out = we;
    /* most words start no name: their filter bit is clear */
    uint32_t bit = dm_actors_word_filter(buf, o);
    if (!(a->word_filter[bit / 64] >> (bit % 64) & 1))
        return NO_MATCH;
    buf[o] = '\0';
    /* the folded-word map lookup, inlined to avoid exposing the map */
    const dm_strmap *m = &a->first_word;
    if (m->cap == 0)
        return NO_MATCH;
    long b = -1;
    size_t mask = m->cap - 1;
    for (size_t k = dm_actors_hash(buf, o) & mask; m->keys[k]; k = (k + 1) & mask) {
        if (strncmp(m->keys[k], buf, o) == 0 && m->keys[k][o] == '\0') {
            b = (long)m->vals[k];
            break;
        }
    }
    if (b < 0)
        return NO_MATCH;
    const dm_u32vec *v = &a->buckets[b];
    int caps = -1; /* computed on demand */
    size_t fi = pos;
    UChar32 first;
    U8_NEXT(t, fi, len, first);
    /* Phoenix names need a capital: skip them all on a lower-case word */
    bool capitalised = first >= 0 && is_upperish(first);
    for (uint32_t k = 0; k < v->n; k++) {
        const dm_name *nm = &a->names[v->v[k]];
        bool ci = nm->case_mode == DM_NAME_CAPITALISED_CI;
        if (ci && !capitalised)
            continue;
        size_t end = compare_at(nm, t, len, pos, ci, fast);
        if (end != NO_MATCH && ci && !capitalised_enough(nm, t, pos, end))
            end = NO_MATCH;
        if (end == NO_MATCH && !ci) {
            if (caps < 0)
                caps = caps_context(t, len, pos, we);
            if (caps) {
                end = compare_at(nm, t, len, pos, true, fast);
                size_t up, low;
                if (end != NO_MATCH) {
                    count_case(t, pos, end, &up, &low);
                    if (low > 0)
                        end = NO_MATCH;
                }
            }
        }
        if (end != NO_MATCH) {
            *nm_out = nm;
            return end;
        }
    }
    return NO_MATCH;
}

static bool the_before(const char *t, size_t pos)
{
    if (pos < 4 || t[pos - 1] != ' ')
        return false;
    if (dm_actors_strip_the(t + pos - 4, 5) != 4)
        return false;
    return !alnum_before(t, pos - 4);
}

static bool fill_match(const dm_actors *a, const dm_name *nm, bool has_date,
                       int32_t qf, int32_t qt, dm_actor_match *m)
{
    const dm_entity *e = &a->entities[nm->entity];
    bool dated_ok;
    const dm_sense *s = dm_actors_pick_sense(a, e, has_date, qf, qt, &dated_ok);
    if (!s)
        return false;
    m->code = s->code;
    m->role = dated_ok ? s->role : NULL;
    m->name = e->canonical;
    m->kind = e->kind;
    return true;
}

/* The scan's maps of a text: three words per 64 bytes, bit k of each for
 * byte k of the block. ALNUM: an ASCII letter or digit ([0-9A-Za-z],
 * is_alnum's answer below 0x80); HIGH: a byte >= 0x80; STOPS: HIGH, and the
 * ALNUM bytes whose byte before is not ALNUM (or that start the text): a
 * word start wherever the code point loop's state before it is "no
 * alphanumeric", which skip_plain sees to. Bits past the end are clear; a
 * last block after the text has STOPS all set (the searches end there). */
enum { MAP_ALNUM = 0, MAP_HIGH = 1, MAP_STOPS = 2, MAP_WORDS = 3 };

static void block_maps(const unsigned char *p, uint64_t *m)
{
    uint64_t al = 0, hi = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    /* 16 bytes at a time (SSE2, which every x86-64 has); signed compares:
     * a byte >= 0x80 is negative, below every bound */
    for (int k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i y = _mm_or_si128(x, _mm_set1_epi8(0x20)); /* A-Z -> a-z */
        __m128i d = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
        __m128i l = _mm_and_si128(_mm_cmpgt_epi8(y, _mm_set1_epi8('a' - 1)),
                                  _mm_cmplt_epi8(y, _mm_set1_epi8('z' + 1)));
        al |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(d, l)) << (16 * k);
        hi |= (uint64_t)(uint32_t)_mm_movemask_epi8(x) << (16 * k);
    }
#else
    for (int k = 0; k < 64; k++) {
        al |= (uint64_t)(ASCII_FOLDED[p[k]] != 0) << k;
        hi |= (uint64_t)(p[k] >> 7) << k;
    }
#endif
    m[MAP_ALNUM] = al;
    m[MAP_HIGH] = hi;
}

/* The maps of u[0..len): (len + 63) / 64 + 1 blocks of MAP_WORDS. */
static void build_maps(const unsigned char *u, size_t len, uint64_t *m)
{
    uint64_t carry = 0; /* the last byte of the block before: ALNUM */
    for (size_t i = 0; i < len; i += 64, m += MAP_WORDS) {
        if (len - i >= 64) {
            block_maps(u + i, m);
        } else {
            unsigned char pad[64] = {0}; /* NUL: neither ALNUM nor HIGH */
            memcpy(pad, u + i, len - i);
            block_maps(pad, m);
        }
        uint64_t al = m[MAP_ALNUM];
        m[MAP_STOPS] = (al & ~(al << 1 | carry)) | m[MAP_HIGH];
        carry = al >> 63;
    }
    m[MAP_ALNUM] = m[MAP_HIGH] = 0;
    m[MAP_STOPS] = ~(uint64_t)0;
}

static inline unsigned ctz64(uint64_t x) /* x != 0 */
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned k = 0;
    while (!(x & 1)) {
        x >>= 1;
        k++;
    }
    return k;
#endif
}

/* A 32-bit word loaded from memory, its first byte the lowest. */
static inline uint32_t le32(uint32_t v)
{
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(v);
#else
    return v;
#endif
}

static inline bool map_bit(const uint64_t *m, int which, size_t k)
{
    return m[MAP_WORDS * (k / 64) + which] >> (k % 64) & 1;
}

/* The first byte at or after i (i <= len) that is not ALNUM, or len. */
static inline size_t next_not_alnum(const uint64_t *m, size_t i, size_t len)
{
    size_t w = i / 64;
    uint64_t x = ~m[MAP_WORDS * w + MAP_ALNUM] & (~(uint64_t)0 << (i % 64));
    while (!x)
        x = ~m[MAP_WORDS * ++w + MAP_ALNUM];
    size_t k = w * 64 + ctz64(x);
    return k < len ? k : len;
}

/* The scan's common case over the maps: ASCII bytes that start no word,
 * the rest of words, and ASCII words (followed by an ASCII byte or the end)
 * whose first-word filter bit is clear (lower_filter's for a word in lower
 * case), which match_at would turn away (after folding the word into its
 * buffer a byte at a time), and words in lower case whose first letter
 * starts no such name (lower_first). From i, with *prev_alnum the state before it,
 * returns where the code point loop must look (a non-ASCII byte, a word
 * whose bit is set, or len) and the state there. */
static size_t skip_plain(const dm_actors *a, const unsigned char *u, size_t len,
                         const uint64_t *m, size_t i, bool *prev_alnum)
{
    if (*prev_alnum) {
        /* the rest of the word (ASCII), up to a non-ASCII byte (which the
         * code point loop takes, after an alphanumeric) */
        i = next_not_alnum(m, i, len);
        if (i >= len || map_bit(m, MAP_HIGH, i))
            return i;
        *prev_alnum = false;
    }
    /* From here on, the code point loop's state before a stop is whether
     * the byte before it is ALNUM: false before a word start (a stop by its
     * definition, the one at i too, since the state before i is false), the
     * byte's before a non-ASCII byte (the end of a word passed in lower
     * case, or ASCII; the last byte of a non-ASCII code point before i is
     * no ALNUM). No
     * name starts between stops. The block's words are held in registers
     * while its stops are taken. */
    size_t w = i / 64;
    const uint64_t *b = m + MAP_WORDS * w;
    uint64_t stops = b[MAP_STOPS] & (~(uint64_t)0 << (i % 64));
    for (;;) {
        while (!stops) {
            b += MAP_WORDS;
            w++;
            stops = b[MAP_STOPS];
        }
        unsigned bk = ctz64(stops);
        size_t k = w * 64 + bk;
        if (k >= len)
            return len;
        uint64_t high = b[MAP_HIGH];
        if (high >> bk & 1) {
            /* after a word passed whole below, or not */
            *prev_alnum = k > 0 && map_bit(m, MAP_ALNUM, k - 1);
            return k;
        }
        /* a word in lower case whose letter starts no name that can match
         * it (lower_first): on to the next stop, wherever the word ends */
        unsigned c0 = u[k];
        if (c0 >= 'a' && !(a->lower_first >> (c0 - 'a') & 1)) {
            stops &= stops - 1;
            continue;
        }
        /* the end of the word: in this block, or the first byte after it
         * that is not ALNUM (the top bits of na are clear) */
        uint64_t na = ~b[MAP_ALNUM] >> bk;
        size_t e;
        if (na) {
            e = k + ctz64(na);
            if (high >> (e % 64) & 1)
                return k; /* may go on with a non-ASCII letter: match_at's general path */
        } else {
            e = next_not_alnum(m, (w + 1) * 64, len);
            if (e < len && map_bit(m, MAP_HIGH, e))
                return k;
        }
        /* the filter's bit of the folded word (an ASCII letter or digit
         * folds to itself | 0x20): its first bytes in one load when four
         * are there */
        size_t n = e - k; /* e <= len */
        uint32_t key;
        if (len - k >= 4) {
            static const uint32_t first[4] = {0, 0xFF, 0xFFFF, 0xFFFFFF};
            uint32_t v;
            memcpy(&v, u + k, sizeof v);
            v = le32(v);
            key = (v | 0x20202020u) & first[n < 3 ? n : 3];
        } else {
            key = (uint32_t)(u[k] | 0x20) | (n > 1 ? (uint32_t)(u[k + 1] | 0x20) << 8 : 0) |
                  (n > 2 ? (uint32_t)(u[k + 2] | 0x20) << 16 : 0);
        }
        uint32_t bit = dm_actors_word_filter_key(key | (uint32_t)(n < 31 ? n : 31) << 24);
        const uint64_t *filter = u[k] >= 'a' ? a->lower_filter : a->word_filter;
        if (filter[bit / 64] >> (bit % 64) & 1)
            return k;
        if (e >= len)
            return len;
        /* on from e (ASCII, not alphanumeric): no stop inside the word */
        if (e / 64 == w) {
            stops &= stops - 1;
        } else {
            w = e / 64;
            b = m + MAP_WORDS * w;
            stops = b[MAP_STOPS] & (~(uint64_t)0 << (e % 64));
        }
    }
}

/* Texts up to this long keep their maps on the stack. */
#define MAPS_STACK_BYTES 4096

/* dm_actors_find; `fast`: ASCII bytes and words that start no name take
 * the short way (skip_plain). Without it, every position goes through
 * the code point loop: the unit tests hold the two to the same matches. */
static dm_status find(const dm_actors *actors, const char *utf8, size_t len,
                      const char *date, bool fast, dm_actor_match **out, size_t *n,
                      dm_error *err)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!actors || (!utf8 && len > 0) || !out || !n)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_actors_find: NULL argument");
    int32_t qf = 0, qt = 0;
    /* an unparsable date is treated as no date (documented in the header) */
    bool has_date = dm_actors_parse_query_date(date, &qf, &qt);
    /* the maps of the text for skip_plain (without them, when they cannot
     * be had, the code point loop alone finds the same) */
    uint64_t maps_stack[MAP_WORDS * (MAPS_STACK_BYTES / 64 + 1)];
    uint64_t *maps = NULL;
    if (fast && len > 0) {
        maps = len <= MAPS_STACK_BYTES
                   ? maps_stack
                   : malloc(((len + 63) / 64 + 1) * MAP_WORDS * sizeof *maps);
        if (maps)
            build_maps((const unsigned char *)utf8, len, maps);
    }
    dm_actor_match *v = NULL;
    size_t nv = 0, cap = 0;
    bool prev_alnum = false;
    size_t i = 0, last_end = 0;
    while (i < len) {
        if (maps) {
            i = skip_plain(actors, (const unsigned char *)utf8, len, maps, i, &prev_alnum);
            if (i >= len)
                break;
        }
        size_t start = i;
        UChar32 c;
        U8_NEXT(utf8, i, len, c);
        bool alnum = c >= 0 && is_alnum(c);
        if (alnum && !prev_alnum) {
            const dm_name *nm = NULL;
            size_t word;
            size_t end = match_at(actors, utf8, len, start, fast, &nm, &word);
            if (end == NO_MATCH && word > i) {
                /* the rest of the word: alphanumeric, no word start */
                i = word;
                prev_alnum = true;
                continue;
            }
            if (end != NO_MATCH && actors->entities[nm->entity].ignore) {
                last_end = end;
                i = end;
                prev_alnum = alnum_before(utf8, end);
                continue;
            }
            dm_actor_match m;
            if (end != NO_MATCH && fill_match(actors, nm, has_date, qf, qt, &m)) {
                m.start = nm->had_the && start >= last_end + 4
                                  && the_before(utf8, start)
                              ? start - 4
                              : start;
                m.end = end;
                if (nv == cap) {
                    size_t nc = cap ? cap * 2 : 16;
                    dm_actor_match *nvp = realloc(v, nc * sizeof *v);
                    if (!nvp) {
                        free(v);
                        if (maps != maps_stack)
                            free(maps);
                        return dm_error_set(err, DM_E_NOMEM, NULL, 0,
                                            "out of memory");
                    }
                    v = nvp;
                    cap = nc;
                }
                v[nv++] = m;
                last_end = end;
                i = end;
                prev_alnum = alnum_before(utf8, end);
                continue;
            }
        }
        prev_alnum = alnum;
    }
    if (maps != maps_stack)
        free(maps);
    *out = v;
    *n = nv;
    return DM_OK;
}

dm_status dm_actors_find(const dm_actors *actors, const char *utf8, size_t len,
                         const char *date, dm_actor_match **out, size_t *n,
                         dm_error *err)
{
    return find(actors, utf8, len, date, true, out, n, err);
}

dm_status dm_actors_find_slow_internal(const dm_actors *actors, const char *utf8, size_t len,
                                       const char *date, dm_actor_match **out, size_t *n,
                                       dm_error *err)
{
    return find(actors, utf8, len, date, false, out, n, err);
}

static bool is_space_or_punct_edge(const char *s, size_t len, size_t *a,
                                   size_t *b)
{
    while (*a < *b && (s[*a] == ' ' || s[*a] == '\t'))
        (*a)++;
    while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t'
                       || s[*b - 1] == '\n'))
        (*b)--;
    return *b > *a;
}

bool dm_actors_lookup(const dm_actors *actors, const char *name, size_t len,
                      const char *date, dm_actor_match *match)
{
    if (!actors || !name || !match)
        return false;
    size_t a = 0, b = len;
    if (!is_space_or_punct_edge(name, len, &a, &b))
        return false;
    dm_actor_match *v = NULL;
    size_t n = 0;
    if (dm_actors_find(actors, name + a, b - a, date, &v, &n, NULL) != DM_OK)
        return false;
    bool found = false;
    if (n >= 1 && v[0].start == 0 && v[0].end == b - a) {
        *match = v[0];
        found = true;
    } else if (n >= 1 && v[n - 1].end == b - a
               && v[n - 1].kind == DM_ACTOR_PERSON) {
        /* "President Vladimir Putin", "Mr. Lavrov": the person at the end */
        *match = v[n - 1];
        found = true;
    }
    free(v);
    if (found) {
        match->start = 0;
        match->end = len;
    }
    return found;
}

/* Is the mention at `start` the posting of the role rather than its owner
 * ("ambassador to the UN", "envoy at the IAEA", "ambassador in Moscow")? */
static bool is_posting(const char *s, size_t start)
{
    size_t i = start;
    if (i >= 4 && dm_actors_strip_the(s + i - 4, 5) == 4)
        i -= 4;
    static const char *const words[] = {"to", "at", "in", "for"};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
        size_t wl = strlen(words[k]);
        if (i >= wl + 1 && s[i - 1] == ' '
            && strncmp(s + i - 1 - wl, words[k], wl) == 0
            && !alnum_before(s, i - 1 - wl))
            return true;
    }
    return false;
}

static bool state_like(dm_actor_kind k)
{
    return k == DM_ACTOR_STATE || k == DM_ACTOR_ADJECTIVE
           || k == DM_ACTOR_CAPITAL || k == DM_ACTOR_METONYM
           || k == DM_ACTOR_PERSON;
}

bool dm_actors_role_actor(const dm_actors *actors, const char *role,
                          size_t len, const char *date, dm_actor_match *match)
{
    if (!actors || !role || !match)
        return false;
    dm_actor_match *v = NULL;
    size_t n = 0;
    if (dm_actors_find(actors, role, len, date, &v, &n, NULL) != DM_OK)
        return false;
    long pick = -1;
    for (size_t k = 0; k < n && pick < 0; k++)
        if (!is_posting(role, v[k].start) && state_like(v[k].kind))
            pick = (long)k;
    for (size_t k = 0; k < n && pick < 0; k++)
        if (!is_posting(role, v[k].start))
            pick = (long)k;
    if (pick >= 0)
        *match = v[pick];
    free(v);
    return pick >= 0;
}
