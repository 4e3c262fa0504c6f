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

#endif
