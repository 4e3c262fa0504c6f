/* Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c): where the
 * shipped lexicons and models are, and a scratch file per process for the
 * readers that take a path. Built only with -DDM_FUZZ=ON (clang). */
#ifndef DM_FUZZ_COMMON_H
#define DM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The source tree: $DM_SOURCE_DIR, else the one the harness was built from. */
static inline const char *fuzz_source_dir(void)
{
    const char *s = getenv("DM_SOURCE_DIR");
    return s && *s ? s : DM_SOURCE_DIR;
}

/* "<source>/<rel>" into buf. */
static inline const char *fuzz_path(char *buf, size_t size, const char *rel)
{
    snprintf(buf, size, "%s/%s", fuzz_source_dir(), rel);
    return buf;
}

/* A private scratch directory under $TMPDIR (or /tmp), made once per
 * process and removed at exit by the caller's atexit handler. */
static inline const char *fuzz_scratch_dir(void)
{
    static char dir[4096];
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/dm-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            abort();
        }
    }
    return dir;
}

/* Write bytes to `path` (truncating); aborts on failure: a harness that
 * cannot write its input tests nothing. */
static inline void fuzz_write_file(const char *path, const void *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
        perror(path);
        abort();
    }
}

#endif
