#!/usr/bin/env python3
"""Our detector beside Ultra-Light RFB-320 (or RFB-640) on the val split, in one table.

  python -m scripts.compare_peer                       # assets/models/rnnpool-face.rpm
  python -m scripts.compare_peer --model other.rpm --markdown
  python -m scripts.compare_peer --peer version-RFB-640.onnx --detections ours-640.jsonl
      (ours-640.jsonl: `rnnpool-cam detect --json --threshold 0.05 --input-size 640x480` on
      the val JPEGs; RFB-640's file is in the Ultra-Light repository, models/onnx/)

Both detectors see the same pixels: each val JPEG through our exact letterbox to
320x240 gray (RFB-640: 640x480). The letterbox enlarges a smaller photo bilinearly, as
the peers' demos do with cv2.resize; until 2026-12-07 it repeated pixels, which cost
RFB-640 0.06 AP50 on val (docs/BENCHMARKS.md). RFB-320 gets the gray plane replicated to
RGB, `(p - 127) / 128`, as its demo does (../shared/peers/README.md). Both keep scores
>= 0.05; RFB-320 keeps the 200 best and runs NMS at IoU 0.3 (its demo's settings); ours
runs its own post-processing from the model file. Evaluation is evaluate.py's
(ignore-aware VOC AP, IoU 0.5 and 0.3). Also printed: recall at precision 0.9 per width
bucket, and boxes per face-free photo at each detector's operating threshold (ours: the
model file's score_threshold; RFB-320: 0.7, its demo's default). Needs onnxruntime (pip)
on top of scripts/train/requirements.txt.
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
from scripts.train.boxes import nms
from scripts.train.dataset import DEFAULT_DATA, face_arrays, load_labels
from scripts.train.evaluate import BUCKETS, bucket_of, evaluate, load_jsonl_detections, match_image, predict
from scripts.train.letterbox import boxes_to_source, letterbox

PEER = os.path.normpath(os.path.join(REPO, "..", "shared", "peers", "version-RFB-320.onnx"))


def rfb(session, images, threshold=0.05, top_k=200, nms_iou=0.3):
    """RFB-320 or RFB-640 (the input size is read from the ONNX file) on source images."""
    _, _, h, w = session.get_inputs()[0].shape
    out = []
    for im in images:
        lb = letterbox(im, w, h).astype(np.float32)
        x = np.repeat(((lb - 127.0) / 128.0)[None, None], 3, 1)
        scores, boxes = session.run(None, {"input": x})
        s, b = scores[0, :, 1], boxes[0]
        keep = np.nonzero(s >= threshold)[0]
        xywh = np.stack([b[keep, 0] * w, b[keep, 1] * h, (b[keep, 2] - b[keep, 0]) * w,
                         (b[keep, 3] - b[keep, 1]) * h], -1).astype(np.float64)
        k = nms(xywh, s[keep], nms_iou, top_k, top_k)
        det = np.concatenate([xywh[k], s[keep][k][:, None]], 1) if len(k) else np.zeros((0, 5))
        out.append(boxes_to_source(det, im.shape[1], im.shape[0], w, h).reshape(-1, 5))
    return out


def recall_at_precision(entries, dets, bucket, precision=0.9):
    """Recall of one width bucket's faces at the lowest score where overall precision
    (all detections, all faces) is still >= `precision`."""
    rows, npos = [], 0
    for e, d in zip(entries, dets):
        faces, ignores = face_arrays(e)
        fb = np.asarray([bucket_of(w) for w in faces[:, 2]], np.int64)
        npos += int((fb == bucket).sum())
        d = np.asarray(d, np.float64).reshape(-1, 5)
        d = d[np.argsort(-d[:, 4], kind="stable")]
        m = match_image(d, faces, ignores)
        rows += [(d[k, 4], m[k] >= 0, m[k] == -1, m[k] >= 0 and fb[m[k]] == bucket) for k in range(len(d))]
    rows.sort(key=lambda r: -r[0])
    tp = np.cumsum([r[1] for r in rows]); fp = np.cumsum([r[2] for r in rows])
    hit = np.cumsum([r[3] for r in rows])
    ok = np.nonzero(tp / np.maximum(tp + fp, 1) >= precision)[0]
    return float(hit[ok[-1]] / max(npos, 1)) if len(ok) and npos else float("nan")


def boxes_per_negative(entries, dets, threshold):
    neg = [d for e, d in zip(entries, dets) if e["set"] == "neg"]
    return sum(int((np.asarray(d).reshape(-1, 5)[:, 4] >= threshold).sum()) for d in neg), len(neg)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(REPO, "assets", "models", "rnnpool-face.rpm"))
    ap.add_argument("--peer", default=PEER)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--peer-threshold", type=float, default=0.7)
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--detections", help="ours from `rnnpool-cam detect --json` lines (e.g. with --input-size "
                                         "640x480) instead of the model file through Python at 320x240")
    args = ap.parse_args(argv)
    import onnxruntime as ort
    import torch
    from scripts.train.rpm import check_model, read_rpm
    torch.set_num_threads(2)
    entries = load_labels(args.data, "val")
    images = [np.asarray(Image.open(os.path.join(args.data, e["image"])).convert("L"), np.uint8) for e in entries]
    header, tensors = read_rpm(args.model)
    check_model(header, tensors, args.model)
    ours = load_jsonl_detections(args.detections, entries) if args.detections else predict(header, tensors, images, 0.05)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    session = ort.InferenceSession(args.peer, opts, providers=["CPUExecutionProvider"])
    peer_name = f"RFB-{session.get_inputs()[0].shape[3]}"
    peer = rfb(session, images)
    res = {name: (evaluate(entries, d), evaluate(entries, d, iou_thr=0.3)) for name, d in (("ours", ours), ("rfb", peer))}
    rows = [("all val", lambda r: r)]
    rows += [(f"set {s}", lambda r, s=s: r["sets"][s]) for s in res["ours"][0]["sets"]]
    rows += [(f"width {b} px", lambda r, b=b: r["buckets"][b]) for b, _, _ in BUCKETS]
    cw_il = [e for e in entries if e["set"] in ("cwf", "ilc", "neg")]
    sel = [i for i, e in enumerate(entries) if e["set"] in ("cwf", "ilc", "neg")]
    ci = {n: evaluate(cw_il, [d[i] for i in sel]) for n, d in (("ours", ours), ("rfb", peer))}
    lines = [f"| val subset | faces | ours AP50 | {peer_name} AP50 | ours AP30 | {peer_name} AP30 |",
             "|---|---:|---:|---:|---:|---:|"]
    lines.append(f"| cwf + ilc | {ci['ours']['positives']} | {ci['ours']['AP50']:.3f} | {ci['rfb']['AP50']:.3f} | | |")
    for name, get in rows:
        o50, o30 = get(res["ours"][0]), get(res["ours"][1])
        r50, r30 = get(res["rfb"][0]), get(res["rfb"][1])
        lines.append(f"| {name} | {o50['positives']} | {o50['AP50']:.3f} | {r50['AP50']:.3f} | "
                     f"{o30['AP50']:.3f} | {r30['AP50']:.3f} |")
    lines += ["", f"| width | ours recall @ precision 0.9 | {peer_name} |", "|---|---:|---:|"]
    for i, (b, _, _) in enumerate(BUCKETS):
        lines.append(f"| {b} px | {recall_at_precision(entries, ours, i):.3f} | {recall_at_precision(entries, peer, i):.3f} |")
    thr = header["postprocess"]["score_threshold"]
    n_o, n_neg = boxes_per_negative(entries, ours, thr)
    n_r, _ = boxes_per_negative(entries, peer, args.peer_threshold)
    lines += ["", f"Boxes on the {n_neg} face-free val photos: ours {n_o} at its threshold {thr:.2f}, "
                  f"{peer_name} {n_r} at {args.peer_threshold:.2f}."]
    text = "\n".join(lines)
    print(text if args.markdown else text.replace("|", " ").replace("---:", "").replace("---", ""))


if __name__ == "__main__":
    main()
