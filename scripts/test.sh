#!/usr/bin/env bash
# The whole test suite: system packages, build, then every test target.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The CLI tests run the built binary, so build it (and everything else) first.
swift build --build-tests
mkdir -p .build
swift test --skip-build 2>&1 | tee .build/test-output.log
# Fuzz smoke run: each libFuzzer target for a few seconds on the committed seeds
# (docs/FUZZING.md); a crash fails the suite and its input is kept in .build/fuzz/.
mkdir -p .build/fuzz
for target in y4m pnm media model; do
    if ! scripts/fuzz.sh "$target" 10 > ".build/fuzz/smoke-$target.log" 2>&1; then
        echo "fuzz smoke run of $target failed:" >&2
        tail -40 ".build/fuzz/smoke-$target.log" >&2
        exit 1
    fi
    echo "fuzz $target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' ".build/fuzz/smoke-$target.log"), no crash"
done
# One plain closing line with the XCTest counts (swift test's own last line is Swift
# Testing's, which counts none of our XCTest cases).
summary=$(grep -Eo 'Executed [0-9]+ tests?, with ([0-9]+ tests? skipped and )?[0-9]+ failures?' .build/test-output.log | tail -1)
total=$(echo "$summary" | grep -Eo 'Executed [0-9]+' | grep -Eo '[0-9]+')
skipped=$(echo "$summary" | grep -Eo '[0-9]+ tests? skipped' | grep -Eo '^[0-9]+' || echo 0)
failed=$(echo "$summary" | grep -Eo '[0-9]+ failures?' | grep -Eo '^[0-9]+')
echo "tests: $((total - skipped - failed)) passed, ${failed} failed, ${skipped:-0} skipped"
