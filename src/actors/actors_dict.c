/* The actors dictionary's storage: pool, maps, entities, names, dates. */
#include "actors/actors_internal.h"
#include "core/fnv_internal.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

struct dm_pool_block {
    dm_pool_block *next;
    size_t used, cap;
    char data[];
};

#define POOL_BLOCK_SIZE (64 * 1024)

static char *pool_alloc(dm_actors *a, size_t n)
{
    dm_pool_block *b = a->pool;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > POOL_BLOCK_SIZE ? n : POOL_BLOCK_SIZE;
        dm_pool_block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        nb->next = a->pool;
        a->pool = nb;
        b = nb;
    }
    char *p = b->data + b->used;
    b->used += n;
    return p;
}

char *dm_actors_pool_strndup(dm_actors *a, const char *s, size_t n)
{
    char *p = pool_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Fold into buf (capacity >= 2 * n + 4: simple folding grows a code point's
 * UTF-8 form by at most one byte). Returns the folded length; *mark_out
 * (when not NULL) is the folded length of s[0, mark), mark a code point
 * boundary at most n: folding goes a code point at a time, so that is the
 * fold of the prefix (a name's first word folded with the name, not
 * again). */
static size_t fold_into_mark(const char *s, size_t n, char *buf, size_t mark,
                             size_t *mark_out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        if (i == mark && mark_out)
            *mark_out = o;
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            c = 0xFFFD;
        c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        UBool bad = false;
        U8_APPEND(buf, o, 2 * n + 4, c, bad);
        if (bad)
            break;
    }
    if (i == mark && mark_out)
        *mark_out = o;
    buf[o] = '\0';
    return o;
}

static size_t fold_into(const char *s, size_t n, char *buf)
{
    return fold_into_mark(s, n, buf, 0, NULL);
}

char *dm_actors_pool_fold(dm_actors *a, const char *s, size_t n)
{
    char small[512];
    char *buf = 2 * n + 4 <= sizeof small ? small : malloc(2 * n + 4);
    if (!buf)
        return NULL;
    size_t m = fold_into(s, n, buf);
    char *p = dm_actors_pool_strndup(a, buf, m);
    if (buf != small)
        free(buf);
    return p;
}

uint32_t dm_actors_hash(const char *s, size_t n)
{
    return dm_fnv1a32(DM_FNV1A32_BASIS, s, n);
}

static bool key_equals(const char *key, const char *s, size_t n)
{
    return strncmp(key, s, n) == 0 && key[n] == '\0';
}

/* The value of key s[0, n) whose dm_actors_hash is h, or -1. */
static long strmap_get_hashed(const dm_strmap *m, const char *s, size_t n, uint32_t h)
{
    if (m->cap == 0)
        return -1;
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (!m->keys[i])
            return -1;
        if (key_equals(m->keys[i], s, n))
            return (long)m->vals[i];
    }
}

static long strmap_get(const dm_strmap *m, const char *s, size_t n)
{
    return strmap_get_hashed(m, s, n, dm_actors_hash(s, n));
}

/* The slots rebuilt at `cap` (a power of two above twice the keys). */
static bool strmap_resize(dm_strmap *m, size_t cap)
{
    const char **keys = calloc(cap, sizeof *keys);
    uint32_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = dm_actors_hash(m->keys[i], strlen(m->keys[i])) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return true;
}

static bool strmap_grow(dm_strmap *m)
{
    return strmap_resize(m, m->cap ? m->cap * 2 : 1024);
}

/* Room for `more` keys (the slots made at once, not doubled to it). */
static bool strmap_reserve(dm_strmap *m, size_t more)
{
    size_t cap = m->cap ? m->cap : 1024;
    while ((m->n + more + 1) * 2 > cap && cap <= SIZE_MAX / 4)
        cap *= 2;
    return cap == m->cap || strmap_resize(m, cap);
}

/* Insert a pooled key not yet present, whose dm_actors_hash is h. */
static bool strmap_put_hashed(dm_strmap *m, const char *key, uint32_t val, uint32_t h)
{
    if ((m->n + 1) * 2 > m->cap && !strmap_grow(m))
        return false;
    size_t mask = m->cap - 1;
    size_t i = h & mask;
    while (m->keys[i])
        i = (i + 1) & mask;
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return true;
}

