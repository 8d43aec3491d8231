"""List the face-free train photos a checkpoint finds "faces" on: the hard negatives.

  python -m scripts.train.mine_negatives --checkpoint scripts/train/checkpoints/last.pt \
      --out scripts/train/hard_negatives.json

Runs the checkpoint's EMA weights (folded, 320x240 letterbox, as the engine) on every
face-free photo of the train split and writes, best first, each photo whose highest
box scores at least --min-score, with that score. `train.py --hard-negatives FILE`
then draws those scoring at least --hard-min-score (default 0.45) --hard-weight times as
often as their set's weight says: the false alarms on clutter (menorahs, chandeliers,
brass instruments, loudspeakers) are what keeps boxes on face-free val photos above 1
in 50 at the precision-0.9 threshold.
"""
import argparse
import json
import os
import sys

import numpy as np
from PIL import Image

from .dataset import DEFAULT_DATA, load_labels
from .evaluate import predict
from .export import load_checkpoint_model, model_header, model_tensors


def hard_negatives(entries, dets, min_score):
    """[(image, top score)] for the entries whose detections reach min_score, best first."""
    rows = []
    for e, d in zip(entries, dets):
        d = np.asarray(d, np.float64).reshape(-1, 5)
        top = float(d[:, 4].max()) if len(d) else 0.0
        if top >= min_score:
            rows.append((e["image"], round(top, 4)))
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--out", required=True)
    ap.add_argument("--min-score", type=float, default=0.3)
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(2)
    m, _ = load_checkpoint_model(args.checkpoint, True)
    entries = [e for e in load_labels(args.data, "train") if e["set"] == "neg"]
    images = [np.asarray(Image.open(os.path.join(args.data, e["image"])).convert("L"), np.uint8) for e in entries]
    dets = predict(model_header(m), model_tensors(m), images, args.min_score)
    rows = hard_negatives(entries, dets, args.min_score)
    with open(args.out, "w") as f:
        json.dump({"checkpoint": os.path.basename(args.checkpoint), "min_score": args.min_score,
                   "face_free_photos": len(entries), "hard": [{"image": i, "score": s} for i, s in rows]}, f, indent=1)
    print(f"{len(rows)} of {len(entries)} face-free train photos have a box >= {args.min_score}; wrote {args.out}")


if __name__ == "__main__":
    main()
