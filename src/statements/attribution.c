/* Speaker attribution: the entry points that find "X said" around a quote
 * (see attribution_internal.h). The phrase parser is in phrase.c. */
#include "statements/phrase_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_BACK 16

bool dm_attribute_prep(const dm_attr_ctx *c, size_t a, size_t b,
                       dm_attribution *out)
{
    if (!c || !out || a >= b)
        return false;
    dm_phrase_parser p = dm_phrase_parser_make(c, a, b);
    return dm_phrase_prep(&p, DM_CUE_BY, out) || dm_phrase_prep(&p, DM_CUE_PREP, out);
}

/* "Q," Harry Bond, 30, of Raleigh, N.C., who was polled, said ...: a name
 * (or a definite noun phrase) and a comma, then a verb cue within
 * MAX_APPOSITION units of the same clause, the last of them after a comma
 * or the cue right after a word ("..., who founded the site tweeted"). */
#define MAX_APPOSITION 24
static bool long_apposition(const dm_phrase_parser *p, size_t i, dm_attribution *out)
{
    dm_attribution at;
    size_t e = dm_phrase_speaker(p, i, false, &at);
    if (!e || at.form == DM_SPEAKER_PRONOUN || at.group || !dm_phrase_punct(p, e, ','))
        return false;
    for (size_t k = e + 1; k < p->hi && k < e + 1 + MAX_APPOSITION; k++) {
        const dm_unit *u = &p->u[k];
        if (!u->word) {
            if (u->ch == '.' && k + 1 < p->hi && p->u[k + 1].cap &&
                p->u[k].start > 0 && p->u[k - 1].end - p->u[k - 1].start > 2)
                return false; /* a sentence ends ("Mass." is no end) */
            if (u->ch == '"' || u->ch == 0x201C || u->ch == ';' || u->ch == ':')
                return false;
            continue;
        }
        size_t n = dm_phrase_verb(p, k);
        if (!n)
            continue;
        /* the verb after a comma, or after the apposition's last word */
        if (k == e + 1)
            return false;
        at.cue = dm_phrase_span(p, k, k + n);
        at.phrase.end = p->u[k - 1].end;
        *out = at;
        return true;
    }
    return false;
}

bool dm_attribute_after(const dm_attr_ctx *c, size_t a, size_t b,
                        dm_attribution *out)
{
    if (!c || !out || a >= b)
        return false;
    dm_phrase_parser p = dm_phrase_parser_make(c, a, b);
    if (dm_phrase_prep(&p, DM_CUE_BY, out))
        return true;
    size_t i = p.lo;
    while (i < p.hi && !p.u[i].word && i < p.lo + 3 &&
           (p.u[i].ch == ',' || p.u[i].ch == ':' || p.u[i].ch == '(' ||
            p.u[i].ch == '-' || p.u[i].ch == 0x2014 || p.u[i].ch == 0x2013))
        i++;
    if (i >= p.hi)
        return false;
    dm_attribution at;
    size_t n = dm_phrase_verb(&p, i);
    if (n) { /* inversion: "said Lavrov" */
        size_t sfx = dm_cues_match(c->cues, DM_CUE_SUFFIX, p.s, &p.u[i + n],
                                   i + n < p.hi ? p.hi - i - n : 0);
        if (dm_phrase_speaker(&p, i + n + sfx, false, &at) &&
            at.form != DM_SPEAKER_PRONOUN) {
            at.cue = dm_phrase_span(&p, i, i + n + sfx);
            *out = at;
            return true;
        }
        if (dm_phrase_speaker(&p, i + n, false, &at) && at.form == DM_SPEAKER_PRONOUN) {
            at.cue = dm_phrase_span(&p, i, i + n); /* "said he" */
            *out = at;
            return true;
        }
        return false;
    }
    n = dm_cues_match(c->cues, DM_CUE_PREP, p.s, &p.u[i], p.hi - i);
    if (n) {
        if (dm_phrase_speaker(&p, i + n, false, &at) && at.form != DM_SPEAKER_PRONOUN) {
            at.cue = dm_phrase_span(&p, i, i + n);
            *out = at;
            return true;
        }
        return false;
    }
    if (dm_phrase_speaker(&p, i, true, &at)) {
        *out = at;
        return true;
    }
    return long_apposition(&p, i, out);
}

