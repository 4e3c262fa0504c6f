/* Named people of a document (see persons_internal.h). */
#include "statements/persons_internal.h"
#include "statements/phrase_internal.h"
#include "actors/actors_internal.h"
#include "text/text_internal.h"

#include <stdlib.h>
#include <string.h>

static size_t count_words(const dm_attr_ctx *c, dm_span sp, size_t *first)
{
    size_t a = dm_units_at(c->units, sp.start), b = dm_units_at(c->units, sp.end);
    size_t n = 0;
    for (size_t i = a; i < b; i++)
        n += c->units->v[i].word;
    if (first)
        *first = a;
    return n;
}

dm_status dm_persons_scan(const dm_attr_ctx *c, const dm_span *sents,
                          size_t n_sents, const dm_quotes *quotes,
                          dm_persons *out)
{
    if (!c || !out)
        return DM_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    dm_persons all = {0};
    size_t *sent_of = NULL, sent_cap = 0;
    dm_status st = DM_OK;
    for (size_t i = 0; i < n_sents && st == DM_OK; i++) {
        size_t before = all.n;
        st = dm_attribute_names(c, sents[i].start, sents[i].end, &all.v, &all.n,
                                &all.cap);
        if (st == DM_OK && all.cap > sent_cap) {
            size_t *ns = realloc(sent_of, all.cap * sizeof *ns);
            if (!ns) {
                st = DM_E_NOMEM;
                break;
            }
            sent_of = ns;
            sent_cap = all.cap;
        }
        for (size_t k = before; st == DM_OK && k < all.n; k++)
            sent_of[k] = i;
    }
    if (st != DM_OK) {
        free(all.v);
        free(sent_of);
        return st;
    }
    /* mentions: names outside quotes, kept in order */
    dm_attribution *ment = all.n ? malloc(all.n * sizeof *ment) : NULL;
    size_t *ment_sent = all.n ? malloc(all.n * sizeof *ment_sent) : NULL;
    if (all.n && (!ment || !ment_sent)) {
        free(ment);
        free(ment_sent);
        free(all.v);
        free(sent_of);
        return DM_E_NOMEM;
    }
    size_t nm = 0, k = 0;
    for (size_t i = 0; i < all.n; i++) {
        const dm_attribution *m = &all.v[i];
        if (!m->group && (!quotes ||
                          dm_quotes_containing(quotes, m->speaker.start) == (size_t)-1)) {
            ment[nm] = *m;
            ment_sent[nm++] = sent_of[i];
        }
    }
    /* full names only in v */
    for (size_t i = 0; i < all.n; i++)
        if (!all.v[i].group && count_words(c, all.v[i].speaker, NULL) >= 2)
            all.v[k++] = all.v[i];
    all.n = k;
    free(sent_of);
    all.mentions = ment;
    all.mention_sentence = ment_sent;
    all.n_mentions = nm;
    *out = all;
    return DM_OK;
}

void dm_persons_free(dm_persons *ps)
{
    if (!ps)
        return;
    free(ps->v);
    free(ps->mentions);
    free(ps->mention_sentence);
    memset(ps, 0, sizeof *ps);
}

/* The same word, a possessive's 's aside ("Clinton's" is "Clinton"). */
static bool same_unit(const dm_attr_ctx *c, size_t x, size_t y)
{
    const dm_unit *a = &c->units->v[x], *b = &c->units->v[y];
    size_t na = a->end - a->start - (a->possessive ? 2 : 0);
    size_t nb = b->end - b->start - (b->possessive ? 2 : 0);
    return na == nb && memcmp(c->s + a->start, c->s + b->start, na) == 0;
}

/* Does the full name `full` cover the short name `name`? A one-word name
 * must be its last word when `last_only`, else any word but the first
 * ("Lula" of "Luiz Inacio Lula da Silva"; "Trump" is not "Trump Tower"),
 * or the first too when `first_ok` (the full name came with a role). */
