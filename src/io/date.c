/* Dates as news, speech and event data give them: YYYY, YYYY-MM,
 * YYYY-MM-DD, an ISO 8601 timestamp, or GDELT's YYYYMMDD and
 * YYYYMMDDHHMMSS. The time of day is checked and ignored: statements are
 * charted by day at the finest. */
#include "demarche/io.h"
#include "io/date_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Read exactly `n` digits at *p into *value. */
static bool digits(const char **p, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return false;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *value = v;
    return true;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return days[month - 1];
}

/* hh:mm[:ss[.fff]][Z|+hh:mm|-hh:mm|+hhmm] */
static bool time_part(const char *p)
{
    int h, m, s;
    if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &m) || h > 23 || m > 59)
        return false;
    if (*p == ':') {
        p++;
        if (!digits(&p, 2, &s) || s > 60)
            return false;
        if (*p == '.' || *p == ',') {
            p++;
            if (!isdigit((unsigned char)*p))
                return false;
            while (isdigit((unsigned char)*p))
                p++;
        }
    }
    if (*p == 'Z' || *p == 'z')
        p++;
    else if (*p == '+' || *p == '-') {
        p++;
        int oh, om;
        if (!digits(&p, 2, &oh))
            return false;
        if (*p == ':')
            p++;
        if (*p && !digits(&p, 2, &om))
            return false;
    }
    return *p == '\0';
}

/* GDELT's compact forms: YYYYMMDD (SQLDATE) and YYYYMMDDHHMMSS
 * (DATEADDED); also ISO 8601's basic YYYYMMDDThhmm[ss][Z]. p is after the
 * 8 digits of the day. */
static bool compact_time(const char *p)
{
    int h, m, s = 0;
    if (*p == '\0')
        return true;
    bool t = *p == 'T' || *p == 't';
    if (t)
        p++;
    if (!digits(&p, 2, &h) || !digits(&p, 2, &m) || h > 23 || m > 59)
        return false;
    if (isdigit((unsigned char)*p) && (!digits(&p, 2, &s) || s > 60))
        return false;
    if (t && (*p == 'Z' || *p == 'z'))
        p++;
    return *p == '\0';
}

typedef enum dm_date_check {
    DM_DATE_OK,
    DM_DATE_BLANK,      /* empty or only white space: no date, not a bad one */
    DM_DATE_UNPARSABLE, /* none of the forms */
    DM_DATE_IMPOSSIBLE  /* a form, but no such month or day ("20241341"); why says which */
} dm_date_check;

/* dm_date_parse with the reason: on DM_DATE_IMPOSSIBLE, why (size bytes)
 * gets "no month 13" or "no day 31 in 2024-04". */
static dm_date_check date_read(const char *text, dm_date *out, char *why, size_t size)
{
    memset(out, 0, sizeof *out);
    if (why && size)
        why[0] = '\0';
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '\0')
        return DM_DATE_BLANK;
    p = text;
    int y, m = 0, d = 0;
    if (!digits(&p, 4, &y) || y < 1)
        return DM_DATE_UNPARSABLE;
    bool has_day = false;
    if (*p == '-') {
        p++;
        if (!digits(&p, 2, &m))
            return DM_DATE_UNPARSABLE;
        if (*p == '-') {
            p++;
            if (!digits(&p, 2, &d))
                return DM_DATE_UNPARSABLE;
            has_day = true;
            if ((*p == 'T' || *p == 't' || *p == ' ') ? !time_part(p + 1) : *p != '\0')
                return DM_DATE_UNPARSABLE;
        } else if (*p) {
            return DM_DATE_UNPARSABLE;
        }
    } else if (isdigit((unsigned char)*p)) {
        /* YYYYMMDD[...]: exactly 8 digits for the day (a bare YYYYMM is
         * not ISO 8601 and reads as a mistyped date) */
        if (!digits(&p, 2, &m) || !digits(&p, 2, &d) || !compact_time(p))
            return DM_DATE_UNPARSABLE;
        has_day = true;
    } else if (*p) {
        return DM_DATE_UNPARSABLE;
    }
    bool has_month = p > text + 4;
    if (has_month && (m < 1 || m > 12)) {
        if (why)
            snprintf(why, size, "no month %d", m);
        return DM_DATE_IMPOSSIBLE;
    }
    if (has_day && (d < 1 || d > days_in_month(y, m))) {
        if (why)
            snprintf(why, size, "no day %d in %04d-%02d", d, y, m);
        return DM_DATE_IMPOSSIBLE;
    }
    out->year = y;
    out->month = m;
    out->day = d;
    return DM_DATE_OK;
}

bool dm_date_given(const char *text)
{
    if (!text)
        return false;
    while (isspace((unsigned char)*text))
        text++;
    return *text != '\0';
}

dm_status dm_date_parse(const char *text, dm_date *out, dm_error *err)
{
    if (!text || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_date_parse: NULL argument");
    char why[64];
    switch (date_read(text, out, why, sizeof why)) {
    case DM_DATE_OK:
        return DM_OK;
    case DM_DATE_IMPOSSIBLE:
        return dm_error_set(err, DM_E_PARSE, NULL, 0, "impossible date \"%.40s\" (%s)", text,
                            why);
    case DM_DATE_BLANK:
        return dm_error_set(err, DM_E_PARSE, NULL, 0, "empty date \"%.40s\"", text);
    case DM_DATE_UNPARSABLE:
        break;
    }
    return dm_error_set(err, DM_E_PARSE, NULL, 0,
                        "unparsable date \"%.40s\" (expected " DM_DATE_FORMATS ")", text);
}

const char *dm_date_format(const dm_date *date, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (!date || date->year <= 0)
        buf[0] = '\0';
    else if (date->month == 0)
        snprintf(buf, size, "%04d", date->year);
    else if (date->day == 0)
        snprintf(buf, size, "%04d-%02d", date->year, date->month);
    else
        snprintf(buf, size, "%04d-%02d-%02d", date->year, date->month, date->day);
    return buf;
}
