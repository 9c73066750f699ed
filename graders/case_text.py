"""A case's inputs as Python text: read the calls a student writes, write a case back as such a call.

A student's own case is one line, a call of the exercise's function whose arguments are NumPy
literals: ``relu(np.array([[1.0, -2.0], [3.0, 4.0]]))``. The text is read on the trusted side with
``ast`` and never evaluated: only numbers, lists and tuples of them, ``np.array``/``np.asarray``
of such a literal with a dtype, ``np.zeros``/``np.ones``/``np.full``/``np.arange``, a seeded
generator (``np.random.default_rng(0).standard_normal((2, 3))``), ``.reshape``/``.astype``/``.T``
and the constants ``np.nan``, ``np.inf``, ``np.pi`` and ``np.e`` are understood, and the sizes are
checked before any array is made. ``case_call`` writes a case's inputs back in the same form, so
a failed case can be copied, run locally, or pasted as a case of one's own.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from graders.feedback import Argument, render, say

MAX_CASES = 5
MAX_LINE_CHARS = 20_000
MAX_ELEMENTS = 100_000  # per case, over all its arrays
MAX_DEPTH = 8
COPY_ELEMENTS = 400  # arrays up to this size are written out in full; larger ones as a seeded generator call
DTYPES = frozenset(
    {"float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool", "complex128", "float", "int"}
)
_CONSTANTS = {"nan": math.nan, "inf": math.inf, "pi": math.pi, "e": math.e, "newaxis": None}
_MODULES = ("np", "numpy")


class CaseTextError(ValueError):
    """A line is not a call this module reads; ``phrase`` says why (graders/feedback.py)."""

    def __init__(self, code: str, **args: Argument) -> None:
        self.phrase = say(code, **args)
        super().__init__(render([self.phrase]))


@dataclass(frozen=True)
class CaseCall:
    """One case the student wrote: its line (as written), positional and keyword inputs."""

    line: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def parse_cases(text: str, *, function: str) -> list[CaseCall]:
    """Read every non-blank, non-comment line of ``text`` as a call of ``function``.

    Raises CaseTextError for the first line it cannot read, with its number.
    """
    calls = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if len(calls) == MAX_CASES:
            raise CaseTextError("own_cases_too_many", most=str(MAX_CASES))
        try:
            calls.append(parse_call(line, function=function))
        except CaseTextError as error:
            raise CaseTextError("own_case_line", line=str(number), problem=error.phrase) from None
    return calls


def parse_call(line: str, *, function: str) -> CaseCall:
    if len(line) > MAX_LINE_CHARS:
        raise CaseTextError("own_case_too_long", most=str(MAX_LINE_CHARS))
    try:
        tree = ast.parse(line, mode="eval")
    except SyntaxError:
        raise CaseTextError("own_case_syntax") from None
    call = tree.body
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == function):
        raise CaseTextError("own_case_not_a_call", function=function)
    budget = [MAX_ELEMENTS]
    args = tuple(_value(node, budget, 0) for node in call.args if not isinstance(node, ast.Starred) or _refuse())
    kwargs = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            _refuse()
        kwargs[keyword.arg] = _value(keyword.value, budget, 0)
    return CaseCall(line=line, args=args, kwargs=kwargs)


def _refuse(node: ast.AST | None = None) -> Any:
    text = ast.unparse(node)[:60] if node is not None else "*"
    raise CaseTextError("own_case_not_literal", part=text)


def _spend(budget: list[int], count: int) -> None:
    budget[0] -= count
    if budget[0] < 0:
        raise CaseTextError("own_case_too_big", most=str(MAX_ELEMENTS))


def _value(node: ast.AST, budget: list[int], depth: int) -> Any:
    """An input value: a number, a list or tuple of values, or an array expression."""
    if depth > MAX_DEPTH:
        raise CaseTextError("own_case_too_deep")
    if isinstance(node, (ast.List, ast.Tuple)):
        _spend(budget, len(node.elts))
        items = [_value(item, budget, depth + 1) for item in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Call) or (isinstance(node, ast.Attribute) and node.attr == "T"):
        return _array(node, budget, depth)
    return _scalar(node)


def _scalar(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant) and (type(node.value) in (int, float, bool, complex) or node.value is None):
        return node.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) <= 100:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _scalar(node.operand)
        if type(value) in (int, float, complex):
            return -value if isinstance(node.op, ast.USub) else value
    if _is_module_attr(node) and node.attr in _CONSTANTS:
        return _CONSTANTS[node.attr]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "float"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value in ("nan", "inf", "-inf")
    ):
        return float(node.args[0].value)
    return _refuse(node)


def _is_module_attr(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in _MODULES


def _np_function(node: ast.Call) -> str | None:
    func = node.func
    if _is_module_attr(func):
        return func.attr
    return None


def _dtype(node: ast.AST | None) -> str | None:
    if node is None:
        return None
    name = None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        name = node.value
    elif _is_module_attr(node):
        name = node.attr
    elif isinstance(node, ast.Name) and node.id in ("float", "int", "bool", "complex"):
        name = node.id
    if name not in DTYPES and name != "complex":
        raise CaseTextError("own_case_dtype", part=ast.unparse(node)[:40])
    return {"float": "float64", "int": "int64", "complex": "complex128"}.get(name, name)


def _shape(node: ast.AST) -> tuple[int, ...]:
    value = _scalar(node) if not isinstance(node, (ast.Tuple, ast.List)) else [_scalar(n) for n in node.elts]
    dims = value if isinstance(value, list) else [value]
    if not all(type(dim) is int and 0 <= dim <= MAX_ELEMENTS for dim in dims) or len(dims) > 6:
        _refuse(node)
    return tuple(dims)


def _size(shape: tuple[int, ...]) -> int:
    return math.prod(shape)


def _options(node: ast.Call, names: tuple[str, ...]) -> dict[str, ast.AST]:
    """The call's arguments by name (positional ones take ``names`` in order); anything else is refused."""
    if len(node.args) > len(names) or any(isinstance(arg, ast.Starred) for arg in node.args):
        _refuse(node)
    found = dict(zip(names, node.args, strict=False))
    for keyword in node.keywords:
        if keyword.arg not in names or keyword.arg in found:
            _refuse(node)
        found[keyword.arg] = keyword.value
    return found


