/* Tests of the core module: status names, the error buffer, the logger, and
 * the shared internal helpers (FNV-1a is locked in test_features.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/file_internal.h"
#include "demarche/core.h"
#include "core/log_internal.h"
#include "core/fnv_internal.h"
#include "core/crc32_internal.h"

#include <zlib.h>

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(dm_status_name(DM_OK), "ok");
    assert_string_equal(dm_status_name(DM_E_INVALID_ARG), "invalid-argument");
    assert_string_equal(dm_status_name(DM_E_MISMATCH), "mismatch");
    assert_string_equal(dm_status_name(DM_E_INTERNAL), "internal-error");
    assert_string_equal(dm_status_name(DM_END_OF_INPUT), "end-of-input");
    /* Every status has its own name; an unknown one still gets a string. */
    for (int a = DM_OK; a <= DM_END_OF_INPUT; a++)
        for (int b = a + 1; b <= DM_END_OF_INPUT; b++)
            assert_string_not_equal(dm_status_name((dm_status)a), dm_status_name((dm_status)b));
    assert_string_equal(dm_status_name((dm_status)999), "unknown-status");
}

static void test_error_set_and_format(void **state)
{
    (void)state;
    dm_error err;
    dm_error_clear(&err);
    assert_int_equal(err.status, DM_OK);
    assert_string_equal(err.message, "");
    assert_int_equal(dm_error_set(&err, DM_E_PARSE, "a.jsonl", 7, "bad %s at %d", "brace", 3),
                     DM_E_PARSE);
    assert_int_equal(err.status, DM_E_PARSE);
    assert_string_equal(err.where, "a.jsonl");
    assert_int_equal(err.line, 7);
    assert_string_equal(err.message, "bad brace at 3");
    char buf[64];
    assert_string_equal(dm_error_format(&err, buf, sizeof buf), "a.jsonl:7: bad brace at 3");
    err.line = 0;
    assert_string_equal(dm_error_format(&err, buf, sizeof buf), "a.jsonl: bad brace at 3");
    dm_error_set(&err, DM_E_IO, NULL, 0, "disk full");
    assert_string_equal(err.where, "");
    assert_string_equal(dm_error_format(&err, buf, sizeof buf), "disk full");
    /* A small buffer is cut, still NUL-terminated. */
    char small[5];
    assert_string_equal(dm_error_format(&err, small, sizeof small), "disk");
    dm_error_clear(&err);
    assert_int_equal(err.status, DM_OK);
    assert_string_equal(err.where, "");
}

static void test_error_long_message_is_cut(void **state)
{
    (void)state;
    char longer[2 * DM_ERROR_MESSAGE_MAX];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    dm_error err;
    dm_error_set(&err, DM_E_FORMAT, longer, 1, "%s", longer);
    assert_int_equal(strlen(err.message), DM_ERROR_MESSAGE_MAX - 1);
    assert_int_equal(strlen(err.where), DM_ERROR_WHERE_MAX - 1);
}

static void test_error_invalid_args(void **state)
{
    (void)state;
    /* No buffer: the status is still returned. */
    assert_int_equal(dm_error_set(NULL, DM_E_NOMEM, "x", 1, "y"), DM_E_NOMEM);
    dm_error_clear(NULL);
    char buf[8] = "keep";
    assert_string_equal(dm_error_format(NULL, buf, sizeof buf), "");
    dm_error err;
    dm_error_set(&err, DM_E_IO, NULL, 0, "message");
    assert_null(dm_error_format(&err, NULL, 10));
    strcpy(buf, "keep");
    assert_ptr_equal(dm_error_format(&err, buf, 0), buf);
    assert_string_equal(buf, "keep");
}

typedef struct log_capture {
    int calls;
    dm_log_level level;
    char where[32];
    long line;
    char message[64];
} log_capture;

static void capture(void *user, dm_log_level level, const char *where, long line,
                    const char *message)
{
    log_capture *c = user;
    c->calls++;
    c->level = level;
    snprintf(c->where, sizeof c->where, "%s", where);
    c->line = line;
    snprintf(c->message, sizeof c->message, "%s", message);
}