static void strmap_free(dm_strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

#define GROW(ptr, n, cap)                                                     \
    do {                                                                      \
        if ((n) == (cap)) {                                                   \
            size_t nc_ = (cap) ? (cap) * 2 : 256;                             \
            void *np_ = realloc((ptr), nc_ * sizeof *(ptr));                  \
            if (!np_)                                                         \
                return DM_E_NOMEM;                                            \
            (ptr) = np_;                                                      \
            (cap) = nc_;                                                      \
        }                                                                     \
    } while (0)

/* Room for `more` more of an array (n used of cap): made at once, not
 * doubled to it. */
#define RESERVE(ptr, n, cap, more)                                            \
    do {                                                                      \
        if ((cap) - (n) < (more)) {                                           \
            size_t nc_ = (n) + (more);                                        \
            void *np_ = realloc((ptr), nc_ * sizeof *(ptr));                  \
            if (!np_)                                                         \
                return DM_E_NOMEM;                                            \
            (ptr) = np_;                                                      \
            (cap) = nc_;                                                      \
        }                                                                     \
    } while (0)

dm_status dm_actors_reserve_internal(dm_actors *a, size_t entities, size_t senses,
                                     size_t names)
{
    RESERVE(a->entities, a->n_entities, a->cap_entities, entities);
    RESERVE(a->senses, a->n_senses, a->cap_senses, senses);
    RESERVE(a->names, a->n_names, a->cap_names, names);
    RESERVE(a->buckets, a->n_buckets, a->cap_buckets, names);
    if (!strmap_reserve(&a->folded_names, names) || !strmap_reserve(&a->first_word, names))
        return DM_E_NOMEM;
    return DM_OK;
}

dm_status dm_actors_create(dm_actors **out, dm_error *err)
{
    if (!out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_actors_create: NULL out");
    *out = calloc(1, sizeof **out);
    if (!*out)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    return DM_OK;
}

void dm_actors_destroy(dm_actors **actors)
{
    if (!actors || !*actors)
        return;
    dm_actors *a = *actors;
    while (a->pool) {
        dm_pool_block *next = a->pool->next;
        free(a->pool);
        a->pool = next;
    }
    free(a->entities);
    free(a->senses);
    free(a->names);
    for (size_t i = 0; i < a->n_buckets; i++)
        free(a->buckets[i].v);
    free(a->buckets);
    strmap_free(&a->first_word);
    strmap_free(&a->folded_names);
    free(a);
    *actors = NULL;
}

size_t dm_actors_count(const dm_actors *actors)
{
    return actors ? actors->n_names : 0;
}

size_t dm_actors_phoenix_skipped(const dm_actors *actors)
{
    return actors ? actors->phoenix_skipped : 0;
}

const char *dm_actor_kind_name(dm_actor_kind kind)
{
    switch (kind) {
    case DM_ACTOR_STATE: return "state";
    case DM_ACTOR_ADJECTIVE: return "adjective";
    case DM_ACTOR_CAPITAL: return "capital";
    case DM_ACTOR_METONYM: return "metonym";
    case DM_ACTOR_ORGANISATION: return "organisation";
    case DM_ACTOR_PERSON: return "person";
    case DM_ACTOR_GROUP: return "group";
    }
    return "unknown";
}

dm_status dm_actors_add_entity(dm_actors *a, const char *canonical,
                               dm_actor_kind kind, uint32_t *out_index)
{
    GROW(a->entities, a->n_entities, a->cap_entities);
    dm_entity *e = &a->entities[a->n_entities];
    e->canonical = canonical;
    e->kind = kind;
    e->ignore = false;
    e->first_sense = (uint32_t)a->n_senses;
    e->n_senses = 0;
    *out_index = (uint32_t)a->n_entities++;
    return DM_OK;
}

/* Senses of an entity are contiguous: add them right after the entity. */
dm_status dm_actors_add_sense(dm_actors *a, uint32_t entity, const char *code,
                              const char *role, int32_t from, int32_t to)
{
    GROW(a->senses, a->n_senses, a->cap_senses);
    a->senses[a->n_senses++] = (dm_sense){code, role, from, to};
    a->entities[entity].n_senses++;
    return DM_OK;
}

static size_t first_word_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t prev = i;
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0 || !u_isalnum(c))
            return prev;
    }
    return n;
}

