/* How library code delivers a warning or note to the caller's dm_logger
 * (core.h). Internal: a host receives messages, it does not send them. */
#ifndef DEMARCHE_CORE_LOG_INTERNAL_H
#define DEMARCHE_CORE_LOG_INTERNAL_H

#include "demarche/core.h"

/* Format and deliver a message to `logger` (NULL or fn NULL: dropped). */
void dm_log(const dm_logger *logger, dm_log_level level, const char *where,
            long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
