/* Statements back from JSON: a line of demarche-score's output (what
 * statement_json.c writes) into a dm_statement, which is what the chart
 * takes (dm_chart_add). */
#include "demarche/io.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A copy of string member `key` of `o` into *out (NULL when absent or
 * null); false when it is there with another type. */
static bool opt_string(json_t *o, const char *key, char **out, bool *nomem)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v))
        return false;
    *out = strdup(json_string_value(v));
    if (!*out)
        *nomem = true;
    return true;
}

static bool parse_stance(const char *s, dm_stance *out)
{
    if (strcmp(s, "against") == 0)
        *out = DM_STANCE_AGAINST;
    else if (strcmp(s, "neutral") == 0)
        *out = DM_STANCE_NEUTRAL;
    else if (strcmp(s, "favor") == 0 || strcmp(s, "favour") == 0)
        *out = DM_STANCE_FAVOR;
    else
        return false;
    return true;
}

/* One element of "targets" into a new target of st; NULL when fine, else
 * what is wrong with it. */
static const char *read_target(json_t *t, dm_statement *st, bool *nomem)
{
    if (!json_is_object(t))
        return "a target is not an object";
    json_t *actor = json_object_get(t, "actor");
    if (!json_is_string(actor))
        return "a target has no \"actor\" string";
    json_t *mention = json_object_get(t, "mention");
    if (mention && !json_is_null(mention) && !json_is_string(mention))
        return "a target's \"mention\" is not a string";
    json_t *start = json_object_get(t, "start"), *end = json_object_get(t, "end");
    bool has_span = json_is_integer(start) && json_is_integer(end) &&
                    json_integer_value(start) >= 0 &&
                    json_integer_value(end) >= json_integer_value(start);
    if (dm_statement_add_target(st, json_string_value(actor),
                                json_is_string(mention) ? json_string_value(mention) : NULL,
                                has_span, has_span ? (size_t)json_integer_value(start) : 0,
                                has_span ? (size_t)json_integer_value(end) : 0, 0, 0) != DM_OK) {
        *nomem = true;
        return NULL;
    }
    dm_target *tg = &st->targets[st->n_targets - 1];
    json_t *stance = json_object_get(t, "stance");
    if (!stance || json_is_null(stance))
        return NULL;
    if (!json_is_string(stance) || !parse_stance(json_string_value(stance), &tg->stance))
        return "a target's \"stance\" is not against, neutral or favor";
    tg->scored = true;
    /* favor_minus_against; "score" in files written before it was named. */
    json_t *score = json_object_get(t, "favor_minus_against");
    if (!score)
        score = json_object_get(t, "score");
    if (score && !json_is_null(score) && !json_is_number(score))
        return "a target's \"favor_minus_against\" is not a number";
    if (json_is_number(score)) {
        tg->score = json_number_value(score);
        if (!(tg->score >= -1 && tg->score <= 1))
            return "a target's stance \"score\" is off its scale (-1..1)";
    }
    /* A wrong type is an error, not a silent 0 (a string "0.9" is no
     * probability the chart can read). */
    json_t *p = json_object_get(t, "p");
    if (p && !json_is_null(p) && !json_is_object(p))
        return "a target's \"p\" is not an object";
    static const char *const names[3] = {"against", "neutral", "favor"};
    for (int k = 0; k < 3 && json_is_object(p); k++) {
        json_t *v = json_object_get(p, names[k]);
        if (v && !json_is_null(v) && !(json_is_number(v) && json_number_value(v) >= 0 &&
                                       json_number_value(v) <= 1))
            return "a target's \"p\" holds a value that is not a probability (0..1)";
        tg->p[k] = json_is_number(v) ? json_number_value(v) : 0;
    }
    return NULL;
}

dm_status dm_statement_from_json(const char *json, size_t len, const char *where, long line,
                                 dm_statement *out, char **doc, char **date, dm_error *err)
{
    if (!json || !out || !doc || !date)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_statement_from_json: NULL argument");
    memset(out, 0, sizeof *out);
    *doc = *date = NULL;
    json_error_t jerr;
    json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!o)
        return dm_error_set(err, DM_E_PARSE, where, line, "invalid JSON at column %d: %s",
                            jerr.column, jerr.text);
    const char *problem = NULL;
    bool nomem = false;
    if (!json_is_object(o)) {
        problem = "record is not a JSON object";
        goto done;
    }
    if (!opt_string(o, "doc", doc, &nomem) || !opt_string(o, "date", date, &nomem) ||
        !opt_string(o, "speaker", &out->speaker, &nomem) ||
        !opt_string(o, "speaker_role", &out->speaker_role, &nomem) ||
        !opt_string(o, "speaker_actor", &out->speaker_actor, &nomem) ||
        !opt_string(o, "cue", &out->cue, &nomem) || !opt_string(o, "text", &out->text, &nomem)) {
        problem = "doc, date, speaker, speaker_role, speaker_actor, cue and text must be "
                  "strings";
        goto done;
    }
    json_t *n = json_object_get(o, "index"); /* "n" before it was named */
    if (!n)
        n = json_object_get(o, "n");
    if (json_is_integer(n))
        out->n = (int)json_integer_value(n);
    json_t *targets = json_object_get(o, "targets");
    if (targets && !json_is_null(targets) && !json_is_array(targets)) {
        problem = "\"targets\" must be an array";
        goto done;
    }
    for (size_t i = 0; targets && i < json_array_size(targets) && !problem && !nomem; i++)
        problem = read_target(json_array_get(targets, i), out, &nomem);
    if (problem || nomem)
        goto done;
    json_t *h = json_object_get(o, "hostility");
    if (h && !json_is_null(h)) {
        json_t *lv = json_object_get(h, "level"), *ex = json_object_get(h, "expected_level");
        /* Files scored before the expected level was on the 0-4 scale carry
         * "score" = expected level / 4 (README, "Output fields"). */
        json_t *old = ex ? NULL : json_object_get(h, "score");
        if (!json_is_object(h) || (lv && !json_is_integer(lv)) || (ex && !json_is_number(ex)) ||
            (old && !json_is_number(old))) {
            problem = "\"hostility\" must be {\"level\": 0-4, \"expected_level\": 0-4}";
            goto done;
        }
        /* Off the scale (a hand-edited or foreign file) would drag a mean
         * off the 0-4 axis, or to infinity. */
        if ((lv && (json_integer_value(lv) < 0 || json_integer_value(lv) > 4)) ||
            (ex && !(json_number_value(ex) >= 0 && json_number_value(ex) <= 4)) ||
            (old && !(json_number_value(old) >= 0 && json_number_value(old) <= 1))) {
            problem = "hostility out of range (level 0-4, expected_level 0-4)";
            goto done;
        }
        if (lv || ex || old) {
            out->scored = true;
            out->hostility_expected = ex ? json_number_value(ex)
                                    : old ? json_number_value(old) * 4
                                          : (double)json_integer_value(lv);
            out->hostility_level = lv ? (int)json_integer_value(lv)
                                      : (int)lround(out->hostility_expected);
        }
    }
done:
    json_decref(o);
    if (problem || nomem) {
        dm_statement_clear(out);
        free(*doc);
        free(*date);
        *doc = *date = NULL;
        return nomem ? dm_error_set(err, DM_E_NOMEM, where, line, "out of memory")
                     : dm_error_set(err, DM_E_PARSE, where, line, "%s", problem);
    }
    return DM_OK;
}