static bool covers(const dm_attr_ctx *c, dm_span full, dm_span name, bool last_only,
                   bool first_ok)
{
    size_t fa, na;
    size_t fn = count_words(c, full, &fa), nn = count_words(c, name, &na);
    if (nn == 0 || nn >= fn)
        return false;
    size_t fb = dm_units_at(c->units, full.end);
    if (nn == 1) {
        size_t last = fb;
        while (last > fa && !c->units->v[last - 1].word)
            last--;
        /* any word but the first: "Trump" is not "Trump Tower" (the first
         * too when a role introduced the name: "Ambassador Zhang Jun") */
        for (size_t i = last_only ? last - 1 : fa + !first_ok; i < fb; i++)
            if (c->units->v[i].word && c->units->v[i].cap && same_unit(c, i, na))
                return true;
        return false;
    }
    /* the last nn units of full equal those of name */
    size_t nb = dm_units_at(c->units, name.end);
    if (nb - na > fb - fa)
        return false;
    for (size_t i = 0; i < nb - na; i++)
        if (!same_unit(c, fb - (nb - na) + i, na + i))
            return false;
    return true;
}

/* Was the full name introduced by a role, a title ("Ambassador Zhang Jun")
 * or a lowercase noun ("spokeswoman Mao Ning")? Then it names a person. */
static bool introduced(const dm_attr_ctx *c, const dm_attribution *m)
{
    if (m->role.end > m->role.start)
        return true;
    size_t u = dm_units_at(c->units, m->speaker.start);
    if (u == 0)
        return false;
    const dm_unit *pv = &c->units->v[u - 1];
    return pv->word && !pv->cap && !dm_unit_in(c->s, pv, DM_FUNCTION_WORDS) &&
           !dm_unit_in(c->s, pv, DM_PREPOSITIONS) && !dm_unit_in(c->s, pv, DM_DETERMINERS);
}

static char phrase_gender(const dm_attr_ctx *c, const dm_attribution *a);

/* The gender an honorific word says: 'm' for "Mr", 'f' for "Mrs", "Ms" and
 * "Miss", 0 for any other unit. */
static char unit_honorific_gender(const dm_attr_ctx *c, const dm_unit *u)
{
    static const char *const MALE[] = {"mr", NULL};
    static const char *const FEMALE[] = {"mrs", "ms", "miss", NULL};
    return dm_unit_in(c->s, u, MALE) ? 'm' : dm_unit_in(c->s, u, FEMALE) ? 'f' : 0;
}

/* Can full name m be of gender g (its own gender unknown or the same)? */
static bool gender_fits(const dm_attr_ctx *c, const dm_attribution *m, char g)
{
    char mg = phrase_gender(c, m);
    return !mg || mg == g;
}

/* The gender an honorific gives a name: "Mr." before it (or opening it)
 * says 'm', "Mrs."/"Ms."/"Miss" 'f'; 0 without one. */
static char honorific_gender(const dm_attr_ctx *c, dm_span name)
{
    size_t u = dm_units_at(c->units, name.start);
    /* the first word of the span, else the word before it ("Mr" "." "Ruiz") */
    const dm_unit *h = u < c->units->n && c->units->v[u].word ? &c->units->v[u] : NULL;
    if (h && !unit_honorific_gender(c, h)) {
        h = NULL;
        size_t k = u;
        if (k > 0 && !c->units->v[k - 1].word && c->units->v[k - 1].end - c->units->v[k - 1].start == 1 &&
            c->s[c->units->v[k - 1].start] == '.')
            k--;
        if (k > 0 && c->units->v[k - 1].word)
            h = &c->units->v[k - 1];
    }
    return h ? unit_honorific_gender(c, h) : 0;
}

char dm_persons_honorific(const dm_attr_ctx *c, dm_span name)
{
    return c ? honorific_gender(c, name) : 0;
}

const dm_attribution *dm_persons_expand(const dm_attr_ctx *c,
                                        const dm_persons *ps, dm_span name,
                                        size_t pos)
{
    if (!c || !ps)
        return NULL;
    /* "Mr. Ruiz" is not the "Ana Ruiz" named last: a full name whose
     * gender is known and differs from the honorific's is skipped */
    char g = honorific_gender(c, name);
    /* bounded search around pos keeps long documents linear */
    size_t lo = 0, hi = ps->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ps->v[mid].speaker.start <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* one scan: a surname match wins; else the first match of another word */
    const dm_attribution *other = NULL;
    for (size_t i = lo, steps = 0; i-- > 0 && steps < 2048; steps++) {
        if (ps->v[i].group || (g && !gender_fits(c, &ps->v[i], g)))
            continue;
        if (covers(c, ps->v[i].speaker, name, true, false))
            return &ps->v[i];
        if (!other && covers(c, ps->v[i].speaker, name, false, introduced(c, &ps->v[i])))
            other = &ps->v[i];
    }
    const dm_attribution *other_after = NULL;
    for (size_t i = lo; i < ps->n && i < lo + 256; i++) {
        if (ps->v[i].group || (g && !gender_fits(c, &ps->v[i], g)))
            continue;
        if (covers(c, ps->v[i].speaker, name, true, false))
            return &ps->v[i];
        if (!other && !other_after &&
            covers(c, ps->v[i].speaker, name, false, introduced(c, &ps->v[i])))
            other_after = &ps->v[i];
    }
    return other ? other : other_after;
}

