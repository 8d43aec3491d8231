// Forwarders for the FFmpeg functions FrameIO/Media uses, resolved from the libraries
// of the FFmpeg version the headers describe (libavformat.so.<major> and so on) on
// the first rc_ffmpeg_load(). See include/CFFmpegLoader.h for why.
#include "CFFmpegLoader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#define RC_STR2(x) #x
#define RC_STR(x) RC_STR2(x)

// Every function, with the library it lives in.
#define RC_FFMPEG_FUNCTIONS(X) \
    X(avformat, avformat_alloc_context) X(avformat, avformat_open_input) X(avformat, avformat_close_input) \
    X(avformat, av_find_best_stream) X(avformat, av_read_frame) X(avformat, av_seek_frame) \
    X(avformat, avio_alloc_context) X(avformat, avio_context_free) X(avformat, av_stream_get_side_data) \
    X(avcodec, avcodec_alloc_context3) X(avcodec, avcodec_free_context) X(avcodec, avcodec_parameters_to_context) \
    X(avcodec, avcodec_open2) X(avcodec, avcodec_get_name) X(avcodec, avcodec_send_packet) \
    X(avcodec, avcodec_receive_frame) X(avcodec, avcodec_flush_buffers) X(avcodec, av_packet_alloc) \
    X(avcodec, av_packet_free) X(avcodec, av_packet_unref) \
    X(swscale, sws_getCachedContext) X(swscale, sws_scale) X(swscale, sws_freeContext) \
    X(avutil, av_frame_alloc) X(avutil, av_frame_free) X(avutil, av_frame_unref) X(avutil, av_frame_move_ref) \
    X(avutil, av_frame_get_buffer) \
    X(avutil, av_malloc) X(avutil, av_free) X(avutil, av_freep) X(avutil, av_strdup) X(avutil, av_strerror) \
    X(avutil, av_log_set_level) X(avutil, av_pix_fmt_desc_get) X(avutil, av_display_rotation_get) \
    X(avutil, av_dict_get)

#define RC_POINTER(lib, name) static __typeof__(&name) rc_p_##name;
RC_FFMPEG_FUNCTIONS(RC_POINTER)

static pthread_once_t rc_once = PTHREAD_ONCE_INIT;
static int rc_loaded;
static char rc_error[512];

static void *rc_open(const char *soname) {
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h && !rc_error[0]) snprintf(rc_error, sizeof rc_error, "%s", dlerror());
    return h;
}

