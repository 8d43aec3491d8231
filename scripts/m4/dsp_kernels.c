// The engine kernels the Cortex-M4 firmware runs in C, where the Swift core's 16-lane
// loops would spill its registers or miss its DSP instructions. Each computes exactly what
// the Swift loop it replaces computes, so the boxes stay bit-identical with the host's
// (CortexM4FirmwareTests):
// - the int8 expand as exact integer sums with SMLAD (two 16 x 16 multiplies and both adds
//   in one instruction), as CMSIS-NN computes them; the Swift loop sums the same integers
//   in float (exact: every sum is below 2^24), and the finish is its operations in order;
// - the int8 path's heads likewise (int16 weights, inputs staged as halfword pairs), and
//   its MBConv projection (int16 weights, the depthwise outputs as int16 grid steps);
// - FastGRNN's products (RNN1's W x + U h, the recurrent products, RNN2's input
//   projection), the MBConv depthwise, the float path's projection and heads: the
//   same fused multiply-adds in the same order, with the running sums in registers and
//   weights and inputs loaded eight at a time (VLDM, written in inline asm: clang does
//   not merge VLDRs, and its allocation of the expand loop spilled).
// Compiled with -ffp-contract=off: a multiply and add fused where the Swift code rounds
// twice would change bits. `build.sh --profile` and `pc_profile.sh` show where a frame's
// instructions go (docs/BENCHMARKS.md).
#include "runtime.h"

#include <arm_acle.h>

static inline uint32_t load4(const int8_t *p) {
    uint32_t v;
    __builtin_memcpy(&v, p, 4);   // LDR: the M4 reads unaligned words
    return v;
}

// ReLU6 of f as the Swift engine's clamps have it, returned as the float's bits; and
// relu6(sum · scale + bias), the multiply and the add rounded separately
// (-ffp-contract=off). The clamps compare the bits as integers, which orders finite
// floats as the float compare does where it matters: every negative float and −0 are
// integers ≤ 0 (→ +0, as `!(f > 0)` gives), and positive floats order as their bits, so
// "above 6" is "bits above 6's". (VCMP needs a VMRS and an IT block per compare: four
// instructions more an output.)
static inline uint32_t relu6_bits(float f) {
    int32_t b;
    __builtin_memcpy(&b, &f, 4);
    if (b <= 0) b = 0;
    if (b > 0x40C00000) b = 0x40C00000;   // 6.0f
    return (uint32_t)b;
}

static inline uint32_t finish_bits(int32_t sum, float scale, float bias) {
    float f = (float)sum;
    f = f * scale;
    f = f + bias;
    return relu6_bits(f);
}

// Four pixels' channels as sign-extended halfword pairs, interleaved so that one LDM
// fetches what a weight word meets: per 4 input channels, the four pixels' words of
// channels (4k, 4k+2), then their words of (4k+1, 4k+3), the order SXTB16 and SXTB16
// with ROR 8 give the weights. Pixels past `n` repeat the last (their sums are dropped).
static inline void pixel_pairs(int n, const int8_t *q, int32_t pixelStride, int32_t cin4, uint32_t *pairs) {
    for (int p = 0; p < 4; p++) {
        const int8_t *px = q + (p < n ? p : n - 1) * pixelStride;
        uint32_t *dst = pairs + p;
        for (int32_t c = 0; c < cin4; c += 4) {
            uint32_t v = load4(px + c);
            dst[0] = __sxtb16(v);
            dst[4] = __sxtb16(__ror(v, 8));
            dst += 8;
        }
    }
}

// One weight word (4 input channels of one expanded channel) against the four pixels'
// eight pair words (`pixel_pairs`): SXTB16 twice, two LDMs, eight SMLADs; w and pp move
// on. Written out in asm: clang's own allocation of this loop spilled a pointer every
// round. The LDMs fill r8-r11 (ascending, as LDM requires).
#define EXPAND_WORD_ASM                                                                    \
    "ldr %[ww], [%[w]], #4\n\t"                                                            \
    "ldmia %[pp]!, {r8-r11}\n\t"                                                           \
    "sxtb16 %[e], %[ww]\n\t"                                                               \
    "sxtb16 %[ww], %[ww], ror #8\n\t"                                                      \
    "smlad %[s0], r8, %[e], %[s0]\n\t" "smlad %[s1], r9, %[e], %[s1]\n\t"                  \
    "smlad %[s2], r10, %[e], %[s2]\n\t" "smlad %[s3], r11, %[e], %[s3]\n\t"                \
    "ldmia %[pp]!, {r8-r11}\n\t"                                                           \
    "smlad %[s0], r8, %[ww], %[s0]\n\t" "smlad %[s1], r9, %[ww], %[s1]\n\t"                \
    "smlad %[s2], r10, %[ww], %[s2]\n\t" "smlad %[s3], r11, %[ww], %[s3]\n\t"
