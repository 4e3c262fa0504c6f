/* Loading the project's actors dictionary (lexicons/actors.tsv; format in
 * lexicons/README.md). The whole file is read and validated before anything
 * is added, so a file with an error leaves the dictionary unchanged. */
#include "actors/actors_internal.h"
#include "core/file_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define TSV_COLUMNS 7
static const char *const HEADER[TSV_COLUMNS] = {"code", "kind", "name", "role",
                                                "from", "to", "short"};

/* Kind "ignore" (code "-"): a phrase that is not an actor but contains one
 * ("Latin America"); matching it keeps the shorter name from matching. */
#define KIND_IGNORE ((dm_actor_kind)100)

typedef struct tsv_row {
    long line;
    char *col[TSV_COLUMNS]; /* point into the file buffer, NUL-terminated */
    const char *name;       /* col[2] without a leading "the " */
    bool had_the;
    dm_actor_kind kind;
    int32_t from, to;
} tsv_row;

static bool parse_kind(const char *s, dm_actor_kind *k)
{
    static const struct { const char *name; dm_actor_kind kind; } kinds[] = {
        {"state", DM_ACTOR_STATE},         {"adjective", DM_ACTOR_ADJECTIVE},
        {"capital", DM_ACTOR_CAPITAL},     {"metonym", DM_ACTOR_METONYM},
        {"organisation", DM_ACTOR_ORGANISATION},
        {"person", DM_ACTOR_PERSON},       {"group", DM_ACTOR_GROUP},
        {"ignore", KIND_IGNORE},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(s, kinds[i].name) == 0) {
            *k = kinds[i].kind;
            return true;
        }
    return false;
}

/* States, adjectives and capitals need an ISO alpha-3 code; others a short
 * code of capitals, digits and '-' starting with a capital. */
static bool valid_code(const char *s, dm_actor_kind kind)
{
    size_t n = strlen(s);
    if (kind == KIND_IGNORE)
        return strcmp(s, "-") == 0;
    bool iso = kind == DM_ACTOR_STATE || kind == DM_ACTOR_ADJECTIVE
               || kind == DM_ACTOR_CAPITAL;
    if (iso) {
        if (n != 3)
            return false;
    } else if (n < 2 || n > 24) {
        return false;
    }
    if (s[0] < 'A' || s[0] > 'Z')
        return false;
    for (size_t i = 1; i < n; i++) {
        bool ok = (s[i] >= 'A' && s[i] <= 'Z') || (!iso && ((s[i] >= '0' && s[i] <= '9') || s[i] == '-'));
        if (!ok)
            return false;
    }
    return true;
}

static bool parse_date(const char *s, int32_t *day)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int v[3] = {0, 0, 0};
    const int at[3] = {0, 5, 8}, width[3] = {4, 2, 2};
    for (int f = 0; f < 3; f++)
        for (int k = 0; k < width[f]; k++) {
            char c = s[at[f] + k];
            if (c < '0' || c > '9')
                return false;
            v[f] = v[f] * 10 + (c - '0');
        }
    return dm_actors_day_number(v[0], v[1], v[2], day);
}

/* A name must be valid UTF-8, single-spaced, trimmed, start with a letter or
 * digit (after "the ") and contain no tab. */
static const char *name_problem(const char *s)
{
    size_t n = strlen(s), i = 0;
    if (n == 0)
        return "empty name";
    if (s[0] == ' ' || s[n - 1] == ' ' || strstr(s, "  "))
        return "name has leading, trailing or doubled spaces";
    while (i < n) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            return "name is not valid UTF-8";
    }
    size_t skip = dm_actors_strip_the(s, n);
    i = skip;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0 || !u_isalnum(c))
        return "name must start with a letter or digit";
    return NULL;
}

/* The short column: empty, "-", or names separated by '|'. */
static const char *short_problem(const char *s)
{
    if (!s[0] || strcmp(s, "-") == 0)
        return NULL;
    char buf[512];
    if (strlen(s) >= sizeof buf)
        return "too long";
    for (;;) {
        const char *bar = strchr(s, '|');
        size_t l = bar ? (size_t)(bar - s) : strlen(s);
        memcpy(buf, s, l);
        buf[l] = '\0';
        const char *problem = name_problem(buf);
        if (problem)
            return problem;
        if (!bar)
            return NULL;
        s = bar + 1;
    }
}

