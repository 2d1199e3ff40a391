/* File-system floor for bench/run.py: how long does it take just to create a site's folders and write its
 * files, with nothing else going on?
 *
 *   floor MANIFEST SOURCE DEST THREADS
 *
 * MANIFEST lists relative paths, each ended by a NUL byte: every folder below the root (written with a
 * trailing '/') followed by the files directly in it, parents before children (run.py sorts it so); files
 * in the root come first. Every file is first read from SOURCE/<path> into memory (not timed). Then,
 * timed, THREADS threads take whole folders from a shared counter and, for each, create the folder (the
 * root: DEST) with one mkdir and write its files with open/write/close, as Waymark's output writer does;
 * a folder whose parent the other thread has not made yet makes the parent too.
 * Prints the timed seconds, the file count, the bytes written and the folder count. DEST must not exist. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char *path;   /* relative path */
    char *data;
    size_t size;
} file_t;

typedef struct {
    char *dir;    /* relative folder, "" for the root */
    size_t first, count;
} group_t;

static const char *dest;
static file_t *files;
static group_t *groups;
static size_t ngroups;
static atomic_size_t next_group;

static void die(const char *what, const char *path) {
    fprintf(stderr, "floor: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static char *read_all(const char *path, size_t *size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("open", path);
    struct stat st;
    if (fstat(fd, &st) != 0) die("stat", path);
    char *buf = malloc(st.st_size ? (size_t)st.st_size : 1);
    if (!buf) die("malloc for", path);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) die("read", path);
        got += (size_t)n;
    }
    close(fd);
    *size = got;
    return buf;
}

/* mkdir -p for an absolute path whose root (DEST) may itself be missing. */
static void make_dirs(char *full) {
    if (mkdir(full, 0755) == 0 || errno == EEXIST) return;
    if (errno != ENOENT) die("mkdir", full);
    char *slash = strrchr(full, '/');
    if (!slash || slash == full) die("mkdir", full);
    *slash = 0;
    make_dirs(full);
    *slash = '/';
    if (mkdir(full, 0755) != 0 && errno != EEXIST) die("mkdir", full);
}

static void *worker(void *arg) {
    (void)arg;
    char full[8192];
    size_t base = strlen(dest);
    for (;;) {
        size_t g = atomic_fetch_add(&next_group, 1);
        if (g >= ngroups) break;
        group_t *grp = &groups[g];
        snprintf(full, sizeof full, "%s%s%s", dest, grp->dir[0] ? "/" : "", grp->dir);
        make_dirs(full);
        for (size_t i = grp->first; i < grp->first + grp->count; i++) {
            snprintf(full + base, sizeof full - base, "/%s", files[i].path);
            int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd < 0) die("create", full);
            size_t done = 0;
            while (done < files[i].size) {
                ssize_t n = write(fd, files[i].data + done, files[i].size - done);
                if (n < 0 && errno == EINTR) continue;
                if (n < 0) die("write", full);
                done += (size_t)n;
            }
            close(fd);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: floor MANIFEST SOURCE DEST THREADS\n");
        return 2;
    }
    const char *source = argv[2];
    dest = argv[3];
    int threads = atoi(argv[4]);
    if (threads < 1) threads = 1;
    struct stat st;
    if (stat(dest, &st) == 0) {
        fprintf(stderr, "floor: %s exists; give a fresh folder\n", dest);
        return 2;
    }

    size_t msize;
    char *manifest = read_all(argv[1], &msize);
    size_t nentries = 0;
    for (size_t i = 0; i < msize; i++) nentries += manifest[i] == 0;
    files = calloc(nentries + 1, sizeof *files);
    groups = calloc(nentries + 1, sizeof *groups);
    groups[ngroups++] = (group_t){"", 0, 0}; /* the root */
    char src[8192];
    size_t nfiles = 0, total = 0;
    char *p = manifest;
    for (size_t e = 0; e < nentries; e++) {
        char *entry = p;
        size_t len = strlen(entry);
        p += len + 1;
        if (len && entry[len - 1] == '/') { /* a folder: the files after it go in it */
            entry[len - 1] = 0;
            groups[ngroups++] = (group_t){entry, nfiles, 0};
            continue;
        }
        file_t *f = &files[nfiles];
        f->path = entry;
        snprintf(src, sizeof src, "%s/%s", source, entry);
        f->data = read_all(src, &f->size);
        total += f->size;
        /* A file outside the folder declared last (a manifest not sorted as described) gets a group of
         * its own, whose mkdir then finds the folder there. */
        char *slash = strrchr(entry, '/');
        size_t dlen = slash ? (size_t)(slash - entry) : 0;
        group_t *last = &groups[ngroups - 1];
        if (!(strlen(last->dir) == dlen && strncmp(last->dir, entry, dlen) == 0)) {
            char *dir = malloc(dlen + 1);
            memcpy(dir, entry, dlen);
            dir[dlen] = 0;
            groups[ngroups++] = (group_t){dir, nfiles, 0};
        }
        groups[ngroups - 1].count++;
        nfiles++;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_t tids[64];
    if (threads > 64) threads = 64;
    for (int t = 0; t < threads; t++) pthread_create(&tids[t], NULL, worker, NULL);
    for (int t = 0; t < threads; t++) pthread_join(tids[t], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%.6f %zu %zu %zu\n", seconds, nfiles, total, ngroups);
    return 0;
}
