/* Loading and matching the cue lexicon (format in lexicons/README.md). */
#include "statements/cues_internal.h"
#include "statements/cues_data_internal.h"
#include "core/file_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

static const char *const type_names[DM_CUE_TYPE_COUNT] = {
    "verb", "prep", "by", "suffix", "title", "org", "skip", "male", "female"};

void dm_cues_destroy(dm_cues **cues)
{
    if (!cues || !*cues)
        return;
    for (size_t i = 0; i < (*cues)->n; i++)
        free((*cues)->v[i].words[0]);
    free((*cues)->v);
    free((*cues)->names);
    free((*cues)->name_pool);
    free((*cues)->slots);
    free(*cues);
    *cues = NULL;
}

/* Fold a UTF-8 string with ICU simple case folding into `out` (room for
 * len * 4 + 1 bytes); returns the folded length. ASCII folds to ASCII as
 * u_foldCase folds it (A-Z to a-z, nothing else), without the call. */
static size_t fold_into(const char *s, size_t len, char *out)
{
    size_t o = 0;
    int32_t i = 0;
    while ((size_t)i < len) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) {
            out[o++] = (char)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
            i++;
            continue;
        }
        UChar32 c;
        U8_NEXT_OR_FFFD(s, i, (int32_t)len, c);
        c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        U8_APPEND_UNSAFE(out, o, c);
    }
    out[o] = '\0';
    return o;
}

/* The same into a new string. */
static char *fold_copy(const char *s, size_t len)
{
    char *out = malloc(len * 4 + 1);
    if (out)
        fold_into(s, len, out);
    return out;
}

/* Add one phrase (space-separated words) of a type. */
static dm_status add_phrase(dm_cues *c, dm_cue_type type, const char *phrase)
{
    phrase += strspn(phrase, " ");
    char *folded = fold_copy(phrase, strlen(phrase));
    if (!folded)
        return DM_E_NOMEM;
    cue_entry e = {.type = type};
    char *p = folded;
    while (*p) {
        while (*p == ' ')
            *p++ = '\0';
        if (!*p)
            break;
        if (e.n_words == CUE_MAX_WORDS) {
            free(folded);
            return DM_E_FORMAT;
        }
        e.words[e.n_words++] = p;
        while (*p && *p != ' ')
            p++;
    }
    if (e.n_words == 0) {
        free(folded);
        return DM_OK;
    }
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 256;
        cue_entry *v = realloc(c->v, nc * sizeof *v);
        if (!v) {
            free(folded);
            return DM_E_NOMEM;
        }
        c->v = v;
        c->cap = nc;
    }
    c->v[c->n++] = e;
    return DM_OK;
}

/* Add one first name of a gender (one word, len bytes); `folded` when it
 * is known to fold to itself (a-z only). */
static dm_status add_name_as(dm_cues *c, char gender, const char *name, size_t len,
                             bool folded)
{
    if (!folded && memchr(name, ' ', len))
        return DM_E_FORMAT;
    size_t need = len * 4 + 1;
    if (c->pool_cap - c->pool_len < need) {
        size_t nc = c->pool_cap ? c->pool_cap * 2 : 1 << 16;
        while (nc - c->pool_len < need)
            nc *= 2;
        char *p = realloc(c->name_pool, nc);
        if (!p)
            return DM_E_NOMEM;
        c->name_pool = p;
        c->pool_cap = nc;
    }
    if (c->n_names == c->cap_names) {
        size_t nc = c->cap_names ? c->cap_names * 2 : 512;
        name_entry *v = realloc(c->names, nc * sizeof *v);
        if (!v)
            return DM_E_NOMEM;
        c->names = v;
        c->cap_names = nc;
    }
    /* Offsets and order are 32 bits (name_entry) */
    size_t at = c->pool_len;
    if (at > UINT32_MAX || c->n_names >= UINT32_MAX / 2)
        return DM_E_NOMEM;
    if (folded) {
        memcpy(c->name_pool + at, name, len);
        c->name_pool[at + len] = '\0';
        c->pool_len += len + 1;
    } else {
        c->pool_len += fold_into(name, len, c->name_pool + at) + 1;
    }
    c->names[c->n_names] = (name_entry){(uint32_t)at,
                                        (uint32_t)c->n_names << 1 | (gender == 'f')};
    c->n_names++;
    return DM_OK;
}

