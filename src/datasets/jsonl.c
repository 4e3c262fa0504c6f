/* Reader of our labelled JSON Lines format (see model.h and
 * train/CODEBOOK.md). Every bad record is reported; any error keeps nothing
 * of the file. */
#include "datasets/datasets_internal.h"
#include "io/span_internal.h"
#include "text/utf8_internal.h"
#include "core/log_internal.h"

#include <stdarg.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* First occurrence of needle in haystack[0, n) (memmem is a GNU extension). */
static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; m > 0 && i + m <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

static const char *opt_string(json_t *o, const char *key, bool *bad_type)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad_type = true;
        return NULL;
    }
    return json_string_value(v);
}

/* A span and a mention that disagree: the span moves to the mention's
 * nearest occurrence (a warning); a mention that is not in the text leaves
 * the target out (an error). Returns false for the latter. */
static bool fit_mention(const char *orig, size_t olen, const char *mention, size_t ti,
                        size_t *os, size_t *oe, dm_bad_records *b, long line)
{
    size_t s0 = *os, e0 = *oe;
    switch (dm_span_fit_mention(orig, olen, mention, strlen(mention), os, oe)) {
    case DM_SPAN_FITS:
        return true;
    case DM_SPAN_RELOCATED:
        dm_log(b->logger, DM_LOG_WARNING, b->path, line,
               "targets[%zu]: span %zu-%zu is not the mention \"%s\"; moved to its nearest "
               "occurrence, bytes %zu-%zu", ti, s0, e0, mention, *os, *oe);
        return true;
    case DM_SPAN_ABSENT:
        break;
    }
    dm_bad_record(b, line, "targets[%zu]: mention \"%s\" is not in the text; target left out",
                  ti, mention);
    return false;
}

typedef enum target_result {
    TARGET_KEPT,
    TARGET_LEFT_OUT,   /* reported; the record keeps its other targets */
    TARGET_BAD         /* reported; the record is dropped */
} target_result;

/* The keys train/CODEBOOK.md defines (and the provenance keys of the
 * corpora): anything else is most likely a typo ("target", "stance " or
 * "hostilty") whose label would silently be lost. */
static const char *const RECORD_KEYS[] = {
    "id", "text", "speaker_actor", "speaker", "date", "year", "hostility", "targets",
    "previous", "group", "register", "source", "note", NULL};
static const char *const TARGET_KEYS[] = {"actor", "mention", "start", "end", "stance", NULL};

/* Every key of `o` must be in `known`: an unknown one is an error of the
 * record (false), or under lenient a warning each (true: read on without
 * them). */
static bool keys_known(json_t *o, const char *const *known, const char *where_in, bool lenient,
                       dm_bad_records *b, long line)
{
    const char *key;
    json_t *value;
    json_object_foreach(o, key, value) {
        (void)value;
        size_t k = 0;
        while (known[k] && strcmp(known[k], key) != 0)
            k++;
        if (known[k])
            continue;
        char list[256];
        size_t used = 0;
        for (size_t j = 0; known[j] && used < sizeof list; j++) {
            int n = snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "", known[j]);
            if (n < 0)
                break;
            used += (size_t)n;
        }
        if (!lenient) {
            dm_bad_record(b, line, "unknown key \"%s\"%s (known: %s; a typo? --lenient reads "
                          "on without it)", key, where_in, list);
            return false;
        }
        dm_log(b->logger, DM_LOG_WARNING, b->path, line, "unknown key \"%s\"%s ignored (known: %s)",
               key, where_in, list);
    }
    return true;
}

