"""Pack a split of the faces data set into one compact file for a remote training machine.

  python -m scripts.train.pack --out .gpu/faces-train.npz --scale 0.75 --quality 62

The device machine lent to some sessions takes at most 64 MiB of files per call, and the
data set is ~250 MiB of JPEGs, so each photo is re-encoded as WebP at a smaller size
(0.75 of the stored size keeps every photo at >= 320x240-letterbox resolution or more for
the 448-px photos) and its boxes are scaled alike. The file holds the encoded bytes, their
offsets and the label entries as JSON; `dataset.ImageStore.from_pack` decodes it. It is a
training convenience only: evaluation always reads the original JPEGs.
"""
import argparse
import io
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from PIL import Image

from .dataset import DEFAULT_DATA, load_labels


def _encode(job):
    path, scale, quality = job
    im = Image.open(path).convert("L")
    w, h = im.size
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    if (nw, nh) != (w, h):
        im = im.resize((nw, nh), Image.LANCZOS)
    b = io.BytesIO()
    im.save(b, "WEBP", quality=quality, method=4)
    return b.getvalue(), nw / w, nh / h, nw, nh


def scaled_entry(e, sx, sy, nw, nh):
    e = dict(e, width=nw, height=nh)
    e["faces"] = [dict(f, box=[f["box"][0] * sx, f["box"][1] * sy, f["box"][2] * sx, f["box"][3] * sy])
                  for f in e["faces"]]
    return e


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--split", default="train")
    ap.add_argument("--out", required=True)
    ap.add_argument("--scale", type=float, default=0.75)
    ap.add_argument("--quality", type=int, default=62)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    entries = load_labels(args.data, args.split)
    jobs = [(os.path.join(args.data, e["image"]), args.scale, args.quality) for e in entries]
    with ProcessPoolExecutor(args.jobs) as ex:
        res = list(ex.map(_encode, jobs, chunksize=64))
    blobs = [r[0] for r in res]
    offsets = np.concatenate([[0], np.cumsum([len(b) for b in blobs])]).astype(np.int64)
    packed = [scaled_entry(e, *r[1:]) for e, r in zip(entries, res)]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    np.savez(args.out, blob=np.frombuffer(b"".join(blobs), np.uint8), offsets=offsets,
             labels=np.frombuffer(json.dumps(packed).encode(), np.uint8))
    print(f"{args.out}: {len(entries)} images, {os.path.getsize(args.out) / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
