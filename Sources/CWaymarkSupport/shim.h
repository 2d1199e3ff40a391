#ifndef WAYMARK_SUPPORT_SHIM_H
#define WAYMARK_SUPPORT_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

/// libvips, loaded at run time: responsive image sizes are optional, and a site that does not ask for them
/// (or a machine without Debian's libvips42) builds without it. Only the few calls Waymark makes are
/// declared here, so no libvips headers are needed to compile. Variadic C calls cannot be made from Swift,
/// hence these wrappers.
typedef struct {
    void *handle;
    int (*thumbnail_buffer)(void *buf, size_t len, void **out, int width, ...);
    int (*write_to_buffer)(void *image, const char *suffix, void **buf, size_t *size, ...);
    int (*image_get_width)(const void *image);
    int (*image_get_height)(const void *image);
    const char *(*error_buffer)(void);
    void (*error_clear)(void);
    void (*object_unref)(void *object);
    void (*free)(void *memory);
    /// Loader options that make damaged pixel data an error instead of a warning and a picture filled
    /// with black: `fail_on=error` (libvips 8.12 and later), `fail` before.
    const char *load_options;
} waymark_vips;

/// Drops libvips' GLib warnings. It reports damaged image data as warnings on stderr, one per row or tile
/// it could not read (7,000 lines for one truncated 7000-pixel-high PNG), besides the error that
/// `load_options` turns the damage into; the build reports that error once, at the file.
static void waymark_vips_quiet(const char *domain, int level, const char *message, void *data) {
    (void)domain; (void)level; (void)message; (void)data;
}

/// Loads libvips from `library` (NULL: the system's libvips.so.42) and initialises it. Returns 0, or -1 with
/// a message in `error` (`capacity` bytes).
static inline int waymark_vips_load(waymark_vips *v, const char *library, char *error, size_t capacity) {
    memset(v, 0, sizeof *v);
    void *h = dlopen(library ? library : "libvips.so.42", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(error, capacity, "%s", e ? e : "cannot load libvips");
        return -1;
    }
    int (*init)(const char *) = (int (*)(const char *))dlsym(h, "vips_init");
    void (*concurrency)(int) = (void (*)(int))dlsym(h, "vips_concurrency_set");
    void (*cache_max)(int) = (void (*)(int))dlsym(h, "vips_cache_set_max");
    v->thumbnail_buffer = (int (*)(void *, size_t, void **, int, ...))dlsym(h, "vips_thumbnail_buffer");
    v->write_to_buffer = (int (*)(void *, const char *, void **, size_t *, ...))dlsym(h, "vips_image_write_to_buffer");
    v->image_get_width = (int (*)(const void *))dlsym(h, "vips_image_get_width");
    v->image_get_height = (int (*)(const void *))dlsym(h, "vips_image_get_height");
    v->error_buffer = (const char *(*)(void))dlsym(h, "vips_error_buffer");
    v->error_clear = (void (*)(void))dlsym(h, "vips_error_clear");
    v->object_unref = (void (*)(void *))dlsym(h, "g_object_unref");
    v->free = (void (*)(void *))dlsym(h, "g_free");
    int (*version)(int) = (int (*)(int))dlsym(h, "vips_version");
    // GLib's, found through libvips' own dependencies.
    unsigned (*log_handler)(const char *, int, void (*)(const char *, int, const char *, void *), void *) =
        (unsigned (*)(const char *, int, void (*)(const char *, int, const char *, void *), void *))dlsym(h, "g_log_set_handler");
    if (!init || !concurrency || !cache_max || !v->thumbnail_buffer || !v->write_to_buffer || !v->image_get_width ||
        !v->image_get_height || !v->error_buffer || !v->error_clear || !v->object_unref || !v->free || !version || !log_handler) {
        snprintf(error, capacity, "the libvips found lacks a function Waymark uses (libvips 8.6 or later is needed)");
        dlclose(h);
        return -1;
    }
    if (init("waymark") != 0) {
        snprintf(error, capacity, "libvips failed to start: %s", v->error_buffer());
        dlclose(h);
        return -1;
    }
    // Waymark resizes images on every core itself; libvips' own worker threads would only compete, and its
    // operation cache would hold every decoded image until the build ends.
    concurrency(1);
    cache_max(0);
    // liborc's run-time code generation (libvips' SIMD paths) crashed `waymark serve` once in a resize on
    // a worker thread (SIGSEGV inside liborc); the plain C paths are a little slower and never generate code.
    void (*vector_enabled)(int) = (void (*)(int))dlsym(h, "vips_vector_set_enabled");
    if (vector_enabled) vector_enabled(0);
    v->load_options = version(0) > 8 || (version(0) == 8 && version(1) >= 12) ? "fail_on=error" : "fail";
    const int g_log_level_warning = 1 << 4;
    log_handler("VIPS", g_log_level_warning, waymark_vips_quiet, NULL);
    v->handle = h;
    return 0;
}

/// Decodes `bytes`, scales it to `width` pixels wide (keeping its aspect ratio, applying EXIF orientation)
/// and encodes it with `format` (".png[strip]", ".jpg[Q=82,strip]" …). On success returns 0 and a buffer
/// to release with `v->free`; on failure (damaged pixel data included) -1 and libvips' message in `error`.
/// The loader options go in `option_string`: libvips 8.14's thumbnail does not pass its own `fail_on` to
/// a buffer's loader (measured: a truncated PNG still gave a copy).
static inline int waymark_vips_resize(
    const waymark_vips *v, const void *bytes, size_t length, int width, const char *format, void **out, size_t *out_length,
    int *out_width, int *out_height, char *error, size_t capacity) {
    void *image = NULL;
    *out = NULL;
    *out_length = 0;
    // The height bound is far beyond any image: the width alone decides the scale.
    if (v->thumbnail_buffer((void *)bytes, length, &image, width, "height", 10000000, "option_string", v->load_options, NULL) != 0) {
        snprintf(error, capacity, "%s", v->error_buffer());
        v->error_clear();
        return -1;
    }
    *out_width = v->image_get_width(image);
    *out_height = v->image_get_height(image);
    int status = v->write_to_buffer(image, format, out, out_length, NULL);
    v->object_unref(image);
    if (status != 0) {
        snprintf(error, capacity, "%s", v->error_buffer());
        v->error_clear();
        return -1;
    }
    return 0;
}

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
