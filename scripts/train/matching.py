"""S3FD-style anchor matching with ignore regions.

labels: 1 = face, 0 = background (candidate for hard negative mining), -1 = excluded.
"""
import numpy as np

from .boxes import encode, iou_matrix


def match(anchors, faces, ignores, pos_iou=0.35, ign_iou=0.4, comp_iou=0.1, comp_n=3):
    """anchors: [N, 4] (cx, cy, w, h); faces, ignores: [n, 4] (x, y, w, h).

    1. an anchor is positive if its best IoU with a face is >= pos_iou;
    2. every face gets its best anchor (so tiny or odd-shaped faces are never lost);
    3. S3FD scale compensation: a face with fewer than comp_n anchors also takes its
       top comp_n anchors whose IoU is >= comp_iou;
    4. non-positive anchors that overlap an ignore region with IoU > ign_iou, or whose
       centre lies inside one, are excluded from the negatives.
    Returns (labels int8 [N], loc targets float32 [N, 4]).
    """
    n = len(anchors)
    labels = np.zeros(n, np.int8)
    loc_t = np.zeros((n, 4), np.float32)
    axywh = np.stack([anchors[:, 0] - anchors[:, 2] / 2, anchors[:, 1] - anchors[:, 3] / 2,
                      anchors[:, 2], anchors[:, 3]], -1)
    if len(faces):
        iou = iou_matrix(faces, axywh)                  # [F, N]
        best_face = iou.argmax(0)
        best_iou = iou.max(0)
        pos = best_iou >= pos_iou
        for f in range(len(faces)):
            row = iou[f]
            a = int(row.argmax())
            if row[a] > 0:
                pos[a] = True
                best_face[a] = f
            if (pos & (best_face == f)).sum() < comp_n:
                top = np.argsort(-row, kind="stable")[:comp_n]
                top = top[(row[top] >= comp_iou) & ~pos[top]]
                pos[top] = True
                best_face[top] = f
        labels[pos] = 1
        loc_t[pos] = encode(faces[best_face[pos]], anchors[pos])
    exclude_ignored(labels, anchors, axywh, ignores, ign_iou)
    return labels, loc_t


def exclude_ignored(labels, anchors, axywh, ignores, ign_iou):
    """Non-positive anchors that overlap an ignore region with IoU > ign_iou, or whose
    centre lies inside one, become -1 (neither face nor background); in place."""
    if not len(ignores):
        return
    excl = iou_matrix(ignores, axywh).max(0) > ign_iou
    cx, cy = anchors[:, 0], anchors[:, 1]
    inside = ((cx[None] >= ignores[:, 0:1]) & (cx[None] <= ignores[:, 0:1] + ignores[:, 2:3]) &
              (cy[None] >= ignores[:, 1:2]) & (cy[None] <= ignores[:, 1:2] + ignores[:, 3:4])).any(0)
    labels[(labels != 1) & (excl | inside)] = -1
