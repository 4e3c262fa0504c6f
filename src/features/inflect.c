/* Inflections of a lexicon lemma by a rule table (lexicons/README.md,
 * "Lemmas"), so that the lexicons list `condemn~v` once instead of every
 * form by hand.
 *
 * Classes (letters after '~'; a phrase inflects its first word, except
 * class n, which inflects the last one: `double standard~n`):
 *   v  verb: -s, -ed (past and participle), -ing
 *   n  noun: plural -s
 *   a  adjective: comparative -er, superlative -est
 *   e  agent noun: -er and its plural -ers (`dissemble~e`: dissembler)
 * Spelling rules, in order: an exception of EXCEPTIONS replaces the regular
 * form of its slot; consonant + y -> -ies / -ied / -ier, -ying; a final
 * silent e is dropped before a vowel suffix (not after e, o, y: `agree` ->
 * agreeing); -ie -> -ying; s, x, z, ch, sh take -es; a final consonant is
 * doubled after a single stressed vowel: in one-syllable words (`ban` ->
 * banned, not after w, x, y) and in longer ones ending in a stressed
 * syllable of DOUBLING_ENDINGS (`admit` -> admitted; `visit` -> visited);
 * a final vowel + c takes k (`panic` -> panicked).
 * Only ASCII lower-case lemmas are inflected (others yield the lemma only). */
#include "features/features_internal.h"

#include <stdio.h>
#include <string.h>

enum { SLOT_S, SLOT_PAST, SLOT_PARTICIPLE, SLOT_ING, SLOT_PLURAL, SLOT_ER,
       SLOT_EST, N_SLOTS };

/* Irregular forms: NULL keeps the regular one. */
typedef struct exception {
    const char *lemma;
    const char *forms[N_SLOTS]; /* s, past, participle, ing, plural, er, est */
} exception;

static const exception EXCEPTIONS[] = {
    {"be", {"is", "was", "been", "being", NULL, NULL, NULL}},
    {"beat", {NULL, "beat", "beaten", NULL, NULL, NULL, NULL}},
    {"bite", {NULL, "bit", "bitten", NULL, NULL, NULL, NULL}},
    {"blow", {NULL, "blew", "blown", NULL, NULL, NULL, NULL}},
    {"break", {NULL, "broke", "broken", NULL, NULL, NULL, NULL}},
    {"bring", {NULL, "brought", "brought", NULL, NULL, NULL, NULL}},
    {"buy", {NULL, "bought", "bought", NULL, NULL, NULL, NULL}},
    {"crisis", {NULL, NULL, NULL, NULL, "crises", NULL, NULL}},
    {"deter", {NULL, "deterred", "deterred", "deterring", NULL, NULL, NULL}},
    {"do", {"does", "did", "done", NULL, NULL, NULL, NULL}},
    {"drive", {NULL, "drove", "driven", NULL, NULL, NULL, NULL}},
    {"fall", {NULL, "fell", "fallen", NULL, NULL, NULL, NULL}},
    {"fight", {NULL, "fought", "fought", NULL, NULL, NULL, NULL}},
    {"flee", {NULL, "fled", "fled", NULL, NULL, NULL, NULL}},
    {"forbid", {NULL, "forbade", "forbidden", "forbidding", NULL, NULL, NULL}},
    {"forsake", {NULL, "forsook", "forsaken", NULL, NULL, NULL, NULL}},
    {"give", {NULL, "gave", "given", NULL, NULL, NULL, NULL}},
    {"go", {"goes", "went", "gone", NULL, NULL, NULL, NULL}},
    {"good", {NULL, NULL, NULL, NULL, NULL, "better", "best"}},
    {"bad", {NULL, NULL, NULL, NULL, NULL, "worse", "worst"}},
    {"have", {"has", "had", "had", "having", NULL, NULL, NULL}},
    {"hide", {NULL, "hid", "hidden", NULL, NULL, NULL, NULL}},
    {"hit", {NULL, "hit", "hit", NULL, NULL, NULL, NULL}},
    {"hold", {NULL, "held", "held", NULL, NULL, NULL, NULL}},
    {"hurt", {NULL, "hurt", "hurt", NULL, NULL, NULL, NULL}},
    {"keep", {NULL, "kept", "kept", NULL, NULL, NULL, NULL}},
    {"lay", {NULL, "laid", "laid", NULL, NULL, NULL, NULL}},
    {"lead", {NULL, "led", "led", NULL, NULL, NULL, NULL}},
    {"leave", {NULL, "left", "left", NULL, NULL, NULL, NULL}},
    {"lose", {NULL, "lost", "lost", NULL, NULL, NULL, NULL}},
    {"make", {NULL, "made", "made", NULL, NULL, NULL, NULL}},
    {"mislead", {NULL, "misled", "misled", NULL, NULL, NULL, NULL}},
    {"overthrow", {NULL, "overthrew", "overthrown", NULL, NULL, NULL, NULL}},
    {"put", {NULL, "put", "put", NULL, NULL, NULL, NULL}},
    {"run", {NULL, "ran", "run", NULL, NULL, NULL, NULL}},
    {"seek", {NULL, "sought", "sought", NULL, NULL, NULL, NULL}},
    {"sell", {NULL, "sold", "sold", NULL, NULL, NULL, NULL}},
    {"send", {NULL, "sent", "sent", NULL, NULL, NULL, NULL}},
    {"set", {NULL, "set", "set", NULL, NULL, NULL, NULL}},
    {"shoot", {NULL, "shot", "shot", NULL, NULL, NULL, NULL}},
    {"shut", {NULL, "shut", "shut", NULL, NULL, NULL, NULL}},
    {"sink", {NULL, "sank", "sunk", NULL, NULL, NULL, NULL}},
    {"slay", {NULL, "slew", "slain", NULL, NULL, NULL, NULL}},
    {"spread", {NULL, "spread", "spread", NULL, NULL, NULL, NULL}},
    {"steal", {NULL, "stole", "stolen", NULL, NULL, NULL, NULL}},
    {"strike", {NULL, "struck", "struck", NULL, NULL, NULL, NULL}},
    {"take", {NULL, "took", "taken", NULL, NULL, NULL, NULL}},
    {"tear", {NULL, "tore", "torn", NULL, NULL, NULL, NULL}},
    {"thief", {NULL, NULL, NULL, NULL, "thieves", NULL, NULL}},
    {"throw", {NULL, "threw", "thrown", NULL, NULL, NULL, NULL}},
    {"withdraw", {NULL, "withdrew", "withdrawn", NULL, NULL, NULL, NULL}},
    {"withhold", {NULL, "withheld", "withheld", NULL, NULL, NULL, NULL}},
    {"write", {NULL, "wrote", "written", NULL, NULL, NULL, NULL}},
};