/* Does unit e end a clause (region end, or . , ; : and dashes)? */
static bool clause_end(const dm_phrase_parser *p, size_t e)
{
    if (e >= p->hi)
        return true;
    const dm_unit *u = &p->u[e];
    return !u->word && (u->ch == '.' || u->ch == ',' || u->ch == ';' || u->ch == ':' ||
                        u->ch == 0x2014 || u->ch == 0x2013 || u->ch == '(');
}

bool dm_attribute_after_late(const dm_attr_ctx *c, size_t a, size_t b,
                             dm_attribution *out)
{
    if (!c || !out || a >= b)
        return false;
    dm_phrase_parser p = dm_phrase_parser_make(c, a, b);
    for (size_t k = p.lo + 1; k + 1 < p.hi; k++) {
        const dm_unit *u = &p.u[k];
        if (u->word || (u->ch != ',' && u->ch != 0x2014 && u->ch != 0x2013))
            continue;
        size_t i = k + 1;
        dm_attribution at;
        size_t n = dm_phrase_verb(&p, i), e;
        if (n) { /* ", said Steve Elmendorf, deputy campaign manager" */
            e = dm_phrase_speaker(&p, i + n, false, &at);
            if (e && clause_end(&p, e)) {
                at.cue = dm_phrase_span(&p, i, i + n);
                *out = at;
                return true;
            }
            continue;
        }
        e = dm_phrase_speaker(&p, i, true, &at); /* ", Ruiz said." */
        if (e && clause_end(&p, e) && at.form != DM_SPEAKER_PRONOUN) {
            *out = at;
            return true;
        }
    }
    return false;
}

/* ", saying", "by calling": a participle cue after a clause or "by" has
 * the clause's subject, not the words before it ("Ruiz spoke in Ohio on
 * Sunday, saying ..." is not "Sunday"). */
static bool participle_after_clause(const dm_phrase_parser *p, size_t k)
{
    static const char *const BY[] = {"by", NULL};
    const dm_unit *u = &p->u[k];
    if (k == p->lo || u->end - u->start < 5 || memcmp(p->s + u->end - 3, "ing", 3) != 0)
        return false;
    const dm_unit *pv = &p->u[k - 1];
    return !pv->word || dm_unit_in(p->s, pv, BY);
}

/* "Ruiz delivered a snappy retort:": an indefinite noun phrase right after
 * a lowercase verb is its object, not a speaker. */
static bool object_phrase(const dm_phrase_parser *p, size_t j)
{
    static const char *const INDEFINITE[] = {"a", "an", NULL};
    if (j == p->lo || !dm_unit_in(p->s, &p->u[j], INDEFINITE))
        return false;
    const dm_unit *pv = &p->u[j - 1];
    return pv->word && !pv->cap && !dm_unit_in(p->s, pv, DM_FUNCTION_WORDS) &&
           !dm_unit_in(p->s, pv, DM_PREPOSITIONS) && !dm_unit_in(p->s, pv, DM_NP_STOPS) &&
           !dm_cues_match(p->c->cues, DM_CUE_SKIP, p->s, pv, 1);
}

/* The sentence's subject for the cue at k when the phrase `best` found
 * before the cue lies inside appositions of it: "Dana Wells, director of the
 * Tarven PAC, a super PAC, said", "Ruiz, who is a pastor in Tarven, Ohio,
 * said". The subject is a full name ("Friday, he told", "Additionally,
 * Ruiz said" and datelines in capitals are not), or one word before
 * ", who", ", a", ", the"; something stands between its comma and `best`. */
