/* Records from JSON Lines: documents and statements, parsed with jansson
 * (flat records of strings with yajl first: record_simple.c). */
#include "io/record_internal.h"
#include "io/span_internal.h"
#include "text/utf8_internal.h"
#include "core/log_internal.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

void dm_record_init(dm_record *rec)
{
    if (rec)
        memset(rec, 0, sizeof *rec);
}

/* The record's strings and targets go; its pool and parser stay with `keep_pool`
 * (dm_record_parse_json: for the next record). */
static void record_reset(dm_record *rec, bool keep_pool)
{
    if (!rec->pooled_) {
        free(rec->id);
        free(rec->date);
        free(rec->title);
        free(rec->source);
        free(rec->speaker);
        free(rec->speaker_actor);
        free(rec->text);
    }
    for (size_t i = 0; i < rec->n_targets; i++)
        free(rec->targets[i].actor);
    free(rec->targets);
    char *pool = rec->pool_;
    size_t pool_cap = rec->pool_cap_;
    void *parser = rec->parser_;
    memset(rec, 0, sizeof *rec);
    if (keep_pool) {
        rec->pool_ = pool;
        rec->pool_cap_ = pool_cap;
        rec->parser_ = parser;
    } else {
        free(pool);
        dm_record_simple_free(parser);
    }
}

void dm_record_clear(dm_record *rec)
{
    if (rec)
        record_reset(rec, false);
}

dm_document dm_record_document(const dm_record *rec)
{
    dm_document doc;
    memset(&doc, 0, sizeof doc);
    if (!rec)
        return doc;
    doc.id = rec->id;
    doc.date = rec->date;
    doc.title = rec->title;
    doc.source = rec->source;
    doc.speaker = rec->speaker;
    doc.speaker_actor = rec->speaker_actor;
    doc.text = rec->text;
    doc.text_len = rec->text_len;
    return doc;
}

/* Copy an optional string field; numbers become their decimal text (ids and
 * years are often numbers). Wrong types are an error. */
static dm_status take_string(json_t *obj, const char *key, char **dst,
                             const char *where, long line, dm_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return DM_OK;
    char buf[64];
    const char *s;
    size_t n;
    if (json_is_string(v)) {
        s = json_string_value(v);
        n = json_string_length(v);
    } else if (json_is_integer(v)) {
        n = (size_t)snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = buf;
    } else {
        return dm_error_set(err, DM_E_PARSE, where, line,
                            "field \"%s\" must be a string", key);
    }
    *dst = malloc(n + 1);
    if (!*dst)
        return dm_error_set(err, DM_E_NOMEM, where, line, "out of memory");
    memcpy(*dst, s, n);
    (*dst)[n] = '\0';
    return DM_OK;
}

/* An actor code is never a number (a COW code 365 is not RUS): refused,
 * not turned into the code "365" that nothing knows, as training refuses
 * it. */
static dm_status take_code(json_t *obj, const char *key, char **dst,
                           const char *where, long line, dm_error *err)
{
    if (json_is_number(json_object_get(obj, key)))
        return dm_error_set(err, DM_E_PARSE, where, line,
                            "field \"%s\" must be an actor code (a string), not a number", key);
    return take_string(obj, key, dst, where, line, err);
}

/* Byte offset of code point `cp` (>= 0) in text, or -1 if past the end. */
static long codepoint_to_byte(const char *text, size_t len, long cp)
{
    size_t byte;
    return dm_utf8_cp_to_byte(text, len, (size_t)cp, &byte) ? (long)byte : -1;
}

/* Number of code points in text (for messages about code point offsets). */
static size_t codepoint_count(const char *text, size_t len)
{
    size_t n = 0;
    int32_t i = 0;
    while ((size_t)i < len) {
        U8_FWD_1(text, i, (int32_t)len);
        n++;
    }
    return n;
}

/* Where target problems go: the logger, else (the first one) err's message
 * with status DM_OK, as for a repaired line. */
typedef struct target_log {
    const dm_logger *logger;
    dm_error *err;          /* errors only: a status other than DM_OK */
    const char *where;
    long line;
} target_log;

