#!/usr/bin/env bash
# Runs the firmware on QEMU's emulated Cortex-M4F board (mps2-an386); its semihosting
# output goes to stdout, its exit status is the firmware's.
#     scripts/m4/run.sh [firmware.elf]          (default .build/m4/firmware.elf)
# -icount shift=0: virtual time advances 1 ns per instruction, which is how the
# firmware counts instructions per frame (runtime.c). Bounded: 300 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
elf=${1:-$root/.build/m4/firmware.elf}
exec timeout 300 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none \
    -chardev stdio,id=semihosting,signal=off -semihosting-config enable=on,target=native,chardev=semihosting \
    -icount shift=0 -kernel "$elf"
