/* k-fold cross-validation and grid search (see model.h). Statements, not
 * examples, are assigned to folds, so that the targets of one statement
 * never straddle training and test. The shuffle uses its own generator
 * (splitmix64) so folds are the same on every platform. */
#include "model/model_internal.h"
#include "model/eval_internal.h"
#include "core/log_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const char *const HOSTILITY_NAMES[DM_HOSTILITY_LEVELS] = {"0", "1", "2", "3", "4"};
static const char *const STANCE_NAMES[DM_STANCE_CLASSES] = {"against", "neutral", "favor"};

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* fold[r] for every record of the dataset: the units (records, or the
 * groups group[r] = 0 .. n_units - 1 when group is given) are shuffled and
 * dealt into k folds; a record of group -1 gets fold -1 (always training). */
static int *assign_folds(size_t n_records, const int *group, size_t n_units,
                         int k, unsigned seed)
{
    size_t *perm = malloc((n_units ? n_units : 1) * sizeof *perm);
    int *fold = malloc((n_records ? n_records : 1) * sizeof *fold);
    if (!perm || !fold) {
        free(perm);
        free(fold);
        return NULL;
    }
    for (size_t i = 0; i < n_units; i++)
        perm[i] = i;
    uint64_t state = seed;
    for (size_t i = n_units; i > 1; i--) {
        size_t j = (size_t)(splitmix64(&state) % i);
        size_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
    int *unit_fold = group ? malloc((n_units ? n_units : 1) * sizeof *unit_fold) : fold;
    if (!unit_fold) {
        free(perm);
        free(fold);
        return NULL;
    }
    for (size_t i = 0; i < n_units; i++)
        unit_fold[perm[i]] = (int)(i % (size_t)k);
    for (size_t r = 0; group && r < n_records; r++)
        fold[r] = group[r] < 0 ? -1 : unit_fold[group[r]];
    if (group)
        free(unit_fold);
    free(perm);
    return fold;
}

/* group[r]: index of ds->v[r].group among the distinct groups in order of
 * first appearance, -1 without a group; their count in *n_groups. */
static int *group_ids(const dm_dataset *ds, size_t *n_groups)
{
    int *group = malloc((ds->n ? ds->n : 1) * sizeof *group);
    size_t *first = malloc((ds->n ? ds->n : 1) * sizeof *first);
    if (!group || !first) {
        free(group);
        free(first);
        return NULL;
    }
    *n_groups = 0;
    for (size_t r = 0; r < ds->n; r++) {
        group[r] = -1;
        if (!ds->v[r].group)
            continue;
        for (size_t g = 0; g < *n_groups && group[r] < 0; g++)
            if (strcmp(ds->v[first[g]].group, ds->v[r].group) == 0)
                group[r] = (int)g;
        if (group[r] < 0) {
            first[*n_groups] = r;
            group[r] = (int)(*n_groups)++;
        }
    }
    free(first);
    return group;
}

/* ---- folds as jobs ------------------------------------------------------
 * One "run" is the cross-validation of one task under one parameter set:
 * k folds, each a job that trains on the other folds and predicts its own
 * examples into the run's arrays (the folds' examples are disjoint). Jobs
 * of all runs (a grid is many runs) go to params->threads threads; the
 * evaluation is then added up in the order of one thread - fold by fold,
 * example by example - so that the report is the same bytes for every
 * number of threads. */

typedef struct cv_run {
    const dm_examples *ex;
    const int *fold;            /* per record; FOLD_EXCLUDED: neither side */
    dm_submodel_params sp;
    const dm_submodel_params *fold_sp; /* per fold, when each fold has its own
                                          (nested CV's outer folds); else sp */
    int n_classes;
    int *label;                 /* per example */
    double *p;                  /* per example, DM_HOSTILITY_LEVELS each */
    double *value;
    dm_status *status;          /* per fold */
    dm_error *err;              /* per fold */
} cv_run;

static void cv_run_free(cv_run *r)
{
    free(r->label);
    free(r->p);
    free(r->value);
    free(r->status);
    free(r->err);
    memset(r, 0, sizeof *r);
}

static dm_status cv_run_init(cv_run *r, const dm_examples *ex, const int *fold, int k,
                             const dm_submodel_params *sp, int n_classes, dm_error *err)
{
    size_t n = ex->n ? ex->n : 1;
    *r = (cv_run){.ex = ex, .fold = fold, .sp = *sp, .n_classes = n_classes};
    r->label = malloc(n * sizeof *r->label);
    r->p = malloc(n * DM_HOSTILITY_LEVELS * sizeof *r->p);
    r->value = malloc(n * sizeof *r->value);
    r->status = calloc((size_t)k, sizeof *r->status);
    r->err = calloc((size_t)k, sizeof *r->err);
    if (!r->label || !r->p || !r->value || !r->status || !r->err) {
        cv_run_free(r);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    return DM_OK;
}

/* A record left out of a run altogether: nested CV's inner runs leave out
 * the outer fold under test. (-1, a record of no group, trains always.) */
#define FOLD_EXCLUDED -2

/* Train on every fold but f, predict fold f. */
static void cv_fold(cv_run *r, int f)
{
    const dm_examples *ex = r->ex;
    dm_error *err = &r->err[f];
    size_t *train = malloc((ex->n ? ex->n : 1) * sizeof *train);
    size_t *test = malloc((ex->n ? ex->n : 1) * sizeof *test);
    dm_status s = DM_OK;
    if (!train || !test)
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    size_t n_train = 0, n_test = 0;
    for (size_t i = 0; s == DM_OK && i < ex->n; i++) {
        int rf = r->fold[ex->record[i]];
        if (rf == f)
            test[n_test++] = i;
        else if (rf != FOLD_EXCLUDED)
            train[n_train++] = i;
    }
    if (s == DM_OK && n_test > 0) {
        dm_submodel *sm = NULL;
        s = dm_submodel_train(ex, train, n_train, r->fold_sp ? &r->fold_sp[f] : &r->sp,
                              &sm, err);
        for (size_t t = 0; t < n_test && s == DM_OK; t++) {
            size_t i = test[t];
            s = dm_submodel_predict(sm, ex->x[i], r->n_classes, &r->label[i],
                                    &r->p[i * DM_HOSTILITY_LEVELS], &r->value[i], err);
        }
        dm_submodel_destroy(&sm);
    }
    r->status[f] = s;
    free(train);
    free(test);
}

typedef struct cv_pool {
    cv_run *runs;
    int k;
    size_t n_jobs;
    atomic_size_t next;
} cv_pool;

static void *cv_worker(void *arg)
{
    cv_pool *pool = arg;
    size_t j;
    while ((j = atomic_fetch_add(&pool->next, 1)) < pool->n_jobs)
        cv_fold(&pool->runs[j / (size_t)pool->k], (int)(j % (size_t)pool->k));
    return NULL;
}

/* Every fold of every run, on up to `threads` threads (this one among them). */
static void cv_run_all(cv_run *runs, size_t n_runs, int k, int threads)
{
    cv_pool pool = {.runs = runs, .k = k, .n_jobs = n_runs * (size_t)k};
    atomic_init(&pool.next, 0);
    size_t extra = threads > 1 ? (size_t)threads - 1 : 0;
    if (extra > pool.n_jobs)
        extra = pool.n_jobs ? pool.n_jobs - 1 : 0;
    pthread_t *tid = extra ? calloc(extra, sizeof *tid) : NULL;
    size_t started = 0;
    for (size_t i = 0; tid && i < extra; i++) {
        if (pthread_create(&tid[i], NULL, cv_worker, &pool) != 0)
            break;          /* fewer threads: the same results, later */
        started++;
    }
    cv_worker(&pool);
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    free(tid);
}

/* Add a run's predictions into `ev` (initialised by the caller) in fold
 * order; the first failed fold's error, if any. */
static dm_status cv_run_eval(const cv_run *r, int k, dm_eval *ev, dm_error *err)
{
    const dm_examples *ex = r->ex;
    for (int f = 0; f < k; f++)
        if (r->status[f] != DM_OK) {
            if (err)
                *err = r->err[f];
            return r->status[f];
        }
    dm_status s = DM_OK;
    for (int f = 0; f < k && s == DM_OK; f++)
        for (size_t i = 0; i < ex->n && s == DM_OK; i++) {
            if (r->fold[ex->record[i]] != f)
                continue;
            int label = r->label[i];
            const double *p = &r->p[i * DM_HOSTILITY_LEVELS];
            s = dm_eval_add(ev, (int)ex->y[i], label, r->value[i], err);
            if (s == DM_OK && !r->sp.regression && p[label] > 0 && p[label] < 1)
                s = dm_eval_add_confidence(ev, p[label], label == (int)ex->y[i], err);
        }
    /* The examples of one statement are consecutive (examples.c): one
     * group each, for the multi-target figure. A statement never tested
     * (no group under --cv-by-group: training data in every fold) is not
     * counted. */
    int *gold = malloc((ex->n ? ex->n : 1) * sizeof *gold);
    int *pred = malloc((ex->n ? ex->n : 1) * sizeof *pred);
    if (s == DM_OK && (!gold || !pred))
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0, j; s == DM_OK && i < ex->n; i = j) {
        for (j = i + 1; j < ex->n && ex->record[j] == ex->record[i]; j++)
            ;
        int f = r->fold[ex->record[i]];
        if (f < 0 || f >= k)
            continue;
        for (size_t t = i; t < j; t++) {
            gold[t] = (int)ex->y[t];
            pred[t] = r->label[t];
        }
        s = dm_eval_add_group(ev, gold + i, pred + i, j - i, err);
    }
    free(gold);
    free(pred);
    if (s == DM_OK)
        s = dm_eval_finish(ev, err);
    return s;
}

void dm_cv_report_free(dm_cv_report *r)
{
    if (!r)
        return;
    dm_eval_free(&r->hostility);
    dm_eval_free(&r->stance);
    free(r->grid);
    memset(r, 0, sizeof *r);
}

typedef struct cv_context {
    const dm_dataset *ds;
    int *fold;
    dm_examples hostility, stance;
    bool has_hostility, has_stance;
    int k;                  /* folds actually used */
} cv_context;

static void cv_context_free(cv_context *c)
{
    free(c->fold);
    dm_examples_free(&c->hostility);
    dm_examples_free(&c->stance);
}

static dm_status cv_context_build(cv_context *c, const dm_dataset *ds,
                                  const dm_featurizer *fz,
                                  const dm_model_train_params *p, int k,
                                  const dm_logger *logger, dm_error *err)
{
    memset(c, 0, sizeof *c);
    c->ds = ds;
    if (p->cv_by_group) {
        /* k <= 0 or k >= groups: leave one group out. */
        size_t n_groups = 0;
        int *group = group_ids(ds, &n_groups);
        if (!group)
            return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        if (n_groups < 2) {
            free(group);
            return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                                "cross-validation by group needs records of at least "
                                "2 groups (found %zu)", n_groups);
        }
        c->k = k <= 0 || (size_t)k > n_groups ? (int)n_groups : k;
        c->fold = assign_folds(ds->n, group, n_groups, c->k, p->seed);
        free(group);
    } else {
        if (k < 2)
            return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                                "cross-validation needs at least 2 folds (got %d)", k);
        if ((size_t)k > ds->n)
            return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                                "%d-fold cross-validation needs at least %d statements "
                                "(the data has %zu; a smaller -v K, or more data)",
                                k, k, ds->n);
        c->k = k;
        c->fold = assign_folds(ds->n, NULL, ds->n, k, p->seed);
    }
    if (!c->fold)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    dm_status s = DM_OK;
    if (p->tasks & DM_TASK_HOSTILITY) {
        s = dm_examples_build(ds, fz, DM_TASK_HOSTILITY, &c->hostility, logger, err);
        c->has_hostility = s == DM_OK;
    }
    if (s == DM_OK && (p->tasks & DM_TASK_STANCE)) {
        s = dm_examples_build(ds, fz, DM_TASK_STANCE, &c->stance, logger, err);
        c->has_stance = s == DM_OK;
    }
    if (s != DM_OK)
        cv_context_free(c);
    return s;
}

