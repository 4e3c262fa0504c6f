/* Benchmark of actor matching: load lexicons/actors.tsv (argv[1], or
 * $DM_SOURCE_DIR/lexicons/actors.tsv), generate ~20 MB of news-like text,
 * run dm_actors_find paragraph by paragraph, print MB/s and peak RSS.
 * With DM_SHARED_DIR set, a second run adds the Phoenix dictionaries. */
#include "demarche/actors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char *const WORDS[] = {
    "the", "said", "on", "Tuesday", "that", "talks", "would", "continue",
    "officials", "in", "a", "statement", "warned", "against", "any", "move",
    "to", "escalate", "tensions", "and", "called", "for", "restraint",
    "ministers", "met", "after", "weeks", "of", "negotiations", "over",
    "sanctions", "trade", "security", "border", "ceasefire", "agreement",
    "He", "She", "They", "It", "We", "This", "government", "spokesman",
    "according", "sources", "familiar", "with", "matter", "Reuters",
    "economic", "military", "aid", "package", "conference", "summit",
};

static const char *const ACTORS[] = {
    "Russia", "the United States", "China's", "Britain", "the Kremlin",
    "Sergei Lavrov", "Lavrov", "Antony Blinken", "Wang Yi", "Beijing",
    "Moscow", "Washington", "the European Union", "NATO", "the UN",
    "Iranian", "Israeli", "Hamas", "Hezbollah", "the Taliban",
    "President Vladimir Putin", "Emmanuel Macron", "Olaf Scholz",
    "Kyiv", "Damascus", "the State Department", "Downing Street",
    "U.S.", "the Pentagon", "Turkey", "Latin America", "Syria's",
};

static unsigned long long rng = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng >> 33) % n);
}

static char *generate(size_t target, size_t *len)
{
    char *buf = malloc(target + 4096);
    if (!buf)
        return NULL;
    size_t n = 0;
    while (n < target) {
        /* a paragraph of 4-8 sentences */
        int sentences = 4 + (int)rnd(5);
        for (int s = 0; s < sentences; s++) {
            int words = 8 + (int)rnd(20);
            for (int w = 0; w < words; w++) {
                const char *word = rnd(8) == 0 ? ACTORS[rnd(sizeof ACTORS / sizeof *ACTORS)]
                                               : WORDS[rnd(sizeof WORDS / sizeof *WORDS)];
                n += (size_t)sprintf(buf + n, "%s%s", w ? " " : "", word);
            }
            n += (size_t)sprintf(buf + n, ". ");
        }
        buf[n - 1] = '\n';
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6
           + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int run(const dm_actors *a, const char *text, size_t len,
               const char *label)
{
    double t0 = now(), c0 = cpu_seconds();
    size_t matches = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t plen = nl ? (size_t)(nl - p) : (size_t)(end - p);
        dm_actor_match *m = NULL;
        size_t n = 0;
        dm_error err;
        if (dm_actors_find(a, p, plen, "2020-06-01", &m, &n, &err) != DM_OK) {
            fprintf(stderr, "find failed: %s\n", err.message);
            return 1;
        }
        matches += n;
        free(m);
        p += plen + 1;
    }
    double dt = now() - t0, ct = cpu_seconds() - c0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%s: %zu names, %.1f MB in %.3f s = %.1f MB/s (CPU %.3f s = %.1f MB/s), "
           "%zu matches, peak RSS %.1f MB\n",
           label, dm_actors_count(a), (double)len / 1e6, dt,
           (double)len / 1e6 / dt, ct, (double)len / 1e6 / ct, matches,
           (double)ru.ru_maxrss / 1024.0);
    return 0;
}

int main(int argc, char **argv)
{
    char path[4096];
    if (argc > 1) {
        snprintf(path, sizeof path, "%s", argv[1]);
    } else {
        const char *src = getenv("DM_SOURCE_DIR");
        snprintf(path, sizeof path, "%s/lexicons/actors.tsv", src ? src : ".");
    }
    dm_actors *a = NULL;
    dm_error err;
    char msg[1024];
    double t0 = now();
    if (dm_actors_create(&a, &err) != DM_OK || dm_actors_load_tsv(a, path, &err) != DM_OK) {
        fprintf(stderr, "bench_actors: %s\n", dm_error_format(&err, msg, sizeof msg));
        return 1;
    }
    printf("load %s: %.3f s\n", path, now() - t0);
    size_t len = 0;
    char *text = generate(20u * 1000u * 1000u, &len);
    if (!text) {
        fprintf(stderr, "bench_actors: out of memory\n");
        return 1;
    }
    int rc = run(a, text, len, "actors.tsv");
    const char *shared = getenv("DM_SHARED_DIR");
    if (rc == 0 && shared && *shared) {
        const char *files[] = {"Countries", "International", "MilNonState"};
        t0 = now();
        for (int i = 0; i < 3 && rc == 0; i++) {
            snprintf(path, sizeof path, "%s/data/phoenix/Phoenix.%s.actors.txt",
                     shared, files[i]);
            if (dm_actors_load_phoenix(a, path, &err) != DM_OK) {
                fprintf(stderr, "bench_actors: %s (Phoenix run skipped)\n",
                        dm_error_format(&err, msg, sizeof msg));
                rc = -1;
            }
        }
        if (rc == 0) {
            printf("load Phoenix: %.3f s (%zu lines skipped)\n", now() - t0,
                   dm_actors_phoenix_skipped(a));
            rc = run(a, text, len, "actors.tsv + Phoenix");
        } else {
            rc = 0;
        }
    }
    free(text);
    dm_actors_destroy(&a);
    return rc;
}