/* add_name_as of a plain name (a-z only, len bytes at name, before end):
 * a name of less than 16 bytes with 16 bytes of the file after its start
 * and of room in the pool is copied as 16 bytes (one move; what follows
 * its NUL is room, never read) without add_name_as's call, its checks and
 * memcpy's (32,000 names at every start-up); any other by add_name_as. */
static inline dm_status add_plain_name(dm_cues *c, char gender, const char *name, size_t len,
                                       const char *end)
{
    size_t at = c->pool_len;
    if (len >= 16 || end - name < 16 || c->pool_cap - at < 16 ||
        c->n_names == c->cap_names || at > UINT32_MAX || c->n_names >= UINT32_MAX / 2)
        return add_name_as(c, gender, name, len, true);
    char *dst = c->name_pool + at;
    memcpy(dst, name, 16);
    dst[len] = '\0';
    c->pool_len = at + len + 1;
    c->names[c->n_names] = (name_entry){(uint32_t)at,
                                        (uint32_t)c->n_names << 1 | (gender == 'f')};
    c->n_names++;
    return DM_OK;
}

static dm_status add_name(dm_cues *c, char gender, const char *name, size_t len)
{
    return add_name_as(c, gender, name, len, false);
}

/* The end of the run of letters a-z at q (before end): 16 bytes at a time
 * where SSE2 is (a byte loop was 1.6 M instructions over the 32,000 names
 * at every start-up), then a byte at a time. */
static const char *skip_lower(const char *q, const char *end)
{
#if defined(__SSE2__) && defined(__GNUC__)
    /* signed bytes: 0x80-0xFF are negative, below 'a' */
    const __m128i below = _mm_set1_epi8('a' - 1), above = _mm_set1_epi8('z' + 1);
    while (end - q >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)q);
        __m128i in = _mm_and_si128(_mm_cmpgt_epi8(x, below), _mm_cmplt_epi8(x, above));
        unsigned out = (unsigned)_mm_movemask_epi8(in) ^ 0xFFFFu;
        if (out)
            return q + __builtin_ctz(out);
        q += 16;
    }
#endif
    while (q < end && *q >= 'a' && *q <= 'z')
        q++;
    return q;
}

/* The length of a line "male<TAB>NAME" or "female<TAB>NAME" at p (before
 * end) whose NAME is letters a-z only, up to its '\n' or the end: 32,000
 * of the 33,000 lines, which parse_line would read as the same name (no
 * blank to trim, no second tab, nothing to fold). 0 for any other line,
 * left to parse_line. *gender and the name's start and length are set. */
static size_t plain_name_line(const char *p, const char *end, char *gender,
                              const char **name, size_t *len)
{
    size_t skip;
    if (end - p > 5 && memcmp(p, "male\t", 5) == 0) {
        *gender = 'm';
        skip = 5;
    } else if (end - p > 7 && memcmp(p, "female\t", 7) == 0) {
        *gender = 'f';
        skip = 7;
    } else {
        return 0;
    }
    const char *q = skip_lower(p + skip, end);
    if (q == p + skip || (q < end && *q != '\n'))
        return 0;
    *name = p + skip;
    *len = (size_t)(q - *name);
    return (size_t)(q - p);
}

static bool is_vowel(char ch)
{
    return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u';
}

/* Regular inflections of the first word of `lemma` (the rest is kept):
 * -s/-es/-ies, -ed/-d/-ied, -ing (dropping a final silent e). */
