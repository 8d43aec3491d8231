"""Reader and writer for the `.rpm` container (docs/MODEL_FORMAT.md, versions 1 and 2).

Version 2 is version 1 plus the int8 activation scales in the header ("activations");
a header that carries them is written as version 2, any other as version 1."""
import json
import struct
import zlib

import numpy as np

MAGIC = b"RNNPOOL\0"
VERSION = 1
VERSION_SCALES = 2
DTYPES = {0: np.dtype("<f4"), 1: np.dtype("u1"), 2: np.dtype("<i4")}
DTYPE_CODES = {np.dtype("float32"): 0, np.dtype("uint8"): 1, np.dtype("int32"): 2}


class RpmError(ValueError):
    pass


def _pad4(buf: bytearray):
    buf.extend(b"\0" * (-len(buf) % 4))


def encode_rpm(header: dict, tensors: dict) -> bytes:
    """Serialise header + ordered {name: ndarray} into container bytes."""
    hj = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    # Pad the JSON with trailing spaces (still valid JSON) so tensor_count and every
    # record start 4-byte aligned whichever way a reader treats the header.
    hj += b" " * (-(16 + len(hj)) % 4)
    buf = bytearray(MAGIC)
    version = VERSION_SCALES if "activations" in header else VERSION
    buf += struct.pack("<II", version, len(hj)) + hj
    buf += struct.pack("<I", len(tensors))
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        if arr.dtype not in DTYPE_CODES:
            raise RpmError(f"tensor {name}: unsupported dtype {arr.dtype}")
        if arr.ndim > 4:
            raise RpmError(f"tensor {name}: rank {arr.ndim} > 4")
        nb = name.encode("utf-8")
        buf += struct.pack("<H", len(nb)) + nb
        buf += struct.pack("<BB", DTYPE_CODES[arr.dtype], arr.ndim)
        buf += struct.pack(f"<{arr.ndim}I", *arr.shape)
        _pad4(buf)
        buf += arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        _pad4(buf)
    buf += struct.pack("<I", zlib.crc32(bytes(buf)) & 0xFFFFFFFF)
    return bytes(buf)