/* Parse one target (reporting what is wrong with it). */
static target_result parse_target(dm_labelled_statement *rec, const dm_text *text,
                                  json_t *jt, size_t ti, dm_offsets_mode offsets,
                                  const dm_actors *actors, bool lenient, dm_bad_records *b,
                                  long line)
{
    if (!json_is_object(jt)) {
        dm_bad_record(b, line, "targets[%zu] is not an object", ti);
        return TARGET_BAD;
    }
    char where_in[48];
    snprintf(where_in, sizeof where_in, " in targets[%zu]", ti);
    if (!keys_known(jt, TARGET_KEYS, where_in, lenient, b, line))
        return TARGET_BAD;
    bool type_error = false;
    const char *actor = opt_string(jt, "actor", &type_error);
    const char *mention = opt_string(jt, "mention", &type_error);
    const char *stance_name = opt_string(jt, "stance", &type_error);
    if (type_error) {
        dm_bad_record(b, line, "targets[%zu]: actor, mention and stance must be strings", ti);
        return TARGET_BAD;
    }
    int stance = -1;
    if (stance_name) {
        stance = dm_stance_from_name_internal(stance_name);
        if (stance < 0) {
            dm_bad_record(b, line, "targets[%zu]: bad stance \"%s\" (against, neutral or favor)",
                ti, stance_name);
            return TARGET_BAD;
        }
    }
    json_t *js = json_object_get(jt, "start"), *je = json_object_get(jt, "end");
    const char *orig = dm_text_original(text);
    size_t olen = dm_text_original_len(text);
    bool has_span = false;
    size_t os = 0, oe = 0;
    if (js || je) {
        if (!json_is_integer(js) || !json_is_integer(je) ||
            json_integer_value(js) < 0 || json_integer_value(je) < json_integer_value(js)) {
            dm_bad_record(b, line, "targets[%zu]: start and end must be integers with 0 <= start <= end", ti);
            return TARGET_BAD;
        }
        os = (size_t)json_integer_value(js);
        oe = (size_t)json_integer_value(je);
        if (offsets == DM_OFFSETS_CHARS) {
            size_t bs, be;
            if (!dm_utf8_cp_to_byte(orig, olen, os, &bs) ||
                !dm_utf8_cp_to_byte(orig, olen, oe, &be)) {
                dm_bad_record(b, line, "targets[%zu]: span %zu-%zu past the end of the text", ti, os, oe);
                return TARGET_BAD;
            }
            os = bs;
            oe = be;
        }
        if (mention && *mention) {
            if (!fit_mention(orig, olen, mention, ti, &os, &oe, b, line))
                return TARGET_LEFT_OUT;
        } else if (oe > olen) {
            dm_bad_record(b, line, "targets[%zu]: span %zu-%zu past the end of the text (%zu bytes)",
                ti, os, oe, olen);
            return TARGET_BAD;
        } else if (dm_span_splits_char(orig, olen, os) || dm_span_splits_char(orig, olen, oe)) {
            dm_bad_record(b, line, "targets[%zu]: span %zu-%zu splits a character (--offsets "
                          "chars for code point offsets); target left out", ti, os, oe);
            return TARGET_LEFT_OUT;
        }
        has_span = true;
    } else if (mention) {
        const char *hit = *mention ? find_bytes(orig, olen, mention, strlen(mention)) : NULL;
        if (!hit) {
            dm_bad_record(b, line, "targets[%zu]: mention \"%s\" is not in the text; "
                          "target left out", ti, mention);
            return TARGET_LEFT_OUT;
        }
        os = (size_t)(hit - orig);
        oe = os + strlen(mention);
        has_span = true;
    } else if (!actor) {
        dm_bad_record(b, line, "targets[%zu]: needs actor, mention or start/end", ti);
        return TARGET_BAD;
    }
    dm_span norm = has_span ? dm_text_norm_span(text, os, oe) : (dm_span){0, 0};
    char *label = NULL;
    dm_status s = DM_OK;
    if (!actor) /* no actor code: keyed as demarche-score keys a given span */
        s = dm_target_key(actors, rec->text, rec->len, norm.start, norm.end, rec->date,
                          &label, NULL);
    if (s == DM_OK)
        s = dm_dataset_add_target_internal(rec, actor ? actor : label, has_span,
                                           norm.start, norm.end, stance, NULL);
    free(label);
    if (s != DM_OK) {
        dm_bad_record(b, line, "out of memory");
        return TARGET_BAD;
    }
    if (!has_span)
        dm_dataset_locate_actor_internal(rec, &rec->targets[rec->n_targets - 1], actors);
    return TARGET_KEPT;
}

