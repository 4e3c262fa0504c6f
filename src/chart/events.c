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
    if (dm_date_parse(date, &d, NULL) != DM_OK)
        return dm_error_set(err, DM_E_PARSE, NULL, 0,
                            "event date '%s' is not YYYY[-MM[-DD]]", date);
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

dm_status dm_chart_load_events(dm_chart *c, const char *path, dm_error *err)
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
    long line = 0;
    bool first = true;
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
            st = dm_error_set(err, DM_E_PARSE, path, line,
                              "an event is date,label (2 fields, quote a label holding a "
                              "comma), not %zu fields", nf);
            break;
        }
        st = dm_chart_add_event(c, f[0], f[1], err);
        if (st != DM_OK) {
            if (st == DM_E_PARSE) { /* name the place */
                char msg[DM_ERROR_MESSAGE_MAX];
                snprintf(msg, sizeof msg, "%s", err ? err->message : "");
                dm_error_set(err, st, path, line, "%s", msg);
            }
            break;
        }
    }
    dm_csv_fields_free(f, nf);
    dm_csv_reader_destroy(&r);
    return st;
}

const dm_chart_event *dm_chart_events(dm_chart *c, size_t *n)
{
    if (n)
        *n = c ? c->n_events : 0;
    return c ? c->events : NULL;
}
