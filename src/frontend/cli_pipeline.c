/* The ordered pipeline behind -j (cli_pipeline.h): one mutex, two
 * condition variables and a ring of `capacity` slots indexed by sequence
 * number. Sequence numbers only grow: the workers read items in order, one
 * at a time (the read role passes from worker to worker), each works what
 * it read itself, and the worker that finishes the next item to be written
 * writes it, and the ones after it that are done, while the others work on.
 *
 * Why the workers read: an item read by one CPU and parsed by another is
 * met by the parser in the other CPU's cache; read by the worker that works
 * it, the item's bytes (the read() copy, the reader's buffer, the item) are
 * still in its own cache when it parses them, and no reader thread is woken
 * for every item. Reading is a few per cent of the work: a worker seldom
 * waits for another's read.
 *
 * Wake-ups are system calls (futex), dear on a virtual machine: a thread
 * is signalled after the mutex is released (a thread woken under it would
 * only block again on the mutex), and only when one waits. */
#include "cli_pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_WORKERS 256
/* How long a stopped run waits for a worker blocked in read() before
 * leaving it behind. */
#define READER_GRACE_MS 500

typedef struct slot {
    void *item;
    bool done;              /* worked: ready to be written */
} slot;

typedef struct pipeline {
    const dm_pipeline_ops *ops;
    void *user;
    pthread_mutex_t mu;
    pthread_cond_t can_read;    /* workers wait: another reads, or the ring is full */
    pthread_cond_t finished;    /* the caller waits: for the workers to end */
    slot *ring;
    size_t capacity;
    uint64_t n_read, n_written; /* sequence numbers */
    int waiting;            /* workers waiting on can_read */
    int running;            /* workers that have not ended */
    int reader;             /* the worker in read() while `reading` */
    bool reading;           /* a worker is in read() (one at a time) */
    bool read_done, stop;
    bool writing;           /* a worker is writing (one at a time) */
    bool write_failed;      /* a write returned false */
    bool reader_left;       /* the caller left; the reader frees the pipeline */
} pipeline;

typedef struct worker_arg {
    pipeline *p;
    int index;
} worker_arg;

int dm_pipeline_default_workers(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

static void free_pipeline(pipeline *p)
{
    pthread_cond_destroy(&p->can_read);
    pthread_cond_destroy(&p->finished);
    pthread_mutex_destroy(&p->mu);
    free(p->ring);
    free(p);
}

/* Wake a worker waiting to read, if one waits and may read now. Called
 * with the mutex held; released around the signal. */
static void wake_reader(pipeline *p)
{
    if (p->waiting > 0 && !p->reading && !p->stop && !p->read_done &&
        p->n_read - p->n_written < p->capacity) {
        pthread_mutex_unlock(&p->mu);
        pthread_cond_signal(&p->can_read);
        pthread_mutex_lock(&p->mu);
    }
}

/* Called, mutex held, by the worker that finished item n_written while no
 * one writes: it writes that item and every next one already worked, in
 * order, the mutex released around each write. A worker that finishes an
 * item meanwhile only marks it done; the writer sees it before it stops.
 * (Writing in the worker spares a writer thread a wake-up an item, each a
 * context switch on a core that a worker was using, and the writer's
 * reading of output another core made.) */
static void write_ready(pipeline *p)
{
    p->writing = true;
    while (!p->stop && p->n_written < p->n_read) {
        slot *s = &p->ring[p->n_written % p->capacity];
        if (!s->done)
            break;
        void *item = s->item;
        s->item = NULL;
        s->done = false;
        pthread_mutex_unlock(&p->mu);
        bool ok = p->ops->write(p->user, item);
        pthread_mutex_lock(&p->mu);
        p->n_written++;
        if (!ok) {
            p->write_failed = p->stop = true;
            pthread_mutex_unlock(&p->mu);
            pthread_cond_broadcast(&p->can_read);
            pthread_mutex_lock(&p->mu);
            break;
        }
        /* A worker that found the ring full may read now. */
        wake_reader(p);
    }
    p->writing = false;
}

/* A worker: reads the next item when no other worker reads and the ring
 * has room, works it, and writes what is ready to be written
 * (write_ready); until the end of the input or a stop. */
static void work_items(pipeline *p, int index)
{
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && !p->read_done &&
               (p->reading || p->n_read - p->n_written >= p->capacity)) {
            p->waiting++;
            pthread_cond_wait(&p->can_read, &p->mu);
            p->waiting--;
        }
        if (p->stop || p->read_done)
            break;
        /* The slot n_read is ours until n_read moves: read unlocked. */
        p->reading = true;
        p->reader = index;
        pthread_mutex_unlock(&p->mu);
        void *item = p->ops->read(p->user);
        pthread_mutex_lock(&p->mu);
        p->reading = false;
        if (!item) {
            p->read_done = true;
            break;
        }
        if (p->stop) {
            p->ops->discard(p->user, item);
            break;
        }
        uint64_t seq = p->n_read++;
        slot *s = &p->ring[seq % p->capacity];
        *s = (slot){item, false};
        wake_reader(p);         /* the next read is another's */
        pthread_mutex_unlock(&p->mu);
        p->ops->work(p->user, index, item);
        pthread_mutex_lock(&p->mu);
        s->done = true;
        if (seq == p->n_written && !p->writing)
            write_ready(p);
    }
    /* The end of the input or a stop: the others waiting end too. (Under
     * the mutex: once it is released, a reader left behind may free the
     * pipeline.) */
    p->running--;
    pthread_cond_broadcast(&p->can_read);
    pthread_cond_signal(&p->finished);
    bool last = p->reader_left && p->running == 0;
    pthread_mutex_unlock(&p->mu);
    if (last)
        free_pipeline(p);
}

