/* Classification and ordinal metrics (see eval.h). */
#include "demarche/eval.h"
#include "model/eval_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

dm_status dm_eval_init(dm_eval *ev, int n_classes, const char *const *labels,
                       bool ordinal, dm_error *err)
{
    if (!ev || n_classes < 1)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_eval_init: invalid argument");
    memset(ev, 0, sizeof *ev);
    ev->n_classes = n_classes;
    ev->labels = labels;
    ev->ordinal = ordinal;
    size_t k = (size_t)n_classes;
    ev->confusion = calloc(k * k, sizeof *ev->confusion);
    ev->precision = calloc(k, sizeof(double));
    ev->recall = calloc(k, sizeof(double));
    ev->f1 = calloc(k, sizeof(double));
    ev->support = calloc(k, sizeof(long));
    if (!ev->confusion || !ev->precision || !ev->recall || !ev->f1 || !ev->support) {
        dm_eval_free(ev);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    return DM_OK;
}

dm_status dm_eval_add_group(dm_eval *ev, const int *gold, const int *predicted,
                            size_t n, dm_error *err)
{
    if (!ev || (n && (!gold || !predicted)))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_eval_add_group: invalid argument");
    bool mixed = false, one = true;
    for (size_t i = 1; i < n; i++) {
        mixed |= gold[i] != gold[0];
        one &= predicted[i] == predicted[0];
    }
    if (mixed) {
        ev->groups_mixed_gold++;
        ev->groups_mixed_one_label += one;
    } else if (n > 1) {
        ev->groups_same_gold++;
        ev->groups_same_split += !one;
    }
    return DM_OK;
}

dm_status dm_eval_add_confidence(dm_eval *ev, double probability, bool correct,
                                 dm_error *err)
{
    if (!ev || !(probability >= 0 && probability <= 1))
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_eval_add_confidence: invalid argument");
    int b = (int)(probability * DM_EVAL_BINS);
    if (b >= DM_EVAL_BINS)
        b = DM_EVAL_BINS - 1;
    ev->reliability_n[b]++;
    ev->reliability_sum_[b] += probability;
    ev->reliability_correct_[b] += correct;
    return DM_OK;
}

void dm_eval_free(dm_eval *ev)
{
    if (!ev)
        return;
    free(ev->confusion);
    free(ev->precision);
    free(ev->recall);
    free(ev->f1);
    free(ev->support);
    free(ev->gold_values_);
    free(ev->pred_values_);
    memset(ev, 0, sizeof *ev);
}

static dm_status push_value(dm_eval *ev, double gold, double pred, dm_error *err)
{
    if (ev->n_values_ == ev->cap_values_) {
        size_t cap = ev->cap_values_ ? ev->cap_values_ * 2 : 64;
        double *g = realloc(ev->gold_values_, cap * sizeof *g);
        if (!g)
            return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        ev->gold_values_ = g;
        double *p = realloc(ev->pred_values_, cap * sizeof *p);
        if (!p)
            return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        ev->pred_values_ = p;
        ev->cap_values_ = cap;
    }
    ev->gold_values_[ev->n_values_] = gold;
    ev->pred_values_[ev->n_values_] = pred;
    ev->n_values_++;
    return DM_OK;
}

dm_status dm_eval_add(dm_eval *ev, int gold, int predicted, double pred_value,
                      dm_error *err)
{
    if (!ev || !ev->confusion || gold < 0 || gold >= ev->n_classes ||
        predicted < 0 || predicted >= ev->n_classes)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_eval_add: label out of range");
    ev->confusion[gold * ev->n_classes + predicted]++;
    ev->n++;
    if (ev->ordinal)
        return push_value(ev, gold, pred_value, err);
    return DM_OK;
}

dm_status dm_eval_merge(dm_eval *ev, const dm_eval *other, dm_error *err)
{
    if (!ev || !other || ev->n_classes != other->n_classes || !ev->confusion)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_eval_merge: incompatible evaluations");
    int k = ev->n_classes;
    for (int i = 0; i < k * k; i++)
        ev->confusion[i] += other->confusion[i];
    ev->n += other->n;
    ev->groups_mixed_gold += other->groups_mixed_gold;
    for (int b = 0; b < DM_EVAL_BINS; b++) {
        ev->reliability_n[b] += other->reliability_n[b];
        ev->reliability_sum_[b] += other->reliability_sum_[b];
        ev->reliability_correct_[b] += other->reliability_correct_[b];
    }
    ev->groups_mixed_one_label += other->groups_mixed_one_label;
    ev->groups_same_gold += other->groups_same_gold;
    ev->groups_same_split += other->groups_same_split;
    if (ev->ordinal && other->ordinal)
        for (size_t i = 0; i < other->n_values_; i++) {
            dm_status s = push_value(ev, other->gold_values_[i],
                                     other->pred_values_[i], err);
            if (s != DM_OK)
                return s;
        }
    return DM_OK;
}

double dm_eval_mae(const double *gold, const double *pred, size_t n)
{
    if (!gold || !pred || n == 0)
        return 0.0;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += fabs(gold[i] - pred[i]);
    return sum / (double)n;
}

typedef struct ranked {
    double value;
    size_t pos;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->value < y->value)
        return -1;
    if (x->value > y->value)
        return 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

dm_status dm_eval_ranks(const double *values, size_t n, double *ranks,
                        dm_error *err)
{
    if ((!values || !ranks) && n > 0)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_eval_ranks: invalid argument");
    ranked *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        r[i].value = values[i];
        r[i].pos = i;
    }
    qsort(r, n, sizeof *r, cmp_ranked);
    /* Tied values share the mean of the ranks they span. */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && r[j + 1].value == r[i].value)
            j++;
        double avg = ((double)(i + 1) + (double)(j + 1)) / 2.0;
        for (size_t t = i; t <= j; t++)
            ranks[r[t].pos] = avg;
        i = j + 1;
    }
    free(r);
    return DM_OK;
}

