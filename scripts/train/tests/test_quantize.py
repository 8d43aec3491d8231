import copy
import struct

import numpy as np
import pytest
import torch

from scripts.train.export import model_header, model_tensors, random_model
from scripts.train.quantize import calibrate, quantized_header, scale_of
from scripts.train.reference import fake_quant, forward_tensors, as_torch
from scripts.train.rpm import RpmError, activation_names, check_model, decode_rpm, encode_rpm
from scripts.train.sources import load_source
from scripts.train.letterbox import letterbox


def quantized_random():
    m = random_model(5)
    h, t = model_header(m), model_tensors(m)
    imgs = np.stack([letterbox(load_source("astronaut")), letterbox(load_source("gradient"))])
    return quantized_header(h, calibrate(h, t, imgs), len(imgs), "fixture sources"), t, imgs


def test_version_follows_the_scales_and_round_trips():
    h8, t, _ = quantized_random()
    data = encode_rpm(h8, t)
    assert struct.unpack_from("<I", data, 8)[0] == 2
    h2, t2 = decode_rpm(data)
    check_model(h2, t2)
    assert h2["activations"]["scales"] == h8["activations"]["scales"]
    h1 = copy.deepcopy(h8)
    h1.pop("activations")
    assert struct.unpack_from("<I", encode_rpm(h1, t), 8)[0] == 1


def test_malformed_scales_are_rejected():
    h8, t, _ = quantized_random()
    for mutate in (lambda a: a["scales"].pop("stem"), lambda a: a["scales"].update({"blocks.9": 0.1}),
                   lambda a: a["scales"].update({"stem": 0.0}), lambda a: a.update({"dtype": "int4"})):
        h = copy.deepcopy(h8)
        mutate(h["activations"])
        with pytest.raises(RpmError):
            check_model(h, t)


def test_calibration_never_clips_and_quantized_values_sit_on_the_grid():
    h8, t, imgs = quantized_random()
    scales = h8["activations"]["scales"]
    assert list(scales) == activation_names(h8)
    T = as_torch(t)
    x = torch.from_numpy(imgs).float()[:, None] * h8["input"]["scale"] + h8["input"]["offset"]
    stats = {}
    _, inter = forward_tensors(h8, T, x, None, stats)
    for k, m in stats.items():
        assert 127 * scales[k] >= m * (1 - 1e-5), k     # max |x| fits the grid (6 digits of rounding)
    _, q = forward_tensors(h8, T, x, scales)
    for k in ("stem", "rnnpool", "blocks.0"):
        steps = q[k] / scales[k]
        assert torch.allclose(steps, steps.round(), atol=1e-3), k
        assert steps.abs().max() <= 127


def test_fake_quant_rounds_half_to_even_and_clamps():
    v = torch.tensor([0.5, 1.5, 2.5, -0.5, 300.0, -300.0])
    assert fake_quant(v, 1.0).tolist() == [0.0, 2.0, 2.0, -0.0, 127.0, -127.0]
    assert scale_of(127.0) == 1.0


def test_head_weights_use_the_int16_range_and_no_sum_can_overflow():
    """reference.quantize_head mirrors the engine's QuantizedHead (NETWORK.md section 7)."""
    import torch
    from scripts.train.reference import quantize_head
    w = (torch.arange(8 * 64 * 9, dtype=torch.float32).reshape(8, 64, 3, 3) * 37 % 101 - 50) / 400
    q, s = quantize_head(w)
    assert int(q.abs().max()) == 32767
    assert abs(float(s[0]) - 50 / 400 / 32767) < 1e-12
    flat = torch.full((4, 64, 3, 3), 0.5)
    q, s = quantize_head(flat)
    assert float(q.abs().reshape(4, -1).sum(1).max()) * 127 <= 2**31 - 1
    assert float(q.abs().max()) < 32767


def test_projection_rounds_depthwise_onto_int16_steps_and_no_sum_can_overflow():
    """reference._project_int8 mirrors the engine's IntegerProjection (NETWORK.md section
    7): ReLU6's range onto 0...32767, exact sums, then float32(sum) * (s_d * s_o) + b."""
    import torch
    from scripts.train.reference import (DEPTHWISE_GRID, DEPTHWISE_GRID_INVERSE, PROJECTION_SUM_LIMIT,
                                         _project_int8, quantize_head)
    assert round(float(torch.tensor(6.0) * torch.tensor(DEPTHWISE_GRID_INVERSE))) == 32767
    # 128 expanded channels of weights near 1: Sigma |q| is held under the limit.
    w = torch.full((4, 128, 1, 1), 0.9)
    q, s = quantize_head(w, PROJECTION_SUM_LIMIT)
    assert float(q.abs().reshape(4, -1).sum(1).max()) * 32767 <= 2**31 - 1
    # A 1x1 map: the output is the integer formula exactly, and within a grid step of float.
    z = torch.tensor([0.0, 1.0, 2.5, 6.0] * 32, dtype=torch.float32).view(1, 128, 1, 1)
    w = (torch.arange(2 * 128, dtype=torch.float32).reshape(2, 128, 1, 1) % 7 - 3) / 8
    b = torch.tensor([0.25, -0.5])
    y = _project_int8(z, w, b)
    q, s = quantize_head(w, PROJECTION_SUM_LIMIT)
    n = torch.round(z * torch.tensor(DEPTHWISE_GRID_INVERSE)).double().view(-1)
    for o in range(2):
        exact = float((n * q[o].double().view(-1)).sum())
        k = torch.tensor(DEPTHWISE_GRID) * s[o]
        assert float(y[0, o, 0, 0]) == float(torch.tensor(exact, dtype=torch.float32) * k + b[o])
        direct = float((z.view(-1).double() * w[o].double().view(-1)).sum() + b[o])
        assert abs(float(y[0, o, 0, 0]) - direct) < 128 * float(DEPTHWISE_GRID)
