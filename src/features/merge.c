/* Adding up the entries of one index, without sorting.
 *
 * A family (the hashed n-grams of a text, a target's side words) and a
 * whole vector come as entries pushed one after the other, an index
 * several times. Sorting them to add those up was a fifth of the
 * instructions of `demarche-score --statements` (bench/SPEED.md): the
 * indices are hashes, so every comparison of a sort is a coin toss. Here
 * each entry finds its index's first entry through a small open-addressing
 * table and is added to it.
 *
 * The order is part of the result, and the same for training and scoring:
 * each index's values are added in the order they were pushed, and the
 * merged entries keep the order of their first occurrence. Float addition
 * is not associative, so that order is what the weights are trained with;
 * sorting by index afterwards (dm_fvec_sort_unique, the public vectors)
 * moves entries but changes no value. */
#include "features/features_internal.h"

#include <stdlib.h>
#include <string.h>

/* Below this many entries the pairwise scan costs less than the table. */
#define SCAN_MAX 8

/* A table of 2^bits slots, at least twice the entries, zeroed; NULL when it
 * cannot grow. Slots hold 1 + the position of an index's merged entry. */
static uint32_t *ready_table(size_t n, unsigned *bits, uint32_t **table, size_t *cap)
{
    unsigned b = 4;
    while (((size_t)1 << b) < 2 * n)
        b++;
    if (b > 31 || dm_fz_grow((void **)table, cap, (size_t)1 << b, sizeof **table) != DM_OK)
        return NULL;
    memset(*table, 0, ((size_t)1 << b) * sizeof **table);
    *bits = b;
    return *table;
}

/* Fibonacci hashing: the top bits of index * 2^32/phi. Family indices are
 * hashes already, but a vector's named features are consecutive. */
static inline uint32_t slot_of(uint32_t index, unsigned bits)
{
    return (index * UINT32_C(0x9E3779B1)) >> (32 - bits);
}

/* One definition for both entry types: merge v[0..n) in place, return the
 * merged count, or (size_t)-1 when the table cannot grow (v untouched). */
#define DEFINE_MERGE(name, type)                                              \
    static size_t name(type *v, size_t n, uint32_t **table, size_t *cap)      \
    {                                                                         \
        size_t w = 0;                                                         \
        if (n <= SCAN_MAX) {                                                  \
            for (size_t r = 0; r < n; r++) {                                  \
                size_t j = 0;                                                 \
                while (j < w && v[j].index != v[r].index)                     \
                    j++;                                                      \
                if (j < w)                                                    \
                    v[j].value += v[r].value;                                 \
                else                                                          \
                    v[w++] = v[r];                                            \
            }                                                                 \
            return w;                                                         \
        }                                                                     \
        unsigned bits;                                                        \
        uint32_t *t = ready_table(n, &bits, table, cap);                      \
        if (!t)                                                               \
            return (size_t)-1;                                                \
        uint32_t wrap = ((uint32_t)1 << bits) - 1;                            \
        for (size_t r = 0; r < n; r++) {                                      \
            uint32_t s = slot_of((uint32_t)v[r].index, bits);                 \
            for (;; s = (s + 1) & wrap) {                                     \
                uint32_t at = t[s];                                           \
                if (at == 0) {                                                \
                    t[s] = (uint32_t)(w + 1);                                 \
                    v[w++] = v[r]; /* w <= r: read before written over */     \
                    break;                                                    \
                }                                                             \
                if (v[at - 1].index == v[r].index) {                          \
                    v[at - 1].value += v[r].value;                            \
                    break;                                                    \
                }                                                             \
            }                                                                 \
        }                                                                     \
        return w;                                                             \
    }

DEFINE_MERGE(merge_raw, dm_rawfeat)
DEFINE_MERGE(merge_features, dm_feature)

size_t dm_fz_merge_family(dm_rawfeat *v, size_t n, uint32_t **table, size_t *cap)
{
    if ((!v && n) || !table || !cap)
        return (size_t)-1;
    return merge_raw(v, n, table, cap);
}

size_t dm_fz_merge_scaled(dm_rawfeat *dst, const dm_rawfeat *const *src, const size_t *n,
                          const double *scale, size_t k, uint32_t **table, size_t *cap)
{
    if (!dst || (k && (!src || !n || !scale)) || !table || !cap)
        return (size_t)-1;
    size_t total = 0;
    for (size_t j = 0; j < k; j++)
        total += n[j];
    if (total == 0)
        return 0;
    unsigned bits;
    uint32_t *t = ready_table(total, &bits, table, cap);
    if (!t)
        return (size_t)-1;
    uint32_t wrap = ((uint32_t)1 << bits) - 1;
    size_t w = 0;
    for (size_t j = 0; j < k; j++) {
        const dm_rawfeat *v = src[j];
        double sc = scale[j];
        for (size_t r = 0; r < n[j]; r++) {
            uint32_t index = v[r].index;
            float value = (float)(sc * v[r].value);
            for (uint32_t s = slot_of(index, bits);; s = (s + 1) & wrap) {
                uint32_t at = t[s];
                if (at == 0) {
                    t[s] = (uint32_t)(w + 1);
                    dst[w].index = index;
                    dst[w++].value = value;
                    break;
                }
                if (dst[at - 1].index == index) {
                    dst[at - 1].value += value;
                    break;
                }
            }
        }
    }
    return w;
}

dm_status dm_fvec_merge(dm_fvec *f, uint32_t **table, size_t *cap)
{
    if (!f || !table || !cap)
        return DM_E_INVALID_ARG;
    size_t w = merge_features(f->v, f->n, table, cap);
    if (w == (size_t)-1)
        return DM_E_NOMEM;
    /* Sums of 0 (values that cancel, or pushed as 0) are no feature. */
    size_t k = 0;
    for (size_t i = 0; i < w; i++)
        if (f->v[i].value != 0)
            f->v[k++] = f->v[i];
    f->n = k;
    return DM_OK;
}

/* Quicksort by index, insertion sort below 16 (no comparator calls: these
 * are sorted for the public API and training, tens to hundreds long). */
static void sort_by_index(dm_feature *a, size_t n)
{
    while (n > 16) {
        dm_feature *mid = a + n / 2, *last = a + n - 1, t;
        /* median of three into a[0] */
        if (mid->index < a[0].index) { t = *mid; *mid = a[0]; a[0] = t; }
        if (last->index < a[0].index) { t = *last; *last = a[0]; a[0] = t; }
        if (last->index < mid->index) { t = *last; *last = *mid; *mid = t; }
        t = *mid; *mid = a[0]; a[0] = t;
        size_t i = 1, j = n - 1;
        for (;;) {
            while (i <= j && a[i].index < a[0].index) i++;
            while (j >= i && a[0].index < a[j].index) j--;
            if (i >= j) break;
            t = a[i]; a[i] = a[j]; a[j] = t;
            i++; j--;
        }
        t = a[0]; a[0] = a[j]; a[j] = t;
        /* recurse into the smaller side, loop on the larger */
        if (j < n - j - 1) {
            sort_by_index(a, j);
            a += j + 1;
            n -= j + 1;
        } else {
            sort_by_index(a + j + 1, n - j - 1);
            n = j;
        }
    }
    for (size_t i = 1; i < n; i++) {
        dm_feature t = a[i];
        size_t j = i;
        for (; j > 0 && t.index < a[j - 1].index; j--)
            a[j] = a[j - 1];
        a[j] = t;
    }
}

void dm_fvec_sort_unique(dm_fvec *f)
{
    if (f && f->n > 1)
        sort_by_index(f->v, f->n);
}
