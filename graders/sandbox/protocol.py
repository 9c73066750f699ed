"""Trusted-side framing: encode a job for the sandbox and decode what comes back, distrusting it.

Everything read from the sandbox is hostile data: sizes are capped before anything is allocated,
.npy headers are parsed and checked against the blob length before loading, pickles are refused
and only numeric dtypes are accepted.
"""

from __future__ import annotations

import io
import json
import struct
from typing import Any

import numpy as np
from numpy.lib import format as npy_format

MAX_HEADER_BYTES = 1 << 20
NUMERIC_KINDS = "biufc"


class ProtocolError(Exception):
    """The sandbox sent something malformed: the student's process is to blame, not the platform."""


# ---------------------------------------------------------------------------------------------
# job encoding (trusted -> sandbox)


def _array_node(array: np.ndarray, blobs: list[bytes]) -> dict[str, Any]:
    if array.flags.c_contiguous:
        layout = "C"
    elif array.flags.f_contiguous:
        layout = "F"
    else:
        layout = "strided"
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    blobs.append(buffer.getvalue())
    node: dict[str, Any] = {"nd": len(blobs) - 1, "layout": layout}
    if not array.flags.writeable:
        node["readonly"] = True
    return node


def encode_value(value: Any, blobs: list[bytes]) -> dict[str, Any]:
    if isinstance(value, np.ndarray):
        return _array_node(value, blobs)
    if isinstance(value, (bool, np.bool_)):
        return {"bool": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"int": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"float": float(value)}
    if isinstance(value, str):
        return {"str": value}
    if value is None:
        return {"none": True}
    if isinstance(value, tuple):
        return {"tuple": [encode_value(item, blobs) for item in value]}
    if isinstance(value, list):
        return {"list": [encode_value(item, blobs) for item in value]}
    if isinstance(value, dict):
        return {"dict": {str(key): encode_value(item, blobs) for key, item in value.items()}}
    raise TypeError(f"cannot send a {type(value).__name__} into the sandbox")


def encode_frame(header: dict[str, Any], blobs: list[bytes]) -> bytes:
    header = dict(header, blobs=[len(blob) for blob in blobs])
    raw = json.dumps(header).encode()
    return struct.pack(">I", len(raw)) + raw + b"".join(blobs)


# ---------------------------------------------------------------------------------------------
# result decoding (sandbox -> trusted)


class FrameReader:
    """Accumulate bytes from the result pipe and yield complete frames, within a byte budget."""

    def __init__(self, max_total_bytes: int) -> None:
        self.buffer = bytearray()
        self.max_total_bytes = max_total_bytes
        self.total = 0

    def feed(self, data: bytes) -> list[tuple[dict[str, Any], list[bytes]]]:
        self.total += len(data)
        if self.total > self.max_total_bytes:
            raise ProtocolError(f"your function returned more than {self.max_total_bytes >> 20} MiB of data")
        self.buffer += data
        frames = []
        while True:
            frame = self._next()
            if frame is None:
                return frames
            frames.append(frame)

    def _next(self) -> tuple[dict[str, Any], list[bytes]] | None:
        if len(self.buffer) < 4:
            return None
        (header_len,) = struct.unpack(">I", self.buffer[:4])
        if header_len > MAX_HEADER_BYTES:
            raise ProtocolError("result header too large")
        if len(self.buffer) < 4 + header_len:
            return None
        try:
            header = json.loads(bytes(self.buffer[4 : 4 + header_len]))
            sizes = [int(size) for size in header.get("blobs", [])]
        except (ValueError, TypeError, AttributeError) as exc:
            raise ProtocolError(f"malformed result header: {exc}") from None
        if not isinstance(header, dict) or any(size < 0 for size in sizes):
            raise ProtocolError("malformed result header")
        end = 4 + header_len + sum(sizes)
        if len(self.buffer) < end:
            return None
        blobs, offset = [], 4 + header_len
        for size in sizes:
            blobs.append(bytes(self.buffer[offset : offset + size]))
            offset += size
        del self.buffer[:end]
        return header, blobs


def load_npy(blob: bytes) -> np.ndarray:
    """Load one .npy blob after checking its header against its real length."""
    stream = io.BytesIO(blob)
    try:
        version = npy_format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = npy_format.read_array_header_1_0(stream)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = npy_format.read_array_header_2_0(stream)
        else:
            raise ProtocolError(f"unsupported .npy version {version}")
    except ValueError as exc:
        raise ProtocolError(f"invalid .npy data: {exc}") from None
    if dtype.hasobject or dtype.kind not in NUMERIC_KINDS or dtype.fields is not None:
        raise ProtocolError(f"values of dtype {dtype} are not numbers")
    count = 1
    for dim in shape:
        count *= int(dim)
    if len(blob) - stream.tell() != count * dtype.itemsize:
        raise ProtocolError(f"array data does not match its header (shape {shape}, dtype {dtype})")
    return np.load(io.BytesIO(blob), allow_pickle=False)


def decode_output(node: Any, blobs: list[bytes]) -> Any:
    """Rebuild the student's return value as plain ndarrays, lists and tuples."""
    if not isinstance(node, dict) or len(node) != 1:
        raise ProtocolError("malformed output")
    kind, value = next(iter(node.items()))
    if kind == "nd":
        if not isinstance(value, int) or not 0 <= value < len(blobs):
            raise ProtocolError("malformed output")
        return load_npy(blobs[value])
    if kind in ("list", "tuple") and isinstance(value, list):
        items = [decode_output(item, blobs) for item in value]
        return items if kind == "list" else tuple(items)
    if kind == "none":
        return None
    if kind == "bad":
        return UnconvertibleOutput(str(value)[:200])
    raise ProtocolError("malformed output")


class UnconvertibleOutput:
    """The student returned something that is not numbers (an object, a string...)."""

    def __init__(self, description: str) -> None:
        self.description = description

    def __repr__(self) -> str:
        return f"<{self.description}>"
