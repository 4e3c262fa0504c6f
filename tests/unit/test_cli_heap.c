/* demarche-score's heaps in 2 MB pages (src/frontend/cli_heap.c): after
 * dm_cli_heap_huge the calling thread's next block starts at a 2 MB
 * boundary, in memory marked for transparent huge pages (VmFlags "hg" in
 * /proc/self/smaps), on the main thread (glibc's main arena, the break)
 * and on a thread of its own (an arena of its own). Nothing is done, and
 * the test is skipped, under a sanitizer's malloc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_heap.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define HUGE ((uintptr_t)2 << 20)

/* Whether the mapping holding p is marked MADV_HUGEPAGE over [p, p + len). */
static bool marked_huge(const void *p, size_t len)
{
    FILE *fp = fopen("/proc/self/smaps", "r");
    if (!fp)
        return false;
    char line[512];
    uintptr_t lo = 0, hi = 0, a = (uintptr_t)p;
    bool in = false, found = false;
    while (fgets(line, sizeof line, fp)) {
        unsigned long l, h;
        if (sscanf(line, "%lx-%lx ", &l, &h) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            lo = l;
            hi = h;
            in = lo <= a && a + len <= hi;
        } else if (in && strncmp(line, "VmFlags:", 8) == 0) {
            found = strstr(line, " hg") != NULL;
            break;
        }
    }
    fclose(fp);
    return found;
}

static void check_heap(void)
{
    size_t bytes = 1;
    void *filler = dm_cli_heap_huge(&bytes);
    if (SANITIZED) {
        assert_null(filler);
        assert_int_equal(bytes, 0);
        return;
    }
    assert_non_null(filler);
    assert_int_equal(bytes, (size_t)14 << 20);
    /* (small blocks may come from what was freed before) */
    char *p = malloc(64 * 1024);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % HUGE, 0);
    assert_true(marked_huge(p, bytes));
    /* the heap below the boundary was filled: the next ones follow p */
    char *q = malloc(64 * 1024);
    assert_non_null(q);
    assert_true(q > p && (uintptr_t)q < (uintptr_t)p + bytes);
    memset(p, 1, 64 * 1024);
    memset(q, 1, 64 * 1024);
    free(q);
    free(p);
    free(filler);
}

static void test_main_thread(void **state)
{
    (void)state;
    check_heap();
}

static void *thread_main(void *arg)
{
    (void)arg;
    check_heap();
    return NULL;
}

static void test_own_thread(void **state)
{
    (void)state;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, thread_main, NULL), 0);
    pthread_join(t, NULL);
}

int main(void)
{
    if (SANITIZED)
        fprintf(stderr, "test_cli_heap: a sanitizer's malloc: dm_cli_heap_huge does nothing\n");
    /* as demarche-score: blocks below 16 MB from the heaps */
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_main_thread),
        cmocka_unit_test(test_own_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
