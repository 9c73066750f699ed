"""Feedback for functions whose outputs are named, most of them gradients: which are wrong, how, and why.

A backward pass returns several gradients at once (``dx, dW, db``); exercise.toml names them
(``outputs``) and says which are gradients (``gradients``). When a case fails on its values the
engine asks this module what to say instead of its single comparison, which stops at the first
wrong item:
- which outputs are wrong and which are right: "dW is wrong; dx and db are right.";
- for a wrong gradient, the relative error a gradient check reports, ‖got − expected‖ /
  (‖got‖ + ‖expected‖), how many values are off and where the difference is largest, and whether it
  is the expected gradient times a constant (a missing 1/N, a flipped sign) or its transpose; for
  another output (a loss, a list of parameters), the usual comparison under its name;
- the known mistakes (mistakes.py) that explain single outputs: a wrong version explains a failed
  case when, on every output where it differs from the reference, the student's output equals it
  (so "dW not accumulated over time" is named even when db is wrong for another reason), and the
  case says which of its outputs that mistake gives.
The trust rule holds: a hidden case says only which outputs are wrong (the names are the bundle's,
so the sentence is the trusted side's own wording); numbers, places and the plot are for visible
cases, whose outputs come from a child that never held a hidden input.

Hook points, each called by graders/engine.py only for a bundle that names its outputs or has a lab:
``judge_outputs`` (a failed case's phrases), ``name_output_mistakes`` (after the engine's own
detection) and ``lab_details`` (a visible case's plot data: the lab of ``bptt-gradient-norms`` draws
the student's gradient norms over time next to the reference's, also after clipping).
"""

from __future__ import annotations

import dataclasses
import inspect
import math
from typing import Any

import numpy as np

from graders.bundle import Bundle, copy_inputs, normalize_output
from graders.cases import MistakeVariant
from graders.compare import WRONG_SHAPE, WRONG_VALUES, as_structured_like, compare, fmt, matches
from graders.feedback import Phrase, render, say
from graders.verdict import CaseResult

# A gradient whose error ratio to a constant multiple (or to its transpose) is below this is "that".
SAME_UP_TO = 1e-7
PLOT_POINTS = 1000


# --- a failed case ---------------------------------------------------------------------------------


def judge_outputs(
    bundle: Bundle, got: Any, expected: Any, *, rtol: float, atol: float
) -> tuple[tuple[Phrase, ...], Phrase] | None:
    """What a failed case says when its outputs are named: (a visible case's phrases, a hidden case's
    phrase). None when the result is not a sequence of as many outputs (the plain comparison says so)."""
    pairs = _pairs(bundle, got, expected)
    if pairs is None:
        return None
    wrong, right, details = [], [], []
    for name, got_item, want_item in pairs:
        if matches(got_item, want_item, rtol=rtol, atol=atol):
            right.append(name)
            continue
        wrong.append(name)
        explained = any(p.code == "gradient_relative_error" for p in details)  # say what it measures once
        details.extend(_explain(bundle, name, got_item, want_item, rtol=rtol, atol=atol, explained=explained))
    if not wrong:  # cannot happen when the whole comparison failed; keep the plain message then
        return None
    summary = _summary(wrong, right)
    return (summary, *details), say("hidden_outputs_wrong", which=summary)


def _pairs(bundle: Bundle, got: Any, expected: Any) -> list[tuple[str, Any, Any]] | None:
    names = bundle.outputs
    got = as_structured_like(got, expected)
    if len(names) == 1:
        return [(names[0], got, expected)]
    if not isinstance(got, (list, tuple)) or not isinstance(expected, (list, tuple)):
        return None
    if len(got) != len(names) or len(expected) != len(names):
        return None
    return [(name, as_structured_like(g, e), e) for name, g, e in zip(names, got, expected, strict=True)]


def _names(names: list[str]) -> str | Phrase:
    if len(names) == 1:
        return names[0]
    return say("names_and", names=", ".join(names[:-1]), last=names[-1])


def _summary(wrong: list[str], right: list[str]) -> Phrase:
    if not right:
        return say("output_wrong" if len(wrong) == 1 else "outputs_wrong", wrong=_names(wrong))
    code = "outputs_{}_wrong_{}_right".format(
        "one" if len(wrong) == 1 else "many", "one" if len(right) == 1 else "many"
    )
    return say(code, wrong=_names(wrong), right=_names(right))


def _explain(
    bundle: Bundle, name: str, got: Any, want: Any, *, rtol: float, atol: float, explained: bool
) -> list[Phrase]:
    """Why one output is wrong: a gradient check's numbers for a gradient with the right shape, else the
    plain comparison under the output's name (shape, type, NaN)."""
    scalar = isinstance(got, np.ndarray) and isinstance(want, np.ndarray) and got.shape == want.shape == ()
    if scalar and got.dtype.kind in "biuf":  # one number: say it, without places or counts
        return [say("output_value", name=name, got=fmt(float(got)), expected=fmt(float(want)))]
    comparison = compare(got, want, rtol=rtol, atol=atol, item=f" {name}")
    if comparison.kind == WRONG_SHAPE and _is_transpose(got, want, rtol=rtol, atol=atol):
        return [*comparison.phrases, say("output_transposed", name=name)]
    if name not in bundle.gradients or comparison.kind != WRONG_VALUES or not isinstance(got, np.ndarray):
        return list(comparison.phrases)
    return _gradient_check(name, got.astype(np.float64, copy=False), want, comparison.details, explained)


