/* Scoring statements with a model, and explaining a prediction. */
#include "model/model_internal.h"
#include "features/features_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The buffers of one statement's scoring: the feature vector, the nodes
 * given to the model, the targets as feature mentions. A scorer keeps its
 * set from one statement to the next (it is one thread's: no malloc and
 * free of each per statement); the model's own calls use a set of the
 * call. */
typedef struct score_buf {
    dm_fvec f;
    dm_feature_target *mentions; size_t capm;
} score_buf;

static void score_buf_free(score_buf *b)
{
    dm_fvec_free(&b->f);
    free(b->mentions);
    memset(b, 0, sizeof *b);
}

/* The statement's targets as feature mentions, in statement-text offsets
 * (in b->mentions). */
static dm_status statement_input(const dm_statement *st, dm_feature_input *in,
                                 score_buf *b, dm_error *err)
{
    memset(in, 0, sizeof *in);
    in->text = st->text ? st->text : "";
    in->len = strlen(in->text);
    in->context = st->context;
    in->speaker_actor = st->speaker_actor;
    in->cue = st->cue;
    if (st->n_targets == 0)
        return DM_OK;
    if (dm_fz_grow((void **)&b->mentions, &b->capm, st->n_targets, sizeof *b->mentions) != DM_OK)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    dm_feature_target *m = b->mentions;
    size_t n = 0;
    for (size_t i = 0; i < st->n_targets; i++) {
        const dm_target *t = &st->targets[i];
        if (t->has_span && st->norm_start <= t->norm_start && t->norm_end <= st->norm_end &&
            t->norm_end - st->norm_start <= in->len)
            m[n++] = (dm_feature_target){t->actor, true, t->norm_start - st->norm_start,
                                         t->norm_end - st->norm_start};
    }
    in->mentions = m;
    in->n_mentions = n;
    return DM_OK;
}

/* The feature target for target i (its span if it lies in the statement). */
static dm_feature_target target_of(const dm_statement *st, size_t i, size_t len)
{
    const dm_target *t = &st->targets[i];
    dm_feature_target ft = {t->actor, false, 0, 0};
    if (t->has_span && st->norm_start <= t->norm_start && t->norm_end <= st->norm_end &&
        t->norm_end - st->norm_start <= len) {
        ft.has_span = true;
        ft.start = t->norm_start - st->norm_start;
        ft.end = t->norm_end - st->norm_start;
    }
    return ft;
}

/* The features of `in` (for `target`, or hostility when NULL) for submodel
 * sm: as they were made for a liblinear model's dot product, which needs
 * them neither merged nor sorted (dm_fz_features_for_dot: the same decision
 * values but for rounding); merged and sorted by index for an explanation
 * (one line a feature) and for libsvm, whose kernels walk two sorted vectors
 * side by side. */
static dm_status features_for(const dm_submodel *sm, const dm_featurizer *fz,
                              const dm_feature_input *in,
                              const dm_feature_target *target, bool explaining,
                              dm_fvec *f, dm_error *err)
{
    if (sm && sm->ll && !explaining)
        return dm_fz_features_for_dot(fz, in, target, f, err);
    return target ? dm_features_stance(fz, in, target, f, err)
                  : dm_features_hostility(fz, in, f, err);
}

/* f's own entries are x (dm_node is dm_feature), terminated after them:
 * no copy. */
static dm_status predict_fvec(const dm_submodel *sm, dm_fvec *f, int n_classes, int *label,
                              double *p, double *value, dm_error *err)
{
    /* Room for the terminator and one bias node (liblinear). */
    if (dm_fz_grow((void **)&f->v, &f->cap, f->n + 2, sizeof *f->v) != DM_OK)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    for (size_t i = f->n; i < f->n + 2; i++) {
        f->v[i].index = -1;
        f->v[i].value = 0.0;
    }
    dm_submodel_prefetch(sm, f->v);
    return dm_submodel_predict(sm, f->v, n_classes, label, p, value, err);
}

