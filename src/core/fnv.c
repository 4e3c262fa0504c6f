/* FNV-1a (see fnv_internal.h). The 64-bit variant is locked by test vectors
 * in tests/unit/test_features.c and the 32-bit one by the split test in
 * tests/unit/test_dataset.c: model manifests and the hold-out split depend
 * on them. */
#include "core/fnv_internal.h"

uint32_t dm_fnv1a32(uint32_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

/* Eight bytes a round: the same byte-by-byte recurrence without the loop's
 * own count, compare and branch after every byte (the model bundle's 8 MB of
 * weights are checksummed at every load: 51 M instructions of
 * demarche-score's start, 6 a byte; now 31 M). */
uint64_t dm_fnv1a64(uint64_t h, const void *data, size_t len)
{
    const uint64_t prime = 0x100000001b3ULL;
    const unsigned char *p = data;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        h = (h ^ p[i]) * prime;
        h = (h ^ p[i + 1]) * prime;
        h = (h ^ p[i + 2]) * prime;
        h = (h ^ p[i + 3]) * prime;
        h = (h ^ p[i + 4]) * prime;
        h = (h ^ p[i + 5]) * prime;
        h = (h ^ p[i + 6]) * prime;
        h = (h ^ p[i + 7]) * prime;
    }
    for (; i < len; i++)
        h = (h ^ p[i]) * prime;
    return h;
}
