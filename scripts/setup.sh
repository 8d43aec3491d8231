#!/usr/bin/env bash
# Installs the Debian packages rnnpool-cam builds and tests against. Idempotent: it
# only calls apt-get when something is missing. Needs root (or sudo) for that.
set -euo pipefail

packages=(pkg-config libv4l-dev libncurses-dev libchafa-dev libglib2.0-dev libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libheif-dev ncurses-term ffmpeg libheif-examples tmux time)
# For the Cortex-M4 firmware test (scripts/m4/): QEMU's emulated board, and libgcc for
# armv7e-m (software double arithmetic; the M4's FPU is single precision). Optional: where
# they cannot be installed, that one test is skipped and says why.
optional=(qemu-system-arm gcc-arm-none-eabi)

# Sets `missing` to those of the named packages that dpkg does not have installed.
find_missing() {
    missing=()
    local p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
}

# Installs the named packages with apt-get, through sudo when not root. Returns non-zero
# when that is impossible or fails.
install_packages() {
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "setup: need root or sudo to install $*" >&2; return 1; }
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

find_missing "${packages[@]}"
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    install_packages "${missing[@]}"
fi

find_missing "${optional[@]}"
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]} (for the Cortex-M4 firmware test)" >&2
    if ! install_packages "${missing[@]}"; then
        echo "setup: could not install ${missing[*]}; the Cortex-M4 firmware test will be skipped" >&2
    fi
fi

if ! command -v swift >/dev/null; then
    echo "setup: the Swift toolchain (6.0 or newer) is not on PATH; install it from https://www.swift.org/install/linux/" >&2
    exit 1
fi
