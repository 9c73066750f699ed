"""Run untrusted student code: a warm zygote per worker slot, one forked child per submission."""

from graders.sandbox.zygote import CaseRun, Limits, RunResult, SandboxUnavailable, Zygote

__all__ = ["CaseRun", "Limits", "RunResult", "SandboxUnavailable", "Zygote"]
