/* The speaker ranker's weight file (models/speaker_ranker.tsv): reading it,
 * refusing what this build cannot honour, and writing it (for the study
 * tool that trains it, bench/polnear_rank.c). The format, one item a line:
 *
 *   # comment lines
 *   demarche-speaker-ranker<TAB>2          magic and format version (first)
 *   features<TAB>LAYOUT<TAB>N              feature layout and count
 *   margin<TAB>KIND<TAB>VALUE              the rules' KIND speaker (pronoun,
 *                                          previous_sentence...) is replaced
 *                                          when the ranker's best beats it by
 *                                          more than VALUE (version 2)
 *   source<TAB>... / licence<TAB>... / trainer<TAB>...   provenance
 *   w<TAB>INDEX<TAB>VALUE                  a nonzero weight, 1 <= INDEX <= N
 *   checksum<TAB>fnv1a64:HEX               FNV-1a 64 of every byte before
 *                                          this line (last)
 */
#include "statements/rank_internal.h"

#include "core/file_internal.h"
#include "core/fnv_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "demarche-speaker-ranker"
#define FORMAT_VERSION 2

void dm_extractor_set_ranker(dm_extractor *ex, const dm_ranker *ranker)
{
    if (ex)
        ex->ranker = ranker;
}

void dm_ranker_destroy(dm_ranker **r)
{
    if (!r || !*r)
        return;
    free((*r)->w);
    free(*r);
    *r = NULL;
}

/* Split a line (NUL-terminated, no newline) at tabs into at most 3 fields. */
static int fields(char *line, char **f)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < 3; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

static dm_status parse(char *buf, size_t len, const char *path, dm_ranker *r, dm_error *err)
{
    /* the checksum line: the last one */
    size_t end = len;
    while (end > 0 && buf[end - 1] == '\n')
        end--;
    size_t cs = end;
    while (cs > 0 && buf[cs - 1] != '\n')
        cs--;
    char want[40];
    if (strncmp(buf + cs, "checksum\tfnv1a64:", 17) != 0)
        return dm_error_set(err, DM_E_FORMAT, path, 0, "no checksum line at the end (truncated?)");
    snprintf(want, sizeof want, "%016" PRIx64, dm_fnv1a64(DM_FNV1A64_BASIS, buf, cs));
    if (end - cs - 17 != 16 || strncmp(buf + cs + 17, want, 16) != 0)
        return dm_error_set(err, DM_E_FORMAT, path, 0,
                            "checksum mismatch: the file was changed or damaged");
    buf[cs] = '\0';
    bool magic = false, layout = false;
    size_t lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (line[0] == '#')
            continue;
        char *f[3];
        int n = fields(line, f);
        if (!magic) {
            if (n != 2 || strcmp(f[0], MAGIC) != 0)
                return dm_error_set(err, DM_E_FORMAT, path, lineno,
                                    "not a speaker ranker (no '" MAGIC "' line first)");
            if (atoi(f[1]) != FORMAT_VERSION)
                return dm_error_set(err, DM_E_VERSION, path, lineno,
                                    "format version %s; this build reads %d", f[1],
                                    FORMAT_VERSION);
            magic = true;
        } else if (strcmp(f[0], "features") == 0) {
            if (n != 3 || atoi(f[1]) != DM_RANK_LAYOUT || strtoul(f[2], NULL, 10) != r->n)
                return dm_error_set(err, DM_E_MISMATCH, path, lineno,
                                    "weights for feature layout %s with %s features; this build "
                                    "has layout %d with %zu: retrain (scripts/train-speaker-ranker.sh)",
                                    n > 1 ? f[1] : "?", n > 2 ? f[2] : "?", DM_RANK_LAYOUT, r->n);
            layout = true;
        } else if (strcmp(f[0], "w") == 0) {
            char *e1, *e2;
            long k = n == 3 ? strtol(f[1], &e1, 10) : 0;
            double v = n == 3 ? strtod(f[2], &e2) : 0;
            if (!layout)
                return dm_error_set(err, DM_E_FORMAT, path, lineno, "weight before the features line");
            if (n != 3 || *e1 || *e2 || k < 1 || (size_t)k > r->n || !isfinite(v))
                return dm_error_set(err, DM_E_FORMAT, path, lineno,
                                    "bad weight (want: w, an index 1..%zu, a finite number)", r->n);
            r->w[k - 1] = v;
        } else if (strcmp(f[0], "margin") == 0) {
            char *e;
            double v = n == 3 ? strtod(f[2], &e) : 0;
            int k = 0;
            while (n == 3 && k < DM_RQ_N && strcmp(dm_rq_kind_name(k), f[1]) != 0)
                k++;
            if (n != 3 || k == DM_RQ_N || !(DM_RANK_REPLACE >> k & 1) || *e || !isfinite(v))
                return dm_error_set(err, DM_E_MISMATCH, path, lineno,
                                    "bad margin line (want: margin, a kind this build lets the "
                                    "ranker replace (pronoun, previous_sentence), a finite number)");
            r->margin[k] = v;
        } else if (strcmp(f[0], "source") != 0 && strcmp(f[0], "licence") != 0 &&
                   strcmp(f[0], "trainer") != 0) {
            return dm_error_set(err, DM_E_FORMAT, path, lineno, "unknown line '%s'", f[0]);
        }
    }
    if (!magic || !layout)
        return dm_error_set(err, DM_E_FORMAT, path, lineno, "no %s line",
                            magic ? "features" : MAGIC);
    return DM_OK;
}

