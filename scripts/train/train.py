"""Train the RNNPool face detector on the faces data set (CPU, time-budgeted).

  python -m scripts.train.train --out /work/train-runs/run1 --minutes 60
  python -m scripts.train.train --out /work/train-runs/run1 --minutes 60 --resume

The learning-rate schedule (linear warm-up, then cosine) runs on wall-clock time, so
`--minutes` fixes the length of the run whatever the throughput; a resumed run picks
up the elapsed time from the checkpoint. Validation AP50 (EMA weights, folded, at
320x240 through the exact letterbox) runs every --eval-minutes; best.pt keeps the
best of those, last.pt the latest state.
"""
import argparse
import copy
import json
import math
import os
import signal
import sys
import time

import numpy as np
import torch

from .assign import anchor_levels, atss_match
from .augment import Augmenter, mosaic
from .boxes import anchors_for
from .dataset import DEFAULT_DATA, ImageStore, face_arrays, load_labels
from .evaluate import evaluate, holds_in_model_file, predict, predict_module
from .grow import grown_state_dict, inserted_state_dict, transplanted_state_dict
from .export import load_checkpoint_model, model_header, model_tensors
from .loss import focal_diou_loss, multibox_loss, teacher_loss
from .matching import match

# Sampling weight of each set's photos (per photo, relative to cwf). Sets rich in small
# faces and crowds (kmask, crowd) and the hard negatives are drawn more often.
SET_WEIGHTS = {"cwf": 1.0, "ilc": 2.0, "kmask": 2.5, "mfd": 1.5, "crowd": 6.0, "shwd": 1.0,
               "rwmfd": 1.0, "yale": 0.5, "neg": 1.2}
from . import model as M
from .model import DEFAULT_ARCH, Detector, count_parameters, flatten_outputs


def train_anchors(arch, w, h):
    """Anchors for a w x h training crop (the same heads on the smaller feature maps)
    and each anchor's level (head, size) for ATSS."""
    m = Detector(arch).eval()
    with torch.no_grad():
        outs = m(torch.zeros(1, 1, h, w))
    sizes = [tuple(l.shape[2:]) for l, _ in outs]
    return anchors_for(arch["heads"], sizes), anchor_levels(arch["heads"], sizes)


class TrainSamples(torch.utils.data.Dataset):
    """One augmented crop per item: a single photo, or with probability mosaic_p a 2x2
    mosaic of this photo and three drawn by the same sampling weights."""

    def __init__(self, store, entries, aug, anchors, levels, assign="atss", mosaic_p=0.0, weights=None):
        self.store, self.aug, self.anchors, self.levels = store, aug, anchors, levels
        self.assign, self.mosaic_p = assign, mosaic_p
        self.quad = Augmenter(aug.out_w // 2, aug.out_h // 2, min_face=8.0, max_face=48.0, p_anchor=0.85)
        self.boxes = [face_arrays(e) for e in entries]
        w = np.ones(len(entries)) if weights is None else np.asarray(weights, np.float64)
        self.cdf = np.cumsum(w) / w.sum()
        self.rng = np.random.default_rng(0)

    def __len__(self):
        return len(self.boxes)

    def _one(self, aug, i):
        f, g = self.boxes[i]
        return aug(self.rng, self.store[i], f.copy(), g.copy())

    def __getitem__(self, i):
        if self.mosaic_p and self.rng.random() < self.mosaic_p:
            others = np.searchsorted(self.cdf, self.rng.random(3)).clip(0, len(self.boxes) - 1)
            img, f, g = mosaic([self._one(self.quad, int(j)) for j in [i, *others]], self.aug.out_w, self.aug.out_h)
        else:
            img, f, g = self._one(self.aug, i)
        if self.assign == "atss":
            labels, loc_t, pos_w = atss_match(self.anchors, self.levels, f, g)
        else:
            labels, loc_t = match(self.anchors, f, g)
            pos_w = (labels == 1).astype(np.float32)
        return (torch.from_numpy(img)[None], torch.from_numpy(labels), torch.from_numpy(loc_t),
                torch.from_numpy(pos_w))


def _chain(first, rest):
    yield first
    yield from rest


def seed_worker(_):
    """A loader worker: one thread, its own random stream for the augmentation."""
    info = torch.utils.data.get_worker_info()
    torch.set_num_threads(1)
    info.dataset.rng = np.random.default_rng(info.seed % (2 ** 32))


def lr_at(frac, peak, warmup=0.03, floor=0.02):
    if frac < warmup:
        return peak * (0.05 + 0.95 * frac / warmup)
    t = (frac - warmup) / (1 - warmup)
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(t, 1.0))))


