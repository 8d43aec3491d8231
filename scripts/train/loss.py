"""Multibox loss: smooth L1 on positives + cross-entropy with 3:1 hard negative mining."""
import torch
import torch.nn.functional as F


def multibox_loss(loc_p, logits, loc_t, labels, neg_ratio=3, min_neg=16):
    """loc_p, loc_t: [B, N, 4]; logits: [B, N, 2] (background, face); labels: [B, N]
    int (1 face, 0 background, -1 excluded). Returns (loc_loss, conf_loss, num_pos),
    both losses normalised by the number of positives in the batch."""
    pos = labels == 1
    npos = pos.sum(1)
    norm = max(int(npos.sum()), 1)
    loc_loss = F.smooth_l1_loss(loc_p[pos], loc_t[pos], reduction="sum") / norm
    ce = F.cross_entropy(logits.reshape(-1, 2), pos.reshape(-1).long(),
                         reduction="none").view(labels.shape)
    # Hard negatives: the highest-loss background anchors, neg_ratio per positive
    # (at least min_neg per image so face-free photos still teach background).
    with torch.no_grad():
        neg_loss = ce.detach().clone()
        neg_loss[labels != 0] = -1.0
        order = neg_loss.argsort(1, descending=True)
        rank = order.argsort(1)
        num_neg = torch.clamp(neg_ratio * npos, min=min_neg)
        num_neg = torch.minimum(num_neg, (labels == 0).sum(1))
        neg = rank < num_neg[:, None]
    conf_loss = ce[pos | neg].sum() / norm
    return loc_loss, conf_loss, int(npos.sum())


def paired_iou(pred_xywh, gt_xywh):
    """IoU of each predicted box with the face box in the same row (x, y, w, h)."""
    px2, py2 = pred_xywh[:, 0] + pred_xywh[:, 2], pred_xywh[:, 1] + pred_xywh[:, 3]
    gx2, gy2 = gt_xywh[:, 0] + gt_xywh[:, 2], gt_xywh[:, 1] + gt_xywh[:, 3]
    iw = (torch.minimum(px2, gx2) - torch.maximum(pred_xywh[:, 0], gt_xywh[:, 0])).clamp(min=0)
    ih = (torch.minimum(py2, gy2) - torch.maximum(pred_xywh[:, 1], gt_xywh[:, 1])).clamp(min=0)
    inter = iw * ih
    union = pred_xywh[:, 2] * pred_xywh[:, 3] + gt_xywh[:, 2] * gt_xywh[:, 3] - inter
    return inter / union.clamp(min=1e-6)


def diou_loss(pred_xywh, gt_xywh):
    """1 - IoU + (centre distance / enclosing diagonal)^2 (Zheng et al., AAAI 2020),
    per box. Scale-free, so a 10 px face's box error weighs what a 100 px face's does."""
    px2, py2 = pred_xywh[:, 0] + pred_xywh[:, 2], pred_xywh[:, 1] + pred_xywh[:, 3]
    gx2, gy2 = gt_xywh[:, 0] + gt_xywh[:, 2], gt_xywh[:, 1] + gt_xywh[:, 3]
    iou = paired_iou(pred_xywh, gt_xywh)
    cw = torch.maximum(px2, gx2) - torch.minimum(pred_xywh[:, 0], gt_xywh[:, 0])
    ch = torch.maximum(py2, gy2) - torch.minimum(pred_xywh[:, 1], gt_xywh[:, 1])
    d2 = ((pred_xywh[:, 0] + pred_xywh[:, 2] / 2 - gt_xywh[:, 0] - gt_xywh[:, 2] / 2) ** 2 +
          (pred_xywh[:, 1] + pred_xywh[:, 3] / 2 - gt_xywh[:, 1] - gt_xywh[:, 3] / 2) ** 2)
    return 1 - iou + d2 / (cw ** 2 + ch ** 2).clamp(min=1e-6)