def _is_transpose(got: Any, want: Any, *, rtol: float, atol: float) -> bool:
    return (
        isinstance(got, np.ndarray)
        and isinstance(want, np.ndarray)
        and got.ndim == 2
        and got.shape == want.shape[::-1]
        and matches(got.T, want, rtol=rtol, atol=atol)
    )


def _gradient_check(
    name: str, got: np.ndarray, want: np.ndarray, details: dict[str, Any], explained: bool
) -> list[Phrase]:
    with np.errstate(all="ignore"):
        difference = float(np.linalg.norm(got - want))
        total = float(np.linalg.norm(got)) + float(np.linalg.norm(want))
        relative = difference / total if total > 0 else 0.0
    code = "gradient_relative_error_again" if explained else "gradient_relative_error"
    phrases = [say(code, name=name, relative=f"{relative:.2g}")]
    worst = tuple(details.get("worst_index", ()))
    error = fmt(details.get("max_abs_error", 0.0))
    got_worst, want_worst = fmt(float(got[worst])), fmt(float(want[worst]))
    if worst:
        phrases.append(
            say(
                "gradient_largest_difference_at",
                count=str(details.get("off", 0)),
                size=str(want.size),
                error=error,
                index="[" + ", ".join(str(i) for i in worst) + "]",
                got=got_worst,
                expected=want_worst,
            )
        )
    else:
        phrases.append(say("largest_error", error=error, got=got_worst, expected=want_worst))
    factor = _constant_factor(got, want)
    if factor is not None:
        code = "gradient_sign_flipped" if abs(factor + 1.0) < 1e-9 else "gradient_scaled"
        phrases.append(say(code, name=name, factor=fmt(factor)))
    return phrases


def _constant_factor(got: np.ndarray, want: np.ndarray) -> float | None:
    """c when got == c * want everywhere (c != 1), e.g. N for a missing 1/N or -1 for a flipped sign."""
    with np.errstate(all="ignore"):
        scale = float(np.vdot(want, want))
        if not math.isfinite(scale) or scale == 0.0 or want.size < 2:
            return None
        factor = float(np.vdot(want, got)) / scale
        residual = float(np.linalg.norm(got - factor * want))
        size = float(np.linalg.norm(got))
    if not (math.isfinite(factor) and math.isfinite(residual)) or abs(factor - 1.0) < 1e-6 or factor == 0.0:
        return None
    return factor if residual <= SAME_UP_TO * size else None


# --- known mistakes, output by output -------------------------------------------------------------


def name_output_mistakes(
    bundle: Bundle,
    failed: list[tuple[int, Any]],
    found: list[tuple[MistakeVariant, list[int]]],
    results: list[CaseResult],
) -> tuple[list[tuple[MistakeVariant, list[int]]], list[CaseResult]]:
    """Add the known mistakes that explain outputs of the failed cases to those the engine found, and
    tell each visible failed case which of its outputs a named mistake gives.

    ``failed`` holds (case index, student output) for the cases that failed on their values."""
    if not failed or not bundle.mistakes:
        return found, results
    named = {variant.key for variant, _ in found}
    found = list(found)
    for variant in bundle.mistakes:
        if variant.key not in named:
            explained = _explained_cases(bundle, variant, failed)
            if explained:
                found.append((variant, explained))
    results = list(results)
    for index, got in failed:
        if bundle.cases[index].hidden:
            continue
        phrases = _mistake_phrases(bundle, index, got, [variant for variant, _ in found])
        if phrases:  # right after the sentence that says which outputs are wrong
            result = results[index]
            combined = (*result.phrases[:1], *phrases, *result.phrases[1:])
            results[index] = dataclasses.replace(result, phrases=combined, message=render(combined))
    return found, results


def _explained_cases(bundle: Bundle, variant: MistakeVariant, failed: list[tuple[int, Any]]) -> list[int]:
    """The failed cases the variant explains; [] when one of them contradicts it."""
    explained = []
    for index, got in failed:
        differing = _differing_outputs(bundle, variant, index)
        if differing is None:
            return []
        if not differing:
            continue  # the wrong version is right here: this case says nothing about it
        pairs = _pairs(bundle, got, bundle.expected[index])
        if pairs is None:
            return []
        rtol, atol = bundle.tolerance_for(bundle.cases[index])
        wrong = _variant_output(bundle, variant, index)
        wrong_items = [wrong] if len(bundle.outputs) == 1 else list(wrong)
        if not all(_equal(pairs[k][1], wrong_items[k], rtol=rtol, atol=atol) for k in differing):
            return []
        explained.append(index)
    return explained


