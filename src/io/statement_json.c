/* Statements to JSON, in the documented key order. */
#include "demarche/io.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* Round to 4 decimals so that output is stable and readable. */
static json_t *rounded(double x)
{
    if (!isfinite(x))
        return json_null();
    return json_real(round(x * 10000.0) / 10000.0);
}

static int add_target(json_t *arr, const dm_target *t, const char *speaker_actor,
                      int flags)
{
    json_t *o = json_object();
    if (!o)
        return -1;
    json_object_set_new(o, "actor", string_or_null(t->actor));
    json_object_set_new(o, "mention", string_or_null(t->mention));
    json_object_set_new(o, "start", t->has_span ? json_integer((json_int_t)t->start) : json_null());
    json_object_set_new(o, "end", t->has_span ? json_integer((json_int_t)t->end) : json_null());
    /* The speaker's own actor ("Russia will never accept..." said by
     * Russia's minister): not a stance toward another; charts leave it out
     * of dyads by default. Present only when true. */
    if (t->actor && speaker_actor && strcmp(t->actor, speaker_actor) == 0)
        json_object_set_new(o, "self", json_true());
    if ((flags & DM_JSON_SCORES) && t->scored) {
        json_object_set_new(o, "stance", json_string(dm_stance_name(t->stance)));
        json_object_set_new(o, "score", rounded(t->score));
        json_t *p = json_object();
        json_object_set_new(p, "against", rounded(t->p[DM_STANCE_AGAINST]));
        json_object_set_new(p, "neutral", rounded(t->p[DM_STANCE_NEUTRAL]));
        json_object_set_new(p, "favor", rounded(t->p[DM_STANCE_FAVOR]));
        json_object_set_new(o, "p", p);
    }
    return json_array_append_new(arr, o);
}

dm_status dm_statement_to_json(const dm_statement *st, const char *doc_id,
                               const char *date, int flags, char **out,
                               dm_error *err)
{
    if (!st || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_statement_to_json: NULL argument");
    *out = NULL;
    json_t *o = json_object();
    json_t *targets = json_array();
    if (!o || !targets) {
        json_decref(o);
        json_decref(targets);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    json_object_set_new(o, "doc", string_or_null(doc_id));
    json_object_set_new(o, "n", json_integer(st->n));
    json_object_set_new(o, "date", string_or_null(date));
    json_object_set_new(o, "speaker", string_or_null(st->speaker));
    json_object_set_new(o, "speaker_role", string_or_null(st->speaker_role));
    json_object_set_new(o, "speaker_actor", string_or_null(st->speaker_actor));
    json_object_set_new(o, "cue", string_or_null(st->cue));
    json_object_set_new(o, "attribution", json_string(dm_attribution_name(st->attribution)));
    json_object_set_new(o, "kind", json_string(dm_statement_kind_name(st->kind)));
    json_object_set_new(o, "text", string_or_null(st->text));
    json_object_set_new(o, "start", json_integer((json_int_t)st->start));
    json_object_set_new(o, "end", json_integer((json_int_t)st->end));
    if ((flags & DM_JSON_CONTEXT) && st->context)
        json_object_set_new(o, "context", json_string(st->context));
    for (size_t i = 0; i < st->n_targets; i++)
        if (add_target(targets, &st->targets[i], st->speaker_actor, flags) != 0) {
            json_decref(o);
            json_decref(targets);
            return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        }
    json_object_set_new(o, "targets", targets);
    if ((flags & DM_JSON_SCORES) && st->scored) {
        json_t *h = json_object();
        json_object_set_new(h, "level", json_integer(st->hostility_level));
        json_object_set_new(h, "score", rounded(st->hostility_score));
        json_object_set_new(o, "hostility", h);
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(o);
    if (!s)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0,
                            "cannot encode statement as JSON (invalid UTF-8 in a field?)");
    *out = s;
    return DM_OK;
}
