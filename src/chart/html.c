/*
 * The chart as one self-contained HTML page: inline SVG drawn here (the
 * same ranges, ticks and marker sizes as the cairo drawing), inline CSS and
 * a short inline script; nothing is fetched when it is viewed.
 *
 * Two SVG designs of the same plot: a wide one (1200 x 560 design units)
 * and a narrow one for phones (600 x 520, larger type, fewer ticks); CSS
 * shows one by the window's width. The legend, the marker-size key and the
 * statements behind a point are HTML around the SVG, so they wrap.
 *
 * Statements travel as JSON in <script type="application/json"> with '<',
 * '>' and '&' written as \u003c, \u003e, \u0026 (so "</script>" in a
 * statement cannot close the element), and the script puts them on the
 * page with textContent only (never innerHTML): a statement holding
 * markup shows as the text it is. Everything else written into markup
 * (title, series names, event labels) goes through html_escape.
 */
#include "chart_internal.h"
#include "demarche/output.h"
#include "core/output_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing buffer; `failed` sticks after the first allocation failure. */
typedef struct sbuf {
    char *s;
    size_t len, cap;
    bool failed;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->failed = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        sb_put(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_put(b, big, (size_t)n);
    free(big);
}

/* Text into HTML or SVG markup, as character data or a quoted attribute. */
static void html_escape(sbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': sb_str(b, "&amp;"); break;
        case '<': sb_str(b, "&lt;"); break;
        case '>': sb_str(b, "&gt;"); break;
        case '"': sb_str(b, "&quot;"); break;
        case '\'': sb_str(b, "&#39;"); break;
        default: sb_put(b, s, 1);
        }
    }
}

static void colour_hex(size_t i, char out[8])
{
    const double *c = dm_chart_colour(i);
    snprintf(out, 8, "#%02x%02x%02x", (int)lround(c[0] * 255), (int)lround(c[1] * 255),
             (int)lround(c[2] * 255));
}

/* ---- The SVG ------------------------------------------------------------ */

typedef struct design {
    const char *cls;         /* "wide" or "narrow" */
    double w, h, left, right, top, bottom, font;
    int max_time_ticks;
    bool words;              /* value labels with the scale's words */
} design;

typedef struct plot {
    const design *d;
    chart_range r;
} plot;

static double px(const plot *p, double t)
{
    return p->d->left + (t - p->r.t_min) / (p->r.t_max - p->r.t_min) * (p->d->right - p->d->left);
}

static double py(const plot *p, double y)
{
    double v = fmin(fmax(y, p->r.y_min), p->r.y_max); /* bands clipped to the plot */
    return p->d->bottom - (v - p->r.y_min) / (p->r.y_max - p->r.y_min) * (p->d->bottom - p->d->top);
}

static const char *const dash_patterns[4] = {"", "9 4", "2 3", "9 3 2 3"};

static void marker(sbuf *b, size_t si, size_t k, double x, double y, double r,
                   const dm_chart_point *pt, const char *series_name, bool faint)
{
    switch (si % 4) {
    case 0: sb_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", x, y, r); break;
    case 1:
        sb_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", x - r * 0.89,
                  y - r * 0.89, r * 1.78, r * 1.78);
        break;
    case 2:
        sb_printf(b, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"", x, y - r * 1.2, x + r * 1.05,
                  y + r * 0.7, x - r * 1.05, y + r * 0.7);
        break;
    default:
        sb_printf(b, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"", x, y - r * 1.25,
                  x + r * 1.25, y, x, y + r * 1.25, x - r * 1.25, y);
    }
    sb_printf(b, " class=\"pt%s\" data-s=\"%zu\" data-p=\"%zu\" tabindex=\"0\" role=\"button\">"
                 "<title>", faint ? " faint" : "", si, k);
    html_escape(b, series_name);
    /* One statement has no interval (as the panel and the CSV say), not
     * "3.00 to 3.00", which reads as certainty. */
    if (pt->n > 1)
        sb_printf(b, " %s: mean %.2f, 95%% %.2f to %.2f, n = %ld", pt->label, pt->mean, pt->lower,
                  pt->upper, pt->n);
    else
        sb_printf(b, " %s: mean %.2f, no interval, n = %ld", pt->label, pt->mean, pt->n);
    sb_printf(b, "</title></%s>", si % 4 == 0 ? "circle" : si % 4 == 1 ? "rect" : "path");
}

