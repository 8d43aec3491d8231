import copy

import pytest
import torch

from scripts.train.model import DEFAULT_ARCH, Detector
from scripts.train.train import load_teacher, train_anchors


def _saved(tmp_path, arch):
    m = Detector(arch)
    path = tmp_path / "teacher.pt"
    torch.save({"arch": arch, "model": m.state_dict(), "ema": m.state_dict()}, path)
    return str(path)


def test_a_teacher_with_another_rnnpool_teaches_frozen(tmp_path):
    teacher_arch = copy.deepcopy(DEFAULT_ARCH)
    student_arch = copy.deepcopy(DEFAULT_ARCH)
    student_arch["rnnpool"]["hidden1"] = 8
    anchors, _ = train_anchors(student_arch, 96, 64)
    t = load_teacher(_saved(tmp_path, teacher_arch), student_arch, (64, 96), len(anchors), "cpu")
    assert not t.training and not any(p.requires_grad for p in t.parameters())


def test_a_teacher_with_other_heads_is_refused(tmp_path):
    teacher_arch = copy.deepcopy(DEFAULT_ARCH)
    teacher_arch["heads"] = teacher_arch["heads"][:-1]
    anchors, _ = train_anchors(DEFAULT_ARCH, 96, 64)
    with pytest.raises(SystemExit, match="same heads"):
        load_teacher(_saved(tmp_path, teacher_arch), DEFAULT_ARCH, (64, 96), len(anchors), "cpu")
