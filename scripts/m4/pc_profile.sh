#!/usr/bin/env bash
# Where the firmware's instructions go, by function: reads the "pc ADDRESS COUNT" lines a
# `build.sh --profile` firmware prints (SysTick samples of the interrupted PC, one every
# 39,880 instructions) and attributes each 32-byte bucket to the function it starts in.
#     scripts/m4/run.sh DIR/firmware.elf > out.txt; scripts/m4/pc_profile.sh DIR/firmware.elf out.txt [N]
# Prints the N (default 25) functions with the most samples (share, samples, demangled
# name), then the N hottest 32-byte spans. Swift inlines deeply: a function here is the
# code that was compiled into it, whatever source it came from.
set -euo pipefail
elf=$1 out=$2 top=${3:-25}
demangle=$(command -v swift-demangle || echo cat)
llvm-nm -n --defined-only "$elf" | awk '$2 ~ /^[tTwW]$/ { print $1, $3 }' > "$out.symbols"
awk -v top="$top" '
    function hex(s,    v, i) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
    FNR == NR { addr[n] = hex($1); name[n] = $2; n++; next }
    $1 == "pc" && $2 != "ffffffff" {
        a = hex($2); c = hex($3); total += c
        lo = 0; hi = n - 1                                      # last symbol at or below a
        while (lo < hi) { mid = int((lo + hi + 1) / 2); if (addr[mid] <= a) lo = mid; else hi = mid - 1 }
        by[name[lo]] += c; span[sprintf("%08x %s", a, name[lo])] = c
    }
    END {
        printf "%d samples\n", total
        for (f in by) printf "%6.2f%% %6d %s\n", 100 * by[f] / total, by[f], f | "sort -rn | head -" top
        close("sort -rn | head -" top)
        print "hottest 32-byte spans:"
        for (s in span) printf "%6.2f%% %6d %s\n", 100 * span[s] / total, span[s], s | "sort -rn | head -" top
    }' "$out.symbols" "$out" | $demangle --simplified
rm -f "$out.symbols"