#define EXPAND_WORD_OPERANDS                                                               \
    : [w] "+r"(w), [pp] "+r"(pp), [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), \
      [ww] "=&r"(ww), [e] "=&r"(e)                                                          \
    : [end] "r"(end)                                                                        \
    : "r8", "r9", "r10", "r11", "cc", "memory"

// The 16 channels of one group for four pixels (`n` ≤ 4 of them stored; a constant at
// the main call, so its stores need no tests): per channel, four integer sums over the
// input's weight words, two words a loop round (14 instructions per 16 multiply-adds).
static inline __attribute__((always_inline)) void
expand_four_pixels(int n, const uint32_t *pairs, int32_t cin4, const int8_t *weights,
                   const float *scale, const float *bias, uint32_t *dst) {
    for (int32_t l = 0; l < 16; l++) {
        const int8_t *w = weights + l * cin4, *end = w + cin4;
        const uint32_t *pp = pairs;
        int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        uint32_t ww, e;
        if (cin4 & 4) __asm__(EXPAND_WORD_ASM EXPAND_WORD_OPERANDS);    // an odd word first
        if (w < end) __asm__("1:\n\t" EXPAND_WORD_ASM EXPAND_WORD_ASM "cmp %[w], %[end]\n\t" "blo 1b\n\t"
                             EXPAND_WORD_OPERANDS);
        float k = scale[l], b = bias[l];
        dst[l] = finish_bits(s0, k, b);
        if (n > 1) dst[16 + l] = finish_bits(s1, k, b);
        if (n > 2) dst[32 + l] = finish_bits(s2, k, b);
        if (n > 3) dst[48 + l] = finish_bits(s3, k, b);
    }
}

// Out of line, away from m4_expand16_int8's variable-length array (which takes r7 as a
// frame pointer): the loop above needs all 14 other registers, or spills a pointer.
__attribute__((noinline)) static void
expand_four(const uint32_t *pairs, int32_t cin4, const int8_t *weights, const float *scale, const float *bias,
            uint32_t *dst) {
    expand_four_pixels(4, pairs, cin4, weights, scale, bias, dst);
}

// A row's last pixel alone (the shipped model's stride-1 tiles read 21 columns): one sum
// per channel, the pixel's pairs unpacked as they are read, where the four-pixel kernel
// would do four pixels' work for it.
static void expand_one(const int8_t *q, int32_t cin4, const int8_t *weights, const float *scale,
                       const float *bias, uint32_t *dst) {
    for (int32_t l = 0; l < 16; l++) {
        const int8_t *w = weights + l * cin4;
        int32_t sum = 0;
        for (int32_t c = 0; c < cin4; c += 4) {
            uint32_t ww = load4(w + c), v = load4(q + c);
            sum = __smlad(__sxtb16(v), __sxtb16(ww), sum);
            sum = __smlad(__sxtb16(__ror(v, 8)), __sxtb16(__ror(ww, 8)), sum);
        }
        dst[l] = finish_bits(sum, scale[l], bias[l]);
    }
}

void m4_expand16_int8(const int8_t *q, int32_t pixelStride, int32_t pixels, int32_t cin4,
                      const int8_t *weights, const float *scale, const float *bias, float *dst) {
    // On the stack, sized to the block (8 bytes a channel and pixel: 2 KiB for the
    // shipped model's widest input, 64 channels).
    uint32_t pairs[4 * (cin4 / 2)];
    uint32_t *out = (uint32_t *)dst;
    int32_t x = 0;
    for (; x + 4 <= pixels; x += 4) {
        pixel_pairs(4, q + x * pixelStride, pixelStride, cin4, pairs);
        expand_four(pairs, cin4, weights, scale, bias, out + x * 16);
    }
    if (x + 1 == pixels) {
        expand_one(q + x * pixelStride, cin4, weights, scale, bias, out + x * 16);
    } else if (x < pixels) {
        int n = (int)(pixels - x);
        pixel_pairs(n, q + x * pixelStride, pixelStride, cin4, pairs);
        expand_four_pixels(n, pairs, cin4, weights, scale, bias, out + x * 16);
    }
}

