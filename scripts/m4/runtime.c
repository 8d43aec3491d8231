// The firmware's C runtime for QEMU's mps2-an386 (Cortex-M4F): vector table, reset,
// the memory functions Embedded Swift calls, a heap over a static pool, semihosting
// output and exit, and an instruction counter. No libc: the toolchain's clang alone.
#include <stddef.h>
#include <stdint.h>
#include "runtime.h"

extern uint32_t _data_load, _data_start, _data_end, _bss_start, _bss_end;
extern uint8_t _heap_start, _heap_end, _stack_bottom, _stack_top;
extern const uint8_t m4_tables_start[], m4_tables_end[], m4_frames_start[];
extern int main(int, char **);

// ---- semihosting (ARM "angel" calls through bkpt 0xab) ----
static int semihost(int op, const void *arg) {
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
void m4_write(const char *text) { semihost(0x04, text); }              // SYS_WRITE0
void m4_exit(int status) {
    uint32_t block[2] = {0x20026, (uint32_t)status};                 // ApplicationExit, code
    semihost(0x20, block);                                           // SYS_EXIT_EXTENDED
    for (;;) {}
}

// Swift's print: characters collected into lines, one semihosting call per line.
static char line[256];
static size_t used;
int putchar(int c) {
    line[used++] = (char)c;
    if (c == '\n' || used == sizeof line - 1) { line[used] = 0; m4_write(line); used = 0; }
    return c;
}

// ---- memory functions (the compiler emits calls to these and to their AEABI names) ----
// Words, four a round, where the start is aligned: the engine clears 1.5 MB a frame,
// which byte stores made 6 M instructions.
void *memset(void *d, int c, size_t n) {
    uint8_t *p = d;
    if (((uintptr_t)p & 3) == 0 && n >= 16) {
        uint32_t v = (uint8_t)c * 0x01010101u;
        uint32_t *w = (uint32_t *)p;
        for (; n >= 16; n -= 16, w += 4) { w[0] = v; w[1] = v; w[2] = v; w[3] = v; }
        p = (uint8_t *)w;
    }
    while (n--) *p++ = (uint8_t)c;
    return d;
}
void *memcpy(void *d, const void *s, size_t n) {
    uint8_t *p = d; const uint8_t *q = s;
    if ((((uintptr_t)p | (uintptr_t)q | n) & 3) == 0) {             // word copies when aligned
        uint32_t *pw = (uint32_t *)p; const uint32_t *qw = (const uint32_t *)q;
        for (; n >= 16; n -= 16, pw += 4, qw += 4) { pw[0] = qw[0]; pw[1] = qw[1]; pw[2] = qw[2]; pw[3] = qw[3]; }
        for (n /= 4; n--;) *pw++ = *qw++;
        return d;
    }
    while (n--) *p++ = *q++;
    return d;
}
void *memmove(void *d, const void *s, size_t n) {
    uint8_t *p = d; const uint8_t *q = s;
    if (p < q || p >= q + n) return memcpy(d, s, n);
    // Backwards, overlapping: words when aligned, else bytes.
    if ((((uintptr_t)p | (uintptr_t)q | n) & 3) == 0) {
        uint32_t *pw = (uint32_t *)p; const uint32_t *qw = (const uint32_t *)q;
        for (n /= 4; n--;) pw[n] = qw[n];
        return d;
    }
    while (n--) p[n] = q[n];
    return d;
}
int memcmp(const void *a, const void *b, size_t n) {
    const uint8_t *p = a, *q = b;
    for (; n--; p++, q++) if (*p != *q) return *p - *q;
    return 0;
}
size_t strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
void __aeabi_memcpy(void *d, const void *s, size_t n) { memcpy(d, s, n); }
void __aeabi_memcpy4(void *d, const void *s, size_t n) __attribute__((alias("__aeabi_memcpy")));
void __aeabi_memcpy8(void *d, const void *s, size_t n) __attribute__((alias("__aeabi_memcpy")));
void __aeabi_memmove(void *d, const void *s, size_t n) { memmove(d, s, n); }
void __aeabi_memmove4(void *d, const void *s, size_t n) __attribute__((alias("__aeabi_memmove")));
void __aeabi_memmove8(void *d, const void *s, size_t n) __attribute__((alias("__aeabi_memmove")));
void __aeabi_memset(void *d, size_t n, int c) { memset(d, c, n); }
void __aeabi_memset4(void *d, size_t n, int c) __attribute__((alias("__aeabi_memset")));
void __aeabi_memset8(void *d, size_t n, int c) __attribute__((alias("__aeabi_memset")));
void __aeabi_memclr(void *d, size_t n) { memset(d, 0, n); }
void __aeabi_memclr4(void *d, size_t n) __attribute__((alias("__aeabi_memclr")));
void __aeabi_memclr8(void *d, size_t n) __attribute__((alias("__aeabi_memclr")));

// ---- heap: first fit over the pool the linker script reserves (.heap), with merging ----
typedef struct Block { uint32_t size; uint32_t free; } Block;    // size includes the header
static uint32_t heap_in_use, heap_peak;

static Block *first_block(void) { return (Block *)&_heap_start; }
static Block *next_block(Block *b) { return (Block *)((uint8_t *)b + b->size); }

int posix_memalign(void **out, size_t align, size_t size) {
    if (align < 8) align = 8;
    if (first_block()->size == 0) {                                 // first call: one free block
        first_block()->size = (uint32_t)(&_heap_end - &_heap_start);
        first_block()->free = 1;
    }
    size = (size + 7) & ~(size_t)7;
    for (Block *b = first_block(); (uint8_t *)b < &_heap_end; b = next_block(b)) {
        if (!b->free) continue;
        while ((uint8_t *)next_block(b) < &_heap_end && next_block(b)->free) b->size += next_block(b)->size;
        uintptr_t data = ((uintptr_t)(b + 1) + align - 1) & ~(uintptr_t)(align - 1);
        // The payload sits `align`-aligned; a gap before it becomes its own free block.
        uintptr_t start = data - sizeof(Block);
        if (start != (uintptr_t)b && start - (uintptr_t)b < sizeof(Block)) {
            data += align; start += align;
        }
        uintptr_t end = data + size;
        if (end > (uintptr_t)b + b->size) continue;
        Block *use = (Block *)start;
        if (start != (uintptr_t)b) {
            use->size = (uint32_t)((uintptr_t)b + b->size - start);
            b->size = (uint32_t)(start - (uintptr_t)b);
        }
        use->free = 0;
        if ((uintptr_t)use + use->size - end >= 2 * sizeof(Block)) {
            Block *rest = (Block *)end;
            rest->size = (uint32_t)((uintptr_t)use + use->size - end);
            rest->free = 1;
            use->size = (uint32_t)(end - (uintptr_t)use);
        }
        heap_in_use += use->size;
        if (heap_in_use > heap_peak) heap_peak = heap_in_use;
        *out = (void *)data;
        return 0;
    }
    m4_write("firmware: out of heap\n");
    m4_exit(3);
}
void *malloc(size_t n) { void *p; return posix_memalign(&p, 8, n) == 0 ? p : 0; }
void free(void *p) {
    if (!p) return;
    Block *b = (Block *)p - 1;
    b->free = 1;
    heap_in_use -= b->size;
}
uint32_t m4_heap_peak(void) { return heap_peak; }
uint32_t m4_heap_size(void) { return (uint32_t)(&_heap_end - &_heap_start); }

// ---- the libm functions the engine's Float and Double code compiles to ----
float sqrtf(float x) { float r; __asm__("vsqrt.f32 %0, %1" : "=t"(r) : "t"(x)); return r; }
// Round half to even (the FPU's default mode): below 2^23, adding and subtracting 2^23
// leaves the integer; the sign is put back so that -0.3 gives -0, like rintf.
float rintf(float x) {
    union { float f; uint32_t u; } v = {x}, a;
    uint32_t sign = v.u & 0x80000000u;
    a.u = v.u ^ sign;
    if (!(a.f < 8388608.0f)) return x;                              // integral, inf or NaN
    volatile float big = 8388608.0f;                                // kept from folding
    a.f = (a.f + big) - big;
    a.u |= sign;
    return a.f;
}
// Round half away from zero, on the bits (no double arithmetic needed).
double round(double x) {
    union { double d; uint64_t u; } v = {x};
    int e = (int)((v.u >> 52) & 0x7ff) - 1023;
    if (e >= 52) return x;                                          // integral, inf or NaN
    if (e < 0) {                                                    // |x| < 1: ±0, or ±1 from 0.5 on
        v.u &= 1ull << 63;
        if (e == -1) v.u |= 0x3ff0000000000000ull;
        return v.d;
    }
    uint64_t fraction = 0x000fffffffffffffull >> e;
    if ((v.u & fraction) == 0) return x;
    v.u += (1ull << 51) >> e;                                       // add one half; may carry up
    v.u &= ~fraction;
    return v.d;
}

// Smallest integer not below x (hash table capacities), on the bits as well.
double ceil(double x) {
    union { double d; uint64_t u; } v = {x};
    int e = (int)((v.u >> 52) & 0x7ff) - 1023;
    int negative = (int)(v.u >> 63);
    if (e >= 52) return x;                                          // integral, inf or NaN
    if (e < 0) {                                                    // |x| < 1
        if ((v.u << 1) == 0) return x;                              // ±0
        v.u = negative ? 1ull << 63 : 0x3ff0000000000000ull;        // -0 or 1
        return v.d;
    }
    uint64_t fraction = 0x000fffffffffffffull >> e;
    if ((v.u & fraction) == 0) return x;
    v.u &= ~fraction;                                               // toward zero
    if (!negative) v.u += 1ull << (52 - e);                         // then up one
    return v.d;
}

// Embedded Swift seeds hashing from this.
void arc4random_buf(void *buf, size_t n) { memset(buf, 0x5a, n); }

// -fstack-protector support.
uintptr_t __stack_chk_guard = 0x595e9fbd;
void __stack_chk_fail(void) { m4_write("firmware: stack smashed\n"); m4_exit(4); }

// ---- stack high-water mark: the stack is painted at reset, unpainted words were used ----
#define PAINT 0xdeadbeefu
uint32_t m4_stack_size(void) { return (uint32_t)(&_stack_top - &_stack_bottom); }
uint32_t m4_stack_peak(void) {
    const uint32_t *p = (const uint32_t *)&_stack_bottom;
    while ((const uint8_t *)p < &_stack_top && *p == PAINT) p++;
    return (uint32_t)(&_stack_top - (const uint8_t *)p);
}

// ---- flash contents ----
const void *m4_tables(void) { return m4_tables_start; }
uint32_t m4_tables_bytes(void) { return (uint32_t)(m4_tables_end - m4_tables_start); }
const uint8_t *m4_frames(void) { return m4_frames_start; }

// ---- instruction counting: CMSDK APB timer 0 counts down at the board's 25 MHz; under
// `qemu -icount shift=0` virtual time advances 1 ns per instruction executed, so ticks
// times the instructions per tick (calibrated at reset on a loop of known length) is
// the instruction count. ----
#define TIMER0 ((volatile uint32_t *)0x40000000u)
uint32_t m4_timer_ticks(void) { return 0xffffffffu - TIMER0[1]; }
static uint32_t per_tick;
uint32_t m4_instructions_per_tick(void) { return per_tick; }

// ---- per-layer profile (build.sh --profile) ----
#define M4_PROFILE_LAYERS 64
static uint64_t profile_ticks[M4_PROFILE_LAYERS];
static int32_t profile_layer = -1;
static uint32_t profile_since;
void m4_profile_enter(int32_t layer) {
    uint32_t now = m4_timer_ticks();
    if (profile_layer >= 0 && profile_layer < M4_PROFILE_LAYERS) profile_ticks[profile_layer] += now - profile_since;
    profile_layer = layer;
    profile_since = now;
}
uint64_t m4_profile_instructions(int32_t layer) {
    return layer >= 0 && layer < M4_PROFILE_LAYERS ? profile_ticks[layer] * per_tick : 0;
}
static void calibrate(void) {
    uint32_t n = 1u << 20;                                           // 2 instructions per round
    uint32_t t0 = m4_timer_ticks();
    __asm__ volatile("1: subs %0, %0, #1\n bne 1b" : "+r"(n));
    uint32_t ticks = m4_timer_ticks() - t0;
    per_tick = ticks ? ((2u << 20) + ticks / 2) / ticks : 0;
}

// ---- where the instructions go (build.sh --profile): SysTick interrupts every 997
// timer ticks of the 25 MHz clock (39,880 instructions under -icount shift=0, a count
// that no loop's period divides), and the handler counts the interrupted PC in 32-byte
// buckets of the first 1 MiB of flash (the code; the weights follow it). ----
#ifdef RNNPOOL_M4_PROFILE
#define PC_BUCKETS (1024u * 1024u / 32u)
static uint16_t pc_counts[PC_BUCKETS];
static uint32_t pc_elsewhere;
void pc_sample(const uint32_t *frame) {
    uint32_t pc = frame[6];                                          // r0-r3, r12, lr, pc, xpsr
    if (pc / 32u < PC_BUCKETS && pc_counts[pc / 32u] != 0xffffu) pc_counts[pc / 32u]++;
    else pc_elsewhere++;
}
__attribute__((naked)) static void systick_handler(void) {
    __asm__ volatile("tst lr, #4\n ite eq\n mrseq r0, msp\n mrsne r0, psp\n b pc_sample");
}
static void start_pc_sampling(void) {
    volatile uint32_t *systick = (volatile uint32_t *)0xE000E010u;
    systick[1] = 996;                                                // LOAD: every 997 ticks
    systick[2] = 0;                                                  // VAL
    systick[0] = 7;                                                  // CTRL: processor clock, interrupt, enable
}
static void hex32(char *s, uint32_t v) { for (int i = 7; i >= 0; i--, v >>= 4) s[i] = "0123456789abcdef"[v & 15]; }
void m4_pc_profile_print(void) {
    *(volatile uint32_t *)0xE000E010u = 0;                           // stop sampling
    char text[] = "pc 00000000 00000000\n";
    for (uint32_t i = 0; i < PC_BUCKETS; i++) {
        if (!pc_counts[i]) continue;
        hex32(text + 3, i * 32u);
        hex32(text + 12, pc_counts[i]);
        m4_write(text);
    }
    hex32(text + 3, 0xffffffffu);
    hex32(text + 12, pc_elsewhere);
    m4_write(text);
}
#else
static void start_pc_sampling(void) {}
static void systick_handler(void) {}
void m4_pc_profile_print(void) {}
#endif

// ---- reset and faults ----
void reset_handler(void) {
    for (uint32_t *s = &_data_load, *d = &_data_start; d < &_data_end;) *d++ = *s++;
    for (uint32_t *d = &_bss_start; d < &_bss_end;) *d++ = 0;
    // Paint the stack below the current frame.
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (uint32_t *p = (uint32_t *)&_stack_bottom; p < sp - 16; p++) *p = PAINT;
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;                 // CPACR: FPU on (CP10, CP11)
    __asm__ volatile("dsb\n isb");
    TIMER0[2] = 0xffffffffu;                                         // RELOAD
    TIMER0[1] = 0xffffffffu;                                         // VALUE
    TIMER0[0] = 1;                                                   // CTRL: enable
    calibrate();
    start_pc_sampling();
    m4_exit(main(0, 0));
}
static void fault_handler(void) { m4_write("firmware: fault\n"); m4_exit(5); }

__attribute__((section(".vectors"), used)) static const void *vectors[16] = {
    &_stack_top, reset_handler, fault_handler, fault_handler, fault_handler, fault_handler, fault_handler,
    0, 0, 0, 0, fault_handler, fault_handler, 0, fault_handler, systick_handler,
};
