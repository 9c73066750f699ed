"""The trusted side's decoding of what comes back from the sandbox: hostile bytes must fail closed."""

from __future__ import annotations

import io
import json
import struct
import time

import numpy as np
import pytest

from graders.sandbox import Budget, Limits, SandboxUnavailable, Zygote
from graders.sandbox.protocol import (
    FrameReader,
    NumberSequence,
    ProtocolError,
    UnconvertibleOutput,
    decode_output,
    encode_frame,
    encode_value,
    load_npy,
)
from graders.sandbox.zygote import RunResult, _Attempt


def npy(array: np.ndarray, **kwargs) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, **kwargs)
    return buffer.getvalue()


def frame(header: dict, blobs: list[bytes] = ()) -> bytes:
    return encode_frame(header, list(blobs))


def v1_header(text: str, body: bytes = b"") -> bytes:
    text = text + " " * (117 - len(text)) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode() + body


# ---------------------------------------------------------------------------------------------
# .npy blobs


@pytest.mark.parametrize(
    "array",
    [
        np.arange(12.0).reshape(3, 4),
        np.float64(3.5),
        np.zeros((0, 3)),
        np.asfortranarray(np.arange(24.0).reshape(2, 3, 4)),
        np.array([True, False]),
        np.arange(5, dtype=np.int8),
        np.arange(5, dtype=np.uint64),
        np.ones(3, dtype=np.complex64),
        np.ones(4, dtype=">f4"),
        np.ones((1,) * 20),
        np.arange(6.0)[::2],
    ],
    ids=repr,
)
def test_load_npy_round_trips_numeric_arrays(array):
    loaded = load_npy(npy(array))
    assert loaded.shape == array.shape and loaded.dtype == array.dtype
    assert np.array_equal(loaded, array)
    assert loaded.flags.f_contiguous == np.load(io.BytesIO(npy(array))).flags.f_contiguous


def test_load_npy_accepts_version_2_headers():
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.arange(4.0), version=(2, 0))
    assert np.array_equal(load_npy(buffer.getvalue()), np.arange(4.0))


def test_header_bomb_is_rejected_without_allocating():
    blob = v1_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }", b"\0" * 8)
    started = time.perf_counter()
    with pytest.raises(ProtocolError, match="too large|does not match its header"):
        load_npy(blob)
    assert time.perf_counter() - started < 0.1


def test_header_bomb_through_numpys_own_reader_is_rejected_too():
    # Not the exact np.save layout (keys reordered), so the slow path parses it.
    blob = v1_header("{'shape': (1000000000000,), 'fortran_order': False, 'descr': '<f8'}", b"\0" * 8)
    with pytest.raises(ProtocolError, match="too large|does not match its header"):
        load_npy(blob)


@pytest.mark.parametrize("cut", [1, 8, 100])
def test_truncated_blobs_are_rejected(cut):
    blob = npy(np.arange(20.0))
    with pytest.raises(ProtocolError):
        load_npy(blob[:-cut])


def test_trailing_bytes_are_rejected():
    with pytest.raises(ProtocolError, match="does not match"):
        load_npy(npy(np.arange(3.0)) + b"\0" * 8)


@pytest.mark.parametrize(
    "array",
    [
        np.array([{"score": 1}], dtype=object),
        np.array(["1.0"]),
        np.array([b"1.0"]),
        np.zeros(2, dtype=[("a", "<f8"), ("b", "<f8")]),
        np.array(["2024-01-01"], dtype="datetime64[D]"),
    ],
    ids=["object", "str", "bytes", "structured", "datetime"],
)
def test_non_numeric_dtypes_are_rejected(array):
    with pytest.raises(ProtocolError, match="not numbers"):
        load_npy(npy(array, allow_pickle=True))


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"\x93NUMPY",
        b"not numpy at all",
        b"\x93NUMPY\x09\x00" + b"\0" * 20,
        v1_header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': __import__('os')}"),
        v1_header("{'descr': '<i3', 'fortran_order': False, 'shape': (2,), }", b"\0" * 6),
    ],
)
def test_malformed_headers_are_rejected(blob):
    with pytest.raises(ProtocolError):
        load_npy(blob)


def test_loaded_arrays_are_read_only_views():
    loaded = load_npy(npy(np.arange(3.0)))
    with pytest.raises(ValueError):
        loaded[0] = 1.0


# ---------------------------------------------------------------------------------------------
# frames


def test_frames_split_across_reads_are_reassembled():
    data = frame({"type": "result", "index": 0}, [b"abc", b"de"]) + frame({"type": "done"})
    reader = FrameReader(1 << 20)
    frames = []
    for i in range(len(data)):
        frames += reader.feed(data[i : i + 1])
    assert [(header["type"], blobs) for header, blobs in frames] == [("result", [b"abc", b"de"]), ("done", [])]


def test_result_budget_is_enforced_before_buffering_more():
    reader = FrameReader(1000)
    with pytest.raises(ProtocolError, match="more than"):
        reader.feed(b"\0" * 1001)


