/* The two statement encoders of statement_json.c, open to the unit tests
 * that hold them to the same bytes. Internal: not API. */
#ifndef DEMARCHE_IO_STATEMENT_JSON_INTERNAL_H
#define DEMARCHE_IO_STATEMENT_JSON_INTERNAL_H

#include "demarche/io.h"

#include <stddef.h>

/* `x` as jansson prints a real with JSON_REAL_PRECISION(6), into buf (NUL
 * terminated); returns its length, -1 if buf is too small (use 32 bytes). */
int dm_json_format_real_internal(double x, char *buf, size_t size);

/* dm_statement_to_json through jansson's tree (what it does when a field is
 * not valid UTF-8); *out is freed with free(). */
dm_status dm_statement_to_json_tree_internal(const dm_statement *st, const char *doc_id,
                                             const char *date, int flags, char **out,
                                             dm_error *err);

#endif