static dm_status run_init(const cv_context *c, const dm_model_train_params *p,
                          dm_task task, cv_run *r, dm_error *err)
{
    bool host = task == DM_TASK_HOSTILITY;
    dm_submodel_params sp = dm_task_params_internal(p, task);
    return cv_run_init(r, host ? &c->hostility : &c->stance, c->fold, c->k, &sp,
                       host ? DM_HOSTILITY_LEVELS : DM_STANCE_CLASSES, err);
}

/* The evaluation of a run that has run, into `ev` (initialised here). */
static dm_status run_eval(const cv_context *c, dm_task task, const cv_run *r, dm_eval *ev,
                          dm_error *err)
{
    bool host = task == DM_TASK_HOSTILITY;
    dm_status s = dm_eval_init(ev, r->n_classes, host ? HOSTILITY_NAMES : STANCE_NAMES,
                               host, err);
    if (s != DM_OK)
        return s;
    s = cv_run_eval(r, c->k, ev, err);
    if (s != DM_OK) {
        char why[DM_ERROR_MESSAGE_MAX];
        snprintf(why, sizeof why, "%s", err ? err->message : "failed");
        dm_error_set(err, s, NULL, 0, "%s cross-validation: %s",
                     host ? "hostility" : "stance", why);
        dm_eval_free(ev);
    }
    return s;
}

