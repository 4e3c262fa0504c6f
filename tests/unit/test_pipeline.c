/* The ordered pipeline behind demarche-score -j (src/frontend/cli_pipeline.c):
 * items come out in read order whatever order the workers finish in, one
 * write at a time; no more than `capacity` items live at once; a stop
 * discards what was read and not written, and loses nothing else, also when
 * the last write fails; with threads, each item is worked by the worker that
 * read it, never by the calling thread, and a stop does not wait for ever
 * for a read that blocks. Run under ThreadSanitizer in CI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cli_pipeline.h"

typedef struct test_item {
    int seq;
    int worked_by;
    long value;
    pthread_t read_by;
} test_item;

typedef struct test_run {
    int n_items;            /* items to read */
    int next;               /* reader's counter (reader thread only) */
    int expect;             /* writer's counter (writer thread only) */
    int stop_at;            /* write returns false at this item (-1: never) */
    atomic_int live;        /* read and not yet written or discarded */
    atomic_int max_live;
    atomic_int discarded;
    atomic_int worked;
    atomic_int writing;     /* writes under way (never more than one) */
    atomic_bool overlap;    /* two writes at once */
    pthread_t caller;       /* the thread that runs the pipeline */
    bool threaded;          /* workers > 1 */
    atomic_bool wrong_thread;   /* with threads, the caller read or worked */
    atomic_bool other_worker;   /* an item worked by another thread than its reader's */
    /* A read that blocks (a FIFO that stays open): the read of item
     * block_at waits until `release`; the write of stop_at (which stops the
     * run) waits until that read is under way. -1: none. */
    int block_at;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool blocked, release;
} test_run;

static void *t_read(void *user)
{
    test_run *r = user;
    if (r->threaded && pthread_equal(pthread_self(), r->caller))
        atomic_store(&r->wrong_thread, true);
    if (r->next >= r->n_items)
        return NULL;
    if (r->next == r->block_at) {
        pthread_mutex_lock(&r->mu);
        r->blocked = true;
        pthread_cond_broadcast(&r->cv);
        while (!r->release)
            pthread_cond_wait(&r->cv, &r->mu);
        pthread_mutex_unlock(&r->mu);
    }
    test_item *it = calloc(1, sizeof *it);
    if (!it)
        return NULL;
    it->seq = r->next++;
    it->read_by = pthread_self();
    int live = atomic_fetch_add(&r->live, 1) + 1;
    int max = atomic_load(&r->max_live);
    while (live > max && !atomic_compare_exchange_weak(&r->max_live, &max, live))
        ;
    return it;
}

static void t_work(void *user, int worker, void *item)
{
    test_run *r = user;
    test_item *it = item;
    /* Uneven work, so that workers finish out of order. */
    struct timespec ts = {0, (long)((it->seq * 7919) % 13) * 50000L};
    nanosleep(&ts, NULL);
    it->worked_by = worker;
    if (r->threaded && pthread_equal(pthread_self(), r->caller))
        atomic_store(&r->wrong_thread, true);
    if (!pthread_equal(pthread_self(), it->read_by))
        atomic_store(&r->other_worker, true);
    it->value = (long)it->seq * it->seq;
    atomic_fetch_add(&r->worked, 1);
}

static bool t_write(void *user, void *item)
{
    test_run *r = user;
    test_item *it = item;
    if (atomic_fetch_add(&r->writing, 1) != 0)
        atomic_store(&r->overlap, true);
    /* Long enough for another worker to finish an item meanwhile. */
    struct timespec ts = {0, 20000L};
    nanosleep(&ts, NULL);
    assert_int_equal(it->seq, r->expect);
    assert_int_equal(it->value, (long)it->seq * it->seq);
    r->expect++;
    atomic_fetch_sub(&r->live, 1);
    if (it->seq == r->stop_at && r->block_at >= 0) {
        pthread_mutex_lock(&r->mu);
        while (!r->blocked)
            pthread_cond_wait(&r->cv, &r->mu);
        pthread_mutex_unlock(&r->mu);
    }
    bool go_on = it->seq != r->stop_at;
    free(it);
    atomic_fetch_sub(&r->writing, 1);
    return go_on;
}

static void t_discard(void *user, void *item)
{
    test_run *r = user;
    atomic_fetch_add(&r->discarded, 1);
    atomic_fetch_sub(&r->live, 1);
    free(item);
}

static const dm_pipeline_ops OPS = {t_read, t_work, t_write, t_discard};

