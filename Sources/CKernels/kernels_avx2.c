// The int8 path's kernels with AVX2 (vpmaddwd: exact int16 products, two a lane): the
// MBConv expand (where rc_has_avx2() is 1) and the detection heads (where
// rc_has_avx2_fma() is 1: their L2Norm folds fuse).
#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#define AVX2_TARGET __attribute__((target("avx2")))

// The channels of up to 4 pixels widened to int16 once (pairs * 2 of them, the odd
// channel past cin as 0), so that the multiply-add loop below broadcasts each pixel's
// channel pair straight from memory (one vpbroadcastd) instead of assembling it from two
// bytes every time (five scalar instructions and a move a pixel and pair: the kernel's
// main cost before). Never reads past a pixel's cin bytes.
AVX2_TARGET __attribute__((always_inline)) static inline void
widen_pixels_avx2(int n, const int8_t *q, long pixelStride, long cin, long pairs, int16_t *wide) {
    for (int p = 0; p < n; p++) {
        const int8_t *px = q + p * pixelStride;
        int16_t *out = wide + p * pairs * 2;
        long c = 0;
        for (; c + 16 <= cin; c += 16)
            _mm256_storeu_si256((__m256i *)(out + c), _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(px + c))));
        for (; c < cin; c++) out[c] = px[c];
        if (cin < pairs * 2) out[cin] = 0;
    }
}

// n pixels (a constant at each call): two accumulators (lanes 0-7, 8-15) a pixel, four
// pixels at most, so that accumulators, weights and input fit the 16 ymm registers.
AVX2_TARGET __attribute__((always_inline)) static inline void
expand_pixels_avx2(int n, const int16_t *wide, long pairs, const int16_t *w,
                   __m256 scale_lo, __m256 scale_hi, __m256 bias_lo, __m256 bias_hi, float *dst) {
    __m256i lo[4], hi[4];
    for (int p = 0; p < n; p++) { lo[p] = _mm256_setzero_si256(); hi[p] = _mm256_setzero_si256(); }
    for (long c2 = 0; c2 < pairs; c2++) {
        __m256i w_lo = _mm256_loadu_si256((const __m256i *)(w + c2 * 32));
        __m256i w_hi = _mm256_loadu_si256((const __m256i *)(w + c2 * 32 + 16));
        for (int p = 0; p < n; p++) {
            int32_t pair;
            memcpy(&pair, wide + p * pairs * 2 + c2 * 2, 4);
            __m256i x = _mm256_set1_epi32(pair);
            lo[p] = _mm256_add_epi32(lo[p], _mm256_madd_epi16(x, w_lo));
            hi[p] = _mm256_add_epi32(hi[p], _mm256_madd_epi16(x, w_hi));
        }
    }
    const __m256 zero = _mm256_setzero_ps(), six = _mm256_set1_ps(6.0f);
    for (int p = 0; p < n; p++) {
        __m256 a = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(lo[p]), scale_lo), bias_lo);
        __m256 b = _mm256_add_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(hi[p]), scale_hi), bias_hi);
        // max(f, 0) returns +0 for f = ±0, like the Swift engine's relu6.
        _mm256_storeu_ps(dst + p * 16, _mm256_min_ps(_mm256_max_ps(a, zero), six));
        _mm256_storeu_ps(dst + p * 16 + 8, _mm256_min_ps(_mm256_max_ps(b, zero), six));
    }
}

AVX2_TARGET void rc_expand16_avx2(const int8_t *q, long pixelStride, long pixels, long cin,
                                  const int16_t *weights, const float *scale, const float *bias, float *dst) {
    const __m256 k_lo = _mm256_loadu_ps(scale), k_hi = _mm256_loadu_ps(scale + 8);
    const __m256 b_lo = _mm256_loadu_ps(bias), b_hi = _mm256_loadu_ps(bias + 8);
    const long pairs = (cin + 1) / 2;
    if (cin < 1 || cin > RC_EXPAND_MAX_CHANNELS) abort();   // ArchitectureLimits.channels
    int16_t wide[4 * (RC_EXPAND_MAX_CHANNELS + 1)];
    long x = 0;
    for (; x + 4 <= pixels; x += 4) {
        widen_pixels_avx2(4, q + x * pixelStride, pixelStride, cin, pairs, wide);
        expand_pixels_avx2(4, wide, pairs, weights, k_lo, k_hi, b_lo, b_hi, dst + x * 16);
    }
    for (; x < pixels; x++) {
        widen_pixels_avx2(1, q + x * pixelStride, pixelStride, cin, pairs, wide);
        expand_pixels_avx2(1, wide, pairs, weights, k_lo, k_hi, b_lo, b_hi, dst + x * 16);
    }
}

