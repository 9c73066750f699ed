"""A course bundle's own code (case generator, reference, mistakes) run in the sandbox, read as hostile.

Built-in bundles are platform code: the worker imports and runs them (graders/bundle.py). A
course repository's bundle is an instructor's code, so the worker never imports it: a sandboxed
child (a job of the same zygote, the same layers and limits as a submission, never the child of a
student's job and never holding a student's code) runs graders/sandbox/content_job.py with
the bundle's files and returns a tape of plain values. This module reads that tape strictly
(bounded size, depth, counts and strings; numeric arrays only, checked as protocol.py checks a
student's), checks the cases as validate_bundle does, and builds a Bundle whose cases, expected
outputs and mistakes' outputs are those values: comparing and naming mistakes stay on the trusted
side, in graders/engine.py, unchanged. The values are kept per bundle version (content hash).

Whatever goes wrong there (the generator raises or loops, the tape is garbage) is the course's
fault, never the student's: ``CourseContentFailed`` is a platform fault the grading task retries and
then reports to staff.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import re
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graders.bundle import Bundle, leaves, normalize_output
from graders.cases import Case, MistakeVariant
from graders.feedback import PURPOSE_CODES
from graders.sandbox import Budget, Limits, RunResult, Zygote
from graders.sandbox.protocol import MAX_DIMS, ProtocolError, _checked_dtype, _checked_shape

CONTENT_SOURCE = Path(__file__).resolve().parent / "sandbox" / "content_job.py"  # sent as the job's file
ENTRY = "dlgrade_content"
MAX_TAPE_BYTES = 32 << 20  # of one call's returned values
MAX_DEPTH = 12
MAX_NODES = 200_000
MAX_TEXT = 4000  # characters of one string (a description, a mistake's message)
MAX_CASES = 500
MAX_MISTAKES = 64
# The course's code may use twice a submission's time per call, and twice its budget over all.
TIME_FACTOR = 2.0
MAX_KEPT_VERSIONS = 64  # per worker process; the oldest computed version is dropped first
_DTYPE = re.compile(r"^[<>|=][biufc][0-9]{1,2}$")


COURSE_FAULT = "the course's exercise failed to run"  # begins every CourseContentFailed message


class CourseContentFailed(Exception):
    """The course's exercise failed to run (its case generator or reference): the platform's and
    the instructor's fault, never the student's. The grading task retries it, then reports it."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{COURSE_FAULT}: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class Computed:
    """What a course bundle's code produced, checked: the same for every submission of one version."""

    cases: tuple[Case, ...]
    expected: tuple[Any, ...]
    mistakes: tuple[tuple[str, str, str], ...]  # key, message, message_zh
    wrong: tuple[tuple[Any, ...], ...]  # per case, each mistake's normalized output (None: it failed)
    parameters: tuple[str, ...]


_COMPUTED: dict[str, Computed] = {}
_LOCK = threading.Lock()


def sandboxed(bundle: Bundle, zygote: Callable[[], Zygote]) -> Bundle:
    """``bundle`` with its cases, expected outputs and mistakes computed in the sandbox (once per version).

    ``zygote`` gives the zygote to run jobs on (the thread's, see graders/runtime.py). Raises
    CourseContentFailed when the course's code fails, SandboxUnavailable when the sandbox does.
    """
    with _LOCK:
        computed = _COMPUTED.get(bundle.content_hash)
    if computed is None:
        computed = compute(bundle, zygote())
        with _LOCK:
            while len(_COMPUTED) >= MAX_KEPT_VERSIONS:
                del _COMPUTED[next(iter(_COMPUTED))]
            _COMPUTED[bundle.content_hash] = computed
    return replay(bundle, computed, zygote)


def forget() -> None:
    """Drop every computed version (tests and benchmarks measure the first submission's cost)."""
    with _LOCK:
        _COMPUTED.clear()


def content_source(bundle: Bundle) -> str:
    """The job's "student file": the sandbox side, then the bundle's files as string literals."""
    files = {}
    for name in ("cases.py", "reference.py", "mistakes.py"):
        path = bundle.path / name
        if path.is_file():
            files[name] = path.read_text(encoding="utf-8")
    return (
        CONTENT_SOURCE.read_text(encoding="utf-8")
        + f"\n_FILES = {files!r}\n_SEED = {int(bundle.seed)!r}\n_FUNCTION = {bundle.function!r}\n"
    )


def content_limits(bundle: Bundle) -> Limits:
    limits = bundle.limits
    return dataclasses.replace(
        limits,
        time_s=limits.time_s * TIME_FACTOR,
        budget_s=limits.submission_budget_s * TIME_FACTOR,
        result_bytes=4 * MAX_TAPE_BYTES,
    )


