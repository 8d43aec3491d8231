#!/usr/bin/env bash
# Links the firmware's objects (build.sh compiles them into DIR) into DIR/firmware.elf
# and DIR/firmware.map, with HEAP and STACK bytes reserved in the 256 KiB RAM region:
#     scripts/m4/link.sh DIR HEAP STACK
# More RAM than the region holds is a link error ("will not fit in region 'RAM'").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1 heap=$2 stack=$3
tables=$(dirname "$(dirname "$(command -v swiftc)")")/lib/swift/embedded/armv7em-none-none-eabi
# Double arithmetic (the letterbox's geometry, box mapping) in software: the M4's FPU is
# single precision. libgcc of gcc-arm-none-eabi has the AEABI routines; nothing else of
# that toolchain is used.
libgcc=$(ls /usr/lib/gcc/arm-none-eabi/*/thumb/v7e-m+fp/hard/libgcc.a 2>/dev/null | head -1)
[[ -n $libgcc ]] || { echo "scripts/m4/link.sh: libgcc.a for thumb/v7e-m+fp/hard not found (apt-get install gcc-arm-none-eabi)" >&2; exit 1; }
ld.lld -T "$here/link.ld" --defsym=HEAP_SIZE="$heap" --defsym=STACK_SIZE="$stack" --gc-sections \
    -Map "$out/firmware.map" -o "$out/firmware.elf" \
    "$out/firmware.o" "$out/runtime.o" "$out/dsp_kernels.o" "$out/image.o" "$tables/libswiftUnicodeDataTables.a" "$libgcc"
