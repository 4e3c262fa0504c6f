/* The project's fixed feature hash: MurmurHash3 x86_32 (feature buckets,
 * lexicon table). It is locked by test vectors in tests/unit/test_features.c;
 * changing it invalidates every model. (The lexicon checksum, FNV-1a 64, is
 * in src/core/fnv.c.) */
#include "features/features_internal.h"

#include <string.h>

/* The block mixing, the finalisation and the streamed form (the same hash
 * fed in pieces) are inline in features_internal.h. */

uint32_t dm_hash32(const void *data, size_t len, uint32_t seed)
{
    const unsigned char *bytes = data;
    uint32_t h = seed;
    size_t nblocks = len / 4;

    if (!data)
        len = nblocks = 0;
    for (size_t i = 0; i < nblocks; i++)
        h = dm_hash_mix_block(h, dm_hash_le32(bytes + 4 * i));
    const unsigned char *tail = bytes + 4 * nblocks;
    uint32_t k = 0;
    switch (len & 3) {
    case 3: k ^= (uint32_t)tail[2] << 16; /* fall through */
    case 2: k ^= (uint32_t)tail[1] << 8;  /* fall through */
    case 1: k ^= tail[0];
    }
    return dm_hash_finish(h, k, len);
}
