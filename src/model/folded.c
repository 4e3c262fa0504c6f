/* Folded linear prediction of libsvm models.
 *
 * svm_predict with a linear kernel evaluates x.sv for every support vector,
 * which makes it hundreds of times slower than featurising. With a linear
 * kernel each pairwise decision function is sum_k coef_k (x . sv_k) - rho =
 * x . (sum_k coef_k sv_k) - rho, so the support vectors fold into one dense
 * weight vector per class pair and prediction is one sparse dot product per
 * pair. Probabilities then follow libsvm exactly: the pair's Platt sigmoid
 * (probA, probB) and the pairwise coupling of multiclass_probability, both
 * reimplemented here from libsvm 3.24 (svm.cpp) so that the results equal
 * svm_predict_probability's. */
#include "model/model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Largest feature index a folded model accepts: the featurizer's 2^28
 * buckets plus its named block, with room to spare. */
#define FOLDED_MAX_DIM (1 << 29)
#define FOLDED_MAX_CLASSES 64

/* The fold indexes arrays by what the model says: check it agrees with
 * itself first (nr_sv against the support vectors, indices >= 1). The
 * loader validates the text before libsvm parses it; this holds for any
 * svm_model, trained or loaded. */
static dm_status check_model(const struct svm_model *m, bool regression, int *dim,
                             dm_error *err)
{
    int k = m->nr_class;
    if (m->l < 0 || (m->l > 0 && !m->SV) || !m->sv_coef || !m->rho ||
        (!regression && (k < 2 || k > FOLDED_MAX_CLASSES || !m->nSV || !m->label)))
        return dm_error_set(err, DM_E_FORMAT, NULL, 0,
                            "libsvm model: inconsistent class or support vector counts");
    if (!regression) {
        long sum = 0;
        for (int i = 0; i < k; i++) {
            if (m->nSV[i] < 0)
                return dm_error_set(err, DM_E_FORMAT, NULL, 0,
                                    "libsvm model: negative nr_sv for class %d", i);
            sum += m->nSV[i];
        }
        if (sum != m->l)
            return dm_error_set(err, DM_E_FORMAT, NULL, 0,
                                "libsvm model: nr_sv adds up to %ld, %d support vectors",
                                sum, m->l);
    }
    for (int i = 0; i < m->l; i++) {
        if (!m->SV[i])
            return dm_error_set(err, DM_E_FORMAT, NULL, 0,
                                "libsvm model: support vector %d is missing", i + 1);
        for (const struct svm_node *n = m->SV[i]; n->index != -1; n++) {
            if (n->index < 1 || n->index > FOLDED_MAX_DIM)
                return dm_error_set(err, DM_E_FORMAT, NULL, 0,
                                    "libsvm model: support vector %d has feature index %d",
                                    i + 1, n->index);
            if (n->index > *dim)
                *dim = n->index;
        }
    }
    return DM_OK;
}