static void svg_series(sbuf *b, const plot *p, const dm_chart_series *sr, size_t si, bool smooth)
{
    char col[8];
    colour_hex(si, col);
    sb_printf(b, "<g class=\"series\" data-s=\"%zu\" fill=\"%s\" stroke=\"%s\">", si, col, col);
    size_t i = 0, j;
    while (dm_chart_next_run(sr, smooth, &i, &j)) {
        if (j - i == 1) {
            const dm_chart_point *q = &sr->points[i];
            double x = px(p, (q->t0 + q->t1) / 2);
            sb_printf(b, "<path class=\"band\" d=\"M%.1f %.1fV%.1f\" stroke-width=\"6\"/>", x,
                      py(p, dm_chart_point_value(q, smooth, -1)),
                      py(p, dm_chart_point_value(q, smooth, 1)));
        } else {
            sb_str(b, "<path class=\"band\" stroke=\"none\" d=\"");
            for (size_t k = i; k < j; k++) {
                const dm_chart_point *q = &sr->points[k];
                sb_printf(b, "%s%.1f %.1f", k == i ? "M" : "L", px(p, (q->t0 + q->t1) / 2),
                          py(p, dm_chart_point_value(q, smooth, 1)));
            }
            for (size_t k = j; k-- > i;) {
                const dm_chart_point *q = &sr->points[k];
                sb_printf(b, "L%.1f %.1f", px(p, (q->t0 + q->t1) / 2),
                          py(p, dm_chart_point_value(q, smooth, -1)));
            }
            sb_printf(b, "Z\"/><path class=\"line\" fill=\"none\" stroke-dasharray=\"%s\" d=\"",
                      dash_patterns[si % 4]);
            for (size_t k = i; k < j; k++) {
                const dm_chart_point *q = &sr->points[k];
                sb_printf(b, "%s%.1f %.1f", k == i ? "M" : "L", px(p, (q->t0 + q->t1) / 2),
                          py(p, dm_chart_point_value(q, smooth, 0)));
            }
            sb_str(b, "\"/>");
        }
        i = j;
    }
    for (size_t k = 0; k < sr->n_points; k++) {
        const dm_chart_point *q = &sr->points[k];
        if (!dm_chart_has_marker(q, smooth))
            continue;
        marker(b, si, k, px(p, (q->t0 + q->t1) / 2), py(p, q->mean),
               dm_chart_marker_radius(q->n, p->r.max_n), q, sr->name, smooth);
    }
    sb_str(b, "</g>");
}

