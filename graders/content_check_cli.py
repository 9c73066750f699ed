"""Check one exercise bundle and preview it, as JSON on stdout: how a sync runs a course's code away from the platform.

``python -m graders.content_check_cli PATH`` prints {"problems": [...], "preview": {...}}. The
caller (courses/content/services.py) runs it as a child process with a cleared environment and
resource limits, so that a course's reference, cases and mistakes never run inside a worker that
holds the platform's credentials; every submission-like grading inside still goes through the
sandbox (graders/sandbox).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from graders.bundle import load_bundle
from graders.content_check import Problem, check_exercise
from graders.content_preview import exercise_preview
from graders.sandbox import Zygote


def main(path: Path) -> dict:
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
