// What the firmware's Swift code calls in the C runtime (runtime.c). Imported as the
// bridging header of the Embedded Swift build.
#include <stdint.h>

// Flash: the weight tables and frames placed by the generated image.S.
const void *m4_tables(void);
uint32_t m4_tables_bytes(void);
const uint8_t *m4_frames(void);

// Semihosting output (a whole string) and exit (status 0 = success).
void m4_write(const char *text);
void m4_exit(int status) __attribute__((noreturn));

// Cycle-free instruction counting: the CMSDK timer under qemu -icount (see runtime.c).
uint32_t m4_timer_ticks(void);
uint32_t m4_instructions_per_tick(void);

// What the static pool and the stack have held at most, in bytes.
uint32_t m4_heap_peak(void);
uint32_t m4_heap_size(void);
uint32_t m4_stack_peak(void);
uint32_t m4_stack_size(void);

// Instructions per layer (build.sh --profile): the engine's Arena.enter reports each
// change of layer; -1 closes the current one.
void m4_profile_enter(int32_t layer);
uint64_t m4_profile_instructions(int32_t layer);
// The PC samples (build.sh --profile; nothing otherwise) as "pc ADDRESS COUNT" lines, hex.
void m4_pc_profile_print(void);

// The int8 expand (1x1 conv + ReLU6) of one 16-channel group over `pixels` pixels with
// the DSP extension (dsp_kernels.c): dst[x][l] = relu6(Σ_c q[x][c]·w[l][c] · scale[l] +
// bias[l]). q: int8 pixels `pixelStride` bytes apart, read `cin4` bytes each (cin rounded
// up to 4; the padding's weights are 0); weights: 16 lanes of `cin4` int8 each (the
// flash table `MBConvRowKernel.int8ExpandTable` lays out).
void m4_expand16_int8(const int8_t *q, int32_t pixelStride, int32_t pixels, int32_t cin4,
                      const int8_t *weights, const float *scale, const float *bias, float *dst);

// FastGRNN's recurrent products (dsp_kernels.c) for 16 hidden units: out[j][l] =
// a[j][l] + Σ_k U[j][k]·h[k][l] for 16 lanes, fused multiply-adds in k order; from 0
// where a is NULL (a 16-input projection).
void m4_recurrent_products16(const float *a, const float *U, const float *h, float *out);

// RNN1's pre-activations from four inputs (dsp_kernels.c): out[j][l] = Σ_i W[j][i]·x[i][l]
// (from 0) + Σ_k U[j][k]·h[k][l], fused multiply-adds in i, then k order.
void m4_rnn1_products16(const float *x, const float *W, const float *U, const float *h, float *out);

// A head's 3×3 convolution for up to 8 output pixels from HeadRowKernel's staging
// (dsp_kernels.c), bit for bit its Swift pass; outPadded a multiple of 8.
void m4_head_pixels(const float *staging, int32_t columns, int32_t channels, int32_t rowsPresent,
                    const float *weight, int32_t outPadded, const float *bias, float *out, int32_t count);

// A head's pass on the int8 path (dsp_kernels.c): int8 inputs × int16 weights as
// exact int32 sums with SMLAD, bit for bit HeadRowKernel.integerPass; output channels
// oBegin ..< oEnd only (multiples of 4); `staging` holds 3 · (count + 2) · pairs · 2
// int16, filled from the rows when `stageRows` is nonzero, else as the pass's previous call
// left it.
void m4_head_int16(const int8_t *row0, const int8_t *row1, const int8_t *row2,
                   const float *norm0, const float *norm1, const float *norm2, int32_t l2norm,
                   int32_t pixelStride, int32_t width, int32_t channels, int32_t x0, int32_t count,
                   const int16_t *weights, int32_t outPadded, int32_t oBegin, int32_t oEnd,
                   const float *scale, const float *bias, int32_t stageRows, int16_t *staging, float *out);

// One MBConv depthwise output pixel (3×3, + ReLU6) of a 16-channel group (dsp_kernels.c),
// bit for bit MBConvRowKernel's: e at expanded row 0's centre column, rows span floats
// apart; taps: tap k's weights at taps + k·mp; left/right: whether those columns exist.
// Into d as floats, or (steps not NULL, the int8 path) as int16 steps of the depthwise
// grid (`gridInverse`: its inverse), in m4_project16_int16's order as pixel `pixel` (0…3).
void m4_depthwise16(const float *e, int32_t span, int32_t rowsPresent, int32_t left, int32_t right,
                    const float *taps, int32_t mp, const float *bias, float *d,
                    uint16_t *steps, float gridInverse, int32_t pixel);

// The int8 path's MBConv projection of one group for four pixels (dsp_kernels.c): exact
// int32 sums with SMLAD, IntegerProjection's numbers; d as m4_depthwise16 stores steps,
// w in the flash table's output-major order (`pairs` words an output channel).
void m4_project16_int16(const uint32_t *d, const uint32_t *w, int32_t stride, int32_t pairs,
                        int32_t *o0, int32_t *o1, int32_t *o2, int32_t *o3);

// The MBConv projection of one 16-channel group for four pixels (dsp_kernels.c), bit for
// bit MBConvRowKernel's passes; `stride` (the output's padded channels) a multiple of 8.
void m4_project_four_pixels(const float *d, const float *w, int32_t stride,
                            float *o0, float *o1, float *o2, float *o3);
