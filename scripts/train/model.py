"""The RNNPool face detector in PyTorch, exactly as docs/NETWORK.md describes it.

Training-time modules keep BatchNorm separate; export.py folds it. The RNNPool is
vectorised: all patches, all rows and all columns of a batch go through RNN1 as one
batch of length-8 sequences, and the four RNN2 sweeps as another, so that the Python
loop is only over the 8 time steps.
"""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

# The architecture we train and ship (written into the model header by export.py).
# Anchor sizes grow by sqrt(2) from 12 px to 192 px so faces from ~10 px wide up to a
# face filling the 240 px frame height (~180 px wide) each have a close anchor.
DEFAULT_ARCH = {
    "name": "rnnpool-face-m4s32",
    "input": {"width": 320, "height": 240, "scale": 1.0 / 128.0, "offset": -1.0},
    "stem": {"out_channels": 4},
    "rnnpool": {"patch": 8, "stride": 4, "hidden1": 16, "hidden2": 16, "pad_to": [40, 30]},
    "blocks": [
        {"expand": 2, "out_channels": 32, "stride": 1},
        {"expand": 2, "out_channels": 32, "stride": 1},
        {"expand": 2, "out_channels": 64, "stride": 2},
        {"expand": 2, "out_channels": 64, "stride": 1},
        {"expand": 2, "out_channels": 64, "stride": 2},
    ],
    "heads": [
        {"block": 0, "l2norm": True, "step": 8, "sizes": [12, 17, 24], "background": 3},
        {"block": 1, "l2norm": True, "step": 8, "sizes": [34], "background": 1},
        {"block": 2, "l2norm": False, "step": 16, "sizes": [48], "background": 1},
        {"block": 3, "l2norm": False, "step": 16, "sizes": [68, 96], "background": 1},
        {"block": 4, "l2norm": False, "step": 32, "sizes": [136, 192], "background": 1},
    ],
    "postprocess": {"variances": [0.1, 0.2], "nms_iou": 0.3, "score_threshold": 0.5,
                    "top_k": 750, "max_detections": 100},
}


def fastgrnn(x, W, U, bias_z, bias_h, zeta, nu, fast_tanh=False):
    """Run a FastGRNN over x [N, T, I] from h = 0; return the final state [N, H].

    fast_tanh computes tanh(v) as 2*sigmoid(2v) - 1 (same function, ~5x cheaper on
    this CPU's PyTorch build, and tanh dominated the training step); the reference
    path used for fixtures keeps torch.tanh."""
    # W x for all time steps in one matmul; unbind (not x[:, t]) so that backward
    # stacks the step gradients once instead of scattering into a zero tensor per step.
    wx = (x @ W.t()).unbind(1)
    sz, sn = torch.sigmoid(zeta), torch.sigmoid(nu)
    h = None
    for a in wx:
        if h is not None:
            a = a + h @ U.t()                              # U h = 0 at t = 0
        z = torch.sigmoid(a + bias_z)
        c = 2 * torch.sigmoid(2 * (a + bias_h)) - 1 if fast_tanh else torch.tanh(a + bias_h)
        h = (sz * (1 - z) + sn) * c if h is None else (sz * (1 - z) + sn) * c + z * h
    return h


# torch.compile of fastgrnn (training only): Inductor fuses each step's element-wise
# gate maths (about half of the eager step's time) into one C++ loop, same arithmetic.
# Off until use_compiled_fastgrnn(True); train.py turns it on (--compile).
_compiled = {"on": False, "fn": None, "failed": None}


def use_compiled_fastgrnn(on=True):
    _compiled["on"] = on


def _training_fastgrnn(*args):
    if _compiled["on"] and _compiled["failed"] is None:
        if _compiled["fn"] is None:
            _compiled["fn"] = torch.compile(fastgrnn, dynamic=False, fullgraph=True)
        try:
            return _compiled["fn"](*args)
        except Exception as exc:   # e.g. no C++ compiler on this machine: eager is the same maths
            _compiled["failed"] = repr(exc)[:300]
            print(f"torch.compile of fastgrnn failed, training eagerly: {_compiled['failed']}", flush=True)
    return fastgrnn(*args)


class FastGRNNCell(nn.Module):
    def __init__(self, inp, hid):
        super().__init__()
        # EdgeML's initialisation: small W/U, gate and update biases 1, zeta 1, nu -4.
        self.W = nn.Parameter(0.1 * torch.randn(hid, inp))
        self.U = nn.Parameter(0.1 * torch.randn(hid, hid))
        self.bias_z = nn.Parameter(torch.ones(hid))
        self.bias_h = nn.Parameter(torch.ones(hid))
        self.zeta = nn.Parameter(torch.ones(1))
        self.nu = nn.Parameter(-4.0 * torch.ones(1))

    def forward(self, x):
        if self.training:
            return _training_fastgrnn(x, self.W, self.U, self.bias_z, self.bias_h, self.zeta, self.nu, True)
        return fastgrnn(x, self.W, self.U, self.bias_z, self.bias_h, self.zeta, self.nu)


