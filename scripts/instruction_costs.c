// The instruction costs that decide the engine's kernel forms, measured on this CPU
// (issue 22): the project's machines change CPU between sessions, and a form that wins on
// one core (a 512-bit VNNI expand, a division in the gate) can lose on another.
//
//   bash scripts/instruction_costs.sh          # builds this with the toolchain's clang, runs it pinned
//
// Cycles come from a chain of dependent `vpaddd` (latency 1 on every x86-64 core with
// AVX2), so no clock frequency is assumed. Each figure is the best of many short runs
// (a shared machine's interruptions only ever add time): throughput as cycles per
// instruction with 12 independent chains, latency as cycles per instruction of one
// dependent chain. Developer tool: nothing in the build or the tests uses it.
#include <stdio.h>
#include <string.h>
#include <x86intrin.h>

#define REPEATS 300
#define ITERATIONS 2000L

typedef void (*loop_fn)(long);

// Best time of REPEATS runs of f(ITERATIONS), in TSC ticks per iteration.
static double ticks_per_iteration(loop_fn f) {
    double best = 1e30;
    for (int r = 0; r < REPEATS; r++) {
        unsigned long t0 = __rdtsc();
        f(ITERATIONS);
        double t = (double)(__rdtsc() - t0) / ITERATIONS;
        if (t < best) best = t;
    }
    return best;
}

// The loops: `n` iterations of a body of instructions between the register setup and the
// counter. "memory" keeps the compiler from moving the time stamps across them; the
// clobbers name the xmm registers (which cover ymm and zmm).
#define CLOBBERS "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", \
                 "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory"
#define LOOP(name, isa, setup, body)                                                          \
    __attribute__((target(isa), noinline)) static void name(long n) {                         \
        static const float one = 1.0f;                                                           \
        __asm__ volatile(setup "1:\n" body "dec %0\n jnz 1b\n" : "+r"(n) : "m"(one) : CLOBBERS); \
    }

// Registers 12-15 hold operands near 1.0 (no denormals, no overflow in a run).
#define SETUP_Y "vbroadcastss %1, %%ymm12\n vbroadcastss %1, %%ymm13\n vbroadcastss %1, %%ymm14\n vbroadcastss %1, %%ymm15\n" \
                "vmovaps %%ymm12, %%ymm0\n vmovaps %%ymm12, %%ymm1\n vmovaps %%ymm12, %%ymm2\n vmovaps %%ymm12, %%ymm3\n"       \
                "vmovaps %%ymm12, %%ymm4\n vmovaps %%ymm12, %%ymm5\n vmovaps %%ymm12, %%ymm6\n vmovaps %%ymm12, %%ymm7\n"       \
                "vmovaps %%ymm12, %%ymm8\n vmovaps %%ymm12, %%ymm9\n vmovaps %%ymm12, %%ymm10\n vmovaps %%ymm12, %%ymm11\n"
#define SETUP_Z "vbroadcastss %1, %%zmm12\n vbroadcastss %1, %%zmm13\n vbroadcastss %1, %%zmm14\n vbroadcastss %1, %%zmm15\n" \
                "vmovaps %%zmm12, %%zmm0\n vmovaps %%zmm12, %%zmm1\n vmovaps %%zmm12, %%zmm2\n vmovaps %%zmm12, %%zmm3\n"       \
                "vmovaps %%zmm12, %%zmm4\n vmovaps %%zmm12, %%zmm5\n vmovaps %%zmm12, %%zmm6\n vmovaps %%zmm12, %%zmm7\n"       \
                "vmovaps %%zmm12, %%zmm8\n vmovaps %%zmm12, %%zmm9\n vmovaps %%zmm12, %%zmm10\n vmovaps %%zmm12, %%zmm11\n"

// 12 independent instructions "OP a, b, dK" for K = 0…11 (AT&T order: sources, destination).
#define X12(op, a, b, r)                                                                                      \
    op " " a ", " b ", %%" r "0\n " op " " a ", " b ", %%" r "1\n " op " " a ", " b ", %%" r "2\n "           \
    op " " a ", " b ", %%" r "3\n " op " " a ", " b ", %%" r "4\n " op " " a ", " b ", %%" r "5\n "           \
    op " " a ", " b ", %%" r "6\n " op " " a ", " b ", %%" r "7\n " op " " a ", " b ", %%" r "8\n "           \
    op " " a ", " b ", %%" r "9\n " op " " a ", " b ", %%" r "10\n " op " " a ", " b ", %%" r "11\n"
