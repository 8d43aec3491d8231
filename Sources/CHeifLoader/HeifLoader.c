// libheif's functions, resolved from libheif.so.1 on the first rc_heif_load(), and the
// one decode rnnpool-cam needs (include/CHeifLoader.h says why it is loaded, not linked).
#include "CHeifLoader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libheif/heif.h>

#define RC_HEIF_FUNCTIONS(X)                                                                       \
    X(heif_context_alloc) X(heif_context_free) X(heif_context_read_from_memory_without_copy)       \
    X(heif_context_set_maximum_image_size_limit) X(heif_context_get_primary_image_handle)          \
    X(heif_image_handle_get_width) X(heif_image_handle_get_height) X(heif_image_handle_release)    \
    X(heif_decode_image) X(heif_image_get_width) X(heif_image_get_height)                          \
    X(heif_image_get_bits_per_pixel_range) X(heif_image_get_plane_readonly) X(heif_image_release)          \
    X(heif_image_has_channel) X(heif_image_get_nclx_color_profile) X(heif_nclx_color_profile_free)

#define RC_POINTER(name) static __typeof__(&name) rc_p_##name;
RC_HEIF_FUNCTIONS(RC_POINTER)

static pthread_once_t rc_once = PTHREAD_ONCE_INIT;
static int rc_loaded;
static char rc_error[512];

static void rc_load_once(void) {
    void *lib = dlopen("libheif.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(rc_error, sizeof rc_error, "%s", dlerror());
        return;
    }
#define RC_RESOLVE(name)                                                                   \
    rc_p_##name = (__typeof__(&name))dlsym(lib, #name);                                    \
    if (!rc_p_##name) {                                                                    \
        snprintf(rc_error, sizeof rc_error, "libheif.so.1 has no %s", #name);              \
        return;                                                                            \
    }
    RC_HEIF_FUNCTIONS(RC_RESOLVE)
    rc_loaded = 1;
}

int rc_heif_load(void) {
    pthread_once(&rc_once, rc_load_once);
    return rc_loaded;
}

const char *rc_heif_load_error(void) { return rc_error; }

void rc_heif_free(uint8_t *luma) { free(luma); }

// libheif's own message, first line only (the caller makes it printable).
static int rc_fail(struct heif_error e, const char *what, char *reason, size_t n) {
    snprintf(reason, n, "%s (%s)", what, e.message ? e.message : "libheif error");
    char *nl = strchr(reason, '\n');
    if (nl) *nl = 0;
    return -1;
}

int rc_heif_decode_luma(const void *data, size_t size, int max_side, long max_pixels, uint8_t **luma,
                        int *width, int *height, char *reason, size_t reason_size) {
    *luma = NULL;
    struct heif_context *ctx = rc_p_heif_context_alloc();
    if (!ctx) {
        snprintf(reason, reason_size, "out of memory while opening it");
        return -1;
    }
    int status = -1;
    struct heif_image_handle *handle = NULL;
    struct heif_image *image = NULL;
    // libheif refuses larger images itself before allocating them.
    rc_p_heif_context_set_maximum_image_size_limit(ctx, max_side);
    struct heif_error e = rc_p_heif_context_read_from_memory_without_copy(ctx, data, size, NULL);
    if (e.code != heif_error_Ok) {
        rc_fail(e, "not a HEIF or AVIF photo rnnpool-cam can read", reason, reason_size);
        goto done;
    }
    e = rc_p_heif_context_get_primary_image_handle(ctx, &handle);
    if (e.code != heif_error_Ok) {
        rc_fail(e, "it holds no picture", reason, reason_size);
        goto done;
    }
    int w = rc_p_heif_image_handle_get_width(handle), h = rc_p_heif_image_handle_get_height(handle);
    if (w <= 0 || h <= 0 || w > max_side || h > max_side || (long)w * h > max_pixels) {
        snprintf(reason, reason_size, "its %dx%d picture is above the limit of %d pixels a side and %ld in all",
                 w, h, max_side, max_pixels);
        goto done;
    }
    // As coded (YCbCr or monochrome: a luma plane, no conversion, which libheif 1.15
    // lacks from 4:4:4 to monochrome), turned and mirrored as the file's
    // transformations say (the default); a picture coded in RGB is converted to YCbCr.
    e = rc_p_heif_decode_image(handle, &image, heif_colorspace_undefined, heif_chroma_undefined, NULL);
    if (e.code == heif_error_Ok && !rc_p_heif_image_has_channel(image, heif_channel_Y)) {
        rc_p_heif_image_release(image);
        image = NULL;
        e = rc_p_heif_decode_image(handle, &image, heif_colorspace_YCbCr, heif_chroma_420, NULL);
    }
    if (e.code != heif_error_Ok) {
        rc_fail(e, "its picture could not be decoded", reason, reason_size);
        goto done;
    }
    // Limited-range luma (16-235 at 8 bits), as most video-coded photos store it, is
    // stretched to full range, as FFmpeg gives every other picture (`-pix_fmt gray`).
    int full_range = 1;
    struct heif_color_profile_nclx *nclx = NULL;
    if (rc_p_heif_image_get_nclx_color_profile(image, &nclx).code == heif_error_Ok && nclx) {
        full_range = nclx->full_range_flag;
        rc_p_heif_nclx_color_profile_free(nclx);
    }
    int iw = rc_p_heif_image_get_width(image, heif_channel_Y), ih = rc_p_heif_image_get_height(image, heif_channel_Y);
    int bits = rc_p_heif_image_get_bits_per_pixel_range(image, heif_channel_Y);
    int stride = 0;
    const uint8_t *plane = rc_p_heif_image_get_plane_readonly(image, heif_channel_Y, &stride);
    if (!plane || iw <= 0 || ih <= 0 || iw > max_side || ih > max_side || bits < 1 || bits > 16) {
        snprintf(reason, reason_size, "its picture could not be decoded (no %d-bit luma plane)", bits);
        goto done;
    }
    uint8_t *out = malloc((size_t)iw * (size_t)ih);
    if (!out) {
        snprintf(reason, reason_size, "out of memory for its %dx%d picture", iw, ih);
        goto done;
    }
    // Sample s of `bits` bits to 0..255: full range s / (2^bits − 1); limited range
    // (s − 16·2^(bits−8)) / (219·2^(bits−8)), clamped.
    const long top = (1L << bits) - 1, unit = bits >= 8 ? 1L << (bits - 8) : 1;
    const long black = full_range ? 0 : 16 * unit, span = full_range ? top : 219 * unit;
    for (int y = 0; y < ih; y++) {
        const uint8_t *row = plane + (size_t)y * (size_t)stride;
        const uint16_t *wide = (const uint16_t *)row;   // samples above 8 bits are 16-bit words
        uint8_t *dst = out + (size_t)y * (size_t)iw;
        for (int x = 0; x < iw; x++) {
            long s = bits <= 8 ? row[x] : wide[x];
            long v = ((s - black) * 255 + span / 2) / span;
            dst[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
    *luma = out;
    *width = iw;
    *height = ih;
    status = 0;
done:
    if (image) rc_p_heif_image_release(image);
    if (handle) rc_p_heif_image_handle_release(handle);
    rc_p_heif_context_free(ctx);
    return status;
}
