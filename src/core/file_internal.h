/* Whole-file reading for the lexicon and dictionary loaders. Internal:
 * shared by the modules, not API. (Inputs the user gives, which may be
 * stdin or gzip'ed, go through dm_reader in io.h instead.) */
#ifndef DEMARCHE_CORE_FILE_INTERNAL_H
#define DEMARCHE_CORE_FILE_INTERNAL_H

#include "demarche/core.h"

#include <stddef.h>

/* Read the file at `path` into a new buffer, NUL-terminated (*len excludes
 * the NUL; the bytes may hold NULs of their own). *out is freed with free().
 * DM_E_IO ("cannot open: <why>", "read error") or DM_E_NOMEM, naming path. */
dm_status dm_file_read_all(const char *path, char **out, size_t *len,
                           dm_error *err);

/* A file's bytes to read, not to write: a regular file that is not empty
 * is mapped read-only, its pages taken from the page cache up front
 * (MAP_POPULATE), where read(2) copies them into fresh pages, a page fault
 * each (the 441 kB list of given names: 108 faults at every start-up).
 * Anything else (a pipe, an empty file, a failed mapping) is read whole
 * with dm_file_read_all. data[0, len) are the bytes, not NUL-terminated
 * when mapped; they stay valid until dm_file_view_close, which frees or
 * unmaps them (and leaves the view empty). Errors as dm_file_read_all's. */
typedef struct dm_file_view {
    const char *data;
    size_t len;
    void *map;          /* the mapping, or NULL */
    char *buf;          /* the bytes read, or NULL */
} dm_file_view;

dm_status dm_file_view_open(const char *path, dm_file_view *view, dm_error *err);
void dm_file_view_close(dm_file_view *view);

/* A line cut out of a file view to be parsed in place: a NUL-terminated
 * copy in the caller's stack buffer while it fits, else in one on the heap
 * (kept for the next lines). Start with {small, sizeof small, small}; end
 * with dm_line_buf_free, which frees only what was allocated. */
typedef struct dm_line_buf {
    char *line;
    size_t cap;
    char *small;
} dm_line_buf;

/* Copy the n bytes at p into b->line with a NUL after them. DM_E_NOMEM
 * (b unchanged) when a longer buffer cannot be had. */
dm_status dm_line_buf_copy(dm_line_buf *b, const char *p, size_t n);
void dm_line_buf_free(dm_line_buf *b);

#endif
