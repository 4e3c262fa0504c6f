/* Speaker phrases: the word classes and the parser of "X said" phrases
 * (see phrase_internal.h; the entry points are in attribution.c).
 *
 * A speaker phrase is parsed forward from a candidate start: a pronoun; a
 * run of capitalised words (titles first: "Foreign Minister Sergei Lavrov");
 * "the"/"a" + words ("the Iranian foreign ministry", "a spokesman for the
 * State Department"); optionally followed by ", ROLE," (an apposition). The
 * before-the-quote search tries every start up to 16 units before a cue and
 * keeps the earliest one whose phrase ends right at the cue. */
#include "statements/phrase_internal.h"
#include "actors/actors_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ROLE 15

const char *const DM_PRONOUNS[] = {"he", "she", "they", "we", "i", "it",
                                       NULL};
const char *const DM_DETERMINERS[] = {
    "the", "a", "an", "one", "another", "his", "her", "their", "its", "our",
    "two", "three", "several", "some", "many", "other", "senior", NULL};
/* Capitalised at a sentence start, these never begin a name. */
const char *const DM_FUNCTION_WORDS[] = {
    "a", "an", "the", "in", "on", "at", "after", "before", "but", "and", "as",
    "when", "while", "if", "for", "of", "to", "with", "by", "from", "this",
    "that", "these", "those", "it", "he", "she", "they", "we", "i", "there",
    "here", "asked", "speaking", "meanwhile", "however", "also", "yet", "so",
    "later", "earlier", "then", "today", "yesterday", "according", "since",
    "although", "though", "because", "during", "under", "over", "about",
    "his", "her", "their", "its", "our", "my", "your", "what", "who", "which",
    "where", "why", "how", "no", "not", "all", "both", "each", "last", "next",
    "some", "many", "several", "one", "two", "three", "another", "other",
    "once", "still", "even", "instead", "now", "again", "further", "yes",
    "without", "against", "into", "through", "toward", "towards", "upon",
    "than", "like", "via", "despite", "among", "amid", "within", "here's",
    "there's", "that's", "it's", "what's", "maybe", "perhaps",
    DM_SUBORDINATOR_WORDS, NULL};
/* Lowercase words that end a noun phrase. */
const char *const DM_NP_STOPS[] = {
    "that", "who", "which", "whose", "and", "but", "or", "when", "while",
    "as", "if", "because", "was", "were", "is", "are", "be", "been", "has",
    "have", "had", "would", "will", "could", "should", "can", "may", "might",
    "did", "does", "do", "not", "after", "before", "since", "though",
    "although", "where", "what", "how", "why", "there", "then", NULL};
const char *const DM_PARTICLES[] = {
    "al", "el", "bin", "ibn", "bint", "de", "da", "di", "du", "del", "della",
    "der", "den", "van", "von", "le", "la", "dos", "das", "ter", NULL};
const char *const DM_PREPOSITIONS[] = {"for", "of", "at", "to", "in",
                                           "with", "from", NULL};
const char *const DM_HONORIFICS[] = {"mr", "mrs", "ms", "miss", NULL};
const char *const DM_ROLE_STOPS[] = {"who", "which", "whose", "speaking",
                                         "adding", "saying", "when", NULL};


/* The first-two-letter pairs of a word list, as a bitmap: a unit whose pair
 * no listed word has is not in the list, without folding it. And the words
 * of each pair chained, with their lengths: a unit that passes is compared
 * with the few words of its pair and length, not with the whole list
 * (DM_FUNCTION_WORDS has over a hundred; the linear scan was 4% of the
 * instructions of demarche-score on UN speeches). Built once per process,
 * on a list's first use, and shared read-only by all threads: an
 * open-addressing table by list address (the lists are static, about
 * fifty; a full table leaves further lists unfiltered, and a list of more
 * than CHAIN_MAX words is filtered but scanned). It was a table of 128
 * filters in thread-local storage, 433 kB that glibc zeroed for every
 * thread at its start (about 106 page faults a thread, used or not). */
#define PAIRS (27 * 27)
#define CHAIN_MAX 255
typedef struct chain_word {
    uint64_t key;               /* the word's dm_unit_key, 0 when it has none */
    uint8_t next;               /* 1 + the next word of the same pair, 0 none */
    uint8_t len;                /* the word's length (words of 255+: 255) */
} chain_word;
typedef struct pair_filter {
    const char *const *list;
    uint32_t bits[(PAIRS + 31) / 32];
    bool chained;               /* head and word[] below are filled */
    uint8_t head[PAIRS];        /* 1 + the first word of a pair, 0 none */
    chain_word word[];          /* each listed word when chained */
} pair_filter;

/* A listed word's key, 0 for a word that is not folded (no unit's key
 * matches it, as no folded unit equals it). */
static uint64_t list_key(const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i < n; i++)
        if (w[i] >= 'A' && w[i] <= 'Z')
            return 0;
    return dm_unit_key(w, n);
}

#define FILTER_SLOTS 128
#define FILTER_PROBES 8

/* The filter of a list, newly allocated (NULL when out of memory). */
static pair_filter *new_filter(const char *const *words)
{
    size_t n = 0;
    while (words[n])
        n++;
    bool chained = n <= CHAIN_MAX;
    pair_filter *f = calloc(1, sizeof *f + (chained ? n : 0) * sizeof f->word[0]);
    if (!f)
        return NULL;
    f->chained = chained;
    /* Chained from the last word to the first, so a chain lists its words
     * in the list's order. */
    for (size_t i = n; i-- > 0;) {
        unsigned k = dm_unit_pair((unsigned char)words[i][0],
                             words[i][0] ? (unsigned char)words[i][1] : 0);
        f->bits[k / 32] |= 1u << (k % 32);
        if (f->chained) {
            size_t l = strlen(words[i]);
            f->word[i].len = (uint8_t)(l < 255 ? l : 255);
            f->word[i].key = list_key(words[i]);
            f->word[i].next = f->head[k];
            f->head[k] = (uint8_t)(i + 1);
        }
    }
    f->list = words;
    return f;
}

