"""Time one training step (forward + backward of a batch) with each RNNPool variant,
interleaved round-robin so that a busy machine slows every variant alike.

  python scripts/train/bench_step.py --rounds 7 --batch 32

Variants: `reference` (model.rnnpool: every patch runs RNN1 on its own 8 rows and 8
columns) and `shared` (model.rnnpool_shared: each row/column segment once, what
train.py uses). Prints per-round times, medians and the ratio; images/s = batch /
median step time.
"""
import argparse
import statistics
import time

import torch

import model as M
from model import DEFAULT_ARCH, Detector, flatten_outputs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--crop", default="256x192")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    w, h = (int(v) for v in args.crop.split("x"))
    torch.manual_seed(0)
    net = Detector(DEFAULT_ARCH).train()
    x = torch.randn(args.batch, 1, h, w)
    variants = {"reference": M.rnnpool, "shared": M.rnnpool_shared}

    def step(fn):
        net.rnnpool.forward = lambda y: fn(y, net.rnnpool.rnn1, net.rnnpool.rnn2, 8, 4)
        t = time.perf_counter()
        loc, logits = flatten_outputs(DEFAULT_ARCH, net(x))
        (loc.square().mean() + logits.square().mean()).backward()
        net.zero_grad(set_to_none=True)
        return time.perf_counter() - t

    for fn in variants.values():
        step(fn)                                             # warm-up
    times = {k: [] for k in variants}
    for r in range(args.rounds):
        for k, fn in variants.items():
            times[k].append(step(fn))
        print(f"round {r + 1}: " + ", ".join(f"{k} {times[k][-1]:.3f} s" for k in variants), flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, m in med.items():
        print(f"{k:>9}: median {m:.3f} s per step of {args.batch} ({args.batch / m:.1f} images/s)")
    print(f"shared / reference time: {med['shared'] / med['reference']:.2f} "
          f"({med['reference'] / med['shared']:.2f}x the images per second)")


if __name__ == "__main__":
    main()
