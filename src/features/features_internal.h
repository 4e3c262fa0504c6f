/*
 * Internals of the featurizer, shared by the .c files of src/features only.
 *
 * Layout of the feature space (also documented in features.h and
 * lexicons/README.md):
 *   1 .. 2^hash_bits              hashed string features ("w:", "c:", "t:",
 *                                 "ctx:", "cue:", "pair:", "tgt:")
 *   2^hash_bits + 1 .. + NF_COUNT named features (enum dm_named_feature),
 *                                 a fixed block whose order never changes
 *                                 within a DM_FEATURES_LAYOUT version.
 */
#ifndef DEMARCHE_FEATURES_INTERNAL_H
#define DEMARCHE_FEATURES_INTERNAL_H

#include "demarche/features.h"
#include "demarche/text.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- categories (fixed: a lexicon naming another category is an error) -- */

enum { HCAT_ACCUSATION, HCAT_CONDEMNATION, HCAT_THREAT, HCAT_INSULT,
       HCAT_EXTREME, HCAT_DEMAND, HCAT_REJECTION, HCAT_CONCERN,
       HCAT_CRITICISM, HCAT_WARNING, HCAT_SANCTION, HCAT_VIOLENCE, HOSTILE_CATEGORY_COUNT };
enum { CCAT_THANKS, CCAT_WELCOME, CCAT_PRAISE, CCAT_COOPERATION,
       CCAT_AGREEMENT, CCAT_SUPPORT, CCAT_FRIENDSHIP, CCAT_CONDOLENCE,
       CCAT_CONGRATULATION, CCAT_DIALOGUE, CORDIAL_CATEGORY_COUNT };
enum { GCAT_SOFTENER, GCAT_APPEAL, GCAT_REGRET, GCAT_HEDGE, HEDGE_CATEGORY_COUNT };
/* implicit.tsv: cues of indirect criticism (action .. insinuation), words
 * that name an actor without a name (agent), and blame-free topic words
 * (topic, procedure, commemoration); see lexicons/README.md. */
enum { ICAT_ACTION, ICAT_INSUFFICIENCY, ICAT_DENIAL, ICAT_INSINUATION,
       ICAT_AGENT, ICAT_TOPIC, ICAT_PROCEDURE, ICAT_COMMEMORATION, IMPLICIT_CATEGORY_COUNT };

extern const char *const dm_hostile_category_names[HOSTILE_CATEGORY_COUNT];
extern const char *const dm_cordial_category_names[CORDIAL_CATEGORY_COUNT];
extern const char *const dm_hedge_category_names[HEDGE_CATEGORY_COUNT];
extern const char *const dm_implicit_category_names[IMPLICIT_CATEGORY_COUNT];

/* ---- the named block ---------------------------------------------------- */

enum dm_named_feature {
    NF_HOST = 0,                      /* "host:<cat>": log1p(weighted sum) */
    NF_HOSTNEG = NF_HOST + HOSTILE_CATEGORY_COUNT,    /* "hostneg:<cat>": negated terms */
    NF_CORD = NF_HOSTNEG + HOSTILE_CATEGORY_COUNT,    /* "cord:<cat>" */
    NF_CORDNEG = NF_CORD + CORDIAL_CATEGORY_COUNT,    /* "cordneg:<cat>" */
    NF_HEDGE = NF_CORDNEG + CORDIAL_CATEGORY_COUNT,   /* "hedge:<cat>": log1p(count) */
    NF_HOSTILE_SUM = NF_HEDGE + HEDGE_CATEGORY_COUNT,
    NF_HOSTILE_COUNT,
    NF_CORDIAL_SUM,
    NF_CORDIAL_COUNT,
    NF_NEG_HOSTILE_SUM,
    NF_NEG_HOSTILE_COUNT,
    NF_NEG_CORDIAL_SUM,
    NF_NEG_CORDIAL_COUNT,
    NF_HEDGE_COUNT,
    NF_INTENSIFIED,
    NF_DOWNTONED,
    NF_NEGATORS,
    NF_QUESTION,
    NF_EXCLAMATION,
    NF_CUE_NEUTRAL,
    NF_CUE_HOSTILE,
    NF_CUE_CORDIAL,
    NF_CUE_OTHER,
    NF_REPORTED_SPEECH,
    NF_LENGTH,
    NF_CTX_PRESENT,
    NF_CTX_HOSTILE_SUM,
    NF_CTX_CORDIAL_SUM,
    NF_CTX_REPORTED,
    NF_SENT_POS,                      /* "sent:pos": log1p(sum of valence > 0) */
    NF_SENT_NEG,                      /* "sent:neg": log1p(-sum of valence < 0) */
    /* implicit criticism and blame (implicit.c); one per ICAT_, in order */
    NF_IMPL,                          /* "impl:<cat>": log1p(weighted sum) */
    NF_IMPL_ACTION_ACTOR = NF_IMPL + IMPLICIT_CATEGORY_COUNT, /* an actor does a negative action */
    NF_IMPL_CUE_ACTOR,                /* insufficiency/denial/insinuation + actor */
    NF_BLAME_ACTOR,                   /* hostile term with an actor beside it */
    NF_BLAME_NONE,                    /* hostile term, no actor in its clause */
    NF_BLAME_TOPIC_ONLY,              /* topic words, nobody blamed */
    NF_PREV_HOSTILE_SUM,              /* the previous sentence of the speech */
    NF_PREV_IMPLICIT,
    NF_PREV_SAME_ACTOR,               /* it names an actor this one names */
    /* stance only */
    NF_TARGET_IMPLICIT,
    NF_TARGET_SELF,
    NF_TARGET_MENTIONS,
    NF_TARGET_OTHER_ACTORS,
    NF_TARGET_SUBJECT_HOSTILE,
    NF_TARGET_OBJECT_HOSTILE,
    NF_TARGET_PRAISE_NEAR,
    NF_TARGET_HOSTILE_NEAR,
    NF_TARGET_HOSTILE_FAR,
    NF_TARGET_CORDIAL_NEAR,
    NF_TARGET_CORDIAL_FAR,
    NF_TARGET_NEG_HOSTILE_CLAUSE,
    NF_TARGET_NEG_CORDIAL_CLAUSE,
    NF_TARGET_HOSTILE_OTHER_CLAUSE,
    NF_TARGET_CORDIAL_OTHER_CLAUSE,
    NF_TARGET_SENT_POS_NEAR,          /* valence in the target's clause, */
    NF_TARGET_SENT_NEG_NEAR,          /* weighted 1 / (1 + token gap) */
    NF_TARGET_SENT_POS_CLAUSE,        /* valence in the target's clause */
    NF_TARGET_SENT_NEG_CLAUSE,
    NF_TARGET_SENT_POS_OTHER,         /* valence in the other clauses */
    NF_TARGET_SENT_NEG_OTHER,
    NF_TARGET_SUBJECT_NEG,            /* a negative word follows the target */
    NF_TARGET_OBJECT_NEG,             /* ... precedes it (same clause, near) */
    NF_TARGET_SUBJECT_POS,
    NF_TARGET_OBJECT_POS,
    NF_TARGET_ROLE_PP,                /* after a preposition ("on CNN") */
    NF_TARGET_ROLE_INITIAL,           /* first words of its clause */
    NF_TARGET_FIRST_ACTOR,            /* no other actor named before it */
    NF_TARGET_SENT_POS_X_INITIAL,     /* sentence valence x role: the */
    NF_TARGET_SENT_NEG_X_INITIAL,     /* clause's first actor usually carries */
    NF_TARGET_SENT_POS_X_PP,          /* the sentence's evaluation, one in a */
    NF_TARGET_SENT_NEG_X_PP,          /* prepositional phrase seldom does */
    NF_TARGET_SENT_POS_X_FIRST,
    NF_TARGET_SENT_NEG_X_FIRST,
    /* hostility: who a grave crime or violence word blames (implicit.c;
     * appended after the stance block, layout 6) */
    NF_CRIME_CHARGED,                 /* an actor or agent does it */
    NF_CRIME_CONDEMNED,               /* no culprit, the speaker condemns */
    NF_CRIME_BARE,                    /* no culprit, no evaluation */
    NF_CRIME_MEMORY,                  /* bare, in commemoration/procedure */
    /* layout 9: blame gating, conditional and force threats */
    NF_PROCEDURE_BARE,                /* a call for accountability, no culprit */
    NF_THREAT_CONDITIONAL,            /* threat or warning under a condition */
    NF_THREAT_FORCE,                  /* ... that names military force */
    NF_COUNT
};