/* The filters by list address. A slot, once set, never changes: readers
 * load it without the lock (acquire, pairing with the release that
 * published the filter complete); the lock only orders the builders. The
 * filters live as long as the process (reachable from here). */
static _Atomic(pair_filter *) filters[FILTER_SLOTS];
static pthread_mutex_t filters_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t filter_slot(uintptr_t h, size_t probe)
{
    return (h + probe) & (FILTER_SLOTS - 1);
}

/* Under the lock: the list's filter if another thread built it meanwhile,
 * else built into the first free slot of its probe sequence. */
static const pair_filter *add_filter(const char *const *words, uintptr_t h)
{
    const pair_filter *found = NULL;
    pthread_mutex_lock(&filters_lock);
    for (size_t probe = 0; probe < FILTER_PROBES; probe++) {
        _Atomic(pair_filter *) *slot = &filters[filter_slot(h, probe)];
        pair_filter *f = atomic_load_explicit(slot, memory_order_relaxed);
        if (f && f->list == words) {
            found = f;
            break;
        }
        if (f)
            continue;
        f = new_filter(words);
        if (f)
            atomic_store_explicit(slot, f, memory_order_release);
        found = f;
        break;
    }
    pthread_mutex_unlock(&filters_lock);
    return found;
}

static const pair_filter *filter_of(const char *const *words)
{
    uintptr_t h = ((uintptr_t)words >> 3) * (uintptr_t)0x9E3779B97F4A7C15u;
    for (size_t probe = 0; probe < FILTER_PROBES; probe++) {
        const pair_filter *f =
            atomic_load_explicit(&filters[filter_slot(h, probe)], memory_order_acquire);
        if (!f)
            return add_filter(words, h);
        if (f->list == words)
            return f;
    }
    return NULL;
}

bool dm_unit_in(const char *s, const dm_unit *u, const char *const *words)
{
    /* every listed word is short: skip the folding of long units */
    if (!u->word || u->end - u->start > 24)
        return false;
    /* the pair of its first two bytes, found by the scan (dm_unit.pair) */
    const pair_filter *f = NULL;
    unsigned k = u->pair;
    if (k != DM_UNIT_NO_PAIR) { /* listed words are ASCII */
        f = filter_of(words);
        if (f && !(f->bits[k / 32] & (1u << (k % 32))))
            return false;
    }
    if (u->key && f && f->chained) {
        /* its key against the words of its pair, no folding (equal keys
         * are equal folded words) */
        for (unsigned j = f->head[k]; j; j = f->word[j - 1].next)
            if (f->word[j - 1].key == u->key)
                return true;
        return false;
    }
    char buf[64];
    if (!dm_unit_fold(s, u, buf, sizeof buf))
        return false;
    if (f && f->chained) {
        /* The folded unit's first two bytes are the pair's bytes
         * lower-cased (ASCII folds to ASCII): its pair is k. */
        size_t l = strlen(buf);
        for (unsigned j = f->head[k]; j; j = f->word[j - 1].next)
            if (f->word[j - 1].len == l && memcmp(buf, words[j - 1], l) == 0)
                return true;
        return false;
    }
    for (size_t i = 0; words[i]; i++)
        if (buf[0] == words[i][0] && strcmp(buf, words[i]) == 0)
            return true;
    return false;
}

/* One-word lists (static: dm_unit_in caches lists by address). */
static const char *const W_OF[] = {"of", NULL};
static const char *const W_OF_THE[] = {"of", "the", NULL};
static const char *const W_AND[] = {"and", NULL};
static const char *const W_THE[] = {"the", NULL};
static const char *const W_ANOTHER[] = {"another", NULL};
static const char *const W_WHO[] = {"who", NULL};

typedef dm_phrase_parser parser;

/* Heads of noun phrases that are times, never speakers. */
static const char *const TIME_NOUNS[] = {
    "past", "time", "moment", "day", "days", "week", "weeks", "year", "years",
    "month", "months", "night", "morning", "evening", "afternoon", "weekend",
    "end", "beginning", "start", "meantime", "interim", "future", NULL};

static bool punct_is(const parser *p, size_t i, int32_t ch)
{
    return i < p->hi && !p->u[i].word && p->u[i].ch == ch;
}

static bool cap_word(const parser *p, size_t i)
{
    return i < p->hi && p->u[i].word && p->u[i].cap &&
           !dm_unit_in(p->s, &p->u[i], DM_FUNCTION_WORDS) &&
           !p->u[i].modifier && /* "Texas-based" describes the name after it */
           !p->u[i].opener;     /* "Does Ruiz really think so?" */
}
static bool actor_word(const parser *p, size_t i)
{
    if (!p->c->actors || i >= p->hi || !p->u[i].word)
        return false;
    uint8_t *memo = p->c->actor_memo; /* i indexes c->units (make_parser) */
    if (memo && memo[i])
        return memo[i] == 2;
    dm_actor_match m;
    const dm_unit *u = &p->u[i];
    bool actor = dm_actors_lookup(p->c->actors, p->s + u->start, u->end - u->start,
                                  p->c->date, &m) &&
                 m.kind != DM_ACTOR_PERSON;
    if (memo)
        memo[i] = actor ? 2 : 1;
    return actor;
}

