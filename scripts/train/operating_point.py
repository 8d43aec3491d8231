"""Choose the model's post-processing settings from val and write them into the model file.

  python -m scripts.train.operating_point --model assets/models/rnnpool-face.rpm --nested 0.7 --box-vote 0.5 --top-k 300 --write

Run it after quantize.py: the model file runs on the path the engine takes by default
(int8 when the file carries activation scales), so the threshold fits that path.

1. runs the model file on the val split (320x240 letterbox, score >= 0.05) with the given
   nested-box suppression, box voting (NETWORK.md section 6; `none` turns either off) and
   candidate limit (`--top-k`: the engine's arena holds that many candidate records, 24 B
   each; 300 loses 0.0005 val AP50 against 750 and saves 10.8 KB) and prints the AP50 table;
2. picks the default score threshold: the lowest score at which the precision of all val
   detections at or above it (IoU 0.5, ignore-aware, as evaluate.py) is still >= --precision,
   raised where needed until at most --face-free-rate boxes per face-free val photo remain
   (issue 8: at most 1 box per 50 face-free photos at the default threshold);
3. counts the boxes that threshold leaves on the face-free val photos, and the recall there;
4. with --write, stores `score_threshold`, `nms_nested`, `box_vote`, `top_k` and the val figures in the file's
   header (tensors unchanged; CRC and round trip checked by rpm.py), and `coarse_split` where given.

`--coarse-split S` (or `none`) sets which pass each head's candidates come from when the engine runs
the model at a larger input with a coarse pass at the model's own size (NETWORK.md section 6b). Only
the Swift engine runs that pair of passes, so S is chosen from its val AP at `--input-size 640x480`
(`detect --json --threshold 0.05` on the val photos, then evaluate.py): for the shipped model, AP50
0.8503-0.8507 for S from 60 to 90 px, 0.8428 without, 0.8418 at 100 (the model card). Without the
flag the file's value stays.
"""
import argparse
import json
import os
import sys

import numpy as np
from PIL import Image

from .dataset import DEFAULT_DATA, face_arrays, load_labels
from .evaluate import evaluate, format_result, match_image, predict
from .rpm import check_model, read_rpm, write_rpm


def threshold_at_precision(entries, dets, precision):
    """Lowest detection score s such that the detections scoring >= s have precision >= target."""
    rows = []
    for e, d in zip(entries, dets):
        faces, ignores = face_arrays(e)
        d = np.asarray(d, np.float64).reshape(-1, 5)
        d = d[np.argsort(-d[:, 4], kind="stable")]
        m = match_image(d, faces, ignores)
        rows += [(d[k, 4], m[k] >= 0, m[k] == -1) for k in range(len(d))]
    rows.sort(key=lambda r: -r[0])
    s = np.asarray([r[0] for r in rows])
    tp = np.cumsum([r[1] for r in rows]); fp = np.cumsum([r[2] for r in rows])
    prec = tp / np.maximum(tp + fp, 1)
    # a threshold keeps every detection tied with it: only the last of a tie can end the list
    last_of_tie = np.append(s[1:] < s[:-1], True)
    ok = np.nonzero((prec >= precision) & last_of_tie)[0]
    if not len(ok):
        return 1.0, 0.0, 0.0
    i = ok[-1]
    thr = float(s[i])
    return thr, float(prec[i]), float(tp[i] / max(sum(len(face_arrays(e)[0]) for e in entries), 1))


def threshold_for_face_free(neg_dets, rate):
    """Lowest 4-decimal score s such that at most floor(rate * photos) boxes on the face-free
    photos score >= s (0 where even the lowest score passes)."""
    scores = np.sort(np.concatenate([np.asarray(d, np.float64).reshape(-1, 5)[:, 4] for d in neg_dets] + [np.zeros(0)]))[::-1]
    allowed = int(np.floor(rate * len(neg_dets) + 1e-9))
    if len(scores) <= allowed:
        return 0.0
    s = float(np.ceil(scores[allowed] * 1e4) / 1e4)
    return s if s > scores[allowed] else s + 1e-4


