"""Teach a lighter RNNPool to give the trained network's RNNPool outputs (issue 22).

A pruned student (prune.py: RNN1 with fewer units, everything else the teacher's own
weights) differs from its teacher only inside the RNNPool. So instead of retraining the
whole detector on boxes, this trains just the student's two RNNs to reproduce, patch by
patch, what the teacher's RNNPool hands to block 0: a dense target (64 values at every
one of ~3,000 patches of a crop) where the box loss gives a few anchors' worth of
signal, and a step that runs only the stem, two RNNPools and block 0 (the stem and
everything after the RNNPool stay frozen, in eval mode). The loss is the mean squared
difference of the RNNPool outputs plus that of block 0's outputs (which weighs each
RNNPool channel by how much block 0 reads it).

    python -m scripts.train.distill --teacher scripts/train/checkpoints/last.pt \\
        --student /work/train-runs/rnn1x8/pruned.pt --out /work/train-runs/distill8 --minutes 60

The result is a checkpoint like train.py's (`model` and `ema` both the distilled weights,
a fresh optimizer, the teacher's counters) that export.py exports and `train.py --init`
continues end to end.
"""
import argparse
import copy
import json
import os
import signal
import time

import numpy as np
import torch
import torch.nn.functional as F

from .augment import Augmenter
from .dataset import DEFAULT_DATA, ImageStore, load_labels
from .export import load_checkpoint_model
from . import model as M
from .train import lr_at, make_optimizer, seed_worker


class Crops(torch.utils.data.Dataset):
    """Augmented training crops (the boxes are not needed: the teacher is the target)."""

    def __init__(self, store, aug, n):
        self.store, self.aug, self.n = store, aug, n
        self.rng = np.random.default_rng(0)
        self.empty = np.zeros((0, 4), np.float32)

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        j = int(self.rng.integers(len(self.store)))
        img, _, _ = self.aug(self.rng, self.store[j], self.empty, self.empty)
        return torch.from_numpy(img)[None]


def features(model, x):
    """(RNNPool output, block 0 output) of normalised input x."""
    y = model.rnnpool(F.relu6(model.stem(x)))
    return y, model.blocks[0](y)


def freeze_all_but_rnnpool(student):
    """The student's trainable parameters: its RNNPool's; the rest stays the teacher's
    (eval mode: BatchNorm statistics frozen too)."""
    student.eval()
    for p in student.parameters():
        p.requires_grad_(False)
    params = list(student.rnnpool.parameters())
    for p in params:
        p.requires_grad_(True)
    return params


def distill_loss(teacher, student, x, block_weight=1.0):
    """(loss, RNNPool MSE, block 0 MSE) of the student against the teacher on x."""
    with torch.no_grad():
        t_pool, t_block = features(teacher, x)
    student.rnnpool.train()
    s_pool, s_block = features(student, x)
    loss_pool = F.mse_loss(s_pool, t_pool)
    loss_block = F.mse_loss(s_block, t_block)
    return loss_pool + block_weight * loss_block, loss_pool, loss_block


def student_checkpoint(student, start):
    """A train.py checkpoint of the student (`train.py --init` continues it end to end):
    its weights as both `model` and `ema`, a fresh optimizer, the counters and run
    arguments of `start` (the prune.py checkpoint it began from)."""
    sd = student.state_dict()
    return {"model": sd, "ema": copy.deepcopy(sd),
            "opt": make_optimizer(student, start["args"].get("lr", 1e-3), start["args"].get("wd", 0.0)).state_dict(),
            "state": start["state"], "arch": student.arch, "args": start["args"],
            "training_info": start.get("training_info", {})}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--teacher", required=True, help="the trained checkpoint (its EMA weights are the target)")
    ap.add_argument("--student", required=True, help="a prune.py checkpoint (its EMA weights are the start)")
    ap.add_argument("--out", required=True, help="run folder: last.pt and distill.jsonl")
    ap.add_argument("--minutes", type=float, required=True)
    ap.add_argument("--resume", action="store_true", help="continue OUT/last.pt's schedule")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--cache", default="/work/train-runs/cache")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--crop", default="256x192")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--block-weight", type=float, default=1.0, help="weight of block 0's output difference")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    os.makedirs(args.out, exist_ok=True)
    cw, ch = (int(v) for v in args.crop.split("x"))
    M.use_compiled_fastgrnn(True)

    teacher, _ = load_checkpoint_model(args.teacher, frozen=True)
    student, sck = load_checkpoint_model(args.student)
    params = freeze_all_but_rnnpool(student)
    opt = torch.optim.Adam(params, lr=args.lr)
    state = {"step": 0, "elapsed": 0.0}
    last = os.path.join(args.out, "last.pt")
    if args.resume:
        ck = torch.load(last, map_location="cpu", weights_only=False)
        student.load_state_dict(ck["model"]); opt.load_state_dict(ck["distill_opt"]); state = ck["distill_state"]
        print(f"resumed at step {state['step']}", flush=True)

    entries = load_labels(args.data, "train")
    store = ImageStore.build(args.data, entries, os.path.join(args.cache, "train.npz"))
    ds = Crops(store, Augmenter(cw, ch), 10 ** 9)
    loader = iter(torch.utils.data.DataLoader(ds, batch_size=args.batch, num_workers=args.workers,
                                              worker_init_fn=seed_worker, persistent_workers=args.workers > 0))

    def save():
        ck = student_checkpoint(student, sck)
        ck.update(distill_opt=opt.state_dict(), distill_state=state, distill_args=vars(args))
        torch.save(ck, last + ".tmp")
        os.replace(last + ".tmp", last)

    stop = {"now": False}
    signal.signal(signal.SIGINT, lambda *_: stop.update(now=True))
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    budget, t_start, t_saved = args.minutes * 60.0, time.time() - state["elapsed"], time.time()
    log = open(os.path.join(args.out, "distill.jsonl"), "a")
    acc = []
    while not stop["now"]:
        state["elapsed"] = time.time() - t_start
        frac = state["elapsed"] / budget
        if frac >= 1:
            break
        lr = lr_at(frac, args.lr)
        for g in opt.param_groups:
            g["lr"] = lr
        loss, loss_pool, loss_block = distill_loss(teacher, student, teacher.normalise(next(loader)),
                                                   args.block_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        state["step"] += 1
        acc.append((loss_pool.item(), loss_block.item()))
        if state["step"] % 25 == 0:
            a = np.mean(acc, 0)
            acc = []
            rec = {"step": state["step"], "minutes": round(state["elapsed"] / 60, 2), "lr": lr,
                   "mse_rnnpool": float(a[0]), "mse_block0": float(a[1])}
            print(json.dumps(rec), flush=True)
            log.write(json.dumps(rec) + "\n"); log.flush()
        if time.time() - t_saved > 300:
            save(); t_saved = time.time()
    state["elapsed"] = time.time() - t_start
    save()
    print(f"wrote {last} after {state['step']} steps", flush=True)


if __name__ == "__main__":
    main()