/* log1p for the named features, most of which are 0 in a statement: log1p
 * of +-0 is +-0, so answering 0 without the call into libm gives the same
 * bits. */
#define DM_FZ_SMALL_LOG1P 256
extern double dm_fz_small_log1p[DM_FZ_SMALL_LOG1P];
static inline double dm_fz_log1p(double x)
{
    if (x == 0)
        return x;
    /* whole counts 1..255 (most named features are counts, the length a
     * word count): libm's own log1p(k), kept once by dm_featurizer_create
     * (featurizer.c), so the same bits */
    if (x > 0 && x < DM_FZ_SMALL_LOG1P) {
        int k = (int)x;
        if ((double)k == x)
            return dm_fz_small_log1p[k];
    }
    return log1p(x);
}

/* Name of named feature `nf` into buf (e.g. "host:condemnation"). */
void dm_named_feature_name(int nf, char *buf, size_t size);

/* ---- lexicon ------------------------------------------------------------ */

/* What a phrase is; one phrase may be in several lexicons. */
enum { LEX_HOSTILE = 1, LEX_CORDIAL = 2, LEX_NEGATOR = 4, LEX_INTENSIFIER = 8,
       LEX_HEDGE = 16, LEX_PREFIX = 32 /* a proper prefix of some phrase */,
       LEX_SENTIMENT = 64 /* a word of sentiment.tsv (general valence) */,
       LEX_IMPLICIT = 128 /* a phrase of implicit.tsv */ };

/* 64 bytes, one cache line (entries are 64-aligned): a hit's lookup reads
 * the hash, length and key (inline when short) and the rules the values,
 * all on that line. (72 bytes with an int for each small number and the
 * key always apart: 8,600 entries are written at every start-up, each page
 * a fault; the short keys inline cost no more pages than their blocks.) */
#define DM_LEX_INLINE_KEY 22 /* keys shorter than this lie in the entry */
typedef struct dm_lex_entry {
    char *key;              /* folded tokens joined by ' ', NUL-terminated:
                               inline_key, or in lexicon.keys when longer */
    uint32_t hash;
    uint16_t key_len;       /* < 512 (the loader's key buffer) */
    uint8_t flags;          /* LEX_ flags (also dm_ftok.lexflags) */
    uint8_t generated;      /* LEX_ flags whose values a lemma's form gave */
    float hostile_weight;
    float cordial_weight;
    float multiplier;
    float valence;          /* sentiment.tsv: -4..4 */
    float implicit_weight;
    int8_t n_tokens;        /* 1..MAX_TERM_TOKENS (8) */
    int8_t hostile_cat, cordial_cat, hedge_cat, implicit_cat; /* < 16 */
    int8_t negator_scope;   /* 1..10 */
    char inline_key[DM_LEX_INLINE_KEY]; /* the key when key_len < DM_LEX_INLINE_KEY */
} dm_lex_entry;