static dm_status add_regular_forms(dm_cues *c, const char *lemma)
{
    const char *sp = strchr(lemma, ' ');
    size_t wl = sp ? (size_t)(sp - lemma) : strlen(lemma);
    const char *rest = sp ? sp : "";
    if (wl == 0 || wl > 60)
        return DM_OK;
    char w[64];
    memcpy(w, lemma, wl);
    w[wl] = '\0';
    char last = w[wl - 1];
    char prev = wl > 1 ? w[wl - 2] : '\0';
    char stem[64];
    memcpy(stem, w, wl + 1);
    char buf[3][200];
    if (last == 'y' && !is_vowel(prev)) {
        stem[wl - 1] = '\0';
        snprintf(buf[0], sizeof buf[0], "%sies%s", stem, rest);
        snprintf(buf[1], sizeof buf[1], "%sied%s", stem, rest);
        snprintf(buf[2], sizeof buf[2], "%sying%s", stem, rest);
    } else if (last == 'e') {
        bool ee = prev == 'e';
        stem[wl - 1] = '\0';
        snprintf(buf[0], sizeof buf[0], "%ss%s", w, rest);
        snprintf(buf[1], sizeof buf[1], "%sd%s", w, rest);
        snprintf(buf[2], sizeof buf[2], "%sing%s", ee ? w : stem, rest);
    } else {
        bool es = last == 's' || last == 'x' || last == 'z' || last == 'o' ||
                  (last == 'h' && (prev == 's' || prev == 'c'));
        snprintf(buf[0], sizeof buf[0], "%s%s%s", w, es ? "es" : "s", rest);
        snprintf(buf[1], sizeof buf[1], "%sed%s", w, rest);
        snprintf(buf[2], sizeof buf[2], "%sing%s", w, rest);
    }
    for (int i = 0; i < 3; i++) {
        dm_status st = add_phrase(c, DM_CUE_VERB, buf[i]);
        if (st != DM_OK)
            return st;
    }
    return DM_OK;
}

static int entry_cmp(const void *a, const void *b)
{
    const cue_entry *x = a, *y = b;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    int c = strcmp(x->words[0], y->words[0]);
    if (c)
        return c;
    /* longest first, so the first full match is the longest */
    if (x->n_words != y->n_words)
        return x->n_words > y->n_words ? -1 : 1;
    return 0;
}

/* A name entry with its name, for sorting (qsort's comparison has no
 * pointer to the pool). */
typedef struct name_sort {
    const char *name;
    name_entry e;
} name_sort;

static int name_sort_cmp(const void *a, const void *b)
{
    const name_sort *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->e.order < y->e.order ? -1 : x->e.order > y->e.order;
}

/* strcmp's sign, inline: most names differ in their first few bytes, where
 * the call cost more than the comparison (32,000 adjacent pairs checked at
 * every start-up). */
static int name_strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a < (unsigned char)*b ? -1 : (unsigned char)*a > (unsigned char)*b;
}

/* Sort the names by name, then load order: a total order, so any correct
 * sort gives the same array. The included list comes sorted: only what
 * precedes its sorted tail is sorted, then merged, each of its names put
 * in place by a binary search of the tail (a linear merge compared the
 * 32,000 names of the tail one by one). Before sorting, the entries are in
 * load order, so adjacent names are in order when their names are. */
