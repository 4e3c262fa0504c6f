/* Loading Phoenix/CAMEO TABARI .actors files.
 *
 * A block is a primary name line, its '+' synonyms and its codes, given on
 * the name lines or on tab-indented lines: `[RUSGOV >20040309]`. Names are
 * upper case with '_' between words; they become case-insensitive names that
 * the text must capitalise. Odd lines are skipped and counted, never fatal:
 * only I/O errors fail the load. */
#include "actors/actors_internal.h"
#include "core/log_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Known IGO codes -> our organisation codes (longest prefix wins). */
static const struct { const char *prefix, *actor; } IGO_MAP[] = {
    {"IGOUNOIAE", "IAEA"},     {"IGOUNOHLHWHO", "WHO"},
    {"IGOUNOJUDICJ", "ICJ"},   {"IGOUNOREFHCR", "UNHCR"},
    {"IGOUNOKID", "UNICEF"},   {"IGOUNODEVWBK", "WORLD-BANK"},
    {"IGOUNOWBK", "WORLD-BANK"}, {"IGOUNOWFP", "WFP"},
    {"IGOUNO", "UN"},          {"IGOWSTNAT", "NATO"},
    {"IGOEUREEC", "EU"},       {"IGOSEAASN", "ASEAN"},
    {"IGOBUSOPC", "OPEC"},     {"IGOAFRAFU", "AU"},
    {"IGOAFROAU", "AU"},       {"IGOJUDICC", "ICC"},
    {"IGOMEAARL", "ARAB-LEAGUE"}, {"IGOBUSIMF", "IMF"},
    {"IGOBUSWTO", "WTO"},      {"IGOMOSOIC", "OIC"},
    {"IGOOAS", "OAS"},         {"IGOCWN", "COMMONWEALTH"},
    {"IGOPGSGCC", "GCC"},      {"IGOCASCIS", "CIS"},
};

/* Role agents that may stand alone in a code ("[ELI]"): no actor. */
static const char *const AGENTS[] = {
    "AGR", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV",
    "HLH", "HRI", "INS", "IRC", "JUD", "LAB", "LEG", "MED", "MIL", "OPP",
    "PTY", "REB", "REF", "SPY", "UAF",
};

typedef struct ph_code {
    const char *actor, *role;
    int32_t from, to;
    bool is_org, is_group;
} ph_code;

typedef struct ph_block {
    char *names;            /* NUL-separated normalised names */
    size_t names_len, names_cap;
    size_t n_names;
    ph_code *codes;
    size_t n_codes, cap_codes;
    long line;                /* of the primary name */
    const char *path;
    const dm_logger *logger;
} ph_block;

static void skip_line(dm_actors *a, const ph_block *b, long line,
                      const char *why)
{
    a->phoenix_skipped++;
    dm_log(b->logger, DM_LOG_WARNING, b->path, line, "skipped: %s", why);
}

static bool is_agent(const char *code)
{
    for (size_t i = 0; i < sizeof AGENTS / sizeof *AGENTS; i++)
        if (strncmp(code, AGENTS[i], 3) == 0)
            return true;
    return false;
}

/* YYMMDD or YYYYMMDD (two-digit years: 00-30 -> 20xx, else 19xx). */
static bool parse_ph_date(const char *s, size_t n, int32_t *day)
{
    if (n != 6 && n != 8)
        return false;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    int y = n == 8 ? v / 10000 : v / 10000 + (v / 10000 <= 30 ? 2000 : 1900);
    return dm_actors_day_number(y, v / 100 % 100, v % 100, day);
}

