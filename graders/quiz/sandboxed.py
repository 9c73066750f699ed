"""A course quiz's params.py run in the sandbox: its parameterized questions drawn for a fixed set of seeds.

The job is graders/sandbox/content_job.py (operation ``quiz_variants``) with params.py as its only
file, in a child of the same zygote, layers and limits a submission gets (one call per question,
every seed drawn twice to catch a draw that does not depend on its rng only). What comes back is
a tape of plain values, read strictly (graders/sandboxed_content.read_tape); graders/quiz/precomputed.py
then checks the values themselves. Nothing here imports params.py.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graders.quiz.bundle import VALIDATION_SEEDS, QuizBundle
from graders.sandbox import Budget, Limits, Zygote
from graders.sandboxed_content import CONTENT_SOURCE, ENTRY, MAX_TAPE_BYTES, CourseContentFailed, read_tapes

# Per question: VALIDATION_SEEDS draws, twice; the built-in quizzes take ~10 ms for all of it.
QUIZ_LIMITS = Limits(time_s=5.0, memory_mib=256, output_bytes=16 * 1024, result_bytes=4 * MAX_TAPE_BYTES)


def params_source(bundle: QuizBundle) -> str:
    """The job's "student file": the sandbox side, then params.py as a string literal."""
    params = (bundle.path / "params.py").read_text(encoding="utf-8")
    return CONTENT_SOURCE.read_text(encoding="utf-8") + f"\n_FILES = {{'params.py': {params!r}}}\n"


def draw_variants(bundle: QuizBundle, zygote: Zygote, seeds: range = range(VALIDATION_SEEDS)) -> dict[str, Any]:
    """{question key: [{"inputs", "answer", "work"}, ...] per seed} for every parameterized question, drawn in
    the sandbox; raw values for graders.quiz.precomputed.read_table. Raises CourseContentFailed."""
    questions = [question for question in bundle.questions if question.parameterized]
    if not questions:
        return {}
    calls = [(("quiz_variants", question.params, list(seeds)), {}) for question in questions]
    limits = dataclasses.replace(QUIZ_LIMITS, budget_s=QUIZ_LIMITS.time_s * len(calls))
    run = zygote.run(params_source(bundle), ENTRY, calls, limits, Budget(limits))
    tapes = read_tapes(run, "params.py", [f"question {question.key!r}: params.py" for question in questions])
    drawn: dict[str, Any] = {}
    for question, values in zip(questions, tapes, strict=True):
        where = f"question {question.key!r}"
        if not isinstance(values, list) or len(values) != len(seeds):
            raise CourseContentFailed(f"{where}: params.py returned a malformed result")
        entries = []
        for seed, value in zip(seeds, values, strict=True):
            if value is None:
                raise CourseContentFailed(
                    f"{where}: the same seed gives different variants (seed {seed}): draw only from the rng given"
                )
            if not isinstance(value, list) or len(value) != 3:
                raise CourseContentFailed(f"{where}: params.py returned a malformed result")
            entries.append({"inputs": value[0], "answer": value[1], "work": value[2]})
        drawn[question.key] = entries
    return drawn
