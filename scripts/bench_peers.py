#!/usr/bin/env python3
"""rnnpool-cam against Ultra-Light RFB-320 (onnxruntime, one thread), side by side.

  python scripts/bench_peers.py --binary .build/release/rnnpool-cam --rounds 21 --core 1

Both detectors see the same 320x240 frame (the first frame of assets/demo.y4m by
default; a 320x240 source, so rnnpool-cam's letterbox is the identity). Each round runs,
one after the other and pinned to the same core with `taskset -c CORE`:

  1. `rnnpool-cam bench --image FRAME --frames N --warmup W --render-frames 0 --json`
     (its median ms per frame: letterbox, network, decoding, NMS);
  2. this script as a worker process timing RFB-320 on N frames after W warm-up ones
     (median ms per frame: gray -> 3-channel (p - 127) / 128 input, session.run with
     intra_op_num_threads = 1, scores >= 0.05, the 200 best, NMS at IoU 0.3; as the
     model's own demo does, see ../shared/peers/README.md).

The order alternates between rounds (A B, B A, ...) so that slow drift of the machine's
load hits both alike. Per round it prints both medians and their ratio (rnnpool-cam /
RFB-320: below 1.0 means rnnpool-cam is faster), also against RFB-320's `session.run`
alone on a prepared input (timed in the same worker, alternating frame by frame with the
pipeline); at the end the medians of the per-round ratios and their range, the CPU model
from /proc/cpuinfo, and (--markdown) a table for docs/BENCHMARKS.md.
Needs onnxruntime (pip install onnxruntime) and numpy. Python is for developers only.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_PEER = os.path.normpath(os.path.join(REPO, "..", "shared", "peers", "version-RFB-320.onnx"))


def read_first_y4m_frame(path):
    """Luma plane of the first frame of a .y4m file -> uint8 [H, W]."""
    with open(path, "rb") as f:
        header = f.readline().split()
        w = int(next(t[1:] for t in header if t.startswith(b"W")))
        h = int(next(t[1:] for t in header if t.startswith(b"H")))
        if not f.readline().startswith(b"FRAME"):
            raise SystemExit(f"{path}: no FRAME after the header")
        y = np.frombuffer(f.read(w * h), np.uint8)
    if y.size != w * h:
        raise SystemExit(f"{path}: first frame is truncated")
    return y.reshape(h, w)


def nms(boxes, scores, iou):
    order = np.argsort(-scores, kind="stable")
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        if order.size == 1:
            break
        rest = order[1:]
        x1 = np.maximum(boxes[i, 0], boxes[rest, 0]); y1 = np.maximum(boxes[i, 1], boxes[rest, 1])
        x2 = np.minimum(boxes[i, 2], boxes[rest, 2]); y2 = np.minimum(boxes[i, 3], boxes[rest, 3])
        inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
        area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])  # noqa: E731
        ov = inter / (area(boxes[i]) + area(boxes[rest]) - inter + 1e-12)
        order = rest[ov <= iou]
    return keep


def rfb_worker(model, y4m, frames, warmup):
    """Times RFB-320 on the frame; prints one JSON object."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.log_severity_level = 3  # no warnings about unused initializers
    sess = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
    gray = read_first_y4m_frame(y4m)
    if gray.shape != (240, 320):
        raise SystemExit(f"{y4m}: RFB-320 needs a 320x240 frame, got {gray.shape[1]}x{gray.shape[0]}")
    name = sess.get_inputs()[0].name

    prepared = np.broadcast_to((gray.astype(np.float32) - 127.0) / 128.0, (1, 3, 240, 320)).copy()

    def network():
        return sess.run(None, {name: prepared})

    def detect():
        x = (gray.astype(np.float32) - 127.0) / 128.0
        x = np.broadcast_to(x, (1, 3, 240, 320)).copy()
        scores, boxes = sess.run(None, {name: x})
        s = scores[0, :, 1]
        keep = np.nonzero(s >= 0.05)[0]
        keep = keep[np.argsort(-s[keep], kind="stable")[:200]]
        b = boxes[0, keep] * np.array([320, 240, 320, 240], np.float32)
        return len(nms(b, s[keep], 0.3))

    # The whole pipeline as the model's Python demo runs it, and `session.run` alone on a
    # prepared input (what a C++ user of RFB-320 pays: ~0.1 ms of pre/post there),
    # alternating frame by frame so both see the same machine.
    times, net, found = [], [], 0
    for i in range(warmup + frames):
        t0 = time.perf_counter()
        found = detect()
        t1 = time.perf_counter()
        network()
        t2 = time.perf_counter()
        if i >= warmup:
            times.append((t1 - t0) * 1e3)
            net.append((t2 - t1) * 1e3)
    print(json.dumps({"ms_median": statistics.median(times), "ms_min": min(times),
                      "network_ms_median": statistics.median(net), "network_ms_min": min(net), "boxes": found}))


def cpu_model():
    """The CPU's name and family/model from /proc/cpuinfo (the project's machines change
    CPU between sessions, and the ratio with them)."""
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                k, _, v = line.partition(":")
                info.setdefault(k.strip(), v.strip())
    except OSError:
        return "unknown CPU"
    flags = set(info.get("flags", "").split())
    isa = "AVX-512" + (" VNNI" if "avx512_vnni" in flags else "") if "avx512f" in flags else (
        "AVX2/FMA" if "avx2" in flags else "no AVX2")
    return (f"{info.get('model name', '?')}, family {info.get('cpu family', '?')} model {info.get('model', '?')}, "
            f"{isa}")


