/* The common JSON Lines record, parsed with yajl's streaming parser.
 *
 * jansson builds a tree of objects for every record and was 15% of
 * demarche-score --statements; most records are one flat object of
 * strings. Those are read here with yajl's callbacks, straight into the
 * record. Everything else is left to the jansson reader in record.c, which
 * stays the one definition of what a record means and of every message:
 * nested values ("targets", a "source" object), reals and booleans, a
 * missing or non-string "text", a key given twice, and every input on
 * which the two parsers could disagree. yajl is more lenient than jansson
 * in a few places, all caught before parsing (see simple_bytes):
 *   - \v and \f count as whitespace;
 *   - UTF-8 is checked for its shape only (overlong forms and surrogates
 *     pass), where jansson refuses them and record.c repairs the line;
 *   - \u escapes of lone surrogates become '?' or surrogate bytes, and
 *     \u0000 a NUL inside a string; jansson refuses both.
 * tests/unit/test_input.c compares the two readers on every line of the
 * fuzz corpus and on lines built to hit each of these cases. */
#include "io/record_internal.h"
#include "core/bytes_internal.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>
#include <yajl/yajl_parse.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define MAX_KEYS 32
#define KEY_BYTES 1024

/* The fields of a record a string may go to, in record.c's order (their
 * keys: field_of); F_NONE before the record's first key and after its '}',
 * where no value may come (the kept handle reads values one after the
 * other: yajl_allow_multiple_values). */
enum { F_TEXT, F_ID, F_DATE, F_TITLE, F_SOURCE, F_SPEAKER, F_SPEAKER_ACTOR, F_YEAR,
       F_TARGETS, F_OTHER, F_NONE };

typedef struct simple {
    int depth;              /* 1 inside the record's object */
    bool closed;            /* its '}' was seen */
    yajl_handle h;
    size_t end;             /* bytes up to that '}' */
    int field;              /* the field of the current key */
    unsigned seen;          /* the fields whose key came (1 << field) */
    /* The fields' values, NUL-terminated, one after the other in the
     * record's pool (reused from line to line: no malloc and free a field
     * and a line), as offsets while the pool may still move. */
    char *pool;
    size_t pool_cap, pool_used;
    size_t at[F_TARGETS];   /* offset + 1 of the field's value (0: absent or null) */
    size_t text_len;
    size_t n_keys, key_used;
    /* The keys of no field seen, for JSON_REJECT_DUPLICATES: each written
     * before it is read, so left unset at the start of a line. */
    size_t key_at[MAX_KEYS], key_len[MAX_KEYS];
    char keys[KEY_BYTES];
} simple;
/* dm_record_parse_simple zeroes a line's state up to key_at: the keys
 * must come last. */
_Static_assert(offsetof(simple, keys) + KEY_BYTES == sizeof(simple), "keys last");
_Static_assert(offsetof(simple, key_len) + sizeof(size_t[MAX_KEYS]) == offsetof(simple, keys),
               "key arrays last");

/* One byte on which yajl and jansson could disagree (see the top). */
static bool refused_byte(const char *s, size_t i, size_t len)
{
    unsigned char c = (unsigned char)s[i];
    if (c == 0 || c == '\v' || c == '\f')
        return true;
    /* \uD800-\uDFFF (with \uD000-\uD7FF, rare enough) and \u0000:
     * jansson's rules. An escaped backslash before 'u' lands here too:
     * harmless, jansson reads the line then. */
    return c == '\\' && i + 2 < len && s[i + 1] == 'u' &&
           (s[i + 2] == 'd' || s[i + 2] == 'D' ||
            (i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0));
}

/* Bytes on which yajl and jansson could disagree (see the top), and UTF-8
 * that is not well-formed (ICU's U8_NEXT: yajl's handle does not check it
 * again, yajl_dont_validate_strings). */
