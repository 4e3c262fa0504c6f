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

static uint32_t mix_block(uint32_t h, uint32_t k)
{
    return dm_hash_mix_block(h, k);
}

static uint32_t finish(uint32_t h, uint32_t tail, size_t len)
{
    if (len & 3) {
        tail *= 0xcc9e2d51u;
        tail = rotl32(tail, 15);
        tail *= 0x1b873593u;
        h ^= tail;
    }
    h ^= (uint32_t)len;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

uint32_t dm_hash32(const void *data, size_t len, uint32_t seed)
{
    const unsigned char *bytes = data;
    uint32_t h = seed;
    size_t nblocks = len / 4;

    if (!data)
        len = nblocks = 0;
    for (size_t i = 0; i < nblocks; i++)
        h = mix_block(h, read_le32(bytes + 4 * i));
    const unsigned char *tail = bytes + 4 * nblocks;
    uint32_t k = 0;
    switch (len & 3) {
    case 3: k ^= (uint32_t)tail[2] << 16; /* fall through */
    case 2: k ^= (uint32_t)tail[1] << 8;  /* fall through */
    case 1: k ^= tail[0];
    }
    return finish(h, k, len);
}

/* The same hash fed in pieces: dm_hash32 of the concatenation of every piece
 * added. The bytes of an unfinished 4-byte block wait in `tail`, packed
 * little-endian as dm_hash32 packs its last bytes. */
void dm_hash_stream_init(dm_hash_stream *s, uint32_t seed)
{
    s->h = seed;
    s->tail = 0;
    s->len = 0;
}

void dm_hash_stream_add(dm_hash_stream *s, const void *data, size_t len)
{
    const unsigned char *p = data;
    const unsigned char *end = p + len;
    uint32_t h = s->h, tail = s->tail;
    size_t total = s->len;
    while (p < end && (total & 3)) {
        tail |= (uint32_t)*p++ << (8 * (total & 3));
        if ((++total & 3) == 0) {
            h = mix_block(h, tail);
            tail = 0;
        }
    }
    for (; end - p >= 4; p += 4, total += 4)
        h = mix_block(h, read_le32(p));
    for (; p < end; p++, total++)
        tail |= (uint32_t)*p << (8 * (total & 3));
    s->h = h;
    s->tail = tail;
    s->len = total;
}

uint32_t dm_hash_stream_end(const dm_hash_stream *s)
{
    return finish(s->h, s->tail, s->len);
}