def precision_recall_at(entries, dets, thr):
    """Precision and recall (IoU 0.5, ignore-aware) of the val detections scoring >= thr."""
    tp = fp = 0
    for e, d in zip(entries, dets):
        faces, ignores = face_arrays(e)
        d = np.asarray(d, np.float64).reshape(-1, 5)
        d = d[np.argsort(-d[:, 4], kind="stable")]
        m = match_image(d, faces, ignores)
        keep = d[:, 4] >= thr
        tp += int(((m >= 0) & keep).sum()); fp += int(((m == -1) & keep).sum())
    total = max(sum(len(face_arrays(e)[0]) for e in entries), 1)
    return tp / max(tp + fp, 1), tp / total


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--nested", default="0.7", help="nested-box overlap limit, or 'none'")
    ap.add_argument("--box-vote", default="0.5", help="box-voting IoU, or 'none'")
    ap.add_argument("--top-k", type=int, default=None, help="candidates kept before NMS (default: the file's)")
    ap.add_argument("--precision", type=float, default=0.9)
    ap.add_argument("--face-free-rate", type=float, default=0.02,
                    help="most boxes per face-free val photo at the threshold (0.02 = 1 in 50; negative: no limit)")
    ap.add_argument("--coarse-split", default=None,
                    help="largest anchor (model px) up to which a head's candidates come from the larger pass "
                         "at a larger input, or 'none' (default: the file's)")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    import torch
    torch.set_num_threads(2)
    header, tensors = read_rpm(args.model)
    check_model(header, tensors, args.model)
    pp = header["postprocess"]
    if args.nested == "none":
        pp.pop("nms_nested", None)
    else:
        pp["nms_nested"] = float(args.nested)
    if args.box_vote == "none":
        pp.pop("box_vote", None)
    else:
        pp["box_vote"] = float(args.box_vote)
    if args.top_k is not None:
        pp["top_k"] = args.top_k
    if args.coarse_split == "none":
        pp.pop("coarse_split", None)
    elif args.coarse_split is not None:
        pp["coarse_split"] = float(args.coarse_split)
    entries = load_labels(args.data, "val")
    images = [np.asarray(Image.open(os.path.join(args.data, e["image"])).convert("L"), np.uint8) for e in entries]
    dets = predict(header, tensors, images, 0.05)
    r = evaluate(entries, dets)
    print(format_result(r))
    thr, prec, rec = threshold_at_precision(entries, dets, args.precision)
    neg = [d for e, d in zip(entries, dets) if e["set"] == "neg"]
    def boxes_on_face_free(t):
        return sum(int((np.asarray(d).reshape(-1, 5)[:, 4] >= t).sum()) for d in neg)
    print(f"precision {args.precision}: threshold {thr:.4f}, recall {rec:.3f}; "
          f"{boxes_on_face_free(thr)} boxes on {len(neg)} face-free photos")
    if args.face_free_rate >= 0:
        thr_neg = threshold_for_face_free(neg, args.face_free_rate)
        if thr_neg > thr:
            thr = thr_neg
            prec, rec = precision_recall_at(entries, dets, thr)
            print(f"raised for at most {args.face_free_rate:g} boxes per face-free photo: threshold {thr:.4f}")
    fp_neg = boxes_on_face_free(thr)
    print(f"threshold {thr:.4f}: precision {prec:.3f}, recall {rec:.3f}; {fp_neg} boxes on {len(neg)} face-free photos")
    if args.write:
        pp["score_threshold"] = round(thr, 4)
        header.setdefault("training", {})["val"] = {
            "AP50": round(r["AP50"], 4), "sets": {k: round(v["AP50"], 4) for k, v in r["sets"].items()},
            "buckets": {k: round(v["AP50"], 4) for k, v in r["buckets"].items()},
            "threshold_precision": round(prec, 4), "threshold_recall": round(rec, 4),
            "boxes_on_face_free": fp_neg, "face_free_photos": len(neg)}
        write_rpm(args.model, header, tensors)
        h2, t2 = read_rpm(args.model)
        check_model(h2, t2, args.model)
        print(f"wrote {args.model}: score_threshold {pp['score_threshold']}, nms_nested {pp.get('nms_nested')}, "
              f"box_vote {pp.get('box_vote')}, top_k {pp['top_k']}, coarse_split {pp.get('coarse_split')}")
        print(json.dumps(header["training"]["val"]))


if __name__ == "__main__":
    main()
