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

/* Room for entry i of the list (a new block when it needs one). */
static dm_person_entry *list_slot(dm_person_list *l)
{
    size_t b = l->n / DM_PERSONS_BLOCK;
    if (b == l->n_blocks) {
        if (l->n_blocks == l->cap_blocks) {
            size_t nc = l->cap_blocks ? 2 * l->cap_blocks : 16;
            dm_person_entry **nb = realloc(l->blocks, nc * sizeof *nb);
            if (!nb)
                return NULL;
            l->blocks = nb;
            l->cap_blocks = nc;
        }
        l->blocks[b] = malloc(DM_PERSONS_BLOCK * sizeof **l->blocks);
        if (!l->blocks[b])
            return NULL;
        l->n_blocks++;
    }
    return &l->blocks[b][l->n % DM_PERSONS_BLOCK];
}

static bool list_push(dm_person_list *l, const dm_attribution *a, size_t sentence)
{
    dm_person_entry *e = list_slot(l);
    if (!e)
        return false;
    e->a = *a;
    e->sentence = sentence;
    l->n++;
    return true;
}

static void list_free(dm_person_list *l)
{
    for (size_t b = 0; b < l->n_blocks; b++)
        free(l->blocks[b]);
    free(l->blocks);
    memset(l, 0, sizeof *l);
}

dm_status dm_persons_scan(const dm_attr_ctx *c, const dm_span *sents,
                          size_t n_sents, const dm_quotes *quotes,
                          dm_persons *out)
{
    if (!c || !out)
        return DM_E_INVALID_ARG;
    memset(out, 0, sizeof *out);
    out->ctx = *c;
    out->ctx.persons = NULL; /* as the names were always read: before any */
    out->ctx.pos = 0;
    out->sents = sents;
    out->n_sents = sents ? n_sents : 0;
    out->quotes = quotes;
    return DM_OK;
}

/* The lists grow while they are read (their blocks do not move): the
 * functions below take the persons const, as their callers see them. */
static dm_persons *grow(const dm_persons *ps)
{
    return (dm_persons *)ps;
}

static void fail_scan(dm_persons *ps)
{
    ps->failed = true;
    ps->next = ps->n_sents; /* no further scan: the lists stop here */
}

/* Sentence k's names (groups left out), scanned when first read. */
static const dm_person_sentence *names_of(const dm_persons *cps, size_t k)
{
    static const dm_person_sentence none = {.done = true};
    dm_persons *ps = grow(cps);
    if (!ps->by_sentence) {
        ps->by_sentence = calloc(ps->n_sents, sizeof *ps->by_sentence);
        if (!ps->by_sentence) {
            fail_scan(ps);
            return &none;
        }
    }
    dm_person_sentence *e = &ps->by_sentence[k];
    if (e->done)
        return e;
    e->done = true;
    const dm_attr_ctx *c = &ps->ctx;
    size_t n = 0, keep = 0;
    if (dm_attribute_names(c, ps->sents[k].start, ps->sents[k].end, &ps->tmp, &n,
                           &ps->tmp_cap) != DM_OK) {
        fail_scan(ps);
        return e;
    }
    for (size_t i = 0; i < n; i++)
        keep += !ps->tmp[i].group;
    if (keep && !(e->v = malloc(keep * sizeof *e->v))) {
        fail_scan(ps);
        return e;
    }
    for (size_t i = 0; i < n; i++) {
        const dm_attribution *m = &ps->tmp[i];
        if (m->group)
            continue;
        e->v[e->n++] = (dm_person_name){
            .a = *m,
            .mention = !ps->quotes ||
                       dm_quotes_containing(ps->quotes, m->speaker.start) == (size_t)-1,
            .full = count_words(c, m->speaker, NULL) >= 2};
    }
    return e;
}

/* Scan every sentence that starts at or before pos into the mentions:
 * every one starting there is listed, and every later one starts after it. */
static void scan_to(const dm_persons *cps, size_t pos)
{
    dm_persons *ps = grow(cps);
    while (ps->next < ps->n_sents && ps->sents[ps->next].start <= pos) {
        size_t i = ps->next++;
        const dm_person_sentence *e = names_of(ps, i);
        for (size_t k = 0; k < e->n && !ps->failed; k++)
            if (e->v[k].mention && !list_push(&ps->mentions, &e->v[k].a, i))
                fail_scan(ps);
    }
}

