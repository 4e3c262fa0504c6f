/* Per-thread cache of ICU break iterators.
 *
 * Opening a break iterator costs far more than segmenting one sentence, and
 * dm_tokenize() is called once per sentence, so each thread opens its
 * iterators once and reuses them. They live in thread-local storage (reachable
 * for LeakSanitizer while the thread lives) and a pthread key destructor closes
 * them when a thread exits; dm_text_thread_cleanup() closes them on demand. */
#include "text/text_internal.h"

#include "core/bytes_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <unicode/uloc.h>

typedef struct break_cache {
    UBreakIterator *sentence;
    UBreakIterator *word;
    UText *sentence_text;
    UText *word_text;
    UChar *sentence_wide;   /* ASCII texts widened to UTF-16 (set_text) */
    UChar *word_wide;
    int32_t sentence_wide_cap, word_wide_cap;
    bool registered;        /* the thread-exit destructor knows about us */
} break_cache;

static _Thread_local break_cache tls_cache;
static pthread_key_t cache_key;
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;
static bool cache_key_ok;

static void close_cache(break_cache *cache)
{
    if (cache->sentence)
        ubrk_close(cache->sentence);
    if (cache->word)
        ubrk_close(cache->word);
    if (cache->sentence_text)
        utext_close(cache->sentence_text);
    if (cache->word_text)
        utext_close(cache->word_text);
    free(cache->sentence_wide);
    free(cache->word_wide);
    cache->sentence = cache->word = NULL;
    cache->sentence_text = cache->word_text = NULL;
    cache->sentence_wide = cache->word_wide = NULL;
    cache->sentence_wide_cap = cache->word_wide_cap = 0;
}

static void destroy_at_thread_exit(void *value)
{
    close_cache((break_cache *)value);
}

static void create_key(void)
{
    cache_key_ok = pthread_key_create(&cache_key, destroy_at_thread_exit) == 0;
}

static void register_thread(break_cache *cache)
{
    if (cache->registered)
        return;
    pthread_once(&cache_key_once, create_key);
    if (cache_key_ok)
        pthread_setspecific(cache_key, cache);
    cache->registered = true;
}

void dm_text_thread_cleanup(void)
{
    close_cache(&tls_cache);
}

static bool ascii_only(const char *s, size_t len)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        if (dm_bytes_load8(s + i) & DM_BYTES_HIGH)
            return false;
    for (; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Plain ASCII widened to UTF-16 in the thread's buffer `*wide`, the same
 * offsets (a unit a byte); false when it is not ASCII or no room. */
static bool widen_ascii(const char *utf8, size_t len, UChar **wide, int32_t *cap)
{
    if (len > INT32_MAX || !ascii_only(utf8, len))
        return false;
    if ((int32_t)len > *cap || !*wide) {
        int32_t n = (int32_t)len < 256 ? 256 : (int32_t)len;
        UChar *grown = realloc(*wide, (size_t)n * sizeof *grown);
        if (!grown)
            return false;
        *wide = grown;
        *cap = n;
    }
    for (size_t i = 0; i < len; i++)
        (*wide)[i] = (UChar)(unsigned char)utf8[i];
    return true;
}

/* Point `bi` at the UTF-8 text. Plain ASCII goes as UTF-16, whose
 * boundaries are the same byte offsets: ICU's rules walk UTF-16 text
 * directly, where over UTF-8 each character comes through UText's
 * conversion (about 4% of demarche-score --statements). Other text goes
 * through the cached UText `*ut` (reopening a UText in place reuses its
 * memory). */
static UBreakIterator *set_text(UBreakIterator *bi, UText **ut, UChar **wide,
                                int32_t *wide_cap, const char *utf8,
                                size_t len, UErrorCode *status)
{
    if (widen_ascii(utf8, len, wide, wide_cap)) {
        ubrk_setText(bi, *wide, (int32_t)len, status);
        return U_FAILURE(*status) ? NULL : bi;
    }
    UText *opened = utext_openUTF8(*ut, utf8, (int64_t)len, status);
    if (U_FAILURE(*status))
        return NULL;
    *ut = opened;
    ubrk_setUText(bi, opened, status);
    return U_FAILURE(*status) ? NULL : bi;
}

UBreakIterator *dm_text_sentence_iterator(const char *utf8, size_t len,
                                          UErrorCode *status)
{
    break_cache *cache = &tls_cache;
    if (!cache->sentence) {
        register_thread(cache);
        /* ss=standard: ICU's own list of English abbreviations after which
         * no sentence ends. */
        cache->sentence = ubrk_open(UBRK_SENTENCE, "en@ss=standard", NULL, 0,
                                    status);
        if (U_FAILURE(*status)) {
            cache->sentence = NULL;
            return NULL;
        }
    }
    return set_text(cache->sentence, &cache->sentence_text, &cache->sentence_wide,
                    &cache->sentence_wide_cap, utf8, len, status);
}

UBreakIterator *dm_text_word_iterator(const char *utf8, size_t len,
                                      UErrorCode *status)
{
    break_cache *cache = &tls_cache;
    if (!cache->word) {
        register_thread(cache);
        cache->word = ubrk_open(UBRK_WORD, "en", NULL, 0, status);
        if (U_FAILURE(*status)) {
            cache->word = NULL;
            return NULL;
        }
    }
    return set_text(cache->word, &cache->word_text, &cache->word_wide,
                    &cache->word_wide_cap, utf8, len, status);
}
