/*
 * eval_extraction: measure quote extraction against the golden articles.
 *
 *   eval_extraction [--verbose] [--jsonl-text] ARTICLES.jsonl GOLD.jsonl [LEXICON_DIR]
 *
 * Runs dm_extract on every article and matches each gold quote (see
 * tests/articles/README.md) to the extracted statement whose ORIGINAL byte
 * span overlaps the gold quote's position most (direct/partial statements
 * preferred). Prints one metric per line: name, count, denominator, rate;
 * then gold/found/speaker figures per attribution pattern and speaker type
 * when the gold records carry "pattern" and "speaker_type".
 *
 * An article's text is read from ID.txt next to ARTICLES.jsonl when that
 * file exists, because JSON cannot carry the invalid UTF-8 bytes some test
 * articles hold on purpose; --jsonl-text uses the JSON text instead.
 *
 * Exit status: 0 when the evaluation ran (whatever the figures), 2 on a bad
 * command line, 3 when the lexicons or the input files cannot be read.
 */
#include "demarche/actors.h"
#include "demarche/core.h"
#include "demarche/statements.h"
#include "demarche/text.h"

#include <jansson.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include <stdbool.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { EXIT_USAGE = 2, EXIT_CANNOT_RUN = 3 };

typedef struct article {
    char *id, *date, *title, *source;
    char *text;
    size_t text_len;
    dm_statement_list statements;
    bool extracted;               /* dm_extract succeeded */
    bool *statement_matched;      /* per statement: overlaps a gold span */
    size_t n_gold, n_found, n_speaker; /* per-document figures for --verbose */
} article;

typedef struct gold_quote {
    size_t doc;                   /* index into the article array */
    char *quote, *speaker, *speaker_actor, *kind;
    char *pattern, *speaker_type; /* optional labels for the breakdown */
    bool located;                 /* quote text found in the article */
    size_t start, end;            /* its byte span in the article text */
    size_t n_cont;                /* continuation spans of a multi quote */
    size_t cont_start[8], cont_end[8];
} gold_quote;

typedef struct counts {
    size_t gold, located, found, speaker, surname, actor, kind, tight;
    size_t extracted, extracted_matched, extract_errors, warnings;
} counts;

/* Figures for one label ("pattern:anaphor-cue", "type:anonymous"). */
typedef struct tally {
    char label[64];
    size_t gold, found, speaker, surname;
} tally;

enum { MAX_TALLIES = 64 };
static tally tallies[MAX_TALLIES];
static size_t n_tallies;

static tally *tally_for(const char *prefix, const char *name)
{
    char label[64];
    snprintf(label, sizeof label, "%s:%s", prefix, name ? name : "(none)");
    for (size_t i = 0; i < n_tallies; i++)
        if (strcmp(tallies[i].label, label) == 0) return &tallies[i];
    if (n_tallies == MAX_TALLIES) return NULL;
    tally *t = &tallies[n_tallies++];
    snprintf(t->label, sizeof t->label, "%s", label);
    return t;
}

static int tally_cmp(const void *a, const void *b)
{
    return strcmp(((const tally *)a)->label, ((const tally *)b)->label);
}

/* Count one gold quote under its pattern and speaker type. */
static void tally_add(const char *pattern, const char *type, bool found,
                      bool speaker, bool surname)
{
    tally *ts[2] = {tally_for("pattern", pattern), tally_for("type", type)};
    for (int i = 0; i < 2; i++) {
        if (!ts[i]) continue;
        ts[i]->gold++;
        ts[i]->found += found;
        ts[i]->speaker += speaker;
        ts[i]->surname += surname;
    }
}

static bool verbose;

/* ---- small helpers -------------------------------------------------- */

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static const char *json_str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool read_file(const char *path, char **out, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    long size = fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
    char *buf = size >= 0 && fseek(fp, 0, SEEK_SET) == 0 ? malloc((size_t)size + 1) : NULL;
    bool ok = buf && fread(buf, 1, (size_t)size, fp) == (size_t)size;
    fclose(fp);
    if (!ok) { free(buf); return false; }
    buf[size] = '\0';
    *out = buf;
    *len = (size_t)size;
    return true;
}

static bool file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static const char *find_bytes(const char *hay, size_t hay_len, const char *needle,
                              size_t needle_len, size_t from)
{
    if (needle_len == 0) return NULL;
    for (size_t i = from; i + needle_len <= hay_len; i++)
        if (memcmp(hay + i, needle, needle_len) == 0) return hay + i;
    return NULL;
}

