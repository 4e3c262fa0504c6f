/* Shared by the robustness tests (test_robustness.c: text and extraction;
 * test_robustness_io.c: records, charts, readers and loaders):
 * deterministic random input, the lexicon fixture and a counting logger.
 * Functions are static inline: each test executable uses a subset. */
#ifndef DM_ROBUSTNESS_FIXTURE_H
#define DM_ROBUSTNESS_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "demarche/demarche.h"
#include "demarche/chart.h"
#include "demarche/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unicode/utf8.h>
#include <zlib.h>

/* ---- Deterministic random input ----------------------------------------- */

static inline uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static inline size_t rng_below(uint64_t *s, size_t n)
{
    return n ? (size_t)(rng_next(s) % n) : 0;
}

/* Pieces that stress quote pairing, normalisation and attribution. Entries
 * with an explicit length may hold NUL bytes. */
typedef struct piece {
    const char *s;
    size_t len; /* 0: strlen */
} piece;

static const piece pieces[] = {
    {"\xE2\x80\x9C", 0}, {"\xE2\x80\x9D", 0},   /* “ ” */
    {"\xE2\x80\x9E", 0},                        /* „ */
    {"\xC2\xAB", 0}, {"\xC2\xBB", 0},           /* « » */
    {"'", 0}, {"\xE2\x80\x99", 0}, {"''", 0},   /* ' ’ '' */
    {"\xE2\x80\xB3", 0}, {"\"", 0},             /* ″ " */
    {"\xC2\xA0", 0}, {"\n", 0}, {"\n\n", 0}, {"\r\n", 0}, {" ", 0}, {"\t", 0},
    {"\xFF", 0}, {"\xC3", 0}, {"\xE2\x80", 0}, {"\xED\xA0\x80", 0}, /* invalid */
    {"\xC0\xAF", 0}, {"\xF4\x90\x80\x80", 0},
    {"\0", 1}, {"a\0b", 3},                     /* NUL inside the text */
    {"(", 0}, {")", 0}, {"[", 0}, {"]", 0}, {"{", 0}, {"}", 0},
    {".", 0}, {",", 0}, {":", 0}, {"?", 0}, {"!", 0}, {"-", 0},
    {"\xC2\xAD", 0}, {"\xEF\xBB\xBF", 0}, {"\xE2\x80\x8B", 0}, /* SHY BOM ZWSP */
    {"\xEF\xAC\x81", 0},                        /* ﬁ ligature (NFKC grows it) */
    {"\xE2\x80\xA6", 0},                        /* … */
    {"said", 0}, {"told reporters", 0}, {"warned", 0}, {"according to", 0},
    {"Sergei Lavrov", 0}, {"he", 0}, {"she", 0}, {"they", 0},
    {"Russia", 0}, {"the United States", 0}, {"NATO", 0}, {"Moscow", 0},
    {"the Kremlin", 0}, {"Foreign Minister", 0}, {"U.S.", 0}, {"Mr.", 0},
    {"We will not accept this", 0}, {"a senior official", 0},
    {"The", 0}, {"war", 0}, {"peace", 0}, {"42", 0}, {"2024", 0},
};
#define N_PIECES (sizeof pieces / sizeof pieces[0])

/* Append a random mix of `n_pieces` pieces to buf (cap bytes); returns length. */
static inline size_t random_text(uint64_t *rng, char *buf, size_t cap, size_t n_pieces)
{
    size_t len = 0;
    for (size_t i = 0; i < n_pieces; i++) {
        const piece *p = &pieces[rng_below(rng, N_PIECES)];
        size_t plen = p->len ? p->len : strlen(p->s);
        if (len + plen + 1 >= cap)
            break;
        memcpy(buf + len, p->s, plen);
        len += plen;
        if (rng_below(rng, 3) == 0)
            buf[len++] = ' ';
    }
    buf[len] = '\0';
    return len;
}

/* ---- Fixture: real lexicons, one extractor ------------------------------ */

static dm_actors *actors;
static dm_cues *cues;
static dm_extractor *extractor;

static inline int setup(void **state)
{
    (void)state;
    const char *src = getenv("DM_SOURCE_DIR");
    if (!src)
        src = DM_SOURCE_DIR;
    char path[4096];
    dm_error err;
    if (dm_actors_create(&actors, &err) != DM_OK)
        return -1;
    snprintf(path, sizeof path, "%s/lexicons/actors.tsv", src);
    if (dm_actors_load_tsv(actors, path, &err) != DM_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path, err.message);
        return -1;
    }
    snprintf(path, sizeof path, "%s/lexicons/cues.tsv", src);
    if (dm_cues_load(path, &cues, &err) != DM_OK) {
        fprintf(stderr, "cannot load %s: %s\n", path, err.message);
        return -1;
    }
    return dm_extractor_create(actors, cues, &extractor, &err) == DM_OK ? 0 : -1;
}

static inline int teardown(void **state)
{
    (void)state;
    dm_extractor_destroy(&extractor);
    dm_cues_destroy(&cues);
    dm_actors_destroy(&actors);
    dm_text_thread_cleanup();
    return 0;
}

static int n_warnings;
static inline void count_log(void *user, dm_log_level level, const char *where, long line,
                      const char *message)
{
    (void)user; (void)where; (void)line;
    assert_non_null(message);
    if (level >= DM_LOG_WARNING)
        n_warnings++;
}
static const dm_logger logger = {count_log, NULL};

static inline void assert_valid_utf8(const char *s, size_t len)
{
    int32_t i = 0;
    while ((size_t)i < len) {
        UChar32 c;
        U8_NEXT(s, i, (int32_t)len, c);
        if (c < 0)
            fail_msg("invalid UTF-8 at byte %d of normalised text", (int)i);
    }
}

#endif