// a·b + c rounded once: VFMA.F32, the instruction Swift's addProduct becomes here (this
// clang lowers __builtin_fmaf for the M4 to a call to fmaf, which the runtime lacks).
static inline float fused_multiply_add(float a, float b, float c) {
    __asm__("vfma.f32 %0, %1, %2" : "+t"(c) : "t"(a), "t"(b));
    return c;
}

// Sixteen multiply-adds acc += r[k]·v_k, k in order, one fused multiply-add each, with the
// row r taken by two VLDMs of eight registers (one instruction, 9 cycles, where eight
// VLDRs are eight instructions and 16 cycles; clang does not merge them). The v_k are the
// caller's registers (%[h0]…%[h15]); r advances past the row.
#define ROW16_ASM \
    "vldmia %[u]!, {s24-s31}\n\t" \
    "vfma.f32 %[acc], s24, %[h0]\n\t" "vfma.f32 %[acc], s25, %[h1]\n\t" \
    "vfma.f32 %[acc], s26, %[h2]\n\t" "vfma.f32 %[acc], s27, %[h3]\n\t" \
    "vfma.f32 %[acc], s28, %[h4]\n\t" "vfma.f32 %[acc], s29, %[h5]\n\t" \
    "vfma.f32 %[acc], s30, %[h6]\n\t" "vfma.f32 %[acc], s31, %[h7]\n\t" \
    "vldmia %[u]!, {s24-s31}\n\t" \
    "vfma.f32 %[acc], s24, %[h8]\n\t" "vfma.f32 %[acc], s25, %[h9]\n\t" \
    "vfma.f32 %[acc], s26, %[h10]\n\t" "vfma.f32 %[acc], s27, %[h11]\n\t" \
    "vfma.f32 %[acc], s28, %[h12]\n\t" "vfma.f32 %[acc], s29, %[h13]\n\t" \
    "vfma.f32 %[acc], s30, %[h14]\n\t" "vfma.f32 %[acc], s31, %[h15]\n\t"

#define H16_INPUTS \
    [h0] "t"(h0), [h1] "t"(h1), [h2] "t"(h2), [h3] "t"(h3), [h4] "t"(h4), [h5] "t"(h5), [h6] "t"(h6), [h7] "t"(h7), [h8] "t"(h8), \
    [h9] "t"(h9), [h10] "t"(h10), [h11] "t"(h11), [h12] "t"(h12), [h13] "t"(h13), [h14] "t"(h14), [h15] "t"(h15)

// The same for four inputs x0…x3 (%[x0]…%[x3]) and a row of four.
#define ROW4_ASM \
    "vldmia %[w]!, {s24-s27}\n\t" \
    "vfma.f32 %[acc], s24, %[x0]\n\t" "vfma.f32 %[acc], s25, %[x1]\n\t" \
    "vfma.f32 %[acc], s26, %[x2]\n\t" "vfma.f32 %[acc], s27, %[x3]\n\t"

#define LOAD16(v, p) \
    float v##0 = (p)[0], v##1 = (p)[16], v##2 = (p)[32], v##3 = (p)[48], v##4 = (p)[64], v##5 = (p)[80]; \
    float v##6 = (p)[96], v##7 = (p)[112], v##8 = (p)[128], v##9 = (p)[144], v##10 = (p)[160]; \
    float v##11 = (p)[176], v##12 = (p)[192], v##13 = (p)[208], v##14 = (p)[224], v##15 = (p)[240]

// FastGRNN's products for 16 sequences (lanes) and 16 hidden units, lane by lane with the
// lane's 16 inputs in registers: out[j][l] = a[j][l] + Σ_k U[j][k]·h[k][l], k in order,
// one fused multiply-add each (the Swift loop's addProduct); from 0 where a is NULL (the
// input projection W·x of RNN2, whose 16 inputs are h here). a, h, out: 16 vectors of 16
// floats (out may be a); U: 16 × 16. The Swift loop's 16-lane vectors are 16 registers
// each on the M4, and spilled: in C 215.3 M → 190.3 M instructions a frame in RNNPool,
// with the VLDM rows 168.4 M.
void m4_recurrent_products16(const float *a, const float *U, const float *h, float *out) {
    for (int32_t l = 0; l < 16; l++) {
        LOAD16(h, h + l);
        const float *u = U;
        for (int32_t j = 0; j < 16; j++) {
            float acc = a ? a[j * 16 + l] : 0.0f;
            __asm__(ROW16_ASM
                    : [acc] "+t"(acc), [u] "+r"(u)
                    : H16_INPUTS
                    : "s24", "s25", "s26", "s27", "s28", "s29", "s30", "s31", "memory");
            out[j * 16 + l] = acc;
        }
    }
}

