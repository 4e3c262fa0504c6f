/* Loading and validating the seven lexicon files into one phrase table.
 *
 * Every term is normalised and tokenised by the text layer exactly as the
 * statements are, then keyed by its case-folded tokens joined with ' ', so
 * that a term matches whatever tokenisation the text layer chooses. All
 * proper prefixes of multi-token terms are stored too (LEX_PREFIX), which
 * lets the matcher stop extending a phrase as soon as no term can follow. */
#include "features/features_internal.h"
#include "core/file_internal.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TERM_TOKENS 8

/* The small fields of dm_lex_entry hold what they are given. */
_Static_assert(HOSTILE_CATEGORY_COUNT <= 127 && CORDIAL_CATEGORY_COUNT <= 127 &&
               HEDGE_CATEGORY_COUNT <= 127 && IMPLICIT_CATEGORY_COUNT <= 127 &&
               MAX_TERM_TOKENS <= 127, "dm_lex_entry's int8_t fields");
_Static_assert((LEX_HOSTILE | LEX_CORDIAL | LEX_NEGATOR | LEX_INTENSIFIER | LEX_HEDGE |
                LEX_PREFIX | LEX_SENTIMENT | LEX_IMPLICIT) <= UINT8_MAX,
               "dm_lex_entry's uint8_t flags");

const char *const dm_hostile_category_names[HOSTILE_CATEGORY_COUNT] = {
    "accusation", "condemnation", "threat", "insult", "extreme", "demand",
    "rejection", "concern", "criticism", "warning", "sanction", "violence"};
const char *const dm_cordial_category_names[CORDIAL_CATEGORY_COUNT] = {
    "thanks", "welcome", "praise", "cooperation", "agreement", "support",
    "friendship", "condolence", "congratulation", "dialogue"};
const char *const dm_hedge_category_names[HEDGE_CATEGORY_COUNT] = {
    "softener", "appeal", "regret", "hedge"};
const char *const dm_implicit_category_names[IMPLICIT_CATEGORY_COUNT] = {
    "action", "insufficiency", "denial", "insinuation", "agent", "topic",
    "procedure", "commemoration"};

/* The files, in checksum order, with their header and column count. */
typedef struct lexfile {
    const char *name;
    const char *header;
    int columns;
    unsigned flag;
} lexfile;

static const lexfile LEXFILES[] = {
    {"hostility.tsv", "term\tweight\tcategory", 3, LEX_HOSTILE},
    {"cordiality.tsv", "term\tweight\tcategory", 3, LEX_CORDIAL},
    {"negators.tsv", "term\tscope", 2, LEX_NEGATOR},
    {"intensifiers.tsv", "term\tmultiplier", 2, LEX_INTENSIFIER},
    {"hedges.tsv", "term\tcategory", 2, LEX_HEDGE},
    {"sentiment.tsv", "term\tvalence", 2, LEX_SENTIMENT},
    {"implicit.tsv", "term\tweight\tcategory", 3, LEX_IMPLICIT},
};

/* ---- the table ---------------------------------------------------------- */

_Static_assert(sizeof(dm_lex_entry) == 64, "dm_lex_entry: one cache line");

#define ENTRY_ALIGN 64

/* A slot's tag: its hash, never 0 (0 marks an empty slot). */
static uint32_t slot_tag(uint32_t hash)
{
    return hash ? hash : 1;
}

/* The slots rebuilt at `cap` (a power of two above twice the count). */
static dm_status table_resize(dm_lexicon *lex, size_t cap)
{
    dm_lex_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return DM_E_NOMEM;
    for (size_t i = 0; i < lex->cap; i++) {
        if (!lex->slots[i].tag)
            continue;
        size_t j = lex->entries[lex->slots[i].index].hash & (cap - 1);
        while (slots[j].tag)
            j = (j + 1) & (cap - 1);
        slots[j] = lex->slots[i];
    }
    free(lex->slots);
    lex->slots = slots;
    lex->cap = cap;
    return DM_OK;
}

/* The entries moved to room for `n` (64-aligned: realloc does not keep
 * that), the inline keys' pointers made to follow them. */
