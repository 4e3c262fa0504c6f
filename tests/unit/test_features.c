/* Tests of the featurizer: the hashes, the vector layout, each lexicon rule,
 * explain names and the invalid-argument paths. The target (stance)
 * features are in test_features_target.c, lexicon validation in
 * test_lexicons.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/features.h"
#include "demarche/text.h"
#include "features/features_internal.h"
#include "features_fixture.h"


/* Featurise `raw` after the text layer's normalisation, as the pipeline does. */
static void featurize(dm_featurizer *fz, const char *raw, const char *cue,
                      const char *context, dm_fvec *out)
{
    dm_text *t = NULL;
    assert_int_equal(dm_text_create(raw, strlen(raw), &t, NULL), DM_OK);
    dm_feature_input in = {.text = dm_text_norm(t), .len = dm_text_norm_len(t),
                           .cue = cue, .context = context};
    dm_error err;
    assert_int_equal(dm_features_hostility(fz, &in, out, &err), DM_OK);
    dm_text_destroy(&t);
}

static double feat(const dm_featurizer *fz, const dm_fvec *v, const char *name)
{
    int index = dm_featurizer_feature_index(fz, name);
    assert_true(index > 0);
    return dm_fvec_get(v, index);
}

static double term_weight(const dm_featurizer *fz, const char *key, bool hostile)
{
    const dm_lex_entry *e = dm_lexicon_get(&fz->lex, key, strlen(key),
                                           fz->settings.hash_seed);
    assert_non_null(e);
    return hostile ? e->hostile_weight : e->cordial_weight;
}

static double multiplier(const dm_featurizer *fz, const char *key)
{
    const dm_lex_entry *e = dm_lexicon_get(&fz->lex, key, strlen(key),
                                           fz->settings.hash_seed);
    assert_non_null(e);
    assert_true(e->flags & LEX_INTENSIFIER);
    return e->multiplier;
}

/* ---- hashes ------------------------------------------------------------- */

static void test_murmur3_vectors(void **state)
{
    (void)state;
    /* Published MurmurHash3_x86_32 vectors, rechecked with an independent
     * reference implementation. */
    assert_int_equal(dm_hash32("", 0, 0), 0);
    assert_int_equal(dm_hash32("", 0, 1), 0x514E28B7u);
    assert_int_equal(dm_hash32("hello", 5, 0), 0x248BFA47u);
    assert_int_equal(dm_hash32("abc", 3, 0), 0xB3DD93FAu);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    assert_int_equal(dm_hash32(fox, strlen(fox), 0x9747b28cu), 0x2FA826CDu);
    assert_int_equal(dm_hash32("w:not acceptable", 16, 0x646d3031u), 0x9297768Eu);
}

/* dm_hash32 fed in pieces (the n-grams' hashes) is dm_hash32 of the whole,
 * for every byte value and every way of cutting a string in three. */
static void test_hash_stream(void **state)
{
    (void)state;
    unsigned char bytes[41];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 67 + 200); /* crosses 0x80 and 0xff */
    for (size_t len = 0; len <= sizeof bytes; len++)
        for (size_t a = 0; a <= len; a++)
            for (size_t b = a; b <= len; b++) {
                dm_hash_stream h;
                dm_hash_stream_init(&h, 0x646d3031u);
                dm_hash_stream_add(&h, bytes, a);
                dm_hash_stream_add(&h, bytes + a, b - a);
                dm_hash_stream_add(&h, bytes + b, len - b);
                assert_int_equal(dm_hash_stream_end(&h), dm_hash32(bytes, len, 0x646d3031u));
            }
    dm_hash_stream h;
    dm_hash_stream_init(&h, 0x646d3031u);
    dm_hash_stream_add(&h, "w:", 2);
    dm_hash_stream_add(&h, "not", 3);
    dm_hash_stream_add(&h, " ", 1);
    dm_hash_stream_add(&h, "acceptable", 10);
    assert_int_equal(dm_hash_stream_end(&h), 0x9297768Eu);
    /* one byte at a time, inline, at every position of the 4-byte block */
    for (size_t len = 0; len <= sizeof bytes; len++)
        for (size_t a = 0; a < len; a++) {
            dm_hash_stream_init(&h, 0x646d3031u);
            dm_hash_stream_add(&h, bytes, a);
            dm_hash_stream_add_byte(&h, bytes[a]);
            dm_hash_stream_add(&h, bytes + a + 1, len - a - 1);
            assert_int_equal(dm_hash_stream_end(&h), dm_hash32(bytes, len, 0x646d3031u));
        }
}

/* dm_hash_stream_add2: the same bytes added to two streams with prefixes
 * of one length that end alike ("s:LC:" and "d:LC:", the side families)
 * leave each as dm_hash_stream_add would: dm_hash32 of its prefix and the
 * bytes, for every prefix length 0-7, every byte value and length. */
static void test_hash_stream_two(void **state)
{
    (void)state;
    unsigned char bytes[41];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 67 + 200);
    for (size_t pre = 0; pre < 8; pre++)
        for (size_t len = 0; len <= sizeof bytes; len++) {
            unsigned char a[64], b[64];
            for (size_t i = 0; i < pre; i++) {
                a[i] = (unsigned char)('a' + i);
                b[i] = (unsigned char)(i < pre - (pre & 3) ? 'A' + i * 5 : 'a' + i);
            }
            memcpy(a + pre, bytes, len);
            memcpy(b + pre, bytes, len);
            dm_hash_stream ha, hb;
            dm_hash_stream_init(&ha, 0x646d3031u);
            dm_hash_stream_init(&hb, 0x646d3031u);
            dm_hash_stream_add(&ha, a, pre);
            dm_hash_stream_add(&hb, b, pre);
            dm_hash_stream_add2(&ha, &hb, bytes, len);
            assert_int_equal(dm_hash_stream_end(&ha), dm_hash32(a, pre + len, 0x646d3031u));
            assert_int_equal(dm_hash_stream_end(&hb), dm_hash32(b, pre + len, 0x646d3031u));
            assert_int_equal(ha.len, hb.len);
            /* and either goes on as a stream */
            dm_hash_stream_add(&hb, "x", 1);
            b[pre + len] = 'x';
            assert_int_equal(dm_hash_stream_end(&hb), dm_hash32(b, pre + len + 1, 0x646d3031u));
        }
    dm_hash_stream s, d;
    dm_hash_stream_init(&s, 7);
    dm_hash_stream_init(&d, 7);
    dm_hash_stream_add(&s, "s:LC:", 5);
    dm_hash_stream_add(&d, "d:LC:", 5);
    dm_hash_stream_add2(&s, &d, "accused", 7);
    assert_int_equal(dm_hash_stream_end(&s), dm_hash32("s:LC:accused", 12, 7));
    assert_int_equal(dm_hash_stream_end(&d), dm_hash32("d:LC:accused", 12, 7));
}

