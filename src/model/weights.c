/* The binary weight file of a LIBLINEAR task ("<task>.weights" in a bundle).
 *
 * Why: parsing the LIBLINEAR text (8 MB of decimal numbers, twice: once to
 * validate, once by load_model) was most of demarche-score's start-up; the
 * same weights as raw doubles load with one read and a copy. The text file
 * stays in the bundle for interchange (LIBLINEAR's own tools read it).
 *
 * The weights are written from the text file as LIBLINEAR's load_model
 * reads it back, so a model scores the same whichever file it came from.
 * Layout, every field little-endian, no padding:
 *   0  "DMWEIGHT"             magic (8 bytes)
 *   8  u32 version            DM_WEIGHTS_VERSION
 *  12  u32 solver_type        LIBLINEAR's number
 *  16  u32 nr_class
 *  20  u32 nr_feature
 *  24  u32 n_labels           nr_class, or 0 for regression (no labels)
 *  28  u32 nr_w               weight columns (1 for two classes but MCSVM_CS)
 *  32  f64 bias               -1 (none) or >= 0
 *  40  i32 label[n_labels]
 *      f64 w[(nr_feature + (bias >= 0)) * nr_w]   LIBLINEAR's row-major w
 * The file is untrusted like every bundle file: the manifest's checksum is
 * checked first (bundle_load.c), then every field here. */
#include "model/model_internal.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAGIC "DMWEIGHT"
#define HEADER_BYTES 40

