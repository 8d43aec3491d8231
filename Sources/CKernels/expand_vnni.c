// The int8 MBConv expand with AVX-512 VNNI (vpdpbusd: 64 int8 multiply-adds an
// instruction), chosen where rc_has_avx512_vnni() is 1.
#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define VNNI_TARGET __attribute__((target("avx512f,avx512vnni")))

// Four input bytes read as one word (any alignment, aliasing the int8 row).
typedef int32_t __attribute__((may_alias, aligned(1))) pixel_word;

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
            // The broadcast straight from memory (a load, no shuffle), then the flip on the
            // whole vector: written as C, clang flips the 4 bytes first and broadcasts from
            // a register, a shuffle per pixel and block that held the loop on Zen 4.
            __m512i x;
            __asm__("vpbroadcastd %1, %0" : "=v"(x) : "m"(*(const pixel_word *)(q + p * pixelStride + c4 * 4)));
            x = _mm512_xor_si512(x, flip);
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

#endif