static void svg_plot(sbuf *b, dm_chart *chart, const dm_chart_series *series, size_t n,
                     const design *d)
{
    const dm_chart_options *opt = dm_chart_get_options(chart);
    plot p = {.d = d};
    dm_chart_range(chart, series, n, &p.r);
    sb_printf(b, "<div class=\"plot %s\"><svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                 "font-size=\"%.0f\" aria-label=\"",
              d->cls, d->w, d->h, d->font);
    char axis[128];
    dm_chart_axis_title(opt, axis, sizeof axis);
    html_escape(b, axis);
    sb_str(b, "\">");
    chart_tick ticks[CHART_MAX_TICKS];
    size_t nt = dm_chart_time_ticks(p.r.t_min, p.r.t_max, d->max_time_ticks, ticks);
    sb_str(b, "<g class=\"grid\">");
    for (size_t i = 0; i < nt; i++) {
        double x = px(&p, ticks[i].v);
        sb_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                     "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                  x, x, d->top, d->bottom, x, d->bottom + d->font * 1.4);
        html_escape(b, ticks[i].label);
        sb_str(b, "</text>");
    }
    nt = dm_chart_value_ticks(p.r.y_min, p.r.y_max, opt->metric, ticks);
    for (size_t i = 0; i < nt; i++) {
        double y = py(&p, ticks[i].v);
        char num[16];
        snprintf(num, sizeof num, "%g", ticks[i].v);
        sb_printf(b, "<line class=\"%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                     "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                     "dominant-baseline=\"middle\">",
                  ticks[i].major ? "major" : "minor", d->left, d->right, y, y, d->left - 8, y);
        html_escape(b, d->words ? ticks[i].label : num);
        sb_str(b, "</text>");
    }
    sb_printf(b, "</g><rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
              d->left, d->top, d->right - d->left, d->bottom - d->top);
    size_t ne;
    const dm_chart_event *ev = dm_chart_events(chart, &ne);
    /* Event lines under the series, their labels over them; labels of
     * close events stacked down their lines. The page cannot measure text
     * here: 7 px per byte of UTF-8 is at least the width of a 0.8em label
     * (more for non-Latin scripts, which only adds room). */
    double *ex = malloc(3 * (ne ? ne : 1) * sizeof *ex), *elen = ex + ne, *ey = elen + ne;
    size_t k = 0;
    for (size_t i = 0; ex && i < ne; i++)
        if (!p.r.empty && ev[i].t >= p.r.t_min && ev[i].t <= p.r.t_max) {
            ex[k] = px(&p, ev[i].t);
            elen[k++] = 7.0 * (double)strlen(ev[i].label);
        }
    if (ex)
        dm_chart_event_offsets(ex, elen, k, 16, 10, ey);
    for (int labels = 0; labels < 2; labels++) {
        if (labels)
            for (size_t i = 0; i < n; i++)
                svg_series(b, &p, &series[i], i, opt->smooth > 1);
        sb_str(b, "<g class=\"events\">");
        k = 0;
        for (size_t i = 0; i < ne; i++) {
            if (p.r.empty || ev[i].t < p.r.t_min || ev[i].t > p.r.t_max)
                continue;
            double x = px(&p, ev[i].t), at = ex ? ey[k] : 0;
            k++;
            if (!labels) {
                sb_printf(b, "<line class=\"event\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                             "y2=\"%.1f\"/>", x, x, d->top, d->bottom);
                continue;
            }
            sb_printf(b, "<text class=\"event\" transform=\"translate(%.1f %.1f) rotate(90)\">",
                      x + 4, d->top + 6 + at);
            html_escape(b, ev[i].label);
            sb_str(b, "<title>");
            html_escape(b, ev[i].date);
            sb_str(b, ": ");
            html_escape(b, ev[i].label);
            sb_str(b, "</title></text>");
        }
        sb_str(b, "</g>");
    }
    free(ex);
    sb_str(b, "</svg></div>\n");
}

/* ---- The data: JSON the script reads ------------------------------------ */

static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    json_t *v = json_string(s);
    return v ? v : json_string("(not valid UTF-8)");
}

static json_t *jnum(double x)
{
    return isfinite(x) ? json_real(round(x * 1000) / 1000) : json_null();
}

static json_t *example_json(const dm_chart_example *e)
{
    static const char *const stances[] = {"against", "neutral", "favor"};
    json_t *o = json_object();
    json_object_set_new(o, "date", jstr(e->date));
    json_object_set_new(o, "speaker", jstr(e->speaker));
    json_object_set_new(o, "actor", jstr(e->speaker_actor));
    json_object_set_new(o, "target", jstr(e->target));
    json_object_set_new(o, "hostility", jnum(e->value * 4));
    if (e->stance >= 0 && e->stance < 3)
        json_object_set_new(o, "stance", json_string(stances[e->stance]));
    json_object_set_new(o, "text", jstr(e->text));
    json_object_set_new(o, "doc", jstr(e->doc));
    return o;
}