/* Comparable form of a speaker name: ICU case folding, curly apostrophes as
 * ', every run of white space (NBSP included) as one space, trimmed. The
 * result is UTF-16 in `out` (capacity `cap`); returns its length. */
static int32_t speaker_key(const char *utf8, UChar *out, int32_t cap)
{
    UChar raw[512], folded[1024];
    int32_t raw_len = 0, folded_len = 0, n = 0;
    UErrorCode uerr = U_ZERO_ERROR;
    u_strFromUTF8WithSub(raw, 512, &raw_len, utf8, -1, 0xFFFD, NULL, &uerr);
    if (U_FAILURE(uerr)) return 0;
    folded_len = u_strFoldCase(folded, 1024, raw, raw_len, U_FOLD_CASE_DEFAULT, &uerr);
    if (U_FAILURE(uerr)) return 0;
    bool pending_space = false;
    for (int32_t i = 0; i < folded_len;) {
        UChar32 c;
        U16_NEXT(folded, i, folded_len, c);
        if (u_isUWhiteSpace(c)) { pending_space = n > 0; continue; }
        if (c == 0x2019 || c == 0x2018 || c == 0x02BC) c = '\'';
        if (pending_space && n < cap) out[n++] = ' ';
        pending_space = false;
        if (n + U16_LENGTH(c) > cap) break;
        U16_APPEND_UNSAFE(out, n, c);
    }
    return n;
}

static bool speaker_equal(const char *gold, const char *got)
{
    if (!gold || !got) return !gold && !got;
    UChar a[512], b[512];
    int32_t na = speaker_key(gold, a, 512), nb = speaker_key(got, b, 512);
    return na > 0 && na == nb && u_memcmp(a, b, na) == 0;
}

/* Relaxed match: the last word of the gold speaker ("Lavrov", "official",
 * "Kremlin") is one of the words of the extracted speaker. */
static bool speaker_surname_match(const char *gold, const char *got)
{
    if (!gold || !got) return false;
    UChar a[512], b[512];
    int32_t na = speaker_key(gold, a, 512), nb = speaker_key(got, b, 512);
    int32_t last = na;
    while (last > 0 && a[last - 1] != ' ') last--;
    int32_t wlen = na - last;
    if (wlen == 0) return false;
    for (int32_t i = 0; i + wlen <= nb; i++) {
        bool starts = i == 0 || b[i - 1] == ' ';
        bool ends = i + wlen == nb || b[i + wlen] == ' ';
        if (starts && ends && u_memcmp(a + last, b + i, wlen) == 0) return true;
    }
    return false;
}

static bool actor_equal(const char *gold, const char *got)
{
    if (!gold || !got) return !gold && !got;
    return strcasecmp(gold, got) == 0; /* actor codes are ASCII */
}

static bool is_quote_kind(dm_statement_kind kind)
{
    return kind == DM_KIND_DIRECT || kind == DM_KIND_PARTIAL;
}

/* At most 70 bytes of a quote, in double quotes, on one line. */
static void excerpt(FILE *fp, const char *s, size_t len)
{
    int n = (int)strcspn(s, "\n");
    n = n < (int)len ? n : (int)len;
    fprintf(fp, "\"%.*s%s\"", n < 70 ? n : 70, s, n > 70 ? "..." : "");
}

/* ---- loading -------------------------------------------------------- */

static void count_warning(void *user, dm_log_level level, const char *where,
                          long line, const char *message)
{
    counts *c = user;
    if (level >= DM_LOG_WARNING) c->warnings++;
    if (verbose && level >= DM_LOG_WARNING)
        fprintf(stderr, "warning: %s: %s\n", where ? where : "", message);
}

typedef bool (*record_fn)(json_t *record, const char *path, long line, void *user);

/* Call `fn` on every JSON object of a JSON Lines file. */
static bool for_each_record(const char *path, record_fn fn, void *user)
{
    FILE *fp = fopen(path, "r");
    if (!fp) { fprintf(stderr, "eval_extraction: cannot open %s\n", path); return false; }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    bool ok = true;
    while (ok && (len = getline(&line, &cap, fp)) != -1) {
        lineno++;
        if (strspn(line, " \t\r\n") == (size_t)len) continue;
        json_error_t jerr;
        json_t *rec = json_loadb(line, (size_t)len, 0, &jerr);
        if (!json_is_object(rec)) {
            fprintf(stderr, "%s:%ld: %s\n", path, lineno,
                    rec ? "not a JSON object" : jerr.text);
            ok = false;
        } else {
            ok = fn(rec, path, lineno, user);
        }
        json_decref(rec);
    }
    free(line);
    fclose(fp);
    return ok;
}