static bool skip_word(const parser *p, size_t i)
{
    if (i >= p->hi || !p->u[i].word)
        return false;
    const dm_unit *u = &p->u[i];
    if (dm_cues_match(p->c->cues, DM_CUE_SKIP, p->s, u, 1))
        return true;
    size_t n = u->end - u->start;
    return !u->cap && n > 3 && p->s[u->end - 2] == 'l' && p->s[u->end - 1] == 'y';
}

/* Verb cues are lowercase words: "State" in "State Department" is none. */
static size_t verb_match(const parser *p, size_t k)
{
    if (k >= p->hi || !p->u[k].word || p->u[k].cap)
        return 0;
    return dm_cues_match(p->c->cues, DM_CUE_VERB, p->s, &p->u[k], p->hi - k);
}

/* Length of a verb cue (plus any suffix) at unit i after skip words; the
 * cue's first unit goes to *at. 0 if none. */
static size_t verb_cue_at(const parser *p, size_t i, size_t *at)
{
    size_t k = i;
    while (k < p->hi && k < i + 4 && skip_word(p, k) && !verb_match(p, k))
        k++;
    size_t n = verb_match(p, k);
    if (!n)
        return 0;
    size_t sfx = k + n < p->hi ? dm_cues_match(p->c->cues, DM_CUE_SUFFIX, p->s,
                                               &p->u[k + n], p->hi - k - n)
                               : 0;
    *at = k;
    return n + sfx;
}

static dm_span units_span(const parser *p, size_t a, size_t b)
{
    if (a >= b)
        return (dm_span){0, 0};
    return (dm_span){p->u[a].start, p->u[b - 1].end};
}

/* "al-Assad", "el-Sisi": a particle joined to a capitalised name. */
static bool particle_name(const parser *p, size_t i)
{
    if (i >= p->hi || !p->u[i].word)
        return false;
    const char *w = p->s + p->u[i].start;
    const char *dash = memchr(w, '-', p->u[i].end - p->u[i].start);
    if (!dash || dash + 1 >= p->s + p->u[i].end)
        return false;
    unsigned char next = (unsigned char)dash[1];
    if (!(next >= 'A' && next <= 'Z') && next < 0x80)
        return false;
    static const char *const JOINED[] = {"al", "el", "ad", "as", "ash", "bin", "ibn", NULL};
    size_t n = (size_t)(dash - w);
    for (size_t k = 0; JOINED[k]; k++)
        if (strlen(JOINED[k]) == n && strncasecmp(w, JOINED[k], n) == 0)
            return true;
    return false;
}

/* A particle ("bin", "von der") followed, through more particles, by a
 * capitalised word. */
static bool particle_before_name(const parser *p, size_t j)
{
    size_t k = j;
    while (k < p->hi && k < j + 3 && dm_unit_in(p->s, &p->u[k], DM_PARTICLES))
        k++;
    return k > j && (cap_word(p, k) || particle_name(p, k));
}

static const char *const SUFFIXES[] = {"jr", "sr", NULL};

/* A run of capitalised name words from i (with particles, initials, "of"
 * between capitals, and the dot after a title abbreviation). */
static size_t cap_run(const parser *p, size_t i)
{
    size_t j = i;
    while (j < p->hi) {
        if (cap_word(p, j) || (j > i && particle_name(p, j))) {
            j++;
            if (punct_is(p, j, '.') && p->u[j].start == p->u[j - 1].end &&
                (p->u[j - 1].end - p->u[j - 1].start == 1 ||
                 dm_unit_in(p->s, &p->u[j - 1], SUFFIXES) ||
                 dm_cues_match(p->c->cues, DM_CUE_TITLE, p->s, &p->u[j - 1], 1)))
                j++; /* "F." / "Gen." / "Jr." */
            continue;
        }
        if (particle_before_name(p, j)) {
            j++;
            continue;
        }
        if (j > i && j + 1 < p->hi && cap_word(p, j + 1) && cap_word(p, j - 1) &&
            dm_unit_in(p->s, &p->u[j], W_OF)) {
            j++;
            continue;
        }
        break;
    }
    return j;
}

/* Lowercase heads of a role: "manager", "professor" end one ("Sanders
 * campaign manager Jeff Weaver"); "Ruiz met Lena Ortiz" has none. */
static const char *const ROLE_HEADS[] = {
    "aide", "staffer", "organizer", "consultant", "attorney", "lawyer",
    "volunteer", "supporter", "voter", "member", "executive", "official",
    "correspondent", "reporter", "host", "anchor", "commentator", "columnist",
    "activist", "scholar", "researcher", "historian", "expert", "donor",
    "fellow", "lobbyist", "candidate", "nominee", "writer", "author",
    "campaign", "chairman", "chairwoman", "spokesman", "spokeswoman",
    /* people of a place or a show: "Concord resident Tom Hale", "Blaze
     * co-host Lena Ortiz" */
    "resident", "residents", "native", "co-host", "cohost", "student", "owner",
    "pastor", "veteran", "retiree", "businessman", "businesswoman",
    /* "Republican party boss Ana Ortiz", "Texas delegate Tom Hale" */
    "boss", "delegate", "operative", "analyst", NULL};

static bool agent_noun(const parser *p, size_t k);

/* Capitals that qualify the lowercase head after them, inside a noun
 * phrase: "one former GOP leadership aide", "one unaligned Florida
 * Republican strategist", "one district GOP leader". The capitals at j, at
 * most one lowercase modifier, and a role head that ends the phrase (the
 * end of the region, punctuation, a stop word or a verb cue after it); no
 * verb on the way ("Ana Ruiz went further" is a clause). Returns the unit
 * after the head, or 0. */
