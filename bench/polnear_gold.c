/*
 * polnear_gold: the gold side of the PolNeAR evaluation. Reads a split's
 * files, an article's brat standoff attributions (code point offsets mapped
 * to bytes), and finds its gold quotes: the quoted segments of the text that
 * lie mostly inside a gold Content span, each with the innermost such
 * attribution (bench/POLNEAR.md). Kept apart from the matching rule so that
 * what counts as a gold quote is decided in one place.
 */
#include "polnear.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- files ---------------------------------------------------------- */

char *pn_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    long size = fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
    char *buf = size >= 0 && fseek(fp, 0, SEEK_SET) == 0 ? malloc((size_t)size + 1) : NULL;
    bool ok = buf && fread(buf, 1, (size_t)size, fp) == (size_t)size;
    fclose(fp);
    if (!ok) { free(buf); return NULL; }
    buf[size] = '\0';
    *len = (size_t)size;
    return buf;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in `dir` ending in `suffix`; NULL on error. */
char **pn_list_dir(const char *dir, const char *suffix, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *e;
    size_t sl = strlen(suffix);
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= sl || strcmp(e->d_name + l - sl, suffix) != 0) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            char **nv = realloc(v, cap * sizeof *nv);
            if (!nv) break;
            v = nv;
        }
        v[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    if (*n) qsort(v, *n, sizeof *v, cmp_str);
    return v ? v : calloc(1, sizeof *v);
}

void pn_free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* ---- brat standoff ---------------------------------------------------- */

bool pn_cp_map_make(const char *s, size_t len, cp_map *m)
{
    m->byte = malloc((len + 2) * sizeof *m->byte);
    if (!m->byte) return false;
    size_t n = 0;
    int32_t i = 0;
    while ((size_t)i < len) {
        m->byte[n++] = (size_t)i;
        UChar32 c;
        U8_NEXT_OR_FFFD(s, i, (int32_t)len, c);
    }
    m->byte[n] = len;
    m->n = n;
    return true;
}

static size_t cp_to_byte(const cp_map *m, long cp)
{
    if (cp < 0) return 0;
    return (size_t)cp > m->n ? m->byte[m->n] : m->byte[cp];
}

typedef struct tspan {
    char id[16];
    char type[32];
    span p[MAX_PIECES];
    size_t n;
} tspan;

static const tspan *find_t(const tspan *v, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].id, id) == 0) return &v[i];
    return NULL;
}

/* Parse "Type a b;c d" into t. */
static bool parse_t(const char *field, const cp_map *m, tspan *t)
{
    const char *sp = strchr(field, ' ');
    if (!sp || (size_t)(sp - field) >= sizeof t->type) return false;
    memcpy(t->type, field, (size_t)(sp - field));
    t->type[sp - field] = '\0';
    const char *p = sp + 1;
    t->n = 0;
    while (*p && t->n < MAX_PIECES) {
        char *end;
        long a = strtol(p, &end, 10);
        if (end == p) return false;
        p = end;
        long b = strtol(p, &end, 10);
        if (end == p) return false;
        p = end;
        t->p[t->n++] = (span){cp_to_byte(m, a), cp_to_byte(m, b)};
        if (*p == ';') p++;
        else break;
    }
    return t->n > 0;
}

static char *join_spans(const char *s, const span *p, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += p[i].b - p[i].a + 1;
    char *out = malloc(total + 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) out[o++] = ' ';
        memcpy(out + o, s + p[i].a, p[i].b - p[i].a);
        o += p[i].b - p[i].a;
    }
    out[o] = '\0';
    for (size_t i = 0; i < o; i++)
        if (out[i] == '\n') out[i] = ' ';
    return out;
}

/* Read the attributions of one .ann file (offsets mapped to bytes). */
gold_attr *pn_read_ann(const char *path, const char *text, const cp_map *m,
                       size_t *n_out)
{
    size_t len;
    char *buf = pn_read_file(path, &len);
    *n_out = 0;
    if (!buf) return NULL;
    tspan *ts = NULL;
    size_t nt = 0, capt = 0;
    gold_attr *ga = NULL;
    size_t ng = 0, capg = 0;
    /* pass 1: T lines; pass 2: E lines (E may precede its T lines) */
    for (int pass = 0; pass < 2; pass++) {
        char *save = NULL;
        char *copy = strdup(buf);
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            char *tab1 = strchr(line, '\t');
            if (!tab1) continue;
            *tab1 = '\0';
            char *field = tab1 + 1;
            char *tab2 = strchr(field, '\t');
            if (tab2) *tab2 = '\0';
            if (pass == 0 && line[0] == 'T' && isdigit((unsigned char)line[1])) {
                if (nt == capt) {
                    capt = capt ? capt * 2 : 64;
                    tspan *nv = realloc(ts, capt * sizeof *nv);
                    if (!nv) break;
                    ts = nv;
                }
                tspan t = {0};
                snprintf(t.id, sizeof t.id, "%s", line);
                if (parse_t(field, m, &t)) ts[nt++] = t;
            } else if (pass == 1 && line[0] == 'E' && isdigit((unsigned char)line[1])) {
                gold_attr g = {0};
                char *s2 = NULL;
                for (char *arg = strtok_r(field, " ", &s2); arg; arg = strtok_r(NULL, " ", &s2)) {
                    char *colon = strchr(arg, ':');
                    if (!colon) continue;
                    *colon = '\0';
                    const tspan *t = find_t(ts, nt, colon + 1);
                    if (!t) continue;
                    if (strncmp(arg, "Content", 7) == 0) {
                        for (size_t k = 0; k < t->n && g.n_content < MAX_PIECES; k++) {
                            g.content[g.n_content++] = t->p[k];
                            g.content_len += t->p[k].b - t->p[k].a;
                        }
                    } else if (strcmp(arg, "Source") == 0) {
                        g.n_source = t->n;
                        memcpy(g.source, t->p, t->n * sizeof *t->p);
                    }
                }
                if (!g.n_content) continue;
                if (g.n_source) g.source_text = join_spans(text, g.source, g.n_source);
                if (ng == capg) {
                    capg = capg ? capg * 2 : 64;
                    gold_attr *nv = realloc(ga, capg * sizeof *nv);
                    if (!nv) { free(g.source_text); break; }
                    ga = nv;
                }
                ga[ng++] = g;
            }
        }
        free(copy);
    }
    free(ts);
    free(buf);
    *n_out = ng;
    return ga;
}

