"""Start a lighter variant of the detector from a trained checkpoint: RNN1 keeps its
`--hidden1` most useful units (issue 22: RNN1's step is a quarter of an x86 frame, and
its cost grows with the square of its width; docs/BENCHMARKS.md times 12 and 8 units).

A unit's usefulness: the mean |h| of its RNN1 summaries over val photos, times the norm of
the RNN2 input weights that read it. The dropped units' mean summaries, through those
weights, move into RNN2's biases (both gates see W x + U h + b), so RNN2 starts from the
same mean input; everything else is copied. The result is a checkpoint `train.py --init`
continues (with `--arch` the written architecture): weights and EMA pruned alike, a fresh
optimizer, the run's counters.

    python -m scripts.train.prune --checkpoint scripts/train/checkpoints/last.pt --hidden1 8 \\
        --out /work/train-runs/rnn1x8/pruned.pt
    python -m scripts.train.train --init /work/train-runs/rnn1x8/pruned.pt \\
        --arch /work/train-runs/rnn1x8/pruned.json --out /work/train-runs/rnn1x8 --minutes 60 --lr 1e-3
"""
import argparse
import copy
import json
import os

import numpy as np
import torch
from PIL import Image

from .dataset import DEFAULT_DATA, load_labels
from .letterbox import letterbox
from .model import Detector
from .train import make_optimizer


def unit_usefulness(model, images):
    """Per RNN1 unit: mean |summary| over `images` (uint8 letterboxed frames) times the
    norm of RNN2's input weights for it; and the units' mean summaries."""
    seen = []
    hook = model.rnnpool.rnn1.register_forward_hook(lambda _m, _i, out: seen.append(out.detach().reshape(-1, out.shape[-1])))
    with torch.no_grad():
        model(torch.stack([torch.from_numpy(f.astype(np.float32) / 128.0 - 1.0)[None] for f in images]))
    hook.remove()
    h = torch.cat(seen)
    return h.abs().mean(0) * model.rnnpool.rnn2.W.detach().norm(dim=0), h.mean(0)


def pruned_state_dict(sd, keep, drop, mean):
    sd = {k: v.clone() for k, v in sd.items()}
    shift = sd["rnnpool.rnn2.W"][:, drop] @ mean[drop]
    sd["rnnpool.rnn2.bias_z"] += shift
    sd["rnnpool.rnn2.bias_h"] += shift
    sd["rnnpool.rnn1.W"] = sd["rnnpool.rnn1.W"][keep]
    sd["rnnpool.rnn1.U"] = sd["rnnpool.rnn1.U"][keep][:, keep]
    sd["rnnpool.rnn1.bias_z"] = sd["rnnpool.rnn1.bias_z"][keep]
    sd["rnnpool.rnn1.bias_h"] = sd["rnnpool.rnn1.bias_h"][keep]
    sd["rnnpool.rnn2.W"] = sd["rnnpool.rnn2.W"][:, keep]
    return sd


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--hidden1", type=int, required=True, help="RNN1 units to keep")
    ap.add_argument("--out", required=True, help="the pruned checkpoint (.pt); its architecture goes beside it (.json)")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--photos", type=int, default=48, help="val photos the usefulness is measured on")
    args = ap.parse_args(argv)
    ck = torch.load(args.checkpoint, map_location="cpu", weights_only=False)
    arch = copy.deepcopy(ck["arch"])
    h1 = arch["rnnpool"]["hidden1"]
    if not 1 <= args.hidden1 < h1:
        raise SystemExit(f"--hidden1 must be 1 to {h1 - 1} (the checkpoint's RNN1 has {h1} units)")
    model = Detector(arch)
    model.load_state_dict(ck["ema"])
    model.eval()
    entries = load_labels(args.data, "val")[:args.photos]
    frames = [letterbox(np.asarray(Image.open(os.path.join(args.data, e["image"])).convert("L"), np.uint8))
              for e in entries]
    score, mean = unit_usefulness(model, frames)
    keep = torch.argsort(score, descending=True)[:args.hidden1].sort().values
    drop = torch.tensor([j for j in range(h1) if j not in keep.tolist()])
    print("usefulness", [round(float(s), 4) for s in score], "keep", keep.tolist())

    arch["rnnpool"]["hidden1"] = args.hidden1
    arch["name"] = f"{arch.get('name', 'rnnpool-face')}-rnn1x{args.hidden1}"
    small = Detector(arch)
    small.load_state_dict(pruned_state_dict(ck["model"], keep, drop, mean))
    opt = make_optimizer(small, ck["args"].get("lr", 1e-3), ck["args"].get("wd", 0.0))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    torch.save({"model": small.state_dict(), "ema": pruned_state_dict(ck["ema"], keep, drop, mean),
                "opt": opt.state_dict(), "state": copy.deepcopy(ck["state"]), "arch": arch, "args": ck["args"],
                "training_info": ck.get("training_info", {})}, args.out)
    with open(os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump(arch, f, indent=1)
    print(f"wrote {args.out} and its architecture")


if __name__ == "__main__":
    main()
