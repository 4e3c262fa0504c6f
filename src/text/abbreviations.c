/* Sets of abbreviations after which no sentence ends.
 *
 * The built-in set (the list of lexicons/abbreviations.tsv, compiled in so
 * that tests and tools work without the file) is built once, under
 * pthread_once, into a static table that points at the string literals and
 * is never written again: no allocation, so it cannot be left half-built.
 * A dm_abbreviations object starts as a copy of it and grows only by
 * dm_abbreviations_load, which builds the extended table aside and swaps it
 * in only when the whole file was read: a failed load changes nothing.
 * Lookups only read, so any number of threads may segment with one set. */
#include "text/text_internal.h"
#include "core/fnv_internal.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct abbrev_entry {
    const char *text;       /* NULL: empty slot */
    size_t len;
    dm_abbrev_class cls;
} abbrev_entry;

/* An open-addressing hash table; `owned` tables own their strings. */
typedef struct abbrev_table {
    abbrev_entry *slots;
    size_t cap;             /* power of two */
    size_t used;
    bool owned;
} abbrev_table;

struct dm_abbreviations {
    abbrev_table table;
};

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

#define BUILTIN_CAP 256     /* over twice the built-in entries */

static abbrev_entry builtin_slots[BUILTIN_CAP];
static abbrev_table builtin = {builtin_slots, BUILTIN_CAP, 0, false};
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static abbrev_entry *find_slot(const abbrev_table *t, const char *s, size_t n)
{
    size_t i = (size_t)dm_fnv1a64(DM_FNV1A64_BASIS, s, n) & (t->cap - 1);
    while (t->slots[i].text &&
           !(t->slots[i].len == n && memcmp(t->slots[i].text, s, n) == 0))
        i = (i + 1) & (t->cap - 1);
    return &t->slots[i];
}

static void builtin_add(const char *s, dm_abbrev_class cls)
{
    size_t n = strlen(s);
    abbrev_entry *slot = find_slot(&builtin, s, n);
    if (!slot->text)
        builtin.used++;
    *slot = (abbrev_entry){s, n, cls};
}

static void build_builtin(void)
{
    for (size_t i = 0; i < sizeof default_prefix / sizeof *default_prefix; i++)
        builtin_add(default_prefix[i], DM_ABBREV_PREFIX);
    for (size_t i = 0; i < sizeof default_terminal / sizeof *default_terminal; i++)
        builtin_add(default_terminal[i], DM_ABBREV_TERMINAL);
}

static const abbrev_table *builtin_table(void)
{
    pthread_once(&builtin_once, build_builtin);
    return &builtin;
}

static void table_free(abbrev_table *t)
{
    if (t->owned) {
        for (size_t i = 0; i < t->cap; i++)
            free((char *)t->slots[i].text);
        free(t->slots);
    }
    memset(t, 0, sizeof *t);
}

/* A copy of `from` (owning its strings) with room for `extra` entries more. */
static bool table_copy(abbrev_table *to, const abbrev_table *from, size_t extra)
{
    size_t cap = 256;
    while (cap < (from->used + extra + 1) * 2)
        cap *= 2;
    *to = (abbrev_table){calloc(cap, sizeof(abbrev_entry)), cap, 0, true};
    if (!to->slots)
        return false;
    for (size_t i = 0; i < from->cap; i++) {
        const abbrev_entry *e = &from->slots[i];
        if (!e->text)
            continue;
        char *copy = strndup(e->text, e->len);
        if (!copy) {
            table_free(to);
            return false;
        }
        *find_slot(to, copy, e->len) = (abbrev_entry){copy, e->len, e->cls};
        to->used++;
    }
    return true;
}

/* Insert or update (a later entry's class wins) in an owned table with room. */
static bool table_add(abbrev_table *t, const char *s, size_t n, dm_abbrev_class cls)
{
    abbrev_entry *slot = find_slot(t, s, n);
    if (slot->text) {
        slot->cls = cls;
        return true;
    }
    char *copy = strndup(s, n);
    if (!copy)
        return false;
    *slot = (abbrev_entry){copy, n, cls};
    t->used++;
    return true;
}

