"""Property-based: whatever bytes or frames the child writes, the trusted side raises nothing but a
ProtocolError (the student's error), and the next job grades. Derandomized, so every run checks the
same examples."""

from __future__ import annotations

import io
import json
import struct
import time

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graders.engine import grade
from graders.sandbox.protocol import FRAME_TYPES, FrameReader, ProtocolError, decode_output
from graders.sandbox.zygote import Zygote, _Attempt

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["ok", "error", "memory", "forbidden", "nd", "list", "tuple", "none", "bad", "overflow"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.sampled_from(["nd", "list", "tuple", "none", "bad", "code", "args", "index", "status", "x"]),
            children,
            max_size=4,
        ),
    ),
    max_leaves=25,
)
KEYS = ["index", "status", "output", "after", "fp", "message", "phrase", "error_type", "kind", "blobs"]
headers = st.fixed_dictionaries({"type": st.sampled_from(FRAME_TYPES)}, optional={key: json_values for key in KEYS})


@st.composite
def npy_blobs(draw) -> bytes:
    """Real .npy headers with hostile contents: any descr, shape and body length."""
    descr = draw(st.sampled_from(["<f8", "|b1", "<i8", "<c16", "|O", "<U3", "V8", ">f4", "<f2", "x"]))
    shape = draw(st.lists(st.integers(min_value=-(2**62), max_value=2**62), max_size=4))
    dims = "".join(f"{dim}, " for dim in shape)
    text = f"{{'descr': {descr!r}, 'fortran_order': {draw(st.booleans())}, 'shape': ({dims}), }}"
    text = text.ljust(117) + "\n"
    body = draw(st.binary(max_size=64))
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode() + body


def encoded(header: dict, blobs: list[bytes]) -> bytes:
    raw = json.dumps(dict(header, blobs=[len(blob) for blob in blobs]), allow_nan=True).encode()
    return struct.pack(">I", len(raw)) + raw + b"".join(blobs)


@DETERMINISTIC
@given(st.binary(max_size=2048))
def test_any_bytes_only_ever_raise_a_protocol_error(data):
    reader = FrameReader(1 << 20)
    try:
        for header, blobs in reader.feed(data):
            _take(header, blobs)
    except ProtocolError:
        pass


@DETERMINISTIC
@given(st.lists(st.tuples(headers, st.lists(st.one_of(npy_blobs(), st.binary(max_size=32)), max_size=3)), max_size=6))
def test_any_frames_only_ever_raise_a_protocol_error(frames):
    reader = FrameReader(1 << 20)
    stream = encoded({"type": "armed"}, []) + encoded({"type": "loaded"}, [])
    stream += b"".join(encoded(header, blobs) for header, blobs in frames)
    attempt = _Attempt(started=time.monotonic())
    try:
        for header, blobs in reader.feed(stream):
            Zygote._take_frame(header, blobs, attempt, len(attempt.results))
    except ProtocolError:
        pass


@DETERMINISTIC
@given(json_values, st.lists(npy_blobs(), max_size=3))
def test_any_output_tree_decodes_to_plain_values_or_a_protocol_error(node, blobs):
    try:
        value = decode_output(node, blobs)
    except ProtocolError:
        return
    for leaf in _leaves(value):
        assert isinstance(leaf, np.ndarray) and leaf.dtype.kind in "biufc" and not leaf.dtype.hasobject


def _take(header, blobs):
    attempt = _Attempt(started=time.monotonic())
    Zygote._take_frame({"type": "armed"}, [], attempt, 0)
    Zygote._take_frame({"type": "loaded"}, [], attempt, 0)
    Zygote._take_frame(header, blobs, attempt, 0)


def _leaves(value):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    elif value is not None and type(value).__name__ != "UnconvertibleOutput":
        yield value


HONEST = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"


@settings(DETERMINISTIC, max_examples=20)
@given(st.lists(st.tuples(headers, st.lists(npy_blobs(), max_size=2)), min_size=1, max_size=3), st.binary(max_size=64))
def test_whatever_the_child_writes_the_job_ends_and_the_next_one_grades(zygote, relu, frames, tail):
    stream = b"".join(encoded(header, blobs) for header, blobs in frames) + tail
    source = (
        "import numpy as np\n_import = __import__\n\n\ndef relu(x):\n"
        "    os = _import('os', {})\n"
        f"    data = {stream!r}\n"
        "    for fd in range(3, 20):\n"
        "        try:\n"
        "            os.write(fd, data)\n"
        "        except OSError:\n"
        "            pass\n"
        "    return np.maximum(x, 0.0)\n"
    )
    verdict = grade(relu, source, zygote=zygote)
    assert verdict.outcome in ("graded", "not_gradable")
    json.dumps(verdict.to_dict(), allow_nan=False)  # storable as it is
    assert grade(relu, HONEST, zygote=zygote).score == 1.0


def test_the_strategies_reach_the_interesting_frames():
    # A property test that never builds a result frame with a real array checks nothing.
    blob = io.BytesIO()
    np.save(blob, np.zeros(3))
    attempt = _Attempt(started=time.monotonic())
    for header, blobs in (({"type": "armed"}, []), ({"type": "loaded"}, [])):
        Zygote._take_frame(header, blobs, attempt, 0)
    header = {"type": "result", "index": 0, "status": "ok", "output": {"nd": 0}, "after": {"tuple": []}, "fp": []}
    assert Zygote._take_frame(header, [blob.getvalue()], attempt, 0) == "result"
    assert attempt.results[0][0].output.shape == (3,)