// RNN1's pre-activations for 16 lanes and 16 hidden units from its four inputs:
// out[j][l] = (Σ_i W[j][i]·x[i][l] from 0, i in order) + Σ_k U[j][k]·h[k][l], k in order,
// fused multiply-adds: the Swift input projection's sum, then the recurrent products
// continuing from it, without storing W·x in between. x: 4 vectors of 16 floats; W: 16 × 4.
void m4_rnn1_products16(const float *x, const float *W, const float *U, const float *h, float *out) {
    for (int32_t l = 0; l < 16; l++) {
        LOAD16(h, h + l);
        float x0 = x[l], x1 = x[16 + l], x2 = x[32 + l], x3 = x[48 + l];
        const float *w = W, *u = U;
        for (int32_t j = 0; j < 16; j++) {
            float acc = 0.0f;
            __asm__(ROW4_ASM ROW16_ASM
                    : [acc] "+t"(acc), [u] "+r"(u), [w] "+r"(w)
                    : [x0] "t"(x0), [x1] "t"(x1), [x2] "t"(x2), [x3] "t"(x3), H16_INPUTS
                    : "s24", "s25", "s26", "s27", "s28", "s29", "s30", "s31", "memory");
            out[j * 16 + l] = acc;
        }
    }
}

// A 3×3 head convolution's outputs for `count` pixels (≤ 8) from the staged inputs, as
// HeadRowKernel's pass computes them: per output channel bias + Σ over ky, kx, ci of
// staged · weight, each step one fused multiply-add, in that order. staging: 3 kernel
// rows × `columns` pixels × `channels` floats (pixel i reads column i + kx); rows absent
// at the map's edge are skipped (bit ky of `rowsPresent`); weight: [9][channels][outPadded];
// out: count × outPadded. Eight output channels at a time in registers (the Swift pass's
// eight pixels' vectors spilled the M4's float registers).
// Output channels o ..< o + 8 of pixel i, and of pixel i + 1 too when `two` (a constant
// at each call: the second pixel's accumulators fold away without it, and with it the
// two pixels share each weight load: 16 accumulators and 8 weights in registers).
static inline __attribute__((always_inline)) void
head_outputs(int two, const float *staging, int32_t columns, int32_t channels, int32_t rowsPresent,
             const float *weight, int32_t outPadded, const float *bias, float *out, int32_t i, int32_t o) {
    float a[8], b[8];
    for (int t = 0; t < 8; t++) a[t] = b[t] = bias[o + t];
    for (int32_t ky = 0; ky < 3; ky++) {
        if (!(rowsPresent & (1 << ky))) continue;
        for (int32_t kx = 0; kx < 3; kx++) {
            const float *s = staging + ((ky * columns + kx) + i) * channels;
            const float *w = weight + (ky * 3 + kx) * channels * outPadded + o;
            int32_t ci = 0;
            if (two) {
                // Two input channels a step in one asm block: their weight rows by VLDM
                // (eight registers each), both pixels' two inputs by one VLDM each, 32
                // multiply-adds in the loop's order (ci, then ci + 1, for every sum).
                for (; ci + 2 <= channels; ci += 2) {
                    const float *w0 = w + ci * outPadded, *w1 = w0 + outPadded;
                    const float *sv = s + ci, *su = s + channels + ci;
                    __asm__("vldmia %[sv], {s20-s21}\n\t"
                            "vldmia %[su], {s22-s23}\n\t"
                            "vldmia %[w0], {s24-s31}\n\t"
                            "vfma.f32 %[a0], s20, s24\n\t" "vfma.f32 %[b0], s22, s24\n\t"
                            "vfma.f32 %[a1], s20, s25\n\t" "vfma.f32 %[b1], s22, s25\n\t"
                            "vfma.f32 %[a2], s20, s26\n\t" "vfma.f32 %[b2], s22, s26\n\t"
                            "vfma.f32 %[a3], s20, s27\n\t" "vfma.f32 %[b3], s22, s27\n\t"
                            "vfma.f32 %[a4], s20, s28\n\t" "vfma.f32 %[b4], s22, s28\n\t"
                            "vfma.f32 %[a5], s20, s29\n\t" "vfma.f32 %[b5], s22, s29\n\t"
                            "vfma.f32 %[a6], s20, s30\n\t" "vfma.f32 %[b6], s22, s30\n\t"
                            "vfma.f32 %[a7], s20, s31\n\t" "vfma.f32 %[b7], s22, s31\n\t"
                            "vldmia %[w1], {s24-s31}\n\t"
                            "vfma.f32 %[a0], s21, s24\n\t" "vfma.f32 %[b0], s23, s24\n\t"
                            "vfma.f32 %[a1], s21, s25\n\t" "vfma.f32 %[b1], s23, s25\n\t"
                            "vfma.f32 %[a2], s21, s26\n\t" "vfma.f32 %[b2], s23, s26\n\t"
                            "vfma.f32 %[a3], s21, s27\n\t" "vfma.f32 %[b3], s23, s27\n\t"
                            "vfma.f32 %[a4], s21, s28\n\t" "vfma.f32 %[b4], s23, s28\n\t"
                            "vfma.f32 %[a5], s21, s29\n\t" "vfma.f32 %[b5], s23, s29\n\t"
                            "vfma.f32 %[a6], s21, s30\n\t" "vfma.f32 %[b6], s23, s30\n\t"
                            "vfma.f32 %[a7], s21, s31\n\t" "vfma.f32 %[b7], s23, s31\n\t"
                            : [a0] "+t"(a[0]), [a1] "+t"(a[1]), [a2] "+t"(a[2]), [a3] "+t"(a[3]),
                              [a4] "+t"(a[4]), [a5] "+t"(a[5]), [a6] "+t"(a[6]), [a7] "+t"(a[7]),
                              [b0] "+t"(b[0]), [b1] "+t"(b[1]), [b2] "+t"(b[2]), [b3] "+t"(b[3]),
                              [b4] "+t"(b[4]), [b5] "+t"(b[5]), [b6] "+t"(b[6]), [b7] "+t"(b[7])
                            : [sv] "r"(sv), [su] "r"(su), [w0] "r"(w0), [w1] "r"(w1)
                            : "s20", "s21", "s22", "s23", "s24", "s25", "s26", "s27", "s28", "s29", "s30", "s31",
                              "memory");
                }
            }
            for (; ci < channels; ci++) {
                float v = s[ci], u = two ? s[channels + ci] : 0.0f;
                const float *wc = w + ci * outPadded;
                for (int t = 0; t < 8; t++) {
                    float wt = wc[t];
                    a[t] = fused_multiply_add(v, wt, a[t]);
                    if (two) b[t] = fused_multiply_add(u, wt, b[t]);
                }
            }
        }
    }
    for (int t = 0; t < 8; t++) out[i * outPadded + o + t] = a[t];
    if (two) for (int t = 0; t < 8; t++) out[(i + 1) * outPadded + o + t] = b[t];
}

