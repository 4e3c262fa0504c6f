/* Whole-file reading (see file_internal.h). */
#include "core/file_internal.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

dm_status dm_file_read_all(const char *path, char **out, size_t *len,
                           dm_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return dm_error_set(err, DM_E_IO, path, 0, "cannot open: %s",
                            strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;                      /* end of file or an error */
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
        } else {
            buf = bigger;
            cap *= 2;
        }
    }
    bool failed = ferror(f);
    fclose(f);
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
