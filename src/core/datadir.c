/* dm_data_dir: where the shipped lexicons and models are (core.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr */
#endif
#include "demarche/core.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef DM_DATADIR_INSTALLED
#define DM_DATADIR_INSTALLED "/usr/local/share/demarche"
#endif

static char found[PATH_MAX];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static bool has_lexicons(const char *dir)
{
    char path[PATH_MAX + 16];
    struct stat sb;
    snprintf(path, sizeof path, "%s/lexicons", dir);
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The file this code was loaded from (libdemarche.so, or the program that
 * linked libdemarche.a): an installation moved with --prefix or DESTDIR
 * keeps its data at <that file's dir>/../share/demarche. */
static void find_installed(void)
{
    Dl_info info;
    if (dladdr((void *)&dm_data_dir, &info) && info.dli_fname && info.dli_fname[0] == '/') {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", info.dli_fname);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = '\0';
            char candidate[PATH_MAX + 32];
            snprintf(candidate, sizeof candidate, "%s/../share/demarche", dir);
            char *real = realpath(candidate, NULL);
            if (real && has_lexicons(real) && strlen(real) < sizeof found) {
                snprintf(found, sizeof found, "%s", real);
                free(real);
                return;
            }
            free(real);
        }
    }
    snprintf(found, sizeof found, "%s", DM_DATADIR_INSTALLED);
}

const char *dm_data_dir(void)
{
    const char *env = getenv("DEMARCHE_DATA");
    if (env && *env)
        return env;
    pthread_once(&once, find_installed);
    return found;
}
