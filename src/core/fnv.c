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

uint64_t dm_fnv1a64(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