static void rc_load_once(void) {
    void *avformat = rc_open("libavformat.so." RC_STR(LIBAVFORMAT_VERSION_MAJOR));
    void *avcodec = rc_open("libavcodec.so." RC_STR(LIBAVCODEC_VERSION_MAJOR));
    void *swscale = rc_open("libswscale.so." RC_STR(LIBSWSCALE_VERSION_MAJOR));
    void *avutil = rc_open("libavutil.so." RC_STR(LIBAVUTIL_VERSION_MAJOR));
    if (!avformat || !avcodec || !swscale || !avutil) return;
#define RC_RESOLVE(lib, name)                                                             \
    rc_p_##name = (__typeof__(&name))dlsym(lib, #name);                                   \
    if (!rc_p_##name) {                                                                   \
        snprintf(rc_error, sizeof rc_error, "%s has no %s", "lib" #lib, #name);         \
        return;                                                                           \
    }
    RC_FFMPEG_FUNCTIONS(RC_RESOLVE)
    rc_loaded = 1;
}

int rc_ffmpeg_load(void) {
    pthread_once(&rc_once, rc_load_once);
    return rc_loaded;
}

const char *rc_ffmpeg_load_error(void) { return rc_error; }

// The forwarders: the FFmpeg functions' own names and signatures.
AVFormatContext *avformat_alloc_context(void) { return rc_p_avformat_alloc_context(); }
int avformat_open_input(AVFormatContext **ps, const char *url, const AVInputFormat *fmt, AVDictionary **options) {
    return rc_p_avformat_open_input(ps, url, fmt, options);
}
void avformat_close_input(AVFormatContext **s) { rc_p_avformat_close_input(s); }
int av_find_best_stream(AVFormatContext *ic, enum AVMediaType type, int wanted, int related,
                        const AVCodec **decoder_ret, int flags) {
    return rc_p_av_find_best_stream(ic, type, wanted, related, decoder_ret, flags);
}
int av_read_frame(AVFormatContext *s, AVPacket *pkt) { return rc_p_av_read_frame(s, pkt); }
int av_seek_frame(AVFormatContext *s, int stream_index, int64_t timestamp, int flags) {
    return rc_p_av_seek_frame(s, stream_index, timestamp, flags);
}
AVIOContext *avio_alloc_context(unsigned char *buffer, int buffer_size, int write_flag, void *opaque,
                                int (*read_packet)(void *, uint8_t *, int), int (*write_packet)(void *, uint8_t *, int),
                                int64_t (*seek)(void *, int64_t, int)) {
    return rc_p_avio_alloc_context(buffer, buffer_size, write_flag, opaque, read_packet, write_packet, seek);
}
void avio_context_free(AVIOContext **s) { rc_p_avio_context_free(s); }
uint8_t *av_stream_get_side_data(const AVStream *stream, enum AVPacketSideDataType type, size_t *size) {
    return rc_p_av_stream_get_side_data(stream, type, size);
}

AVCodecContext *avcodec_alloc_context3(const AVCodec *codec) { return rc_p_avcodec_alloc_context3(codec); }
void avcodec_free_context(AVCodecContext **avctx) { rc_p_avcodec_free_context(avctx); }
int avcodec_parameters_to_context(AVCodecContext *codec, const AVCodecParameters *par) {
    return rc_p_avcodec_parameters_to_context(codec, par);
}
int avcodec_open2(AVCodecContext *avctx, const AVCodec *codec, AVDictionary **options) {
    return rc_p_avcodec_open2(avctx, codec, options);
}
const char *avcodec_get_name(enum AVCodecID id) { return rc_p_avcodec_get_name(id); }
int avcodec_send_packet(AVCodecContext *avctx, const AVPacket *avpkt) { return rc_p_avcodec_send_packet(avctx, avpkt); }
int avcodec_receive_frame(AVCodecContext *avctx, AVFrame *frame) { return rc_p_avcodec_receive_frame(avctx, frame); }
void avcodec_flush_buffers(AVCodecContext *avctx) { rc_p_avcodec_flush_buffers(avctx); }
AVPacket *av_packet_alloc(void) { return rc_p_av_packet_alloc(); }
void av_packet_free(AVPacket **pkt) { rc_p_av_packet_free(pkt); }
void av_packet_unref(AVPacket *pkt) { rc_p_av_packet_unref(pkt); }

struct SwsContext *sws_getCachedContext(struct SwsContext *context, int srcW, int srcH, enum AVPixelFormat srcFormat,
                                        int dstW, int dstH, enum AVPixelFormat dstFormat, int flags,
                                        SwsFilter *srcFilter, SwsFilter *dstFilter, const double *param) {
    return rc_p_sws_getCachedContext(context, srcW, srcH, srcFormat, dstW, dstH, dstFormat, flags, srcFilter,
                                     dstFilter, param);
}
int sws_scale(struct SwsContext *c, const uint8_t *const srcSlice[], const int srcStride[], int srcSliceY,
              int srcSliceH, uint8_t *const dst[], const int dstStride[]) {
    return rc_p_sws_scale(c, srcSlice, srcStride, srcSliceY, srcSliceH, dst, dstStride);
}
void sws_freeContext(struct SwsContext *swsContext) { rc_p_sws_freeContext(swsContext); }

AVFrame *av_frame_alloc(void) { return rc_p_av_frame_alloc(); }
void av_frame_free(AVFrame **frame) { rc_p_av_frame_free(frame); }
void av_frame_unref(AVFrame *frame) { rc_p_av_frame_unref(frame); }
void av_frame_move_ref(AVFrame *dst, AVFrame *src) { rc_p_av_frame_move_ref(dst, src); }
int av_frame_get_buffer(AVFrame *frame, int align) { return rc_p_av_frame_get_buffer(frame, align); }
void *av_malloc(size_t size) { return rc_p_av_malloc(size); }
void av_free(void *ptr) { rc_p_av_free(ptr); }
void av_freep(void *ptr) { rc_p_av_freep(ptr); }
char *av_strdup(const char *s) { return rc_p_av_strdup(s); }
int av_strerror(int errnum, char *errbuf, size_t errbuf_size) { return rc_p_av_strerror(errnum, errbuf, errbuf_size); }
void av_log_set_level(int level) { rc_p_av_log_set_level(level); }
const AVPixFmtDescriptor *av_pix_fmt_desc_get(enum AVPixelFormat pix_fmt) { return rc_p_av_pix_fmt_desc_get(pix_fmt); }
double av_display_rotation_get(const int32_t matrix[9]) { return rc_p_av_display_rotation_get(matrix); }
AVDictionaryEntry *av_dict_get(const AVDictionary *m, const char *key, const AVDictionaryEntry *prev, int flags) {
    return rc_p_av_dict_get(m, key, prev, flags);
}
