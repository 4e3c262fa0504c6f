/* The ordered pipeline behind demarche-score -j (src/frontend/cli_pipeline.c):
 * items come out in read order whatever order the workers finish in, one
 * write at a time; no more than `capacity` items live at once; a stop
 * discards what was read and not written, and loses nothing else, also when
 * the last write fails; worker 0 is the caller's thread. Run under
 * ThreadSanitizer in CI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "cli_pipeline.h"

typedef struct test_item {
    int seq;
    int worked_by;
    long value;
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
    pthread_t caller;       /* worker 0's thread */
    atomic_bool wrong_thread;
} test_run;

static void *t_read(void *user)
{
    test_run *r = user;
    if (r->next >= r->n_items)
        return NULL;
    test_item *it = calloc(1, sizeof *it);
    if (!it)
        return NULL;
    it->seq = r->next++;
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
    if ((worker == 0) != (bool)pthread_equal(pthread_self(), r->caller))
        atomic_store(&r->wrong_thread, true);
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
    *r = (test_run){.n_items = n_items, .stop_at = stop_at, .caller = pthread_self()};
    bool left = true;
    bool ok = dm_pipeline_run(&OPS, r, workers, capacity, &left);
    assert_false(left);
    assert_false(atomic_load(&r->wrong_thread));
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
        cmocka_unit_test(test_default_workers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
