// The engine's int8 kernels on the Cortex-M4's DSP extension: exact integer sums with
// SMLAD (two 16 x 16 multiplies and both adds in one instruction), as CMSIS-NN computes
// them, where the portable Swift loop sums int8 values converted to float with FPU
// multiply-adds. The sums are the same integers (every one is below 2^24, so the float
// loop is exact too), and the float finish below is the Swift loop's operation for
// operation, so the boxes stay bit-identical with the host's. Compiled with
// -ffp-contract=off: a fused multiply-add would round differently.
#include "runtime.h"

#include <arm_acle.h>


static inline uint32_t load4(const int8_t *p) {
    uint32_t v;
    __builtin_memcpy(&v, p, 4);   // LDR: the M4 reads unaligned words
    return v;
}

// relu6(sum · scale + bias) as the Swift engine has it: the multiply and the add rounded
// separately; below zero (−0 too) gives +0, above 6 gives 6.
static inline float finish(int32_t sum, float scale, float bias) {
    float f = (float)sum;
    f = f * scale;
    f = f + bias;
    if (!(f > 0.0f)) f = 0.0f;
    if (f > 6.0f) f = 6.0f;
    return f;
}

void m4_expand16_int8(const int8_t *q, int32_t pixelStride, int32_t pixels, int32_t cin4,
                      const int8_t *weights, const float *scale, const float *bias, float *dst) {
    // Each pixel's channels as sign-extended halfword pairs, once for all 16 lanes:
    // word 2k holds channels 4k and 4k+2, word 2k+1 channels 4k+1 and 4k+3, the order
    // SXTB16 (and SXTB16 with ROR 8) gives the weights below.
    // On the stack, sized to the block (8 bytes a channel: 512 B for the shipped
    // model's widest input, 64 channels).
    uint32_t pair0[cin4 / 2], pair1[cin4 / 2];
    int32_t x = 0;
    for (; x + 2 <= pixels; x += 2) {
        const int8_t *p0 = q + x * pixelStride, *p1 = p0 + pixelStride;
        for (int32_t c = 0; c < cin4; c += 4) {
            uint32_t a = load4(p0 + c), b = load4(p1 + c);
            pair0[c / 2] = __sxtb16(a);
            pair0[c / 2 + 1] = __sxtb16(__ror(a, 8));
            pair1[c / 2] = __sxtb16(b);
            pair1[c / 2 + 1] = __sxtb16(__ror(b, 8));
        }
        for (int32_t l = 0; l < 16; l++) {
            const int8_t *w = weights + l * cin4;
            int32_t s0 = 0, s1 = 0;
            for (int32_t c = 0; c < cin4; c += 4) {
                uint32_t ww = load4(w + c);
                uint32_t even = __sxtb16(ww), odd = __sxtb16(__ror(ww, 8));
                s0 = __smlad(pair0[c / 2], even, s0);
                s0 = __smlad(pair0[c / 2 + 1], odd, s0);
                s1 = __smlad(pair1[c / 2], even, s1);
                s1 = __smlad(pair1[c / 2 + 1], odd, s1);
            }
            dst[x * 16 + l] = finish(s0, scale[l], bias[l]);
            dst[(x + 1) * 16 + l] = finish(s1, scale[l], bias[l]);
        }
    }
    if (x < pixels) {
        const int8_t *p0 = q + x * pixelStride;
        for (int32_t c = 0; c < cin4; c += 4) {
            uint32_t a = load4(p0 + c);
            pair0[c / 2] = __sxtb16(a);
            pair0[c / 2 + 1] = __sxtb16(__ror(a, 8));
        }
        for (int32_t l = 0; l < 16; l++) {
            const int8_t *w = weights + l * cin4;
            int32_t s0 = 0;
            for (int32_t c = 0; c < cin4; c += 4) {
                uint32_t ww = load4(w + c);
                s0 = __smlad(pair0[c / 2], __sxtb16(ww), s0);
                s0 = __smlad(pair0[c / 2 + 1], __sxtb16(__ror(ww, 8)), s0);
            }
            dst[x * 16 + l] = finish(s0, scale[l], bias[l]);
        }
    }
}