static dm_status entries_grow(dm_lexicon *lex, size_t n)
{
    if (n > UINT32_MAX || n > SIZE_MAX / sizeof(dm_lex_entry))
        return DM_E_NOMEM;
    dm_lex_entry *v = aligned_alloc(ENTRY_ALIGN, n * sizeof *v);
    if (!v)
        return DM_E_NOMEM;
    if (lex->count)
        memcpy(v, lex->entries, lex->count * sizeof *v);
    for (size_t i = 0; i < lex->count; i++)
        if (v[i].key_len < DM_LEX_INLINE_KEY)
            v[i].key = v[i].inline_key;
    free(lex->entries);
    lex->entries = v;
    lex->cap_entries = n;
    return DM_OK;
}

/* The long keys' bytes, packed in blocks that live as long as the lexicon. */
struct dm_lex_key_block {
    dm_lex_key_block *next;
    size_t used, cap;
    char data[];
};

#define KEY_BLOCK_BYTES (64 * 1024 - 64)

static char *key_copy(dm_lexicon *lex, const char *key, size_t len)
{
    dm_lex_key_block *b = lex->keys;
    if (!b || b->cap - b->used < len + 1) {
        size_t cap = len + 1 > KEY_BLOCK_BYTES ? len + 1 : KEY_BLOCK_BYTES;
        dm_lex_key_block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        lex->keys = b = nb;
    }
    char *p = b->data + b->used;
    memcpy(p, key, len);
    p[len] = '\0';
    b->used += len + 1;
    return p;
}

/* Room for `entries` entries and their slots, made at once: growing by
 * doubling copied the entries four times over, into fresh pages each time
 * (8,600 entries: a fifth of demarche-score's start-up page faults). Only
 * a hint: on failure, or past it, the table grows. */
static void table_reserve(dm_lexicon *lex, size_t entries)
{
    if (entries > lex->cap_entries)
        (void)entries_grow(lex, entries);
    size_t cap = lex->cap ? lex->cap : 1024;
    while (cap < 2 * (entries + 1) && cap <= SIZE_MAX / 4)
        cap *= 2;
    if (cap > lex->cap)
        (void)table_resize(lex, cap);
}

/* Does entry e hold the key "<a> <b>" (b given) or a (b NULL), of length
 * len, hash h? The cheap checks first, then the bytes. */
static inline bool entry_is(const dm_lex_entry *e, const char *a, size_t alen,
                            const char *b, size_t blen, size_t len, uint32_t h)
{
    return e->hash == h && e->key_len == len && memcmp(e->key, a, alen) == 0 &&
           (!b || (e->key[alen] == ' ' && memcmp(e->key + alen + 1, b, blen) == 0));
}

/* Find or insert `key`; *out points to the entry (flags 0 when new), valid
 * until the next insertion (the entries may move). */
static dm_status table_upsert(dm_lexicon *lex, const char *key, size_t len,
                              uint32_t seed, dm_lex_entry **out)
{
    if ((lex->count + 1) * 2 > lex->cap &&
        table_resize(lex, lex->cap ? lex->cap * 2 : 1024) != DM_OK)
        return DM_E_NOMEM;
    if (lex->count == lex->cap_entries &&
        entries_grow(lex, lex->cap_entries ? lex->cap_entries * 2 : 1024) != DM_OK)
        return DM_E_NOMEM;
    if (len > UINT16_MAX)
        return DM_E_NOMEM; /* the loader's keys are < 512 */
    uint32_t h = dm_hash32(key, len, seed), tag = slot_tag(h);
    size_t j = h & (lex->cap - 1);
    for (; lex->slots[j].tag; j = (j + 1) & (lex->cap - 1)) {
        if (lex->slots[j].tag != tag)
            continue;
        dm_lex_entry *e = &lex->entries[lex->slots[j].index];
        if (entry_is(e, key, len, NULL, 0, len, h)) {
            *out = e;
            return DM_OK;
        }
    }
    dm_lex_entry *e = &lex->entries[lex->count];
    memset(e, 0, sizeof *e);
    if (len < DM_LEX_INLINE_KEY) {
        memcpy(e->inline_key, key, len);
        e->inline_key[len] = '\0';
        e->key = e->inline_key;
    } else {
        e->key = key_copy(lex, key, len);
        if (!e->key)
            return DM_E_NOMEM;
    }
    e->key_len = (uint16_t)len;
    e->hash = h;
    e->multiplier = 1.0f;
    lex->slots[j].tag = tag;
    lex->slots[j].index = (uint32_t)lex->count;
    lex->count++;
    *out = e;
    return DM_OK;
}

