/* demarche-train's report printers (see cli_train_report.h). */
#include "cli_train_report.h"

#include <jansson.h>
#include <stdlib.h>

static void print_eval(FILE *fp, const char *task, const dm_eval *ev, double C,
                       double gamma, int folds)
{
    if (folds > 0) {
        fprintf(fp, "%s (%d-fold cross-validation, C=%g", task, folds, C);
        if (gamma > 0)
            fprintf(fp, ", gamma=%g", gamma);
        fprintf(fp, ")\n");
    } else {
        /* Not a cross-validation: an evaluation of a trained model. */
        fprintf(fp, "%s\n", task);
    }
    fprintf(fp, "  N %ld  accuracy %.4f  macro-F1 %.4f", ev->n, ev->accuracy, ev->macro_f1);
    if (ev->ordinal)
        fprintf(fp, "  MAE %.4f  Spearman %.4f", ev->mae, ev->spearman);
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
    for (int c = 0; c < ev->n_classes; c++)
        fprintf(fp, "  %-10s %9.4f %9.4f %9.4f %9ld\n", ev->labels ? ev->labels[c] : "?",
                ev->precision[c], ev->recall[c], ev->f1[c], ev->support[c]);
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

void dm_train_report_text(FILE *fp, const dm_cv_report *r, double seconds)
{
    print_grid(fp, r);
    if (r->has_hostility)
        print_eval(fp, "hostility", &r->hostility, r->hostility_C, r->hostility_gamma,
                   r->folds);
    if (r->has_stance)
        print_eval(fp, "stance", &r->stance, r->stance_C, r->stance_gamma, r->folds);
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