void m4_head_pixels(const float *staging, int32_t columns, int32_t channels, int32_t rowsPresent,
                    const float *weight, int32_t outPadded, const float *bias, float *out, int32_t count) {
    int32_t i = 0;
    for (; i + 2 <= count; i += 2)
        for (int32_t o = 0; o < outPadded; o += 8)
            head_outputs(1, staging, columns, channels, rowsPresent, weight, outPadded, bias, out, i, o);
    for (; i < count; i++)
        for (int32_t o = 0; o < outPadded; o += 8)
            head_outputs(0, staging, columns, channels, rowsPresent, weight, outPadded, bias, out, i, o);
}

// A head's pass on the int8 path (HeadRowKernel.integerPass, rc_head_int16_avx2 on x86):
// int8 inputs × int16 weights as exact int32 sums, two products and both adds a SMLAD.
// The window is staged once as halfword pairs (word p of a pixel: channels 2p, 2p + 1;
// zeros outside the map), so that a pair meets a weight word (the flash table's layout,
// HeadRowKernel.firmwareIntegerTable) with no unpacking in the loop. Integer sums are
// exact in any order; the float steps are the Swift loop's: per tap a fused multiply-add
// by the pixel's L2Norm factor (ky, then kx), or one sum over all taps; then · scale and
// + bias, rounded separately.
void m4_head_int16(const int8_t *row0, const int8_t *row1, const int8_t *row2,
                   const float *norm0, const float *norm1, const float *norm2, int32_t l2norm,
                   int32_t pixelStride, int32_t width, int32_t channels, int32_t x0, int32_t count,
                   const int16_t *weights, int32_t outPadded, int32_t oBegin, int32_t oEnd,
                   const float *scale, const float *bias, int32_t stageRows, int16_t *staging, float *out) {
    const int8_t *rows[3] = { row0, row1, row2 };
    const float *norms[3] = { norm0, norm1, norm2 };
    const int32_t pairs = (channels + 1) / 2, columns = count + 2;
    uint32_t *stage = (uint32_t *)staging;
    for (int32_t ky = 0; ky < 3 && stageRows; ky++)
        for (int32_t q = 0; q < columns; q++) {
            uint32_t *dst = stage + (ky * columns + q) * pairs;
            int32_t ix = x0 - 1 + q;
            const int8_t *src = rows[ky] != 0 && ix >= 0 && ix < width ? rows[ky] + ix * pixelStride : 0;
            for (int32_t p = 0; p < pairs; p++) {
                if (src == 0) { dst[p] = 0; continue; }
                int32_t lo = src[2 * p], hi = 2 * p + 1 < channels ? src[2 * p + 1] : 0;
                dst[p] = ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
            }
        }
    const uint32_t *w32 = (const uint32_t *)weights;
    const int32_t groups = outPadded / 4;
    // One pixel × four output channels a step: per pair one input word, one LDM of the
    // four weight words (the flash table walks in this order), four SMLADs. A tap
    // outside the row adds nothing, as in the Swift loop.
    for (int32_t i = 0; i < count; i++)
        for (int32_t g = oBegin / 4; g < oEnd / 4; g++) {
            int32_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
            float f0 = 0, f1 = 0, f2 = 0, f3 = 0;
            for (int32_t ky = 0; ky < 3; ky++) {
                if (rows[ky] == 0) continue;
                for (int32_t kx = 0; kx < 3; kx++) {
                    int32_t ix = x0 + i - 1 + kx;
                    if (ix < 0 || ix >= width) continue;
                    const uint32_t *x = stage + (ky * columns + i + kx) * pairs;
                    const uint32_t *wp = w32 + ((ky * 3 + kx) * groups + g) * pairs * 4;
                    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    for (int32_t p = 0; p < pairs; p++) {
                        uint32_t v = x[p];
                        s0 = __smlad(v, wp[0], s0);
                        s1 = __smlad(v, wp[1], s1);
                        s2 = __smlad(v, wp[2], s2);
                        s3 = __smlad(v, wp[3], s3);
                        wp += 4;
                    }
                    if (l2norm) {
                        float f = norms[ky][ix];
                        f0 = fused_multiply_add((float)s0, f, f0);
                        f1 = fused_multiply_add((float)s1, f, f1);
                        f2 = fused_multiply_add((float)s2, f, f2);
                        f3 = fused_multiply_add((float)s3, f, f3);
                    } else {
                        t0 += s0; t1 += s1; t2 += s2; t3 += s3;
                    }
                }
            }
            if (!l2norm) { f0 = (float)t0; f1 = (float)t1; f2 = (float)t2; f3 = (float)t3; }
            const int32_t o = 4 * g;
            float *dst = out + i * outPadded + o;
            float v0 = f0 * scale[o], v1 = f1 * scale[o + 1], v2 = f2 * scale[o + 2], v3 = f3 * scale[o + 3];
            dst[0] = v0 + bias[o];
            dst[1] = v1 + bias[o + 1];
            dst[2] = v2 + bias[o + 2];
            dst[3] = v3 + bias[o + 3];
        }
}

