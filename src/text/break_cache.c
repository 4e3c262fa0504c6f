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
#include <string.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/uloc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A text as UTF-16 for ICU, with the byte offset of each unit. */
typedef struct wide_text {
    UChar *u;
    int32_t *map_buf;
    const int32_t *map;     /* map_buf, or NULL for ASCII (a unit a byte) */
    int32_t len, cap, map_cap;
} wide_text;

typedef struct break_cache {
    UBreakIterator *sentence;
    UBreakIterator *word;
    UText *sentence_text;
    UText *word_text;
    wide_text sentence_wide; /* the texts as UTF-16 (set_text) */
    wide_text word_wide;
    bool registered;        /* the thread-exit destructor knows about us */
    dm_text *kept_text;     /* dm_text_thread_keep_internal's */
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
    wide_text *w[] = {&cache->sentence_wide, &cache->word_wide};
    for (int k = 0; k < 2; k++) {
        free(w[k]->u);
        free(w[k]->map_buf);
        memset(w[k], 0, sizeof *w[k]);
    }
    cache->sentence = cache->word = NULL;
    cache->sentence_text = cache->word_text = NULL;
    dm_text_destroy(&cache->kept_text);
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

dm_text *dm_text_thread_take_internal(void)
{
    dm_text *t = tls_cache.kept_text;
    tls_cache.kept_text = NULL;
    return t;
}

void dm_text_thread_keep_internal(dm_text **text)
{
    dm_text *t = *text;
    *text = NULL;
    if (!t)
        return;
    if (tls_cache.kept_text || t->original_cap > DM_TEXT_KEEP_MAX ||
        t->map_cap > 2 * DM_TEXT_KEEP_MAX) {
        dm_text_destroy(&t);
        return;
    }
    register_thread(&tls_cache);
    tls_cache.kept_text = t;
}

static bool reserve(void **p, int32_t *cap, int32_t need, size_t elem)
{
    if (*p && need <= *cap)
        return true;
    int32_t n = need < 256 ? 256 : need;
    void *grown = realloc(*p, (size_t)n * elem);
    if (!grown)
        return false;
    *p = grown;
    *cap = n;
    return true;
}

/* The text as UTF-16 in the thread's buffer: plain ASCII a unit a byte
 * (w->map NULL), other well-formed UTF-8 with the byte offset of each unit
 * (and of the end) in w->map, decoded by ICU's U8_NEXT. False for
 * ill-formed UTF-8 (UText's own replacement rules decide its boundaries
 * then) or when out of memory. */
static bool widen(const char *utf8, size_t len, wide_text *w)
{
    if (len >= INT32_MAX)
        return false;
    int32_t n = (int32_t)len;
    /* a UTF-8 sequence never gives more UTF-16 units than it has bytes */
    if (!reserve((void **)&w->u, &w->cap, n, sizeof *w->u))
        return false;
    w->len = n;
    if (dm_bytes_ascii(utf8, len)) {
        int32_t i = 0;
#ifdef __SSE2__
        for (; i + 16 <= n; i += 16) {
            __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(utf8 + i));
            __m128i zero = _mm_setzero_si128();
            _mm_storeu_si128((__m128i *)(void *)(w->u + i), _mm_unpacklo_epi8(b, zero));
            _mm_storeu_si128((__m128i *)(void *)(w->u + i + 8), _mm_unpackhi_epi8(b, zero));
        }
#endif
        for (; i < n; i++)
            w->u[i] = (UChar)(unsigned char)utf8[i];
        w->map = NULL;
        return true;
    }
    if (!reserve((void **)&w->map_buf, &w->map_cap, n + 1, sizeof *w->map_buf))
        return false;
    w->map = w->map_buf;
    int32_t units = 0;
    for (int32_t i = 0; i < n;) {
#ifdef __SSE2__
        /* sixteen ASCII bytes at once: each a unit of its own value, at
         * offsets i .. i + 15 (SSE2, which every x86-64 has: the units by
         * two unpacks, the offsets by four additions) */
        if (i + 16 <= n) {
            __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(utf8 + i));
            if (!_mm_movemask_epi8(b)) {
                __m128i zero = _mm_setzero_si128();
                _mm_storeu_si128((__m128i *)(void *)(w->u + units), _mm_unpacklo_epi8(b, zero));
                _mm_storeu_si128((__m128i *)(void *)(w->u + units + 8), _mm_unpackhi_epi8(b, zero));
                __m128i at = _mm_add_epi32(_mm_set1_epi32(i), _mm_setr_epi32(0, 1, 2, 3));
                __m128i four = _mm_set1_epi32(4);
                for (int k = 0; k < 4; k++) {
                    _mm_storeu_si128((__m128i *)(void *)(w->map_buf + units + 4 * k), at);
                    at = _mm_add_epi32(at, four);
                }
                units += 16;
                i += 16;
                continue;
            }
        }
#endif
        /* eight ASCII bytes at once: each a unit of its own value */
        if (i + 8 <= n && !(dm_bytes_load8(utf8 + i) & DM_BYTES_HIGH)) {
            for (int32_t k = 0; k < 8; k++) {
                w->map_buf[units + k] = i + k;
                w->u[units + k] = (UChar)(unsigned char)utf8[i + k];
            }
            units += 8;
            i += 8;
            continue;
        }
        int32_t start = i;
        UChar32 c;
        U8_NEXT(utf8, i, n, c);
        if (c < 0)
            return false;
        w->map_buf[units] = start;
        if (U_IS_BMP(c)) {
            w->u[units++] = (UChar)c;
        } else {
            w->u[units] = U16_LEAD(c);
            w->u[units + 1] = U16_TRAIL(c);
            w->map_buf[units + 1] = start; /* never a boundary: inside a pair */
            units += 2;
        }
    }
    w->map_buf[units] = n;
    w->len = units;
    return true;
}

/* Point `bi` at the UTF-8 text. Well-formed text goes as UTF-16 (`*map`
 * gives each boundary's byte offset; NULL: the boundaries are byte
 * offsets): ICU's rules walk UTF-16 text directly, where over UTF-8 each
 * character comes through UText's conversion (about 4% of demarche-score
 * --statements). Ill-formed text goes through the cached UText `*ut`
 * (reopening a UText in place reuses its memory). */
static UBreakIterator *set_text(UBreakIterator *bi, UText **ut, wide_text *w,
                                const char *utf8, size_t len,
                                const int32_t **map, UErrorCode *status)
{
    *map = NULL;
    if (widen(utf8, len, w)) {
        *map = w->map;
        ubrk_setText(bi, w->u, w->len, status);
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
                                          const int32_t **map, UErrorCode *status)
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
                    utf8, len, map, status);
}

UBreakIterator *dm_text_word_iterator(const char *utf8, size_t len,
                                      const int32_t **map, UErrorCode *status)
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
                    utf8, len, map, status);
}