/* Token i's two-token entry (lex2): the lexicon's entry of "token next"
 * when the token may open a phrase, none otherwise. True if it has one. */
static bool check_pair_entry(const dm_featurizer *fz, size_t i)
{
    const dm_ftok *t = &fz->sc.toks[i];
    if (!t->lex || !(t->lex->flags & LEX_PREFIX) || i + 1 == fz->sc.ntoks) {
        assert_null(t->lex2);
        return false;
    }
    char pair[256];
    int n = snprintf(pair, sizeof pair, "%s %s", t->s, t[1].s);
    assert_ptr_equal(t->lex2, dm_lexicon_get(&fz->lex, pair, (size_t)n, fz->settings.hash_seed));
    return t->lex2 != NULL;
}

/* The n-gram hashes extended token by token (explain off) are those of the
 * joined strings (explain on, which names them): the same vector to the bit,
 * for unigrams to trigrams; and each token's two-token lexicon entry, looked
 * up once per text, is the entry of the joined pair. */
static void test_ngrams_streamed_as_joined(void **state)
{
    (void)state;
    const char *texts[] = {
        "We strongly condemn the illegal occupation and do not accept it; we "
        "call on all parties to show restraint.",
        "The council, the council and the people: peace now! Resolution 2334, "
        "adopted in 2016, is not being implemented?",
        "Ça suffit. Über alles — naïve «quotes» and 日本語 text, once again.",
        "a", "",
    };
    for (int nmax = 1; nmax <= 3; nmax++) {
        dm_featurizer *fz = featurizer_ngrams(nmax);
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            dm_fvec streamed, joined;
            dm_fvec_init(&streamed);
            dm_fvec_init(&joined);
            featurize(fz, texts[k], "said", texts[(k + 1) % 5], &streamed);
            assert_int_equal(dm_featurizer_set_explain(fz, true), DM_OK);
            featurize(fz, texts[k], "said", texts[(k + 1) % 5], &joined);
            assert_int_equal(dm_featurizer_set_explain(fz, false), DM_OK);
            assert_int_equal(streamed.n, joined.n);
            for (size_t i = 0; i < streamed.n; i++) {
                assert_int_equal(streamed.v[i].index, joined.v[i].index);
                assert_memory_equal(&streamed.v[i].value, &joined.v[i].value,
                                    sizeof(double));
            }
            /* No context now: sc.toks are the text's tokens. */
            featurize(fz, texts[k], NULL, NULL, &streamed);
            for (size_t i = 0; i < fz->sc.ntoks; i++) {
                const dm_ftok *t = &fz->sc.toks[i];
                /* looked up in blocks of hashes (tokenize_into) */
                assert_ptr_equal(t->lex, dm_lexicon_get(&fz->lex, t->s, t->len,
                                                        fz->settings.hash_seed));
                /* the entry's flags kept in the token (dm_fz_may_match) */
                assert_int_equal(t->lexflags, t->lex ? t->lex->flags : 0);
                check_pair_entry(fz, i);
            }
            dm_fvec_free(&streamed);
            dm_fvec_free(&joined);
        }
        dm_featurizer_destroy(&fz);
    }
}

