/* CRC-32 as zlib, gzip and PNG compute it (reflected polynomial 0xedb88320,
 * initial value and final XOR all ones): the checksum of a bundle's model
 * files. The same values as zlib's crc32(), faster on x86-64 CPUs with
 * carry-less multiplication. Internal: shared by the modules, not API. */
#ifndef DEMARCHE_CORE_CRC32_INTERNAL_H
#define DEMARCHE_CORE_CRC32_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* zlib's crc32(crc, data, len): continues from `crc` (0 for a new checksum),
 * so that several pieces can be checked as one. */
uint32_t dm_crc32(uint32_t crc, const void *data, size_t len);

/* For the tests: whether the carry-less multiplication path exists on this
 * CPU (and build), and forcing it off (false: zlib's code only, as on a CPU
 * without it) or back to what the CPU has (true). Not thread-safe: call it
 * before any dm_crc32 runs in another thread. Returns whether dm_crc32 now
 * uses the fast path. */
bool dm_crc32_fast_available(void);
bool dm_crc32_use_fast(bool on);

#endif
