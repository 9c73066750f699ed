"""The gradebook as a CSV that opens cleanly in a spreadsheet (UTF-8 with BOM, quoted, no formulas)."""

from __future__ import annotations

import csv
import io

from courses.selectors import Gradebook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text a spreadsheet shows as text: a cell that would start a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if value == value else ""
        return text or "0"
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _marks(cell) -> str:
    marks = []
    if cell.is_late:
        marks.append("late")
    if cell.extension is not None:
        marks.append("extension")
    return "; ".join(marks)


def gradebook_csv(gradebook: Gradebook) -> str:
    """One row per student; per assignment its points and its marks (late, extension); then the total."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    header = ["username", "first name", "last name", "email"]
    for assignment in gradebook.assignments:
        header += [f"{assignment.title} (/{safe_cell(float(assignment.max_points))})", f"{assignment.title} marks"]
    header += [f"total (/{safe_cell(float(gradebook.max_total))})", "total %"]
    writer.writerow([safe_cell(h) for h in header])
    for row in gradebook.rows:
        user = row.user
        cells = [user.username, user.first_name, user.last_name, user.email]
        for cell in row.cells:
            cells += [float(cell.points), _marks(cell)]
        cells += [float(row.total), float(round(row.percent or 0.0, 2))]
        writer.writerow([safe_cell(c) for c in cells])
    return "\ufeff" + out.getvalue()