static double hostility_expected(const dm_model *m, double value)
{
    /* SVC: expected level (probability-weighted); SVR: clamped output. Both
     * on the 0-4 scale of the level, so "1 1.16" reads as one number. */
    (void)m;
    return fmin(fmax(value, 0.0), 4.0);
}

dm_status dm_model_score_statement(const dm_model *m, dm_statement *st,
                                   dm_error *err)
{
    return dm_model_score_statement_after(m, st, NULL, err);
}

static dm_status score_after(const dm_model *m, const dm_featurizer *fz, score_buf *buf,
                             dm_statement *st, const char *previous, dm_error *err);

static dm_status score_list(const dm_model *m, const dm_featurizer *fz, score_buf *buf,
                            dm_statement_list *list, dm_error *err)
{
    if (!m || !list)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_score_list: invalid argument");
    for (size_t i = 0; i < list->n; i++) {
        const dm_statement *prev = i > 0 ? &list->v[i - 1] : NULL;
        const dm_statement *st = &list->v[i];
        bool speech = prev && st->kind == DM_KIND_SPEECH &&
                      prev->kind == DM_KIND_SPEECH && st->n == prev->n + 1;
        dm_status s = score_after(m, fz, buf, &list->v[i], speech ? prev->text : NULL, err);
        if (s != DM_OK)
            return s;
    }
    return DM_OK;
}

dm_status dm_model_score_list(const dm_model *m, dm_statement_list *list,
                              dm_error *err)
{
    return score_list(m, m ? m->fz : NULL, NULL, list, err);
}

dm_status dm_model_score_statement_after(const dm_model *m, dm_statement *st,
                                         const char *previous, dm_error *err)
{
    return score_after(m, m ? m->fz : NULL, NULL, st, previous, err);
}

static dm_status score_with(const dm_model *m, const dm_featurizer *fz, score_buf *b,
                            dm_statement *st, const char *previous, dm_error *err);

/* `buf`: the scorer's buffers, or NULL for a set of this call. */
static dm_status score_after(const dm_model *m, const dm_featurizer *fz, score_buf *buf,
                             dm_statement *st, const char *previous, dm_error *err)
{
    if (buf)
        return score_with(m, fz, buf, st, previous, err);
    score_buf own = {0};
    dm_status s = score_with(m, fz, &own, st, previous, err);
    score_buf_free(&own);
    return s;
}

static dm_status score_with(const dm_model *m, const dm_featurizer *fz, score_buf *b,
                            dm_statement *st, const char *previous, dm_error *err)
{
    if (!m || !st)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_score_statement: invalid argument");
    if (!fz)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "model has no featurizer (load it or attach one)");
    dm_feature_input in;
    dm_status s = statement_input(st, &in, b, err);
    if (s != DM_OK)
        return s;
    in.previous = previous;
    dm_fvec *f = &b->f;
    if (m->hostility) {
        int level;
        double p[DM_HOSTILITY_LEVELS], value;
        s = features_for(m->hostility, fz, &in, NULL, false, f, err);
        if (s == DM_OK)
            s = predict_fvec(m->hostility, f, DM_HOSTILITY_LEVELS, &level, p, &value, err);
        if (s == DM_OK) {
            st->hostility_level = level;
            st->hostility_expected = hostility_expected(m, value);
            st->scored = true;
        }
    }
    for (size_t i = 0; m->stance && s == DM_OK && i < st->n_targets; i++) {
        dm_feature_target ft = target_of(st, i, in.len);
        int label;
        double p[DM_STANCE_CLASSES], value;
        s = features_for(m->stance, fz, &in, &ft, false, f, err);
        if (s == DM_OK)
            s = predict_fvec(m->stance, f, DM_STANCE_CLASSES, &label, p, &value, err);
        if (s == DM_OK) {
            dm_target *t = &st->targets[i];
            t->stance = (dm_stance)label;
            memcpy(t->p, p, sizeof t->p);
            t->score = p[DM_STANCE_FAVOR] - p[DM_STANCE_AGAINST];
            t->scored = true;
        }
    }
    return s;
}

