/* Dates as news and speech data give them: YYYY, YYYY-MM, YYYY-MM-DD or an
 * ISO 8601 timestamp. The time of day is accepted and ignored: statements
 * are charted by day at the finest. */
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

dm_status dm_date_parse(const char *text, dm_date *out, dm_error *err)
{
    if (!text || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_date_parse: NULL argument");
    memset(out, 0, sizeof *out);
    const char *p = text;
    int y, m = 0, d = 0;
    if (!digits(&p, 4, &y) || y < 1)
        goto bad;
    if (*p == '-') {
        p++;
        if (!digits(&p, 2, &m) || m < 1 || m > 12)
            goto bad;
        if (*p == '-') {
            p++;
            if (!digits(&p, 2, &d) || d < 1 || d > days_in_month(y, m))
                goto bad;
            if ((*p == 'T' || *p == 't' || *p == ' ') && !time_part(p + 1))
                goto bad;
            else if (*p && *p != 'T' && *p != 't' && *p != ' ')
                goto bad;
        } else if (*p) {
            goto bad;
        }
    } else if (*p) {
        goto bad;
    }
    out->year = y;
    out->month = m;
    out->day = d;
    return DM_OK;
bad:
    return dm_error_set(err, DM_E_PARSE, NULL, 0,
                        "unparsable date \"%.40s\" (expected YYYY, YYYY-MM, YYYY-MM-DD "
                        "or an ISO 8601 timestamp)", text);
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
