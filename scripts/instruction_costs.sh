#!/usr/bin/env bash
# Builds scripts/instruction_costs.c with the Swift toolchain's clang and runs it pinned
# to one core (default 1; `CORE=0 bash scripts/instruction_costs.sh`), after the CPU model
# from /proc/cpuinfo. Pause any training first: a busy sibling thread shares the pipes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
clang=$(dirname "$(readlink -f "$(command -v swift)")")/clang
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$clang" -O2 -o "$out/instruction_costs" "$here/instruction_costs.c"
grep -m1 "model name" /proc/cpuinfo | sed 's/.*: //' | tr -d '\n'
printf ', family %s model %s\n' "$(grep -m1 'cpu family' /proc/cpuinfo | sed 's/.*: //')" \
    "$(grep -m1 '^model[[:space:]]' /proc/cpuinfo | sed 's/.*: //')"
taskset -c "${CORE:-1}" "$out/instruction_costs"