double dm_eval_spearman(const double *a, const double *b, size_t n)
{
    if (!a || !b || n < 2)
        return 0.0;
    double *ra = malloc(n * sizeof *ra), *rb = malloc(n * sizeof *rb);
    double rho = 0.0;
    if (ra && rb && dm_eval_ranks(a, n, ra, NULL) == DM_OK &&
        dm_eval_ranks(b, n, rb, NULL) == DM_OK) {
        /* Pearson correlation of the ranks (exact with ties). */
        double ma = 0, mb = 0;
        for (size_t i = 0; i < n; i++) {
            ma += ra[i];
            mb += rb[i];
        }
        ma /= (double)n;
        mb /= (double)n;
        double sab = 0, saa = 0, sbb = 0;
        for (size_t i = 0; i < n; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        if (saa > 0 && sbb > 0)
            rho = sab / sqrt(saa * sbb);
    }
    free(ra);
    free(rb);
    return rho;
}

dm_status dm_eval_finish(dm_eval *ev, dm_error *err)
{
    if (ev) {
        long total = 0;
        double gap = 0;
        for (int b = 0; b < DM_EVAL_BINS; b++) {
            long nb = ev->reliability_n[b];
            ev->reliability_confidence[b] = nb ? ev->reliability_sum_[b] / (double)nb : 0;
            ev->reliability_accuracy[b] = nb ? (double)ev->reliability_correct_[b] / (double)nb : 0;
            gap += (double)nb * fabs(ev->reliability_accuracy[b] - ev->reliability_confidence[b]);
            total += nb;
        }
        ev->ece = total ? gap / (double)total : 0;
    }
    if (!ev || !ev->confusion)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_eval_finish: invalid argument");
    int k = ev->n_classes;
    long correct = 0;
    double f1_sum = 0.0;
    int f1_classes = 0;
    for (int c = 0; c < k; c++) {
        long tp = ev->confusion[c * k + c], gold = 0, pred = 0;
        for (int j = 0; j < k; j++) {
            gold += ev->confusion[c * k + j];
            pred += ev->confusion[j * k + c];
        }
        correct += tp;
        ev->support[c] = gold;
        ev->precision[c] = pred ? (double)tp / (double)pred : 0.0;
        ev->recall[c] = gold ? (double)tp / (double)gold : 0.0;
        double pr = ev->precision[c] + ev->recall[c];
        ev->f1[c] = pr > 0 ? 2 * ev->precision[c] * ev->recall[c] / pr : 0.0;
        /* A class absent from both gold and predictions says nothing. */
        if (gold || pred) {
            f1_sum += ev->f1[c];
            f1_classes++;
        }
    }
    ev->accuracy = ev->n ? (double)correct / (double)ev->n : 0.0;
    ev->macro_f1 = f1_classes ? f1_sum / f1_classes : 0.0;
    if (ev->ordinal) {
        /* MAE over the predicted levels, from the confusion matrix. */
        double abs_sum = 0.0;
        for (int g = 0; g < k; g++)
            for (int p = 0; p < k; p++)
                abs_sum += (double)ev->confusion[g * k + p] * abs(g - p);
        ev->mae = ev->n ? abs_sum / (double)ev->n : 0.0;
        ev->spearman = dm_eval_spearman(ev->gold_values_, ev->pred_values_,
                                        ev->n_values_);
    }
    return DM_OK;
}

/* Round to 6 decimals so that the JSON text is stable and short. */
static json_t *real6(double x)
{
    return json_real(round(x * 1e6) / 1e6);
}

dm_status dm_eval_to_json(const dm_eval *ev, char **json, dm_error *err)
{
    if (!ev || !json || !ev->confusion)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_eval_to_json: invalid argument");
    int k = ev->n_classes;
    json_t *o = json_object(), *classes = json_array(), *conf = json_array();
    json_object_set_new(o, "n", json_integer(ev->n));
    json_object_set_new(o, "accuracy", real6(ev->accuracy));
    json_object_set_new(o, "macro_f1", real6(ev->macro_f1));
    for (int c = 0; c < k; c++) {
        json_t *cl = json_object(), *row = json_array();
        char buf[32];
        const char *name = ev->labels ? ev->labels[c] : NULL;
        if (!name) {
            snprintf(buf, sizeof buf, "%d", c);
            name = buf;
        }
        json_object_set_new(cl, "label", json_string(name));
        json_object_set_new(cl, "precision", real6(ev->precision[c]));
        json_object_set_new(cl, "recall", real6(ev->recall[c]));
        json_object_set_new(cl, "f1", real6(ev->f1[c]));
        json_object_set_new(cl, "support", json_integer(ev->support[c]));
        json_array_append_new(classes, cl);
        for (int j = 0; j < k; j++)
            json_array_append_new(row, json_integer(ev->confusion[c * k + j]));
        json_array_append_new(conf, row);
    }
    json_object_set_new(o, "classes", classes);
    json_object_set_new(o, "confusion", conf);
    if (ev->ordinal) {
        json_object_set_new(o, "mae", real6(ev->mae));
        json_object_set_new(o, "spearman", real6(ev->spearman));
    }
    long rn = 0;
    for (int b = 0; b < DM_EVAL_BINS; b++)
        rn += ev->reliability_n[b];
    if (rn > 0) {
        json_t *rel = json_array();
        for (int b = 0; b < DM_EVAL_BINS; b++) {
            json_t *r = json_object();
            json_object_set_new(r, "from", real6((double)b / DM_EVAL_BINS));
            json_object_set_new(r, "to", real6((double)(b + 1) / DM_EVAL_BINS));
            json_object_set_new(r, "n", json_integer(ev->reliability_n[b]));
            json_object_set_new(r, "confidence", real6(ev->reliability_confidence[b]));
            json_object_set_new(r, "accuracy", real6(ev->reliability_accuracy[b]));
            json_array_append_new(rel, r);
        }
        json_object_set_new(o, "reliability", rel);
        json_object_set_new(o, "ece", real6(ev->ece));
    }
    if (ev->groups_mixed_gold > 0 || ev->groups_same_gold > 0) {
        json_t *g = json_object();
        json_object_set_new(g, "statements", json_integer(ev->groups_mixed_gold));
        json_object_set_new(g, "one_label", json_integer(ev->groups_mixed_one_label));
        json_object_set_new(g, "share", real6(ev->groups_mixed_gold
                                                  ? (double)ev->groups_mixed_one_label /
                                                        (double)ev->groups_mixed_gold
                                                  : 0.0));
        json_object_set_new(g, "same_gold", json_integer(ev->groups_same_gold));
        json_object_set_new(g, "same_gold_split", json_integer(ev->groups_same_split));
        json_object_set_new(o, "multi_target", g);
    }
    *json = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(o);
    if (!*json)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    return DM_OK;
}
