/* Dates (io.h's dm_date) written back as text. Internal. */
#ifndef DEMARCHE_IO_DATE_INTERNAL_H
#define DEMARCHE_IO_DATE_INTERNAL_H

#include "demarche/io.h"

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" by precision into buf (>= 11 bytes). */
const char *dm_date_format(const dm_date *date, char *buf, size_t size);

#endif
