"""Trusted-side framing: encode a job for the sandbox and decode what comes back, distrusting it.

Everything read from the sandbox is hostile data: sizes are capped before anything is allocated,
.npy headers are parsed and checked against the blob length before loading, pickles are refused
and only numeric dtypes are accepted.
"""

from __future__ import annotations

import io
import json
import re
import struct
from typing import Any

import numpy as np
from numpy.lib import format as npy_format

MAX_HEADER_BYTES = 1 << 20
NUMERIC_KINDS = "biufc"


class ProtocolError(Exception):
    """The sandbox sent something malformed: the student's process is to blame, not the platform.

    ``frames`` holds the well-formed frames that arrived before the malformed one.
    """

    frames: list[tuple[dict[str, Any], list[bytes]]] = []


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
        frames: list[tuple[dict[str, Any], list[bytes]]] = []
        while True:
            try:
                frame = self._next()
            except ProtocolError as exc:
                exc.frames = frames
                raise
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


# The exact header np.save writes for a plain array: parsed without ast, anything else goes through
# numpy's own (slower) header reader. Both paths check dtype and length before touching the data.
_SIMPLE_HEADER = re.compile(
    rb"\{'descr': '([<>|=][biufc][0-9]{1,2})', 'fortran_order': (True|False), 'shape': \(((?:[0-9]{1,12}, )*(?:[0-9]{1,12},?)?)\), \} *\n"
)
MAX_DIMS = 32


def _checked_dtype(dtype: np.dtype) -> np.dtype:
    if dtype.hasobject or dtype.kind not in NUMERIC_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise ProtocolError(f"values of dtype {dtype} are not numbers")
    return dtype


def _checked_length(blob: bytes, offset: int, shape: tuple[int, ...], dtype: np.dtype) -> None:
    if len(shape) > MAX_DIMS:
        raise ProtocolError("array has too many dimensions")
    count = 1
    for dim in shape:
        count *= int(dim)
    if len(blob) - offset != count * dtype.itemsize:
        raise ProtocolError(f"array data does not match its header (shape {shape}, dtype {dtype})")


def _parse_simple(blob: bytes) -> tuple[int, tuple[int, ...], bool, np.dtype] | None:
    """(data offset, shape, fortran, dtype) for the header np.save writes, else None."""
    if blob[:8] == b"\x93NUMPY\x01\x00" and len(blob) >= 10:
        (length,) = struct.unpack("<H", blob[8:10])
        start = 10
    elif blob[:8] in (b"\x93NUMPY\x02\x00", b"\x93NUMPY\x03\x00") and len(blob) >= 12:
        (length,) = struct.unpack("<I", blob[8:12])
        start = 12
    else:
        return None
    if length > MAX_HEADER_BYTES:
        raise ProtocolError(".npy header too large")
    match = _SIMPLE_HEADER.fullmatch(blob, start, start + length)
    if match is None:
        return None
    dims = match.group(3).replace(b" ", b"").rstrip(b",")
    shape = tuple(int(dim) for dim in dims.split(b",")) if dims else ()
    try:
        dtype = np.dtype(match.group(1).decode())
    except TypeError:
        raise ProtocolError("invalid .npy dtype") from None
    return start + length, shape, match.group(2) == b"True", dtype


def load_npy(blob: bytes) -> np.ndarray:
    """Load one .npy blob after checking its header against its real length (never unpickles)."""
    simple = _parse_simple(blob)
    if simple is not None:
        offset, shape, fortran, dtype = simple
        _checked_dtype(dtype)
        _checked_length(blob, offset, shape, dtype)
        array = np.frombuffer(blob, dtype=dtype, offset=offset)  # read-only view, no copy
        return array.reshape(shape[::-1]).T if fortran else array.reshape(shape)
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
    _checked_dtype(dtype)
    _checked_length(blob, stream.tell(), shape, dtype)
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
