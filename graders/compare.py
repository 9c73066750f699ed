"""Compare a student's output with the reference on the trusted side, and say where they differ.

Rules (docs/catalog.md): exact shape (np.allclose would broadcast zeros(1) against any
shape), a numeric dtype (int or bool is fine, complex is not), NaN only where the reference has
NaN, then ``|got - want| <= atol + rtol * |want|`` elementwise. A list output may come back as a
list or a tuple and is compared element by element. An array output may come back as nested lists
of numbers (``.tolist()``): the child sends those as the array NumPy makes of them (a
NumberSequence), and the reference's structure decides how it is read: as that array where the
reference is an array, as its items along the first axis where the reference is a list or tuple.
A list that is not one array of numbers (ragged, or holding None or text) fails with a message
that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graders.feedback import Argument, Phrase, render, say
from graders.sandbox.protocol import NumberSequence, UnconvertibleOutput

PREVIEW_ELEMENTS = 12
PREVIEW_CHARS = 2000
PREVIEW_DEPTH = 3
PREVIEW_PRINTED_MAX = 400  # elements numpy would print after summarizing
# Got and expected side by side, element by element, for outputs up to this many values and this
# many columns (the last axis); larger ones keep the previews and the largest error's place.
GRID_MAX_VALUES = 256
GRID_MAX_COLUMNS = 16


WRONG_SHAPE, WRONG_TYPE, NON_FINITE, WRONG_VALUES = "wrong_shape", "wrong_type", "non_finite", "wrong_values"


@dataclass(frozen=True)
class Comparison:
    ok: bool
    phrases: tuple[Phrase, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    kind: str = ""  # what was wrong: WRONG_SHAPE, WRONG_TYPE, NON_FINITE or WRONG_VALUES

    @property
    def message(self) -> str:
        return render(self.phrases)


def _failed(kind: str, *phrases: Phrase, details: dict[str, Any] | None = None) -> Comparison:
    return Comparison(False, phrases, details or {}, kind)


def _describe(value: Any) -> Argument:
    if isinstance(value, np.ndarray):
        return say("a_scalar") if value.shape == () else say("an_array", shape=_shape(value.shape))
    if isinstance(value, (list, tuple)):
        return say("a_sequence", kind=type(value).__name__, count=str(len(value)))
    if isinstance(value, NumberSequence):
        return say("a_sequence", kind=value.kind, count=str(len(value.array)))
    if isinstance(value, UnconvertibleOutput):
        return say("an_unreadable_value", description=value.description)
    if value is None:
        return "None"
    return type(value).__name__


def _shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def preview(value: Any) -> str:
    """A compact, readable slice of a value for feedback on visible cases, at most PREVIEW_CHARS long.

    The work is bounded too: the value may be anything a student returned (deep lists of arrays
    with many small axes, which numpy's own summarizing cannot shorten)."""
    text = _preview(value, 0)
    return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"


def _preview(value: Any, depth: int) -> str:
    if isinstance(value, NumberSequence):
        return _preview(value.array, depth)
    if isinstance(value, (list, tuple)):
        if depth >= PREVIEW_DEPTH:
            return "[...]"
        items = ", ".join(_preview(item, depth + 1) for item in value[:4])
        return "[" + items + (", ..." if len(value) > 4 else "") + "]"
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, suppress=True, threshold=PREVIEW_ELEMENTS, edgeitems=2, linewidth=100):
            # numpy summarizes only axes longer than 2 * edgeitems: count what it would print first
            printed = 1
            for dim in value.shape:
                printed *= min(dim, 5)
            if printed <= PREVIEW_PRINTED_MAX:
                return np.array2string(value, separator=", ")
            head = np.array2string(value.flat[:PREVIEW_ELEMENTS], separator=", ")
            return f"array of shape {_shape(value.shape)}, first values {head[:-1]}, ...]"
    return repr(value)[:200]


def fmt(x: float) -> str:
    return f"{x:.6g}"


def compare(got: Any, want: Any, *, rtol: float, atol: float, item: str = "") -> Comparison:
    """``item`` names a list element being compared, e.g. "[1]"; "" is the whole output."""
    if isinstance(want, (list, tuple)):
        if isinstance(got, NumberSequence):
            got = got.items  # equally shaped items (or numbers) sent as one array: split it again
        if not isinstance(got, (list, tuple)):
            return _failed(
                WRONG_TYPE,
                say("wrong_sequence", item=item, kind=type(want).__name__, count=str(len(want)), got=_describe(got)),
            )
        if len(got) != len(want):
            return _failed(WRONG_TYPE, say("wrong_length", item=item, expected=str(len(want)), got=str(len(got))))
        for position, (g, w) in enumerate(zip(got, want, strict=False)):
            result = compare(g, w, rtol=rtol, atol=atol, item=f"{item}[{position}]")
            if not result.ok:
                return result
        return Comparison(True)
    return _compare_array(got, want, rtol=rtol, atol=atol, item=item)