dm_status dm_model_cross_validate(const dm_dataset *ds, const dm_featurizer *fz,
                                  const dm_model_train_params *params, int k,
                                  dm_cv_report *report, const dm_logger *logger,
                                  dm_error *err)
{
    if (!ds || !fz || !params || !report)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_cross_validate: invalid argument");
    memset(report, 0, sizeof *report);
    dm_status s = dm_model_check_params(params, err);
    if (s != DM_OK)
        return s;
    cv_context c;
    s = cv_context_build(&c, ds, fz, params, k, logger, err);
    if (s != DM_OK)
        return s;
    report->folds = c.k;
    report->hostility_C = params->C;
    report->hostility_gamma = params->gamma;
    report->stance_C = params->stance_C > 0 ? params->stance_C : params->C;
    report->stance_gamma = params->stance_gamma > 0 ? params->stance_gamma : params->gamma;
    /* An RBF gamma of 0 means libsvm's 1/dimensions: report that value. */
    if (params->kernel == DM_KERNEL_RBF) {
        int dim = dm_featurizer_task_dimensions(fz, false);
        int sdim = dm_featurizer_task_dimensions(fz, true);
        if (report->hostility_gamma <= 0)
            report->hostility_gamma = 1.0 / (dim > 0 ? dim : 1);
        if (report->stance_gamma <= 0)
            report->stance_gamma = 1.0 / (sdim > 0 ? sdim : 1);
    }
    /* Both tasks' folds in one pool, evaluated in order. */
    cv_run runs[2];
    dm_task tasks[2];
    size_t n_runs = 0;
    if (c.has_hostility)
        tasks[n_runs++] = DM_TASK_HOSTILITY;
    if (c.has_stance)
        tasks[n_runs++] = DM_TASK_STANCE;
    size_t ready = 0;
    for (; ready < n_runs && s == DM_OK; ready++)
        s = run_init(&c, params, tasks[ready], &runs[ready], err);
    if (s == DM_OK)
        cv_run_all(runs, n_runs, c.k, params->threads);
    for (size_t i = 0; s == DM_OK && i < n_runs; i++) {
        bool host = tasks[i] == DM_TASK_HOSTILITY;
        s = run_eval(&c, tasks[i], &runs[i], host ? &report->hostility : &report->stance, err);
        if (host)
            report->has_hostility = s == DM_OK;
        else
            report->has_stance = s == DM_OK;
    }
    for (size_t i = 0; i < ready; i++)
        cv_run_free(&runs[i]);
    cv_context_free(&c);
    if (s != DM_OK)
        dm_cv_report_free(report);
    return s;
}

