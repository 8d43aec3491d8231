"""Exact integer letterbox of NETWORK.md section 1, in numpy.

The Swift engine implements the same integer algorithm, so the two sides feed the
network identical pixels; keep every operation integer except the scale factor.
"""
import math

import numpy as np

NET_W, NET_H = 320, 240


def round_half_away(v: float) -> int:
    # Python's round() is banker's rounding; the contract says half away from zero.
    return int(math.floor(v + 0.5)) if v >= 0 else -int(math.floor(-v + 0.5))


def letterbox_geometry(w0: int, h0: int, out_w: int = NET_W, out_h: int = NET_H):
    """Return (dw, dh, ox, oy) for a W0 x H0 source."""
    s = min(out_w / w0, out_h / h0)  # float64, like Swift's Double
    dw = max(1, round_half_away(w0 * s))
    dh = max(1, round_half_away(h0 * s))
    return dw, dh, (out_w - dw) // 2, (out_h - dh) // 2


def _bins(n_src: int, n_dst: int):
    i = np.arange(n_dst, dtype=np.int64)
    lo = (i * n_src) // n_dst
    hi = np.maximum(((i + 1) * n_src) // n_dst, lo + 1)
    return lo, hi


def _taps(n0: int, d: int):
    """One axis's bilinear taps (NETWORK.md section 1): for each destination pixel the
    left/upper source pixel and the next one's weight in 256ths, clamped at the edges."""
    num = (2 * np.arange(d, dtype=np.int64) + 1) * n0 - d
    den = 2 * d
    k = ((1 << 24) + den // 2) // den
    q = np.where(num > 0, num // den, 0)
    f = np.where(num > 0, ((num % den) * k + 0x8000) >> 16, 0)
    edge = q >= n0 - 1
    q = np.where(edge, n0 - 1, q)
    f = np.where(edge, 0, f)
    return q, np.minimum(q + 1, n0 - 1), f


def _enlarge(src: np.ndarray, dw: int, dh: int) -> np.ndarray:
    """Bilinear interpolation with 8-bit weights, integer-exact (the Swift engine's)."""
    h0, w0 = src.shape
    i0, i1, fx = _taps(w0, dw)
    j0, j1, fy = _taps(h0, dh)
    s = src.astype(np.int64)
    top = (256 - fx) * s[j0][:, i0] + fx * s[j0][:, i1]
    bottom = (256 - fx) * s[j1][:, i0] + fx * s[j1][:, i1]
    return (((256 - fy)[:, None] * top + fy[:, None] * bottom + 0x8000) >> 16).astype(np.uint8)


def letterbox(src: np.ndarray, out_w: int = NET_W, out_h: int = NET_H) -> np.ndarray:
    """Resample `src` (uint8 [H0, W0]) into a black out_h x out_w canvas: box averages
    when shrinking, bilinear interpolation when the window is larger than the source."""
    assert src.dtype == np.uint8 and src.ndim == 2
    h0, w0 = src.shape
    dw, dh, ox, oy = letterbox_geometry(w0, h0, out_w, out_h)
    if dw > w0 or dh > h0:
        out = np.zeros((out_h, out_w), dtype=np.uint8)
        out[oy:oy + dh, ox:ox + dw] = _enlarge(src, dw, dh)
        return out
    x0, x1 = _bins(w0, dw)
    y0, y1 = _bins(h0, dh)
    # Summed-area table with a zero row/column in front: sum over [y0,y1)x[x0,x1).
    sat = np.zeros((h0 + 1, w0 + 1), dtype=np.int64)
    sat[1:, 1:] = src.astype(np.int64).cumsum(0).cumsum(1)
    s = (sat[y1][:, x1] - sat[y0][:, x1] - sat[y1][:, x0] + sat[y0][:, x0])
    n = (y1 - y0)[:, None] * (x1 - x0)[None, :]
    out = np.zeros((out_h, out_w), dtype=np.uint8)
    out[oy:oy + dh, ox:ox + dw] = ((s + n // 2) // n).astype(np.uint8)
    return out


def boxes_to_source(boxes: np.ndarray, w0: int, h0: int,
                    out_w: int = NET_W, out_h: int = NET_H) -> np.ndarray:
    """Map [N, >=4] (x, y, w, h, ...) boxes from the network frame to source pixels.

    Clip to the network frame first, map back, then clip to the source frame
    (NETWORK.md section 6 / section 1). Extra columns (scores) pass through.
    """
    dw, dh, ox, oy = letterbox_geometry(w0, h0, out_w, out_h)
    b = np.asarray(boxes, dtype=np.float64).copy()
    if b.size == 0:
        return b.reshape(0, boxes.shape[1] if boxes.ndim == 2 else 5)
    x1 = np.clip(b[:, 0], 0, out_w); y1 = np.clip(b[:, 1], 0, out_h)
    x2 = np.clip(b[:, 0] + b[:, 2], 0, out_w); y2 = np.clip(b[:, 1] + b[:, 3], 0, out_h)
    sx, sy = w0 / dw, h0 / dh
    x1 = np.clip((x1 - ox) * sx, 0, w0); x2 = np.clip((x2 - ox) * sx, 0, w0)
    y1 = np.clip((y1 - oy) * sy, 0, h0); y2 = np.clip((y2 - oy) * sy, 0, h0)
    b[:, 0], b[:, 1], b[:, 2], b[:, 3] = x1, y1, x2 - x1, y2 - y1
    return b
