/* demarche-train's report printers (see cli_train_report.h). */
#include "cli_train_report.h"

#include <jansson.h>
#include <stdlib.h>

/* A class neither in the gold labels nor predicted: not in macro-F1. */
static bool class_absent(const dm_eval *ev, int c)
{
    if (ev->support[c] > 0)
        return false;
    for (int g = 0; g < ev->n_classes; g++)
        if (ev->confusion[g * ev->n_classes + c] > 0)
            return false;
    return true;
}

static void print_eval(FILE *fp, const char *task, const dm_eval *ev, double C,
                       double gamma, int folds, size_t grid_points, dm_train_cv_kind kind)
{
    if (folds > 0 && kind == DM_TRAIN_CV_NESTED) {
        (void)gamma;
        fprintf(fp, "%s (nested %d-fold cross-validation of the grid search: each fold "
                    "predicted with the parameters its own inner CV chose; an estimate for "
                    "unseen statements)\n", task, folds);
    } else if (folds > 0) {
        /* By group, N is the grouped records only (the others train in
         * every fold and are never tested): say so in the heading. */
        if (kind == DM_TRAIN_CV_LEAVE_GROUP_OUT)
            fprintf(fp, "%s (leave-one-group-out cross-validation, %d groups; N: the grouped "
                        "statements, C=%g", task, folds, C);
        else if (kind == DM_TRAIN_CV_GROUP_FOLDS)
            fprintf(fp, "%s (%d-fold cross-validation by whole groups; N: the grouped "
                        "statements, C=%g", task, folds, C);
        else
            fprintf(fp, "%s (%d-fold cross-validation, C=%g", task, folds, C);
        if (gamma > 0)
            fprintf(fp, ", gamma=%g", gamma);
        fprintf(fp, ")\n");
        /* The grid's best point, measured by the same folds that chose it:
         * the figures below are that maximum, not a fresh estimate. */
        if (grid_points > 1)
            fprintf(fp, "  (the best of %zu grid points by these same folds: optimistic; an "
                        "unbiased figure: --nested, or held-out data: demarche-score --model "
                        "BUNDLE --eval FILE)\n", grid_points);
    } else {
        /* Not a cross-validation: an evaluation of a trained model. */
        fprintf(fp, "%s\n", task);
    }
    int present = 0;
    for (int c = 0; c < ev->n_classes; c++)
        present += !class_absent(ev, c);
    fprintf(fp, "  N %ld  accuracy %.4f  macro-F1 %.4f", ev->n, ev->accuracy, ev->macro_f1);
    if (present < ev->n_classes)
        fprintf(fp, " (over the %d class%s present)", present, present == 1 ? "" : "es");
    if (ev->ordinal)
        fprintf(fp, "  MAE %.4f  Spearman %.4f (gold level vs expected level)", ev->mae,
                ev->spearman);
    if (ev->groups_mixed_gold > 0)
        fprintf(fp, "\n  statements whose targets differ in gold stance: %ld, given one "
                "label for all: %ld (%.1f%%)", ev->groups_mixed_gold,
                ev->groups_mixed_one_label,
                100.0 * (double)ev->groups_mixed_one_label / (double)ev->groups_mixed_gold);
    if (ev->groups_same_gold > 0)
        fprintf(fp, "\n  statements whose targets share one gold stance: %ld, given "
                "differing labels: %ld (%.1f%%)", ev->groups_same_gold, ev->groups_same_split,
                100.0 * (double)ev->groups_same_split / (double)ev->groups_same_gold);
    long rn = 0;
    for (int b = 0; b < DM_EVAL_BINS; b++)
        rn += ev->reliability_n[b];
    if (rn > 0) {
        fprintf(fp, "\n\n  reliability (probability of the predicted class; ECE %.4f)\n"
                "  %-9s %7s %10s %9s\n", ev->ece, "bin", "n", "mean p", "accuracy");
        for (int b = 0; b < DM_EVAL_BINS; b++)
            if (ev->reliability_n[b] > 0)
                fprintf(fp, "  %.1f-%.1f   %7ld %10.3f %9.3f\n", (double)b / DM_EVAL_BINS,
                        (double)(b + 1) / DM_EVAL_BINS, ev->reliability_n[b],
                        ev->reliability_confidence[b], ev->reliability_accuracy[b]);
    }
    fprintf(fp, rn > 0 ? "\n  %-10s %9s %9s %9s %9s\n" : "\n\n  %-10s %9s %9s %9s %9s\n", "class", "precision", "recall", "F1",
            "support");
    for (int c = 0; c < ev->n_classes; c++) {
        if (class_absent(ev, c))    /* "-": nothing to measure, not 0 */
            fprintf(fp, "  %-10s %9s %9s %9s %9ld\n", ev->labels ? ev->labels[c] : "?", "-",
                    "-", "-", ev->support[c]);
        else
            fprintf(fp, "  %-10s %9.4f %9.4f %9.4f %9ld\n", ev->labels ? ev->labels[c] : "?",
                    ev->precision[c], ev->recall[c], ev->f1[c], ev->support[c]);
    }
    fprintf(fp, "\n  confusion (rows: gold, columns: predicted)\n  %-10s", "");
    for (int c = 0; c < ev->n_classes; c++)
        fprintf(fp, " %8s", ev->labels ? ev->labels[c] : "?");
    fprintf(fp, "\n");
    for (int g = 0; g < ev->n_classes; g++) {
        fprintf(fp, "  %-10s", ev->labels ? ev->labels[g] : "?");
        for (int p = 0; p < ev->n_classes; p++)
            fprintf(fp, " %8ld", ev->confusion[g * ev->n_classes + p]);
        fprintf(fp, "\n");
    }
    fprintf(fp, "\n");
}

