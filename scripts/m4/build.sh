#!/usr/bin/env bash
# Builds the Cortex-M4 firmware (ELF for QEMU's mps2-an386) from the model file and
# frames given:
#     scripts/m4/build.sh [--model FILE] [--precision int8|float] [--profile] [--out DIR] FRAME...
# --profile: the firmware also prints the instructions each layer ran (all frames).
# FRAME: PGM/PPM, or .y4m (its first frame).
# Needs only the Swift toolchain (swiftc with Embedded Swift for armv7em, clang, ld.lld).
# Writes DIR/firmware.elf and DIR/firmware.map (default DIR: .build/m4). The host binary
# (RNNPOOL_CAM, default .build/debug/rnnpool-cam, built if missing) writes the model
# image: the weight tables and frames in flash, the architecture as Swift source.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/scripts/m4
out=$root/.build/m4
model=()
precision=()
profile=()
cprofile=()
while (($#)); do
    case $1 in
        --model) model=(--model "$2"); shift 2 ;;
        --precision) precision=(--precision "$2"); shift 2 ;;
        --out) out=$2; shift 2 ;;
        --profile) profile=(-D RNNPOOL_M4_PROFILE); cprofile=(-DRNNPOOL_M4_PROFILE); shift ;;
        *) break ;;
    esac
done
(($#)) || { echo "usage: scripts/m4/build.sh [--model FILE] [--precision int8|float] [--profile] [--out DIR] FRAME..." >&2; exit 64; }
frames=()
for f in "$@"; do frames+=("$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"); done
[[ ${#model[@]} -eq 0 ]] || model=(--model "$(cd "$(dirname "${model[1]}")" && pwd)/$(basename "${model[1]}")")

bin=${RNNPOOL_CAM:-$root/.build/debug/rnnpool-cam}
if [[ ! -x $bin ]]; then (cd "$root" && swift build --product rnnpool-cam >&2); fi
mkdir -p "$out/gen"
"$bin" m4-image --out "$out/gen" "${model[@]}" "${precision[@]}" "${frames[@]}"

# Stack and the heap beside the arena (objects: stages, kernel headers, small arrays),
# both sized from measurements (docs/BENCHMARKS.md) with room to spare; the arena is
# exactly what the host measured the model needs.
arena=$(sed -n 's/^let m4ArenaBytes = \([0-9]*\)$/\1/p' "$out/gen/image.swift")
stack=${M4_STACK_BYTES:-16384}
heap=$((arena + 64 + ${M4_OBJECT_HEAP_BYTES:-24576}))

cpu=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)
# The engine's firmware core: every file under Sources/RNNPoolEngine/Core, nothing else
# (the host side, Sources/RNNPoolEngine/Host, reads model files and plans baselines).
mapfile -t engine < <(find "$root/Sources/RNNPoolEngine/Core" -name '*.swift' | sort)

# -Osize's machine outliner turns repeated instruction runs into calls, the gates'
# exponential among them (2.3% more instructions a frame); swiftc honours
# -enable-machine-outliner=never when it writes assembly (-S), not objects (-c), so clang
# assembles its output.
swiftc -target armv7em-none-none-eabi -enable-experimental-feature Embedded -wmo -Osize -parse-as-library \
    -D RNNPOOL_FIRMWARE "${profile[@]}" -Xllvm -enable-machine-outliner=never \
    -module-name Firmware -import-objc-header "$here/runtime.h" \
    -Xcc -mfloat-abi=hard -Xcc -mfpu=fpv4-sp-d16 -Xcc -mcpu=cortex-m4 \
    -S -o "$out/firmware.s" "${engine[@]}" "$here/Firmware.swift" "$out/gen/image.swift"
clang --target=armv7em-none-eabi "${cpu[@]}" -c -o "$out/firmware.o" "$out/firmware.s"
clang --target=armv7em-none-eabi "${cpu[@]}" -Os -ffreestanding -fno-builtin "${cprofile[@]}" -c -o "$out/runtime.o" "$here/runtime.c"
clang --target=armv7em-none-eabi "${cpu[@]}" -O2 -ffp-contract=off -fomit-frame-pointer -ffreestanding -c -o "$out/dsp_kernels.o" "$here/dsp_kernels.c"
(cd "$out/gen" && clang --target=armv7em-none-eabi "${cpu[@]}" -c -o "$out/image.o" image.S)
"$here/link.sh" "$out" "$heap" "$stack"
echo "$out/firmware.elf"