static bool lead_subject(const dm_phrase_parser *p, size_t k, const dm_attribution *best,
                         dm_attribution *out)
{
    static const char *const APPOSITION_START[] = {"who", "a", "an", "the", NULL};
    size_t bj = dm_units_at(p->c->units, best->phrase.start);
    static const char *const AS[] = {"as", NULL};
    /* "..., who owed it, as one envoy put it, to ...": a parenthesis of its own */
    if (best->form == DM_SPEAKER_PRONOUN || bj <= p->lo + 2 || dm_unit_in(p->s, &p->u[bj - 1], AS))
        return false;
    dm_attribution at;
    size_t e = dm_phrase_speaker(p, p->lo, false, &at);
    if (!e || at.form != DM_SPEAKER_NAME || at.group)
        return false;
    /* the comma after the name, and something before `best` after it, or
     * `best` a description in apposition ("Dana Wells, a teacher from Elm,
     * South Dakota, says"; not "Dan Ruiz, Ortiz said, is wrong") */
    static const char *const ARTICLES[] = {"a", "an", "the", NULL};
    size_t comma = dm_units_at(p->c->units, at.speaker.end);
    if (!dm_phrase_punct(p, comma, ',') || comma + 1 > bj ||
        (comma + 1 == bj && !dm_unit_in(p->s, &p->u[bj], ARTICLES)))
        return false;
    size_t a = dm_units_at(p->c->units, at.speaker.start);
    size_t b = dm_units_at(p->c->units, at.speaker.end);
    size_t words = 0;
    for (size_t i = a; i < b; i++)
        words += p->u[i].word;
    const dm_unit *f = &p->u[a];
    bool lower = false; /* "WASHINGTON" is a dateline */
    for (size_t i = f->start + 1; i < f->end && !lower; i++)
        lower = p->s[i] >= 'a' && p->s[i] <= 'z';
    if (!lower || (words < 2 && !dm_unit_in(p->s, &p->u[comma + 1], APPOSITION_START)))
        return false;
    return long_apposition(p, p->lo, out) && out->form == DM_SPEAKER_NAME &&
           dm_units_at(p->c->units, out->cue.start) == k;
}

/* "The Vermont senator emailed supporters saying", "The judge pointed to a
 * case to say", "his campaign sent out a release saying": a noun phrase
 * found before the cue that runs on through a verb of its own is that
 * verb's subject. The verb: a lowercase past form after a noun (a word
 * ending in -ed, not after a determiner, function word or -ly adverb: "a
 * retired teacher", "the newly elected mayor" keep theirs), or a common
 * irregular past. Cuts `a` to the words before it (two at least). */
static void np_subject_before_verb(const dm_phrase_parser *p, dm_attribution *a)
{
    static const char *const PASTS[] = {"sent", "took", "gave", "made", "went",
                                        "held", "drew", "spent", "ran", "brought",
                                        "kept", "got", NULL};
    if (a->form != DM_SPEAKER_NP || a->role.end > a->role.start)
        return;
    size_t i = dm_units_at(p->c->units, a->speaker.start);
    size_t e = dm_units_at(p->c->units, a->speaker.end);
    for (size_t v = i + 2; v < e; v++) {
        const dm_unit *u = &p->u[v], *pv = &p->u[v - 1];
        if (!u->word || u->cap || !pv->word)
            continue;
        size_t n = u->end - u->start, pn = pv->end - pv->start;
        bool ed = n >= 5 && memcmp(p->s + u->end - 2, "ed", 2) == 0 &&
                  !dm_unit_in(p->s, pv, DM_DETERMINERS) &&
                  !dm_unit_in(p->s, pv, DM_FUNCTION_WORDS) &&
                  !dm_unit_in(p->s, pv, DM_PREPOSITIONS) &&
                  !dm_cues_match(p->c->cues, DM_CUE_SKIP, p->s, pv, 1) && /* "just" */
                  !(pn > 3 && memcmp(p->s + pv->end - 2, "ly", 2) == 0);
        if (!ed && !dm_unit_in(p->s, u, PASTS))
            continue;
        a->speaker = a->phrase = dm_phrase_span(p, i, v);
        return;
    }
}

