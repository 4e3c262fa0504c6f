/*
 * Input and output: line readers over files, stdin and .gz; documents from
 * JSON Lines; dates; statements to JSON.
 *
 * Ownership: see core.h.
 */
#ifndef DEMARCHE_IO_H
#define DEMARCHE_IO_H

#include "demarche/core.h"
#include "demarche/statements.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

/* Longest line a reader accepts by default (bytes). Longer lines are
 * reported and skipped, never truncated silently. */
#define DM_READER_DEFAULT_MAX_LINE ((size_t)64 << 20)

/* Reads a file, stdin ("-") or a gzip file (detected by its bytes, whatever
 * its name) line by line or whole, as UTF-8: a UTF-8 byte order mark is
 * dropped; UTF-16 and UTF-32 (LE or BE) with a byte order mark are decoded;
 * UTF-16 without one is refused (DM_E_IO at the first read). A directory
 * is refused at open. A read error (corrupt or truncated gzip, an I/O
 * error) is returned by the read that meets it and by every later read. */
typedef struct dm_reader dm_reader;

dm_status dm_reader_open(const char *path, dm_reader **out, dm_error *err);
void dm_reader_destroy(dm_reader **reader);
void dm_reader_set_max_line(dm_reader *reader, size_t max_line);
/* Display name: the path, or "<stdin>". Borrowed. */
const char *dm_reader_name(const dm_reader *reader);

/* Next line without its line break ("\n" or "\r\n"). *line is borrowed until
 * the next call. Returns DM_OK, DM_END_OF_INPUT at end of input, DM_E_PARSE
 * for a line over the limit (skipped; err names file:line; reading may go
 * on), DM_E_IO on a read error. */
dm_status dm_reader_next_line(dm_reader *reader, const char **line,
                              size_t *len, dm_error *err);
/* 1-based number of the line last returned. */
long dm_reader_line(const dm_reader *reader);
/* Bytes of the file itself read so far (compressed bytes of a .gz; the
 * reader reads ahead, so up to one buffer more than handed out); -1 if
 * unknown. For progress: compare with the file's size. */
long long dm_reader_offset(const dm_reader *reader);
/* True when the next dm_reader_next_line returns without reading from the
 * input (a whole line is buffered, or the input is at its end), so that a
 * program handing lines to other threads can pass on what it has before a
 * read that may block (a pipe or terminal waiting for more). */
bool dm_reader_line_ready(const dm_reader *reader);

/* Peek: true if the first non-blank byte of the input is '{' (JSON Lines).
 * Does not consume input. */
bool dm_reader_looks_like_jsonl(dm_reader *reader);

/* The rest of the input as one buffer (NUL-terminated), up to max bytes
 * (0: no limit). *out is freed with free(). */
dm_status dm_reader_read_all(dm_reader *reader, size_t max, char **out,
                             size_t *len, dm_error *err);

/* A parsed date: year, and month/day when given (0 when not). */
typedef struct dm_date {
    int year, month, day;
} dm_date;

/* Parse "YYYY", "YYYY-MM", "YYYY-MM-DD", an ISO 8601 timestamp
 * ("YYYY-MM-DDThh:mm[:ss[.f]][Z|+hh:mm]", also with a space for 'T'), or
 * GDELT's "YYYYMMDD" (SQLDATE) and "YYYYMMDDhhmmss" (DATEADDED; also ISO
 * 8601's basic "YYYYMMDDThhmm[ss][Z]"). Checks ranges (month 1-12, day
 * within the month): "20241341" is DM_E_PARSE with a message beginning
 * "impossible date", one of no form "unparsable date"; either message
 * has its explanation last, in parentheses. */
dm_status dm_date_parse(const char *text, dm_date *out, dm_error *err);

/* False for NULL, "" and white space only: a record's "date": "" means
 * no date, as null or no key do (charts count it "without a date"). */
bool dm_date_given(const char *text);

/* A target given with a statement (--statements input): {"actor"},
 * {"start","end"[,"mention"][,"actor"]} or {"mention"[,"actor"]} (first
 * occurrence). When both a span and a mention are given and text[start:end]
 * is not the mention (other words, out of range, or splitting a character),
 * the span is moved to the mention's occurrence nearest to it, with a
 * warning. A mention that is not in the text, or a span without a mention
 * that is out of range or splits a character, leaves that target out (an
 * error) and keeps the record with its other targets. */
typedef struct dm_record_target {
    char *actor;          /* may be NULL when only a span is given */
    bool has_span;
    size_t start, end;    /* bytes of `text` (converted from code points if asked) */
} dm_record_target;