/* Better: higher macro-F1; for SVR hostility, lower MAE. */
static bool better(const dm_eval *a, const dm_eval *b, bool regression)
{
    if (regression)
        return a->mae < b->mae - 1e-12;
    return a->macro_f1 > b->macro_f1 + 1e-12;
}

static const double GRID_C[] = {0.0625, 0.25, 1, 4, 16, 64, 256};
static const double GRID_GAMMA[] = {0.001953125, 0.0078125, 0.03125, 0.125};

/* One task's grid: the parameter set of point `i`. */
static dm_model_train_params grid_point(const dm_model_train_params *p, size_t i)
{
    bool rbf = p->kernel == DM_KERNEL_RBF;
    size_t n_c = sizeof GRID_C / sizeof *GRID_C;
    dm_model_train_params q = *p;
    q.C = q.stance_C = GRID_C[i % n_c];
    q.gamma = q.stance_gamma = rbf ? GRID_GAMMA[i / n_c] : p->gamma;
    return q;
}

static size_t grid_points(const dm_model_train_params *p)
{
    bool rbf = p->kernel == DM_KERNEL_RBF;
    size_t n_gamma = rbf ? sizeof GRID_GAMMA / sizeof *GRID_GAMMA : 1;
    return n_gamma * (sizeof GRID_C / sizeof *GRID_C);
}