static json_t *data_json(dm_chart *chart, const dm_chart_series *series, size_t n)
{
    const dm_chart_options *opt = dm_chart_get_options(chart);
    json_t *root = json_object(), *arr = json_array();
    json_object_set_new(root, "metric",
                        json_string(opt->metric == DM_METRIC_HOSTILITY ? "hostility" : "stance"));
    json_object_set_new(root, "top", json_integer(opt->top));
    json_object_set_new(root, "smooth", json_integer(opt->smooth > 1 ? opt->smooth : 0));
    json_object_set_new(root, "period", json_string(dm_period_name(opt->period)));
    for (size_t i = 0; i < n; i++) {
        const dm_chart_series *s = &series[i];
        json_t *so = json_object(), *pts = json_array();
        char col[8];
        colour_hex(i, col);
        json_object_set_new(so, "name", jstr(s->name));
        json_object_set_new(so, "colour", json_string(col));
        json_object_set_new(so, "n", json_integer(s->n));
        for (size_t k = 0; k < s->n_points; k++) {
            const dm_chart_point *p = &s->points[k];
            json_t *po = json_object(), *st = json_array();
            json_object_set_new(po, "label", json_string(p->label));
            json_object_set_new(po, "n", json_integer(p->n));
            json_object_set_new(po, "mean", jnum(p->mean));
            json_object_set_new(po, "lower", jnum(p->lower));
            json_object_set_new(po, "upper", jnum(p->upper));
            if (opt->smooth > 1) {
                json_object_set_new(po, "smooth_n", json_integer(p->smooth_n));
                json_object_set_new(po, "smooth_mean", jnum(p->smooth_mean));
                json_object_set_new(po, "smooth_lower", jnum(p->smooth_lower));
                json_object_set_new(po, "smooth_upper", jnum(p->smooth_upper));
            }
            for (size_t e = 0; e < p->n_examples; e++)
                json_array_append_new(st, example_json(&p->examples[e]));
            json_object_set_new(po, "statements", st);
            json_object_set_new(po, "rest", json_integer(p->n - (long)p->n_examples));
            json_array_append_new(pts, po);
        }
        json_object_set_new(so, "points", pts);
        json_array_append_new(arr, so);
    }
    json_object_set_new(root, "series", arr);
    return root;
}

/* JSON inside <script>: '<', '>' and '&' only occur in strings, where
 * \u escapes mean the same characters to JSON.parse and nothing to HTML. */
static void script_safe_json(sbuf *b, const char *json)
{
    for (const char *s = json; *s; s++) {
        if (*s == '<')
            sb_str(b, "\\u003c");
        else if (*s == '>')
            sb_str(b, "\\u003e");
        else if (*s == '&')
            sb_str(b, "\\u0026");
        else
            sb_put(b, s, 1);
    }
}

/* ---- The page ----------------------------------------------------------- */

static const char css[] =
    "*{box-sizing:border-box}"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',"
    "sans-serif;color:#1a1a1a;background:#fff}"
    "main{max-width:1240px;margin:0 auto;padding:12px 16px 32px}"
    "h1{font-size:1.3em;margin:.2em 0}"
    ".sub{color:#555;margin:.2em 0 .6em}"
    "#legend{display:flex;flex-wrap:wrap;gap:6px;margin:.4em 0}"
    "#legend button{font:inherit;border:1px solid #bbb;background:#fff;border-radius:16px;"
    "padding:4px 12px;cursor:pointer;display:flex;align-items:center;gap:6px;min-height:36px}"
    "#legend button[aria-pressed=false]{opacity:.45;text-decoration:line-through}"
    ".sw{display:inline-block;width:14px;height:14px;border-radius:3px}"
    ".plot svg{width:100%;height:auto;display:block;font-family:inherit}"
    ".plot.narrow{display:none}"
    "@media (max-width:700px){.plot.wide{display:none}.plot.narrow{display:block}"
    "body{font-size:14px}main{padding:8px}}"
    ".grid line{stroke:#e3e3e3}.grid line.major{stroke:#cfcfcf}"
    ".tick{fill:#333}.frame{fill:none;stroke:#555}"
    "line.event{stroke:#555;stroke-dasharray:4 3}"
    "text.event{fill:#333;font-size:.8em;paint-order:stroke;stroke:#fff;stroke-width:3px;"
    "stroke-opacity:.85}"
    ".band{opacity:.15}.line{stroke-width:2.2;opacity:.9}"
    ".pt{stroke:#fff;stroke-width:1;cursor:pointer}.pt.faint{opacity:.35}"
    ".pt:hover,.pt:focus,.pt.sel{stroke:#000;stroke-width:2;outline:none}"
    ".series.off{display:none}"
    ".key{color:#555;font-size:.9em;display:flex;flex-wrap:wrap;align-items:center;gap:4px 14px;"
    "margin:.3em 0}"
    ".key svg{vertical-align:middle}"
    "#panel{border-top:1px solid #ddd;margin-top:.6em;padding-top:.4em}"
    "#panel h2{font-size:1.05em;margin:.3em 0}"
    "#panel ol{padding-left:1.4em;margin:.3em 0}"
    "#panel li{margin:.5em 0;overflow-wrap:anywhere}"
    "#panel .h{display:inline-block;min-width:3.2em;font-weight:600}"
    "#panel .meta{display:block;color:#555;font-size:.9em}"
    ".rest,.hint,footer{color:#555;font-size:.9em}";

