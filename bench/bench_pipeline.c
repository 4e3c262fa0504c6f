/* Throughput of the whole pipeline: extraction alone, then extraction and
 * scoring with a model bundle, over the same documents.
 *
 * Input: a JSON Lines file of documents (plain or .gz; speech mode when the
 * records carry speaker/speaker_actor, as the UN General Debate corpus
 * does), or, without a file, news-style articles generated in memory from a
 * fixed seed (about 20 MB). Prints documents, statements, MB/s and
 * statements/s for each phase and the peak RSS.
 *
 * Usage: bench_pipeline [-m MODEL_DIR] [-n MAX_DOCS] [FILE.jsonl[.gz]]
 *        (default model: the shipped bundle; no scoring phase if it is missing) */
#include "cli_common.h"
#include "demarche/demarche.h"
#include "demarche/model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint32_t next_random(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return (uint32_t)((rng * 2685821657736338717ull) >> 32);
}

#define PICK(a) (a)[next_random() % (sizeof(a) / sizeof *(a))]

static const char *const speakers[] = {
    "Sergei Lavrov", "Antony Blinken", "Wang Yi", "Helena Marsh, Britain\xE2\x80\x99s ambassador to the UN,",
    "A senior US official", "The Kremlin", "Maria Zakharova", "Emmanuel Macron", "Olaf Scholz",
    "Volodymyr Zelensky", "The Chinese foreign ministry", "Antonio Guterres"};
static const char *const verbs[] = {"said", "told reporters", "warned", "added", "insisted", "declared"};
static const char *const quotes[] = {
    "We will not accept this provocation from Washington",
    "The sanctions imposed by the European Union are illegal and counterproductive",
    "Moscow must respect the sovereignty of Ukraine",
    "We welcome the agreement reached in Geneva and thank our Turkish partners",
    "This is a grave violation of international law and we condemn it",
    "Beijing calls on all sides to exercise restraint",
    "Any aggression against our allies will be met with a firm response",
    "The talks with Tehran were constructive and frank",
};
static const char *const fillers[] = {
    "The meeting in New York ended without a joint statement.",
    "Officials said further talks were planned for next month.",
    "The remarks came a day after the Security Council met in an emergency session.",
    "Diplomats described the atmosphere as tense.",
};

typedef struct doc {
    char *id, *date, *speaker, *speaker_actor, *text;
    size_t len;
} doc;

static char *generate_article(size_t *len)
{
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    int paragraphs = 4 + next_random() % 6;
    for (int p = 0; p < paragraphs; p++) {
        char para[1024];
        int form = next_random() % 4;
        if (form == 0)
            snprintf(para, sizeof para, "\xE2\x80\x9D%s,\xE2\x80\x9D %s %s. %s\n", PICK(quotes),
                     PICK(speakers), PICK(verbs), PICK(fillers));
        else if (form == 1)
            snprintf(para, sizeof para, "%s %s: \"%s.\"\n", PICK(speakers), PICK(verbs), PICK(quotes));
        else if (form == 2)
            snprintf(para, sizeof para, "%s   %s that the move was \xE2\x80\x9C%s\xE2\x80\x9D in the region.\n",
                     PICK(speakers), PICK(verbs), "playing with fire");
        else
            snprintf(para, sizeof para, "%s %s\n", PICK(fillers), PICK(fillers));
        size_t k = strlen(para);
        if (n + k + 1 > cap) {
            cap *= 2;
            s = realloc(s, cap);
        }
        memcpy(s + n, para, k);
        n += k;
    }
    s[n] = '\0';
    *len = n;
    return s;
}

