/* The process-wide set of abbreviations after which no sentence ends.
 *
 * A built-in list is compiled in so that tests and tools work without the
 * lexicon file; dm_text_load_abbreviations() extends it. The set is an
 * open-addressing hash table of malloc'ed strings, reachable from a global
 * for the life of the process. Lookups are read-only, so any number of
 * threads may segment text once loading is done. */
#include "text/text_internal.h"
#include "core/fnv_internal.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct abbrev_entry {
    char *text;             /* NULL: empty slot */
    size_t len;
    dm_abbrev_class cls;
} abbrev_entry;

static abbrev_entry *table;
static size_t table_cap;    /* power of two */
static size_t table_used;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;

/* Titles and other words that come before a name or a number. */
static const char *const default_prefix[] = {
    "Mr.", "Mrs.", "Ms.", "Messrs.", "Mmes.", "Dr.", "Drs.", "Gen.", "Gens.",
    "Lt.", "Col.", "Maj.", "Capt.", "Cmdr.", "Cdr.", "Cpl.", "Pvt.", "Sgt.",
    "Adm.", "Brig.", "Sen.", "Sens.", "Rep.", "Reps.", "Gov.", "Govs.",
    "Pres.", "Amb.", "Prof.", "Rev.", "Hon.", "Fr.", "Msgr.", "Supt.", "Atty.",
    "Sec.", "Mt.", "Ft.", "No.", "Nos.", "Art.", "Fig.", "vs.", "v.", "e.g.",
    "i.e.", "cf.", "ca.", "approx.", "St.", "para.", "paras.", "p.", "pp.",
    "Vol.", "vol.", "Ch.", "Nr.",
};

/* Abbreviations that can also end a sentence ("... in the U.S. He said"). */
static const char *const default_terminal[] = {
    "U.S.", "U.N.", "U.K.", "E.U.", "U.S.A.", "U.A.E.", "D.C.", "Jr.", "Sr.",
    "Inc.", "Corp.", "Ltd.", "Co.", "Bros.", "Dept.", "Univ.", "Ave.", "Rd.",
    "Blvd.", "etc.", "a.m.", "p.m.", "A.M.", "P.M.", "Ph.D.",
    "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.",
    "Oct.", "Nov.", "Dec.",
};

/* Capitalised words that usually open a sentence: after a terminal
 * abbreviation they mean the sentence did end there. */
static const char *const sentence_starters[] = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "This",
    "That", "These", "Those", "There", "Here", "His", "Her", "Its", "Their",
    "Our", "My", "Your", "But", "And", "Or", "So", "Yet", "However",
    "Meanwhile", "Still", "Now", "Then", "Thus", "Also", "In", "On", "At",
    "For", "After", "Before", "When", "While", "Although", "Though", "If",
    "As", "Since", "Some", "Many", "Most", "Both", "Each", "Another", "No",
    "Not", "What", "Who", "Why", "How", "Where", "Which", "According",
    "Earlier", "Later", "Last", "Next", "Such", "Instead", "Neither",
};

static abbrev_entry *find_slot(abbrev_entry *t, size_t cap, const char *s,
                               size_t n)
{
    size_t i = (size_t)dm_fnv1a64(DM_FNV1A64_BASIS, s, n) & (cap - 1);
    while (t[i].text && !(t[i].len == n && memcmp(t[i].text, s, n) == 0))
        i = (i + 1) & (cap - 1);
    return &t[i];
}

static bool grow_table(void)
{
    size_t cap = table_cap ? table_cap * 2 : 256;
    abbrev_entry *t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (size_t i = 0; i < table_cap; i++)
        if (table[i].text)
            *find_slot(t, cap, table[i].text, table[i].len) = table[i];
    free(table);
    table = t;
    table_cap = cap;
    return true;
}

/* Insert or update; a later entry's class wins. */
static bool add_entry(const char *s, size_t n, dm_abbrev_class cls)
{
    if ((table_used + 1) * 2 > table_cap && !grow_table())
        return false;
    abbrev_entry *slot = find_slot(table, table_cap, s, n);
    if (slot->text) {
        slot->cls = cls;
        return true;
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return false;
    memcpy(copy, s, n);
    copy[n] = '\0';
    slot->text = copy;
    slot->len = n;
    slot->cls = cls;
    table_used++;
    return true;
}

static void load_defaults(void)
{
    /* Allocation failure here leaves a shorter list: segmentation degrades
     * to ICU's own rules rather than failing. */
    for (size_t i = 0; i < sizeof default_prefix / sizeof *default_prefix; i++)
        add_entry(default_prefix[i], strlen(default_prefix[i]), DM_ABBREV_PREFIX);
    for (size_t i = 0; i < sizeof default_terminal / sizeof *default_terminal; i++)
        add_entry(default_terminal[i], strlen(default_terminal[i]),
                  DM_ABBREV_TERMINAL);
}

static void ensure_defaults(void)
{
    pthread_once(&defaults_once, load_defaults);
}

dm_abbrev_class dm_abbrev_lookup(const char *s, size_t n)
{
    ensure_defaults();
    if (!table_cap || n == 0)
        return DM_ABBREV_NONE;
    abbrev_entry *slot = find_slot(table, table_cap, s, n);
    return slot->text ? slot->cls : DM_ABBREV_NONE;
}

bool dm_abbrev_is_sentence_starter(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof sentence_starters / sizeof *sentence_starters; i++)
        if (strlen(sentence_starters[i]) == n &&
            memcmp(sentence_starters[i], s, n) == 0)
            return true;
    return false;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

dm_status dm_text_load_abbreviations(const char *path, dm_error *err)
{
    if (!path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_text_load_abbreviations: path is NULL");
    ensure_defaults();
    FILE *f = fopen(path, "r");
    if (!f)
        return dm_error_set(err, DM_E_IO, path, 0, "cannot open: %s",
                            strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    dm_status st = DM_OK;
    while (getline(&line, &cap, f) != -1) {
        lineno++;
        if (lineno == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
            memmove(line, line + 3, strlen(line + 3) + 1);   /* a BOM */
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *tab = strchr(line, '\t');
        char *cls_text = NULL;
        if (tab) {
            *tab = '\0';
            cls_text = trim(tab + 1);
            char *more = strchr(cls_text, '\t');   /* ignore further columns */
            if (more)
                *more = '\0';
            cls_text = trim(cls_text);
        }
        char *abbrev = trim(line);
        if (!*abbrev)
            continue;
        dm_abbrev_class cls = DM_ABBREV_PREFIX;
        if (cls_text && *cls_text) {
            if (strcmp(cls_text, "terminal") == 0)
                cls = DM_ABBREV_TERMINAL;
            else if (strcmp(cls_text, "prefix") != 0) {
                st = dm_error_set(err, DM_E_FORMAT, path, lineno,
                                  "unknown abbreviation class '%s' (expected "
                                  "prefix or terminal)", cls_text);
                break;
            }
        }
        size_t n = strlen(abbrev);
        if (abbrev[n - 1] != '.' || strpbrk(abbrev, " ")) {
            st = dm_error_set(err, DM_E_FORMAT, path, lineno,
                              "abbreviation '%s' must be one word ending "
                              "with '.'", abbrev);
            break;
        }
        if (!add_entry(abbrev, n, cls)) {
            st = dm_error_set(err, DM_E_NOMEM, path, lineno,
                              "out of memory adding abbreviation");
            break;
        }
    }
    if (st == DM_OK && ferror(f))
        st = dm_error_set(err, DM_E_IO, path, lineno, "read error");
    free(line);
    fclose(f);
    return st;
}