def test_a_huge_declared_blob_is_refused_before_its_bytes_arrive():
    reader = FrameReader(1 << 20)
    raw = json.dumps({"type": "result", "blobs": [10**12]}).encode()
    with pytest.raises(ProtocolError, match="more than 1 MiB"):
        reader.feed(struct.pack(">I", len(raw)) + raw + b"x" * 100)


@pytest.mark.parametrize(
    "data",
    [
        struct.pack(">I", 1 << 30) + b"{}",
        struct.pack(">I", 5) + b"{{{{{",
        struct.pack(">I", 2) + b"[]",
        struct.pack(">I", 15) + b'{"blobs": [-5]}',
        struct.pack(">I", 17) + b'{"blobs": ["x1"]}',
    ],
    ids=["header-too-large", "bad-json", "not-an-object", "negative-blob", "non-numeric-blob"],
)
def test_malformed_frames_raise(data):
    with pytest.raises(ProtocolError):
        FrameReader(1 << 20).feed(data)


def test_good_frames_before_garbage_are_kept():
    good = frame({"type": "armed"}) + frame({"type": "loaded"})
    with pytest.raises(ProtocolError) as caught:
        FrameReader(1 << 20).feed(good + struct.pack(">I", 3) + b"{{{")
    assert [header["type"] for header, _ in caught.value.frames] == ["armed", "loaded"]


def test_decode_output_rejects_malformed_nodes():
    blobs = [npy(np.arange(3.0))]
    assert np.array_equal(decode_output({"nd": 0}, blobs), np.arange(3.0))
    assert isinstance(decode_output({"list": [{"nd": 0}, {"none": True}]}, blobs), list)
    assert isinstance(decode_output({"bad": "x" * 1000}, blobs), UnconvertibleOutput)
    for node in ({"nd": 1}, {"nd": -1}, {"nd": "0"}, {"pickle": 0}, {"nd": 0, "list": []}, [], "nd"):
        with pytest.raises(ProtocolError):
            decode_output(node, blobs)


def test_encode_value_refuses_objects():
    with pytest.raises(TypeError):
        encode_value(object(), [])


# ---------------------------------------------------------------------------------------------
# attributing frames to cases (trusted side bookkeeping)


def _result(index: int) -> tuple[dict, list[bytes]]:
    header = {"type": "result", "index": index, "status": "ok", "output": {"nd": 0}, "after": {"tuple": []}}
    return header, [npy(np.zeros(2))]


def test_out_of_order_results_are_blamed_on_the_student():
    attempt = _Attempt(started=time.monotonic())
    for header, blobs in ({"type": "armed"}, []), ({"type": "loaded"}, []):
        Zygote._take_frame(header, blobs, attempt, 0)
    header, blobs = _result(1)
    with pytest.raises(ProtocolError, match="out of order"):
        Zygote._take_frame(header, blobs, attempt, 0)


def test_a_child_that_fails_before_arming_is_a_platform_failure():
    zygote = Zygote("plain")
    attempt = _Attempt(started=time.monotonic(), exit_report={"exit": 71})
    attempt.printed += b"Traceback ... MemoryError"
    with pytest.raises(SandboxUnavailable, match="failed to set up a job"):
        zygote._collect(attempt, 0, 3, Limits(), Budget(Limits()), RunResult())


def test_a_list_of_numbers_arrives_as_one_array_with_its_kind():
    blobs = [npy(np.arange(6.0).reshape(2, 3)), npy(np.array([1.0, 2.0]))]
    rows = decode_output({"list_of_numbers": 0}, blobs)
    assert isinstance(rows, NumberSequence) and rows.kind == "list" and rows.array.shape == (2, 3)
    pair = decode_output({"tuple_of_numbers": 1}, blobs)
    assert pair.kind == "tuple" and [float(item) for item in pair.items] == [1.0, 2.0]


def test_a_list_of_numbers_must_be_a_real_array_listed_once():
    blobs = [npy(np.array(3.0)), npy(np.arange(2.0))]
    for node in ({"list_of_numbers": 0}, {"list_of_numbers": 2}, {"list_of_numbers": "1"}, {"tuple_of_numbers": -1}):
        with pytest.raises(ProtocolError):
            decode_output(node, blobs)
    with pytest.raises(ProtocolError):
        decode_output({"list": [{"list_of_numbers": 1}, {"nd": 1}]}, blobs)  # one blob, two values


def test_a_budget_spent_before_the_next_child_confined_itself_is_not_a_platform_failure():
    # The student's earlier cases used the budget up while a fresh child was still setting up: the
    # child was killed for the budget before its "armed" frame. That is the student's slow code,
    # not a platform failure (which would be retried and never scored).
    zygote = Zygote("plain")
    limits = Limits(time_s=0.5, budget_s=1.5)
    attempt = _Attempt(started=time.monotonic(), kill_reason="budget", exit_report={"exit": -9})
    result = RunResult()
    assert zygote._collect(attempt, 3, 10, limits, Budget(limits), result) == 10
    assert [case.index for case in result.cases] == list(range(3, 10))
    assert {case.status for case in result.cases} == {"timeout"}
    assert all(case.budget_spent and "budget of 1.5 s" in case.message for case in result.cases)