/* Words that never stand in a person's name: days, months that are no
 * given names, and the heads of places and organisations ("Tuesday's New
 * Hampshire", "Late Sunday", "Democratic Party", "Madison Square Garden"). */
static const char *const NOT_NAME_WORDS[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "july", "september", "october", "november",
    "december", "feb", "aug", "sept", "oct", "nov", "dec",
    "party", "committee", "university", "college", "school", "news", "county",
    "court", "agency", "department", "street", "park", "garden", "sea", "ocean",
    "river", "senate", "congress", "council", "league", "association", "institute",
    "foundation", "center", "centre", "times", "journal", "magazine", "network",
    "administration", "commission", "city", "states", "island", "islands",
    "valley", "airport", "hotel", "church", "bank", "corp", "inc", "company",
    "square", "tower", "avenue", "station", "hospital", "army", "navy", "police",
    "media", "press", "television", "radio", "club", "union", "fund", "office",
    "ministry", "democrats", "republicans", "democratic", "republican", "gop",
    "americans", "pac", "cnn", "fox", "msnbc", "nbc", "abc", "cbs", "npr", "bbc",
    "twitter", "facebook", "youtube", "google", "jewish", "catholic", "muslim",
    "hispanic", "latino", "evangelical", "state", "century", NULL};
/* US states: the usual place names of US news. Lone words that are also
 * given names ("Georgia", "Virginia") are left to the name list. */
static const char *const STATES[] = {
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado",
    "connecticut", "delaware", "florida", "hawaii", "idaho", "illinois", "indiana",
    "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland",
    "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana",
    "nebraska", "nevada", "ohio", "oklahoma", "oregon", "pennsylvania",
    "tennessee", "texas", "utah", "vermont", "wisconsin", "wyoming", "hampshire",
    "jersey", "mexico", "carolina", "dakota", "york", NULL};
/* US state abbreviations, a place when a full stop follows ("Baltimore,
 * Md.", "Jackson, Miss."): never a person of unknown gender. */
static const char *const STATE_ABBRS[] = {
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind",
    "kan", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb",
    "nev", "okla", "ore", "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", NULL};
static const char *const MONTH_NAMES[] = {"april", "may", "june", "august", NULL};

/* An initialism with dots ("D.C.", "N.H.", "U.S."): letters of one each. */
static bool initialism(const dm_attr_ctx *c, const dm_unit *u)
{
    size_t n = u->end - u->start;
    if (n < 3)
        return false;
    for (size_t i = 1; i < n; i += 2)
        if (c->s[u->start + i] != '.')
            return false;
    return true;
}
/* Month abbreviations that are also given names ("Jan Brewer"): a month only
 * before a full stop or a number ("Jan. 7", "Jan 7"). */
static const char *const MONTH_ABBR_NAMES[] = {"jan", NULL};