/* The best point of one task's grid, from its runs (all run), in grid
 * order: its evaluation into *best (the caller frees it), its index into
 * *best_index. With `points`, every point's figures go there (the chosen
 * one marked) and to `logger`; without, nothing is logged (nested CV's
 * inner grids). */
static dm_status grid_best(const cv_context *c, const dm_model_train_params *p,
                           dm_task task, const cv_run *runs, dm_eval *best,
                           size_t *best_index, dm_grid_point *points,
                           const dm_logger *logger, dm_error *err)
{
    bool regression = task == DM_TASK_HOSTILITY && p->hostility == DM_HOSTILITY_SVR;
    bool have = false;
    size_t best_i = 0;
    for (size_t i = 0; i < grid_points(p); i++) {
        dm_model_train_params q = grid_point(p, i);
        dm_eval ev;
        dm_status s = run_eval(c, task, &runs[i], &ev, err);
        if (s != DM_OK) {
            if (have)
                dm_eval_free(best);
            return s;
        }
        if (points) {
            dm_log(logger, DM_LOG_INFO, "", 0,
                   "grid %s C=%g gamma=%g: macro-F1 %.4f accuracy %.4f%s",
                   task == DM_TASK_HOSTILITY ? "hostility" : "stance", q.C, q.gamma,
                   ev.macro_f1, ev.accuracy, regression ? " (SVR: by MAE)" : "");
            points[i] = (dm_grid_point){task, q.C, q.gamma, ev.macro_f1, ev.accuracy,
                                        ev.ordinal ? ev.mae : 0, false};
        }
        if (!have || better(&ev, best, regression)) {
            if (have)
                dm_eval_free(best);
            best_i = i;
            *best = ev;
            have = true;
        } else {
            dm_eval_free(&ev);
        }
    }
    if (points)
        points[best_i].best = have;
    *best_index = best_i;
    return DM_OK;
}