/* Parse one line into a new record; on error report and return false (the
 * caller drops the record). */
static bool parse_record(dm_labelled_statement *rec, const char *buf, size_t len,
                         dm_offsets_mode offsets, const dm_actors *actors,
                         dm_split split, bool lenient, bool *skipped, dm_bad_records *b,
                         long line)
{
    json_error_t je;
    json_t *o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        dm_bad_record(b, line, "invalid JSON: %s", je.text);
        return false;
    }
    bool ok = false;
    dm_text *text = NULL;
    if (!json_is_object(o)) {
        dm_bad_record(b, line, "record is not a JSON object");
        goto done;
    }
    if (!keys_known(o, RECORD_KEYS, "", lenient, b, line))
        goto done;
    bool type_error = false;
    json_t *id = json_object_get(o, "id");
    if (split != DM_SPLIT_ALL) {
        bool test = json_is_string(id) && dm_dataset_id_is_test(json_string_value(id));
        if (test != (split == DM_SPLIT_TEST)) {
            *skipped = true;
            goto done;
        }
    }
    const char *t = opt_string(o, "text", &type_error);
    const char *speaker = opt_string(o, "speaker_actor", &type_error);
    const char *date = opt_string(o, "date", &type_error);
    const char *previous = opt_string(o, "previous", &type_error);
    const char *group = opt_string(o, "group", &type_error);
    if (type_error || !t || !*t) {
        dm_bad_record(b, line, "\"text\" must be a non-empty string (speaker_actor, date, "
                      "previous, group: strings)");
        goto done;
    }
    if (strlen(t) > DM_DATASET_MAX_TEXT || (previous && strlen(previous) > DM_DATASET_MAX_TEXT)) {
        dm_bad_record(b, line, "\"%s\" is %zu bytes, over the %zu a labelled statement may have "
                      "(a whole document? label its sentences, or cut it with demarche-score "
                      "--extract-only)", strlen(t) > DM_DATASET_MAX_TEXT ? "text" : "previous",
                      strlen(t) > DM_DATASET_MAX_TEXT ? strlen(t) : strlen(previous),
                      DM_DATASET_MAX_TEXT);
        goto done;
    }
    if ((previous && !(rec->previous = strdup(previous))) ||
        (group && !(rec->group = strdup(group)))) {
        dm_bad_record(b, line, "out of memory");
        goto done;
    }
    json_t *h = json_object_get(o, "hostility");
    if (h && !json_is_null(h)) {
        if (!json_is_integer(h) || json_integer_value(h) < 0 || json_integer_value(h) > 4) {
            dm_bad_record(b, line, "\"hostility\" must be an integer 0-4");
            goto done;
        }
        rec->hostility = (int)json_integer_value(h);
    }
    if ((speaker && !(rec->speaker_actor = strdup(speaker))) ||
        (date && !(rec->date = strdup(date)))) {
        dm_bad_record(b, line, "out of memory");
        goto done;
    }
    if (dm_dataset_set_text_internal(rec, t, strlen(t), &text, NULL) != DM_OK) {
        dm_bad_record(b, line, "cannot normalise the text");
        goto done;
    }
    json_t *targets = json_object_get(o, "targets");
    size_t labelled = 0, left_out = 0;
    if (targets && !json_is_null(targets)) {
        if (!json_is_array(targets)) {
            dm_bad_record(b, line, "\"targets\" must be an array");
            goto done;
        }
        for (size_t i = 0; i < json_array_size(targets); i++) {
            target_result r = parse_target(rec, text, json_array_get(targets, i), i, offsets,
                                           actors, lenient, b, line);
            if (r == TARGET_BAD)
                goto done;
            if (r == TARGET_LEFT_OUT)
                left_out++;
            else if (rec->targets[rec->n_targets - 1].stance >= 0)
                labelled++;
        }
    }
    if (rec->hostility < 0 && labelled == 0 && left_out > 0)
        goto done; /* its only labels were left out, and reported */
    if (rec->hostility < 0 && labelled == 0) {
        dm_bad_record(b, line, "record has neither a hostility nor a stance label");
        goto done;
    }
    ok = true;
