import torch

from scripts.train.loss import focal_diou_loss, teacher_loss


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


def _teacher_case(s_logit, t_logit, s_dx=0.0, label=1):
    """One anchor (a 32 px square at 16,16): the student's face logit and box shift
    (encoded, variance 0.1) against a teacher's at the anchor itself. Returns the two
    losses and the gradients on the student's face logit and box shift."""
    anchors = torch.tensor([[16.0, 16.0, 32.0, 32.0]])
    loc_p = torch.tensor([[[s_dx, 0.0, 0.0, 0.0]]], requires_grad=True)
    logits = torch.tensor([[[0.0, s_logit]]], requires_grad=True)
    t_loc = torch.zeros(1, 1, 4)
    t_logits = torch.tensor([[[0.0, t_logit]]])
    labels = torch.full((1, 1), label, dtype=torch.long)
    box, score = teacher_loss(loc_p, logits, t_loc, t_logits, labels, anchors)
    (box + score).backward()
    return box.item(), score.item(), logits.grad[0, 0, 1].item(), loc_p.grad[0, 0, 0].item()


def test_a_student_that_gives_the_teachers_outputs_has_nothing_to_learn():
    box, score, g_logit, g_box = _teacher_case(1.5, 1.5)
    assert box == 0.0 and abs(score) < 1e-12 and abs(g_logit) < 1e-9 and abs(g_box) < 1e-6


def test_the_students_score_is_pulled_to_the_teachers_from_either_side():
    assert _teacher_case(-2.0, 1.0)[2] < 0      # too low: loss falls as the logit rises
    assert _teacher_case(3.0, 1.0)[2] > 0       # too high: it falls as the logit falls
    # Also at background anchors (label 0): the teacher's soft score is the target there too.
    assert _teacher_case(-2.0, 1.0, label=0)[2] < 0


def test_the_box_is_pulled_only_where_the_teacher_sees_a_face():
    box, _, _, g_box = _teacher_case(1.0, 2.0, s_dx=3.0)       # teacher p = 0.88
    assert box > 0 and g_box > 0                                # shifted right: pulled back left
    box, _, _, g_box = _teacher_case(1.0, -3.0, s_dx=3.0)      # teacher p = 0.05: no face there
    assert box == 0.0 and g_box == 0.0


def test_excluded_anchors_teach_nothing():
    box, score, g_logit, g_box = _teacher_case(-2.0, 2.0, s_dx=3.0, label=-1)
    assert box == 0.0 and score == 0.0 and g_logit == 0.0 and g_box == 0.0
