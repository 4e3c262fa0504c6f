/* Reader of NewsMTSC train.jsonl (Hamborg & Donnay 2021, MIT licence),
 * mapped as train/CODEBOOK.md section 6.2 says: polarity 2/4/6 ->
 * against/neutral/favor toward the target span; no hostility label.
 * `from`/`to` count code points of sentence_normalized. */
#include "datasets/datasets_internal.h"
#include "io/span_internal.h"
#include "text/utf8_internal.h"
#include "core/log_internal.h"

#include <math.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static int stance_of_polarity(json_t *p)
{
    if (!json_is_number(p))
        return -1;
    double v = json_number_value(p);
    if (fabs(v - 2.0) < 1e-9)
        return DM_STANCE_AGAINST;
    if (fabs(v - 4.0) < 1e-9)
        return DM_STANCE_NEUTRAL;
    if (fabs(v - 6.0) < 1e-9)
        return DM_STANCE_FAVOR;
    return -1;
}

static bool parse_line(dm_labelled_statement *rec, const char *buf, size_t len,
                       const dm_actors *actors, dm_bad_records *b, long line)
{
    json_error_t je;
    json_t *o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        dm_bad_record(b, line, "invalid JSON: %s", je.text);
        return false;
    }
    bool ok = false;
    dm_text *text = NULL;
    json_t *js = json_object_get(o, "sentence_normalized");
    json_t *targets = json_object_get(o, "targets");
    if (!json_is_string(js) || !json_is_array(targets) || json_array_size(targets) == 0) {
        dm_bad_record(b, line, "needs \"sentence_normalized\" and a non-empty \"targets\" array");
        goto done;
    }
    const char *orig = json_string_value(js);
    size_t olen = json_string_length(js);
    if (olen > DM_DATASET_MAX_TEXT) {
        dm_bad_record(b, line, "\"sentence_normalized\" is %zu bytes, over the %zu a labelled "
                      "statement may have", olen, DM_DATASET_MAX_TEXT);
        goto done;
    }
    if (dm_dataset_set_text_internal(rec, orig, olen, &text, NULL) != DM_OK) {
        dm_bad_record(b, line, "cannot normalise the text");
        goto done;
    }
    for (size_t i = 0; i < json_array_size(targets); i++) {
        json_t *t = json_array_get(targets, i);
        json_t *from = json_object_get(t, "from"), *to = json_object_get(t, "to");
        json_t *mention = json_object_get(t, "mention");
        int stance = stance_of_polarity(json_object_get(t, "polarity"));
        if (stance < 0) {
            dm_bad_record(b, line, "targets[%zu]: polarity must be 2, 4 or 6", i);
            goto done;
        }
        size_t bs, be;
        if (!json_is_integer(from) || !json_is_integer(to) ||
            json_integer_value(from) < 0 ||
            json_integer_value(to) < json_integer_value(from) ||
            !dm_utf8_cp_to_byte(orig, olen, (size_t)json_integer_value(from), &bs) ||
            !dm_utf8_cp_to_byte(orig, olen, (size_t)json_integer_value(to), &be)) {
            dm_bad_record(b, line, "targets[%zu]: bad from/to code-point span", i);
            goto done;
        }
        if (json_is_string(mention) && json_string_length(mention) > 0) {
            /* from/to that disagree with the mention: the nearest occurrence. */
            const char *m = json_string_value(mention);
            size_t s0 = bs, e0 = be;
            dm_span_fit fit = dm_span_fit_mention(orig, olen, m, json_string_length(mention),
                                                  &bs, &be);
            if (fit == DM_SPAN_ABSENT) {
                dm_bad_record(b, line, "targets[%zu]: mention \"%s\" is not in the text; "
                              "target left out", i, m);
                continue;
            }
            if (fit == DM_SPAN_RELOCATED)
                dm_log(b->logger, DM_LOG_WARNING, b->path, line,
                       "targets[%zu]: from/to (bytes %zu-%zu) is not the mention \"%s\"; moved "
                       "to its nearest occurrence, bytes %zu-%zu", i, s0, e0, m, bs, be);
        }
        /* Keyed as demarche-score keys a given span (dm_target_key). */
        dm_span norm = dm_text_norm_span(text, bs, be);
        char *label = NULL;
        dm_status s = dm_target_key(actors, rec->text, rec->len, norm.start, norm.end, NULL,
                                    &label, NULL);
        if (s == DM_OK)
            s = dm_dataset_add_target_internal(rec, label, true, norm.start, norm.end, stance,
                                               NULL);
        free(label);
        if (s != DM_OK) {
            dm_bad_record(b, line, "out of memory");
            goto done;
        }
    }
    ok = true;
done:
    dm_text_destroy(&text);
    json_decref(o);
    return ok;
}

dm_status dm_dataset_read_newsmtsc(dm_dataset *ds, const char *path,
                                   const dm_actors *actors, const dm_logger *logger,
                                   dm_error *err)
{
    if (!ds || !path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_dataset_read_newsmtsc: invalid argument");
    dm_reader *rd = NULL;
    dm_status s = dm_reader_open(path, &rd, err);
    if (s != DM_OK)
        return s;
    size_t keep = ds->n;
    int src = dm_dataset_add_source_internal(ds, "NewsMTSC", "MIT", err);
    if (src < 0) {
        dm_reader_destroy(&rd);
        return DM_E_NOMEM;
    }
    dm_bad_records b = {.logger = logger, .path = path};
    const char *line;
    size_t len;
    int r;
    while ((r = dm_dataset_next_line_internal(rd, &b, &line, &len, err)) > 0) {
        if (len == 0)
            continue;
        dm_labelled_statement *rec = dm_dataset_push_internal(ds, err);
        if (!rec) {
            s = DM_E_NOMEM;
            break;
        }
        rec->source = src;
        if (!parse_line(rec, line, len, actors, &b, dm_reader_line(rd)))
            dm_dataset_truncate_internal(ds, ds->n - 1);
    }
    if (r < 0 && s == DM_OK)
        s = DM_E_IO;
    dm_reader_destroy(&rd);
    return dm_dataset_finish_read_internal(ds, keep, src, &b, s, err);
}
