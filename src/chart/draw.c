/* Drawing a chart with cairo: PNG, SVG or PDF by the file's extension.
 * Every size is multiplied by `s`, the ratio to the 1200x600 design, so the
 * chart reads the same at twice the size. */
#include "chart_internal.h"
#include "demarche/output.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FONT "DejaVu Sans"

static const double palette[][3] = {
    {0.122, 0.467, 0.706}, {0.839, 0.153, 0.157}, {0.173, 0.627, 0.173},
    {0.580, 0.404, 0.741}, {1.000, 0.498, 0.055}, {0.549, 0.337, 0.294},
    {0.890, 0.467, 0.761}, {0.498, 0.498, 0.498}, {0.737, 0.741, 0.133},
    {0.090, 0.745, 0.812}};
#define N_PALETTE (sizeof palette / sizeof palette[0])

typedef struct frame {
    double left, right, top, bottom;  /* plot area in pixels */
    double t_min, t_max, y_min, y_max;
    double s;
} frame;

static double xpos(const frame *f, double t)
{
    return f->left + (t - f->t_min) / (f->t_max - f->t_min) * (f->right - f->left);
}

static double ypos(const frame *f, double y)
{
    return f->bottom - (y - f->y_min) / (f->y_max - f->y_min) * (f->bottom - f->top);
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void text_at(cairo_t *cr, double x, double y, const char *s, double align_x,
                    double align_y)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - e.width * align_x - e.x_bearing, y - e.height * align_y - e.y_bearing);
    cairo_show_text(cr, s);
}

static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Time ticks: the smallest calendar step that gives at most 12 ticks. */
static void draw_time_axis(cairo_t *cr, const frame *f)
{
    static const int year_steps[] = {1, 2, 5, 10, 20, 50, 100};
    static const int month_steps[] = {1, 2, 3, 6};
    static const int day_steps[] = {1, 2, 7, 14};
    double span = f->t_max - f->t_min;
    int y0, m0, d0;
    civil_from_days((long)floor(f->t_min), &y0, &m0, &d0);
    int kind = 0, step = 1; /* kind 0 years, 1 months, 2 days */
    if (span / 365.25 > 3) {
        for (size_t i = 0; i < sizeof year_steps / sizeof *year_steps; i++) {
            step = year_steps[i];
            if (span / 365.25 / step <= 12)
                break;
        }
    } else if (span / 30.4 > 3) {
        kind = 1;
        step = 6;
        for (size_t i = 0; i < sizeof month_steps / sizeof *month_steps; i++)
            if (span / 30.4 / month_steps[i] <= 12) {
                step = month_steps[i];
                break;
            }
    } else {
        kind = 2;
        step = 14;
        for (size_t i = 0; i < sizeof day_steps / sizeof *day_steps; i++)
            if (span / day_steps[i] <= 12) {
                step = day_steps[i];
                break;
            }
    }
    cairo_set_font_size(cr, 13 * f->s);
    char label[32];
    int y = kind == 0 ? (y0 / step) * step : y0, m = kind == 1 ? 1 : m0;
    long day = (long)ceil(f->t_min);
    for (int guard = 0; guard < 400; guard++) {
        double t;
        if (kind == 0) {
            t = (double)dm_chart_days_from_civil(y, 1, 1);
            snprintf(label, sizeof label, "%d", y);
            y += step;
        } else if (kind == 1) {
            t = (double)dm_chart_days_from_civil(y, m, 1);
            if (m == 1)
                snprintf(label, sizeof label, "%s %d", month_abbr[m - 1], y);
            else
                snprintf(label, sizeof label, "%s", month_abbr[m - 1]);
            m += step;
            while (m > 12) {
                m -= 12;
                y++;
            }
        } else {
            t = (double)day;
            int yy, mm, dd;
            civil_from_days(day, &yy, &mm, &dd);
            snprintf(label, sizeof label, "%d %s", dd, month_abbr[mm - 1]);
            day += step;
        }
        if (t > f->t_max)
            break;
        if (t < f->t_min)
            continue;
        double x = xpos(f, t);
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_set_line_width(cr, 1 * f->s);
        cairo_move_to(cr, x, f->top);
        cairo_line_to(cr, x, f->bottom);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        text_at(cr, x, f->bottom + 8 * f->s, label, 0.5, 0.0);
    }
}

static const char *hostility_words[] = {"cordial", "neutral", "critical", "condemnatory",
                                        "extreme"};