static void test_fnv1a64_vectors(void **state)
{
    (void)state;
    assert_true(dm_fnv1a64(DM_FNV1A64_BASIS, "", 0) == 0xcbf29ce484222325ULL);
    assert_true(dm_fnv1a64(DM_FNV1A64_BASIS, "a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(dm_fnv1a64(DM_FNV1A64_BASIS, "foobar", 6) == 0x85944171f73967e8ULL);
    /* Pieces hash as their concatenation. */
    assert_true(dm_fnv1a64(dm_fnv1a64(DM_FNV1A64_BASIS, "foo", 3), "bar", 3) ==
                0x85944171f73967e8ULL);
    /* FNV-1a 32 (the hold-out split, string tables). */
    assert_int_equal(dm_fnv1a32(DM_FNV1A32_BASIS, "", 0), 0x811c9dc5u);
    assert_int_equal(dm_fnv1a32(DM_FNV1A32_BASIS, "a", 1), 0xe40c292cu);
    assert_int_equal(dm_fnv1a32(DM_FNV1A32_BASIS, "foobar", 6), 0xbf9cf968u);
}

/* The reference merge: each index's values added in input order into its
 * first entry, the merged entries in the order of first occurrence (by a
 * stable sort of positions, independent of merge.c's table). */
typedef struct { uint32_t index; size_t pos; } index_pos;
static int cmp_index_pos(const void *a, const void *b)
{
    const index_pos *x = a, *y = b;
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static size_t reference_merge(const dm_rawfeat *v, size_t n, dm_rawfeat *out)
{
    index_pos *ip = malloc((n + 1) * sizeof *ip);
    size_t *first = malloc((n + 1) * sizeof *first);
    assert_non_null(ip);
    assert_non_null(first);
    for (size_t i = 0; i < n; i++)
        ip[i] = (index_pos){v[i].index, i};
    qsort(ip, n, sizeof *ip, cmp_index_pos);
    /* out[pos of first] = the sum; others marked empty (first[] = n) */
    for (size_t i = 0; i < n; i++)
        first[i] = n;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        float sum = v[ip[i].pos].value;
        for (j = i + 1; j < n && ip[j].index == ip[i].index; j++)
            sum += v[ip[j].pos].value;
        first[ip[i].pos] = ip[i].pos;
        out[ip[i].pos] = (dm_rawfeat){ip[i].index, sum};
        i = j;
    }
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (first[i] != n)
            out[w++] = out[i];
    free(ip);
    free(first);
    return w;
}

/* dm_fz_merge_family: the reference's entries, bit for bit, at sizes on
 * both sides of the pairwise scan (8) and far past it, indices of 4 to 32
 * bits, crowded ones, and values whose sum depends on the order. */
static void test_merge_family(void **state)
{
    (void)state;
    uint32_t *table = NULL;
    size_t cap = 0;
    dm_rawfeat one = {7, 1.0f};
    assert_true(dm_fz_merge_family(NULL, 1, &table, &cap) == (size_t)-1);
    assert_true(dm_fz_merge_family(&one, 1, NULL, &cap) == (size_t)-1);
    assert_true(dm_fz_merge_family(&one, 1, &table, NULL) == (size_t)-1);
    assert_int_equal(dm_fz_merge_family(NULL, 0, &table, &cap), 0);
    assert_int_equal(dm_fz_merge_family(&one, 1, &table, &cap), 1);
    assert_true(one.index == 7 && one.value == 1.0f);

    enum { MAX_KEYS = 70000 };
    static const size_t sizes[] = {2, 5, 8, 9, 17, 44, 300, 5000, MAX_KEYS};
    static const unsigned widths[] = {4, 16, 18, 32, 0};
    static const float values[] = {1.0f, 0.1f, 1e8f, -0.25f, 3.0f};
    dm_rawfeat *v = malloc(MAX_KEYS * sizeof *v), *ref = malloc(MAX_KEYS * sizeof *ref);
    assert_non_null(v);
    assert_non_null(ref);
    uint32_t x = 99;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
        for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++) {
            size_t n = sizes[si];
            uint32_t mask = widths[wi] == 32 ? 0xffffffffu : (1u << widths[wi]) - 1;
            for (size_t i = 0; i < n; i++) {
                x = x * 1103515245u + 12345u;
                uint32_t h = x ^ (x >> 15) * 2654435761u;
                /* width 0: crowded into 1000..1255, one at 2^32 - 1 */
                v[i].index = widths[wi] ? h & mask : 1000 + (h & 255);
                if (!widths[wi] && i == n / 2)
                    v[i].index = 0xffffffffu;
                v[i].value = values[(x >> 7) % 5];
            }
            size_t w = reference_merge(v, n, ref);
            assert_int_equal(dm_fz_merge_family(v, n, &table, &cap), w);
            assert_memory_equal(v, ref, w * sizeof *v);
        }
    /* the order of a sum is the input's: 1e8 + 1 + (-1e8) is not 1 + ... */
    dm_rawfeat three[12];
    for (int variant = 0; variant < 2; variant++) {
        size_t n = variant ? 12 : 3; /* the scan and the table */
        for (size_t i = 0; i < n; i++)
            three[i] = (dm_rawfeat){(uint32_t)(100 + i), 1.0f};
        three[0] = (dm_rawfeat){5, 1e8f};
        three[1] = (dm_rawfeat){5, 1.0f};
        three[2] = (dm_rawfeat){5, -1e8f};
        assert_int_equal(dm_fz_merge_family(three, n, &table, &cap), n - 2);
        assert_int_equal(three[0].index, 5);
        assert_true(three[0].value == (1e8f + 1.0f) + -1e8f);
        for (size_t i = 1; i < n - 2; i++)
            assert_int_equal(three[i].index, 100 + i + 2);
    }
    free(v);
    free(ref);
    free(table);
}

/* dm_fz_merge_scaled: what dm_fz_merge_family gives for the families
 * copied one after the other with their values scaled, bit for bit: one
 * to five families, empty ones, repeated indices within one and across
 * them, scales whose products round. */
static void test_merge_scaled(void **state)
{
    (void)state;
    uint32_t *table = NULL;
    size_t cap = 0;
    dm_rawfeat one = {7, 0.5f}, dst[4];
    const dm_rawfeat *src1[1] = {&one};
    size_t n1[1] = {1};
    double s1[1] = {-0.25};
    assert_true(dm_fz_merge_scaled(NULL, src1, n1, s1, 1, &table, &cap) == (size_t)-1);
    assert_true(dm_fz_merge_scaled(dst, NULL, n1, s1, 1, &table, &cap) == (size_t)-1);
    assert_true(dm_fz_merge_scaled(dst, src1, n1, s1, 1, NULL, &cap) == (size_t)-1);
    assert_int_equal(dm_fz_merge_scaled(dst, NULL, NULL, NULL, 0, &table, &cap), 0);
    assert_int_equal(dm_fz_merge_scaled(dst, src1, n1, s1, 1, &table, &cap), 1);
    assert_true(dst[0].index == 7 && dst[0].value == (float)(-0.25 * 0.5f));

    enum { FAMS = 5, MAX_N = 600 };
    static const size_t sizes[] = {0, 1, 3, 7, 30, 120, MAX_N};
    static const double scales[] = {1.0, -1.0, -1.0 / 3.0, -0.25, 0.1};
    dm_rawfeat *fam[FAMS], *cat = malloc(FAMS * MAX_N * sizeof *cat),
               *out = malloc(FAMS * MAX_N * sizeof *out);
    assert_non_null(cat);
    assert_non_null(out);
    for (int f = 0; f < FAMS; f++) {
        fam[f] = malloc(MAX_N * sizeof *fam[f]);
        assert_non_null(fam[f]);
    }
    uint32_t x = 7;
    for (int round = 0; round < 60; round++) {
        size_t k = 1 + (size_t)round % FAMS, n[FAMS], total = 0;
        double scale[FAMS];
        const dm_rawfeat *src[FAMS];
        /* few distinct indices (crowded, many shared) or many */
        uint32_t range = round % 3 == 0 ? 40 : round % 3 == 1 ? 1000 : 1u << 18;
        for (size_t f = 0; f < k; f++) {
            x = x * 1103515245u + 12345u;
            n[f] = sizes[(x >> 9) % (sizeof sizes / sizeof *sizes)];
            scale[f] = scales[(f + (size_t)round) % (sizeof scales / sizeof *scales)];
            for (size_t i = 0; i < n[f]; i++) {
                x = x * 1103515245u + 12345u;
                fam[f][i].index = (x ^ (x >> 15)) % range;
                fam[f][i].value = (float)((x >> 11) % 1000) / 7.0f - 60.0f;
                cat[total].index = fam[f][i].index;
                cat[total++].value = (float)(scale[f] * fam[f][i].value);
            }
            src[f] = fam[f];
        }
        size_t w = dm_fz_merge_family(cat, total, &table, &cap);
        assert_int_equal(dm_fz_merge_scaled(out, src, n, scale, k, &table, &cap), w);
        assert_memory_equal(out, cat, w * sizeof *out);
    }
    for (int f = 0; f < FAMS; f++)
        free(fam[f]);
    free(cat);
    free(out);
    free(table);
}

/* dm_fvec_merge drops sums of 0 and keeps first-occurrence order;
 * dm_fvec_sort_unique then orders by index without changing a value. */
static void test_fvec_merge_and_sort(void **state)
{
    (void)state;
    uint32_t *table = NULL;
    size_t cap = 0;
    assert_int_equal(dm_fvec_merge(NULL, &table, &cap), DM_E_INVALID_ARG);
    dm_fvec v;
    dm_fvec_init(&v);
    assert_int_equal(dm_fvec_merge(&v, NULL, &cap), DM_E_INVALID_ARG);
    assert_int_equal(dm_fvec_merge(&v, &table, &cap), DM_OK); /* empty */
    assert_int_equal(v.n, 0);
    dm_fvec_sort_unique(NULL);
    for (int round = 0; round < 40; round++) {
        uint32_t x = 12345u + (uint32_t)round;
        double sums[64] = {0};
        int first[64];
        for (int i = 0; i < 64; i++)
            first[i] = -1;
        v.n = 0;
        int n = round % 2 ? 7 : 3000; /* the scan and the table */
        for (int i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            int index = 1 + (int)((x >> 8) % 64);
            double value = (double)((x >> 4) % 7) - 3; /* zeros and cancels */
            sums[index - 1] += value;
            if (first[index - 1] < 0)
                first[index - 1] = i;
            assert_int_equal(dm_fvec_push(&v, index, value), DM_OK);
        }
        assert_int_equal(dm_fvec_merge(&v, &table, &cap), DM_OK);
        size_t k = 0;
        int last_first = -1;
        for (size_t i = 0; i < v.n; i++) {
            int idx = v.v[i].index;
            assert_true(v.v[i].value != 0);
            assert_float_equal(v.v[i].value, sums[idx - 1], 1e-9);
            assert_true(first[idx - 1] > last_first); /* first-occurrence order */
            last_first = first[idx - 1];
            k++;
        }
        size_t nonzero = 0;
        for (int i = 0; i < 64; i++)
            nonzero += sums[i] != 0;
        assert_int_equal(k, nonzero);
        dm_fvec_sort_unique(&v);
        assert_int_equal(v.n, nonzero);
        for (size_t i = 1; i < v.n; i++)
            assert_true(v.v[i - 1].index < v.v[i].index);
        for (size_t i = 0; i < v.n; i++)
            assert_float_equal(v.v[i].value, sums[v.v[i].index - 1], 1e-9);
    }
    dm_fvec_free(&v);
    free(table);
}

/* ---- layout ------------------------------------------------------------- */

static void test_layout_and_settings(void **state)
{
    dm_featurizer *fz = *state;
    const dm_feature_settings *s = dm_featurizer_settings(fz);
    assert_int_equal(s->hash_bits, 18);
    assert_int_equal(s->hash_seed, 0x646d3031u);
    assert_int_equal(s->word_ngram_max, 3);
    assert_true(s->log_tf);
    assert_int_equal(dm_featurizer_dimensions(fz),
                     (1 << 18) + DM_FEATURES_NAMED_COUNT);
    const char *sum = dm_featurizer_lexicon_checksum(fz);
    assert_int_equal(strlen(sum), 16);
    assert_true(strspn(sum, "0123456789abcdef") == 16);
    /* Named features: unique, non-empty names right after the buckets. */
    int base = (1 << 18) + 1;
    for (int i = 0; i < DM_FEATURES_NAMED_COUNT; i++) {
        const char *a = dm_featurizer_feature_name(fz, base + i);
        assert_non_null(a);
        assert_true(strlen(a) > 2 && strcmp(a, "?") != 0);
        assert_int_equal(dm_featurizer_feature_index(fz, a), base + i);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(a, dm_featurizer_feature_name(fz, base + j));
    }
    assert_int_equal(dm_featurizer_feature_index(fz, "host:accusation"), base);
}

static void test_sorted_deterministic(void **state)
{
    dm_featurizer *fz = *state;
    const char *s = "We strongly condemn the attack! Is this acceptable? "
                    "We don't think so, said the minister.";
    dm_fvec a, b;
    dm_fvec_init(&a);
    dm_fvec_init(&b);
    featurize(fz, s, "warned", "he warned the council", &a);
    featurize(fz, s, "warned", "he warned the council", &b);
    assert_true(a.n > 20);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        assert_int_equal(a.v[i].index, b.v[i].index);
        assert_true(a.v[i].value == b.v[i].value);
        assert_true(a.v[i].value != 0);
        assert_true(a.v[i].index >= 1 &&
                    a.v[i].index <= dm_featurizer_dimensions(fz));
        if (i)
            assert_true(a.v[i - 1].index < a.v[i].index);
    }
    /* A second featurizer gives the same vector. */
    dm_featurizer *other = NULL;
    assert_int_equal(dm_featurizer_create(NULL, lexdir, &other, NULL), DM_OK);
    featurize(other, s, "warned", "he warned the council", &b);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        assert_int_equal(a.v[i].index, b.v[i].index);
        assert_true(a.v[i].value == b.v[i].value);
    }
    assert_string_equal(dm_featurizer_lexicon_checksum(fz),
                        dm_featurizer_lexicon_checksum(other));
    dm_featurizer_destroy(&other);
    dm_fvec_free(&a);
    dm_fvec_free(&b);
    assert_null(a.v);
}

