"""Compare a student's output with the reference on the trusted side, and say where they differ.

Rules (../shared/catalog.md): exact shape (np.allclose would broadcast zeros(1) against any
shape), a numeric dtype (int or bool is fine, complex is not), NaN only where the reference has
NaN, then ``|got - want| <= atol + rtol * |want|`` elementwise. A list output may come back as a
list or a tuple and is compared element by element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graders.sandbox.protocol import UnconvertibleOutput

PREVIEW_ELEMENTS = 12


@dataclass(frozen=True)
class Comparison:
    ok: bool
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return "a scalar" if value.shape == () else f"an array of shape {_shape(value.shape)}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, UnconvertibleOutput):
        return f"a {value.description}"
    if value is None:
        return "None"
    return type(value).__name__


def _shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def preview(value: Any) -> str:
    """A compact, readable slice of a value for feedback on visible cases."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(preview(item) for item in value[:4]) + (", ..." if len(value) > 4 else "") + "]"
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, suppress=True, threshold=PREVIEW_ELEMENTS, edgeitems=2, linewidth=100):
            return np.array2string(value, separator=", ")
    return repr(value)[:200]


def fmt(x: float) -> str:
    return f"{x:.6g}"


def compare(got: Any, want: Any, *, rtol: float, atol: float, name: str = "your output") -> Comparison:
    if isinstance(want, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return Comparison(
                False, f"Expected {name} to be a {type(want).__name__} of {len(want)} items, got {_describe(got)}"
            )
        if len(got) != len(want):
            return Comparison(False, f"Expected {name} to have {len(want)} items, got {len(got)}")
        for position, (g, w) in enumerate(zip(got, want, strict=False)):
            result = compare(g, w, rtol=rtol, atol=atol, name=f"{name}[{position}]")
            if not result.ok:
                return result
        return Comparison(True)
    return _compare_array(got, want, rtol=rtol, atol=atol, name=name)


def _compare_array(got: Any, want: np.ndarray, *, rtol: float, atol: float, name: str) -> Comparison:
    if not isinstance(got, np.ndarray):
        return Comparison(False, f"Expected {name} to be {_describe(want)}, got {_describe(got)}")
    if got.dtype.kind == "c":
        return Comparison(False, f"{name.capitalize()} has complex numbers; expected real values")
    if got.shape != want.shape:
        return Comparison(
            False,
            f"Wrong shape: expected {name} of shape {_shape(want.shape)}, got {_shape(got.shape)}",
            {"expected_shape": list(want.shape), "got_shape": list(got.shape)},
        )
    got = got.astype(np.float64, copy=False)
    want_nan = np.isnan(want)
    got_nan = np.isnan(got)
    bad_nan = got_nan & ~want_nan
    if bad_nan.any():
        first = tuple(np.argwhere(bad_nan)[0])
        count = int(bad_nan.sum())
        return Comparison(
            False,
            f"{name.capitalize()} has NaN in {count} of {got.size} places, first at {_index(first)} "
            f"(expected {fmt(want[first])})",
            {"first_nan": list(map(int, first))},
        )
    same_inf = np.isinf(got) & (got == want)
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.abs(got - want)
        error = np.where(want_nan & got_nan, 0.0, error)
        error = np.where(same_inf, 0.0, error)
        allowed = atol + rtol * np.abs(want)
        off = ~(error <= allowed)
    off &= ~(want_nan & got_nan)
    if not off.any():
        return Comparison(True)
    count = int(off.sum())
    worst = (
        tuple(int(i) for i in np.unravel_index(int(np.argmax(np.where(off, error, -1.0))), want.shape))
        if want.shape
        else ()
    )
    # Relative error only means something where the expected value is not zero.
    nonzero = off & (want != 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        relative = np.where(nonzero, error / np.where(nonzero, np.abs(want), 1.0), 0.0)
    where = f" at {_index(worst)}" if worst else ""
    subject = "" if name == "your output" else f"In {name}: "
    relative_text = f" (largest relative error {fmt(float(np.max(relative)))})" if nonzero.any() else ""
    message = (
        f"{subject}{count} of {want.size} values ({100.0 * count / want.size:.3g}%) are off by more than the tolerance "
        f"(rtol={rtol:g}, atol={atol:g}). Largest error {fmt(float(error[worst]))}{where}: "
        f"got {fmt(float(got[worst]))}, expected {fmt(float(want[worst]))}{relative_text}."
    )
    if not np.isfinite(got[worst]):
        message = (
            f"{name.capitalize()} has {fmt(float(got[worst]))}{where} where {fmt(float(want[worst]))} was expected. "
            + message
        )
    return Comparison(
        False,
        message,
        {
            "off": count,
            "size": int(want.size),
            "max_abs_error": float(error[worst]),
            "max_rel_error": float(np.max(relative)),
            "worst_index": list(worst),
        },
    )


def matches(got: Any, want: Any, *, rtol: float, atol: float) -> bool:
    return compare(got, want, rtol=rtol, atol=atol).ok