// The MBConv projection of one group for four pixels, as MBConvRowKernel's passes
// compute it: per output channel, the pixel's running sum (o0…o3) plus its 16 depthwise
// outputs (d: 16 floats a pixel) times the group's weight rows (w: 16 rows `stride`
// floats apart), k in order, fused multiply-adds. Pixels may repeat (a tile's short last
// pass names its last pixel again): every sum of a chunk is read before any is written,
// as in the Swift passes, so a repeated pixel gets the same value twice. Four channels
// of four pixels at a time: 16 accumulators, two k's 8 weights and 8 inputs in registers.
void m4_project_four_pixels(const float *d, const float *w, int32_t stride,
                            float *o0, float *o1, float *o2, float *o3) {
    for (int32_t oc = 0; oc < stride; oc += 4) {
        float s[4][4];
        float *o[4] = { o0, o1, o2, o3 };
        for (int p = 0; p < 4; p++) for (int t = 0; t < 4; t++) s[p][t] = o[p][oc + t];
        // Two k a step in one asm block: each pixel's two depthwise outputs by one VLDM,
        // the two weight rows' four channels by one VLDM each, 32 multiply-adds, every
        // sum taking k, then k + 1, as the loop over k does.
        const float *wk = w + oc;
        for (int32_t k = 0; k < 16; k += 2) {
            const float *w1 = wk + stride;
            __asm__("vldmia %[d0], {s16-s17}\n\t"
                    "vldmia %[d1], {s18-s19}\n\t"
                    "vldmia %[d2], {s20-s21}\n\t"
                    "vldmia %[d3], {s22-s23}\n\t"
                    "vldmia %[w0], {s24-s27}\n\t"
                    "vldmia %[w1], {s28-s31}\n\t"
                    "vfma.f32 %[a00], s16, s24\n\t" "vfma.f32 %[a01], s16, s25\n\t" "vfma.f32 %[a02], s16, s26\n\t" "vfma.f32 %[a03], s16, s27\n\t"
                    "vfma.f32 %[a10], s18, s24\n\t" "vfma.f32 %[a11], s18, s25\n\t" "vfma.f32 %[a12], s18, s26\n\t" "vfma.f32 %[a13], s18, s27\n\t"
                    "vfma.f32 %[a20], s20, s24\n\t" "vfma.f32 %[a21], s20, s25\n\t" "vfma.f32 %[a22], s20, s26\n\t" "vfma.f32 %[a23], s20, s27\n\t"
                    "vfma.f32 %[a30], s22, s24\n\t" "vfma.f32 %[a31], s22, s25\n\t" "vfma.f32 %[a32], s22, s26\n\t" "vfma.f32 %[a33], s22, s27\n\t"
                    "vfma.f32 %[a00], s17, s28\n\t" "vfma.f32 %[a01], s17, s29\n\t" "vfma.f32 %[a02], s17, s30\n\t" "vfma.f32 %[a03], s17, s31\n\t"
                    "vfma.f32 %[a10], s19, s28\n\t" "vfma.f32 %[a11], s19, s29\n\t" "vfma.f32 %[a12], s19, s30\n\t" "vfma.f32 %[a13], s19, s31\n\t"
                    "vfma.f32 %[a20], s21, s28\n\t" "vfma.f32 %[a21], s21, s29\n\t" "vfma.f32 %[a22], s21, s30\n\t" "vfma.f32 %[a23], s21, s31\n\t"
                    "vfma.f32 %[a30], s23, s28\n\t" "vfma.f32 %[a31], s23, s29\n\t" "vfma.f32 %[a32], s23, s30\n\t" "vfma.f32 %[a33], s23, s31\n\t"
                    : [a00] "+t"(s[0][0]), [a01] "+t"(s[0][1]), [a02] "+t"(s[0][2]), [a03] "+t"(s[0][3]),
                      [a10] "+t"(s[1][0]), [a11] "+t"(s[1][1]), [a12] "+t"(s[1][2]), [a13] "+t"(s[1][3]),
                      [a20] "+t"(s[2][0]), [a21] "+t"(s[2][1]), [a22] "+t"(s[2][2]), [a23] "+t"(s[2][3]),
                      [a30] "+t"(s[3][0]), [a31] "+t"(s[3][1]), [a32] "+t"(s[3][2]), [a33] "+t"(s[3][3])
                    : [d0] "r"(d + k), [d1] "r"(d + 16 + k), [d2] "r"(d + 32 + k), [d3] "r"(d + 48 + k),
                      [w0] "r"(wk), [w1] "r"(w1)
                    : "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23",
                      "s24", "s25", "s26", "s27", "s28", "s29", "s30", "s31", "memory");
            wk += 2 * stride;
        }
        for (int p = 0; p < 4; p++) for (int t = 0; t < 4; t++) o[p][oc + t] = s[p][t];
    }
}