/* A slot of the hash table: the tag and the entry, on one line (a hit's
 * slot, prefetched, gives the entry without another load). */
typedef struct dm_lex_slot {
    uint32_t tag;           /* slot_tag(hash), 0 = empty */
    uint32_t index;         /* the entry in `entries` when used */
} dm_lex_slot;

/* The entries lie dense, in the order first inserted; the hash table holds
 * 8 bytes a slot (tag and entry index), so that loading touches 0.9 MB, not
 * the 2.4 MB of a table of entries at a quarter full (each first touch of a
 * page is a fault: 20 us on a virtual machine). */
typedef struct dm_lex_key_block dm_lex_key_block;

typedef struct dm_lexicon {
    dm_lex_entry *entries;  /* count of them, 64-aligned; pointers valid
                               once loaded */
    size_t cap_entries;     /* reserved at once from the files' lines */
    dm_lex_key_block *keys; /* the long keys' bytes (owned): blocks, no
                               allocation per key */
    dm_lex_slot *slots;     /* cap of them */
    uint64_t *filter;       /* filter_mask + 1 words: the bits of every
                               entry's hash (dm_lex_maybe), set once loaded */
    uint32_t filter_mask;
    size_t cap;             /* slots: a power of two */
    size_t count;
    int max_tokens;
    char checksum[17];      /* FNV-1a 64, hex */
} dm_lexicon;

dm_status dm_lexicon_load(dm_lexicon *lex, const char *dir, uint32_t seed,
                          dm_error *err);
void dm_lexicon_free(dm_lexicon *lex);
const dm_lex_entry *dm_lexicon_get(const dm_lexicon *lex, const char *key,
                                   size_t len, uint32_t seed);
/* Can a key of hash h be in the lexicon? False for most words that are in
 * none: two bits of a word of the filter (16 kB for 8,600 entries, 2% of
 * the absent keys pass), which stays in the caches where the slots (256
 * kB) and entries do not. Only on a loaded lexicon (cap > 0). */
static inline bool dm_lex_maybe(const dm_lexicon *lex, uint32_t h)
{
    uint64_t bits = (uint64_t)1 << (h >> 20 & 63) | (uint64_t)1 << (h >> 26);
    return (lex->filter[h & lex->filter_mask] & bits) == bits;
}

/* dm_lexicon_get in two halves, for a run of keys: dm_lexicon_prefetch asks
 * for the slot of hash h (dm_hash32 of the key with the lexicon's seed; a
 * hint, nothing else), dm_lexicon_get_hashed looks the key up by it. The
 * slots are 256 kB that the weights keep pushing out of the caches. */
static inline void dm_lexicon_prefetch(const dm_lexicon *lex, uint32_t h)
{
#if defined(__GNUC__)
    if (lex->cap)
        __builtin_prefetch(&lex->slots[h & (lex->cap - 1)]);
#else
    (void)lex;
    (void)h;
#endif
}
const dm_lex_entry *dm_lexicon_get_hashed(const dm_lexicon *lex, const char *key,
                                          size_t len, uint32_t h);
/* dm_lexicon_get_hashed of the key "<a> <b>" without joining it (h: its
 * dm_hash32, e.g. from a dm_hash_stream). */
const dm_lex_entry *dm_lexicon_get_pair(const dm_lexicon *lex, const char *a, size_t alen,
                                        const char *b, size_t blen, uint32_t h);
/* The key of a term made of ASCII letters only, in words parted by single
 * spaces (most lexicon terms): the words lower-cased, as normalising and
 * tokenising would give them, without ICU. False for any other term (the
 * loader then asks ICU), or when it does not fit `size`. */
bool dm_lexicon_ascii_key(const char *term, char *key, size_t size, int *n_tokens);

/* The lexicon checksum is FNV-1a 64: dm_fnv1a64, DM_FNV1A64_BASIS. */
#include "core/fnv_internal.h"

/* ---- per-call scratch --------------------------------------------------- */

/* A token as the feature code sees it. */
typedef struct dm_ftok {
    const char *s;          /* folded form, or a placeholder */
    size_t len;
    size_t start, end;      /* bytes in the input text */
    unsigned char kind;     /* dm_token_kind */
    bool boundary;          /* breaks n-grams (. ; :) */
    bool clause_end;        /* ends a clause (, ; : . ? ! but while whereas) */
    bool skip;              /* dropped from n-grams (other punctuation) */
    bool report_start;      /* may start a reported-speech marker: set
                               once per text (dm_fz_report_start) */
    char placeholder;       /* 'T' target, 'O' other actor, 'G' other actor
                               coordinated with the target, 'A' any actor, 0 */
    unsigned char lexflags; /* lex ? lex->flags : 0, in the token (the
                               passes over every token ask it; the entries
                               are 400 kB away, in the caches or not) */
    const dm_lex_entry *lex; /* the lexicon entry of s alone, or NULL:
                               looked up once here, not by every rule */
    const dm_lex_entry *lex2; /* the entry of "s <next token's s>" when lex
                               is a LEX_PREFIX, else NULL: the rules ask
                               for it at every call on the same text */
} dm_ftok;

/* Is token t one of the words of a NULL-terminated list (exact bytes; a
 * token's bytes are not NUL-terminated)? The first byte is compared before
 * strlen: most words of a list differ there. */
static inline bool dm_ftok_in(const dm_ftok *t, const char *const *list)
{
    char first = t->len ? t->s[0] : '\0';
    for (; *list; list++)
        if ((*list)[0] == first && t->len == strlen(*list) &&
            memcmp(t->s, *list, t->len) == 0)
            return true;
    return false;
}

/* Is token t the word w? */
static inline bool dm_ftok_is(const dm_ftok *t, const char *w)
{
    return t->len == strlen(w) && memcmp(t->s, w, t->len) == 0;
}