static void draw_value_axis(cairo_t *cr, const frame *f, dm_metric metric)
{
    cairo_set_font_size(cr, 13 * f->s);
    double step = (f->y_max - f->y_min) > 1.5 ? 0.5 : 0.25;
    for (double v = ceil(f->y_min / step) * step; v <= f->y_max + 1e-9; v += step) {
        double y = ypos(f, v);
        bool whole = fabs(v - round(v)) < 1e-9;
        cairo_set_source_rgb(cr, whole ? 0.80 : 0.92, whole ? 0.80 : 0.92, whole ? 0.80 : 0.92);
        cairo_set_line_width(cr, 1 * f->s);
        cairo_move_to(cr, f->left, y);
        cairo_line_to(cr, f->right, y);
        cairo_stroke(cr);
        char label[48];
        if (metric == DM_METRIC_HOSTILITY && whole && v >= 0 && v <= 4)
            snprintf(label, sizeof label, "%s %d", hostility_words[(int)round(v)], (int)round(v));
        else if (metric == DM_METRIC_STANCE && whole && fabs(v) < 1e-9)
            snprintf(label, sizeof label, "balanced 0");
        else if (metric == DM_METRIC_STANCE && whole && v > 0)
            snprintf(label, sizeof label, "all in favour +1");
        else if (metric == DM_METRIC_STANCE && whole && v < 0)
            snprintf(label, sizeof label, "all against -1");
        else
            snprintf(label, sizeof label, "%.2g", v);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        text_at(cr, f->left - 8 * f->s, y, label, 1.0, 0.5);
    }
}

/* Bands, lines and markers of one series. A period below min_n is a gap:
 * the line and the band break there. */
static void draw_series(cairo_t *cr, const frame *f, const dm_chart_series *sr,
                        const double rgb[3], long max_n)
{
    size_t i = 0;
    while (i < sr->n_points) {
        if (!sr->points[i].drawn) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < sr->n_points && sr->points[j].drawn &&
               sr->points[j].ordinal == sr->points[j - 1].ordinal + 1)
            j++;
        /* The run [i, j): one band and one line. */
        cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], 0.18);
        if (j - i == 1) {
            const dm_chart_point *p = &sr->points[i];
            double x = xpos(f, (p->t0 + p->t1) / 2);
            cairo_set_line_width(cr, 6 * f->s);
            cairo_move_to(cr, x, ypos(f, p->lower));
            cairo_line_to(cr, x, ypos(f, p->upper));
            cairo_stroke(cr);
        } else {
            for (size_t k = i; k < j; k++) {
                const dm_chart_point *p = &sr->points[k];
                double x = xpos(f, (p->t0 + p->t1) / 2), y = ypos(f, p->upper);
                if (k == i)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
            }
            for (size_t k = j; k-- > i;) {
                const dm_chart_point *p = &sr->points[k];
                cairo_line_to(cr, xpos(f, (p->t0 + p->t1) / 2), ypos(f, p->lower));
            }
            cairo_close_path(cr);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
            cairo_set_line_width(cr, 2.2 * f->s);
            for (size_t k = i; k < j; k++) {
                const dm_chart_point *p = &sr->points[k];
                double x = xpos(f, (p->t0 + p->t1) / 2), y = ypos(f, p->mean);
                if (k == i)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
            }
            cairo_stroke(cr);
        }
        i = j;
    }
    for (size_t k = 0; k < sr->n_points; k++) {
        const dm_chart_point *p = &sr->points[k];
        if (!p->drawn)
            continue;
        double r = f->s * (2.5 + 5.5 * sqrt((double)p->n / (double)(max_n ? max_n : 1)));
        cairo_arc(cr, xpos(f, (p->t0 + p->t1) / 2), ypos(f, p->mean), r, 0, 2 * M_PI);
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 1 * f->s);
        cairo_stroke(cr);
    }
}

static void draw_legend(cairo_t *cr, const frame *f, const dm_chart_series *series, size_t n)
{
    cairo_set_font_size(cr, 13 * f->s);
    double x = f->right + 16 * f->s, y = f->top + 4 * f->s;
    for (size_t i = 0; i < n; i++) {
        const double *rgb = palette[i % N_PALETTE];
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        cairo_rectangle(cr, x, y, 14 * f->s, 14 * f->s);
        cairo_fill(cr);
        char label[200];
        snprintf(label, sizeof label, "%s (n=%ld)", series[i].name, series[i].n);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_at(cr, x + 20 * f->s, y + 7 * f->s, label, 0.0, 0.5);
        y += 22 * f->s;
    }
    cairo_set_font_size(cr, 11 * f->s);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    text_at(cr, x, y + 8 * f->s, "bands: 95% t-interval", 0.0, 0.0);
    text_at(cr, x, y + 24 * f->s, "markers: sized by n", 0.0, 0.0);
}

