/*
 * demarche-score's heaps in 2 MB pages. A first touch of a 4 kB page is a
 * page fault, some 10-20 us on a virtual machine; a 2 MB transparent huge
 * page costs about as much as 20 of them and serves 512. The start-up
 * alone (lexicons, actor tables, the featurizer: some 2 MB of heap) made
 * about 550 faults.
 */
#ifndef DM_CLI_HEAP_H
#define DM_CLI_HEAP_H

#include <stddef.h>

/* The calling thread's malloc arena (glibc's) continues at a 2 MB boundary,
 * in memory marked MADV_HUGEPAGE: its next 14 MB come in 2 MB pages where
 * the kernel gives transparent huge pages on request. A hint: nothing
 * changes but where blocks are and how their pages are faulted in; where
 * it cannot be done (another malloc, a sanitizer's, a heap not as
 * expected) nothing is done. *huge_bytes (when not NULL) is set to the
 * bytes marked, 0 when none. Returns the block that fills the heap up to
 * the boundary, never touched (address space only), to be freed when the
 * heap is no longer used much (once freed, the next blocks are cut from it
 * again); NULL when there is none. Call it before the thread allocates
 * much: pages already touched stay as they are. Blocks of 14 MB must come
 * from the heaps (M_MMAP_THRESHOLD above that: demarche-score sets 16 MB);
 * else nothing is marked. */
void *dm_cli_heap_huge(size_t *huge_bytes);

#endif
