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