const dm_lex_entry *dm_lexicon_get(const dm_lexicon *lex, const char *key,
                                   size_t len, uint32_t seed)
{
    if (!lex->cap)
        return NULL;
    return dm_lexicon_get_hashed(lex, key, len, dm_hash32(key, len, seed));
}

/* The filter of dm_lex_maybe for the entries: a power of two of words
 * with at least 8 bits an entry. */
static dm_status filter_make(dm_lexicon *lex)
{
    size_t words = 1;
    while (words * 64 < lex->count * 8 && words <= UINT32_MAX / 2)
        words *= 2;
    lex->filter = calloc(words, sizeof *lex->filter);
    if (!lex->filter)
        return DM_E_NOMEM;
    lex->filter_mask = (uint32_t)(words - 1);
    for (size_t i = 0; i < lex->count; i++) {
        uint32_t h = lex->entries[i].hash;
        lex->filter[h & lex->filter_mask] |= (uint64_t)1 << (h >> 20 & 63) |
                                             (uint64_t)1 << (h >> 26);
    }
    return DM_OK;
}

/* The entry of key a, or of "<a> <b>" when b is given, whose dm_hash32 is
 * h, the probe from slot j on. Probes the 8-byte slots, not the entries:
 * most words are in no lexicon, and the slots of a probe sequence share a
 * cache line. Inlined into the callers, where b is a constant NULL or not. */
static inline const dm_lex_entry *probe_from(const dm_lexicon *lex, const char *a,
                                             size_t alen, const char *b, size_t blen,
                                             uint32_t h, size_t j)
{
    uint32_t tag = slot_tag(h);
    size_t len = b ? alen + 1 + blen : alen;
    for (; lex->slots[j].tag; j = (j + 1) & (lex->cap - 1)) {
        if (lex->slots[j].tag != tag)
            continue;
        const dm_lex_entry *e = &lex->entries[lex->slots[j].index];
        if (entry_is(e, a, alen, b, blen, len, h))
            return e;
    }
    return NULL;
}

static inline const dm_lex_entry *probe(const dm_lexicon *lex, const char *a, size_t alen,
                                        const char *b, size_t blen, uint32_t h)
{
    if (!lex->cap || !dm_lex_maybe(lex, h))
        return NULL;
    return probe_from(lex, a, alen, b, blen, h, h & (lex->cap - 1));
}

const dm_lex_entry *dm_lexicon_get_hashed(const dm_lexicon *lex, const char *key,
                                          size_t len, uint32_t h)
{
    return probe(lex, key, len, NULL, 0, h);
}

const dm_lex_entry *dm_lexicon_get_pair(const dm_lexicon *lex, const char *a, size_t alen,
                                        const char *b, size_t blen, uint32_t h)
{
    return probe(lex, a, alen, b, blen, h);
}

void dm_lexicon_free(dm_lexicon *lex)
{
    if (!lex)
        return;
    while (lex->keys) {
        dm_lex_key_block *next = lex->keys->next;
        free(lex->keys);
        lex->keys = next;
    }
    free(lex->entries);
    free(lex->slots);
    free(lex->filter);
    memset(lex, 0, sizeof *lex);
}

/* ---- parsing one line --------------------------------------------------- */

static int category_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

static void join_names(const char *const *names, int n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 i ? ", " : "", names[i]);
}

/* strtod's value of a plain decimal, [+-]digits[.digits] with at most 15
 * digits (what the lexicons hold: "-1.5", "2", "0.25"), without strtod's
 * general machinery (600 instructions a number, 9,000 numbers at every
 * start-up). The digits as an integer (exact below 2^53) divided by a power
 * of ten (exact up to 10^22) is one correctly rounded division: the value
 * strtod gives (Clinger's fast path). Anything else: false, for strtod. */
static bool parse_plain_decimal(const char *s, double *out)
{
    static const double POW10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char *p = s;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    uint64_t m = 0;
    int digits = 0, frac = 0;
    bool dot = false;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (++digits > 15)
                return false;
            m = m * 10 + (uint64_t)(*p - '0');
            frac += dot;
        } else if (*p == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (*p != '\0' || digits == 0)
        return false;
    double v = (double)m / POW10[frac];
    *out = neg ? -v : v;
    return true;
}

