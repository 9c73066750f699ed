"""Grade one submission: run the student's code in the sandbox, compare on the trusted side, return a Verdict."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import numpy as np

from graders.bundle import Bundle, copy_inputs, normalize_output
from graders.cases import Case, MistakeVariant
from graders.compare import compare, matches, preview
from graders.feedback import Phrase, render, say
from graders.sandbox import CaseRun, RunResult, Zygote
from graders.verdict import (
    FAIL,
    GRADED,
    MEMORY,
    NOT_GRADABLE,
    PASS,
    TIMEOUT,
    CaseResult,
    Mistake,
    Verdict,
)


def grade(bundle: Bundle, source: str, *, zygote: Zygote) -> Verdict:
    """Grade ``source`` against ``bundle``. Raises SandboxUnavailable when the platform fails.

    Hidden inputs must never reach the student, yet a child that held them could smuggle them
    into anything shown for a visible case (an error message, returned values, a load error).
    So everything the student reads comes from a child that never saw hidden inputs: all cases
    run in one child, and when that verdict would show the student anything but passes (a
    failed visible case, a file that cannot run), the visible cases run again in a clean child
    and their results replace the first ones. Hidden cases only ever report their status.
    """
    started = time.perf_counter()
    cases = bundle.cases
    everything = _run(bundle, source, zygote, range(len(cases)))
    verdict = verdict_from_run(bundle, everything)
    shows_details = verdict.outcome != GRADED or any(not c.passed for c in verdict.cases if not c.hidden)
    visible = [i for i, case in enumerate(cases) if not case.hidden]
    if shows_details and visible and len(visible) < len(cases):
        clean = _run(bundle, source, zygote, visible)
        if clean.load_status:
            verdict = verdict_from_run(bundle, clean)
        else:
            if everything.load_status:  # loaded this time: the hidden cases still need results
                everything = _run(bundle, source, zygote, [i for i in range(len(cases)) if i not in visible])
            for index in visible:
                everything.cases[index] = clean.cases[index]
            verdict = verdict_from_run(bundle, everything)
    return Verdict(**{**verdict.__dict__, "elapsed_ms": (time.perf_counter() - started) * 1000})


def _run(bundle: Bundle, source: str, zygote: Zygote, indices) -> RunResult:
    """Run the cases at ``indices`` in one child; results land at their case index."""
    indices = list(indices)
    cases = bundle.cases
    run = zygote.run(source, bundle.function, [(cases[i].args, cases[i].kwargs) for i in indices], bundle.limits)
    placed: list[CaseRun | None] = [None] * len(cases)
    for index, case_run in zip(indices, run.cases, strict=False):  # a forger may send extra frames
        case_run.index = index
        placed[index] = case_run
    return dataclasses.replace(run, cases=placed)


def verdict_from_run(bundle: Bundle, run: RunResult) -> Verdict:
    cases = bundle.cases
    tolerance = {"rtol": bundle.rtol, "atol": bundle.atol}
    common = {"exercise": bundle.slug, "bundle_hash": bundle.content_hash, "tolerance": tolerance}
    if run.load_status:
        if run.load_message:
            message, phrases = run.load_message, run.load_phrases
        else:
            phrases = (_status_phrase(run.load_status, bundle, None),)
            message = render(phrases)
        results = tuple(
            CaseResult(name=case.name, status=run.load_status, hidden=case.hidden, weight=case.weight) for case in cases
        )
        return Verdict(
            outcome=NOT_GRADABLE,
            score=0.0,
            passed=0,
            total=len(cases),
            cases=results,
            message=message,
            phrases=phrases,
            **common,
        )

    results: list[CaseResult] = []
    failed_outputs: list[tuple[int, Any]] = []
    for index, case in enumerate(cases):
        case_run = (
            run.cases[index]
            if index < len(run.cases)
            else CaseRun(index=index, status="error", message="Not run", phrases=(say("not_run"),))
        )
        result, wrong_values = _case_result(bundle, case, bundle.expected[index], case_run)
        if wrong_values:  # only a wrong value can match a known wrong version (not a mutation or a warning)
            failed_outputs.append((index, case_run.output))
        results.append(result)

    found = _detect_mistakes(bundle, failed_outputs)
    if found:
        by_case = {index: variant.key for variant, indices in found for index in indices}
        results = [
            CaseResult(**{**r.__dict__, "mistake": by_case[i]}) if i in by_case else r for i, r in enumerate(results)
        ]
    total_weight = sum(case.weight for case in cases) or 1.0
    score = sum(case.weight for case, r in zip(cases, results, strict=False) if r.passed) / total_weight
    passed = sum(r.passed for r in results)
    return Verdict(
        outcome=GRADED,
        score=round(min(1.0, max(0.0, score)), 6),
        passed=passed,
        total=len(cases),
        cases=tuple(results),
        mistakes=tuple(Mistake(key=v.key, message=v.message, message_zh=v.message_zh) for v, _ in found),
        **common,
    )


def _status_phrase(status: str, bundle: Bundle, case: Case | None) -> Phrase:
    where = {"case": case.name} if case else {}
    suffix = "_in_case" if case else ""
    if status == TIMEOUT:
        return say("time_limit" + suffix, seconds=f"{bundle.limits.time_s:g}", **where)
    if status == MEMORY:
        return say("memory_limit" + suffix, mib=str(bundle.limits.memory_mib), **where)
    return say("code_failed" + suffix, **where)


def _failed_case(phrase: Phrase, **fields: Any) -> CaseResult:
    return CaseResult(status=FAIL, message=render([phrase]), phrases=(phrase,), **fields)


def _case_result(bundle: Bundle, case: Case, expected: Any, run: CaseRun) -> tuple[CaseResult, bool]:
    """Return the case's result and whether it failed on its values."""
    base = {"name": case.name, "hidden": case.hidden, "weight": case.weight, "duration_ms": round(run.ms, 3)}
    if run.status != "ok":
        if run.status in (TIMEOUT, MEMORY) or not run.message:
            phrases: tuple[Phrase, ...] = (_status_phrase(run.status, bundle, case),)
            message = render(phrases)
        else:
            message, phrases = run.message, run.phrases
        return CaseResult(status=run.status, message=message, phrases=phrases, **base), False
    rtol, atol = bundle.tolerance_for(case)
    comparison = compare(run.output, expected, rtol=rtol, atol=atol)
    details: dict[str, Any] = {}
    if not case.hidden:
        details = {
            "description": case.description,
            "description_zh": case.description_zh,
            "inputs": _input_previews(bundle, case),
            "expected": _expected_preview(bundle, case, expected),
            # A passing case shows no got-vs-expected, so skip formatting it (most of the engine's own cost).
            "got": "" if comparison.ok else preview(run.output),
            **comparison.details,
        }
    if not comparison.ok:
        return CaseResult(
            status=FAIL, message=comparison.message, phrases=comparison.phrases, details=details, **base
        ), True
    if run.mutated:
        return _failed_case(say("mutated_inputs"), details=details, **base), False
    if bundle.forbid_fp_warnings and run.warnings:
        return _failed_case(say("numpy_warned", warnings="; ".join(run.warnings)), details=details, **base), False
    return CaseResult(status=PASS, details=details, **base), False


