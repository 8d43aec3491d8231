// Which of the C kernels this CPU can run, asked once per block or head when a model
// loads (not per frame), so nothing is cached: no shared state between threads that
// load models. RNNPOOL_NO_VNNI (any value but "" or "0") turns every one off, so that
// the portable Swift loops can be measured and tested on any machine.
#include "CKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)

static int kernels_disabled(void) {
    const char *off = getenv("RNNPOOL_NO_VNNI");
    return off != NULL && off[0] != '\0' && strcmp(off, "0") != 0;
}

int rc_has_avx512_vnni(void) {
    __builtin_cpu_init();
    return !kernels_disabled() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vnni");
}

int rc_has_avx2(void) {
    __builtin_cpu_init();
    return !kernels_disabled() && __builtin_cpu_supports("avx2");
}

int rc_has_avx2_fma(void) {
    return rc_has_avx2() && __builtin_cpu_supports("fma");
}

#else

int rc_has_avx512_vnni(void) { return 0; }
int rc_has_avx2(void) { return 0; }
int rc_has_avx2_fma(void) { return 0; }

#endif