bool dm_persons_not_a_name(const dm_attr_ctx *c, dm_span name)
{
    if (!c || name.end <= name.start)
        return false;
    size_t a = dm_units_at(c->units, name.start), b = dm_units_at(c->units, name.end);
    size_t words = 0, first = b;
    for (size_t i = a; i < b; i++) {
        const dm_unit *u = &c->units->v[i];
        if (!u->word)
            continue;
        if (!words++)
            first = i;
        if (dm_unit_in(c->s, u, NOT_NAME_WORDS))
            return true;
        /* "May 5", "in June": a month before a number or alone */
        const dm_unit *nx = i + 1 < c->units->n ? &c->units->v[i + 1] : NULL;
        bool before_number = nx && nx->word && c->s[nx->start] >= '0' && c->s[nx->start] <= '9';
        if (dm_unit_in(c->s, u, MONTH_NAMES) && before_number)
            return true;
        if (dm_unit_in(c->s, u, MONTH_ABBR_NAMES) &&
            (before_number || !nx || (!nx->word && nx->ch == '.')))
            return true;
    }
    if (!words)
        return false;
    const dm_unit *f = &c->units->v[first];
    const dm_unit *fx = first + 1 < c->units->n ? &c->units->v[first + 1] : NULL;
    if (words == 1 && (initialism(c, f) || (dm_unit_in(c->s, f, STATE_ABBRS) && fx &&
                                            dm_unit_punct(fx, '.') && fx->start == f->end)))
        return true;
    if (words == 1)
        return dm_unit_in(c->s, f, MONTH_NAMES) ||
               (dm_unit_in(c->s, f, STATES) && !dm_cues_name_gender(c->cues, c->s, f));
    /* "New Hampshire", "Salem, New Hampshire": a state ends it, and no given
     * name starts it */
    const dm_unit *l = &c->units->v[b - 1];
    while (l > f && !l->word)
        l--;
    return dm_unit_in(c->s, l, STATES) && !dm_cues_name_gender(c->cues, c->s, f);
}

/* Gender of the words of one attribution (no surname expansion). */
static char phrase_gender(const dm_attr_ctx *c, const dm_attribution *a)
{
    size_t pa = dm_units_at(c->units, a->phrase.start);
    size_t sa = dm_units_at(c->units, a->speaker.start);
    size_t sb = dm_units_at(c->units, a->speaker.end);
    for (size_t i = pa < sa ? pa : sa; i < sb; i++) {
        const dm_unit *u = &c->units->v[i];
        if (!u->word)
            continue;
        char hg = unit_honorific_gender(c, u);
        if (hg)
            return hg;
        if (i >= sa) {
            /* a word before the last of a name: a given name ("Ted Cruz"),
             * after a place or a title the speaker kept ("Indiana Gov.
             * Mike Pence"); a lone surname says nothing ("Clinton") */
            size_t k = i + 1;
            while (k < sb && !c->units->v[k].word)
                k++;
            if (k >= sb)
                return 0;
            char g = dm_cues_name_gender(c->cues, c->s, u);
            if (g)
                return g;
        }
    }
    return 0;
}

char dm_persons_name_gender(const dm_attr_ctx *c, const char *name)
{
    if (!c || !c->cues || !name)
        return 0;
    char *folded = NULL;
    if (dm_casefold(name, strcspn(name, " "), &folded, NULL) != DM_OK)
        return 0;
    char g = dm_cues_name_gender_folded(c->cues, folded);
    free(folded);
    return g;
}

/* A dictionary actor that is no person; *person says whether it is one,
 * *gender (when not NULL) the gender of its canonical name. */
static bool non_person_actor(const dm_attr_ctx *c, dm_span sp, bool *person, char *gender)
{
    dm_actor_match m;
    *person = false;
    if (gender)
        *gender = 0;
    if (!c->actors || !dm_actors_lookup(c->actors, c->s + sp.start,
                                        sp.end - sp.start, c->date, &m))
        return false;
    *person = m.kind == DM_ACTOR_PERSON;
    if (*person && gender)
        *gender = dm_persons_name_gender(c, m.name);
    return !*person;
}

/* Does the mention itself say it is a person: an honorific or a listed
 * given name (*g gets the gender), a title or apposition, a lowercase role
 * before it ("economist Lena Ortiz"), or the dictionary? */
static bool person_evidence(const dm_attr_ctx *c, const dm_attribution *m, char *g)
{
    *g = phrase_gender(c, m);
    /* a title before the name ("Sen. Cruz"); an apposition after it may be
     * a clause ("in late May, a confident Ruiz said") */
    if (*g || (m->role.end > m->role.start && m->role.end <= m->speaker.start))
        return true;
    /* "economist Lena Ortiz", not "voted Tuesday" */
    return count_words(c, m->speaker, NULL) >= 2 && introduced(c, m);
}

/* Is the mention a person? Its gender goes to *gender when `gender` is not
 * NULL (one expansion of a surname serves both). A run of capitals with no
 * evidence ("South Carolina", "Tea Party", "Caesar's Palace") is none; a
 * surname is one when the full name it expands to is. */