static size_t capitals_then_head(const parser *p, size_t j, bool need_cue)
{
    static const char *const NOT_HEADS[] = {"further", "rather", "together", "however",
                                            "whether", "neither", "either", "another",
                                            "earlier", "longer", "better", NULL};
    size_t r = cap_run(p, j);
    if (r == j || r > j + 3)
        return 0;
    for (size_t k = r; k < r + 2 && k < p->hi; k++) {
        const dm_unit *u = &p->u[k];
        size_t at, n = u->end - u->start;
        if (!u->word || u->cap || dm_unit_in(p->s, u, DM_NP_STOPS) ||
            dm_unit_in(p->s, u, DM_PREPOSITIONS) || verb_match(p, k) ||
            verb_cue_at(p, k, &at) || dm_unit_in(p->s, u, NOT_HEADS) ||
            (n > 3 && memcmp(p->s + u->end - 2, "ed", 2) == 0))
            return 0;
        if (!dm_unit_in(p->s, u, ROLE_HEADS) && !agent_noun(p, k) &&
            !dm_cues_match(p->c->cues, DM_CUE_TITLE, p->s, u, 1))
            continue;
        size_t e = k + 1;
        if (e >= p->hi || !p->u[e].word || dm_unit_in(p->s, &p->u[e], DM_NP_STOPS) ||
            (need_cue && verb_cue_at(p, e, &at)))
            return e;
        return 0;
    }
    return 0;
}

/* The rest of a noun phrase from j: words until a stop word, punctuation
 * or (need_cue) a verb cue. Capitals only after a determiner, preposition or
 * capital, or when they are actor words ("a senior US official"). */
static size_t np_tail(const parser *p, size_t start, size_t j, bool need_cue)
{
    while (j < p->hi && j < start + DM_MAX_NP) {
        size_t at;
        if (need_cue && verb_cue_at(p, j, &at))
            break;
        const dm_unit *u = &p->u[j];
        if (!u->word) {
            if (u->ch == '-' && j + 1 < p->hi && p->u[j + 1].word) {
                j++;
                continue;
            }
            break;
        }
        if (dm_unit_in(p->s, u, DM_NP_STOPS) || verb_match(p, j))
            break;
        if (u->cap) {
            const dm_unit *prev = &p->u[j - 1];
            bool ok = prev->cap || dm_unit_in(p->s, prev, DM_DETERMINERS) ||
                      dm_unit_in(p->s, prev, DM_PREPOSITIONS) || actor_word(p, j);
            size_t h;
            if (!ok && (h = capitals_then_head(p, j, need_cue)) != 0) {
                j = h; /* "one former GOP leadership aide" */
                break;
            }
            if (!ok)
                break;
        }
        j++;
    }
    return j;
}

/* Is [i, e) only an honorific ("Mr.", "Mrs", "Ms.", "Miss")? */
static bool honorific(const parser *p, size_t i, size_t e)
{
    if (e > i + 2 || (e == i + 2 && !punct_is(p, i + 1, '.')))
        return false;
    return dm_unit_in(p->s, &p->u[i], DM_HONORIFICS);
}

/* Split a capital run [i, r) into a title and a name; fills the attribution.
 * The title is the chain of title words (and actor words) the run starts
 * with: "Japan's Chief Cabinet Secretary | Hirokazu Matsuno", "Russian
 * President | Vladimir Putin"; "Hassan Sheikh Mohamud" has none. A run of
 * titles and actor words only ("Russian Foreign Minister") is a noun phrase. */
/* Titles that are name words too, inside a run of capitals. */
static const char *const NAME_TITLES[] = {
    "sheikh", "king", "queen", "prince", "princess", "lord", "lady", "baroness",
    "emir", "ayatollah", "pope", "mr", "mrs", "ms", "dr", "sir", "first", NULL};

static void split_title(const parser *p, size_t i, size_t r, dm_attribution *a)
{
    /* a party before a title: "Republican Rep. Lee Zeldin", "GOP Sen. Ruiz" */
    static const char *const PARTIES[] = {"republican", "democratic", "democrat", "gop",
                                          "independent", "conservative", "labour", NULL};
    size_t title_end = i, j = i;
    while (j < r) {
        if (j + 1 < r && p->u[j].word && dm_unit_in(p->s, &p->u[j], PARTIES) &&
            dm_cues_match(p->c->cues, DM_CUE_TITLE, p->s, &p->u[j + 1], r - j - 1)) {
            j++;
            continue;
        }
        size_t t = dm_cues_match(p->c->cues, DM_CUE_TITLE, p->s, &p->u[j], r - j);
        if (t) {
            j += t;
            if (punct_is(p, j, '.'))
                j++;
            title_end = j;
            continue;
        }
        if (p->u[j].word && (actor_word(p, j) || p->u[j].possessive ||
                             dm_unit_in(p->s, &p->u[j],
                                        W_OF_THE))) {
            j++;
            continue;
        }
        break;
    }
    /* a title inside the run, after capitals that qualify it, before the
     * name: "Senate Majority Leader Dan Hale", "Labor Secretary Tom Ruiz",
     * "Cleveland Police Chief Ana Ortiz" */
    for (size_t k = title_end > i ? title_end : i + 1; j < r && k + 1 < r; k++) {
        /* a given name before it makes the title a name word ("Hassan
         * Sheikh Mohamud") */
        if (p->u[k].word && dm_cues_name_gender(p->c->cues, p->s, &p->u[k]))
            break;
        if (dm_unit_in(p->s, &p->u[k], NAME_TITLES))
            continue; /* "Hassan Sheikh Mohamud", "Peter King" */
        size_t t = dm_cues_match(p->c->cues, DM_CUE_TITLE, p->s, &p->u[k], r - k);
        size_t te = k + t + (t && punct_is(p, k + t, '.'));
        if (t && te < r && cap_word(p, te)) {
            title_end = j = te;
            k = te - 1;
        }
    }
    a->phrase = units_span(p, i, r);
    if (j >= r && title_end > i) {
        a->form = DM_SPEAKER_NP;
        a->speaker = a->phrase;
    } else if (title_end > i) {
        a->form = DM_SPEAKER_NAME;
        /* "Mr." / "Ms." alone is no role (the phrase keeps it, for gender) */
        if (!honorific(p, i, title_end))
            a->role = units_span(p, i, title_end);
        a->speaker = units_span(p, title_end, r);
    } else {
        a->form = DM_SPEAKER_NAME;
        a->speaker = a->phrase;
    }
}

