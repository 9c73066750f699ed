"""The contract between graders/ and platform/: a frozen Verdict that round-trips through JSON.

Three outcomes are kept apart:
- ``graded``: the code ran; any score, per-case statuses explain it.
- ``not_gradable``: the student's file could not be run at all (syntax error, missing function,
  crash or timeout at import). Every case carries the same status and the message says why once.
- ``platform_error``: dlgrade itself failed; never the student's fault, never scored.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from graders.feedback import Phrase, fit_for_hidden_case

GRADED = "graded"
NOT_GRADABLE = "not_gradable"
PLATFORM_ERROR = "platform_error"
OUTCOMES = (GRADED, NOT_GRADABLE, PLATFORM_ERROR)

PASS = "pass"
FAIL = "fail"
ERROR = "error"
TIMEOUT = "timeout"
MEMORY = "memory"
FORBIDDEN = "forbidden"
CASE_STATUSES = (PASS, FAIL, ERROR, TIMEOUT, MEMORY, FORBIDDEN)


@dataclass(frozen=True)
class CaseResult:
    name: str
    status: str
    message: str = ""
    hidden: bool = False
    weight: float = 1.0
    duration_ms: float = 0.0
    # Visible cases only: small previews of inputs, got and expected, plus where the arrays differ.
    details: dict[str, Any] = field(default_factory=dict)
    mistake: str = ""
    # ``message`` as phrases, so the site can show it in the student's language (graders/feedback.py).
    phrases: tuple[Phrase, ...] = ()
    # Visible cases only: what the code printed while the case ran, decoded, bounded and stripped of
    # control characters on the trusted side (graders/engine.py); a hidden case never has it.
    printed: str = ""

    @property
    def passed(self) -> bool:
        return self.status == PASS

    def public(self) -> CaseResult:
        """Return what a student may see: a hidden case keeps its name, status and the trusted side's
        own sentence about it (a verdict stored before those sentences existed shows no message)."""
        if not self.hidden:
            return self
        trusted = bool(self.phrases) and all(fit_for_hidden_case(phrase) for phrase in self.phrases)
        return CaseResult(
            name=self.name,
            status=self.status,
            hidden=True,
            weight=self.weight,
            mistake=self.mistake,
            message=self.message if trusted else "",
            phrases=self.phrases if trusted else (),
        )


@dataclass(frozen=True)
class Mistake:
    key: str
    message: str
    message_zh: str = ""
    cases: tuple[str, ...] = ()  # the failed cases this mistake explains (stored verdicts may lack them)


@dataclass(frozen=True)
class Verdict:
    outcome: str
    score: float
    passed: int
    total: int
    cases: tuple[CaseResult, ...] = ()
    message: str = ""
    mistakes: tuple[Mistake, ...] = ()
    exercise: str = ""
    bundle_hash: str = ""
    elapsed_ms: float = 0.0
    tolerance: dict[str, float] = field(default_factory=dict)
    phrases: tuple[Phrase, ...] = ()
    # Failed cases that none of ``mistakes`` explains: another problem (set only when one is named).
    unexplained: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} outside [0, 1]")
        for case in self.cases:
            if case.status not in CASE_STATUSES:
                raise ValueError(f"unknown case status {case.status!r}")

    @property
    def is_platform_error(self) -> bool:
        return self.outcome == PLATFORM_ERROR

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict: databases refuse NaN and Infinity in JSON, so they become strings."""
        return _json_safe(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        fields = dict(data)
        fields["cases"] = tuple(
            CaseResult(
                **{
                    **case,
                    "phrases": _phrases(case.get("phrases", ())),
                    "duration_ms": _number(case.get("duration_ms", 0.0)),
                }
            )
            for case in data.get("cases", ())
        )
        fields["elapsed_ms"] = _number(data.get("elapsed_ms", 0.0))
        fields["mistakes"] = tuple(
            Mistake(**{**m, "cases": tuple(m.get("cases", ()))}) for m in data.get("mistakes", ())
        )
        fields["unexplained"] = tuple(data.get("unexplained", ()))
        fields["phrases"] = _phrases(data.get("phrases", ()))
        return cls(**fields)

    def public(self) -> Verdict:
        """Return the verdict as a student may see it: hidden case details removed, and the grading
        time to a tenth of a second (it covers the hidden cases, whose timing the code controls)."""
        elapsed = round(self.elapsed_ms / 100) * 100 if math.isfinite(self.elapsed_ms) else 0.0
        return replace(self, cases=tuple(case.public() for case in self.cases), elapsed_ms=float(elapsed))


def _phrases(items: Any) -> tuple[Phrase, ...]:
    """Stored phrases; a code this version does not know drops them all and the message shows instead."""
    try:
        return tuple(item if isinstance(item, Phrase) else Phrase.from_dict(item) for item in items)
    except (ValueError, KeyError, TypeError, AttributeError):
        return ()


def _number(value: Any) -> float:
    """A stored timing: to_dict() wrote NaN and infinity as strings; anything unreadable is 0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "inf", "-inf", "nan"
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return value


def platform_error(message: str, *, exercise: str = "", total: int = 0) -> Verdict:
    """The platform could not grade: never scored, never the student's fault."""
    return Verdict(outcome=PLATFORM_ERROR, score=0.0, passed=0, total=total, message=message, exercise=exercise)
