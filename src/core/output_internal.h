/* dm_output (output.h) helpers used inside the library and by tests. */
#ifndef DEMARCHE_CORE_OUTPUT_INTERNAL_H
#define DEMARCHE_CORE_OUTPUT_INTERNAL_H

#include "demarche/output.h"

#include <stdbool.h>
#include <stddef.h>

/* Write `len` bytes (unbuffered w.r.t. the stream: flushes it first).
 * DM_E_IO "cannot write: <why>" on failure. */
dm_status dm_output_write(dm_output *o, const void *buf, size_t len, dm_error *err);
/* The path as given (or the name of dm_output_open_fd). Borrowed. */
const char *dm_output_path(const dm_output *o);
/* True when the target is written directly (FIFO, device, socket, fd). */
bool dm_output_is_direct(const dm_output *o);

/* Resolve symbolic links in the last component of `path` until it names
 * something that is not a link (or does not exist): a new string, freed
 * with free(). NULL with DM_E_IO on a loop (more than 40 links) or
 * DM_E_NOMEM. */
char *dm_output_resolve(const char *path, dm_error *err);

#endif