static void test_log(void **state)
{
    (void)state;
    log_capture c = {0};
    dm_logger logger = {capture, &c};
    dm_log(&logger, DM_LOG_WARNING, "doc-1", 4, "%d invalid sequences", 2);
    assert_int_equal(c.calls, 1);
    assert_int_equal(c.level, DM_LOG_WARNING);
    assert_string_equal(c.where, "doc-1");
    assert_int_equal(c.line, 4);
    assert_string_equal(c.message, "2 invalid sequences");
    dm_log(&logger, DM_LOG_INFO, NULL, 0, "note");
    assert_int_equal(c.calls, 2);
    assert_string_equal(c.where, "");   /* NULL where becomes "" */
    /* No logger, or no callback: dropped without a crash. */
    dm_log(NULL, DM_LOG_ERROR, "x", 1, "dropped");
    dm_logger silent = {NULL, &c};
    dm_log(&silent, DM_LOG_ERROR, "x", 1, "dropped");
    assert_int_equal(c.calls, 2);
}

static void test_file_read_all(void **state)
{
    (void)state;
    char path[] = "/tmp/dm_test_core_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    /* More than one read chunk, with a NUL inside. */
    size_t n = 200000;
    char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)('a' + i % 26);
    data[1000] = '\0';
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    char *buf = NULL;
    size_t len = 0;
    dm_error err;
    assert_int_equal(dm_file_read_all(path, &buf, &len, &err), DM_OK);
    assert_int_equal(len, n);
    assert_memory_equal(buf, data, n);
    assert_int_equal(buf[len], '\0');
    free(buf);
    free(data);
    /* Empty file: an empty string. */
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fclose(fp);
    assert_int_equal(dm_file_read_all(path, &buf, &len, &err), DM_OK);
    assert_int_equal(len, 0);
    assert_string_equal(buf, "");
    free(buf);
    unlink(path);
    /* A missing file names itself and says why. */
    assert_int_equal(dm_file_read_all(path, &buf, &len, &err), DM_E_IO);
    assert_string_equal(err.where, path);
    assert_non_null(strstr(err.message, "cannot open"));
    /* The buffer is sized by fstat: files of one byte, and of the sizes
     * around the old 64 kB read chunk, come back whole. */
    const size_t sizes[] = {1, 65534, 65535, 65536, 65537};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        memcpy(path + strlen(path) - 6, "XXXXXX", 6);
        fd = mkstemp(path);
        assert_true(fd >= 0);
        data = malloc(sizes[k]);
        assert_non_null(data);
        for (size_t i = 0; i < sizes[k]; i++)
            data[i] = (char)('A' + i % 31);
        assert_int_equal(write(fd, data, sizes[k]), (ssize_t)sizes[k]);
        close(fd);
        assert_int_equal(dm_file_read_all(path, &buf, &len, &err), DM_OK);
        assert_int_equal(len, sizes[k]);
        assert_memory_equal(buf, data, sizes[k]);
        assert_int_equal(buf[len], '\0');
        free(buf);
        free(data);
        unlink(path);
    }
    /* A file whose size fstat does not give (0 for /proc files) is read
     * to its end all the same. */
    if (access("/proc/self/status", R_OK) == 0) {
        assert_int_equal(dm_file_read_all("/proc/self/status", &buf, &len, &err), DM_OK);
        assert_true(len > 0);
        assert_int_equal(strlen(buf), len);
        assert_non_null(strstr(buf, "Name:"));
        free(buf);
    }
}

/* dm_fnv1a64 hashes eight bytes a round, then the rest one by one: every
 * length around the round's edges and every split point must give the
 * byte-by-byte recurrence (model manifests hold these checksums). */
