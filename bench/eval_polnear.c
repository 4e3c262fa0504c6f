/*
 * eval_polnear: quote extraction and speaker accuracy on PolNeAR.
 *
 *   eval_polnear [--json] [--verbose] [--errors] SPLIT_DIR [LEXICON_DIR]
 *
 * SPLIT_DIR is ../shared/data/polnear/train or .../dev: the articles are in
 * text/, their brat standoff gold in attributions/<article>_<annotator>.ann.
 * The matching rules are written down in bench/POLNEAR.md; in short:
 *   - one annotator per article: the .ann file whose name sorts first;
 *   - gold quotes: the double-quoted segments (and ‘single-quoted’ ones) of
 *     the text that lie mostly inside a gold Content span; their speaker is
 *     the Source of the innermost such attribution;
 *   - predictions: direct and partial statements of dm_extract; a
 *     prediction matches the gold quote it overlaps most (one to one);
 *   - speaker: the predicted speaker must name the gold source's entity
 *     (see speaker_correct); pronoun and description sources are resolved
 *     to the nearest preceding named gold source of a compatible gender.
 * Prints a table (or one JSON object with --json); --errors prints every
 * missed, spurious and wrong-speaker quote with its context (for tuning:
 * run it on train, never copy what it prints into the repository).
 *
 * Exit status: 0 when the evaluation ran, 2 on a bad command line, 3 when
 * the lexicons or the split cannot be read.
 */
#include "demarche/actors.h"
#include "demarche/core.h"
#include "demarche/statements.h"
#include "polnear_rank.h"

#include <jansson.h>
#include <unicode/uchar.h>
#include <unicode/ucasemap.h>
#include <unicode/utf8.h>

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { EXIT_USAGE = 2, EXIT_CANNOT_RUN = 3 };
enum { MAX_PIECES = 4 };

typedef struct span { size_t a, b; } span;

typedef struct gold_attr {
    span content[MAX_PIECES];
    size_t n_content, content_len;
    span source[MAX_PIECES];
    size_t n_source;
    char *source_text;       /* pieces joined by a space; NULL: no source */
} gold_attr;

typedef struct gold_quote {
    span q;                  /* the quoted words, bytes */
    size_t attr;             /* index of its attribution */
    bool matched;
} gold_quote;

/* Error classes of a wrong speaker (see POLNEAR.md). */
enum { WRONG_NONE, WRONG_HEADLINE, WRONG_CARRIED, WRONG_INFERRED, WRONG_RANKED, WRONG_PRONOUN,
       WRONG_ANON, WRONG_DESCRIPTION, WRONG_NAME, N_WRONG };
static const char *const WRONG_NAMES[N_WRONG] = {
    "none", "headline", "carried", "inferred", "ranked", "pronoun", "anonymous", "description",
    "name"};

typedef struct totals {
    size_t articles, predicted, gold, matched;
    size_t speaker_judged, speaker_correct, speaker_unresolved, no_source;
    size_t wrong[N_WRONG];
    size_t gold_pronoun, gold_pronoun_correct;
} totals;

static bool opt_json, opt_verbose, opt_errors, opt_rank_cv;
static const char *opt_rank_train, *opt_ranker;
static pr_study *study; /* --candidates, --rank-cv: bench/polnear_rank.h */

/* ---- files ---------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
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
static char **list_dir(const char *dir, const char *suffix, size_t *n)
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

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* ---- brat standoff ---------------------------------------------------- */

/* Code point offset -> byte offset (brat counts code points). */
typedef struct cp_map { size_t *byte; size_t n; } cp_map;