long dm_actors_find_name(const dm_actors *a, const char *name, size_t len)
{
    char small[512];
    char *buf = 2 * len + 4 <= sizeof small ? small : malloc(2 * len + 4);
    if (!buf)
        return -1;
    size_t m = fold_into(name, len, buf);
    long r = strmap_get(&a->folded_names, buf, m);
    if (buf != small)
        free(buf);
    return r;
}

/* Into the bucket of its first word, whose fold is buf[0, m) (NUL not
 * needed). */
static dm_status bucket_insert(dm_actors *a, uint32_t name_index, const char *buf, size_t m)
{
    const dm_name *nm = &a->names[name_index];
    uint32_t bit = m > 0 ? dm_actors_word_filter(buf, m) : 0;
    /* A name whose first letter is not a capital can match a word that
     * starts in lower case ("al-Qaeda"); one with a capital cannot (see
     * lower_filter). */
    if (m > 0) {
        size_t i = 0;
        UChar32 c;
        U8_NEXT(nm->text, i, nm->len, c);
        if (!(c >= 0 && (u_isupper(c) || u_istitle(c)))) {
            a->lower_filter[bit / 64] |= (uint64_t)1 << (bit % 64);
            unsigned char t0 = (unsigned char)nm->text[0], f0 = (unsigned char)buf[0];
            if (t0 >= 'a' && t0 <= 'z')
                a->lower_first |= UINT32_C(1) << (t0 - 'a');
            if (f0 >= 'a' && f0 <= 'z')
                a->lower_first |= UINT32_C(1) << (f0 - 'a');
        }
    }
    uint32_t h = dm_actors_hash(buf, m);
    long b = strmap_get_hashed(&a->first_word, buf, m, h);
    if (b < 0) {
        char *key = dm_actors_pool_strndup(a, buf, m);
        if (!key)
            return DM_E_NOMEM;
        GROW(a->buckets, a->n_buckets, a->cap_buckets);
        a->buckets[a->n_buckets] = (dm_u32vec){NULL, 0, 0};
        b = (long)a->n_buckets++;
        if (!strmap_put_hashed(&a->first_word, key, (uint32_t)b, h))
            return DM_E_NOMEM;
        if (m > 0)
            a->word_filter[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
    dm_u32vec *v = &a->buckets[b];
    /* Most first words start one or two names: a bucket grows from 2, not
     * from GROW's 256 (1 kB for each of ~1,500 first words, 1.5 MB of
     * memory touched at every start-up, a third of its page faults). */
    if (v->n == v->cap) {
        uint32_t nc = v->cap ? v->cap * 2 : 2;
        uint32_t *nv = nc > v->cap ? realloc(v->v, (size_t)nc * sizeof *nv) : NULL;
        if (!nv)
            return DM_E_NOMEM;
        v->v = nv;
        v->cap = nc;
    }
    uint32_t i = v->n++;
    while (i > 0 && a->names[v->v[i - 1]].len < nm->len) {
        v->v[i] = v->v[i - 1];
        i--;
    }
    v->v[i] = name_index;
    return DM_OK;
}

/* Is this exact spelling already a name? (Its bucket holds every name with
 * the same folded first word.) */
static bool exact_name_known(const dm_actors *a, const char *name, size_t len, size_t fw,
                             const char *buf, size_t m)
{
    if (2 * fw + 4 > 256) /* as when the first word was folded into 256 bytes */
        return false;
    long b = strmap_get(&a->first_word, buf, m);
    if (b < 0)
        return false;
    const dm_u32vec *v = &a->buckets[b];
    for (uint32_t i = 0; i < v->n; i++) {
        const dm_name *nm = &a->names[v->v[i]];
        if (nm->len == len && memcmp(nm->text, name, len) == 0)
            return true;
    }
    return false;
}

static dm_status dm_actors_add_name_folded(dm_actors *a, const char *name, size_t len,
                                           uint32_t entity, dm_name_case mode, bool had_the,
                                           size_t fw, const char *fbuf, size_t flen,
                                           size_t ffw, uint32_t fh, bool known_folded);

dm_status dm_actors_add_name(dm_actors *a, const char *name, size_t len,
                             uint32_t entity, dm_name_case mode, bool had_the,
                             bool *added)
{
    *added = false;
    if (len == 0 || len > UINT32_MAX)
        return DM_OK;
    /* Our own names are case-sensitive: "NATO" and "Nato" are two names.
     * Case-insensitive (Phoenix) names lose against any known spelling. */
    /* Folded once: looked up, then kept when new (dm_actors_find_name and
     * dm_actors_pool_fold each folded it). */
    /* The first word's fold is the start of the name's (fold_into_mark):
     * the bucket's key without a second fold. */
    char small[512];
    char *fbuf = 2 * len + 4 <= sizeof small ? small : malloc(2 * len + 4);
    if (!fbuf)
        return DM_E_NOMEM;
    size_t fw = first_word_len(name, len), ffw = 0;
    size_t flen = fold_into_mark(name, len, fbuf, fw, &ffw);
    uint32_t fh = dm_actors_hash(fbuf, flen);
    bool known_folded = strmap_get_hashed(&a->folded_names, fbuf, flen, fh) >= 0;
    if ((mode == DM_NAME_CAPITALISED_CI && known_folded) ||
        (mode == DM_NAME_EXACT && known_folded &&
         exact_name_known(a, name, len, fw, fbuf, ffw))) {
        if (fbuf != small)
            free(fbuf);
        return DM_OK;
    }
    dm_status st = dm_actors_add_name_folded(a, name, len, entity, mode, had_the, fw,
                                             fbuf, flen, ffw, fh, known_folded);
    if (fbuf != small)
        free(fbuf);
    if (st == DM_OK)
        *added = true;
    return st;
}

/* dm_actors_add_name of a new name, folded into fbuf (flen bytes, its first
 * word fw bytes of name and ffw of fbuf; fh the fold's hash). */
static dm_status dm_actors_add_name_folded(dm_actors *a, const char *name, size_t len,
                                           uint32_t entity, dm_name_case mode, bool had_the,
                                           size_t fw, const char *fbuf, size_t flen,
                                           size_t ffw, uint32_t fh, bool known_folded)
{
    char *text = dm_actors_pool_strndup(a, name, len);
    char *folded = known_folded ? NULL : dm_actors_pool_strndup(a, fbuf, flen);
    if (!text || (!known_folded && !folded))
        return DM_E_NOMEM;
    GROW(a->names, a->n_names, a->cap_names);
    dm_name *nm = &a->names[a->n_names];
    memset(nm, 0, sizeof *nm);
    nm->text = text;
    nm->len = (uint32_t)len;
    nm->entity = entity;
    nm->case_mode = (uint8_t)mode;
    nm->had_the = had_the;
    nm->ascii = len > 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] >= 0x80)
            nm->ascii = false;
    if (mode == DM_NAME_CAPITALISED_CI && fw == len) {
        size_t letters = 0;
        for (size_t i = 0; i < len;) {
            UChar32 c;
            U8_NEXT(name, i, len, c);
            letters += c >= 0 && u_isalpha(c);
        }
        nm->short_acronym = letters <= 4;
    }
    uint32_t index = (uint32_t)a->n_names;
    if (folded && !strmap_put_hashed(&a->folded_names, folded, index, fh))
        return DM_E_NOMEM;
    a->n_names++;
    return bucket_insert(a, index, fbuf, ffw);
}