bool dm_attribute_before(const dm_attr_ctx *c, size_t a, size_t b,
                         dm_attribution *out)
{
    if (!c || !out || a >= b)
        return false;
    dm_phrase_parser p = dm_phrase_parser_make(c, a, b);
    if (dm_phrase_prep(&p, DM_CUE_BY, out))
        return true;
    /* verbs first: "According to Iranian television, Zarif told ..." */
    for (size_t k = p.lo; k < p.hi; k++) {
        if (!dm_phrase_verb(&p, k) || participle_after_clause(&p, k))
            continue;
        size_t lo = k > p.lo + MAX_BACK ? k - MAX_BACK : p.lo;
        bool found = false;
        dm_attribution best;
        for (size_t j = k; j-- > lo;) {
            const dm_unit *u = &p.u[j];
            if (!u->word)
                continue;
            bool start_ok = j == p.lo || !p.u[j - 1].word ||
                            dm_unit_in(p.s, &p.u[j - 1], DM_FUNCTION_WORDS) ||
                            dm_unit_in(p.s, u, DM_DETERMINERS) ||
                            dm_unit_in(p.s, u, DM_PRONOUNS) ||
                            (u->cap && !p.u[j - 1].cap);
            if (!start_ok || object_phrase(&p, j))
                continue;
            dm_attribution at;
            if (!dm_phrase_speaker(&p, j, true, &at))
                continue;
            if (dm_units_at(c->units, at.cue.start) != k)
                continue;
            best = at;
            found = true;
        }
        if (found) {
            /* "Dana Wells, director of the Tarven PAC, a super PAC, said":
             * a later phrase is inside the appositions when the sentence
             * opens with a name, a comma and appositions up to this cue */
            dm_attribution lead;
            if (lead_subject(&p, k, &best, &lead))
                best = lead;
            np_subject_before_verb(&p, &best);
            *out = best;
            return true;
        }
    }
    return dm_phrase_prep(&p, DM_CUE_PREP, out);
}

bool dm_attribute_verb(const dm_attr_ctx *c, size_t a, size_t b, dm_span *cue)
{
    if (!c || !cue || a >= b)
        return false;
    dm_phrase_parser p = dm_phrase_parser_make(c, a, b);
    for (size_t k = p.lo; k < p.hi; k++) {
        size_t n = dm_phrase_verb(&p, k);
        if (n) {
            *cue = dm_phrase_span(&p, k, k + n);
            return true;
        }
    }
    return false;
}

bool dm_attribute_colon(const dm_attr_ctx *c, size_t a, size_t b,
                        dm_attribution *out)
{
    if (!c || !out || a >= b)
        return false;
    dm_phrase_parser p = dm_phrase_parser_make(c, a, b);
    if (p.hi < p.lo + 2 || !dm_phrase_punct(&p, p.hi - 1, ':'))
        return false;
    dm_attribution at;
    /* an interview line "Ortiz, Daily Courier:": the name, then its outlet */
    size_t e0 = dm_phrase_speaker(&p, p.lo, false, &at);
    if (e0 && at.form == DM_SPEAKER_NAME && !at.group && dm_phrase_punct(&p, e0, ',') &&
        e0 + 2 < p.hi) {
        size_t k = e0 + 1;
        while (k < p.hi - 1 && dm_phrase_cap_word(&p, k))
            k++;
        if (k == p.hi - 1 && k > e0 + 1) {
            at.role = dm_phrase_span(&p, e0 + 1, k);
            at.phrase.end = p.u[k - 1].end;
            *out = at;
            return true;
        }
    }
    for (size_t j = p.lo; j + 1 < p.hi && j < p.lo + 3; j++) {
        if (!p.u[j].word)
            continue;
        size_t e = dm_phrase_speaker(&p, j, false, &at);
        if (e == p.hi - 1 && at.form != DM_SPEAKER_PRONOUN) {
            *out = at;
            return true;
        }
    }
    /* a person named right before the colon, later in the clause: "The
     * surge does not surprise pollster Dan Ruiz:", "More from Dan Ruiz:" (a
     * listed given name says it is a person, not "Des Moines") */
    for (size_t j = p.lo + 3; j + 1 < p.hi; j++) {
        if (!dm_phrase_cap_word(&p, j) || p.u[j - 1].cap)
            continue;
        size_t e = dm_phrase_speaker(&p, j, false, &at);
        if (e != p.hi - 1 || at.form != DM_SPEAKER_NAME || at.group)
            continue;
        const dm_unit *f = &c->units->v[dm_units_at(c->units, at.speaker.start)];
        if (dm_cues_name_gender(c->cues, c->s, f)) {
            *out = at;
            return true;
        }
    }
    return false;
}

