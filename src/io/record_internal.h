/* The two JSON record readers of record.c and record_simple.c. */
#ifndef DM_RECORD_INTERNAL_H
#define DM_RECORD_INTERNAL_H

#include "demarche/io.h"

#include <stdbool.h>

/* Read a flat record of strings, integers and nulls with a "text" string
 * into `out` (cleared by the caller) and return true; return false, with
 * `out` untouched, for anything else (dm_record_parse_json then reads the
 * line with jansson). */
bool dm_record_parse_simple(const char *json, size_t len, const char *where, long line,
                            dm_record *out);

/* dm_record_parse_simple by one path, for the tests (record_simple.c):
 * the scanner of flat records of plain strings, falling back to yajl (what
 * dm_record_parse_simple does), the scanner alone (false for whatever it
 * leaves to yajl) or yajl alone. */
typedef enum { DM_SIMPLE_SCAN_OR_YAJL, DM_SIMPLE_SCAN, DM_SIMPLE_YAJL } dm_simple_path;
bool dm_record_parse_simple_by(const char *json, size_t len, const char *where, long line,
                               dm_simple_path path, dm_record *out);

/* dm_record_parse_json without the yajl path: what it must agree with
 * (tests/unit/test_input.c). */
dm_status dm_record_parse_json_tree(const char *json, size_t len, const char *where,
                                    long line, dm_offsets offsets, const dm_logger *logger,
                                    dm_record *out, dm_error *err);

#endif