def _mistake_phrases(bundle: Bundle, index: int, got: Any, variants: list[MistakeVariant]) -> list[Phrase]:
    pairs = _pairs(bundle, got, bundle.expected[index])
    if pairs is None:
        return []
    rtol, atol = bundle.tolerance_for(bundle.cases[index])
    phrases, said = [], set()
    for variant in variants:
        differing = _differing_outputs(bundle, variant, index)
        if not differing:
            continue
        wrong = _variant_output(bundle, variant, index)
        wrong_items = [wrong] if len(bundle.outputs) == 1 else list(wrong)
        if not all(_equal(pairs[k][1], wrong_items[k], rtol=rtol, atol=atol) for k in differing):
            continue
        names = [bundle.outputs[k] for k in differing if bundle.outputs[k] not in said]
        if names:
            said.update(names)
            phrases.append(say("outputs_match_mistake", names=_names(names), mistake=variant.key))
    return phrases


def _equal(got: Any, wrong: Any, *, rtol: float, atol: float) -> bool:
    """Whether the student's output equals a wrong version's (an infinity matches only itself)."""
    return matches(got, wrong, rtol=rtol, atol=atol)


_VARIANTS: dict[tuple[str, str, int], Any] = {}
_DIFFERING: dict[tuple[str, str, int], tuple[int, ...] | None] = {}


def _variant_output(bundle: Bundle, variant: MistakeVariant, index: int) -> Any:
    key = (bundle.content_hash, variant.key, index)
    if key not in _VARIANTS:
        case = bundle.cases[index]
        try:
            with np.errstate(all="ignore"):
                _VARIANTS[key] = normalize_output(variant.function(*copy_inputs(case.args), **copy_inputs(case.kwargs)))
        except Exception:  # a variant that cannot run on this case says nothing about it
            _VARIANTS[key] = None
    return _VARIANTS[key]


def _differing_outputs(bundle: Bundle, variant: MistakeVariant, index: int) -> tuple[int, ...] | None:
    """The positions of the outputs where the wrong version differs from the reference on this case;
    None when it cannot run here or returns another number of outputs."""
    key = (bundle.content_hash, variant.key, index)
    if key not in _DIFFERING:
        wrong = _variant_output(bundle, variant, index)
        pairs = None if wrong is None else _pairs(bundle, wrong, bundle.expected[index])
        if pairs is None:
            _DIFFERING[key] = None
        else:
            rtol, atol = bundle.tolerance_for(bundle.cases[index])
            _DIFFERING[key] = tuple(
                k
                for k, (_, wrong_item, want) in enumerate(pairs)
                if not matches(wrong_item, want, rtol=rtol, atol=atol)
            )
    return _DIFFERING[key]


# --- the lab's plot -------------------------------------------------------------------------------


def lab_details(bundle: Bundle, index: int, output: Any, expected: Any) -> dict[str, Any]:
    """A visible case's plot data for the exercise page: the reference's series, the student's when it
    has the right shape, both again after clipping by global norm, and the spectral radius of the
    recurrent matrix. Only ever called for a visible case (its output never saw a hidden input)."""
    case = bundle.cases[index]
    if bundle.lab.get("plot") != "gradient_norms" or case.hidden:
        return {}
    want = np.asarray(expected, dtype=np.float64)
    if want.ndim != 1 or not 2 <= want.size <= PLOT_POINTS:
        return {}
    clip = float(bundle.lab.get("clip_norm", 1.0))
    plot: dict[str, Any] = {"kind": "gradient_norms", "clip_norm": clip, "steps": int(want.size)}
    radius = _spectral_radius(bundle, case, bundle.lab.get("matrix", ""))
    if radius is not None:
        plot["spectral_radius"] = fmt(radius)
    plot["expected"], plot["expected_clipped"] = _points(want), _points(want * _clip_scale(want, clip))
    output = as_structured_like(output, want)
    if isinstance(output, np.ndarray) and output.shape == want.shape and output.dtype.kind in "biuf":
        got = output.astype(np.float64)
        plot["got"], plot["got_clipped"] = _points(got), _points(got * _clip_scale(got, clip))
    return {"plot": plot}


def _clip_scale(norms: np.ndarray, clip: float) -> float:
    """The one factor clipping by global norm applies to every step's gradient (1 when not clipped)."""
    with np.errstate(all="ignore"):
        total = float(np.sqrt(np.sum(np.square(norms[np.isfinite(norms)]))))
    return clip / total if math.isfinite(total) and total > clip else 1.0


def _points(values: np.ndarray) -> list[float | None]:
    """Numbers a log-scale axis can show, to 4 significant digits; None where it cannot (<= 0, NaN, inf)."""
    with np.errstate(all="ignore"):
        return [float(f"{v:.4g}") if math.isfinite(v) and v > 0 else None for v in values.tolist()]


def _spectral_radius(bundle: Bundle, case: Any, name: str) -> float | None:
    try:
        position = list(inspect.signature(bundle.reference).parameters).index(name)
    except (TypeError, ValueError):
        return None
    matrix = case.args[position] if position < len(case.args) else case.kwargs.get(name)
    if not isinstance(matrix, np.ndarray) or matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        return None
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))