static void *worker_main(void *arg)
{
    worker_arg *w = arg;
    work_items(w->p, w->index);
    return NULL;
}

static bool run_inline(const dm_pipeline_ops *ops, void *user)
{
    void *item;
    while ((item = ops->read(user)) != NULL) {
        ops->work(user, 0, item);
        if (!ops->write(user, item))
            return false;
    }
    return true;
}

/* Mutex held: wait for the workers to end; after a stop, for a moment
 * only for one blocked in read(). True if they all ended. */
static bool workers_ended(pipeline *p)
{
    while (p->running > 0 && !(p->stop && p->running == 1 && p->reading))
        pthread_cond_wait(&p->finished, &p->mu);
    if (p->running == 0)
        return true;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)READER_GRACE_MS * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    int rc = 0;
    while (p->running > 0 && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&p->finished, &p->mu, &until);
    return p->running == 0;
}

bool dm_pipeline_run(const dm_pipeline_ops *ops, void *user, int workers, size_t capacity,
                     bool *reader_left)
{
    *reader_left = false;
    if (workers <= 1)
        return run_inline(ops, user);
    if (workers > MAX_WORKERS)
        workers = MAX_WORKERS;
    if (capacity < (size_t)workers + 1)
        capacity = (size_t)workers + 1;
    pipeline *p = calloc(1, sizeof *p);
    pthread_t *tid = calloc((size_t)workers, sizeof *tid);
    worker_arg *args = calloc((size_t)workers, sizeof *args);
    slot *ring = calloc(capacity, sizeof *ring);
    if (!p || !ring || !tid || !args) {
        free(p);
        free(ring);
        free(tid);
        free(args);
        return run_inline(ops, user);
    }
    *p = (pipeline){.ops = ops, .user = user, .capacity = capacity, .ring = ring};
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->can_read, NULL);
    pthread_cond_init(&p->finished, NULL);
    /* Every worker a thread of its own, the calling thread only waits for
     * them: a worker may be blocked in read() for ever after a stop (a
     * FIFO that stays open, a terminal), and the caller must not be it.
     * (Before, a reader thread and N - 1 workers: as many threads.) */
    p->running = workers;
    int started = 0;
    for (int i = 0; i < workers; i++) {
        args[i] = (worker_arg){p, i};
        if (pthread_create(&tid[i], NULL, worker_main, &args[i]) != 0)
            break;
        started++;
    }
    pthread_mutex_lock(&p->mu);
    p->running -= workers - started;
    if (started == 0) {
        pthread_mutex_unlock(&p->mu);
        free(tid);
        free(args);
        free_pipeline(p);
        return run_inline(ops, user);
    }
    /* A worker still running after this is blocked in read() after a stop. */
    int left = workers_ended(p) ? -1 : p->reader;
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < started; i++)
        if (i != left)
            pthread_join(tid[i], NULL);
    pthread_mutex_lock(&p->mu);
    bool reader_ended = p->running == 0;
    bool ok = !p->write_failed;
    /* After a stop: what was read but not written. */
    for (uint64_t seq = p->n_written; seq < p->n_read; seq++) {
        slot *sl = &p->ring[seq % p->capacity];
        if (sl->item)
            ops->discard(user, sl->item);
        sl->item = NULL;
    }
    /* From here on a reader still running owns the pipeline, and frees it
     * when it ends. */
    p->reader_left = !reader_ended;
    pthread_mutex_unlock(&p->mu);
    if (left >= 0 && reader_ended)
        pthread_join(tid[left], NULL);
    else if (left >= 0)
        pthread_detach(tid[left]);
    free(tid);
    free(args);
    if (!reader_ended) {
        *reader_left = true;
        return false;
    }
    free_pipeline(p);
    return ok;
}
