/* Joint decoding of the targets of one statement (stance): a second stage
 * over the first stage's one-vs-rest decision values. A target's features
 * are its own decision values and, when the statement has other targets,
 * their difference from the mean of the others' (relative evidence); a
 * multinomial logistic regression turns them into the class probabilities.
 *
 * Why: the linear first stage adds the sentence's evidence (shared by all
 * its targets) to the target's own, and the sentence's usually wins, so
 * the targets of one sentence get one label although their gold stances
 * differ. What tells them apart is small in absolute terms but shows in the
 * difference between their decision values; the second stage learns how
 * much that difference weighs. It is fitted on the decision values of
 * cross-validation over the training rows (the ones Platt scaling uses,
 * calibrate.c), so it learns from values the first stage did not train on
 * (stacking). It sees decision values only, never a name: what holds for
 * the first stage (a name swap changes nothing) holds for it. */
#include "model/model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITER 100
/* L2 penalty on the weights (not on the intercepts): the features are few
 * and the rows thousands, so it only keeps a separable fold finite. */
#define LAMBDA 1.0
/* The log-odds added to every labelling of a statement's targets that does
 * not give them all one label. The likelihood alone would not ask for it
 * (q already spreads its mass); it is a decision: the linear first stage
 * gives the targets of one sentence one label for about half the sentences
 * whose targets differ in gold stance, and 1.0 brings that down by a
 * fifth at the macro-F1 of labelling each target on its own (NewsMTSC
 * train, 5-fold CV by sentence; models/README.md). */
#define DIVERSITY 1.0

int dm_joint_dim(int k)
{
    return 3 * k + 3;
}

void dm_joint_features(const double *dec, const double *others, size_t n, size_t i, int k,
                       double *f)
{
    for (int c = 0; c < k; c++) {
        double sum = 0, top = 0;
        bool first = true;
        for (size_t j = 0; j < n; j++)
            if (j != i) {
                double v = others[j * (size_t)k + (size_t)c];
                sum += v;
                if (first || v > top)
                    top = v;
                first = false;
            }
        f[c] = dec[c];
        f[k + c] = n > 1 ? dec[c] - sum / (double)(n - 1) : 0.0;
        f[2 * k + c] = n > 1 ? dec[c] - top : 0.0;
    }
    f[3 * k] = n > 1;
    f[3 * k + 1] = (double)n;
    f[3 * k + 2] = 1.0;
}

/* Softmax over k classes of w (class-major, dim F each; the last class is
 * the reference with w = 0) applied to f. */
static void softmax(const double *w, const double *f, int k, int F, double *p)
{
    double z[DM_JOINT_MAX_CLASSES], top = 0;
    for (int c = 0; c < k; c++) {
        z[c] = 0;
        if (c < k - 1)
            for (int a = 0; a < F; a++)
                z[c] += w[c * F + a] * f[a];
        if (c == 0 || z[c] > top)
            top = z[c];
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
        p[c] = exp(z[c] - top);
        sum += p[c];
    }
    for (int c = 0; c < k; c++)
        p[c] /= sum;
}

static double objective(const double *w, const double *F_rows, const int *y, size_t m, int k,
                        int F, double lambda)
{
    double v = 0, p[DM_JOINT_MAX_CLASSES];
    for (size_t i = 0; i < m; i++) {
        softmax(w, F_rows + i * (size_t)F, k, F, p);
        v -= log(p[y[i]] > 1e-300 ? p[y[i]] : 1e-300);
    }
    for (int c = 0; c < k - 1; c++)
        for (int a = 0; a < F - 1; a++)
            v += 0.5 * lambda * w[c * F + a] * w[c * F + a];
    return v;
}

/* Solve H x = g (n x n, symmetric positive definite) by Gaussian elimination
 * with partial pivoting; false when singular. */
static bool solve(double *H, double *g, int n)
{
    for (int col = 0; col < n; col++) {
        int piv = col;
        for (int r = col + 1; r < n; r++)
            if (fabs(H[r * n + col]) > fabs(H[piv * n + col]))
                piv = r;
        if (fabs(H[piv * n + col]) < 1e-300)
            return false;
        if (piv != col) {
            for (int c = 0; c < n; c++) {
                double t = H[col * n + c];
                H[col * n + c] = H[piv * n + c];
                H[piv * n + c] = t;
            }
            double t = g[col];
            g[col] = g[piv];
            g[piv] = t;
        }
        for (int r = col + 1; r < n; r++) {
            double m = H[r * n + col] / H[col * n + col];
            for (int c = col; c < n; c++)
                H[r * n + c] -= m * H[col * n + c];
            g[r] -= m * g[col];
        }
    }
    for (int r = n - 1; r >= 0; r--) {
        for (int c = r + 1; c < n; c++)
            g[r] -= H[r * n + c] * g[c];
        g[r] /= H[r * n + r];
    }
    return true;
}