dm_status dm_model_score_text(const dm_model *m, const char *text, size_t len,
                              int *level, double *expected, double *p,
                              dm_error *err)
{
    if (!m || !text || !level || !expected)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_score_text: invalid argument");
    if (!m->hostility || !m->fz)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "model has no hostility task or no featurizer");
    dm_feature_input in = {.text = text, .len = len};
    score_buf b = {0};
    double probs[DM_HOSTILITY_LEVELS], value;
    dm_status s = features_for(m->hostility, m->fz, &in, NULL, false, &b.f, err);
    if (s == DM_OK)
        s = predict_fvec(m->hostility, &b.f, DM_HOSTILITY_LEVELS, level, probs, &value, err);
    score_buf_free(&b);
    if (s != DM_OK)
        return s;
    *expected = hostility_expected(m, value);
    if (p)
        memcpy(p, probs, sizeof probs);
    return DM_OK;
}

void dm_explain_items_free(dm_explain_item **items, size_t n)
{
    if (!items || !*items)
        return;
    for (size_t i = 0; i < n; i++)
        free((*items)[i].name);
    free(*items);
    *items = NULL;
}

static int by_contribution(const void *a, const void *b)
{
    const dm_explain_item *x = a, *y = b;
    double ax = fabs(x->contribution), ay = fabs(y->contribution);
    if (ax != ay)
        return ax < ay ? 1 : -1;
    return x->index - y->index;
}

static dm_status explain(const dm_model *m, const dm_featurizer *fz,
                         const dm_statement *st, int target_index, size_t top_k,
                         dm_explain_item **items, size_t *n, dm_explanation *sum,
                         dm_error *err)
{
    if (!m || !st || !items || !n || !fz || target_index < -1 ||
        (target_index >= 0 && (size_t)target_index >= st->n_targets))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_explain: invalid argument");
    *items = NULL;
    *n = 0;
    const dm_submodel *sm = target_index < 0 ? m->hostility : m->stance;
    if (!sm)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "the model has no %s task", target_index < 0 ? "hostility" : "stance");
    if (sm->svm && !sm->folded)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "explanations need a linear model (this one uses a kernel)");
    dm_feature_input in;
    score_buf b = {0};
    dm_status s = statement_input(st, &in, &b, err);
    if (s != DM_OK)
        return s;
    dm_fvec f;
    dm_fvec_init(&f);
    int n_classes = target_index < 0 ? DM_HOSTILITY_LEVELS : DM_STANCE_CLASSES;
    if (target_index < 0) {
        s = features_for(sm, fz, &in, NULL, true, &f, err);
    } else {
        dm_feature_target ft = target_of(st, (size_t)target_index, in.len);
        s = features_for(sm, fz, &in, &ft, true, &f, err);
    }
    int label = 0;
    double p[DM_HOSTILITY_LEVELS], value;
    if (s == DM_OK)
        s = predict_fvec(sm, &f, n_classes, &label, p, &value, err);
    dm_explain_item *v = NULL;
    if (s == DM_OK && f.n > 0) {
        v = calloc(f.n, sizeof *v);
        if (!v)
            s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; s == DM_OK && i < f.n; i++) {
        double w = 0.0;
        dm_submodel_weight(sm, f.v[i].index, label, &w);
        v[i].index = f.v[i].index;
        v[i].value = f.v[i].value;
        v[i].weight = w;
        v[i].contribution = w * f.v[i].value;
    }
    size_t keep = 0;
    if (s == DM_OK && sum) {
        sum->label = label;
        sum->n_features = f.n;
        dm_submodel_bias_contribution(sm, label, &sum->bias);
        sum->total = sum->bias;
        for (size_t i = 0; i < f.n; i++)
            sum->total += v[i].contribution;
    }
    if (s == DM_OK && v) {
        qsort(v, f.n, sizeof *v, by_contribution);
        keep = top_k < f.n ? top_k : f.n;
        if (sum) {
            sum->rest = 0.0;
            for (size_t i = keep; i < f.n; i++)
                sum->rest += v[i].contribution;
        }
        for (size_t i = 0; i < keep && s == DM_OK; i++) {
            const char *name = dm_featurizer_feature_name(fz, v[i].index);
            char buf[32];
            if (!name) {
                snprintf(buf, sizeof buf, "#%d", v[i].index);
                name = buf;
            }
            v[i].name = strdup(name);
            if (!v[i].name)
                s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        }
    }
    dm_fvec_free(&f);
    score_buf_free(&b);
    if (s != DM_OK) {
        dm_explain_items_free(&v, keep);
        return s;
    }
    *items = v;
    *n = keep;
    return DM_OK;
}

