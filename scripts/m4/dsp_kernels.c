// The engine's kernels that the Cortex-M4 runs in C. The int8 expand on its DSP extension: exact integer sums with
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

// a·b + c rounded once: VFMA.F32, the instruction Swift's addProduct becomes here (this
// clang lowers __builtin_fmaf for the M4 to a call to fmaf, which the runtime lacks).
static inline float fused_multiply_add(float a, float b, float c) {
    __asm__("vfma.f32 %0, %1, %2" : "+t"(c) : "t"(a), "t"(b));
    return c;
}

// FastGRNN's recurrent products for 16 sequences (lanes) and 16 hidden units: out[j][l] =
// a[j][l] + Σ_k U[j][k]·h[k][l], k in order, each step one fused multiply-add: the
// Swift loop's addProduct, lane by lane. a, h, out: 16 vectors of 16 floats (out may be
// a); U: 16 × 16. One lane at a time, its 16 states in registers (the Swift loop's
// 16-lane vectors are 16 registers each on the M4, and spilled): 215.3 M → 190.3 M
// instructions a frame in RNNPool.
void m4_recurrent_products16(const float *a, const float *U, const float *h, float *out) {
    for (int32_t l = 0; l < 16; l++) {
        const float *hp = h + l;
        float h0 = hp[0], h1 = hp[16], h2 = hp[32], h3 = hp[48], h4 = hp[64], h5 = hp[80], h6 = hp[96], h7 = hp[112];
        float h8 = hp[128], h9 = hp[144], h10 = hp[160], h11 = hp[176], h12 = hp[192], h13 = hp[208], h14 = hp[224], h15 = hp[240];
        for (int32_t j = 0; j < 16; j++) {
            const float *r = U + j * 16;
            float acc = a[j * 16 + l];
            acc = fused_multiply_add(r[0], h0, acc); acc = fused_multiply_add(r[1], h1, acc);
            acc = fused_multiply_add(r[2], h2, acc); acc = fused_multiply_add(r[3], h3, acc);
            acc = fused_multiply_add(r[4], h4, acc); acc = fused_multiply_add(r[5], h5, acc);
            acc = fused_multiply_add(r[6], h6, acc); acc = fused_multiply_add(r[7], h7, acc);
            acc = fused_multiply_add(r[8], h8, acc); acc = fused_multiply_add(r[9], h9, acc);
            acc = fused_multiply_add(r[10], h10, acc); acc = fused_multiply_add(r[11], h11, acc);
            acc = fused_multiply_add(r[12], h12, acc); acc = fused_multiply_add(r[13], h13, acc);
            acc = fused_multiply_add(r[14], h14, acc); acc = fused_multiply_add(r[15], h15, acc);
            out[j * 16 + l] = acc;
        }
    }
}
