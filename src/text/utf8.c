/* Code point offsets in UTF-8 strings (see utf8_internal.h). */
#include "text/utf8_internal.h"

#include <stdint.h>
#include <unicode/utf8.h>

bool dm_utf8_cp_to_byte(const char *s, size_t len, size_t cp, size_t *byte)
{
    int32_t i = 0, n = (int32_t)len;
    for (size_t k = 0; k < cp; k++) {
        if (i >= n)
            return false;
        U8_FWD_1((const uint8_t *)s, i, n);
    }
    *byte = (size_t)i;
    return true;
}