static bool cp_map_make(const char *s, size_t len, cp_map *m)
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
static gold_attr *read_ann(const char *path, const char *text, const cp_map *m,
                           size_t *n_out)
{
    size_t len;
    char *buf = read_file(path, &len);
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

static UChar32 char_at(const char *s, size_t len, size_t i, size_t *next)
{
    int32_t k = (int32_t)i;
    UChar32 c;
    U8_NEXT_OR_FFFD(s, k, (int32_t)len, c);
    *next = (size_t)k;
    return c;
}

static UChar32 char_before(const char *s, size_t i)
{
    if (i == 0) return 0;
    int32_t k = (int32_t)i;
    UChar32 c;
    U8_PREV_OR_FFFD(s, 0, k, c);
    return c;
}

enum { MAX_WORDS = 24, WORD_MAX = 48 };

/* Letters and case through ICU, never byte by byte: a given name such as
 * "François" or "Çelik" is one word, lower-cased whole. */
static void lower_utf8(const char *s, size_t n, char *out, size_t cap)
{
    static UCaseMap *cm; /* the evaluator is single-threaded */
    UErrorCode st = U_ZERO_ERROR;
    if (!cm) cm = ucasemap_open("", 0, &st);
    int32_t k = U_SUCCESS(st) ? ucasemap_utf8ToLower(cm, out, (int32_t)cap, s, (int32_t)n, &st) : -1;
    if (U_FAILURE(st) || k < 0 || (size_t)k >= cap) k = 0; /* too long for a name: no word */
    out[k] = '\0';
}

/* The start of the run of letters that ends at byte i. */
static size_t letters_back(const char *s, size_t i)
{
    size_t end = i;
    while (i > 0) {
        int32_t k = (int32_t)i;
        UChar32 c;
        U8_PREV_OR_FFFD(s, 0, k, c);
        if (c == '-' && k > 0 && i < end) {
            /* an inner hyphen: "Karl-Heinz" is one given name */
            int32_t k2 = k;
            UChar32 d;
            U8_PREV_OR_FFFD(s, 0, k2, d);
            if (u_isalpha(d)) {
                i = (size_t)k;
                continue;
            }
        }
        if (!u_isalpha(c)) break;
        i = (size_t)k;
    }
    return i;
}

/* Is byte i the first byte of a character, upper- or title-case, that
 * follows no letter or digit? (the start of a capitalised word) */
static bool capital_starts_at(const char *s, size_t len, size_t i)
{
    if (i >= len || ((unsigned char)s[i] & 0xC0) == 0x80) return false;
    size_t nx;
    UChar32 c = char_at(s, len, i, &nx);
    return (u_isupper(c) || u_istitle(c)) && !u_isalnum(char_before(s, i));
}

/* Does the text hold `lower` (a lower-cased word) at byte i, as a whole
 * word? */
static bool word_at(const char *s, size_t len, size_t i, const char *lower)
{
    size_t n = strlen(lower), nx;
    if (i + n > len) return false;
    char buf[WORD_MAX * 2];
    if (n >= sizeof buf) return false;
    lower_utf8(s + i, n, buf, sizeof buf);
    return strcmp(buf, lower) == 0 && (i + n == len || !u_isalnum(char_at(s, len, i + n, &nx)));
}

static size_t overlap(span x, span y)
{
    size_t a = x.a > y.a ? x.a : y.a, b = x.b < y.b ? x.b : y.b;
    return b > a ? b - a : 0;
}

static size_t content_overlap(const gold_attr *g, span q)
{
    size_t o = 0;
    for (size_t i = 0; i < g->n_content; i++) o += overlap(g->content[i], q);
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
static gold_quote *gold_quotes(const char *s, size_t len, const gold_attr *ga,
                               size_t ng, size_t *n_out)
{
    gold_quote *v = NULL;
    size_t n = 0, cap = 0;
    size_t open = (size_t)-1, sopen = (size_t)-1;
    n_raw = 0;
    for (size_t i = 0; i < len;) {
        size_t nx;
        UChar32 c = char_at(s, len, i, &nx);
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
        } else if (c == 0x2018 && open == (size_t)-1 && !u_isalnum(char_before(s, i))) {
            sopen = nx;
        } else if (c == 0x2019 && sopen != (size_t)-1) {
            size_t n2;
            UChar32 after = nx < len ? char_at(s, len, nx, &n2) : 0;
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

/* ---- names and speakers ---------------------------------------------- */


typedef struct words {
    char w[MAX_WORDS][WORD_MAX]; /* lower case, possessive dropped */
    bool cap[MAX_WORDS];
    bool poss[MAX_WORDS];    /* had 's: "Media Research Center's Bozell" */
    size_t n;
} words;

static const char *const TITLES[] = {
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "gov", "governor",
    "president", "vice", "former", "secretary", "spokesman", "spokeswoman",
    "spokesperson", "gen", "general", "judge", "justice", "speaker", "leader",
    "chairman", "chairwoman", "director", "candidate", "presidential",
    "democratic", "republican", "gop", "state", "attorney", "sheriff",
    "mayor", "rev", "prof", "professor", "pope", "first", "lady", "sir",
    "adviser", "advisor", "manager", "campaign", "chief", "executive", "ceo",
    "u.s", "us", "white", "house", "press", "communications", "the", "a", "an",
    "independent", "frontrunner", "front-runner", "billionaire", "businessman",
    "real", "estate", "mogul", "nominee", "hopeful", "ex", "then",
    "lt", "col", "capt", "sgt", "adm", "ambassador", "minister", "prime",
    "rev", "reverend", "sens", "reps", "gop", "ohio", "texas", "florida", "admiral",
    "sergeant", "captain", "colonel", "lieutenant", "commissioner", "chancellor",
    "assemblyman", "assemblywoman", "congressman", "congresswoman", "councilman",
    "councilwoman", "superintendent", "chair", "dean", "father", "bishop",
    "senators", "representatives", "governors", "presidents", NULL};

/* Capitalised at a sentence start, never a given name. */
static const char *const STARTERS[] = {
    "but", "and", "when", "if", "as", "so", "then", "while", "after", "before", "because",
    "the", "a", "an", "that", "this", "said", "says", "with", "for", "from", "to", "in",
    "on", "at", "by", "of", "since", "although", "though", "also", "now", "yet", "even",
    "says", "asked", "where", "why", "how", "what", "said", "told", "added", "meanwhile",
    "its", "his", "her", "their", NULL};

static const char *const PRONOUNS[] = {"he", "she", "they", "it", "i", "we", "who",
                                       "which", "his", "her", "their", "its",
                                       "that", "him", "them", "you", NULL};

static bool in_list(const char *w, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(w, list[i]) == 0) return true;
    return false;
}

/* Split into words: letters, digits, inner ' ’ - . ; a final 's/’s is
 * dropped. A phrase stops at an apposition or a bracket ("Brent Bozell,
 * founder of ...", "Gov. John Kasich (R-OH)"). */
static void split_words(const char *s, words *out)
{
    out->n = 0;
    size_t len = strcspn(s, ",(");
    static const char *const STOPS[] = {"\xE2\x80\x94", "\xE2\x80\x93", " who ", " - ", NULL};
    for (size_t i = 0; STOPS[i]; i++) {
        const char *x = strstr(s, STOPS[i]);
        if (x && (size_t)(x - s) < len) len = (size_t)(x - s);
    }
    if (len < 2) len = strlen(s);
    for (size_t i = 0; i < len && out->n < MAX_WORDS;) {
        size_t nx;
        UChar32 c = char_at(s, len, i, &nx);
        if (!u_isalnum(c)) { i = nx; continue; }
        size_t a = i, b = i;
        bool cap = u_isupper(c) || u_istitle(c);
        while (i < len) {
            c = char_at(s, len, i, &nx);
            if (u_isalnum(c)) { i = nx; b = i; continue; }
            if ((c == '\'' || c == 0x2019 || c == '-' || c == '.') && nx < len) {
                size_t n2;
                UChar32 d = char_at(s, len, nx, &n2);
                if (u_isalnum(d)) { i = nx; continue; }
            }
            break;
        }
        /* drop 's / ’s */
        size_t b0 = b;
        if (b - a > 2 && s[b - 1] == 's' && (s[b - 2] == '\'')) b -= 2;
        else if (b - a > 4 && s[b - 1] == 's' && (unsigned char)s[b - 2] == 0x99 &&
                 (unsigned char)s[b - 3] == 0x80 && (unsigned char)s[b - 4] == 0xE2) b -= 4;
        char raw[WORD_MAX];
        size_t k = 0;
        for (size_t j = a; j < b && k + 1 < WORD_MAX; j++) {
            /* ’ as ': the extractor's text is normalised ("O’Malley" is
             * "O'Malley" in its speakers) (from round 9 on) */
            if ((unsigned char)s[j] == 0xE2 && j + 2 < b && (unsigned char)s[j + 1] == 0x80 &&
                (unsigned char)s[j + 2] == 0x99) {
                raw[k++] = '\'';
                j += 2;
            } else if (s[j] != '.') raw[k++] = s[j];
        }
        lower_utf8(raw, k, out->w[out->n], WORD_MAX);
        k = strlen(out->w[out->n]);
        out->cap[out->n] = cap;
        out->poss[out->n] = b != b0;
        if (k) out->n++;
        if (i == a) i = nx;
    }
}

/* The name of a phrase: its last run of capitalised words, without titles
 * and suffixes, before an "of" that follows the name ("Sen. Ted Cruz" ->
 * "ted cruz", "Marco Rubio of Florida" -> "marco rubio", but "Secretary of
 * State John Kerry" -> "john kerry"); a possessive before the name is its
 * owner ("Media Research Center's Bozell" -> "bozell"). Returns the number
 * of words. */
static size_t name_words(const words *w, words *name)
{
    static const char *const SUFFIXES[] = {"jr", "sr", "ii", "iii", "iv", NULL};
    size_t end = w->n;
    bool named = false;
    for (size_t k = 0; k < w->n; k++) {
        if (named && strcmp(w->w[k], "of") == 0) { end = k; break; }
        named = named || (w->cap[k] && !in_list(w->w[k], TITLES));
    }
    while (end > 0 && (!w->cap[end - 1] || in_list(w->w[end - 1], SUFFIXES))) end--;
    name->n = 0;
    if (end == 0) return 0;
    size_t start = end;
    while (start > 0 && w->cap[start - 1] && !w->poss[start - 1]) start--;
    for (size_t i = start; i < end; i++) {
        if (in_list(w->w[i], TITLES) && i + 1 < end) continue;
        memcpy(name->w[name->n], w->w[i], WORD_MAX);
        name->cap[name->n] = true;
        name->poss[name->n++] = false;
    }
    return name->n;
}

/* Lowercase head: the source is a description ("the group") when its last
 * word is lower case. */
static bool is_description(const words *w) { return w->n && !w->cap[w->n - 1]; }

static bool is_pronoun(const words *w)
{
    return w->n == 1 && in_list(w->w[0], PRONOUNS);
}

static bool is_anonymous(const char *src)
{
    static const char *const ANON[] = {"a ", "an ", "one ", "another", "some ", "two ",
                                       "three ", "several ", "many ", NULL};
    for (size_t i = 0; ANON[i]; i++)
        if (strncasecmp(src, ANON[i], strlen(ANON[i])) == 0) return true;
    return false;
}

/* First-name genders: the male/female entries of cues.tsv and of the file
 * it includes (given_names.tsv), as the extractor reads them. */
typedef struct genders { char **name; char *g; size_t n, cap; } genders;
static genders gnames;

static void load_genders_file(const char *lexdir, const char *file, bool top)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", lexdir, file);
    size_t len;
    char *buf = read_file(path, &len);
    if (!buf) return;
    char *save = NULL;
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (top && strncmp(line, "include\t", 8) == 0 && !strchr(line + 8, '/')) {
            load_genders_file(lexdir, line + 8, false);
            continue;
        }
        char g = strncmp(line, "male\t", 5) == 0 ? 'm' : strncmp(line, "female\t", 7) == 0 ? 'f' : 0;
        if (!g) continue;
        const char *name = strchr(line, '\t') + 1;
        if (gnames.n == gnames.cap) {
            gnames.cap = gnames.cap ? gnames.cap * 2 : 512;
            gnames.name = realloc(gnames.name, gnames.cap * sizeof *gnames.name);
            gnames.g = realloc(gnames.g, gnames.cap);
        }
        char *copy = malloc(strlen(name) * 3 + 1);
        lower_utf8(name, strlen(name), copy, strlen(name) * 3 + 1);
        gnames.name[gnames.n] = copy;
        gnames.g[gnames.n++] = g;
    }
    free(buf);
}

typedef struct gname_ix { const char *name; char g; size_t order; } gname_ix;
static gname_ix *gsorted;
static size_t gsorted_n;

static int gname_cmp(const void *a, const void *b)
{
    const gname_ix *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Loads the names, then sorts them for binary search; the first entry of a
 * name wins (cues.tsv's hand-made ones over the included list), as in the
 * extractor. */
static void load_genders(const char *lexdir)
{
    load_genders_file(lexdir, "cues.tsv", true);
    gsorted = malloc((gnames.n ? gnames.n : 1) * sizeof *gsorted);
    for (size_t i = 0; i < gnames.n; i++)
        gsorted[i] = (gname_ix){gnames.name[i], gnames.g[i], i};
    qsort(gsorted, gnames.n, sizeof *gsorted, gname_cmp);
    for (size_t i = 0; i < gnames.n; i++)
        if (!gsorted_n || strcmp(gsorted[gsorted_n - 1].name, gsorted[i].name) != 0)
            gsorted[gsorted_n++] = gsorted[i];
}

static int gname_key_cmp(const void *key, const void *b)
{
    return strcmp(key, ((const gname_ix *)b)->name);
}

/* The gender of a lower-case given name, 0 when unknown. */
static char given_gender(const char *given)
{
    const gname_ix *x = given[0] ? bsearch(given, gsorted, gsorted_n, sizeof *gsorted, gname_key_cmp) : NULL;
    return x ? x->g : 0;
}

/* 'm', 'f' or 0 for a source phrase. */
static char gender_of(const words *w)
{
    for (size_t i = 0; i < w->n; i++) {
        if (strcmp(w->w[i], "mr") == 0) return 'm';
        if (strcmp(w->w[i], "mrs") == 0 || strcmp(w->w[i], "ms") == 0) return 'f';
    }
    words nm;
    if (!name_words(w, &nm) || nm.n < 2) return 0;
    return given_gender(nm.w[0]);
}

typedef struct doc_ctx {
    const char *text;
    size_t len;
    const gold_attr *ga;
    size_t ng;
} doc_ctx;

/* Does the word at byte j open a sentence or the headline? (the text or a
 * line starts there, or . ! ? : or a line's number "5)" ends the text
 * before it, quote marks and brackets aside; the first paragraph is the headline, title case in
 * many articles: "ESPN Fires Hale Over ...") */
static bool opens_sentence(const doc_ctx *d, size_t j)
{
    size_t i = j;
    for (size_t k = 0; k < j; k++)
        if (d->text[k] == '\n') goto body;
    return true; /* first paragraph */
body:
    while (i > 0) {
        unsigned char c = (unsigned char)d->text[i - 1];
        if (c == ' ' || c == '"' || c == '\'' || c == '(') { i--; continue; }
        /* “ and ‘ */
        if (i >= 3 && (c == 0x9C || c == 0x98) && (unsigned char)d->text[i - 2] == 0x80 &&
            (unsigned char)d->text[i - 3] == 0xE2) { i -= 3; continue; }
        break;
    }
    if (i == 0) return true;
    char c = d->text[i - 1];
    if (c == ')') { /* a numbered line: "5) Can Hale win?" */
        size_t k = i - 1;
        while (k > 0 && isalnum((unsigned char)d->text[k - 1])) k--;
        if (k == 0 || d->text[k - 1] == '\n') return true;
    }
    return c == '\n' || c == '.' || c == '!' || c == '?' || c == ':';
}

/* The capitalised word `w` (lower case) at byte j, right before `surname`:
 * is it a given name? Titles and sentence starters never are. A word that
 * opens a sentence or the headline is one only when it is a listed given
 * name or the text also writes it before the surname inside a sentence:
 * "Maybe Hale", "Does Hale", "Both Hale", "Interestingly Hale" are no
 * "Given Surname" (from round 13 on; before, any capitalised word was). */
static bool text_given(const doc_ctx *d, size_t j, const char *w, const char *surname)
{
    if (in_list(w, TITLES) || in_list(w, STARTERS)) return false;
    if (given_gender(w) || !opens_sentence(d, j)) return true;
    for (size_t i = 1; i < d->len; i++) {
        if (d->text[i - 1] != ' ' || !word_at(d->text, d->len, i, surname)) continue;
        size_t k = letters_back(d->text, i - 1);
        if (k == i - 1 || !capital_starts_at(d->text, d->len, k)) continue;
        char f[WORD_MAX];
        lower_utf8(d->text + k, i - 1 - k, f, sizeof f);
        if (strcmp(f, w) == 0 && !opens_sentence(d, k)) return true;
    }
    return false;
}

/* Does the article name another person with this surname but a different
 * first name ("Bill Clinton" and "Hillary Clinton")? */
static bool surname_ambiguous(const doc_ctx *d, const char *surname)
{
    char first[WORD_MAX] = "";
    for (size_t i = 0; i < d->ng; i++) {
        if (!d->ga[i].source_text) continue;
        words w, nm;
        split_words(d->ga[i].source_text, &w);
        if (name_words(&w, &nm) < 2 || strcmp(nm.w[nm.n - 1], surname) != 0) continue;
        if (!first[0]) snprintf(first, sizeof first, "%s", nm.w[0]);
        else if (strcmp(first, nm.w[0]) != 0) return true;
    }
    /* the text itself: "Hillary Clinton" / "Bill Clinton" */
    for (size_t i = 1; i < d->len; i++) {
        if (d->text[i - 1] != ' ' || !word_at(d->text, d->len, i, surname))
            continue;
        size_t j = letters_back(d->text, i - 1);
        if (i - 1 - j < 2 || !capital_starts_at(d->text, d->len, j)) continue;
        char f[WORD_MAX];
        lower_utf8(d->text + j, i - 1 - j, f, sizeof f);
        if (!text_given(d, j, f, surname)) continue;
        if (!first[0]) snprintf(first, sizeof first, "%s", f);
        else if (strcmp(first, f) != 0) return true;
    }
    return false;
}

/* The nearest named gold source before `pos`, gender-compatible with g. */
static const gold_attr *named_before(const doc_ctx *d, size_t pos, char g, bool person)
{
    const gold_attr *best = NULL;
    for (size_t i = 0; i < d->ng; i++) {
        const gold_attr *x = &d->ga[i];
        if (!x->source_text || x->source[0].a >= pos) continue;
        if (best && x->source[0].a <= best->source[0].a) continue;
        words w, nm;
        split_words(x->source_text, &w);
        if (is_description(&w) || is_pronoun(&w) || !name_words(&w, &nm)) continue;
        char xg = gender_of(&w);
        if (g && xg && xg != g) continue;
        if (person && nm.n < 2 && !xg) {
            /* a one-word name: accept unless it is an organisation */
        }
        best = x;
    }
    return best;
}

/* The given name of a name (the word before the surname, initials skipped):
 * "" when there is none ("Sen. Cruz", "Trump"). */
static const char *given_name(const words *nm)
{
    for (size_t i = nm->n - 1; i-- > 0;)
        if (strlen(nm->w[i]) > 1) return in_list(nm->w[i], TITLES) ? "" : nm->w[i];
    return "";
}

/* The capitalised word that ends at byte e (exclusive), lower-cased into
 * out, and its start in *start; false when there is none. */
static bool cap_word_before(const doc_ctx *d, size_t e, char *out, size_t *start)
{
    size_t j = letters_back(d->text, e);
    if (e - j < 1 || !capital_starts_at(d->text, d->len, j)) return false;
    lower_utf8(d->text + j, e - j, out, WORD_MAX);
    *start = j;
    return out[0] != '\0';
}

/* The given name of the latest "Given Surname" of the text before pos, of
 * gender g when g is known (a "Mr. Trump" is not the "Ivana Trump" named
 * last). Middle initials are skipped ("Donald J. Trump" gives "donald"); a
 * middle name goes to alt ("Jared Yates Sexton": out "yates", alt "jared"),
 * since a writer may use either with the surname. */
static bool given_before(const doc_ctx *d, size_t pos, const char *surname, char g, char *out,
                         char *alt)
{
    for (size_t i = pos < d->len ? pos : d->len; i-- > 1;) {
        if (d->text[i - 1] != ' ' || !word_at(d->text, d->len, i, surname))
            continue;
        size_t e = i - 1, j;
        /* initials: "J. " before the surname */
        while (e >= 3 && d->text[e - 1] == '.' && d->text[e - 3] == ' ' &&
               cap_word_before(d, e - 1, out, &j) && e - 1 - j == 1)
            e = j - 1;
        if (!cap_word_before(d, e, out, &j) || e - j < 2) continue;
        if (!text_given(d, j, out, surname)) continue;
        char og = given_gender(out);
        if (g && og && og != g) continue;
        if (alt) {
            alt[0] = '\0';
            size_t k;
            if (j >= 2 && d->text[j - 1] == ' ' && cap_word_before(d, j - 1, alt, &k) &&
                (j - 1 - k < 2 || in_list(alt, TITLES) || in_list(alt, STARTERS)))
                alt[0] = '\0';
        }
        return true;
    }
    return false;
}

/* The gold name's given name: its own, else the latest one before the
 * attribution the article uses with the surname, else the last one. alt
 * (may be NULL) gets a second given name, see given_before. */
static void gold_given(const doc_ctx *d, const words *gold, const words *gn, size_t pos, char *out,
                       char *alt)
{
    if (alt) alt[0] = '\0';
    snprintf(out, WORD_MAX, "%s", given_name(gn));
    if (out[0]) return;
    const char *surname = gn->w[gn->n - 1];
    char g = gender_of(gold);
    if (!given_before(d, pos, surname, g, out, alt) &&
        !given_before(d, d->len, surname, g, out, alt)) {
        out[0] = '\0';
        if (alt) alt[0] = '\0';
    }
}

/* Do the predicted words name the gold name's entity? Same surname (last
 * name word); given names equal when both are known; a bare surname is
 * wrong when the article names two people with it. */
static bool names_entity(const doc_ctx *d, const words *gold, size_t pos, const char *pred)
{
    words gn, pw, pn;
    if (!name_words(gold, &gn) || !pred) return false;
    split_words(pred, &pw);
    if (!name_words(&pw, &pn)) return false;
    const char *surname = gn.w[gn.n - 1];
    /* "Xi" for "Xi Jinping": a family name written first */
    if (gn.n == 1 && pn.n == 2 && strcmp(pn.w[0], surname) == 0 && !surname_ambiguous(d, surname))
        return true;
    /* a double surname ("Melba Acosta Febo"), of which the gold gives the
     * first ("Ms. Acosta"): compare with the name cut after it */
    if (strcmp(pn.w[pn.n - 1], surname) != 0 && pn.n >= 3 &&
        strcmp(pn.w[pn.n - 2], surname) == 0 && strlen(pn.w[pn.n - 3]) > 1 &&
        !in_list(pn.w[pn.n - 1], TITLES))
        pn.n--;
    if (strcmp(pn.w[pn.n - 1], surname) != 0) return false;
    const char *pg = given_name(&pn);
    if (!pg[0]) return !surname_ambiguous(d, surname);
    char gg[WORD_MAX], alt[WORD_MAX];
    gold_given(d, gold, &gn, pos, gg, alt);
    return !gg[0] || strcmp(gg, pg) == 0 || (alt[0] && strcmp(alt, pg) == 0);
}

/* Same words once determiners are dropped ("the Clinton campaign"). */
static bool same_phrase(const words *a, const char *pred)
{
    words b;
    split_words(pred, &b);
    static const char *const DET[] = {"the", "a", "an", NULL};
    size_t i = 0, j = 0;
    while (true) {
        while (i < a->n && in_list(a->w[i], DET)) i++;
        while (j < b.n && in_list(b.w[j], DET)) j++;
        if (i == a->n || j == b.n) return i == a->n && j == b.n;
        if (strcmp(a->w[i], b.w[j]) != 0) return false;
        i++, j++;
    }
}

static bool in_raw_quote(size_t pos)
{
    for (size_t i = 0; i < n_raw; i++)
        if (raw_quotes[i].a <= pos && pos < raw_quotes[i].b) return true;
    return false;
}


/* Is `word` (lower case) the surname of a person the article names with a
 * given name of gender g (or of unknown gender)? The given name goes to out. */
static bool person_surname(const doc_ctx *d, const char *word, char g, char *given)
{
    bool found = false;
    for (size_t i = 0; i < d->ng && !found; i++) {
        if (!d->ga[i].source_text) continue;
        words w, nm;
        split_words(d->ga[i].source_text, &w);
        if (is_description(&w) || is_pronoun(&w) || !name_words(&w, &nm) ||
            strcmp(nm.w[nm.n - 1], word) != 0)
            continue;
        gold_given(d, &w, &nm, d->ga[i].source[0].a, given, NULL);
        char xg = gender_of(&w);
        if (!xg) xg = given_gender(given);
        found = !g || !xg || xg == g;
    }
    if (!found && given_before(d, d->len, word, g, given, NULL)) {
        char xg = given_gender(given);
        found = xg && (!g || xg == g); /* a person of the text: known given name */
    }
    return found;
}

/* The antecedent of a he/she/they source at pos: the latest name outside
 * quotes before it that is the surname of a gender-compatible person (a
 * named gold source, or a "Given Surname" of the text with a listed given
 * name). Fills `out` with "given surname". */
static bool pronoun_antecedent(const doc_ctx *d, size_t pos, char g, words *out)
{
    size_t lo = pos > 4000 ? pos - 4000 : 0;
    for (size_t i = pos; i-- > lo + 1;) {
        if (!capital_starts_at(d->text, d->len, i) || in_raw_quote(i))
            continue;
        char wbuf[WORD_MAX];
        size_t j = i, nx;
        UChar32 c;
        while (j < d->len && ((c = char_at(d->text, d->len, j, &nx)) == '-' || u_isalpha(c)))
            j = nx;
        lower_utf8(d->text + i, j - i, wbuf, sizeof wbuf);
        size_t k = strlen(wbuf);
        if (k < 2 || in_list(wbuf, TITLES) || in_list(wbuf, STARTERS) || in_list(wbuf, PRONOUNS))
            continue;
        char given[WORD_MAX] = "";
        if (!person_surname(d, wbuf, g, given)) continue;
        out->n = 0;
        if (given[0]) {
            snprintf(out->w[out->n], WORD_MAX, "%s", given);
            out->cap[out->n] = true;
            out->poss[out->n++] = false;
        }
        snprintf(out->w[out->n], WORD_MAX, "%s", wbuf);
        out->cap[out->n] = true;
        out->poss[out->n++] = false;
        return true;
    }
    return false;
}

/* The name in apposition after a description: the words between the
 * first comma and the next one (or the end), when they are one to four
 * capitalised words ("Her campaign manager, Robby Mook,"). */
static bool appositive_name(const char *src, words *out)
{
    const char *c = strchr(src, ',');
    if (!c)
        return false;
    char buf[256];
    size_t n = strcspn(c + 1, ",");
    if (n >= sizeof buf)
        return false;
    memcpy(buf, c + 1, n);
    buf[n] = '\0';
    split_words(buf, out);
    if (out->n == 0 || out->n > 4)
        return false;
    for (size_t i = 0; i < out->n; i++)
        if (!out->cap[i])
            return false;
    return true;
}

/* The antecedent of a relative pronoun source ("Sen. Tom Hale of Ohio, who
 * mused ..."): the words between the clause mark before the pronoun and the
 * one before that (commas, semicolons, colons, brackets, quotes, line
 * ends), at most 160 bytes; *prev gets the chunk before it, for a
 * description in apposition ("Dan Ruiz, the campaign's strategist, who").
 * False when there is none. */
static bool relative_antecedent(const doc_ctx *d, size_t pos, char *out, size_t outsz,
                                char *prev, size_t prevsz)
{
    size_t e = pos;
    while (e > 0 && d->text[e - 1] == ' ') e--;
    if (e > 0 && d->text[e - 1] == ',') e--;
    char *dst[2] = {out, prev};
    size_t sz[2] = {outsz, prevsz};
    prev[0] = out[0] = '\0';
    for (int k = 0; k < 2; k++) {
        size_t a = e, lo = e > 160 ? e - 160 : 0;
        while (a > lo && !strchr(",;:()\n\"?!", d->text[a - 1])) a--;
        /* a dash ends a clause too ("in delegates - was steep for Mr. X") */
        static const char *const DASHES[] = {" - ", "\xE2\x80\x94", "\xE2\x80\x93", NULL};
        for (size_t i = 0; DASHES[i]; i++)
            for (const char *x = strstr(d->text + a, DASHES[i]); x && (size_t)(x - d->text) < e;
                 x = strstr(x + 1, DASHES[i]))
                if ((size_t)(x - d->text) + strlen(DASHES[i]) <= e)
                    a = (size_t)(x - d->text) + strlen(DASHES[i]);
        while (a < e && d->text[a] == ' ') a++;
        if (a >= e || e - a >= sz[k]) return k > 0;
        memcpy(dst[k], d->text + a, e - a);
        dst[k][e - a] = '\0';
        if (a == 0 || d->text[a - 1] != ',') return true;
        e = a - 1;
    }
    return true;
}

/* Are the predicted words (two or more) the last words of a description
 * ("their editors" of "and will their editors")? */
static bool ends_with_phrase(const words *a, const char *pred)
{
    words b;
    split_words(pred, &b);
    if (b.n < 2 || b.n > a->n || !is_description(a)) return false;
    for (size_t i = 0; i < b.n; i++)
        if (strcmp(a->w[a->n - b.n + i], b.w[i]) != 0) return false;
    return true;
}

static bool is_relative(const words *w)
{
    static const char *const REL[] = {"who", "which", "that", NULL};
    return w->n == 1 && in_list(w->w[0], REL);
}

/* Words that make a source phrase a person ("The Treasury secretary",
 * "political scientist X", "one owner of a shop"): person titles and
 * common role nouns. */
static const char *const PERSON_NOUNS[] = {
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "gov", "governor",
    "president", "secretary", "spokesman", "spokeswoman", "spokesperson", "gen",
    "general", "judge", "justice", "speaker", "leader", "chairman", "chairwoman",
    "director", "candidate", "attorney", "sheriff", "mayor", "rev", "prof",
    "professor", "pope", "lady", "sir", "adviser", "advisor", "manager", "ceo",
    "nominee", "hopeful", "ambassador", "minister", "congressman", "congresswoman",
    "official", "officials", "aide", "aides", "strategist", "analyst", "analysts",
    "scientist", "economist", "expert", "lawyer", "reporter", "owner", "founder",
    "revolutionary", "supporter", "supporters", "voter", "voters", "man", "woman",
    "people", "who", NULL};

/* Is a gold source a person? (a he/she gender, a person noun, or a one-word
 * name that is the surname of a person of the article) */
static bool source_is_person(const doc_ctx *d, const words *w)
{
    if (gender_of(w)) return true;
    for (size_t i = 0; i < w->n; i++)
        if (in_list(w->w[i], PERSON_NOUNS)) return true;
    words nm;
    char given[WORD_MAX] = "";
    return !is_description(w) && name_words(w, &nm) == 1 &&
           person_surname(d, nm.w[0], 0, given) && given[0];
}

/* The antecedent of a gold "it" ("the company wrote ... It added"): the
 * nearest earlier gold source that is neither a pronoun nor a person. */
static const gold_attr *thing_before(const doc_ctx *d, size_t pos)
{
    const gold_attr *best = NULL;
    for (size_t i = 0; i < d->ng; i++) {
        const gold_attr *x = &d->ga[i];
        if (!x->source_text || x->source[0].a >= pos) continue;
        if (best && x->source[0].a <= best->source[0].a) continue;
        words w;
        split_words(x->source_text, &w);
        if (!w.n || is_pronoun(&w) || source_is_person(d, &w)) continue;
        best = x;
    }
    return best;
}

/* 1 correct, 0 wrong, -1 gold cannot be resolved (not judged). */
static int speaker_correct(const doc_ctx *d, const gold_attr *g, const char *pred)
{
    words w;
    split_words(g->source_text, &w);
    if (pred && same_phrase(&w, pred) && !is_pronoun(&w)) return 1;
    if (!is_pronoun(&w) && !is_description(&w)) return names_entity(d, &w, g->source[0].a, pred);
    /* a description with its name in apposition names that person: "the
     * White House spokesman, Josh Earnest," and "another friend, Mariam
     * Emara" are right as "Josh Earnest" and "Mariam Emara" */
    words app;
    if (appositive_name(g->source_text, &app) && names_entity(d, &app, g->source[0].a, pred))
        return 1;
    if (is_anonymous(g->source_text)) return 0;
    /* "who", "which": the phrase it follows, or the name that phrase is in
     * apposition to (from round 9 on; before, the nearest named source) */
    char ante1[192], ante2[192];
    if (is_relative(&w) && relative_antecedent(d, g->source[0].a, ante1, sizeof ante1, ante2,
                                               sizeof ante2)) {
        words a1, a2;
        split_words(ante1, &a1);
        split_words(ante2, &a2);
        if (pred && (same_phrase(&a1, pred) || ends_with_phrase(&a1, pred))) return 1;
        if (a1.n && !is_description(&a1) && name_words(&a1, &(words){0})) {
            /* a role in apposition ("Ana Ruiz, a consultant at Tarven
             * Partners, who") names the person before it */
            bool role = !a1.cap[0] && a2.n && !is_description(&a2);
            return names_entity(d, &a1, g->source[0].a, pred) ||
                   (role && names_entity(d, &a2, g->source[0].a, pred));
        }
        /* a description ("the star journalist, who"): as a description */
    }
    /* "it" is a thing, never a person: the nearest earlier source that is
     * one (from round 13 on; before, the nearest named source, mostly a
     * person, so "the company" for "It added" was wrong) */
    if (is_pronoun(&w) && strcmp(w.w[0], "it") == 0) {
        const gold_attr *t = thing_before(d, g->source[0].a);
        if (!t) return -1;
        words tw;
        split_words(t->source_text, &tw);
        return pred && (same_phrase(&tw, pred) || names_entity(d, &tw, t->source[0].a, pred));
    }
    char gen = 0;
    if (is_pronoun(&w) && strcmp(w.w[0], "he") == 0) gen = 'm';
    if (is_pronoun(&w) && strcmp(w.w[0], "she") == 0) gen = 'f';
    words pa;
    bool have_pa = gen && pronoun_antecedent(d, g->source[0].a, gen, &pa);
    if (have_pa && names_entity(d, &pa, g->source[0].a, pred)) return 1;
    const gold_attr *ante = named_before(d, g->source[0].a, gen, gen != 0);
    if (!ante) return have_pa ? 0 : -1;
    words aw;
    split_words(ante->source_text, &aw);
    return names_entity(d, &aw, ante->source[0].a, pred) || (pred && same_phrase(&aw, pred));
}

/* ---- one article ------------------------------------------------------ */

/* The matching function, for the candidate study (polnear_rank.h). */
typedef struct judge_ctx { const doc_ctx *d; const gold_attr *g; } judge_ctx;
static int judge(void *ctx, const char *pred)
{
    const judge_ctx *j = ctx;
    return speaker_correct(j->d, j->g, pred);
}

typedef struct pair { size_t pred, gold, ov; } pair;

static int by_overlap(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->ov != b->ov) return a->ov > b->ov ? -1 : 1;
    if (a->gold != b->gold) return a->gold < b->gold ? -1 : 1;
    return a->pred < b->pred ? -1 : a->pred > b->pred;
}

static void print_ctx(const char *s, size_t len, span q)
{
    size_t a = q.a > 120 ? q.a - 120 : 0, b = q.b + 120 < len ? q.b + 120 : len;
    while (a > 0 && (s[a] & 0xC0) == 0x80) a--;
    while (b < len && (s[b] & 0xC0) == 0x80) b++;
    printf("    ...");
    for (size_t i = a; i < b; i++) {
        if (i == q.a) printf("[[");
        putchar(s[i] == '\n' ? '|' : s[i]);
        if (i + 1 == q.b) printf("]]");
    }
    printf("...\n");
}

static void eval_article(const dm_extractor *ex, const char *name, const char *date,
                         const char *text, size_t len, gold_attr *ga, size_t ng, totals *t,
                         json_t *jdocs)
{
    size_t n_gold;
    gold_quote *gq = gold_quotes(text, len, ga, ng, &n_gold);
    dm_document doc = {.id = name, .date = date, .text = text, .text_len = len};
    dm_statement_list l;
    dm_statement_list_init(&l);
    dm_error err;
    if (dm_extract(ex, &doc, &l, NULL, &err) != DM_OK) {
        fprintf(stderr, "eval_polnear: %s: extraction failed: %s\n", name, err.message);
        free(gq);
        return;
    }
    if (study && !pr_article_begin(study, ex, &doc, &l))
        fprintf(stderr, "eval_polnear: %s: no candidates (analysis failed)\n", name);
    size_t np = 0;
    size_t *pidx = malloc((l.n + 1) * sizeof *pidx);
    for (size_t i = 0; i < l.n; i++)
        if (l.v[i].kind == DM_KIND_DIRECT || l.v[i].kind == DM_KIND_PARTIAL) pidx[np++] = i;
    pair *pairs = NULL;
    size_t npairs = 0, cap = 0;
    for (size_t i = 0; i < np; i++) {
        span ps = {l.v[pidx[i]].start, l.v[pidx[i]].end};
        for (size_t k = 0; k < n_gold; k++) {
            size_t ov = overlap(ps, gq[k].q);
            if (!ov) continue;
            if (npairs == cap) {
                cap = cap ? cap * 2 : 64;
                pairs = realloc(pairs, cap * sizeof *pairs);
            }
            pairs[npairs++] = (pair){i, k, ov};
        }
    }
    if (npairs) qsort(pairs, npairs, sizeof *pairs, by_overlap);
    bool *pm = calloc(np + 1, 1);
    size_t *gold_pred = malloc((n_gold + 1) * sizeof *gold_pred);
    for (size_t k = 0; k < n_gold; k++) gold_pred[k] = (size_t)-1;
    for (size_t i = 0; i < npairs; i++) {
        if (pm[pairs[i].pred] || gq[pairs[i].gold].matched) continue;
        pm[pairs[i].pred] = true;
        gq[pairs[i].gold].matched = true;
        gold_pred[pairs[i].gold] = pairs[i].pred;
    }
    doc_ctx d = {text, len, ga, ng};
    size_t first_para_end = 0;
    while (first_para_end < len && text[first_para_end] != '\n') first_para_end++;
    size_t doc_matched = 0, doc_correct = 0, doc_judged = 0;
    for (size_t k = 0; k < n_gold; k++) {
        if (!gq[k].matched) {
            if (opt_errors) {
                printf("MISSED %s\n", name);
                print_ctx(text, len, gq[k].q);
            }
            continue;
        }
        doc_matched++;
        const gold_attr *g = &ga[gq[k].attr];
        const dm_statement *st = &l.v[pidx[gold_pred[k]]];
        if (!g->source_text) { t->no_source++; continue; }
        int ok = speaker_correct(&d, g, st->speaker);
        words w;
        split_words(g->source_text, &w);
        if (is_pronoun(&w)) {
            t->gold_pronoun++;
            t->gold_pronoun_correct += ok == 1;
        }
        if (ok < 0) { t->speaker_unresolved++; continue; }
        doc_judged++;
        judge_ctx jc = {&d, g};
        if (ok) {
            doc_correct++;
            if (study) pr_quote(study, pidx[gold_pred[k]], -1, judge, &jc);
            continue;
        }
        int cls = !st->speaker ? WRONG_NONE
                  : gq[k].q.a < first_para_end || st->attribution == DM_ATTR_HEADLINE ? WRONG_HEADLINE
                  : st->attribution == DM_ATTR_CARRIED ? WRONG_CARRIED
                  : st->attribution == DM_ATTR_SUBJECT || st->attribution == DM_ATTR_PREVIOUS
                      ? WRONG_INFERRED
                  : st->attribution == DM_ATTR_RANKED ? WRONG_RANKED
                  : is_pronoun(&w) ? WRONG_PRONOUN
                  : is_anonymous(g->source_text) ? WRONG_ANON
                  : is_description(&w) ? WRONG_DESCRIPTION : WRONG_NAME;
        t->wrong[cls]++;
        if (study) pr_quote(study, pidx[gold_pred[k]], cls, judge, &jc);
        if (opt_errors) {
            printf("WRONG-%s %s gold=\"%s\" pred=\"%s\" cue=\"%s\" attribution=%s\n",
                   WRONG_NAMES[cls], name, g->source_text, st->speaker ? st->speaker : "",
                   st->cue ? st->cue : "", dm_attribution_name(st->attribution));
            print_ctx(text, len, gq[k].q);
        }
    }
    for (size_t i = 0; i < np && opt_errors; i++) {
        if (pm[i]) continue;
        const dm_statement *st = &l.v[pidx[i]];
        printf("SPURIOUS %s pred=\"%s\"\n", name, st->speaker ? st->speaker : "");
        print_ctx(text, len, (span){st->start, st->end});
    }
    t->articles++;
    t->predicted += np;
    t->gold += n_gold;
    t->matched += doc_matched;
    t->speaker_judged += doc_judged;
    t->speaker_correct += doc_correct;
    if (opt_verbose && !opt_json)
        printf("%-60s gold %3zu pred %3zu matched %3zu speaker %3zu/%zu\n", name, n_gold, np,
               doc_matched, doc_correct, doc_judged);
    if (jdocs && opt_verbose)
        json_array_append_new(jdocs, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "article", name,
                                               "gold", (json_int_t)n_gold, "predicted", (json_int_t)np,
                                               "matched", (json_int_t)doc_matched,
                                               "speaker_correct", (json_int_t)doc_correct,
                                               "speaker_judged", (json_int_t)doc_judged));
    free(pm);
    free(gold_pred);
    free(pairs);
    free(pidx);
    free(gq);
    if (study) pr_article_end(study);
    dm_statement_list_clear(&l);
}

/* ---- report ----------------------------------------------------------- */

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0.0; }