def rnnpool(x, rnn1, rnn2, patch, stride):
    """RNNPool over x [B, C, H, W] -> [B, 4*h2, ny+1, nx+1] (replicate-padded)."""
    B, C = x.shape[:2]
    p = x.unfold(2, patch, stride).unfold(3, patch, stride)   # [B, C, ny, nx, r, k]
    ny, nx = p.shape[2], p.shape[3]
    p = p.permute(0, 2, 3, 4, 5, 1)                           # [B, ny, nx, r, k, C]
    rows = p.reshape(-1, patch, C)                            # sequence over k, one per r
    cols = p.transpose(3, 4).reshape(-1, patch, C)            # sequence over r, one per k
    s = rnn1(torch.cat([rows, cols]))                         # [2*M*P, h1]
    M = B * ny * nx
    s = s.view(2, M, patch, -1)
    row_sum, col_sum = s[0], s[1]
    seq = torch.cat([row_sum, row_sum.flip(1), col_sum, col_sum.flip(1)])
    o = rnn2(seq).view(4, M, -1)                              # rowFwd, rowBwd, colFwd, colBwd
    out = o.permute(1, 0, 2).reshape(B, ny, nx, -1).permute(0, 3, 1, 2)
    return F.pad(out, (0, 1, 0, 1), mode="replicate")


def rnnpool_shared(x, rnn1, rnn2, patch, stride):
    """rnnpool() computing each RNN1 sequence once. With stride = patch / 2 every
    row segment (row y, columns 4j..4j+7) belongs to two vertically overlapping patches,
    and every column segment to two horizontally overlapping ones; rnnpool() runs RNN1
    on each of them twice. Here RNN1 runs once per distinct segment and the patches
    gather their summaries from those results: the same sequences through the same
    weights, so the same outputs (to float32 rounding of the batched matmul), with
    about half of RNN1's work forwards and backwards. Used for training; reference.py
    keeps rnnpool() as the engine's reference."""
    B, C, H, W = x.shape
    seg_r = x.unfold(3, patch, stride)                           # [B, C, H, nx, k]   rows
    nx = seg_r.shape[3]
    seg_c = x.unfold(2, patch, stride)                           # [B, C, ny, W, r]   columns
    ny = seg_c.shape[2]
    rows = seg_r.permute(0, 2, 3, 4, 1).reshape(-1, patch, C)
    cols = seg_c.permute(0, 2, 3, 4, 1).reshape(-1, patch, C)
    h = rnn1(torch.cat([rows, cols]))                            # one RNN1 pass for both
    h1 = h.shape[-1]
    hr = h[:len(rows)].view(B, H, nx, h1)
    hc = h[len(rows):].view(B, ny, W, h1)
    # patch (i, j): rows 4i..4i+7 of hr[:, :, j], columns 4j..4j+7 of hc[:, i]
    row_sum = hr[:, :stride * (ny - 1) + patch].unfold(1, patch, stride)     # [B, ny, nx, h1, r]
    col_sum = hc[:, :, :stride * (nx - 1) + patch].unfold(2, patch, stride)  # [B, ny, nx, h1, k]
    row_sum = row_sum.permute(0, 1, 2, 4, 3).reshape(-1, patch, h1)
    col_sum = col_sum.permute(0, 1, 2, 4, 3).reshape(-1, patch, h1)
    M = B * ny * nx
    seq = torch.cat([row_sum, row_sum.flip(1), col_sum, col_sum.flip(1)])
    o = rnn2(seq).view(4, M, -1)
    out = o.permute(1, 0, 2).reshape(B, ny, nx, -1).permute(0, 3, 1, 2)
    return F.pad(out, (0, 1, 0, 1), mode="replicate")


class RNNPool(nn.Module):
    def __init__(self, cin, h1, h2, patch, stride):
        super().__init__()
        self.rnn1, self.rnn2 = FastGRNNCell(cin, h1), FastGRNNCell(h1, h2)
        self.patch, self.stride = patch, stride

    def forward(self, x):
        return rnnpool_shared(x, self.rnn1, self.rnn2, self.patch, self.stride)


def conv_bn(cin, cout, k, stride, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout))


class MBConv(nn.Module):
    def __init__(self, cin, expand, cout, stride):
        super().__init__()
        mid = cin * expand
        self.expand = conv_bn(cin, mid, 1, 1) if expand != 1 else None
        self.dw = conv_bn(mid, mid, 3, stride, groups=mid)
        self.project = conv_bn(mid, cout, 1, 1)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = F.relu6(self.expand(x)) if self.expand is not None else x
        y = self.project(F.relu6(self.dw(y)))
        return y + x if self.residual else y


class L2Norm(nn.Module):
    def __init__(self, c, scale):
        super().__init__()
        self.weight = nn.Parameter(torch.full((c,), float(scale)))

    def forward(self, x):
        return x / (x.pow(2).sum(1, keepdim=True).sqrt() + 1e-10) * self.weight.view(1, -1, 1, 1)