static bool simple_bytes(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        /* Whole words of plain ASCII with none of refused_byte's bytes
         * (most of a news line) skip the byte loop, which was 2% of
         * demarche-score --statements. */
#ifdef __SSE2__
        /* sixteen at a time first (SSE2, which every x86-64 has): a
         * quarter of the instructions of the words below */
        while (i + 16 <= len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i odd = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\v')),
                             _mm_cmpeq_epi8(v, _mm_set1_epi8('\f'))));
            if (_mm_movemask_epi8(_mm_or_si128(odd, v))) /* v's own top bits: >= 0x80 */
                break;
            i += 16;
        }
#endif
        while (i + 8 <= len) {
            uint64_t v = dm_bytes_load8(s + i);
            if ((v & DM_BYTES_HIGH) | dm_bytes_has_zero(v) | dm_bytes_has(v, '\\') |
                dm_bytes_has(v, '\v') | dm_bytes_has(v, '\f'))
                break;
            i += 8;
        }
        /* Up to eight bytes one by one; a character of more than one byte
         * is checked where it starts (UTF-8 synchronises itself: one
         * pass from the line's start would meet the same ones), in one
         * step. */
        for (size_t stop = i + 8 < len ? i + 8 : len; i < stop;) {
            if ((unsigned char)s[i] < 0x80) {
                if (refused_byte(s, i, len))
                    return false;
                i++;
                continue;
            }
            if (len > INT32_MAX)
                return false;
            UChar32 c;
            U8_NEXT(s, i, len, c);
            if (c < 0)
                return false;
        }
    }
    return true;
}

static int on_start_map(void *ctx)
{
    simple *p = ctx;
    return p->depth++ == 0 && !p->closed; /* a nested object: jansson's */
}

static int on_end_map(void *ctx)
{
    simple *p = ctx;
    p->depth--;
    p->closed = true;
    p->field = F_NONE;
    p->end = yajl_get_bytes_consumed(p->h);
    return 1;
}

/* The field a key names (F_OTHER: none), by its length first: every key
 * of every line comes here. */
static int field_of(const unsigned char *key, size_t len)
{
#define IS(name) (memcmp(key, name, sizeof name - 1) == 0)
    switch (len) {
    case 2: return IS("id") ? F_ID : F_OTHER;
    case 4: return IS("text") ? F_TEXT : IS("date") ? F_DATE : IS("year") ? F_YEAR : F_OTHER;
    case 5: return IS("title") ? F_TITLE : F_OTHER;
    case 6: return IS("source") ? F_SOURCE : F_OTHER;
    case 7: return IS("speaker") ? F_SPEAKER : IS("targets") ? F_TARGETS : F_OTHER;
    case 13: return IS("speaker_actor") ? F_SPEAKER_ACTOR : F_OTHER;
    default: return F_OTHER;
    }
#undef IS
}

static int on_key(void *ctx, const unsigned char *key, size_t len)
{
    simple *p = ctx;
    int f = p->field = field_of(key, len);
    if (f != F_OTHER) {
        if (p->seen & 1u << f)
            return 0; /* a key twice: jansson's message */
        p->seen |= 1u << f;
        return 1;
    }
    /* Other keys: kept to be compared with the other keys of no field. */
    if (p->n_keys == MAX_KEYS || KEY_BYTES - p->key_used < len)
        return 0;
    for (size_t k = 0; k < p->n_keys; k++)
        if (p->key_len[k] == len && memcmp(p->keys + p->key_at[k], key, len) == 0)
            return 0; /* a key twice: jansson's message */
    memcpy(p->keys + p->key_used, key, len);
    p->key_at[p->n_keys] = p->key_used;
    p->key_len[p->n_keys++] = len;
    p->key_used += len;
    return 1;
}

/* Room for `more` bytes in the pool. */
static bool pool_room(simple *p, size_t more)
{
    if (p->pool_cap - p->pool_used >= more)
        return true;
    if (more > SIZE_MAX / 2 - p->pool_used)
        return false;
    size_t cap = p->pool_cap ? p->pool_cap : 256;
    while (cap - p->pool_used < more)
        cap *= 2;
    char *q = realloc(p->pool, cap);
    if (!q)
        return false;
    p->pool = q;
    p->pool_cap = cap;
    return true;
}

