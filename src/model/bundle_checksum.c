/* Checksums of a bundle's model files. libsvm's and LIBLINEAR's loaders
 * trust their input (a damaged libsvm file crashes svm_load_model, a
 * LIBLINEAR file cut inside a number loads), so the manifest records
 * FNV-1a 64 of every model file and the loader checks it before parsing. */
#include "model/model_internal.h"
#include "core/fnv_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

dm_status dm_bundle_file_checksum_internal(const char *path,
                                           char out[DM_BUNDLE_CHECKSUM_SIZE],
                                           dm_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return dm_error_set(err, DM_E_IO, path, 0, "cannot read: %s", strerror(errno));
    uint64_t h = DM_FNV1A64_BASIS;
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        h = dm_fnv1a64(h, buf, n);
    bool bad = ferror(fp);
    fclose(fp);
    if (bad)
        return dm_error_set(err, DM_E_IO, path, 0, "read error");
    snprintf(out, DM_BUNDLE_CHECKSUM_SIZE, "fnv1a64:%016llx", (unsigned long long)h);
    return DM_OK;
}

void dm_bundle_bytes_checksum_internal(const void *data, size_t len,
                                       char out[DM_BUNDLE_CHECKSUM_SIZE])
{
    uint64_t h = dm_fnv1a64(DM_FNV1A64_BASIS, data, len);
    snprintf(out, DM_BUNDLE_CHECKSUM_SIZE, "fnv1a64:%016llx", (unsigned long long)h);
}

void dm_bundle_parts_checksum_internal(const void *a, size_t a_len, const void *b, size_t b_len,
                                       char out[DM_BUNDLE_CHECKSUM_SIZE])
{
    uint64_t h = dm_fnv1a64(DM_FNV1A64_BASIS, a, a_len);
    if (b_len)
        h = dm_fnv1a64(h, b, b_len);
    snprintf(out, DM_BUNDLE_CHECKSUM_SIZE, "fnv1a64:%016llx", (unsigned long long)h);
}