def _array(node: ast.AST, budget: list[int], depth: int) -> np.ndarray:
    if isinstance(node, ast.Attribute):  # .T
        return np.asarray(_array(node.value, budget, depth + 1)).T
    if not isinstance(node, ast.Call):
        return _refuse(node)
    func = node.func
    # Methods on an array expression: .reshape(...), .astype(...), a seeded generator's draws.
    if isinstance(func, ast.Attribute) and not _is_module_attr(func):
        if func.attr in ("reshape", "astype"):
            base = _array(func.value, budget, depth + 1)
            if func.attr == "astype":
                return base.astype(_dtype(_options(node, ("dtype",)).get("dtype")) or "float64")
            if node.keywords:
                _refuse(node)
            dims = (
                node.args[0].elts
                if len(node.args) == 1 and isinstance(node.args[0], (ast.Tuple, ast.List))
                else node.args
            )
            shape = tuple(_scalar(dim) for dim in dims)
            if not all(type(dim) is int and dim >= -1 for dim in shape):
                _refuse(node)
            try:
                return base.reshape(shape)
            except ValueError:
                raise CaseTextError("own_case_reshape", part=ast.unparse(node)[:60]) from None
        return _draw(node, budget)
    name = _np_function(node)
    if name in ("array", "asarray"):
        options = _options(node, ("object", "dtype"))
        if "object" not in options:
            _refuse(node)
        value = _value(options["object"], budget, depth + 1)
        dtype = _dtype(options.get("dtype"))
        try:
            array = np.array(value, dtype=dtype)
        except (ValueError, TypeError):
            raise CaseTextError("own_case_ragged", part=ast.unparse(node)[:60]) from None
        if array.dtype == object:
            raise CaseTextError("own_case_ragged", part=ast.unparse(node)[:60])
        return array
    if name in ("zeros", "ones", "empty"):
        options = _options(node, ("shape", "dtype"))
        shape = _shape(options["shape"]) if "shape" in options else _refuse(node)
        _spend(budget, _size(shape))
        return (np.ones if name == "ones" else np.zeros)(shape, dtype=_dtype(options.get("dtype")) or "float64")
    if name == "full":
        options = _options(node, ("shape", "fill_value", "dtype"))
        if "shape" not in options or "fill_value" not in options:
            _refuse(node)
        shape = _shape(options["shape"])
        _spend(budget, _size(shape))
        return np.full(shape, _scalar(options["fill_value"]), dtype=_dtype(options.get("dtype")))
    if name == "arange":
        options = _options(node, ("start", "stop", "step", "dtype"))
        numbers = [_scalar(options[key]) for key in ("start", "stop", "step") if key in options]
        if not numbers or not all(type(n) in (int, float) for n in numbers) or numbers[-1:] == [0]:
            _refuse(node)
        start, stop, step = (
            ([0, *numbers, 1] if len(numbers) == 1 else [*numbers, 1])[:3] if len(numbers) < 3 else numbers
        )
        count = max(0, math.ceil((stop - start) / step))
        _spend(budget, count)
        return np.arange(start, stop, step, dtype=_dtype(options.get("dtype")))
    return _refuse(node)