_PREVIEWS: dict[tuple[str, str, str], Any] = {}


def _expected_preview(bundle: Bundle, case: Case, expected: Any) -> str:
    key = (bundle.content_hash, case.name, "expected")
    if key not in _PREVIEWS:
        _PREVIEWS[key] = preview(expected)
    return _PREVIEWS[key]


def _input_previews(bundle: Bundle, case: Case) -> dict[str, str]:
    """Previews of a case's inputs; the same for every submission, so made once per bundle version."""
    key = (bundle.content_hash, case.name, "inputs")
    if key not in _PREVIEWS:
        _PREVIEWS[key] = _make_input_previews(bundle, case)
    return dict(_PREVIEWS[key])


def _make_input_previews(bundle: Bundle, case: Case) -> dict[str, str]:
    names = _parameter_names(bundle)
    previews = {}
    for position, value in enumerate(case.args):
        previews[names[position] if position < len(names) else f"arg{position}"] = preview(value)
    for name, value in case.kwargs.items():
        previews[name] = preview(value)
    return previews


def _parameter_names(bundle: Bundle) -> list[str]:
    import inspect

    try:
        return list(inspect.signature(bundle.reference).parameters)
    except (TypeError, ValueError):
        return []


def _detect_mistakes(bundle: Bundle, failed: list[tuple[int, Any]]) -> list[tuple[MistakeVariant, list[int]]]:
    """Name a known mistake when the student's output equals a wrong version's on every failed case."""
    if not failed or not bundle.mistakes:
        return []
    found = []
    for variant in bundle.mistakes:
        matched = []
        for index, got in failed:
            case = bundle.cases[index]
            wrong = _variant_output(bundle, variant, index)
            if wrong is None:
                break
            rtol, atol = bundle.tolerance_for(case)
            if matches(wrong, bundle.expected[index], rtol=rtol, atol=atol) or not matches(
                got, wrong, rtol=rtol, atol=atol
            ):
                break
            matched.append(index)
        else:
            found.append((variant, matched))
    return found


_VARIANT_OUTPUTS: dict[tuple[str, str, int], Any] = {}


def _variant_output(bundle: Bundle, variant: MistakeVariant, index: int) -> Any:
    key = (bundle.content_hash, variant.key, index)
    if key not in _VARIANT_OUTPUTS:
        case = bundle.cases[index]
        try:
            with np.errstate(all="ignore"):
                _VARIANT_OUTPUTS[key] = normalize_output(
                    variant.function(*copy_inputs(case.args), **copy_inputs(case.kwargs))
                )
        except Exception:  # a variant that cannot run on this case says nothing about it
            _VARIANT_OUTPUTS[key] = None
    return _VARIANT_OUTPUTS[key]