dm_status dm_model_grid_search(const dm_dataset *ds, const dm_featurizer *fz,
                               dm_model_train_params *params, int k,
                               dm_cv_report *report, const dm_logger *logger,
                               dm_error *err)
{
    if (!ds || !fz || !params || !report)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_grid_search: invalid argument");
    memset(report, 0, sizeof *report);
    dm_status s = dm_model_check_params(params, err);
    if (s != DM_OK)
        return s;
    cv_context c;
    s = cv_context_build(&c, ds, fz, params, k, logger, err);
    if (s != DM_OK)
        return s;
    report->folds = c.k;
    double hc = params->C, hg = params->gamma, sc = params->C, sg = params->gamma;
    /* Every point of both tasks' grids in one pool of folds; the points are
     * then compared (and logged) in grid order. */
    size_t n_points = grid_points(params);
    size_t n_tasks = (size_t)c.has_hostility + (size_t)c.has_stance;
    cv_run *runs = calloc(n_points * (n_tasks ? n_tasks : 1), sizeof *runs);
    report->grid = calloc(n_points * (n_tasks ? n_tasks : 1), sizeof *report->grid);
    size_t ready = 0;
    if (!runs || !report->grid)
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    for (size_t t = 0; s == DM_OK && t < n_tasks; t++) {
        dm_task task = t == 0 && c.has_hostility ? DM_TASK_HOSTILITY : DM_TASK_STANCE;
        for (size_t i = 0; s == DM_OK && i < n_points; i++, ready++) {
            dm_model_train_params q = grid_point(params, i);
            s = run_init(&c, &q, task, &runs[ready], err);
            if (s != DM_OK)
                break;
        }
    }
    if (s == DM_OK)
        cv_run_all(runs, ready, c.k, params->threads);
    size_t t = 0, best_i = 0;
    if (s == DM_OK && c.has_hostility) {
        s = grid_best(&c, params, DM_TASK_HOSTILITY, runs + n_points * t, &report->hostility,
                      &best_i, report->grid + n_points * t, logger, err);
        hc = grid_point(params, best_i).C;
        hg = grid_point(params, best_i).gamma;
        t++;
        report->has_hostility = s == DM_OK;
    }
    if (s == DM_OK && c.has_stance) {
        s = grid_best(&c, params, DM_TASK_STANCE, runs + n_points * t, &report->stance,
                      &best_i, report->grid + n_points * t, logger, err);
        sc = grid_point(params, best_i).C;
        sg = grid_point(params, best_i).gamma;
        t++;
        report->has_stance = s == DM_OK;
    }
    report->n_grid = n_points * t;
    for (size_t i = 0; i < ready; i++)
        cv_run_free(&runs[i]);
    free(runs);
    cv_context_free(&c);
    if (s != DM_OK) {
        dm_cv_report_free(report);
        return s;
    }
    params->C = report->hostility_C = hc;
    params->gamma = report->hostility_gamma = hg;
    params->stance_C = report->stance_C = sc;
    params->stance_gamma = report->stance_gamma = sg;
    return DM_OK;
}

/* ---- nested cross-validation of the grid search -------------------------
 * For each outer fold: the grid by an inner k-fold CV of the other folds'
 * statements only, the best point trained on them, the outer fold predicted.
 * The outer predictions, added up as a plain CV's, estimate what "grid search
 * then train" gives on unseen statements: no fold's figure chose its own
 * parameters. All inner runs of both tasks go to one pool of threads, then
 * the outer runs; results are compared in a fixed order, so the report is
 * the same bytes for every number of threads. */

/* The inner folds of outer fold f: the other statements shuffled (their own
 * seed) and dealt into k; the statements of fold f FOLD_EXCLUDED. */
static int *inner_folds(const cv_context *c, int f, int k, unsigned seed)
{
    size_t n = c->ds->n, units = 0;
    int *unit = malloc((n ? n : 1) * sizeof *unit);
    if (!unit)
        return NULL;
    for (size_t r = 0; r < n; r++)
        unit[r] = c->fold[r] == f ? -1 : (int)units++;
    int *fold = assign_folds(n, unit, units, k, seed);
    for (size_t r = 0; fold && r < n; r++)
        if (unit[r] < 0)
            fold[r] = FOLD_EXCLUDED;
    free(unit);
    return fold;
}

/* Mixed into the seed for the inner shuffles, one per outer fold. */
#define INNER_SEED 0x5bd1e995u

