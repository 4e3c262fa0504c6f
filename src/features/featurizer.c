/* The featurizer object: settings, lexicons, the feature space, the sparse
 * vector helpers, the per-family counting and the --explain name map. */
#include "features/features_internal.h"
#include "model/params_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void dm_feature_settings_default(dm_feature_settings *s)
{
    if (s)
        dm_params_defaults_internal(NULL, s); /* the parameter table, model.h */
}

_Static_assert(NF_COUNT == DM_FEATURES_NAMED_COUNT,
               "DM_FEATURES_NAMED_COUNT (features.h) must equal NF_COUNT: update it "
               "and bump DM_FEATURES_LAYOUT_VERSION");

/* ---- sparse vectors ----------------------------------------------------- */

void dm_fvec_init(dm_fvec *f)
{
    if (f)
        memset(f, 0, sizeof *f);
}

void dm_fvec_free(dm_fvec *f)
{
    if (!f)
        return;
    free(f->v);
    memset(f, 0, sizeof *f);
}

void dm_fvec_clear(dm_fvec *f)
{
    if (f)
        f->n = 0;
}

double dm_fvec_get(const dm_fvec *f, int index)
{
    if (!f || !f->v)
        return 0;
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->v[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->n && f->v[lo].index == index ? f->v[lo].value : 0;
}

dm_status dm_fz_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return DM_OK;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return DM_E_NOMEM;
    *p = q;
    *cap = n;
    return DM_OK;
}

/* Sorting by index without qsort's comparator calls: these vectors are
 * short (tens to hundreds) and sorted once per statement, so the direct
 * comparisons matter for throughput. Quicksort, insertion sort below 16. */
#define DEFINE_SORT(name, type, key)                                          \
    static void name(type *a, size_t n)                                       \
    {                                                                         \
        while (n > 16) {                                                      \
            type *mid = a + n / 2, *last = a + n - 1, t;                      \
            /* median of three into a[0] */                                   \
            if (key(*mid) < key(a[0])) { t = *mid; *mid = a[0]; a[0] = t; }   \
            if (key(*last) < key(a[0])) { t = *last; *last = a[0]; a[0] = t; }\
            if (key(*last) < key(*mid)) { t = *last; *last = *mid; *mid = t; }\
            t = *mid; *mid = a[0]; a[0] = t;                                  \
            size_t i = 1, j = n - 1;                                          \
            for (;;) {                                                        \
                while (i <= j && key(a[i]) < key(a[0])) i++;                  \
                while (j >= i && key(a[0]) < key(a[j])) j--;                  \
                if (i >= j) break;                                            \
                t = a[i]; a[i] = a[j]; a[j] = t;                              \
                i++; j--;                                                     \
            }                                                                 \
            t = a[0]; a[0] = a[j]; a[j] = t;                                  \
            /* recurse into the smaller side, loop on the larger */           \
            if (j < n - j - 1) {                                              \
                name(a, j);                                                   \
                a += j + 1;                                                   \
                n -= j + 1;                                                   \
            } else {                                                          \
                name(a + j + 1, n - j - 1);                                   \
                n = j;                                                        \
            }                                                                 \
        }                                                                     \
        for (size_t i = 1; i < n; i++) {                                      \
            type t = a[i];                                                    \
            size_t j = i;                                                     \
            for (; j > 0 && key(t) < key(a[j - 1]); j--)                      \
                a[j] = a[j - 1];                                              \
            a[j] = t;                                                         \
        }                                                                     \
    }

#define FEATURE_KEY(f) ((f).index)
DEFINE_SORT(sort_features, dm_feature, FEATURE_KEY)
DEFINE_SORT(sort_raw, dm_rawfeat, FEATURE_KEY)

/* Values of one bucket, bit for bit (the sums below depend on the bits). */
static bool same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Two sorted runs into `out`, a's entry first on equal indices; the end. */
static dm_feature *merge_two(const dm_feature *a, size_t na, const dm_feature *b,
                             size_t nb, dm_feature *out)
{
    while (na && nb) {
        if (b->index < a->index) {
            *out++ = *b++;
            nb--;
        } else {
            *out++ = *a++;
            na--;
        }
    }
    memcpy(out, a, na * sizeof *a);
    out += na;
    memcpy(out, b, nb * sizeof *b);
    return out + nb;
}

