/* Periods: which year, quarter, month, ISO week or day a date falls in. */
#include "chart_internal.h"

#include <stdio.h>
#include <string.h>
#include <unicode/ucal.h>

long dm_chart_days_from_civil(int y, int m, int d)
{
    /* H. Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ISO 8601 week through ICU: weeks start on Monday and week 1 holds the
 * year's first Thursday (minimal days 4). */
static bool iso_week(dm_chart *chart, const dm_date *date, int *week_year, int *week)
{
    UErrorCode status = U_ZERO_ERROR;
    if (!chart->calendar) {
        UCalendar *cal = ucal_open(NULL, 0, "en_GB@calendar=gregorian", UCAL_GREGORIAN, &status);
        if (U_FAILURE(status))
            return false;
        ucal_setAttribute(cal, UCAL_FIRST_DAY_OF_WEEK, UCAL_MONDAY);
        ucal_setAttribute(cal, UCAL_MINIMAL_DAYS_IN_FIRST_WEEK, 4);
        /* Gregorian rules for all dates, as ISO 8601 wants. */
        ucal_setGregorianChange(cal, -8.64e15, &status);
        status = U_ZERO_ERROR;
        chart->calendar = cal;
    }
    UCalendar *cal = chart->calendar;
    ucal_clear(cal);
    ucal_setDate(cal, date->year, date->month - 1, date->day, &status);
    *week_year = ucal_get(cal, UCAL_YEAR_WOY, &status);
    *week = ucal_get(cal, UCAL_WEEK_OF_YEAR, &status);
    return U_SUCCESS(status);
}

bool dm_chart_period_of(dm_chart *chart, const dm_date *date, int *ordinal, double *t0,
                        double *t1, char *label, size_t label_size)
{
    int y = date->year, m = date->month, d = date->day;
    switch (chart->opt.period) {
    case DM_PERIOD_YEAR:
        *ordinal = y;
        *t0 = (double)dm_chart_days_from_civil(y, 1, 1);
        *t1 = (double)dm_chart_days_from_civil(y + 1, 1, 1);
        snprintf(label, label_size, "%04d", y);
        return true;
    case DM_PERIOD_QUARTER: {
        if (m == 0)
            return false;
        int q = (m - 1) / 3;
        *ordinal = y * 4 + q;
        *t0 = (double)dm_chart_days_from_civil(y, q * 3 + 1, 1);
        *t1 = q == 3 ? (double)dm_chart_days_from_civil(y + 1, 1, 1)
                     : (double)dm_chart_days_from_civil(y, q * 3 + 4, 1);
        snprintf(label, label_size, "%04d-Q%d", y, q + 1);
        return true;
    }
    case DM_PERIOD_MONTH:
        if (m == 0)
            return false;
        *ordinal = y * 12 + (m - 1);
        *t0 = (double)dm_chart_days_from_civil(y, m, 1);
        *t1 = m == 12 ? (double)dm_chart_days_from_civil(y + 1, 1, 1)
                      : (double)dm_chart_days_from_civil(y, m + 1, 1);
        snprintf(label, label_size, "%04d-%02d", y, m);
        return true;
    case DM_PERIOD_WEEK: {
        if (d == 0)
            return false;
        int wy, w;
        if (!iso_week(chart, date, &wy, &w))
            return false;
        long days = dm_chart_days_from_civil(y, m, d);
        /* 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7. */
        long weekday = ((days + 3) % 7 + 7) % 7;
        long monday = days - weekday;
        *ordinal = (int)((monday + 3) / 7);
        *t0 = (double)monday;
        *t1 = (double)(monday + 7);
        snprintf(label, label_size, "%04d-W%02d", wy, w);
        return true;
    }
    case DM_PERIOD_DAY:
        if (d == 0)
            return false;
        *ordinal = (int)dm_chart_days_from_civil(y, m, d);
        *t0 = (double)*ordinal;
        *t1 = *t0 + 1;
        snprintf(label, label_size, "%04d-%02d-%02d", y, m, d);
        return true;
    }
    return false;
}

bool dm_chart_period_at(dm_chart *chart, int ordinal, double *t0, double *t1, char *label,
                        size_t label_size)
{
    /* A date inside the period, then dm_chart_period_of, so that the bounds
     * and the label are the ones a statement of that period gets. Floor
     * division: ordinals of years before 0 are negative. */
    dm_date date = {0, 1, 1};
    int ignored;
    switch (chart->opt.period) {
    case DM_PERIOD_YEAR:
        date.year = ordinal;
        break;
    case DM_PERIOD_QUARTER:
        date.year = (ordinal >= 0 ? ordinal : ordinal - 3) / 4;
        date.month = (ordinal - date.year * 4) * 3 + 1;
        break;
    case DM_PERIOD_MONTH:
        date.year = (ordinal >= 0 ? ordinal : ordinal - 11) / 12;
        date.month = ordinal - date.year * 12 + 1;
        break;
    case DM_PERIOD_WEEK: /* ordinal = (monday + 3) / 7: its Thursday is day 7 * ordinal */
        dm_chart_civil_from_days(7L * ordinal, &date.year, &date.month, &date.day);
        break;
    case DM_PERIOD_DAY:
        dm_chart_civil_from_days(ordinal, &date.year, &date.month, &date.day);
        break;
    }
    return dm_chart_period_of(chart, &date, &ignored, t0, t1, label, label_size);
}
