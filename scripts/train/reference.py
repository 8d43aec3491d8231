"""Reference forward pass computed from a *model file* (folded tensors + header).

This is what the Swift engine must reproduce; the golden fixtures and the Python
AP numbers are made with it, so they describe the file, not the training-time
module (tests check that the two agree).
"""
import numpy as np
import torch
import torch.nn.functional as F

from .boxes import anchors_for, postprocess
from .letterbox import boxes_to_source, letterbox
from .model import fastgrnn, rnnpool
from .rpm import activation_names  # noqa: F401  (re-exported for calibration)


def fake_quant(x, scale):
    """Round x to the int8 grid of `scale` and back (NETWORK.md section 7): q =
    clamp(round_half_even(x * inv), -127, 127) with inv = 1/scale in float32, then q * scale.
    The Swift engine stores q and multiplies back by the same float32 scale."""
    s = torch.tensor(scale, dtype=torch.float32)
    inv = torch.tensor(1.0, dtype=torch.float32) / s
    return torch.clamp(torch.round(x * inv), -127, 127) * s


class _Rnn:
    """FastGRNN from the file's tensors. `in_scale` rounds every input to the int8 grid
    first (RNN2 reads RNN1's summaries so in the int8 path); `stats` records max |input|."""
    def __init__(self, T, p, in_scale=None, stats=None, stat_name=None):
        self.args = [T[f"{p}.{n}"] for n in ("W", "U", "bias_z", "bias_h", "zeta", "nu")]
        self.in_scale, self.stats, self.stat_name = in_scale, stats, stat_name

    def __call__(self, x):
        if self.stats is not None:
            _record(self.stats, self.stat_name, x)
        if self.in_scale is not None:
            x = fake_quant(x, self.in_scale)
        return fastgrnn(x, *self.args)


def quantize_expand(weight, in_scale):
    """The int8 path's expand weights (NETWORK.md section 7): per expanded channel m,
    s_m = max |w_m| / 127 and q = clamp(round_half_even(w * (1/s_m)), -127, 127), all
    float32; returns (q as float, in_scale * s_m). The Swift engine's QuantizedExpand."""
    largest = weight.abs().amax(dim=tuple(range(1, weight.dim())))
    s = torch.where(largest > 0, largest / torch.tensor(127.0), torch.ones_like(largest))
    inv = torch.tensor(1.0, dtype=torch.float32) / s
    q = torch.clamp(torch.round(weight * inv.view(-1, *([1] * (weight.dim() - 1)))), -127, 127)
    return q, torch.tensor(in_scale, dtype=torch.float32) * s


HEAD_SUM_LIMIT = (2**31 - 1) // 127
PROJECTION_SUM_LIMIT = (2**31 - 1) // 32767
# The int8 path's grid for the MBConv depthwise outputs (ReLU6: 0...6), float32 as the
# engine's MBConvRowKernel.depthwiseGrid: 6/32767 and its float32 inverse.
DEPTHWISE_GRID = np.float32(6.0 / 32767.0)
DEPTHWISE_GRID_INVERSE = np.float32(1) / DEPTHWISE_GRID


def quantize_head(weight, sum_limit=HEAD_SUM_LIMIT):
    """The int8 path's head weights (NETWORK.md section 7): per output channel o,
    s_o = max |w_o| / 32767 (widened where sum |q| could pass sum_limit: 2^31 / 127 for
    int8 inputs) and q = clamp(round_half_even(w * (1/s_o)), -32767, 32767), all float32;
    returns (q as float, s_o). weight: [O, C, kh, kw], L2Norm gain folded in. The Swift
    engine's QuantizedHead (and int16WeightGrid)."""
    out = weight.shape[0]
    n = weight[0].numel()
    largest = weight.abs().reshape(out, -1).amax(dim=1)
    total = weight.double().abs().reshape(out, -1).sum(dim=1)
    grids = []
    for o in range(out):
        g = np.float32(largest[o]) / np.float32(32767) if largest[o] > 0 else np.float32(1)
        if float(total[o]) / float(g) + n / 2 > sum_limit:
            g = np.nextafter(np.float32(float(total[o]) / (sum_limit - n / 2)), np.float32(np.inf))
        grids.append(g)
    s = torch.tensor(np.array(grids, dtype=np.float32))
    inv = torch.tensor(1.0, dtype=torch.float32) / s
    q = torch.clamp(torch.round(weight * inv.view(-1, 1, 1, 1)), -32767, 32767)
    return q, s