/* dm_fz_features_for_dot (the scorer's vectors): the public vector's
 * entries, once merged, bit for bit; with an index several times when two
 * of its entries share one (a stance call: the target's families after the
 * text's). Stance through a target: the contrast, side and window families. */
static void test_features_for_dot(void **state)
{
    dm_featurizer *fz = *state;
    const char *raw = "Russia accused Ukraine of shelling the plant, and Ukraine "
                      "accused Russia; China urged calm. We don't think so!";
    dm_text *t = NULL;
    assert_int_equal(dm_text_create(raw, strlen(raw), &t, NULL), DM_OK);
    const char *norm = dm_text_norm(t);
    size_t len = dm_text_norm_len(t);
    const char *r = strstr(norm, "Ukraine"), *c = strstr(norm, "China");
    dm_feature_target m[2] = {{"UKR", true, (size_t)(r - norm), (size_t)(r - norm) + 7},
                              {"CHN", true, (size_t)(c - norm), (size_t)(c - norm) + 5}};
    dm_feature_input in = {.text = norm, .len = len, .cue = "said",
                           .context = "the minister said", .mentions = m,
                           .n_mentions = 2};
    uint32_t *table = NULL;
    size_t cap = 0;
    for (int task = 0; task < 3; task++) {
        dm_fvec pub, dot;
        dm_fvec_init(&pub);
        dm_fvec_init(&dot);
        const dm_feature_target *target = task ? &m[task - 1] : NULL;
        if (target)
            assert_int_equal(dm_features_stance(fz, &in, target, &pub, NULL), DM_OK);
        else
            assert_int_equal(dm_features_hostility(fz, &in, &pub, NULL), DM_OK);
        assert_int_equal(dm_fz_features_for_dot(fz, &in, target, &dot, NULL), DM_OK);
        assert_true(dot.n >= pub.n);
        assert_true(pub.n > 20);
        assert_int_equal(dm_fvec_merge(&dot, &table, &cap), DM_OK);
        dm_fvec_sort_unique(&dot);
        assert_int_equal(dot.n, pub.n);
        for (size_t i = 0; i < pub.n; i++) {
            assert_int_equal(dot.v[i].index, pub.v[i].index);
            assert_memory_equal(&dot.v[i].value, &pub.v[i].value, sizeof(double));
        }
        dm_fvec_free(&pub);
        dm_fvec_free(&dot);
    }
    assert_int_equal(dm_fz_features_for_dot(NULL, &in, NULL, &(dm_fvec){0}, NULL),
                     DM_E_INVALID_ARG);
    free(table);
    dm_text_destroy(&t);
}

