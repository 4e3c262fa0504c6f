/*
 * demarche core: status codes, the error buffer and the log callback.
 *
 * Ownership rule (stated once for the whole library, as jq does):
 *   - A function named dm_X_create / dm_X_load / dm_X_read returns a new object
 *     that the caller owns and releases with the matching dm_X_destroy(&p),
 *     which accepts a pointer to NULL and sets the caller's pointer to NULL.
 *   - A `const char *` returned by an accessor is borrowed: it lives as long as
 *     the object it came from and must not be freed.
 *   - Arrays returned through `T **out, size_t *n` out-parameters are owned by
 *     the caller and released with the free function named next to them.
 *   - The library never prints and never exits. Every fallible function returns
 *     a dm_status; when it is not DM_OK and an error buffer was passed, the
 *     buffer holds a one-line message (and the file and line when known).
 *     Warnings that do not stop work go to a dm_logger callback when one is set.
 *
 * Threads (each header says what of its own may be shared):
 *   - Read-only after loading, shareable between any number of threads:
 *     dm_actors, dm_cues, dm_abbreviations, a configured dm_extractor, a
 *     loaded or trained dm_model (weights, lexicons, manifest) and its
 *     featurizer's lexicons.
 *   - One per thread: dm_scorer (model.h: the featurizer scratch a model
 *     scores with), a featurizer used directly (features.h; clones share the
 *     lexicons), statement lists, records, readers, datasets being built,
 *     error buffers. dm_model_score_* on the model itself use the model's own
 *     scratch: one thread at a time.
 *   - Loggers are called from the thread that does the work.
 *
 * What the library does to the process, and when (all of it):
 *   - First training (dm_model_train, cross-validation, grid search): sets
 *     libsvm's and LIBLINEAR's print hooks to print nothing, once. They are
 *     process-wide and have no getter, so they are not restored; a host that
 *     wants solver output must set its own hooks after that first training.
 *   - Training with a solver that draws from rand() (libsvm with
 *     probabilities; LIBLINEAR's dual and L1 solvers, not the primal ones
 *     -s 0/2/11) swaps in a state of its own seeded with the seed
 *     (initstate), under a library-wide lock, and puts the caller's random()
 *     state back afterwards: the host's rand() sequence is undisturbed, and
 *     such trainings in several threads run one at a time. A host calling
 *     rand() from another thread during such a training makes its results
 *     depend on timing. srand() is never called.
 *   - ICU break iterators are kept per thread, in thread-local storage,
 *     closed when the thread exits (a pthread key) or by
 *     dm_text_thread_cleanup() (text.h).
 *   - The built-in abbreviation set is built once (pthread_once) and never
 *     changes (text.h).
 *   - The extractor's word lists (pronouns, titles, function words...) get
 *     a letter-pair filter each on first use, built under a library-wide
 *     lock into a process-wide table, shared by all threads and kept until
 *     the process exits (about fifty lists, 1-5 kB each).
 *   - Temporary output files and bundle directories are listed in a
 *     fixed-size table while they exist (output.h), for a signal handler to
 *     remove; the library installs no signal handler.
 *   - Reads the environment variable TMPDIR (model loading). Never calls
 *     setlocale, exit, or prints.
 */
#ifndef DEMARCHE_CORE_H
#define DEMARCHE_CORE_H

#include <stddef.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What libdemarche.so exports: the functions declared in the public headers
 * (include/demarche/), each between DM_PUBLIC_BEGIN and DM_PUBLIC_END, and
 * nothing else. The shared library is compiled with -fvisibility=hidden, so
 * the functions of the internal headers (src/<module>/<name>_internal.h, shared
 * between modules and with the tests, which link the static library) stay
 * inside it; tests/e2e/exports.sh checks that the two lists are the same. */
#if defined(__GNUC__) || defined(__clang__)
#define DM_PUBLIC_BEGIN _Pragma("GCC visibility push(default)")
#define DM_PUBLIC_END _Pragma("GCC visibility pop")
#else
#define DM_PUBLIC_BEGIN
#define DM_PUBLIC_END
#endif

DM_PUBLIC_BEGIN

#define DM_VERSION_STRING "0.1.0"

typedef enum dm_status {
    DM_OK = 0,
    DM_E_INVALID_ARG,  /* a NULL or out-of-range argument: a caller bug */
    DM_E_NOMEM,        /* allocation failed */
    DM_E_IO,           /* a file could not be opened, read or written */
    DM_E_PARSE,        /* malformed input data (JSON, TSV, CSV, dates) */
    DM_E_FORMAT,       /* a corrupt model bundle or lexicon */
    DM_E_VERSION,      /* a model bundle of a newer format than this build */
    DM_E_MISMATCH,     /* lexicons differ from those the model was trained with */
    DM_E_NOT_FOUND,    /* a named file, label or actor does not exist */
    DM_E_TRAIN,        /* training could not proceed (no data, one class...) */
    DM_E_INTERNAL,     /* a library dependency failed unexpectedly (ICU, libsvm) */
    DM_END_OF_INPUT    /* not an error: a reader has no more lines or records
                        * (dm_reader_next_line) */
} dm_status;

/* A short stable name for a status ("ok", "invalid-argument", ...). Never NULL. */
const char *dm_status_name(dm_status status);

#define DM_ERROR_MESSAGE_MAX 512
#define DM_ERROR_WHERE_MAX 256

/* Error buffer: caller-allocated (usually on the stack), filled by the library. */
typedef struct dm_error {
    dm_status status;
    char where[DM_ERROR_WHERE_MAX];     /* file name, or "" */
    long line;                          /* 1-based line in `where`, 0 if none */
    char message[DM_ERROR_MESSAGE_MAX]; /* one line, no trailing newline */
} dm_error;

void dm_error_clear(dm_error *err);

/* Fill `err` (which may be NULL) and return `status`, so that library code can
 * write `return dm_error_set(err, DM_E_PARSE, path, line, "bad %s", x);`.
 * `where` may be NULL. */
dm_status dm_error_set(dm_error *err, dm_status status, const char *where,
                       long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Write "where:line: message" (or "message" alone) into buf; returns buf. */
const char *dm_error_format(const dm_error *err, char *buf, size_t size);

typedef enum dm_log_level {
    DM_LOG_DEBUG = 0,
    DM_LOG_INFO,
    DM_LOG_WARNING,
    DM_LOG_ERROR
} dm_log_level;

/* Receives warnings and notes. `where` may be "" and `line` 0. */
typedef void (*dm_log_fn)(void *user, dm_log_level level, const char *where,
                          long line, const char *message);

typedef struct dm_logger {
    dm_log_fn fn;   /* NULL: messages are dropped */
    void *user;
} dm_logger;

/* The directory holding the shipped lexicons/ and models/ (the default
 * model is <dir>/models/default, the lexicons <dir>/lexicons):
 * $DEMARCHE_DATA when set and not empty; else <libdir>/../share/demarche
 * when it has lexicons/, <libdir> being where libdemarche.so (or the program
 * linking libdemarche.a) was loaded from, so an installation moved with
 * --prefix or DESTDIR still finds its data; else the data directory the
 * library was configured to install to (<prefix>/share/demarche). A
 * borrowed string, valid until DEMARCHE_DATA changes; never NULL;
 * thread-safe. */
const char *dm_data_dir(void);


DM_PUBLIC_END

#ifdef __cplusplus
}
#endif
#endif
