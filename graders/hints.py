"""Recognise the errors that course code written for NumPy 1 runs into under NumPy 2, and say how to fix them.

Course material (CS231n, deeplearning.ai, older Deep-ML answers) still uses names NumPy 2 removed
(``np.int``, ``np.float``, ``np.NaN``...) and ``float()`` of an array such as ``np.sum(x, axis=(1, 2),
keepdims=True)`` of shape (1, 1, 1), which NumPy 2 refuses. The exception's own text is English and
long; the hint is one translated sentence with the fix.

The text examined is the exception text the sandboxed child reported. Only a visible case's text (or
a file that failed to load in a child that never held a hidden input) may be read this way: the
trust rule lets nothing a process with hidden inputs wrote shape what a student sees. Every name the
hint quotes comes from the fixed table below, never from the child's text.
"""

from __future__ import annotations

import re

from graders.feedback import Phrase, say

# Names NumPy 2 removed that course code still uses, with what to write instead.
REMOVED_NAMES = {
    "int": "`int` (or `np.int64`)",
    "float": "`float` (or `np.float64`)",
    "complex": "`complex` (or `np.complex128`)",
    "object": "`object`",
    "str": "`str`",
    "unicode": "`str`",
    "float_": "`np.float64`",
    "complex_": "`np.complex128`",
    "cfloat": "`np.complex128`",
    "string_": "`np.bytes_`",
    "unicode_": "`np.str_`",
    "NaN": "`np.nan`",
    "NAN": "`np.nan`",
    "Inf": "`np.inf`",
    "Infinity": "`np.inf`",
    "infty": "`np.inf`",
    "PINF": "`np.inf`",
    "NINF": "`-np.inf`",
    "product": "`np.prod`",
    "cumproduct": "`np.cumprod`",
    "alltrue": "`np.all`",
    "sometrue": "`np.any`",
    "asfarray": "`np.asarray(x, dtype=float)`",
    "round_": "`np.round`",
    "in1d": "`np.isin`",
    "trapz": "`np.trapezoid`",
    "msort": "`np.sort(a, axis=0)`",
    "mat": "`np.asmatrix`",
}
_MISSING_NAME = re.compile(
    r"^AttributeError: (?:module 'numpy' has no attribute '(?P<missing>\w+)'"
    r"|`np\.(?P<removed>\w+)` was removed in the NumPy 2\.0 release)"
)
_SCALAR_CONVERSION = re.compile(
    r"^TypeError: only (?:0-dimensional|length-1|size-1) arrays can be converted to Python scalars"
)


def numpy2_hint(phrases: tuple[Phrase, ...], message: str) -> Phrase | None:
    """The hint for the exception described by ``phrases`` (or the plain ``message``), if it is one of these."""
    text = _exception_text(phrases) or message
    match = _MISSING_NAME.match(text)
    if match:
        name = match.group("missing") or match.group("removed")
        if name in REMOVED_NAMES:
            return say("numpy2_removed_name", name=name, replacement=REMOVED_NAMES[name])
        return None
    if _SCALAR_CONVERSION.match(text):
        return say("numpy2_scalar_conversion")
    return None


def _exception_text(phrases: tuple[Phrase, ...]) -> str:
    """The "Type: message" text inside the runner's phrase for an exception, at load time or in a case."""
    for phrase in phrases:
        if phrase.code == "raised_while_loading":
            error = phrase.args.get("error")
            return _exception_text((error,)) if isinstance(error, Phrase) else str(error or "")
        if phrase.code == "exception_at":
            error = phrase.args.get("error")
            return error if isinstance(error, str) else ""
    return ""
