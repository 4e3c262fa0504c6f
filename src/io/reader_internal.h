/* Byte-level access to a dm_reader, for readers of other formats (the CSV
 * reader of the model module) that want its gzip, encoding and error
 * handling. Internal. */
#ifndef DEMARCHE_IO_READER_INTERNAL_H
#define DEMARCHE_IO_READER_INTERNAL_H

#include "demarche/io.h"

enum {
    DM_READER_GETC_EOF = -1,
    DM_READER_GETC_ERROR = -2   /* err says why; every later call fails too */
};

/* The next byte of the (decompressed, UTF-8) input as 0-255, or one of the
 * values above. Does not count lines. */
int dm_reader_getc_internal(dm_reader *reader, dm_error *err);

/* The input's encoding as read from its first bytes: "UTF-8" (also before
 * the first read), "UTF-16LE", "UTF-16BE", "UTF-32LE" or "UTF-32BE".
 * Borrowed, static. */
const char *dm_reader_encoding(const dm_reader *reader);

#endif
