// Kernels written in C for instructions Swift cannot name: today the MBConv expand of
// the int8 path with AVX-512 VNNI (vpdpbusd, 64 int8 multiply-adds per instruction).
// Each is chosen at run time, only where the CPU has the instructions; the Swift
// engine computes exactly the same numbers without them (MBConvRowKernel).
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

/// Lanes picked from four vectors: lanes 0–7 from a and b (index i < 16: a[i], else
/// b[i − 16]) by `low`, lanes 8–15 from c and d by `high`. A pure data move, for the RNN2
/// sweeps that read four patches' projections in a different order at every step.
/// With AVX-512 (known when the engine is compiled for such a CPU): two vpermt2ps and a
/// blend, inlined into the Swift loop; otherwise a lane loop.
#if defined(__AVX512F__)
#include <immintrin.h>
static inline __attribute__((always_inline)) rc_float16
rc_pick_lanes(rc_float16 a, rc_float16 b, rc_float16 c, rc_float16 d, rc_int16 low, rc_int16 high) {
    __m512 x = _mm512_permutex2var_ps((__m512)a, (__m512i)low, (__m512)b);
    __m512 y = _mm512_permutex2var_ps((__m512)c, (__m512i)high, (__m512)d);
    return (rc_float16)_mm512_mask_blend_ps(0xFF00, x, y);
}
#elif defined(__AVX2__)
#include <immintrin.h>
/// 8 lanes picked from a (index < 16) and b (16…31), each 16 lanes as two halves: vpermps
/// reads the index's low 3 bits, so each half is permuted whole and the index's bits 3
/// and 4 choose the half and the vector (vblendvps reads a lane's sign bit).
static inline __attribute__((always_inline)) __m256
rc_pick8_avx2(__m256 a_lo, __m256 a_hi, __m256 b_lo, __m256 b_hi, __m256i index) {
    __m256 half = _mm256_castsi256_ps(_mm256_slli_epi32(index, 28));     // bit 3 → sign
    __m256 second = _mm256_castsi256_ps(_mm256_slli_epi32(index, 27));   // bit 4 → sign
    __m256 from_a = _mm256_blendv_ps(_mm256_permutevar8x32_ps(a_lo, index), _mm256_permutevar8x32_ps(a_hi, index), half);
    __m256 from_b = _mm256_blendv_ps(_mm256_permutevar8x32_ps(b_lo, index), _mm256_permutevar8x32_ps(b_hi, index), half);
    return _mm256_blendv_ps(from_a, from_b, second);
}

static inline __attribute__((always_inline)) rc_float16
rc_pick_lanes(rc_float16 a, rc_float16 b, rc_float16 c, rc_float16 d, rc_int16 low, rc_int16 high) {
    typedef float half8 __attribute__((ext_vector_type(8)));
    #define RC_LO(v) ((__m256)__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7))
    #define RC_HI(v) ((__m256)__builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15))
    __m256i l = (__m256i)__builtin_shufflevector(low, low, 0, 1, 2, 3, 4, 5, 6, 7);
    __m256i h = (__m256i)__builtin_shufflevector(high, high, 8, 9, 10, 11, 12, 13, 14, 15);
    half8 x = (half8)rc_pick8_avx2(RC_LO(a), RC_HI(a), RC_LO(b), RC_HI(b), l);
    half8 y = (half8)rc_pick8_avx2(RC_LO(c), RC_HI(c), RC_LO(d), RC_HI(d), h);
    #undef RC_LO
    #undef RC_HI
    return __builtin_shufflevector(x, y, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}
#else
static inline rc_float16
rc_pick_lanes(rc_float16 a, rc_float16 b, rc_float16 c, rc_float16 d, rc_int16 low, rc_int16 high) {
    rc_float16 r;
    for (int l = 0; l < 8; l++) r[l] = low[l] < 16 ? a[low[l] & 15] : b[low[l] & 15];
    for (int l = 8; l < 16; l++) r[l] = high[l] < 16 ? c[high[l] & 15] : d[high[l] & 15];
    return r;
}
#endif

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

#endif
