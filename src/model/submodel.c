/* One task's model behind one interface: LIBLINEAR (linear models, fast
 * training) or libsvm (kernels, Platt probabilities; linear ones folded for
 * fast prediction). */
#include "model/model_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void print_nothing(const char *s)
{
    (void)s;
}

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void make_solvers_quiet(void)
{
    svm_set_print_string_function(print_nothing);
    set_print_string_function(print_nothing);
}

/* libsvm and LIBLINEAR print training progress to stdout by default, and
 * the library never prints. Their print hooks are process-wide and have no
 * getter, so they cannot be restored: they are set once, at the first
 * training (core.h, "What the library does to the process"). */
void dm_solvers_quiet(void)
{
    pthread_once(&quiet_once, make_solvers_quiet);
}

/* Some solvers draw from rand(): libsvm's probability cross-validation and
 * LIBLINEAR's dual and L1 coordinate-descent solvers; LIBLINEAR's primal
 * Newton solvers (L2R_LR, L2R_L2LOSS_SVC, L2R_L2LOSS_SVR) draw nothing
 * (counted with an interposed rand(): 0 calls). rand() has one process-wide
 * state, so a training that draws from it must be alone with it to give the
 * same bytes every time: it runs under this lock, on a state of its own
 * seeded with the training seed (glibc's rand() is random(), whose state
 * setstate() swaps), and the caller's state is put back afterwards. The
 * host program's own rand() sequence is therefore not disturbed, provided
 * it does not call rand() from another thread during a training. */
static pthread_mutex_t rand_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct rand_scope {
    bool held;
    char *saved;            /* the caller's random() state */
    char state[128];        /* 128 bytes: TYPE_3, the state srand() seeds */
} rand_scope;

static void rand_enter(rand_scope *r, bool draws, unsigned seed)
{
    r->held = draws;
    if (!draws)
        return;
    pthread_mutex_lock(&rand_lock);
    memset(r->state, 0, sizeof r->state);
    /* initstate(seed, 128-byte buffer) starts the sequence srand(seed) does
     * on glibc's default state, so models are the bytes they always were. */
    r->saved = initstate(seed, r->state, sizeof r->state);
}

static void rand_leave(rand_scope *r)
{
    if (!r->held)
        return;
    setstate(r->saved);
    pthread_mutex_unlock(&rand_lock);
    r->held = false;
}

static bool liblinear_draws_random(int solver)
{
    return solver != L2R_LR && solver != L2R_L2LOSS_SVC && solver != L2R_L2LOSS_SVR;
}

void dm_submodel_destroy(dm_submodel **sm)
{
    if (!sm || !*sm)
        return;
    if ((*sm)->ll)
        free_and_destroy_model(&(*sm)->ll);
    dm_folded_destroy(&(*sm)->folded);
    if ((*sm)->svm)
        svm_free_and_destroy_model(&(*sm)->svm);
    free(*sm);
    *sm = NULL;
}

static size_t node_len(const dm_node *x)
{
    size_t n = 0;
    while (x[n].index != -1)
        n++;
    return n;
}

/* Default stopping tolerances of liblinear's train.c per solver. */
static double liblinear_default_eps(int solver)
{
    switch (solver) {
    case L2R_LR:
    case L2R_L2LOSS_SVC:
        return 0.01;
    case L2R_L2LOSS_SVR:
        return 0.001;
    default:
        return 0.1;
    }
}

/* liblinear's solvers run dense vector operations over every feature
 * index, and hashed features leave most of the 2^18 buckets unused: train
 * on the used indices renumbered 1..m, then spread the weights back to the
 * full index space so the saved model reads like any other. */
static dm_status expand_weights(struct model *m, const int *used, int m_used, int dim)
{
    bool one = m->nr_class == 2 && m->param.solver_type != MCSVM_CS;
    bool regression = check_regression_model(m);
    int nr_w = (one || regression) ? 1 : m->nr_class;
    double *w = calloc((size_t)(dim + 1) * (size_t)nr_w, sizeof *w);
    if (!w)
        return DM_E_NOMEM;
    for (int c = 1; c <= m_used; c++)
        for (int k = 0; k < nr_w; k++)
            w[(size_t)(used[c] - 1) * (size_t)nr_w + (size_t)k] =
                m->w[(size_t)(c - 1) * (size_t)nr_w + (size_t)k];
    if (m->bias >= 0)
        for (int k = 0; k < nr_w; k++)
            w[(size_t)dim * (size_t)nr_w + (size_t)k] = m->w[(size_t)m_used * (size_t)nr_w + (size_t)k];
    free(m->w);
    m->w = w;
    m->nr_feature = dim;
    return DM_OK;
}