static bool parse_number(const char *s, double *out)
{
    if (parse_plain_decimal(s, out))
        return true;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* NFKC leaves ASCII letters and spaces as they are, UAX #29 never breaks
 * between two letters (WB5) and always around a space, and case folding
 * maps A-Z to a-z and nothing else of ASCII: so such a term's tokens are
 * its words, folded by one OR. test_lexicons checks this against ICU. */
bool dm_lexicon_ascii_key(const char *term, char *key, size_t size, int *n_tokens)
{
    int n = 0;
    bool in_word = false;
    size_t i = 0;
    for (; term[i]; i++) {
        unsigned char ch = (unsigned char)term[i];
        if (i + 2 > size)
            return false;
        if (ch == ' ') {
            if (!in_word)
                return false;   /* a leading or a double space */
            in_word = false;
            key[i] = ' ';
            continue;
        }
        unsigned char low = ch | 0x20;
        if (low < 'a' || low > 'z')
            return false;
        n += !in_word;
        in_word = true;
        key[i] = (char)low;
    }
    if (!in_word)
        return false;           /* empty, or a trailing space */
    key[i] = '\0';
    *n_tokens = n;
    return true;
}

/* Turn a term into its key: normalised, tokenised, folded tokens joined. */
static dm_status term_key(const char *term, char *key, size_t size,
                          int *n_tokens, const char *path, long line,
                          dm_error *err)
{
    int n;
    if (dm_lexicon_ascii_key(term, key, size, &n) && n <= MAX_TERM_TOKENS) {
        *n_tokens = n;
        return DM_OK;
    }
    dm_text *text = NULL;
    dm_tokens toks = {0};
    dm_status st = dm_text_create(term, strlen(term), &text, err);
    if (st != DM_OK)
        return dm_error_set(err, st, path, line, "term '%s': %s", term,
                            err ? err->message : dm_status_name(st));
    if (dm_text_invalid_utf8(text) > 0) {
        dm_text_destroy(&text);
        return dm_error_set(err, DM_E_FORMAT, path, line,
                            "term is not valid UTF-8");
    }
    st = dm_tokenize(dm_text_norm(text), dm_text_norm_len(text), &toks, err);
    dm_text_destroy(&text);
    if (st != DM_OK)
        return dm_error_set(err, st, path, line, "term '%s': cannot tokenise",
                            term);
    if (toks.n == 0 || toks.n > MAX_TERM_TOKENS) {
        size_t n = toks.n;
        dm_tokens_free(&toks);
        return dm_error_set(err, DM_E_FORMAT, path, line,
                            "term '%s' has %zu tokens (1..%d allowed)", term,
                            n, MAX_TERM_TOKENS);
    }
    size_t used = 0;
    for (size_t i = 0; i < toks.n; i++) {
        size_t l = strlen(toks.v[i].folded);
        if (used + l + 2 > size) {
            dm_tokens_free(&toks);
            return dm_error_set(err, DM_E_FORMAT, path, line, "term too long");
        }
        if (i)
            key[used++] = ' ';
        memcpy(key + used, toks.v[i].folded, l);
        used += l;
    }
    key[used] = '\0';
    *n_tokens = (int)toks.n;
    dm_tokens_free(&toks);
    return DM_OK;
}

/* Insert every proper prefix of a multi-token key as LEX_PREFIX. */
static dm_status add_prefixes(dm_lexicon *lex, const char *key, uint32_t seed)
{
    for (const char *p = key; (p = strchr(p, ' ')) != NULL; p++) {
        dm_lex_entry *e;
        if (table_upsert(lex, key, (size_t)(p - key), seed, &e) != DM_OK)
            return DM_E_NOMEM;
        if (!e->n_tokens) {
            int n = 1;
            for (const char *q = key; q < p; q++)
                n += *q == ' ';
            e->n_tokens = n;
        }
        e->flags |= LEX_PREFIX;
    }
    return DM_OK;
}

static dm_status parse_line(dm_lexicon *lex, const lexfile *lf, char *line,
                            const char *path, long lineno, uint32_t seed,
                            bool generated, dm_error *err)
{
    char *col[4];
    int ncol = 0;
    for (char *p = line;; ) {
        if (ncol < 4)
            col[ncol] = p;
        ncol++;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    if (ncol != lf->columns)
        return dm_error_set(err, DM_E_FORMAT, path, lineno,
                            "expected %d tab-separated columns, found %d",
                            lf->columns, ncol);
    if (!col[0][0])
        return dm_error_set(err, DM_E_FORMAT, path, lineno, "empty term");

    char key[512];
    int n_tokens = 0;
    dm_status st = term_key(col[0], key, sizeof key, &n_tokens, path, lineno, err);
    if (st != DM_OK)
        return st;
    dm_lex_entry *e;
    if (table_upsert(lex, key, strlen(key), seed, &e) != DM_OK)
        return dm_error_set(err, DM_E_NOMEM, path, lineno, "out of memory");
    /* A form generated from a lemma never replaces a listed term, and a
     * listed term replaces a generated form, in whatever order they come. */
    if ((e->flags & lf->flag) && generated)
        return DM_OK;
    if ((e->flags & lf->flag) && !(e->generated & lf->flag))
        return dm_error_set(err, DM_E_FORMAT, path, lineno,
                            "duplicate term '%s'", col[0]);
    e->generated = generated ? e->generated | lf->flag
                             : e->generated & ~lf->flag;
    e->n_tokens = n_tokens;

    double num = 0;
    char known[256];
    switch (lf->flag) {
    case LEX_HOSTILE:
    case LEX_CORDIAL:
    case LEX_IMPLICIT: {
        bool hostile = lf->flag == LEX_HOSTILE;
        bool implicit = lf->flag == LEX_IMPLICIT;
        if (!parse_number(col[1], &num) || num <= 0 || num > 5)
            return dm_error_set(err, DM_E_FORMAT, path, lineno,
                                "weight '%s' is not a number in (0, 5]", col[1]);
        const char *const *names = hostile ? dm_hostile_category_names
                                   : implicit ? dm_implicit_category_names
                                              : dm_cordial_category_names;
        int n = hostile ? HOSTILE_CATEGORY_COUNT : implicit ? IMPLICIT_CATEGORY_COUNT : CORDIAL_CATEGORY_COUNT;
        int cat = category_index(names, n, col[2]);
        if (cat < 0) {
            join_names(names, n, known, sizeof known);
            return dm_error_set(err, DM_E_FORMAT, path, lineno,
                                "unknown category '%s' (known: %s)", col[2],
                                known);
        }
        if (implicit) {
            e->implicit_weight = (float)num;
            e->implicit_cat = cat;
        } else if (hostile) {
            e->hostile_weight = (float)num;
            e->hostile_cat = cat;
        } else {
            e->cordial_weight = (float)num;
            e->cordial_cat = cat;
        }
        break;
    }
    case LEX_NEGATOR:
        if (!parse_number(col[1], &num) || num != (int)num || num < 1 || num > 10)
            return dm_error_set(err, DM_E_FORMAT, path, lineno,
                                "scope '%s' is not a whole number in 1..10",
                                col[1]);
        e->negator_scope = (int)num;
        break;
    case LEX_INTENSIFIER:
        if (!parse_number(col[1], &num) || num <= 0 || num > 5 || num == 1)
            return dm_error_set(err, DM_E_FORMAT, path, lineno,
                                "multiplier '%s' is not a number in (0, 5] "
                                "other than 1", col[1]);
        e->multiplier = (float)num;
        break;
    case LEX_SENTIMENT:
        if (!parse_number(col[1], &num) || num == 0 || num < -4 || num > 4)
            return dm_error_set(err, DM_E_FORMAT, path, lineno,
                                "valence '%s' is not a non-zero number in [-4, 4]",
                                col[1]);
        e->valence = (float)num;
        break;
    case LEX_HEDGE: {
        int cat = category_index(dm_hedge_category_names, HEDGE_CATEGORY_COUNT, col[1]);
        if (cat < 0) {
            join_names(dm_hedge_category_names, HEDGE_CATEGORY_COUNT, known, sizeof known);
            return dm_error_set(err, DM_E_FORMAT, path, lineno,
                                "unknown category '%s' (known: %s)", col[1],
                                known);
        }
        e->hedge_cat = cat;
        break;
    }
    }
    e->flags |= lf->flag;
    if (n_tokens > lex->max_tokens)
        lex->max_tokens = n_tokens;
    if (add_prefixes(lex, key, seed) != DM_OK)
        return dm_error_set(err, DM_E_NOMEM, path, lineno, "out of memory");
    return DM_OK;
}

/* ---- lemmas ------------------------------------------------------------- */

#define MAX_FORMS 12

/* A line whose term ends in "~CLASSES" (`condemn~v`): the lemma and every
 * form dm_inflect generates from it, with the line's other columns. Forms
 * listed on a line of their own keep that line's values. */
static dm_status parse_lemma_line(dm_lexicon *lex, const lexfile *lf,
                                  char *line, const char *path, long lineno,
                                  uint32_t seed, dm_error *err)
{
    char *tab = strchr(line, '\t');
    char *tilde = strchr(line, '~');
    if (!tilde || (tab && tilde > tab))
        return parse_line(lex, lf, line, path, lineno, seed, false, err);
    size_t cls_len = (size_t)((tab ? tab : tilde + strlen(tilde)) - tilde - 1);
    char classes[8];
    if (cls_len == 0 || cls_len >= sizeof classes ||
        strspn(tilde + 1, "vnae") < cls_len)
        return dm_error_set(err, DM_E_FORMAT, path, lineno,
                            "after '~' expected inflection classes of v, n, a, e "
                            "(lexicons/README.md)");
    memcpy(classes, tilde + 1, cls_len);
    classes[cls_len] = '\0';
    const char *rest = tab ? tab : "";
    size_t lemma_len = (size_t)(tilde - line);
    if (lemma_len == 0 || lemma_len >= DM_INFLECT_MAX)
        return dm_error_set(err, DM_E_FORMAT, path, lineno, "bad lemma");
    char lemma[DM_INFLECT_MAX], forms[MAX_FORMS][DM_INFLECT_MAX];
    memcpy(lemma, line, lemma_len);
    lemma[lemma_len] = '\0';
    int n = dm_inflect(lemma, classes, forms, MAX_FORMS);
    char buf[DM_INFLECT_MAX + 512];
    size_t rest_len = strlen(rest);
    if (rest_len >= 512)
        return dm_error_set(err, DM_E_FORMAT, path, lineno, "line too long");
    /* "<lemma or form><rest>", copied (snprintf's "%s%s" cost 900
     * instructions a form at every start-up) */
    memcpy(buf, lemma, lemma_len);
    memcpy(buf + lemma_len, rest, rest_len + 1);
    dm_status st = parse_line(lex, lf, buf, path, lineno, seed, false, err);
    for (int i = 0; i < n && st == DM_OK; i++) {
        size_t fl = strnlen(forms[i], DM_INFLECT_MAX - 1);
        memcpy(buf, forms[i], fl);
        memcpy(buf + fl, rest, rest_len + 1);
        st = parse_line(lex, lf, buf, path, lineno, seed, true, err);
    }
    return st;
}

/* ---- one file ----------------------------------------------------------- */

/* How many times byte c is in data[0, len): memchr's vector search from
 * one to the next (a byte-by-byte loop over the 130 kB of lexicons was
 * 1.8 M instructions at every start-up). */
static size_t count_byte(const char *data, size_t len, char c)
{
    size_t n = 0;
    for (const char *p = data, *end = data + len;
         p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL; p++)
        n++;
    return n;
}

/* The entries a file can make, at most about: a line's term, the forms of
 * a lemma (a '~'), a prefix for each space of a term. */
static size_t estimate_entries(const char *data, size_t len)
{
    return 1 + count_byte(data, len, '\n') + MAX_FORMS * count_byte(data, len, '~') +
           count_byte(data, len, ' ');
}

static dm_status open_file(const lexfile *lf, const char *dir, dm_file_view *view,
                           dm_error *err)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir, lf->name);
    if (n < 0 || (size_t)n >= sizeof path) {
        memset(view, 0, sizeof *view);
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "lexicon directory name too long (%zu bytes)", strlen(dir));
    }
    return dm_file_view_open(path, view, err);
}