// The same with one source: "OP a, dK".
#define X12_1(op, a, r)                                                                                       \
    op " " a ", %%" r "0\n " op " " a ", %%" r "1\n " op " " a ", %%" r "2\n " op " " a ", %%" r "3\n "        \
    op " " a ", %%" r "4\n " op " " a ", %%" r "5\n " op " " a ", %%" r "6\n " op " " a ", %%" r "7\n "        \
    op " " a ", %%" r "8\n " op " " a ", %%" r "9\n " op " " a ", %%" r "10\n " op " " a ", %%" r "11\n"
// 12 instructions each reading the previous one's result through d: "OP sources, d" where
// the sources end in d (or d is also the accumulator, as in an FMA).
#define CHAIN12(op, sources, d)                                                                               \
    op " " sources ", " d "\n " op " " sources ", " d "\n " op " " sources ", " d "\n "                        \
    op " " sources ", " d "\n " op " " sources ", " d "\n " op " " sources ", " d "\n "                        \
    op " " sources ", " d "\n " op " " sources ", " d "\n " op " " sources ", " d "\n "                        \
    op " " sources ", " d "\n " op " " sources ", " d "\n " op " " sources ", " d "\n"

// The clock: 12 dependent vpaddd an iteration, 12 cycles.
LOOP(clock_chain, "avx2", SETUP_Y, CHAIN12("vpaddd", "%%ymm12, %%ymm0", "%%ymm0"))

// Throughput, 256-bit.
LOOP(fma_y, "avx2,fma", SETUP_Y, X12("vfmadd231ps", "%%ymm12", "%%ymm13", "ymm"))
LOOP(mul_y, "avx2", SETUP_Y, X12("vmulps", "%%ymm12", "%%ymm13", "ymm"))
LOOP(add_y, "avx2", SETUP_Y, X12("vaddps", "%%ymm12", "%%ymm13", "ymm"))
LOOP(div_y, "avx2", SETUP_Y, X12("vdivps", "%%ymm12", "%%ymm13", "ymm"))
LOOP(sqrt_y, "avx2", SETUP_Y, X12_1("vsqrtps", "%%ymm12", "ymm"))
LOOP(madd_y, "avx2", SETUP_Y, X12("vpmaddwd", "%%ymm12", "%%ymm13", "ymm"))
LOOP(permps_y, "avx2", SETUP_Y, X12("vpermps", "%%ymm12", "%%ymm13", "ymm"))
LOOP(cvt_y, "avx2", SETUP_Y, X12_1("vcvtdq2ps", "%%ymm12", "ymm"))
// The AVX2 expand's pair: 6 vpmaddwd into temporaries, 6 vpaddd into accumulators.
LOOP(madd_add_y, "avx2", SETUP_Y,
     "vpmaddwd %%ymm12, %%ymm13, %%ymm0\n vpaddd %%ymm0, %%ymm6, %%ymm6\n"
     "vpmaddwd %%ymm12, %%ymm13, %%ymm1\n vpaddd %%ymm1, %%ymm7, %%ymm7\n"
     "vpmaddwd %%ymm12, %%ymm13, %%ymm2\n vpaddd %%ymm2, %%ymm8, %%ymm8\n"
     "vpmaddwd %%ymm12, %%ymm13, %%ymm3\n vpaddd %%ymm3, %%ymm9, %%ymm9\n"
     "vpmaddwd %%ymm12, %%ymm13, %%ymm4\n vpaddd %%ymm4, %%ymm10, %%ymm10\n"
     "vpmaddwd %%ymm12, %%ymm13, %%ymm5\n vpaddd %%ymm5, %%ymm11, %%ymm11\n")
// Latency, 256-bit.
LOOP(fma_y_lat, "avx2,fma", SETUP_Y, CHAIN12("vfmadd231ps", "%%ymm12, %%ymm13", "%%ymm0"))
LOOP(div_y_lat, "avx2", SETUP_Y, CHAIN12("vdivps", "%%ymm12, %%ymm0", "%%ymm0"))
LOOP(madd_y_lat, "avx2", SETUP_Y, CHAIN12("vpmaddwd", "%%ymm12, %%ymm0", "%%ymm0"))

// 512-bit, where the CPU has them.
LOOP(fma_z, "avx512f", SETUP_Z, X12("vfmadd231ps", "%%zmm12", "%%zmm13", "zmm"))
LOOP(div_z, "avx512f", SETUP_Z, X12("vdivps", "%%zmm12", "%%zmm13", "zmm"))
LOOP(madd_z, "avx512bw", SETUP_Z, X12("vpmaddwd", "%%zmm12", "%%zmm13", "zmm"))
LOOP(permps_z, "avx512f", SETUP_Z, X12("vpermps", "%%zmm12", "%%zmm13", "zmm"))
LOOP(dpbusd_z, "avx512vnni", SETUP_Z, X12("vpdpbusd", "%%zmm12", "%%zmm13", "zmm"))
LOOP(dpwssd_z, "avx512vnni", SETUP_Z, X12("vpdpwssd", "%%zmm12", "%%zmm13", "zmm"))
LOOP(dpbf16_z, "avx512bf16", SETUP_Z, X12("vdpbf16ps", "%%zmm12", "%%zmm13", "zmm"))

