/* Whole-file reading (see file_internal.h). */
#include "core/file_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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