/* Capitalised words that open a sentence before a name. */
static const char *const NAME_OPENERS[] = {
    "so", "then", "but", "and", "also", "yet", "meanwhile", "however", "later",
    "earlier", "today", "yesterday", "when", "while", "as", "if", "because",
    "although", "though", "now", "still", "even", "once", "instead", "again", "maybe",
    "perhaps", "see", "neither", "either", "nor", "does", "do", "did", "is", "are", "was",
    "were", "has", "have", "had", "can", "could", "should", "would", "must",
    DM_SUBORDINATOR_WORDS, NULL};

/* Append a to *v. */
static dm_status push_name(dm_attribution **v, size_t *n, size_t *cap, const dm_attribution *a)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        dm_attribution *nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return DM_E_NOMEM;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = *a;
    return DM_OK;
}

/* The first unit from k on that starts at or after byte `off`. */
static size_t unit_from(const dm_phrase_parser *p, size_t k, size_t off)
{
    while (k < p->hi && p->u[k].start < off)
        k++;
    return k;
}

/* Is a capitalised unit among the DM_MAX_NP + 1 after a lowercase
 * determiner at j? Without one, the phrase it opens is no name:
 * parse_speaker's determiner branch ends its noun phrase within DM_MAX_NP
 * units (np_tail) and finds a name only at a capital at that end or just
 * after a comma there (np_then_name), and a lowercase word opens no name
 * itself. So the people scan need not parse it (most "the"s of a speech). */
static bool capital_near(const dm_phrase_parser *p, size_t j)
{
    for (size_t k = j + 1; k < p->hi && k <= j + DM_MAX_NP + 1; k++)
        if (p->u[k].cap)
            return true;
    return false;
}

dm_status dm_attribute_names(const dm_attr_ctx *c, size_t a, size_t b,
                             dm_attribution **v, size_t *n, size_t *cap)
{
    if (!c || !v || !n || !cap)
        return DM_E_INVALID_ARG;
    dm_phrase_parser p = dm_phrase_parser_make(c, a, b);
    for (size_t j = p.lo; j < p.hi;) {
        const dm_unit *u = &p.u[j];
        /* a name starts after a capitalised conjunction or adverb opening
         * the sentence too: "So Labor Secretary Tomas Ruiz", "Then Ruiz"
         * (not after a preposition, "In Tarven Falls", or a determiner,
         * which starts a phrase of its own) */
        bool start = false;
        if (u->word) {
            /* (the word before is looked at only for a capitalised word) */
            if (dm_phrase_cap_word(&p, j)) {
                bool after_word = j > p.lo && p.u[j - 1].cap &&
                                  !dm_unit_in(p.s, &p.u[j - 1], NAME_OPENERS) &&
                                  !p.u[j - 1].modifier; /* "Texas-based" */
                start = !after_word;
            }
            if (!start && dm_unit_in(p.s, u, DM_DETERMINERS))
                start = u->cap || capital_near(&p, j);
        }
        dm_attribution at, own;
        size_t e = start ? dm_phrase_speaker(&p, j, false, &at) : 0;
        if (!e) {
            j++;
            continue;
        }
        if (at.form != DM_SPEAKER_NAME) {
            /* "Bill Clinton's hair": the owner is named too */
            if (at.form == DM_SPEAKER_NP && dm_phrase_possessive_name(&p, j, &own)) {
                own.owner = true;
                if (push_name(v, n, cap, &own) != DM_OK)
                    return DM_E_NOMEM;
            }
            j++; /* a noun phrase may hold a name: "a meeting with President X" */
            continue;
        }
        /* "Barack Obama's America", "candidate Ana Ruiz's plan": the owner */
        size_t ks = unit_from(&p, j, at.speaker.start), k = ks;
        size_t ne = unit_from(&p, ks, at.speaker.end);
        while (k < ne && !p.u[k].possessive)
            k++;
        if (k < ne) {
            if (!dm_phrase_possessive_name(&p, ks, &own)) {
                j = e > j ? e : j + 1;
                continue;
            }
            at.speaker = own.speaker;
            if (own.role.end > own.role.start)
                at.role = own.role;
            at.phrase.end = own.phrase.end;
            ne = k + 1;
        }
        if (push_name(v, n, cap, &at) != DM_OK)
            return DM_E_NOMEM;
        /* an apposition may name people too ("Tuesday, Senator Dan Ruiz of
         * Vermont endorsed ...,"): go on after the name */
        j = ne > j ? ne : j + 1;
    }
    return DM_OK;
}
