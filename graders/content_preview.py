"""What course staff see of a bundle before publishing it: as students will see it, and how it grades.

Plain data (JSON-ready), computed once when a version is synced: the title and statement in both
languages, the visible cases (description, inputs, expected output, as the exercise page shows
them), how many hidden cases there are, and the verdicts of the reference, the starter and each
known mistake, graded in the sandbox like any submission.
"""

from __future__ import annotations

from typing import Any

from graders.bundle import Bundle
from graders.content_check import student_version_of
from graders.engine import grade
from graders.sandbox import Zygote
from graders.verdict import Verdict


def _summary(verdict: Verdict) -> dict[str, Any]:
    return {"outcome": verdict.outcome, "score": verdict.score, "passed": verdict.passed, "total": verdict.total}


def exercise_preview(bundle: Bundle, zygote: Zygote) -> dict[str, Any]:
    reference = grade(bundle, (bundle.path / "reference.py").read_text(encoding="utf-8"), zygote=zygote)
    by_name = {case.name: case for case in reference.cases}
    visible = []
    for case in bundle.cases:
        if case.hidden:
            continue
        details = by_name[case.name].details if case.name in by_name else {}
        visible.append(
            {
                "name": case.name,
                "description": {"en": case.description, "zh": case.description_zh},
                "inputs": details.get("inputs", {}),
                "expected": details.get("expected", ""),
            }
        )
    mistakes = []
    for variant in bundle.mistakes:
        source = student_version_of(bundle.path / "mistakes.py", variant.function.__name__, bundle.function)
        verdict = grade(bundle, source, zygote=zygote)
        mistakes.append(
            {
                "key": variant.key,
                "message": {"en": variant.message, "zh": variant.message_zh},
                **_summary(verdict),
                "detected": variant.key in [m.key for m in verdict.mistakes],
            }
        )
    return {
        "kind": "exercise",
        "title": dict(bundle.title),
        "statement": dict(bundle.statement),
        "function": bundle.function,
        "visible_cases": visible,
        "hidden_cases": sum(1 for case in bundle.cases if case.hidden),
        "reference": _summary(reference),
        "starter": _summary(grade(bundle, bundle.starter, zygote=zygote)),
        "mistakes": mistakes,
    }