dm_status dm_model_explain(const dm_model *m, const dm_statement *st,
                           int target_index, size_t top_k,
                           dm_explain_item **items, size_t *n, dm_error *err)
{
    return explain(m, m ? m->fz : NULL, st, target_index, top_k, items, n, NULL, err);
}

dm_status dm_model_explain_sum(const dm_model *m, const dm_statement *st, int target_index,
                               size_t top_k, dm_explanation *out, dm_error *err)
{
    if (!out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_explain_sum: invalid argument");
    memset(out, 0, sizeof *out);
    return explain(m, m ? m->fz : NULL, st, target_index, top_k, &out->items, &out->n, out,
                   err);
}

void dm_explanation_clear(dm_explanation *e)
{
    if (!e)
        return;
    dm_explain_items_free(&e->items, e->n);
    memset(e, 0, sizeof *e);
}

dm_status dm_model_set_explain(dm_model *m, bool on, dm_error *err)
{
    if (!m || !m->own_fz)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_model_set_explain: needs a loaded model");
    dm_status s = dm_featurizer_set_explain(m->own_fz, on);
    if (s != DM_OK)
        return dm_error_set(err, s, NULL, 0, "cannot record feature names");
    return DM_OK;
}

/* ---- one thread's scorer ---- */

struct dm_scorer {
    const dm_model *model;
    dm_featurizer *fz;          /* a clone of the model's featurizer */
    score_buf buf;              /* reused by each statement */
};

dm_status dm_scorer_create(const dm_model *m, dm_scorer **out, dm_error *err)
{
    if (!m || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_scorer_create: invalid argument");
    *out = NULL;
    if (!m->fz)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "model has no featurizer (load it or attach one)");
    dm_scorer *sc = calloc(1, sizeof *sc);
    if (!sc)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    sc->model = m;
    dm_status s = dm_featurizer_clone(m->fz, &sc->fz, err);
    if (s != DM_OK) {
        free(sc);
        return s;
    }
    *out = sc;
    return DM_OK;
}

void dm_scorer_destroy(dm_scorer **sc)
{
    if (!sc || !*sc)
        return;
    dm_featurizer_destroy(&(*sc)->fz);
    score_buf_free(&(*sc)->buf);
    free(*sc);
    *sc = NULL;
}

dm_status dm_scorer_score_list(dm_scorer *sc, dm_statement_list *list, dm_error *err)
{
    if (!sc)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_scorer_score_list: invalid argument");
    return score_list(sc->model, sc->fz, &sc->buf, list, err);
}

dm_status dm_scorer_score_statement_after(dm_scorer *sc, dm_statement *st,
                                          const char *previous, dm_error *err)
{
    if (!sc)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_scorer_score_statement_after: invalid argument");
    return score_after(sc->model, sc->fz, &sc->buf, st, previous, err);
}

dm_status dm_scorer_explain(dm_scorer *sc, const dm_statement *st, int target_index,
                            size_t top_k, dm_explain_item **items, size_t *n,
                            dm_error *err)
{
    if (!sc)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_scorer_explain: invalid argument");
    return explain(sc->model, sc->fz, st, target_index, top_k, items, n, NULL, err);
}

dm_status dm_scorer_explain_sum(dm_scorer *sc, const dm_statement *st, int target_index,
                                size_t top_k, dm_explanation *out, dm_error *err)
{
    if (!sc || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_scorer_explain_sum: invalid argument");
    memset(out, 0, sizeof *out);
    return explain(sc->model, sc->fz, st, target_index, top_k, &out->items, &out->n, out,
                   err);
}