static void report(const totals *t, json_t *jdocs)
{
    double p = ratio(t->matched, t->predicted), r = ratio(t->matched, t->gold);
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    double sa = ratio(t->speaker_correct, t->speaker_judged);
    size_t missed = t->gold - t->matched, spurious = t->predicted - t->matched;
    if (opt_json) {
        json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:f,s:f,s:f,s:I,s:I,s:f,s:I,s:I,s:I,s:I,s:I}",
                              "articles", (json_int_t)t->articles, "gold_quotes", (json_int_t)t->gold,
                              "predicted", (json_int_t)t->predicted, "matched", (json_int_t)t->matched,
                              "precision", p, "recall", r, "f1", f,
                              "speaker_judged", (json_int_t)t->speaker_judged,
                              "speaker_correct", (json_int_t)t->speaker_correct, "speaker_accuracy", sa,
                              "speaker_unresolved", (json_int_t)t->speaker_unresolved,
                              "no_source", (json_int_t)t->no_source,
                              "missed", (json_int_t)missed, "spurious", (json_int_t)spurious,
                              "gold_pronoun", (json_int_t)t->gold_pronoun);
        json_t *w = json_object();
        for (int i = 0; i < N_WRONG; i++)
            json_object_set_new(w, WRONG_NAMES[i], json_integer((json_int_t)t->wrong[i]));
        json_object_set_new(o, "wrong_speaker", w);
        if (jdocs) json_object_set(o, "documents", jdocs);
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
        json_decref(o);
        return;
    }
    printf("%-22s %8s %8s %8s\n", "metric", "count", "of", "rate");
    printf("%-22s %8zu\n", "articles", t->articles);
    printf("%-22s %8zu %8zu %8.3f\n", "quote_precision", t->matched, t->predicted, p);
    printf("%-22s %8zu %8zu %8.3f\n", "quote_recall", t->matched, t->gold, r);
    printf("%-22s %8s %8s %8.3f\n", "quote_f1", "", "", f);
    printf("%-22s %8zu %8zu %8.3f\n", "speaker_accuracy", t->speaker_correct, t->speaker_judged, sa);
    printf("%-22s %8zu %8zu %8.3f\n", "pronoun_sources", t->gold_pronoun_correct, t->gold_pronoun,
           ratio(t->gold_pronoun_correct, t->gold_pronoun));
    printf("%-22s %8zu\n", "speaker_unresolved", t->speaker_unresolved);
    printf("%-22s %8zu\n", "gold_without_source", t->no_source);
    printf("%-22s %8zu\n", "missed_quote", missed);
    printf("%-22s %8zu\n", "spurious_quote", spurious);
    for (int i = 0; i < N_WRONG; i++) {
        char label[40];
        snprintf(label, sizeof label, "wrong_speaker:%s", WRONG_NAMES[i]);
        printf("%-22s %8zu\n", label, t->wrong[i]);
    }
}