#define AVX2_FMA_TARGET __attribute__((target("avx2,fma")))

// The head's input window as int16 (HeadRowKernel's integer pass): 3 rows × (count + 2)
// columns × pairs · 2 channels, input column x0 − 1 + q at column q; zeros outside the
// map, for absent rows and in an odd channel count's last slot.
AVX2_FMA_TARGET static void head_stage_avx2(const int8_t *const rows[3], long pixelStride, long width,
                                            long channels, long pairs, long x0, long columns, int16_t *stage) {
    // Columns q with input column x0 − 1 + q inside the row: first ..< last.
    const long first = x0 >= 1 ? 0 : 1 - x0, last = width - x0 + 1 < columns ? width - x0 + 1 : columns;
    for (int ky = 0; ky < 3; ky++) {
        int16_t *row = stage + ky * columns * pairs * 2;
        if (rows[ky] == NULL || first >= last) {
            memset(row, 0, (size_t)(columns * pairs * 2) * sizeof(int16_t));
            continue;
        }
        memset(row, 0, (size_t)(first * pairs * 2) * sizeof(int16_t));
        for (long q = first; q < last; q++)
            widen_pixels_avx2(1, rows[ky] + (x0 - 1 + q) * pixelStride, pixelStride, channels, pairs,
                              row + q * pairs * 2);
        memset(row + last * pairs * 2, 0, (size_t)((columns - last) * pairs * 2) * sizeof(int16_t));
    }
}

// P output pixels (i0 …) × M vectors of 8 output channels (o0 …), P and M constants at
// each call: P·M int32 accumulators, M weight vectors, one broadcast and one product fit
// the 16 ymm registers (4 × 3 did not: an accumulator spilled, and its store-to-load
// chain took a third of the kernel), so 2 × 3, 4 × 2, 8 × 1. Every product is exact
// (int8 · int16) and every sum an int32 (the weights' grid keeps |Σ| < 2^31), so the
// order of the additions does not matter.
// L2Norm heads: the sum is taken per tap and folded into float sums in `out` (zeroed
// by the caller) with one fused multiply-add by the pixel's factor (0 outside the map).
AVX2_FMA_TARGET __attribute__((always_inline)) static inline void
head_block_avx2(int P, int M, const int16_t *stage, long columns, long pairs, int present,
                const float *const norms[3], int l2norm, long x0, long width, long i0,
                const int16_t *weights, long outPadded, long o0, float *out) {
    __m256i acc[8][3];
    for (int p = 0; p < P; p++) for (int m = 0; m < M; m++) acc[p][m] = _mm256_setzero_si256();
    for (int ky = 0; ky < 3; ky++) {
        if (!(present & (1 << ky))) continue;
        for (int kx = 0; kx < 3; kx++) {
            const int16_t *wt = weights + ((ky * 3 + kx) * pairs * outPadded + o0) * 2;
            const int16_t *st = stage + (ky * columns + i0 + kx) * pairs * 2;
            for (long cp = 0; cp < pairs; cp++) {
                __m256i wv[3];
                for (int m = 0; m < M; m++) wv[m] = _mm256_loadu_si256((const __m256i *)(wt + cp * outPadded * 2 + m * 16));
                for (int p = 0; p < P; p++) {
                    int32_t pair;
                    memcpy(&pair, st + p * pairs * 2 + cp * 2, 4);
                    __m256i x = _mm256_set1_epi32(pair);
                    for (int m = 0; m < M; m++) acc[p][m] = _mm256_add_epi32(acc[p][m], _mm256_madd_epi16(x, wv[m]));
                }
            }
            if (!l2norm) continue;
            for (int p = 0; p < P; p++) {
                long ix = x0 + i0 + p - 1 + kx;
                __m256 f = _mm256_set1_ps(ix >= 0 && ix < width ? norms[ky][ix] : 0.0f);
                for (int m = 0; m < M; m++) {
                    float *o = out + (i0 + p) * outPadded + o0 + m * 8;
                    _mm256_storeu_ps(o, _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc[p][m]), f, _mm256_loadu_ps(o)));
                    acc[p][m] = _mm256_setzero_si256();
                }
            }
        }
    }
    if (l2norm) return;
    for (int p = 0; p < P; p++)
        for (int m = 0; m < M; m++)
            _mm256_storeu_ps(out + (i0 + p) * outPadded + o0 + m * 8, _mm256_cvtepi32_ps(acc[p][m]));
}