static bool parse_range(const char *s, size_t n, int32_t *from, int32_t *to)
{
    *from = DM_DAY_OPEN_FROM;
    *to = DM_DAY_OPEN_TO;
    if (n == 0)
        return true;
    if (s[0] == '<' || s[0] == '>') {
        size_t k = 1; /* "> 140608" occurs too */
        while (k < n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        return parse_ph_date(s + k, n - k, s[0] == '<' ? to : from);
    }
    const char *dash = memchr(s, '-', n);
    if (!dash)
        return false;
    return parse_ph_date(s, (size_t)(dash - s), from)
           && parse_ph_date(dash + 1, n - (size_t)(dash - s) - 1, to)
           && *from <= *to;
}

/* Turn "RUSGOV" into actor RUS, role GOV; IGO codes through IGO_MAP. */
static dm_status code_to_actor(dm_actors *a, const char *code, size_t n,
                               ph_code *out)
{
    char buf[64];
    memcpy(buf, code, n);
    buf[n] = '\0';
    size_t best = 0;
    const char *mapped = NULL;
    for (size_t i = 0; i < sizeof IGO_MAP / sizeof *IGO_MAP; i++) {
        size_t pl = strlen(IGO_MAP[i].prefix);
        if (pl > best && pl <= n && strncmp(buf, IGO_MAP[i].prefix, pl) == 0) {
            best = pl;
            mapped = IGO_MAP[i].actor;
        }
    }
    bool special = !strncmp(buf, "IGO", 3) || !strncmp(buf, "NGO", 3)
                   || !strncmp(buf, "MNC", 3) || !strncmp(buf, "IMG", 3);
    const char *actor = buf, *role = NULL;
    size_t actor_len = n;
    if (mapped) {
        actor = mapped;
        actor_len = strlen(mapped);
        role = n > best ? buf + best : NULL;
    } else if (!special) {
        actor_len = 3;
        role = n > 3 ? buf + 3 : NULL;
    }
    out->actor = dm_actors_pool_strndup(a, actor, actor_len);
    out->role = role ? dm_actors_pool_strndup(a, role, strlen(role)) : NULL;
    out->is_org = special && strncmp(buf, "IMG", 3) != 0;
    out->is_group = !strncmp(buf, "IMG", 3) || (role && !strncmp(role, "REB", 3))
                    || (role && !strncmp(role, "INS", 3));
    if (!out->actor || (role && !out->role))
        return DM_E_NOMEM;
    return DM_OK;
}

/* Parse every [CODE range] in s; *bad names what was malformed. */
static dm_status parse_codes(dm_actors *a, const char *s, ph_block *b,
                             const char **bad)
{
    for (const char *p = strchr(s, '['); p; p = strchr(p, '[')) {
        const char *close = strchr(p, ']');
        if (!close) {
            *bad = "'[' without ']'";
            return DM_OK;
        }
        const char *q = p + 1, *end = close;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        const char *code = q;
        while (q < end && *q != ' ' && *q != '\t')
            q++;
        size_t code_len = (size_t)(q - code);
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        const char *range = q;
        size_t range_len = (size_t)(end - q);
        while (range_len > 0 && (range[range_len - 1] == ' ' || range[range_len - 1] == '\t'))
            range_len--;
        p = close + 1;
        bool letters = code_len >= 3 && code_len < 40;
        for (size_t i = 0; i < code_len && letters; i++)
            letters = code[i] >= 'A' && code[i] <= 'Z';
        if (code_len == 3 && !strncmp(code, "---", 3))
            continue;
        ph_code c;
        if (!letters || !parse_range(range, range_len, &c.from, &c.to)) {
            *bad = "malformed code or date range";
            continue;
        }
        if (is_agent(code))
            continue;
        dm_status st = code_to_actor(a, code, code_len, &c);
        if (st != DM_OK)
            return st;
        if (b->n_codes == b->cap_codes) {
            size_t nc = b->cap_codes ? b->cap_codes * 2 : 8;
            ph_code *nv = realloc(b->codes, nc * sizeof *nv);
            if (!nv)
                return DM_E_NOMEM;
            b->codes = nv;
            b->cap_codes = nc;
        }
        b->codes[b->n_codes++] = c;
    }
    return DM_OK;
}

/* Normalise the name part of a line ('_' -> ' ', single spaces, trimmed)
 * and append it to the block. Returns false if it is no usable name. */
static bool add_block_name(ph_block *b, const char *s, size_t n)
{
    if (b->names_cap - b->names_len < n + 1) {
        size_t nc = (b->names_cap + n + 1) * 2;
        char *nv = realloc(b->names, nc);
        if (!nv)
            return false;
        b->names = nv;
        b->names_cap = nc;
    }
    char *o = b->names + b->names_len;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i] == '_' || s[i] == '\t' ? ' ' : s[i];
        if (c == ' ' && (k == 0 || o[k - 1] == ' '))
            continue;
        o[k++] = c;
    }
    while (k > 0 && o[k - 1] == ' ')
        k--;
    o[k] = '\0';
    size_t skip = dm_actors_strip_the(o, k);
    size_t i = skip;
    UChar32 c = -1;
    if (i < k)
        U8_NEXT(o, i, k, c);
    if (c < 0 || !u_isalnum(c))
        return false;
    for (i = 0; i < k;) {
        U8_NEXT(o, i, k, c);
        if (c < 0)
            return false;
    }
    b->names_len += k + 1;
    b->n_names++;
    return true;
}

