/* The registry of temporary paths (contract: include/demarche/output.h).
 *
 * A fixed table, no allocation: each entry is a pre-formatted path and an
 * atomic state. An entry is claimed (FREE -> CLAIMED), its path written,
 * and only then published (FILE or DIR), so a signal handler running
 * dm_output_remove_temporaries never reads a half-written path. */
#include "core/temp_internal.h"
#include "demarche/output.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { SLOT_FREE = 0, SLOT_CLAIMED, SLOT_FILE, SLOT_DIR };

static struct {
    atomic_int state;
    char path[PATH_MAX];
} slots[DM_OUTPUT_MAX_TEMPORARIES];

static int claim(void)
{
    for (int i = 0; i < DM_OUTPUT_MAX_TEMPORARIES; i++) {
        int expected = SLOT_FREE;
        if (atomic_compare_exchange_strong(&slots[i].state, &expected, SLOT_CLAIMED))
            return i;
    }
    return -1;
}

int dm_temp_record(const char *path, bool directory)
{
    if (!path || strlen(path) >= PATH_MAX)
        return -1;
    int i = claim();
    if (i >= 0) {
        strcpy(slots[i].path, path);
        atomic_store(&slots[i].state, directory ? SLOT_DIR : SLOT_FILE);
    }
    return i;
}

void dm_temp_forget(int *slot)
{
    if (slot && *slot >= 0 && *slot < DM_OUTPUT_MAX_TEMPORARIES)
        atomic_store(&slots[*slot].state, SLOT_FREE);
    if (slot)
        *slot = -1;
}

/* Create with all signals blocked, so that the path exists only once it
 * is recorded. */
static void block_signals(sigset_t *old)
{
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, old);
}

int dm_temp_mkstemp(char *template, int *slot)
{
    sigset_t old;
    block_signals(&old);
    int fd = mkstemp(template);
    int saved = errno;
    *slot = fd >= 0 ? dm_temp_record(template, false) : -1;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return fd;
}

char *dm_temp_mkdtemp(char *template, int *slot)
{
    sigset_t old;
    block_signals(&old);
    char *dir = mkdtemp(template);
    int saved = errno;
    *slot = dir ? dm_temp_record(template, true) : -1;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return dir;
}

void dm_output_remove_temporaries(void)
{
    int saved = errno;
    for (int i = 0; i < DM_OUTPUT_MAX_TEMPORARIES; i++)
        if (atomic_load(&slots[i].state) == SLOT_FILE)
            unlink(slots[i].path);
    for (int i = 0; i < DM_OUTPUT_MAX_TEMPORARIES; i++)
        if (atomic_load(&slots[i].state) == SLOT_DIR)
            rmdir(slots[i].path);
    errno = saved;
}

mode_t dm_temp_umask(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned mask;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Umask: %o", &mask) == 1) {
            fclose(f);
            return (mode_t)mask;
        }
    if (f)
        fclose(f);
    mode_t m = umask(022); /* older kernels: read it by setting it back */
    umask(m);
    return m;
}