static bool is_person_g(const dm_attr_ctx *c, const dm_persons *ps,
                        const dm_attribution *m, size_t pos, char *gender)
{
    bool person;
    char dict_g;
    if (non_person_actor(c, m->speaker, &person, gender ? &dict_g : NULL) ||
        dm_persons_not_a_name(c, m->speaker))
        return false;
    char g = 0;
    bool evidence = person_evidence(c, m, &g);
    if (gender)
        *gender = g;
    if (g || (evidence && !gender))
        return true;
    size_t words = count_words(c, m->speaker, NULL);
    if (words >= 2) {
        if (gender && person)
            *gender = dict_g; /* the dictionary's own name */
        return evidence || person;
    }
    if ((person || evidence) && !gender)
        return true;
    const dm_attribution *full = dm_persons_expand(c, ps, m->speaker, pos);
    char fg = 0;
    bool full_person = full && person_evidence(c, full, &fg);
    /* "Obama" alone: the dictionary's "Barack Obama", unless the text
     * gives the surname another full name ("Admiral Harry Harris") */
    if (!full && person)
        fg = dict_g;
    if (gender)
        *gender = fg;
    return person || evidence || full_person;
}

/* Could the mention be a person at all (for the subject of a sentence, where
 * a cue verb follows): a full name, a person of the dictionary, or a surname
 * of a full name of the document. */
static bool is_person(const dm_attr_ctx *c, const dm_persons *ps,
                      const dm_attribution *m, size_t pos)
{
    bool person;
    if (non_person_actor(c, m->speaker, &person, NULL) || dm_persons_not_a_name(c, m->speaker))
        return false;
    if (person || count_words(c, m->speaker, NULL) >= 2 || phrase_gender(c, m))
        return true;
    return dm_persons_expand(c, ps, m->speaker, pos) != NULL;
}

char dm_persons_gender(const dm_attr_ctx *c, const dm_persons *ps,
                       const dm_attribution *a, size_t pos)
{
    if (!c || !a || a->form != DM_SPEAKER_NAME)
        return 0;
    char g = phrase_gender(c, a);
    if (!g && ps) {
        const dm_attribution *full = dm_persons_expand(c, ps, a->speaker, pos);
        if (full)
            g = phrase_gender(c, full);
    }
    return g;
}

/* Does the phrase parser, reading from `from` (at most `reach` bytes, not
 * past pos), find mention m as the named speaker of a verb cue? */
static bool parses_as_speaker(const dm_attr_ctx *c, const dm_attribution *m, size_t from,
                              size_t reach, size_t pos)
{
    size_t end = from + reach < pos ? from + reach : pos;
    dm_phrase_parser p = dm_phrase_parser_make(c, from, end);
    dm_attribution at;
    return dm_phrase_speaker(&p, p.lo, true, &at) && at.form == DM_SPEAKER_NAME &&
           !at.group && at.speaker.start == m->speaker.start &&
           at.speaker.end == m->speaker.end;
}

/* Does the mention speak: a one-word name followed by a verb cue, after an
 * apposition or not ("Ortiz, a senator from Ohio, said ...", "Ruiz told
 * reporters")? Reported speech makes it a person of unknown gender. */
static bool speaks(const dm_attr_ctx *c, const dm_attribution *m, size_t pos)
{
    bool person;
    if (count_words(c, m->speaker, NULL) != 1 || m->speaker.start >= pos ||
        non_person_actor(c, m->speaker, &person, NULL) || dm_persons_not_a_name(c, m->speaker))
        return false;
    return parses_as_speaker(c, m, m->speaker.start, 600, pos);
}

/* Does the mention report speech in its sentence, a verb cue right after it
 * or after its apposition ("Mr. Graham said", "Ana Ruiz, the mayor, told")?
 * Any number of words, unlike speaks(). */
static bool reports(const dm_attr_ctx *c, const dm_attribution *m, size_t pos)
{
    size_t a = m->phrase.start < m->speaker.start ? m->phrase.start : m->speaker.start;
    return a < pos && parses_as_speaker(c, m, a, 400, pos);
}

/* Did the one-word name of mention i speak earlier in the document ("Ruiz
 * said", then "Ruiz was not impressed. "Q," he noted")? A surname the text
 * never gives a first name is then a person of unknown gender, as a
 * speaking mention is (speaks), not only where it speaks. Looks back at
 * most 48 mentions of the same word. */
