"""Count multiply-adds per 320x240 frame of a model file's architecture.

  python -m scripts.train.macs assets/models/rnnpool-face.rpm

Counts the multiplications of convolutions and of the RNN matrix-vector products
(W x and U h for every step, as NETWORK.md writes them, including the t = 0 step
where h = 0); activations, L2Norm, decoding and NMS are not counted.
"""
import math
import sys


def count_macs(header):
    w, h = header["input"]["width"], header["input"]["height"]
    c0 = header["stem"]["out_channels"]
    rp = header["rnnpool"]
    p, s, h1, h2 = rp["patch"], rp["stride"], rp["hidden1"], rp["hidden2"]
    sw, sh = (w + 1) // 2, (h + 1) // 2
    out = {"stem": sw * sh * c0 * 9}
    patches = ((sh - p) // s + 1) * ((sw - p) // s + 1)
    rnn1 = 2 * p * p * (h1 * c0 + h1 * h1)          # 2P sequences of P steps
    rnn2 = 4 * p * (h2 * h1 + h2 * h2)              # 4 sweeps of P steps
    out["rnnpool"] = patches * (rnn1 + rnn2)
    fw, fh = rp["pad_to"]
    c = 4 * h2
    sizes = []
    for i, b in enumerate(header["blocks"]):
        t, co, st = b["expand"], b["out_channels"], b["stride"]
        mid = t * c
        ow, oh = math.ceil(fw / st), math.ceil(fh / st)
        m = (c * mid * fw * fh if t != 1 else 0) + 9 * mid * ow * oh + mid * co * ow * oh
        out[f"blocks.{i}"] = m
        fw, fh, c = ow, oh, co
        sizes.append((co, ow, oh))
    for k, hd in enumerate(header["heads"]):
        cc, ow, oh = sizes[hd["block"]]
        a = len(hd["sizes"])
        out[f"heads.{k}"] = 9 * cc * (4 * a + (hd["background"] + 1) * a) * ow * oh
    out["total"] = sum(out.values())
    return out


def main():
    from .rpm import read_rpm
    header, tensors = read_rpm(sys.argv[1])
    params = sum(v.size for v in tensors.values())
    for k, v in count_macs(header).items():
        print(f"{k:10s} {v / 1e6:8.2f} M")
    print(f"parameters {params} (folded)")


if __name__ == "__main__":
    main()
