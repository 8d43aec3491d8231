#!/usr/bin/env bash
# Plays the bundled demo clip (assets/demo.y4m) through the detector.
# Extra arguments are passed on: `scripts/demo.sh --loop`, `scripts/demo.sh --headless`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --product rnnpool-cam
exec .build/debug/rnnpool-cam assets/demo.y4m "$@"
