// HEIF and AVIF photos (an iPhone's .HEIC, .AVIF) through libheif, loaded on first use
// like FFmpeg's libraries (CFFmpegLoader): linked, it and the codecs it pulls in
// (libde265, x265, aom, dav1d) would cost every run at start-up, and a machine without
// it could not start rnnpool-cam. FFmpeg 5.1, which reads every other photo, cannot
// read HEIF's image items.
#ifndef RNNPOOL_CHEIF_LOADER_H
#define RNNPOOL_CHEIF_LOADER_H

#include <stddef.h>
#include <stdint.h>

/// 1 when libheif.so.1 and every function were found; else 0, with
/// rc_heif_load_error() saying what was missing.
int rc_heif_load(void);
const char *rc_heif_load_error(void);

/// Decodes the primary image of the HEIF/AVIF file in `data` to 8-bit luma, turned
/// and mirrored as the file says it is shown. Refuses (before decoding) an image
/// wider or taller than `max_side` or with more than `max_pixels` pixels. On success
/// returns 0 and `*luma` (free it with rc_heif_free) holds `*width` x `*height` bytes;
/// else returns -1 with a one-line reason in `reason`.
int rc_heif_decode_luma(const void *data, size_t size, int max_side, long max_pixels, uint8_t **luma,
                        int *width, int *height, char *reason, size_t reason_size);
void rc_heif_free(uint8_t *luma);

#endif