def _call(zygote: Zygote, bundle: Bundle, source: str, calls: list[tuple[tuple, dict]], what: str) -> list[Any]:
    """Run ``calls`` of the content entry point in fresh sandboxed children; the tapes, read."""
    limits = content_limits(bundle)
    run = zygote.run(source, ENTRY, calls, limits, Budget(limits))
    return read_tapes(run, "its code", [what] * len(calls))


def read_tapes(run: RunResult, code: str, calls: list[str]) -> list[Any]:
    """The tape of each call of ``run``, read strictly; CourseContentFailed naming ``code`` or the call
    (its status and the child's message are already bounded, printable text: graders/sandbox/protocol.py)."""
    if run.load_status:
        raise CourseContentFailed(f"{code} does not load in the sandbox ({run.load_status}): {run.load_message}")
    values = []
    for index, what in enumerate(calls):
        case_run = run.cases[index] if index < len(run.cases) else None
        if case_run is None:
            raise CourseContentFailed(f"{what} did not run")
        if case_run.status != "ok":
            detail = f": {case_run.message}" if case_run.message else ""
            raise CourseContentFailed(f"{what} ended with {case_run.status}{detail}")
        try:
            values.append(read_tape(case_run.output))
        except ProtocolError as exc:
            raise CourseContentFailed(f"{what} returned something the platform refuses: {exc}") from None
    return values


def compute(bundle: Bundle, zygote: Zygote) -> Computed:
    """Run the course's generator, reference and mistakes in the sandbox; check what they return."""
    source = content_source(bundle)
    (made,) = _call(
        zygote, bundle, source, [(("cases",), {})], "make_cases() (with cases.py, mistakes.py and reference.py loaded)"
    )
    cases, mistakes, parameters = _read_cases(made)
    outputs = _call(zygote, bundle, source, [(("outputs", index), {}) for index in range(len(cases))], "the reference")
    expected, wrong = [], []
    for case, value in zip(cases, outputs, strict=True):
        if not isinstance(value, list) or len(value) != 2 or not isinstance(value[1], list):
            raise CourseContentFailed("the reference returned a malformed result")
        expected.append(_expected(bundle, case, value[0]))
        if len(value[1]) != len(mistakes):
            raise CourseContentFailed("the mistakes returned a malformed result")
        wrong.append(tuple(_wrong(output) for output in value[1]))
    return Computed(tuple(cases), tuple(expected), mistakes, tuple(wrong), parameters)


def _numbers_only(value: Any, depth: int = 0) -> bool:
    if isinstance(value, (list, tuple)):
        return depth < MAX_DEPTH and all(_numbers_only(item, depth + 1) for item in value)
    return isinstance(value, (np.ndarray, int, float, bool))


def _expected(bundle: Bundle, case: Case, value: Any) -> Any:
    if not _numbers_only(value):
        raise CourseContentFailed(f"the reference returned something that is not numbers in case {case.name}")
    expected = normalize_output(value)
    if any(not np.all(np.isfinite(leaf)) for leaf in leaves(expected)):
        raise CourseContentFailed(f"the reference gives NaN or inf in case {case.name}")
    if len(bundle.outputs) > 1 and (not isinstance(expected, (tuple, list)) or len(expected) != len(bundle.outputs)):
        raise CourseContentFailed(f"`outputs` names {len(bundle.outputs)} values: the reference returns another count")
    return expected


def _wrong(value: Any) -> Any:
    if value is None or not _numbers_only(value):
        return None  # a mistake that failed or returned garbage names nothing
    try:
        return normalize_output(value)
    except (ValueError, TypeError):
        return None


def _text(value: Any, what: str, *, required: bool = False) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or (required and not value.strip()):
        raise CourseContentFailed(f"{what} should be text of at most {MAX_TEXT} characters")
    return value