size_t dm_actors_strip_the(const char *s, size_t len)
{
    if (len > 4 && (s[0] == 't' || s[0] == 'T') && (s[1] == 'h' || s[1] == 'H')
        && (s[2] == 'e' || s[2] == 'E') && s[3] == ' ')
        return 4;
    return 0;
}

/* Days from civil (proleptic Gregorian), after H. Hinnant's algorithm. */
bool dm_actors_day_number(int y, int m, int d, int32_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return false;
    y -= m <= 2;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = era * 146097 + doe - 719468;
    return true;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool dm_actors_parse_query_date(const char *date, int32_t *from, int32_t *to)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!date)
        return false;
    size_t n = strlen(date);
    int y = n >= 4 ? digits(date, 4) : -1;
    /* GDELT's forms, YYYYMMDD and YYYYMMDDHHMMSS, as dm_date_parse reads them
     * (a record's date that the chart reads must pick the same sense here). */
    bool all_digits = true;
    for (size_t i = 4; i < n && all_digits; i++)
        all_digits = date[i] >= '0' && date[i] <= '9';
    if (y >= 1 && (n == 8 || n == 14) && all_digits) {
        if (!dm_actors_day_number(y, digits(date + 4, 2), digits(date + 6, 2), from))
            return false;
        *to = *from;
        return true;
    }
    if (y < 1 || (n > 4 && date[4] != '-'))
        return false;
    if (n == 4)
        return dm_actors_day_number(y, 1, 1, from)
               && dm_actors_day_number(y, 12, 31, to);
    int m = n >= 7 ? digits(date + 5, 2) : -1;
    if (m < 1 || m > 12)
        return false;
    if (n == 7 || date[7] != '-') {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int last = mdays[m - 1] + (m == 2 && leap);
        return dm_actors_day_number(y, m, 1, from)
               && dm_actors_day_number(y, m, last, to);
    }
    int d = n >= 10 ? digits(date + 8, 2) : -1;
    if (!dm_actors_day_number(y, m, d, from))
        return false;
    *to = *from;
    return true;
}