/* "VLADIMIR PUTIN" -> "Vladimir Putin" for the canonical name. */
static char *title_case(dm_actors *a, const char *s)
{
    size_t n = strlen(s), cap = 2 * n + 4, o = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    bool after_letter = false;
    for (size_t i = 0; i < n;) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            c = 0xFFFD;
        UChar32 t = after_letter ? u_tolower(c) : u_totitle(c);
        after_letter = u_isalpha(c);
        UBool bad = false;
        U8_APPEND(buf, o, cap, t, bad);
        if (bad)
            break;
    }
    char *r = dm_actors_pool_strndup(a, buf, o);
    free(buf);
    return r;
}

/* Does an (upper-case) name contain a word naming a body, not a person? */
static bool has_body_word(const char *name)
{
    static const char *const BODY[] = {
        "AGENCY", "ALLIANCE", "ARMY", "ASSEMBLY", "BANK", "BRIGADE", "BRIGADES",
        "CABINET", "COMMISSION", "COMMITTEE", "CONGRESS", "COUNCIL", "COURT",
        "FORCE", "FORCES", "FRONT", "GOVERNMENT", "GROUP", "GUARD", "JUNTA",
        "LEAGUE", "MINISTRY", "MOVEMENT", "OFFICE", "ORGANIZATION",
        "ORGANISATION", "PARLIAMENT", "PARTY", "POLICE", "REGIME", "SENATE",
        "UNION",
    };
    for (const char *p = name; *p;) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        for (size_t i = 0; i < sizeof BODY / sizeof *BODY; i++)
            if (strlen(BODY[i]) == l && strncasecmp(p, BODY[i], l) == 0)
                return true;
        p += l;
        while (*p == ' ')
            p++;
    }
    return false;
}