dm_status dm_model_grid_nested(const dm_dataset *ds, const dm_featurizer *fz,
                               const dm_model_train_params *params, int k,
                               dm_cv_report *report, const dm_logger *logger,
                               dm_error *err)
{
    if (!ds || !fz || !params || !report)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_grid_nested: invalid argument");
    memset(report, 0, sizeof *report);
    if (params->cv_by_group)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "nested cross-validation is by statements only (not with "
                            "cross-validation by group)");
    dm_status s = dm_model_check_params(params, err);
    if (s != DM_OK)
        return s;
    if (k >= 2 && ds->n < (size_t)k * 2)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "nested %d-fold cross-validation needs at least %d statements "
                            "(the data has %zu)", k, k * 2, ds->n);
    cv_context c;
    s = cv_context_build(&c, ds, fz, params, k, logger, err);
    if (s != DM_OK)
        return s;
    report->folds = c.k;
    report->nested = true;
    size_t n_points = grid_points(params);
    size_t n_tasks = (size_t)c.has_hostility + (size_t)c.has_stance;
    size_t n_inner = n_tasks * (size_t)c.k * n_points;
    int **inner = calloc((size_t)c.k, sizeof *inner);
    cv_run *runs = calloc(n_inner ? n_inner : 1, sizeof *runs);
    cv_run outer[2];
    dm_submodel_params *chosen = calloc(2 * (size_t)c.k, sizeof *chosen);
    report->grid = calloc(2 * (size_t)c.k, sizeof *report->grid);
    size_t ready = 0, outer_ready = 0;
    if (!inner || !runs || !chosen || !report->grid)
        s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    for (int f = 0; s == DM_OK && f < c.k; f++)
        if (!(inner[f] = inner_folds(&c, f, c.k, params->seed ^ (INNER_SEED * (unsigned)(f + 1)))))
            s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    dm_task tasks[2];
    size_t t_n = 0;
    if (c.has_hostility)
        tasks[t_n++] = DM_TASK_HOSTILITY;
    if (c.has_stance)
        tasks[t_n++] = DM_TASK_STANCE;
    /* runs[(t * k + f) * n_points + i]: task t, outer fold f, grid point i */
    for (size_t t = 0; s == DM_OK && t < t_n; t++)
        for (int f = 0; s == DM_OK && f < c.k; f++)
            for (size_t i = 0; s == DM_OK && i < n_points; i++, ready++) {
                dm_model_train_params q = grid_point(params, i);
                s = run_init(&c, &q, tasks[t], &runs[ready], err);
                if (s == DM_OK)
                    runs[ready].fold = inner[f];
            }
    if (s == DM_OK)
        cv_run_all(runs, ready, c.k, params->threads);
    /* Each outer fold's best point, chosen as dm_model_grid_search chooses. */
    for (size_t t = 0; s == DM_OK && t < t_n; t++) {
        for (int f = 0; s == DM_OK && f < c.k; f++) {
            dm_eval best;
            size_t best_i = 0;
            s = grid_best(&c, params, tasks[t], &runs[(t * (size_t)c.k + (size_t)f) * n_points],
                          &best, &best_i, NULL, NULL, err);
            if (s != DM_OK)
                break;
            dm_model_train_params q = grid_point(params, best_i);
            chosen[t * (size_t)c.k + (size_t)f] = dm_task_params_internal(&q, tasks[t]);
            report->grid[report->n_grid++] = (dm_grid_point){
                tasks[t], q.C, q.gamma, best.macro_f1, best.accuracy,
                best.ordinal ? best.mae : 0, false};
            dm_log(logger, DM_LOG_INFO, "", 0,
                   "nested %s, outer fold %d: C=%g gamma=%g (inner macro-F1 %.4f)",
                   tasks[t] == DM_TASK_HOSTILITY ? "hostility" : "stance", f + 1, q.C,
                   q.gamma, best.macro_f1);
            dm_eval_free(&best);
        }
    }
    for (size_t i = 0; i < ready; i++)
        cv_run_free(&runs[i]);
    /* The outer folds, each with its own chosen parameters. */
    for (size_t t = 0; s == DM_OK && t < t_n; t++, outer_ready++) {
        s = run_init(&c, params, tasks[t], &outer[t], err);
        if (s == DM_OK)
            outer[t].fold_sp = &chosen[t * (size_t)c.k];
    }
    if (s == DM_OK)
        cv_run_all(outer, outer_ready, c.k, params->threads);
    for (size_t t = 0; s == DM_OK && t < t_n; t++) {
        bool host = tasks[t] == DM_TASK_HOSTILITY;
        s = run_eval(&c, tasks[t], &outer[t], host ? &report->hostility : &report->stance, err);
        if (host)
            report->has_hostility = s == DM_OK;
        else
            report->has_stance = s == DM_OK;
    }
    for (size_t t = 0; t < outer_ready; t++)
        cv_run_free(&outer[t]);
    for (int f = 0; inner && f < c.k; f++)
        free(inner[f]);
    free(inner);
    free(runs);
    free(chosen);
    cv_context_free(&c);
    if (s != DM_OK)
        dm_cv_report_free(report);
    return s;
}