/* Put s, NUL-terminated, into the pool; its offset + 1 into *at. */
static bool pool_put(simple *p, const char *s, size_t len, size_t *at)
{
    if (len == SIZE_MAX || !pool_room(p, len + 1))
        return false;
    memcpy(p->pool + p->pool_used, s, len);
    p->pool[p->pool_used + len] = '\0';
    *at = p->pool_used + 1;
    p->pool_used += len + 1;
    return true;
}

static int take(simple *p, const char *s, size_t len)
{
    /* targets other than null: jansson's; a value outside the record:
     * refused */
    if (p->field >= F_TARGETS)
        return p->field == F_OTHER;
    if (!pool_put(p, s, len, &p->at[p->field]))
        return 0;
    if (p->field == F_TEXT)
        p->text_len = len;
    return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    return take(ctx, (const char *)s, len);
}

static int on_integer(void *ctx, long long v)
{
    simple *p = ctx;
    if (p->field == F_TEXT || p->field == F_SPEAKER_ACTOR)
        return 0; /* must be a string: jansson's message */
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, (json_int_t)v);
    return take(p, buf, (size_t)n);
}

static int on_null(void *ctx)
{
    simple *p = ctx;
    /* null "text": jansson's message; null outside the record: refused */
    return p->field != F_TEXT && p->field != F_NONE;
}

static int refuse(void *ctx)
{
    (void)ctx;
    return 0;
}

static int refuse_bool(void *ctx, int b)
{
    (void)ctx; (void)b;
    return 0;
}

static int refuse_double(void *ctx, double d)
{
    (void)ctx; (void)d;
    return 0;
}

static const yajl_callbacks CALLBACKS = {
    .yajl_null = on_null,
    .yajl_boolean = refuse_bool,
    .yajl_integer = on_integer,
    .yajl_double = refuse_double,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_key,
    .yajl_end_map = on_end_map,
    .yajl_start_array = refuse,
    .yajl_end_array = refuse,
};

/* yajl's memory for one handle: its handle, lexer, state stack and
 * string buffers (five mallocs, a realloc and six frees a handle) come
 * from a block kept with the handle (struct kept), given out front to
 * back; whatever does not fit goes to the heap. Freeing a piece of the
 * block does nothing: the block goes with the handle. Each piece has its
 * size in the 16 bytes before it, for realloc. */
#define ARENA_BYTES 4096
#define ARENA_HEAD 16
typedef struct arena {
    size_t used;
    bool spilled;           /* a piece went to the heap */
    _Alignas(16) unsigned char mem[ARENA_BYTES];
} arena;

static bool in_arena(const arena *a, const void *ptr)
{
    const unsigned char *q = ptr;
    return q >= a->mem && q < a->mem + ARENA_BYTES;
}

static void *arena_malloc(void *ctx, size_t size)
{
    arena *a = ctx;
    size_t need = ARENA_HEAD + ((size + 15) & ~(size_t)15);
    if (size > ARENA_BYTES || need > ARENA_BYTES - a->used) {
        a->spilled = true;
        return malloc(size ? size : 1);
    }
    unsigned char *block = a->mem + a->used;
    memcpy(block, &size, sizeof size);
    a->used += need;
    return block + ARENA_HEAD;
}

static void *arena_realloc(void *ctx, void *ptr, size_t size)
{
    arena *a = ctx;
    if (!ptr)
        return arena_malloc(ctx, size);
    if (!in_arena(a, ptr))
        return realloc(ptr, size);
    size_t old;
    memcpy(&old, (unsigned char *)ptr - ARENA_HEAD, sizeof old);
    if (size <= old)
        return ptr;
    void *q = arena_malloc(ctx, size);
    if (q)
        memcpy(q, ptr, old);
    return q;
}

static void arena_free(void *ctx, void *ptr)
{
    if (ptr && !in_arena(ctx, ptr))
        free(ptr);
}

/* The parser a record keeps from line to line (dm_record.parser_): yajl's
 * handle, its memory (the block the handle's pieces come from) and the
 * callbacks' state. A handle that read a record to its '}' with only white
 * space after it is at the end of a value, its lexer holding nothing: with
 * yajl_allow_multiple_values it reads the next line's object as it read
 * the first (yajl 2.1 has no yajl_reset; yajl_alloc, its lexer's and
 * yajl_complete_parse were 0.8% of demarche-score --statements). Any
 * other handle is dropped and the next line gets a new one. */
