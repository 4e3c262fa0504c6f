/*
 * polnear_match: the speaker matching rule of the PolNeAR evaluation
 * (pn_speaker_correct). A predicted speaker is right when it names the gold
 * source's entity: same surname, given names equal when both are known, a
 * bare surname only when the article names one person with it; pronoun,
 * relative and description sources are resolved in the article first
 * (bench/POLNEAR.md records each change of the rule by round). This is the
 * part of the evaluator that decides its figures, so it stands alone.
 */
#include "polnear.h"

#include <unicode/uchar.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

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
    if (pn_in_list(w, TITLES) || pn_in_list(w, STARTERS)) return false;
    if (pn_given_gender(w) || !opens_sentence(d, j)) return true;
    for (size_t i = 1; i < d->len; i++) {
        if (d->text[i - 1] != ' ' || !pn_word_at(d->text, d->len, i, surname)) continue;
        size_t k = pn_letters_back(d->text, i - 1);
        if (k == i - 1 || !pn_capital_starts_at(d->text, d->len, k)) continue;
        char f[WORD_MAX];
        pn_lower_utf8(d->text + k, i - 1 - k, f, sizeof f);
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
        pn_split_words(d->ga[i].source_text, &w);
        if (pn_name_words(&w, &nm) < 2 || strcmp(nm.w[nm.n - 1], surname) != 0) continue;
        if (!first[0]) snprintf(first, sizeof first, "%s", nm.w[0]);
        else if (strcmp(first, nm.w[0]) != 0) return true;
    }
    /* the text itself: "Hillary Clinton" / "Bill Clinton" */
    for (size_t i = 1; i < d->len; i++) {
        if (d->text[i - 1] != ' ' || !pn_word_at(d->text, d->len, i, surname))
            continue;
        size_t j = pn_letters_back(d->text, i - 1);
        if (i - 1 - j < 2 || !pn_capital_starts_at(d->text, d->len, j)) continue;
        char f[WORD_MAX];
        pn_lower_utf8(d->text + j, i - 1 - j, f, sizeof f);
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
        pn_split_words(x->source_text, &w);
        if (pn_is_description(&w) || pn_is_pronoun(&w) || !pn_name_words(&w, &nm)) continue;
        char xg = pn_gender_of(&w);
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
        if (strlen(nm->w[i]) > 1) return pn_in_list(nm->w[i], TITLES) ? "" : nm->w[i];
    return "";
}

/* The capitalised word that ends at byte e (exclusive), lower-cased into
 * out, and its start in *start; false when there is none. */