def pinned(core, cmd):
    return ["taskset", "-c", str(core)] + cmd if core is not None else cmd


def run_json(cmd, cwd):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} ...: exit {r.returncode}: {r.stderr.strip()[-500:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(REPO, ".build", "release", "rnnpool-cam"))
    ap.add_argument("--model", help="rnnpool-cam model file (default: the shipped one)")
    ap.add_argument("--precision", choices=("int8", "float"), help="rnnpool-cam path (default: the model's)")
    ap.add_argument("--peer", default=DEFAULT_PEER, help="RFB-320 .onnx")
    ap.add_argument("--frame", default=os.path.join(REPO, "assets", "demo.y4m"), help=".y4m whose first frame is timed")
    # Many short rounds: on the project's shared machines a neighbour can slow one core by
    # about 1.5x for seconds at a time; 21 rounds of 60 frames keep the median of the
    # per-round ratios steady where 5 of 300 could land a whole detector in a slow spell.
    ap.add_argument("--rounds", type=int, default=21)
    ap.add_argument("--frames", type=int, default=60, help="timed frames per detector per round")
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--core", type=int, default=1, help="CPU core both are pinned to (-1: no pinning)")
    ap.add_argument("--markdown", action="store_true", help="also print a table for docs/BENCHMARKS.md")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        rfb_worker(args.peer, args.frame, args.frames, args.warmup)
        return 0
    for p, what in ((args.binary, "binary (swift build -c release)"), (args.peer, "peer model"), (args.frame, "frame")):
        if not os.path.exists(p):
            raise SystemExit(f"{p}: no such {what}")
    core = None if args.core < 0 else args.core
    ours = [args.binary, "bench", "--image", args.frame, "--frames", str(args.frames), "--warmup", str(args.warmup),
            "--render-frames", "0", "--json"]
    if args.model:
        ours += ["--model", args.model]
    if args.precision:
        ours += ["--precision", args.precision]
    peer = [sys.executable, os.path.abspath(__file__), "--worker", "--peer", args.peer, "--frame", args.frame,
            "--frames", str(args.frames), "--warmup", str(args.warmup)]
    env_note = f"load average {os.getloadavg()[0]:.2f} at start, {os.cpu_count()} CPUs"
    print(f"rnnpool-cam vs RFB-320 (onnxruntime, 1 thread), {args.rounds} rounds x {args.frames} frames, "
          f"pinned to core {core}, {env_note}", flush=True)
    print(f"CPU: {cpu_model()}", flush=True)
    rows = []
    kernels = None
    for r in range(args.rounds):
        results = {}
        order = ("ours", "peer") if r % 2 == 0 else ("peer", "ours")
        for who in order:
            results[who] = run_json(pinned(core, ours if who == "ours" else peer), REPO)
        o, p = results["ours"]["ms_per_frame_median"], results["peer"]["ms_median"]
        if kernels is None:
            # Which kernel each hot loop ran on this CPU (bench's `kernels`), said once.
            kernels = results["ours"].get("kernels")
            print(f"rnnpool-cam kernels: {kernels}", flush=True)
        n = results["peer"]["network_ms_median"]
        rows.append((o, p, o / p, results["ours"]["precision"], results["ours"]["peak_arena_bytes"], n, o / n))
        print(f"round {r + 1}: rnnpool-cam {o:.3f} ms ({results['ours']['precision']}), RFB-320 {p:.3f} ms "
              f"(session.run alone {n:.3f} ms), ratio {o / p:.3f} (to session.run {o / n:.3f})"
              f"   (load {os.getloadavg()[0]:.2f})", flush=True)
    ratios = [x[2] for x in rows]
    net_ratios = [x[6] for x in rows]
    summary = {"cpu": cpu_model(), "rounds": len(rows), "ratio_median": statistics.median(ratios),
               "ratio_min": min(ratios), "ratio_max": max(ratios),
               "ratio_to_network_median": statistics.median(net_ratios), "ratio_to_network_min": min(net_ratios),
               "ratio_to_network_max": max(net_ratios), "rnnpool_ms_median": statistics.median(x[0] for x in rows),
               "rfb320_ms_median": statistics.median(x[1] for x in rows),
               "rfb320_network_ms_median": statistics.median(x[5] for x in rows), "precision": rows[0][3],
               "peak_arena_bytes": rows[0][4], "kernels": kernels}
    print(json.dumps(summary))
    if args.markdown:
        print(f"\nCPU: {summary['cpu']}; rnnpool-cam kernels: {kernels}\n")
        print("| round | rnnpool-cam ms | RFB-320 ms (Python pipeline) | ratio | RFB-320 `session.run` ms | ratio |\n"
              "|---:|---:|---:|---:|---:|---:|")
        for i, (o, p, q, _, _, n, qn) in enumerate(rows):
            print(f"| {i + 1} | {o:.3f} | {p:.3f} | {q:.3f} | {n:.3f} | {qn:.3f} |")
        print(f"| **median** | {summary['rnnpool_ms_median']:.3f} | {summary['rfb320_ms_median']:.3f} | "
              f"**{summary['ratio_median']:.3f}** | {summary['rfb320_network_ms_median']:.3f} | "
              f"**{summary['ratio_to_network_median']:.3f}** |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
