/* Whole-file reading (see file_internal.h). */
#include "core/file_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file is read into a buffer of its size (fstat) plus the NUL, by
 * read(2) and without stdio's own buffer: one allocation, written once.
 * (Doubling from 64 kB copied every byte of a 441 kB list three times
 * over, each copy into fresh pages: page faults at every start-up.) A file
 * whose size fstat does not tell (a pipe, /proc) or that grows while read
 * still is read whole, the buffer doubling as it fills. */
dm_status dm_file_read_all(const char *path, char **out, size_t *len,
                           dm_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return dm_error_set(err, DM_E_IO, path, 0, "cannot open: %s",
                            strerror(errno));
    struct stat sb;
    size_t cap = 1 << 16;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (unsigned long long)sb.st_size < (unsigned long long)SIZE_MAX / 2)
        cap = (size_t)sb.st_size + 2; /* + the NUL, + a byte to see the end */
    size_t n = 0;
    char *buf = malloc(cap);
    bool failed = false;
    while (buf) {
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            failed = true;
            break;
        }
        if (got == 0)
            break;                      /* end of file */
        n += (size_t)got;
        if (n < cap - 1)
            continue;
        char *bigger = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
        if (!bigger) {
            free(buf);
            buf = NULL;
        } else {
            buf = bigger;
            cap *= 2;
        }
    }
    close(fd);
    if (!buf)
        return dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    if (failed) {
        free(buf);
        return dm_error_set(err, DM_E_IO, path, 0, "read error");
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return DM_OK;
}

dm_status dm_file_view_open(const char *path, dm_file_view *view, dm_error *err)
{
    memset(view, 0, sizeof *view);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return dm_error_set(err, DM_E_IO, path, 0, "cannot open: %s",
                            strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (unsigned long long)sb.st_size <= (unsigned long long)SIZE_MAX) {
        int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
        flags |= MAP_POPULATE;
#endif
        void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ, flags, fd, 0);
        if (map != MAP_FAILED) {
            close(fd);
            view->map = map;
            view->data = map;
            view->len = (size_t)sb.st_size;
            return DM_OK;
        }
    }
    close(fd);
    dm_status st = dm_file_read_all(path, &view->buf, &view->len, err);
    view->data = view->buf;
    return st;
}

void dm_file_view_close(dm_file_view *view)
{
    if (view->map)
        munmap(view->map, view->len);
    free(view->buf);
    memset(view, 0, sizeof *view);
}

dm_status dm_line_buf_copy(dm_line_buf *b, const char *p, size_t n)
{
    if (n >= b->cap) {
        char *bigger = malloc(n + 1);
        if (!bigger)
            return DM_E_NOMEM;
        if (b->line != b->small)
            free(b->line);
        b->line = bigger;
        b->cap = n + 1;
    }
    memcpy(b->line, p, n);
    b->line[n] = '\0';
    return DM_OK;
}

void dm_line_buf_free(dm_line_buf *b)
{
    if (b->line != b->small)
        free(b->line);
    b->line = b->small;
}
