/* Eight bytes at a time: tests that let the common case (plain ASCII
 * text) skip a per-byte loop. Each says only "nothing of interest in these
 * eight bytes"; callers look at the bytes one by one when it says no. */
#ifndef DM_CORE_BYTES_INTERNAL_H
#define DM_CORE_BYTES_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define DM_BYTES_ONES UINT64_C(0x0101010101010101)
#define DM_BYTES_HIGH UINT64_C(0x8080808080808080)

static inline uint64_t dm_bytes_load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v); /* unaligned, and no aliasing question */
    return v;
}

/* Non-zero iff some byte of v is zero (exact: the classic test's
 * false positives only follow a true zero byte, which makes it true
 * anyway). */
static inline uint64_t dm_bytes_has_zero(uint64_t v)
{
    return (v - DM_BYTES_ONES) & ~v & DM_BYTES_HIGH;
}

/* Non-zero iff some byte of v equals b. */
static inline uint64_t dm_bytes_has(uint64_t v, unsigned char b)
{
    return dm_bytes_has_zero(v ^ (DM_BYTES_ONES * b));
}

/* Non-zero iff some byte of v is below n, for n <= 128 (exact in that
 * range, as dm_bytes_has_zero). */
static inline uint64_t dm_bytes_has_less(uint64_t v, unsigned char n)
{
    return (v - DM_BYTES_ONES * n) & ~v & DM_BYTES_HIGH;
}

/* Every byte of s[0..len) below 0x80 (plain ASCII). */
static inline bool dm_bytes_ascii(const char *s, size_t len)
{
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        if (dm_bytes_load8(s + i) & DM_BYTES_HIGH)
            return false;
    for (; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

#endif
