/* Prediction, weights, saving and loading of one task's model. */
#include "model/model_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLASSES 16

static int clamp_label(double v, int n_classes)
{
    long l = lround(v);
    if (l < 0)
        l = 0;
    if (l > n_classes - 1)
        l = n_classes - 1;
    return (int)l;
}

static void one_hot(double *p, int n_classes, int label)
{
    for (int c = 0; c < n_classes; c++)
        p[c] = c == label ? 1.0 : 0.0;
}

static double expected(const double *p, int n_classes)
{
    double e = 0.0;
    for (int c = 0; c < n_classes; c++)
        e += p[c] * c;
    return e;
}

/* LIBLINEAR's predict_values computed here, straight from the model's
 * weights (w, feature-major: w[(index - 1) * nr_w + class]) and `x`, with the
 * bias node (index nr_feature + 1, value bias) counted last as if appended.
 * The same operations in the same order as linear.cpp 2.3 (a product, then a
 * sum, feature by feature; the decision is the label of the largest value),
 * so the decision values are the same bits; but no copy of x with the bias
 * node and no call per prediction into the library. x is only read, so that
 * threads may predict examples that other threads train on. */
/* The loop of ll_predict_values below for nr_w 1, 3 and 4: the same
 * products and sums, each class's from 0 in x's order, in named locals
 * (an array of sums stayed in memory, a loop of load, multiply, add and
 * store per class: 36 instructions a feature for stance's 3 columns). */
static void dot1(const double *w, int n, const dm_node *x, double *dec)
{
    double d0 = 0;
    for (const dm_node *lx = x; lx->index != -1; lx++)
        if (lx->index <= n) /* the test data's dimension may exceed training's */
            d0 += w[lx->index - 1] * lx->value;
    dec[0] = d0;
}

static void dot3(const double *w, int n, const dm_node *x, double *dec)
{
    double d0 = 0, d1 = 0, d2 = 0;
    for (const dm_node *lx = x; lx->index != -1; lx++)
        if (lx->index <= n) {
            const double *wi = w + (size_t)(lx->index - 1) * 3;
            double v = lx->value;
            d0 += wi[0] * v;
            d1 += wi[1] * v;
            d2 += wi[2] * v;
        }
    dec[0] = d0;
    dec[1] = d1;
    dec[2] = d2;
}

static void dot4(const double *w, int n, const dm_node *x, double *dec)
{
    double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    for (const dm_node *lx = x; lx->index != -1; lx++)
        if (lx->index <= n) {
            const double *wi = w + (size_t)(lx->index - 1) * 4;
            double v = lx->value;
            d0 += wi[0] * v;
            d1 += wi[1] * v;
            d2 += wi[2] * v;
            d3 += wi[3] * v;
        }
    dec[0] = d0;
    dec[1] = d1;
    dec[2] = d2;
    dec[3] = d3;
}

/* The number of weight columns and the largest index with a row. */
static int ll_columns(const struct model *m, int *n)
{
    *n = m->bias >= 0 ? m->nr_feature + 1 : m->nr_feature;
    return m->nr_class == 2 && m->param.solver_type != MCSVM_CS ? 1 : m->nr_class;
}

/* x's rows are scattered over megabytes of weights: dm_submodel_prefetch
 * asks for them first (perf put ~70% of this function on the load
 * of a row when nobody did), so that their cache misses overlap. */
static double ll_predict_values(const struct model *m, const dm_node *x, double *dec)
{
    int n;
    int nr_w = ll_columns(m, &n);
    int nr_class = m->nr_class;
    const double *w = m->w;
    switch (nr_w) { /* the sums in locals, not through dec (which may alias w) */
    case 1: dot1(w, n, x, dec); break;
    case 3: dot3(w, n, x, dec); break;
    case 4: dot4(w, n, x, dec); break;
    default:
        for (int i = 0; i < nr_w; i++)
            dec[i] = 0;
        for (const dm_node *lx = x; lx->index != -1; lx++) {
            int idx = lx->index;
            if (idx <= n) {
                const double *wi = w + (size_t)(idx - 1) * (size_t)nr_w;
                for (int i = 0; i < nr_w; i++)
                    dec[i] += wi[i] * lx->value;
            }
        }
    }
    if (m->bias >= 0) {
        const double *wi = w + (size_t)m->nr_feature * (size_t)nr_w;
        for (int i = 0; i < nr_w; i++)
            dec[i] += wi[i] * m->bias;
    }
    if (nr_class == 2) {
        if (check_regression_model(m))
            return dec[0];
        return dec[0] > 0 ? m->label[0] : m->label[1];
    }
    int best = 0;
    for (int i = 1; i < nr_class; i++)
        if (dec[i] > dec[best])
            best = i;
    return m->label[best];
}