static dm_status sort_names(dm_cues *c)
{
    name_entry *v = c->names;
    size_t n = c->n_names, t = n ? n - 1 : 0;
    while (t > 0 && name_strcmp(dm_cues_entry_name(c, &v[t - 1]),
                                dm_cues_entry_name(c, &v[t])) <= 0)
        t--;
    if (t == 0)
        return DM_OK;
    name_sort *head = malloc(t * sizeof *head);
    if (!head)
        return DM_E_NOMEM;
    for (size_t i = 0; i < t; i++)
        head[i] = (name_sort){dm_cues_entry_name(c, &v[i]), v[i]};
    qsort(head, t, sizeof *head, name_sort_cmp);
    /* v[o] is written at or before v[j] is read (o = i + j - t) */
    size_t j = t, o = 0;
    for (size_t i = 0; i < t; i++) {
        /* the tail's names before head[i]: those it does not precede */
        size_t lo = j, hi = n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            name_sort x = {dm_cues_entry_name(c, &v[mid]), v[mid]};
            if (name_sort_cmp(&head[i], &x) <= 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        if (lo > j && o != j)
            memmove(&v[o], &v[j], (lo - j) * sizeof *v);
        o += lo - j;
        j = lo;
        v[o++] = head[i].e;
    }
    free(head);
    return DM_OK;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                 s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static bool is_trailing_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* trim() of the n bytes at *s, which need no NUL: the new start in *s,
 * the new length returned; the end is left for the caller to cut. */
static size_t trim_n(char **s, size_t n)
{
    char *p = *s;
    while (n && (*p == ' ' || *p == '\t')) {
        p++;
        n--;
    }
    while (n && is_trailing_space(p[n - 1]))
        n--;
    *s = p;
    return n;
}

static dm_status load_file(dm_cues *c, const char *path, int depth, dm_error *err);

/* "include<TAB>FILE": FILE, relative to the including file's directory, is
 * read as if its lines stood there (one level deep: no include in it). */
static dm_status include_file(dm_cues *c, const char *path, const char *file,
                              long lineno, int depth, dm_error *err)
{
    if (depth > 0)
        return dm_error_set(err, DM_E_FORMAT, path, lineno, "include inside an included file");
    if (strchr(file, '/') || strcmp(file, "..") == 0 || strcmp(file, ".") == 0)
        return dm_error_set(err, DM_E_FORMAT, path, lineno,
                            "include names a file of the same directory");
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    size_t fl = strlen(file);
    char *full = malloc(dir + fl + 1);
    if (!full)
        return dm_error_set(err, DM_E_NOMEM, path, lineno, "out of memory");
    memcpy(full, path, dir);
    memcpy(full + dir, file, fl + 1);
    dm_status st = load_file(c, full, depth + 1, err);
    free(full);
    return st;
}

/* One line, NUL-terminated, of len bytes (up to its first NUL). Fields
 * are found and trimmed by their lengths, each cut with a NUL where it
 * ends (the same fields as trim() and strchr() found: 32,000 lines of
 * names went through three of each). */
static dm_status parse_line(dm_cues *c, char *line, size_t len, const char *path,
                            long lineno, int depth, dm_error *err)
{
    char *t = line;
    size_t n = trim_n(&t, len);
    t[n] = '\0';
    if (!n || *t == '#')
        return DM_OK;
    char *f1 = t, *f2 = NULL, *f3 = NULL;
    size_t n1 = n, n2 = 0;
    char *tab = memchr(f1, '\t', n);
    if (tab) {
        n1 = (size_t)(tab - f1);
        f2 = tab + 1;
        n2 = n - n1 - 1;
        tab = memchr(f2, '\t', n2);
        if (tab) {
            n2 = (size_t)(tab - f2);
            f3 = tab + 1;
        }
    }
    n1 = trim_n(&f1, n1);
    f1[n1] = '\0';
    if (f2) {
        n2 = trim_n(&f2, n2);
        f2[n2] = '\0';
    }
    if (!f2 || !*f2)
        return dm_error_set(err, DM_E_FORMAT, path, lineno,
                            "expected TYPE<TAB>PHRASE[<TAB>FORMS]");
    if (strcmp(f1, "include") == 0)
        return include_file(c, path, f2, lineno, depth, err);
    /* From the last type: the names' types ("male", "female"), on 32,000
     * of the 33,000 lines, come last (no two types share a name). */
    int type = -1;
    for (int i = DM_CUE_TYPE_COUNT - 1; i >= 0 && type < 0; i--)
        if (f1[0] == type_names[i][0] && strcmp(f1, type_names[i]) == 0)
            type = i;
    if (type < 0)
        return dm_error_set(err, DM_E_FORMAT, path, lineno,
                            "unknown cue type '%s'", f1);
    if (type == DM_CUE_MALE || type == DM_CUE_FEMALE) {
        dm_status st = add_name(c, type == DM_CUE_MALE ? 'm' : 'f', f2, n2);
        if (st == DM_E_FORMAT)
            return dm_error_set(err, st, path, lineno, "a first name is one word");
        if (st != DM_OK)
            return dm_error_set(err, st, path, lineno, "out of memory");
        return DM_OK;
    }
    dm_status st = add_phrase(c, (dm_cue_type)type, f2);
    if (st == DM_OK && type == DM_CUE_VERB) {
        f3 = f3 ? trim(f3) : NULL;
        if (!f3 || !*f3) {
            st = add_regular_forms(c, f2);
        } else if (strcmp(f3, "-") != 0) {
            char *save = NULL;
            for (char *f = strtok_r(f3, ",", &save); f && st == DM_OK;
                 f = strtok_r(NULL, ",", &save))
                if (*trim(f))
                    st = add_phrase(c, DM_CUE_VERB, trim(f));
        }
    }
    if (st == DM_E_FORMAT)
        return dm_error_set(err, st, path, lineno, "phrase of more than %d words",
                            CUE_MAX_WORDS);
    if (st != DM_OK)
        return dm_error_set(err, st, path, lineno, "out of memory");
    return DM_OK;
}

/* The file mapped (dm_file_view), never written: plain name lines are
 * read where they are, any other line is copied out (with a NUL where it
 * ends, or at its first NUL) for parse_line to cut in place. Room for its
 * names is made once. */
static dm_status load_file(dm_cues *c, const char *path, int depth, dm_error *err)
{
    dm_file_view f;
    dm_status st = dm_file_view_open(path, &f, err);
    if (st != DM_OK)
        return st;
    size_t size = f.len;
    /* Room for a name every 12 bytes (a line of given_names.tsv is 13.5 on
     * average) and for their bytes folded (folding keeps most lengths):
     * both still grow when they must. */
    size_t lines = size / 12 + 16;
    if (c->cap_names - c->n_names < lines) {
        name_entry *v = realloc(c->names, (c->n_names + lines) * sizeof *v);
        if (v) {
            c->names = v;
            c->cap_names = c->n_names + lines;
        }
    }
    if (c->pool_cap - c->pool_len < size + 64) {
        char *p = realloc(c->name_pool, c->pool_len + size + 64);
        if (p) {
            c->name_pool = p;
            c->pool_cap = c->pool_len + size + 64;
        }
    }
    char small[256];
    dm_line_buf buf = {small, sizeof small, small};
    long lineno = 0;
    const char *p = f.data, *end = f.data + size;
    while (p < end) {
        lineno++;
        char gender;
        const char *name;
        size_t name_len, plain = plain_name_line(p, end, &gender, &name, &name_len);
        if (plain) {
            st = add_plain_name(c, gender, name, name_len, end);
            if (st != DM_OK) {
                st = dm_error_set(err, st, path, lineno, "out of memory");
                break;
            }
            p += plain + (p + plain < end); /* past its '\n' */
            continue;
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *next = nl ? nl + 1 : end;
        size_t n = (size_t)((nl ? nl : end) - p);
        const char *nul = memchr(p, '\0', n);
        if (nul)
            n = (size_t)(nul - p);
        if (dm_line_buf_copy(&buf, p, n) != DM_OK) {
            st = dm_error_set(err, DM_E_NOMEM, path, lineno, "out of memory");
            break;
        }
        st = parse_line(c, buf.line, n, path, lineno, depth, err);
        if (st != DM_OK)
            break;
        p = next;
    }
    dm_line_buf_free(&buf);
    dm_file_view_close(&f);
    return st;
}

dm_status dm_cues_load(const char *path, dm_cues **out, dm_error *err)
{
    if (!path || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_cues_load: NULL argument");
    *out = NULL;
    dm_cues *c = calloc(1, sizeof *c);
    if (!c)
        return dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    dm_status st = load_file(c, path, 0, err);
    if (st == DM_OK && dm_cues_count(c, DM_CUE_VERB) == 0)
        st = dm_error_set(err, DM_E_FORMAT, path, 0, "no cue verbs");
    if (st != DM_OK) {
        dm_cues_destroy(&c);
        return st;
    }
    qsort(c->v, c->n, sizeof *c->v, entry_cmp);
    for (size_t i = 0; i < c->n; i++) {
        const char *w = c->v[i].words[0];
        unsigned k = dm_unit_pair((unsigned char)w[0], w[0] ? (unsigned char)w[1] : 0);
        c->pairs[c->v[i].type][k / 32] |= 1u << (k % 32);
    }
    if (sort_names(c) != DM_OK || dm_cues_build_index(c) != DM_OK) {
        dm_cues_destroy(&c);
        return dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    }
    *out = c;
    return DM_OK;
}

size_t dm_cues_count(const dm_cues *cues, dm_cue_type type)
{
    size_t k = 0;
    if (type == DM_CUE_MALE || type == DM_CUE_FEMALE) {
        char g = type == DM_CUE_MALE ? 'm' : 'f';
        for (size_t i = 0; cues && i < cues->n_names; i++)
            k += dm_cues_entry_gender(&cues->names[i]) == g &&
                 (i == 0 || strcmp(dm_cues_entry_name(cues, &cues->names[i - 1]),
                                   dm_cues_entry_name(cues, &cues->names[i])) != 0);
        return k;
    }
    for (size_t i = 0; cues && i < cues->n; i++)
        k += cues->v[i].type == type;
    return k;
}
