/* CRC-32 (zlib's) with carry-less multiplication where the CPU has it.
 *
 * Why: demarche-score checks the CRC-32 of the bundle's weight files (8 MB)
 * at every start-up, and zlib 1.2.13's table-driven crc32 costs some 3.8
 * instructions a byte: 32 M instructions, a third of an empty run. Folding
 * with PCLMULQDQ (Gopal et al., Intel, "Fast CRC Computation for Generic
 * Polynomials Using PCLMULQDQ Instruction", 2009; the constants are those
 * of the paper for the bit-reflected polynomial 0x104c11db7, as in Linux's
 * crc32-pclmul and Chromium's zlib) takes 64 bytes in about a dozen
 * instructions. The values are zlib's: the bundle format and the shipped
 * checksums do not change.
 *
 * The folding takes a multiple of 16 bytes, at least 64; whatever is left,
 * and every input on a CPU (or a compiler) without PCLMULQDQ and SSE4.1,
 * goes through zlib's crc32_z. tests/unit/test_core.c checks both paths
 * against zlib on every length to 2,100 bytes at every start offset 0..63,
 * and on a few MB. */
#include "core/crc32_internal.h"

#include <zlib.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define DM_CRC32_CLMUL 1
#include <immintrin.h>
#endif

/* zlib takes lengths in z_size_t; a 32-bit one could not take a whole
 * buffer at once. */
static uint32_t crc32_zlib(uint32_t crc, const unsigned char *p, size_t len)
{
    while (len > 0) {
        size_t n = len > (size_t)1 << 30 ? (size_t)1 << 30 : len;
        crc = (uint32_t)crc32_z(crc, p, (z_size_t)n);
        p += n;
        len -= n;
    }
    return crc;
}

#ifdef DM_CRC32_CLMUL
/* The CRC register (not inverted on the way in or out, unlike zlib's
 * argument and result) after `len` bytes at p: len >= 64, a multiple of 16. */
__attribute__((target("pclmul,sse4.1"))) static uint32_t
crc32_fold(uint32_t crc, const unsigned char *p, size_t len)
{
    const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
    const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
    const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124);
    const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
    const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);

    __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x00));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x10));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x20));
    __m128i x4 = _mm_loadu_si128((const __m128i *)(const void *)(p + 0x30));
    x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
    p += 64;
    len -= 64;

    /* Four lanes of 16 bytes, each folded 512 bits forward. */
    for (; len >= 64; p += 64, len -= 64) {
        __m128i x5 = _mm_clmulepi64_si128(x1, k1k2, 0x00);
        __m128i x6 = _mm_clmulepi64_si128(x2, k1k2, 0x00);
        __m128i x7 = _mm_clmulepi64_si128(x3, k1k2, 0x00);
        __m128i x8 = _mm_clmulepi64_si128(x4, k1k2, 0x00);
        x1 = _mm_clmulepi64_si128(x1, k1k2, 0x11);
        x2 = _mm_clmulepi64_si128(x2, k1k2, 0x11);
        x3 = _mm_clmulepi64_si128(x3, k1k2, 0x11);
        x4 = _mm_clmulepi64_si128(x4, k1k2, 0x11);
        x1 = _mm_xor_si128(_mm_xor_si128(x1, x5),
                           _mm_loadu_si128((const __m128i *)(const void *)(p + 0x00)));
        x2 = _mm_xor_si128(_mm_xor_si128(x2, x6),
                           _mm_loadu_si128((const __m128i *)(const void *)(p + 0x10)));
        x3 = _mm_xor_si128(_mm_xor_si128(x3, x7),
                           _mm_loadu_si128((const __m128i *)(const void *)(p + 0x20)));
        x4 = _mm_xor_si128(_mm_xor_si128(x4, x8),
                           _mm_loadu_si128((const __m128i *)(const void *)(p + 0x30)));
    }

    /* The four lanes into one, 128 bits forward each time. */
    __m128i x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
    x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
    x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);

    /* The remaining blocks of 16. */
    for (; len >= 16; p += 16, len -= 16) {
        x5 = _mm_clmulepi64_si128(x1, k3k4, 0x00);
        x1 = _mm_clmulepi64_si128(x1, k3k4, 0x11);
        x1 = _mm_xor_si128(_mm_xor_si128(x1, x5),
                           _mm_loadu_si128((const __m128i *)(const void *)p));
    }

    /* 128 bits to 64. */
    x2 = _mm_clmulepi64_si128(x1, k3k4, 0x10);
    x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
    x2 = _mm_srli_si128(x1, 4);
    x1 = _mm_and_si128(x1, low32);
    x1 = _mm_clmulepi64_si128(x1, k5k0, 0x00);
    x1 = _mm_xor_si128(x1, x2);

    /* Barrett reduction to 32 bits. */
    x2 = _mm_and_si128(x1, low32);
    x2 = _mm_clmulepi64_si128(x2, poly, 0x10);
    x2 = _mm_and_si128(x2, low32);
    x2 = _mm_clmulepi64_si128(x2, poly, 0x00);
    x1 = _mm_xor_si128(x1, x2);
    return (uint32_t)_mm_extract_epi32(x1, 1);
}

static bool cpu_has_fold(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}
#endif

static bool forced_off;

bool dm_crc32_fast_available(void)
{
#ifdef DM_CRC32_CLMUL
    return cpu_has_fold();
#else
    return false;
#endif
}

bool dm_crc32_use_fast(bool on)
{
    forced_off = !on;
    return on && dm_crc32_fast_available();
}

uint32_t dm_crc32(uint32_t crc, const void *data, size_t len)
{
    const unsigned char *p = data;
#ifdef DM_CRC32_CLMUL
    if (len >= 64 && !forced_off && cpu_has_fold()) {
        size_t n = len & ~(size_t)15;
        crc = ~crc32_fold(~crc, p, n);
        p += n;
        len -= n;
    }
#endif
    return len ? crc32_zlib(crc, p, len) : crc;
}