static int row_name_cmp(const void *pa, const void *pb)
{
    const tsv_row *a = *(tsv_row *const *)pa, *b = *(tsv_row *const *)pb;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->line < b->line ? -1 : a->line > b->line);
}

static bool overlaps(const tsv_row *a, const tsv_row *b)
{
    return a->from <= b->to && b->from <= a->to;
}

/* Split a line into exactly TSV_COLUMNS columns; returns the count found. */
static int split(char *line, char **col)
{
    int n = 0;
    char *p = line;
    for (;;) {
        char *tab = strchr(p, '\t');
        if (n < TSV_COLUMNS)
            col[n] = p;
        n++;
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static dm_status parse_rows(const char *path, char *buf, tsv_row **rows_out,
                            size_t *n_out, dm_error *err)
{
    /* A row a line at most: made once (doubling from 1,024 rows of 88
     * bytes copied them into fresh pages at every start-up). */
    size_t cap = 1;
    for (const char *q = buf; (q = strchr(q, '\n')) != NULL; q++)
        cap++;
    tsv_row *rows = malloc(cap * sizeof *rows);
    if (!rows)
        return dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    size_t n = 0;
    bool header_seen = false;
    long line = 0;
    char *p = buf;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB
        && (unsigned char)p[2] == 0xBF)
        p += 3;
    dm_status st = DM_OK;
    while (*p) {
        line++;
        char *nl = strchr(p, '\n');
        char *next = nl ? nl + 1 : p + strlen(p);
        if (nl)
            *nl = '\0';
        size_t l = strlen(p);
        if (l > 0 && p[l - 1] == '\r')
            p[--l] = '\0';
        char *text = p;
        p = next;
        char *hash = strchr(text, '#'); /* comments, also after the data */
        if (hash) {
            *hash = '\0';
            l = (size_t)(hash - text);
            while (l > 0 && text[l - 1] == ' ')
                text[--l] = '\0';
        }
        if (l == 0)
            continue;
        tsv_row r = {.line = line};
        int nc = split(text, r.col);
        if (nc != TSV_COLUMNS) {
            st = dm_error_set(err, DM_E_PARSE, path, line,
                              "expected %d tab-separated columns, found %d",
                              TSV_COLUMNS, nc);
            goto fail;
        }
        if (!header_seen) {
            for (int c = 0; c < TSV_COLUMNS; c++)
                if (strcmp(r.col[c], HEADER[c]) != 0) {
                    st = dm_error_set(err, DM_E_PARSE, path, line,
                                      "bad header: column %d is '%s', expected '%s'",
                                      c + 1, r.col[c], HEADER[c]);
                    goto fail;
                }
            header_seen = true;
            continue;
        }
        if (!parse_kind(r.col[1], &r.kind)) {
            st = dm_error_set(err, DM_E_PARSE, path, line, "unknown kind '%s'",
                              r.col[1]);
            goto fail;
        }
        if (!valid_code(r.col[0], r.kind)) {
            st = dm_error_set(err, DM_E_PARSE, path, line,
                              "bad code '%s' for kind %s", r.col[0], r.col[1]);
            goto fail;
        }
        const char *problem = name_problem(r.col[2]);
        if (problem) {
            st = dm_error_set(err, DM_E_PARSE, path, line, "%s: '%s'", problem,
                              r.col[2]);
            goto fail;
        }
        problem = short_problem(r.col[6]);
        if (problem) {
            st = dm_error_set(err, DM_E_PARSE, path, line, "bad short form: %s: '%s'",
                              problem, r.col[6]);
            goto fail;
        }
        size_t skip = dm_actors_strip_the(r.col[2], strlen(r.col[2]));
        r.name = r.col[2] + skip;
        r.had_the = skip > 0;
        r.from = DM_DAY_OPEN_FROM;
        r.to = DM_DAY_OPEN_TO;
        if ((r.col[4][0] && !parse_date(r.col[4], &r.from))
            || (r.col[5][0] && !parse_date(r.col[5], &r.to))) {
            st = dm_error_set(err, DM_E_PARSE, path, line,
                              "bad date '%s' (expected YYYY-MM-DD or empty)",
                              r.col[4][0] && !parse_date(r.col[4], &r.from)
                                  ? r.col[4] : r.col[5]);
            goto fail;
        }
        if (r.from > r.to) {
            st = dm_error_set(err, DM_E_PARSE, path, line,
                              "date range ends before it starts: %s..%s",
                              r.col[4], r.col[5]);
            goto fail;
        }
        rows[n++] = r;          /* n < cap: a row a line */
    }
    if (!header_seen) {
        st = dm_error_set(err, DM_E_PARSE, path, line ? line : 1,
                          "missing header line");
        goto fail;
    }
    *rows_out = rows;
    *n_out = n;
    return DM_OK;
fail:
    free(rows);
    return st;
}

/* Rows sharing a name must agree on kind, must not repeat, and must not give
 * different codes over overlapping dates. */
static dm_status check_groups(const char *path, tsv_row **sorted, size_t n,
                              dm_error *err)
{
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && strcmp(sorted[j]->name, sorted[i]->name) == 0)
            j++;
        for (size_t b = i + 1; b < j; b++)
            for (size_t a = i; a < b; a++) {
                const tsv_row *x = sorted[a], *y = sorted[b];
                if (x->kind != y->kind)
                    return dm_error_set(err, DM_E_PARSE, path, y->line,
                                        "conflicting entry for '%s': kind %s here, %s at line %ld",
                                        y->name, y->col[1], x->col[1], x->line);
                if (strcmp(x->col[0], y->col[0]) == 0
                    && strcmp(x->col[3], y->col[3]) == 0 && x->from == y->from
                    && x->to == y->to)
                    return dm_error_set(err, DM_E_PARSE, path, y->line,
                                        "duplicate entry for '%s' (first at line %ld)",
                                        y->name, x->line);
                if (strcmp(x->col[0], y->col[0]) != 0 && overlaps(x, y))
                    return dm_error_set(err, DM_E_PARSE, path, y->line,
                                        "conflicting entry for '%s': code %s here, %s at line %ld over overlapping dates",
                                        y->name, y->col[0], x->col[0], x->line);
            }
        i = j;
    }
    return DM_OK;
}