dm_abbrev_class dm_abbrev_lookup(const dm_abbreviations *set, const char *s, size_t n)
{
    const abbrev_table *t = set ? &set->table : builtin_table();
    if (n == 0)
        return DM_ABBREV_NONE;
    const abbrev_entry *slot = find_slot(t, s, n);
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

dm_status dm_abbreviations_create(dm_abbreviations **out, dm_error *err)
{
    if (!out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_abbreviations_create: out is NULL");
    *out = NULL;
    dm_abbreviations *a = calloc(1, sizeof *a);
    if (!a || !table_copy(&a->table, builtin_table(), 0)) {
        free(a);
        return dm_error_set(err, DM_E_NOMEM, NULL, 0, "out of memory");
    }
    *out = a;
    return DM_OK;
}

void dm_abbreviations_destroy(dm_abbreviations **a)
{
    if (!a || !*a)
        return;
    table_free(&(*a)->table);
    free(*a);
    *a = NULL;
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

/* One line of the file: NULL abbreviation for a blank or comment line. */
static dm_status parse_line(char *line, const char *path, long lineno, char **abbrev,
                            dm_abbrev_class *cls, dm_error *err)
{
    *abbrev = NULL;
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
    char *word = trim(line);
    if (!*word)
        return DM_OK;
    *cls = DM_ABBREV_PREFIX;
    if (cls_text && *cls_text) {
        if (strcmp(cls_text, "terminal") == 0)
            *cls = DM_ABBREV_TERMINAL;
        else if (strcmp(cls_text, "prefix") != 0)
            return dm_error_set(err, DM_E_FORMAT, path, lineno,
                                "unknown abbreviation class '%s' (expected "
                                "prefix or terminal)", cls_text);
    }
    size_t n = strlen(word);
    if (word[n - 1] != '.' || strpbrk(word, " "))
        return dm_error_set(err, DM_E_FORMAT, path, lineno,
                            "abbreviation '%s' must be one word ending "
                            "with '.'", word);
    *abbrev = word;
    return DM_OK;
}

dm_status dm_abbreviations_load(dm_abbreviations *a, const char *path, dm_error *err)
{
    if (!a || !path)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0,
                            "dm_abbreviations_load: NULL argument");
    FILE *f = fopen(path, "r");
    if (!f)
        return dm_error_set(err, DM_E_IO, path, 0, "cannot open: %s",
                            strerror(errno));
    /* First pass: validate and count, so the new table is sized once. */
    char *line = NULL;
    size_t cap = 0, count = 0;
    long lineno = 0;
    dm_status st = DM_OK;
    while (st == DM_OK && getline(&line, &cap, f) != -1) {
        char *abbrev;
        dm_abbrev_class cls;
        st = parse_line(line, path, ++lineno, &abbrev, &cls, err);
        count += abbrev != NULL;
    }
    if (st == DM_OK && ferror(f))
        st = dm_error_set(err, DM_E_IO, path, lineno, "read error");
    abbrev_table next = {0};
    if (st == DM_OK && !table_copy(&next, &a->table, count))
        st = dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    if (st == DM_OK) {
        rewind(f);
        lineno = 0;
        while (st == DM_OK && getline(&line, &cap, f) != -1) {
            char *abbrev;
            dm_abbrev_class cls;
            st = parse_line(line, path, ++lineno, &abbrev, &cls, err);
            if (st == DM_OK && abbrev && !table_add(&next, abbrev, strlen(abbrev), cls))
                st = dm_error_set(err, DM_E_NOMEM, path, lineno,
                                  "out of memory adding abbreviation");
        }
        /* The file changed between the passes: a read error all the same. */
        if (st == DM_OK && (ferror(f) || next.used > a->table.used + count))
            st = dm_error_set(err, DM_E_IO, path, lineno, "read error (file changed?)");
    }
    free(line);
    fclose(f);
    if (st != DM_OK) {
        table_free(&next);
        return st;
    }
    table_free(&a->table);
    a->table = next;
    return DM_OK;
}
