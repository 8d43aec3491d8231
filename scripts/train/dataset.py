"""Labels and decoded images of the faces data set, cached as one flat uint8 buffer.

Decoding ~9.4k JPEGs takes a while on two busy cores, so the decoded planes are
stored once in an .npz (flat buffer + offsets + shapes) and memory-mapped-loaded
on restart. The data itself never enters the repository.
"""
import json
import os

import numpy as np
from PIL import Image

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "faces"))


def load_labels(data_dir, split=None):
    out = []
    with open(os.path.join(data_dir, "labels.jsonl")) as f:
        for line in f:
            e = json.loads(line)
            if split is None or e["split"] == split:
                out.append(e)
    return out


def face_arrays(entry):
    """(faces [n,4], ignores [m,4]) float32 x, y, w, h in stored-image pixels."""
    f = [x["box"] for x in entry["faces"] if not x["ignore"]]
    g = [x["box"] for x in entry["faces"] if x["ignore"]]
    return (np.asarray(f, np.float32).reshape(-1, 4), np.asarray(g, np.float32).reshape(-1, 4))


def _decode_gray(data: bytes) -> np.ndarray:
    import io
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"), np.uint8)


class ImageStore:
    """Decoded grayscale images for a list of label entries, in one flat buffer."""

    def __init__(self, buf, offsets, shapes):
        self.buf, self.offsets, self.shapes = buf, offsets, shapes

    def __len__(self):
        return len(self.offsets)

    def __getitem__(self, i):
        h, w = self.shapes[i]
        o = self.offsets[i]
        return self.buf[o:o + h * w].reshape(h, w)

    @classmethod
    def from_pack(cls, path, jobs=1):
        """(store, entries) from a file written by pack.py (WebP bytes + scaled labels)."""
        z = np.load(path)
        entries = json.loads(bytes(z["labels"]).decode())
        blob, offs = z["blob"], z["offsets"]
        parts = [blob[offs[i]:offs[i + 1]].tobytes() for i in range(len(entries))]
        if jobs > 1:
            from concurrent.futures import ProcessPoolExecutor
            with ProcessPoolExecutor(jobs) as ex:
                planes = list(ex.map(_decode_gray, parts, chunksize=64))
        else:
            planes = [_decode_gray(b) for b in parts]
        shapes = np.asarray([p.shape for p in planes], np.int64)
        sizes = shapes[:, 0] * shapes[:, 1]
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        buf = np.concatenate([p.ravel() for p in planes])
        for e, (h, w) in zip(entries, shapes):
            assert (e["height"], e["width"]) == (h, w), (e["image"], h, w)
        return cls(buf, offsets, shapes), entries

    @classmethod
    def build(cls, data_dir, entries, cache=None, progress=True):
        if cache and os.path.exists(cache):
            z = np.load(cache)
            if len(z["offsets"]) == len(entries) and list(z["names"]) == [e["image"] for e in entries]:
                return cls(z["buf"], z["offsets"], z["shapes"])
        shapes = np.asarray([(e["height"], e["width"]) for e in entries], np.int64)
        sizes = shapes[:, 0] * shapes[:, 1]
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        buf = np.empty(int(sizes.sum()), np.uint8)
        it = entries
        if progress:
            from tqdm import tqdm
            it = tqdm(entries, desc="decoding images", mininterval=5)
        for i, e in enumerate(it):
            img = np.asarray(Image.open(os.path.join(data_dir, e["image"])).convert("L"), np.uint8)
            assert img.shape == tuple(shapes[i]), (e["image"], img.shape)
            buf[offsets[i]:offsets[i] + sizes[i]] = img.ravel()
        if cache:
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            tmp = cache + ".tmp.npz"
            np.savez(tmp, buf=buf, offsets=offsets, shapes=shapes,
                     names=np.asarray([e["image"] for e in entries]))
            os.replace(tmp, cache)
        return cls(buf, offsets, shapes)