typedef struct article_set {
    article *v;
    size_t n, cap;
    char dir[4096];       /* directory of the articles file, for ID.txt */
    bool prefer_files;
} article_set;

static bool add_article(json_t *rec, const char *path, long line, void *user)
{
    article_set *set = user;
    const char *id = json_str(rec, "id"), *text = json_str(rec, "text");
    if (!id || !text) {
        fprintf(stderr, "%s:%ld: record needs string \"id\" and \"text\"\n", path, line);
        return false;
    }
    if (set->n == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 16;
        article *v = realloc(set->v, cap * sizeof *v);
        if (!v) return false;
        set->v = v;
        set->cap = cap;
    }
    article *a = &set->v[set->n];
    memset(a, 0, sizeof *a);
    a->id = strdup(id);
    a->date = dup_or_null(json_str(rec, "date"));
    a->title = dup_or_null(json_str(rec, "title"));
    a->source = dup_or_null(json_str(rec, "source"));
    dm_statement_list_init(&a->statements);
    char file[8192];
    snprintf(file, sizeof file, "%s/%s.txt", set->dir, id);
    if (!(set->prefer_files && file_exists(file) && read_file(file, &a->text, &a->text_len))) {
        a->text = strdup(text);
        a->text_len = json_string_length(json_object_get(rec, "text"));
    }
    set->n++;
    return a->id && a->text;
}

typedef struct gold_set {
    gold_quote *v;
    size_t n, cap;
    article_set *articles;
} gold_set;

static void locate_gold(gold_quote *g, const article *a, json_t *rec)
{
    json_t *occ = json_object_get(rec, "occurrence");
    long k = json_is_integer(occ) ? (long)json_integer_value(occ) : 1;
    size_t qlen = strlen(g->quote), from = 0;
    const char *hit = NULL;
    for (long i = 0; i < k; i++) {
        hit = find_bytes(a->text, a->text_len, g->quote, qlen, from);
        if (!hit) return;
        from = (size_t)(hit - a->text) + 1;
    }
    g->located = true;
    g->start = (size_t)(hit - a->text);
    g->end = g->start + qlen;
    /* Continuation paragraphs of a multi-paragraph quote: found after it. */
    json_t *cont = json_object_get(rec, "continuation"), *item;
    size_t idx, after = g->end;
    json_array_foreach(cont, idx, item) {
        const char *c = json_string_value(item);
        if (!c || g->n_cont == 8) continue;
        const char *p = find_bytes(a->text, a->text_len, c, strlen(c), after);
        if (!p) continue;
        g->cont_start[g->n_cont] = (size_t)(p - a->text);
        g->cont_end[g->n_cont] = g->cont_start[g->n_cont] + strlen(c);
        after = g->cont_end[g->n_cont++];
    }
}

static bool add_gold(json_t *rec, const char *path, long line, void *user)
{
    gold_set *set = user;
    const char *doc = json_str(rec, "doc"), *quote = json_str(rec, "quote");
    if (!doc || !quote) {
        fprintf(stderr, "%s:%ld: record needs string \"doc\" and \"quote\"\n", path, line);
        return false;
    }
    size_t d = 0;
    while (d < set->articles->n && strcmp(set->articles->v[d].id, doc) != 0) d++;
    if (d == set->articles->n) {
        fprintf(stderr, "%s:%ld: unknown doc \"%s\"\n", path, line, doc);
        return false;
    }
    if (set->n == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 64;
        gold_quote *v = realloc(set->v, cap * sizeof *v);
        if (!v) return false;
        set->v = v;
        set->cap = cap;
    }
    gold_quote *g = &set->v[set->n++];
    memset(g, 0, sizeof *g);
    g->doc = d;
    g->quote = strdup(quote);
    g->speaker = dup_or_null(json_str(rec, "speaker"));
    g->speaker_actor = dup_or_null(json_str(rec, "speaker_actor"));
    g->kind = dup_or_null(json_str(rec, "kind"));
    g->pattern = dup_or_null(json_str(rec, "pattern"));
    g->speaker_type = dup_or_null(json_str(rec, "speaker_type"));
    locate_gold(g, &set->articles->v[d], rec);
    if (!g->located)
        fprintf(stderr, "%s:%ld: quote not found in %s: %s\n", path, line, doc, quote);
    return g->quote != NULL;
}

