import numpy as np
from PIL import Image

from scripts.train.letterbox import boxes_to_source, letterbox, letterbox_geometry, round_half_away


def letterbox_loops(src, ow=320, oh=240):
    """NETWORK.md section 1 written as literally as possible."""
    h0, w0 = src.shape
    s = min(ow / w0, oh / h0)
    dw, dh = max(1, round_half_away(w0 * s)), max(1, round_half_away(h0 * s))
    ox, oy = (ow - dw) // 2, (oh - dh) // 2
    dst = np.zeros((oh, ow), np.uint8)
    if dw > w0 or dh > h0:
        def tap(i, n0, d):
            num = (2 * i + 1) * n0 - d          # centre - 1/2, in source pixels, times 2d
            if num <= 0:
                return 0, 0
            q, r = divmod(num, 2 * d)
            if q >= n0 - 1:
                return n0 - 1, 0
            return q, (r * (((1 << 24) + d) // (2 * d)) + 0x8000) >> 16
        for y in range(dh):
            j, fy = tap(y, h0, dh)
            for x in range(dw):
                i, fx = tap(x, w0, dw)
                p = lambda jj, ii: int(src[min(jj, h0 - 1), min(ii, w0 - 1)])
                top = (256 - fx) * p(j, i) + fx * p(j, i + 1)
                bottom = (256 - fx) * p(j + 1, i) + fx * p(j + 1, i + 1)
                dst[oy + y, ox + x] = ((256 - fy) * top + fy * bottom + 0x8000) >> 16
        return dst
    for y in range(dh):
        y0 = y * h0 // dh
        y1 = max((y + 1) * h0 // dh, y0 + 1)
        for x in range(dw):
            x0 = x * w0 // dw
            x1 = max((x + 1) * w0 // dw, x0 + 1)
            n = (y1 - y0) * (x1 - x0)
            dst[oy + y, ox + x] = (int(src[y0:y1, x0:x1].astype(np.int64).sum()) + n // 2) // n
    return dst


def test_letterbox_matches_literal_algorithm():
    rng = np.random.default_rng(1)
    for (w0, h0) in [(640, 480), (400, 360), (150, 100), (37, 211), (1, 1), (333, 17), (320, 240), (1000, 3)]:
        src = rng.integers(0, 256, (h0, w0), dtype=np.uint8)
        np.testing.assert_array_equal(letterbox(src), letterbox_loops(src), err_msg=f"{w0}x{h0}")


def test_enlarging_is_bilinear_like_training():
    # Training enlarges its photos with PIL's bilinear filter; the letterbox's integer
    # interpolation stays within one grey level of it.
    rng = np.random.default_rng(2)
    for (w0, h0) in [(150, 100), (37, 211), (319, 239), (100, 75)]:
        src = rng.integers(0, 256, (h0, w0), dtype=np.uint8)
        dw, dh, ox, oy = letterbox_geometry(w0, h0)
        ours = letterbox(src)[oy:oy + dh, ox:ox + dw].astype(np.int64)
        pil = np.asarray(Image.fromarray(src).resize((dw, dh), Image.BILINEAR), np.int64)
        assert np.abs(ours - pil).max() <= 1, f"{w0}x{h0}"


def test_geometry_examples():
    assert letterbox_geometry(640, 480) == (320, 240, 0, 0)
    assert letterbox_geometry(512, 512) == (240, 240, 40, 0)
    assert letterbox_geometry(400, 360) == (267, 240, 26, 0)   # 266.67 rounds up
    assert letterbox_geometry(150, 100) == (320, 213, 0, 13)
    assert round_half_away(2.5) == 3 and round_half_away(-2.5) == -3


def test_boxes_back_to_source_and_clipped():
    # 512x512 source: dw = dh = 240, ox = 40
    b = np.array([[40.0, 0.0, 120.0, 60.0, 0.9], [0.0, 200.0, 60.0, 100.0, 0.8]])
    out = boxes_to_source(b, 512, 512)
    k = 512 / 240
    np.testing.assert_allclose(out[0], [0, 0, 120 * k, 60 * k, 0.9])
    # second box: clipped to 240 high in the frame, x starts in the bar -> clipped at 0
    np.testing.assert_allclose(out[1], [0, 200 * k, 20 * k, 40 * k, 0.8])
