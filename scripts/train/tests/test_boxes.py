import numpy as np
import torch

from scripts.train.boxes import anchors_for, box_vote, cxcywh_to_xywh, decode, encode, iou_matrix, nms, postprocess


def test_encode_decode_round_trip():
    rng = np.random.default_rng(0)
    anchors = np.stack([rng.uniform(0, 320, 50), rng.uniform(0, 240, 50),
                        rng.uniform(8, 200, 50), rng.uniform(8, 200, 50)], -1).astype(np.float32)
    gt = np.stack([rng.uniform(0, 300, 50), rng.uniform(0, 200, 50),
                   rng.uniform(5, 150, 50), rng.uniform(5, 150, 50)], -1).astype(np.float32)
    back = decode(encode(gt, anchors), anchors)
    np.testing.assert_allclose(back, gt, rtol=1e-4, atol=1e-3)
    # torch path gives the same numbers
    tb = decode(torch.from_numpy(encode(gt, anchors)), torch.from_numpy(anchors)).numpy()
    np.testing.assert_allclose(tb, back, rtol=1e-5, atol=1e-4)


def test_decode_matches_network_md_formula():
    a = np.array([[100.0, 50.0, 20.0, 20.0]])
    loc = np.array([[1.0, -2.0, 0.5, -0.5]])
    b = decode(loc, a)[0]
    cx, cy = 100 + 1 * 0.1 * 20, 50 - 2 * 0.1 * 20
    w, h = 20 * np.exp(0.5 * 0.2), 20 * np.exp(-0.5 * 0.2)
    np.testing.assert_allclose(b, [cx - w / 2, cy - h / 2, w, h], rtol=1e-12)


def test_anchor_order_y_x_a_and_heads_concatenated():
    heads = [{"step": 8, "sizes": [12, 20]}, {"step": 16, "sizes": [64]}]
    a = anchors_for(heads, [(2, 3), (1, 2)])
    assert a.shape == (2 * 3 * 2 + 1 * 2 * 1, 4)
    # first head: index = (y * W + x) * A + a
    assert a[0].tolist() == [4, 4, 12, 12]
    assert a[1].tolist() == [4, 4, 20, 20]
    assert a[2].tolist() == [12, 4, 12, 12]          # x advances before y
    assert a[(1 * 3 + 2) * 2 + 1].tolist() == [20, 12, 20, 20]
    assert a[12].tolist() == [8, 8, 64, 64]          # second head starts after the first
    assert a[13].tolist() == [24, 8, 64, 64]


def test_iou_continuous_areas():
    a = np.array([[0, 0, 10, 10]], float)
    b = np.array([[5, 0, 10, 10], [20, 20, 5, 5], [0, 0, 10, 10]], float)
    np.testing.assert_allclose(iou_matrix(a, b)[0], [50 / 150, 0, 1])


def test_nms_greedy_threshold_ties_and_limits():
    boxes = np.array([[0, 0, 10, 10], [1, 0, 10, 10], [50, 50, 10, 10], [0, 0, 10, 10], [100, 0, 5, 5]], float)
    scores = np.array([0.9, 0.8, 0.7, 0.9, 0.6])
    # 0 and 3 tie: lower index first; 3 and 1 overlap 0 -> dropped
    assert nms(boxes, scores, 0.3, 750, 100).tolist() == [0, 2, 4]
    assert nms(boxes, scores, 0.3, 750, 2).tolist() == [0, 2]
    assert nms(boxes, scores, 0.3, 2, 100).tolist() == [0]        # top_k before NMS
    # IoU exactly at the threshold is kept (only > drops)
    b2 = np.array([[0, 0, 10, 10], [0, 0, 10, 3]], float)   # IoU 0.3
    assert nms(b2, np.array([0.9, 0.8]), 0.3, 10, 10).tolist() == [0, 1]


def test_postprocess_threshold_inclusive():
    anchors = np.array([[10, 10, 10, 10], [100, 100, 10, 10]], np.float32)
    loc = np.zeros((2, 4), np.float32)
    out = postprocess(loc, np.array([0.5, 0.49], np.float32), anchors, 0.5)
    assert out.shape == (1, 5)
    np.testing.assert_allclose(out[0], [5, 5, 10, 10, 0.5])
    assert cxcywh_to_xywh(anchors)[1].tolist() == [95, 95, 10, 10]


def test_box_vote_averages_neighbours_by_score():
    # The Swift test's case (PostProcessTests): the 0.6 neighbour (IoU 2/3) votes, the
    # 0.3 one (IoU 3/7: dropped by NMS) does not; the separate box keeps its corners.
    b = np.array([[0, 0, 10, 10], [2, 0, 10, 10], [4, 0, 10, 10], [40, 40, 8, 8]], np.float32)
    s = np.array([0.9, 0.6, 0.3, 0.5], np.float32)
    kept = nms(b, s, 0.3, 750, 100)
    assert kept.tolist() == [0, 3]
    v = box_vote(b, s, kept, 750, 0.5)
    np.testing.assert_allclose(v[0], [0.8, 0, 10, 10], atol=1e-6)
    np.testing.assert_array_equal(v[1], [40, 40, 8, 8])
    np.testing.assert_array_equal(box_vote(b, s, kept, 750, 0.7)[0], [0, 0, 10, 10])