/* A lexicon hit after the rules (negation, intensifiers) were applied. */
typedef struct dm_hit {
    int first, last;        /* token range [first, last] */
    unsigned flags;         /* LEX_HOSTILE / LEX_CORDIAL / LEX_HEDGE */
    int hostile_cat, cordial_cat, hedge_cat;
    double weight;          /* weight after multipliers */
    bool negated;
    int clause;             /* clause number of the first token */
    unsigned char blame;    /* dm_blame_kind (implicit.c, dm_fz_blame) */
} dm_hit;

/* Who a hostile hit blames (train/CODEBOOK.md 9.4), set by dm_fz_blame. The
 * _BARE kinds blame nobody and evaluate nothing: they are left out of the
 * lexicon sums and counted by the blame:* features alone. */
enum dm_blame_kind { BLAME_OTHER = 0, BLAME_CRIME_CHARGED, BLAME_CRIME_CONDEMNED,
                     BLAME_CRIME_BARE, BLAME_PROCEDURE_BARE };

/* dm_hash32 fed in pieces: init with the seed, add pieces, end gives
 * dm_hash32 of their concatenation. For n-grams that extend shorter ones
 * and names that extend a fixed prefix: no joined string, each token's
 * bytes hashed once per name. The bytes of an unfinished 4-byte block wait
 * in `tail`, packed little-endian as dm_hash32 packs its last bytes. Inline
 * (below): a call per n-gram word was 5% of demarche-score --statements. */
typedef struct dm_hash_stream { uint32_t h, tail; size_t len; } dm_hash_stream;

/* MurmurHash3's mixing of one 4-byte block into h (hash.c's, shared here
 * so that one byte can be added inline). */
static inline uint32_t dm_hash_mix_k(uint32_t k)
{
    k *= 0xcc9e2d51u;
    k = (k << 15) | (k >> 17);
    return k * 0x1b873593u;
}

/* The same in two halves: the block's own mixing (dm_hash_mix_k), shared
 * by streams that add the same block, and its mixing into h. */
static inline uint32_t dm_hash_mix_h(uint32_t h, uint32_t mixed_k)
{
    h ^= mixed_k;
    h = (h << 13) | (h >> 19);
    return h * 5 + 0xe6546b64u;
}

static inline uint32_t dm_hash_mix_block(uint32_t h, uint32_t k)
{
    return dm_hash_mix_h(h, dm_hash_mix_k(k));
}

/* dm_hash_stream_add of one byte (the space between n-gram words). */
static inline void dm_hash_stream_add_byte(dm_hash_stream *s, unsigned char c)
{
    s->tail |= (uint32_t)c << (8 * (s->len & 3));
    if ((++s->len & 3) == 0) {
        s->h = dm_hash_mix_block(s->h, s->tail);
        s->tail = 0;
    }
}

