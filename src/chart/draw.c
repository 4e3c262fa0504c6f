/* Drawing a chart with cairo: PNG, SVG or PDF by the file's extension (HTML
 * is html.c). Every size is multiplied by `s`, the ratio to the 1200x600
 * design, so the chart reads the same at twice the size. */
#include "chart_internal.h"
#include "demarche/output.h"
#include "core/output_internal.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FONT "DejaVu Sans"

typedef struct frame {
    double left, right, top, bottom;  /* plot area in pixels */
    chart_range r;
    double s;
} frame;

static double xpos(const frame *f, double t)
{
    return f->left + (t - f->r.t_min) / (f->r.t_max - f->r.t_min) * (f->right - f->left);
}

static double ypos(const frame *f, double y)
{
    return f->bottom - (y - f->r.y_min) / (f->r.y_max - f->r.y_min) * (f->bottom - f->top);
}

static void text_at(cairo_t *cr, double x, double y, const char *s, double align_x,
                    double align_y)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - e.width * align_x - e.x_bearing, y - e.height * align_y - e.y_bearing);
    cairo_show_text(cr, s);
}

static void draw_time_axis(cairo_t *cr, const frame *f)
{
    chart_tick ticks[CHART_MAX_TICKS];
    size_t n = dm_chart_time_ticks(f->r.t_min, f->r.t_max, 12, ticks);
    cairo_set_font_size(cr, 13 * f->s);
    for (size_t i = 0; i < n; i++) {
        double x = xpos(f, ticks[i].v);
        cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
        cairo_set_line_width(cr, 1 * f->s);
        cairo_move_to(cr, x, f->top);
        cairo_line_to(cr, x, f->bottom);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        text_at(cr, x, f->bottom + 8 * f->s, ticks[i].label, 0.5, 0.0);
    }
}

static void draw_value_axis(cairo_t *cr, const frame *f, dm_metric metric)
{
    chart_tick ticks[CHART_MAX_TICKS];
    size_t n = dm_chart_value_ticks(f->r.y_min, f->r.y_max, metric, ticks);
    cairo_set_font_size(cr, 13 * f->s);
    for (size_t i = 0; i < n; i++) {
        double y = ypos(f, ticks[i].v), g = ticks[i].major ? 0.80 : 0.92;
        cairo_set_source_rgb(cr, g, g, g);
        cairo_set_line_width(cr, 1 * f->s);
        cairo_move_to(cr, f->left, y);
        cairo_line_to(cr, f->right, y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        text_at(cr, f->left - 8 * f->s, y, ticks[i].label, 1.0, 0.5);
    }
}

/* Events: a dashed vertical line (under the series) and its label written
 * down along it (over them); labels of close events are stacked down their
 * lines (dm_chart_event_offsets) rather than drawn over each other. */
static void draw_events(cairo_t *cr, const frame *f, const dm_chart_event *ev, size_t n,
                        bool labels)
{
    cairo_set_font_size(cr, 11 * f->s);
    double *x = malloc(3 * (n ? n : 1) * sizeof *x), *len = x + n, *y = len + n;
    size_t k = 0;
    for (size_t i = 0; x && i < n; i++) {
        if (ev[i].t < f->r.t_min || ev[i].t > f->r.t_max)
            continue;
        cairo_text_extents_t e;
        cairo_text_extents(cr, ev[i].label, &e);
        x[k] = xpos(f, ev[i].t);
        len[k++] = e.x_advance;
    }
    if (x)
        dm_chart_event_offsets(x, len, k, 14 * f->s, 8 * f->s, y);
    k = 0;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].t < f->r.t_min || ev[i].t > f->r.t_max)
            continue;
        double at = x ? y[k] : 0, dash[] = {4 * f->s, 3 * f->s};
        double xi = xpos(f, ev[i].t);
        k++;
        if (!labels) {
            cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
            cairo_set_line_width(cr, 1.2 * f->s);
            cairo_set_dash(cr, dash, 2, 0);
            cairo_move_to(cr, xi, f->top);
            cairo_line_to(cr, xi, f->bottom);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
            continue;
        }
        cairo_save(cr);
        cairo_translate(cr, xi + 3 * f->s, f->top + 6 * f->s + at);
        cairo_rotate(cr, M_PI / 2);
        /* A white halo under the label keeps it readable over the lines. */
        cairo_text_extents_t e;
        cairo_text_extents(cr, ev[i].label, &e);
        cairo_move_to(cr, -e.x_bearing, -e.height - e.y_bearing);
        cairo_text_path(cr, ev[i].label);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_set_line_width(cr, 3 * f->s);
        cairo_stroke_preserve(cr);
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        cairo_fill(cr);
        cairo_restore(cr);
    }
    free(x);
}

