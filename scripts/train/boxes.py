"""Anchors, box encoding/decoding and NMS (NETWORK.md section 6).

Boxes are (x, y, w, h) top-left based unless a name says `cxcywh`.
"""
import numpy as np
import torch

VARIANCES = (0.1, 0.2)


def anchors_for(heads, fmap_sizes):
    """Anchors as float32 [N, 4] (cx, cy, w, h), heads in order, each in (y, x, a) order.

    heads: list of dicts with `step` and `sizes`; fmap_sizes: list of (Hf, Wf).
    """
    out = []
    for head, (hf, wf) in zip(heads, fmap_sizes):
        step, sizes = head["step"], head["sizes"]
        ys, xs, ss = np.meshgrid(np.arange(hf), np.arange(wf), np.asarray(sizes, dtype=np.float64),
                                 indexing="ij")
        a = np.stack([(xs + 0.5) * step, (ys + 0.5) * step, ss, ss], -1).reshape(-1, 4)
        out.append(a)
    return np.concatenate(out).astype(np.float32)


def encode(gt_xywh: np.ndarray, anchors: np.ndarray, var=VARIANCES) -> np.ndarray:
    """Regression targets (dx, dy, dw, dh) of gt boxes against matched anchors."""
    gcx = gt_xywh[:, 0] + gt_xywh[:, 2] / 2
    gcy = gt_xywh[:, 1] + gt_xywh[:, 3] / 2
    return np.stack([
        (gcx - anchors[:, 0]) / (var[0] * anchors[:, 2]),
        (gcy - anchors[:, 1]) / (var[0] * anchors[:, 3]),
        np.log(np.maximum(gt_xywh[:, 2], 1e-3) / anchors[:, 2]) / var[1],
        np.log(np.maximum(gt_xywh[:, 3], 1e-3) / anchors[:, 3]) / var[1],
    ], -1).astype(np.float32)


def decode(loc, anchors, var=VARIANCES):
    """Inverse of encode; works on numpy arrays or torch tensors. Returns (x, y, w, h)."""
    lib = torch if isinstance(loc, torch.Tensor) else np
    cx = anchors[..., 0] + loc[..., 0] * var[0] * anchors[..., 2]
    cy = anchors[..., 1] + loc[..., 1] * var[0] * anchors[..., 3]
    w = anchors[..., 2] * lib.exp(loc[..., 2] * var[1])
    h = anchors[..., 3] * lib.exp(loc[..., 3] * var[1])
    return lib.stack([cx - w / 2, cy - h / 2, w, h], -1)


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of (x, y, w, h) boxes a [N] x b [M] with continuous areas (no +1)."""
    ax2, ay2 = a[:, 0] + a[:, 2], a[:, 1] + a[:, 3]
    bx2, by2 = b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    iw = np.clip(np.minimum(ax2[:, None], bx2[None]) - np.maximum(a[:, 0][:, None], b[:, 0][None]), 0, None)
    ih = np.clip(np.minimum(ay2[:, None], by2[None]) - np.maximum(a[:, 1][:, None], b[:, 1][None]), 0, None)
    inter = iw * ih
    union = (a[:, 2] * a[:, 3])[:, None] + (b[:, 2] * b[:, 3])[None] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)


def cxcywh_to_xywh(a: np.ndarray) -> np.ndarray:
    return np.stack([a[:, 0] - a[:, 2] / 2, a[:, 1] - a[:, 3] / 2, a[:, 2], a[:, 3]], -1)


def overlap_of_smaller(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over the smaller box's area, (x, y, w, h) boxes a [N] x b [M]:
    1 when one box lies inside the other, whatever their IoU."""
    ax2, ay2 = a[:, 0] + a[:, 2], a[:, 1] + a[:, 3]
    bx2, by2 = b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    iw = np.clip(np.minimum(ax2[:, None], bx2[None]) - np.maximum(a[:, 0][:, None], b[:, 0][None]), 0, None)
    ih = np.clip(np.minimum(ay2[:, None], by2[None]) - np.maximum(a[:, 1][:, None], b[:, 1][None]), 0, None)
    smaller = np.minimum((a[:, 2] * a[:, 3])[:, None], (b[:, 2] * b[:, 3])[None])
    return np.where(smaller > 0, iw * ih / np.maximum(smaller, 1e-12), 0.0)


def nms(boxes: np.ndarray, scores: np.ndarray, iou_thr: float, top_k: int, max_det: int,
        nested: float | None = None):
    """Greedy NMS per NETWORK.md section 6. Returns kept indices, best first.

    Sort by score descending with ties broken by lower index (stable sort of -score),
    keep top_k candidates, drop a box whose IoU with a kept box is > iou_thr or, when
    `nested` is set, whose intersection covers more than `nested` of the smaller box's
    area (a face box inside a face-and-collar box has a low IoU but is a duplicate).
    """
    order = np.argsort(-scores, kind="stable")[:top_k]
    keep = []
    for i in order:
        if keep:
            kb = boxes[np.asarray(keep)]
            if iou_matrix(boxes[i:i + 1], kb).max() > iou_thr:
                continue
            if nested is not None and overlap_of_smaller(boxes[i:i + 1], kb).max() > nested:
                continue
        keep.append(int(i))
        if len(keep) >= max_det:
            break
    return np.asarray(keep, dtype=np.int64)


def box_vote(boxes: np.ndarray, scores: np.ndarray, kept: np.ndarray, top_k: int, vote: float) -> np.ndarray:
    """Box voting of NETWORK.md section 6: each kept box's corners become the
    score-weighted mean (float64) of the corners of every candidate among the `top_k`
    best (itself included) whose IoU with it is at least `vote`; scores stay. Returns the
    kept boxes' new (x, y, w, h) as float32."""
    order = np.argsort(-scores, kind="stable")[:top_k]
    cb, cs = boxes[order], scores[order].astype(np.float64)
    d = cb.astype(np.float64)
    corners = np.stack([d[:, 0], d[:, 1], d[:, 0] + d[:, 2], d[:, 1] + d[:, 3]], 1)
    out = np.empty((len(kept), 4), dtype=np.float32)
    iou = iou_matrix(boxes[kept], cb)
    for r in range(len(kept)):
        m = iou[r] >= vote
        w = cs[m]
        c = (corners[m] * w[:, None]).sum(0) / w.sum()
        out[r] = (c[0], c[1], c[2] - c[0], c[3] - c[1])
    return out


def postprocess(loc: np.ndarray, scores: np.ndarray, anchors: np.ndarray, threshold: float,
                nms_iou: float = 0.3, top_k: int = 750, max_det: int = 100,
                var=VARIANCES, nested: float | None = None, vote: float | None = None) -> np.ndarray:
    """Decode, threshold, NMS (and box voting when `vote` is set). Returns [K, 5]
    (x, y, w, h, score) in network pixels."""
    cand = np.nonzero(scores >= threshold)[0]  # ascending anchor index
    if cand.size == 0:
        return np.zeros((0, 5), dtype=np.float32)
    b = decode(loc[cand], anchors[cand], var)
    k = nms(b, scores[cand], nms_iou, top_k, max_det, nested)
    kb = b[k] if vote is None or len(k) == 0 else box_vote(b, scores[cand], k, top_k, vote)
    return np.concatenate([kb, scores[cand][k][:, None]], 1).astype(np.float32)
