/* Labelled datasets: storage, sources, text normalisation and span mapping,
 * and the shared steps of reading a records file (see model.h). */
#include "datasets/datasets_internal.h"
#include "core/fnv_internal.h"
#include "core/log_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

dm_status dm_dataset_create(dm_dataset **out, dm_error *err)
{
    if (!out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_dataset_create: out is NULL");
    *out = calloc(1, sizeof **out);
    if (!*out)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    return DM_OK;
}

void dm_labelled_statement_free_internal(dm_labelled_statement *r)
{
    free(r->text);
    free(r->speaker_actor);
    free(r->date);
    free(r->previous);
    free(r->group);
    for (size_t i = 0; i < r->n_targets; i++)
        free(r->targets[i].actor);
    free(r->targets);
    memset(r, 0, sizeof *r);
}

void dm_dataset_truncate_internal(dm_dataset *ds, size_t keep)
{
    while (ds->n > keep)
        dm_labelled_statement_free_internal(&ds->v[--ds->n]);
}

void dm_dataset_destroy(dm_dataset **ds)
{
    if (!ds || !*ds)
        return;
    dm_dataset_truncate_internal(*ds, 0);
    free((*ds)->v);
    for (size_t i = 0; i < (*ds)->n_sources; i++) {
        free((*ds)->sources[i].name);
        free((*ds)->sources[i].licence);
    }
    free((*ds)->sources);
    free(*ds);
    *ds = NULL;
}

dm_labelled_statement *dm_dataset_push_internal(dm_dataset *ds, dm_error *err)
{
    if (ds->n == ds->cap) {
        size_t cap = ds->cap ? ds->cap * 2 : 256;
        dm_labelled_statement *v = realloc(ds->v, cap * sizeof *v);
        if (!v) {
            dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
            return NULL;
        }
        ds->v = v;
        ds->cap = cap;
    }
    dm_labelled_statement *r = &ds->v[ds->n++];
    memset(r, 0, sizeof *r);
    r->hostility = -1;
    return r;
}

int dm_dataset_add_source_internal(dm_dataset *ds, const char *name,
                                   const char *licence, dm_error *err)
{
    dm_dataset_source *v = realloc(ds->sources, (ds->n_sources + 1) * sizeof *v);
    if (!v) {
        dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        return -1;
    }
    ds->sources = v;
    dm_dataset_source *s = &v[ds->n_sources];
    memset(s, 0, sizeof *s);
    s->name = dup_or_null(name ? name : "");
    s->licence = dup_or_null(licence ? licence : "unknown");
    if (!s->name || !s->licence) {
        free(s->name);
        free(s->licence);
        dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        return -1;
    }
    return (int)ds->n_sources++;
}

void dm_dataset_count_source_internal(dm_dataset *ds, int src)
{
    if (src < 0 || (size_t)src >= ds->n_sources)
        return;
    dm_dataset_source *s = &ds->sources[src];
    s->statements = s->hostility_labels = s->stance_labels = 0;
    for (size_t i = 0; i < ds->n; i++) {
        const dm_labelled_statement *r = &ds->v[i];
        if (r->source != src)
            continue;
        s->statements++;
        if (r->hostility >= 0)
            s->hostility_labels++;
        for (size_t t = 0; t < r->n_targets; t++)
            if (r->targets[t].stance >= 0)
                s->stance_labels++;
    }
}

dm_status dm_dataset_set_text_internal(dm_labelled_statement *rec,
                                       const char *orig, size_t len,
                                       dm_text **text, dm_error *err)
{
    dm_status s = dm_text_create(orig, len, text, err);
    if (s != DM_OK)
        return s;
    rec->len = dm_text_norm_len(*text);
    rec->text = malloc(rec->len + 1);
    if (!rec->text) {
        dm_text_destroy(text);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    memcpy(rec->text, dm_text_norm(*text), rec->len + 1);
    return DM_OK;
}

dm_status dm_dataset_add_target_internal(dm_labelled_statement *rec,
                                         const char *actor, bool has_span,
                                         size_t start, size_t end, int stance,
                                         dm_error *err)
{
    dm_labelled_target *v = realloc(rec->targets, (rec->n_targets + 1) * sizeof *v);
    if (!v)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    rec->targets = v;
    dm_labelled_target *t = &v[rec->n_targets];
    t->actor = strdup(actor);
    if (!t->actor)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    t->has_span = has_span;
    t->start = start;
    t->end = end;
    t->stance = stance;
    rec->n_targets++;
    return DM_OK;
}

void dm_dataset_locate_actor_internal(dm_labelled_statement *rec,
                                      dm_labelled_target *t,
                                      const dm_actors *actors)
{
    if (!actors || t->has_span)
        return;
    dm_actor_match *m = NULL;
    size_t n = 0;
    if (dm_actors_find(actors, rec->text, rec->len, rec->date, &m, &n, NULL) != DM_OK)
        return;
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].code, t->actor) == 0) {
            t->has_span = true;
            t->start = m[i].start;
            t->end = m[i].end;
            break;
        }
    free(m);
}