def decoded_at(loc_p, loc_t, anchors, sel):
    """The predicted and the target boxes (x, y, w, h) of the anchors where sel [B, N] is
    true: loc_p, loc_t [B, N, 4] decoded against anchors [N, 4]."""
    from .boxes import decode
    anc = anchors.unsqueeze(0).expand_as(loc_p)[sel]
    return decode(loc_p[sel], anc), decode(loc_t[sel], anc)


def focal_diou_loss(loc_p, logits, loc_t, labels, anchors, pos_w=None, alpha=0.25, gamma=2.0, box_weight=2.0,
                    quality=False):
    """Focal loss (Lin et al., ICCV 2017) on the face-vs-background log-odds over every
    anchor that is not excluded, plus DIoU on the decoded boxes of positives; both
    normalised by the number of positives. No hard-negative mining: the focal term
    down-weights easy backgrounds itself, so hard ones (speaker cones, wheels) count.
    anchors: [N, 4] (cx, cy, w, h) tensor on the same device. pos_w [B, N]: per-positive
    weights (assign.py: 1 / positives of its face); scaled so the positives' total weight
    stays their count, every face then carries the same share."""
    pos = labels == 1
    valid = labels >= 0
    norm = max(int(pos.sum()), 1)
    if pos_w is None:
        w = pos.float()
    else:
        w = pos_w * (norm / pos_w.sum().clamp(min=1e-6))
    x = logits[..., 1] - logits[..., 0]          # = logit of the two-class softmax's face score
    t = pos.float()
    if pos.any():
        pred_box, face_box = decoded_at(loc_p, loc_t, anchors, pos)
        loc_loss = box_weight * (w[pos] * diou_loss(pred_box, face_box)).sum() / norm
        if quality:
            # Quality focal loss (Li et al., "Generalized Focal Loss", NeurIPS 2020): a
            # positive's score target is the IoU its own box reaches, so a loose box
            # scores below a tight one and NMS keeps the tight one.
            t = t.clone()
            t[pos] = paired_iou(pred_box.detach(), face_box).clamp(min=0.0)
    else:
        loc_loss = loc_p.sum() * 0
    ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    p = torch.sigmoid(x)
    if quality:
        fl = (p - t).abs() ** gamma * ce
    else:
        p_t = p * t + (1 - p) * (1 - t)
        a_t = alpha * t + (1 - alpha) * (1 - t)
        fl = a_t * (1 - p_t) ** gamma * ce
    conf_loss = ((fl * w)[pos].sum() + fl[valid & ~pos].sum()) / norm
    return loc_loss, conf_loss, int(pos.sum())


def teacher_loss(loc_p, logits, t_loc, t_logits, labels, anchors, gamma=2.0, box_from=0.3, box_weight=2.0):
    """Dense knowledge distillation from a trained detector's outputs (issue 22: a lighter
    network learning from the shipped one). At every anchor that is not excluded, the
    student's face probability is pulled to the teacher's (cross-entropy against the
    teacher's soft score, weighted by |p - p_teacher|^gamma as in quality focal loss, so
    anchors where they already agree cost nothing); wherever the teacher sees a face
    (probability above box_from), the student's box is pulled to the teacher's by DIoU,
    weighted by that probability. The teacher's scores carry what the labels alone do
    not: how face-like each small, blurred or partial face looks at every anchor around
    it. Normalised by the labels' positives, as focal_diou_loss is, so the two add.
    Returns (box_loss, score_loss)."""
    valid = labels >= 0
    norm = max(int((labels == 1).sum()), 1)
    x = logits[..., 1] - logits[..., 0]
    p_t = torch.sigmoid(t_logits[..., 1] - t_logits[..., 0])
    ce = F.binary_cross_entropy_with_logits(x, p_t, reduction="none")
    score_loss = ((torch.sigmoid(x) - p_t).abs() ** gamma * ce)[valid].sum() / norm
    seen = valid & (p_t > box_from)
    if seen.any():
        d = diou_loss(*decoded_at(loc_p, t_loc, anchors, seen))
        box_loss = box_weight * (p_t[seen] * d).sum() / norm
    else:
        box_loss = loc_p.sum() * 0
    return box_loss, score_loss
