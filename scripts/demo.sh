#!/usr/bin/env bash
# Plays the bundled demo clip (assets/demo.y4m) through the detector.
# Extra arguments are passed on: `scripts/demo.sh --loop`, `scripts/demo.sh --headless`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Release build: in a debug build the detector runs ~50x slower (its files are compiled
# one by one, so its hot helpers are not inlined across files), a few frames a second.
swift build -c release --product rnnpool-cam
exec .build/release/rnnpool-cam assets/demo.y4m "$@"
