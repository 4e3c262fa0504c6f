/*
 * polnear_names: the words of a source phrase and of the text, as the
 * speaker matching rule compares them: UTF-8 letters and case through ICU,
 * a phrase split into lower-cased words, the name in it (titles and
 * suffixes dropped), and the gender of a given name from the lexicons the
 * extractor reads. Apart from polnear_match.c because these are facts about
 * one phrase; the rule there weighs them against the article.
 */
#include "polnear.h"

#include <unicode/uchar.h>
#include <unicode/ucasemap.h>
#include <unicode/utf8.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

UChar32 pn_char_at(const char *s, size_t len, size_t i, size_t *next)
{
    int32_t k = (int32_t)i;
    UChar32 c;
    U8_NEXT_OR_FFFD(s, k, (int32_t)len, c);
    *next = (size_t)k;
    return c;
}

UChar32 pn_char_before(const char *s, size_t i)
{
    if (i == 0) return 0;
    int32_t k = (int32_t)i;
    UChar32 c;
    U8_PREV_OR_FFFD(s, 0, k, c);
    return c;
}

/* Letters and case through ICU, never byte by byte: a given name such as
 * "François" or "Çelik" is one word, lower-cased whole. */
void pn_lower_utf8(const char *s, size_t n, char *out, size_t cap)
{
    static UCaseMap *cm; /* the evaluator is single-threaded */
    UErrorCode st = U_ZERO_ERROR;
    if (!cm) cm = ucasemap_open("", 0, &st);
    int32_t k = U_SUCCESS(st) ? ucasemap_utf8ToLower(cm, out, (int32_t)cap, s, (int32_t)n, &st) : -1;
    if (U_FAILURE(st) || k < 0 || (size_t)k >= cap) k = 0; /* too long for a name: no word */
    out[k] = '\0';
}

/* The start of the run of letters that ends at byte i. */
size_t pn_letters_back(const char *s, size_t i)
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
bool pn_capital_starts_at(const char *s, size_t len, size_t i)
{
    if (i >= len || ((unsigned char)s[i] & 0xC0) == 0x80) return false;
    size_t nx;
    UChar32 c = pn_char_at(s, len, i, &nx);
    return (u_isupper(c) || u_istitle(c)) && !u_isalnum(pn_char_before(s, i));
}

/* Does the text hold `lower` (a lower-cased word) at byte i, as a whole
 * word? */
bool pn_word_at(const char *s, size_t len, size_t i, const char *lower)
{
    size_t n = strlen(lower), nx;
    if (i + n > len) return false;
    char buf[WORD_MAX * 2];
    if (n >= sizeof buf) return false;
    pn_lower_utf8(s + i, n, buf, sizeof buf);
    return strcmp(buf, lower) == 0 && (i + n == len || !u_isalnum(pn_char_at(s, len, i + n, &nx)));
}

/* ---- names and speakers ---------------------------------------------- */

const char *const TITLES[] = {
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
const char *const STARTERS[] = {
    "but", "and", "when", "if", "as", "so", "then", "while", "after", "before", "because",
    "the", "a", "an", "that", "this", "said", "says", "with", "for", "from", "to", "in",
    "on", "at", "by", "of", "since", "although", "though", "also", "now", "yet", "even",
    "says", "asked", "where", "why", "how", "what", "said", "told", "added", "meanwhile",
    "its", "his", "her", "their", NULL};

const char *const PRONOUNS[] = {"he", "she", "they", "it", "i", "we", "who",
                                       "which", "his", "her", "their", "its",
                                       "that", "him", "them", "you", NULL};

bool pn_in_list(const char *w, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(w, list[i]) == 0) return true;
    return false;
}

/* Split into words: letters, digits, inner ' ’ - . ; a final 's/’s is
 * dropped. A phrase stops at an apposition or a bracket ("Brent Bozell,
 * founder of ...", "Gov. John Kasich (R-OH)"). */
void pn_split_words(const char *s, words *out)
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
        UChar32 c = pn_char_at(s, len, i, &nx);
        if (!u_isalnum(c)) { i = nx; continue; }
        size_t a = i, b = i;
        bool cap = u_isupper(c) || u_istitle(c);
        while (i < len) {
            c = pn_char_at(s, len, i, &nx);
            if (u_isalnum(c)) { i = nx; b = i; continue; }
            if ((c == '\'' || c == 0x2019 || c == '-' || c == '.') && nx < len) {
                size_t n2;
                UChar32 d = pn_char_at(s, len, nx, &n2);
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
        pn_lower_utf8(raw, k, out->w[out->n], WORD_MAX);
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
size_t pn_name_words(const words *w, words *name)
{
    static const char *const SUFFIXES[] = {"jr", "sr", "ii", "iii", "iv", NULL};
    size_t end = w->n;
    bool named = false;
    for (size_t k = 0; k < w->n; k++) {
        if (named && strcmp(w->w[k], "of") == 0) { end = k; break; }
        named = named || (w->cap[k] && !pn_in_list(w->w[k], TITLES));
    }
    while (end > 0 && (!w->cap[end - 1] || pn_in_list(w->w[end - 1], SUFFIXES))) end--;
    name->n = 0;
    if (end == 0) return 0;
    size_t start = end;
    while (start > 0 && w->cap[start - 1] && !w->poss[start - 1]) start--;
    for (size_t i = start; i < end; i++) {
        if (pn_in_list(w->w[i], TITLES) && i + 1 < end) continue;
        memcpy(name->w[name->n], w->w[i], WORD_MAX);
        name->cap[name->n] = true;
        name->poss[name->n++] = false;
    }
    return name->n;
}

/* Lowercase head: the source is a description ("the group") when its last
 * word is lower case. */
bool pn_is_description(const words *w) { return w->n && !w->cap[w->n - 1]; }

bool pn_is_pronoun(const words *w)
{
    return w->n == 1 && pn_in_list(w->w[0], PRONOUNS);
}

bool pn_is_anonymous(const char *src)
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
    char *buf = pn_read_file(path, &len);
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
        pn_lower_utf8(name, strlen(name), copy, strlen(name) * 3 + 1);
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
void pn_load_genders(const char *lexdir)
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
char pn_given_gender(const char *given)
{
    const gname_ix *x = given[0] ? bsearch(given, gsorted, gsorted_n, sizeof *gsorted, gname_key_cmp) : NULL;
    return x ? x->g : 0;
}

/* 'm', 'f' or 0 for a source phrase. */
char pn_gender_of(const words *w)
{
    for (size_t i = 0; i < w->n; i++) {
        if (strcmp(w->w[i], "mr") == 0) return 'm';
        if (strcmp(w->w[i], "mrs") == 0 || strcmp(w->w[i], "ms") == 0) return 'f';
    }
    words nm;
    if (!pn_name_words(w, &nm) || nm.n < 2) return 0;
    return pn_given_gender(nm.w[0]);
}

void pn_free_genders(void)
{
    for (size_t i = 0; i < gnames.n; i++) free(gnames.name[i]);
    free(gnames.name);
    free(gnames.g);
    free(gsorted);
}