static doc *read_docs(const char *path, size_t max_docs, size_t *n_docs, size_t *bytes)
{
    size_t cap = 1024, n = 0;
    doc *docs = calloc(cap, sizeof *docs);
    *bytes = 0;
    if (!path) {
        for (size_t i = 0; *bytes < ((size_t)20 << 20) && i < max_docs; i++) {
            if (n == cap)
                docs = realloc(docs, (cap *= 2) * sizeof *docs);
            docs[n].text = generate_article(&docs[n].len);
            char id[32];
            snprintf(id, sizeof id, "gen-%zu", i);
            docs[n].id = strdup(id);
            docs[n].date = strdup("2022-03-01");
            *bytes += docs[n].len;
            n++;
        }
        *n_docs = n;
        return docs;
    }
    dm_reader *r;
    dm_error err;
    if (dm_reader_open(path, &r, &err) != DM_OK) {
        fprintf(stderr, "bench_pipeline: %s\n", err.message);
        exit(1);
    }
    const char *line;
    size_t len;
    dm_record rec;
    dm_record_init(&rec);
    while (n < max_docs && dm_reader_next_line(r, &line, &len, &err) == DM_OK) {
        if (dm_record_parse_json(line, len, path, dm_reader_line(r), DM_OFFSETS_BYTES, NULL, &rec, &err) != DM_OK)
            continue;
        if (n == cap)
            docs = realloc(docs, (cap *= 2) * sizeof *docs);
        docs[n] = (doc){rec.id, rec.date, rec.speaker, rec.speaker_actor, rec.text, rec.text_len};
        *bytes += rec.text_len;
        memset(&rec, 0, sizeof rec); /* ownership moved to docs[n] */
        n++;
    }
    dm_reader_destroy(&r);
    *n_docs = n;
    return docs;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

/* One pass over the documents; returns statements found. */
static long run(dm_extractor *ex, dm_model *model, doc *docs, size_t n_docs, long *targets)
{
    long statements = 0;
    *targets = 0;
    dm_statement_list list;
    dm_statement_list_init(&list);
    dm_error err;
    for (size_t i = 0; i < n_docs; i++) {
        dm_document d = {.id = docs[i].id, .date = docs[i].date, .speaker = docs[i].speaker,
                         .speaker_actor = docs[i].speaker_actor, .text = docs[i].text,
                         .text_len = docs[i].len};
        if (dm_extract(ex, &d, &list, NULL, &err) != DM_OK)
            continue;
        for (size_t k = 0; k < list.n; k++) {
            *targets += (long)list.v[k].n_targets;
            if (model)
                dm_model_score_statement(model, &list.v[k], &err);
        }
        statements += (long)list.n;
        dm_statement_list_clear(&list);
    }
    return statements;
}

int main(int argc, char **argv)
{
    const char *model_dir = NULL, *path = NULL;
    size_t max_docs = (size_t)-1;
    int c;
    while ((c = getopt(argc, argv, "m:n:h")) != -1) {
        if (c == 'm')
            model_dir = optarg;
        else if (c == 'n')
            max_docs = (size_t)strtoul(optarg, NULL, 10);
        else {
            fprintf(stderr, "usage: bench_pipeline [-m MODEL_DIR] [-n MAX_DOCS] [FILE.jsonl[.gz]]\n");
            return c == 'h' ? 0 : 2;
        }
    }
    if (optind < argc)
        path = argv[optind];
    char lexdir[4096], file[4200], model_buf[4096];
    dm_cli_data_path("lexicons", lexdir, sizeof lexdir);
    if (!model_dir)
        model_dir = dm_cli_data_path("models/default", model_buf, sizeof model_buf);
    dm_error err;
    dm_actors *actors;
    dm_cues *cues;
    dm_extractor *ex;
    snprintf(file, sizeof file, "%s/actors.tsv", lexdir);
    if (dm_actors_create(&actors, &err) || dm_actors_load_tsv(actors, file, &err)) {
        fprintf(stderr, "bench_pipeline: %s\n", err.message);
        return 1;
    }
    snprintf(file, sizeof file, "%s/cues.tsv", lexdir);
    if (dm_cues_load(file, &cues, &err) || dm_extractor_create(actors, cues, &ex, &err)) {
        fprintf(stderr, "bench_pipeline: %s\n", err.message);
        return 1;
    }
    /* the speaker ranker, as demarche-score loads it by default */
    dm_ranker *ranker = NULL;
    char rk[4200];
    dm_cli_data_path("models/speaker_ranker.tsv", rk, sizeof rk);
    if (access(rk, F_OK) == 0) {
        if (dm_ranker_load(rk, &ranker, &err) != DM_OK) {
            fprintf(stderr, "bench_pipeline: %s: %s\n", rk, err.message);
            return 1;
        }
        dm_extractor_set_ranker(ex, ranker);
    }
    size_t n_docs, bytes;
    doc *docs = read_docs(path, max_docs, &n_docs, &bytes);
    double mb = bytes / 1048576.0;
    printf("input: %s, %zu documents, %.1f MB\n", path ? path : "generated news articles", n_docs, mb);
    printf("%-22s %10s %12s %10s %12s %10s\n", "phase", "seconds", "statements", "MB/s", "statements/s",
           "peak_MB");
    long targets;
    double t0 = now();
    long st = run(ex, NULL, docs, n_docs, &targets);
    double t1 = now();
    printf("%-22s %10.2f %12ld %10.2f %12.0f %10ld\n", "extraction", t1 - t0, st, mb / (t1 - t0),
           st / (t1 - t0), peak_rss_mb());
    dm_model *model = NULL;
    if (dm_model_load(model_dir, lexdir, &model, &err) == DM_OK) {
        t0 = now();
        st = run(ex, model, docs, n_docs, &targets);
        t1 = now();
        printf("%-22s %10.2f %12ld %10.2f %12.0f %10ld\n", "extraction+scoring", t1 - t0, st,
               mb / (t1 - t0), st / (t1 - t0), peak_rss_mb());
        printf("(%ld statement-target pairs scored for stance)\n", targets);
        dm_model_destroy(&model);
    } else {
        printf("no scoring phase: %s\n", err.message);
    }
    for (size_t i = 0; i < n_docs; i++) {
        free(docs[i].id);
        free(docs[i].date);
        free(docs[i].speaker);
        free(docs[i].speaker_actor);
        free(docs[i].text);
    }
    free(docs);
    dm_extractor_destroy(&ex);
    dm_ranker_destroy(&ranker);
    dm_cues_destroy(&cues);
    dm_actors_destroy(&actors);
    return 0;
}
