/* Strict validation of LIBLINEAR and libsvm model text before the libraries
 * parse it. Bundles are shared, so a model file is untrusted input, and
 * both loaders trust it: LIBLINEAR's load_model indexes with a negative
 * nr_feature, libsvm's svm_load_model allocates whatever total_sv and
 * nr_class say and dereferences NULL on a missing support-vector line. The
 * checksum in the manifest catches accidents, not a crafted file.
 *
 * The validator accepts exactly the layout save_model (LIBLINEAR 2.30) and
 * svm_save_model (libsvm 3.24) write: header keys in their order, every
 * count consistent with the lines that follow, every number parsed in full
 * and finite, feature indices >= 1, strictly increasing and within the
 * bundle's feature dimension. Errors name file:line. */
#include "model/model_internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A line-by-line cursor over the text; tokens are split on spaces/tabs. */
typedef struct cursor {
    const char *path;
    const char *p, *end;
    long line;            /* 1-based number of the current line */
    const char *lp, *le;  /* the current line [lp, le) without its '\n' */
    dm_error *err;
} cursor;

static dm_status bad(cursor *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static dm_status bad(cursor *c, const char *fmt, ...)
{
    char msg[DM_ERROR_MESSAGE_MAX - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return dm_error_set(c->err, DM_E_FORMAT, c->path, c->line, "corrupt model file: %s", msg);
}

/* Advance to the next line; false at the end of the text (the line
 * number then names the missing line). */
static bool next_line(cursor *c)
{
    if (c->p >= c->end) {
        c->lp = c->le = c->end;
        c->line++;
        return false;
    }
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    c->lp = c->p;
    c->le = nl ? nl : c->end;
    c->p = nl ? nl + 1 : c->end;
    c->line++;
    return true;
}

/* Next token of the current line into [*t, *t + *n); false if none left. */
static bool next_token(cursor *c, const char **t, size_t *n)
{
    while (c->lp < c->le && (*c->lp == ' ' || *c->lp == '\t'))
        c->lp++;
    if (c->lp >= c->le)
        return false;
    *t = c->lp;
    while (c->lp < c->le && *c->lp != ' ' && *c->lp != '\t')
        c->lp++;
    *n = (size_t)(c->lp - *t);
    return true;
}

/* Copy a token into buf (bounded) for strtod/strtol. */
static bool token_str(const char *t, size_t n, char *buf, size_t size)
{
    if (n == 0 || n >= size)
        return false;
    memcpy(buf, t, n);
    buf[n] = '\0';
    return true;
}

static bool parse_double(const char *t, size_t n, double *v)
{
    char buf[64], *endp;
    if (!token_str(t, n, buf, sizeof buf))
        return false;
    errno = 0;
    *v = strtod(buf, &endp);
    /* Underflow to a denormal or 0 is harmless; overflow and NaN are not. */
    return *endp == '\0' && endp != buf && isfinite(*v);
}

static bool parse_int(const char *t, size_t n, long lo, long hi, long *v)
{
    char buf[32], *endp;
    if (!token_str(t, n, buf, sizeof buf) || !(buf[0] == '-' || (buf[0] >= '0' && buf[0] <= '9')))
        return false;
    errno = 0;
    *v = strtol(buf, &endp, 10);
    return *endp == '\0' && errno == 0 && *v >= lo && *v <= hi;
}

/* The next line must be `key` followed by its values; leaves the cursor
 * after the key. */
static dm_status expect_key(cursor *c, const char *key)
{
    const char *t = NULL;
    size_t n = 0;
    if (!next_line(c))
        return bad(c, "ends before \"%s\"", key);
    if (!next_token(c, &t, &n))
        return bad(c, "empty line where \"%s\" was expected", key);
    if (n != strlen(key) || memcmp(t, key, n) != 0)
        return bad(c, "expected \"%s\", found \"%.*s\"", key, (int)(n > 40 ? 40 : n), t);
    return DM_OK;
}

/* Is the current line's next key `key` (peek without consuming a line)? */
static bool next_line_is(const cursor *c, const char *key)
{
    size_t k = strlen(key);
    return (size_t)(c->end - c->p) > k && memcmp(c->p, key, k) == 0 &&
           (c->p[k] == ' ' || c->p[k] == '\n');
}

static dm_status no_more_tokens(cursor *c, const char *what)
{
    const char *t;
    size_t n;
    if (next_token(c, &t, &n))
        return bad(c, "extra text \"%.*s\" after %s", (int)(n > 40 ? 40 : n), t, what);
    return DM_OK;
}

static dm_status read_ints(cursor *c, const char *key, long *v, long count, long lo, long hi)
{
    for (long i = 0; i < count; i++) {
        const char *t;
        size_t n;
        if (!next_token(c, &t, &n))
            return bad(c, "\"%s\" has %ld values, expected %ld", key, i, count);
        if (!parse_int(t, n, lo, hi, &v[i]))
            return bad(c, "\"%s\": \"%.*s\" is not an integer in [%ld, %ld]", key,
                       (int)(n > 40 ? 40 : n), t, lo, hi);
    }
    return no_more_tokens(c, key);
}

static dm_status read_doubles(cursor *c, const char *key, long count)
{
    for (long i = 0; i < count; i++) {
        const char *t;
        size_t n;
        double v;
        if (!next_token(c, &t, &n))
            return bad(c, "\"%s\" has %ld values, expected %ld", key, i, count);
        if (!parse_double(t, n, &v))
            return bad(c, "\"%s\": \"%.*s\" is not a finite number", key,
                       (int)(n > 40 ? 40 : n), t);
    }
    return no_more_tokens(c, key);
}

static dm_status one_word(cursor *c, const char *key, const char *const *allowed,
                          int *which)
{
    const char *t;
    size_t n;
    if (!next_token(c, &t, &n))
        return bad(c, "\"%s\" has no value", key);
    for (int i = 0; allowed[i]; i++)
        if (strlen(allowed[i]) == n && memcmp(allowed[i], t, n) == 0) {
            *which = i;
            return no_more_tokens(c, key);
        }
    return bad(c, "unknown %s \"%.*s\"", key, (int)(n > 40 ? 40 : n), t);
}

/* Labels: `count` distinct classes of the task. */
static dm_status read_labels(cursor *c, long count, int n_classes)
{
    long labels[DM_HOSTILITY_LEVELS];
    dm_status s = read_ints(c, "label", labels, count, 0, n_classes - 1);
    for (long i = 0; s == DM_OK && i < count; i++)
        for (long j = 0; j < i; j++)
            if (labels[i] == labels[j])
                return bad(c, "label %ld appears twice", labels[i]);
    return s;
}

static dm_status end_of_text(cursor *c)
{
    if (next_line(c))
        return bad(c, "unexpected text after the last line of the model");
    return DM_OK;
}

/* ---- LIBLINEAR 2.30 (save_model) ------------------------------------------ */

static dm_status validate_liblinear(cursor *c, int n_classes, bool regression, int max_dim)
{
    /* solver_type_table of linear.cpp, by number. */
    static const char *const SOLVERS[] = {
        "L2R_LR", "L2R_L2LOSS_SVC_DUAL", "L2R_L2LOSS_SVC", "L2R_L1LOSS_SVC_DUAL",
        "MCSVM_CS", "L1R_L2LOSS_SVC", "L1R_LR", "L2R_LR_DUAL", "", "", "",
        "L2R_L2LOSS_SVR", "L2R_L2LOSS_SVR_DUAL", "L2R_L1LOSS_SVR_DUAL", NULL};
    int solver;
    dm_status s;
    if ((s = expect_key(c, "solver_type")) != DM_OK ||
        (s = one_word(c, "solver_type", SOLVERS, &solver)) != DM_OK)
        return s;
    bool svr = solver >= L2R_L2LOSS_SVR;
    if (svr != regression)
        return bad(c, "solver_type %s is %s, the manifest says %s", SOLVERS[solver],
                   svr ? "regression" : "classification",
                   regression ? "regression" : "classification");
    long nr_class, nr_feature;
    if ((s = expect_key(c, "nr_class")) != DM_OK ||
        (s = read_ints(c, "nr_class", &nr_class, 1, 2, regression ? 2 : n_classes)) != DM_OK)
        return s;
    if (!regression && ((s = expect_key(c, "label")) != DM_OK ||
                        (s = read_labels(c, nr_class, n_classes)) != DM_OK))
        return s;
    if ((s = expect_key(c, "nr_feature")) != DM_OK ||
        (s = read_ints(c, "nr_feature", &nr_feature, 1, 0, max_dim)) != DM_OK)
        return s;
    const char *t;
    size_t n;
    double bias;
    if ((s = expect_key(c, "bias")) != DM_OK)
        return s;
    if (!next_token(c, &t, &n) || !parse_double(t, n, &bias) || (bias < 0 && bias != -1))
        return bad(c, "\"bias\" must be -1 (none) or a finite number >= 0");
    if ((s = no_more_tokens(c, "bias")) != DM_OK || (s = expect_key(c, "w")) != DM_OK ||
        (s = no_more_tokens(c, "w")) != DM_OK)
        return s;
    long rows = nr_feature + (bias >= 0 ? 1 : 0);
    long nr_w = (nr_class == 2 && solver != MCSVM_CS) ? 1 : nr_class;
    for (long r = 0; r < rows; r++) {
        if (!next_line(c))
            return bad(c, "ends after %ld of %ld weight lines", r, rows);
        if ((s = read_doubles(c, "weight line", nr_w)) != DM_OK)
            return s;
    }
    return end_of_text(c);
}

/* ---- libsvm 3.24 (svm_save_model) ------------------------------------------ */

static dm_status sv_line(cursor *c, long coefs, int max_dim)
{
    const char *t;
    size_t n;
    for (long k = 0; k < coefs; k++) {
        double v;
        if (!next_token(c, &t, &n))
            return bad(c, "support vector has %ld coefficients, expected %ld", k, coefs);
        if (!parse_double(t, n, &v))
            return bad(c, "support vector coefficient \"%.*s\" is not a finite number",
                       (int)(n > 40 ? 40 : n), t);
    }
    long last = 0;
    while (next_token(c, &t, &n)) {
        const char *colon = memchr(t, ':', n);
        long index;
        double v;
        if (!colon)
            return bad(c, "\"%.*s\" is not index:value", (int)(n > 40 ? 40 : n), t);
        if (!parse_int(t, (size_t)(colon - t), 1, max_dim, &index))
            return bad(c, "feature index \"%.*s\" is not in [1, %d]",
                       (int)(colon - t > 40 ? 40 : colon - t), t, max_dim);
        if (index <= last)
            return bad(c, "feature index %ld after %ld: indices must increase", index, last);
        last = index;
        if (!parse_double(colon + 1, n - (size_t)(colon - t) - 1, &v))
            return bad(c, "value of feature %ld is not a finite number", index);
    }
    return DM_OK;
}

static dm_status validate_libsvm(cursor *c, int n_classes, bool regression, int max_dim)
{
    static const char *const TYPES[] = {"c_svc", "nu_svc", "one_class", "epsilon_svr",
                                        "nu_svr", NULL};
    static const char *const KERNELS[] = {"linear", "polynomial", "rbf", "sigmoid",
                                          "precomputed", NULL};
    int type, kernel;
    dm_status s;
    if ((s = expect_key(c, "svm_type")) != DM_OK || (s = one_word(c, "svm_type", TYPES, &type)) != DM_OK)
        return s;
    if (type != (regression ? EPSILON_SVR : C_SVC))
        return bad(c, "svm_type %s does not match the manifest (%s)", TYPES[type],
                   regression ? "epsilon_svr" : "c_svc");
    if ((s = expect_key(c, "kernel_type")) != DM_OK ||
        (s = one_word(c, "kernel_type", KERNELS, &kernel)) != DM_OK)
        return s;
    if (kernel != LINEAR && kernel != RBF)
        return bad(c, "kernel_type %s: demarche trains linear and rbf kernels only", KERNELS[kernel]);
    if (kernel == RBF) {
        double gamma;
        const char *t;
        size_t n;
        if ((s = expect_key(c, "gamma")) != DM_OK)
            return s;
        if (!next_token(c, &t, &n) || !parse_double(t, n, &gamma) || gamma <= 0)
            return bad(c, "\"gamma\" must be a finite number > 0");
        if ((s = no_more_tokens(c, "gamma")) != DM_OK)
            return s;
    }
    long nr_class, total_sv;
    if ((s = expect_key(c, "nr_class")) != DM_OK ||
        (s = read_ints(c, "nr_class", &nr_class, 1, 2, regression ? 2 : n_classes)) != DM_OK)
        return s;
    /* Every support vector is a line of its own, so the text bounds their
     * number: libsvm would allocate whatever total_sv says. */
    long max_sv = (long)((c->end - c->p) / 2 + 1);
    if ((s = expect_key(c, "total_sv")) != DM_OK ||
        (s = read_ints(c, "total_sv", &total_sv, 1, 0, max_sv < INT_MAX ? max_sv : INT_MAX)) != DM_OK)
        return s;
    long pairs = nr_class * (nr_class - 1) / 2;
    if ((s = expect_key(c, "rho")) != DM_OK || (s = read_doubles(c, "rho", pairs)) != DM_OK)
        return s;
    if (!regression && ((s = expect_key(c, "label")) != DM_OK ||
                        (s = read_labels(c, nr_class, n_classes)) != DM_OK))
        return s;
    if (next_line_is(c, "probA")) {
        if ((s = expect_key(c, "probA")) != DM_OK || (s = read_doubles(c, "probA", pairs)) != DM_OK)
            return s;
        if (!regression && ((s = expect_key(c, "probB")) != DM_OK ||
                            (s = read_doubles(c, "probB", pairs)) != DM_OK))
            return s;
    }
    if (!regression) {
        long nr_sv[DM_HOSTILITY_LEVELS], sum = 0;
        if ((s = expect_key(c, "nr_sv")) != DM_OK ||
            (s = read_ints(c, "nr_sv", nr_sv, nr_class, 0, total_sv)) != DM_OK)
            return s;
        for (long i = 0; i < nr_class; i++)
            sum += nr_sv[i];
        if (sum != total_sv)
            return bad(c, "nr_sv adds up to %ld, total_sv is %ld", sum, total_sv);
    }
    if ((s = expect_key(c, "SV")) != DM_OK || (s = no_more_tokens(c, "SV")) != DM_OK)
        return s;
    for (long i = 0; i < total_sv; i++) {
        if (!next_line(c))
            return bad(c, "ends after %ld of %ld support vectors (total_sv)", i, total_sv);
        if ((s = sv_line(c, nr_class - 1, max_dim)) != DM_OK)
            return s;
    }
    return end_of_text(c);
}

dm_status dm_model_text_validate_internal(const char *path, const char *text, size_t len,
                                          dm_backend backend, dm_task task,
                                          bool regression, int max_dim, dm_error *err)
{
    if (!path || (!text && len > 0) || max_dim < 0)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_text_validate_internal: invalid argument");
    cursor c = {.path = path, .p = text, .end = text + len, .err = err};
    /* The libraries read lines with fgets/strtok: a NUL byte would end a
     * line early and make them see other text than was checked. */
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        for (const char *q = text; q < nul; q++)
            if (*q == '\n')
                c.line++;
        c.line++;
        return bad(&c, "NUL byte in the text");
    }
    int n_classes = task == DM_TASK_HOSTILITY ? DM_HOSTILITY_LEVELS : DM_STANCE_CLASSES;
    return backend == DM_BACKEND_LIBLINEAR
               ? validate_liblinear(&c, n_classes, regression, max_dim)
               : validate_libsvm(&c, n_classes, regression, max_dim);
}
