/*
 * An ordered pipeline for the executables' -j: N workers, threads of their
 * own, while the calling thread waits for them. A worker reads the next
 * item (one reader at a time: the read role passes between the workers)
 * and works it itself, so that the item's bytes are in the cache of the
 * CPU that works them. The items are written in the order they were read,
 * so that what is printed is the same for every N: by the worker that
 * finished the next item to be written, one writer at a time.
 *
 *   read(user)            a worker, never two at once, each read after the
 *                         one before: the next item, or NULL at the end
 *   work(user, w, item)   worker w (0..N-1), the one that read the item:
 *                         process the item in place
 *   write(user, item)     a worker, never two at once, in read order (each
 *                         write happens after the one before); takes the
 *                         item (frees it); false stops the run early
 *   discard(user, item)   frees an item that will not be written (after a
 *                         stop; a worker or the calling thread)
 *
 * At most `capacity` items exist at once (read and not yet written), which
 * bounds memory: a worker far ahead of a slow one waits before it reads.
 * With workers <= 1 nothing is threaded: read, work and write alternate in
 * the calling thread (the -j 1 path).
 */
#ifndef DM_CLI_PIPELINE_H
#define DM_CLI_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dm_pipeline_ops {
    void *(*read)(void *user);
    void (*work)(void *user, int worker, void *item);
    bool (*write)(void *user, void *item);
    void (*discard)(void *user, void *item);
} dm_pipeline_ops;

/* Runs the pipeline to the end of the input (true) or to the first write
 * that returns false (false). If threads cannot be started, it runs in the
 * calling thread alone: the output is the same.
 *
 * After a stop, a worker blocked in read() (a FIFO that stays open, a
 * terminal) may never return: if it has not finished within a moment, it
 * is left running, detached, and *reader_left is set (never the calling
 * thread: it only waits). The caller must then
 * keep everything `read` and `discard` use alive (it is about to exit), and
 * `read` should watch a stop flag of the caller's so as to return soon. */
bool dm_pipeline_run(const dm_pipeline_ops *ops, void *user, int workers,
                     size_t capacity, bool *reader_left);

/* The number of online processors (at least 1): the default of -j. */
int dm_pipeline_default_workers(void);

#endif