/* publication_date of every article of metadata.tsv (next to the split):
 * the extractor dates the dictionary's people by it, as a user would. */
typedef struct meta { char **name, **date; size_t n; } meta;

static void load_meta(const char *split, meta *m)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/../metadata.tsv", split);
    size_t len;
    char *buf = read_file(path, &len);
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

static const char *meta_date(const meta *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->name[i], name) == 0) return m->date[i];
    return NULL;
}

static void usage(FILE *fp)
{
    fputs("usage: eval_polnear [--json] [--verbose] [--errors] [--ranker FILE]\n"
          "                    [--candidates] [--rank-cv] [--rank-train FILE] SPLIT_DIR [LEXICON_DIR]\n"
          "  SPLIT_DIR: a PolNeAR split (text/*.txt, attributions/*.ann)\n"
          "  --json     one JSON object instead of the table\n"
          "  --verbose  per-article figures\n"
          "  --errors   print every missed, spurious and wrong-speaker quote\n"
          "  --candidates  after the table, the oracle of candidate speakers per error\n"
          "             class (bench/POLNEAR.md, round 13)\n"
          "  --rank-cv  --candidates and a 5-fold CV (by article) of a LIBLINEAR ranker\n"
          "             over the candidates of the quotes the rules only guess\n"
          "  --rank-train FILE  train that ranker on the whole split, write its weights\n"
          "             (scripts/train-speaker-ranker.sh)\n"
          "  --ranker FILE  extract with the speaker ranker of FILE (models/speaker_ranker.tsv;\n"
          "             not with the study options, whose candidates are the rules')\n",
          fp);
}