/* MurmurHash3's last block (`len & 3` bytes in tail) and finalisation. */
static inline uint32_t dm_hash_finish(uint32_t h, uint32_t tail, size_t len)
{
    if (len & 3) {
        tail *= 0xcc9e2d51u;
        tail = (tail << 15) | (tail >> 17);
        tail *= 0x1b873593u;
        h ^= tail;
    }
    h ^= (uint32_t)len;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* 4 bytes little-endian whatever the host order (one load where it is). */
static inline uint32_t dm_hash_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline void dm_hash_stream_init(dm_hash_stream *s, uint32_t seed)
{
    s->h = seed;
    s->tail = 0;
    s->len = 0;
}

/* The waiting bytes and the new ones above them in 64 bits: each 4 bytes
 * read complete a block whatever the number waiting (0-3), and the rest
 * shifts down; no byte at a time (most pieces start mid-block: a word
 * after "w:" and a space, or after a 5-byte side prefix). */
static inline void dm_hash_stream_add(dm_hash_stream *s, const void *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    unsigned waiting = (unsigned)(s->len & 3);
    uint64_t acc = s->tail;
    uint32_t h = s->h;
    s->len += len;
    for (; len >= 4; p += 4, len -= 4) {
        acc |= (uint64_t)dm_hash_le32(p) << (8 * waiting);
        h = dm_hash_mix_block(h, (uint32_t)acc);
        acc >>= 32;
    }
    switch (len) { /* the last 0-3 bytes */
    case 3: acc |= (uint64_t)p[2] << (8 * (waiting + 2)); /* fall through */
    case 2: acc |= (uint64_t)p[1] << (8 * (waiting + 1)); /* fall through */
    case 1: acc |= (uint64_t)p[0] << (8 * waiting);
    }
    if (waiting + len >= 4) {
        h = dm_hash_mix_block(h, (uint32_t)acc);
        acc >>= 32;
    }
    s->h = h;
    s->tail = (uint32_t)acc;
}

/* dm_hash_stream_add of the same bytes to two streams of one length and
 * the same waiting bytes (prefixes of one length that end alike, "s:LC:"
 * and "d:LC:"): each block read and mixed once, then into each stream's
 * h. The two streams end as two calls of dm_hash_stream_add would leave
 * them (tests/unit/test_features.c). */
static inline void dm_hash_stream_add2(dm_hash_stream *a, dm_hash_stream *b, const void *data,
                                       size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    unsigned waiting = (unsigned)(a->len & 3);
    uint64_t acc = a->tail;
    uint32_t ha = a->h, hb = b->h;
    a->len += len;
    for (; len >= 4; p += 4, len -= 4) {
        acc |= (uint64_t)dm_hash_le32(p) << (8 * waiting);
        uint32_t k = dm_hash_mix_k((uint32_t)acc);
        ha = dm_hash_mix_h(ha, k);
        hb = dm_hash_mix_h(hb, k);
        acc >>= 32;
    }
    switch (len) { /* the last 0-3 bytes */
    case 3: acc |= (uint64_t)p[2] << (8 * (waiting + 2)); /* fall through */
    case 2: acc |= (uint64_t)p[1] << (8 * (waiting + 1)); /* fall through */
    case 1: acc |= (uint64_t)p[0] << (8 * waiting);
    }
    if (waiting + len >= 4) {
        uint32_t k = dm_hash_mix_k((uint32_t)acc);
        ha = dm_hash_mix_h(ha, k);
        hb = dm_hash_mix_h(hb, k);
        acc >>= 32;
    }
    a->h = ha;
    b->h = hb;
    a->tail = b->tail = (uint32_t)acc;
    b->len = a->len;
}

static inline uint32_t dm_hash_stream_end(const dm_hash_stream *s)
{
    return dm_hash_finish(s->h, s->tail, s->len);
}

typedef struct dm_rawfeat { uint32_t index; float value; } dm_rawfeat;

#define DM_TOK_CACHE_ENTRIES 3
#define DM_CONTRAST_CACHED 16

typedef struct dm_tok_cache {
    dm_tokens tokens;                       /* owner of toks[].s */
    size_t tokens_cap[2];                   /* its buffers (dm_tokenize_reuse) */
    dm_ftok *toks; size_t cap;              /* as tokenised, unmarked */
    char *text; size_t len, captext;        /* their text (the key) */
    bool valid;
    unsigned long used;                     /* cache_clock at the last use */
    unsigned long generation;               /* tokenisations into it */
} dm_tok_cache;

/* The statement-text features of the last featurisation (text_memo.c). */
typedef struct dm_text_memo {
    bool valid;
    char *key; size_t nkey, capkey;         /* the input they were made of */
    int entry; unsigned long generation;    /* token cache entry of sc.toks */
    dm_feature *out; size_t nout, capout;   /* entries text_features added */
    char *placeholder; size_t capph;        /* of each token */
    size_t ntoks, nttoks, nhits;
    dm_ftok *ttoks; size_t capttoks;
    dm_hit *hits; size_t caphits;
    int *clause_of; size_t capclause;
    float *valence; size_t capvalence;
    /* The index space of `out` (mask, named_base), and when the two tasks
     * hash into spaces of different sizes (stance_hash_bits), the n-gram
     * families before merging, hashed into the larger space: a call of the
     * other task folds them into its own (index & mask) and moves the
     * named entries, to the bit what it would compute. */
    uint32_t mask;
    int named_base;
    bool folds;
    dm_rawfeat *raw; size_t nraw, nraw_w, capraw; /* "w:" first, then "c:" */
    /* Where each of the two families ("w:", "c:") lies in `out` and its
     * merged count there (0: not flushed), for a fold that merges to as
     * many entries: the same values (text_memo.c). */
    size_t fam_at[2], fam_n[2];
    /* Folds that merged a family (not skipped as one with no two entries
     * in a bucket of the saved space, split by this one): for the tests. */
    unsigned long fold_merges;
    /* The first fold's result (the other task's space, whose mask and
     * named_base these are), for the input's next targets: every fold of
     * one saved memo into one space gives these entries. */
    bool folded_valid;
    uint32_t folded_mask;
    int folded_named_base;
    dm_feature *folded; size_t nfolded, capfolded;
} dm_text_memo;

/* One implicit.tsv phrase found in the current tokens (implicit.c). */
typedef struct dm_impl_match {
    const dm_lex_entry *e;
    size_t first, last;
} dm_impl_match;

#define DM_LOG1P_MEMO 1024 /* a power of two */
typedef struct dm_scratch {
    dm_ftok *toks; size_t ntoks, captoks;
    dm_hit *hits; size_t nhits, caphits;
    dm_impl_match *impl; size_t nimpl, capimpl; /* dm_fz_find_implicit */
    int *clause_of; size_t capclause;
    dm_rawfeat *fam; size_t nfam, capfam;   /* one family before normalising */
    uint32_t *table; size_t captable;       /* merge.c's index table */
    char *buf; size_t capbuf;               /* joined n-gram strings */
    dm_ftok *ttoks; size_t nttoks, capttoks;/* placeholder view (stance) */
    size_t *tph; size_t ntph, captph;       /* its placeholders' places (stance) */
    float *valence; size_t capvalence;      /* per token, after negation */
    int *cpos; size_t capcpos;              /* positions, a mention run = 1 */
    size_t *focal; size_t nfocal, capfocal; /* target tokens, in order (stance) */
    dm_rawfeat *con; size_t ncon, capcon;   /* contrast family (stance) */
    /* The unit 'd' families of the mentions of the current input (the
     * contrast family of stance_target.c): each target of a sentence sees
     * the others' families, which are also their own as targets. Valid
     * while text_serial is that of the input's text features. */
    dm_rawfeat *dfam; size_t ndfam, capdfam;
    struct { size_t start, end, at, n; } dfam_of[DM_CONTRAST_CACHED];
    int n_dfam_of;
    /* The raw "s:" families (before dm_fz_family_flush) of mentions whose
     * "d:" family was computed as another target's contrast, in the same
     * pass: each is that mention's own side family when it is the target
     * (the same marks). Kept and reset with dfam. */
    dm_rawfeat *sfam; size_t nsfam, capsfam;
    struct { size_t start, end, at, n; } sfam_of[DM_CONTRAST_CACHED];
    int n_sfam_of;
    dm_rawfeat *fam2; size_t nfam2, capfam2; /* a second family beside fam */
    /* The stance names that are the same for every target, hashed at the
     * first use from the featurizer's seed (stance_target*.c): the stream
     * state of each side prefix "<family>:<side><clause>:" (family 's' 0,
     * 'd' 1; by slot) and the hash of each of its six valence and lexicon
     * names; the target's kinds ("m:=inquote" ...). */
    struct {
        bool side_ready, mention_ready;
        dm_hash_stream side_prefix[2][4];
        uint32_t side_what[2][4][6];
        uint32_t mention[5];
    } stance_names;
    /* What every target of one statement reads the same (stance_target_mark.c,
     * dm_fz_statement_ready), made at its first target: mention m's tokens
     * [mfirst[m], mend[m]) (none without a span), those ranges that hold a
     * token by first token (rfirst, rend: nr), the double quotes' tokens
     * (quote_at: nquote) and the tokens of valence != 0 (val_at: nval), in
     * order. Valid while `serial` is text_serial and ntoks the same. */
    struct {
        unsigned long serial;
        size_t ntoks;
        size_t *mbuf, capm; /* holds the four arrays of the mentions */
        size_t *mfirst, *mend, *rfirst, *rend, nr;
        size_t *quote_at, nquote, capquote;
        size_t *val_at, nval, capval;
    } stmt;
    unsigned long dfam_serial;
    unsigned long text_serial;              /* text_features computed afresh */
    unsigned long clause_steps;             /* tokens dm_fz_clause_has_actor read */
    dm_tokens cur;                          /* owner of toks[].s strings */
    size_t cur_cap[2];                      /* its buffers (dm_tokenize_reuse) */
    /* The tokens of the last texts featurised, for the next calls on them:
     * a statement is featurised once for hostility and once per target, and
     * in a speech each sentence is also the next one's previous sentence.
     * Three entries: with two, a statement's own text (used before its
     * previous sentence) was the least recently used when the next one
     * came, so each sentence of a speech was tokenised twice. */
    dm_tok_cache cache[DM_TOK_CACHE_ENTRIES];
    unsigned long cache_clock;
    int entry;                              /* cache entry of the last call */
    dm_text_memo memo;
    /* log1p of the families' summed values that are not small counts
     * (distance-weighted sums, which repeat from text to text), by the
     * float's bits: direct-mapped, each slot the bits and libm's result
     * for them. All zero (calloc) is a valid table: log1p(+0) is +0. */
    uint32_t log1p_bits[DM_LOG1P_MEMO];
    double log1p_value[DM_LOG1P_MEMO];
} dm_scratch;

struct dm_featurizer {
    dm_feature_settings settings;
    dm_lexicon lex;
    uint32_t mask;            /* 2^bits - 1 of the task featurised now */
    int named_base;           /* index of named feature 0 = 2^bits + 1, same */
    /* Hostility's (hash_bits) and stance's (stance_hash_bits, or hash_bits
     * when 0) of the two above; featurize() sets mask and named_base from
     * them for each call. */
    uint32_t task_mask[2];
    int task_named_base[2];
    bool explain;
    char **bucket_names;      /* 2^bits names (the larger task's) when
                               * explain is on */
    uint32_t *bucket_hashes;  /* full hash of each bucket's name */
    char named_names[NF_COUNT][40];
    char cue_buf[128];        /* folded ASCII cue */
    dm_scratch sc;
    char **actor_codes;       /* sorted codes of actors.tsv (topics.c) */
    size_t n_actor_codes;
    /* A clone (dm_featurizer_clone) borrows lex and actor_codes from here
     * and frees only its scratch and explain map; NULL for an original. */
    const dm_featurizer *origin;
};

/* log1p of a family's summed value as the families take it (log tf): a
 * table for small counts, the scratch's memo for other values; the same
 * bits as log1p((double)f) (tests/unit/test_features.c). */
double dm_fz_count_log1p(dm_featurizer *fz, float f);

/* Helpers across files. All return DM_E_NOMEM on allocation failure. */
dm_status dm_fz_grow(void **p, size_t *cap, size_t need, size_t elem);
dm_status dm_fz_tokens(dm_featurizer *fz, const char *text, size_t len,
                       dm_error *err);
/* The same through the two-text cache (statement and previous sentence):
 * sc.toks a fresh copy each time. */
dm_status dm_fz_cached_tokens(dm_featurizer *fz, const char *text, size_t len,
                              dm_error *err);
void dm_fz_free_token_cache(dm_featurizer *fz);
/* The text features' memo (text_memo.c): lookup says whether the memo
 * holds the features of `in` (its fields compared in place with the saved
 * key; never with explain on); save, after text_features, keeps them
 * under the key of `in`; restore, after
 * dm_fz_cached_tokens, puts them back (out's entries, the scratch state) or
 * fails (the caller computes them then). */
bool dm_fz_memo_lookup(dm_featurizer *fz, const dm_feature_input *in);
void dm_fz_memo_save(dm_featurizer *fz, const dm_feature_input *in, const dm_fvec *out);
dm_status dm_fz_memo_restore(dm_featurizer *fz, dm_fvec *out);
/* Append the current family (sc.fam, hashed into the larger task's space)
 * to the memo's n-grams, then fold it into this task's space. */
dm_status dm_fz_memo_keep_raw(dm_featurizer *fz);
void dm_fz_memo_free(dm_text_memo *m);
dm_status dm_fz_add_hashed(dm_featurizer *fz, const char *s, size_t len,
                           double value);
/* The same for a string whose dm_hash32 is `hash` (no name for --explain:
 * callers use dm_fz_add_hashed when fz->explain is on). Inline, like
 * dm_fvec_push: called for every n-gram and entry, the call and the
 * capacity call were 2% of demarche-score --statements. */
static inline dm_status dm_fz_add_hash(dm_featurizer *fz, uint32_t hash, double value)
{
    dm_scratch *sc = &fz->sc;
    if (sc->nfam == sc->capfam &&
        dm_fz_grow((void **)&sc->fam, &sc->capfam, sc->nfam + 1, sizeof *sc->fam) != DM_OK)
        return DM_E_NOMEM;
    sc->fam[sc->nfam].index = hash & fz->mask;
    sc->fam[sc->nfam].value = (float)value;
    sc->nfam++;
    return DM_OK;
}
dm_status dm_fz_family_flush(dm_featurizer *fz, dm_fvec *out, double scale);
/* The current family merged, log tf and scaled to unit length in place
 * (sc.nfam its size), for a caller that combines families before pushing. */
dm_status dm_fz_family_unit(dm_featurizer *fz);
/* Push the current family merged by bucket, values as they are (no log tf,
 * no normalisation; zeros dropped) times `scale`; empties it. */
dm_status dm_fz_family_push_raw(dm_featurizer *fz, dm_fvec *out, double scale);
static inline dm_status dm_fvec_push(dm_fvec *f, int index, double value)
{
    if (f->n == f->cap &&
        dm_fz_grow((void **)&f->v, &f->cap, f->n + 1, sizeof *f->v) != DM_OK)
        return DM_E_NOMEM;
    f->v[f->n].index = index;
    f->v[f->n].value = value;
    f->n++;
    return DM_OK;
}
/* merge.c: the entries of one index added up into its first entry, in the
 * order they were pushed; the merged entries keep the order of their first
 * occurrence (so the sums, and the weights trained on them, do not depend on
 * any sort). table / cap: the caller's scratch, grown as needed.
 * dm_fz_merge_family returns the merged count, (size_t)-1 on NULL
 * arguments or out of memory (v untouched). dm_fvec_merge also drops the
 * sums that are 0; DM_E_INVALID_ARG, DM_E_NOMEM (f untouched). */
size_t dm_fz_merge_family(dm_rawfeat *v, size_t n, uint32_t **table, size_t *cap);
/* The merge of families src[0..k) one after the other, each entry's value
 * the float (float)(scale[j] * value), into dst (room for every entry;
 * none of src): what dm_fz_merge_family gives for those entries copied
 * into one array, without the copy. The merged count, (size_t)-1 on NULL
 * arguments or out of memory. */
size_t dm_fz_merge_scaled(dm_rawfeat *dst, const dm_rawfeat *const *src, const size_t *n,
                          const double *scale, size_t k, uint32_t **table, size_t *cap);
dm_status dm_fvec_merge(dm_fvec *f, uint32_t **table, size_t *cap);
/* Sort by index a vector whose indices are unique (after dm_fvec_merge):
 * the order of the public vectors (features.h) and of libsvm's kernels. */
void dm_fvec_sort_unique(dm_fvec *f);
/* dm_features_hostility (target NULL) or dm_features_stance for a dot
 * product only (a linear model's score): the entries as they were made, not
 * merged or sorted, so an index may occur more than once (a hash collision
 * between two families, a value of 0). A dot product adds them up the same,
 * but for rounding: Σ w x1 + w x2 against w (x1 + x2), the last bits of a
 * decision value. The scorer (src/model/score.c) uses it for liblinear;
 * explanations and libsvm's kernels need the merged, sorted vector. */
dm_status dm_fz_features_for_dot(const dm_featurizer *fz, const dm_feature_input *in,
                                  const dm_feature_target *target, dm_fvec *out,
                                  dm_error *err);
static inline dm_status dm_fz_named(dm_featurizer *fz, dm_fvec *out, int nf, double value)
{
    if (value == 0)
        return DM_OK;
    return dm_fvec_push(out, fz->named_base + nf, value);
}

/* Word n-grams of `toks` into the current family (sc.fam). */
dm_status dm_fz_word_ngrams(dm_featurizer *fz, const dm_ftok *toks, size_t n,
                            const char *prefix, int nmax,
                            bool only_with_placeholder);
/* Character n-grams of the word tokens (prefix "c:"), into the family. */
dm_status dm_fz_char_ngrams(dm_featurizer *fz);

/* Longest entry starting at current token i having a flag of `want`; its
 * token count in *ntok; NULL if none. */
const dm_lex_entry *dm_fz_longest_match(dm_featurizer *fz, size_t i,
                                        unsigned want, int *ntok);
/* Lexicon matching over the current tokens, filling sc.hits. */
dm_status dm_fz_match_lexicon(dm_featurizer *fz, int *n_negators,
                              int *n_intensified, int *n_downtoned);
/* Valence of every current token into sc.valence (0: none, actors' names
 * none), negated by a negator within 3 tokens before it in its clause
 * (x -0.74, as VADER does); sums into "sent:pos" / "sent:neg". */
dm_status dm_fz_sentiment(dm_featurizer *fz, dm_fvec *out);
/* Implicit criticism and blame features ("impl:", "blame:") over the
 * current statement tokens, their hits and actor placeholders ('A'). */
/* Finds the implicit.tsv phrases of the current tokens into sc.impl, once
 * for the passes of dm_fz_blame and dm_fz_implicit (after the actor marks,
 * before both; the passes change no match: they mark agents 'a', not 'A'). */
dm_status dm_fz_find_implicit(dm_featurizer *fz);
/* Sets hits[].blame (after dm_fz_match_lexicon and dm_fz_clauses, before
 * the lexicon block, which leaves the blame-free hits out). */
void dm_fz_blame(dm_featurizer *fz);
dm_status dm_fz_implicit(dm_featurizer *fz, dm_fvec *out);
/* "prev:" features of in->previous (tokenises it: call last). */
dm_status dm_fz_previous(dm_featurizer *fz, const dm_feature_input *in,
                         dm_fvec *out, dm_error *err);
/* Inflections of a lexicon lemma by the rule table of inflect.c: `classes`
 * holds letters v (verb), n (noun plural), a (adjective -er/-est), e
 * (agent noun -er/-ers). Writes up to max_forms distinct forms other than
 * the lemma, returns their count. */
#define DM_INFLECT_MAX 128
int dm_inflect(const char *lemma, const char *classes,
               char forms[][DM_INFLECT_MAX], int max_forms);
/* Clause number of every current token into sc.clause_of. */
dm_status dm_fz_clauses(dm_featurizer *fz);
/* Count of reported-speech markers in the current tokens. */
int dm_fz_reported_speech(const dm_featurizer *fz);
/* Whether a token of these folded bytes may start a reported-speech marker
 * or an accusation (tokenize_into sets dm_ftok.report_start with it; a
 * false yes only costs dm_fz_reported_speech a look). */
bool dm_fz_report_start(const char *s, size_t len);
/* Builds what dm_fz_report_start reads: call once before (thread-safe). */
void dm_fz_report_ready(void);
/* sc.ttoks := the current tokens with each run of actor-mention tokens
 * collapsed into one "<A>" (the "w:" n-grams' view: names weigh nothing). */
dm_status dm_fz_mask_actors(dm_featurizer *fz, const dm_feature_input *in);
/* Topic targets (topics.c): the actor codes of <dir>/actors.tsv, folded
 * into the lexicon checksum; whether a target is a topic (no span, not an
 * actor code); its conjoined "tc:<TOPIC>|<word>" family and "tgt:" bias. */
dm_status dm_fz_load_actor_codes(dm_featurizer *fz, const char *dir, dm_error *err);
void dm_fz_free_actor_codes(dm_featurizer *fz);
bool dm_fz_is_topic(const dm_featurizer *fz, const dm_feature_target *target);
dm_status dm_fz_topic_features(dm_featurizer *fz, const char *topic, dm_fvec *out);
/* Stance features of `target` over the current (statement) tokens and hits. */
dm_status dm_fz_target_features(dm_featurizer *fz, const dm_feature_input *in,
                                const dm_feature_target *target, dm_fvec *out);
/* One hashed indicator "<prefix><a><sep><b>" of value 1, flushed to `out`. */
dm_status dm_fz_indicator(dm_featurizer *fz, dm_fvec *out, const char *prefix,
                          const char *a, const char *sep, const char *b);
/* Cue category of a folded cue string: NF_CUE_NEUTRAL .. NF_CUE_OTHER. */
int dm_fz_cue_category(const char *folded_token);

/* Index of a feature by its readable name: a named feature ("host:threat",
 * "target:implicit") or a hashed string ("w:not acceptable", "pair:USA>RUS"),
 * in the index space of the task featurised last (hostility before any call).
 * Returns 0 for NULL arguments. For the tests. */
int dm_featurizer_feature_index(const dm_featurizer *fz, const char *name);

/* ---- Featurizer internals used by the model module and tests ---- */

/* n = 0, storage kept. */
void dm_fvec_clear(dm_fvec *f);
/* Value at `index` (binary search), 0 if absent. */
double dm_fvec_get(const dm_fvec *f, int index);

/* A featurizer for another thread (dm_scorer's): the same settings,
 * lexicons and actor codes as `fz` (shared, read-only: `fz` must outlive
 * the clone) and scratch buffers of its own, so that it gives the same
 * features as `fz` while `fz` or other clones work in other threads. It has
 * an explain map of its own when `fz` has explain on. Released with
 * dm_featurizer_destroy. */
dm_status dm_featurizer_clone(const dm_featurizer *fz, dm_featurizer **out,
                              dm_error *err);

/* Checksum of the lexicon files the featurizer loaded, for the model
 * manifest: FNV-1a 64 (offset basis 0xcbf29ce484222325, prime
 * 0x100000001b3) over, for each file in the order hostility.tsv,
 * cordiality.tsv, negators.tsv, intensifiers.tsv, hedges.tsv, sentiment.tsv,
 * implicit.tsv: its base name,
 * a NUL byte, its bytes, a NUL byte; then, when <lexicons>/actors.tsv
 * has codes, FNV-1a 64 of that hex string and a NUL, "actor codes" and a
 * NUL, and each sorted unique code and a NUL (which labels are topics is
 * part of the model). 16 lowercase hex digits. Borrowed. */
const char *dm_featurizer_lexicon_checksum(const dm_featurizer *fz);
const dm_feature_settings *dm_featurizer_settings(const dm_featurizer *fz);

/* A readable name for a feature index seen in the last calls on this
 * featurizer ("w:not acceptable", "host:condemnation", "pair:USA>RUS"), for
 * --explain; indices are those of the task featurised last (hostility before
 * any call); NULL if unknown (hashed indices need dm_featurizer_set_explain
 * on). Borrowed until the next dm_features_* call. */
const char *dm_featurizer_feature_name(const dm_featurizer *fz, int index);

/* Whether the clause of token `tok` names an actor (placeholder 'A', or an
 * agent marked 'a'), for the implicit.c passes. `memo` (zeroed before a
 * pass) keeps the last clause's answer, so that a pass asking in text
 * order reads each token once; sc.clause_steps counts the tokens read. */
typedef struct dm_clause_memo { bool valid, has; int clause; } dm_clause_memo;
bool dm_fz_clause_has_actor(dm_scratch *sc, size_t tok, dm_clause_memo *memo);

/* Can dm_fz_longest_match(fz, i, want, ...) find anything at token t? Not
 * when t's word is in no lexicon, nor when its entry has no flag of `want`
 * and starts no longer phrase: the match stops there with NULL. The loops
 * over every token test this inline and call only where it holds (the
 * calls, at every token of the statement and the previous sentence, were
 * 2% of demarche-score --statements). */
static inline bool dm_fz_may_match(const dm_ftok *t, unsigned want)
{
    return t->lexflags & (want | LEX_PREFIX); /* 0 without an entry */
}

#endif
