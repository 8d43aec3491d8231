#!/usr/bin/env python3
"""Compare the Swift engine's val AP50 with the Python reference's (must agree within 0.01).

  python -m scripts.compare_ap --binary .build/release/rnnpool-cam                  # both precisions
  python -m scripts.compare_ap --binary .build/release/rnnpool-cam --precision int8

With a model that carries int8 activation scales (version 2) the default `--precision
both` runs each step for the float and the int8 path (`detect --precision ...`, and the
Python reference with and without the scales) and also requires the int8 AP50 to be
within --int8-tolerance (0.005) of the float AP50, Python and Swift alike.

1. decodes the val JPEGs of the faces data set into binary PGM (P5) files in a temp dir;
2. runs `rnnpool-cam detect --json --threshold 0.05 FILE...` (from --cwd, the repository
   root by default, so the CLI finds assets/models/rnnpool-face.rpm) and keeps its JSON lines;
3. runs the Python reference on the same pixels from the same model file;
4. evaluates both with scripts/train/evaluate.py and compares overall AP50.
Exit status 0 when |AP_swift - AP_python| <= --tolerance, 1 otherwise.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
from scripts.train.dataset import DEFAULT_DATA, load_labels
from scripts.train.evaluate import evaluate, format_result, load_jsonl_detections, predict


def default_binary():
    for cfg in ("release", "debug"):
        p = os.path.join(REPO, ".build", cfg, "rnnpool-cam")
        if os.path.exists(p):
            return p
    return os.path.join(REPO, ".build", "release", "rnnpool-cam")


def write_pgm(path, img):
    with open(path, "wb") as f:
        f.write(f"P5\n{img.shape[1]} {img.shape[0]}\n255\n".encode("ascii"))
        f.write(np.ascontiguousarray(img, np.uint8).tobytes())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=default_binary(), help="rnnpool-cam executable")
    ap.add_argument("--model", default=os.path.join(REPO, "assets", "models", "rnnpool-face.rpm"),
                    help="model file the binary loads (for the Python side)")
    ap.add_argument("--cwd", default=REPO, help="working directory for the binary")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--threshold", type=float, default=0.05)
    ap.add_argument("--tolerance", type=float, default=0.01)
    ap.add_argument("--extra-arg", action="append", default=[], help="extra argument for `detect` (repeatable)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N val images (quick check)")
    ap.add_argument("--precision", choices=("float", "int8", "both"), default="both",
                    help="path(s) to compare (both: float and int8 when the model carries scales)")
    ap.add_argument("--int8-tolerance", type=float, default=0.005, help="largest |AP50 int8 - AP50 float|")
    ap.add_argument("--keep", help="keep the PGMs and the JSON lines in this folder")
    args = ap.parse_args(argv)
    if not os.path.exists(args.binary):
        raise SystemExit(f"{args.binary}: no such binary (build it, or pass --binary)")

    entries = load_labels(args.data, "val")
    if args.limit:
        entries = entries[:args.limit]
    tmp = args.keep or tempfile.mkdtemp(prefix="rnnpool-ap-")
    os.makedirs(tmp, exist_ok=True)
    images, files = [], []
    for e in entries:
        img = np.asarray(Image.open(os.path.join(args.data, e["image"])).convert("L"), np.uint8)
        p = os.path.join(tmp, os.path.splitext(os.path.basename(e["image"]))[0] + ".pgm")
        write_pgm(p, img)
        images.append(img)
        files.append(p)
    import torch
    torch.set_num_threads(2)
    from scripts.train.rpm import check_model, read_rpm
    header, tensors = read_rpm(args.model)
    check_model(header, tensors, args.model)
    if args.precision == "both":
        precisions = ["float", "int8"] if "activations" in header else ["float"]
    else:
        precisions = [args.precision]
    if "int8" in precisions and "activations" not in header:
        raise SystemExit(f"{args.model}: no int8 activation scales (version 1); run scripts/train/quantize.py")

    summary, ok = {}, True
    for prec in precisions:
        jl = os.path.join(tmp, f"swift-{prec}.jsonl")
        cmd = [args.binary, "detect", "--json", "--precision", prec, "--threshold", str(args.threshold),
               *args.extra_arg, *files]
        print(f"running {args.binary} detect --json --precision {prec} --threshold {args.threshold} "
              f"({len(files)} PGMs)", flush=True)
        with open(jl, "w") as out:
            r = subprocess.run(cmd, cwd=args.cwd, stdout=out, stderr=subprocess.PIPE, text=True)
        if r.stderr.strip():
            print("binary stderr:", r.stderr.strip()[-2000:])
        if r.returncode != 0:
            print(f"binary exited with status {r.returncode}")
        swift = evaluate(entries, load_jsonl_detections(jl, entries))
        # The reference runs the int8 path when the header carries scales.
        h = dict(header)
        if prec == "float":
            h.pop("activations", None)
        py = evaluate(entries, predict(h, tensors, images, args.threshold))
        print(f"Swift ({prec}):\n" + format_result(swift))
        print(f"Python ({prec}):\n" + format_result(py))
        diff = abs(swift["AP50"] - py["AP50"])
        ok &= diff <= args.tolerance
        summary[prec] = {"swift_AP50": round(swift["AP50"], 4), "python_AP50": round(py["AP50"], 4),
                         "abs_diff": round(diff, 4), "agree": diff <= args.tolerance}
    if len(summary) == 2:
        d = {side: abs(summary["int8"][f"{side}_AP50"] - summary["float"][f"{side}_AP50"]) for side in ("swift", "python")}
        close = all(v <= args.int8_tolerance for v in d.values())
        ok &= close
        summary["int8_vs_float"] = {"swift_abs_diff": round(d["swift"], 4), "python_abs_diff": round(d["python"], 4),
                                    "tolerance": args.int8_tolerance, "within": close}
    summary["tolerance"] = args.tolerance
    summary["ok"] = ok
    print(json.dumps(summary))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