def make_optimizer(model, lr, wd):
    """AdamW in two groups, weight decay on the matrices only: the layout every
    checkpoint's `opt` has, so that `--init` can load it."""
    return torch.optim.AdamW([{"params": [p for p in model.parameters() if p.ndim > 1], "weight_decay": wd},
                              {"params": [p for p in model.parameters() if p.ndim <= 1], "weight_decay": 0.0}],
                             lr=lr)


@torch.no_grad()
def ema_update(ema, model, decay):
    """EMA of the weights and of BatchNorm's running statistics alike (as YOLOv5 and timm
    do). Copying the statistics instead pairs the averaged weights with statistics of the
    current weights: harmless while the weights move slowly, but on the CPU (batch 32)
    the first stretch that did so ended with the EMA at val AP50 0.51 while the raw model
    it averaged was at 0.79 (2026-11-30). Integer buffers (num_batches_tracked) are copied."""
    for pe, p in zip(ema.parameters(), model.parameters()):
        pe.mul_(decay).add_(p.detach(), alpha=1 - decay)
    for be, b in zip(ema.buffers(), model.buffers()):
        if be.dtype.is_floating_point:
            be.mul_(decay).add_(b.detach(), alpha=1 - decay)
        else:
            be.copy_(b)


# The nested-box suppression the shipped model file carries (operating_point.py --nested),
# so that the AP printed during training is the one operating_point.py reports.
NMS_NESTED = 0.7


def validate(ema, val_entries, val_images):
    m = copy.deepcopy(ema).cpu()
    if not holds_in_model_file(m):
        m.arch["postprocess"].setdefault("nms_nested", NMS_NESTED)
        return evaluate(val_entries, predict_module(m, val_images, 0.05))
    header = model_header(m)
    header["postprocess"].setdefault("nms_nested", NMS_NESTED)
    return evaluate(val_entries, predict(header, model_tensors(m), val_images, 0.05))


def hard_negative_factors(entries, path, factor, min_score=0.0):
    """Sampling-weight factors: `factor` for the photos a mine_negatives.py file lists with a
    box scoring >= min_score, 1 elsewhere."""
    with open(path) as f:
        hard = {r["image"] for r in json.load(f)["hard"] if r["score"] >= min_score}
    out = np.asarray([factor if e["image"] in hard else 1.0 for e in entries])
    print(f"hard negatives: {int((out != 1.0).sum())} train photos drawn {factor:g}x as often", flush=True)
    return out


def prior_init(model, prior=0.01):
    """Face logits start at p = 0.01 (RetinaNet): with focal loss, a start at p = 0.5 on
    ~4,000 background anchors per crop swamps the first steps."""
    with torch.no_grad():
        for head, spec in zip(model.heads, model.arch["heads"]):
            k = spec["background"] + 1
            b = head.conf.bias.view(-1, k)
            b[:, :-1] = 0.0
            b[:, -1] = -math.log((1 - prior) / prior)


