"""VOC-style AP at IoU 0.5 on the val split, ignore-aware, overall / per set / per size.

  python -m scripts.train.evaluate --model assets/models/rnnpool-face.rpm
  python -m scripts.train.evaluate --checkpoint /work/train-runs/run1/best.pt
  python -m scripts.train.evaluate --detections swift.jsonl      (rnnpool-cam detect --json)

The model is always run from its folded tensors (the .rpm or the folded checkpoint)
at 320x240 through the exact letterbox of NETWORK.md section 1; detections are mapped
back to stored-image pixels and compared with labels.jsonl.

Matching, for each detection in descending score order within its image:
  1. the unmatched non-ignore face with the highest IoU >= 0.5 -> TP (face now matched);
  2. else an ignore region with IoU >= 0.5 -> neither TP nor FP;
  3. else (only duplicates of matched faces or nothing) -> FP.
Per-size-bucket AP (face width in stored pixels) counts only that bucket's faces as
positives; detections that took a face of another bucket count as neither.
AP is the area under the all-point interpolated precision envelope (VOC 2010+).
"""
import argparse
import json
import os
import sys

import numpy as np

from .boxes import iou_matrix
from .dataset import DEFAULT_DATA, face_arrays, load_labels

BUCKETS = [("<16", 0, 16), ("16-32", 16, 32), ("32-64", 32, 64), ("64-128", 64, 128), (">=128", 128, 1e9)]


def bucket_of(width):
    for i, (_, lo, hi) in enumerate(BUCKETS):
        if lo <= width < hi:
            return i
    return len(BUCKETS) - 1


def match_image(dets, faces, ignores, iou_thr=0.5):
    """For each det (sorted best first) return the index of the face it took (TP), -1
    for FP, -2 for 'matched an ignore region'. dets: [K, >=4] x, y, w, h."""
    res = np.full(len(dets), -1, np.int64)
    if not len(dets):
        return res
    iou_f = iou_matrix(dets[:, :4], faces) if len(faces) else np.zeros((len(dets), 0))
    iou_g = iou_matrix(dets[:, :4], ignores) if len(ignores) else np.zeros((len(dets), 0))
    taken = np.zeros(len(faces), bool)
    for d in range(len(dets)):
        cand = np.where(~taken & (iou_f[d] >= iou_thr), iou_f[d], -1.0) if len(faces) else np.zeros(0)
        if len(cand) and cand.max() >= iou_thr:
            f = int(cand.argmax())
            taken[f] = True
            res[d] = f
        elif len(ignores) and iou_g[d].max() >= iou_thr:
            res[d] = -2
    return res