static bool load_lexicons(const char *dir, dm_actors **actors, dm_cues **cues)
{
    char path[8192];
    dm_error err;
    snprintf(path, sizeof path, "%s/actors.tsv", dir);
    if (dm_actors_create(actors, &err) != DM_OK || dm_actors_load_tsv(*actors, path, &err) != DM_OK) {
        fprintf(stderr, "eval_polnear: %s: %s\n", path, err.message);
        return false;
    }
    snprintf(path, sizeof path, "%s/cues.tsv", dir);
    if (dm_cues_load(path, cues, &err) != DM_OK) {
        fprintf(stderr, "eval_polnear: %s: %s\n", path, err.message);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) opt_json = true;
        else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) opt_verbose = true;
        else if (strcmp(argv[i], "--errors") == 0) opt_errors = true;
        else if ((strcmp(argv[i], "--ranker") == 0 || strcmp(argv[i], "--rank-train") == 0) &&
                 i + 1 < argc) {
            if (argv[i][6] == '-') opt_rank_train = argv[i + 1];
            else opt_ranker = argv[i + 1];
            i++;
            if (opt_rank_train && !study && !(study = pr_create(WRONG_NAMES, N_WRONG))) {
                fputs("eval_polnear: out of memory\n", stderr);
                return EXIT_CANNOT_RUN;
            }
        }
        else if (strcmp(argv[i], "--candidates") == 0 || strcmp(argv[i], "--rank-cv") == 0) {
            opt_rank_cv |= strcmp(argv[i], "--rank-cv") == 0;
            if (!study && !(study = pr_create(WRONG_NAMES, N_WRONG))) {
                fputs("eval_polnear: out of memory\n", stderr);
                return EXIT_CANNOT_RUN;
            }
        }
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { usage(stdout); return 0; }
        else if (argv[i][0] == '-' && argv[i][1]) { usage(stderr); return EXIT_USAGE; }
        else if (npos < 2) pos[npos++] = argv[i];
        else { usage(stderr); return EXIT_USAGE; }
    }
    if (npos < 1) { usage(stderr); return EXIT_USAGE; }
    char lexdir[2048];
    const char *src = getenv("DM_SOURCE_DIR");
    if (pos[1]) snprintf(lexdir, sizeof lexdir, "%s", pos[1]);
    else if (src && *src) snprintf(lexdir, sizeof lexdir, "%s/lexicons", src);
    else snprintf(lexdir, sizeof lexdir, "lexicons");

    dm_actors *actors = NULL;
    dm_cues *cues = NULL;
    dm_extractor *ex = NULL;
    dm_ranker *ranker = NULL;
    int rc = EXIT_CANNOT_RUN;
    char tdir[4096], adir[4096];
    snprintf(tdir, sizeof tdir, "%s/text", pos[0]);
    snprintf(adir, sizeof adir, "%s/attributions", pos[0]);
    size_t nt = 0, na = 0;
    char **texts = list_dir(tdir, ".txt", &nt);
    char **anns = list_dir(adir, ".ann", &na);
    dm_error err;
    totals t = {0};
    meta md = {0};
    json_t *jdocs = opt_json && opt_verbose ? json_array() : NULL;
    if (!texts || !anns || !nt) {
        fprintf(stderr, "eval_polnear: cannot read %s or %s\n", tdir, adir);
        goto done;
    }
    if (!load_lexicons(lexdir, &actors, &cues)) goto done;
    load_genders(lexdir);
    load_meta(pos[0], &md);
    if (dm_extractor_create(actors, cues, &ex, &err) != DM_OK) goto done;
    if (opt_ranker && study) {
        fputs("eval_polnear: --ranker goes with none of --candidates, --rank-cv, --rank-train\n",
              stderr);
        rc = EXIT_USAGE;
        goto done;
    }
    if (opt_ranker) {
        if (dm_ranker_load(opt_ranker, &ranker, &err) != DM_OK) {
            fprintf(stderr, "eval_polnear: %s:%ld: %s\n", err.where, err.line, err.message);
            goto done;
        }
        dm_extractor_set_ranker(ex, ranker);
    }
    for (size_t i = 0; i < nt; i++) {
        size_t stem = strlen(texts[i]) - 4;
        /* the first annotator's file (names sort: <article>_<annotator>.ann) */
        const char *ann = NULL;
        for (size_t k = 0; k < na && !ann; k++)
            if (strncmp(anns[k], texts[i], stem) == 0 && anns[k][stem] == '_' &&
                !strchr(anns[k] + stem + 1, '_'))
                ann = anns[k];
        if (!ann) continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", tdir, texts[i]);
        size_t len;
        char *text = read_file(path, &len);
        if (!text) { fprintf(stderr, "eval_polnear: cannot read %s\n", path); continue; }
        cp_map m;
        if (!cp_map_make(text, len, &m)) { free(text); continue; }
        snprintf(path, sizeof path, "%s/%s", adir, ann);
        size_t ng;
        gold_attr *ga = read_ann(path, text, &m, &ng);
        char id[512];
        snprintf(id, sizeof id, "%.*s", (int)stem, texts[i]);
        eval_article(ex, id, meta_date(&md, id), text, len, ga, ng, &t, jdocs);
        for (size_t k = 0; k < ng; k++) free(ga[k].source_text);
        free(ga);
        free(m.byte);
        free(text);
    }
    report(&t, jdocs);
    if (study && (opt_rank_cv || !opt_rank_train)) pr_report(study, stdout, opt_rank_cv);
    rc = 0;
    if (opt_rank_train) {
        char prov[8192];
        snprintf(prov, sizeof prov,
                 "source\tPolNeAR %s (%zu articles, %zu judged quotes; the first annotator's "
                 "file of each)\n"
                 "licence\tPolNeAR: research use; cite Newell, Margolin & Ruths, LREC 2018\n"
                 "trainer\teval_polnear --rank-train (LIBLINEAR L2R_LR, C=1, eps=0.01, no bias; "
                 "attributions none, carried, subject, previous_sentence, pronoun; margins for "
                 "pronoun, previous_sentence by 5-fold CV by article, losing in no fold)\n",
                 pos[0], t.articles, t.speaker_judged);
        if (!pr_train(study, opt_rank_train, prov)) {
            fprintf(stderr, "eval_polnear: %s: cannot train or write the ranker\n", opt_rank_train);
            rc = EXIT_CANNOT_RUN;
        }
    }
done:
    json_decref(jdocs);
    pr_destroy(&study);
    for (size_t i = 0; i < gnames.n; i++) free(gnames.name[i]);
    free(gnames.name);
    free(gnames.g);
    free(gsorted);
    free(raw_quotes);
    for (size_t i = 0; i < md.n; i++) { free(md.name[i]); free(md.date[i]); }
    free(md.name);
    free(md.date);
    free_list(texts, nt);
    free_list(anns, na);
    dm_extractor_destroy(&ex);
    dm_ranker_destroy(&ranker);
    dm_cues_destroy(&cues);
    dm_actors_destroy(&actors);
    return rc;
}