/* One-vs-rest decision values, one per class in label order: a two-class
 * model has one column, whose negation is the second class's value. */
static void ll_decision_values(const struct model *m, const dm_node *x, double *dec)
{
    ll_predict_values(m, x, dec);
    if (m->nr_class == 2 && m->param.solver_type != MCSVM_CS)
        dec[1] = -dec[0];
}

/* LIBLINEAR's predict_probability (logistic regression models) wants x with
 * the bias node appended: in `buf` (BIAS_BUF nodes) or, for a longer x, a
 * new array in *heap (the caller frees it). NULL when out of memory. */
#define BIAS_BUF 512

static const struct feature_node *with_bias(const struct model *m, const dm_node *x,
                                            dm_node *buf, dm_node **heap)
{
    *heap = NULL;
    if (m->bias < 0)
        return (const struct feature_node *)x;
    size_t len = 0;
    while (x[len].index != -1)
        len++;
    dm_node *v = buf;
    if (len + 2 > BIAS_BUF && !(v = *heap = malloc((len + 2) * sizeof *v)))
        return NULL;
    memcpy(v, x, len * sizeof *v);
    v[len].index = m->nr_feature + 1;
    v[len].value = m->bias;
    v[len + 1].index = -1;
    return (const struct feature_node *)v;
}

static int most_probable(const double *p, int n_classes)
{
    int best = 0;
    for (int c = 1; c < n_classes; c++)
        if (p[c] > p[best])
            best = c;
    return best;
}

/* Ordinal model (train_ordinal in submodel.c): column i is "level >=
 * label[i]", labels consecutive; q_i = P(level >= label[i]) by its Platt
 * sigmoid, made non-increasing (the classifiers are trained apart and may
 * cross), and P(level = l) = q(l) - q(l + 1), with q = 1 at and below the
 * lowest level trained and 0 above the highest. */
static void ordinal_probabilities(const dm_submodel *sm, const dm_node *x, double *p,
                                  int n_classes)
{
    const struct model *m = sm->ll;
    double dec[MAX_CLASSES], q[MAX_CLASSES + 1];
    ll_predict_values(m, x, dec);
    int k = m->nr_class, lo = m->label[0] - 1;
    q[0] = 1.0;
    for (int i = 0; i < k; i++) {
        double f = sm->platt_a[i] * dec[i] + sm->platt_b[i];
        /* 1 / (1 + exp(f)) without overflow, as libsvm's sigmoid_predict */
        double s = f >= 0 ? exp(-f) / (1.0 + exp(-f)) : 1.0 / (1.0 + exp(f));
        q[i + 1] = s < q[i] ? s : q[i];
    }
    for (int c = 0; c < n_classes; c++) {
        int i = c - lo; /* q index of "level >= c" */
        double at = i <= 0 ? 1.0 : i <= k ? q[i] : 0.0;
        double above = i + 1 <= 0 ? 1.0 : i + 1 <= k ? q[i + 1] : 0.0;
        p[c] = at - above;
    }
}

