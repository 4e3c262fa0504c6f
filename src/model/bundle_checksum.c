/* Checksums of a bundle's model files. libsvm's and LIBLINEAR's loaders
 * trust their input (a damaged libsvm file crashes svm_load_model, a
 * LIBLINEAR file cut inside a number loads), so the manifest records a
 * checksum of every model file and the loader checks it before parsing.
 *
 * A checksum names its algorithm: "crc32:<8 hex digits>" (CRC-32 as zlib,
 * gzip and PNG compute it; what demarche writes since bundle format 2) or
 * "fnv1a64:<16 hex digits>" (FNV-1a 64, bundles of format 1, still read).
 * CRC-32 is for accidents as FNV-1a was (neither stops a crafted file: the
 * loader validates every file after its checksum), and zlib's table-driven
 * CRC-32 is some eight times faster than FNV-1a's chain of multiplications
 * (one per byte, each waiting for the last): the 8 MB of weights checked
 * at every start-up took 7-12 ms with FNV-1a, 1-1.5 ms with CRC-32. The
 * CRC-32 is core/crc32.c's: zlib's values, folded with carry-less
 * multiplication where the CPU has it (32 M instructions of an empty
 * demarche-score run down to some 2 M). */
#include "model/model_internal.h"
#include "core/crc32_internal.h"
#include "core/fnv_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CRC32_PREFIX "crc32:"
#define FNV_PREFIX "fnv1a64:"

static void format_crc32(uint32_t crc, char out[DM_BUNDLE_CHECKSUM_SIZE])
{
    snprintf(out, DM_BUNDLE_CHECKSUM_SIZE, CRC32_PREFIX "%08lx", (unsigned long)crc);
}

dm_status dm_bundle_file_checksum_internal(const char *path,
                                           char out[DM_BUNDLE_CHECKSUM_SIZE],
                                           dm_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return dm_error_set(err, DM_E_IO, path, 0, "cannot read: %s", strerror(errno));
    uint32_t crc = 0;
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        crc = dm_crc32(crc, buf, n);
    bool bad = ferror(fp);
    fclose(fp);
    if (bad)
        return dm_error_set(err, DM_E_IO, path, 0, "read error");
    format_crc32(crc, out);
    return DM_OK;
}

void dm_bundle_bytes_checksum_internal(const void *data, size_t len,
                                       char out[DM_BUNDLE_CHECKSUM_SIZE])
{
    format_crc32(dm_crc32(0, data, len), out);
}

bool dm_bundle_parts_checksum_as_internal(const char *want, const void *a, size_t a_len,
                                          const void *b, size_t b_len,
                                          char out[DM_BUNDLE_CHECKSUM_SIZE])
{
    out[0] = '\0';
    if (!want)
        return false;
    if (strncmp(want, CRC32_PREFIX, strlen(CRC32_PREFIX)) == 0) {
        uint32_t crc = dm_crc32(0, a, a_len);
        format_crc32(b_len ? dm_crc32(crc, b, b_len) : crc, out);
        return true;
    }
    if (strncmp(want, FNV_PREFIX, strlen(FNV_PREFIX)) == 0) {
        uint64_t h = dm_fnv1a64(DM_FNV1A64_BASIS, a, a_len);
        if (b_len)
            h = dm_fnv1a64(h, b, b_len);
        snprintf(out, DM_BUNDLE_CHECKSUM_SIZE, FNV_PREFIX "%016llx", (unsigned long long)h);
        return true;
    }
    return false;
}

dm_status dm_bundle_checksum_check_internal(const char *want, const void *a, size_t a_len,
                                            const void *b, size_t b_len, const char *path,
                                            const char *file, const char *manifest_path,
                                            dm_error *err)
{
    char have[DM_BUNDLE_CHECKSUM_SIZE];
    if (!dm_bundle_parts_checksum_as_internal(want, a, a_len, b, b_len, have)) {
        /* What stands before the colon, for the message. */
        const char *colon = want ? strchr(want, ':') : NULL;
        char alg[24] = "none";
        if (colon && colon > want && (size_t)(colon - want) < sizeof alg)
            snprintf(alg, sizeof alg, "%.*s", (int)(colon - want), want);
        return dm_error_set(err, DM_E_FORMAT, manifest_path, 0,
                            "manifest: the checksum of %s uses an unknown algorithm "
                            "(\"%s\"; this demarche reads \"crc32:\" and \"fnv1a64:\"): "
                            "written by a newer demarche, or damaged", file, alg);
    }
    if (strcmp(have, want) != 0)
        return dm_error_set(err, DM_E_FORMAT, path, 0,
                            "%s is damaged or was changed after training (checksum %s, "
                            "manifest %s)", file, have, want);
    return DM_OK;
}