/* ---- extraction and matching ---------------------------------------- */

static void extract_all(const dm_extractor *ex, article_set *set, counts *c)
{
    dm_logger logger = {count_warning, c};
    for (size_t i = 0; i < set->n; i++) {
        article *a = &set->v[i];
        dm_document doc = {.id = a->id, .date = a->date, .title = a->title,
                           .source = a->source, .text = a->text,
                           .text_len = a->text_len};
        dm_error err;
        dm_error_clear(&err);
        dm_status st = dm_extract(ex, &doc, &a->statements, &logger, &err);
        if (st != DM_OK) {
            char buf[1024];
            fprintf(stderr, "eval_extraction: %s: %s\n", a->id,
                    dm_error_format(&err, buf, sizeof buf));
            c->extract_errors++;
            dm_statement_list_clear(&a->statements);
            continue;
        }
        a->extracted = true;
        a->statement_matched = calloc(a->statements.n ? a->statements.n : 1, sizeof(bool));
    }
}

static size_t overlap(size_t a0, size_t a1, size_t b0, size_t b1)
{
    size_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi > lo ? hi - lo : 0;
}

/* The statement that best covers [start, end): quote kinds first, then the
 * largest overlap. Marks every overlapping statement as matched. */
static const dm_statement *best_statement(article *a, size_t start, size_t end)
{
    const dm_statement *best = NULL;
    size_t best_overlap = 0;
    bool best_quote = false;
    for (size_t i = 0; i < a->statements.n; i++) {
        const dm_statement *s = &a->statements.v[i];
        size_t ov = overlap(s->start, s->end, start, end);
        if (ov == 0) continue;
        a->statement_matched[i] = true;
        bool q = is_quote_kind(s->kind);
        if (!best || (q && !best_quote) || (q == best_quote && ov > best_overlap)) {
            best = s;
            best_overlap = ov;
            best_quote = q;
        }
    }
    return best;
}

static void report(const char *what, const gold_quote *g, const article *a,
                   const char *gold_value, const char *got_value)
{
    if (!verbose) return;
    printf("%-8s %-32s ", what, a->id);
    excerpt(stdout, g->quote, strlen(g->quote));
    if (gold_value || got_value)
        printf("  gold=%s got=%s", gold_value ? gold_value : "(none)",
               got_value ? got_value : "(none)");
    putchar('\n');
}

static void score(article_set *arts, gold_set *gold, counts *c)
{
    for (size_t i = 0; i < gold->n; i++) {
        gold_quote *g = &gold->v[i];
        article *a = &arts->v[g->doc];
        c->gold++;
        a->n_gold++;
        if (!g->located) continue;
        c->located++;
        const dm_statement *s = NULL;
        if (a->extracted) {
            for (size_t k = 0; k < g->n_cont; k++) /* not scored, not false positives */
                (void)best_statement(a, g->cont_start[k], g->cont_end[k]);
            s = best_statement(a, g->start, g->end);
        }
        bool exact = s && speaker_equal(g->speaker, s->speaker);
        bool surname = s && (exact || speaker_surname_match(g->speaker, s->speaker));
        tally_add(g->pattern, g->speaker_type, s != NULL, exact, surname);
        if (!s) { report("MISS", g, a, g->speaker, NULL); continue; }
        c->found++;
        a->n_found++;
        /* Tight span: intersection over union of the two spans >= 1/2; a
         * statement running on into the continuation paragraphs of a
         * multi-paragraph quote is compared with the whole quote. */
        size_t gend = g->n_cont && s->end > g->end ? g->cont_end[g->n_cont - 1] : g->end;
        size_t lo = s->start < g->start ? s->start : g->start;
        size_t hi = s->end > gend ? s->end : gend;
        if (2 * overlap(s->start, s->end, g->start, gend) >= hi - lo) c->tight++;
        else report("SPAN", g, a, NULL, NULL);
        if (exact) { c->speaker++; a->n_speaker++; }
        else report("SPEAKER", g, a, g->speaker, s->speaker);
        if (surname) c->surname++;
        if (actor_equal(g->speaker_actor, s->speaker_actor)) c->actor++;
        else report("ACTOR", g, a, g->speaker_actor, s->speaker_actor);
        const char *kind = dm_statement_kind_name(s->kind);
        if (g->kind && kind && strcmp(g->kind, kind) == 0) c->kind++;
        else report("KIND", g, a, g->kind, kind);
    }
    for (size_t d = 0; d < arts->n; d++) {
        article *a = &arts->v[d];
        if (!a->extracted) continue;
        for (size_t i = 0; i < a->statements.n; i++) {
            const dm_statement *s = &a->statements.v[i];
            if (!is_quote_kind(s->kind)) continue;
            c->extracted++;
            if (a->statement_matched[i]) { c->extracted_matched++; continue; }
            if (verbose) {
                printf("%-8s %-32s ", "EXTRA", a->id);
                excerpt(stdout, a->text + s->start, s->end - s->start);
                printf("  speaker=%s\n", s->speaker ? s->speaker : "(none)");
            }
        }
    }
}