static dm_status predict_liblinear(const dm_submodel *sm, dm_node *x, int n_classes,
                                   int *label, double *p, double *value)
{
    const struct model *m = sm->ll;
    if (sm->regression) {
        double v;
        ll_predict_values(m, x, &v);
        *value = v;
        *label = clamp_label(v, n_classes);
        one_hot(p, n_classes, *label);
    } else if (sm->ordinal) {
        ordinal_probabilities(sm, x, p, n_classes);
        *label = most_probable(p, n_classes);
        *value = expected(p, n_classes);
    } else if (check_probability_model(m)) {
        dm_node buf[BIAS_BUF], *heap;
        const struct feature_node *fx = with_bias(m, x, buf, &heap);
        if (!fx)
            return DM_E_NOMEM;
        double prob[MAX_CLASSES];
        predict_probability(m, fx, prob);
        free(heap);
        for (int c = 0; c < n_classes; c++)
            p[c] = 0.0;
        for (int i = 0; i < m->nr_class; i++)
            if (m->label[i] >= 0 && m->label[i] < n_classes)
                p[m->label[i]] = prob[i];
        int best = 0;
        for (int c = 1; c < n_classes; c++)
            if (p[c] > p[best])
                best = c;
        *label = best;
        *value = expected(p, n_classes);
    } else if (sm->n_platt > 0) {
        double dec[MAX_CLASSES];
        ll_decision_values(m, x, dec);
        dm_platt_probabilities(sm, dec, p, n_classes);
        int best = 0;
        for (int c = 1; c < n_classes; c++)
            if (p[c] > p[best])
                best = c;
        *label = best;
        *value = expected(p, n_classes);
    } else {
        double dec[MAX_CLASSES];
        *label = clamp_label(ll_predict_values(m, x, dec), n_classes);
        one_hot(p, n_classes, *label);
        *value = *label;
    }
    return DM_OK;
}

int dm_submodel_decision_values(const dm_submodel *sm, dm_node *x, double *dec)
{
    if (!sm || !sm->ll || sm->regression || sm->ll->nr_class > MAX_CLASSES)
        return 0;
    ll_decision_values(sm->ll, x, dec);
    return sm->ll->nr_class;
}

/* Pairwise voting, as svm_predict_values for models without probabilities. */
static int vote(const struct svm_model *m, const double *dec)
{
    int k = m->nr_class, votes[MAX_CLASSES] = {0}, pidx = 0;
    for (int i = 0; i < k; i++)
        for (int j = i + 1; j < k; j++, pidx++)
            votes[dec[pidx] > 0 ? i : j]++;
    int best = 0;
    for (int i = 1; i < k; i++)
        if (votes[i] > votes[best])
            best = i;
    return m->label[best];
}

static dm_status predict_libsvm(const dm_submodel *sm, dm_node *x, int n_classes,
                                int *label, double *p, double *value)
{
    const struct svm_model *m = sm->svm;
    const struct svm_node *sx = (const struct svm_node *)x;
    if (sm->regression) {
        double v;
        if (sm->folded)
            dm_folded_decision_values(sm->folded, x, &v);
        else
            v = svm_predict(m, sx);
        *value = v;
        *label = clamp_label(v, n_classes);
        one_hot(p, n_classes, *label);
        return DM_OK;
    }
    double prob[MAX_CLASSES], dec[MAX_CLASSES * MAX_CLASSES];
    bool has_prob = svm_check_probability_model(m);
    int l;
    if (sm->folded) {
        dm_folded_decision_values(sm->folded, x, dec);
        l = has_prob ? dm_folded_probability(m, dec, prob) : vote(m, dec);
    } else {
        l = has_prob ? (int)svm_predict_probability(m, sx, prob) : (int)svm_predict(m, sx);
    }
    if (has_prob) {
        for (int c = 0; c < n_classes; c++)
            p[c] = 0.0;
        for (int i = 0; i < m->nr_class; i++)
            if (m->label[i] >= 0 && m->label[i] < n_classes)
                p[m->label[i]] = prob[i];
        *value = expected(p, n_classes);
    } else {
        one_hot(p, n_classes, clamp_label(l, n_classes));
        *value = l;
    }
    *label = clamp_label(l, n_classes);
    return DM_OK;
}

void dm_submodel_prefetch(const dm_submodel *sm, const dm_node *x)
{
#if defined(__GNUC__)
    const struct model *m = sm ? sm->ll : NULL;
    if (!m)
        return;
    int n;
    uintptr_t row = (uintptr_t)ll_columns(m, &n) * sizeof *m->w;
    /* The address of index i's row is base + i * row, the first and the
     * last byte of it asked for. In integers, not pointers: an index past
     * the weights (unseen in training, which ll_predict_values skips) asks
     * for an address outside them, which a prefetch may (it never faults),
     * with no test per feature. */
    uintptr_t base = (uintptr_t)m->w - row;
    for (const dm_node *lx = x; lx->index != -1; lx++) {
        uintptr_t at = base + (uintptr_t)(unsigned)lx->index * row;
        __builtin_prefetch((const void *)at);
        __builtin_prefetch((const void *)(at + row - 1));
    }
#else
    (void)sm;
    (void)x;
#endif
}