static void render(cairo_t *cr, dm_chart *chart, const dm_chart_series *series, size_t n,
                   int width, int height, const char *title)
{
    const dm_chart_options *opt = dm_chart_get_options(chart);
    frame f;
    f.s = fmin(width / 1200.0, height / 600.0);
    f.left = 150 * f.s;
    f.right = width - 230 * f.s;
    f.top = 60 * f.s;
    f.bottom = height - 60 * f.s;
    f.t_min = INFINITY;
    f.t_max = -INFINITY;
    double lo = INFINITY, hi = -INFINITY;
    long max_n = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < series[i].n_points; k++) {
            const dm_chart_point *p = &series[i].points[k];
            if (!p->drawn)
                continue;
            f.t_min = fmin(f.t_min, p->t0);
            f.t_max = fmax(f.t_max, p->t1);
            lo = fmin(lo, p->lower);
            hi = fmax(hi, p->upper);
            if (p->n > max_n)
                max_n = p->n;
        }
    double full_lo = opt->metric == DM_METRIC_HOSTILITY ? 0 : -1;
    double full_hi = opt->metric == DM_METRIC_HOSTILITY ? 4 : 1;
    if (!isfinite(f.t_min)) { /* nothing to draw: an empty frame */
        f.t_min = 0;
        f.t_max = 365;
        lo = full_lo;
        hi = full_hi;
    }
    /* Zoom on the data, in half steps, never past the scale's ends. */
    f.y_min = fmax(full_lo, floor(lo * 2) / 2);
    f.y_max = fmin(full_hi, ceil(hi * 2) / 2);
    if (f.y_max - f.y_min < 1) {
        double mid = (f.y_max + f.y_min) / 2;
        f.y_min = fmax(full_lo, mid - 0.5);
        f.y_max = fmin(full_hi, f.y_min + 1);
    }
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    draw_time_axis(cr, &f);
    draw_value_axis(cr, &f, opt->metric);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 1.2 * f.s);
    cairo_rectangle(cr, f.left, f.top, f.right - f.left, f.bottom - f.top);
    cairo_stroke(cr);
    cairo_save(cr);
    cairo_rectangle(cr, f.left, f.top, f.right - f.left, f.bottom - f.top);
    cairo_clip(cr);
    for (size_t i = 0; i < n; i++)
        draw_series(cr, &f, &series[i], palette[i % N_PALETTE], max_n);
    cairo_restore(cr);
    draw_legend(cr, &f, series, n);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 20 * f.s);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, f.left, 30 * f.s, title, 0.0, 0.5);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 13 * f.s);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    char axis[96];
    snprintf(axis, sizeof axis, "%s by %s",
             opt->metric == DM_METRIC_HOSTILITY ? "mean hostility (0-4)"
                                                : "net stance (share in favour - share against)",
             dm_period_name(opt->period));
    cairo_save(cr);
    cairo_translate(cr, 18 * f.s, (f.top + f.bottom) / 2);
    cairo_rotate(cr, -M_PI / 2);
    text_at(cr, 0, 0, axis, 0.5, 0.5);
    cairo_restore(cr);
}

/* cairo's stream sink: the bytes go to the dm_output, which checks every
 * write (a full disk stops cairo at its next write). */
static cairo_status_t write_to_output(void *closure, const unsigned char *data,
                                      unsigned int length)
{
    return dm_output_write(closure, data, length, NULL) == DM_OK ? CAIRO_STATUS_SUCCESS
                                                                 : CAIRO_STATUS_WRITE_ERROR;
}

static const char *extension(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

dm_status dm_chart_draw(dm_chart *chart, const char *path, int width, int height,
                        const char *title, dm_error *err)
{
    if (!chart || !path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_chart_draw: NULL argument");
    if (width < 200 || height < 100 || width > 20000 || height > 20000)
        return dm_error_set(err, DM_E_INVALID_ARG, path, 0,
                            "chart size %dx%d out of range (200x100 to 20000x20000)", width, height);
    const char *ext = extension(path);
    int kind = strcasecmp(ext, "png") == 0 ? 0 : strcasecmp(ext, "svg") == 0 ? 1
             : strcasecmp(ext, "pdf") == 0 ? 2 : -1;
    if (kind < 0)
        return dm_error_set(err, DM_E_INVALID_ARG, path, 0,
                            "unknown chart format '.%s' (use .png, .svg or .pdf)", ext);
    size_t n;
    const dm_chart_series *series = dm_chart_series_list(chart, &n);
    dm_output *out = NULL;
    dm_status st = dm_output_open(path, &out, err);
    if (st != DM_OK)
        return st;
    cairo_surface_t *surface;
    if (kind == 0)
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    else if (kind == 1)
        surface = cairo_svg_surface_create_for_stream(write_to_output, out, width, height);
    else
        surface = cairo_pdf_surface_create_for_stream(write_to_output, out, width, height);
    cairo_t *cr = cairo_create(surface);
    render(cr, chart, series, n, width, height, title ? title : "");
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    if (cs == CAIRO_STATUS_SUCCESS && kind == 0)
        cs = cairo_surface_write_to_png_stream(surface, write_to_output, out);
    cairo_surface_finish(surface);
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (dm_output_check(out, err) != DM_OK) /* why a write failed: "cannot write: <errno>" */
        st = DM_E_IO;
    else if (cs != CAIRO_STATUS_SUCCESS)
        st = dm_error_set(err, DM_E_IO, path, 0, "cannot draw the chart: %s",
                          cairo_status_to_string(cs));
    if (st == DM_OK)
        return dm_output_commit(&out, err);
    dm_output_abort(&out);
    return st;
}
