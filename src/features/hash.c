/* The project's fixed feature hash: MurmurHash3 x86_32 (feature buckets,
 * lexicon table). It is locked by test vectors in tests/unit/test_features.c;
 * changing it invalidates every model. (The lexicon checksum, FNV-1a 64, is
 * in src/core/fnv.c.) */
#include "features/features_internal.h"

#include <string.h>

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

/* Read 4 bytes little-endian whatever the host order, so that the hash of a
 * string is the same on every machine a model travels to. */
static uint32_t read_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

uint32_t dm_hash32(const void *data, size_t len, uint32_t seed)
{
    const unsigned char *bytes = data;
    const uint32_t c1 = 0xcc9e2d51u, c2 = 0x1b873593u;
    uint32_t h = seed;
    size_t nblocks = len / 4;

    if (!data)
        len = nblocks = 0;
    for (size_t i = 0; i < nblocks; i++) {
        uint32_t k = read_le32(bytes + 4 * i);
        k *= c1;
        k = rotl32(k, 15);
        k *= c2;
        h ^= k;
        h = rotl32(h, 13);
        h = h * 5 + 0xe6546b64u;
    }
    const unsigned char *tail = bytes + 4 * nblocks;
    uint32_t k = 0;
    switch (len & 3) {
    case 3: k ^= (uint32_t)tail[2] << 16; /* fall through */
    case 2: k ^= (uint32_t)tail[1] << 8;  /* fall through */
    case 1:
        k ^= tail[0];
        k *= c1;
        k = rotl32(k, 15);
        k *= c2;
        h ^= k;
    }
    h ^= (uint32_t)len;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}
