"""Grade many files of one exercise in parallel, one warm sandbox per worker thread.

Produces the batch records of ../shared/catalog.md ("The batch grading command"): one dict per
file, in the order given, whatever order they finish in.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from graders.bundle import Bundle
from graders.engine import grade
from graders.sandbox import SandboxUnavailable, Zygote
from graders.verdict import FAIL, NOT_GRADABLE, PLATFORM_ERROR, Verdict

HIDDEN_FAIL_MESSAGE = "Wrong value or shape (hidden case: inputs and expected values are not shown)"
MAX_FILE_BYTES = 1 << 20


def verdict_record(file: str, verdict: Verdict) -> dict[str, Any]:
    """The catalog's JSON object for one graded file."""
    if verdict.outcome == PLATFORM_ERROR:
        return {
            "file": file,
            "exercise": verdict.exercise,
            "status": "error",
            "score": 0.0,
            "passed": 0,
            "total": verdict.total,
            "cases": [],
            "message": verdict.message,
        }
    cases = []
    for case in verdict.cases:
        message = case.message
        if case.hidden and case.status == FAIL:
            message = HIDDEN_FAIL_MESSAGE
        cases.append({"name": case.name, "status": case.status, "message": message})
    record = {
        "file": file,
        "exercise": verdict.exercise,
        "status": "graded",
        "score": verdict.score,
        "passed": verdict.passed,
        "total": verdict.total,
        "cases": cases,
    }
    if verdict.outcome == NOT_GRADABLE:
        record["message"] = verdict.message
    if verdict.mistakes:
        record["mistakes"] = [m.key for m in verdict.mistakes]
    return record


def _read_source(path: Path) -> tuple[str | None, str]:
    data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    if len(data) > MAX_FILE_BYTES:
        return None, f"The file is larger than {MAX_FILE_BYTES >> 10} KiB"
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        return None, f"The file is not UTF-8 text ({exc.reason} at byte {exc.start})"


class ZygotePool:
    """One zygote per thread, started on first use, all closed together."""

    def __init__(self, isolation: str = "auto") -> None:
        self.isolation = isolation
        self.local = threading.local()
        self.all: list[Zygote] = []
        self.lock = threading.Lock()

    def get(self) -> Zygote:
        zygote = getattr(self.local, "zygote", None)
        if zygote is None:
            zygote = Zygote(self.isolation)
            zygote.start()
            self.local.zygote = zygote
            with self.lock:
                self.all.append(zygote)
        return zygote

    def close(self) -> None:
        for zygote in self.all:
            zygote.close()


def grade_source(bundle: Bundle, source: str, pool: ZygotePool, attempts: int = 2) -> Verdict:
    """Grade with retries on platform failure; a sandbox that keeps failing yields a platform error."""
    last = ""
    for _ in range(attempts):
        try:
            return grade(bundle, source, zygote=pool.get())
        except SandboxUnavailable as exc:
            last = str(exc)
            pool.local.zygote = None
    return Verdict(
        outcome=PLATFORM_ERROR,
        score=0.0,
        passed=0,
        total=len(bundle.cases),
        exercise=bundle.slug,
        message=f"The grader could not run this file: {last}",
    )


def grade_files(
    bundle: Bundle, files: Iterable[str], *, workers: int = 1, isolation: str = "auto"
) -> Iterator[dict[str, Any]]:
    pool = ZygotePool(isolation)

    def one(file: str) -> dict[str, Any]:
        source, problem = _read_source(Path(file))
        if source is None:
            verdict = Verdict(
                outcome=NOT_GRADABLE,
                score=0.0,
                passed=0,
                total=len(bundle.cases),
                exercise=bundle.slug,
                message=problem,
                cases=(),
            )
            record = verdict_record(file, verdict)
            record["cases"] = [{"name": c.name, "status": "error", "message": ""} for c in bundle.cases]
            return record
        return verdict_record(file, grade_source(bundle, source, pool))

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as executor:
            yield from executor.map(one, files)
    finally:
        pool.close()