static bool host_little_endian(void)
{
    const uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_f64(unsigned char *p, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static double get_f64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static long weight_columns(const struct model *ll)
{
    return ll->nr_class == 2 && ll->param.solver_type != MCSVM_CS ? 1 : ll->nr_class;
}

dm_status dm_weights_save_internal(const struct model *ll, const char *path, dm_error *err)
{
    if (!ll || !path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_weights_save_internal: invalid argument");
    long nr_w = weight_columns(ll);
    size_t rows = (size_t)ll->nr_feature + (ll->bias >= 0 ? 1 : 0);
    size_t n_labels = ll->label ? (size_t)ll->nr_class : 0;
    size_t n_w = rows * (size_t)nr_w;
    size_t size = HEADER_BYTES + 4 * n_labels + 8 * n_w;
    unsigned char *buf = malloc(size);
    if (!buf)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    memcpy(buf, MAGIC, 8);
    put_u32(buf + 8, DM_WEIGHTS_VERSION);
    put_u32(buf + 12, (uint32_t)ll->param.solver_type);
    put_u32(buf + 16, (uint32_t)ll->nr_class);
    put_u32(buf + 20, (uint32_t)ll->nr_feature);
    put_u32(buf + 24, (uint32_t)n_labels);
    put_u32(buf + 28, (uint32_t)nr_w);
    put_f64(buf + 32, ll->bias);
    unsigned char *p = buf + HEADER_BYTES;
    for (size_t i = 0; i < n_labels; i++, p += 4)
        put_u32(p, (uint32_t)ll->label[i]);
    for (size_t i = 0; i < n_w; i++, p += 8)
        put_f64(p, ll->w[i]);
    FILE *fp = fopen(path, "wb");
    bool ok = fp && fwrite(buf, 1, size, fp) == size && fflush(fp) == 0 &&
              fsync(fileno(fp)) == 0;
    int saved = errno;
    if (fp)
        ok = fclose(fp) == 0 && ok;
    free(buf);
    if (!ok)
        return dm_error_set(err, DM_E_IO, path, 0, "cannot write: %s",
                            strerror(saved ? saved : EIO));
    return DM_OK;
}

static dm_status bad(dm_error *err, const char *path, const char *what)
{
    return dm_error_set(err, DM_E_FORMAT, path, 0, "corrupt weights file: %s", what);
}

size_t dm_weights_head_bytes_internal(const void *first, size_t n, size_t file_size)
{
    const unsigned char *b = first;
    if (!b || n < HEADER_BYTES || memcmp(b, MAGIC, 8) != 0)
        return 0;
    uint32_t n_labels = get_u32(b + 24);
    if (n_labels > DM_WEIGHTS_MAX_LABELS)
        return 0;
    size_t head = HEADER_BYTES + 4 * (size_t)n_labels;
    if (file_size < head + 8 || (file_size - head) % 8 != 0)
        return 0;
    return head;
}

double *dm_weights_alloc_internal(size_t bytes)
{
#if defined(MADV_HUGEPAGE)
    /* Weights of a few MB: in 2 MB pages when the kernel has them on
     * request (transparent huge pages, "madvise"). Each first touch of a
     * 4 kB page is a fault, about 20 us on a virtual machine (2,000 of
     * them for the default bundle's 8 MB, most of the start-up), and the
     * scorer's lookups all over the array miss the TLB less. */
    const size_t huge = (size_t)2 << 20;
    if (bytes >= huge) {
        void *p = NULL;
        if (posix_memalign(&p, huge, bytes) != 0)
            return NULL;
        (void)madvise(p, bytes & ~(size_t)4095, MADV_HUGEPAGE); /* a hint only */
        return p;
    }
#endif
    return malloc(bytes ? bytes : 1);
}

/* Whether every weight is finite (an exponent of all ones is an infinity
 * or a NaN): the million weights of the default bundle are checked at every
 * start-up. (bits & EXP) + LOW sets the top bit exactly when the exponent
 * is all ones; the bits are OR-ed without a branch, two weights a step
 * where the compiler has vector types (some 2.5 instructions a weight; an
 * isfinite() and a branch each took 12), four a step with AVX2 where the
 * CPU has it (5.8 M instructions of an empty demarche-score run down to
 * some 1.5 M). */
#define EXP_BITS 0x7ff0000000000000ULL
#define LOW_BIT 0x0010000000000000ULL

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define DM_FINITE_AVX2 1
/* The OR of (bits & EXP) + LOW over n weights, n a multiple of 16. */
__attribute__((target("avx2"))) static uint64_t exponent_bits_avx2(const double *w, size_t n)
{
    typedef uint64_t u64x4 __attribute__((vector_size(32)));
    const u64x4 exp4 = {EXP_BITS, EXP_BITS, EXP_BITS, EXP_BITS};
    const u64x4 low4 = {LOW_BIT, LOW_BIT, LOW_BIT, LOW_BIT};
    u64x4 a0 = {0, 0, 0, 0}, a1 = a0, a2 = a0, a3 = a0, v0, v1, v2, v3;
    for (size_t i = 0; i < n; i += 16) { /* four accumulators, in registers */
        memcpy(&v0, &w[i], sizeof v0);
        memcpy(&v1, &w[i + 4], sizeof v1);
        memcpy(&v2, &w[i + 8], sizeof v2);
        memcpy(&v3, &w[i + 12], sizeof v3);
        a0 |= (v0 & exp4) + low4;
        a1 |= (v1 & exp4) + low4;
        a2 |= (v2 & exp4) + low4;
        a3 |= (v3 & exp4) + low4;
    }
    u64x4 all = a0 | a1 | a2 | a3;
    return all[0] | all[1] | all[2] | all[3];
}
#endif

bool dm_weights_all_finite_internal(const double *w, size_t n, bool wide)
{
    const uint64_t EXP = EXP_BITS, LOW = LOW_BIT;
    uint64_t any = 0;
    size_t i = 0;
#ifdef DM_FINITE_AVX2
    if (wide && n >= 16) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2")) {
            i = n & ~(size_t)15;
            any = exponent_bits_avx2(w, i);
        }
    }
#else
    (void)wide;
#endif
#if defined(__GNUC__)
    typedef uint64_t u64x2 __attribute__((vector_size(16)));
    const u64x2 exp2 = {EXP, EXP}, low2 = {LOW, LOW};
    u64x2 acc[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 4; k++) {
            u64x2 v;
            memcpy(&v, &w[i + 2 * (size_t)k], sizeof v);
            acc[k] |= (v & exp2) + low2;
        }
    u64x2 all = acc[0] | acc[1] | acc[2] | acc[3];
    any |= all[0] | all[1];
#endif
    for (; i < n; i++) {
        uint64_t v;
        memcpy(&v, &w[i], sizeof v);
        any |= (v & EXP) + LOW;
    }
    return !(any >> 63);
}

/* The checks of a weights file whose first head_len bytes are `data` and
 * whose weights, when `body` is given, are the body_len bytes at *body
 * (read there straight from the file, still in file byte order): the
 * model then keeps *body as its weight array (sets it NULL) instead of a
 * copy. Without a body, the weights follow the header in `data`. */
static dm_status load_weights(const char *path, const void *data, size_t len, double **body,
                              size_t body_len, dm_task task, bool regression, int max_dim,
                              dm_submodel **out, dm_error *err)
{
    *out = NULL;
    const unsigned char *b = data;
    if (len < HEADER_BYTES || memcmp(b, MAGIC, 8) != 0)
        return bad(err, path, "not a demarche weights file (bad magic)");
    uint32_t version = get_u32(b + 8);
    if (version != DM_WEIGHTS_VERSION)
        return dm_error_set(err, DM_E_FORMAT, path, 0,
                            "weights file version %u; this demarche reads version %d",
                            version, DM_WEIGHTS_VERSION);
    uint32_t solver = get_u32(b + 12), nr_class = get_u32(b + 16), nr_feature = get_u32(b + 20),
             n_labels = get_u32(b + 24), nr_w = get_u32(b + 28);
    double bias = get_f64(b + 32);
    int n_classes = task == DM_TASK_HOSTILITY ? DM_HOSTILITY_LEVELS : DM_STANCE_CLASSES;
    bool known = solver <= L2R_LR_DUAL || (solver >= L2R_L2LOSS_SVR && solver <= L2R_L1LOSS_SVR_DUAL);
    if (!known)
        return bad(err, path, "unknown solver type");
    bool svr = solver >= L2R_L2LOSS_SVR;
    if (svr != regression)
        return dm_error_set(err, DM_E_FORMAT, path, 0,
                            "model type does not match the manifest (%s, manifest %s)",
                            svr ? "regression" : "classification",
                            regression ? "regression" : "classification");
    if (regression ? nr_class != 2 || n_labels != 0
                   : nr_class < 2 || nr_class > (uint32_t)n_classes || n_labels != nr_class)
        return bad(err, path, "bad class count");
    if (nr_feature < 1 || nr_feature > (uint32_t)max_dim)
        return bad(err, path, "feature count outside the featurizer's dimensions");
    if (!isfinite(bias) || (bias < 0 && bias != -1))
        return bad(err, path, "bias must be -1 (none) or a finite number >= 0");
    uint32_t want_w = nr_class == 2 && solver != MCSVM_CS ? 1 : nr_class;
    if (nr_w != want_w)
        return bad(err, path, "weight column count does not match the classes");
    size_t rows = (size_t)nr_feature + (bias >= 0 ? 1 : 0);
    size_t n_w = rows * nr_w;
    size_t head = HEADER_BYTES + 4 * (size_t)n_labels;
    if (body ? len != head || body_len != 8 * n_w : len != head + 8 * n_w)
        return bad(err, path, "size does not match its header (truncated or extended)");
    struct model *ll = calloc(1, sizeof *ll);
    double *w = body ? *body : malloc(n_w * sizeof *w);
    int *label = n_labels ? malloc(n_labels * sizeof *label) : NULL;
    if (!ll || !w || (n_labels && !label)) {
        free(ll);
        if (!body)
            free(w);
        free(label);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    ll->param.solver_type = (int)solver;
    ll->nr_class = (int)nr_class;
    ll->nr_feature = (int)nr_feature;
    ll->bias = bias;
    ll->w = w;
    ll->label = label;
    dm_status s = DM_OK;
    const unsigned char *p = b + HEADER_BYTES;
    for (uint32_t i = 0; i < n_labels; i++, p += 4) {
        uint32_t l = get_u32(p);
        if (l >= (uint32_t)n_classes) {
            s = bad(err, path, "label out of range");
            break;
        }
        for (uint32_t k = 0; k < i; k++)
            if (label[k] == (int)l)
                s = bad(err, path, "a label appears twice");
        label[i] = (int)l;
    }
    if (s == DM_OK) {
        if (body) {
            if (!host_little_endian())
                for (size_t i = 0; i < n_w; i++) /* in place: each read before written */
                    w[i] = get_f64((const unsigned char *)&w[i]);
        } else if (host_little_endian()) {
            memcpy(w, p, n_w * sizeof *w);
        } else {
            for (size_t i = 0; i < n_w; i++)
                w[i] = get_f64(p + 8 * i);
        }
        if (!dm_weights_all_finite_internal(w, n_w, true))
            s = bad(err, path, "a weight is not a finite number");
    }
    dm_submodel *sm = s == DM_OK ? calloc(1, sizeof *sm) : NULL;
    if (s == DM_OK && !sm)
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    if (s != DM_OK) {
        if (body)
            ll->w = NULL;       /* still the caller's */
        free_and_destroy_model(&ll);
        return s;
    }
    if (body)
        *body = NULL;           /* the model's now, freed with it */
    sm->task = task;
    sm->backend = DM_BACKEND_LIBLINEAR;
    sm->regression = regression;
    sm->ll = ll;
    sm->bias = bias;
    sm->dim = ll->nr_feature;
    *out = sm;
    return DM_OK;
}

dm_status dm_weights_load_internal(const char *path, const void *data, size_t len,
                                   dm_task task, bool regression, int max_dim,
                                   dm_submodel **out, dm_error *err)
{
    if (!path || !data || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_weights_load_internal: invalid argument");
    return load_weights(path, data, len, NULL, 0, task, regression, max_dim, out, err);
}

dm_status dm_weights_load_split_internal(const char *path, const void *head, size_t head_len,
                                         double **body, size_t body_len, dm_task task,
                                         bool regression, int max_dim, dm_submodel **out,
                                         dm_error *err)
{
    if (!path || !head || !body || !*body || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_weights_load_split_internal: invalid argument");
    return load_weights(path, head, head_len, body, body_len, task, regression, max_dim, out,
                        err);
}