/* ", ROLE," after a name. need_cue: a verb cue must follow the second comma;
 * otherwise the role may end at '.', ';' or the region end. Returns the unit
 * after the role (and its closing comma), or 0 if there is none. */
static size_t apposition(const parser *p, size_t e, bool need_cue,
                         dm_attribution *a)
{
    if (!punct_is(p, e, ','))
        return 0;
    size_t r0 = e + 1, r = r0;
    if (r0 >= p->hi || !p->u[r0].word)
        return 0;
    /* ", speaking to reporters," / ", who ...,": a clause, not a role */
    const dm_unit *w = &p->u[r0];
    bool clause = dm_unit_in(p->s, w, DM_ROLE_STOPS) ||
                  (!w->cap && w->end - w->start > 4 &&
                   strncmp(p->s + w->end - 3, "ing", 3) == 0);
    if (clause && !need_cue)
        return 0;
    /* "Sen. Tom Hale of Ohio, who mused on Monday that ... "Q"": the relative
     * clause's own cue speaks for the name */
    size_t at0;
    bool main_cue = false; /* "X, who spoke to Y, said": the main verb speaks */
    for (size_t k = r0 + 1; k + 1 < p->hi && k < r0 + MAX_ROLE && !main_cue; k++)
        main_cue = punct_is(p, k, ',') && verb_cue_at(p, k + 1, &at0);
    if (need_cue && !main_cue && dm_unit_in(p->s, w, W_WHO) && verb_cue_at(p, r0 + 1, &at0)) {
        a->phrase.end = p->u[e - 1].end;
        return r0 + 1;
    }
    while (r < p->hi && r < r0 + MAX_ROLE && !punct_is(p, r, ',') &&
           !punct_is(p, r, '"') && !punct_is(p, r, ';') &&
           !(punct_is(p, r, '.') && !need_cue) && !punct_is(p, r, ':'))
        r++;
    if (r == r0)
        return 0;
    /* "According to Ortiz, the plan is "dead"": a clause, not a role */
    for (size_t k = r0; k < r && !need_cue; k++)
        if (dm_unit_in(p->s, &p->u[k], DM_NP_STOPS) &&
            !dm_unit_in(p->s, &p->u[k], W_AND))
            return 0;
    size_t after;
    if (need_cue) {
        size_t at;
        if (!punct_is(p, r, ',') || !verb_cue_at(p, r + 1, &at))
            return 0;
        after = r + 1;
    } else {
        if (r < p->hi && !punct_is(p, r, '.') && !punct_is(p, r, ',') &&
            !punct_is(p, r, ';'))
            return 0;
        after = r;
    }
    if (!clause)
        a->role = units_span(p, r0, r);
    a->phrase.end = p->u[r - 1].end;
    return after;
}

/* A lowercase description right before a name: "campaign chairman Dan
 * Ruiz", "economist Lena Ortiz", "a smiling Ruiz". Its last word is a plain
 * lowercase word (no verb cue, no stop word). */
static bool lowercase_role(const parser *p, size_t i, size_t e)
{
    const dm_unit *last = &p->u[e - 1];
    if (last->cap || e - i > 6 || dm_unit_in(p->s, last, DM_NP_STOPS) ||
        dm_unit_in(p->s, last, DM_PREPOSITIONS) || dm_unit_in(p->s, last, DM_DETERMINERS) ||
        dm_unit_in(p->s, last, DM_FUNCTION_WORDS) || verb_match(p, e - 1))
        return false;
    return true;
}

static size_t name_then_role_name(const parser *p, size_t i, size_t r, bool need_cue,
                                  dm_attribution *a);

/* A role noun phrase [i, e) followed by the name it describes:
 * "Ukraine's ambassador, Sergiy Kyslytsya," or "China's ambassador Zhang
 * Jun". Returns the new end, or 0 (then `a` is unchanged). */