/* Stressed final syllables whose consonant doubles in longer words. */
static const char *const DOUBLING_ENDINGS[] = {
    "mit", "pel", "trol", "cur", "gret", "bet", "fer", "vert", NULL};
/* ... except in these (stress elsewhere). */
static const char *const NO_DOUBLING[] = {
    "offer", "differ", "suffer", "proffer", "pilfer", "buffer", "summit",
    "limit", "vomit", "covert", NULL};

static bool vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static bool ends_with(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(w + n - k, suffix, k) == 0;
}

static bool in_list(const char *const *list, const char *w)
{
    for (; *list; list++)
        if (strcmp(*list, w) == 0)
            return true;
    return false;
}

static int syllables(const char *w, size_t n)
{
    int count = 0;
    for (size_t i = 0; i < n; i++)
        count += vowel(w[i]) && (i == 0 || !vowel(w[i - 1]));
    /* a final silent e is no syllable ("-ate" words end in e) */
    if (n > 2 && w[n - 1] == 'e' && !vowel(w[n - 2]) && count > 1)
        count--;
    return count;
}

static bool doubles(const char *w, size_t n)
{
    if (n < 3)
        return false;
    char c = w[n - 1];
    if (vowel(c) || c == 'w' || c == 'x' || c == 'y' || !vowel(w[n - 2]) ||
        vowel(w[n - 3]))
        return false;
    if (syllables(w, n) == 1)
        return true;
    if (in_list(NO_DOUBLING, w))
        return false;
    for (const char *const *e = DOUBLING_ENDINGS; *e; e++)
        if (ends_with(w, n, *e))
            return true;
    return false;
}

/* The regular form of `w` (n bytes) with suffix "s", "ed", "ing", "er",
 * "est" into out. */