/* A marker of series i: circle, square, triangle or diamond, so that
 * series that overlap stay apart. */
static void marker_path(cairo_t *cr, size_t i, double x, double y, double r)
{
    switch (i % 4) {
    case 0: cairo_arc(cr, x, y, r, 0, 2 * M_PI); break;
    case 1: cairo_rectangle(cr, x - r * 0.89, y - r * 0.89, r * 1.78, r * 1.78); break;
    case 2:
        cairo_move_to(cr, x, y - r * 1.2);
        cairo_line_to(cr, x + r * 1.05, y + r * 0.7);
        cairo_line_to(cr, x - r * 1.05, y + r * 0.7);
        cairo_close_path(cr);
        break;
    default:
        cairo_move_to(cr, x, y - r * 1.25);
        cairo_line_to(cr, x + r * 1.25, y);
        cairo_line_to(cr, x, y + r * 1.25);
        cairo_line_to(cr, x - r * 1.25, y);
        cairo_close_path(cr);
    }
}

/* Series i's line style: solid, dashed, dotted, dash-dot. */
static void set_line_style(cairo_t *cr, size_t i, double s)
{
    static const double patterns[4][4] = {{0}, {9, 4}, {2, 3}, {9, 3, 2, 3}};
    static const int counts[4] = {0, 2, 2, 4};
    double d[4];
    for (int k = 0; k < counts[i % 4]; k++)
        d[k] = patterns[i % 4][k] * s;
    cairo_set_dash(cr, d, counts[i % 4], 0);
}

/* Bands, lines and markers of series i. A period below min_n is a gap: the
 * line and the band break there. With smoothing the line and band are the
 * rolling mean's and the raw means are faint markers. */
static void draw_series(cairo_t *cr, const frame *f, const dm_chart_series *sr, size_t si,
                        bool smooth)
{
    const double *rgb = dm_chart_colour(si);
    size_t i = 0, j;
    while (dm_chart_next_run(sr, smooth, &i, &j)) {
        /* The run [i, j): one band and one line. */
        cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], 0.15);
        if (j - i == 1) {
            const dm_chart_point *p = &sr->points[i];
            double x = xpos(f, (p->t0 + p->t1) / 2);
            cairo_set_line_width(cr, 6 * f->s);
            cairo_move_to(cr, x, ypos(f, dm_chart_point_value(p, smooth, -1)));
            cairo_line_to(cr, x, ypos(f, dm_chart_point_value(p, smooth, 1)));
            cairo_stroke(cr);
        } else {
            for (size_t k = i; k < j; k++) {
                const dm_chart_point *p = &sr->points[k];
                double x = xpos(f, (p->t0 + p->t1) / 2);
                double y = ypos(f, dm_chart_point_value(p, smooth, 1));
                if (k == i)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
            }
            for (size_t k = j; k-- > i;) {
                const dm_chart_point *p = &sr->points[k];
                cairo_line_to(cr, xpos(f, (p->t0 + p->t1) / 2),
                              ypos(f, dm_chart_point_value(p, smooth, -1)));
            }
            cairo_close_path(cr);
            cairo_fill(cr);
            cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], 0.9);
            cairo_set_line_width(cr, 2.2 * f->s);
            set_line_style(cr, si, f->s);
            for (size_t k = i; k < j; k++) {
                const dm_chart_point *p = &sr->points[k];
                double x = xpos(f, (p->t0 + p->t1) / 2);
                double y = ypos(f, dm_chart_point_value(p, smooth, 0));
                if (k == i)
                    cairo_move_to(cr, x, y);
                else
                    cairo_line_to(cr, x, y);
            }
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
        i = j;
    }
    for (size_t k = 0; k < sr->n_points; k++) {
        const dm_chart_point *p = &sr->points[k];
        if (!dm_chart_has_marker(p, smooth))
            continue;
        double r = f->s * dm_chart_marker_radius(p->n, f->r.max_n);
        marker_path(cr, si, xpos(f, (p->t0 + p->t1) / 2), ypos(f, p->mean), r);
        cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], smooth ? 0.35 : 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgba(cr, 1, 1, 1, smooth ? 0.5 : 1);
        cairo_set_line_width(cr, 1 * f->s);
        cairo_stroke(cr);
    }
}

