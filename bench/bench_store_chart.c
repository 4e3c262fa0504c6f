/* Benchmark of the store (include/demarche/store.h): write a million scored
 * statements (250,000 documents of 4, 25 years of dates, 12 actors) into a
 * store, chart them from the store (aggregated in SQL) and from the same
 * statements as JSON Lines (what demarche-chart reads), check that the two
 * CSVs are the same, and print the throughput of each and the peak memory.
 *
 *   bench_store_chart [STORE]   (default: a temporary file, removed)
 *
 * With STORE, the store and its JSON Lines (STORE.jsonl) are kept, so that
 * the tools can be timed on them:
 *   time demarche-chart --db STORE >/dev/null
 *   time demarche-chart STORE.jsonl >/dev/null */
#include "demarche/chart.h"
#include "demarche/io.h"
#include "demarche/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define DOCUMENTS 250000
#define PER_DOCUMENT 4

static const char *const ACTORS[] = {"USA", "RUS", "CHN", "GBR", "FRA", "DEU",
                                     "IRN", "ISR", "UKR", "IND", "PAK", "TUR"};
#define N_ACTORS (sizeof ACTORS / sizeof *ACTORS)

static unsigned long long rng;
static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng >> 33) % n);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the process: on a loaded machine wall time says little. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Document d: its date and its scored statements (deterministic in d). */
static void make_document(long d, char *date, dm_statement_list *list)
{
    rng = 0x9E3779B97F4A7C15ull ^ (unsigned long long)d * 0x2545F4914F6CDD1Dull;
    snprintf(date, 16, "%04u-%02u-%02u", 2000 + rnd(25), 1 + rnd(12), 1 + rnd(28));
    dm_statement_list_init(list);
    for (int i = 0; i < PER_DOCUMENT; i++) {
        dm_statement *st = dm_statement_list_push(list);
        char text[96];
        snprintf(text, sizeof text, "Statement %d of document %ld, in words of some length.", i + 1, d);
        st->n = i + 1;
        st->text = strdup(text);
        st->speaker = strdup("A spokesperson");
        st->speaker_actor = rnd(10) ? strdup(ACTORS[rnd(N_ACTORS)]) : NULL;
        st->kind = DM_KIND_DIRECT;
        st->attribution = DM_ATTR_CUE;
        st->end = strlen(text);
        st->scored = true;
        st->hostility_expected = rnd(10001) / 2500.0 * 0.999 + rnd(7) * 1e-7;
        st->hostility_level = (int)(st->hostility_expected + 0.5);
        int targets = 1 + (int)rnd(2);
        for (int k = 0; k < targets; k++) {
            dm_statement_add_target(st, ACTORS[rnd(N_ACTORS)], NULL, false, 0, 0, 0, 0);
            dm_target *t = &st->targets[st->n_targets - 1];
            t->scored = true;
            t->stance = (dm_stance)rnd(3);
            t->p[t->stance] = 0.6;
            t->p[(t->stance + 1) % 3] = 0.3;
            t->p[(t->stance + 2) % 3] = 0.1;
            t->score = t->p[DM_STANCE_FAVOR] - t->p[DM_STANCE_AGAINST];
        }
    }
}

static char *csv_of(dm_chart *chart)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    if (!fp || dm_chart_write_csv(chart, fp, NULL) != DM_OK) {
        if (fp)
            fclose(fp);
        free(buf);
        return NULL;
    }
    fclose(fp);
    return buf;
}

static int fail(const dm_error *err)
{
    fprintf(stderr, "bench_store_chart: %s: %s\n", err->where, err->message);
    return 1;
}

