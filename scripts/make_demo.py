#!/usr/bin/env python3
"""Renders assets/demo.y4m: a short handheld-camera-like clip of a face for machines
without a camera.

Source picture: scikit-image's `astronaut` (Eileen Collins, NASA photo
S94-32757, public domain), shipped inside the scikit-image wheel. The clip pans and
zooms over it along a smooth path with a little seeded shake, so every run of this
script writes the same bytes.

Run with the developer venv:  /work/venv/bin/python scripts/make_demo.py
"""
import math
import os
import sys

import numpy as np
from PIL import Image
from skimage import data

WIDTH, HEIGHT = 320, 240          # 4:3 like a webcam, the detector's input size
FPS = 15
SECONDS = 4
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets", "demo.y4m")


def luma(rgb: np.ndarray) -> np.ndarray:
    """Full-range BT.601 luma, the same weights rnnpool-cam uses for RGB input."""
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    return ((19595 * r + 38470 * g + 7471 * b + 32768) >> 16).astype(np.uint8)


def shake(rng: np.random.Generator, n: int, scale: float) -> np.ndarray:
    """Smoothed random walk: the small tremor of a hand-held camera."""
    steps = rng.normal(0.0, scale, size=n)
    kernel = np.ones(5) / 5
    return np.convolve(np.cumsum(steps) * 0.3, kernel, mode="same")


def main() -> int:
    picture = Image.fromarray(luma(data.astronaut()))     # 512x512
    size = picture.width
    frames = FPS * SECONDS
    rng = np.random.default_rng(2020)
    jx, jy = shake(rng, frames, 1.5), shake(rng, frames, 1.5)

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "wb") as f:
        f.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 Cmono\n".encode())
        for i in range(frames):
            t = i / (frames - 1)
            # Start wide on the whole upper body, drift right and push in on the face,
            # then pull back a little: a person framing a shot by hand.
            crop_w = 430 - 190 * math.sin(math.pi * t * 0.85)
            cx = 230 + 40 * math.cos(math.pi * t) + jx[i]
            cy = 190 - 45 * math.sin(math.pi * t * 0.9) + jy[i]
            angle = 2.0 * math.sin(2 * math.pi * t * 1.3)       # slight roll, degrees
            crop_h = crop_w * HEIGHT / WIDTH
            x0 = min(max(cx - crop_w / 2, 0), size - crop_w)
            y0 = min(max(cy - crop_h / 2, 0), size - crop_h)
            view = picture.rotate(angle, resample=Image.BICUBIC, center=(cx, cy), fillcolor=0)
            frame = view.resize((WIDTH, HEIGHT), Image.LANCZOS,
                                box=(x0, y0, x0 + crop_w, y0 + crop_h))
            f.write(b"FRAME\n")
            f.write(np.asarray(frame, dtype=np.uint8).tobytes())
    print(f"wrote {OUT}: {frames} frames, {WIDTH}x{HEIGHT} mono at {FPS} fps, "
          f"{os.path.getsize(OUT)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