done:
    dm_text_destroy(&text);
    json_decref(o);
    return ok;
}

dm_status dm_dataset_read_jsonl(dm_dataset *ds, const char *path,
                                dm_offsets_mode offsets, const dm_actors *actors,
                                const char *licence, const dm_logger *logger,
                                dm_error *err)
{
    if (!ds || !path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_dataset_read_jsonl: invalid argument");
    dm_reader *rd = NULL;
    dm_status s = dm_reader_open(path, &rd, err);
    if (s != DM_OK)
        return s;
    size_t keep = ds->n;
    /* The file's base name: bundles must not depend on where data lives. */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : strcmp(path, "-") == 0 ? "stdin" : path;
    int src = dm_dataset_add_source_internal(ds, base, licence, err);
    if (src < 0) {
        dm_reader_destroy(&rd);
        return DM_E_NOMEM;
    }
    dm_bad_records b = {.logger = logger, .path = path};
    const char *line;
    size_t len;
    int r;
    bool first = true, csv_like = false;
    long not_json = 0, not_json_first = 0, not_json_last = 0;
    while ((r = dm_dataset_next_line_internal(rd, &b, &line, &len, err)) > 0) {
        size_t i = 0;
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i == len)
            continue; /* blank lines are allowed */
        /* One JSON array of records (json.dump, pandas): one error. */
        if (first && line[i] == '[') {
            dm_bad_record(&b, dm_reader_line(rd),
                          "a JSON array, not JSON Lines (one labelled statement a line): "
                          "convert it (jq -c '.[]' FILE >FILE.jsonl); nothing of this file read");
            break;
        }
        /* A CSV or TSV the user wrote (text,hostility): one error that says
         * what the file is and what is read, not one "invalid JSON" a line. */
        if (first && line[i] != '{' && (memchr(line, ',', len) || memchr(line, '\t', len))) {
            int n = (int)(len - i > 60 ? 60 : len - i);
            dm_bad_record(&b, dm_reader_line(rd),
                          "not JSON Lines: this looks like a CSV or TSV header (\"%.*s\"); "
                          "labelled data is JSON Lines, one statement a line: "
                          "{\"text\":\"...\",\"hostility\":3,\"targets\":[{\"actor\":\"RUS\","
                          "\"stance\":\"against\"}]} (train/CODEBOOK.md; UNSCon's and "
                          "NewsMTSC's files: --unscon, --newsmtsc)", n, line + i);
            csv_like = true;
            first = false;
            continue;
        }
        first = false;
        if (csv_like && line[i] != '{') {
            b.count++;      /* counted; named once below */
            if (not_json++ == 0)
                not_json_first = dm_reader_line(rd);
            not_json_last = dm_reader_line(rd);
            continue;
        }
        dm_labelled_statement *rec = dm_dataset_push_internal(ds, err);
        if (!rec) {
            s = DM_E_NOMEM;
            break;
        }
        rec->source = src;
        bool skipped = false;
        if (!parse_record(rec, line, len, offsets, actors, ds->split, ds->lenient, &skipped,
                          &b, dm_reader_line(rd)) || skipped)
            dm_dataset_truncate_internal(ds, ds->n - 1);
    }
    if (not_json > 0)
        dm_log(logger, DM_LOG_ERROR, path, not_json_first,
               "and %ld more line%s (%ld-%ld) that %s not JSON either, left out", not_json,
               not_json == 1 ? "" : "s", not_json_first, not_json_last,
               not_json == 1 ? "is" : "are");
    if (r < 0 && s == DM_OK)
        s = DM_E_IO;
    dm_reader_destroy(&rd);
    return dm_dataset_finish_read_internal(ds, keep, src, &b, s, err);
}
