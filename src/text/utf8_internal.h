/* Code point offsets (as Python's str indices count) in UTF-8 strings, for
 * the readers of labelled data with --offsets chars. Internal: shared by io
 * and model, not API. */
#ifndef DEMARCHE_TEXT_UTF8_INTERNAL_H
#define DEMARCHE_TEXT_UTF8_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

/* Byte offset of code point `cp` in the `len` bytes of `s` into *byte (cp
 * equal to the number of code points gives len); false if past the end. An
 * ill-formed sequence counts as one code point, as U+FFFD replaces it. */
bool dm_utf8_cp_to_byte(const char *s, size_t len, size_t cp, size_t *byte);

#endif
