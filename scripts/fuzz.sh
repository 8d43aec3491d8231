#!/usr/bin/env bash
# Builds one libFuzzer target and runs it:
#   scripts/fuzz.sh TARGET [SECONDS] [libFuzzer flags...]
# TARGET is y4m (the .y4m reader), pnm (the PGM/PPM reader) or model (the .rpm loader,
# then one detection with the model). SECONDS (default 60) bounds the run; extra flags go
# to libFuzzer, e.g. -runs=1000000. Seeds come from Fuzz/corpus/TARGET (committed);
# what the run finds goes to .build/fuzz/corpus-TARGET, crashes to .build/fuzz/crashes-TARGET/.
# Exit status: 0 when no crash was found.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: scripts/fuzz.sh y4m|pnm|model [SECONDS] [libFuzzer flags...]}
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))

out=.build/fuzz
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g)

# The library sources import InputSafety, so it is built as its own module first.
if [[ ! -f $out/InputSafety.o || -n $(find Sources/InputSafety -newer "$out/InputSafety.o") ]]; then
    swiftc "${flags[@]}" -wmo -module-name InputSafety -emit-module -emit-module-path "$out/InputSafety.swiftmodule" \
        -emit-object -o "$out/InputSafety.o" Sources/InputSafety/*.swift
fi

extra=()
case $target in
    y4m | pnm)
        # FrameIO without the camera (which needs libv4l2 and is fuzzed through its fake).
        mapfile -t sources < <(find Sources/FrameIO -name '*.swift' -not -path '*/V4L2/*' | sort)
        [[ $target == y4m ]] && entry=Fuzz/Y4MReaderFuzz.swift || entry=Fuzz/PNMImageFuzz.swift ;;
    model)
        # The engine as the product builds it: the same build variant (Package.swift)
        # and the C kernels linked, so the fuzzer runs the product's loops.
        mapfile -t sources < <(find Sources/RNNPoolEngine -name '*.swift' | sort)
        variant=(-D RNNPOOL_HOST)
        [[ $(uname -m) == x86_64 ]] && variant+=(-D RNNPOOL_HOST_X86_64)
        if [[ ! -f $out/CKernels.o || Sources/CKernels/CKernels.c -nt $out/CKernels.o || Sources/CKernels/include/CKernels.h -nt $out/CKernels.o ]]; then
            clang -O2 -fsanitize=fuzzer-no-link,address -g -c -I Sources/CKernels/include -o "$out/CKernels.o" Sources/CKernels/CKernels.c
        fi
        printf 'module CKernels {\n    header "%s/Sources/CKernels/include/CKernels.h"\n    export *\n}\n' "$PWD" > "$out/CKernels.modulemap"
        extra=("${variant[@]}" -Xcc -fmodule-map-file="$out/CKernels.modulemap" "$out/CKernels.o")
        entry=Fuzz/ModelLoaderFuzz.swift ;;
    *)
        echo "fuzz: unknown target $target (y4m, pnm or model)" >&2
        exit 64 ;;
esac

binary=$out/fuzz-$target
if [[ ! -x $binary || -n $(find Sources Fuzz -name '*.swift' -newer "$binary") || -n $(find Sources/CKernels -newer "$binary") ]]; then
    echo "fuzz: building $binary" >&2
    swiftc "${flags[@]}" -module-name "Fuzz_$target" -I "$out" "$entry" "${sources[@]}" "$out/InputSafety.o" \
        "${extra[@]}" -o "$binary"
fi

corpus=$out/corpus-$target
crashes=$out/crashes-$target/
mkdir -p "$corpus" "$crashes"
# New inputs go to the first directory; the committed seeds are only read.
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes" "$@" "$corpus" "Fuzz/corpus/$target"
