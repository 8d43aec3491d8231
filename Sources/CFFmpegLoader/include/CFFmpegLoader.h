// FFmpeg's libraries are loaded on first use, not at start-up: linked directly they
// (and the ~120 libraries they pull in) cost every run ~29 MB of resident memory,
// camera and .y4m runs too, and a machine without them could not start rnnpool-cam at
// all. FFmpegLoader.c defines the FFmpeg functions FrameIO calls as forwarders to the
// real ones, found with dlopen/dlsym; call rc_ffmpeg_load() (once is enough) before
// any of them.
#ifndef RNNPOOL_CFFMPEG_LOADER_H
#define RNNPOOL_CFFMPEG_LOADER_H

/// 1 when every library and function was found; else 0, with rc_ffmpeg_load_error()
/// saying what was missing (e.g. "libavformat.so.59: cannot open shared object file").
int rc_ffmpeg_load(void);
const char *rc_ffmpeg_load_error(void);

#endif