static bool spoke_earlier(const dm_attr_ctx *c, const dm_persons *ps, size_t i,
                          size_t pos)
{
    const dm_attribution *m = &ps->mentions[i];
    size_t len = m->speaker.end - m->speaker.start;
    if (count_words(c, m->speaker, NULL) != 1)
        return false;
    for (size_t j = i, seen = 0; j-- > 0 && seen < 48;) {
        const dm_attribution *o = &ps->mentions[j];
        if (o->speaker.end - o->speaker.start != len ||
            memcmp(c->s + o->speaker.start, c->s + m->speaker.start, len) != 0)
            continue;
        seen++;
        if (speaks(c, o, pos))
            return true;
    }
    return false;
}

/* Does a pronoun of `gender` come before the mention in its sentence
 * ("Though he did not name Ruiz, he ...", "Making her way around Chez
 * Vachon, ...")? Then the mention is the pronoun's object or setting, and
 * the pronoun's own antecedent is earlier. */
static bool pronoun_before(const dm_attr_ctx *c, const dm_attribution *m, char gender)
{
    size_t i = dm_units_at(c->units, m->speaker.start);
    for (size_t steps = 0; i-- > 0 && steps < 40; steps++) {
        const dm_unit *u = &c->units->v[i];
        if (memchr(c->s + u->end, '\n', m->speaker.start - u->end))
            return false;
        if (!u->word) {
            if (u->ch == '.' || u->ch == '!' || u->ch == '?')
                return false;
            continue;
        }
        if (u->end - u->start > 3)
            continue;
        if (gender == 'm' ? dm_unit_is(c->s, u, "he")
                          : dm_unit_is(c->s, u, "she"))
            return true;
    }
    return false;
}

const dm_attribution *dm_persons_pronoun(const dm_attr_ctx *c,
                                         const dm_persons *ps, size_t pos,
                                         char gender, char *found)
{
    if (found)
        *found = 0;
    if (!c || !ps)
        return NULL;
    size_t lo = 0, hi = ps->n_mentions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ps->mentions[mid].speaker.start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* the first person of the latest sentence that names one; the owner of
     * a possessive ("Ruiz's plan") only when the sentence names no other */
    const dm_attribution *best = NULL, *owner = NULL, *reporter = NULL;
    char best_g = 0, owner_g = 0, reporter_g = 0;
    size_t best_sent = (size_t)-1;
    for (size_t i = lo, steps = 0; i-- > 0 && steps < 64; steps++) {
        const dm_attribution *m = &ps->mentions[i];
        if (best_sent != (size_t)-1 && ps->mention_sentence[i] != best_sent)
            break;
        char g = 0;
        bool person = is_person_g(c, ps, m, pos, gender ? &g : NULL);
        if (person || (gender && (speaks(c, m, pos) || spoke_earlier(c, ps, i, pos)))) {
            if ((g && g != gender) || (gender && pronoun_before(c, m, gender)))
                continue;
            best_sent = ps->mention_sentence[i];
            if (person && g == gender && !m->owner && reports(c, m, pos)) {
                reporter = m;
                reporter_g = g;
            }
            if (m->owner) {
                owner = m;
                owner_g = g;
            } else {
                best = m;
                best_g = g;
            }
        }
    }
    if (!best) {
        best = owner;
        best_g = owner_g;
    }
    /* "Like his remarks on Hale, Mr. Graham said, Ortiz's jabs were wrong.
     * "Q," he said.": the person reporting speech in that sentence, not
     * the first one it names */
    if (reporter) {
        best = reporter;
        best_g = reporter_g;
    }
    if (found)
        *found = best_g;
    return best;
}

const dm_attribution *dm_persons_first_in(const dm_attr_ctx *c,
                                          const dm_persons *ps, size_t a,
                                          size_t b)
{
    if (!c || !ps)
        return NULL;
    size_t lo = 0, hi = ps->n_mentions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ps->mentions[mid].speaker.start < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < ps->n_mentions && ps->mentions[i].speaker.start < b; i++)
        if (!ps->mentions[i].owner && is_person(c, ps, &ps->mentions[i], b))
            return &ps->mentions[i];
    return NULL;
}