static uint64_t fnv1a64_bytewise(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void test_fnv1a64_rounds(void **state)
{
    (void)state;
    unsigned char data[1000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 7 + 3);
    /* computed with Python's integers */
    assert_true(dm_fnv1a64(DM_FNV1A64_BASIS, data, sizeof data) == 0x93cdf9b77b086af5ULL);
    for (size_t n = 0; n <= 40; n++)
        for (size_t cut = 0; cut <= n; cut++) {
            uint64_t want = fnv1a64_bytewise(DM_FNV1A64_BASIS, data + 100, n);
            uint64_t h = dm_fnv1a64(DM_FNV1A64_BASIS, data + 100, cut);
            assert_true(dm_fnv1a64(h, data + 100 + cut, n - cut) == want);
        }
}

/* dm_crc32 must give zlib's crc32 on every input, on the carry-less
 * multiplication path (this CPU's, when it has it) and on the fallback
 * (zlib's code, as on a CPU without it): every length 0..2100 at every
 * start offset 0..63, from 0 and from another checksum, then a few MB
 * whole and in pieces. */
static uint32_t zlib_crc(uint32_t crc, const unsigned char *p, size_t n)
{
    return (uint32_t)crc32_z(crc, p, (z_size_t)n);
}

static void check_crc32_against_zlib(const unsigned char *buf, size_t big)
{
    for (size_t a = 0; a < 64; a++)
        for (size_t n = 0; n <= 2100; n++) {
            const unsigned char *p = buf + a;
            assert_int_equal(dm_crc32(0, p, n), zlib_crc(0, p, n));
            uint32_t from = (uint32_t)(n * 2654435761u + a);
            assert_int_equal(dm_crc32(from, p, n), zlib_crc(from, p, n));
        }
    uint32_t want = zlib_crc(0, buf + 3, big - 3);
    assert_int_equal(dm_crc32(0, buf + 3, big - 3), want);
    /* in pieces of awkward sizes: continuing gives the same as whole */
    uint32_t crc = 0;
    size_t at = 3, step = 1;
    while (at < big) {
        size_t n = step < big - at ? step : big - at;
        crc = dm_crc32(crc, buf + at, n);
        at += n;
        step = step * 3 + 7;
    }
    assert_int_equal(crc, want);
}

static void test_crc32_as_zlib(void **state)
{
    (void)state;
    static const char check[] = "123456789";
    assert_int_equal(dm_crc32(0, check, 9), 0xcbf43926u); /* the standard check value */
    assert_int_equal(dm_crc32(0, NULL, 0), 0);
    size_t big = (size_t)5 << 20 | 13;
    unsigned char *buf = aligned_alloc(64, (big + 63) & ~(size_t)63);
    assert_non_null(buf);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < big; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (unsigned char)(x >> 24);
    }
#if defined(__x86_64__)
    /* The CPUs demarche runs on have had PCLMULQDQ since 2010: it is used. */
    if (dm_crc32_fast_available())
        assert_true(dm_crc32_use_fast(true));
#endif
    check_crc32_against_zlib(buf, big);   /* the fast path, where there is one */
    assert_false(dm_crc32_use_fast(false));
    check_crc32_against_zlib(buf, big);   /* the fallback */
    /* all zeros and all ones, where a fold that drops a term still agrees
     * on random data by chance less often than here */
    memset(buf, 0, 4096);
    memset(buf + 4096, 0xff, 4096);
    for (int on = 0; on <= 1; on++) {
        dm_crc32_use_fast(on);
        for (size_t n = 0; n <= 8192; n += 61)
            assert_int_equal(dm_crc32(0, buf, n), zlib_crc(0, buf, n));
    }
    assert_int_equal(dm_crc32_use_fast(true), dm_crc32_fast_available());
    free(buf);
}

/* A line copied into the caller's buffer while it fits, onto the heap
 * (kept) when it does not, NUL-terminated either way. */
static void test_line_buf(void **state)
{
    (void)state;
    char small[8];
    dm_line_buf b = {small, sizeof small, small};
    assert_int_equal(dm_line_buf_copy(&b, "abcdefgXYZ", 7), DM_OK);
    assert_ptr_equal(b.line, small);
    assert_string_equal(b.line, "abcdefg");
    char big[40];
    memset(big, 'q', sizeof big);
    assert_int_equal(dm_line_buf_copy(&b, big, 8), DM_OK); /* 8 + NUL: no room */
    assert_ptr_not_equal(b.line, small);
    assert_int_equal(strlen(b.line), 8);
    char *heap = b.line;
    assert_int_equal(dm_line_buf_copy(&b, "ab", 2), DM_OK); /* the heap one kept */
    assert_ptr_equal(b.line, heap);
    assert_string_equal(b.line, "ab");
    assert_int_equal(dm_line_buf_copy(&b, big, 0), DM_OK);
    assert_string_equal(b.line, "");
    dm_line_buf_free(&b);
    assert_ptr_equal(b.line, small);
    dm_line_buf_free(&b); /* twice: nothing to free */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_error_set_and_format),
        cmocka_unit_test(test_error_long_message_is_cut),
        cmocka_unit_test(test_error_invalid_args),
        cmocka_unit_test(test_log),
        cmocka_unit_test(test_file_read_all),
        cmocka_unit_test(test_line_buf),
        cmocka_unit_test(test_fnv1a64_rounds),
        cmocka_unit_test(test_crc32_as_zlib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