/* A file's bytes, mapped and never written (dm_file_view: no copy of the
 * 130 kB into fresh pages at every start-up): each line that is not empty
 * once its comment and blanks are cut is copied out, NUL-terminated, for
 * parse_lemma_line to cut in place. The lines, their numbers and what is
 * cut are those of the file cut in place. */
static dm_status load_file(dm_lexicon *lex, const lexfile *lf, const char *dir,
                           const char *data, size_t len, uint32_t seed,
                           uint64_t *checksum, dm_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, lf->name);
    dm_status st = DM_OK;
    *checksum = dm_fnv1a64(*checksum, lf->name, strlen(lf->name) + 1);
    *checksum = dm_fnv1a64(*checksum, data, len);
    *checksum = dm_fnv1a64(*checksum, "", 1);

    if (len && memchr(data, '\0', len))
        return dm_error_set(err, DM_E_FORMAT, path, 0, "contains a NUL byte");
    bool header_seen = false;
    long lineno = 0;
    char small[512];
    dm_line_buf buf = {small, sizeof small, small};
    for (const char *p = data, *end = data + len; st == DM_OK && p < end; ) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = (size_t)((nl ? nl : end) - p);
        const char *text = p;
        p = nl ? nl + 1 : end;
        lineno++;
        /* A '#' starts a comment (README.md); trailing blanks before it go. */
        const char *hash = memchr(text, '#', l);
        if (hash)
            l = (size_t)(hash - text);
        if (l && text[l - 1] == '\r')
            l--;
        while (hash && l && (text[l - 1] == ' ' || text[l - 1] == '\t'))
            l--;
        if (l == 0)
            continue;
        if (dm_line_buf_copy(&buf, text, l) != DM_OK) {
            st = dm_error_set(err, DM_E_NOMEM, path, lineno, "out of memory");
            break;
        }
        char *line = buf.line;
        if (!header_seen) {
            if (strcmp(line, lf->header) != 0) {
                char want[64];
                snprintf(want, sizeof want, "%s", lf->header);
                for (char *q = want; *q; q++)
                    if (*q == '\t')
                        *q = ' ';
                st = dm_error_set(err, DM_E_FORMAT, path, lineno,
                                  "expected the header line '%s' "
                                  "(tab-separated)", want);
            }
            header_seen = true;
        } else {
            st = parse_lemma_line(lex, lf, line, path, lineno, seed, err);
        }
    }
    dm_line_buf_free(&buf);
    if (st == DM_OK && !header_seen)
        st = dm_error_set(err, DM_E_FORMAT, path, lineno ? lineno : 1,
                          "missing header line");
    return st;
}

