/* The two JSON record readers of record.c and record_simple.c. */
#ifndef DM_RECORD_INTERNAL_H
#define DM_RECORD_INTERNAL_H

#include "demarche/io.h"

#include <stdbool.h>

/* Read a flat record of strings, integers and nulls with a "text" string
 * into `out` (cleared by the caller; its strings go into out's pool, kept
 * from the record before) and return true; return false, with out's fields
 * untouched (its pool may have grown), for anything else
 * (dm_record_parse_json then reads the line with jansson). */
bool dm_record_parse_simple(const char *json, size_t len, const char *where, long line,
                            dm_record *out);

/* Free a record's kept yajl parser (dm_record.parser_; NULL: nothing). */
void dm_record_simple_free(void *parser);

/* dm_record_parse_json without the yajl path: what it must agree with
 * (tests/unit/test_input.c). */
dm_status dm_record_parse_json_tree(const char *json, size_t len, const char *where,
                                    long line, dm_offsets offsets, const dm_logger *logger,
                                    dm_record *out, dm_error *err);

#endif
