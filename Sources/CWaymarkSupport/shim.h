#ifndef WAYMARK_SUPPORT_SHIM_H
#define WAYMARK_SUPPORT_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

/// Atomically exchanges two paths (Linux renameat2 RENAME_EXCHANGE). Returns 0 on success, else -1 and errno.
/// Other systems report ENOSYS so the caller falls back to two renames.
static inline int waymark_exchange_paths(const char *a, const char *b) {
#if defined(__linux__) && defined(RENAME_EXCHANGE)
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    (void)a; (void)b;
    errno = ENOSYS;
    return -1;
#endif
}
#endif