typedef struct alias {
    const char *text;
    size_t len;
    uint32_t entity;
    bool ambiguous;
} alias;

static int alias_cmp(const void *pa, const void *pb)
{
    const alias *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->text, b->text, n);
    return c ? c : (a->len < b->len ? -1 : a->len > b->len);
}

/* Aliases of a group: the `short` column ('|'-separated, '-' = none), or
 * for people the last word of the name. */
static dm_status collect_aliases(const tsv_row *r, uint32_t entity,
                                 alias **v, size_t *n, size_t *cap)
{
    const char *s = r->col[6];
    if (strcmp(s, "-") == 0)
        return DM_OK;
    const char *parts[8];
    size_t lens[8], np = 0;
    if (s[0]) {
        while (np < 8) {
            const char *bar = strchr(s, '|');
            size_t l = bar ? (size_t)(bar - s) : strlen(s);
            parts[np] = s;
            lens[np++] = l;
            if (!bar)
                break;
            s = bar + 1;
        }
    } else if (r->kind == DM_ACTOR_PERSON) {
        const char *sp = strrchr(r->name, ' ');
        if (!sp)
            return DM_OK;
        parts[0] = sp + 1;
        lens[0] = strlen(sp + 1);
        np = 1;
    }
    for (size_t k = 0; k < np; k++) {
        if (lens[k] == 0)
            continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 256;
            alias *nv = realloc(*v, *cap * sizeof **v);
            if (!nv)
                return DM_E_NOMEM;
            *v = nv;
        }
        (*v)[(*n)++] = (alias){parts[k], lens[k], entity, false};
    }
    return DM_OK;
}

