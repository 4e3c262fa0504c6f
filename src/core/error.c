/* Status names, the error buffer and the log callback (see core.h). */
#include "demarche/core.h"
#include "core/log_internal.h"

#include <stdio.h>
#include <string.h>

const char *dm_status_name(dm_status status)
{
    switch (status) {
    case DM_OK: return "ok";
    case DM_E_INVALID_ARG: return "invalid-argument";
    case DM_E_NOMEM: return "out-of-memory";
    case DM_E_IO: return "io-error";
    case DM_E_PARSE: return "parse-error";
    case DM_E_FORMAT: return "format-error";
    case DM_E_VERSION: return "version-error";
    case DM_E_MISMATCH: return "mismatch";
    case DM_E_NOT_FOUND: return "not-found";
    case DM_E_TRAIN: return "train-error";
    case DM_E_INTERNAL: return "internal-error";
    case DM_END_OF_INPUT: return "end-of-input";
    }
    return "unknown-status";
}

void dm_error_clear(dm_error *err)
{
    if (!err)
        return;
    err->status = DM_OK;
    err->where[0] = '\0';
    err->line = 0;
    err->message[0] = '\0';
}

dm_status dm_error_set(dm_error *err, dm_status status, const char *where,
                       long line, const char *fmt, ...)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return status;
}

const char *dm_error_format(const dm_error *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (!err) {
        buf[0] = '\0';
        return buf;
    }
    if (err->where[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->where, err->line, err->message);
    else if (err->where[0])
        snprintf(buf, size, "%s: %s", err->where, err->message);
    else
        snprintf(buf, size, "%s", err->message);
    return buf;
}

void dm_log(const dm_logger *logger, dm_log_level level, const char *where,
            long line, const char *fmt, ...)
{
    if (!logger || !logger->fn)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    logger->fn(logger->user, level, where ? where : "", line, msg);
}
