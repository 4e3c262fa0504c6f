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
 * log1p gave once (the same bits: the table is filled by log1p itself).
 * The table is indexed by the float's bits: every float below 32 whose
 * low 19 bits are 0 (at most 4 mantissa bits: each whole number 0..31, and
 * some halves and quarters) has its entry, bits >> 19; one compare and
 * one mask decide, not a conversion to int and back. */
#define SHORT_FLOAT_END 0x42000000u /* the bits of 32.0f */
#define SHORT_FLOAT_SHIFT 19
static double short_float_log1p[SHORT_FLOAT_END >> SHORT_FLOAT_SHIFT];
static pthread_once_t small_count_once = PTHREAD_ONCE_INIT;

/* log1p(k) for k = 0..255 for dm_fz_log1p (features_internal.h), filled
 * with the table below (dm_featurizer_create), read-only after. */
double dm_fz_small_log1p[DM_FZ_SMALL_LOG1P];

static void fill_small_counts(void)
{
    for (int k = 0; k < DM_FZ_SMALL_LOG1P; k++)
        dm_fz_small_log1p[k] = log1p((double)k);
    for (uint32_t k = 0; k < (SHORT_FLOAT_END >> SHORT_FLOAT_SHIFT); k++) {
        uint32_t bits = k << SHORT_FLOAT_SHIFT;
        float f;
        memcpy(&f, &bits, sizeof f);
        short_float_log1p[k] = log1p((double)f);
    }
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
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    if (bits < SHORT_FLOAT_END && !(bits & ((1u << SHORT_FLOAT_SHIFT) - 1)))
        return short_float_log1p[bits >> SHORT_FLOAT_SHIFT];
    if (bits == 0x80000000u) /* -0 was taken as the count 0: log1p(+0) */
        return short_float_log1p[0];
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

/* Add up the current family's entries of one bucket (merge.c: in the order
 * they were pushed, first occurrences first); its new size, or (size_t)-1
 * out of memory. */
static size_t family_merge(dm_scratch *sc)
{
    return dm_fz_merge_family(sc->fam, sc->nfam, &sc->table, &sc->captable);
}

/* Merge, log tf and scale to unit length in place; the L2 norm before
 * scaling in *norm (0: an empty or all-zero family, left as it is). */
static dm_status family_normalise(dm_featurizer *fz, double *norm_out)
{
    dm_scratch *sc = &fz->sc;
    size_t w = family_merge(sc);
    if (w == (size_t)-1)
        return DM_E_NOMEM;
    double norm = 0;
    /* two loops, not a test of log_tf per entry; the same sums in the
     * same order (without log tf a value is its float: nothing to store) */
    if (fz->settings.log_tf) {
        small_counts_ready();
        /* A count of 1 (most entries: an n-gram once in its text) takes
         * its log1p and float from here, not from the table by its bits:
         * the same values, so the same sums */
        const double log_one = short_float_log1p[UINT32_C(0x3f800000) >> SHORT_FLOAT_SHIFT];
        const float log_one_f = (float)log_one;
        for (size_t i = 0; i < w; i++) {
            uint32_t bits;
            memcpy(&bits, &sc->fam[i].value, sizeof bits);
            if (bits == UINT32_C(0x3f800000)) { /* 1.0f */
                sc->fam[i].value = log_one_f;
                norm += log_one * log_one;
                continue;
            }
            double v = count_log1p(sc, sc->fam[i].value);
            sc->fam[i].value = (float)v;
            norm += v * v;
        }
    } else {
        for (size_t i = 0; i < w; i++) {
            double v = sc->fam[i].value;
            norm += v * v;
        }
    }
    sc->nfam = w;
    *norm_out = norm > 0 ? sqrt(norm) : 0;
    return DM_OK;
}

/* Count the family (merge equal buckets), apply log-tf, L2-normalise, scale,
 * and append it to `out`. The family buffer is emptied. */
dm_status dm_fz_family_flush(dm_featurizer *fz, dm_fvec *out, double scale)
{
    dm_scratch *sc = &fz->sc;
    if (sc->nfam == 0)
        return DM_OK;
    double norm;
    dm_status st = family_normalise(fz, &norm);
    size_t w = sc->nfam;
    sc->nfam = 0;
    if (st != DM_OK || norm <= 0)
        return st;
    /* room for the family at once, not a test per entry (dm_fvec_push) */
    if (dm_fz_grow((void **)&out->v, &out->cap, out->n + w, sizeof *out->v) != DM_OK)
        return DM_E_NOMEM;
    dm_feature *o = out->v + out->n;
    if (scale == 1.0) { /* 1.0 * v is v, to the bit: one product less */
        for (size_t i = 0; i < w; i++) {
            o[i].index = (int)sc->fam[i].index + 1;
            o[i].value = sc->fam[i].value / norm;
        }
    } else {
        for (size_t i = 0; i < w; i++) {
            o[i].index = (int)sc->fam[i].index + 1;
            o[i].value = scale * sc->fam[i].value / norm;
        }
    }
    out->n += w;
    return DM_OK;
}

dm_status dm_fz_family_unit(dm_featurizer *fz)
{
    dm_scratch *sc = &fz->sc;
    if (sc->nfam == 0)
        return DM_OK;
    double norm;
    dm_status st = family_normalise(fz, &norm);
    if (st != DM_OK) {
        sc->nfam = 0;
        return st;
    }
    for (size_t i = 0; i < sc->nfam; i++)
        sc->fam[i].value = norm > 0 ? (float)(sc->fam[i].value / norm) : 0.0f;
    return DM_OK;
}

dm_status dm_fz_family_push_raw(dm_featurizer *fz, dm_fvec *out, double scale)
{
    dm_scratch *sc = &fz->sc;
    size_t w = sc->nfam ? family_merge(sc) : 0;
    sc->nfam = 0;
    if (w == (size_t)-1)
        return DM_E_NOMEM;
    for (size_t i = 0; i < w; i++)
        if (sc->fam[i].value != 0 &&
            dm_fvec_push(out, (int)sc->fam[i].index + 1, scale * sc->fam[i].value) != DM_OK)
            return DM_E_NOMEM;
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
    small_counts_ready(); /* dm_fz_log1p's table, before any call */
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
    free(f->sc.table);
    free(f->sc.buf);
    free(f->sc.ttoks);
    free(f->sc.tph);
    free(f->sc.valence);
    free(f->sc.cpos);
    free(f->sc.focal);
    free(f->sc.con);
    free(f->sc.stmt.mbuf);
    free(f->sc.stmt.quote_at);
    free(f->sc.stmt.val_at);
    free(f->sc.dfam);
    free(f->sc.sfam);
    free(f->sc.fam2);
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
