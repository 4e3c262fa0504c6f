/* Tests of dm_output (include/demarche/output.h): what -o does to regular
 * files, symbolic links, FIFOs, devices and directories; write errors seen
 * as they happen; the temporary-file registry behind the signal cleanup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/temp_internal.h"
#include "demarche/model.h"
#include "demarche/output.h"
#include "core/output_internal.h"

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/dm-output-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *in_dir(const char *name, char *buf)
{
    snprintf(buf, PATH_MAX, "%s/%s", dir, name);
    return buf;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Names in the test directory that contain ".tmp.". */
static int temporaries_left(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strstr(e->d_name, ".tmp.") != NULL;
    if (d)
        closedir(d);
    return n;
}

static void write_all(const char *path, const char *text)
{
    dm_output *o = NULL;
    dm_error err;
    assert_int_equal(dm_output_open(path, &o, &err), DM_OK);
    fputs(text, dm_output_stream(o));
    assert_int_equal(dm_output_check(o, &err), DM_OK);
    assert_int_equal(dm_output_commit(&o, &err), DM_OK);
    assert_null(o);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    dm_output *o = NULL;
    dm_error err;
    assert_int_equal(dm_output_open(NULL, &o, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_output_open("", &o, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_output_open("x", NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_output_open_fd(-1, "x", &o, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_output_check(NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_output_write(NULL, "a", 1, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_output_commit(NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_output_commit(&o, &err), DM_E_INVALID_ARG);
    dm_output_abort(NULL);
    dm_output_abort(&o);
    assert_null(dm_output_stream(NULL));
    assert_null(dm_output_path(NULL));
}

static void test_new_file_mode_follows_umask(void **state)
{
    (void)state;
    char p[PATH_MAX];
    mode_t old = umask(027);
    write_all(in_dir("new.txt", p), "hello\n");
    umask(old);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640); /* 0666 & ~027, not a forced 0644 */
    assert_string_equal(read_file(p), "hello\n");
    assert_int_equal(temporaries_left(), 0);
}

static void test_existing_file_keeps_mode(void **state)
{
    (void)state;
    char p[PATH_MAX];
    write_file(in_dir("secret.txt", p), "old\n");
    assert_int_equal(chmod(p, 0600), 0);
    write_all(p, "new\n");
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_string_equal(read_file(p), "new\n");
}

static void test_existing_file_keeps_owner_when_allowed(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        print_message("skip: keeping another user's ownership needs root\n");
        skip();
    }
    char p[PATH_MAX];
    write_file(in_dir("theirs.txt", p), "old\n");
    assert_int_equal(chown(p, 65534, 65534), 0);
    write_all(p, "new\n");
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_uid, 65534);
    assert_int_equal(st.st_gid, 65534);
}

static void test_symlink_stays_a_link(void **state)
{
    (void)state;
    char target[PATH_MAX], link[PATH_MAX], chain[PATH_MAX];
    write_file(in_dir("target.txt", target), "old\n");
    assert_int_equal(symlink("target.txt", in_dir("link.txt", link)), 0); /* relative */
    assert_int_equal(symlink(link, in_dir("chain.txt", chain)), 0);       /* link to a link */
    write_all(chain, "through\n");
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(lstat(chain, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(read_file(target), "through\n");
    /* A dangling link: its target is created, the link kept. */
    char dangling[PATH_MAX], made[PATH_MAX];
    assert_int_equal(symlink("made.txt", in_dir("dangling.txt", dangling)), 0);
    write_all(dangling, "made\n");
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(read_file(in_dir("made.txt", made)), "made\n");
    assert_int_equal(temporaries_left(), 0);
}

static void test_symlink_loop_is_an_error(void **state)
{
    (void)state;
    char a[PATH_MAX], b[PATH_MAX];
    assert_int_equal(symlink("loop-b", in_dir("loop-a", a)), 0);
    assert_int_equal(symlink("loop-a", in_dir("loop-b", b)), 0);
    dm_output *o = NULL;
    dm_error err;
    assert_int_equal(dm_output_open(a, &o, &err), DM_E_IO);
    assert_null(o);
    assert_non_null(strstr(err.message, "symbolic links"));
}

static void test_directory_is_refused(void **state)
{
    (void)state;
    dm_output *o = NULL;
    dm_error err;
    assert_int_equal(dm_output_open(dir, &o, &err), DM_E_IO);
    assert_null(o);
    assert_string_equal(err.message, "is a directory");
    char p[PATH_MAX];
    assert_int_equal(dm_output_open(in_dir("no/such/dir/x", p), &o, &err), DM_E_IO);
    assert_int_equal(temporaries_left(), 0);
}

/* A FIFO is written directly: a reader gets the bytes, the FIFO stays. */
static void test_fifo_is_written_directly(void **state)
{
    (void)state;
    char p[PATH_MAX], got[PATH_MAX];
    assert_int_equal(mkfifo(in_dir("fifo", p), 0600), 0);
    in_dir("fifo.out", got);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) { /* the reader: copy the FIFO into a file */
        alarm(10);
        FILE *in = fopen(p, "r"), *out = fopen(got, "w");
        int c;
        while (in && out && (c = fgetc(in)) != EOF)
            fputc(c, out);
        _exit(in && out && fclose(out) == 0 ? 0 : 1);
    }
    dm_output *o = NULL;
    dm_error err;
    assert_int_equal(dm_output_open(p, &o, &err), DM_OK);
    assert_true(dm_output_is_direct(o));
    assert_int_equal(dm_output_write(o, "to the reader\n", 14, &err), DM_OK);
    assert_int_equal(dm_output_commit(&o, &err), DM_OK);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_string_equal(read_file(got), "to the reader\n");
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(temporaries_left(), 0);
}

/* A device copy made with mknod stays a device (needs root for mknod). */
static void test_device_node_stays_a_device(void **state)
{
    (void)state;
    char p[PATH_MAX];
    if (mknod(in_dir("null", p), S_IFCHR | 0666, makedev(1, 3)) != 0) {
        print_message("skip: mknod: %s\n", strerror(errno));
        skip();
    }
    write_all(p, "into the void\n");
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(temporaries_left(), 0);
}

/* /dev/full: the first flush fails, the error is kept with its errno, and
 * later writes are refused without touching the device again. */
static void test_write_error_seen_as_it_happens(void **state)
{
    (void)state;
    dm_output *o = NULL;
    dm_error err;
    /* A mknod copy where allowed: a regression must never replace the
     * system's /dev/full (without root it could not). */
    char full[PATH_MAX];
    if (mknod(in_dir("full", full), S_IFCHR | 0666, makedev(1, 7)) != 0)
        snprintf(full, sizeof full, "/dev/full");
    if (access(full, W_OK) != 0) {
        print_message("skip: no /dev/full\n");
        skip();
    }
    assert_int_equal(dm_output_open(full, &o, &err), DM_OK);
    char block[4096];
    memset(block, 'x', sizeof block);
    dm_status s = DM_OK;
    int writes = 0;
    for (; writes < 1000 && s == DM_OK; writes++)
        s = dm_output_write(o, block, sizeof block, &err);
    assert_int_equal(s, DM_E_IO);
    /* at the first flush of the 256 kB buffer, not at the end */
    assert_true(writes <= (256 << 10) / (int)sizeof block + 1);
    assert_string_equal(err.where, full);
    assert_string_equal(err.message, "cannot write: No space left on device");
    assert_int_equal(dm_output_check(o, &err), DM_E_IO);
    assert_int_equal(dm_output_commit(&o, &err), DM_E_IO);
    assert_null(o);
    struct stat st;
    assert_int_equal(stat(full, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

static void test_abort_leaves_target_untouched(void **state)
{
    (void)state;
    char p[PATH_MAX];
    write_file(in_dir("keep.txt", p), "keep\n");
    dm_output *o = NULL;
    dm_error err;
    assert_int_equal(dm_output_open(p, &o, &err), DM_OK);
    assert_int_equal(temporaries_left(), 1);
    fputs("half", dm_output_stream(o));
    dm_output_abort(&o);
    assert_null(o);
    assert_string_equal(read_file(p), "keep\n");
    assert_int_equal(temporaries_left(), 0);
}

/* What a signal handler calls: every recorded temporary goes, files
 * before directories, and nothing else. */
static void test_remove_temporaries(void **state)
{
    (void)state;
    char p[PATH_MAX], keep[PATH_MAX], tdir[PATH_MAX], inner[PATH_MAX + 32];
    write_file(in_dir("keep-too.txt", keep), "keep\n");
    dm_output *o = NULL;
    dm_error err;
    assert_int_equal(dm_output_open(in_dir("out.txt", p), &o, &err), DM_OK);
    snprintf(tdir, sizeof tdir, "%s/bundle.tmp-XXXXXX", dir);
    int dslot, fslot;
    assert_non_null(dm_temp_mkdtemp(tdir, &dslot));
    snprintf(inner, sizeof inner, "%s/manifest.json", tdir);
    fslot = dm_temp_record(inner, false);
    assert_true(dslot >= 0 && fslot >= 0);
    write_file(inner, "{}");
    assert_int_equal(temporaries_left(), 1);
    dm_output_remove_temporaries();
    assert_int_equal(temporaries_left(), 0);
    assert_int_equal(access(tdir, F_OK), -1);
    assert_string_equal(read_file(keep), "keep\n");
    dm_temp_forget(&fslot);
    dm_temp_forget(&dslot);
    assert_int_equal(fslot, -1);
    dm_output_abort(&o); /* its temporary is gone already: no harm */
    assert_int_equal(access(p, F_OK), -1);
}

static void test_fd_output_is_direct(void **state)
{
    (void)state;
    char p[PATH_MAX];
    int fd = open(in_dir("fd.txt", p), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    dm_output *o = NULL;
    dm_error err;
    assert_int_equal(dm_output_open_fd(fd, "standard output", &o, &err), DM_OK);
    assert_true(dm_output_is_direct(o));
    assert_string_equal(dm_output_path(o), "standard output");
    fputs("via fd\n", dm_output_stream(o));
    assert_int_equal(dm_output_commit(&o, &err), DM_OK);
    assert_int_equal(write(fd, "more\n", 5), 5); /* the descriptor stays open */
    close(fd);
    assert_string_equal(read_file(p), "via fd\nmore\n");
}

/* /dev/fd/N (like /dev/stdout) is the process's own descriptor: written
 * through it, so a file opened for appending is appended to, not replaced. */
static void test_named_descriptor_is_written_through(void **state)
{
    (void)state;
    char p[PATH_MAX], name[64];
    write_file(in_dir("log.txt", p), "first\n");
    int fd = open(p, O_WRONLY | O_APPEND);
    assert_true(fd >= 0);
    snprintf(name, sizeof name, "/dev/fd/%d", fd);
    write_all(name, "second\n");
    assert_int_equal(write(fd, "third\n", 6), 6); /* still open */
    close(fd);
    assert_string_equal(read_file(p), "first\nsecond\nthird\n");
    assert_int_equal(temporaries_left(), 0);
    dm_output *o = NULL;
    dm_error err;
    snprintf(name, sizeof name, "/dev/fd/%d", fd); /* closed now */
    assert_int_equal(dm_output_open(name, &o, &err), DM_E_IO);
    assert_null(o);
}

/* Where a model bundle may be written: nothing there, an empty directory,
 * a bundle with nothing else in it; never a directory of the user's. */
static void test_model_output_check(void **state)
{
    (void)state;
    dm_error err;
    char p[PATH_MAX], f[PATH_MAX + 32];
    assert_int_equal(dm_model_check_output(NULL, &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_check_output("", &err), DM_E_INVALID_ARG);
    assert_int_equal(dm_model_check_output(in_dir("absent", p), &err), DM_OK);
    assert_int_equal(mkdir(in_dir("bundle", p), 0755), 0);
    assert_int_equal(dm_model_check_output(p, &err), DM_OK); /* empty */
    snprintf(f, sizeof f, "%s/notes.txt", p);
    write_file(f, "mine\n");
    assert_int_equal(dm_model_check_output(p, &err), DM_E_IO);
    assert_non_null(strstr(err.message, "not a demarche model bundle"));
    strcat(p, "/"); /* a trailing slash changes nothing */
    assert_int_equal(dm_model_check_output(p, &err), DM_E_IO);
    snprintf(f, sizeof f, "%smanifest.json", p);
    write_file(f, "{\"format_version\": 1, \"tasks\": {}}\n");
    assert_int_equal(dm_model_check_output(p, &err), DM_E_IO); /* a bundle, and notes.txt */
    assert_non_null(strstr(err.message, "notes.txt"));
    snprintf(f, sizeof f, "%snotes.txt", p);
    assert_int_equal(unlink(f), 0);
    assert_int_equal(dm_model_check_output(p, &err), DM_OK); /* a bundle alone */
    write_file(in_dir("plain", p), "x");
    assert_int_equal(dm_model_check_output(p, &err), DM_E_IO);
    assert_string_equal(err.message, "exists and is not a directory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_new_file_mode_follows_umask),
        cmocka_unit_test(test_existing_file_keeps_mode),
        cmocka_unit_test(test_existing_file_keeps_owner_when_allowed),
        cmocka_unit_test(test_symlink_stays_a_link),
        cmocka_unit_test(test_symlink_loop_is_an_error),
        cmocka_unit_test(test_directory_is_refused),
        cmocka_unit_test(test_fifo_is_written_directly),
        cmocka_unit_test(test_device_node_stays_a_device),
        cmocka_unit_test(test_write_error_seen_as_it_happens),
        cmocka_unit_test(test_abort_leaves_target_untouched),
        cmocka_unit_test(test_remove_temporaries),
        cmocka_unit_test(test_fd_output_is_direct),
        cmocka_unit_test(test_named_descriptor_is_written_through),
        cmocka_unit_test(test_model_output_check),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
