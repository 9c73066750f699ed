"""Run: try code on the visible cases and on cases of the student's own, without grading it.

Nothing here is an attempt: no hidden case runs, so everything the child reports may be shown
(its messages, printed output, timings). The cases the student writes arrive as text and are
read by graders/case_text.py, never evaluated; their expected outputs come from the bundle's
reference, run here on the trusted side on copies of the inputs. A case whose inputs the
reference cannot take is not sent to the sandbox: it says that the inputs are the problem.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from graders.bundle import Bundle, copy_inputs, normalize_output
from graders.case_text import CaseCall
from graders.cases import Case
from graders.engine import judge_case, printed_text
from graders.feedback import render, say
from graders.sandbox import Budget, CaseRun, Zygote
from graders.verdict import ERROR, GRADED, NOT_GRADABLE, CaseResult, Verdict

OWN_CASE_PREFIX = "own_"  # own_1, own_2...: the page names them "your case 1"...


def run_trial(bundle: Bundle, source: str, own: list[CaseCall], *, zygote: Zygote) -> Verdict:
    """Run ``source`` on the bundle's visible cases and on ``own``; a Verdict that is never stored as a grade.

    Raises SandboxUnavailable when the platform fails, as grading does.
    """
    started = time.perf_counter()
    cases: list[Case] = []
    expected: list = []
    for index, case in enumerate(bundle.cases):
        if not case.hidden:
            cases.append(case)
            expected.append(bundle.expected[index])
    visible_count = len(cases)
    refused: dict[int, CaseResult] = {}
    for number, call in enumerate(own, start=1):
        case = Case(name=f"{OWN_CASE_PREFIX}{number}", args=call.args, kwargs=call.kwargs, description=call.line)
        try:
            with np.errstate(all="ignore"):
                output = bundle.reference(*copy_inputs(call.args), **copy_inputs(call.kwargs))
            expected.append(normalize_output(output))
        except Exception as exc:  # the student's inputs do not fit the function: say so, run nothing
            phrase = say("own_case_reference_failed", error=f"{type(exc).__name__}: {str(exc)[:300]}")
            refused[len(cases)] = CaseResult(
                name=case.name, status=ERROR, message=render([phrase]), phrases=(phrase,), details=_own(case)
            )
            expected.append(None)
        cases.append(case)
    runnable = [i for i in range(len(cases)) if i not in refused]
    run = zygote.run(
        source,
        bundle.function,
        [(cases[i].args, cases[i].kwargs) for i in runnable],
        bundle.limits,
        Budget(bundle.limits),
    )
    if run.load_status:
        phrases = run.load_phrases
        text, _cut = printed_text(run.printed)
        results = tuple(CaseResult(name=case.name, status=run.load_status) for case in cases)
        if text and results:
            results = (CaseResult(name=cases[0].name, status=run.load_status, printed=text), *results[1:])
        return _verdict(bundle, results, started, outcome=NOT_GRADABLE, message=run.load_message, phrases=phrases)
    runs: dict[int, CaseRun] = {}
    for position, case_run in zip(runnable, run.cases, strict=False):
        runs[position] = case_run
    results = []
    for position, case in enumerate(cases):
        if position in refused:
            results.append(refused[position])
            continue
        case_run = runs.get(position) or CaseRun(
            index=position, status=ERROR, message="Not run", phrases=(say("not_run"),), reached=False
        )
        own_case = position >= visible_count
        result = judge_case(bundle, case, expected[position], case_run, bundle_case=not own_case)
        if own_case:
            result = dataclasses.replace(result, details={**result.details, **_own(case)})
        results.append(result)
    return _verdict(bundle, tuple(results), started)


def _own(case: Case) -> dict:
    return {"own": True, "description": case.description}


def _verdict(bundle: Bundle, results: tuple[CaseResult, ...], started: float, **fields) -> Verdict:
    passed = sum(result.passed for result in results)
    return Verdict(
        outcome=fields.pop("outcome", GRADED),
        score=round(passed / len(results), 6) if results else 0.0,
        passed=passed,
        total=len(results),
        cases=results,
        exercise=bundle.slug,
        bundle_hash=bundle.content_hash,
        tolerance={"rtol": bundle.rtol, "atol": bundle.atol},
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        **fields,
    )
