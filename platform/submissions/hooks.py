"""Where submissions count: the extension point through which the app that owns assignments plugs in.

The dependencies run graders <- catalog <- submissions <- courses, so this app never imports
courses. Yet a new submission must be judged by the assignments it may count for (inside the
transaction that stores it), and the pages of this app show where a submission counted and where
one made now would count. The app above registers one ``CreditPolicy`` in its AppConfig.ready();
until one is registered (a project without courses) submissions count for nothing and pages show
nothing about assignments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# Why work does not count for an assignment whose window it is in.
NO_ATTEMPTS_LEFT = "attempts"  # the attempt limit is reached
TOO_SOON = "interval"  # made sooner after the last counted one than the assignment's minimum interval
STAFF = "staff"  # the user teaches the course: their submissions are tries, never credit


@dataclass(frozen=True)
class CreditNote:
    """How one stored submission counted for one assignment (a row the policy wrote when it was made)."""

    assignment_id: int
    title: str
    course_title: str
    url: str
    counted: bool
    reason: str = ""  # NO_ATTEMPTS_LEFT or TOO_SOON when it did not count
    is_late: bool = False
    late_days: int = 0
    late_penalty: float = 0.0
    extension_applied: bool = False


@dataclass(frozen=True)
class CreditTarget:
    """An assignment a submission made now would count for, as its student sees it.

    ``state`` is "open" or "late" for the assignments a submission counts for; the assignment a
    page was opened for (``is_target``) is listed in any state, "upcoming" and "closed" included.
    """

    assignment_id: int
    title: str
    course_title: str
    url: str
    state: str
    opens_at: datetime
    due_at: datetime
    cutoff_at: datetime | None
    extended: bool
    counts: bool  # False: in its window, but the attempt limit or the interval keeps it from counting
    reason: str = ""  # NO_ATTEMPTS_LEFT, TOO_SOON or STAFF when it does not count
    wait_s: int = 0  # TOO_SOON: seconds until one counts again
    attempts_used: int = 0
    max_attempts: int | None = None
    min_interval_s: int = 0
    score_policy: str = "best"
    late_policy: str = "penalty"
    late_penalty_per_day: float = 0.0
    points: float | None = None  # what counts so far, None before any counted attempt
    max_points: float = 0.0
    is_target: bool = False


class CreditPolicy(Protocol):
    def hold(self, *, user) -> None:
        """Serialize one student's new work: called in the storing transaction, before the row exists.

        A submission's time is when it was stored, so the row must be created under the same lock
        that judges it: otherwise the later of two concurrent submissions can be judged first and
        the earlier one, not seeing it, takes the last attempt as well.
        """

    def judge_new(self, *, submission, assignment_id: int | None) -> None:
        """Record what a just-stored submission counts for, in the transaction that stored it.

        ``assignment_id`` is the assignment whose page it was sent from, if any: it must count
        there, else raise ValidationError (with the reason) and the submission is not kept.
        """

    def notes(self, *, submission_ids: list[int]) -> dict[int, list[CreditNote]]:
        """What each stored submission counted for (or was kept from counting for)."""

    def targets(
        self, *, user, exercise_ids: list[int], assignment_id: int | None = None
    ) -> dict[int, list[CreditTarget]]:
        """Per exercise, the assignments a submission by ``user`` made now would count for."""

    def reviews(self, *, user, submission) -> bool:
        """Whether ``user`` teaches a course that the submission counted in (sees hidden cases, its code)."""


class _NoCredit:
    """Without a registered policy nothing counts anywhere."""

    def hold(self, *, user) -> None:
        return None

    def judge_new(self, *, submission, assignment_id: int | None) -> None:
        return None

    def notes(self, *, submission_ids: list[int]) -> dict[int, list[CreditNote]]:
        return {}

    def targets(
        self, *, user, exercise_ids: list[int], assignment_id: int | None = None
    ) -> dict[int, list[CreditTarget]]:
        return {}

    def reviews(self, *, user, submission) -> bool:
        return False


_policy: CreditPolicy = _NoCredit()


def credit_policy_register(policy: CreditPolicy) -> None:
    """Install the policy (once, from the owning app's ready()); a later registration replaces it."""
    global _policy
    _policy = policy


def credit_policy() -> CreditPolicy:
    return _policy
