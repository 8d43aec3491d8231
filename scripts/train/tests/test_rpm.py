import struct
import zlib

import numpy as np
import pytest
import torch

from scripts.train.export import export_model, fold_bn, random_model
from scripts.train.letterbox import letterbox
from scripts.train.model import Detector
from scripts.train.reference import run_model
from scripts.train.rpm import RpmError, check_model, decode_rpm, encode_rpm, expected_model_shapes, read_rpm


def test_export_read_round_trip(tmp_path):
    m = random_model(3)
    p = tmp_path / "m.rpm"
    export_model(m, p)
    data = p.read_bytes()
    assert data[:8] == b"RNNPOOL\0"
    assert struct.unpack_from("<I", data, len(data) - 4)[0] == zlib.crc32(data[:-4])
    header, tensors = read_rpm(p)
    check_model(header, tensors)
    assert set(tensors) == set(expected_model_shapes(header))
    assert header["kind"] == "model" and header["blocks"] == m.arch["blocks"]


def test_alignment_of_every_tensor():
    data = encode_rpm({"kind": "x"}, {"a": np.zeros(3, np.uint8), "bb": np.ones((2, 3), np.float32),
                                      "c": np.arange(5, dtype=np.int32)})
    h, t = decode_rpm(data)
    assert t["a"].tolist() == [0, 0, 0] and t["c"].tolist() == list(range(5))
    assert len(data) % 4 == 0
    off = data.index(b"bb") + 2 + 2 + 8
    off += -off % 4
    assert np.frombuffer(data, "<f4", 6, off).tolist() == [1.0] * 6


def test_reader_rejects_corruption():
    good = encode_rpm({"kind": "x"}, {"a": np.ones(4, np.float32)})
    with pytest.raises(RpmError, match="CRC"):
        decode_rpm(good[:20] + bytes([good[20] ^ 1]) + good[21:])
    with pytest.raises(RpmError, match="magic"):
        decode_rpm(b"X" + good[1:])
    with pytest.raises(RpmError):
        decode_rpm(good[:-9] + struct.pack("<I", zlib.crc32(good[:-9])))      # truncated
    dup = encode_rpm({"kind": "x"}, {"a": np.ones(1, np.float32)})
    body = dup[:-4]
    cnt_off = body.index(b"\x01\x00\x00\x00", 16)
    rec = body[cnt_off + 4:]
    forged = body[:cnt_off] + struct.pack("<I", 2) + rec + rec
    with pytest.raises(RpmError, match="duplicate"):
        decode_rpm(forged + struct.pack("<I", zlib.crc32(forged)))


def test_shape_check_names_tensor():
    m = random_model(3)
    from scripts.train.export import model_header, model_tensors
    h, t = model_header(m), model_tensors(m)
    t["blocks.1.dw.weight"] = t["blocks.1.dw.weight"][:-1]
    with pytest.raises(RpmError, match="blocks.1.dw.weight"):
        check_model(h, t)


def test_folded_file_matches_training_module(tmp_path):
    torch.manual_seed(0)
    m = random_model(5)
    p = tmp_path / "m.rpm"
    export_model(m, p)
    header, tensors = read_rpm(p)
    src = np.random.default_rng(2).integers(0, 256, (180, 260), dtype=np.uint8)
    res = run_model(header, tensors, src, 0.5)
    with torch.no_grad():
        _, inter = m(m.normalise(torch.from_numpy(letterbox(src))[None, None]), trace=True)
    for k, v in inter.items():
        np.testing.assert_allclose(res[k], v[0].numpy(), rtol=1e-4, atol=1e-4, err_msg=k)
    assert res["input"].dtype == np.uint8 and res["boxes"].shape[1] == 5


def test_fold_bn_equivalence():
    m = Detector().eval()
    with torch.no_grad():
        m.stem[1].running_mean.uniform_(-1, 1); m.stem[1].running_var.uniform_(0.5, 2)
        m.stem[1].weight.uniform_(0.5, 1.5); m.stem[1].bias.uniform_(-1, 1)
        x = torch.randn(1, 1, 16, 16)
        w, b = fold_bn(m.stem)
        ref = m.stem(x)
        got = torch.nn.functional.conv2d(x, torch.from_numpy(w), torch.from_numpy(b), stride=2, padding=1)
    np.testing.assert_allclose(got.numpy(), ref.numpy(), rtol=1e-5, atol=1e-5)


def test_rnnpool_matches_scalar_recurrence():
    """The vectorised RNNPool equals NETWORK.md section 3 written per patch."""
    torch.manual_seed(1)
    m = Detector().eval()
    x = torch.randn(1, 4, 16, 20)
    with torch.no_grad():
        out = m.rnnpool(x)
        r1, r2 = m.rnnpool.rnn1, m.rnnpool.rnn2

        def run(cell, seq):
            h = torch.zeros(cell.W.shape[0])
            for v in seq:
                a = cell.W @ v + cell.U @ h
                z = torch.sigmoid(a + cell.bias_z)
                c = torch.tanh(a + cell.bias_h)
                h = (torch.sigmoid(cell.zeta) * (1 - z) + torch.sigmoid(cell.nu)) * c + z * h
            return h
        py, px = 2, 1
        p = x[0, :, 4 * py:4 * py + 8, 4 * px:4 * px + 8]
        rows = [run(r1, [p[:, r, k] for k in range(8)]) for r in range(8)]
        cols = [run(r1, [p[:, r, k] for r in range(8)]) for k in range(8)]
        want = torch.cat([run(r2, rows), run(r2, rows[::-1]), run(r2, cols), run(r2, cols[::-1])])
    assert out.shape == (1, 64, 4, 5)            # 3x4 patches, replicate-padded to 4x5
    np.testing.assert_allclose(out[0, :, py, px].numpy(), want.numpy(), rtol=1e-5, atol=1e-6)
    # replicate padding: last row/column copied
    np.testing.assert_array_equal(out[0, :, 3, :].numpy(), out[0, :, 2, :].numpy())


def test_coarse_split_must_be_a_positive_number_of_pixels():
    m = random_model(3)
    from scripts.train.export import model_header, model_tensors
    h, t = model_header(m), model_tensors(m)
    h["postprocess"]["coarse_split"] = 80.0
    check_model(h, t)
    for bad in (0, -80.0, "80", float("inf")):
        h["postprocess"]["coarse_split"] = bad
        with pytest.raises(RpmError, match="coarse_split"):
            check_model(h, t)
