"""Numbers as a page shows them, and the {{name}} placeholders of prompts and explanations."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def format_number(number: float) -> str:
    if isinstance(number, int) or float(number).is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(float(number), ".6g")


def format_value(value: Any) -> str:
    """Numbers as typed by a person; a vector as (a, b, c); a matrix as a LaTeX pmatrix."""
    if isinstance(value, bool):
        raise TypeError("a parameter value cannot be a boolean")
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
        rows = [" & ".join(format_value(item) for item in row) for row in value]
        return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"
    if isinstance(value, list):
        return "(" + ", ".join(format_value(item) for item in value) + ")"
    raise TypeError(f"cannot show a parameter of type {type(value).__name__}")


# A formula of the Markdown: $$...$$ or $...$ (KaTeX renders both).
FORMULA = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.DOTALL)
SCIENTIFIC = re.compile(r"(\d+(?:\.\d+)?)e([+-]?)0*(\d+)")


def in_formula(value: str) -> str:
    """A value as a formula shows it: 1.10573e+07 becomes 1.10573 \\times 10^{7}, not an "e" in the maths."""
    return SCIENTIFIC.sub(lambda m: rf"{m[1]} \times 10^{{{'-' if m[2] == '-' else ''}{m[3]}}}", value)


def fill(text: str, values: dict[str, str]) -> str:
    """Put the values in the placeholders; inside a formula, numbers are written for reading (x 10^k)."""

    def plain_part(part: str) -> str:
        return PLACEHOLDER.sub(lambda match: values[match.group(1)], part)

    def formula_part(part: str) -> str:
        return PLACEHOLDER.sub(lambda match: in_formula(values[match.group(1)]), part)

    pieces, last = [], 0
    for formula in FORMULA.finditer(text):
        pieces += [plain_part(text[last : formula.start()]), formula_part(formula.group(0))]
        last = formula.end()
    pieces.append(plain_part(text[last:]))
    return "".join(pieces)


def plain(value: Any) -> Any:
    """NumPy scalars and arrays, tuples too, to Python numbers and lists (JSON-ready, formattable)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def leaves(value: Any):
    if isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value