dm_status dm_folded_create(const struct svm_model *m, int dim, dm_folded **out,
                           dm_error *err)
{
    if (!m || !out || m->param.kernel_type != LINEAR || dim < 0 || dim > FOLDED_MAX_DIM)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_folded_create: needs a linear libsvm model");
    bool regression = m->param.svm_type == EPSILON_SVR || m->param.svm_type == NU_SVR ||
                      m->param.svm_type == ONE_CLASS;
    /* The dimension is at least the largest index in any support vector. */
    dm_status s = check_model(m, regression, &dim, err);
    if (s != DM_OK)
        return s;
    int k = m->nr_class;
    int pairs = regression ? 1 : k * (k - 1) / 2;
    dm_folded *f = calloc(1, sizeof *f);
    if (!f)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    f->nr_class = regression ? 2 : k;
    f->n_pairs = pairs;
    f->dim = dim;
    f->rho = m->rho;
    f->w = calloc((size_t)pairs * (size_t)(dim + 1), sizeof *f->w);
    if (!f->w) {
        free(f);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    if (regression) {
        for (int s = 0; s < m->l; s++)
            for (const struct svm_node *n = m->SV[s]; n->index != -1; n++)
                f->w[n->index] += m->sv_coef[0][s] * n->value;
        *out = f;
        return DM_OK;
    }
    int *start = malloc((size_t)k * sizeof *start);
    if (!start) {
        dm_folded_destroy(&f);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    start[0] = 0;
    for (int i = 1; i < k; i++)
        start[i] = start[i - 1] + m->nSV[i - 1];
    int p = 0;
    for (int i = 0; i < k; i++)
        for (int j = i + 1; j < k; j++, p++) {
            double *w = f->w + (size_t)p * (size_t)(dim + 1);
            /* Same coefficients as svm_predict_values uses for pair (i, j). */
            const double *coef1 = m->sv_coef[j - 1], *coef2 = m->sv_coef[i];
            for (int t = 0; t < m->nSV[i]; t++) {
                int s = start[i] + t;
                for (const struct svm_node *n = m->SV[s]; n->index != -1; n++)
                    w[n->index] += coef1[s] * n->value;
            }
            for (int t = 0; t < m->nSV[j]; t++) {
                int s = start[j] + t;
                for (const struct svm_node *n = m->SV[s]; n->index != -1; n++)
                    w[n->index] += coef2[s] * n->value;
            }
        }
    free(start);
    *out = f;
    return DM_OK;
}

void dm_folded_destroy(dm_folded **f)
{
    if (!f || !*f)
        return;
    free((*f)->w);
    free(*f);
    *f = NULL;
}

void dm_folded_decision_values(const dm_folded *f, const dm_node *x,
                               double *dec_values)
{
    for (int p = 0; p < f->n_pairs; p++) {
        const double *w = f->w + (size_t)p * (size_t)(f->dim + 1);
        double sum = 0.0;
        for (const dm_node *n = x; n->index != -1; n++)
            if (n->index >= 1 && n->index <= f->dim)
                sum += w[n->index] * n->value;
        dec_values[p] = sum - f->rho[p];
    }
}

static double sigmoid_predict(double decision_value, double A, double B)
{
    double fApB = decision_value * A + B;
    /* 1-p is used later; avoid catastrophic cancellation (as libsvm). */
    if (fApB >= 0)
        return exp(-fApB) / (1.0 + exp(-fApB));
    return 1.0 / (1 + exp(fApB));
}

/* Method 2 of Wu, Lin & Weng (2004), as libsvm's multiclass_probability. */
void dm_multiclass_probability(int k, double **r, double *p)
{
    int max_iter = k > 100 ? k : 100;
    double eps = 0.005 / k;
    double *Qbuf = malloc((size_t)k * (size_t)k * sizeof *Qbuf);
    double *Qp = malloc((size_t)k * sizeof *Qp);
    if (!Qbuf || !Qp) {
        for (int t = 0; t < k; t++)
            p[t] = 1.0 / k;
        free(Qbuf);
        free(Qp);
        return;
    }
#define Q(a, b) Qbuf[(size_t)(a) * (size_t)k + (size_t)(b)]
    for (int t = 0; t < k; t++) {
        p[t] = 1.0 / k;
        Q(t, t) = 0;
        for (int j = 0; j < t; j++) {
            Q(t, t) += r[j][t] * r[j][t];
            Q(t, j) = Q(j, t);
        }
        for (int j = t + 1; j < k; j++) {
            Q(t, t) += r[j][t] * r[j][t];
            Q(t, j) = -r[j][t] * r[t][j];
        }
    }
    for (int iter = 0; iter < max_iter; iter++) {
        /* Stopping condition; recompute Qp and pQp for numerical accuracy. */
        double pQp = 0;
        for (int t = 0; t < k; t++) {
            Qp[t] = 0;
            for (int j = 0; j < k; j++)
                Qp[t] += Q(t, j) * p[j];
            pQp += p[t] * Qp[t];
        }
        double max_error = 0;
        for (int t = 0; t < k; t++) {
            double error = fabs(Qp[t] - pQp);
            if (error > max_error)
                max_error = error;
        }
        if (max_error < eps)
            break;
        for (int t = 0; t < k; t++) {
            double diff = (-Qp[t] + pQp) / Q(t, t);
            p[t] += diff;
            pQp = (pQp + diff * (diff * Q(t, t) + 2 * Qp[t])) / (1 + diff) / (1 + diff);
            for (int j = 0; j < k; j++) {
                Qp[j] = (Qp[j] + diff * Q(t, j)) / (1 + diff);
                p[j] /= (1 + diff);
            }
        }
    }
#undef Q
    free(Qbuf);
    free(Qp);
}

int dm_folded_probability(const struct svm_model *m, const double *dec_values,
                          double *prob_estimates)
{
    int k = m->nr_class;
    const double min_prob = 1e-7;
    double *buf = malloc((size_t)k * (size_t)k * sizeof *buf);
    double **r = malloc((size_t)k * sizeof *r);
    if (!buf || !r) {
        free(buf);
        free(r);
        for (int i = 0; i < k; i++)
            prob_estimates[i] = 1.0 / k;
        return m->label[0];
    }
    for (int i = 0; i < k; i++)
        r[i] = buf + (size_t)i * (size_t)k;
    int p = 0;
    for (int i = 0; i < k; i++)
        for (int j = i + 1; j < k; j++, p++) {
            double v = sigmoid_predict(dec_values[p], m->probA[p], m->probB[p]);
            v = fmin(fmax(v, min_prob), 1 - min_prob);
            r[i][j] = v;
            r[j][i] = 1 - v;
        }
    if (k == 2) {
        /* libsvm 3.24 takes the pairwise probability itself for two classes. */
        prob_estimates[0] = r[0][1];
        prob_estimates[1] = r[1][0];
    } else {
        dm_multiclass_probability(k, r, prob_estimates);
    }
    int best = 0;
    for (int i = 1; i < k; i++)
        if (prob_estimates[i] > prob_estimates[best])
            best = i;
    free(buf);
    free(r);
    return m->label[best];
}
