// The int8 path's MBConv projection (QuantizedProjection, NETWORK.md §7): four pixels'
// 16 depthwise outputs rounded onto the int16 grid, times the group's int16 weights,
// added to the pixels' int32 sums: AVX-512 VNNI's vpdpwssd (32 products and their adds
// an instruction) where rc_has_avx512_vnni() is 1, else AVX2's vpmaddwd and vpaddd. The
// rounding is a multiply by the grid's inverse and a conversion to int32 (round half to
// even, MXCSR's default: the Swift loop's 1.5·2^23 addition gives the same integer), the
// sums are exact (QuantizedProjection keeps them below 2^31), so both compute the Swift
// loop's numbers (IntegerProjection) in whatever order they add.
#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define VNNI_TARGET __attribute__((target("avx512f,avx512vl,avx512vnni")))
#define AVX2_TARGET __attribute__((target("avx2")))

// A pixel's pair word broadcast straight from memory (a load, no shuffle; inline asm so
// that clang keeps it a memory operand rather than 32 live registers).
VNNI_TARGET __attribute__((always_inline)) static inline __m512i broadcast512(const uint32_t *p) {
    __m512i x;
    __asm__("vpbroadcastd %1, %0" : "=v"(x) : "m"(*p));
    return x;
}

VNNI_TARGET __attribute__((always_inline)) static inline __m256i broadcast256(const uint32_t *p) {
    __m256i x;
    __asm__("vpbroadcastd %1, %0" : "=v"(x) : "m"(*p));
    return x;
}

VNNI_TARGET void rc_project16_vnni(const float *depthwise, float inverse, const uint32_t *w, long outStride,
                                   int32_t *o0, int32_t *o1, int32_t *o2, int32_t *o3) {
    uint32_t d[32] __attribute__((aligned(32)));
    const __m512 inv = _mm512_set1_ps(inverse);
    for (int p = 0; p < 4; p++) {
        __m512i q = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(depthwise + 16 * p), inv));
        _mm256_store_si256((__m256i *)(d + 8 * p), _mm512_cvtepi32_epi16(q));
    }
    int32_t *o[4] = { o0, o1, o2, o3 };
    long oc = 0;
    // 32 output channels a pass: eight accumulators, each weight load shared by four pixels.
    for (; oc + 32 <= outStride; oc += 32) {
        __m512i a[4][2];
        for (int p = 0; p < 4; p++) {
            a[p][0] = _mm512_loadu_si512(o[p] + oc);
            a[p][1] = _mm512_loadu_si512(o[p] + oc + 16);
        }
        for (int j = 0; j < 8; j++) {
            __m512i w0 = _mm512_loadu_si512(w + j * outStride + oc), w1 = _mm512_loadu_si512(w + j * outStride + oc + 16);
            for (int p = 0; p < 4; p++) {
                __m512i x = broadcast512(d + p * 8 + j);
                a[p][0] = _mm512_dpwssd_epi32(a[p][0], x, w0);
                a[p][1] = _mm512_dpwssd_epi32(a[p][1], x, w1);
            }
        }
        for (int p = 0; p < 4; p++) {
            _mm512_storeu_si512(o[p] + oc, a[p][0]);
            _mm512_storeu_si512(o[p] + oc + 16, a[p][1]);
        }
    }
    for (; oc + 16 <= outStride; oc += 16) {
        __m512i a[4];
        for (int p = 0; p < 4; p++) a[p] = _mm512_loadu_si512(o[p] + oc);
        for (int j = 0; j < 8; j++) {
            __m512i w0 = _mm512_loadu_si512(w + j * outStride + oc);
            for (int p = 0; p < 4; p++) a[p] = _mm512_dpwssd_epi32(a[p], broadcast512(d + p * 8 + j), w0);
        }
        for (int p = 0; p < 4; p++) _mm512_storeu_si512(o[p] + oc, a[p]);
    }
    for (; oc < outStride; oc += 8) {
        __m256i a[4];
        for (int p = 0; p < 4; p++) a[p] = _mm256_loadu_si256((const __m256i *)(o[p] + oc));
        for (int j = 0; j < 8; j++) {
            __m256i w0 = _mm256_loadu_si256((const __m256i *)(w + j * outStride + oc));
            for (int p = 0; p < 4; p++) a[p] = _mm256_dpwssd_epi32(a[p], broadcast256(d + p * 8 + j), w0);
        }
        for (int p = 0; p < 4; p++) _mm256_storeu_si256((__m256i *)(o[p] + oc), a[p]);
    }
}

// AVX2: 16 output channels a pass (eight ymm accumulators, two weight vectors, the
// products: 13 of the 16 registers), then 8.
AVX2_TARGET __attribute__((always_inline)) static inline void
project_channels_avx2(int halves, const uint32_t *d, const uint32_t *w, long outStride, long oc, int32_t *o[4]) {
    __m256i a[4][2];
    for (int p = 0; p < 4; p++)
        for (int h = 0; h < halves; h++) a[p][h] = _mm256_loadu_si256((const __m256i *)(o[p] + oc + 8 * h));
    for (int j = 0; j < 8; j++) {
        __m256i wv[2];
        for (int h = 0; h < halves; h++) wv[h] = _mm256_loadu_si256((const __m256i *)(w + j * outStride + oc + 8 * h));
        for (int p = 0; p < 4; p++) {
            __m256i x = _mm256_set1_epi32((int)d[p * 8 + j]);
            for (int h = 0; h < halves; h++) a[p][h] = _mm256_add_epi32(a[p][h], _mm256_madd_epi16(x, wv[h]));
        }
    }
    for (int p = 0; p < 4; p++)
        for (int h = 0; h < halves; h++) _mm256_storeu_si256((__m256i *)(o[p] + oc + 8 * h), a[p][h]);
}

AVX2_TARGET void rc_project16_avx2(const float *depthwise, float inverse, const uint32_t *w, long outStride,
                                   int32_t *o0, int32_t *o1, int32_t *o2, int32_t *o3) {
    uint32_t d[32] __attribute__((aligned(32)));
    const __m256 inv = _mm256_set1_ps(inverse);
    for (int p = 0; p < 4; p++) {
        __m256i lo = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(depthwise + 16 * p), inv));
        __m256i hi = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(depthwise + 16 * p + 8), inv));
        // packs works within 128-bit halves: [lo 0-3, hi 0-3, lo 4-7, hi 4-7], then in order.
        __m256i packed = _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xD8);
        _mm256_store_si256((__m256i *)(d + 8 * p), packed);
    }
    int32_t *o[4] = { o0, o1, o2, o3 };
    long oc = 0;
    for (; oc + 16 <= outStride; oc += 16) project_channels_avx2(2, d, w, outStride, oc, o);
    for (; oc < outStride; oc += 8) project_channels_avx2(1, d, w, outStride, oc, o);
}
#endif
