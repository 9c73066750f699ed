"""Deadlines and scores as plain values: no database, so every rule is easy to test and reuse.

The late policy is judged with a submission's own time (its ``created_at``), never the time of
grading or of the request that reads it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from submissions.hooks import NO_ATTEMPTS_LEFT, TOO_SOON  # the reasons the pages are told, kept as one set of codes

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Lateness:
    is_late: bool = False
    days_late: int = 0
    penalty: float = 0.0  # the fraction of the score lost, in [0, 1]
    before_open: bool = False
    beyond_cutoff: bool = False
    extension_applied: bool = False


@dataclass(frozen=True)
class Deadline:
    """The window of one student for one assignment (an extension already folded in)."""

    opens_at: datetime
    due_at: datetime
    cutoff_at: datetime | None
    penalty_per_day: float
    original_due_at: datetime

    @property
    def extended(self) -> bool:
        return self.due_at > self.original_due_at

    def judge(self, at: datetime) -> Lateness:
        """How a submission made at ``at`` counts: on time, late with a penalty, or outside the window."""
        if at < self.opens_at:
            return Lateness(before_open=True)
        extension_applied = self.extended and at > self.original_due_at
        if at <= self.due_at:
            return Lateness(extension_applied=extension_applied)
        days = math.ceil((at - self.due_at) / DAY)  # every started day counts
        if self.cutoff_at is not None and at > self.cutoff_at:
            return Lateness(
                is_late=True, days_late=days, penalty=1.0, beyond_cutoff=True, extension_applied=extension_applied
            )
        penalty = min(1.0, round(days * self.penalty_per_day, 6))
        return Lateness(is_late=True, days_late=days, penalty=penalty, extension_applied=extension_applied)


@dataclass(frozen=True)
class Attempt:
    """One counted attempt at an item: a graded submission or a quiz attempt."""

    score: float  # raw, in [0, 1]
    penalty: float
    created_at: datetime
    is_late: bool = False
    extension_applied: bool = False
    submission_id: int | None = None

    @property
    def credited(self) -> float:
        return round(self.score * (1.0 - self.penalty), 6)


@dataclass(frozen=True)
class ItemScore:
    attempts: int = 0
    credited: float | None = None  # the fraction that counts, after the late penalty
    points: float = 0.0
    max_points: float = 0.0
    is_late: bool = False  # the attempt that counts was late
    extension_applied: bool = False
    solved: bool = False  # some attempt scored 1.0 before any penalty
    best_raw: float | None = None
    counting_submission_id: int | None = None

    @property
    def started(self) -> bool:
        return self.attempts > 0

    @property
    def failed_attempts(self) -> int:
        return self.attempts if not self.solved else 0


def item_score(attempts: Iterable[Attempt], *, policy: str, max_points: float) -> ItemScore:
    """Score one item from its attempts: the best credited one, or the last one, as the policy says."""
    ordered = sorted(attempts, key=lambda a: (a.created_at, a.submission_id or 0))
    if not ordered:
        return ItemScore(max_points=max_points)
    if policy == "last":
        counting = ordered[-1]
    else:  # best; on a tie the earlier attempt counts (an on-time one before a late one)
        counting = max(enumerate(ordered), key=lambda pair: (pair[1].credited, -pair[0]))[1]
    return ItemScore(
        attempts=len(ordered),
        credited=counting.credited,
        points=round(counting.credited * max_points, 4),
        max_points=max_points,
        is_late=counting.is_late,
        extension_applied=counting.extension_applied,
        solved=any(a.score >= 1.0 for a in ordered),
        best_raw=max(a.score for a in ordered),
        counting_submission_id=counting.submission_id,
    )


def window_state(deadline: Deadline, now: datetime) -> str:
    """Where ``now`` falls: upcoming, open, late (accepted, marked) or closed."""
    if now < deadline.opens_at:
        return "upcoming"
    if now <= deadline.due_at:
        return "open"
    if deadline.cutoff_at is None or now <= deadline.cutoff_at:
        return "late"
    return "closed"


# --- which attempts count: the attempt limit and the minimum interval -------------------------


@dataclass(frozen=True)
class Prior:
    """An earlier attempt that counted for the same assignment item."""

    at: datetime
    uses_attempt: bool  # queued, running or graded: code that could not run and our failures use none
    paces: bool = True  # starts the minimum interval (every attempt but the platform's failures)


@dataclass(frozen=True)
class Refusal:
    reason: str = ""  # "" when the attempt counts, else NO_ATTEMPTS_LEFT or TOO_SOON
    wait_s: int = 0  # TOO_SOON: whole seconds until one counts again

    def __bool__(self) -> bool:
        return bool(self.reason)


def limit_refusal(*, max_attempts: int | None, min_interval_s: int, earlier: Iterable[Prior], at: datetime) -> Refusal:
    """Whether an attempt made at ``at`` may count, given the attempts that counted before it."""
    earlier = [prior for prior in earlier if prior.at <= at]
    if max_attempts is not None and sum(prior.uses_attempt for prior in earlier) >= max_attempts:
        return Refusal(NO_ATTEMPTS_LEFT)
    if min_interval_s:
        last = max((prior.at for prior in earlier if prior.paces), default=None)
        if last is not None:
            waited = (at - last).total_seconds()
            if waited < min_interval_s:
                return Refusal(TOO_SOON, wait_s=max(1, math.ceil(min_interval_s - waited)))
    return Refusal()


def in_window(lateness: Lateness) -> bool:
    """Whether work judged so may count at all: made between the opening and the cut-off."""
    return not (lateness.before_open or lateness.beyond_cutoff)


def local_time(moment: datetime) -> str:
    """A date and time as messages name it: in the site's time zone, with the zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")