static void print_documents(const article_set *arts)
{
    for (size_t d = 0; d < arts->n; d++) {
        const article *a = &arts->v[d];
        printf("DOC      %-32s gold %3zu found %3zu speaker %3zu%s\n", a->id,
               a->n_gold, a->n_found, a->n_speaker,
               a->extracted ? "" : " (extraction failed)");
    }
}

static void print_rate(const char *name, size_t n, size_t of)
{
    printf("%-20s %6zu %6zu %7.3f\n", name, n, of, of ? (double)n / (double)of : 0.0);
}

static void print_counts(const counts *c, size_t n_docs)
{
    printf("%-20s %6s %6s %7s\n", "metric", "count", "of", "rate");
    printf("%-20s %6zu\n", "documents", n_docs);
    printf("%-20s %6zu\n", "gold_quotes", c->gold);
    print_rate("located", c->located, c->gold);
    print_rate("found", c->found, c->gold);           /* recall */
    print_rate("speaker_exact", c->speaker, c->found);
    print_rate("speaker_surname", c->surname, c->found);
    print_rate("speaker_actor", c->actor, c->found);
    print_rate("kind", c->kind, c->found);
    print_rate("span_tight", c->tight, c->found);
    print_rate("speaker_exact_all", c->speaker, c->gold);
    print_rate("precision", c->extracted_matched, c->extracted);
    printf("%-20s %6zu\n", "false_positives", c->extracted - c->extracted_matched);
    printf("%-20s %6zu\n", "extract_errors", c->extract_errors);
    printf("%-20s %6zu\n", "warnings", c->warnings);
    if (n_tallies == 0) return;
    qsort(tallies, n_tallies, sizeof *tallies, tally_cmp);
    printf("\n%-32s %5s %5s %7s %7s\n", "breakdown", "gold", "found", "speaker", "surname");
    for (size_t i = 0; i < n_tallies; i++)
        printf("%-32s %5zu %5zu %7zu %7zu\n", tallies[i].label, tallies[i].gold,
               tallies[i].found, tallies[i].speaker, tallies[i].surname);
}

/* ---- main ----------------------------------------------------------- */

static void usage(FILE *fp)
{
    fputs("usage: eval_extraction [--verbose] [--jsonl-text] ARTICLES.jsonl GOLD.jsonl [LEXICON_DIR]\n"
          "  LEXICON_DIR defaults to $DM_SOURCE_DIR/lexicons, else ./lexicons\n", fp);
}

/* DIR/NAME into path; false (with a message) when it does not fit. */
static bool lexicon_path(char *path, size_t size, const char *dir, const char *name)
{
    int n = snprintf(path, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size) {
        fprintf(stderr, "eval_extraction: lexicon directory name too long: %s\n", dir);
        return false;
    }
    return true;
}

static bool load_lexicons(const char *dir, dm_actors **actors, dm_cues **cues,
                          dm_abbreviations **abbr)
{
    char path[4096];
    dm_error err;
    char buf[1024];
    dm_error_clear(&err);
    if (!lexicon_path(path, sizeof path, dir, "abbreviations.tsv"))
        return false;
    if (file_exists(path) && (dm_abbreviations_create(abbr, &err) != DM_OK ||
                              dm_abbreviations_load(*abbr, path, &err) != DM_OK))
        fprintf(stderr, "eval_extraction: %s\n", dm_error_format(&err, buf, sizeof buf));
    if (!lexicon_path(path, sizeof path, dir, "actors.tsv"))
        return false;
    if (dm_actors_create(actors, &err) != DM_OK ||
        dm_actors_load_tsv(*actors, path, &err) != DM_OK) {
        fprintf(stderr, "eval_extraction: %s\n", dm_error_format(&err, buf, sizeof buf));
        return false;
    }
    if (!lexicon_path(path, sizeof path, dir, "cues.tsv"))
        return false;
    if (dm_cues_load(path, cues, &err) != DM_OK) {
        fprintf(stderr, "eval_extraction: %s\n", dm_error_format(&err, buf, sizeof buf));
        return false;
    }
    return true;
}

