#!/usr/bin/env bash
# The whole test suite: system packages, build, then every test target.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The CLI tests run the built binary, so build it (and everything else) first.
swift build --build-tests
swift test --skip-build
