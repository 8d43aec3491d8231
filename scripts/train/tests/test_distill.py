import copy

import torch

from scripts.train.distill import distill_loss, freeze_all_but_rnnpool
from scripts.train.model import DEFAULT_ARCH, Detector
from scripts.train.prune import pruned_state_dict


def _teacher():
    torch.manual_seed(0)
    return Detector(copy.deepcopy(DEFAULT_ARCH)).eval()


def _student(teacher, hidden1=8):
    arch = copy.deepcopy(DEFAULT_ARCH)
    arch["rnnpool"]["hidden1"] = hidden1
    keep = torch.arange(hidden1)
    drop = torch.arange(hidden1, 16)
    s = Detector(arch)
    s.load_state_dict(pruned_state_dict(teacher.state_dict(), keep, drop, torch.zeros(16)))
    return s


def _batch():
    torch.manual_seed(1)
    return torch.rand(2, 1, 64, 96) * 2 - 1


def test_a_student_that_is_its_teacher_has_nothing_to_learn():
    t = _teacher()
    loss, pool, block = distill_loss(t, copy.deepcopy(t), _batch())
    # (the training path's tanh is 2 sigmoid(2v) - 1: the same function to rounding)
    assert float(loss) < 1e-10 and float(pool) < 1e-10 and float(block) < 1e-10


def test_steps_bring_the_rnnpool_closer_and_leave_the_rest_as_the_teachers():
    t = _teacher()
    s = _student(t)
    params = freeze_all_but_rnnpool(s)
    assert {id(p) for p in params} == {id(p) for p in s.rnnpool.parameters()}
    before = {k: v.clone() for k, v in s.state_dict().items()}
    opt = torch.optim.Adam(params, lr=3e-3)
    x = _batch()
    first = float(distill_loss(t, s, x)[0])
    for _ in range(30):
        loss = distill_loss(t, s, x)[0]
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert float(distill_loss(t, s, x)[0]) < 0.7 * first
    after = s.state_dict()
    assert any(not torch.equal(after[k], before[k]) for k in after if k.startswith("rnnpool."))
    for k in after:
        if not k.startswith("rnnpool."):
            assert torch.equal(after[k], before[k]), k    # BatchNorm statistics included


def test_the_distilled_checkpoint_is_one_train_py_continues():
    from scripts.train.distill import student_checkpoint
    from scripts.train.train import make_optimizer
    t = _teacher()
    s = _student(t)
    start = {"state": {"step": 7, "images": 224}, "args": {"lr": 1e-3, "wd": 0.01}}
    ck = student_checkpoint(s, start)
    again = Detector(ck["arch"])
    again.load_state_dict(ck["model"])
    again.load_state_dict(ck["ema"])
    make_optimizer(again, 5e-4, 0.01).load_state_dict(ck["opt"])   # what train.py --init does
    assert ck["arch"]["rnnpool"]["hidden1"] == 8 and ck["state"]["step"] == 7
