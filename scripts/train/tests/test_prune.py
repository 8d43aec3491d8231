import copy

import torch

from scripts.train.model import DEFAULT_ARCH, Detector
from scripts.train.prune import pruned_state_dict, unit_usefulness


def _model(seed=0):
    torch.manual_seed(seed)
    return Detector(copy.deepcopy(DEFAULT_ARCH)).eval()


def test_pruned_weights_are_the_kept_units_and_fit_the_smaller_architecture():
    big = _model()
    sd = big.state_dict()
    keep, drop = torch.tensor([1, 3, 4, 9]), torch.tensor([j for j in range(16) if j not in (1, 3, 4, 9)])
    mean = torch.rand(16)
    small_sd = pruned_state_dict(sd, keep, drop, mean)
    arch = copy.deepcopy(DEFAULT_ARCH)
    arch["rnnpool"]["hidden1"] = 4
    small = Detector(arch)
    small.load_state_dict(small_sd)          # every shape fits
    assert torch.equal(small_sd["rnnpool.rnn1.W"], sd["rnnpool.rnn1.W"][keep])
    assert torch.equal(small_sd["rnnpool.rnn1.U"], sd["rnnpool.rnn1.U"][keep][:, keep])
    assert torch.equal(small_sd["rnnpool.rnn2.W"], sd["rnnpool.rnn2.W"][:, keep])
    # RNN2 sees the dropped units' mean through its biases.
    shift = sd["rnnpool.rnn2.W"][:, drop] @ mean[drop]
    assert torch.allclose(small_sd["rnnpool.rnn2.bias_z"], sd["rnnpool.rnn2.bias_z"] + shift)
    assert torch.allclose(small_sd["rnnpool.rnn2.bias_h"], sd["rnnpool.rnn2.bias_h"] + shift)
    for k in sd:
        if not k.startswith("rnnpool."):
            assert torch.equal(small_sd[k], sd[k]), k


def test_a_unit_rnn2_ignores_is_the_least_useful():
    m = _model(1)
    with torch.no_grad():
        m.rnnpool.rnn2.W[:, 5] = 0
    frames = [torch.randint(0, 256, (240, 320), dtype=torch.uint8).numpy() for _ in range(2)]
    score, mean = unit_usefulness(m, frames)
    assert score.shape == (16,) and mean.shape == (16,)
    assert int(score.argmin()) == 5