static dm_status flush_block(dm_actors *a, ph_block *b)
{
    dm_status st = DM_OK;
    if (b->n_names == 0)
        goto done;
    if (b->n_codes == 0) {
        skip_line(a, b, b->line, "name without an actor code");
        goto done;
    }
    bool dated = false, org = false, group = false, role = false;
    for (size_t i = 0; i < b->n_codes; i++) {
        dated |= b->codes[i].from != DM_DAY_OPEN_FROM
                 || b->codes[i].to != DM_DAY_OPEN_TO;
        org |= b->codes[i].is_org;
        group |= b->codes[i].is_group;
        role |= b->codes[i].role != NULL;
    }
    const char *primary = b->names + dm_actors_strip_the(b->names, strlen(b->names));
    /* dated entries are mostly people, but not "SYRIAN NATIONAL COUNCIL" */
    bool person = dated && !has_body_word(primary);
    dm_actor_kind kind = org ? DM_ACTOR_ORGANISATION
                         : group ? DM_ACTOR_GROUP
                         : person ? DM_ACTOR_PERSON
                         : role ? DM_ACTOR_METONYM : DM_ACTOR_STATE;
    char *canonical = title_case(a, primary);
    uint32_t e;
    if (!canonical || (st = dm_actors_add_entity(a, canonical, kind, &e)) != DM_OK) {
        st = DM_E_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < b->n_codes && st == DM_OK; i++)
        st = dm_actors_add_sense(a, e, b->codes[i].actor, b->codes[i].role,
                                 b->codes[i].from, b->codes[i].to);
    const char *p = b->names;
    for (size_t i = 0; i < b->n_names && st == DM_OK; i++) {
        size_t l = strlen(p);
        size_t skip = dm_actors_strip_the(p, l);
        bool added;
        st = dm_actors_add_name(a, p + skip, l - skip, e, DM_NAME_CAPITALISED_CI,
                                skip > 0, &added);
        p += l + 1;
    }
done:
    b->names_len = 0;
    b->n_names = 0;
    b->n_codes = 0;
    return st;
}

static dm_status process_line(dm_actors *a, ph_block *b, char *s, long line,
                              const char **bad)
{
    char *hash = strchr(s, '#');
    if (hash)
        *hash = '\0';
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    if (n == 0)
        return DM_OK;
    if (s[0] == '\t' || s[0] == ' ') {
        if (b->n_names == 0) {
            *bad = "code line outside a name block";
            return DM_OK;
        }
        return parse_codes(a, s, b, bad);
    }
    bool synonym = s[0] == '+';
    if (synonym && b->n_names == 0) {
        *bad = "synonym outside a name block";
        return DM_OK;
    }
    if (!synonym) {
        dm_status st = flush_block(a, b);
        if (st != DM_OK)
            return st;
        b->line = line;
    }
    char *name = synonym ? s + 1 : s;
    char *bracket = strchr(name, '[');
    size_t name_len = bracket ? (size_t)(bracket - name) : strlen(name);
    if (!add_block_name(b, name, name_len)) {
        *bad = "unusable name";
        return DM_OK;
    }
    return bracket ? parse_codes(a, bracket, b, bad) : DM_OK;
}

dm_status dm_actors_load_phoenix(dm_actors *actors, const char *path,
                                 dm_error *err)
{
    return dm_actors_load_phoenix_logged(actors, path, NULL, err);
}

dm_status dm_actors_load_phoenix_logged(dm_actors *actors, const char *path,
                                        const dm_logger *logger, dm_error *err)
{
    if (!actors || !path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_actors_load_phoenix: NULL argument");
    FILE *f = fopen(path, "rb");
    if (!f)
        return dm_error_set(err, DM_E_IO, path, 0, "cannot open file");
    ph_block b = {.path = path, .logger = logger};
    char *line = NULL;
    size_t cap = 0;
    long line_no = 0;
    dm_status st = DM_OK;
    ssize_t r;
    while ((r = getline(&line, &cap, f)) >= 0) {
        line_no++;
        if (r > 0 && line[r - 1] == '\n')
            line[r - 1] = '\0';
        if (strlen(line) + 1 < (size_t)r) {
            skip_line(actors, &b, line_no, "NUL byte");
            continue;
        }
        const char *bad = NULL;
        st = process_line(actors, &b, line, line_no, &bad);
        if (st != DM_OK)
            break;
        if (bad)
            skip_line(actors, &b, line_no, bad);
    }
    if (st == DM_OK && ferror(f))
        st = dm_error_set(err, DM_E_IO, path, line_no, "read error");
    else if (st == DM_OK)
        st = flush_block(actors, &b);
    if (st == DM_E_NOMEM)
        dm_error_set(err, st, path, line_no, "out of memory");
    fclose(f);
    free(line);
    free(b.names);
    free(b.codes);
    return st;
}