// All `count` pixels of one block of M output vectors: P at a time, then one by one.
AVX2_FMA_TARGET __attribute__((always_inline)) static inline void
head_pixels_avx2(int P, int M, const int16_t *stage, long columns, long pairs, int present,
                 const float *const norms[3], int l2norm, long x0, long width, long count,
                 const int16_t *weights, long outPadded, long o0, float *out) {
    long i = 0;
    for (; i + P <= count; i += P)
        head_block_avx2(P, M, stage, columns, pairs, present, norms, l2norm, x0, width, i, weights, outPadded, o0, out);
    for (; i < count; i++)
        head_block_avx2(1, M, stage, columns, pairs, present, norms, l2norm, x0, width, i, weights, outPadded, o0, out);
}

AVX2_FMA_TARGET void rc_head_int16_avx2(const int8_t *row0, const int8_t *row1, const int8_t *row2,
                                        const float *norm0, const float *norm1, const float *norm2, int l2norm,
                                        long pixelStride, long width, long channels, long x0, long count,
                                        const int16_t *weights, long outPadded, long oBegin, long oEnd,
                                        const float *scale, const float *bias, int stage, int16_t *staging,
                                        float *out) {
    const int8_t *const rows[3] = { row0, row1, row2 };
    const float *const norms[3] = { norm0, norm1, norm2 };
    const int present = (row0 != NULL ? 1 : 0) | (row1 != NULL ? 2 : 0) | (row2 != NULL ? 4 : 0);
    const long pairs = (channels + 1) / 2, columns = count + 2;
    if (stage) head_stage_avx2(rows, pixelStride, width, channels, pairs, x0, columns, staging);
    if (l2norm)
        for (long i = 0; i < count; i++) memset(out + i * outPadded + oBegin, 0, (size_t)(oEnd - oBegin) * sizeof(float));
    // Output channels 24, 16 or 8 at a time, pixels in blocks that fit the registers.
    for (long o0 = oBegin; o0 < oEnd; ) {
        const long left = (oEnd - o0) / 8;
        const int m = left >= 3 ? 3 : (int)left;
        if (m == 3) head_pixels_avx2(2, 3, staging, columns, pairs, present, norms, l2norm, x0, width, count, weights, outPadded, o0, out);
        else if (m == 2) head_pixels_avx2(4, 2, staging, columns, pairs, present, norms, l2norm, x0, width, count, weights, outPadded, o0, out);
        else head_pixels_avx2(8, 1, staging, columns, pairs, present, norms, l2norm, x0, width, count, weights, outPadded, o0, out);
        o0 += 8 * m;
    }
    // value · scale + bias, rounded separately (not fused), as every path does.
    for (long i = 0; i < count; i++)
        for (long o = oBegin; o < oEnd; o += 8) {
            float *v = out + i * outPadded + o;
            __m256 t = _mm256_mul_ps(_mm256_loadu_ps(v), _mm256_loadu_ps(scale + o));
            _mm256_storeu_ps(v, _mm256_add_ps(t, _mm256_loadu_ps(bias + o)));
        }
}

#endif