def _project_int8(z, weight, bias):
    """The MBConv projection on the int8 path (NETWORK.md section 7): the depthwise
    outputs z (0...6) rounded onto DEPTHWISE_GRID as integers, times the int16 weights of
    quantize_head with the projection's sum limit, summed exactly (float64 here, int32 in
    the engine); then float32(sum) * (s_d * s_o) + b, rounded separately. The Swift
    engine's QuantizedProjection and IntegerProjection."""
    qd = torch.round(z * torch.tensor(DEPTHWISE_GRID_INVERSE))
    q, s = quantize_head(weight, PROJECTION_SUM_LIMIT)
    k = torch.tensor(DEPTHWISE_GRID) * s
    sums = F.conv2d(qd.double(), q.double()).float()
    return sums * k.view(1, -1, 1, 1) + bias.view(1, -1, 1, 1)


def _head_int8(f, T, p, h, in_scale):
    """A head on the int8 path: int8 inputs (f on the grid of in_scale) times the int16
    weights of quantize_head, summed exactly (float64 here, int32 in the engine); with
    L2Norm each tap's sum is weighed by its pixel's factor in_scale / (||x|| + 1e-10)."""
    inv = torch.tensor(1.0, dtype=torch.float32) / torch.tensor(in_scale, dtype=torch.float32)
    qx = torch.round(f * inv).double()
    out = []
    for n in ("loc", "conf"):
        w = T[p + n + ".weight"]
        if h["l2norm"]:
            w = w * T[p + "l2norm.weight"].view(1, -1, 1, 1)
        q, s = quantize_head(w)
        if h["l2norm"]:
            sc = float(np.float32(in_scale))
            fac = sc / ((qx.pow(2).sum(1, keepdim=True) * sc * sc).sqrt() + 1e-10)
            y = F.conv2d(qx * fac, q.double(), padding=1) * s.double().view(1, -1, 1, 1)
        else:
            k = torch.tensor(in_scale, dtype=torch.float32) * s
            y = F.conv2d(qx, q.double(), padding=1) * k.double().view(1, -1, 1, 1)
        out.append((y + T[p + n + ".bias"].double().view(1, -1, 1, 1)).float())
    return out


def _record(stats, name, x):
    m = float(x.detach().abs().max())
    stats[name] = max(stats.get(name, 0.0), m)


def activation_scales(header):
    """The per-tensor int8 scales of a version-2 header, or None (float path)."""
    a = header.get("activations")
    return None if a is None else a["scales"]


def as_torch(tensors):
    return {k: torch.from_numpy(np.asarray(v, dtype=np.float32)) for k, v in tensors.items()}


def forward_tensors(header, T, x, scales=None, stats=None):
    """x: normalised float [B, 1, H, W]. Returns (list of (loc, conf) per head, dict of
    intermediate tensors named as in the fixture format).

    scales: None for the float path, else {activation name: int8 scale}: every stored
    activation (activation_names) is rounded to its int8 grid, as the engine's int8 path
    stores it. stats: a dict that receives max |value| per activation (calibration)."""
    inter = {}

    def stored(name, y):
        if stats is not None:
            _record(stats, name, y)
        return y if scales is None else fake_quant(y, scales[name])

    y = stored("stem", F.relu6(F.conv2d(x, T["stem.weight"], T["stem.bias"], stride=2, padding=1)))
    inter["stem"] = y
    rp = header["rnnpool"]
    rnn2 = _Rnn(T, "rnn2", None if scales is None else scales["rnnpool.summaries"], stats, "rnnpool.summaries")
    y = stored("rnnpool", rnnpool(y, _Rnn(T, "rnn1"), rnn2, rp["patch"], rp["stride"]))
    inter["rnnpool"] = y
    feats = []
    for i, b in enumerate(header["blocks"]):
        p = f"blocks.{i}."
        z = y
        if b["expand"] != 1 and scales is not None:
            # Int8 path: an integer sum of int8 inputs and int8 weights (exact in float32),
            # then one multiply and one add per channel, as the engine computes it.
            in_scale = scales["rnnpool"] if i == 0 else scales[f"blocks.{i - 1}"]
            inv = torch.tensor(1.0, dtype=torch.float32) / torch.tensor(in_scale, dtype=torch.float32)
            qx = torch.round(z * inv)
            qw, k = quantize_expand(T[p + "expand.weight"], in_scale)
            z = F.relu6(F.conv2d(qx, qw) * k.view(1, -1, 1, 1) + T[p + "expand.bias"].view(1, -1, 1, 1))
        elif b["expand"] != 1:
            z = F.relu6(F.conv2d(z, T[p + "expand.weight"], T[p + "expand.bias"]))
        z = F.relu6(F.conv2d(z, T[p + "dw.weight"], T[p + "dw.bias"], stride=b["stride"],
                             padding=1, groups=z.shape[1]))
        if scales is not None:
            z = _project_int8(z, T[p + "project.weight"], T[p + "project.bias"])
        else:
            z = F.conv2d(z, T[p + "project.weight"], T[p + "project.bias"])
        if b["stride"] == 1 and y.shape[1] == z.shape[1]:
            z = z + y
        y = stored(f"blocks.{i}", z)
        feats.append(y)
        inter[f"blocks.{i}"] = y
    outs = []
    for k, h in enumerate(header["heads"]):
        p = f"heads.{k}."
        f = feats[h["block"]]
        if scales is not None:
            loc, conf = _head_int8(f, T, p, h, scales[f"blocks.{h['block']}"])
            inter[p + "loc"], inter[p + "conf"] = loc, conf
            outs.append((loc, conf))
            continue
        if h["l2norm"]:
            f = f / (f.pow(2).sum(1, keepdim=True).sqrt() + 1e-10) * T[p + "l2norm.weight"].view(1, -1, 1, 1)
        loc = F.conv2d(f, T[p + "loc.weight"], T[p + "loc.bias"], padding=1)
        conf = F.conv2d(f, T[p + "conf.weight"], T[p + "conf.bias"], padding=1)
        inter[p + "loc"], inter[p + "conf"] = loc, conf
        outs.append((loc, conf))
    return outs, inter


