// Swift cannot import the function-like VIDIOC_* / V4L2_PIX_FMT_* macros nor call the
// variadic v4l2_open / v4l2_ioctl, so this header re-exports them as constants and
// fixed-arity inline wrappers.
#ifndef RNNPOOL_CAM_CV4L2_SHIM_H
#define RNNPOOL_CAM_CV4L2_SHIM_H

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/sysmacros.h>
#include <linux/videodev2.h>
#include <stdio.h>
#include <libv4l2.h>

static inline int rc_v4l2_open(const char *path, int flags) { return v4l2_open(path, flags); }
static inline int rc_v4l2_ioctl(int fd, unsigned long request, void *arg) { return v4l2_ioctl(fd, request, arg); }

static const unsigned long RC_VIDIOC_QUERYCAP = VIDIOC_QUERYCAP;
static const unsigned long RC_VIDIOC_ENUM_FMT = VIDIOC_ENUM_FMT;
static const unsigned long RC_VIDIOC_ENUM_FRAMESIZES = VIDIOC_ENUM_FRAMESIZES;
static const unsigned long RC_VIDIOC_G_FMT = VIDIOC_G_FMT;
static const unsigned long RC_VIDIOC_S_FMT = VIDIOC_S_FMT;
static const unsigned long RC_VIDIOC_TRY_FMT = VIDIOC_TRY_FMT;
static const unsigned long RC_VIDIOC_S_PARM = VIDIOC_S_PARM;
static const unsigned long RC_VIDIOC_G_PARM = VIDIOC_G_PARM;
static const unsigned long RC_VIDIOC_REQBUFS = VIDIOC_REQBUFS;
static const unsigned long RC_VIDIOC_QUERYBUF = VIDIOC_QUERYBUF;
static const unsigned long RC_VIDIOC_QBUF = VIDIOC_QBUF;
static const unsigned long RC_VIDIOC_DQBUF = VIDIOC_DQBUF;
static const unsigned long RC_VIDIOC_STREAMON = VIDIOC_STREAMON;
static const unsigned long RC_VIDIOC_STREAMOFF = VIDIOC_STREAMOFF;

static const unsigned int RC_V4L2_PIX_FMT_GREY = V4L2_PIX_FMT_GREY;
static const unsigned int RC_V4L2_PIX_FMT_YUYV = V4L2_PIX_FMT_YUYV;
static const unsigned int RC_V4L2_PIX_FMT_MJPEG = V4L2_PIX_FMT_MJPEG;
// Formats libv4l2 can produce from MJPEG and other compressed or vendor formats.
static const unsigned int RC_V4L2_PIX_FMT_UYVY = V4L2_PIX_FMT_UYVY;
static const unsigned int RC_V4L2_PIX_FMT_YUV420 = V4L2_PIX_FMT_YUV420;
static const unsigned int RC_V4L2_PIX_FMT_YVU420 = V4L2_PIX_FMT_YVU420;
static const unsigned int RC_V4L2_PIX_FMT_RGB24 = V4L2_PIX_FMT_RGB24;
static const unsigned int RC_V4L2_PIX_FMT_BGR24 = V4L2_PIX_FMT_BGR24;

static const unsigned int RC_V4L2_BUF_TYPE_VIDEO_CAPTURE = V4L2_BUF_TYPE_VIDEO_CAPTURE;
static const unsigned int RC_V4L2_MEMORY_MMAP = V4L2_MEMORY_MMAP;
static const unsigned int RC_V4L2_FIELD_NONE = V4L2_FIELD_NONE;
static const unsigned int RC_V4L2_FIELD_ANY = V4L2_FIELD_ANY;
static const unsigned int RC_V4L2_FIELD_TOP = V4L2_FIELD_TOP;
static const unsigned int RC_V4L2_FIELD_BOTTOM = V4L2_FIELD_BOTTOM;
static const unsigned int RC_V4L2_FIELD_INTERLACED = V4L2_FIELD_INTERLACED;
static const unsigned int RC_V4L2_FIELD_SEQ_TB = V4L2_FIELD_SEQ_TB;
static const unsigned int RC_V4L2_FIELD_SEQ_BT = V4L2_FIELD_SEQ_BT;
static const unsigned int RC_V4L2_FIELD_ALTERNATE = V4L2_FIELD_ALTERNATE;
static const unsigned int RC_V4L2_FIELD_INTERLACED_TB = V4L2_FIELD_INTERLACED_TB;
static const unsigned int RC_V4L2_FIELD_INTERLACED_BT = V4L2_FIELD_INTERLACED_BT;
static const unsigned int RC_V4L2_BUF_FLAG_ERROR = V4L2_BUF_FLAG_ERROR;
static const unsigned int RC_V4L2_BUF_FLAG_TIMESTAMP_MASK = V4L2_BUF_FLAG_TIMESTAMP_MASK;
static const unsigned int RC_V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC = V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC;
static const unsigned int RC_V4L2_BUF_FLAG_TIMESTAMP_COPY = V4L2_BUF_FLAG_TIMESTAMP_COPY;
static const unsigned int RC_V4L2_FMT_FLAG_EMULATED = V4L2_FMT_FLAG_EMULATED;
static const unsigned int RC_V4L2_FRMSIZE_TYPE_DISCRETE = V4L2_FRMSIZE_TYPE_DISCRETE;
static const unsigned int RC_V4L2_FRMSIZE_TYPE_CONTINUOUS = V4L2_FRMSIZE_TYPE_CONTINUOUS;
static const unsigned int RC_V4L2_FRMSIZE_TYPE_STEPWISE = V4L2_FRMSIZE_TYPE_STEPWISE;
static const unsigned int RC_V4L2_CAP_VIDEO_CAPTURE = V4L2_CAP_VIDEO_CAPTURE;
static const unsigned int RC_V4L2_CAP_STREAMING = V4L2_CAP_STREAMING;
static const unsigned int RC_V4L2_CAP_DEVICE_CAPS = V4L2_CAP_DEVICE_CAPS;

// Where libv4l2 prints its own messages (stderr when NULL): redirected while ncurses
// owns the screen. Accessors, since the variable's declaration varies between versions.
static inline FILE *rc_v4l2_log_file(void) { return v4l2_log_file; }
static inline void rc_set_v4l2_log_file(FILE *f) { v4l2_log_file = f; }

// mmap's MAP_FAILED is a cast macro.
static inline int rc_is_map_failed(void *p) { return p == MAP_FAILED; }
/* The device number's major: 81 for every video4linux node. */
static inline unsigned rc_dev_major(dev_t d) { return major(d); }
static const unsigned RC_VIDEO4LINUX_MAJOR = 81;

#endif