#define N_LEXFILES (sizeof LEXFILES / sizeof LEXFILES[0])

/* The files are read first, so that the table is made once for all their
 * entries; they are then parsed in order, and the first error in that
 * order is the one reported (a file that cannot be read after one that
 * does not parse: the parse error). */
dm_status dm_lexicon_load(dm_lexicon *lex, const char *dir, uint32_t seed,
                          dm_error *err)
{
    memset(lex, 0, sizeof *lex);
    dm_file_view view[N_LEXFILES];
    size_t n_read = 0, estimate = 0;
    dm_error read_err;
    dm_status read_st = DM_OK;
    for (; n_read < N_LEXFILES; n_read++) {
        read_st = open_file(&LEXFILES[n_read], dir, &view[n_read], &read_err);
        if (read_st != DM_OK)
            break;
        estimate += estimate_entries(view[n_read].data, view[n_read].len);
    }
    table_reserve(lex, estimate);
    uint64_t checksum = DM_FNV1A64_BASIS;
    dm_status st = DM_OK;
    for (size_t i = 0; i < n_read && st == DM_OK; i++)
        st = load_file(lex, &LEXFILES[i], dir, view[i].data, view[i].len, seed, &checksum,
                       err);
    for (size_t i = 0; i < n_read; i++)
        dm_file_view_close(&view[i]);
    if (st == DM_OK && read_st == DM_OK && filter_make(lex) != DM_OK)
        st = dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    if (st == DM_OK && read_st != DM_OK) {
        st = read_st;
        if (err)
            *err = read_err;
    }
    if (st != DM_OK) {
        dm_lexicon_free(lex);
        return st;
    }
    snprintf(lex->checksum, sizeof lex->checksum, "%016llx",
             (unsigned long long)checksum);
    return DM_OK;
}
