"""What an exercise bundle's cases.py and mistakes.py build: test cases and known wrong versions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Case:
    """One call of the student's function.

    ``args`` and ``kwargs`` hold numpy arrays, lists of arrays, floats and ints. An array that is
    not C-contiguous reaches the student in the same layout (Fortran order or a strided view), and
    one with ``flags.writeable`` off arrives read-only, so bundles can test both edge cases.
    """

    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    hidden: bool = False
    weight: float = 1.0
    rtol: float | None = None
    atol: float | None = None
    # Shown with visible cases, e.g. "stride 2, padding 1: the output is 3x3".
    description: str = ""
    description_zh: str = ""
    # What the case checks, said when it fails, hidden or visible: a purpose_* phrase code of
    # graders/feedback.py (a fixed sentence with no input values in it, translated like the rest).
    purpose: str = ""


def with_purposes(cases: list[Case], purposes: dict[str, str]) -> list[Case]:
    """``cases`` with the purpose of each case named in ``purposes`` (case name -> purpose_* code).

    Raises KeyError for a name that is not a case, so that a renamed case cannot lose its purpose quietly.
    """
    names = {case.name for case in cases}
    unknown = sorted(set(purposes) - names)
    if unknown:
        raise KeyError(f"purposes name no such case: {', '.join(unknown)}")
    return [replace(case, purpose=purposes.get(case.name, case.purpose)) for case in cases]


@dataclass(frozen=True)
class MistakeVariant:
    """A common wrong implementation, run on the trusted side to name the student's mistake."""

    key: str
    message: str
    message_zh: str
    function: Callable[..., Any]
