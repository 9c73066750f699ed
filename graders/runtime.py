"""Grading in a long-lived process: a warm sandbox per thread and one way to grade stored source.

The Celery worker processes and the batch command both grade through a SandboxPool: each thread
gets its own zygote on first use (a forked worker process never reuses its parent's), a zygote
that failed is dropped and replaced on the next job, and every sandbox failure reaches the caller
as an exception to retry, never as a verdict that blames the student.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from pathlib import Path

from graders.bundle import Bundle, BundleError, load_cached
from graders.case_text import CaseCall
from graders.engine import grade
from graders.sandbox import Zygote
from graders.sandboxed_content import CourseContentFailed, sandboxed
from graders.trial import run_trial
from graders.verdict import Verdict


class BundleUnavailable(Exception):
    """The exercise cannot be graded right now (its bundle does not load): the platform's fault."""


class BundleChanged(BundleUnavailable):
    """The bundle on disk is not the version the caller asked for (edited again, or not synced)."""


def load_version(path: Path | str, content_hash: str | None = None, *, untrusted: bool = False) -> Bundle:
    """The bundle at ``path``, and it must be version ``content_hash`` when one is given.

    ``untrusted``: a course repository's bundle, whose code runs only in the sandbox.
    """
    try:
        bundle = load_cached(path, untrusted=untrusted)
    except (BundleError, OSError) as exc:
        raise BundleUnavailable(f"the exercise bundle cannot be loaded: {exc}") from exc
    if content_hash is not None and bundle.content_hash != content_hash:
        raise BundleChanged(f"the exercise on disk is version {bundle.content_hash[:12]}, not {content_hash[:12]}")
    return bundle


class SandboxPool:
    """One warm zygote per thread of this process, started on first use, all closed together."""

    def __init__(self, isolation: str | None = None) -> None:
        self.isolation = isolation
        self._local = threading.local()
        self._all: list[tuple[int, Zygote]] = []  # with the pid that started it
        self._lock = threading.Lock()
        # What this process's sandboxes did since the last take_tally(): case outcomes, platform
        # errors, zygote restarts. The platform adds it to shared counters (the metrics).
        self._tally: Counter[str] = Counter()

    def zygote(self) -> Zygote:
        zygote = getattr(self._local, "zygote", None)
        if zygote is None or getattr(self._local, "pid", None) != os.getpid():
            zygote = Zygote(self.isolation)
            zygote.start()
            self._local.zygote, self._local.pid = zygote, os.getpid()
            with self._lock:
                self._all.append((os.getpid(), zygote))
        return zygote

    def discard(self) -> None:
        """Close this thread's zygote after a failure; the next job starts a fresh one."""
        zygote = getattr(self._local, "zygote", None)
        self._local.zygote = None
        if zygote is not None and getattr(self._local, "pid", None) == os.getpid():
            zygote.close()

    def grade(self, bundle: Bundle, source: str) -> Verdict:
        """Grade with this thread's zygote. Raises SandboxUnavailable (or whatever failed) to retry."""
        zygote = None
        try:
            zygote = self.zygote()
            restarts = zygote.restarts
            if bundle.untrusted:  # the course's own code runs in a child of its own, before the student's
                bundle = sandboxed(bundle, self.zygote)
            verdict = grade(bundle, source, zygote=zygote)
        except CourseContentFailed:  # the course's code failed, not the sandbox: the zygote is fine
            self._count(platform_error=1)
            raise
        except Exception:  # the sandbox failed, or a time limit interrupted a job: start afresh next time
            self._count(platform_error=1, zygote_restarts=1 if zygote is not None else 0)
            self.discard()
            raise
        self._count(zygote_restarts=zygote.restarts - restarts, **Counter(case.status for case in verdict.cases))
        return verdict

    def _count(self, **counts: int) -> None:
        with self._lock:
            self._tally.update({name: n for name, n in counts.items() if n})

    def take_tally(self) -> dict[str, int]:
        """Return what the sandboxes did since the last call and start counting afresh."""
        with self._lock:
            tally, self._tally = dict(self._tally), Counter()
        return tally

    def trial(self, bundle: Bundle, source: str, own: list[CaseCall]) -> Verdict:
        """Run (graders/trial.py) with this thread's zygote; failures as for ``grade``."""
        try:
            if bundle.untrusted:
                bundle = sandboxed(bundle, self.zygote)
            return run_trial(bundle, source, own, zygote=self.zygote())
        except Exception:
            self.discard()
            raise

    def close(self) -> None:
        """Close the zygotes this process started (a forked child leaves its parent's alone)."""
        with self._lock:
            zygotes, self._all = self._all, []
        for pid, zygote in zygotes:
            if pid == os.getpid():
                zygote.close()
        self._local = threading.local()
