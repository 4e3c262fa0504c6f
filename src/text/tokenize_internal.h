/* The token builder of tokenize.c, shared with its plain ASCII path
 * (tokenize_ascii.c) only. */
#ifndef DEMARCHE_TOKENIZE_INTERNAL_H
#define DEMARCHE_TOKENIZE_INTERNAL_H

#include "text/text_internal.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unicode/ubrk.h>

/* Tokens and their folded strings (one pool; a token's `folded` holds its
 * offset in the pool until tokenize() makes it a pointer at the end). */
typedef struct token_builder {
    dm_token *v;
    size_t n, cap;
    char *pool;
    size_t pool_len, pool_cap;
    UChar *u16;                 /* scratch for non-ASCII folding */
    int32_t u16_cap;
    dm_status status;
    UErrorCode icu_status;
} token_builder;

/* Room for `extra` more bytes in the pool. */
static inline bool pool_reserve(token_builder *tb, size_t extra)
{
    if (tb->pool_len + extra <= tb->pool_cap)
        return true;
    size_t cap = tb->pool_cap * 2;
    if (cap < tb->pool_len + extra)
        cap = tb->pool_len + extra;
    char *pool = realloc(tb->pool, cap);
    if (!pool) {
        tb->status = DM_E_NOMEM;
        return false;
    }
    tb->pool = pool;
    tb->pool_cap = cap;
    return true;
}

/* Room for one more token. */
static inline bool token_room(token_builder *tb)
{
    if (tb->n < tb->cap)
        return true;
    size_t cap = tb->cap ? tb->cap * 2 : 32;
    dm_token *v = realloc(tb->v, cap * sizeof *v);
    if (!v) {
        tb->status = DM_E_NOMEM;
        return false;
    }
    tb->v = v;
    tb->cap = cap;
    return true;
}

/* The tokens of ICU's word segments (dm_text_word_iterator's, on this
 * thread's iterator) of utf8[base..): the iterator's offsets are base's. */
void dm_tokenize_icu_segments(UBreakIterator *bi, const int32_t *map, const char *utf8,
                              size_t base, token_builder *tb);

/* The tokens of a text: its plain ASCII without ICU, the chunks that ICU
 * must see (a byte beyond ASCII, a word that ICU may join) by ICU
 * (tokenize_ascii.c); tb->status tells a failure. */
void dm_tokenize_ascii(const char *s, size_t len, token_builder *tb);

#endif
