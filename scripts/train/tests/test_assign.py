"""ATSS assignment: every face gets positives, small faces about as many as large ones."""
import numpy as np

from scripts.train.assign import atss_match
from scripts.train.model import DEFAULT_ARCH
from scripts.train.train import train_anchors


def _positives(faces, ignores=np.zeros((0, 4), np.float32)):
    anchors, levels = train_anchors(DEFAULT_ARCH, 256, 192)
    labels, loc_t, pos_w = atss_match(anchors, levels, np.asarray(faces, np.float32), ignores)
    return labels, loc_t, anchors, pos_w


def test_every_face_size_gets_positives_and_the_same_total_weight():
    for s in (9, 12, 16, 24, 48, 64, 100, 150):
        labels, _, _, pos_w = _positives([[100 if s < 60 else 60, 80 if s < 60 else 20, s, s * 1.3]])
        assert 3 <= (labels == 1).sum() <= 25, s
        assert abs(pos_w.sum() - 1.0) < 1e-5 and (pos_w[labels != 1] == 0).all()


def test_two_faces_each_weigh_one():
    labels, _, _, pos_w = _positives([[20, 20, 10, 13], [120, 40, 90, 117]])
    assert abs(pos_w.sum() - 2.0) < 1e-5


def test_targets_decode_back_to_the_face():
    from scripts.train.boxes import decode
    face = np.asarray([[50.3, 61.7, 20.5, 27.0]], np.float32)
    labels, loc_t, anchors, _ = _positives(face)
    pos = labels == 1
    assert pos.any()
    np.testing.assert_allclose(decode(loc_t[pos], anchors[pos]), np.repeat(face, pos.sum(), 0), atol=1e-3)


def test_ignore_region_excludes_background_not_positives():
    labels, _, anchors, _ = _positives([[20, 20, 40, 50]], np.asarray([[150, 100, 60, 60]], np.float32))
    cx, cy = anchors[:, 0], anchors[:, 1]
    inside = (cx >= 150) & (cx <= 210) & (cy >= 100) & (cy <= 160)
    assert (labels[inside] == -1).all()
    assert (labels == 1).any()


def test_face_free_crop_is_all_background():
    labels, _, _, _ = _positives(np.zeros((0, 4), np.float32))
    assert (labels == 0).all()