def _tolerance(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value < 1:
        raise CourseContentFailed(f"{what} should be a number in [0, 1)")
    return float(value)


def _input(value: Any, depth: int = 0) -> bool:
    """A case input the platform can send to a student's child (graders/sandbox/protocol.encode_value)."""
    if isinstance(value, dict):
        return depth == 0 and all(_input(item, depth + 1) for item in value.values())
    if isinstance(value, (list, tuple)):
        return depth < 4 and all(_input(item, depth + 1) for item in value)
    return value is None or isinstance(value, (np.ndarray, int, float, bool, str))


def _read_cases(made: Any) -> tuple[list[Case], tuple[tuple[str, str, str], ...], tuple[str, ...]]:
    if not isinstance(made, dict) or set(made) != {"cases", "mistakes", "parameters"}:
        raise CourseContentFailed("the case generator returned a malformed result")
    raw_cases, raw_mistakes, parameters = made["cases"], made["mistakes"], made["parameters"]
    if not isinstance(raw_cases, list) or not 0 < len(raw_cases) <= MAX_CASES:
        raise CourseContentFailed(f"make_cases() must return between 1 and {MAX_CASES} cases")
    cases = []
    for raw in raw_cases:
        if not isinstance(raw, list) or len(raw) != 10:
            raise CourseContentFailed("make_cases() must return a list of Case")
        name, args, kwargs, hidden, weight, rtol, atol, description, description_zh, purpose = raw
        name = _text(name, "a case's name", required=True)
        if not isinstance(args, tuple) or not isinstance(kwargs, dict) or not _input(args) or not _input(kwargs):
            raise CourseContentFailed(f"case {name}: inputs must be arrays, numbers, text, lists and tuples")
        if not all(key.isidentifier() for key in kwargs):
            raise CourseContentFailed(f"case {name}: keyword arguments must be Python names")
        if not isinstance(hidden, bool):
            raise CourseContentFailed(f"case {name}: hidden should be True or False")
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not 0 <= weight <= 1e6:
            raise CourseContentFailed(f"case {name}: weight should be a number in [0, 1e6]")
        purpose = _text(purpose, f"case {name}: purpose")
        if purpose and purpose not in PURPOSE_CODES:
            raise CourseContentFailed(f"unknown case purpose {purpose} (see graders/feedback.py)")
        cases.append(
            Case(
                name=name,
                args=args,
                kwargs=kwargs,
                hidden=hidden,
                weight=float(weight),
                rtol=_tolerance(rtol, f"case {name}: rtol"),
                atol=_tolerance(atol, f"case {name}: atol"),
                description=_text(description, f"case {name}: description"),
                description_zh=_text(description_zh, f"case {name}: description_zh"),
                purpose=purpose,
            )
        )
    names = [case.name for case in cases]
    if len(set(names)) != len(names):
        raise CourseContentFailed("case names must be unique")
    if all(case.hidden for case in cases) or not any(case.hidden for case in cases):
        raise CourseContentFailed("cases need at least one visible and one hidden case")
    if not isinstance(raw_mistakes, list) or len(raw_mistakes) > MAX_MISTAKES:
        raise CourseContentFailed(f"MISTAKES must hold at most {MAX_MISTAKES} MistakeVariant entries")
    mistakes = []
    for raw in raw_mistakes:
        if not isinstance(raw, list) or len(raw) != 3:
            raise CourseContentFailed("MISTAKES must hold MistakeVariant entries")
        mistakes.append(
            (
                _text(raw[0], "a mistake's key", required=True),
                _text(raw[1], "a mistake's message"),
                _text(raw[2], "a mistake's message_zh"),
            )
        )
    if not isinstance(parameters, list) or not all(isinstance(p, str) and p.isidentifier() for p in parameters):
        raise CourseContentFailed("the reference's parameters are malformed")
    return cases, tuple(mistakes), tuple(parameters[:64])


# ---------------------------------------------------------------------------------------------
# the bundle the engine grades with


def replay(bundle: Bundle, computed: Computed, zygote: Callable[[], Zygote]) -> Bundle:
    """A copy of ``bundle`` whose cases, expected outputs, mistakes and reference are ``computed``'s.

    The engine reads them through the bundle's cached properties, so they are filled in before it
    asks: it never imports the course's files. A mistake's function replays its output on a case's
    inputs; the reference runs in the sandbox (a student's own case in Run, graders/trial.py).
    """
    copy = dataclasses.replace(bundle)
    variants = tuple(
        MistakeVariant(key, message, message_zh, _Replay(computed, position))
        for position, (key, message, message_zh) in enumerate(computed.mistakes)
    )
    reference = _SandboxedReference(bundle, computed.parameters, zygote)
    copy.__dict__.update(
        cases=computed.cases,
        expected=computed.expected,
        mistakes=variants,
        _reference=types.SimpleNamespace(**{bundle.function: reference}),
    )
    return copy


class _Replay:
    """A mistake's output, found by the case whose inputs it is called with (the engine copies them)."""

    def __init__(self, computed: Computed, position: int) -> None:
        self.computed, self.position = computed, position
        self.__name__ = f"mistake_{position}"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for index, case in enumerate(self.computed.cases):
            if _equal(tuple(case.args), args) and _equal(dict(case.kwargs), kwargs):
                output = self.computed.wrong[index][self.position]
                if output is None:
                    raise ValueError("this mistake did not run on this case")
                return output
        raise ValueError("not one of the bundle's cases")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


class _SandboxedReference:
    """The course's reference as the engine sees it: its parameter names, and a call that runs in the sandbox."""

    def __init__(self, bundle: Bundle, parameters: tuple[str, ...], zygote: Callable[[], Zygote]) -> None:
        self.bundle, self.zygote = bundle, zygote
        self.__name__ = bundle.function
        self.__signature__ = inspect.Signature(
            [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in parameters]
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not _input(args) or not _input(kwargs):
            raise TypeError("inputs must be arrays, numbers, lists and tuples")
        limits = content_limits(self.bundle)
        run = self.zygote().run(
            content_source(self.bundle), ENTRY, [(("reference", *args), kwargs)], limits, Budget(limits)
        )
        if run.load_status:
            raise CourseContentFailed(f"its code does not load in the sandbox ({run.load_status})")
        case_run = run.cases[0] if run.cases else None
        if case_run is None or case_run.status != "ok":
            # What the reference says of the caller's inputs (a wrong shape): the caller reports it.
            raise ValueError(case_run.message if case_run is not None else "the reference did not run")
        try:
            value = read_tape(case_run.output)
        except ProtocolError as exc:
            raise CourseContentFailed(f"the reference returned something the platform refuses: {exc}") from None
        if not _numbers_only(value):
            raise CourseContentFailed("the reference returned something that is not numbers")
        return value


# ---------------------------------------------------------------------------------------------
# the tape (graders/sandbox/content_job.py writes it)


def read_tape(array: Any) -> Any:
    """The value a tape holds; raises ProtocolError on anything malformed, too large or too deep."""
    if not isinstance(array, np.ndarray) or array.dtype != np.uint8 or array.ndim != 1:
        raise ProtocolError("not a tape of bytes")
    if array.size > MAX_TAPE_BYTES:
        raise ProtocolError(f"more than {MAX_TAPE_BYTES >> 20} MiB of values")
    reader = _Tape(array.tobytes())
    value = reader.value(0)
    if reader.at != len(reader.data):
        raise ProtocolError("trailing bytes after the values")
    return value


class _Tape:
    def __init__(self, data: bytes) -> None:
        self.data, self.at, self.nodes = data, 0, 0

    def take(self, count: int) -> bytes:
        if count < 0 or self.at + count > len(self.data):
            raise ProtocolError("values cut short")
        chunk = self.data[self.at : self.at + count]
        self.at += count
        return chunk

    def number(self, dtype: str) -> Any:
        return np.frombuffer(self.take(np.dtype(dtype).itemsize), dtype=dtype)[0].item()

    def text(self) -> str:
        if self.take(1) != b"s":
            raise ProtocolError("text expected")
        length = self.number("<u4")
        if length > 4 * MAX_TEXT:
            raise ProtocolError("text too long")
        try:
            return self.take(length).decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError("text is not UTF-8") from None

    def value(self, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise ProtocolError("values nested too deeply or too many")
        tag = self.data[self.at : self.at + 1]
        if tag == b"s":
            return self.text()
        self.at += 1
        if tag == b"N":
            return None
        if tag in (b"T", b"F"):
            return tag == b"T"
        if tag == b"i":
            return self.number("<i8")
        if tag == b"f":
            return self.number("<f8")
        if tag in (b"l", b"t", b"d"):
            count = self.number("<u4")
            if count > MAX_NODES - self.nodes:
                raise ProtocolError("too many values")
            if tag == b"d":
                return {self.text(): self.value(depth + 1) for _ in range(count)}
            items = [self.value(depth + 1) for _ in range(count)]
            return items if tag == b"l" else tuple(items)
        if tag == b"a":
            return self.array()
        raise ProtocolError("unknown value")

    def array(self) -> np.ndarray:
        descr = self.text()
        if not _DTYPE.match(descr):
            raise ProtocolError("values that are not numbers")
        dtype = _checked_dtype(np.dtype(descr))
        ndim = self.take(1)[0]
        if ndim > MAX_DIMS:
            raise ProtocolError("array has too many dimensions")
        shape = _checked_shape(tuple(int(d) for d in np.frombuffer(self.take(8 * ndim), dtype="<u8")))
        layout, readonly = self.take(2)
        size = self.number("<u8")
        if size != math.prod(shape) * dtype.itemsize:
            raise ProtocolError("array data does not match its shape")
        array = np.frombuffer(self.take(size), dtype=dtype).reshape(shape).copy()
        if layout == ord("F"):
            array = np.asfortranarray(array)
        elif layout == ord("S") and array.ndim:  # the layout a student's child rebuilds (runner.py)
            wide = np.zeros(array.shape[:-1] + (array.shape[-1] * 2,), dtype=array.dtype)
            wide[..., ::2] = array
            array = wide[..., ::2]
        elif layout != ord("C") and layout != ord("S"):
            raise ProtocolError("unknown array layout")
        if readonly:
            array.flags.writeable = False
        return array
