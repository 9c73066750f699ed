"""Check one exercise or quiz bundle and preview it, as JSON on stdout: how a sync runs a course's code away from the platform.

``python -m graders.content_check_cli PATH`` prints {"problems": [...], "preview": {...}}, and for a
quiz "variants": the drawn variants of its parameterized questions (graders/quiz/precomputed.py).
The caller (courses/content/services.py) runs it as a child process with a cleared environment and
resource limits, so that a course's reference, cases and mistakes never run inside a worker that
holds the platform's credentials; every submission-like grading inside still goes through the
sandbox (graders/sandbox). A quiz's params.py is not even imported here: it runs in the sandbox
only. The caller reads what this prints as hostile input all the same.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from graders.bundle import load_bundle
from graders.content_check import Problem, bundle_kind, check_course_quiz, check_exercise
from graders.content_preview import exercise_preview
from graders.quiz.precomputed import table_json
from graders.sandbox import Zygote


def main(path: Path) -> dict:
    if bundle_kind(path) == "quiz":
        with Zygote() as zygote:
            report, carried = check_course_quiz(path, zygote)
        variants = table_json(dict(carried.precomputed)) if carried is not None else {}
        return {"problems": [asdict(problem) for problem in report.problems], "preview": {}, "variants": variants}
    with Zygote() as zygote:
        report = check_exercise(path, zygote)
        preview: dict = {}
        if report.ok:
            try:
                preview = exercise_preview(load_bundle(path), zygote)
            except Exception as exc:  # the check passed, so this is unexpected: show it, do not publish
                report.problems.append(Problem(path.name, "(bundle)", f"preview failed: {type(exc).__name__}: {exc}"))
    return {"problems": [asdict(problem) for problem in report.problems], "preview": preview}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