/* Newton's method with backtracking on the penalised log-loss. */
static void fit(double *w, const double *X, const int *y, size_t m, int k, int F)
{
    int n = (k - 1) * F;
    double lambda = LAMBDA;
    double H[DM_JOINT_WEIGHTS * DM_JOINT_WEIGHTS];
    double g[DM_JOINT_WEIGHTS];
    double trial[sizeof g / sizeof *g], p[DM_JOINT_MAX_CLASSES];
    memset(w, 0, (size_t)n * sizeof *w);
    double fval = objective(w, X, y, m, k, F, lambda);
    for (int iter = 0; iter < MAX_ITER; iter++) {
        memset(H, 0, (size_t)n * (size_t)n * sizeof *H);
        memset(g, 0, (size_t)n * sizeof *g);
        for (size_t i = 0; i < m; i++) {
            const double *f = X + i * (size_t)F;
            softmax(w, f, k, F, p);
            for (int c = 0; c < k - 1; c++) {
                double r = p[c] - (y[i] == c);
                for (int a = 0; a < F; a++)
                    g[c * F + a] += r * f[a];
                for (int d = 0; d < k - 1; d++) {
                    double h = p[c] * ((c == d) - p[d]);
                    for (int a = 0; a < F; a++)
                        for (int b = 0; b < F; b++)
                            H[(c * F + a) * n + d * F + b] += h * f[a] * f[b];
                }
            }
        }
        double gmax = 0;
        for (int c = 0; c < k - 1; c++)
            for (int a = 0; a < F; a++) {
                int j = c * F + a;
                double l = a < F - 1 ? lambda : 1e-9;
                g[j] += l * w[j];
                H[j * n + j] += l;
                gmax = fmax(gmax, fabs(g[j]));
            }
        if (gmax < 1e-6 * (double)m || !solve(H, g, n))
            break;
        double step = 1;
        for (; step >= 1e-8; step /= 2) {
            for (int j = 0; j < n; j++)
                trial[j] = w[j] - step * g[j];
            double v = objective(trial, X, y, m, k, F, lambda);
            if (v < fval) {
                memcpy(w, trial, (size_t)n * sizeof *w);
                fval = v;
                break;
            }
        }
        if (step < 1e-8)
            break;
    }
}

dm_status dm_joint_fit(dm_submodel *sm, const dm_examples *ex, const size_t *rows, size_t n,
                       const double *dec, const bool *have, dm_error *err)
{
    if (!sm || !sm->ll || !ex || !rows || !dec || !have)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_joint_fit: invalid argument");
    int k = sm->ll->nr_class, F = dm_joint_dim(k);
    sm->n_joint = 0;
    if (k < 2 || k > DM_JOINT_MAX_CLASSES)
        return DM_OK;
    double *X = malloc((n ? n : 1) * (size_t)F * sizeof *X);
    int *y = malloc((n ? n : 1) * sizeof *y);
    if (!X || !y) {
        free(X);
        free(y);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    size_t m = 0;
    /* The rows of one statement are consecutive (examples.c); a row whose
     * values are missing (its fold lacked a class) is left out, and so are
     * its values from the others'. */
    double *g = malloc((n ? n : 1) * (size_t)k * sizeof *g);
    if (!g) {
        free(X);
        free(y);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && ex->record[rows[b]] == ex->record[rows[a]]; b++)
            ;
        size_t ng = 0;
        for (size_t i = a; i < b; i++)
            if (have[i])
                memcpy(g + ng++ * (size_t)k, dec + i * (size_t)k, (size_t)k * sizeof *g);
        for (size_t i = a, gi = 0; i < b; i++) {
            if (!have[i])
                continue;
            int label = -1;
            for (int c = 0; c < k; c++)
                if (sm->ll->label[c] == (int)ex->y[rows[i]])
                    label = c;
            if (label >= 0) {
                dm_joint_features(g + gi * (size_t)k, g, ng, gi, k, X + m * (size_t)F);
                y[m++] = label;
            }
            gi++;
        }
    }
    free(g);
    if (m > 0) {
        fit(sm->joint_w, X, y, m, k, F);
        sm->n_joint = k;
        sm->joint_diversity = DIVERSITY;
    }
    free(X);
    free(y);
    return DM_OK;
}

void dm_joint_probabilities(const dm_submodel *sm, const double *dec, size_t n, double *q)
{
    int k = sm->n_joint, F = dm_joint_dim(k);
    double f[DM_JOINT_FEATURES_MAX];
    for (size_t i = 0; i < n; i++) {
        dm_joint_features(dec + i * (size_t)k, dec, n, i, k, f);
        softmax(sm->joint_w, f, k, F, q + i * (size_t)k);
    }
    if (n < 2)
        return;
    /* Marginals of P(y) ~ prod_i q_i(y_i) x (e^D when not all equal):
     * Z = e^D - (e^D - 1) sum_c prod_j q_j(c), and target i's class c has
     * q_i(c) (e^D - (e^D - 1) prod_{j != i} q_j(c)) / Z. The products
     * without i are taken by prefix and suffix, not by division. */
    double eD = exp(sm->joint_diversity), all_same = 0;
    for (int c = 0; c < k; c++) {
        double prod = 1;
        for (size_t j = 0; j < n; j++)
            prod *= q[j * (size_t)k + (size_t)c];
        all_same += prod;
    }
    double Z = eD - (eD - 1) * all_same;
    for (int c = 0; c < k; c++) {
        double before = 1;
        for (size_t i = 0; i < n; i++) {
            double after = 1;
            for (size_t j = i + 1; j < n; j++)
                after *= q[j * (size_t)k + (size_t)c];
            double qi = q[i * (size_t)k + (size_t)c];
            q[i * (size_t)k + (size_t)c] = qi * (eD - (eD - 1) * before * after) / Z;
            before *= qi;
        }
    }
}