static size_t np_then_name(const parser *p, size_t i, size_t e, bool need_cue,
                           dm_attribution *a)
{
    size_t n0;
    bool comma = punct_is(p, e, ',');
    if (comma)
        n0 = e + 1;
    else if (e > i && p->u[e - 1].word &&
             (dm_cues_match(p->c->cues, DM_CUE_TITLE, p->s, &p->u[e - 1], 1) ||
              lowercase_role(p, i, e)))
        n0 = e;
    else
        return 0;
    /* "on Tuesday": a day is no name (the skip words hold the days) */
    if (!cap_word(p, n0) || actor_word(p, n0) ||
        dm_cues_match(p->c->cues, DM_CUE_SKIP, p->s, &p->u[n0], 1))
        return 0;
    size_t r = cap_run(p, n0);
    dm_attribution name;
    memset(&name, 0, sizeof name);
    split_title(p, n0, r, &name);
    if (name.form != DM_SPEAKER_NAME)
        return 0;
    size_t end = r;
    dm_attribution chained;
    size_t ce = !comma && !p->u[r - 1].possessive
                    ? name_then_role_name(p, n0, r, need_cue, &chained) : 0;
    if (ce) { /* "former George W. Bush speechwriter Noam Neusner" */
        chained.role.start = p->u[i].start;
        chained.phrase.start = p->u[i].start;
        *a = chained;
        return ce;
    }
    if (comma) {
        dm_attribution tmp = *a;
        size_t after = need_cue ? apposition(p, r, true, &tmp) : 0;
        if (after && tmp.role.end <= tmp.role.start)
            end = after; /* "..., Bola Tinubu, who chairs ECOWAS, told" */
        else if (punct_is(p, r, ','))
            end = r + 1;
        else if (need_cue && name.role.end <= name.role.start &&
                 dm_unit_in(p->s, &p->u[i], DM_DETERMINERS) && verb_cue_at(p, r, &(size_t){0}))
            end = r; /* "another friend, Mariam Emara told CNN" */
        else if (need_cue || !(r >= p->hi || punct_is(p, r, '.') ||
                               punct_is(p, r, ';')))
            return 0;
    }
    a->form = DM_SPEAKER_NAME;
    a->role = (dm_span){p->u[i].start,
                        name.role.end > name.role.start ? name.role.end
                                                        : p->u[e - 1].end};
    a->speaker = name.speaker;
    a->phrase = units_span(p, i, r);
    if (!comma) {
        size_t after = apposition(p, end, need_cue, a);
        if (after)
            end = after;
    }
    return end;
}

/* ", briefing journalists on condition of anonymity," after a noun phrase:
 * skipped (need_cue only), the role stays empty. Returns the end or 0. */
static size_t clause_after_np(const parser *p, size_t e, bool need_cue,
                              dm_attribution *a)
{
    if (!need_cue || !punct_is(p, e, ','))
        return 0;
    dm_attribution tmp = *a;
    size_t after = apposition(p, e, need_cue, &tmp);
    if (!after || tmp.role.end > tmp.role.start)
        return 0;
    a->phrase = tmp.phrase;
    return after;
}

/* Is the capital run [i, r) a known non-person actor ("White House")? */
static bool actor_run(const parser *p, size_t i, size_t r)
{
    if (!p->c->actors || r <= i)
        return false;
    dm_actor_match m;
    size_t a = p->u[i].start, b = p->u[r - 1].end;
    return dm_actors_lookup(p->c->actors, p->s + a, b - a, p->c->date, &m) &&
           m.kind != DM_ACTOR_PERSON;
}

/* ", Germany and Britain" after a name: the end of the list, or 0 when the
 * names do not end with "and NAME". */
static size_t coordination(const parser *p, size_t r)
{
    static const char *const AND[] = {"and", NULL};
    size_t j = r;
    for (int k = 0; k < 8 && j < p->hi; k++) {
        if (punct_is(p, j, ',') && j + 1 < p->hi && dm_unit_in(p->s, &p->u[j + 1], AND))
            j++; /* ", and" */
        bool and_ = dm_unit_in(p->s, &p->u[j], AND);
        size_t n0 = j + 1; /* "and the United States" */
        if (n0 < p->hi && dm_unit_in(p->s, &p->u[n0], W_THE))
            n0++;
        if ((!and_ && !punct_is(p, j, ',')) || !cap_word(p, n0))
            return 0;
        size_t e = cap_run(p, n0);
        if (and_)
            return e;
        j = e;
    }
    return 0;
}

/* A lowercase agent noun: "speechwriter", "strategist", "director". */
static bool agent_noun(const parser *p, size_t k)
{
    const dm_unit *u = &p->u[k];
    size_t n = u->end - u->start;
    if (!u->word || u->cap || n < 6)
        return false;
    const char *e = p->s + u->end;
    return memcmp(e - 2, "er", 2) == 0 || memcmp(e - 2, "or", 2) == 0 ||
           memcmp(e - 3, "ist", 3) == 0 || memcmp(e - 3, "ant", 3) == 0;
}

/* A capital run [i, r) followed by a lowercase role and a name: "Sanders
 * campaign manager Jeff Weaver", "Ohio State University professor Paul
 * Beck". Returns the end (the unit after the name) or 0, `a` unchanged. */
static size_t name_then_role_name(const parser *p, size_t i, size_t r, bool need_cue,
                                  dm_attribution *a)
{
    if (r >= p->hi || !p->u[r].word || p->u[r].cap ||
        dm_unit_in(p->s, &p->u[r], DM_NP_STOPS) || dm_unit_in(p->s, &p->u[r], DM_PREPOSITIONS) ||
        verb_cue_at(p, r, &(size_t){0}))
        return 0;
    size_t e = np_tail(p, i, r, need_cue);
    /* the lowercase words end with a title word ("manager", "professor"):
     * "Ruiz met Lena Ortiz" is no role (ROLE_HEADS) */
    if (e <= r || e > r + 3 || !cap_word(p, e) ||
        !(dm_cues_match(p->c->cues, DM_CUE_TITLE, p->s, &p->u[e - 1], 1) ||
          dm_unit_in(p->s, &p->u[e - 1], ROLE_HEADS) || agent_noun(p, e - 1) ||
          dm_cues_match(p->c->cues, DM_CUE_TITLE, p->s, &p->u[e], p->hi - e)))
        return 0;
    dm_attribution t;
    memset(&t, 0, sizeof t);
    t.form = DM_SPEAKER_NP;
    t.speaker = t.phrase = units_span(p, i, e);
    size_t named = np_then_name(p, i, e, need_cue, &t);
    if (!named || t.form != DM_SPEAKER_NAME)
        return 0;
    /* a full name: "Fox network Tuesday" is no person */
    size_t na = dm_units_at(p->c->units, t.speaker.start);
    size_t nb = dm_units_at(p->c->units, t.speaker.end);
    size_t words = 0;
    for (size_t k = na; k < nb; k++)
        words += p->u[k].word;
    if (words < 2)
        return 0;
    *a = t;
    return named;
}