static dm_status add_aliases(dm_actors *a, alias *v, size_t n)
{
    if (n > 0)
        qsort(v, n, sizeof *v, alias_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        bool ambiguous = false;
        while (j < n && alias_cmp(&v[i], &v[j]) == 0) {
            ambiguous |= v[j].entity != v[i].entity;
            j++;
        }
        /* an alias shared by two people ("Clinton") or equal to a known name
         * ("Jordan") resolves to no one */
        size_t the = dm_actors_strip_the(v[i].text, v[i].len);
        const char *text = v[i].text + the;
        size_t len = v[i].len - the;
        if (!ambiguous && len > 0 && dm_actors_find_name(a, text, len) < 0) {
            bool added;
            dm_status st = dm_actors_add_name(a, text, len, v[i].entity,
                                              DM_NAME_EXACT, the > 0, &added);
            if (st != DM_OK)
                return st;
        }
        i = j;
    }
    return DM_OK;
}

static dm_status commit(dm_actors *a, tsv_row **sorted, size_t n)
{
    alias *aliases = NULL;
    size_t n_alias = 0, cap_alias = 0;
    /* at most an entity, a sense and a name a row; the aliases' names below */
    dm_status st = dm_actors_reserve_internal(a, n, n, n);
    for (size_t i = 0; i < n && st == DM_OK;) {
        size_t j = i + 1;
        while (j < n && strcmp(sorted[j]->name, sorted[i]->name) == 0)
            j++;
        const tsv_row *r = sorted[i];
        bool added = false;
        uint32_t e = 0;
        char *canonical = dm_actors_pool_strndup(a, r->col[2], strlen(r->col[2]));
        if (!canonical) {
            st = DM_E_NOMEM;
            break;
        }
        bool ignore = r->kind == KIND_IGNORE;
        st = dm_actors_add_entity(a, canonical, ignore ? DM_ACTOR_STATE : r->kind, &e);
        if (st == DM_OK && ignore)
            a->entities[e].ignore = true;
        for (size_t k = i; k < j && st == DM_OK && !ignore; k++) {
            const tsv_row *s = sorted[k];
            char *code = dm_actors_pool_strndup(a, s->col[0], strlen(s->col[0]));
            char *role = s->col[3][0]
                             ? dm_actors_pool_strndup(a, s->col[3], strlen(s->col[3]))
                             : NULL;
            if (!code || (s->col[3][0] && !role))
                st = DM_E_NOMEM;
            else
                st = dm_actors_add_sense(a, e, code, role, s->from, s->to);
        }
        if (st == DM_OK)
            st = dm_actors_add_name(a, r->name, strlen(r->name), e,
                                    DM_NAME_EXACT, r->had_the, &added);
        if (st == DM_OK)
            st = collect_aliases(r, e, &aliases, &n_alias, &cap_alias);
        i = j;
    }
    if (st == DM_OK)
        st = dm_actors_reserve_internal(a, 0, 0, n_alias);
    if (st == DM_OK)
        st = add_aliases(a, aliases, n_alias);
    free(aliases);
    return st;
}

dm_status dm_actors_load_tsv(dm_actors *actors, const char *path, dm_error *err)
{
    if (!actors || !path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_actors_load_tsv: NULL argument");
    char *buf = NULL;
    size_t len = 0;
    dm_status st = dm_file_read_all(path, &buf, &len, err);
    if (st != DM_OK)
        return st;
    if (memchr(buf, '\0', len)) {
        free(buf);
        return dm_error_set(err, DM_E_PARSE, path, 0, "file contains NUL bytes");
    }
    tsv_row *rows = NULL;
    size_t n = 0;
    st = parse_rows(path, buf, &rows, &n, err);
    tsv_row **sorted = NULL;
    if (st == DM_OK && n > 0) {
        sorted = malloc(n * sizeof *sorted);
        if (!sorted)
            st = dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    }
    if (st == DM_OK) {
        for (size_t i = 0; i < n; i++)
            sorted[i] = &rows[i];
        qsort(sorted, n, sizeof *sorted, row_name_cmp);
        st = check_groups(path, sorted, n, err);
    }
    if (st == DM_OK) {
        st = commit(actors, sorted, n);
        if (st != DM_OK)
            dm_error_set(err, st, path, 0, "out of memory while loading");
    }
    free(sorted);
    free(rows);
    free(buf);
    return st;
}
