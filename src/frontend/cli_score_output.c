/* JSON Lines or a readable table for demarche-score. */
#include "cli_score_output.h"

#include <stdint.h>
#include <stdlib.h>
#include <unicode/utf8.h>
#include <string.h>

void dm_score_printer_init(dm_score_printer *p, FILE *fp, bool table, bool scores,
                           bool context, bool explain)
{
    memset(p, 0, sizeof *p);
    p->fp = fp;
    p->table = table;
    p->scores = scores;
    p->context = context;
    p->explain = explain;
}

void dm_score_print_header(dm_score_printer *p)
{
    if (!p->table || p->header_done)
        return;
    p->header_done = true;
    FILE *fp = p->fp;
    dm_cli_print_cell(fp, "doc", 14);
    dm_cli_print_cell(fp, " #", 4);
    dm_cli_print_cell(fp, "speaker", 22);
    dm_cli_print_cell(fp, "actor", 7);
    dm_cli_print_cell(fp, "kind", 8);
    if (p->scores)
        dm_cli_print_cell(fp, "hostility", 10);
    dm_cli_print_cell(fp, "targets", p->scores ? 22 : 16);
    fputs("text\n", fp);
}

/* "RUS- UKR+ USA (GBR)=" : each target with its stance sign when scored;
 * the speaker's own actor ("self": true in JSON) in parentheses, as it is
 * no stance toward another. */
static void format_targets(const dm_statement *st, bool scores, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < st->n_targets && used + 1 < size; i++) {
        const dm_target *t = &st->targets[i];
        const char *sign = "";
        if (scores && t->scored)
            sign = t->stance == DM_STANCE_AGAINST ? "-" : t->stance == DM_STANCE_FAVOR ? "+" : "=";
        bool self = t->actor && st->speaker_actor && strcmp(t->actor, st->speaker_actor) == 0;
        int n = snprintf(buf + used, size - used, "%s%s%s%s%s", i ? " " : "", self ? "(" : "",
                         t->actor ? t->actor : "?", self ? ")" : "", sign);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

bool dm_score_print(dm_score_printer *p, const dm_statement *st, const char *doc_id,
                    const char *date, dm_error *err)
{
    if (!p->table) {
        char *json = NULL;
        int flags = (p->scores ? DM_JSON_SCORES : 0) | (p->context ? DM_JSON_CONTEXT : 0);
        if (p->to_buffer)
            return dm_statement_to_json_append(st, doc_id, date, flags, true, &p->buf, &p->len,
                                               &p->cap, err) == DM_OK;
        if (dm_statement_to_json(st, doc_id, date, flags, &json, err) != DM_OK)
            return false;
        fputs(json, p->fp);
        fputc('\n', p->fp);
        free(json);
        return true;
    }
    dm_score_print_header(p);
    p->rows++;
    FILE *fp = p->fp;
    char num[32], targets[256];
    dm_cli_print_cell(fp, doc_id, 14);
    snprintf(num, sizeof num, "%2d", st->n);
    dm_cli_print_cell(fp, num, 4);
    dm_cli_print_cell(fp, st->speaker ? st->speaker : "?", 22);
    dm_cli_print_cell(fp, st->speaker_actor ? st->speaker_actor : "-", 7);
    dm_cli_print_cell(fp, dm_statement_kind_name(st->kind), 8);
    if (p->scores) {
        if (st->scored)
            snprintf(num, sizeof num, "%d %.2f", st->hostility_level, st->hostility_expected);
        else
            snprintf(num, sizeof num, "-");
        dm_cli_print_cell(fp, num, 10);
    }
    format_targets(st, p->scores, targets, sizeof targets);
    dm_cli_print_cell(fp, targets[0] ? targets : "-", p->scores ? 22 : 16);
    dm_cli_print_cell(fp, st->text, -90);
    fputc('\n', fp);
    return true;
}

/* Code points in text[0, byte). A byte offset inside a character (never
 * made by the extractor) counts that character. */
static size_t chars_before(const char *text, size_t len, size_t byte)
{
    if (byte > len)
        byte = len;
    size_t n = 0;
    int32_t i = 0, end = (int32_t)byte;
    while (i < end) {
        UChar32 c;
        U8_NEXT(text, i, (int32_t)len, c);
        (void)c;
        n++;
    }
    return n;
}

bool dm_score_print_chars(dm_score_printer *p, const dm_statement *st, const char *doc_id,
                          const char *date, const char *text, size_t len, dm_error *err)
{
    dm_statement copy = *st;
    dm_target *targets = NULL;
    if (st->n_targets > 0) {
        targets = malloc(st->n_targets * sizeof *targets);
        if (!targets) {
            dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
            return false;
        }
        memcpy(targets, st->targets, st->n_targets * sizeof *targets);
        for (size_t i = 0; i < st->n_targets; i++)
            if (targets[i].has_span) {
                targets[i].start = chars_before(text, len, targets[i].start);
                targets[i].end = chars_before(text, len, targets[i].end);
            }
    }
    copy.targets = targets;
    copy.start = chars_before(text, len, st->start);
    copy.end = chars_before(text, len, st->end);
    bool ok = dm_score_print(p, &copy, doc_id, date, err);
    free(targets);
    return ok;
}

void dm_score_printer_finish(dm_score_printer *p)
{
    if (p->table && p->rows == 0)
        fputs("(no statements)\n", p->fp);
}