static const char script[] =
    "(function(){"
    "var D=JSON.parse(document.getElementById('chart-data').textContent);"
    "var panel=document.getElementById('panel'),pinned=null;"
    "function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;"
    "if(x!=null)e.textContent=String(x);return e;}"
    "function f(x){return x==null?'?':Number(x).toFixed(2);}"
    "function show(s,p){var S=D.series[s],P=S.points[p];panel.textContent='';"
    "panel.appendChild(el('h2',null,S.name+' \\u00b7 '+P.label));"
    /* One statement has no interval: none is shown rather than "x to x". */
    "function ci(n,l,u){return n>1?' (95% '+f(l)+' to '+f(u)+')':' (no interval)';}"
    "var st='mean '+f(P.mean)+ci(P.n,P.lower,P.upper)+', n = '+P.n;"
    "if(D.smooth)st+='; line: '+D.smooth+'-'+D.period+' mean '+f(P.smooth_mean)"
    "+ci(P.smooth_n,P.smooth_lower,P.smooth_upper)+', n = '+P.smooth_n;"
    "panel.appendChild(el('p','stats',st));"
    "var ol=el('ol','statements');"
    "P.statements.forEach(function(t){var li=el('li');"
    "li.appendChild(el('span','h',f(t.hostility)+(t.stance?' '+t.stance:'')));"
    "li.appendChild(el('q',null,t.text||''));"
    "var who=t.speaker?(t.actor?t.speaker+' ('+t.actor+')':t.speaker):(t.actor||'unknown speaker');"
    "var m=[t.date||'no date',who];if(t.target)m.push('about '+t.target);"
    "m.push('document '+(t.doc||'?'));"
    "li.appendChild(el('span','meta',m.join(' \\u00b7 ')));ol.appendChild(li);});"
    "panel.appendChild(ol);"
    "if(P.rest>0)panel.appendChild(el('p','rest','and '+P.rest+' more in this period, less "
    "hostile (the page keeps the '+D.top+' most hostile: --top)'));}"
    "function select(e){var s=+e.getAttribute('data-s'),p=+e.getAttribute('data-p');"
    "document.querySelectorAll('.pt.sel').forEach(function(x){x.classList.remove('sel');});"
    "document.querySelectorAll('.pt[data-s=\"'+s+'\"][data-p=\"'+p+'\"]')"
    ".forEach(function(x){x.classList.add('sel');});pinned=e;show(s,p);}"
    "document.querySelectorAll('.pt').forEach(function(e){"
    "e.addEventListener('click',function(){select(e);});"
    "e.addEventListener('keydown',function(v){if(v.key==='Enter'||v.key===' '){"
    "v.preventDefault();select(e);}});"
    "e.addEventListener('mouseenter',function(){if(!pinned)"
    "show(+e.getAttribute('data-s'),+e.getAttribute('data-p'));});});"
    "document.querySelectorAll('#legend button').forEach(function(b){"
    "b.addEventListener('click',function(){var on=b.getAttribute('aria-pressed')!=='true';"
    "b.setAttribute('aria-pressed',on?'true':'false');"
    "document.querySelectorAll('.series[data-s=\"'+b.getAttribute('data-s')+'\"]')"
    ".forEach(function(g){g.classList.toggle('off',!on);});});});"
    "})();";