static dm_status train_liblinear(const dm_examples *ex, const size_t *rows, size_t n,
                                 const dm_submodel_params *p, dm_submodel *sm,
                                 dm_error *err)
{
    struct problem prob = {.l = (int)n, .bias = 1.0};
    int dim = ex->dim;
    int *compact = calloc((size_t)dim + 1, sizeof *compact);
    int *used = malloc(((size_t)dim + 1) * sizeof *used);
    prob.y = malloc(n * sizeof *prob.y);
    prob.x = calloc(n, sizeof *prob.x);
    dm_status s = DM_OK;
    if (!prob.y || !prob.x || !compact || !used) {
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (const dm_node *x = ex->x[rows[i]]; x->index != -1; x++)
            if (x->index >= 1 && x->index <= dim)
                compact[x->index] = 1;
    int m_used = 0;
    for (int j = 1; j <= dim; j++)
        if (compact[j]) {
            compact[j] = ++m_used;
            used[m_used] = j;
        }
    prob.n = m_used + 1;
    /* liblinear expects the bias feature (index n) in every instance. */
    for (size_t i = 0; i < n; i++) {
        const dm_node *x = ex->x[rows[i]];
        size_t len = node_len(x);
        struct feature_node *f = malloc((len + 2) * sizeof *f);
        if (!f) {
            s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
            goto done;
        }
        size_t k = 0;
        for (size_t j = 0; j < len; j++)
            if (x[j].index >= 1 && x[j].index <= dim) {
                f[k].index = compact[x[j].index];
                f[k].value = x[j].value;
                k++;
            }
        f[k].index = prob.n;
        f[k].value = prob.bias;
        f[k + 1].index = -1;
        prob.x[i] = f;
        prob.y[i] = ex->y[rows[i]];
    }
    struct parameter param = {0};
    param.solver_type = p->regression ? L2R_L2LOSS_SVR_DUAL : p->liblinear_solver;
    param.C = p->C;
    param.p = p->svr_epsilon;
    param.eps = p->tolerance > 0 ? p->tolerance : liblinear_default_eps(param.solver_type);
    const char *bad = check_parameter(&prob, &param);
    if (bad) {
        s = dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "liblinear: %s", bad);
        goto done;
    }
    rand_scope rs;
    rand_enter(&rs, liblinear_draws_random(param.solver_type), p->seed);
    sm->ll = train(&prob, &param);
    rand_leave(&rs);
    if (!sm->ll)
        s = dm_error_set(err, DM_E_TRAIN, NULL, 0, "liblinear training failed");
    else if (expand_weights(sm->ll, used, m_used, dim) != DM_OK)
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    sm->bias = prob.bias;
done:
    if (prob.x)
        for (size_t i = 0; i < n; i++)
            free(prob.x[i]);
    free(prob.x);
    free(prob.y);
    free(compact);
    free(used);
    return s;
}

static dm_status train_libsvm(const dm_examples *ex, const size_t *rows, size_t n,
                              const dm_submodel_params *p, dm_submodel *sm,
                              dm_error *err)
{
    struct svm_problem prob = {.l = (int)n};
    prob.y = malloc(n * sizeof *prob.y);
    prob.x = malloc(n * sizeof *prob.x);
    if (!prob.y || !prob.x) {
        free(prob.y);
        free(prob.x);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        /* dm_node has svm_node's layout: {int index; double value;}. */
        prob.x[i] = (struct svm_node *)ex->x[rows[i]];
        prob.y[i] = ex->y[rows[i]];
    }
    struct svm_parameter param = {0};
    param.svm_type = p->regression ? EPSILON_SVR : C_SVC;
    param.kernel_type = p->kernel == DM_KERNEL_RBF ? RBF : LINEAR;
    param.gamma = p->gamma > 0 ? p->gamma : 1.0 / (ex->dim > 0 ? ex->dim : 1);
    param.cache_size = 200;
    param.eps = p->tolerance > 0 ? p->tolerance : 0.001;
    param.C = p->C;
    param.p = p->svr_epsilon;
    param.shrinking = 1;
    param.probability = p->regression ? 0 : 1;
    dm_status s = DM_OK;
    const char *bad = svm_check_parameter(&prob, &param);
    if (bad) {
        s = dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "libsvm: %s", bad);
    } else {
        /* libsvm's probability cross-validation shuffles with rand(). */
        rand_scope rs;
        rand_enter(&rs, param.probability != 0, p->seed);
        struct svm_model *m = svm_train(&prob, &param);
        rand_leave(&rs);
        if (!m) {
            s = dm_error_set(err, DM_E_TRAIN, NULL, 0, "libsvm training failed");
        } else {
            sm->svm = m;
        }
    }
    free(prob.y);
    free(prob.x);
    return s;
}