/* A vector is the families pushed one after the other, each sorted by
 * index (dm_fz_family_flush), with the named features between them: a few
 * ascending runs, which a natural merge sorts in log2(runs) passes where
 * the quicksort compared every entry log2(n) times. Equal indices are
 * added up in the order the sort leaves them, and float addition is not
 * associative: the quicksort's order of three or more different values of
 * one index is what the weights were trained with. So the merged result is
 * kept only when every index occurring 3+ times has one value throughout
 * (two values sum alike in either order). Returns where the merged entries
 * are: v[0..n) itself when it was one run already, else the half of the
 * scratch after it where the last pass wrote them (the caller's sums read
 * them from there, instead of a copy back into v[0..n)). Else (and when
 * there are more than MERGE_RUNS runs or no room) NULL, v[0..n) as it was,
 * and the caller quicksorts. */
#define MERGE_RUNS 64
static const dm_feature *merge_runs(dm_fvec *f)
{
    size_t n = f->n, bounds[MERGE_RUNS + 1], nr = 0;
    const dm_feature *v = f->v;
    bounds[0] = 0;
    for (size_t i = 1; i < n; i++)
        if (v[i].index < v[i - 1].index) {
            if (++nr == MERGE_RUNS)
                return NULL;
            bounds[nr] = i;
        }
    bounds[++nr] = n;
    const dm_feature *r = f->v;
    if (nr > 1) {
        if (dm_fz_grow((void **)&f->v, &f->cap, 3 * n, sizeof *f->v) != DM_OK)
            return NULL;
        /* v[0..n) stays as it came; the passes go between the two halves
         * after it. */
        dm_feature *half[2] = {f->v + n, f->v + 2 * n};
        const dm_feature *src = f->v;
        int to = 0;
        while (nr > 1) {
            dm_feature *dst = half[to];
            size_t k = 0;
            for (size_t i = 0; i < nr; i += 2) {
                size_t a = bounds[i], b = i + 1 < nr ? bounds[i + 1] : bounds[nr];
                size_t e = i + 1 < nr ? bounds[i + 2] : bounds[nr];
                merge_two(src + a, b - a, src + b, e - b, dst + a);
                bounds[k++] = a;
            }
            bounds[k] = n;
            nr = k;
            src = dst;
            to ^= 1;
        }
        r = src;
    }
    for (size_t i = 2; i < n; i++)
        if (r[i].index == r[i - 2].index &&
            (!same_bits(r[i].value, r[i - 1].value) ||
             !same_bits(r[i - 1].value, r[i - 2].value)))
            return NULL;
    return r;
}

void dm_fvec_sort_merge(dm_fvec *f)
{
    if (!f || f->n == 0)
        return;
    /* Up to 16 entries the quicksort is an insertion sort already. */
    const dm_feature *s = f->n > 16 ? merge_runs(f) : NULL;
    if (!s) {
        sort_features(f->v, f->n);
        s = f->v;
    }
    /* Add up each index's entries, in order, into v[0..); drop the sums
     * that are 0. s is v itself (k <= r: each entry is read before it is
     * written over) or the merge's scratch after v[0..n). */
    dm_feature *v = f->v;
    size_t n = f->n, k = 0;
    for (size_t r = 0; r < n;) {
        dm_feature e = s[r++];
        while (r < n && s[r].index == e.index)
            e.value += s[r++].value;
        if (e.value != 0)
            v[k++] = e;
    }
    f->n = k;
}

/* ---- hashed families ---------------------------------------------------- */

static void remember_name(dm_featurizer *fz, uint32_t hash, const char *s,
                          size_t len)
{
    uint32_t bucket = hash & fz->mask;
    char **slot = &fz->bucket_names[bucket];
    /* Same full 32-bit hash: take it as the same string (cheap test). */
    if (*slot && fz->bucket_hashes[bucket] == hash)
        return;
    fz->bucket_hashes[bucket] = hash;
    char *copy = realloc(*slot, len + 1);
    if (!copy)
        return; /* explain is best effort: keep the old name */
    memcpy(copy, s, len);
    copy[len] = '\0';
    *slot = copy;
}

dm_status dm_fz_add_hashed(dm_featurizer *fz, const char *s, size_t len,
                           double value)
{
    uint32_t hash = dm_hash32(s, len, fz->settings.hash_seed);
    if (dm_fz_add_hash(fz, hash, value) != DM_OK)
        return DM_E_NOMEM;
    if (fz->explain)
        remember_name(fz, hash, s, len);
    return DM_OK;
}