static void regular(const char *w, size_t n, const char *suffix, bool noun,
                    char *out, size_t size)
{
    char last = w[n - 1], prev = n > 1 ? w[n - 2] : '\0';
    int wl = (int)n;
    if (suffix[0] == 's') {
        bool es = last == 's' || last == 'x' || last == 'z' ||
                  (last == 'h' && (prev == 's' || prev == 'c')) ||
                  (!noun && last == 'o' && !vowel(prev));
        if (last == 'y' && !vowel(prev))
            snprintf(out, size, "%.*sies", wl - 1, w);
        else
            snprintf(out, size, "%.*s%s", wl, w, es ? "es" : "s");
        return;
    }
    bool ing = suffix[0] == 'i';
    if (last == 'y' && !vowel(prev) && !ing) {
        snprintf(out, size, "%.*si%s", wl - 1, w, suffix);
    } else if (ing && ends_with(w, n, "ie")) {
        snprintf(out, size, "%.*sying", wl - 2, w);
    } else if (last == 'e') {
        bool keep = prev == 'e' || prev == 'o' || prev == 'y';
        if (ing && keep)
            snprintf(out, size, "%.*sing", wl, w);
        else
            snprintf(out, size, "%.*s%s", wl - 1, w, suffix);
    } else if (last == 'c' && vowel(prev)) {   /* panic -> panicked */
        snprintf(out, size, "%.*sk%s", wl, w, suffix);
    } else if (doubles(w, n)) {
        snprintf(out, size, "%.*s%c%s", wl, w, last, suffix);
    } else {
        snprintf(out, size, "%.*s%s", wl, w, suffix);
    }
}

static const exception *find_exception(const char *w)
{
    for (size_t i = 0; i < sizeof EXCEPTIONS / sizeof *EXCEPTIONS; i++)
        if (EXCEPTIONS[i].lemma[0] == w[0] && strcmp(EXCEPTIONS[i].lemma, w) == 0)
            return &EXCEPTIONS[i];
    return NULL;
}

static bool ascii_word(const char *w, size_t n)
{
    if (n == 0 || n >= DM_INFLECT_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(w[i] >= 'a' && w[i] <= 'z') && w[i] != '-')
            return false;
    return w[n - 1] != '-';
}

int dm_inflect(const char *lemma, const char *classes,
               char forms[][DM_INFLECT_MAX], int max_forms)
{
    static const struct { char cls; int slot; const char *suffix; } RULES[] = {
        {'v', SLOT_S, "s"}, {'v', SLOT_PAST, "ed"}, {'v', SLOT_PARTICIPLE, "ed"},
        {'v', SLOT_ING, "ing"}, {'n', SLOT_PLURAL, "s"}, {'a', SLOT_ER, "er"},
        {'a', SLOT_EST, "est"}, {'e', SLOT_ER, "er"}, {'e', SLOT_PLURAL, "ers"},
    };
    if (!lemma || !classes || !forms || max_forms <= 0)
        return 0;
    size_t len = strlen(lemma);
    int n = 0;
    for (size_t r = 0; r < sizeof RULES / sizeof *RULES; r++) {
        if (!strchr(classes, RULES[r].cls))
            continue;
        /* the inflected word: the last for nouns, else the first */
        const char *sp = RULES[r].cls == 'n' ? strrchr(lemma, ' ') : strchr(lemma, ' ');
        size_t start = RULES[r].cls == 'n' && sp ? (size_t)(sp + 1 - lemma) : 0;
        size_t end = RULES[r].cls != 'n' && sp ? (size_t)(sp - lemma) : len;
        size_t wl = end - start;
        if (!ascii_word(lemma + start, wl))
            continue;
        char word[DM_INFLECT_MAX], form[DM_INFLECT_MAX];
        memcpy(word, lemma + start, wl);
        word[wl] = '\0';
        const exception *ex = find_exception(word);
        const char *irregular = ex ? ex->forms[RULES[r].slot] : NULL;
        if (RULES[r].cls == 'e' && RULES[r].slot == SLOT_PLURAL) {
            char er[DM_INFLECT_MAX - 1];
            regular(word, wl, "er", false, er, sizeof er);
            snprintf(form, sizeof form, "%ss", er);
        } else if (irregular) {
            snprintf(form, sizeof form, "%s", irregular);
        } else {
            regular(word, wl, RULES[r].suffix, RULES[r].cls == 'n', form,
                    sizeof form);
        }
        char whole[DM_INFLECT_MAX];
        int w = snprintf(whole, sizeof whole, "%.*s%s%s", (int)start, lemma, form,
                         lemma + end);
        if (w < 0 || (size_t)w >= sizeof whole || strcmp(whole, lemma) == 0)
            continue;
        bool seen = false;
        for (int k = 0; k < n && !seen; k++)
            seen = strcmp(forms[k], whole) == 0;
        if (seen)
            continue;
        if (n == max_forms)
            break;
        memcpy(forms[n++], whole, (size_t)w + 1);
    }
    return n;
}
