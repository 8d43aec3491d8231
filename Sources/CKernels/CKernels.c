#include "CKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

// Asked once per block when a model loads (not per frame), so nothing is cached: no
// shared state between threads that load models.
int rc_has_avx512_vnni(void) {
    const char *off = getenv("RNNPOOL_NO_VNNI");
    int disabled = off != NULL && off[0] != '\0' && strcmp(off, "0") != 0;
    __builtin_cpu_init();
    return !disabled && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vnni");
}

#define VNNI_TARGET __attribute__((target("avx512f,avx512vnni")))

// n pixels (n is a constant at each call, so the unused accumulators fold away): eight
// independent accumulator chains keep both vpdpbusd pipes busy, and each weight load
// serves all of them.
VNNI_TARGET __attribute__((always_inline)) static inline void
expand_pixels(int n, const int8_t *q, long pixelStride, long blocks, const int8_t *w,
              __m512i correction, __m512 scale, __m512 bias, float *dst) {
    const __m512i flip = _mm512_set1_epi32((int)0x80808080);  // q + 128 as unsigned bytes
    __m512i acc[8];
    for (int p = 0; p < n; p++) acc[p] = _mm512_setzero_si512();
    for (long c4 = 0; c4 < blocks; c4++) {
        __m512i wv = _mm512_loadu_si512((const void *)(w + c4 * 64));
        for (int p = 0; p < n; p++) {
            int32_t quad;
            memcpy(&quad, q + p * pixelStride + c4 * 4, 4);
            __m512i x = _mm512_xor_si512(_mm512_set1_epi32(quad), flip);
            acc[p] = _mm512_dpbusd_epi32(acc[p], x, wv);
        }
    }
    const __m512 zero = _mm512_setzero_ps(), six = _mm512_set1_ps(6.0f);
    for (int p = 0; p < n; p++) {
        __m512 f = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[p], correction));
        f = _mm512_add_ps(_mm512_mul_ps(f, scale), bias);
        // max(f, 0) returns +0 for f = ±0, like the Swift engine's relu6.
        f = _mm512_min_ps(_mm512_max_ps(f, zero), six);
        _mm512_storeu_ps(dst + p * 16, f);
    }
}

VNNI_TARGET void rc_expand16_vnni(const int8_t *q, long pixelStride, long pixels, long cin4,
                                  const int8_t *weights, const int32_t *correction,
                                  const float *scale, const float *bias, float *dst) {
    const __m512i corr = _mm512_loadu_si512((const void *)correction);
    const __m512 k = _mm512_loadu_ps(scale), b = _mm512_loadu_ps(bias);
    const long blocks = cin4 / 4;
    long x = 0;
    for (; x + 8 <= pixels; x += 8)
        expand_pixels(8, q + x * pixelStride, pixelStride, blocks, weights, corr, k, b, dst + x * 16);
    if (x + 4 <= pixels) {
        expand_pixels(4, q + x * pixelStride, pixelStride, blocks, weights, corr, k, b, dst + x * 16);
        x += 4;
    }
    for (; x < pixels; x++)
        expand_pixels(1, q + x * pixelStride, pixelStride, blocks, weights, corr, k, b, dst + x * 16);
}

int rc_has_avx2(void) {
    const char *off = getenv("RNNPOOL_NO_VNNI");
    int disabled = off != NULL && off[0] != '\0' && strcmp(off, "0") != 0;
    __builtin_cpu_init();
    return !disabled && __builtin_cpu_supports("avx2");
}

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

#else

int rc_has_avx512_vnni(void) { return 0; }
int rc_has_avx2(void) { return 0; }

#endif