/* log1p of a count: most are small whole numbers, whose logarithms libm's
 * log1p gave once (the same bits: the table is filled by log1p itself). */
#define SMALL_COUNTS 32
static double small_count_log1p[SMALL_COUNTS];
static pthread_once_t small_count_once = PTHREAD_ONCE_INIT;

static void fill_small_counts(void)
{
    for (int k = 0; k < SMALL_COUNTS; k++)
        small_count_log1p[k] = log1p((double)k);
}

/* log1p of a family's value (a float) through the scratch's memo: the
 * same bits as log1p itself, which is a function of the float's bits;
 * libm's log1p was 1.2% of --statements' instructions, most of it on
 * values seen before. */
static double memo_log1p(dm_scratch *sc, float f)
{
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    uint32_t slot = (bits * UINT32_C(0x9E3779B1)) >> 22; /* top 10 bits */
    _Static_assert(DM_LOG1P_MEMO == 1 << 10, "the memo's slot is 10 bits");
    if (sc->log1p_bits[slot] == bits)
        return sc->log1p_value[slot];
    double r = log1p((double)f);
    sc->log1p_bits[slot] = bits;
    sc->log1p_value[slot] = r;
    return r;
}

/* Call small_counts_ready() before (once per family, not per value). */
static double count_log1p(dm_scratch *sc, float f)
{
    double v = f;
    if (v >= 0 && v < SMALL_COUNTS && v == (double)(int)v)
        return small_count_log1p[(int)v];
    return memo_log1p(sc, f);
}

static void small_counts_ready(void)
{
    pthread_once(&small_count_once, fill_small_counts);
}

double dm_fz_count_log1p(dm_featurizer *fz, float f)
{
    small_counts_ready();
    return count_log1p(&fz->sc, f);
}

/* ---- a family's sort without the quicksort's branches ------------------ */
/* family_merge's sums are float, of each index's entries in the order the
 * quicksort leaves them. That order matters only for an index with three
 * or more entries of different values (two add alike either way, equal
 * ones in any order): such a family is refused here and quicksorted as
 * before, so the sums are the same bits. */

/* An entry as one integer: the index above the value's bits, so that one
 * unsigned comparison orders by index, then by value bits. */
static inline uint64_t pack_raw(dm_rawfeat f)
{
    uint32_t bits;
    memcpy(&bits, &f.value, sizeof bits);
    return (uint64_t)f.index << 32 | bits;
}

static inline dm_rawfeat unpack_raw(uint64_t k)
{
    dm_rawfeat f = {.index = (uint32_t)(k >> 32)};
    uint32_t bits = (uint32_t)k;
    memcpy(&f.value, &bits, sizeof bits);
    return f;
}

/* Sort k[0..n) ascending into out[0..n): the keys spread over at least n
 * buckets by the top bits of their index (a counting pass, a scatter),
 * then an insertion sort, which moves only the keys that shared a bucket.
 * The keys are hashes, so every data-dependent branch of a comparison
 * sort is a coin toss: perf put the quicksort of the families at ~8% of a
 * run, this sort and its checks at ~2%. `any_index` is the OR of all
 * indices (their bit length). `count` has room for 2^bucket_bits(n)
 * counters. */
#define BUCKET_BITS_STACK 11
#define BUCKET_BITS_MAX 22
/* Buckets for n keys: the first power of two >= n, so that a bucket holds
 * about one key however long the text (with a fixed 2^11 buckets, a whole
 * speech given as one statement put hundreds of keys in each and the
 * insertion sort grew with the square of the text). */
static unsigned bucket_bits(size_t n)
{
    unsigned b = 1;
    while (b < BUCKET_BITS_MAX && ((size_t)1 << b) < n)
        b++;
    return b;
}

