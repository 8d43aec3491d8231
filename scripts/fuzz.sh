#!/usr/bin/env bash
# Builds one libFuzzer target and runs it:
#   scripts/fuzz.sh TARGET [SECONDS] [libFuzzer flags...]
# TARGET is y4m (the .y4m reader), pnm (the PGM/PPM reader), media (clips and photos
# through FFmpeg, read from memory) or model (the .rpm loader, then one detection with
# the model). SECONDS (default 60) bounds the run; extra flags go
# to libFuzzer, e.g. -runs=1000000. Seeds come from Fuzz/corpus/TARGET (committed);
# what the run finds goes to .build/fuzz/corpus-TARGET, crashes to .build/fuzz/crashes-TARGET/.
# The media target's seeds are tiny clips and photos the ffmpeg tool makes on first use
# (.build/fuzz/seeds-media; no media is committed).
# Exit status: 0 when no crash was found.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: scripts/fuzz.sh y4m|pnm|media|model [SECONDS] [libFuzzer flags...]}
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
seeds=Fuzz/corpus/$target
case $target in
    y4m | pnm | media)
        # FrameIO without the camera (which needs libv4l2 and is fuzzed through its fake),
        # with FFmpeg's headers (CFFmpeg) and the loaders that define FFmpeg's and
        # libheif's functions, each C file an object (rebuilt when it or its header is
        # newer) and a module map.
        mapfile -t sources < <(find Sources/FrameIO -name '*.swift' -not -path '*/V4L2/*' | sort)
        extra=(-I Sources/CFFmpeg -ldl)
        for loader in CFFmpegLoader CHeifLoader; do
            dir=Sources/$loader c=$(echo Sources/"$loader"/*.c)
            if [[ ! -f $out/$loader.o || $c -nt $out/$loader.o || $dir/include/$loader.h -nt $out/$loader.o ]]; then
                clang -O2 -g -c -I "$dir/include" -o "$out/$loader.o" "$c"
            fi
            printf 'module %s {\n    header "%s/%s/include/%s.h"\n    export *\n}\n' "$loader" "$PWD" "$dir" "$loader" > "$out/$loader.modulemap"
            extra+=(-Xcc -fmodule-map-file="$out/$loader.modulemap" "$out/$loader.o")
        done
        case $target in
            y4m) entry=Fuzz/Y4MReaderFuzz.swift ;;
            pnm) entry=Fuzz/PNMImageFuzz.swift ;;
            media)
                entry=Fuzz/MediaReaderFuzz.swift
                # A leak inside libdav1d (third-party, reached through libheif) is not ours.
                export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan-media.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
                seeds=$out/seeds-media
                mkdir -p "$seeds" "$seeds.tmp"
                src=(-f lavfi -i testsrc=size=32x24:rate=5:duration=0.6)
                # Each seed made once (a seed added later is made in a folder made earlier).
                for spec in "clip.mp4 -c:v libx264 -pix_fmt yuv420p" "clip.webm -c:v libvpx" "clip.mkv -c:v ffv1" \
                            "clip.avi -c:v mjpeg" "clip.gif" "photo.png -frames:v 1" "photo.jpg -frames:v 1" \
                            "photo.webp -frames:v 1" "photo.bmp -frames:v 1" "photo.tiff -frames:v 1" \
                            "clip.mpg -c:v mpeg2video" "clip.ts -c:v libx264 -pix_fmt yuv420p" "clip.flv -c:v flv1" \
                            "clip.h264 -c:v libx264 -pix_fmt yuv420p" "clip.apng -f apng"; do
                    read -r name args <<< "$spec"
                    [[ -s $seeds/$name ]] && continue
                    # shellcheck disable=SC2086
                    ffmpeg -nostdin -y -v error "${src[@]}" $args "$seeds.tmp/$name" && mv "$seeds.tmp/$name" "$seeds/$name"
                done
                # HEIF and AVIF photos (libheif's heif-enc, from the PNG seed).
                for name in photo.heic photo.avif; do
                    [[ -s $seeds/$name ]] && continue
                    heif-enc -q 50 $([[ $name == *.avif ]] && echo -A) "$seeds/photo.png" -o "$seeds.tmp/$name" >/dev/null \
                        && mv "$seeds.tmp/$name" "$seeds/$name"
                done ;;
        esac ;;
    model)
        # The engine as the product builds it: the same build variant (Package.swift)
        # and the C kernels linked, so the fuzzer runs the product's loops.
        mapfile -t sources < <(find Sources/RNNPoolEngine -name '*.swift' | sort)
        variant=(-D RNNPOOL_HOST)
        [[ $(uname -m) == x86_64 ]] && variant+=(-D RNNPOOL_HOST_X86_64)
        # One object per C file (one file per instruction set), rebuilt when its source
        # or the header is newer.
        ckernels=()
        for c in Sources/CKernels/*.c; do
            o=$out/CKernels-$(basename "$c" .c).o
            if [[ ! -f $o || $c -nt $o || Sources/CKernels/include/CKernels.h -nt $o ]]; then
                clang -O2 -fsanitize=fuzzer-no-link,address -g -c -I Sources/CKernels/include -o "$o" "$c"
            fi
            ckernels+=("$o")
        done
        printf 'module CKernels {\n    header "%s/Sources/CKernels/include/CKernels.h"\n    export *\n}\n' "$PWD" > "$out/CKernels.modulemap"
        extra=("${variant[@]}" -Xcc -fmodule-map-file="$out/CKernels.modulemap" "${ckernels[@]}")
        entry=Fuzz/ModelLoaderFuzz.swift ;;
    *)
        echo "fuzz: unknown target $target (y4m, pnm, media or model)" >&2
        exit 64 ;;
esac

binary=$out/fuzz-$target
if [[ ! -x $binary || -n $(find Sources Fuzz -name '*.swift' -newer "$binary") || -n $(find Sources/CKernels Sources/CFFmpegLoader -newer "$binary") ]]; then
    echo "fuzz: building $binary" >&2
    swiftc "${flags[@]}" -module-name "Fuzz_$target" -I "$out" "$entry" "${sources[@]}" "$out/InputSafety.o" \
        "${extra[@]}" -o "$binary"
fi

corpus=$out/corpus-$target
crashes=$out/crashes-$target/
mkdir -p "$corpus" "$crashes"
# New inputs go to the first directory; the committed seeds are only read.
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes" "$@" "$corpus" "$seeds"
