// FFmpeg's libraries for clips and photos (FrameIO/Media). Error codes and a few
// helpers are macros or variadic functions, which Swift cannot import: they are
// re-exposed here as constants and inline functions.
#ifndef RNNPOOL_CFFMPEG_SHIM_H
#define RNNPOOL_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
#include <errno.h>
#include <stdio.h>

static const int rc_averror_eof = AVERROR_EOF;
static const int rc_averror_exit = AVERROR_EXIT;
static const int rc_averror_eagain = AVERROR(EAGAIN);
static const int rc_averror_enomem = AVERROR(ENOMEM);
static const int rc_averror_invaliddata = AVERROR_INVALIDDATA;
static const int rc_averror_decoder_not_found = AVERROR_DECODER_NOT_FOUND;
static const int rc_avseek_size = AVSEEK_SIZE;
static const int rc_avseek_force = AVSEEK_FORCE;
static const int64_t rc_av_nopts_value = AV_NOPTS_VALUE;
static const int rc_av_log_quiet = AV_LOG_QUIET;

/// AVERROR(e) for an errno value.
static inline int rc_averror(int e) { return AVERROR(e); }

/// FFmpeg's text for an error code ("Invalid data found when processing input").
static inline void rc_av_strerror(int code, char *buf, size_t size) {
    if (av_strerror(code, buf, size) < 0) snprintf(buf, size, "error %d", code);
}

#endif