static double hashed_norm(const dm_featurizer *fz, const dm_fvec *v)
{
    int k = 1 << fz->settings.hash_bits;
    double norm = 0;
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i].index <= k)
            norm += v->v[i].value * v->v[i].value;
    return sqrt(norm);
}

/* dm_fz_count_log1p (the families' log tf): the bits of log1p itself for
 * small counts, for values met again (the memo's hits), for values whose
 * memo slots collide (a slot taken over), and for -0, +0 and negative
 * values: what the families took before the memo. */
static bool same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* What the families took before the memo: log1p, and for 0..31 log1p of
 * the whole number (so -0 gives +0). */
static double reference_count_log1p(float f)
{
    double v = f;
    if (v >= 0 && v < 32 && v == (double)(int)v)
        return log1p((double)(int)v);
    return log1p(v);
}

static void test_count_log1p(void **state)
{
    (void)state;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(NULL, lexdir, &fz, NULL), DM_OK);
    static const float fixed[] = {0.0f, -0.0f, 1.0f, 2.0f, 31.0f, 32.0f, 1e6f, -0.5f,
                                  0.333333f, 1.5f, 1e-30f};
    for (int round = 0; round < 3; round++) /* the second and third: hits */
        for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
            assert_true(same_double(dm_fz_count_log1p(fz, fixed[i]),
                                    reference_count_log1p(fixed[i])));
    /* many more values than slots, each asked twice in a row (a hit) and
     * all again after the others took the slots over */
    uint32_t x = 7;
    for (int round = 0; round < 2; round++) {
        x = 7;
        for (int i = 0; i < 20000; i++) {
            x = x * 1103515245u + 12345u;
            float f = (float)(x >> 8) / 65536.0f; /* 0 .. 256, mostly fractional */
            double want = reference_count_log1p(f);
            assert_true(same_double(dm_fz_count_log1p(fz, f), want));
            assert_true(same_double(dm_fz_count_log1p(fz, f), want));
        }
    }
    dm_featurizer_destroy(&fz);
}

/* dm_fz_log1p (the named features): the bits of libm's log1p for every
 * value, through the table of whole counts (0..255) and around it: -0 and
 * +0 as they are, negative, fractional and large values. */
static void test_named_log1p(void **state)
{
    (void)state;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(NULL, lexdir, &fz, NULL), DM_OK);
    assert_true(same_double(dm_fz_log1p(0.0), 0.0));
    assert_true(same_double(dm_fz_log1p(-0.0), -0.0));
    for (int k = 1; k <= 300; k++) {
        assert_true(same_double(dm_fz_log1p(k), log1p((double)k)));
        assert_true(same_double(dm_fz_log1p(k + 0.5), log1p(k + 0.5)));
        assert_true(same_double(dm_fz_log1p(k - 1e-9), log1p(k - 1e-9)));
        assert_true(same_double(dm_fz_log1p(-k / 300.0), log1p(-k / 300.0)));
    }
    static const double odd[] = {255.0, 256.0, 255.99999999999997, 1e-300, 0.25,
                                 4294967297.0, -0.999, 1e300};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++)
        assert_true(same_double(dm_fz_log1p(odd[i]), log1p(odd[i])));
    dm_featurizer_destroy(&fz);
}

/* The family of dm_fz_word_ngrams (hashes extended unit by unit, one
 * capacity check per unit) against the joined strings' (explain on), on
 * random token lists: words of 0 to 9 bytes of any value, boundaries,
 * skipped marks and placeholders anywhere, n = 1..3, with and without
 * only_with_placeholder; the same indices in the same order. */
static void test_ngrams_random_tokens(void **state)
{
    (void)state;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(NULL, lexdir, &fz, NULL), DM_OK);
    enum { MAXT = 40 };
    static char words[MAXT][10];
    dm_ftok toks[MAXT];
    uint32_t x = 12345;
    for (int round = 0; round < 400; round++) {
        size_t n = (size_t)(round % MAXT);
        memset(toks, 0, sizeof toks);
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            size_t len = (x >> 8) % 10;
            for (size_t b = 0; b < len; b++) {
                x = x * 1103515245u + 12345u;
                words[i][b] = (char)(x >> 16);
            }
            toks[i].s = words[i];
            toks[i].len = len;
            x = x * 1103515245u + 12345u;
            unsigned r = (x >> 12) % 16;
            toks[i].boundary = r == 0;
            toks[i].skip = r == 1;
            toks[i].placeholder = r >= 13 ? "TOA"[r - 13] : 0;
        }
        const char *prefix = round % 2 ? "w:" : "t:TGT|";
        for (int nmax = 1; nmax <= 3; nmax++)
            for (int only = 0; only <= 1; only++) {
                fz->sc.nfam = 0;
                assert_int_equal(dm_fz_word_ngrams(fz, toks, n, prefix, nmax, only), DM_OK);
                size_t nfast = fz->sc.nfam;
                dm_rawfeat fast[MAXT * 3];
                assert_true(nfast <= MAXT * 3);
                if (nfast) /* (no family array yet: NULL, which memcpy may not take) */
                    memcpy(fast, fz->sc.fam, nfast * sizeof *fast);
                assert_int_equal(dm_featurizer_set_explain(fz, true), DM_OK);
                fz->sc.nfam = 0;
                assert_int_equal(dm_fz_word_ngrams(fz, toks, n, prefix, nmax, only), DM_OK);
                assert_int_equal(dm_featurizer_set_explain(fz, false), DM_OK);
                assert_int_equal(fz->sc.nfam, nfast);
                for (size_t i = 0; i < nfast; i++) {
                    assert_int_equal(fast[i].index, fz->sc.fam[i].index);
                    assert_true(fast[i].value == fz->sc.fam[i].value);
                }
                fz->sc.nfam = 0;
            }
    }
    dm_featurizer_destroy(&fz);
}

