import torch

from scripts.train.loss import focal_diou_loss


def _one_positive(pred_dx, logit):
    """One anchor (a 32 px square at 16,16), its face the same square; the prediction is
    shifted by pred_dx (encoded, variance 0.1): returns the quality-focal score loss's
    gradient on the face logit."""
    anchors = torch.tensor([[16.0, 16.0, 32.0, 32.0]])
    loc_t = torch.zeros(1, 1, 4)
    loc_p = torch.tensor([[[pred_dx, 0.0, 0.0, 0.0]]])
    logits = torch.tensor([[[0.0, logit]]], requires_grad=True)
    labels = torch.ones(1, 1, dtype=torch.long)
    _, conf, _ = focal_diou_loss(loc_p, logits, loc_t, labels, anchors, quality=True)
    conf.backward()
    return logits.grad[0, 0, 1].item()


def test_quality_targets_are_the_boxes_iou():
    # A box shifted by half its width has IoU 1/3: a score of 0.9 is pushed down,
    # a score of 0.1 up; a perfect box's score is pushed up from 0.9.
    assert _one_positive(5.0, 2.2) > 0      # sigmoid(2.2) = 0.90 > 1/3: loss falls as the logit falls
    assert _one_positive(5.0, -2.2) < 0     # 0.10 < 1/3
    assert _one_positive(0.0, 2.2) < 0      # IoU 1: up


def test_quality_and_plain_focal_agree_on_negatives_up_to_alpha():
    anchors = torch.tensor([[16.0, 16.0, 32.0, 32.0]])
    z = torch.zeros(1, 1, 4)
    logits = torch.tensor([[[0.0, 1.0]]])
    labels = torch.zeros(1, 1, dtype=torch.long)
    _, q, _ = focal_diou_loss(z, logits, z, labels, anchors, quality=True)
    _, f, _ = focal_diou_loss(z, logits, z, labels, anchors)
    assert torch.isclose(q * 0.75, f), (q, f)   # no alpha in QFL; focal weighs negatives 0.75
