"""ATSS anchor assignment (Zhang et al., CVPR 2020) with ignore regions.

Why not S3FD's fixed IoU threshold: an 8-12 px face overlaps a 12 px anchor at most
~0.4 IoU and few anchors at all, so with a fixed 0.35 threshold it got ~3 positives where
a 100 px face got ~37, and the classifier learned that small faces are rare. ATSS gives
every face the same kind of share: for each face it takes the `topk` anchors nearest its
centre on every anchor level (a level = one head and one anchor size), sets the face's
own IoU threshold to the mean + standard deviation of those candidates' IoUs, and keeps
the candidates above it whose centre lies inside the face.

ATSS alone still gives a 9 px face ~3 positives and a 100 px face ~15, so each positive
also gets a weight 1 / (its face's positive count): in the loss every face then weighs
the same, whatever its size (per-face normalisation).

labels: 1 = face, 0 = background, -1 = excluded (ignore regions), as matching.py.
"""
import numpy as np

from .boxes import encode, iou_matrix
from .matching import exclude_ignored


def anchor_levels(heads, fmap_sizes):
    """Level id per anchor, anchors in anchors_for order (head, y, x, a)."""
    out, base = [], 0
    for head, (hf, wf) in zip(heads, fmap_sizes):
        a = len(head["sizes"])
        out.append(np.tile(np.arange(a), hf * wf) + base)
        base += a
    return np.concatenate(out).astype(np.int64)


def atss_match(anchors, levels, faces, ignores, topk=9, ign_iou=0.4):
    """anchors [N, 4] (cx, cy, w, h); levels [N]; faces, ignores [n, 4] (x, y, w, h).
    Returns (labels int8 [N], loc targets float32 [N, 4], positive weights float32 [N])."""
    n = len(anchors)
    labels = np.zeros(n, np.int8)
    loc_t = np.zeros((n, 4), np.float32)
    pos_w = np.zeros(n, np.float32)
    axywh = np.stack([anchors[:, 0] - anchors[:, 2] / 2, anchors[:, 1] - anchors[:, 3] / 2,
                      anchors[:, 2], anchors[:, 3]], -1)
    if len(faces):
        iou = iou_matrix(faces, axywh)                                   # [F, N]
        gcx = faces[:, 0] + faces[:, 2] / 2
        gcy = faces[:, 1] + faces[:, 3] / 2
        dist = np.hypot(anchors[None, :, 0] - gcx[:, None], anchors[None, :, 1] - gcy[:, None])
        cand = np.zeros_like(iou, bool)
        rows = np.arange(len(faces))[:, None]
        for lv in np.unique(levels):
            idx = np.nonzero(levels == lv)[0]
            k = min(topk, len(idx))
            near = np.argpartition(dist[:, idx], k - 1, axis=1)[:, :k]
            cand[rows, idx[near]] = True
        ci = np.where(cand, iou, np.nan)
        thr = np.nanmean(ci, 1) + np.nanstd(ci, 1)
        inside = ((anchors[None, :, 0] > faces[:, 0:1]) & (anchors[None, :, 0] < faces[:, 0:1] + faces[:, 2:3]) &
                  (anchors[None, :, 1] > faces[:, 1:2]) & (anchors[None, :, 1] < faces[:, 1:2] + faces[:, 3:4]))
        pos_fn = cand & (iou >= thr[:, None]) & inside & (iou > 0)
        # A face left without a positive (tiny, between anchor centres) keeps its best anchor.
        for f in np.nonzero(~pos_fn.any(1))[0]:
            a = int(iou[f].argmax())
            if iou[f, a] > 0:
                pos_fn[f, a] = True
        pos = pos_fn.any(0)
        best = np.where(pos_fn, iou, -1.0).argmax(0)                     # highest-IoU face wins
        labels[pos] = 1
        loc_t[pos] = encode(faces[best[pos]], anchors[pos])
        counts = np.bincount(best[pos], minlength=len(faces))
        pos_w[pos] = 1.0 / counts[best[pos]]
    exclude_ignored(labels, anchors, axywh, ignores, ign_iou)
    return labels, loc_t, pos_w
