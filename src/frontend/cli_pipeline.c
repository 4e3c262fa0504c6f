/* The ordered pipeline behind -j (cli_pipeline.h): one mutex, three
 * condition variables and a ring of `capacity` slots indexed by sequence
 * number. Sequence numbers only grow: the reader takes them in order, the
 * workers take read items in order (and finish in any order), and the
 * worker that finishes the next item to be written writes it, and the
 * ones after it that are done, while the others work on.
 *
 * Wake-ups are system calls (futex), dear on a virtual machine: a thread
 * is signalled after the mutex is released (a thread woken under it would
 * only block again on the mutex), and a reader that found the ring full is
 * woken once half of it is free rather than for every slot written. */
#include "cli_pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_WORKERS 256
/* How long a stopped run waits for its reader before leaving it behind. */
#define READER_GRACE_MS 500

typedef struct slot {
    void *item;
    bool done;              /* worked: ready to be written */
} slot;

typedef struct pipeline {
    const dm_pipeline_ops *ops;
    void *user;
    pthread_mutex_t mu;
    pthread_cond_t can_read, can_work, read_end;
    slot *ring;
    size_t capacity;
    uint64_t n_read, n_taken, n_written; /* sequence numbers */
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
    pthread_cond_destroy(&p->can_work);
    pthread_cond_destroy(&p->read_end);
    pthread_mutex_destroy(&p->mu);
    free(p->ring);
    free(p);
}

static void *reader_main(void *arg)
{
    pipeline *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->n_read - p->n_written >= p->capacity)
            pthread_cond_wait(&p->can_read, &p->mu);
        if (p->stop)
            break;
        /* The slot n_read is ours until n_read moves: read unlocked. */
        pthread_mutex_unlock(&p->mu);
        void *item = p->ops->read(p->user);
        pthread_mutex_lock(&p->mu);
        if (!item)
            break;
        if (p->stop) {
            p->ops->discard(p->user, item);
            break;
        }
        p->ring[p->n_read % p->capacity] = (slot){item, false};
        p->n_read++;
        pthread_mutex_unlock(&p->mu);
        pthread_cond_signal(&p->can_work);
        pthread_mutex_lock(&p->mu);
    }
    p->read_done = true;
    pthread_cond_broadcast(&p->can_work);
    pthread_cond_signal(&p->read_end);
    bool last = p->reader_left;
    pthread_mutex_unlock(&p->mu);
    if (last)
        free_pipeline(p);
    return NULL;
}

/* Called, mutex held, by the worker that finished item n_written while no
 * one writes: it writes that item and every next one already worked, in
 * order, the mutex released around each write. A worker that finishes an
 * item meanwhile only marks it done; the writer sees it before it stops.
 * (Writing in the worker spares a writer thread a wake-up a batch, each a
 * context switch on a core that a worker was using, and the writer's
 * reading of output another core made.) */
static void write_ready(pipeline *p)
{
    p->writing = true;
    bool wake_reader = false;
    while (!p->stop && p->n_written < p->n_read) {
        slot *s = &p->ring[p->n_written % p->capacity];
        if (!s->done)
            break;
        void *item = s->item;
        s->item = NULL;
        s->done = false;
        pthread_mutex_unlock(&p->mu);
        if (wake_reader)
            pthread_cond_signal(&p->can_read);
        bool ok = p->ops->write(p->user, item);
        pthread_mutex_lock(&p->mu);
        p->n_written++;
        if (!ok) {
            p->write_failed = p->stop = true;
            pthread_cond_broadcast(&p->can_read);
            pthread_cond_broadcast(&p->can_work);
            break;
        }
        /* A reader that found the ring full is woken once half of it is
         * free rather than for every slot written. */
        wake_reader = p->n_read - p->n_written <= p->capacity - p->capacity / 2;
    }
    p->writing = false;
    if (wake_reader) {
        pthread_mutex_unlock(&p->mu);
        pthread_cond_signal(&p->can_read);
        pthread_mutex_lock(&p->mu);
    }
}

/* A worker: takes read items in order, works them, and writes what is
 * ready to be written (write_ready). Worker 0 is the calling thread. */
static void work_items(pipeline *p, int index)
{
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && !p->read_done && p->n_taken == p->n_read)
            pthread_cond_wait(&p->can_work, &p->mu);
        if (p->stop || p->n_taken == p->n_read)
            break;
        uint64_t seq = p->n_taken++;
        slot *s = &p->ring[seq % p->capacity];
        void *item = s->item;
        pthread_mutex_unlock(&p->mu);
        p->ops->work(p->user, index, item);
        pthread_mutex_lock(&p->mu);
        s->done = true;
        if (seq == p->n_written && !p->writing)
            write_ready(p);
    }
    pthread_mutex_unlock(&p->mu);
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

/* After a stop: wait a moment for the reader; true if it finished. */
static bool reader_finished(pipeline *p)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)READER_GRACE_MS * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&p->mu);
    int rc = 0;
    while (!p->read_done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&p->read_end, &p->mu, &until);
    bool done = p->read_done;
    pthread_mutex_unlock(&p->mu);
    return done;
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
    pthread_cond_init(&p->can_work, NULL);
    pthread_cond_init(&p->read_end, NULL);
    /* The reader first: the first items are read while the workers start
     * (a thread's start is not free: its stack and static TLS are
     * cleared, page by page). The calling thread is worker 0: one thread
     * fewer to start, and no thread that only waits. */
    pthread_t reader;
    if (pthread_create(&reader, NULL, reader_main, p) != 0) {
        free(tid);
        free(args);
        free_pipeline(p);
        return run_inline(ops, user);
    }
    int started = 0;            /* workers 1.. in threads of their own */
    for (int i = 1; i < workers; i++) {
        args[i] = (worker_arg){p, i};
        if (pthread_create(&tid[i], NULL, worker_main, &args[i]) != 0)
            break;
        started++;
    }
    work_items(p, 0);
    /* (another worker may still be writing the last items) */
    for (int i = 1; i <= started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_lock(&p->mu);
    bool ok = !p->write_failed;
    pthread_mutex_unlock(&p->mu);
    /* After a stop, a reader blocked in read() is left behind, detached. */
    if (ok || reader_finished(p))
        pthread_join(reader, NULL);
    else
        pthread_detach(reader);
    /* After a stop: what was read but not written. */
    pthread_mutex_lock(&p->mu);
    for (uint64_t seq = p->n_written; seq < p->n_read; seq++) {
        slot *sl = &p->ring[seq % p->capacity];
        if (sl->item)
            ops->discard(user, sl->item);
        sl->item = NULL;
    }
    /* From here on a reader still running owns the pipeline. */
    bool left = p->reader_left = !p->read_done;
    pthread_mutex_unlock(&p->mu);
    free(tid);
    free(args);
    if (left) {
        *reader_left = true;    /* the reader frees the pipeline */
        return false;
    }
    free_pipeline(p);
    return ok;
}
