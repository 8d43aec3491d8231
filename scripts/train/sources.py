"""Fixture source images: public-domain or procedural only (never the training data)."""
import numpy as np
from PIL import Image


def astronaut_gray() -> np.ndarray:
    """NASA's public-domain astronaut photo (Eileen Collins) from scikit-image, as a
    400x360 luma plane: the 512x512 original cropped to 512x461 (keeping the face) and
    resized, so the letterbox both downscales by a non-integer factor and adds bars."""
    from skimage import data
    rgb = data.astronaut().astype(np.int64)
    # ITU-R BT.601 luma, integer arithmetic so the result is reproducible anywhere.
    y = ((299 * rgb[..., 0] + 587 * rgb[..., 1] + 114 * rgb[..., 2] + 500) // 1000).astype(np.uint8)
    return np.asarray(Image.fromarray(y[:461]).resize((400, 360), Image.LANCZOS), dtype=np.uint8)


def gradient_pattern(w=150, h=100) -> np.ndarray:
    """Procedural 150x100 pattern (diagonal ramp, checkerboard, bright disc, dark face-
    sized blob) that the letterbox must upscale by the non-integer factor 320/150."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.int64)
    v = (xx * 200) // (w - 1) + (yy * 55) // (h - 1)
    v = v - 40 * (((xx // 9) + (yy // 7)) % 2)
    v = np.where((xx - 40) ** 2 + (yy - 35) ** 2 < 15 ** 2, 250, v)
    v = np.where(((xx - 110) ** 2) * 3 + (yy - 60) ** 2 < 20 ** 2, 30 + (xx % 5) * 10, v)
    return np.clip(v, 0, 255).astype(np.uint8)


def load_source(name: str) -> np.ndarray:
    if name == "astronaut":
        return astronaut_gray()
    if name == "gradient":
        return gradient_pattern()
    return np.asarray(Image.open(name).convert("L"), dtype=np.uint8)
