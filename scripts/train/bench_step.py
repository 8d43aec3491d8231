"""Time one training step (forward + backward of a batch) with each RNNPool variant,
interleaved round-robin so that a busy machine slows every variant alike.

  python -m scripts.train.bench_step --rounds 7 --batch 32

Variants: `reference` (model.rnnpool: every patch runs RNN1 on its own 8 rows and 8
columns), `shared` (model.rnnpool_shared: each row/column segment once) and
`compiled` (rnnpool_shared with the FastGRNN loop through torch.compile: what train.py
runs on the CPU). Prints per-round times, medians and the ratios to `reference`;
images/s = batch / median step time. The compiled variant is compiled (about a
minute) and checked against the eager gradients before any timing.
"""
import argparse
import statistics
import time

import torch

from . import model as M
from .model import DEFAULT_ARCH, Detector, flatten_outputs


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
    # (rnnpool function, compiled FastGRNN?)
    variants = {"reference": (M.rnnpool, False), "shared": (M.rnnpool_shared, False),
                "compiled": (M.rnnpool_shared, True)}

    def step(variant):
        fn, compiled = variant
        M.use_compiled_fastgrnn(compiled)
        net.rnnpool.forward = lambda y: fn(y, net.rnnpool.rnn1, net.rnnpool.rnn2, 8, 4)
        t = time.perf_counter()
        loc, logits = flatten_outputs(DEFAULT_ARCH, net(x))
        (loc.square().mean() + logits.square().mean()).backward()
        elapsed = time.perf_counter() - t
        grads = [p.grad.clone() for p in net.parameters()]
        net.zero_grad(set_to_none=True)
        return elapsed, grads

    reference_grads = None
    for k, v in variants.items():                            # warm-up (and compile)
        grads = step(v)[1]
        if reference_grads is None:
            reference_grads = grads
        worst = max(((g - r).abs().max() / r.abs().max().clamp_min(1e-12)).item()
                    for g, r in zip(grads, reference_grads))
        print(f"{k}: largest gradient difference to reference {worst:.1e} (relative to each tensor's max)")
        assert worst < 1e-3, f"{k} does not compute what the reference computes"
    times = {k: [] for k in variants}
    for r in range(args.rounds):
        for k, v in variants.items():
            times[k].append(step(v)[0])
        print(f"round {r + 1}: " + ", ".join(f"{k} {times[k][-1]:.3f} s" for k in variants), flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, m in med.items():
        print(f"{k:>9}: median {m:.3f} s per step of {args.batch} ({args.batch / m:.1f} images/s), "
              f"{med['reference'] / m:.2f}x the reference's images per second")


if __name__ == "__main__":
    main()