static void size_key(sbuf *b, const dm_chart_options *opt, long min_n, long max_n)
{
    long sizes[3];
    size_t ns = dm_chart_size_legend(min_n, max_n, sizes);
    sb_str(b, "<div class=\"key\"><span>marker area = statements in the period:</span>");
    for (size_t k = 0; k < ns; k++) {
        double r = dm_chart_marker_radius(sizes[k], max_n);
        sb_printf(b, "<span><svg width=\"%.0f\" height=\"%.0f\" aria-hidden=\"true\">"
                     "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#888\"/></svg> n = %ld"
                     "</span>",
                  2 * r + 2, 2 * r + 2, r + 1, r + 1, r, sizes[k]);
    }
    if (opt->min_n > 1)
        sb_printf(b, "<span>periods with fewer than %d statements are gaps (--min-n)</span>",
                  opt->min_n);
    else
        sb_str(b, "<span>every period with a statement is drawn (--min-n 1)</span>");
    if (opt->smooth > 1)
        sb_printf(b, "<span>line and band: centred mean of %d %ss with its 95%% t-interval; "
                     "faint markers: each period's own mean</span>",
                  opt->smooth, dm_period_name(opt->period));
    else
        sb_str(b, "<span>bands: 95% t-intervals of the mean</span>");
    sb_str(b, "</div>\n");
}

dm_status dm_chart_write_html_internal(dm_chart *chart, const dm_chart_series *series, size_t n,
                                       dm_output *out, const char *title, dm_error *err)
{
    const dm_chart_options *opt = dm_chart_get_options(chart);
    sbuf b = {0};
    sb_str(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
               "<title>");
    html_escape(&b, title);
    sb_printf(&b, "</title><style>%s</style></head>\n<body><main>\n<h1>", css);
    html_escape(&b, title);
    char axis[128];
    dm_chart_axis_title(opt, axis, sizeof axis);
    sb_str(&b, "</h1>\n<p class=\"sub\">");
    html_escape(&b, axis);
    if (opt->metric == DM_METRIC_HOSTILITY)
        sb_str(&b, ": 0 cordial, 1 neutral, 2 critical, 3 condemnatory, 4 extreme");
    sb_str(&b, ". Click a point for the statements behind it.</p>\n<div id=\"legend\">");
    for (size_t i = 0; i < n; i++) {
        char col[8];
        colour_hex(i, col);
        sb_printf(&b, "<button type=\"button\" data-s=\"%zu\" aria-pressed=\"true\">"
                      "<span class=\"sw\" style=\"background:%s\"></span>",
                  i, col);
        html_escape(&b, series[i].name);
        sb_printf(&b, " <small>n = %ld</small></button>", series[i].n);
    }
    sb_str(&b, "</div>\n");
    static const design wide = {"wide", 1200, 560, 150, 1180, 20, 520, 14, 12, true};
    static const design narrow = {"narrow", 600, 520, 44, 588, 16, 470, 22, 5, false};
    svg_plot(&b, chart, series, n, &wide);
    svg_plot(&b, chart, series, n, &narrow);
    chart_range r;
    dm_chart_range(chart, series, n, &r);
    size_key(&b, opt, r.min_n, r.max_n);
    sb_str(&b, "<section id=\"panel\" aria-live=\"polite\"><p class=\"hint\">Click (or tap) a "
               "point to list its statements, most hostile first.</p></section>\n");
    const dm_chart_counts *c = dm_chart_get_counts(chart);
    sb_printf(&b, "<footer><p>%ld statements read, %ld charted. Drawn by demarche-chart %s.</p>"
                  "</footer>\n</main>\n<script type=\"application/json\" id=\"chart-data\">",
              c->records, c->used, DM_VERSION_STRING);
    json_t *data = data_json(chart, series, n);
    char *js = data ? json_dumps(data, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(data);
    if (!js)
        b.failed = true;
    else
        script_safe_json(&b, js);
    free(js);
    sb_printf(&b, "</script>\n<script>%s</script>\n</body></html>\n", script);
    dm_status st = DM_OK;
    if (b.failed)
        st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory writing the HTML page");
    else
        st = dm_output_write(out, b.s, b.len, err);
    free(b.s);
    return st;
}