def _compare_array(got: Any, want: np.ndarray, *, rtol: float, atol: float, item: str) -> Comparison:
    if isinstance(got, NumberSequence):
        got = got.array
    elif isinstance(got, (list, tuple)):
        return _failed(WRONG_TYPE, _not_one_array(got, want, item))
    if not isinstance(got, np.ndarray):
        return _failed(WRONG_TYPE, say("wrong_type", item=item, expected=_describe(want), got=_describe(got)))
    if got.dtype.kind == "c":
        return _failed(WRONG_TYPE, say("complex_values", item=item))
    if got.shape != want.shape:
        return _failed(
            WRONG_SHAPE,
            say("wrong_shape", item=item, expected=_shape(want.shape), got=_shape(got.shape)),
            details={"expected_shape": list(want.shape), "got_shape": list(got.shape)},
        )
    got = got.astype(np.float64, copy=False)
    want_nan = np.isnan(want)
    got_nan = np.isnan(got)
    bad_nan = got_nan & ~want_nan
    if bad_nan.any():
        first = tuple(np.argwhere(bad_nan)[0])
        return _failed(
            NON_FINITE,
            say(
                "unexpected_nan",
                item=item,
                count=str(int(bad_nan.sum())),
                size=str(got.size),
                index=_index(first),
                expected=fmt(want[first]),
            ),
            details={"first_nan": list(map(int, first)), **_grid(got, want, bad_nan)},
        )
    same_inf = np.isinf(got) & (got == want)
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.abs(got - want)
        error = np.where(want_nan & got_nan, 0.0, error)
        error = np.where(same_inf, 0.0, error)
        allowed = atol + rtol * np.abs(want)
        off = ~(error <= allowed)
    off &= ~(want_nan & got_nan)
    off |= np.isinf(want) & ~same_inf  # rtol * inf would let any finite value pass for an infinity
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
    got_worst, want_worst = fmt(float(got[worst])), fmt(float(want[worst]))
    phrases = []
    if not np.isfinite(got[worst]):
        if worst:
            phrases.append(say("non_finite_at", item=item, got=got_worst, index=_index(worst), expected=want_worst))
        else:
            phrases.append(say("non_finite", item=item, got=got_worst, expected=want_worst))
    if item:
        phrases.append(say("in_item", item=item))
    phrases.append(
        say(
            "values_off",
            count=str(count),
            size=str(want.size),
            percent=f"{100.0 * count / want.size:.3g}",
            rtol=f"{rtol:g}",
            atol=f"{atol:g}",
        )
    )
    error_text = fmt(float(error[worst]))
    if worst:
        phrases.append(
            say("largest_error_at", error=error_text, index=_index(worst), got=got_worst, expected=want_worst)
        )
    else:
        phrases.append(say("largest_error", error=error_text, got=got_worst, expected=want_worst))
    if nonzero.any():
        phrases.append(say("largest_relative_error", relative=fmt(float(np.max(relative)))))
    return _failed(
        NON_FINITE if not np.isfinite(got[worst]) else WRONG_VALUES,
        *phrases,
        details={
            "off": count,
            "size": int(want.size),
            "max_abs_error": float(error[worst]),
            "max_rel_error": float(np.max(relative)),
            "worst_index": list(worst),
            **_grid(got, want, off),
        },
    )


def _short(value: float) -> str:
    """A value in a side-by-side row: four significant digits, as the previews print them."""
    return f"{float(value):.4g}"


def _grid(got: np.ndarray, want: np.ndarray, off: np.ndarray) -> dict[str, Any]:
    """Got and expected as rows (the last axis) under their leading index, each value marked when off.

    ``{"grid": [[row label, [[got, expected, off], ...]], ...]}``, or nothing for an output too
    large or too wide to read that way.
    """
    if want.ndim == 0 or want.size > GRID_MAX_VALUES or want.shape[-1] > GRID_MAX_COLUMNS or want.size == 0:
        return {}
    columns = want.shape[-1]
    rows = []
    for flat, (got_row, want_row, off_row) in enumerate(
        zip(got.reshape(-1, columns), want.reshape(-1, columns), off.reshape(-1, columns), strict=True)
    ):
        lead = np.unravel_index(flat, want.shape[:-1]) if want.ndim > 1 else ()
        label = "[" + ", ".join([*(str(int(i)) for i in lead), ":"]) + "]"
        cells = [[_short(g), _short(w), bool(o)] for g, w, o in zip(got_row, want_row, off_row, strict=True)]
        rows.append([label, cells])
    return {"grid": rows}


def _not_one_array(got: list | tuple, want: np.ndarray, item: str) -> Phrase:
    """Why a list came back where an array was expected: the child sends every list that NumPy turns
    into one array of numbers as that array, so this one is ragged or holds something else."""
    kind = type(got).__name__
    if all(isinstance(leaf, (np.ndarray, NumberSequence)) for leaf in _leaves(got)):
        return say("ragged_output", item=item, kind=kind, expected=_describe(want))
    return say("wrong_type", item=item, expected=_describe(want), got=say("a_sequence_not_numbers", kind=kind))


def _leaves(value: Any):
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def matches(got: Any, want: Any, *, rtol: float, atol: float) -> bool:
    """Whether ``compare`` would pass ``got``, without building its feedback (mistake detection asks
    this for every known mistake on every failed case of a submission)."""
    if isinstance(want, (list, tuple)):
        if isinstance(got, NumberSequence):
            got = got.items
        return (
            isinstance(got, (list, tuple))
            and len(got) == len(want)
            and all(matches(g, w, rtol=rtol, atol=atol) for g, w in zip(got, want, strict=True))
        )
    if isinstance(got, NumberSequence):
        got = got.array
    if not isinstance(got, np.ndarray) or got.dtype.kind == "c" or got.shape != want.shape:
        return False
    got = got.astype(np.float64, copy=False)
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.isfinite(want) & (np.abs(got - want) <= atol + rtol * np.abs(want))
    # an infinity equal to the reference's, and NaN only where the reference has NaN
    return bool(np.all(close | (np.isinf(got) & (got == want)) | (np.isnan(got) & np.isnan(want))))


def as_structured_like(got: Any, want: Any) -> Any:
    """``got`` read the way ``want`` is shaped: a NumberSequence (a nested list sent as one array) is
    that array where an array is expected, and its items where a list or tuple is."""
    if isinstance(got, NumberSequence):
        return got.items if isinstance(want, (list, tuple)) else got.array
    return got
