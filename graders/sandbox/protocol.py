"""Trusted-side framing: encode a job for the sandbox, and read what comes back as hostile data.

The child owns its result pipe and everything written to it. So every frame is parsed here
against a strict schema (types, ranges, sizes) before anything uses it, and anything that does
not fit raises ProtocolError: the student's process is to blame, never the platform, and
nothing else may escape. Sizes are capped before anything is allocated, .npy headers are parsed
and checked against the blob length before loading, pickles are refused and only numeric dtypes
are accepted. The frames carry data only (return values, the inputs as the child saw them after
the call, which floating-point events it saw): timings, grades and checks are decided by the
trusted side.

Frames: a 4-byte big-endian header length, a JSON header, then the blobs it lists.
"""

from __future__ import annotations

import io
import json
import math
import re
import struct
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib import format as npy_format

from graders.feedback import Phrase, phrase_from_untrusted, render

MAX_HEADER_BYTES = 1 << 20
MAX_BLOBS = 4096
MAX_DIMS = 32
MAX_ELEMENTS = 1 << 31  # of any array, counting only its non-zero dimensions
MAX_OUTPUT_DEPTH = 5
MAX_OUTPUT_ITEMS = 64  # per list or tuple
MAX_OUTPUT_NODES = 4096
MAX_MESSAGE_CHARS = 2000
NUMERIC_KINDS = "biufc"
FRAME_TYPES = ("armed", "loaded", "load_error", "result", "done")
CASE_STATUSES = ("ok", "error", "memory", "forbidden")
LOAD_ERROR_KINDS = ("syntax", "forbidden", "memory", "exception", "missing_function")
FP_EVENTS = ("overflow", "invalid", "divide", "underflow")


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
# framing (sandbox -> trusted)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def parse_header(raw: bytes) -> dict[str, Any]:
    """A frame's JSON header: an object with a known ``type`` and a list of blob sizes."""
    try:
        header = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, TypeError, RecursionError, UnicodeDecodeError, OverflowError) as exc:
        raise ProtocolError(f"malformed result header ({type(exc).__name__})") from None
    if not isinstance(header, dict) or not isinstance(header.get("type"), str) or header["type"] not in FRAME_TYPES:
        raise ProtocolError("malformed result header")
    sizes = header.get("blobs", [])
    if not isinstance(sizes, list) or len(sizes) > MAX_BLOBS or not all(_is_count(size) for size in sizes):
        raise ProtocolError("malformed blob list")
    return header


def _is_count(value: Any) -> bool:
    return type(value) is int and 0 <= value <= 1 << 40


class FrameReader:
    """Accumulate bytes from the result pipe and yield complete frames, within a byte budget."""

    def __init__(self, max_total_bytes: int) -> None:
        self.buffer = bytearray()
        self.max_total_bytes = max(0, max_total_bytes)
        self.total = 0

    def feed(self, data: bytes) -> list[tuple[dict[str, Any], list[bytes]]]:
        self.total += len(data)
        if self.total > self.max_total_bytes:
            raise ProtocolError(f"your function returned more than {_mib(self.max_total_bytes)} of data")
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
        header = parse_header(bytes(self.buffer[4 : 4 + header_len]))
        sizes = header.get("blobs", [])
        end = 4 + header_len + sum(sizes)
        if end > self.max_total_bytes:  # refuse now rather than wait for bytes that may never come
            raise ProtocolError(f"your function returned more than {_mib(self.max_total_bytes)} of data")
        if len(self.buffer) < end:
            return None
        blobs, offset = [], 4 + header_len
        with memoryview(self.buffer) as view:  # one copy per blob, not two
            for size in sizes:
                blobs.append(bytes(view[offset : offset + size]))
                offset += size
        del self.buffer[:end]
        return header, blobs


def _mib(count: int) -> str:
    return f"{count / (1 << 20):.0f} MiB" if count >= 1 << 20 else f"{count} bytes"


# ---------------------------------------------------------------------------------------------
# frames