static void free_all(article_set *arts, gold_set *gold)
{
    for (size_t i = 0; i < arts->n; i++) {
        article *a = &arts->v[i];
        free(a->id); free(a->date); free(a->title); free(a->source); free(a->text);
        free(a->statement_matched);
        dm_statement_list_clear(&a->statements);
    }
    free(arts->v);
    for (size_t i = 0; i < gold->n; i++) {
        gold_quote *g = &gold->v[i];
        free(g->quote); free(g->speaker); free(g->speaker_actor); free(g->kind);
        free(g->pattern); free(g->speaker_type);
    }
    free(gold->v);
}

int main(int argc, char **argv)
{
    const char *pos[3] = {NULL, NULL, NULL};
    int npos = 0;
    bool prefer_files = true;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) verbose = true;
        else if (strcmp(argv[i], "--jsonl-text") == 0) prefer_files = false;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { usage(stdout); return 0; }
        else if (argv[i][0] == '-' && argv[i][1]) { usage(stderr); return EXIT_USAGE; }
        else if (npos < 3) pos[npos++] = argv[i];
        else { usage(stderr); return EXIT_USAGE; }
    }
    if (npos < 2) { usage(stderr); return EXIT_USAGE; }

    char lexdir[4096];
    const char *src = getenv("DM_SOURCE_DIR");
    if (pos[2]) snprintf(lexdir, sizeof lexdir, "%s", pos[2]);
    else if (src && *src) snprintf(lexdir, sizeof lexdir, "%s/lexicons", src);
    else snprintf(lexdir, sizeof lexdir, "lexicons");

    dm_actors *actors = NULL;
    dm_cues *cues = NULL;
    dm_extractor *ex = NULL;
    dm_ranker *ranker = NULL;
    dm_abbreviations *abbr = NULL;
    article_set arts = {.prefer_files = prefer_files};
    gold_set gold = {.articles = &arts};
    counts c = {0};
    int rc = EXIT_CANNOT_RUN;

    const char *slash = strrchr(pos[0], '/');
    if (slash) snprintf(arts.dir, sizeof arts.dir, "%.*s", (int)(slash - pos[0]), pos[0]);
    else snprintf(arts.dir, sizeof arts.dir, ".");

    dm_error err;
    dm_error_clear(&err);
    if (!load_lexicons(lexdir, &actors, &cues, &abbr)) goto done;
    if (dm_extractor_create(actors, cues, &ex, &err) != DM_OK) {
        char buf[1024];
        fprintf(stderr, "eval_extraction: %s\n", dm_error_format(&err, buf, sizeof buf));
        goto done;
    }
    dm_extractor_set_abbreviations(ex, abbr);
    /* the speaker ranker of the data directory the lexicons are in
     * (DIR/lexicons -> DIR/models/speaker_ranker.tsv), as demarche-score
     * loads it by default */
    char rpath[4200];
    snprintf(rpath, sizeof rpath, "%s/../models/speaker_ranker.tsv", lexdir);
    if (access(rpath, F_OK) == 0) {
        if (dm_ranker_load(rpath, &ranker, &err) != DM_OK) {
            char buf[1024];
            fprintf(stderr, "eval_extraction: %s\n", dm_error_format(&err, buf, sizeof buf));
            goto done;
        }
        dm_extractor_set_ranker(ex, ranker);
    }
    if (!for_each_record(pos[0], add_article, &arts)) goto done;
    if (!for_each_record(pos[1], add_gold, &gold)) goto done;

    extract_all(ex, &arts, &c);
    score(&arts, &gold, &c);
    if (verbose) print_documents(&arts);
    print_counts(&c, arts.n);
    rc = 0;
done:
    free_all(&arts, &gold);
    dm_extractor_destroy(&ex);
    dm_ranker_destroy(&ranker);
    dm_abbreviations_destroy(&abbr);
    dm_cues_destroy(&cues);
    dm_actors_destroy(&actors);
    return rc;
}
