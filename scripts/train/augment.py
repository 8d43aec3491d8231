"""Training-sample synthesis for a webcam face detector.

Each sample is a crop of out_w x out_h taken from a rescaled photo, with black fill
where the crop leaves the photo (the same black the letterbox adds at run time).
Two ways to pick the scale:
  * data-anchor sampling (S3FD): pick a face and rescale so its width becomes a
    log-uniform random size in [min_face, max_face], so 12 px and 200 px faces are
    both common whatever the photo's own face sizes are;
  * letterbox-like: the scale the engine's letterbox would use, times a random zoom
    (zoom < 1 shows the whole photo small, inside black bars); with share_640 of
    these at the scale of a 640x480 input, which never enlarges (docs/NETWORK.md
    6b), so the network meets photos at their own size, small faces included.
Then webcam-ish photometric changes (contrast, brightness, gamma, blur, sensor noise)
and a horizontal flip.
"""
import math

import numpy as np
from PIL import Image, ImageFilter


class Augmenter:
    def __init__(self, out_w=256, out_h=192, min_face=9.0, max_face=210.0, p_anchor=0.6,
                 zoom=(0.45, 1.6), max_upscale=4.0, min_visible=0.5, min_width=7.0, share_640=0.0):
        self.out_w, self.out_h = out_w, out_h
        self.min_face, self.max_face = min_face, max_face
        self.p_anchor, self.zoom = p_anchor, zoom
        self.max_upscale, self.min_visible, self.min_width = max_upscale, min_visible, min_width
        self.share_640 = share_640

    def _choose_window(self, rng, w0, h0, faces):
        ow, oh = self.out_w, self.out_h
        if len(faces) and rng.random() < self.p_anchor:
            f = faces[rng.integers(len(faces))]
            target = math.exp(rng.uniform(math.log(self.min_face), math.log(self.max_face)))
            sc = min(target / max(f[2], 1.0), self.max_upscale)
            fx1, fy1, fx2, fy2 = f[0] * sc, f[1] * sc, (f[0] + f[2]) * sc, (f[1] + f[3]) * sc
            # crop origin such that the face lies inside the crop when it fits
            lo_x, hi_x = fx2 - ow, fx1
            lo_y, hi_y = fy2 - oh, fy1
            cx0 = rng.uniform(lo_x, hi_x) if hi_x > lo_x else (fx1 + fx2 - ow) / 2
            cy0 = rng.uniform(lo_y, hi_y) if hi_y > lo_y else (fy1 + fy2 - oh) / 2
        else:
            if self.share_640 and rng.random() < self.share_640:
                base = min(640 / w0, 480 / h0, 1.0)
            else:
                base = min(320 / w0, 240 / h0)
            sc = base * math.exp(rng.uniform(*np.log(self.zoom)))
            sw, sh = w0 * sc, h0 * sc
            cx0 = rng.uniform(min(0, sw - ow), max(0, sw - ow))
            cy0 = rng.uniform(min(0, sh - oh), max(0, sh - oh))
        return sc, cx0, cy0

    def _photometric(self, rng, region: np.ndarray) -> np.ndarray:
        x = region.astype(np.float32) / 255.0
        if rng.random() < 0.8:
            x = x ** math.exp(rng.uniform(-0.5, 0.5))                      # gamma
        if rng.random() < 0.8:
            m = x.mean()
            x = (x - m) * rng.uniform(0.55, 1.45) + m + rng.uniform(-0.18, 0.18)  # contrast, brightness
        x = np.clip(x * 255.0, 0, 255)
        if rng.random() < 0.35:                                              # sensor noise
            x = x + rng.normal(0, rng.uniform(1.5, 8.0), x.shape).astype(np.float32)
        return np.clip(x + 0.5, 0, 255).astype(np.uint8)

    def __call__(self, rng, img: np.ndarray, faces: np.ndarray, ignores: np.ndarray):
        """Returns (canvas uint8 [out_h, out_w], faces [n,4], ignores [m,4])."""
        h0, w0 = img.shape
        ow, oh = self.out_w, self.out_h
        sc, cx0, cy0 = self._choose_window(rng, w0, h0, faces)
        canvas = np.zeros((oh, ow), np.uint8)
        dx1 = int(round(max(0.0, -cx0))); dx2 = int(round(min(ow, w0 * sc - cx0)))
        dy1 = int(round(max(0.0, -cy0))); dy2 = int(round(min(oh, h0 * sc - cy0)))
        if dx2 - dx1 >= 2 and dy2 - dy1 >= 2:
            box = (min(max((cx0 + dx1) / sc, 0), w0), min(max((cy0 + dy1) / sc, 0), h0),
                   min(max((cx0 + dx2) / sc, 0), w0), min(max((cy0 + dy2) / sc, 0), h0))
            # BOX only when shrinking (it would be nearest-neighbour when enlarging)
            resample = Image.BOX if sc < 1 and rng.random() < 0.3 else Image.BILINEAR
            pil = Image.fromarray(img).resize((dx2 - dx1, dy2 - dy1), resample, box=box,
                                              reducing_gap=3.0 if sc < 0.34 else None)
            if rng.random() < 0.2:
                pil = pil.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.4)))
            canvas[dy1:dy2, dx1:dx2] = self._photometric(rng, np.asarray(pil))
        f = self._transform(faces, sc, cx0, cy0)
        g = self._transform(ignores, sc, cx0, cy0)
        # faces mostly outside the crop or too small to learn become ignore regions
        if len(f):
            fx = self._clip(f)
            vis = (fx[:, 2] * fx[:, 3]) / np.maximum(f[:, 2] * f[:, 3], 1e-6)
            keep = (vis >= self.min_visible) & (f[:, 2] >= self.min_width)
            part = ~keep & (fx[:, 2] > 1) & (fx[:, 3] > 1)
            g = np.concatenate([self._clip(g), fx[part]]) if len(g) else fx[part]
            f = fx[keep]
        else:
            g = self._clip(g)
        g = g[(g[:, 2] > 1) & (g[:, 3] > 1)] if len(g) else g.reshape(0, 4)
        if rng.random() < 0.5:
            canvas = canvas[:, ::-1].copy()
            for b in (f, g):
                if len(b):
                    b[:, 0] = ow - b[:, 0] - b[:, 2]
        return canvas, f.astype(np.float32).reshape(-1, 4), g.astype(np.float32).reshape(-1, 4)

    def _transform(self, b, sc, cx0, cy0):
        if not len(b):
            return np.zeros((0, 4), np.float32)
        return np.stack([b[:, 0] * sc - cx0, b[:, 1] * sc - cy0, b[:, 2] * sc, b[:, 3] * sc], -1)

    def _clip(self, b):
        if not len(b):
            return np.zeros((0, 4), np.float32)
        x1 = np.clip(b[:, 0], 0, self.out_w); y1 = np.clip(b[:, 1], 0, self.out_h)
        x2 = np.clip(b[:, 0] + b[:, 2], 0, self.out_w); y2 = np.clip(b[:, 1] + b[:, 3], 0, self.out_h)
        return np.stack([x1, y1, x2 - x1, y2 - y1], -1)


def mosaic(quadrants, out_w, out_h):
    """Tile four (canvas, faces, ignores) samples of out_w/2 x out_h/2 into one
    out_w x out_h sample, quadrants in reading order. Mosaics put 4-8 small faces
    (the quadrant augmenter draws 8-48 px faces) and a second photo's background into
    one crop: crowds were otherwise almost never seen (1.4 faces per crop)."""
    hw, hh = out_w // 2, out_h // 2
    canvas = np.zeros((out_h, out_w), np.uint8)
    fs, gs = [], []
    for q, (img, f, g) in enumerate(quadrants):
        ox, oy = (q % 2) * hw, (q // 2) * hh
        canvas[oy:oy + hh, ox:ox + hw] = img
        off = np.asarray([ox, oy, 0, 0], np.float32)
        fs.append(f.reshape(-1, 4) + off)
        gs.append(g.reshape(-1, 4) + off)
    return canvas, np.concatenate(fs), np.concatenate(gs)