def locs_scores(header, outs):
    """Per-head maps -> loc [B, N, 4], face score [B, N] = sigma(face - max background),
    anchors in (head, y, x, a) order, plus the feature-map sizes."""
    locs, scores, sizes = [], [], []
    for (loc, conf), h in zip(outs, header["heads"]):
        B, kk = loc.shape[0], h["background"] + 1
        locs.append(loc.permute(0, 2, 3, 1).reshape(B, -1, 4))
        c = conf.permute(0, 2, 3, 1).reshape(B, -1, kk)
        scores.append(torch.sigmoid(c[..., -1] - c[..., :-1].max(-1).values))
        sizes.append(tuple(loc.shape[2:]))
    return torch.cat(locs, 1), torch.cat(scores, 1), sizes


def detections_from_outputs(header, outs, threshold):
    """Per-head (loc, conf) maps of a batch -> list of [K, 5] network-pixel detections
    (x, y, w, h, score), best first, through the header's post-processing."""
    loc, sc, sizes = locs_scores(header, outs)
    anchors = anchors_for(header["heads"], sizes)
    loc, sc, pp = loc.numpy(), sc.numpy(), header["postprocess"]
    return [postprocess(loc[b], sc[b], anchors, threshold, pp["nms_iou"], pp["top_k"],
                        pp["max_detections"], tuple(pp["variances"]), pp.get("nms_nested"), pp.get("box_vote"))
            for b in range(len(loc))]


def detect_letterboxed(header, T, imgs_u8, threshold):
    """imgs_u8: uint8 [B, 240, 320] letterboxed frames -> list of [K, 5] network-pixel
    detections (x, y, w, h, score), best first. A header with activation scales
    (version 2) runs the int8 path, as the engine does by default; drop its
    "activations" key for the float path."""
    inp = header["input"]
    with torch.no_grad():
        x = torch.from_numpy(np.ascontiguousarray(imgs_u8)).float()[:, None] * inp["scale"] + inp["offset"]
        outs, _ = forward_tensors(header, T, x, activation_scales(header))
    return detections_from_outputs(header, outs, threshold)


def detect_letterboxed_module(model, imgs_u8, threshold):
    """detect_letterboxed through a PyTorch Detector's own forward (eval mode, float), for
    architectures the model file cannot hold (the strided-convolution twin of issue 24)."""
    model.eval()
    with torch.no_grad():
        outs = model(model.normalise(torch.from_numpy(np.ascontiguousarray(imgs_u8))[:, None]))
    return detections_from_outputs(model.arch, outs, threshold)


def run_model(header, tensors, source_u8: np.ndarray, threshold: float):
    """Run the detector on a source luma plane. Returns a dict of fixture tensors:
    source, input, stem, rnnpool, blocks.i, heads.k.loc/conf, boxes (+ private keys).
    The int8 path when the header carries activation scales (see detect_letterboxed)."""
    T = as_torch(tensors)
    inp = header["input"]
    img = letterbox(source_u8, inp["width"], inp["height"])
    out = {"source": source_u8, "input": img}
    with torch.no_grad():
        x = torch.from_numpy(img).float()[None, None] * inp["scale"] + inp["offset"]
        outs, inter = forward_tensors(header, T, x, activation_scales(header))
        loc, sc, sizes = locs_scores(header, outs)
    for k, v in inter.items():
        out[k] = v[0].numpy().astype(np.float32)
    anchors = anchors_for(header["heads"], sizes)
    pp = header["postprocess"]
    det = postprocess(loc[0].numpy(), sc[0].numpy(), anchors, threshold, pp["nms_iou"],
                      pp["top_k"], pp["max_detections"], tuple(pp["variances"]), pp.get("nms_nested"), pp.get("box_vote"))
    h0, w0 = source_u8.shape
    out["boxes"] = boxes_to_source(det, w0, h0, inp["width"], inp["height"]).astype(np.float32).reshape(-1, 5)
    out["_scores"] = sc[0].numpy()  # not written; used to pick robust thresholds
    out["_net_boxes"] = det
    return out
