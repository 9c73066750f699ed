"""Run untrusted student code: a warm zygote per worker slot, one forked child per submission.

At worker start-up: ``zygote.start()``, log ``zygote.layers`` (and ``zygote.missing``), then refuse
to grade if ``confinement_selftest(zygote)`` returns any problem. See docs/sandbox.md.
"""

from graders.sandbox.selftest import confinement_selftest
from graders.sandbox.zygote import Budget, CaseRun, Limits, RunResult, SandboxUnavailable, Zygote

__all__ = ["Budget", "CaseRun", "Limits", "RunResult", "SandboxUnavailable", "Zygote", "confinement_selftest"]
