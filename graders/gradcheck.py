"""Check a backward pass against centered finite differences of its forward function (the quality gate).

A backward bundle's gradcheck.py says what its reference differentiates, with the backward
function's own arguments:
- ``loss(*args, **kwargs) -> float``: the scalar whose gradients the function returns, e.g.
  ``sum(dout * forward(x, W, b))`` for ``dense_backward(dout, x, W, b)`` (a backward pass given the
  upstream gradient ``dout`` returns the gradients of exactly that);
- ``WRT``: {output name: argument name}, the input each gradient output differentiates;
- optionally ``VALUES``: {output name: function(*args, **kwargs)} for outputs that are values (the
  loss of softmax-cross-entropy), recomputed there from the forward formula;
- optionally ``kinks(argument name, *args, **kwargs) -> bool array``: entries where the forward
  function has no derivative (ReLU at 0), left out of the differences;
- optionally ``STEP``, the difference step (default 1e-5): a loss that is linear in each argument
  (a dense or conv layer) is differenced exactly by any step, and a large one keeps rounding small;
- optionally ``numerical(*args, **kwargs) -> {output name: array}`` for an output that is a function
  of gradients rather than one (the lab's gradient norms), computed there by differences too.
tests/exercises/test_gradients.py runs it on every case of every such bundle.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from graders.bundle import Bundle, _load_module, copy_inputs, leaves, normalize_output
from graders.cases import Case

STEP = 1e-5  # rounding (eps * |loss| / h) and truncation (h**2 times the third derivative) both near 1e-10
MAX_ENTRIES = 150  # differences per input array and case; larger arrays are sampled (seeded)


def gradcheck_module(bundle: Bundle) -> ModuleType | None:
    path = bundle.path / "gradcheck.py"
    if not path.exists():
        return None
    return _load_module(path, f"dlgrade_gradcheck_{bundle.slug}_{bundle.content_hash[:8]}")


def numerical_gradient(f: Callable[[], float], x: np.ndarray, entries: np.ndarray, *, step: float = STEP) -> np.ndarray:
    """(f(x + h e_i) - f(x - h e_i)) / 2h at the given flat entries of ``x`` (changed in place and
    restored), h = step, or 1e-8 |x_i| where that is larger; NaN at the other entries."""
    grad = np.full(x.shape, np.nan)
    flat = x.reshape(-1)
    assert np.shares_memory(flat, x), "x must be contiguous"
    for i in entries:
        old = flat[i]
        h = max(step, 1e-8 * abs(old))
        flat[i] = old + h
        plus = f()
        high = flat[i]
        flat[i] = old - h
        minus = f()
        low = flat[i]
        flat[i] = old
        grad.flat[i] = (plus - minus) / (high - low)  # the step as stored, not as intended
    return grad


def relative_error(numerical: np.ndarray, analytic: np.ndarray, scale: float = 0.0) -> float:
    """max |numerical - analytic| over the checked entries, relative to ``scale`` or to the largest
    magnitude there, whichever is larger."""
    checked = ~np.isnan(numerical)
    if not checked.any():
        return 0.0
    difference = np.max(np.abs(numerical[checked] - analytic[checked]))
    scale = max(scale, np.max(np.abs(analytic[checked])), np.max(np.abs(numerical[checked])), 1e-12)
    return float(difference / scale)


def _flat(value: Any) -> np.ndarray:
    """Every number of an output (an array, or a list of arrays) in one vector."""
    return np.concatenate([np.ravel(np.asarray(leaf, dtype=np.float64)) for leaf in leaves(value)])


def check_case(bundle: Bundle, module: ModuleType, case: Case, expected: Any, *, seed: int = 0) -> dict[str, float]:
    """The relative error of each checked output of the reference on ``case``: {output name: error}."""
    names = bundle.outputs
    outputs = dict(zip(names, expected if len(names) > 1 else (expected,), strict=True))
    parameters = list(inspect.signature(bundle.reference).parameters)
    rng = np.random.default_rng(seed)
    errors: dict[str, float] = {}

    # Differences of a gradient are compared at the scale of the case's largest gradient: one that has
    # vanished to 1e-12 (a long sequence, saturated tanh) drowns in the rounding of the loss, and is
    # checked in the cases where it has not.
    numerical_gradients: dict[str, np.ndarray] = {}
    for output, argument in getattr(module, "WRT", {}).items():
        args = [np.array(a, order="C") if isinstance(a, np.ndarray) else a for a in case.args]  # writable copies
        kwargs = dict(copy_inputs(case.kwargs))
        position = parameters.index(argument)
        x = args[position]
        entries = np.arange(x.size)
        kinks = getattr(module, "kinks", None)
        if kinks is not None:
            entries = entries[~kinks(argument, *args, **kwargs).reshape(-1)]
        if entries.size > MAX_ENTRIES:
            entries = np.sort(rng.choice(entries, MAX_ENTRIES, replace=False))
        gradient = numerical_gradient(
            lambda args=args, kwargs=kwargs: float(module.loss(*args, **kwargs)),
            x,
            entries,
            step=getattr(module, "STEP", STEP),
        )
        numerical_gradients[output] = gradient
    scale = max(
        (
            float(np.max(np.abs(np.asarray(outputs[name], dtype=np.float64)), initial=0.0))
            for name in numerical_gradients
        ),
        default=0.0,
    )
    for output, gradient in numerical_gradients.items():
        errors[output] = relative_error(gradient, np.asarray(outputs[output], dtype=np.float64), scale)

    for output, function in getattr(module, "VALUES", {}).items():
        value = normalize_output(function(*copy_inputs(case.args), **copy_inputs(case.kwargs)))
        errors[output] = relative_error(_flat(value), _flat(outputs[output]))

    numerical = getattr(module, "numerical", None)
    if numerical is not None:
        for output, value in numerical(*copy_inputs(case.args), **copy_inputs(case.kwargs)).items():
            want = np.asarray(outputs[output], dtype=np.float64)
            # Elementwise relative: the lab's norms span 30 orders of magnitude and each one counts.
            with np.errstate(all="ignore"):
                errors[output] = float(np.max(np.abs(value - want) / np.maximum(np.abs(want), 1e-300)))
    return errors
