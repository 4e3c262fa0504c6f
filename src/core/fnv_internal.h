/* FNV-1a, the library's one non-cryptographic hash for checksums (lexicon
 * checksum in model manifests), the train/test split of labelled records
 * and in-memory string tables. Internal: shared by the modules, not API. */
#ifndef DEMARCHE_CORE_FNV_INTERNAL_H
#define DEMARCHE_CORE_FNV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#define DM_FNV1A32_BASIS 0x811c9dc5u
#define DM_FNV1A64_BASIS 0xcbf29ce484222325ULL

/* FNV-1a over `len` bytes, continuing from `h` (the offset basis above for a
 * new hash), so that several pieces can be hashed as one. */
uint32_t dm_fnv1a32(uint32_t h, const void *data, size_t len);
uint64_t dm_fnv1a64(uint64_t h, const void *data, size_t len);

#endif
