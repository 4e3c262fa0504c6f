/* libFuzzer harness: JSON Lines records and the dataset readers.
 * The first byte chooses the reader; the rest is the input:
 *   0  dm_record_parse_json, line by line, byte offsets
 *   1  dm_record_parse_json, line by line, code-point offsets
 *   2  dm_dataset_read_jsonl (labelled statements), actors given
 *   3  dm_dataset_read_unscon (sentences.csv)
 *   4  dm_dataset_read_newsmtsc (train.jsonl)
 *   5  dm_csv_reader (strict RFC 4180)
 * The readers take a path: the input is written to a scratch file (which
 * may start with gzip's magic: the readers read .gz transparently). */
#include "fuzz_common.h"

#include "demarche/demarche.h"
#include "demarche/model.h"
#include "datasets/datasets_internal.h" /* the strict CSV reader */

static dm_actors *actors;
static char input_path[4200];

static void null_log(void *user, dm_log_level level, const char *where, long line,
                     const char *message)
{
    (void)user; (void)level; (void)where; (void)line;
    if (!message)
        abort();
}
static const dm_logger logger = {null_log, NULL};

static void cleanup(void)
{
    unlink(input_path);
    rmdir(fuzz_scratch_dir());
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    char path[4096];
    dm_error err;
    if (dm_actors_create(&actors, &err) != DM_OK ||
        dm_actors_load_tsv(actors, fuzz_path(path, sizeof path, "lexicons/actors.tsv"), &err) != DM_OK) {
        fprintf(stderr, "fuzz_records: %s\n", err.message);
        abort();
    }
    snprintf(input_path, sizeof input_path, "%s/input", fuzz_scratch_dir());
    atexit(cleanup);
    return 0;
}

static void parse_lines(const char *data, size_t size, dm_offsets offsets)
{
    dm_record rec;
    dm_record_init(&rec);
    long line = 0;
    for (size_t pos = 0; pos < size;) {
        const char *nl = memchr(data + pos, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
        dm_error err;
        if (dm_record_parse_json(data + pos, len, "fuzz", ++line, offsets, NULL, &rec, &err) == DM_OK) {
            for (size_t k = 0; k < rec.n_targets; k++)
                if (rec.targets[k].has_span &&
                    (rec.targets[k].start > rec.targets[k].end || rec.targets[k].end > rec.text_len))
                    abort(); /* a target span outside its text */
            dm_document doc = dm_record_document(&rec);
            if (doc.text_len != rec.text_len)
                abort();
        }
        pos += len + 1;
    }
    dm_record_clear(&rec);
}

static void read_csv(void)
{
    dm_error err;
    dm_csv_reader *r = NULL;
    if (dm_csv_reader_create(input_path, &r, &err) != DM_OK)
        return;
    char **fields = NULL;
    size_t n = 0;
    long line;
    while (dm_csv_read_record(r, &fields, &n, &line, &err) == DM_OK)
        continue;
    dm_csv_fields_free(fields, n); /* the last record, complete or not */
    dm_csv_reader_destroy(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *in = (const char *)data + 1;
    size_t len = size - 1;
    unsigned mode = data[0] % 6;
    if (mode <= 1) {
        parse_lines(in, len, mode == 0 ? DM_OFFSETS_BYTES : DM_OFFSETS_CHARS);
        return 0;
    }
    fuzz_write_file(input_path, in, len);
    if (mode == 5) {
        read_csv();
        return 0;
    }
    dm_error err;
    dm_dataset *ds = NULL;
    if (dm_dataset_create(&ds, &err) != DM_OK)
        abort();
    if (mode == 2)
        dm_dataset_read_jsonl(ds, input_path, (data[0] >> 3) & 1, actors, NULL, &logger, &err);
    else if (mode == 3)
        dm_dataset_read_unscon(ds, input_path, actors, &logger, &err);
    else
        dm_dataset_read_newsmtsc(ds, input_path, NULL, &logger, &err);
    dm_dataset_destroy(&ds);
    return 0;
}
