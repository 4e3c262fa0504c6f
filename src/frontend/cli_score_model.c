/* demarche-score's glue to the model layer: load a bundle, score the
 * statements of a document, explain a score. */
#include "cli_score_output.h"
#include "demarche/model.h"

#include <stdlib.h>
#include <string.h>

#define EXPLAIN_TOP 8

struct dm_score_model {
    dm_model *model;
};

dm_status dm_score_model_load(const char *dir, const char *lexicon_dir,
                              const dm_actors *actors, dm_score_model **out,
                              dm_error *err)
{
    (void)actors;
    *out = NULL;
    dm_score_model *m = calloc(1, sizeof *m);
    if (!m)
        return dm_error_set(err, DM_E_NOMEM, dir, 0, "out of memory");
    dm_status s = dm_model_load(dir, lexicon_dir, &m->model, err);
    if (s != DM_OK) {
        free(m);
        return s;
    }
    *out = m;
    return DM_OK;
}

void dm_score_model_destroy(dm_score_model **m)
{
    if (!m || !*m)
        return;
    dm_model_destroy(&(*m)->model);
    free(*m);
    *m = NULL;
}

dm_status dm_score_model_score(dm_score_model *m, dm_statement_list *list, dm_error *err)
{
    for (size_t i = 0; i < list->n; i++) {
        dm_status s = dm_model_score_statement(m->model, &list->v[i], err);
        if (s != DM_OK)
            return s;
    }
    return DM_OK;
}

static void explain_one(dm_score_model *m, const dm_statement *st, int target,
                        FILE *fp, const char *indent)
{
    dm_explain_item *items = NULL;
    size_t n = 0;
    dm_error err;
    if (dm_model_explain(m->model, st, target, EXPLAIN_TOP, &items, &n, &err) != DM_OK) {
        fprintf(fp, "%s(no explanation: %s)\n", indent, err.message);
        return;
    }
    for (size_t i = 0; i < n; i++)
        fprintf(fp, "%s%+8.4f  %-40s value %.4f  weight %+.4f\n", indent,
                items[i].contribution, items[i].name, items[i].value, items[i].weight);
    dm_explain_items_free(&items, n);
}

void dm_score_model_explain(dm_score_model *m, const dm_statement *st, dm_score_printer *p)
{
    /* With JSON Lines on stdout the explanation goes to stderr, so the
     * output stays one JSON object per line. */
    FILE *fp = p->table ? p->fp : stderr;
    if (st->scored) {
        fprintf(fp, "  hostility %d (%.2f) of statement %d, top features:\n",
                st->hostility_level, st->hostility_score, st->n);
        explain_one(m, st, -1, fp, "    ");
    }
    for (size_t i = 0; i < st->n_targets; i++) {
        const dm_target *t = &st->targets[i];
        if (!t->scored)
            continue;
        fprintf(fp, "  stance toward %s: %s (%+.2f), top features:\n", t->actor,
                dm_stance_name(t->stance), t->score);
        explain_one(m, st, (int)i, fp, "    ");
    }
}

int dm_score_eval(dm_score_model *m, const dm_score_options *opt, dm_cli_log *log)
{
    (void)m;
    (void)opt;
    fprintf(stderr, "demarche-score: --eval is not wired yet\n");
    (void)log;
    return DM_EXIT_FAILURE;
}
