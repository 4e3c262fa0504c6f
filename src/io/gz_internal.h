/* Opening an input for zlib's gz* reading functions (which read plain files
 * transparently). Internal: shared by io's reader and model's CSV reader. */
#ifndef DEMARCHE_IO_GZ_INTERNAL_H
#define DEMARCHE_IO_GZ_INTERNAL_H

#include <zlib.h>

/* gzopen `path` for reading, or a duplicate of stdin for "-" (so that
 * gzclose leaves the caller's file descriptor 0 open). NULL on failure,
 * with errno set when the system said why. */
gzFile dm_gz_open(const char *path);

#endif
