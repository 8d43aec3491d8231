import copy

import torch

from scripts.train.grow import grown_state_dict
from scripts.train.model import DEFAULT_ARCH, Detector


def test_a_grown_model_keeps_the_old_weights_and_the_later_heads_outputs():
    torch.manual_seed(0)
    narrow = Detector(DEFAULT_ARCH).eval()
    wide_arch = copy.deepcopy(DEFAULT_ARCH)
    for b in wide_arch["blocks"][:2]:
        b["out_channels"] = 48
    wide = Detector(wide_arch).eval()
    wide.load_state_dict(grown_state_dict(wide, narrow.state_dict()))
    old, new = narrow.state_dict(), wide.state_dict()
    for k, v in old.items():
        if v.dtype.is_floating_point:
            assert torch.equal(new[k][tuple(slice(0, s) for s in v.shape)], v), k
    # Block 2 onward see the new channels through zero weights: their outputs are the same.
    x = torch.randn(1, 1, 240, 320) * 0.5
    with torch.no_grad():
        a, b = narrow(x), wide(x)
    for (l1, c1), (l2, c2) in list(zip(a, b))[2:]:
        assert torch.allclose(l1, l2, atol=1e-5) and torch.allclose(c1, c2, atol=1e-5)


def test_growing_into_a_smaller_shape_is_refused():
    narrow_arch = copy.deepcopy(DEFAULT_ARCH)
    narrow_arch["blocks"][0]["out_channels"] = 16
    small = Detector(narrow_arch)
    try:
        grown_state_dict(small, Detector(DEFAULT_ARCH).state_dict())
    except ValueError as e:
        assert "cannot grow" in str(e)
    else:
        raise AssertionError("shrinking must be refused")


def test_the_strided_conv_twin_matches_rnnpools_output_shape_and_takes_the_shared_weights():
    from scripts.train.grow import transplanted_state_dict
    twin_arch = copy.deepcopy(DEFAULT_ARCH)
    twin_arch["rnnpool"]["replace_with"] = "strided-conv"
    torch.manual_seed(0)
    ours, twin = Detector(DEFAULT_ARCH).eval(), Detector(twin_arch).eval()
    for h, w in [(240, 320), (192, 256)]:
        x = torch.randn(2, 1, h, w)
        with torch.no_grad():
            a, b = ours.rnnpool(ours.stem(x)), twin.rnnpool(twin.stem(x))
        assert a.shape == b.shape, (h, w, a.shape, b.shape)
    state = transplanted_state_dict(twin, ours.state_dict())
    twin.load_state_dict(state)
    for k, v in ours.state_dict().items():
        if not k.startswith("rnnpool."):
            assert torch.equal(state[k], v), k
    assert not any(k.startswith("rnnpool.rnn") for k in state), "no RNN in the twin"


def test_wider_rnnpool_states_keep_the_narrow_networks_function():
    """h1 and h2 16 -> 24: RNNPool's four summaries move apart, and block 0 reads each
    old channel at its new place; the new hidden units are read with zero weight."""
    torch.manual_seed(0)
    narrow = Detector(DEFAULT_ARCH).eval()
    wide_arch = copy.deepcopy(DEFAULT_ARCH)
    wide_arch["rnnpool"]["hidden1"] = wide_arch["rnnpool"]["hidden2"] = 24
    wide = Detector(wide_arch).eval()
    wide.load_state_dict(grown_state_dict(wide, narrow.state_dict()))
    x = torch.rand(1, 1, 240, 320) * 2 - 1
    with torch.no_grad():
        a, b = narrow(x), wide(x)
    for (l1, c1), (l2, c2) in zip(a, b):
        assert torch.allclose(l1, l2, atol=1e-5) and torch.allclose(c1, c2, atol=1e-5)


def test_an_inserted_block_starts_as_an_identity():
    """One more stride-1 block at stride 16 (index 4), the stride-16 head reading it: the
    grown network computes the old one's outputs, the later block runs the old weights."""
    from scripts.train.grow import inserted_state_dict
    torch.manual_seed(0)
    old = Detector(DEFAULT_ARCH).eval()
    arch = copy.deepcopy(DEFAULT_ARCH)
    arch["blocks"].insert(4, copy.deepcopy(arch["blocks"][3]))
    for h in arch["heads"]:
        h["block"] = {3: 4, 4: 5}.get(h["block"], h["block"])
    new = Detector(arch).eval()
    new.load_state_dict(inserted_state_dict(new, old.state_dict(), 4))
    assert torch.equal(new.state_dict()["blocks.5.project.0.weight"], old.state_dict()["blocks.4.project.0.weight"])
    x = torch.rand(1, 1, 240, 320) * 2 - 1
    with torch.no_grad():
        a, b = old(x), new(x)
    for (l1, c1), (l2, c2) in zip(a, b):
        assert torch.allclose(l1, l2, atol=1e-5) and torch.allclose(c1, c2, atol=1e-5)
