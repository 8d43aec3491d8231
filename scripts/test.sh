#!/usr/bin/env bash
# The whole test suite: system packages, build, then every test target.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The CLI tests run the built binary, so build it (and everything else) first.
swift build --build-tests
swift test --skip-build
# Fuzz smoke run: each libFuzzer target for a few seconds on the committed seeds
# (docs/FUZZING.md); a crash fails the suite and its input is kept in .build/fuzz/.
mkdir -p .build/fuzz
for target in y4m pnm model; do
    if ! scripts/fuzz.sh "$target" 10 > ".build/fuzz/smoke-$target.log" 2>&1; then
        echo "fuzz smoke run of $target failed:" >&2
        tail -40 ".build/fuzz/smoke-$target.log" >&2
        exit 1
    fi
    echo "fuzz $target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' ".build/fuzz/smoke-$target.log"), no crash"
done