class Head(nn.Module):
    def __init__(self, cin, spec, l2_scale):
        super().__init__()
        a, k = len(spec["sizes"]), spec["background"] + 1
        self.l2norm = L2Norm(cin, l2_scale) if spec["l2norm"] else None
        self.loc = nn.Conv2d(cin, 4 * a, 3, 1, 1)
        self.conf = nn.Conv2d(cin, k * a, 3, 1, 1)

    def forward(self, x):
        if self.l2norm is not None:
            x = self.l2norm(x)
        return self.loc(x), self.conf(x)


class StridedConvPool(nn.Module):
    """The conventional front end RNNPool stands in for (the memory overlay's "strided-conv
    CNN", Sources/RNNPoolEngine/Host/Baselines/BaselineNetwork.swift): from the stem's
    output to RNNPool's output shape with MobileNetV2-style strided stages, a 3x3 conv
    C0->16 at stride 2, MBConv 16->24, MBConv 24->32 at stride 2, then MBConv 32->4*h2,
    with the model's first expansion factor. The capacity study's twin (issue 24):
    the same stem, blocks and heads, trained the same way, RNNPool replaced."""

    def __init__(self, c0, cout, expand):
        super().__init__()
        self.conv = conv_bn(c0, 16, 3, 2)
        self.stages = nn.ModuleList([MBConv(16, expand, 24, 1), MBConv(24, expand, 32, 2),
                                     MBConv(32, expand, cout, 1)])

    def forward(self, x):
        y = F.relu6(self.conv(x))
        for s in self.stages:
            y = s(y)
        return y


class Detector(nn.Module):
    def __init__(self, arch=None):
        super().__init__()
        self.arch = copy.deepcopy(arch or DEFAULT_ARCH)
        a = self.arch
        c0 = a["stem"]["out_channels"]
        rp = a["rnnpool"]
        self.stem = conv_bn(1, c0, 3, 2)
        # "replace_with": "strided-conv" trains the conventional twin (Python only: the
        # engine and the model file format run RNNPool).
        if rp.get("replace_with") == "strided-conv":
            self.rnnpool = StridedConvPool(c0, 4 * rp["hidden2"], a["blocks"][0]["expand"])
        else:
            self.rnnpool = RNNPool(c0, rp["hidden1"], rp["hidden2"], rp["patch"], rp["stride"])
        c = 4 * rp["hidden2"]
        chans, blocks = [], []
        for b in a["blocks"]:
            blocks.append(MBConv(c, b["expand"], b["out_channels"], b["stride"]))
            c = b["out_channels"]
            chans.append(c)
        self.blocks = nn.ModuleList(blocks)
        # S3FD's L2Norm scales (10, 8, 5) for the first, second, third normalised head.
        l2_scales = iter([10.0, 8.0, 5.0, 5.0, 5.0, 5.0])
        self.heads = nn.ModuleList(
            Head(chans[h["block"]], h, next(l2_scales) if h["l2norm"] else 1.0) for h in a["heads"])

    def normalise(self, img_u8):
        """uint8 (or float 0..255) [B, 1, H, W] -> network input (p * scale + offset)."""
        return img_u8.float() * self.arch["input"]["scale"] + self.arch["input"]["offset"]

    def forward(self, x, trace=False):
        """x: normalised float [B, 1, H, W]. Returns list of (loc, conf) per head
        (and the intermediate tensors when trace=True, for golden fixtures)."""
        inter = {}
        y = F.relu6(self.stem(x))
        inter["stem"] = y
        y = self.rnnpool(y)
        inter["rnnpool"] = y
        outs = []
        for i, blk in enumerate(self.blocks):
            y = blk(y)
            outs.append(y)
            inter[f"blocks.{i}"] = y
        res = []
        for k, (h, spec) in enumerate(zip(self.heads, self.arch["heads"])):
            loc, conf = h(outs[spec["block"]])
            inter[f"heads.{k}.loc"], inter[f"heads.{k}.conf"] = loc, conf
            res.append((loc, conf))
        return (res, inter) if trace else res


def flatten_outputs(arch, outs):
    """Per-head raw maps -> loc [B, N, 4] and two-class logits [B, N, 2] (bg, face),
    anchors in (head, y, x, a) order. The background logit is the max-out of the
    head's `background` logits (S3FD)."""
    locs, logits = [], []
    for (loc, conf), spec in zip(outs, arch["heads"]):
        B = loc.shape[0]
        k = spec["background"] + 1
        locs.append(loc.permute(0, 2, 3, 1).reshape(B, -1, 4))
        c = conf.permute(0, 2, 3, 1).reshape(B, -1, k)
        bg = c[..., :-1].max(-1).values
        logits.append(torch.stack([bg, c[..., -1]], -1))
    return torch.cat(locs, 1), torch.cat(logits, 1)


def fmap_sizes(arch, outs):
    return [tuple(loc.shape[2:]) for loc, _ in outs]


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