static void run(int workers, size_t capacity, int n_items, int stop_at, test_run *r)
{
    *r = (test_run){.n_items = n_items, .stop_at = stop_at, .caller = pthread_self(),
                    .threaded = workers > 1, .block_at = -1};
    bool left = true;
    bool ok = dm_pipeline_run(&OPS, r, workers, capacity, &left);
    assert_false(left);
    assert_false(atomic_load(&r->wrong_thread));
    assert_false(atomic_load(&r->other_worker));
    assert_false(atomic_load(&r->overlap));
    assert_int_equal(ok, stop_at < 0);
    assert_int_equal(atomic_load(&r->live), 0);
}

static void test_order_for_every_n(void **state)
{
    (void)state;
    for (int workers = 1; workers <= 4; workers++) {
        test_run r;
        run(workers, (size_t)workers * 2, 300, -1, &r);
        assert_int_equal(r.expect, 300);
        assert_int_equal(atomic_load(&r.worked), 300);
        assert_int_equal(atomic_load(&r.discarded), 0);
        /* Never more items alive than the capacity. */
        int cap = workers == 1 ? 1 : workers * 2 < workers + 1 ? workers + 1 : workers * 2;
        assert_true(atomic_load(&r.max_live) <= cap);
    }
}

static void test_empty_input(void **state)
{
    (void)state;
    test_run r;
    run(3, 6, 0, -1, &r);
    assert_int_equal(r.expect, 0);
    run(1, 1, 0, -1, &r);
    assert_int_equal(r.expect, 0);
}

static void test_stop(void **state)
{
    (void)state;
    for (int workers = 1; workers <= 3; workers++) {
        test_run r;
        run(workers, 8, 500, 40, &r);
        assert_int_equal(r.expect, 41);       /* 0..40 written, 40 said stop */
        /* Everything read was written or discarded: nothing leaks. */
        assert_int_equal(r.next, r.expect + atomic_load(&r.discarded));
        assert_true(r.next < 500);            /* reading stopped early */
    }
}

/* The last write fails: the run says so, though the calling thread (worker
 * 0) may have run out of items to take while another worker still worked
 * and wrote the last one. */
static void test_stop_at_last(void **state)
{
    (void)state;
    for (int workers = 1; workers <= 3; workers++)
        for (int n = 1; n <= 7; n++) {
            test_run r;
            run(workers, 4, n, n - 1, &r);
            assert_int_equal(r.expect, n);
            assert_int_equal(atomic_load(&r.discarded), 0);
        }
}

/* A stop while a worker is blocked in read() for ever (a FIFO or a
 * terminal that stays open): the run returns all the same, saying that the
 * reader was left behind, and the read, once it returns, is discarded. The
 * caller waiting for the reader would hang: alarm() ends the test then. */
static void test_stop_while_read_blocks(void **state)
{
    (void)state;
    alarm(60);
    for (int workers = 2; workers <= 3; workers++) {
        static test_run r;      /* the reader left behind uses it after the run */
        r = (test_run){.n_items = 100, .stop_at = 0, .caller = pthread_self(), .threaded = true,
                       .block_at = 1};
        pthread_mutex_init(&r.mu, NULL);
        pthread_cond_init(&r.cv, NULL);
        bool left = false;
        bool ok = dm_pipeline_run(&OPS, &r, workers, 4, &left);
        assert_false(ok);
        assert_true(left);
        assert_int_equal(r.expect, 1);
        assert_false(atomic_load(&r.wrong_thread));
        /* The read returns: its item is discarded by the reader. */
        pthread_mutex_lock(&r.mu);
        r.release = true;
        pthread_cond_broadcast(&r.cv);
        pthread_mutex_unlock(&r.mu);
        while (atomic_load(&r.discarded) < 1) {
            struct timespec ts = {0, 1000000L};
            nanosleep(&ts, NULL);
        }
        assert_int_equal(atomic_load(&r.live), 0);
        assert_int_equal(r.next, 2);
        /* (the reader frees the pipeline, not r) */
        struct timespec ts = {0, 20000000L};
        nanosleep(&ts, NULL);
        pthread_cond_destroy(&r.cv);
        pthread_mutex_destroy(&r.mu);
    }
    alarm(0);
}

static void test_default_workers(void **state)
{
    (void)state;
    int n = dm_pipeline_default_workers();
    assert_true(n >= 1 && n <= 256);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_for_every_n),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_stop_at_last),
        cmocka_unit_test(test_stop_while_read_blocks),
        cmocka_unit_test(test_default_workers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
