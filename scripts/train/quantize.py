"""Calibrate the int8 activation scales of a float model file and write a version-2 file.

  python -m scripts.train.quantize --model assets/models/rnnpool-face.rpm --out assets/models/rnnpool-face.rpm

Reads a model file (version 1, or version 2 whose scales are then replaced), runs the
float reference forward (reference.py) over --images training images taken evenly
across the train split of the faces data set, each through the letterbox of
NETWORK.md section 1, and records the largest |value| of every activation the engine's
int8 path stores (stem output, RNN1 summaries, RNNPool output, each block's output).
Each scale is that maximum / 127, rounded to 6 significant digits (so that float
reductions that differ in the last bit from run to run cannot change the file): no
value of the calibration set clips. Weights are copied unchanged (float32).

Deterministic: same input file, data and --images give the same bytes.
"""
import argparse
import copy
import os
import sys

import numpy as np
import torch
from PIL import Image

from .dataset import DEFAULT_DATA, load_labels
from .letterbox import letterbox
from .reference import activation_names, as_torch, forward_tensors
from .rpm import check_model, read_rpm, write_rpm


def calibration_images(data_dir, count, width, height):
    """`count` letterboxed train images, evenly spaced over the split in label order."""
    entries = load_labels(data_dir, "train")
    if not entries:
        raise SystemExit(f"{data_dir}: no train images in labels.jsonl")
    idx = np.unique(np.linspace(0, len(entries) - 1, min(count, len(entries))).round().astype(int))
    out = []
    for i in idx:
        img = np.asarray(Image.open(os.path.join(data_dir, entries[i]["image"])).convert("L"), np.uint8)
        out.append(letterbox(img, width, height))
    return np.stack(out)


def calibrate(header, tensors, images_u8, batch=16):
    """{activation name: max |value|} over the images, float path."""
    T = as_torch(tensors)
    inp = header["input"]
    stats = {}
    with torch.no_grad():
        for i in range(0, len(images_u8), batch):
            x = torch.from_numpy(images_u8[i:i + batch]).float()[:, None] * inp["scale"] + inp["offset"]
            forward_tensors(header, T, x, None, stats)
    return stats


def scale_of(max_abs):
    s = max(float(max_abs), 1e-6) / 127.0
    return float(f"{s:.6g}")


def quantized_header(header, stats, images, data_dir):
    h = copy.deepcopy(header)
    h["activations"] = {
        "dtype": "int8",
        "scales": {k: scale_of(stats[k]) for k in activation_names(header)},
        "calibration": {"images": int(images), "split": "train",
                        "data": os.path.basename(os.path.normpath(data_dir)),
                        "rule": "max |x| / 127 over the calibration images, 6 significant digits"},
    }
    return h


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="float model file (.rpm version 1 or 2)")
    ap.add_argument("--out", required=True, help="version-2 file to write (may be --model itself)")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--images", type=int, default=256, help="calibration images from the train split")
    args = ap.parse_args(argv)
    torch.manual_seed(0)
    header, tensors = read_rpm(args.model)
    header.pop("activations", None)
    check_model(header, tensors, args.model)
    imgs = calibration_images(args.data, args.images, header["input"]["width"], header["input"]["height"])
    stats = calibrate(header, tensors, imgs)
    h2 = quantized_header(header, stats, len(imgs), args.data)
    check_model(h2, tensors, args.out)
    n = write_rpm(args.out, h2, tensors)
    h3, t3 = read_rpm(args.out)
    check_model(h3, t3, args.out)
    for k in activation_names(header):
        print(f"{k:20s} max |x| {stats[k]:10.5f}   scale {h2['activations']['scales'][k]:.6g}")
    print(f"wrote {args.out} ({n} bytes, version 2, {len(imgs)} calibration images)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