static int64_t overlap_days(const dm_sense *s, int32_t qfrom, int32_t qto)
{
    int64_t lo = s->from > qfrom ? s->from : qfrom;
    int64_t hi = s->to < qto ? s->to : qto;
    return hi >= lo ? hi - lo + 1 : 0;
}

static int64_t distance_days(const dm_sense *s, int32_t qfrom, int32_t qto)
{
    if (s->to < qfrom)
        return (int64_t)qfrom - s->to;
    if (s->from > qto)
        return (int64_t)s->from - qto;
    return 0;
}

/* Rules: a sense covering the whole query range wins (the most recent start
 * first, so on a hand-over day the new role wins); else the largest overlap;
 * else (no sense valid) the nearest sense, flagged so the role is dropped. */
const dm_sense *dm_actors_pick_sense(const dm_actors *a, const dm_entity *e,
                                     bool has_date, int32_t qfrom, int32_t qto,
                                     bool *dated_ok)
{
    const dm_sense *first = &a->senses[e->first_sense];
    const dm_sense *best = NULL;
    *dated_ok = true;
    if (e->n_senses == 0)
        return NULL;
    if (!has_date) {
        for (uint32_t i = 0; i < e->n_senses; i++) {
            const dm_sense *s = &first[i];
            if (!best || s->from > best->from
                || (s->from == best->from && s->to > best->to))
                best = s;
        }
        return best;
    }
    for (uint32_t i = 0; i < e->n_senses; i++) {
        const dm_sense *s = &first[i];
        if (s->from <= qfrom && s->to >= qto && (!best || s->from > best->from))
            best = s;
    }
    if (best)
        return best;
    int64_t best_overlap = 0;
    for (uint32_t i = 0; i < e->n_senses; i++) {
        int64_t o = overlap_days(&first[i], qfrom, qto);
        if (o > best_overlap || (o == best_overlap && o > 0
                                 && first[i].from > best->from)) {
            best = &first[i];
            best_overlap = o;
        }
    }
    if (best)
        return best;
    *dated_ok = false;
    int64_t best_dist = INT64_MAX;
    for (uint32_t i = 0; i < e->n_senses; i++) {
        int64_t d = distance_days(&first[i], qfrom, qto);
        if (d < best_dist) {
            best = &first[i];
            best_dist = d;
        }
    }
    return best;
}