static void draw_legend(cairo_t *cr, const frame *f, const dm_chart_series *series, size_t n,
                        const dm_chart_options *opt)
{
    cairo_set_font_size(cr, 13 * f->s);
    double x = f->right + 16 * f->s, y = f->top + 4 * f->s;
    /* As many rows as fit above the notes on marker sizes and bands (the
     * canvas ends 60 px below the plot); the rest are named by count, the
     * CSV and the summary keep them all. */
    double notes = (opt->smooth > 1 ? 130 : 114) * f->s;
    double room = (f->bottom + 52 * f->s - notes - y) / (22 * f->s);
    size_t rows = room < 1 ? 1 : (size_t)room;
    size_t shown = n <= rows ? n : rows - 1;
    for (size_t i = 0; i < shown; i++) {
        const double *rgb = dm_chart_colour(i);
        cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
        set_line_style(cr, i, f->s);
        cairo_set_line_width(cr, 2.2 * f->s);
        cairo_move_to(cr, x - 4 * f->s, y + 7 * f->s);
        cairo_line_to(cr, x + 18 * f->s, y + 7 * f->s);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        marker_path(cr, i, x + 7 * f->s, y + 7 * f->s, 4.5 * f->s);
        cairo_fill(cr);
        char label[200];
        snprintf(label, sizeof label, "%s (n=%ld)", series[i].name, series[i].n);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_at(cr, x + 24 * f->s, y + 7 * f->s, label, 0.0, 0.5);
        y += 22 * f->s;
    }
    if (shown < n) {
        char more[64];
        snprintf(more, sizeof more, "+ %zu more series (in the CSV)", n - shown);
        cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
        text_at(cr, x, y + 7 * f->s, more, 0.0, 0.5);
        y += 22 * f->s;
    }
    /* What a marker's size means: circles of the legend's n. */
    cairo_set_font_size(cr, 11 * f->s);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    y += 8 * f->s;
    char line[96];
    snprintf(line, sizeof line, "marker area: statements (n)");
    text_at(cr, x, y, line, 0.0, 0.0);
    y += 18 * f->s;
    long sizes[3];
    size_t ns = dm_chart_size_legend(f->r.min_n, f->r.max_n, sizes);
    double cx = x + 8 * f->s;
    for (size_t k = 0; k < ns; k++) {
        double r = f->s * dm_chart_marker_radius(sizes[k], f->r.max_n);
        cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
        cairo_arc(cr, cx + r, y + 9 * f->s, r, 0, 2 * M_PI);
        cairo_fill(cr);
        snprintf(line, sizeof line, "%ld", sizes[k]);
        cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
        text_at(cr, cx + 2 * r + 3 * f->s, y + 9 * f->s, line, 0.0, 0.5);
        cairo_text_extents_t e;
        cairo_text_extents(cr, line, &e);
        cx += 2 * r + e.x_advance + 12 * f->s;
    }
    y += 28 * f->s;
    /* --min-n 1 leaves no period out: "n < 1" would name an empty set. */
    if (opt->min_n > 1)
        snprintf(line, sizeof line, "n < %d: not drawn (a gap)", opt->min_n);
    else
        snprintf(line, sizeof line, "every period with a statement drawn");
    text_at(cr, x, y, line, 0.0, 0.0);
    y += 16 * f->s;
    text_at(cr, x, y, opt->smooth > 1 ? "bands: 95% t-interval of" : "bands: 95% t-interval",
            0.0, 0.0);
    if (opt->smooth > 1) {
        y += 16 * f->s;
        snprintf(line, sizeof line, "the %d-%s window; faint: raw", opt->smooth,
                 dm_period_name(opt->period));
        text_at(cr, x, y, line, 0.0, 0.0);
    }
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
    dm_chart_range(chart, series, n, &f.r);
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
    size_t ne;
    const dm_chart_event *ev = dm_chart_events(chart, &ne);
    draw_events(cr, &f, ev, ne, false);
    for (size_t i = 0; i < n; i++)
        draw_series(cr, &f, &series[i], i, opt->smooth > 1);
    draw_events(cr, &f, ev, ne, true);
    cairo_restore(cr);
    draw_legend(cr, &f, series, n, opt);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 20 * f.s);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, f.left, 30 * f.s, title, 0.0, 0.5);
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 13 * f.s);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    char axis[128];
    dm_chart_axis_title(opt, axis, sizeof axis);
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
             : strcasecmp(ext, "pdf") == 0 ? 2 : strcasecmp(ext, "html") == 0 ? 3 : -1;
    if (kind < 0)
        return dm_error_set(err, DM_E_INVALID_ARG, path, 0,
                            "unknown chart format '.%s' (use .png, .svg, .pdf or .html)", ext);
    size_t n;
    const dm_chart_series *series = dm_chart_series_list(chart, &n);
    if (!series)
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    dm_output *out = NULL;
    dm_status st = dm_output_open(path, &out, err);
    if (st != DM_OK)
        return st;
    if (kind == 3) {
        st = dm_chart_write_html_internal(chart, series, n, out, title ? title : "", err);
        if (dm_output_check(out, err) != DM_OK)
            st = DM_E_IO;
        if (st == DM_OK)
            return dm_output_commit(&out, err);
        dm_output_abort(&out);
        return st;
    }
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