/* ---- gold quotes ------------------------------------------------------ */

size_t pn_overlap(span x, span y)
{
    size_t a = x.a > y.a ? x.a : y.a, b = x.b < y.b ? x.b : y.b;
    return b > a ? b - a : 0;
}

static size_t content_overlap(const gold_attr *g, span q)
{
    size_t o = 0;
    for (size_t i = 0; i < g->n_content; i++) o += pn_overlap(g->content[i], q);
    return o;
}

/* Add segment q when most of it lies inside a gold content: the innermost
 * (shortest) such attribution gives its speaker. */
static span *raw_quotes;     /* every quoted segment of the article */
static size_t n_raw, cap_raw;

static void add_segment(span q, const gold_attr *ga, size_t ng, gold_quote **v,
                        size_t *n, size_t *cap)
{
    if (q.b <= q.a) return;
    if (n_raw == cap_raw) {
        cap_raw = cap_raw ? cap_raw * 2 : 64;
        span *nr = realloc(raw_quotes, cap_raw * sizeof *nr);
        if (!nr) return;
        raw_quotes = nr;
    }
    raw_quotes[n_raw++] = q;
    size_t best = (size_t)-1;
    for (size_t i = 0; i < ng; i++) {
        if (2 * content_overlap(&ga[i], q) < q.b - q.a) continue;
        if (best == (size_t)-1 || ga[i].content_len < ga[best].content_len) best = i;
    }
    if (best == (size_t)-1) return;
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        gold_quote *nv = realloc(*v, *cap * sizeof *nv);
        if (!nv) return;
        *v = nv;
    }
    (*v)[(*n)++] = (gold_quote){q, best, false};
}

/* Pair quotation marks paragraph by paragraph: “ opens, ” closes, " toggles;
 * ‘ opens a single quote after a non-letter and ’ closes it before one. An
 * open quote at a paragraph end runs to it. */
gold_quote *pn_gold_quotes(const char *s, size_t len, const gold_attr *ga,
                           size_t ng, size_t *n_out)
{
    gold_quote *v = NULL;
    size_t n = 0, cap = 0;
    size_t open = (size_t)-1, sopen = (size_t)-1;
    n_raw = 0;
    for (size_t i = 0; i < len;) {
        size_t nx;
        UChar32 c = pn_char_at(s, len, i, &nx);
        if (c == '\'' && nx < len && s[nx] == '\'') {
            nx++;          /* '' stands for " (New York Times texts) */
            c = '"';
        }
        if (c == '\n') {
            if (open != (size_t)-1) add_segment((span){open, i}, ga, ng, &v, &n, &cap);
            open = sopen = (size_t)-1;
        } else if (c == 0x201C || (c == '"' && open == (size_t)-1)) {
            open = nx;
            sopen = (size_t)-1;
        } else if (c == 0x201D || c == '"') {
            if (open != (size_t)-1) add_segment((span){open, i}, ga, ng, &v, &n, &cap);
            open = (size_t)-1;
        } else if (c == 0x2018 && open == (size_t)-1 && !u_isalnum(pn_char_before(s, i))) {
            sopen = nx;
        } else if (c == 0x2019 && sopen != (size_t)-1) {
            size_t n2;
            UChar32 after = nx < len ? pn_char_at(s, len, nx, &n2) : 0;
            if (!u_isalnum(after)) {
                add_segment((span){sopen, i}, ga, ng, &v, &n, &cap);
                sopen = (size_t)-1;
            }
        }
        i = nx;
    }
    if (open != (size_t)-1) add_segment((span){open, len}, ga, ng, &v, &n, &cap);
    *n_out = n;
    return v;
}

bool pn_in_raw_quote(size_t pos)
{
    for (size_t i = 0; i < n_raw; i++)
        if (raw_quotes[i].a <= pos && pos < raw_quotes[i].b) return true;
    return false;
}

void pn_free_raw_quotes(void)
{
    free(raw_quotes);
}

/* ---- metadata ------------------------------------------------------- */

void pn_load_meta(const char *split, meta *m)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/../metadata.tsv", split);
    size_t len;
    char *buf = pn_read_file(path, &len);
    if (!buf) return;
    size_t cap = 0;
    char *save = NULL;
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[6];
        size_t k = 0;
        for (char *p = line; k < 6; k++) {
            f[k] = p;
            p = strchr(p, '\t');
            if (!p) break;
            *p++ = '\0';
        }
        if (k < 5 || strlen(f[5]) != 10) continue;
        if (m->n == cap) {
            cap = cap ? cap * 2 : 1024;
            m->name = realloc(m->name, cap * sizeof *m->name);
            m->date = realloc(m->date, cap * sizeof *m->date);
        }
        m->name[m->n] = strdup(f[1]);
        m->date[m->n++] = strdup(f[5]);
    }
    free(buf);
}

const char *pn_meta_date(const meta *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->name[i], name) == 0) return m->date[i];
    return NULL;
}
