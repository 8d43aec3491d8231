#!/usr/bin/env bash
# Plays the bundled demo clip (assets/demo.y4m) through the detector.
# Extra arguments are passed on: `scripts/demo.sh --loop`, `scripts/demo.sh --headless`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Setup and build talk on stderr, so that `scripts/demo.sh --headless` gives stdout
# to the JSON lines alone.
scripts/setup.sh >&2
# Release build: the demo's figures are the ones docs/BENCHMARKS.md quotes.
swift build -c release --product rnnpool-cam >&2
exec .build/release/rnnpool-cam assets/demo.y4m "$@"
