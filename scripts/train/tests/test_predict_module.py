"""The PyTorch-forward validation path (for the strided-conv twin, which the model file
cannot hold) must give the folded-tensor path's detections on an RNNPool model, so
the twin's AP is measured the way ours is."""
import copy
import os

import numpy as np
import torch

from scripts.train.evaluate import holds_in_model_file, predict, predict_module
from scripts.train.export import load_checkpoint_model, model_header, model_tensors
from scripts.train.model import DEFAULT_ARCH, Detector

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")


def demo_frame():
    """The first luma plane of assets/demo.y4m (a face at webcam distance)."""
    with open(os.path.join(ROOT, "assets", "demo.y4m"), "rb") as f:
        header = f.readline().split()
        w, h = int(header[1][1:]), int(header[2][1:])
        assert f.readline().startswith(b"FRAME")
        return np.frombuffer(f.read(w * h), np.uint8).reshape(h, w)


def test_module_forward_detections_match_the_folded_model():
    m, _ = load_checkpoint_model(os.path.join(ROOT, "scripts", "train", "checkpoints", "last.pt"))
    assert holds_in_model_file(m)
    frame = demo_frame()
    images = [frame, np.ascontiguousarray(frame[:, ::-1])]
    folded = predict(model_header(m), model_tensors(m), images, 0.3)
    module = predict_module(m, images, 0.3)
    for a, b in zip(folded, module):
        assert len(a) >= 1 and a.shape == b.shape
        assert np.allclose(a, b, atol=2e-3), (a, b)


def test_the_twin_is_validated_through_its_forward():
    arch = copy.deepcopy(DEFAULT_ARCH)
    arch["rnnpool"]["replace_with"] = "strided-conv"
    torch.manual_seed(0)
    twin = Detector(arch).eval()
    assert not holds_in_model_file(twin)
    dets = predict_module(twin, [demo_frame()], 0.05)
    assert len(dets) == 1 and dets[0].shape[1] == 5
