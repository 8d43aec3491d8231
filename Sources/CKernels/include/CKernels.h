// Kernels written in C for instructions Swift cannot name, one file per instruction set
// (expand_vnni.c, kernels_avx2.c; cpu_features.c says which this CPU runs) or per
// operation (project_int16.c): the int8 path's MBConv expand with AVX-512 VNNI (vpdpbusd,
// 64 int8 multiply-adds per instruction) or AVX2 (vpmaddwd), its MBConv projection with
// VNNI (vpdpwssd) or AVX2 (vpmaddwd), and its heads with AVX2 (vpmaddwd on int16 weights).
// Each is chosen at run time, only where the CPU has the instructions; the Swift engine
// computes exactly the same numbers without them (MBConvRowKernel, HeadRowKernel).
#ifndef RNNPOOL_CKERNELS_H
#define RNNPOOL_CKERNELS_H

#include <stdint.h>

/// 16 floats / 16 int32s: Swift sees them as SIMD16<Float> and SIMD16<Int32>.
typedef float rc_float16 __attribute__((ext_vector_type(16)));
typedef int32_t rc_int16 __attribute__((ext_vector_type(16)));

typedef uint8_t rc_bytes32 __attribute__((ext_vector_type(32)));
typedef uint8_t rc_bytes16 __attribute__((ext_vector_type(16)));

