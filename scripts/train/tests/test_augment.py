import numpy as np

from scripts.train.augment import Augmenter


def _face_width(aug, seed=0):
    img = np.full((300, 400), 128, np.uint8)
    faces = np.asarray([[180.0, 130.0, 40.0, 40.0]], np.float32)
    _, f, _ = aug(np.random.default_rng(seed), img, faces, np.zeros((0, 4), np.float32))
    return float(f[0, 2])


def test_letterbox_crops_use_the_320x240_scale_by_default():
    aug = Augmenter(256, 192, p_anchor=0.0, zoom=(1.0, 1.0))
    assert abs(_face_width(aug) - 40.0 * 0.8) < 1e-3      # 400x300 -> 320x240


def test_share_640_shows_photos_at_their_own_size():
    aug = Augmenter(256, 192, p_anchor=0.0, zoom=(1.0, 1.0), share_640=1.0)
    assert abs(_face_width(aug) - 40.0) < 1e-3            # 640x480 never enlarges


def test_min_face_sets_the_smallest_anchor_sampled_width():
    aug = Augmenter(256, 192, p_anchor=1.0, min_face=7.0, max_face=7.0)
    assert abs(_face_width(aug, seed=3) - 7.0) < 1e-3