@dataclass(frozen=True)
class ResultFrame:
    """One case's result, validated. ``after`` is the case's inputs as the child saw them after the
    call (compared with what was sent, on the trusted side); ``fp_events`` the floating-point
    events NumPy reported during the call."""

    index: int
    status: str
    output: Any = None
    after: Any = None
    fp_events: frozenset[str] = frozenset()
    message: str = ""
    phrases: tuple[Phrase, ...] = ()
    error_type: str = ""


@dataclass(frozen=True)
class LoadErrorFrame:
    kind: str
    message: str = ""
    phrases: tuple[Phrase, ...] = ()


def read_message(header: dict[str, Any]) -> tuple[str, tuple[Phrase, ...]]:
    """The frame's message: a phrase the runner may send, else bounded, printable plain text."""
    phrase = phrase_from_untrusted(header.get("phrase"))
    if phrase is not None:
        return render([phrase])[:MAX_MESSAGE_CHARS], (phrase,)
    message = header.get("message", "")
    if not isinstance(message, str):
        raise ProtocolError("malformed message")
    return printable(message, MAX_MESSAGE_CHARS), ()


def printable(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, control characters other than newlines escaped."""
    text = text[:limit]
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else f"\\x{ord(ch) & 0xFF:02x}" for ch in text)


def read_result(header: dict[str, Any], blobs: list[bytes]) -> ResultFrame:
    index, status = header.get("index"), header.get("status")
    if type(index) is not int or not isinstance(status, str) or status not in CASE_STATUSES:
        raise ProtocolError("malformed result frame")
    if status == "ok":
        fp_events = header.get("fp", [])
        if (
            not isinstance(fp_events, list)
            or len(fp_events) > len(FP_EVENTS)
            or not all(isinstance(event, str) and event in FP_EVENTS for event in fp_events)
        ):
            raise ProtocolError("malformed floating-point report")
        seen: set[int] = set()
        return ResultFrame(
            index=index,
            status=status,
            output=decode_output(header.get("output"), blobs, seen),
            after=decode_output(header.get("after"), blobs, seen),
            fp_events=frozenset(fp_events),
        )
    message, phrases = read_message(header)
    error_type = header.get("error_type", "")
    if not isinstance(error_type, str):
        raise ProtocolError("malformed error type")
    return ResultFrame(index=index, status=status, message=message, phrases=phrases, error_type=error_type[:100])


def read_load_error(header: dict[str, Any]) -> LoadErrorFrame:
    kind = header.get("kind")
    if not isinstance(kind, str) or kind not in LOAD_ERROR_KINDS:
        raise ProtocolError("malformed load error")
    message, phrases = read_message(header)
    return LoadErrorFrame(kind=kind, message=message, phrases=phrases)


# ---------------------------------------------------------------------------------------------
# .npy blobs

# The exact header np.save writes for a plain array: parsed without ast, anything else goes through
# numpy's own (slower) header reader. Both paths check dtype, shape and length before touching data.
_SIMPLE_HEADER = re.compile(
    rb"\{'descr': '([<>|=][biufc][0-9]{1,2})', 'fortran_order': (True|False), 'shape': \(((?:[0-9]{1,12}, )*(?:[0-9]{1,12},?)?)\), \} *\n"
)


def _checked_dtype(dtype: Any) -> np.dtype:
    if (
        not isinstance(dtype, np.dtype)
        or dtype.hasobject
        or dtype.kind not in NUMERIC_KINDS
        or dtype.fields is not None
        or dtype.subdtype is not None
    ):
        raise ProtocolError(f"values of dtype {dtype} are not numbers")
    return dtype


def _checked_shape(shape: Any) -> tuple[int, ...]:
    if not isinstance(shape, tuple) or len(shape) > MAX_DIMS:
        raise ProtocolError("array has too many dimensions")
    count = 1
    for dim in shape:
        if type(dim) is not int or dim < 0:
            raise ProtocolError("array has an invalid dimension")
        count *= max(dim, 1)
        if count > MAX_ELEMENTS:
            raise ProtocolError("array is too large")
    return shape


def _checked_length(blob: bytes, offset: int, shape: tuple[int, ...], dtype: np.dtype) -> None:
    if len(blob) - offset != math.prod(shape) * dtype.itemsize:
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
    try:
        return _load_npy(blob)
    except ProtocolError:
        raise
    except (ValueError, TypeError, OverflowError, MemoryError, SyntaxError, RecursionError) as exc:
        raise ProtocolError(f"invalid .npy data ({type(exc).__name__})") from None


def _load_npy(blob: bytes) -> np.ndarray:
    simple = _parse_simple(blob)
    if simple is not None:
        offset, shape, fortran, dtype = simple
        _checked_dtype(dtype)
        _checked_length(blob, offset, _checked_shape(shape), dtype)
        array = np.frombuffer(blob, dtype=dtype, offset=offset)  # read-only view, no copy
        return array.reshape(shape[::-1]).T if fortran else array.reshape(shape)
    stream = io.BytesIO(blob)
    version = npy_format.read_magic(stream)
    if version == (1, 0):
        shape, fortran, dtype = npy_format.read_array_header_1_0(stream)
    elif version in ((2, 0), (3, 0)):
        shape, fortran, dtype = npy_format.read_array_header_2_0(stream)
    else:
        raise ProtocolError(f"unsupported .npy version {version}")
    _checked_dtype(dtype)
    _checked_length(blob, stream.tell(), _checked_shape(shape), dtype)
    array = np.frombuffer(blob, dtype=dtype, offset=stream.tell())
    return array.reshape(shape[::-1]).T if fortran else array.reshape(shape)


# ---------------------------------------------------------------------------------------------
# values


class UnconvertibleOutput:
    """The student returned something that is not numbers (an object, a string...)."""

    def __init__(self, description: str) -> None:
        self.description = description

    def __repr__(self) -> str:
        return f"<{self.description}>"


@dataclass(frozen=True)
class NumberSequence:
    """A list or tuple of numbers (nested, as ``.tolist()`` gives) that the child sent as the one
    array NumPy makes of it. Compared as that array where the reference is an array, and as its
    items along the first axis where the reference is a list or tuple (graders/compare.py)."""

    array: np.ndarray
    kind: str  # "list" or "tuple"

    @property
    def items(self) -> list[np.ndarray]:
        return list(self.array)


def decode_output(node: Any, blobs: list[bytes], seen: set[int] | None = None) -> Any:
    """Rebuild a value the child sent as plain ndarrays, lists and tuples (bounded in every way)."""
    budget = [MAX_OUTPUT_NODES]
    return _decode(node, blobs, set() if seen is None else seen, 0, budget)


def _decode(node: Any, blobs: list[bytes], seen: set[int], depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_OUTPUT_DEPTH:
        raise ProtocolError("output nested too deeply or too large")
    if not isinstance(node, dict) or len(node) != 1:
        raise ProtocolError("malformed output")
    kind, value = next(iter(node.items()))
    if kind == "nd":
        if type(value) is not int or not 0 <= value < len(blobs) or value in seen:
            raise ProtocolError("malformed output")
        seen.add(value)  # each blob is one array: a blob listed twice would multiply the work
        return load_npy(blobs[value])
    if kind in ("list_of_numbers", "tuple_of_numbers"):
        array = _decode({"nd": value}, blobs, seen, depth, budget)
        if array.ndim == 0:
            raise ProtocolError("malformed output")
        return NumberSequence(array, kind.partition("_")[0])
    if kind in ("list", "tuple"):
        if not isinstance(value, list) or len(value) > MAX_OUTPUT_ITEMS:
            raise ProtocolError("malformed output")
        items = [_decode(item, blobs, seen, depth + 1, budget) for item in value]
        return items if kind == "list" else tuple(items)
    if kind == "none" and value is True:
        return None
    if kind == "bad" and isinstance(value, str):
        return UnconvertibleOutput(printable(value, 200))
    raise ProtocolError("malformed output")