int main(int argc, char **argv)
{
    char path[4096], jsonl[4200];
    bool keep = argc > 1;
    if (keep)
        snprintf(path, sizeof path, "%s", argv[1]);
    else
        snprintf(path, sizeof path, "/tmp/bench_store_chart.%d.db", (int)getpid());
    snprintf(jsonl, sizeof jsonl, "%s.jsonl", path);
    char wal[4200], shm[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    unlink(path);
    unlink(wal);
    unlink(shm);

    dm_error err;
    dm_store *store = NULL;
    if (dm_store_open(path, DM_STORE_WRITE, &store, &err) != DM_OK ||
        dm_store_set_batch(store, 1000, &err) != DM_OK ||
        dm_store_use_model(store, "fnv1a64:0000000000000bench", "bench", "synthetic", "{}",
                           &err) != DM_OK)
        return fail(&err);
    double t = now(), c = cpu();
    for (long d = 0; d < DOCUMENTS; d++) {
        char date[16], id[32];
        dm_statement_list list;
        make_document(d, date, &list);
        snprintf(id, sizeof id, "doc-%ld", d);
        dm_document doc = {.id = id, .date = date, .text = id, .text_len = strlen(id)};
        dm_store_outcome o;
        dm_status s = dm_store_put(store, &doc, &list, "bench", d + 1, &o, &err);
        dm_statement_list_clear(&list);
        if (s != DM_OK)
            return fail(&err);
    }
    if (dm_store_commit(store, &err) != DM_OK)
        return fail(&err);
    dm_store_close(&store);
    double write_s = now() - t, write_c = cpu() - c;
    long statements = (long)DOCUMENTS * PER_DOCUMENT;
    printf("store: wrote %ld documents, %ld statements in %.1f s wall, %.1f s CPU (%.0f statements"
           " per CPU second), batches of 1000\n",
           (long)DOCUMENTS, statements, write_s, write_c, statements / write_c);

    /* Chart from the store: month by dyad (hostility), then stance by target. */
    const char *names[] = {"hostility by month and dyad", "stance by quarter and target"};
    char *csv_store[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        dm_chart_options opt;
        dm_chart_options_default(&opt);
        opt.point_examples = false; /* as demarche-chart draws without an .html output */
        if (k == 1) {
            opt.metric = DM_METRIC_STANCE;
            opt.by = DM_SERIES_TARGET;
            opt.period = DM_PERIOD_QUARTER;
        }
        dm_chart *chart = NULL;
        t = now();
        c = cpu();
        if (dm_store_open(path, DM_STORE_READ, &store, &err) != DM_OK ||
            dm_chart_create(&opt, &chart, &err) != DM_OK ||
            dm_store_chart(store, chart, NULL, &err) != DM_OK)
            return fail(&err);
        csv_store[k] = csv_of(chart);
        double s = now() - t, sc = cpu() - c;
        printf("chart from the store, %s: %.2f s wall, %.2f s CPU (%.0f statements per CPU"
               " second), peak memory so far %.0f MB\n", names[k], s, sc, statements / sc, peak_mb());
        dm_chart_destroy(&chart);
        dm_store_close(&store);
    }

    /* The same statements as JSON Lines, charted as demarche-chart reads them. */
    FILE *fp = fopen(jsonl, "w");
    if (!fp) {
        perror(jsonl);
        return 1;
    }
    for (long d = 0; d < DOCUMENTS; d++) {
        char date[16], id[32];
        dm_statement_list list;
        make_document(d, date, &list);
        snprintf(id, sizeof id, "doc-%ld", d);
        for (size_t i = 0; i < list.n; i++) {
            char *json = NULL;
            if (dm_statement_to_json(&list.v[i], id, date, DM_JSON_SCORES, &json, &err) != DM_OK)
                return fail(&err);
            fputs(json, fp);
            fputc('\n', fp);
            free(json);
        }
        dm_statement_list_clear(&list);
    }
    if (fclose(fp) != 0) {
        perror(jsonl);
        return 1;
    }
    int same = 1;
    for (int k = 0; k < 2; k++) {
        dm_chart_options opt;
        dm_chart_options_default(&opt);
        opt.point_examples = false; /* as demarche-chart draws without an .html output */
        if (k == 1) {
            opt.metric = DM_METRIC_STANCE;
            opt.by = DM_SERIES_TARGET;
            opt.period = DM_PERIOD_QUARTER;
        }
        dm_chart *chart = NULL;
        dm_reader *reader = NULL;
        t = now();
        c = cpu();
        if (dm_chart_create(&opt, &chart, &err) != DM_OK ||
            dm_reader_open(jsonl, &reader, &err) != DM_OK)
            return fail(&err);
        const char *line;
        size_t len;
        while (dm_reader_next_line(reader, &line, &len, &err) == DM_OK) {
            /* As demarche-chart reads a line: into a statement, then the chart. */
            dm_statement st;
            char *doc, *date;
            if (dm_statement_from_json(line, len, jsonl, dm_reader_line(reader), &st, &doc, &date,
                                       &err) != DM_OK)
                return fail(&err);
            dm_status a = dm_chart_add(chart, &st, date, doc, &err);
            dm_statement_clear(&st);
            free(doc);
            free(date);
            if (a != DM_OK)
                return fail(&err);
        }
        dm_reader_destroy(&reader);
        char *csv = csv_of(chart);
        double s = now() - t, sc = cpu() - c;
        printf("chart from JSON Lines, %s: %.2f s wall, %.2f s CPU (%.0f statements per CPU"
               " second)\n", names[k], s, sc, statements / sc);
        if (!csv || !csv_store[k] || strcmp(csv, csv_store[k]) != 0)
            same = 0;
        free(csv);
        free(csv_store[k]);
        dm_chart_destroy(&chart);
    }
    printf("same CSV from the store and from JSON Lines: %s\n", same ? "yes" : "NO");
    printf("peak memory %.0f MB\n", peak_mb());
    if (!keep) {
        unlink(path);
        unlink(wal);
        unlink(shm);
        unlink(jsonl);
    } else {
        printf("kept: %s and %s\n", path, jsonl);
    }
    return same ? 0 : 1;
}
