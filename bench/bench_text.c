/* Throughput of the text layer on synthetic news-like text.
 *
 * Generates about 20 MB of articles in memory from a fixed seed (no external
 * data), then times, per article, dm_text_create + dm_text_sentences +
 * dm_tokenize of every sentence: the work the pipeline does for each
 * document. Prints MB/s of original text and the peak RSS.
 *
 * Usage: bench_text [megabytes]   (default 20) */
#include "demarche/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t next_random(void)
{
    /* xorshift64*: reproducible across platforms, unlike rand(). */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static const char *pick(const char *const *list, size_t n)
{
    return list[next_random() % n];
}

#define PICK(list) pick(list, sizeof list / sizeof *list)

static const char *const subjects[] = {
    "The minister", "U.S. officials", "Gen. Smith", "Sen. Jones", "The envoy",
    "Mr. Lavrov", "The U.N. Security Council", "Britain\xE2\x80\x99s ambassador",
    "A spokesman for the ministry", "Dr. M\xC3\xBCller", "President Macron",
    "The E.U. delegation", "Officials in Beijing", "Gov. Stra\u00DFer",
};
static const char *const verbs[] = {
    "said", "warned", "told reporters", "declared", "insisted", "added",
    "stressed on Jan. 5", "noted at 10 a.m.", "argued",
};
static const char *const quotes[] = {
    "we will not accept this provocation",
    "the sanctions are illegal and counterproductive",
    "our partners must respect international law",
    "this is a grave violation of our sovereignty",
    "we welcome the agreement signed in Geneva",
    "the talks were constructive and frank",
    "any aggression will be met with a firm response",
};
static const char *const openers[] = {
    "\"", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xC2\xAB", "''", "\xE2\x80\x98",
};
static const char *const closers[] = {
    "\"", "\xE2\x80\x9D", "\xE2\x80\x9D", "\xC2\xBB", "''", "\xE2\x80\x99",
};
static const char *const fillers[] = {
    " ", " ", " ", "  ", "   ", "\xC2\xA0", " \xE2\x80\x8B",
};
static const char *const context[] = {
    "The talks in New York lasted 3 hours and ended without a deal.",
    "Tensions have risen since the incident on Nov. 12, 2023.",
    "The ministry did not respond to a request for comment.",
    "Trade between the two countries fell by 14.5 percent last year.",
    "The resolution, drafted by France, was vetoed by Russia.",
    "Critics called the move \xE2\x80\x9Creckless\xE2\x80\x9D and \xE2\x80\x98short-sighted.\xE2\x80\x99",
};

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        *cap = (*cap + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        if (!*buf) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
    memcpy(*buf + *len, s, n);
    *len += n;
}

/* One article of 6-20 paragraphs of quotes and context sentences. */
static void make_article(char **buf, size_t *len, size_t *cap)
{
    int paragraphs = 6 + (int)(next_random() % 15);
    for (int p = 0; p < paragraphs; p++) {
        int sentences = 1 + (int)(next_random() % 4);
        for (int s = 0; s < sentences; s++) {
            if (next_random() % 2) {
                size_t q = next_random() % (sizeof openers / sizeof *openers);
                append(buf, len, cap, openers[q]);
                const char *quote = PICK(quotes);
                char first[2] = {(char)(quote[0] - 32), 0};
                append(buf, len, cap, first);
                append(buf, len, cap, quote + 1);
                append(buf, len, cap, ",");
                append(buf, len, cap, closers[q]);
                append(buf, len, cap, PICK(fillers));
                append(buf, len, cap, PICK(subjects));
                append(buf, len, cap, " ");
                append(buf, len, cap, PICK(verbs));
                append(buf, len, cap, ".");
            } else {
                append(buf, len, cap, PICK(context));
            }
            append(buf, len, cap, PICK(fillers));
        }
        append(buf, len, cap, next_random() % 3 ? "\n\n" : "\r\n \r\n");
    }
}

static double seconds_now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double megabytes = argc > 1 ? atof(argv[1]) : 20.0;
    size_t target = (size_t)(megabytes * 1024 * 1024);
    char *corpus = NULL;
    size_t corpus_len = 0, corpus_cap = 0;
    size_t *starts = NULL, n_articles = 0, starts_cap = 0;
    while (corpus_len < target) {
        if (n_articles + 1 >= starts_cap) {
            starts_cap = starts_cap ? starts_cap * 2 : 1024;
            starts = realloc(starts, starts_cap * sizeof *starts);
            if (!starts)
                return 1;
        }
        starts[n_articles++] = corpus_len;
        make_article(&corpus, &corpus_len, &corpus_cap);
    }
    starts[n_articles] = corpus_len;

    size_t n_sentences = 0, n_tokens = 0;
    dm_error err;
    double t0 = seconds_now(CLOCK_MONOTONIC);
    double cpu0 = seconds_now(CLOCK_PROCESS_CPUTIME_ID);
    for (size_t a = 0; a < n_articles; a++) {
        dm_text *text = NULL;
        if (dm_text_create(corpus + starts[a], starts[a + 1] - starts[a], &text,
                           &err) != DM_OK) {
            fprintf(stderr, "dm_text_create: %s\n", err.message);
            return 1;
        }
        dm_span *sent = NULL;
        size_t n = 0;
        if (dm_text_sentences(text, &sent, &n, &err) != DM_OK) {
            fprintf(stderr, "dm_text_sentences: %s\n", err.message);
            return 1;
        }
        for (size_t i = 0; i < n; i++) {
            dm_tokens tokens;
            if (dm_tokenize(dm_text_norm(text) + sent[i].start,
                            sent[i].end - sent[i].start, &tokens, &err) != DM_OK) {
                fprintf(stderr, "dm_tokenize: %s\n", err.message);
                return 1;
            }
            n_tokens += tokens.n;
            dm_tokens_free(&tokens);
        }
        n_sentences += n;
        free(sent);
        dm_text_destroy(&text);
    }
    double elapsed = seconds_now(CLOCK_MONOTONIC) - t0;
    double cpu = seconds_now(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double mb = (double)corpus_len / (1024.0 * 1024.0);
    printf("bench_text: %.1f MB, %zu articles, %zu sentences, %zu tokens\n", mb,
           n_articles, n_sentences, n_tokens);
    /* CPU time too: wall time is at the mercy of a busy machine. */
    printf("bench_text: %.2f s wall, %.1f MB/s; %.2f s CPU, %.1f MB/s "
           "(create + sentences + tokenize); peak RSS %.1f MB\n", elapsed,
           mb / elapsed, cpu, mb / cpu, (double)usage.ru_maxrss / 1024.0);
    free(corpus);
    free(starts);
    dm_text_thread_cleanup();
    return 0;
}