/* svm_train's model borrows the training vectors (free_sv == 0). Copy the
 * support vectors into one block, as svm_load_model lays them out, and let
 * svm_free_model_content free it (free_sv == 1 frees SV[0]). */
static dm_status own_support_vectors(struct svm_model *m, dm_error *err)
{
    if (m->free_sv || m->l == 0)
        return DM_OK;
    size_t total = 0;
    for (int i = 0; i < m->l; i++) {
        size_t len = 0;
        while (m->SV[i][len].index != -1)
            len++;
        total += len + 1;
    }
    struct svm_node *block = malloc(total * sizeof *block), *o = block;
    if (!block)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    for (int i = 0; i < m->l; i++) {
        size_t len = 0;
        while (m->SV[i][len].index != -1)
            len++;
        memcpy(o, m->SV[i], (len + 1) * sizeof *o);
        m->SV[i] = o;
        o += len + 1;
    }
    m->free_sv = 1;
    return DM_OK;
}

/* Ordinal hostility: one binary classifier per threshold, "level >= k" for
 * k above the lowest level seen, each trained and Platt-scaled on its own
 * (calibrate.c), so that P(level >= k) is one sigmoid of one decision value.
 * Why: the levels are ordered and the measure that matters most (conflict,
 * level >= 2) is a threshold; one-vs-rest learns level 2 against 1 and 3 at
 * once, from its fewest examples. The classifiers are packed into one
 * LIBLINEAR model whose column of class k is "level >= k", so the bundle's
 * files are a plain LIBLINEAR multi-class model and its weights; the manifest
 * type "ordinal" says how to read them. At least three thresholds (four
 * levels): LIBLINEAR stores a two-class model as one column. */
