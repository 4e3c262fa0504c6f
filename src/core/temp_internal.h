/* The registry of temporary paths behind dm_output_remove_temporaries (the
 * whole contract is documented once, in include/demarche/output.h).
 * Internal: used by core/output.c and model/bundle.c. */
#ifndef DEMARCHE_CORE_TEMP_INTERNAL_H
#define DEMARCHE_CORE_TEMP_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

/* mkstemp / mkdtemp on `template` with the new path recorded before any
 * signal could find it unrecorded (signals are blocked in the calling
 * thread for the few instructions in between). *slot receives the entry
 * (-1 when the table is full: the path then works but is not recorded).
 * Return what mkstemp / mkdtemp return. */
int dm_temp_mkstemp(char *template, int *slot);
char *dm_temp_mkdtemp(char *template, int *slot);
/* Record a path (a file, or a directory removed after the files) that may
 * come to exist: a slot, or -1 when the table is full. */
int dm_temp_record(const char *path, bool directory);
/* Forget an entry (after the rename or removal); sets *slot to -1. */
void dm_temp_forget(int *slot);
/* The process umask, read from /proc without changing it where Linux
 * allows: new files get 0666 & ~umask, new directories 0777 & ~umask. */
mode_t dm_temp_umask(void);

#endif