def write_rpm(path, header: dict, tensors: dict):
    data = encode_rpm(header, tensors)
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def decode_rpm(data: bytes, name="<bytes>"):
    """Parse container bytes -> (header dict, {name: ndarray}). Raises RpmError."""
    def need(off, n):
        if off + n > len(data) - 4 or len(data) < 20:
            raise RpmError(f"{name}: truncated file")
    if len(data) < 8 or data[:8] != MAGIC:
        raise RpmError(f"{name}: wrong magic")
    need(8, 8)
    version, hlen = struct.unpack_from("<II", data, 8)
    if version not in (VERSION, VERSION_SCALES):
        raise RpmError(f"{name}: unsupported version {version}")
    stored = struct.unpack_from("<I", data, len(data) - 4)[0]
    if zlib.crc32(data[:-4]) & 0xFFFFFFFF != stored:
        raise RpmError(f"{name}: CRC mismatch")
    need(16, hlen)
    try:
        header = json.loads(data[16:16 + hlen].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RpmError(f"{name}: bad JSON header ({e})")
    if (version == VERSION_SCALES) != ("activations" in header):
        raise RpmError(f"{name}: version {version} " + ("without" if version == VERSION_SCALES else "with")
                       + " activation scales")
    off = 16 + hlen
    need(off, 4)
    (count,) = struct.unpack_from("<I", data, off)
    off += 4
    tensors = {}
    for _ in range(count):
        need(off, 2)
        (nl,) = struct.unpack_from("<H", data, off); off += 2
        need(off, nl + 2)
        tname = data[off:off + nl].decode("utf-8"); off += nl
        code, rank = struct.unpack_from("<BB", data, off); off += 2
        if code not in DTYPES:
            raise RpmError(f"{name}: tensor {tname}: unknown dtype {code}")
        if rank > 4:
            raise RpmError(f"{name}: tensor {tname}: rank {rank} > 4")
        need(off, 4 * rank)
        dims = struct.unpack_from(f"<{rank}I", data, off); off += 4 * rank
        off += -off % 4
        n = int(np.prod(dims, dtype=np.int64)) * DTYPES[code].itemsize
        need(off, n)
        arr = np.frombuffer(data, DTYPES[code], int(np.prod(dims, dtype=np.int64)), off).reshape(dims)
        off += n
        off += -off % 4
        if tname in tensors:
            raise RpmError(f"{name}: duplicate tensor {tname}")
        tensors[tname] = arr.copy()
    if off != len(data) - 4:
        raise RpmError(f"{name}: {len(data) - 4 - off} bytes left over after the last tensor")
    return header, tensors


def read_rpm(path):
    with open(path, "rb") as f:
        return decode_rpm(f.read(), str(path))


def expected_model_shapes(header: dict) -> dict:
    """Tensor name -> shape that the header's architecture requires (MODEL_FORMAT.md)."""
    c0 = header["stem"]["out_channels"]
    rp = header["rnnpool"]
    h1, h2 = rp["hidden1"], rp["hidden2"]
    s = {"stem.weight": (c0, 1, 3, 3), "stem.bias": (c0,)}
    for r, (i, h) in (("rnn1", (c0, h1)), ("rnn2", (h1, h2))):
        s.update({f"{r}.W": (h, i), f"{r}.U": (h, h), f"{r}.bias_z": (h,), f"{r}.bias_h": (h,),
                  f"{r}.zeta": (1,), f"{r}.nu": (1,)})
    c, chans = 4 * h2, []
    for i, b in enumerate(header["blocks"]):
        t, co = b["expand"], b["out_channels"]
        if t != 1:
            s[f"blocks.{i}.expand.weight"] = (t * c, c, 1, 1)
            s[f"blocks.{i}.expand.bias"] = (t * c,)
        s[f"blocks.{i}.dw.weight"] = (t * c, 1, 3, 3)
        s[f"blocks.{i}.dw.bias"] = (t * c,)
        s[f"blocks.{i}.project.weight"] = (co, t * c, 1, 1)
        s[f"blocks.{i}.project.bias"] = (co,)
        c = co
        chans.append(c)
    for k, h in enumerate(header["heads"]):
        c, a, kk = chans[h["block"]], len(h["sizes"]), h["background"] + 1
        if h["l2norm"]:
            s[f"heads.{k}.l2norm.weight"] = (c,)
        s[f"heads.{k}.loc.weight"] = (4 * a, c, 3, 3)
        s[f"heads.{k}.loc.bias"] = (4 * a,)
        s[f"heads.{k}.conf.weight"] = (kk * a, c, 3, 3)
        s[f"heads.{k}.conf.bias"] = (kk * a,)
    return s


def check_model(header: dict, tensors: dict, name="<model>"):
    """Raise RpmError unless the tensors are exactly what the header requires."""
    if header.get("kind") != "model":
        raise RpmError(f"{name}: kind is {header.get('kind')!r}, expected 'model'")
    for key in ("input", "stem", "rnnpool", "blocks", "heads", "postprocess"):
        if key not in header:
            raise RpmError(f"{name}: missing key {key}")
    exp = expected_model_shapes(header)
    for t, shape in exp.items():
        if t not in tensors:
            raise RpmError(f"{name}: missing tensor {t}")
        if tuple(tensors[t].shape) != shape:
            raise RpmError(f"{name}: tensor {t}: expected shape {list(shape)}, found {list(tensors[t].shape)}")
    extra = set(tensors) - set(exp)
    if extra:
        raise RpmError(f"{name}: unexpected tensors {sorted(extra)}")
    v = header["postprocess"].get("box_vote")
    if v is not None and not (isinstance(v, (int, float)) and 0 < v <= 1):
        raise RpmError(f"{name}: postprocess.box_vote must be in (0, 1], found {v!r}")
    c = header["postprocess"].get("coarse_split")
    if c is not None and not (isinstance(c, (int, float)) and 0 < c < float("inf")):
        raise RpmError(f"{name}: postprocess.coarse_split must be a positive number of pixels, found {c!r}")
    if "activations" in header:
        check_activations(header, name)


def activation_names(header):
    """The activations the int8 path stores, in network order (MODEL_FORMAT.md v2)."""
    return ["stem", "rnnpool.summaries", "rnnpool"] + [f"blocks.{i}" for i in range(len(header["blocks"]))]


def check_activations(header, name="<model>"):
    a = header["activations"]
    if not isinstance(a, dict) or a.get("dtype") != "int8" or not isinstance(a.get("scales"), dict):
        raise RpmError(f"{name}: activations must be {{\"dtype\": \"int8\", \"scales\": {{...}}}}")
    want, got = activation_names(header), a["scales"]
    if sorted(want) != sorted(got):
        raise RpmError(f"{name}: activation scales for {sorted(got)}, expected {want}")
    for k in want:
        v = got[k]
        if not isinstance(v, (int, float)) or not (0 < v < 1e30):
            raise RpmError(f"{name}: activation scale {k} = {v!r} (must be a positive finite number)")