/* ---- reading a file of records ---- */

int dm_dataset_next_line_internal(dm_reader *rd, dm_bad_records *b,
                                  const char **line, size_t *len, dm_error *err)
{
    for (;;) {
        dm_error line_err;
        dm_error_clear(&line_err);
        dm_status s = dm_reader_next_line(rd, line, len, &line_err);
        if (s == DM_OK)
            return 1;
        if (s == DM_END_OF_INPUT)
            return 0;
        if (s == DM_E_PARSE) {      /* over-long line, skipped by the reader */
            dm_bad_record(b, line_err.line, "%s", line_err.message);
            continue;
        }
        if (err)
            *err = line_err;
        return -1;
    }
}

dm_status dm_dataset_finish_read_internal(dm_dataset *ds, size_t keep, int src,
                                          const dm_bad_records *b, dm_status s,
                                          dm_error *err)
{
    ds->n_bad += b->count;
    if (s == DM_OK)
        s = dm_bad_records_status(b, err);
    if (s == DM_E_PARSE && ds->keep_good && b->count > 0) {
        dm_dataset_count_source_internal(ds, src);
        return s;
    }
    if (s != DM_OK) {
        /* Counted before they go, so that a summary can say what was read. */
        dm_dataset_count_source_internal(ds, src);
        if (src >= 0 && (size_t)src < ds->n_sources) {
            ds->n_dropped += ds->sources[src].statements;
            ds->n_dropped_hostility += ds->sources[src].hostility_labels;
            ds->n_dropped_stance += ds->sources[src].stance_labels;
        }
        dm_dataset_truncate_internal(ds, keep);
        dm_dataset_drop_source_internal(ds, src);
        return s;
    }
    dm_dataset_count_source_internal(ds, src);
    return DM_OK;
}

void dm_dataset_drop_source_internal(dm_dataset *ds, int src)
{
    if (src < 0 || (size_t)src + 1 != ds->n_sources)
        return;
    free(ds->sources[src].name);
    free(ds->sources[src].licence);
    ds->n_sources--;
}

void dm_bad_record(dm_bad_records *b, long line, const char *fmt, ...)
{
    char msg[DM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dm_log(b->logger, DM_LOG_ERROR, b->path, line, "%s", msg);
    if (b->count++ == 0) {
        b->first_line = line;
        snprintf(b->first, sizeof b->first, "%s", msg);
    }
}

dm_status dm_bad_records_status(const dm_bad_records *b, dm_error *err)
{
    if (b->count == 0)
        return DM_OK;
    return dm_error_set(err, DM_E_PARSE, b->path, b->first_line, "%s (%ld bad record%s)",
                        b->first, b->count, b->count == 1 ? "" : "s");
}

int dm_stance_from_name_internal(const char *s)
{
    if (strcmp(s, "against") == 0)
        return DM_STANCE_AGAINST;
    if (strcmp(s, "neutral") == 0)
        return DM_STANCE_NEUTRAL;
    if (strcmp(s, "favor") == 0 || strcmp(s, "favour") == 0)
        return DM_STANCE_FAVOR;
    return -1;
}

bool dm_dataset_id_is_test(const char *id)
{
    if (!id)
        return false;
    return dm_fnv1a32(DM_FNV1A32_BASIS, id, strlen(id)) % 5 == 0;
}