/* The token view is made in blocks of 16 tokens (tokenize_into): a
 * two-token phrase whose second token opens the next block still has its
 * entry (lex2), and the reported-speech starts are marked wherever they
 * are ("said that" across the same edge, counted once). */
static void test_tokens_across_blocks(void **state)
{
    (void)state;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(NULL, lexdir, &fz, NULL), DM_OK);
    for (int pad = 10; pad <= 34; pad++) {
        char text[512] = "";
        for (int i = 0; i < pad; i++)
            strcat(text, "a ");
        strcat(text, "strongly condemn it and he said that");
        dm_fvec v;
        dm_fvec_init(&v);
        featurize(fz, text, NULL, NULL, &v);
        assert_int_equal(dm_fz_reported_speech(fz), 1);
        bool paired = false;
        for (size_t i = 0; i < fz->sc.ntoks; i++) {
            const dm_ftok *t = &fz->sc.toks[i];
            assert_int_equal(t->report_start, dm_fz_report_start(t->s, t->len));
            bool has_pair = check_pair_entry(fz, i);
            paired |= i == (size_t)pad && has_pair; /* "strongly condemn" */
        }
        assert_true(paired);
        dm_fvec_free(&v);
    }
    dm_featurizer_destroy(&fz);
}

static void test_ngram_block_l2(void **state)
{
    (void)state;
    dm_feature_settings s;
    dm_feature_settings_default(&s);
    s.lexicon = false;
    dm_featurizer *fz = NULL;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &fz, NULL), DM_OK);
    dm_fvec v;
    dm_fvec_init(&v);
    featurize(fz, "The council, the council and the people: peace now.", NULL,
              NULL, &v);
    assert_float_equal(hashed_norm(fz, &v), 1.0, 1e-9);
    /* tf: "the council" twice, log(1+2); "peace now" once, log(1+1). */
    double twice = feat(fz, &v, "w:the council");
    double once = feat(fz, &v, "w:peace now");
    assert_float_equal(twice / once, log1p(2) / log1p(1), 1e-9);
    /* ':' breaks n-grams, ',' is dropped, numbers are "<num>". */
    assert_true(feat(fz, &v, "w:people peace") == 0);
    assert_true(feat(fz, &v, "w:council the council") > 0);
    featurize(fz, "Resolution 2334 now", NULL, NULL, &v);
    assert_true(feat(fz, &v, "w:resolution <num> now") > 0);
    assert_true(feat(fz, &v, "host:condemnation") == 0);
    dm_featurizer_destroy(&fz);

    /* Raw tf: values proportional to counts. */
    s.log_tf = false;
    s.char_ngram_min = 2;
    s.char_ngram_max = 4;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &fz, NULL), DM_OK);
    featurize(fz, "No no no yes", NULL, NULL, &v);
    assert_float_equal(feat(fz, &v, "w:no") / feat(fz, &v, "w:yes"), 3.0, 1e-9);
    assert_true(feat(fz, &v, "c: y") > 0);
    assert_true(feat(fz, &v, "c:yes ") > 0);
    assert_true(feat(fz, &v, "c:es") > 0);
    assert_float_equal(hashed_norm(fz, &v), 1.0, 1e-6);
    dm_featurizer_destroy(&fz);
    dm_fvec_free(&v);
}

static void test_punctuation_tokens(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    featurize(fz, "Why now? Enough! (Really.)", NULL, NULL, &v);
    assert_true(feat(fz, &v, "w:?") > 0);
    assert_true(feat(fz, &v, "w:now ?") > 0);
    assert_true(feat(fz, &v, "w:!") > 0);
    assert_true(feat(fz, &v, "w:(") == 0);
    assert_float_equal(feat(fz, &v, "punct:question"), log1p(1), 1e-9);
    assert_float_equal(feat(fz, &v, "punct:exclamation"), log1p(1), 1e-9);
    dm_fvec_free(&v);
}

/* ---- lexicon rules ------------------------------------------------------ */

static void test_negation_of_cordial(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec pos, neg;
    dm_fvec_init(&pos);
    dm_fvec_init(&neg);
    featurize(fz, "This is acceptable.", NULL, NULL, &pos);
    featurize(fz, "This is not acceptable.", NULL, NULL, &neg);
    double w = term_weight(fz, "acceptable", false);
    assert_float_equal(feat(fz, &pos, "cord:agreement"), log1p(w), 1e-6);
    assert_true(feat(fz, &pos, "cordneg:agreement") == 0);
    assert_true(feat(fz, &pos, "lex:neg_cordial_count") == 0);
    assert_true(feat(fz, &neg, "cord:agreement") == 0);
    assert_float_equal(feat(fz, &neg, "cordneg:agreement"), log1p(w), 1e-6);
    assert_float_equal(feat(fz, &neg, "lex:neg_cordial_count"), log1p(1), 1e-9);
    assert_float_equal(feat(fz, &neg, "lex:negators"), log1p(1), 1e-9);
    /* The scope ends at a clause boundary. */
    featurize(fz, "This is not over, but acceptable.", NULL, NULL, &neg);
    assert_true(feat(fz, &neg, "cord:agreement") > 0);
    assert_true(feat(fz, &neg, "cordneg:agreement") == 0);
    dm_fvec_free(&pos);
    dm_fvec_free(&neg);
}