/* A grid search's every point, as libsvm's grid.py lists them; '*' marks
 * the point each task trains with. */
static void print_grid(FILE *fp, const dm_cv_report *r)
{
    if (r->n_grid == 0)
        return;
    if (r->nested) {
        fprintf(fp, "nested cross-validation of the grid search (%d outer folds, each "
                    "choosing by a %d-fold CV of the others' statements)\n"
                    "  %-9s %5s %10s %10s %15s\n",
                r->folds, r->folds, "task", "fold", "C", "gamma", "inner macro-F1");
        for (size_t i = 0; i < r->n_grid; i++) {
            const dm_grid_point *g = &r->grid[i];
            fprintf(fp, "  %-9s %5zu %10g %10g %15.4f\n",
                    g->task == DM_TASK_HOSTILITY ? "hostility" : "stance",
                    r->folds > 0 ? i % (size_t)r->folds + 1 : 0, g->C, g->gamma, g->macro_f1);
        }
        fputc('\n', fp);
        return;
    }
    fprintf(fp, "grid search (%d-fold cross-validation; * the point chosen)\n"
                "  %-9s %10s %10s %9s %9s %7s\n",
            r->folds, "task", "C", "gamma", "macro-F1", "accuracy", "MAE");
    for (size_t i = 0; i < r->n_grid; i++) {
        const dm_grid_point *g = &r->grid[i];
        bool host = g->task == DM_TASK_HOSTILITY;
        fprintf(fp, "%c %-9s %10g %10g %9.4f %9.4f", g->best ? '*' : ' ',
                host ? "hostility" : "stance", g->C, g->gamma, g->macro_f1, g->accuracy);
        if (host)
            fprintf(fp, " %7.4f", g->mae);
        fputc('\n', fp);
    }
    fputc('\n', fp);
}

static size_t grid_points(const dm_cv_report *r, dm_task task)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_grid; i++)
        n += r->grid[i].task == task;
    return n;
}

void dm_train_report_text(FILE *fp, const dm_cv_report *r, double seconds,
                          dm_train_cv_kind kind)
{
    print_grid(fp, r);
    if (r->has_hostility)
        print_eval(fp, "hostility", &r->hostility, r->hostility_C, r->hostility_gamma,
                   r->folds, grid_points(r, DM_TASK_HOSTILITY), kind);
    if (r->has_stance)
        print_eval(fp, "stance", &r->stance, r->stance_C, r->stance_gamma, r->folds,
                   grid_points(r, DM_TASK_STANCE), kind);
    if (seconds > 0)
        fprintf(fp, "time %.2f s\n", seconds);
}

bool dm_train_report_json(FILE *fp, const dm_cv_report *r, double seconds,
                          const char *solver)
{
    char *text = NULL;
    if (dm_cv_report_to_json(r, &text, NULL) != DM_OK)
        return false;
    json_t *o = json_loads(text, 0, NULL);
    free(text);
    if (!o)
        return false;
    json_object_set_new(o, "seconds", json_real(seconds));
    json_object_set_new(o, "solver", json_string(solver));
    int rc = json_dumpf(o, fp, JSON_SORT_KEYS | JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(o);
    return rc == 0 && fputc('\n', fp) != EOF;
}