/* A record read from a JSON line: a document {"id","date","text"[,"title",
 * "source","speaker","speaker_actor"]} or a statement (with "targets").
 * Owns its strings; release with dm_record_clear(). */
typedef struct dm_record {
    char *id, *date, *title, *source, *speaker, *speaker_actor, *text;
    size_t text_len;
    dm_record_target *targets;
    size_t n_targets;
    size_t n_rejected;    /* targets given but left out (reported) */
    /* Private to dm_record_parse_json: the block the strings of a flat
     * record are kept in (pooled_), reused by the next record read into
     * this one (no malloc and free a field a line); dm_record_clear frees it. */
    char *pool_;
    size_t pool_cap_;
    bool pooled_;
    /* Private too: the yajl parser kept for the next record (as the pool);
     * dm_record_clear frees it. */
    void *parser_;
} dm_record;

void dm_record_init(dm_record *rec);
void dm_record_clear(dm_record *rec);

typedef enum dm_offsets {
    DM_OFFSETS_BYTES = 0, /* offsets are bytes of the UTF-8 text */
    DM_OFFSETS_CHARS      /* offsets are Unicode code points (Python's str indices) */
} dm_offsets;

/* Parse one JSON line into `out` (cleared first). `where` and `line` name
 * the position in error messages. Errors: broken JSON, a key given twice in
 * an object, not an object, no "text" or a non-string one, wrong field
 * types. A missing "id" becomes "WHERE:LINE"; a missing "date" is taken from
 * "year" when there is one (speech corpora). A status other than DM_OK is
 * an error and the record is empty; DM_OK never leaves a message in `err`.
 * What does not stop the record goes to `logger` (may be NULL: dropped):
 * invalid UTF-8 inside the line is replaced by U+FFFD and the record kept
 * (a warning with the count); problems of single targets (see
 * dm_record_target) are warnings (a span moved) or errors (a target left
 * out, also counted in n_rejected). */
dm_status dm_record_parse_json(const char *json, size_t len, const char *where,
                               long line, dm_offsets offsets, const dm_logger *logger,
                               dm_record *out, dm_error *err);

/* A view of the record as a dm_document (borrows the record's strings). */
dm_document dm_record_document(const dm_record *rec);

/* Flags for dm_statement_to_json. */
enum {
    DM_JSON_SCORES = 1 << 0,   /* include hostility and per-target stance */
    DM_JSON_CONTEXT = 1 << 1   /* include the reporting context of partial quotes */
};

/* One statement as a compact JSON object (no trailing newline), keys in the
 * documented order: doc, index, date, speaker, speaker_role, speaker_actor, cue,
 * kind, text, start, end, targets[, hostility]. *out is freed with free(). */
dm_status dm_statement_to_json(const dm_statement *st, const char *doc_id,
                               const char *date, int flags, char **out,
                               dm_error *err);

/* The same JSON appended to a growing buffer the caller owns and reuses:
 * *buf (malloc'ed, or NULL with *cap 0) holds *len bytes of *cap; the
 * object, and a '\n' after it when `newline`, go at *len, the buffer grown
 * with realloc as needed and left NUL-terminated. One buffer for many
 * statements costs no allocation a statement once it is big enough
 * (demarche-score writes a batch's lines into one). On error *len is what
 * it was and *buf stays the caller's to free. */
dm_status dm_statement_to_json_append(const dm_statement *st, const char *doc_id,
                                      const char *date, int flags, bool newline,
                                      char **buf, size_t *len, size_t *cap,
                                      dm_error *err);

/* The reverse: one statement as dm_statement_to_json writes it (a line of
 * demarche-score's output) into *out, zeroed first and released with
 * dm_statement_clear, and its document's id and date into *doc and *date
 * (malloc'ed, NULL when absent; free()). Scores are read when present:
 * "hostility" {"level" 0-4, "expected_level" 0-4} sets out->scored (either
 * one gives the other; files written before expected_level carry "score" =
 * expected level / 4, read as such); a target's "stance" ("against",
 * "neutral", "favor" or "favour"; "favor_minus_against" (or the older
 * "score") and "p" optional) sets that target's scored. DM_E_PARSE naming where:line for
 * broken JSON, a key given twice, not an object, a field of the wrong type
 * or a score off its scale (which would drag a mean off the axis). */
dm_status dm_statement_from_json(const char *json, size_t len, const char *where,
                                 long line, dm_statement *out, char **doc, char **date,
                                 dm_error *err);

DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