bool dm_persons_failed(const dm_persons *ps)
{
    return ps && ps->failed;
}

size_t dm_persons_all_mentions(const dm_persons *ps)
{
    if (!ps)
        return 0;
    scan_to(ps, (size_t)-1);
    return ps->mentions.n;
}

void dm_persons_free(dm_persons *ps)
{
    if (!ps)
        return;
    list_free(&ps->mentions);
    for (size_t k = 0; ps->by_sentence && k < ps->n_sents; k++)
        free(ps->by_sentence[k].v);
    free(ps->by_sentence);
    free(ps->full);
    free(ps->tmp);
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

/* same_unit(c, i, x) in the searches over many units i for one x: w and n
 * are x's word (c->s + its start, its length without an 's), the length
 * and the first byte compared before the call to memcmp. */
static inline bool unit_is(const dm_attr_ctx *c, size_t i, const char *w, size_t n)
{
    const dm_unit *a = &c->units->v[i];
    size_t na = a->end - a->start - (a->possessive ? 2 : 0);
    return na == n && (n == 0 || (c->s[a->start] == w[0] && memcmp(c->s + a->start, w, n) == 0));
}

/* The word of unit x for unit_is: *n gets its length. */
static const char *unit_word(const dm_attr_ctx *c, size_t x, size_t *n)
{
    const dm_unit *u = &c->units->v[x];
    *n = u->end - u->start - (u->possessive ? 2 : 0);
    return c->s + u->start;
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

/* The units of the word covers() compares last (a one-word name's word,
 * else the name's last unit), same_unit: a full name covers the name only
 * when it holds one. *first and *last get the first and the last of them
 * in the text; false when the name has no word (covers() is then false). */
static bool word_units(const dm_attr_ctx *c, dm_span name, size_t *first, size_t *last,
                       size_t *word)
{
    size_t na, nn = count_words(c, name, &na);
    if (nn == 0)
        return false;
    size_t x = nn == 1 ? na : dm_units_at(c->units, name.end) - 1;
    *word = x;
    size_t wn;
    const char *w = unit_word(c, x, &wn);
    size_t i = 0;
    while (i < x && !unit_is(c, i, w, wn))
        i++;
    *first = i;
    size_t j = c->units->n - 1;
    while (j > x && !unit_is(c, j, w, wn))
        j--;
    *last = j;
    return true;
}

/* Does sentence k hold a unit of unit x's word (same_unit), among the
 * units its names are read from? A full name that covers a name holds one
 * (covers, word_units). *units gets the number of those units: more than
 * the full names the sentence can hold (dm_attribute_names names at most
 * one person a unit it starts from). */
static bool sentence_holds(const dm_attr_ctx *c, const dm_persons *ps, size_t k, size_t x,
                           size_t *units)
{
    size_t a = dm_units_at(c->units, ps->sents[k].start);
    size_t b = dm_units_at(c->units, ps->sents[k].end);
    *units = b - a;
    size_t wn;
    const char *w = unit_word(c, x, &wn);
    for (size_t i = a; i < b; i++)
        if (unit_is(c, i, w, wn))
            return true;
    return false;
}

/* The full names of sentence k that start at or before pos (`after`
 * false) or after it (true): those expand's search counts there. */
static size_t full_names(const dm_persons *ps, size_t k, size_t pos, bool after)
{
    const dm_person_sentence *e = names_of(ps, k);
    size_t n = 0;
    for (size_t j = 0; j < e->n; j++)
        n += e->v[j].full && (e->v[j].a.speaker.start > pos) == after;
    return n;
}

/* The sentence holding (or last starting before) offset `off`; n_sents when
 * none starts at or before it. */
static size_t sentence_of(const dm_persons *ps, size_t off)
{
    size_t lo = 0, hi = ps->n_sents;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ps->sents[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : ps->n_sents;
}

void dm_persons_whole_internal(dm_persons *ps)
{
    if (!ps || ps->whole)
        return;
    ps->whole = true;
    scan_to(ps, (size_t)-1);
    size_t n = 0;
    for (size_t k = 0; k < ps->n_sents; k++)
        for (size_t j = 0; j < names_of(ps, k)->n; j++)
            n += ps->by_sentence && ps->by_sentence[k].v[j].full;
    if (!n)
        return;
    ps->full = malloc(n * sizeof *ps->full);
    if (!ps->full) {
        fail_scan(ps);
        return;
    }
    for (size_t k = 0; k < ps->n_sents; k++)
        for (size_t j = 0; j < ps->by_sentence[k].n; j++)
            if (ps->by_sentence[k].v[j].full)
                ps->full[ps->n_full++] = &ps->by_sentence[k].v[j].a;
}

/* How the full name f answers a lookup of `name` (g: the honorific's
 * gender, or 0): SURNAME when it covers the name's last word (the answer),
 * OTHER when it covers another of its words and `want_other` (the first
 * such is kept in case no surname matches), else NONE (a group, another
 * gender, no cover). One test for the whole-list search and the lazy one,
 * backwards and forwards. */
enum candidate_match { MATCH_NONE, MATCH_OTHER, MATCH_SURNAME };
static enum candidate_match candidate(const dm_attr_ctx *c, const dm_attribution *f,
                                      dm_span name, char g, bool want_other)
{
    if (f->group || (g && !gender_fits(c, f, g)))
        return MATCH_NONE;
    if (covers(c, f->speaker, name, true, false))
        return MATCH_SURNAME;
    return want_other && covers(c, f->speaker, name, false, introduced(c, f)) ? MATCH_OTHER
                                                                             : MATCH_NONE;
}

/* dm_persons_expand on the list of every full name. */
static const dm_attribution *expand_whole(const dm_attr_ctx *c, const dm_persons *ps,
                                          dm_span name, size_t pos)
{
    char g = honorific_gender(c, name);
    /* bounded search around pos keeps long documents linear */
    size_t lo = 0, hi = ps->n_full;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ps->full[mid]->speaker.start <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    const dm_attribution *other = NULL;
    for (size_t i = lo, steps = 0; i-- > 0 && steps < 2048; steps++) {
        const dm_attribution *f = ps->full[i];
        enum candidate_match m = candidate(c, f, name, g, !other);
        if (m == MATCH_SURNAME)
            return f;
        if (m == MATCH_OTHER)
            other = f;
    }
    const dm_attribution *other_after = NULL;
    for (size_t i = lo; i < ps->n_full && i < lo + 256; i++) {
        const dm_attribution *f = ps->full[i];
        enum candidate_match m = candidate(c, f, name, g, !other && !other_after);
        if (m == MATCH_SURNAME)
            return f;
        if (m == MATCH_OTHER)
            other_after = f;
    }
    return other ? other : other_after;
}

const dm_attribution *dm_persons_expand(const dm_attr_ctx *c,
                                        const dm_persons *ps, dm_span name,
                                        size_t pos)
{
    if (!c || !ps)
        return NULL;
    /* "Mr. Ruiz" is not the "Ana Ruiz" named last: a full name whose
     * gender is known and differs from the honorific's is skipped */
    if (ps->whole)
        return expand_whole(c, ps, name, pos);
    char g = honorific_gender(c, name);
    size_t fu, lu, x;
    if (ps->n_sents == 0 || !word_units(c, name, &fu, &lu, &x))
        return NULL; /* no full name, or none covers the name */
    /* The full names in text order, those starting at or before pos
     * backwards from pos, then those after it. A full name that covers the
     * name holds a unit of its word: only the sentences from the first such
     * unit's to the last's are searched, and among them only those that
     * hold one (sentence_holds) are read. The full names of the others
     * count towards the bounds of the search (2048 before, 256 after) as
     * if they were read: they are counted when the bound of their units
     * says the search might stop among them, before the next sentence
     * read (the search stops there if it would have stopped before). */
    size_t kf = sentence_of(ps, c->units->v[fu].start);
    size_t kl = sentence_of(ps, c->units->v[lu].start);
    size_t kp = sentence_of(ps, pos);
    if (kf == ps->n_sents)
        kf = 0;
    /* one scan: a surname match wins; else the first match of another word */
    const dm_attribution *other = NULL;
    size_t steps = 0;
    /* sentences (k, unread) were skipped; `most`: the full names they may hold */
    size_t unread = kp == ps->n_sents ? 0 : kp + 1, most = 0;
    for (size_t k = unread; k-- > kf && steps < 2048;) {
        size_t units;
        if (!sentence_holds(c, ps, k, x, &units)) {
            most += units;
            continue;
        }
        if (steps + most >= 2048)
            for (size_t r = unread; r-- > k + 1 && steps < 2048;)
                steps += full_names(ps, r, pos, false);
        if (steps >= 2048)
            break;
        unread = k;
        most = 0;
        const dm_person_sentence *e = names_of(ps, k);
        for (size_t j = e->n; j-- > 0 && steps < 2048;) {
            const dm_attribution *f = &e->v[j].a;
            if (!e->v[j].full || f->speaker.start > pos)
                continue; /* a later one: the search after pos reads it */
            steps++;
            enum candidate_match m = candidate(c, f, name, g, !other);
            if (m == MATCH_SURNAME)
                return f;
            if (m == MATCH_OTHER)
                other = f;
        }
    }
    /* the full names after pos, 256 at most */
    const dm_attribution *other_after = NULL;
    size_t after = 0;
    if (kl == ps->n_sents || c->units->v[lu].start <= pos)
        return other; /* no unit of the word after pos */
    /* sentences [unread, k) were skipped */
    unread = kp == ps->n_sents ? 0 : kp;
    most = 0;
    for (size_t k = unread; k <= kl && after < 256; k++) {
        size_t units;
        if (!sentence_holds(c, ps, k, x, &units)) {
            most += units;
            continue;
        }
        if (after + most >= 256)
            for (size_t r = unread; r < k && after < 256; r++)
                after += full_names(ps, r, pos, true);
        if (after >= 256)
            break;
        unread = k + 1;
        most = 0;
        const dm_person_sentence *e = names_of(ps, k);
        for (size_t j = 0; j < e->n && after < 256; j++) {
            const dm_attribution *f = &e->v[j].a;
            if (!e->v[j].full || f->speaker.start <= pos)
                continue;
            after++;
            enum candidate_match m = candidate(c, f, name, g, !other && !other_after);
            if (m == MATCH_SURNAME)
                return f;
            if (m == MATCH_OTHER)
                other_after = f;
        }
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
    const dm_attribution *m = dm_persons_mention(ps, i);
    size_t len = m->speaker.end - m->speaker.start;
    if (count_words(c, m->speaker, NULL) != 1)
        return false;
    for (size_t j = i, seen = 0; j-- > 0 && seen < 48;) {
        const dm_attribution *o = dm_persons_mention(ps, j);
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
    scan_to(ps, pos);
    size_t lo = 0, hi = ps->mentions.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dm_persons_mention(ps, mid)->speaker.start < pos)
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
        const dm_attribution *m = dm_persons_mention(ps, i);
        if (best_sent != (size_t)-1 && dm_persons_mention_sentence(ps, i) != best_sent)
            break;
        char g = 0;
        bool person = is_person_g(c, ps, m, pos, gender ? &g : NULL);
        if (person || (gender && (speaks(c, m, pos) || spoke_earlier(c, ps, i, pos)))) {
            if ((g && g != gender) || (gender && pronoun_before(c, m, gender)))
                continue;
            best_sent = dm_persons_mention_sentence(ps, i);
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
    if (ps->whole) {
        size_t lo = 0, hi = ps->mentions.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (dm_persons_mention(ps, mid)->speaker.start < a)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t i = lo; i < ps->mentions.n && dm_persons_mention(ps, i)->speaker.start < b; i++)
            if (!dm_persons_mention(ps, i)->owner && is_person(c, ps, dm_persons_mention(ps, i), b))
                return dm_persons_mention(ps, i);
        return NULL;
    }
    /* the mentions starting in [a, b): those of the sentences there */
    size_t k = sentence_of(ps, a);
    for (k = k == ps->n_sents ? 0 : k; k < ps->n_sents && ps->sents[k].start < b; k++) {
        const dm_person_sentence *e = names_of(ps, k);
        for (size_t j = 0; j < e->n; j++) {
            const dm_attribution *m = &e->v[j].a;
            if (!e->v[j].mention || m->speaker.start < a)
                continue;
            if (m->speaker.start >= b)
                return NULL;
            if (!m->owner && is_person(c, ps, m, b))
                return m;
        }
    }
    return NULL;
}