static bool cap_word_before(const doc_ctx *d, size_t e, char *out, size_t *start)
{
    size_t j = pn_letters_back(d->text, e);
    if (e - j < 1 || !pn_capital_starts_at(d->text, d->len, j)) return false;
    pn_lower_utf8(d->text + j, e - j, out, WORD_MAX);
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
        if (d->text[i - 1] != ' ' || !pn_word_at(d->text, d->len, i, surname))
            continue;
        size_t e = i - 1, j;
        /* initials: "J. " before the surname */
        while (e >= 3 && d->text[e - 1] == '.' && d->text[e - 3] == ' ' &&
               cap_word_before(d, e - 1, out, &j) && e - 1 - j == 1)
            e = j - 1;
        if (!cap_word_before(d, e, out, &j) || e - j < 2) continue;
        if (!text_given(d, j, out, surname)) continue;
        char og = pn_given_gender(out);
        if (g && og && og != g) continue;
        if (alt) {
            alt[0] = '\0';
            size_t k;
            if (j >= 2 && d->text[j - 1] == ' ' && cap_word_before(d, j - 1, alt, &k) &&
                (j - 1 - k < 2 || pn_in_list(alt, TITLES) || pn_in_list(alt, STARTERS)))
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
    char g = pn_gender_of(gold);
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
    if (!pn_name_words(gold, &gn) || !pred) return false;
    pn_split_words(pred, &pw);
    if (!pn_name_words(&pw, &pn)) return false;
    const char *surname = gn.w[gn.n - 1];
    /* "Xi" for "Xi Jinping": a family name written first */
    if (gn.n == 1 && pn.n == 2 && strcmp(pn.w[0], surname) == 0 && !surname_ambiguous(d, surname))
        return true;
    /* a double surname ("Melba Acosta Febo"), of which the gold gives the
     * first ("Ms. Acosta"): compare with the name cut after it */
    if (strcmp(pn.w[pn.n - 1], surname) != 0 && pn.n >= 3 &&
        strcmp(pn.w[pn.n - 2], surname) == 0 && strlen(pn.w[pn.n - 3]) > 1 &&
        !pn_in_list(pn.w[pn.n - 1], TITLES))
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
    pn_split_words(pred, &b);
    static const char *const DET[] = {"the", "a", "an", NULL};
    size_t i = 0, j = 0;
    while (true) {
        while (i < a->n && pn_in_list(a->w[i], DET)) i++;
        while (j < b.n && pn_in_list(b.w[j], DET)) j++;
        if (i == a->n || j == b.n) return i == a->n && j == b.n;
        if (strcmp(a->w[i], b.w[j]) != 0) return false;
        i++, j++;
    }
}

/* Is `word` (lower case) the surname of a person the article names with a
 * given name of gender g (or of unknown gender)? The given name goes to out. */
static bool person_surname(const doc_ctx *d, const char *word, char g, char *given)
{
    bool found = false;
    for (size_t i = 0; i < d->ng && !found; i++) {
        if (!d->ga[i].source_text) continue;
        words w, nm;
        pn_split_words(d->ga[i].source_text, &w);
        if (pn_is_description(&w) || pn_is_pronoun(&w) || !pn_name_words(&w, &nm) ||
            strcmp(nm.w[nm.n - 1], word) != 0)
            continue;
        gold_given(d, &w, &nm, d->ga[i].source[0].a, given, NULL);
        char xg = pn_gender_of(&w);
        if (!xg) xg = pn_given_gender(given);
        found = !g || !xg || xg == g;
    }
    if (!found && given_before(d, d->len, word, g, given, NULL)) {
        char xg = pn_given_gender(given);
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
        if (!pn_capital_starts_at(d->text, d->len, i) || pn_in_raw_quote(i))
            continue;
        char wbuf[WORD_MAX];
        size_t j = i, nx;
        UChar32 c;
        while (j < d->len && ((c = pn_char_at(d->text, d->len, j, &nx)) == '-' || u_isalpha(c)))
            j = nx;
        pn_lower_utf8(d->text + i, j - i, wbuf, sizeof wbuf);
        size_t k = strlen(wbuf);
        if (k < 2 || pn_in_list(wbuf, TITLES) || pn_in_list(wbuf, STARTERS) || pn_in_list(wbuf, PRONOUNS))
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
    pn_split_words(buf, out);
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
    pn_split_words(pred, &b);
    if (b.n < 2 || b.n > a->n || !pn_is_description(a)) return false;
    for (size_t i = 0; i < b.n; i++)
        if (strcmp(a->w[a->n - b.n + i], b.w[i]) != 0) return false;
    return true;
}

static bool is_relative(const words *w)
{
    static const char *const REL[] = {"who", "which", "that", NULL};
    return w->n == 1 && pn_in_list(w->w[0], REL);
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
    if (pn_gender_of(w)) return true;
    for (size_t i = 0; i < w->n; i++)
        if (pn_in_list(w->w[i], PERSON_NOUNS)) return true;
    words nm;
    char given[WORD_MAX] = "";
    return !pn_is_description(w) && pn_name_words(w, &nm) == 1 &&
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
        pn_split_words(x->source_text, &w);
        if (!w.n || pn_is_pronoun(&w) || source_is_person(d, &w)) continue;
        best = x;
    }
    return best;
}

/* 1 correct, 0 wrong, -1 gold cannot be resolved (not judged). */
int pn_speaker_correct(const doc_ctx *d, const gold_attr *g, const char *pred)
{
    words w;
    pn_split_words(g->source_text, &w);
    if (pred && same_phrase(&w, pred) && !pn_is_pronoun(&w)) return 1;
    if (!pn_is_pronoun(&w) && !pn_is_description(&w)) return names_entity(d, &w, g->source[0].a, pred);
    /* a description with its name in apposition names that person: "the
     * White House spokesman, Josh Earnest," and "another friend, Mariam
     * Emara" are right as "Josh Earnest" and "Mariam Emara" */
    words app;
    if (appositive_name(g->source_text, &app) && names_entity(d, &app, g->source[0].a, pred))
        return 1;
    if (pn_is_anonymous(g->source_text)) return 0;
    /* "who", "which": the phrase it follows, or the name that phrase is in
     * apposition to (from round 9 on; before, the nearest named source) */
    char ante1[192], ante2[192];
    if (is_relative(&w) && relative_antecedent(d, g->source[0].a, ante1, sizeof ante1, ante2,
                                               sizeof ante2)) {
        words a1, a2;
        pn_split_words(ante1, &a1);
        pn_split_words(ante2, &a2);
        if (pred && (same_phrase(&a1, pred) || ends_with_phrase(&a1, pred))) return 1;
        if (a1.n && !pn_is_description(&a1) && pn_name_words(&a1, &(words){0})) {
            /* a role in apposition ("Ana Ruiz, a consultant at Tarven
             * Partners, who") names the person before it */
            bool role = !a1.cap[0] && a2.n && !pn_is_description(&a2);
            return names_entity(d, &a1, g->source[0].a, pred) ||
                   (role && names_entity(d, &a2, g->source[0].a, pred));
        }
        /* a description ("the star journalist, who"): as a description */
    }
    /* "it" is a thing, never a person: the nearest earlier source that is
     * one (from round 13 on; before, the nearest named source, mostly a
     * person, so "the company" for "It added" was wrong) */
    if (pn_is_pronoun(&w) && strcmp(w.w[0], "it") == 0) {
        const gold_attr *t = thing_before(d, g->source[0].a);
        if (!t) return -1;
        words tw;
        pn_split_words(t->source_text, &tw);
        return pred && (same_phrase(&tw, pred) || names_entity(d, &tw, t->source[0].a, pred));
    }
    char gen = 0;
    if (pn_is_pronoun(&w) && strcmp(w.w[0], "he") == 0) gen = 'm';
    if (pn_is_pronoun(&w) && strcmp(w.w[0], "she") == 0) gen = 'f';
    words pa;
    bool have_pa = gen && pronoun_antecedent(d, g->source[0].a, gen, &pa);
    if (have_pa && names_entity(d, &pa, g->source[0].a, pred)) return 1;
    const gold_attr *ante = named_before(d, g->source[0].a, gen, gen != 0);
    if (!ante) return have_pa ? 0 : -1;
    words aw;
    pn_split_words(ante->source_text, &aw);
    return names_entity(d, &aw, ante->source[0].a, pred) || (pred && same_phrase(&aw, pred));
}