dm_status dm_submodel_predict(const dm_submodel *sm, dm_node *x, int n_classes,
                              int *label, double *p, double *value,
                              dm_error *err)
{
    if (!sm || !x || !label || !p || !value || n_classes < 1 || n_classes > MAX_CLASSES)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_submodel_predict: invalid argument");
    if (sm->ll) {
        dm_status s = predict_liblinear(sm, x, n_classes, label, p, value);
        return s == DM_OK ? s : dm_error_set(err, s, NULL, 0, "out of memory");
    }
    if (sm->svm)
        return predict_libsvm(sm, x, n_classes, label, p, value);
    return dm_error_set(err, DM_E_INTERNAL, NULL, 0, "empty model");
}

static int label_position(const int *labels, int k, int label)
{
    for (int i = 0; i < k; i++)
        if (labels[i] == label)
            return i;
    return -1;
}

bool dm_submodel_weight(const dm_submodel *sm, int index, int label,
                        double *weight)
{
    *weight = 0.0;
    if (!sm || index < 1)
        return false;
    if (sm->ll) {
        const struct model *m = sm->ll;
        if (index > m->nr_feature)
            return true; /* unseen in training: weight 0 */
        bool one_column = sm->regression ||
                          (m->nr_class == 2 && m->param.solver_type != MCSVM_CS);
        if (one_column) {
            double w = m->w[index - 1];
            /* Two classes: w points toward label[0]. */
            if (!sm->regression && label != m->label[0])
                w = -w;
            *weight = w;
            return true;
        }
        int c = label_position(m->label, m->nr_class, label);
        if (c < 0)
            return true;
        *weight = m->w[(size_t)(index - 1) * (size_t)m->nr_class + (size_t)c];
        return true;
    }
    if (sm->folded) {
        const dm_folded *f = sm->folded;
        if (index > f->dim)
            return true;
        if (sm->regression) {
            *weight = f->w[index];
            return true;
        }
        int c = label_position(sm->svm->label, f->nr_class, label);
        if (c < 0)
            return true;
        int pidx = 0;
        /* Sum of the pairwise weights that vote for class c. */
        for (int i = 0; i < f->nr_class; i++)
            for (int j = i + 1; j < f->nr_class; j++, pidx++) {
                double w = f->w[(size_t)pidx * (size_t)(f->dim + 1) + (size_t)index];
                if (i == c)
                    *weight += w;
                else if (j == c)
                    *weight -= w;
            }
        return true;
    }
    return false; /* kernel models have no per-feature weight */
}

bool dm_submodel_bias_contribution(const dm_submodel *sm, int label, double *out)
{
    *out = 0.0;
    if (!sm)
        return false;
    if (sm->ll) {
        const struct model *m = sm->ll;
        if (m->bias < 0)
            return true; /* no bias node */
        size_t row = (size_t)m->nr_feature; /* the bias node's weights follow the features' */
        bool one_column = sm->regression ||
                          (m->nr_class == 2 && m->param.solver_type != MCSVM_CS);
        double w;
        if (one_column) {
            w = m->w[row];
            if (!sm->regression && label != m->label[0])
                w = -w;
        } else {
            int c = label_position(m->label, m->nr_class, label);
            if (c < 0)
                return true;
            w = m->w[row * (size_t)m->nr_class + (size_t)c];
        }
        *out = w * m->bias;
        return true;
    }
    if (sm->folded) {
        const dm_folded *f = sm->folded;
        if (sm->regression) {
            *out = -f->rho[0];
            return true;
        }
        int c = label_position(sm->svm->label, f->nr_class, label);
        if (c < 0)
            return true;
        int pidx = 0;
        for (int i = 0; i < f->nr_class; i++)
            for (int j = i + 1; j < f->nr_class; j++, pidx++) {
                if (i == c)
                    *out -= f->rho[pidx];
                else if (j == c)
                    *out += f->rho[pidx];
            }
        return true;
    }
    return false;
}

dm_status dm_submodel_save(const dm_submodel *sm, const char *path, dm_error *err)
{
    int rc = sm->ll ? save_model(path, sm->ll) : svm_save_model(path, sm->svm);
    if (rc != 0)
        return dm_error_set(err, DM_E_IO, path, 0, "cannot write the model file");
    return DM_OK;
}