static void target_note(target_log *tl, dm_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void target_note(target_log *tl, dm_log_level level, const char *fmt, ...)
{
    char msg[DM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    dm_log(tl->logger, level, tl->where, tl->line, "%s", msg);
}

/* The span of one target from "start"/"end" and "mention". Returns DM_OK
 * with *keep false when only this target is rejected (after a note). */
static dm_status target_span(json_t *t, size_t i, dm_record *rec, dm_offsets offsets,
                             dm_record_target *rt, bool *keep, target_log *tl)
{
    json_t *js = json_object_get(t, "start"), *je = json_object_get(t, "end");
    json_t *jm = json_object_get(t, "mention");
    const char *m = json_is_string(jm) ? json_string_value(jm) : NULL;
    size_t mlen = m ? json_string_length(jm) : 0;
    if (m && mlen == 0)
        m = NULL;
    const char *text = rec->text;
    size_t len = rec->text_len;
    *keep = true;
    if (!js && !je) {
        if (!m)
            return DM_OK;
        /* As in training data: the first occurrence of the mention. */
        const char *at = memmem(text, len, m, mlen);
        if (!at) {
            target_note(tl, DM_LOG_ERROR, "target %zu: mention \"%.60s\" is not in the text; "
                        "target left out", i + 1, m);
            *keep = false;
            return DM_OK;
        }
        rt->has_span = true;
        rt->start = (size_t)(at - text);
        rt->end = rt->start + mlen;
        return DM_OK;
    }
    if (!json_is_integer(js) || !json_is_integer(je))
        return dm_error_set(tl->err, DM_E_PARSE, tl->where, tl->line,
                            "target %zu: \"start\" and \"end\" must both be integers", i + 1);
    json_int_t gs = json_integer_value(js), ge = json_integer_value(je);
    long s = (long)gs, e = (long)ge;
    if (offsets == DM_OFFSETS_CHARS) {
        s = s >= 0 ? codepoint_to_byte(text, len, s) : -1;
        e = e >= 0 ? codepoint_to_byte(text, len, e) : -1;
    }
    bool in_range = s >= 0 && e >= s && (size_t)e <= len;
    bool splits = in_range && (dm_span_splits_char(text, len, (size_t)s) ||
                               dm_span_splits_char(text, len, (size_t)e));
    if (m) {
        size_t bs = s > 0 ? (size_t)s : 0, be = e > 0 ? (size_t)e : 0;
        switch (dm_span_fit_mention(text, len, m, mlen, &bs, &be)) {
        case DM_SPAN_FITS:
            break;
        case DM_SPAN_RELOCATED:
            target_note(tl, DM_LOG_WARNING, "target %zu: offsets %lld-%lld %s the mention "
                        "\"%.60s\"; moved to its nearest occurrence, bytes %zu-%zu", i + 1,
                        (long long)gs, (long long)ge,
                        !in_range ? "are outside the text, not" : splits ? "split a character, not"
                                                                        : "hold other words than",
                        m, bs, be);
            break;
        case DM_SPAN_ABSENT:
            target_note(tl, DM_LOG_ERROR, "target %zu: mention \"%.60s\" is not in the text; "
                        "target left out", i + 1, m);
            *keep = false;
            return DM_OK;
        }
        rt->has_span = true;
        rt->start = bs;
        rt->end = be;
        return DM_OK;
    }
    if (!in_range || splits) {
        if (!in_range)
            target_note(tl, DM_LOG_ERROR, "target %zu: offsets %lld-%lld outside the text "
                        "(%zu %s); target left out", i + 1, (long long)gs, (long long)ge,
                        offsets == DM_OFFSETS_CHARS ? codepoint_count(text, len) : len,
                        offsets == DM_OFFSETS_CHARS ? "code points" : "bytes");
        else
            target_note(tl, DM_LOG_ERROR, "target %zu: offsets %ld-%ld split a character "
                        "(use --offsets chars for code point offsets); target left out",
                        i + 1, s, e);
        *keep = false;
        return DM_OK;
    }
    rt->has_span = true;
    rt->start = (size_t)s;
    rt->end = (size_t)e;
    return DM_OK;
}

static dm_status parse_targets(json_t *arr, dm_record *rec, dm_offsets offsets,
                               target_log *tl)
{
    const char *where = tl->where;
    long line = tl->line;
    dm_error *err = tl->err;
    if (!json_is_array(arr))
        return dm_error_set(err, DM_E_PARSE, where, line, "\"targets\" must be an array");
    size_t n = json_array_size(arr);
    if (n == 0)
        return DM_OK;
    rec->targets = calloc(n, sizeof *rec->targets);
    if (!rec->targets)
        return dm_error_set(err, DM_E_NOMEM, where, line, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_array_get(arr, i);
        dm_record_target *rt = &rec->targets[rec->n_targets];
        if (json_is_string(t)) { /* a bare actor code */
            rt->actor = strdup(json_string_value(t));
            if (!rt->actor)
                return dm_error_set(err, DM_E_NOMEM, where, line, "out of memory");
            rec->n_targets++;
            continue;
        }
        if (!json_is_object(t))
            return dm_error_set(err, DM_E_PARSE, where, line,
                                "target %zu must be an object or an actor code", i + 1);
        dm_status st = take_code(t, "actor", &rt->actor, where, line, err);
        if (st != DM_OK)
            return st;
        rec->n_targets++;
        bool keep;
        if ((st = target_span(t, i, rec, offsets, rt, &keep, tl)) != DM_OK)
            return st;
        if (!keep) {
            free(rt->actor);
            memset(rt, 0, sizeof *rt);
            rec->n_targets--;
            rec->n_rejected++;
        } else if (!rt->has_span && !rt->actor) {
            return dm_error_set(err, DM_E_PARSE, where, line,
                                "target %zu needs an \"actor\", a \"mention\" or \"start\"/\"end\"", i + 1);
        }
    }
    return DM_OK;
}

/* Replace invalid UTF-8 by U+FFFD so that jansson accepts the line; the
 * caller warns with the count. Returns a new buffer or NULL. */
static char *repair_utf8(const char *s, size_t len, size_t *out_len, size_t *replaced)
{
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int32_t i = 0;
    *replaced = 0;
    while ((size_t)i < len) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, (int32_t)len, c);
        if (c < 0) {
            out[o++] = (char)0xEF;
            out[o++] = (char)0xBF;
            out[o++] = (char)0xBD;
            (*replaced)++;
        } else {
            memcpy(out + o, s + start, (size_t)(i - start));
            o += (size_t)(i - start);
        }
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

static dm_status parse_tree(const char *json, size_t len, const char *where, long line,
                            dm_offsets offsets, const dm_logger *logger, dm_record *out,
                            dm_error *err);
static dm_status parse_tree_fields(const char *json, size_t len, const char *where,
                                   long line, dm_offsets offsets, const dm_logger *logger,
                                   dm_record *out, dm_error *err);

dm_status dm_record_parse_json(const char *json, size_t len, const char *where,
                               long line, dm_offsets offsets, const dm_logger *logger,
                               dm_record *out, dm_error *err)
{
    if (!json || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_record_parse_json: NULL argument");
    if (err)
        dm_error_clear(err);
    record_reset(out, true);
    if (dm_record_parse_simple(json, len, where, line, out))
        return DM_OK;
    return parse_tree(json, len, where, line, offsets, logger, out, err);
}

dm_status dm_record_parse_json_tree(const char *json, size_t len, const char *where,
                                    long line, dm_offsets offsets, const dm_logger *logger,
                                    dm_record *out, dm_error *err)
{
    if (!json || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_record_parse_json_tree: NULL argument");
    if (err)
        dm_error_clear(err);
    record_reset(out, true);
    return parse_tree(json, len, where, line, offsets, logger, out, err);
}

/* A record that is not read is empty, its pool freed too (a caller need
 * not clear it). */
static dm_status parse_tree(const char *json, size_t len, const char *where, long line,
                            dm_offsets offsets, const dm_logger *logger, dm_record *out,
                            dm_error *err)
{
    dm_status st = parse_tree_fields(json, len, where, line, offsets, logger, out, err);
    if (st != DM_OK)
        record_reset(out, false);
    return st;
}

/* The record read by jansson into `out` (reset, its pool kept). */
static dm_status parse_tree_fields(const char *json, size_t len, const char *where,
                                   long line, dm_offsets offsets, const dm_logger *logger,
                                   dm_record *out, dm_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    size_t replaced = 0;
    /* Only invalid UTF-8 is worth a repair (jansson >= 2.11 names the
     * error by code; Debian 12 has 2.14). */
    if (!root && json_error_code(&jerr) == json_error_invalid_utf8) {
        size_t fixed_len;
        char *fixed = repair_utf8(json, len, &fixed_len, &replaced);
        if (!fixed)
            return dm_error_set(err, DM_E_NOMEM, where, line, "out of memory");
        root = json_loadb(fixed, fixed_len, JSON_REJECT_DUPLICATES, &jerr);
        free(fixed);
    }
    if (!root)
        return dm_error_set(err, DM_E_PARSE, where, line, "invalid JSON at column %d: %s",
                            jerr.column, jerr.text);
    dm_status st = DM_OK;
    if (!json_is_object(root)) {
        st = dm_error_set(err, DM_E_PARSE, where, line, "record is not a JSON object");
        goto done;
    }
    json_t *text = json_object_get(root, "text");
    if (!text || json_is_null(text)) {
        st = dm_error_set(err, DM_E_PARSE, where, line, "record has no \"text\"");
        goto done;
    }
    if (!json_is_string(text)) {
        st = dm_error_set(err, DM_E_PARSE, where, line, "\"text\" must be a string");
        goto done;
    }
    if ((st = take_string(root, "text", &out->text, where, line, err)) != DM_OK)
        goto done;
    out->text_len = json_string_length(text);
    if ((st = take_string(root, "id", &out->id, where, line, err)) != DM_OK ||
        (st = take_string(root, "date", &out->date, where, line, err)) != DM_OK ||
        (st = take_string(root, "title", &out->title, where, line, err)) != DM_OK ||
        /* A labelled corpus's "source" is its provenance object (train/CODEBOOK.md:
         * speech, sentence, offsets), not a publisher name: not an error. */
        (!json_is_object(json_object_get(root, "source")) &&
         (st = take_string(root, "source", &out->source, where, line, err)) != DM_OK) ||
        (st = take_string(root, "speaker", &out->speaker, where, line, err)) != DM_OK ||
        (st = take_code(root, "speaker_actor", &out->speaker_actor, where, line, err)) != DM_OK)
        goto done;
    /* Speech collections often give only a year (also beside an empty
     * "date", which is no date: dm_date_given). */
    if (!dm_date_given(out->date)) {
        char *blank = out->date;
        out->date = NULL;
        st = take_string(root, "year", &out->date, where, line, err);
        if (!out->date) {
            out->date = blank;
        } else {
            free(blank);
        }
        if (st != DM_OK)
            goto done;
    }
    if (!out->id) {
        char buf[DM_ERROR_WHERE_MAX + 32];
        snprintf(buf, sizeof buf, "%s:%ld", where ? where : "", line);
        out->id = strdup(buf);
        if (!out->id) {
            st = dm_error_set(err, DM_E_NOMEM, where, line, "out of memory");
            goto done;
        }
    }
    json_t *targets = json_object_get(root, "targets");
    target_log tl = {.logger = logger, .err = err, .where = where, .line = line};
    if (targets && !json_is_null(targets))
        st = parse_targets(targets, out, offsets, &tl);
done:
    json_decref(root);
    if (st != DM_OK)
        record_reset(out, true); /* and its pool: parse_tree */
    else if (replaced)
        dm_log(logger, DM_LOG_WARNING, where, line,
               "%zu invalid UTF-8 sequences replaced by U+FFFD", replaced);
    return st;
}