/// p[0], p[2], …, p[30] as 16 floats (exactly: bytes are small integers): the stem's
/// stride-2 reads of an input row, 16 output pixels at once. Portable C (clang vector
/// extensions), a few shuffle and convert instructions on any x86.
static inline __attribute__((always_inline)) rc_float16 rc_even_bytes(const uint8_t *p) {
    rc_bytes32 v;
    __builtin_memcpy(&v, p, 32);
    rc_bytes16 e = __builtin_shufflevector(v, v, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    return __builtin_convertvector(e, rc_float16);
}

/// p[1], p[3], …, p[31] as 16 floats.
static inline __attribute__((always_inline)) rc_float16 rc_odd_bytes(const uint8_t *p) {
    rc_bytes32 v;
    __builtin_memcpy(&v, p, 32);
    rc_bytes16 o = __builtin_shufflevector(v, v, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    return __builtin_convertvector(o, rc_float16);
}

/// Transposes, in place, the 8 × 8 floats whose row r lies at
/// base + (r / 2) · pairStride + (r % 2) · 8 (RNN2's projections: row 2p + h is half h of
/// patch p's vector), so that row t becomes column t: [row 0[t], row 1[t], …, row 7[t]].
/// RNN2's sweeps then read each step's inputs as two rows instead of picking lanes across
/// four vectors at every step. The classic unpack / shuffle / 128-bit-swap transpose,
/// written with clang's vector extensions (24 shuffles on AVX2 or AVX-512, portable C
/// elsewhere); a pure data move.
typedef float rc_float8 __attribute__((ext_vector_type(8)));
static inline __attribute__((always_inline)) void rc_transpose8_pairs(float *base, long pairStride) {
    rc_float8 r[8];
    for (int i = 0; i < 8; i++) __builtin_memcpy(&r[i], base + (i / 2) * pairStride + (i % 2) * 8, 32);
    rc_float8 t[8], u[8];
    for (int i = 0; i < 4; i++) {
        t[2 * i] = __builtin_shufflevector(r[2 * i], r[2 * i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[2 * i + 1] = __builtin_shufflevector(r[2 * i], r[2 * i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 2; i++) {
        u[4 * i] = __builtin_shufflevector(t[4 * i], t[4 * i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[4 * i + 1] = __builtin_shufflevector(t[4 * i], t[4 * i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[4 * i + 2] = __builtin_shufflevector(t[4 * i + 1], t[4 * i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[4 * i + 3] = __builtin_shufflevector(t[4 * i + 1], t[4 * i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int i = 0; i < 4; i++) {
        rc_float8 low = __builtin_shufflevector(u[i], u[i + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        rc_float8 high = __builtin_shufflevector(u[i], u[i + 4], 4, 5, 6, 7, 12, 13, 14, 15);
        __builtin_memcpy(base + (i / 2) * pairStride + (i % 2) * 8, &low, 32);
        __builtin_memcpy(base + ((i + 4) / 2) * pairStride + ((i + 4) % 2) * 8, &high, 32);
    }
}

/// 1 when this CPU runs AVX-512 VNNI (and the kernels below), else 0. Always 0 on
/// other architectures, and when RNNPOOL_NO_VNNI is set to anything but "0" (to
/// measure or test the portable path on such a CPU).
int rc_has_avx512_vnni(void);

/// One 16-channel group of the int8 expand (1×1 conv + ReLU6) over `pixels` pixels:
///   dst[x][l] = relu6(float(Σ_c q[x][c] · w[l][c]) · scale[l] + bias[l])
/// q: the input row's int8 values, `pixelStride` bytes from pixel to pixel, `cin4`
/// channels each (a multiple of 4; weights beyond the real channels are zero, so the
/// padding bytes' values do not matter); `weights`: cin4/4 blocks of 16 lanes × 4 bytes
/// (block c4, lane l, byte k = w[l][4·c4 + k]); `correction[l]` = 128 · Σ_c w[l][c]
/// (vpdpbusd multiplies unsigned bytes, so the kernel reads q + 128 and subtracts it).
/// The sum is exact (|Σ| < 2^24), then one float multiply and one add, not fused.
/// dst: `pixels` × 16 floats. Call only where rc_has_avx512_vnni() is 1.
#if defined(__x86_64__)
void rc_expand16_vnni(const int8_t *q, long pixelStride, long pixels, long cin4,
                      const int8_t *weights, const int32_t *correction,
                      const float *scale, const float *bias, float *dst);
#endif

/// 1 when this CPU runs AVX2 (and rc_expand16_avx2), else 0; 0 too when RNNPOOL_NO_VNNI
/// is set to anything but "0" (it forces the Swift loop on every CPU).
int rc_has_avx2(void);

/// The same expand for CPUs with AVX2 but not VNNI: int8 values sign-extended to int16,
/// two channels per 32-bit lane through vpmaddwd (exact: |w·q| ≤ 127², no saturation,
/// unlike vpmaddubsw), the same float finish. `weights`: `pairs` blocks of 16 lanes × 2
/// int16 (block p, lane l: w[l][2p], w[l][2p+1]), pairs = (cin + 1) / 2 (an odd cin's
/// last weight is zero); q: `cin` channels a pixel, 1 ≤ cin ≤ RC_EXPAND_MAX_CHANNELS.
/// Call only where rc_has_avx2() is 1.
#define RC_EXPAND_MAX_CHANNELS 1024
#if defined(__x86_64__)
void rc_expand16_avx2(const int8_t *q, long pixelStride, long pixels, long cin,
                      const int16_t *weights, const float *scale, const float *bias, float *dst);
#endif

/// 1 when this CPU runs AVX2 and FMA (and rc_head_int16_avx2), else 0; 0 too when
/// RNNPOOL_NO_VNNI is set, like rc_has_avx2.
int rc_has_avx2_fma(void);

/// One pass of a detection head on the int8 path (HeadRowKernel, NETWORK.md §7): the
/// 3×3 convolution of int8 inputs with int16 weights as exact int32 sums, for output
/// pixels x0 ..< x0 + count of a row `width` pixels wide.
///   row0…row2: input rows y−1 … y+1 (`pixelStride` bytes a pixel, `channels` read),
///       NULL outside the map; taps outside the row are zero padding.
///   weights: [9 taps][pairs][outPadded][2] int16 (pair p, output o: w[2p], w[2p+1];
///       pairs = (channels + 1) / 2, an odd count's last weight zero).
///   Without L2Norm: out[i][o] = float(Σ_tap,c x · w) · scale[o] + bias[o].
///   With (l2norm ≠ 0; norm0…norm2: per-pixel factors of the three rows): per tap,
///       ky then kx, acc = fma(float(Σ_c x · w), factor, acc) from acc = 0, then
///       out = acc · scale[o] + bias[o].
///   The final multiply and add are rounded separately (not fused).
///   Only output channels oBegin ..< oEnd (multiples of 8) are computed; the others of
///   `out` are left as they were.
/// staging: 3 · (count + 2) · pairs · 2 int16, filled from the rows when `stage` ≠ 0,
/// else as a previous call of the same pass left it; out: count · outPadded floats,
/// outPadded a multiple of 8. Call only where rc_has_avx2_fma() is 1.
#if defined(__x86_64__)
void rc_head_int16_avx2(const int8_t *row0, const int8_t *row1, const int8_t *row2,
                        const float *norm0, const float *norm1, const float *norm2, int l2norm,
                        long pixelStride, long width, long channels, long x0, long count,
                        const int16_t *weights, long outPadded, long oBegin, long oEnd, const float *scale,
                        const float *bias, int stage, int16_t *staging, float *out);
#endif

/// The int8 path's MBConv projection of one 16-channel group for four pixels
/// (IntegerProjection, QuantizedProjection): `depthwise`, the pixels' 16 outputs each
/// (0…6), become grid steps n = round_half_even(d · inverse); then for each output
/// channel o < outStride (a multiple of 8) and pixel p, o_p[o] += Σ_k n[p][k] · q[k][o],
/// q[2j][o] and q[2j + 1][o] the low and high half of word j·outStride + o of w (8 rows).
/// Exact int32 sums. Pixels may repeat (the same pointer twice): every sum of a pass is
/// read before any is written. The VNNI kernel where rc_has_avx512_vnni() is 1, the AVX2
/// one where rc_has_avx2() is 1.
#if defined(__x86_64__)
void rc_project16_vnni(const float *depthwise, float inverse, const uint32_t *w, long outStride,
                       int32_t *o0, int32_t *o1, int32_t *o2, int32_t *o3);
void rc_project16_avx2(const float *depthwise, float inverse, const uint32_t *w, long outStride,
                       int32_t *o0, int32_t *o1, int32_t *o2, int32_t *o3);
#endif

#endif
