/* A logger that appends every message to `notes` (one a line), for tests of
 * what goes to the logger rather than into the error buffer. */
#ifndef DM_TEST_NOTES_LOGGER_H
#define DM_TEST_NOTES_LOGGER_H

#include "demarche/core.h"

#include <stdio.h>
#include <string.h>

static char notes[4096];
static void note_log(void *user, dm_log_level level, const char *where, long line,
                     const char *message)
{
    size_t n = strlen(notes);
    snprintf(notes + n, sizeof notes - n, "%s\n", message);
}
static const dm_logger note_logger = {note_log, NULL};

#endif