def load_teacher(path, arch, crop_hw, n_anchors, dev):
    """The frozen teacher for --teacher: its EMA weights in eval mode. Its heads must give
    the model's anchors (same heads, same strides), since the two are compared anchor by
    anchor; anything before the heads may differ (a pruned RNNPool, a narrower block)."""
    teacher, _ = load_checkpoint_model(path, frozen=True)
    with torch.no_grad():
        n = flatten_outputs(teacher.arch, teacher(torch.zeros(1, 1, *crop_hw)))[0].shape[1]
    if teacher.arch["heads"] != arch["heads"] or n != n_anchors:
        raise SystemExit(f"--teacher {path}: its heads ({len(teacher.arch['heads'])}, {n} anchors a crop) are not "
                         f"the model's ({len(arch['heads'])}, {n_anchors} anchors); a teacher must have the same heads")
    print(f"teacher: {path} ({count_parameters(teacher)} parameters)", flush=True)
    return teacher.to(dev)


def make_loader(ds, sampler, batch, workers):
    return torch.utils.data.DataLoader(ds, batch_size=batch, sampler=sampler, num_workers=workers,
                                       worker_init_fn=seed_worker if workers else None,
                                       persistent_workers=workers > 0, drop_last=True,
                                       prefetch_factor=4 if workers else None, timeout=120 if workers else 0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--out", required=True, help="run folder (outside the repository)")
    ap.add_argument("--cache", default="/work/train-runs/cache", help="decoded-image cache folder")
    ap.add_argument("--minutes", type=float, required=True, help="wall-clock budget of the whole run")
    ap.add_argument("--resume", action="store_true", help="continue from OUT/last.pt")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--crop", default="256x192", help="training crop WxH (multiples of 32)")
    ap.add_argument("--lr", type=float, default=4e-3)
    ap.add_argument("--wd", type=float, default=0.01)
    ap.add_argument("--ema", type=float, default=0.999)
    ap.add_argument("--set-weights", default="", help="override SET_WEIGHTS, e.g. ilc=3,neg=0.6")
    ap.add_argument("--hard-negatives", help="a mine_negatives.py file: draw its photos --hard-weight times as often")
    ap.add_argument("--hard-weight", type=float, default=3.0)
    ap.add_argument("--hard-min-score", type=float, default=0.45,
                    help="only the listed photos whose top box scores at least this (0.45: about 1 in 10)")
    ap.add_argument("--assign", choices=["atss", "s3fd"], default="atss", help="anchor assignment")
    ap.add_argument("--loss", choices=["focal", "quality", "mining"], default="focal",
                    help="focal + DIoU; quality focal (score target = the box's IoU) + DIoU; "
                         "or the first model's smooth L1 + 3:1 hard-negative mining")
    ap.add_argument("--min-face", type=float, default=9.0,
                    help="smallest face width (px) data-anchor sampling draws (log-uniform up to 210)")
    ap.add_argument("--share-640", type=float, default=0.0,
                    help="share of letterbox-like crops at a 640x480 input's scale (never enlarged)")
    ap.add_argument("--mosaic", type=float, default=0.4, help="share of 2x2 mosaic crops")
    ap.add_argument("--pack", help="train from a pack.py file instead of the data folder's JPEGs")
    ap.add_argument("--no-val", action="store_true", help="skip validation (e.g. on a remote machine)")
    ap.add_argument("--init", help="continue from this checkpoint (weights, EMA, optimizer, counters) "
                                   "with a new wall-clock schedule, e.g. scripts/train/checkpoints/last.pt")
    ap.add_argument("--arch", help="a JSON file with the architecture to train (default: model.DEFAULT_ARCH); "
                    "with --init from a narrower checkpoint the weights are grown into it (grow.py)")
    ap.add_argument("--insert-block", type=int, metavar="N",
                    help="with --init and --arch: the architecture has one more block at index N (stride 1, "
                         "residual), started as an identity; the later blocks take the checkpoint's (grow.py)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-minutes", type=float, default=10.0)
    ap.add_argument("--ckpt-minutes", type=float, default=5.0, help="how often last.pt is written")
    ap.add_argument("--val-limit", type=int, default=0, help="validate on the first N val images (0 = all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reset-ema", action="store_true",
                    help="start the EMA from the current weights (after --init/--resume)")
    ap.add_argument("--teacher", help="a trained checkpoint (its EMA weights) whose outputs the model also "
                    "learns at every anchor (loss.teacher_loss): a lighter network taught by the shipped one")
    ap.add_argument("--teacher-weight", type=float, default=1.0, help="weight of the teacher's loss")
    ap.add_argument("--compile", choices=["on", "off", "auto"], default="auto",
                    help="torch.compile the FastGRNN loop (auto: on the CPU, where it gives ~1.5x the eager images/s)")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    cw, ch = (int(v) for v in args.crop.split("x"))

    t0 = time.time()
    if args.pack:
        store, train_entries = ImageStore.from_pack(args.pack, jobs=max(1, args.workers))
    else:
        train_entries = load_labels(args.data, "train")
        store = ImageStore.build(args.data, train_entries, os.path.join(args.cache, "train.npz"))
    val_entries, val_images = [], []
    if not args.no_val:
        val_entries = load_labels(args.data, "val")
        vstore = ImageStore.build(args.data, val_entries, os.path.join(args.cache, "val.npz"))
        if args.val_limit:
            val_entries = val_entries[:args.val_limit]
        val_images = [vstore[i] for i in range(len(val_entries))]
    print(f"loaded {len(store)} train / {len(val_images)} val images in {time.time() - t0:.0f}s", flush=True)

    dev = torch.device(args.device)
    M.use_compiled_fastgrnn(args.compile == "on" or (args.compile == "auto" and dev.type == "cpu"))
    arch = copy.deepcopy(DEFAULT_ARCH)
    if args.arch:
        with open(args.arch) as f:
            arch = json.load(f)
    anchors, levels = train_anchors(arch, cw, ch)
    anchors_dev = torch.from_numpy(anchors).to(dev)
    model = Detector(arch)
    if args.loss == "focal":
        prior_init(model)
    init = torch.load(args.init, map_location="cpu", weights_only=False) if args.init else None
    # A checkpoint of another width (capacity study): weights grown, optimizer restarted.
    # One with another front end (the strided-conv twin): what matches is transplanted.
    shapes = {k: v.shape for k, v in model.state_dict().items()}
    transplant = init is not None and args.insert_block is None and set(shapes) != set(init["model"])
    grown = init is not None and (transplant or args.insert_block is not None
                                  or any(shapes.get(k) != v.shape for k, v in init["model"].items()))
    adapt = transplanted_state_dict if transplant else grown_state_dict
    if args.insert_block is not None:
        adapt = lambda m, sd: inserted_state_dict(m, sd, args.insert_block)  # noqa: E731
    if init is not None:
        model.load_state_dict(adapt(model, init["model"]) if grown else init["model"])
    model.to(dev)
    ema = copy.deepcopy(model).eval()
    if init is not None:
        ema.load_state_dict(adapt(ema, init["ema"]) if grown else init["ema"])
    teacher = load_teacher(args.teacher, arch, (ch, cw), len(anchors), dev) if args.teacher else None
    opt = make_optimizer(model, args.lr, args.wd)
    state = {"step": 0, "elapsed": 0.0, "best_ap": -1.0, "history": [], "images": 0}
    if init is not None:
        # A new stretch from a committed checkpoint: weights, EMA, optimizer moments and
        # counters carry over; the wall-clock schedule (warm-up, cosine) starts again.
        if not grown:
            opt.load_state_dict(init["opt"])
        state.update(step=init["state"]["step"], images=init["state"]["images"],
                     history=init["state"].get("history", []))
        print(f"initialised from {args.init} at step {state['step']}", flush=True)
    if args.resume:
        ck = torch.load(os.path.join(args.out, "last.pt"), map_location=dev, weights_only=False)
        model.load_state_dict(ck["model"]); ema.load_state_dict(ck["ema"]); opt.load_state_dict(ck["opt"])
        state = ck["state"]
        print(f"resumed at step {state['step']}, {state['elapsed'] / 60:.1f} min elapsed", flush=True)
    if args.reset_ema:
        ema.load_state_dict(model.state_dict())
        print("EMA restarted from the current weights", flush=True)
    print(f"model: {count_parameters(model)} parameters, {len(anchors)} anchors at {cw}x{ch}", flush=True)

    set_w = dict(SET_WEIGHTS)
    for kv in filter(None, args.set_weights.split(",")):
        k, v = kv.split("=")
        set_w[k] = float(v)
    weights = np.asarray([set_w.get(e["set"], 1.0) for e in train_entries])
    if args.hard_negatives:
        weights = weights * hard_negative_factors(train_entries, args.hard_negatives, args.hard_weight,
                                                  args.hard_min_score)
    ds = TrainSamples(store, train_entries, Augmenter(cw, ch, min_face=args.min_face, share_640=args.share_640), anchors, levels, args.assign, args.mosaic, weights)
    sampler = torch.utils.data.WeightedRandomSampler(weights, num_samples=len(weights), replacement=True,
                                                     generator=torch.Generator().manual_seed(args.seed + state["step"]))
    loader = make_loader(ds, sampler, args.batch, args.workers)
    budget = args.minutes * 60.0

    def save(name):
        ck = {"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), "state": state,
              "arch": arch, "args": vars(args),
              "training_info": {"data": "faces (Caltech 10k Web Faces, ILC 2021 face masks, Caltech-101 / "
                                        "scene negatives); research data, see assets/models/README.md",
                                "command": "python " + " ".join(sys.argv), "steps": state["step"],
                                "images_seen": state["images"], "minutes": round(state["elapsed"] / 60, 1),
                                "crop": args.crop, "batch": args.batch, "lr": args.lr, "device": args.device,
                                "assign": args.assign, "loss": args.loss, "mosaic": args.mosaic,
                                "val": state["history"][-1] if state["history"] else None}}
        tmp = os.path.join(args.out, name + ".tmp")
        torch.save(ck, tmp)
        os.replace(tmp, os.path.join(args.out, name))

    def run_val():
        tv = time.time()
        r = validate(ema, val_entries, val_images)
        rec = {"step": state["step"], "minutes": round(state["elapsed"] / 60, 2), "AP50": r["AP50"],
               "sets": {k: round(v["AP50"], 4) for k, v in r["sets"].items()},
               "buckets": {k: round(v["AP50"], 4) for k, v in r["buckets"].items()},
               "val_seconds": round(time.time() - tv, 1)}
        state["history"].append(rec)
        with open(os.path.join(args.out, "metrics.jsonl"), "a") as f:
            f.write(json.dumps(rec) + "\n")
        if r["AP50"] > state["best_ap"]:
            state["best_ap"] = r["AP50"]
            save("best.pt")
        return rec

    # Ctrl-C, kill or `pkill -f scripts.train.train` (which also reaches the loader process) end the
    # stretch at the next step boundary with last.pt written, instead of an exception
    # somewhere inside the loader or a compiled region.
    stop = {"signal": None}

    def request_stop(signum, _frame):
        stop["signal"] = signum

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    from tqdm import tqdm
    bar = tqdm(total=int(budget), initial=int(state["elapsed"]), unit="s", mininterval=20,
               bar_format="{l_bar}{bar:20}| {n_fmt}/{total_fmt}s [{elapsed}<{remaining}] {postfix}")
    seg_start, last_eval, last_ckpt = time.time(), time.time(), time.time()
    base_elapsed = state["elapsed"]
    smooth = None
    ap_txt = "-"
    done = False
    model.train()
    while not done:
        try:
            batches = iter(loader)
            first = next(batches)
        except Exception as exc:   # e.g. no shared memory for worker processes on the remote machine
            if args.workers == 0:
                raise
            tqdm.write(f"data loader with {args.workers} workers failed ({exc!r}); continuing with 0")
            args.workers = 0
            loader = make_loader(ds, sampler, args.batch, 0)
            continue
        for img, labels, loc_t, pos_w in _chain(first, batches):
            img = img.to(dev, non_blocking=True)
            pos_w = pos_w.to(dev, non_blocking=True)
            labels = labels.to(dev, non_blocking=True)
            loc_t = loc_t.to(dev, non_blocking=True)
            now = time.time()
            state["elapsed"] = base_elapsed + (now - seg_start)
            frac = state["elapsed"] / budget
            if frac >= 1.0:
                done = True
                break
            lr = lr_at(frac, args.lr)
            for g in opt.param_groups:
                g["lr"] = lr
            outs = model(model.normalise(img))
            loc_p, logits = flatten_outputs(arch, outs)
            if args.loss in ("focal", "quality"):
                l_loc, l_conf, npos = focal_diou_loss(loc_p, logits, loc_t, labels.long(), anchors_dev, pos_w,
                                                      quality=args.loss == "quality")
            else:
                l_loc, l_conf, npos = multibox_loss(loc_p, logits, loc_t, labels.long())
            loss = l_loc + l_conf
            l_kd = torch.zeros(())
            if teacher is not None:
                with torch.no_grad():
                    t_loc, t_logits = flatten_outputs(teacher.arch, teacher(teacher.normalise(img)))
                kd_box, kd_score = teacher_loss(loc_p, logits, t_loc, t_logits, labels.long(), anchors_dev)
                l_kd = kd_box + kd_score
                loss = loss + args.teacher_weight * l_kd
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            state["step"] += 1
            state["images"] += img.shape[0]
            ema_update(ema, model, min(args.ema, (1 + state["step"]) / (10 + state["step"])))
            cur = np.array([loss.item(), l_loc.item(), l_conf.item(), l_kd.item()])
            smooth = cur if smooth is None else 0.98 * smooth + 0.02 * cur
            bar.n = int(state["elapsed"])
            bar.set_postfix_str(f"step {state['step']} loss {smooth[0]:.3f} (loc {smooth[1]:.3f} conf "
                                f"{smooth[2]:.3f}) lr {lr:.2e} {img.shape[0] / max(time.time() - now, 1e-6):.0f} "
                                f"img/s/step valAP {ap_txt}", refresh=False)
            bar.update(0)
            if state["step"] % 50 == 0:
                with open(os.path.join(args.out, "train.jsonl"), "a") as f:
                    f.write(json.dumps({"step": state["step"], "minutes": round(state["elapsed"] / 60, 2),
                                        "images": state["images"], "loss": round(float(smooth[0]), 4),
                                        "loc": round(float(smooth[1]), 4), "conf": round(float(smooth[2]), 4),
                                        "teacher": round(float(smooth[3]), 4), "lr": lr}) + "\n")
            if not args.no_val and time.time() - last_eval > args.eval_minutes * 60:
                rec = run_val()
                ap_txt = f"{rec['AP50']:.3f}"
                tqdm.write(json.dumps(rec))
                last_eval = time.time()
            if time.time() - last_ckpt > args.ckpt_minutes * 60:
                save("last.pt")
                last_ckpt = time.time()
            if stop["signal"] is not None:
                done = True
                break
    bar.close()
    if stop["signal"] is not None:
        save("last.pt")
        print(f"stopped by signal {stop['signal']} at step {state['step']}, "
              f"{state['elapsed'] / 60:.1f} min elapsed; {os.path.join(args.out, 'last.pt')} written "
              f"(continue with --resume)", flush=True)
        sys.exit(128 + stop["signal"])
    if not args.no_val:
        rec = run_val()
        print(json.dumps(rec), flush=True)
    save("last.pt")
    print(f"done: {state['step']} steps, {state['images']} images, {state['elapsed'] / 60:.1f} min, "
          f"best val AP50 {state['best_ap']:.4f}", flush=True)


if __name__ == "__main__":
    main()
