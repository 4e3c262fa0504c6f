/* Split the labelled corpus into its training and test parts by the
 * codebook's hold-out rule (train/CODEBOOK.md, section 7): a statement is in
 * the test split when FNV-1a 32-bit of its "id" modulo 5 is 0.
 *
 * Usage: split_corpus OUT_DIR PART.jsonl...
 * Writes OUT_DIR/train.jsonl and OUT_DIR/test.jsonl (atomically), records in
 * the order read, each line as it was. Fails on a record without an id or on
 * a duplicate id, naming file:line. */
#include "demarche/demarche.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t fnv1a32(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: split_corpus OUT_DIR PART.jsonl...\n");
        return 2;
    }
    char train_path[4096], test_path[4096], tmp_train[4200], tmp_test[4200];
    snprintf(train_path, sizeof train_path, "%s/train.jsonl", argv[1]);
    snprintf(test_path, sizeof test_path, "%s/test.jsonl", argv[1]);
    snprintf(tmp_train, sizeof tmp_train, "%s.tmp", train_path);
    snprintf(tmp_test, sizeof tmp_test, "%s.tmp", test_path);
    FILE *train = fopen(tmp_train, "w"), *test = fopen(tmp_test, "w");
    if (!train || !test) {
        fprintf(stderr, "split_corpus: cannot write into %s\n", argv[1]);
        return 1;
    }
    char **ids = NULL;
    size_t n_ids = 0, cap = 0;
    long n_train = 0, n_test = 0, errors = 0;
    for (int a = 2; a < argc; a++) {
        dm_reader *r;
        dm_error err;
        if (dm_reader_open(argv[a], &r, &err) != DM_OK) {
            fprintf(stderr, "%s: %s\n", argv[a], err.message);
            errors++;
            continue;
        }
        const char *line;
        size_t len;
        dm_status st;
        while ((st = dm_reader_next_line(r, &line, &len, &err)) != DM_END_OF_INPUT) {
            if (st != DM_OK) { /* an over-long line or a read error: never a short split */
                fprintf(stderr, "%s\n", dm_error_format(&err, (char[DM_ERROR_MESSAGE_MAX + 300]){0},
                                                        DM_ERROR_MESSAGE_MAX + 300));
                errors++;
                if (st == DM_E_PARSE)
                    continue;
                break;
            }
            if (len == 0)
                continue;
            json_error_t jerr;
            json_t *o = json_loadb(line, len, 0, &jerr);
            json_t *id = o ? json_object_get(o, "id") : NULL;
            if (!json_is_string(id)) {
                fprintf(stderr, "%s:%ld: %s\n", argv[a], dm_reader_line(r),
                        o ? "record has no string \"id\"" : jerr.text);
                errors++;
                json_decref(o);
                continue;
            }
            const char *s = json_string_value(id);
            if (n_ids == cap)
                ids = realloc(ids, (cap = cap ? cap * 2 : 4096) * sizeof *ids);
            ids[n_ids++] = strdup(s);
            FILE *out = fnv1a32(s, json_string_length(id)) % 5 == 0 ? test : train;
            if (out == test)
                n_test++;
            else
                n_train++;
            fwrite(line, 1, len, out);
            fputc('\n', out);
            json_decref(o);
        }
        dm_reader_destroy(&r);
    }
    qsort(ids, n_ids, sizeof *ids, compare_str);
    for (size_t i = 1; i < n_ids; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0) {
            fprintf(stderr, "split_corpus: duplicate id \"%s\"\n", ids[i]);
            errors++;
        }
    for (size_t i = 0; i < n_ids; i++)
        free(ids[i]);
    free(ids);
    bool ok = fclose(train) == 0;
    ok = fclose(test) == 0 && ok;
    if (!ok || errors) {
        remove(tmp_train);
        remove(tmp_test);
        fprintf(stderr, "split_corpus: %ld errors, nothing written\n", errors);
        return 1;
    }
    if (rename(tmp_train, train_path) != 0 || rename(tmp_test, test_path) != 0) {
        perror("split_corpus: rename");
        return 1;
    }
    fprintf(stderr, "split_corpus: %ld train, %ld test (%.1f%%)\n", n_train, n_test,
            100.0 * n_test / (double)(n_train + n_test ? n_train + n_test : 1));
    return 0;
}