static dm_status train_ordinal(const dm_examples *ex, const size_t *rows, size_t n_rows,
                               const dm_submodel_params *p, dm_submodel *sm, dm_error *err)
{
    int lo = (int)ex->y[rows[0]], hi = lo;
    for (size_t i = 1; i < n_rows; i++) {
        int y = (int)ex->y[rows[i]];
        lo = y < lo ? y : lo;
        hi = y > hi ? y : hi;
    }
    int k = hi - lo;
    if (k < 3 || k > DM_PLATT_MAX)
        return dm_error_set(err, DM_E_TRAIN, NULL, 0,
                            "the ordinal model needs at least four levels in the training "
                            "data (levels %d to %d here)", lo, hi);
    dm_examples bin = *ex;
    bin.y = malloc(ex->n * sizeof *bin.y);
    if (!bin.y)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    dm_submodel_params bp = *p;
    bp.ordinal = false;
    bp.calibrate = false;
    struct model *packed = NULL;
    dm_status s = DM_OK;
    for (int c = 0; c < k && s == DM_OK; c++) {
        int level = lo + 1 + c;
        for (size_t i = 0; i < ex->n; i++)
            bin.y[i] = ex->y[i] >= level ? 1 : 0;
        dm_submodel *b = NULL;
        s = dm_submodel_train(&bin, rows, n_rows, &bp, &b, err);
        /* Always Platt-scaled, logistic regression too: one sigmoid per
         * threshold is what the levels are computed from. */
        if (s == DM_OK)
            s = dm_submodel_calibrate(b, &bin, rows, n_rows, &bp, err);
        int row = -1;
        for (int i = 0; s == DM_OK && i < b->n_platt; i++)
            if (b->platt_label[i] == 1)
                row = i;
        if (s == DM_OK && row < 0)
            s = dm_error_set(err, DM_E_INTERNAL, NULL, 0, "ordinal: no calibration");
        const struct model *m = s == DM_OK ? b->ll : NULL;
        size_t n_w = m ? (size_t)m->nr_feature + (m->bias >= 0 ? 1 : 0) : 0;
        if (s == DM_OK && !packed) {
            packed = calloc(1, sizeof *packed);
            if (packed) {
                packed->param = m->param;
                packed->param.nr_weight = 0;
                packed->param.weight_label = NULL;
                packed->param.weight = NULL;
                packed->param.init_sol = NULL;
                packed->nr_class = k;
                packed->nr_feature = m->nr_feature;
                packed->bias = m->bias;
                packed->label = malloc((size_t)k * sizeof *packed->label);
                packed->w = calloc(n_w * (size_t)k, sizeof *packed->w);
            }
            if (!packed || !packed->label || !packed->w)
                s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        }
        if (s == DM_OK) {
            /* A two-class column points toward label[0]: turn it toward 1. */
            double sign = m->label[0] == 1 ? 1.0 : -1.0;
            for (size_t j = 0; j < n_w; j++)
                packed->w[j * (size_t)k + (size_t)c] = sign * m->w[j];
            packed->label[c] = level;
            sm->platt_label[c] = level;
            sm->platt_a[c] = b->platt_a[row];
            sm->platt_b[c] = b->platt_b[row];
            sm->bias = b->bias;
        }
        dm_submodel_destroy(&b);
    }
    free(bin.y);
    if (s != DM_OK) {
        if (packed)
            free_and_destroy_model(&packed);
        return s;
    }
    sm->ll = packed;
    sm->n_platt = k;
    sm->ordinal = true;
    return DM_OK;
}

dm_status dm_submodel_train(const dm_examples *ex, const size_t *rows, size_t n_rows,
                            const dm_submodel_params *p, dm_submodel **out,
                            dm_error *err)
{
    if (!ex || !rows || !p || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_submodel_train: invalid argument");
    if (n_rows == 0)
        return dm_error_set(err, DM_E_TRAIN, NULL, 0, "no training examples");
    if (!p->regression) {
        bool two = false;
        for (size_t i = 1; i < n_rows && !two; i++)
            two = ex->y[rows[i]] != ex->y[rows[0]];
        if (!two)
            return dm_error_set(err, DM_E_TRAIN, NULL, 0,
                                "all %zu training examples have the same label", n_rows);
    }
    dm_solvers_quiet();
    dm_submodel *sm = calloc(1, sizeof *sm);
    if (!sm)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    sm->backend = p->backend;
    sm->regression = p->regression;
    sm->dim = ex->dim;
    sm->C = p->C;
    /* The gamma trained with: libsvm's 1/dimensions when none was given
     * (a report saying "gamma 0" for an RBF model is no use). */
    sm->gamma = p->kernel == DM_KERNEL_RBF && p->gamma <= 0 ? 1.0 / (ex->dim > 0 ? ex->dim : 1)
                                                            : p->gamma;
    sm->bias = -1;
    dm_status s;
    if (p->ordinal && p->backend == DM_BACKEND_LIBLINEAR && !p->regression)
        s = train_ordinal(ex, rows, n_rows, p, sm, err);
    else
        s = p->backend == DM_BACKEND_LIBLINEAR ? train_liblinear(ex, rows, n_rows, p, sm, err)
                                               : train_libsvm(ex, rows, n_rows, p, sm, err);
    if (s == DM_OK && sm->ll && !sm->ordinal && p->calibrate && !p->regression &&
        !check_probability_model(sm->ll))
        s = dm_submodel_calibrate(sm, ex, rows, n_rows, p, err);
    if (s == DM_OK && sm->svm) {
        s = own_support_vectors(sm->svm, err);
        if (s == DM_OK) {
            if (sm->svm->param.kernel_type == LINEAR)
                s = dm_folded_create(sm->svm, sm->dim, &sm->folded, err);
        }
    }
    if (s != DM_OK) {
        dm_submodel_destroy(&sm);
        return s;
    }
    *out = sm;
    return DM_OK;
}