typedef struct kept {
    yajl_handle h;          /* NULL: none (the next line allocates one) */
    arena mem;
    simple p;
} kept;

/* Drop k's handle (its pieces on the heap; those in k->mem go with it). */
static void drop_handle(kept *k)
{
    if (k->h && k->mem.spilled)
        yajl_free(k->h);
    k->h = NULL;
}

void dm_record_simple_free(void *parser)
{
    kept *k = parser;
    if (!k)
        return;
    drop_handle(k);
    free(k);
}

/* The record's handle, allocated when it has none (NULL: out of memory). */
static kept *kept_handle(dm_record *out)
{
    kept *k = out->parser_;
    if (!k) {
        k = malloc(sizeof *k);
        if (!k)
            return NULL;
        k->h = NULL;
        out->parser_ = k;
    }
    if (!k->h) {
        k->mem.used = 0;
        k->mem.spilled = false;
        yajl_alloc_funcs funcs = {arena_malloc, arena_realloc, arena_free, &k->mem};
        k->h = yajl_alloc(&CALLBACKS, &funcs, &k->p);
        if (!k->h)
            return NULL;
        /* simple_bytes has checked the line's UTF-8 (with ICU, more
         * strictly than yajl): yajl need not check its strings again. */
        yajl_config(k->h, yajl_dont_validate_strings, 1);
        yajl_config(k->h, yajl_allow_multiple_values, 1);
    }
    return k;
}

bool dm_record_parse_simple(const char *json, size_t len, const char *where, long line,
                            dm_record *out)
{
    if (!simple_bytes(json, len))
        return false;
    kept *k = kept_handle(out);
    if (!k)
        return false; /* out of memory: jansson's reader says so */
    /* Everything zero but the keys (written before they are read). */
    simple *p = &k->p;
    memset(p, 0, offsetof(simple, key_at));
    yajl_handle h = p->h = k->h;
    p->field = F_NONE;
    p->pool = out->pool_;
    p->pool_cap = out->pool_cap_;
    /* No yajl_complete_parse: the record's '}' (p->closed) with only white
     * space after it (below) is a value yajl has finished. */
    bool ok = yajl_parse(h, (const unsigned char *)json, len) == yajl_status_ok &&
              p->closed && p->at[F_TEXT];
    /* yajl lets an unfinished token after the value pass ('{...} "'):
     * only jansson's whitespace may follow. */
    for (size_t i = p->end; ok && i < len; i++)
        ok = json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r';
    if (ok && !p->at[F_ID]) {
        char buf[DM_ERROR_WHERE_MAX + 32];
        int n = snprintf(buf, sizeof buf, "%s:%ld", where ? where : "", line);
        ok = n >= 0 && pool_put(p, buf, strlen(buf), &p->at[F_ID]);
    }
    /* The pool stays the record's (grown or not), whatever came of it. */
    out->pool_ = p->pool;
    out->pool_cap_ = p->pool_cap;
    if (!ok) { /* out of memory too: jansson's reader says so */
        drop_handle(k);
        return false;
    }
    char *value[F_TARGETS];
    for (int f = 0; f < F_TARGETS; f++)
        value[f] = p->at[f] ? p->pool + p->at[f] - 1 : NULL;
    /* Speech collections often give only a year (also beside an empty
     * "date", which is no date: dm_date_given). */
    if (!dm_date_given(value[F_DATE]) && value[F_YEAR])
        value[F_DATE] = value[F_YEAR];
    out->pooled_ = true;
    out->text = value[F_TEXT];
    out->text_len = p->text_len;
    out->id = value[F_ID];
    out->date = value[F_DATE];
    out->title = value[F_TITLE];
    out->source = value[F_SOURCE];
    out->speaker = value[F_SPEAKER];
    out->speaker_actor = value[F_SPEAKER_ACTOR];
    return true;
}
