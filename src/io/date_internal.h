/* Dates (io.h's dm_date) written back as text. Internal. */
#ifndef DEMARCHE_IO_DATE_INTERNAL_H
#define DEMARCHE_IO_DATE_INTERNAL_H

#include "demarche/io.h"

/* The forms dm_date_parse reads, as messages list them. */
#define DM_DATE_FORMATS                                                                            \
    "YYYY, YYYY-MM, YYYY-MM-DD, an ISO 8601 timestamp, or GDELT's YYYYMMDD or YYYYMMDDHHMMSS"

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" by precision into buf (>= 11 bytes). */
const char *dm_date_format(const dm_date *date, char *buf, size_t size);

#endif