/* "(R-Fla.)", "(D)" after a name: skipped. Returns the unit after the
 * closing parenthesis, or e. */
static size_t skip_paren(const parser *p, size_t e)
{
    if (!punct_is(p, e, '('))
        return e;
    for (size_t k = e + 1; k < p->hi && k < e + 8; k++)
        if (punct_is(p, k, ')'))
            return k + 1;
    return e;
}

/* The unit after a modifier compound that opens the phrase at i, up to
 * two capitals before it ("Texas-based", "Los Angeles-based"); 0: none. */
static size_t modifier_before(const parser *p, size_t i)
{
    for (size_t m = i; m < i + 3 && m + 1 < p->hi && p->u[m].word && p->u[m].cap; m++)
        if (p->u[m].modifier)
            return p->u[m + 1].word ? m + 1 : 0;
    return 0;
}

/* "of the Elm Institute" after a name, before its cue ("Tom Hale of the
 * Elm Institute wrote"): the name's affiliation, kept in the phrase, so the
 * cue after it is found. cap_run already takes "of" between capitals ("Tom
 * Hale of Ohio"); an "of" before a determiner ended the name, and the cue
 * was never reached. Returns the unit after the affiliation (only when a
 * verb cue follows it), else e. */
static size_t of_the_phrase(const parser *p, size_t e, dm_attribution *a)
{
    if (e + 2 >= p->hi || !dm_unit_in(p->s, &p->u[e], W_OF) ||
        !dm_unit_in(p->s, &p->u[e + 1], DM_DETERMINERS))
        return e;
    size_t t = np_tail(p, e + 1, e + 2, true);
    size_t at;
    if (t <= e + 2 || !verb_cue_at(p, t, &at))
        return e;
    a->phrase.end = p->u[t - 1].end;
    return t;
}

/* Parse a speaker phrase from unit i. need_cue: a verb cue must follow
 * (its span goes to a->cue). Returns the unit after phrase (and cue), or 0. */

static size_t parse_speaker(const parser *p, size_t i, bool need_cue,
                            dm_attribution *a)
{
    memset(a, 0, sizeof *a);
    if (i >= p->hi || !p->u[i].word)
        return 0;
    const dm_unit *u = &p->u[i];
    size_t e, m;
    if (dm_unit_in(p->s, u, DM_PRONOUNS)) {
        a->form = DM_SPEAKER_PRONOUN;
        a->speaker = a->phrase = units_span(p, i, i + 1);
        e = i + 1;
    } else if ((m = modifier_before(p, i)) != 0) {
        /* "Texas-based Dan Ruiz", "Los Angeles-based attorney Dan Ruiz": the
         * speaker is the one the compound describes */
        size_t e2 = parse_speaker(p, m, need_cue, a);
        if (e2)
            a->phrase.start = p->u[i].start;
        return e2;
    } else if (cap_word(p, i) || (dm_unit_in(p->s, u, DM_PARTICLES) && cap_word(p, i + 1))) {
        /* "Said Comey, ...", "Stated Ruiz:": a sentence-initial cue verb is
         * no given name */
        if ((i == p->lo || !p->u[i - 1].word) && cap_word(p, i + 1) &&
            dm_cues_match(p->c->cues, DM_CUE_VERB, p->s, u, 1) == 1)
            return parse_speaker(p, i + 1, need_cue, a);
        size_t r = cap_run(p, i);
        /* "North Carolina's Ada Fisher said": the full name after an
         * owner's 's (a listed given name opens it) is the speaker, not the
         * owner ("Japan's Chief Cabinet Secretary Hiro Mori" keeps its role
         * as it was) */
        for (size_t k = i; k + 2 < r; k++) {
            if (!p->u[k].possessive)
                continue;
            if (cap_word(p, k + 1) && cap_word(p, k + 2) &&
                dm_cues_name_gender(p->c->cues, p->s, &p->u[k + 1])) {
                size_t e2 = parse_speaker(p, k + 1, need_cue, a);
                if (e2 && a->form == DM_SPEAKER_NAME && !a->group) {
                    a->phrase.start = p->u[i].start;
                    return e2;
                }
                memset(a, 0, sizeof *a);
            }
            break;
        }
        /* "Sen. Dan Ruiz of Vermont endorsed": a place after "of" ends a
         * name, it does not describe a noun ("Iranian officials") */
        bool of_place = r >= i + 3 && dm_unit_in(p->s, &p->u[r - 2], W_OF);
        if (p->u[r - 1].possessive || (r < p->hi && p->u[r].word && !p->u[r].cap &&
                                       !dm_unit_in(p->s, &p->u[r], DM_NP_STOPS) &&
                                       !verb_cue_at(p, r, &(size_t){0}) &&
                                       ((actor_word(p, r - 1) && !of_place) || actor_run(p, i, r)))) {
            /* "Britain's envoy", "Iranian officials" */
            e = np_tail(p, i, r, need_cue);
            a->form = DM_SPEAKER_NP;
            a->speaker = a->phrase = units_span(p, i, e);
            size_t named = np_then_name(p, i, e, need_cue, a);
            if (!named)
                named = clause_after_np(p, e, need_cue, a);
            if (named)
                e = named;
        } else if (!p->u[r - 1].possessive && (e = name_then_role_name(p, i, r, need_cue, a))) {
            /* "Sanders campaign manager Jeff Weaver", "Ohio State University
             * professor Paul Beck": the capitals describe the named person */
        } else {
            split_title(p, i, r, a);
            e = r;
            size_t g = coordination(p, r);
            if (g && a->role.end <= a->role.start) {
                a->group = true;
                a->speaker = a->phrase = units_span(p, i, g);
                e = g;
            }
            size_t after = a->form == DM_SPEAKER_NAME ? apposition(p, e, need_cue, a) : 0;
            if (after)
                e = after;
            else if (need_cue && a->form == DM_SPEAKER_NAME)
                e = of_the_phrase(p, e, a);
        }
    } else if (dm_unit_in(p->s, u, DM_DETERMINERS)) {
        size_t j = i + 1;
        if (cap_word(p, j))
            j = cap_run(p, j);
        e = np_tail(p, i, j, need_cue);
        /* "said another", "another said": one more anonymous speaker */
        if (e == i + 1 && !dm_unit_in(p->s, u, W_ANOTHER))
            return 0;
        /* "in the past said", "at the time said": a time, not a speaker */
        if (dm_unit_in(p->s, &p->u[e - 1], TIME_NOUNS))
            return 0;
        a->form = DM_SPEAKER_NP;
        a->speaker = a->phrase = units_span(p, i, e);
        size_t named = np_then_name(p, i, e, need_cue, a);
        if (!named)
            named = clause_after_np(p, e, need_cue, a);
        if (named)
            e = named;
    } else if (!u->cap && !dm_unit_in(p->s, u, DM_NP_STOPS) &&
               !dm_unit_in(p->s, u, DM_FUNCTION_WORDS)) {
        /* "foreign ministry spokeswoman Mao Ning"; bare plurals: "officials
         * said", "diplomats told" */
        e = np_tail(p, i, i, need_cue);
        if (e == i)
            return 0;
        a->form = DM_SPEAKER_NP;
        a->speaker = a->phrase = units_span(p, i, e);
        size_t named = cap_word(p, e) ? np_then_name(p, i, e, need_cue, a) : 0;
        if (named)
            e = named;
        else if (!need_cue || e > i + 4 || p->s[p->u[e - 1].end - 1] != 's')
            return 0;
    } else {
        return 0;
    }
    if (!need_cue)
        return e;
    if (a->form == DM_SPEAKER_NAME)
        e = skip_paren(p, e);
    size_t at, n = verb_cue_at(p, e, &at);
    if (!n)
        return 0;
    a->cue = units_span(p, at, at + n);
    return at + n;
}