dm_status dm_ranker_load(const char *path, dm_ranker **out, dm_error *err)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return dm_error_set(err, DM_E_INVALID_ARG, NULL, 0, "dm_ranker_load: NULL argument");
    char *buf;
    size_t len;
    dm_status st = dm_file_read_all(path, &buf, &len, err);
    if (st != DM_OK)
        return st;
    dm_ranker *r = calloc(1, sizeof *r);
    if (r)
        r->w = calloc(DM_RANK_NFEAT, sizeof *r->w);
    if (!r || !r->w) {
        free(buf);
        dm_ranker_destroy(&r);
        return dm_error_set(err, DM_E_NOMEM, path, 0, "out of memory");
    }
    r->n = DM_RANK_NFEAT;
    for (int k = 0; k < DM_RQ_N; k++)
        r->margin[k] = k == DM_RQ_NONE ? -HUGE_VAL : HUGE_VAL;
    st = parse(buf, len, path, r, err);
    free(buf);
    if (st != DM_OK)
        dm_ranker_destroy(&r);
    *out = r;
    return st;
}

char *dm_ranker_format(const double *w, size_t n, const double *margin, const char *provenance)
{
    size_t cap = 256 + (provenance ? strlen(provenance) : 0) + n * 40 + DM_RQ_N * 64;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    int k = snprintf(s, cap,
                     "# demarche speaker ranker (README \"Attribution\", bench/POLNEAR.md rounds 13-14)\n"
                     MAGIC "\t%d\nfeatures\t%d\t%zu\n%s",
                     FORMAT_VERSION, DM_RANK_LAYOUT, n, provenance ? provenance : "");
    size_t len = (size_t)k;
    for (int q = 0; margin && q < DM_RQ_N; q++)
        if (isfinite(margin[q]))
            len += (size_t)snprintf(s + len, cap - len, "margin\t%s\t%.17g\n", dm_rq_kind_name(q),
                                    margin[q]);
    for (size_t i = 0; i < n; i++)
        if (w[i] != 0)
            len += (size_t)snprintf(s + len, cap - len, "w\t%zu\t%.17g\n", i + 1, w[i]);
    snprintf(s + len, cap - len, "checksum\tfnv1a64:%016" PRIx64 "\n",
             dm_fnv1a64(DM_FNV1A64_BASIS, s, len));
    return s;
}