struct cost { const char *name, *what; loop_fn f; int per; const char *feature; int have; };

int main(void) {
    __builtin_cpu_init();
    double cycle = ticks_per_iteration(clock_chain) / 12;
    const struct cost costs[] = {
        {"vfmadd231ps ymm", "8 fused multiply-adds (the Swift loops' unit of work with AVX2)", fma_y, 12, "fma", __builtin_cpu_supports("fma")},
        {"vmulps ymm", "", mul_y, 12, "avx2", __builtin_cpu_supports("avx2")},
        {"vaddps ymm", "", add_y, 12, "avx2", __builtin_cpu_supports("avx2")},
        {"vdivps ymm", "the FastGRNN gate's one division", div_y, 12, "avx2", __builtin_cpu_supports("avx2")},
        {"vsqrtps ymm", "the L2Norm factors", sqrt_y, 12, "avx2", __builtin_cpu_supports("avx2")},
        {"vpmaddwd ymm", "16 int16 multiply-adds (the AVX2 expand, projection, heads)", madd_y, 12, "avx2", __builtin_cpu_supports("avx2")},
        {"vpmaddwd + vpaddd ymm", "the AVX2 integer kernels' pair, cycles a pair", madd_add_y, 6, "avx2", __builtin_cpu_supports("avx2")},
        {"vpermps ymm", "lane permutes", permps_y, 12, "avx2", __builtin_cpu_supports("avx2")},
        {"vcvtdq2ps ymm", "integer sums back to float", cvt_y, 12, "avx2", __builtin_cpu_supports("avx2")},
        {"vfmadd231ps zmm", "16 fused multiply-adds (a SIMD16 in one register)", fma_z, 12, "avx512f", __builtin_cpu_supports("avx512f")},
        {"vdivps zmm", "", div_z, 12, "avx512f", __builtin_cpu_supports("avx512f")},
        {"vpmaddwd zmm", "", madd_z, 12, "avx512bw", __builtin_cpu_supports("avx512bw")},
        {"vpermps zmm", "", permps_z, 12, "avx512f", __builtin_cpu_supports("avx512f")},
        {"vpdpbusd zmm", "64 int8 multiply-adds accumulated (the VNNI expand)", dpbusd_z, 12, "avx512vnni", __builtin_cpu_supports("avx512vnni")},
        {"vpdpwssd zmm", "32 int16 multiply-adds accumulated (the VNNI projection)", dpwssd_z, 12, "avx512vnni", __builtin_cpu_supports("avx512vnni")},
        {"vdpbf16ps zmm", "32 bfloat16 multiply-adds accumulated", dpbf16_z, 12, "avx512bf16", __builtin_cpu_supports("avx512bf16")},
    };
    const struct cost latencies[] = {
        {"vfmadd231ps ymm", "", fma_y_lat, 12, "fma", __builtin_cpu_supports("fma")},
        {"vdivps ymm", "", div_y_lat, 12, "avx2", __builtin_cpu_supports("avx2")},
        {"vpmaddwd ymm", "", madd_y_lat, 12, "avx2", __builtin_cpu_supports("avx2")},
    };
    printf("TSC ticks a core cycle: %.3f (from %d dependent vpaddd)\n\n", cycle, 12);
    printf("| instruction | cycles each (throughput, 12 independent) | what it is in the engine |\n|---|---:|---|\n");
    for (size_t i = 0; i < sizeof costs / sizeof costs[0]; i++) {
        const struct cost *c = &costs[i];
        if (!c->have) {
            printf("| %s | (no %s) | %s |\n", c->name, c->feature, c->what);
            continue;
        }
        printf("| %s | %.2f | %s |\n", c->name, ticks_per_iteration(c->f) / cycle / c->per, c->what);
    }
    printf("\n| instruction | latency, cycles (one dependent chain) |\n|---|---:|\n");
    for (size_t i = 0; i < sizeof latencies / sizeof latencies[0]; i++)
        printf("| %s | %.2f |\n", latencies[i].name, ticks_per_iteration(latencies[i].f) / cycle / latencies[i].per);
    return 0;
}
