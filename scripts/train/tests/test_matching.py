import numpy as np

from scripts.train.boxes import decode
from scripts.train.matching import match


def grid_anchors():
    ys, xs = np.mgrid[0:10, 0:10]
    return np.stack([(xs.ravel() + 0.5) * 16, (ys.ravel() + 0.5) * 16,
                     np.full(100, 24.0), np.full(100, 24.0)], -1).astype(np.float32)


def test_positive_targets_decode_to_the_face():
    a = grid_anchors()
    face = np.array([[30, 30, 22, 28]], np.float32)
    labels, loc = match(a, face, np.zeros((0, 4), np.float32))
    pos = labels == 1
    assert pos.sum() >= 1
    np.testing.assert_allclose(decode(loc[pos], a[pos]), np.repeat(face, pos.sum(), 0), atol=1e-3)


def test_tiny_face_still_gets_its_best_anchor():
    a = grid_anchors()
    face = np.array([[70, 70, 6, 7]], np.float32)       # IoU with 24 px anchors < 0.35
    labels, _ = match(a, face, np.zeros((0, 4), np.float32))
    assert labels.sum() >= 1
    best = np.argmin(np.abs(a[:, 0] - 73) + np.abs(a[:, 1] - 73.5))
    assert labels[best] == 1


def test_ignore_regions_are_excluded_not_negative():
    a = grid_anchors()
    ign = np.array([[0, 0, 40, 40]], np.float32)        # big ignore region in the corner
    labels, _ = match(a, np.zeros((0, 4), np.float32), ign)
    inside = (a[:, 0] <= 40) & (a[:, 1] <= 40)          # anchor centres inside
    assert (labels[inside] == -1).all()
    assert (labels[~inside & (a[:, 0] > 80)] == 0).all()
    # an ignore box overlapping a face does not steal the face's positive anchor
    face = np.array([[2, 2, 24, 24]], np.float32)
    labels, _ = match(a, face, ign)
    assert labels[0] == 1


def test_ignore_by_iou_without_centre_inside():
    a = np.array([[50, 50, 24, 24]], np.float32)
    ign = np.array([[39, 39, 20, 20]], np.float32)      # anchor centre inside, IoU 0.69
    labels, _ = match(a, np.zeros((0, 4), np.float32), ign)
    assert labels[0] == -1
    ign2 = np.array([[38.5, 38, 11.4, 24]], np.float32)  # anchor centre (50,50) outside, IoU 0.475
    labels, _ = match(a, np.zeros((0, 4), np.float32), ign2)
    assert labels[0] == -1
    ign3 = np.array([[10, 10, 12, 12]], np.float32)     # far away
    labels, _ = match(a, np.zeros((0, 4), np.float32), ign3)
    assert labels[0] == 0