def voc_ap(scores, tp, fp, npos):
    if npos == 0:
        return float("nan")
    order = np.argsort(-np.asarray(scores), kind="stable")
    tp = np.cumsum(np.asarray(tp, np.float64)[order])
    fp = np.cumsum(np.asarray(fp, np.float64)[order])
    rec = tp / npos
    prec = tp / np.maximum(tp + fp, 1e-12)
    mrec = np.concatenate([[0.0], rec, [1.0]])
    mpre = np.concatenate([[0.0], prec, [0.0]])
    mpre = np.maximum.accumulate(mpre[::-1])[::-1]
    i = np.nonzero(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def evaluate(entries, detections, iou_thr=0.5):
    """entries: label entries; detections: list (same order) of [K, 5] arrays in
    stored-image pixels. Returns dict of AP figures and positive counts."""
    rows = []  # (score, set, matched face bucket or -1 FP or -2 ignore)
    npos = {}
    for e, d in zip(entries, detections):
        faces, ignores = face_arrays(e)
        fb = np.asarray([bucket_of(w) for w in faces[:, 2]], np.int64)
        for b in fb:
            npos[("all", int(b))] = npos.get(("all", int(b)), 0) + 1
            npos[(e["set"], int(b))] = npos.get((e["set"], int(b)), 0) + 1
        d = np.asarray(d, np.float64).reshape(-1, 5)
        d = d[np.argsort(-d[:, 4], kind="stable")]
        m = match_image(d, faces, ignores, iou_thr)
        for k in range(len(d)):
            rows.append((d[k, 4], e["set"], int(fb[m[k]]) if m[k] >= 0 else int(m[k])))
    scores = np.asarray([r[0] for r in rows])
    sets = np.asarray([r[1] for r in rows])
    tag = np.asarray([r[2] for r in rows], np.int64)

    def ap(set_name=None, bucket=None):
        sel = np.ones(len(rows), bool) if set_name is None else (sets == set_name)
        pos_n = sum(v for (s, b), v in npos.items()
                    if s == (set_name or "all") and (bucket is None or b == bucket))
        t = tag[sel]
        tp = t >= 0 if bucket is None else t == bucket
        fp = t == -1
        keep = tp | fp   # everything else counts as neither
        return voc_ap(scores[sel][keep], tp[keep], fp[keep], pos_n), pos_n

    out = {"AP50": ap()[0], "positives": ap()[1], "sets": {}, "buckets": {}}
    for s in sorted({e["set"] for e in entries} - {"neg"}):
        out["sets"][s] = {"AP50": ap(s)[0], "positives": ap(s)[1]}
    for i, (name, _, _) in enumerate(BUCKETS):
        a, n = ap(None, i)
        out["buckets"][name] = {"AP50": a, "positives": n}
    return out


def format_result(r):
    lines = [f"AP50 overall {r['AP50']:.4f} ({r['positives']} faces)"]
    for s, v in r["sets"].items():
        lines.append(f"  set {s:<6} {v['AP50']:.4f} ({v['positives']} faces)")
    for b, v in r["buckets"].items():
        lines.append(f"  width {b:<7} {v['AP50']:.4f} ({v['positives']} faces)")
    return "\n".join(lines)


def predict(header, tensors, images, threshold=0.05, batch=32):
    """Run a folded model on source images (list of uint8 planes); detections in
    source pixels, best first."""
    from .reference import as_torch, detect_letterboxed
    T = as_torch(tensors)
    return _predict_letterboxed(header["input"], images, lambda lb: detect_letterboxed(header, T, lb, threshold),
                                batch)


def predict_module(model, images, threshold=0.05, batch=32):
    """`predict` through the PyTorch forward of a Detector whose architecture the model
    file cannot hold (the strided-convolution twin): its own arch is the header."""
    from .reference import detect_letterboxed_module
    return _predict_letterboxed(model.arch["input"], images,
                                lambda lb: detect_letterboxed_module(model, lb, threshold), batch)


def _predict_letterboxed(inp, images, detect, batch):
    from .letterbox import boxes_to_source, letterbox
    w, h = inp["width"], inp["height"]
    out = []
    for i in range(0, len(images), batch):
        chunk = images[i:i + batch]
        lb = np.stack([letterbox(im, w, h) for im in chunk])
        for im, d in zip(chunk, detect(lb)):
            out.append(boxes_to_source(d, im.shape[1], im.shape[0], w, h).reshape(-1, 5))
    return out


def holds_in_model_file(model):
    """Whether the model file (and so the folded-tensor path) can hold this architecture:
    not for the strided-convolution twin, which the engine does not run."""
    return model.arch["rnnpool"].get("replace_with") is None


def load_jsonl_detections(path, entries):
    """Swift CLI JSON lines -> detections aligned with `entries` (matched by file stem)."""
    by_stem = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            stem = os.path.splitext(os.path.basename(r["file"]))[0]
            by_stem[stem] = np.asarray([[b["x"], b["y"], b["w"], b["h"], b["score"]] for b in r["faces"]],
                                       np.float64).reshape(-1, 5)
    missing = [e["image"] for e in entries if os.path.splitext(os.path.basename(e["image"]))[0] not in by_stem]
    if missing:
        raise SystemExit(f"{path}: no detections line for {len(missing)} val images, e.g. {missing[0]}")
    return [by_stem[os.path.splitext(os.path.basename(e["image"]))[0]] for e in entries]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--model", help=".rpm model file")
    g.add_argument("--checkpoint", help="training checkpoint (EMA weights, folded)")
    g.add_argument("--detections", help="JSON lines from `rnnpool-cam detect --json`")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--split", default="val")
    ap.add_argument("--threshold", type=float, default=0.05)
    ap.add_argument("--json-out", help="write the result dict here")
    ap.add_argument("--dump-detections", help="write Python detections as JSON lines here")
    args = ap.parse_args(argv)
    entries = load_labels(args.data, args.split)
    if args.detections:
        dets = load_jsonl_detections(args.detections, entries)
    else:
        import torch
        from PIL import Image
        torch.set_num_threads(2)
        if args.model:
            from .rpm import check_model, read_rpm
            header, tensors = read_rpm(args.model)
            check_model(header, tensors, args.model)
        else:
            from .export import load_checkpoint_model, model_header, model_tensors
            m, _ = load_checkpoint_model(args.checkpoint)
        images = [np.asarray(Image.open(os.path.join(args.data, e["image"])).convert("L"), np.uint8)
                  for e in entries]
        if args.checkpoint and not holds_in_model_file(m):
            dets = predict_module(m, images, args.threshold)
        else:
            if args.checkpoint:
                header, tensors = model_header(m), model_tensors(m)
            dets = predict(header, tensors, images, args.threshold)
        if args.dump_detections:
            with open(args.dump_detections, "w") as f:
                for e, d in zip(entries, dets):
                    f.write(json.dumps({"file": os.path.basename(e["image"]), "width": e["width"],
                                        "height": e["height"],
                                        "faces": [{"x": float(b[0]), "y": float(b[1]), "w": float(b[2]),
                                                   "h": float(b[3]), "score": float(b[4])} for b in d]}) + "\n")
    r = evaluate(entries, dets)
    print(format_result(r))
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(r, f, indent=1)
    return r


if __name__ == "__main__":
    main()
