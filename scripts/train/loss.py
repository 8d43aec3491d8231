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
