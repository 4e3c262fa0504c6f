/* Platt scaling for LIBLINEAR's SVC solvers, which give decision values but
 * no probabilities: for each class, a sigmoid p = 1 / (1 + exp(A f + B)) of
 * its one-vs-rest decision value f, fitted on decision values that the model
 * did not train on (5-fold cross-validation over the training rows, folds by
 * statement, as cv.c does), then normalised over the classes. The fit is
 * the algorithm of Lin, Lin and Weng, "A note on Platt's probabilistic
 * outputs for support vector machines" (Machine Learning 68, 2007), as
 * libsvm's sigmoid_train implements it (libsvm keeps its copy static). */
#include "model/model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CALIBRATION_FOLDS 5

/* Newton's method with backtracking on the regularised targets. */
static void sigmoid_fit(size_t l, const double *dec, const int *positive, double *A,
                        double *B)
{
    double prior1 = 0, prior0 = 0;
    for (size_t i = 0; i < l; i++)
        *(positive[i] ? &prior1 : &prior0) += 1;
    const int max_iter = 100;
    const double min_step = 1e-10, sigma = 1e-12, eps = 1e-5;
    double hi = (prior1 + 1.0) / (prior1 + 2.0), lo = 1 / (prior0 + 2.0);
    double *t = malloc((l ? l : 1) * sizeof *t);
    *A = 0.0;
    *B = log((prior0 + 1.0) / (prior1 + 1.0));
    if (!t)
        return;
    double fval = 0.0;
    for (size_t i = 0; i < l; i++) {
        t[i] = positive[i] ? hi : lo;
        double f = dec[i] * *A + *B;
        fval += f >= 0 ? t[i] * f + log(1 + exp(-f)) : (t[i] - 1) * f + log(1 + exp(f));
    }
    for (int iter = 0; iter < max_iter; iter++) {
        double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
        for (size_t i = 0; i < l; i++) {
            double f = dec[i] * *A + *B, p, q;
            if (f >= 0) {
                p = exp(-f) / (1.0 + exp(-f));
                q = 1.0 / (1.0 + exp(-f));
            } else {
                p = 1.0 / (1.0 + exp(f));
                q = exp(f) / (1.0 + exp(f));
            }
            double d2 = p * q;
            h11 += dec[i] * dec[i] * d2;
            h22 += d2;
            h21 += dec[i] * d2;
            double d1 = t[i] - p;
            g1 += dec[i] * d1;
            g2 += d1;
        }
        if (fabs(g1) < eps && fabs(g2) < eps)
            break;
        double det = h11 * h22 - h21 * h21;
        double dA = -(h22 * g1 - h21 * g2) / det, dB = -(-h21 * g1 + h11 * g2) / det;
        double gd = g1 * dA + g2 * dB, step = 1;
        while (step >= min_step) {
            double newA = *A + step * dA, newB = *B + step * dB, newf = 0.0;
            for (size_t i = 0; i < l; i++) {
                double f = dec[i] * newA + newB;
                newf += f >= 0 ? t[i] * f + log(1 + exp(-f))
                               : (t[i] - 1) * f + log(1 + exp(f));
            }
            if (newf < fval + 0.0001 * step * gd) {
                *A = newA;
                *B = newB;
                fval = newf;
                break;
            }
            step /= 2.0;
        }
        if (step < min_step)
            break;
    }
    free(t);
}

/* splitmix64: the same folds on every platform (as cv.c). */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

dm_status dm_submodel_calibrate(dm_submodel *sm, const dm_examples *ex, const size_t *rows,
                                size_t n, const dm_submodel_params *p, dm_error *err)
{
    if (!sm || !sm->ll || !ex || !rows || !p)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_submodel_calibrate: invalid argument");
    int k = sm->ll->nr_class;
    if (k < 2 || k > DM_PLATT_MAX)
        return DM_OK;
    dm_submodel_params inner = *p;
    inner.calibrate = false;
    size_t *train = malloc(n * sizeof *train), *test = malloc(n * sizeof *test);
    double *dec = malloc(n * (size_t)k * sizeof *dec), *col = malloc(n * sizeof *col);
    int *fold = malloc(n * sizeof *fold), *pos = malloc(n * sizeof *pos);
    bool *have = calloc(n, sizeof *have);
    dm_status s = DM_OK;
    if (!train || !test || !dec || !col || !fold || !pos || !have) {
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        fold[i] = (int)(mix((uint64_t)ex->record[rows[i]] ^ ((uint64_t)p->seed << 32)) %
                        CALIBRATION_FOLDS);
    for (int f = 0; f < CALIBRATION_FOLDS && s == DM_OK; f++) {
        size_t n_train = 0, n_test = 0;
        for (size_t i = 0; i < n; i++)
            if (fold[i] == f)
                test[n_test++] = i;
            else
                train[n_train++] = rows[i];
        if (n_test == 0 || n_train == 0)
            continue;
        dm_submodel *inner_sm = NULL;
        s = dm_submodel_train(ex, train, n_train, &inner, &inner_sm, err);
        if (s == DM_E_TRAIN) { /* a fold with one class: no values from it */
            s = DM_OK;
            continue;
        }
        for (size_t t = 0; t < n_test && s == DM_OK; t++) {
            double d[DM_PLATT_MAX];
            if (dm_submodel_decision_values(inner_sm, ex->x[rows[test[t]]], d) != k)
                continue; /* the fold's model lacks a class: skip the row */
            /* Map the fold model's label order onto the full model's. */
            for (int c = 0; c < k; c++)
                for (int j = 0; j < k; j++)
                    if (inner_sm->ll->label[j] == sm->ll->label[c])
                        dec[test[t] * (size_t)k + (size_t)c] = d[j];
            have[test[t]] = true;
        }
        dm_submodel_destroy(&inner_sm);
    }
    if (s != DM_OK)
        goto done;
    sm->n_platt = k;
    for (int c = 0; c < k; c++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (have[i]) {
                col[m] = dec[i * (size_t)k + (size_t)c];
                pos[m] = (int)ex->y[rows[i]] == sm->ll->label[c];
                m++;
            }
        sm->platt_label[c] = sm->ll->label[c];
        sigmoid_fit(m, col, pos, &sm->platt_a[c], &sm->platt_b[c]);
    }
done:
    free(train);
    free(test);
    free(dec);
    free(col);
    free(fold);
    free(pos);
    free(have);
    return s;
}

void dm_platt_probabilities(const dm_submodel *sm, const double *dec, double *p,
                            int n_classes)
{
    double sum = 0;
    for (int c = 0; c < n_classes; c++)
        p[c] = 0.0;
    for (int i = 0; i < sm->n_platt; i++) {
        int l = sm->platt_label[i];
        if (l < 0 || l >= n_classes)
            continue;
        double f = sm->platt_a[i] * dec[i] + sm->platt_b[i];
        /* 1 / (1 + exp(f)) without overflow */
        p[l] = f >= 0 ? exp(-f) / (1.0 + exp(-f)) : 1.0 / (1.0 + exp(f));
        sum += p[l];
    }
    if (sum > 0)
        for (int c = 0; c < n_classes; c++)
            p[c] /= sum;
}