static void test_negation_of_hostile_and_apostrophes(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    double w = term_weight(fz, "oppose", true);
    const char *variants[] = {
        "We do not oppose the plan.", "We don't oppose the plan.",
        "We don\xe2\x80\x99t oppose the plan.", /* right single quote */
        "We don\xe2\x80\x98t oppose the plan.", /* left single quote */
        "We don\xc2\xb4t oppose the plan.",     /* acute accent */
        "We don`t oppose the plan.", "We dont oppose the plan.",
        "We DON'T oppose the plan."};
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        featurize(fz, variants[i], NULL, NULL, &v);
        assert_float_equal(feat(fz, &v, "hostneg:rejection"), log1p(w), 1e-6);
        assert_true(feat(fz, &v, "host:rejection") == 0);
    }
    featurize(fz, "We oppose the plan.", NULL, NULL, &v);
    assert_float_equal(feat(fz, &v, "host:rejection"), log1p(w), 1e-6);
    assert_true(feat(fz, &v, "hostneg:rejection") == 0);
    dm_fvec_free(&v);
}

static void test_negator_phrases_that_are_not_negation(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    /* Longest match: "not only" and "no doubt" are intensifiers. */
    featurize(fz, "We not only condemn it.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "host:condemnation") > 0);
    assert_true(feat(fz, &v, "hostneg:condemnation") == 0);
    assert_true(feat(fz, &v, "lex:negators") == 0);
    featurize(fz, "There is no doubt they violated it.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "host:accusation") > 0);
    assert_true(feat(fz, &v, "hostneg:accusation") == 0);
    /* ... while a plain "no" within scope negates. */
    featurize(fz, "There was no violation.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "hostneg:accusation") > 0);
    assert_true(feat(fz, &v, "host:accusation") == 0);
    /* Scope: "never" reaches 3 tokens, not 4. */
    featurize(fz, "We never said that the plan was acceptable.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "cord:agreement") > 0);
    featurize(fz, "We never found it acceptable.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "cordneg:agreement") > 0);
    dm_fvec_free(&v);
}

static void test_intensifier_and_downtoner(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    double w = term_weight(fz, "deplore", true);
    featurize(fz, "We deplore this.", NULL, NULL, &v);
    double plain = feat(fz, &v, "host:condemnation");
    assert_float_equal(plain, log1p(w), 1e-6);
    featurize(fz, "We deeply deplore this.", NULL, NULL, &v);
    double m = multiplier(fz, "deeply");
    assert_true(m > 1);
    assert_float_equal(feat(fz, &v, "host:condemnation"), log1p(w * m), 1e-6);
    assert_float_equal(feat(fz, &v, "lex:intensified"), log1p(1), 1e-9);

    double d = term_weight(fz, "disappointed", true);
    double down = multiplier(fz, "somewhat");
    assert_true(down < 1);
    featurize(fz, "We are somewhat disappointed.", NULL, NULL, &v);
    assert_float_equal(feat(fz, &v, "host:concern"), log1p(d * down), 1e-6);
    assert_float_equal(feat(fz, &v, "lex:downtoned"), log1p(1), 1e-9);
    featurize(fz, "We are slightly disappointed.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "host:concern") < log1p(d));
    dm_fvec_free(&v);
}

static void test_phrase_longest_match(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    /* "strongly condemn" is one phrase, not an intensifier and a term. */
    featurize(fz, "We strongly condemn it.", NULL, NULL, &v);
    double phrase = term_weight(fz, "strongly condemn", true);
    assert_float_equal(feat(fz, &v, "host:condemnation"), log1p(phrase), 1e-6);
    assert_true(feat(fz, &v, "lex:intensified") == 0);
    assert_float_equal(feat(fz, &v, "lex:hostile_count"), log1p(1), 1e-9);
    /* "war crimes" is one extreme term, counted once. */
    featurize(fz, "These are war crimes.", NULL, NULL, &v);
    assert_float_equal(feat(fz, &v, "host:extreme"),
                       log1p(term_weight(fz, "war crimes", true)), 1e-6);
    assert_float_equal(feat(fz, &v, "lex:hostile_count"), log1p(1), 1e-9);
    /* "will not tolerate" beats the negator "will not". */
    featurize(fz, "We will not tolerate this.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "host:rejection") > 0);
    assert_true(feat(fz, &v, "lex:negators") == 0);
    /* A hedge phrase that is also a hostile term counts as both. */
    featurize(fz, "We note with concern the decision.", NULL, NULL, &v);
    assert_float_equal(feat(fz, &v, "hedge:softener"), log1p(1), 1e-9);
    assert_float_equal(feat(fz, &v, "lex:hedge_count"), log1p(1), 1e-9);
    dm_fvec_free(&v);
}

static void test_cue_context_reported(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    featurize(fz, "This will end badly.", "warned", NULL, &v);
    assert_float_equal(feat(fz, &v, "cue:hostile"), 1.0, 1e-12);
    assert_true(feat(fz, &v, "cue:warned") > 0);
    featurize(fz, "This will end badly.", "Said", NULL, &v);
    assert_float_equal(feat(fz, &v, "cue:neutral"), 1.0, 1e-12);
    assert_true(feat(fz, &v, "cue:said") > 0);
    featurize(fz, "This will end badly.", "welcomed", NULL, &v);
    assert_float_equal(feat(fz, &v, "cue:cordial"), 1.0, 1e-12);
    featurize(fz, "This will end badly.", "mused", NULL, &v);
    assert_float_equal(feat(fz, &v, "cue:other"), 1.0, 1e-12);
    featurize(fz, "This will end badly.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "cue:neutral") == 0 && feat(fz, &v, "cue:other") == 0);
    assert_true(feat(fz, &v, "ctx:present") == 0);

    featurize(fz, "barbaric", NULL, "The minister condemned what he called",
              &v);
    assert_float_equal(feat(fz, &v, "ctx:present"), 1.0, 1e-12);
    assert_true(feat(fz, &v, "ctx:minister condemned") > 0);
    assert_true(feat(fz, &v, "ctx:hostile_sum") > 0);
    assert_true(feat(fz, &v, "host:extreme") > 0);

    featurize(fz, "He accused Russia of lying, according to the report.", NULL,
              NULL, &v);
    assert_float_equal(feat(fz, &v, "speech:reported"), log1p(2), 1e-9);
    featurize(fz, "Russia is lying.", NULL, NULL, &v);
    assert_true(feat(fz, &v, "speech:reported") == 0);
    dm_fvec_free(&v);
}

/* ---- explain and invalid arguments -------------------------------------- */

static void test_explain_names(void **state)
{
    dm_featurizer *fz = *state;
    dm_fvec v;
    dm_fvec_init(&v);
    int i = dm_featurizer_feature_index(fz, "w:not acceptable");
    assert_int_equal(i, 1 + (int)(0x9297768Eu & ((1u << 18) - 1)));
    featurize(fz, "This is not acceptable.", NULL, NULL, &v);
    assert_null(dm_featurizer_feature_name(fz, i)); /* explain is off */
    assert_int_equal(dm_featurizer_set_explain(fz, true), DM_OK);
    featurize(fz, "This is not acceptable.", NULL, NULL, &v);
    assert_string_equal(dm_featurizer_feature_name(fz, i), "w:not acceptable");
    assert_string_equal(dm_featurizer_feature_name(
                            fz, dm_featurizer_feature_index(fz, "cordneg:agreement")),
                        "cordneg:agreement");
    /* Every produced index has a name. */
    for (size_t k = 0; k < v.n; k++)
        assert_non_null(dm_featurizer_feature_name(fz, v.v[k].index));
    assert_int_equal(dm_featurizer_set_explain(fz, false), DM_OK);
    dm_fvec_free(&v);
}

static void test_invalid_args(void **state)
{
    dm_featurizer *fz = *state;
    dm_error err;
    dm_featurizer *out = (dm_featurizer *)&err;
    assert_int_equal(dm_featurizer_create(NULL, NULL, &out, &err), DM_E_INVALID_ARG);
    assert_int_equal(err.status, DM_E_INVALID_ARG);
    assert_int_equal(dm_featurizer_create(NULL, lexdir, NULL, &err), DM_E_INVALID_ARG);
    dm_feature_settings s;
    dm_feature_settings_default(&s);
    s.hash_bits = 4;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &out, &err), DM_E_INVALID_ARG);
    assert_null(out);
    dm_feature_settings_default(&s);
    s.word_ngram_max = 4;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &out, NULL), DM_E_INVALID_ARG);
    dm_feature_settings_default(&s);
    s.char_ngram_min = 3;
    s.char_ngram_max = 2;
    assert_int_equal(dm_featurizer_create(&s, lexdir, &out, NULL), DM_E_INVALID_ARG);
    assert_int_equal(dm_featurizer_create(NULL, "/nonexistent/dir", &out, &err),
                     DM_E_IO);
    assert_non_null(strstr(err.where, "hostility.tsv"));
    /* A directory name too long for a path is refused, not cut. */
    char longdir[5000];
    memset(longdir, 'd', sizeof longdir - 1);
    longdir[0] = '/';
    longdir[sizeof longdir - 1] = '\0';
    assert_int_equal(dm_featurizer_create(NULL, longdir, &out, &err), DM_E_INVALID_ARG);
    assert_non_null(strstr(err.message, "too long"));

    dm_fvec v;
    dm_fvec_init(&v);
    dm_feature_input in = {.text = "x", .len = 1};
    dm_feature_input no_text = {.text = NULL};
    dm_feature_target t = {.actor = "RUS", .has_span = true, .start = 0, .end = 5};
    dm_feature_target no_actor = {.actor = NULL};
    assert_int_equal(dm_features_hostility(NULL, &in, &v, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_features_hostility(fz, NULL, &v, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_features_hostility(fz, &in, NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_features_hostility(fz, &no_text, &v, NULL), DM_E_INVALID_ARG);
    assert_int_equal(dm_features_stance(fz, &in, NULL, &v, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_features_stance(fz, &in, &no_actor, &v, &err),
                     DM_E_INVALID_ARG);
    assert_int_equal(dm_features_stance(fz, &in, &t, &v, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_features_stance(NULL, &in, &t, &v, NULL), DM_E_INVALID_ARG);
    assert_null(dm_featurizer_lexicon_checksum(NULL));
    assert_null(dm_featurizer_settings(NULL));
    assert_int_equal(dm_featurizer_dimensions(NULL), 0);
    assert_null(dm_featurizer_feature_name(NULL, 1));
    assert_null(dm_featurizer_feature_name(fz, 0));
    assert_null(dm_featurizer_feature_name(fz, dm_featurizer_dimensions(fz) + 1));
    assert_int_equal(dm_featurizer_feature_index(NULL, "x"), 0);
    assert_int_equal(dm_featurizer_feature_index(fz, NULL), 0);
    assert_int_equal(dm_featurizer_set_explain(NULL, true), DM_E_INVALID_ARG);
    assert_true(dm_fvec_get(NULL, 1) == 0);
    dm_featurizer_destroy(NULL);
    dm_featurizer *null_fz = NULL;
    dm_featurizer_destroy(&null_fz);
    dm_fvec_free(NULL);
    dm_fvec_init(NULL);
    dm_feature_settings_default(NULL);
    /* Empty text: valid, no n-grams. */
    dm_feature_input empty = {.text = "", .len = 0};
    assert_int_equal(dm_features_hostility(fz, &empty, &v, &err), DM_OK);
    assert_true(hashed_norm(fz, &v) == 0);
    dm_fvec_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_murmur3_vectors),
        cmocka_unit_test(test_hash_stream),
        cmocka_unit_test(test_hash_stream_two),
        cmocka_unit_test(test_ngrams_streamed_as_joined),
        cmocka_unit_test(test_fnv1a64_vectors),
        cmocka_unit_test(test_merge_family),
        cmocka_unit_test(test_merge_scaled),
        cmocka_unit_test(test_fvec_merge_and_sort),
        cmocka_unit_test(test_features_for_dot),
        cmocka_unit_test(test_count_log1p),
        cmocka_unit_test(test_named_log1p),
        cmocka_unit_test(test_ngrams_random_tokens),
        cmocka_unit_test(test_tokens_across_blocks),
        cmocka_unit_test(test_layout_and_settings),
        cmocka_unit_test(test_sorted_deterministic),
        cmocka_unit_test(test_ngram_block_l2),
        cmocka_unit_test(test_punctuation_tokens),
        cmocka_unit_test(test_negation_of_cordial),
        cmocka_unit_test(test_negation_of_hostile_and_apostrophes),
        cmocka_unit_test(test_negator_phrases_that_are_not_negation),
        cmocka_unit_test(test_intensifier_and_downtoner),
        cmocka_unit_test(test_phrase_longest_match),
        cmocka_unit_test(test_cue_context_reported),
        cmocka_unit_test(test_explain_names),
        cmocka_unit_test(test_invalid_args),
    };
    return cmocka_run_group_tests(tests, featurizer_setup, featurizer_teardown);
}
