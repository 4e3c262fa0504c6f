/* k-fold cross-validation and grid search (see model.h). Statements, not
 * examples, are assigned to folds, so that the targets of one statement
 * never straddle training and test. The shuffle uses its own generator
 * (splitmix64) so folds are the same on every platform. */
#include "model/model_internal.h"
#include "model/eval_internal.h"

#include <math.h>
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

/* Cross-validate one task's examples into `ev` (initialised by the caller). */
static dm_status cv_task(const dm_examples *ex, const int *fold, int k,
                         const dm_submodel_params *sp, int n_classes, dm_eval *ev,
                         dm_error *err)
{
    size_t *train = malloc((ex->n ? ex->n : 1) * sizeof *train);
    size_t *test = malloc((ex->n ? ex->n : 1) * sizeof *test);
    int *gold = malloc((ex->n ? ex->n : 1) * sizeof *gold);
    int *pred = malloc((ex->n ? ex->n : 1) * sizeof *pred);
    if (!train || !test || !gold || !pred) {
        free(train);
        free(test);
        free(gold);
        free(pred);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    dm_status s = DM_OK;
    for (int f = 0; f < k && s == DM_OK; f++) {
        size_t n_train = 0, n_test = 0;
        for (size_t i = 0; i < ex->n; i++) {
            if (fold[ex->record[i]] == f)
                test[n_test++] = i;
            else
                train[n_train++] = i;
        }
        if (n_test == 0)
            continue;
        dm_submodel *sm = NULL;
        s = dm_submodel_train(ex, train, n_train, sp, &sm, err);
        for (size_t t = 0; t < n_test && s == DM_OK; t++) {
            int label;
            double p[DM_HOSTILITY_LEVELS], value;
            s = dm_submodel_predict(sm, ex->x[test[t]], n_classes, &label, p, &value, err);
            if (s == DM_OK)
                s = dm_eval_add(ev, (int)ex->y[test[t]], label, value, err);
            gold[test[t]] = (int)ex->y[test[t]];
            pred[test[t]] = label;
            if (s == DM_OK && !sp->regression && p[label] > 0 && p[label] < 1)
                s = dm_eval_add_confidence(ev, p[label], label == gold[test[t]], err);
        }
        dm_submodel_destroy(&sm);
    }
    /* The examples of one statement are consecutive (examples.c): one
     * group each, for the multi-target figure. */
    for (size_t i = 0, j; s == DM_OK && i < ex->n; i = j) {
        for (j = i + 1; j < ex->n && ex->record[j] == ex->record[i]; j++)
            ;
        s = dm_eval_add_group(ev, gold + i, pred + i, j - i, err);
    }
    free(train);
    free(test);
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
        if (k < 2 || (size_t)k > ds->n)
            return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                                "cross-validation needs 2 <= k <= %zu statements (got %d)",
                                ds->n, k);
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

static dm_status cv_one(const cv_context *c, const dm_model_train_params *p,
                        dm_task task, dm_eval *ev, dm_error *err)
{
    bool host = task == DM_TASK_HOSTILITY;
    int n_classes = host ? DM_HOSTILITY_LEVELS : DM_STANCE_CLASSES;
    dm_status s = dm_eval_init(ev, n_classes, host ? HOSTILITY_NAMES : STANCE_NAMES,
                               host, err);
    if (s != DM_OK)
        return s;
    dm_submodel_params sp = dm_task_params_internal(p, task);
    s = cv_task(host ? &c->hostility : &c->stance, c->fold, c->k, &sp, n_classes, ev, err);
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
        int dim = dm_featurizer_dimensions(fz);
        double def = 1.0 / (dim > 0 ? dim : 1);
        if (report->hostility_gamma <= 0)
            report->hostility_gamma = def;
        if (report->stance_gamma <= 0)
            report->stance_gamma = def;
    }
    if (c.has_hostility) {
        s = cv_one(&c, params, DM_TASK_HOSTILITY, &report->hostility, err);
        report->has_hostility = s == DM_OK;
    }
    if (s == DM_OK && c.has_stance) {
        s = cv_one(&c, params, DM_TASK_STANCE, &report->stance, err);
        report->has_stance = s == DM_OK;
    }
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

static dm_status grid_task(const cv_context *c, dm_model_train_params *p,
                           dm_task task, dm_eval *best, double *best_C,
                           double *best_gamma, const dm_logger *logger,
                           dm_error *err)
{
    bool rbf = p->kernel == DM_KERNEL_RBF;
    size_t n_gamma = rbf ? sizeof GRID_GAMMA / sizeof *GRID_GAMMA : 1;
    bool regression = task == DM_TASK_HOSTILITY && p->hostility == DM_HOSTILITY_SVR;
    bool have = false;
    for (size_t gi = 0; gi < n_gamma; gi++)
        for (size_t ci = 0; ci < sizeof GRID_C / sizeof *GRID_C; ci++) {
            dm_model_train_params q = *p;
            q.C = q.stance_C = GRID_C[ci];
            q.gamma = q.stance_gamma = rbf ? GRID_GAMMA[gi] : p->gamma;
            dm_eval ev;
            dm_status s = cv_one(c, &q, task, &ev, err);
            if (s != DM_OK) {
                if (have)
                    dm_eval_free(best);
                return s;
            }
            dm_log(logger, DM_LOG_INFO, "", 0,
                   "grid %s C=%g gamma=%g: macro-F1 %.4f accuracy %.4f%s",
                   task == DM_TASK_HOSTILITY ? "hostility" : "stance", q.C, q.gamma,
                   ev.macro_f1, ev.accuracy, regression ? " (SVR: by MAE)" : "");
            if (!have || better(&ev, best, regression)) {
                if (have)
                    dm_eval_free(best);
                *best = ev;
                *best_C = q.C;
                *best_gamma = q.gamma;
                have = true;
            } else {
                dm_eval_free(&ev);
            }
        }
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
    if (c.has_hostility) {
        s = grid_task(&c, params, DM_TASK_HOSTILITY, &report->hostility, &hc, &hg,
                      logger, err);
        report->has_hostility = s == DM_OK;
    }
    if (s == DM_OK && c.has_stance) {
        s = grid_task(&c, params, DM_TASK_STANCE, &report->stance, &sc, &sg,
                      logger, err);
        report->has_stance = s == DM_OK;
    }
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