#define BUCKET_INSERTION_MAX 32
static int compare_keys(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void bucket_sort_keys(const uint64_t *k, uint64_t *out, size_t n,
                             uint32_t any_index, uint32_t *count)
{
    unsigned bits = 0, b = bucket_bits(n);
    while (bits < 32 && (any_index >> bits))
        bits++;
    unsigned shift = 32 + (bits > b ? bits - b : 0);
    size_t nb = (size_t)1 << b;
    memset(count, 0, nb * sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[k[i] >> shift]++;
    uint32_t at = 0;
    for (size_t d = 0; d < nb; d++) {
        uint32_t c = count[d];
        count[d] = at;
        at += c;
    }
    for (size_t i = 0; i < n; i++)
        out[count[k[i] >> shift]++] = k[i];
    /* count[d] is now the end of bucket d. One index repeated with many
     * values (a frequent word of a long text in a distance-weighted
     * family) fills one bucket: the comparison sort there, not the
     * insertion sort's square. */
    size_t from = 0;
    for (size_t d = 0; d < nb; d++) {
        size_t to = count[d];
        if (to - from > BUCKET_INSERTION_MAX) {
            qsort(out + from, to - from, sizeof *out, compare_keys);
        } else {
            for (size_t i = from + 1; i < to; i++) {
                uint64_t t = out[i];
                size_t j = i;
                for (; j > from && t < out[j - 1]; j--)
                    out[j] = out[j - 1];
                out[j] = t;
            }
        }
        from = to;
    }
}

size_t dm_fz_family_sum_packed(dm_rawfeat *v, size_t n, uint64_t **keys,
                               size_t *capkeys)
{
    if (!v || !keys || !capkeys)
        return (size_t)-1;
    if (n == 0)
        return 0;
    /* The keys, their sorted copy, and (for more buckets than the stack's)
     * the bucket counters, two to a slot. */
    size_t nb = (size_t)1 << bucket_bits(n);
    size_t slots = 2 * n + (nb > ((size_t)1 << BUCKET_BITS_STACK) ? nb / 2 : 0);
    if (dm_fz_grow((void **)keys, capkeys, slots, sizeof **keys) != DM_OK)
        return (size_t)-1;
    uint64_t *k = *keys;
    uint32_t stack_count[1u << BUCKET_BITS_STACK];
    uint32_t *count = slots > 2 * n ? (uint32_t *)(k + 2 * n) : stack_count;
    uint32_t any = 0;
    for (size_t i = 0; i < n; i++) {
        k[i] = pack_raw(v[i]);
        any |= v[i].index;
    }
    const uint64_t *s = k + n;
    bucket_sort_keys(k, k + n, n, any, count);
    /* An index of 3+ entries whose values differ: the sum depends on the
     * order, and the weights were trained with the quicksort's. */
    size_t same = 1;          /* entries of the current index so far */
    bool differ = false;      /* one of them differs from its first */
    for (size_t i = 1; i < n; i++) {
        if ((s[i] >> 32) != (s[i - 1] >> 32)) {
            same = 1;
            differ = false;
            continue;
        }
        differ |= (uint32_t)s[i] != (uint32_t)s[i - same];
        if (++same >= 3 && differ)
            return (size_t)-1;
    }
    size_t w = 0;
    for (size_t r = 0; r < n; r++) {
        dm_rawfeat f = unpack_raw(s[r]);
        if (w > 0 && v[w - 1].index == f.index)
            v[w - 1].value += f.value;
        else
            v[w++] = f;
    }
    return w;
}

/* Count the family (merge equal buckets), apply log-tf, L2-normalise, scale,
 * and append it to `out`. The family buffer is emptied. */
/* Sort the current family and add up the entries of one bucket; its new
 * size. */
static size_t family_merge(dm_scratch *sc)
{
    if (sc->nfam > DM_FAMILY_PACKED_MIN) {
        size_t w = dm_fz_family_sum_packed(sc->fam, sc->nfam, &sc->keys,
                                           &sc->capkeys);
        if (w != (size_t)-1)
            return w;
    }
    sort_raw(sc->fam, sc->nfam);
    size_t w = 0;
    for (size_t r = 0; r < sc->nfam; r++) {
        if (w > 0 && sc->fam[w - 1].index == sc->fam[r].index)
            sc->fam[w - 1].value += sc->fam[r].value;
        else
            sc->fam[w++] = sc->fam[r];
    }
    return w;
}

/* Merge, log tf and scale to unit length in place; the L2 norm before
 * scaling (0: an empty or all-zero family, left as it is). */
static double family_normalise(dm_featurizer *fz)
{
    dm_scratch *sc = &fz->sc;
    size_t w = family_merge(sc);
    double norm = 0;
    if (fz->settings.log_tf)
        small_counts_ready();
    for (size_t i = 0; i < w; i++) {
        double v = sc->fam[i].value;
        if (fz->settings.log_tf)
            v = count_log1p(sc, sc->fam[i].value);
        sc->fam[i].value = (float)v;
        norm += v * v;
    }
    sc->nfam = w;
    return norm > 0 ? sqrt(norm) : 0;
}

dm_status dm_fz_family_flush(dm_featurizer *fz, dm_fvec *out, double scale)
{
    dm_scratch *sc = &fz->sc;
    if (sc->nfam == 0)
        return DM_OK;
    double norm = family_normalise(fz);
    size_t w = sc->nfam;
    sc->nfam = 0;
    if (norm <= 0)
        return DM_OK;
    for (size_t i = 0; i < w; i++)
        if (dm_fvec_push(out, (int)sc->fam[i].index + 1,
                         scale * sc->fam[i].value / norm) != DM_OK)
            return DM_E_NOMEM;
    return DM_OK;
}

dm_status dm_fz_family_unit(dm_featurizer *fz)
{
    dm_scratch *sc = &fz->sc;
    if (sc->nfam == 0)
        return DM_OK;
    double norm = family_normalise(fz);
    for (size_t i = 0; i < sc->nfam; i++)
        sc->fam[i].value = norm > 0 ? (float)(sc->fam[i].value / norm) : 0.0f;
    return DM_OK;
}

dm_status dm_fz_family_push_raw(dm_featurizer *fz, dm_fvec *out, double scale)
{
    dm_scratch *sc = &fz->sc;
    size_t w = sc->nfam ? family_merge(sc) : 0;
    sc->nfam = 0;
    for (size_t i = 0; i < w; i++)
        if (sc->fam[i].value != 0 &&
            dm_fvec_push(out, (int)sc->fam[i].index + 1, scale * sc->fam[i].value) != DM_OK)
            return DM_E_NOMEM;
    return DM_OK;
}

dm_status dm_fz_family_push_pair(dm_fvec *out, const dm_rawfeat *a, size_t na,
                                 const dm_rawfeat *b, size_t nb, double scale)
{
    if (!out || (!a && na) || (!b && nb))
        return DM_E_INVALID_ARG;
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        dm_rawfeat f;
        if (j == nb || (i < na && a[i].index < b[j].index)) {
            f = a[i++];
        } else if (i == na || b[j].index < a[i].index) {
            f = b[j++];
        } else {
            f = a[i++];
            f.value += b[j++].value; /* two floats add alike either way */
        }
        if (f.value != 0 && dm_fvec_push(out, (int)f.index + 1, scale * f.value) != DM_OK)
            return DM_E_NOMEM;
    }
    return DM_OK;
}

/* ---- the object --------------------------------------------------------- */

static dm_status check_settings(const dm_feature_settings *s, dm_error *err)
{
    return dm_params_check_internal(NULL, s, err); /* ranges: the parameter table */
}

dm_status dm_featurizer_create(const dm_feature_settings *settings,
                               const char *lexicon_dir, dm_featurizer **out,
                               dm_error *err)
{
    if (!lexicon_dir || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_featurizer_create: NULL argument");
    *out = NULL;
    dm_feature_settings s;
    if (settings)
        s = *settings;
    else
        dm_feature_settings_default(&s);
    dm_status st = check_settings(&s, err);
    if (st != DM_OK)
        return st;
    dm_featurizer *fz = calloc(1, sizeof *fz);
    if (!fz)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    fz->settings = s;
    int stance_bits = s.stance_hash_bits ? s.stance_hash_bits : s.hash_bits;
    fz->task_mask[0] = (1u << s.hash_bits) - 1;
    fz->task_named_base[0] = (1 << s.hash_bits) + 1;
    fz->task_mask[1] = (1u << stance_bits) - 1;
    fz->task_named_base[1] = (1 << stance_bits) + 1;
    fz->mask = fz->task_mask[0];
    fz->named_base = fz->task_named_base[0];
    for (int i = 0; i < NF_COUNT; i++)
        dm_named_feature_name(i, fz->named_names[i], sizeof fz->named_names[i]);
    st = dm_lexicon_load(&fz->lex, lexicon_dir, s.hash_seed, err);
    if (st != DM_OK) {
        free(fz);
        return st;
    }
    st = dm_fz_load_actor_codes(fz, lexicon_dir, err);
    if (st != DM_OK) {
        dm_lexicon_free(&fz->lex);
        free(fz);
        return st;
    }
    *out = fz;
    return DM_OK;
}

/* Buckets of the larger task: the size of the explain map. */
static size_t explain_buckets(const dm_featurizer *fz)
{
    uint32_t m = fz->task_mask[0] > fz->task_mask[1] ? fz->task_mask[0] : fz->task_mask[1];
    return (size_t)m + 1;
}

static void free_names(dm_featurizer *fz)
{
    if (!fz->bucket_names)
        return;
    for (size_t i = 0; i < explain_buckets(fz); i++)
        free(fz->bucket_names[i]);
    free(fz->bucket_names);
    free(fz->bucket_hashes);
    fz->bucket_names = NULL;
    fz->bucket_hashes = NULL;
}

dm_status dm_featurizer_clone(const dm_featurizer *fz, dm_featurizer **out,
                              dm_error *err)
{
    if (!fz || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_featurizer_clone: NULL argument");
    *out = NULL;
    dm_featurizer *c = calloc(1, sizeof *c);
    if (!c)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    c->settings = fz->settings;
    c->lex = fz->lex;                   /* borrowed, read-only */
    c->mask = fz->mask;
    c->named_base = fz->named_base;
    memcpy(c->task_mask, fz->task_mask, sizeof c->task_mask);
    memcpy(c->task_named_base, fz->task_named_base, sizeof c->task_named_base);
    memcpy(c->named_names, fz->named_names, sizeof c->named_names);
    c->actor_codes = fz->actor_codes;   /* borrowed, read-only */
    c->n_actor_codes = fz->n_actor_codes;
    c->origin = fz->origin ? fz->origin : fz;
    if (fz->explain && dm_featurizer_set_explain(c, true) != DM_OK) {
        dm_featurizer_destroy(&c);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    *out = c;
    return DM_OK;
}

void dm_featurizer_destroy(dm_featurizer **fz)
{
    if (!fz || !*fz)
        return;
    dm_featurizer *f = *fz;
    if (!f->origin) {
        dm_lexicon_free(&f->lex);
        dm_fz_free_actor_codes(f);
    }
    free_names(f);
    free(f->sc.toks);
    free(f->sc.hits);
    free(f->sc.impl);
    free(f->sc.clause_of);
    free(f->sc.fam);
    free(f->sc.keys);
    free(f->sc.buf);
    free(f->sc.ttoks);
    free(f->sc.valence);
    free(f->sc.cpos);
    free(f->sc.focal);
    free(f->sc.side_next);
    free(f->sc.con);
    free(f->sc.dfam);
    dm_tokens_free(&f->sc.cur);
    dm_fz_free_token_cache(f);
    dm_fz_memo_free(&f->sc.memo);
    free(f);
    *fz = NULL;
}

dm_status dm_featurizer_set_explain(dm_featurizer *fz, bool on)
{
    if (!fz)
        return DM_E_INVALID_ARG;
    if (on && !fz->bucket_names) {
        fz->bucket_names = calloc(explain_buckets(fz), sizeof(char *));
        fz->bucket_hashes = calloc(explain_buckets(fz), sizeof(uint32_t));
        if (!fz->bucket_names || !fz->bucket_hashes) {
            free(fz->bucket_names);
            free(fz->bucket_hashes);
            fz->bucket_names = NULL;
            fz->bucket_hashes = NULL;
            return DM_E_NOMEM;
        }
    } else if (!on) {
        free_names(fz);
    }
    fz->explain = on;
    return DM_OK;
}

const char *dm_featurizer_lexicon_checksum(const dm_featurizer *fz)
{
    return fz ? fz->lex.checksum : NULL;
}

const dm_feature_settings *dm_featurizer_settings(const dm_featurizer *fz)
{
    return fz ? &fz->settings : NULL;
}

int dm_featurizer_dimensions(const dm_featurizer *fz)
{
    return dm_featurizer_task_dimensions(fz, false);
}

int dm_featurizer_task_dimensions(const dm_featurizer *fz, bool stance)
{
    return fz ? fz->task_named_base[stance ? 1 : 0] - 1 + NF_COUNT : 0;
}

const char *dm_featurizer_feature_name(const dm_featurizer *fz, int index)
{
    if (!fz || index < 1 || index > fz->named_base - 1 + NF_COUNT)
        return NULL;
    if (index >= fz->named_base)
        return fz->named_names[index - fz->named_base];
    return fz->bucket_names ? fz->bucket_names[index - 1] : NULL;
}

int dm_featurizer_feature_index(const dm_featurizer *fz, const char *name)
{
    if (!fz || !name)
        return 0;
    for (int i = 0; i < NF_COUNT; i++)
        if (strcmp(fz->named_names[i], name) == 0)
            return fz->named_base + i;
    return 1 + (int)(dm_hash32(name, strlen(name), fz->settings.hash_seed) &
                     fz->mask);
}