/* liblinear's and libsvm's loaders print to stderr on a bad header; check
 * the first line ourselves so the common corruptions fail quietly. */
static bool header_ok(const char *path, dm_backend backend)
{
    static const char *const LIBLINEAR_TYPES[] = {
        "L2R_LR", "L2R_L2LOSS_SVC_DUAL", "L2R_L2LOSS_SVC", "L2R_L1LOSS_SVC_DUAL",
        "MCSVM_CS", "L1R_L2LOSS_SVC", "L1R_LR", "L2R_LR_DUAL", "L2R_L2LOSS_SVR",
        "L2R_L2LOSS_SVR_DUAL", "L2R_L1LOSS_SVR_DUAL", NULL};
    static const char *const LIBSVM_TYPES[] = {"c_svc", "epsilon_svr", NULL};
    FILE *fp = fopen(path, "r");
    if (!fp)
        return false;
    char key[32] = "", value[64] = "";
    int n = fscanf(fp, "%31s %63s", key, value);
    fclose(fp);
    const char *want = backend == DM_BACKEND_LIBLINEAR ? "solver_type" : "svm_type";
    if (n != 2 || strcmp(key, want) != 0)
        return false;
    const char *const *types = backend == DM_BACKEND_LIBLINEAR ? LIBLINEAR_TYPES : LIBSVM_TYPES;
    for (int i = 0; types[i]; i++)
        if (strcmp(value, types[i]) == 0)
            return true;
    return false;
}

dm_status dm_submodel_load(const char *path, dm_backend backend, dm_task task,
                           bool regression, dm_submodel **out, dm_error *err)
{
    dm_submodel *sm = calloc(1, sizeof *sm);
    if (!sm)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    sm->task = task;
    sm->backend = backend;
    sm->regression = regression;
    sm->bias = -1;
    dm_status s = DM_OK;
    int n_classes = task == DM_TASK_HOSTILITY ? DM_HOSTILITY_LEVELS : DM_STANCE_CLASSES;
    if (!header_ok(path, backend)) {
        s = dm_error_set(err, DM_E_FORMAT, path, 1, "corrupt %s model file (bad header)",
                         backend == DM_BACKEND_LIBLINEAR ? "liblinear" : "libsvm");
    } else if (backend == DM_BACKEND_LIBLINEAR) {
        sm->ll = load_model(path);
        if (!sm->ll) {
            s = dm_error_set(err, DM_E_FORMAT, path, 0, "corrupt liblinear model file");
        } else if (regression != (bool)check_regression_model(sm->ll)) {
            s = dm_error_set(err, DM_E_FORMAT, path, 0,
                             "model type does not match the manifest");
        } else {
            sm->bias = sm->ll->bias;
            sm->dim = sm->ll->nr_feature;
            for (int i = 0; !regression && i < sm->ll->nr_class; i++)
                if (sm->ll->label[i] < 0 || sm->ll->label[i] >= n_classes)
                    s = dm_error_set(err, DM_E_FORMAT, path, 0,
                                     "label %d out of range", sm->ll->label[i]);
        }
    } else {
        sm->svm = svm_load_model(path);
        if (!sm->svm) {
            s = dm_error_set(err, DM_E_FORMAT, path, 0, "corrupt libsvm model file");
        } else {
            int type = svm_get_svm_type(sm->svm);
            if (regression != (type == EPSILON_SVR) ||
                (!regression && type != C_SVC) || sm->svm->nr_class > MAX_CLASSES)
                s = dm_error_set(err, DM_E_FORMAT, path, 0,
                                 "model type does not match the manifest");
            for (int i = 0; s == DM_OK && !regression && i < sm->svm->nr_class; i++)
                if (sm->svm->label[i] < 0 || sm->svm->label[i] >= n_classes)
                    s = dm_error_set(err, DM_E_FORMAT, path, 0,
                                     "label %d out of range", sm->svm->label[i]);
            if (s == DM_OK && sm->svm->param.kernel_type == LINEAR)
                s = dm_folded_create(sm->svm, 0, &sm->folded, err);
            if (s == DM_OK && sm->folded)
                sm->dim = sm->folded->dim;
        }
    }
    if (s != DM_OK) {
        dm_submodel_destroy(&sm);
        return s;
    }
    *out = sm;
    return DM_OK;
}
