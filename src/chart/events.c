/* Event markers: labelled dates drawn as vertical lines on every format. */
#include "chart_internal.h"
#include "datasets/datasets_internal.h" /* the strict CSV reader */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

dm_status dm_chart_add_event(dm_chart *c, const char *date, const char *label, dm_error *err)
{
    if (!c || !date || !label)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_chart_add_event: NULL argument");
    dm_date d;
    dm_error derr;
    if (dm_date_parse(date, &d, &derr) != DM_OK) {
        /* dm_date_parse's explanation, last in parentheses: "no month 13",
         * or the forms read ("expected YYYY, ..., GDELT's YYYYMMDD ...") */
        const char *why = NULL;
        for (const char *p = derr.message; (p = strstr(p, " (")) != NULL; p++)
            why = p + 2;
        size_t n = why ? strlen(why) : 0;
        if (n > 0 && why[n - 1] == ')')
            n--;
        return dm_error_set(err, DM_E_PARSE, NULL, 0, "event date '%s': %.*s", date, (int)n,
                            why ? why : "");
    }
    if (c->n_events == c->cap_events) {
        size_t cap = c->cap_events ? c->cap_events * 2 : 8;
        dm_chart_event *ne = realloc(c->events, cap * sizeof *ne);
        if (!ne)
            return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
        c->events = ne;
        c->cap_events = cap;
    }
    dm_chart_event e = {
        .t = (double)dm_chart_days_from_civil(d.year, d.month ? d.month : 1, d.day ? d.day : 1),
        .date = strdup(date), .label = strdup(label)};
    if (!e.date || !e.label) {
        free(e.date);
        free(e.label);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    /* Kept in date order; equal dates keep the order given. */
    size_t pos = c->n_events;
    while (pos > 0 && c->events[pos - 1].t > e.t)
        pos--;
    memmove(&c->events[pos + 1], &c->events[pos], (c->n_events - pos) * sizeof *c->events);
    c->events[pos] = e;
    c->n_events++;
    return DM_OK;
}

/* A bad line (a date that does not parse, not two fields) is an error of
 * that line only: it is logged and the next lines are read, so one typo
 * does not cost the events after it. What stops the file: it cannot be
 * read, a quote is never closed, memory runs out. */
static void bad_line(const char *path, long line, const char *msg, const dm_logger *logger,
                     long *n_bad, dm_error *first)
{
    if (logger && logger->fn)
        logger->fn(logger->user, DM_LOG_ERROR, path, line, msg);
    if ((*n_bad)++ == 0)
        dm_error_set(first, DM_E_PARSE, path, line, "%s", msg);
}

dm_status dm_chart_load_events_with_logger(dm_chart *c, const char *path,
                                           const dm_logger *logger, dm_error *err)
{
    if (!c || !path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_chart_load_events: NULL argument");
    dm_csv_reader *r = NULL;
    dm_status st = dm_csv_reader_create(path, &r, err);
    if (st != DM_OK)
        return st;
    dm_csv_reader_set_max_field(r, 4096);
    char **f = NULL;
    size_t nf = 0;
    long line = 0, n_bad = 0;
    bool first = true;
    dm_error first_bad;
    dm_error_clear(&first_bad);
    for (;;) {
        st = dm_csv_read_record(r, &f, &nf, &line, err);
        if (st == DM_END_OF_INPUT) {
            st = DM_OK;
            break;
        }
        if (st != DM_OK)
            break;
        if (nf == 1 && f[0][0] == '\0')
            continue; /* a blank line */
        if (first && nf >= 1 && strcasecmp(f[0], "date") == 0) {
            first = false;
            continue; /* the header */
        }
        first = false;
        if (nf != 2) {
            char msg[160];
            snprintf(msg, sizeof msg, "an event is date,label (2 fields, quote a label "
                                      "holding a comma), not %zu fields", nf);
            bad_line(path, line, msg, logger, &n_bad, &first_bad);
            continue;
        }
        dm_error e;
        st = dm_chart_add_event(c, f[0], f[1], &e);
        if (st == DM_E_PARSE) {
            bad_line(path, line, e.message, logger, &n_bad, &first_bad);
            st = DM_OK;
            continue;
        }
        if (st != DM_OK) {
            if (err)
                *err = e;
            break;
        }
    }
    dm_csv_fields_free(f, nf);
    dm_csv_reader_destroy(&r);
    if (st == DM_OK && n_bad > 0) {
        if (n_bad > 1)
            snprintf(first_bad.message + strlen(first_bad.message),
                     sizeof first_bad.message - strlen(first_bad.message),
                     " (and %ld more bad lines)", n_bad - 1);
        if (err)
            *err = first_bad;
        st = DM_E_PARSE;
    }
    return st;
}

dm_status dm_chart_load_events(dm_chart *c, const char *path, dm_error *err)
{
    return dm_chart_load_events_with_logger(c, path, NULL, err);
}

const dm_chart_event *dm_chart_events(dm_chart *c, size_t *n)
{
    if (n)
        *n = c ? c->n_events : 0;
    return c ? c->events : NULL;
}