static parser make_parser(const dm_attr_ctx *c, size_t a, size_t b)
{
    parser p = {.c = c, .s = c->s, .u = c->units->v};
    p.lo = dm_units_at(c->units, a);
    p.hi = dm_units_at(c->units, b);
    /* a unit straddling b (cannot happen for word boundaries) is excluded */
    return p;
}

/* A prep/by cue of `type` at some unit of the region, speaker after it. */
static bool prep_in(const parser *p, dm_cue_type type, dm_attribution *out)
{
    for (size_t k = p->lo; k < p->hi; k++) {
        size_t n = dm_cues_match(p->c->cues, type, p->s, &p->u[k], p->hi - k);
        if (!n)
            continue;
        dm_attribution a;
        size_t e = parse_speaker(p, k + n, false, &a);
        if (e && a.form != DM_SPEAKER_PRONOUN) {
            a.cue = units_span(p, k, k + n);
            *out = a;
            return true;
        }
    }
    return false;
}

/* Entry points for attribution.c (see phrase_internal.h). */
dm_phrase_parser dm_phrase_parser_make(const dm_attr_ctx *c, size_t a, size_t b)
{
    return make_parser(c, a, b);
}

size_t dm_phrase_speaker(const dm_phrase_parser *p, size_t i, bool need_cue,
                         dm_attribution *a)
{
    return parse_speaker(p, i, need_cue, a);
}

bool dm_phrase_prep(const dm_phrase_parser *p, dm_cue_type type,
                    dm_attribution *out)
{
    return prep_in(p, type, out);
}

size_t dm_phrase_verb(const dm_phrase_parser *p, size_t k)
{
    return verb_match(p, k);
}

dm_span dm_phrase_span(const dm_phrase_parser *p, size_t a, size_t b)
{
    return units_span(p, a, b);
}

bool dm_phrase_punct(const dm_phrase_parser *p, size_t i, int32_t ch)
{
    return punct_is(p, i, ch);
}

bool dm_phrase_cap_word(const dm_phrase_parser *p, size_t i)
{
    return cap_word(p, i);
}

size_t dm_phrase_possessive_name(const dm_phrase_parser *p, size_t i, dm_attribution *a)
{
    if (!cap_word(p, i))
        return 0;
    size_t r = cap_run(p, i), k = i;
    while (k < r && !p->u[k].possessive)
        k++;
    if (k >= r)
        return 0;
    /* "Much of Ruiz's anger", "Friends of Mr. Ruiz's": the name after "of" */
    for (size_t j = k; j-- > i;)
        if (dm_unit_in(p->s, &p->u[j], W_OF)) {
            i = j + 1;
            break;
        }
    dm_attribution at;
    memset(&at, 0, sizeof at);
    split_title(p, i, k + 1, &at);
    if (at.form != DM_SPEAKER_NAME)
        return 0;
    at.speaker.end -= 2; /* the 's (a curly one is normalised to ') */
    at.phrase.end -= 2;
    *a = at;
    return k + 1;
}
