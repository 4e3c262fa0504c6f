/* Per-thread cache of ICU break iterators.
 *
 * Opening a break iterator costs far more than segmenting one sentence, and
 * dm_tokenize() is called once per sentence, so each thread opens its
 * iterators once and reuses them. They live in thread-local storage (reachable
 * for LeakSanitizer while the thread lives) and a pthread key destructor closes
 * them when a thread exits; dm_text_thread_cleanup() closes them on demand. */
#include "text/text_internal.h"

#include <pthread.h>
#include <unicode/uloc.h>

typedef struct break_cache {
    UBreakIterator *sentence;
    UBreakIterator *word;
    UText *sentence_text;
    UText *word_text;
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
    cache->sentence = cache->word = NULL;
    cache->sentence_text = cache->word_text = NULL;
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

/* Point `bi` at the UTF-8 text through the cached UText `*ut` (reopening a
 * UText in place reuses its memory). */
static UBreakIterator *set_text(UBreakIterator *bi, UText **ut,
                                const char *utf8, size_t len,
                                UErrorCode *status)
{
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
    return set_text(cache->sentence, &cache->sentence_text, utf8, len, status);
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
    return set_text(cache->word, &cache->word_text, utf8, len, status);
}
