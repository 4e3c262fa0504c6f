/* The calling thread's malloc heap continued in 2 MB pages (transparent
 * huge pages on request, "madvise"). See cli_heap.h. */
#include "cli_heap.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

/* Sanitizers bring their own malloc: nothing to do there. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DM_HEAP_PLAIN_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define DM_HEAP_PLAIN_MALLOC 0
#endif
#endif
#ifndef DM_HEAP_PLAIN_MALLOC
#define DM_HEAP_PLAIN_MALLOC 1
#endif

#define HUGE_BYTES ((uintptr_t)2 << 20)
/* Below M_MMAP_THRESHOLD (16 MB in demarche-score): the block that grows
 * the heap must come from the heap. */
#define SPAN_HUGE 7

void *dm_cli_heap_huge(size_t *huge_bytes)
{
    if (huge_bytes)
        *huge_bytes = 0;
#if DM_HEAP_PLAIN_MALLOC && defined(__GLIBC__) && defined(__linux__) && \
    defined(MADV_HUGEPAGE) && defined(M_MMAP_THRESHOLD)
    /* Where the arena's top chunk (the untouched rest of its heap) starts:
     * right after a block it has just cut from it. glibc's chunk header is
     * 16 bytes before the block; a block in use ends 8 bytes into the next
     * chunk's header. */
    void *probe = malloc(2000);
    if (!probe)
        return NULL;
    uintptr_t top = (uintptr_t)probe + malloc_usable_size(probe) - 8;
    /* The filler: from the top to 16 bytes short of a 2 MB boundary, kept
     * in use and never touched (address space only), so that the next
     * block starts at the boundary (a page of the 2 MB written to before
     * the madvise would keep them all in 4 kB pages). */
    uintptr_t a = (top + HUGE_BYTES - 1) & ~(HUGE_BYTES - 1);
    if (a - top < 64 * 1024)
        a += HUGE_BYTES;
    void *filler = malloc(a - top - 16 - 8);
    if (!filler || (uintptr_t)filler != top + 16) {
        /* Not cut from where the top was thought to be (a free chunk
         * served the probe or the filler): leave the heap as it is. */
        free(filler);
        free(probe);
        return NULL;
    }
    free(probe);
    /* The heap grown by SPAN_HUGE 2 MB pages at once, then marked: the
     * block's header is the 16 bytes before the boundary, the top chunk's
     * after its end; nothing between is written before the madvise. Freed,
     * the block goes back to the top chunk (demarche-score's
     * M_TRIM_THRESHOLD keeps it mapped), and the next blocks are cut from
     * the boundary on. */
    size_t span = SPAN_HUGE * HUGE_BYTES;
    void *grow = malloc(span + 8);
    if (!grow || (uintptr_t)grow != a) {
        free(grow);
        return filler;
    }
    if (madvise((void *)a, span, MADV_HUGEPAGE) == 0 && huge_bytes)
        *huge_bytes = span;
    free(grow);
    return filler;
#else
    return NULL;
#endif
}