_DRAWS = {"standard_normal": ("size", "dtype"), "random": ("size", "dtype"), "integers": ("low", "high", "size")}


def _draw(node: ast.Call, budget: list[int]) -> np.ndarray:
    """``np.random.default_rng(seed).standard_normal(shape)`` and its kin: reproducible random inputs."""
    func = node.func
    assert isinstance(func, ast.Attribute)
    maker = func.value
    if not (
        isinstance(maker, ast.Call)
        and isinstance(maker.func, ast.Attribute)
        and maker.func.attr == "default_rng"
        and isinstance(maker.func.value, ast.Attribute)
        and maker.func.value.attr == "random"
        and isinstance(maker.func.value.value, ast.Name)
        and maker.func.value.value.id in _MODULES
        and len(maker.args) == 1
        and not maker.keywords
        and func.attr in _DRAWS
    ):
        return _refuse(node)
    seed = _scalar(maker.args[0])
    if type(seed) is not int or seed < 0:
        return _refuse(node)
    options = _options(node, _DRAWS[func.attr])
    shape = _shape(options["size"]) if "size" in options else ()
    _spend(budget, _size(shape))
    rng = np.random.default_rng(seed)
    if func.attr == "integers":
        low = _scalar(options["low"]) if "low" in options else _refuse(node)
        high = _scalar(options["high"]) if "high" in options else None
        if type(low) is not int or (high is not None and (type(high) is not int or high <= low)):
            return _refuse(node)
        return rng.integers(low, high, size=shape)
    dtype = _dtype(options.get("dtype")) or "float64"
    if dtype not in ("float64", "float32"):
        return _refuse(node)
    return getattr(rng, func.attr)(shape, dtype=dtype)


# ---------------------------------------------------------------------------------------------
# writing a case back


def case_call(function: str, args: tuple[Any, ...], kwargs: dict[str, Any], *, seed: int = 0) -> tuple[str, bool]:
    """The case as one line of Python that ``parse_call`` reads back, and whether it is exact.

    Arrays up to COPY_ELEMENTS values are written out in full (exact: floats as their shortest
    repr); a larger array becomes a seeded generator call of the same shape and dtype, which is
    not the case's own values (the second item is then False).
    """
    exact = [True]
    parts = [_write(value, exact, seed + position) for position, value in enumerate(args)]
    parts += [f"{name}={_write(value, exact, seed + 100 + i)}" for i, (name, value) in enumerate(kwargs.items())]
    return f"{function}({', '.join(parts)})", exact[0]


def _write(value: Any, exact: list[bool], seed: int) -> str:
    if isinstance(value, np.ndarray):
        dtype = value.dtype.name
        if value.size <= COPY_ELEMENTS and dtype in DTYPES:
            return f"np.array({_number_list(value.tolist())}, dtype={dtype!r})"
        exact[0] = False
        shape = repr(tuple(value.shape))
        if value.dtype.kind in "iub":
            return f"np.random.default_rng({seed}).integers(-5, 6, size={shape}).astype({dtype!r})"
        draw_dtype = "float32" if dtype == "float32" else "float64"
        return f"np.random.default_rng({seed}).standard_normal({shape}, dtype={draw_dtype!r})"
    if isinstance(value, (list, tuple)):
        items = [_write(item, exact, seed + i) for i, item in enumerate(value)]
        if isinstance(value, tuple):
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        return "[" + ", ".join(items) + "]"
    if isinstance(value, (float, np.floating)):
        return _number(float(value))
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return repr(int(value))
    exact[0] = False
    return "None"


def _number(value: float) -> str:
    if math.isnan(value):
        return "np.nan"
    if math.isinf(value):
        return "np.inf" if value > 0 else "-np.inf"
    return repr(value)


def _number_list(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_number_list(item) for item in value) + "]"
    if isinstance(value, float):
        return _number(value)
    return repr(value)
