/*
 * demarche output files: how the library (model bundles, charts) and the
 * tools (-o) write a file the user named without destroying anything.
 *
 * dm_output_open(path) looks at what is at `path` after following symbolic
 * links to their final target:
 *   - a regular file, or nothing: the bytes go to a new temporary file made
 *     with mkstemp in the target's own directory ("<name>.tmp.XXXXXX");
 *     dm_output_commit flushes it, fsyncs it, gives it the mode (and, when
 *     allowed, the owner and group) of the file it replaces, or
 *     0666 & ~umask for a new file, and renames it over the target. A
 *     symbolic link therefore stays a link and its target gets the content;
 *     an interrupted run leaves the old file as it was.
 *   - a FIFO, a terminal or other character device, a block device or a
 *     Unix socket: it is opened (or connected to) and written directly: no
 *     temporary file, no rename (`-o /dev/null` stays the device).
 *   - /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the process's
 *     own descriptor, written directly and left open (as bash does), so
 *     "-o /dev/stdout >>log" appends.
 *   - a directory, or anything else: DM_E_IO, nothing is created.
 *
 * Every write is checked as it happens: the first failure (a full disk, a
 * closed pipe) is remembered with its errno, later writes are refused, and
 * dm_output_check / dm_output_commit report it as
 * "<path>: cannot write: <strerror>". Callers check after each record (or
 * batch) and stop early.
 *
 * Temporary files and the one process-wide registry: so that a killed run
 * leaves no "*.tmp.*" behind, every temporary path the library creates
 * (output files here, and the temporary bundle directory of dm_model_save)
 * is recorded in a small fixed table of pre-formatted paths while it
 * exists. dm_output_remove_temporaries() unlinks (then rmdirs) exactly
 * those paths and nothing else; it only reads the table and calls unlink
 * and rmdir, so it is async-signal-safe. The library installs no signal
 * handler: a program that wants the cleanup installs its own handler for
 * SIGINT, SIGTERM, SIGHUP, SIGPIPE... that calls it and re-raises the
 * signal with its default action (the demarche tools do, in
 * src/frontend/cli_common.c). If the table is full (DM_OUTPUT_MAX_TEMPORARIES
 * temporaries at once) writing still works; the extra paths are simply not
 * cleaned up by a signal.
 *
 * Ownership: dm_output_open returns a new object; dm_output_commit and
 * dm_output_abort both release it and set the caller's pointer to NULL.
 * The FILE* of dm_output_stream is borrowed (closed by commit/abort).
 */
#ifndef DEMARCHE_OUTPUT_H
#define DEMARCHE_OUTPUT_H

#include "demarche/core.h"

#include <stdbool.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

DM_PUBLIC_BEGIN

#define DM_OUTPUT_MAX_TEMPORARIES 32

typedef struct dm_output dm_output;

/* Open `path` for writing as described above. */
dm_status dm_output_open(const char *path, dm_output **out, dm_error *err);
/* Wrap an open descriptor (e.g. STDOUT_FILENO) as a direct output named
 * `name` in messages. Commit flushes it; the descriptor is never closed. */
dm_status dm_output_open_fd(int fd, const char *name, dm_output **out, dm_error *err);

/* A stdio stream on the output (fully buffered; line-buffered on a
 * terminal). Borrowed. Its write errors are recorded as described above. */
FILE *dm_output_stream(dm_output *o);

/* DM_OK, or DM_E_IO "cannot write: <why>" naming the path if a write has
 * failed so far (the stream's error flag included). Cheap: call it after
 * every record. */
dm_status dm_output_check(dm_output *o, dm_error *err);
/* Flush, sync and move the temporary file into place (or finish a direct
 * write). Releases *o either way. */
dm_status dm_output_commit(dm_output **o, dm_error *err);
/* Drop the output: the temporary file is removed, the target untouched.
 * Releases *o; NULL and *o == NULL are accepted. */
void dm_output_abort(dm_output **o);

/* Remove every temporary file and directory the library has open now.
 * Async-signal-safe (see above). */
void dm_output_remove_temporaries(void);

DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
