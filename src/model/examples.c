/* Featurisation of a labelled dataset into solver-ready sparse vectors: one
 * example per hostility label, one per labelled (statement, target) pair. */
#include "model/model_internal.h"
#include "core/log_internal.h"

#include <stdlib.h>
#include <string.h>

void dm_examples_free(dm_examples *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n; i++)
        free(e->x[i]);
    free(e->x);
    free(e->y);
    free(e->record);
    memset(e, 0, sizeof *e);
}

void dm_node_fill(const dm_fvec *f, dm_node *x)
{
    for (size_t i = 0; i < f->n; i++) {
        x[i].index = f->v[i].index;
        x[i].value = f->v[i].value;
    }
    x[f->n].index = -1;
    x[f->n].value = 0.0;
    x[f->n + 1].index = -1;
    x[f->n + 1].value = 0.0;
}

dm_status dm_node_from_fvec(const dm_fvec *f, dm_node **out, dm_error *err)
{
    /* Room for the terminator and one bias node (liblinear). */
    dm_node *x = malloc((f->n + 2) * sizeof *x);
    if (!x)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    dm_node_fill(f, x);
    *out = x;
    return DM_OK;
}

static dm_status push(dm_examples *e, dm_node *x, double y, size_t record,
                      dm_error *err)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 1024;
        dm_node **nx = realloc(e->x, cap * sizeof *nx);
        if (nx)
            e->x = nx;
        double *ny = realloc(e->y, cap * sizeof *ny);
        if (ny)
            e->y = ny;
        size_t *nr = realloc(e->record, cap * sizeof *nr);
        if (nr)
            e->record = nr;
        if (!nx || !ny || !nr) {
            free(x);
            return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        }
        e->cap = cap;
    }
    e->x[e->n] = x;
    e->y[e->n] = y;
    e->record[e->n] = record;
    e->n++;
    return DM_OK;
}

dm_status dm_examples_build(const dm_dataset *ds, const dm_featurizer *fz,
                            dm_task task, dm_examples *out,
                            const dm_logger *logger, dm_error *err)
{
    memset(out, 0, sizeof *out);
    out->dim = dm_featurizer_task_dimensions(fz, task == DM_TASK_STANCE);
    dm_fvec f;
    dm_fvec_init(&f);
    dm_feature_target *mentions = NULL;
    size_t mentions_cap = 0;
    dm_status s = DM_OK;
    for (size_t r = 0; r < ds->n && s == DM_OK; r++) {
        const dm_labelled_statement *rec = &ds->v[r];
        if (rec->n_targets > mentions_cap) {
            dm_feature_target *m = realloc(mentions, rec->n_targets * sizeof *m);
            if (!m) {
                s = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
                break;
            }
            mentions = m;
            mentions_cap = rec->n_targets;
        }
        /* The labelled targets found in the text are the mentions, as the
         * extracted targets are at scoring time. */
        size_t n_mentions = 0;
        for (size_t t = 0; t < rec->n_targets; t++)
            if (rec->targets[t].has_span)
                mentions[n_mentions++] = (dm_feature_target){
                    rec->targets[t].actor, true, rec->targets[t].start,
                    rec->targets[t].end};
        dm_feature_input in = {
            .text = rec->text, .len = rec->len, .context = NULL,
            .speaker_actor = rec->speaker_actor, .cue = NULL,
            .mentions = mentions, .n_mentions = n_mentions,
            .previous = rec->previous};
        if (task == DM_TASK_HOSTILITY) {
            if (rec->hostility < 0)
                continue;
            dm_node *x = NULL;
            s = dm_features_hostility(fz, &in, &f, err);
            if (s == DM_OK)
                s = dm_node_from_fvec(&f, &x, err);
            if (s == DM_OK)
                s = push(out, x, rec->hostility, r, err);
            continue;
        }
        for (size_t t = 0; t < rec->n_targets && s == DM_OK; t++) {
            const dm_labelled_target *lt = &rec->targets[t];
            if (lt->stance < 0)
                continue;
            dm_feature_target target = {lt->actor, lt->has_span, lt->start, lt->end};
            dm_node *x = NULL;
            s = dm_features_stance(fz, &in, &target, &f, err);
            if (s == DM_OK)
                s = dm_node_from_fvec(&f, &x, err);
            if (s == DM_OK)
                s = push(out, x, lt->stance, r, err);
        }
    }
    dm_fvec_free(&f);
    free(mentions);
    if (s != DM_OK) {
        dm_examples_free(out);
        return s;
    }
    for (size_t i = 0; i < out->n; i++)
        for (const dm_node *n = out->x[i]; n->index != -1; n++)
            if (n->index > out->dim)
                out->dim = n->index;
    dm_log(logger, DM_LOG_INFO, "", 0, "%s: %zu examples, %d dimensions",
           task == DM_TASK_HOSTILITY ? "hostility" : "stance", out->n, out->dim);
    return DM_OK;
}