// One MBConv depthwise output pixel of a 16-channel group, as MBConvRowKernel's
// depthwise computes it: per channel the bias, then the taps of each present kernel row
// (bit ky of `rowsPresent`) left to right, the left tap where `left`, the right where
// `right`, one fused multiply-add each; then ReLU6 (integer compares of the bits, the
// vector clamp's results), stored as the float's bits. e: the expanded row 0 at the
// centre column (16 floats a column, rows `span` floats apart); taps: tap k's 16
// weights at taps + k·mp. Eight channels at a time: eight accumulators, each tap's eight
// inputs and eight weights by one VLDM each. The int8 path (`steps` not NULL) stores
// each output's int16 step of the depthwise grid instead (MBConvRowKernel.depthwiseGrid,
// `gridInverse` its inverse: d · inverse + 1.5·2^23, two roundings, leaves the step in
// the float's low bits, as IntegerProjection.gridSteps computes it), channel c of pixel
// `pixel` at halfword ((c / 2) · 4 + pixel) · 2 + c % 2: pair j of the four pixels side
// by side, the words m4_project16_int16 reads.
void m4_depthwise16(const float *e, int32_t span, int32_t rowsPresent, int32_t left, int32_t right,
                    const float *taps, int32_t mp, const float *bias, float *d,
                    uint16_t *steps, float gridInverse, int32_t pixel) {
    uint32_t *out = (uint32_t *)d;
    for (int32_t half = 0; half < 16; half += 8) {
        float a[8];
        for (int t = 0; t < 8; t++) a[t] = bias[half + t];
        for (int32_t ky = 0; ky < 3; ky++) {
            if (!(rowsPresent & (1 << ky))) continue;
            for (int32_t kx = 0; kx < 3; kx++) {
                if ((kx == 0 && !left) || (kx == 2 && !right)) continue;
                const float *in = e + ky * span + (kx - 1) * 16 + half;
                const float *w = taps + (ky * 3 + kx) * mp + half;
                __asm__("vldmia %[in], {s8-s15}\n\t"
                        "vldmia %[w], {s16-s23}\n\t"
                        "vfma.f32 %[a0], s8, s16\n\t"
                        "vfma.f32 %[a1], s9, s17\n\t"
                        "vfma.f32 %[a2], s10, s18\n\t"
                        "vfma.f32 %[a3], s11, s19\n\t"
                        "vfma.f32 %[a4], s12, s20\n\t"
                        "vfma.f32 %[a5], s13, s21\n\t"
                        "vfma.f32 %[a6], s14, s22\n\t"
                        "vfma.f32 %[a7], s15, s23\n\t"
                        : [a0] "+t"(a[0]), [a1] "+t"(a[1]), [a2] "+t"(a[2]), [a3] "+t"(a[3]),
                          [a4] "+t"(a[4]), [a5] "+t"(a[5]), [a6] "+t"(a[6]), [a7] "+t"(a[7])
                        : [in] "r"(in), [w] "r"(w)
                        : "s8", "s9", "s10", "s11", "s12", "s13", "s14", "s15",
                          "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23", "memory");
            }
        }
        if (steps == 0) {
            for (int t = 0; t < 8; t++) out[half + t] = relu6_bits(a[t]);
            continue;
        }
        for (int t = 0; t < 8; t++) {
            uint32_t r = relu6_bits(a[t]);
            float v;
            __builtin_memcpy(&v, &r, 4);
            v = v * gridInverse;
            v = v + 12582912.0f;
            uint32_t bits;
            __builtin_memcpy(&bits, &v, 4);
            const int32_t c = half + t;
            steps[((c / 2) * 4 + pixel) * 2 + c % 2] = (uint16_t)bits;
        }
    }
}

// The int8 path's MBConv projection of one 16-channel group for four pixels, the integer
// sums of IntegerProjection (exact, so equal to the host's in any order): d, the group's
// grid steps as m4_depthwise16 stores them (word 4j + p: pixel p's channels 2j, 2j + 1);
// w, the group's weight words in the flash table's output-major order (output o's 8
// words at w + o · pairs: q[2j][o], q[2j + 1][o]; IntegerProjection.firmwareTable);
// o0…o3, the pixels' int32 sums. One output channel of the four pixels a step: per pair
// one weight word and the four pixels' words (two LDRDs), four SMLADs. Pixels may repeat:
// every sum of a step is read before any is written.
void m4_project16_int16(const uint32_t *d, const uint32_t *w, int32_t stride, int32_t pairs,
                        int32_t *o0, int32_t *o1, int32_t *o2, int32_t *o3) {
    for (int32_t o = 0; o < stride; o++) {
        int32_t a0 = o0[o], a1 = o1[o], a2 = o2[o], a3 = o3[o];
        const uint32_t *wo = w + o * pairs, *x = d;
        for (int j = 0; j < 8; j++) {
            uint32_t q = *wo++, x0, x1, x2, x3;
            // Two LDRDs (an LDM's registers load in ascending order, whichever variable
            // the compiler gave each): the same two cycles a word.
            __asm__("ldrd %0, %1, [%2], #8" : "=r"(x0), "=r"(x1), "+r"(x) : : "memory");
            __asm__("ldrd %0, %1, [%2], #8" : "=r"(x2), "=r"(x3), "+r"(x) : : "memory");
            a0 = __smlad(x0, q, a0);
            a1 = __smlad(x1, q, a1);
            a2 = __smlad(x2, q, a2);
            a3 = __smlad(x3, q, a3);
        }
        o0[o] = a0; o1[o] = a1; o2[o] = a2; o3[o] = a3;
    }
}
