"""Enrolling a roster from a CSV file: every row checked, bad rows listed with their reasons, nothing half-done.

A row naming an email that has no account yet gets an account and an invitation (courses.invitations),
mailed by the workers; uploading the same roster again changes nothing and sends nothing.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from courses import invitations
from courses.credit import credit_sync_member
from courses.models import (
    Course,
    Membership,
)

log = logging.getLogger(__name__)

MAX_CSV_BYTES = 1_000_000
MAX_CSV_ROWS = 5000


@dataclass
class CsvRowProblem:
    line: int
    text: str
    reason: str


@dataclass
class EnrolmentReport:
    enrolled: list[tuple[int, str, str]] = field(default_factory=list)  # (line, username, role)
    invited: list[tuple[int, str, str]] = field(default_factory=list)  # (line, email, role): new accounts
    unchanged: list[tuple[int, str, str]] = field(default_factory=list)  # (line, username, why)
    errors: list[CsvRowProblem] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error


ROLE_NAMES = {
    "": Membership.Role.STUDENT,
    "student": Membership.Role.STUDENT,
    "ta": Membership.Role.TA,
    "teaching assistant": Membership.Role.TA,
    "assistant": Membership.Role.TA,
    "instructor": Membership.Role.INSTRUCTOR,
}
USERNAME_HEADERS = {"username", "user", "login", "user name", "user_name"}
EMAIL_HEADERS = {"email", "e-mail", "mail", "email address"}
NAME_HEADERS = {"name", "full name", "display name"}


def _decode_csv(data: bytes) -> str:
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s KiB; upload the class in parts.") % {"size": MAX_CSV_BYTES // 1024}
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. In a spreadsheet, save it as “CSV UTF-8 (comma delimited)”.")
        ) from None


def _read_rows(text: str) -> tuple[list[tuple[int, list[str]]], dict[str, int]]:
    """Rows with their line numbers, and the columns found in the header (or a headerless list)."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as error:
        raise ValidationError(
            _("The file is not a readable CSV (line %(line)s: %(error)s).") % {"line": reader.line_num, "error": error}
        ) from None
    rows = [(line, cells) for line, cells in rows if any(cells)]
    if not rows:
        raise ValidationError(_("The file has no rows."))
    header = [" ".join(cell.lower().replace("_", " ").split()) for cell in rows[0][1]]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if name.replace(" ", "_") in USERNAME_HEADERS or name in USERNAME_HEADERS:
            columns.setdefault("username", index)
        elif name in EMAIL_HEADERS:
            columns.setdefault("email", index)
        elif name == "role":
            columns.setdefault("role", index)
        elif name in NAME_HEADERS:
            columns.setdefault("name", index)
    if "username" in columns or "email" in columns:
        rows = rows[1:]
    elif columns or len(rows[0][1]) > 1:
        found = ", ".join(f"“{cell}”" for cell in rows[0][1] if cell)
        raise ValidationError(
            _("The header needs a “username” or an “email” column (found %(found)s).") % {"found": found}
        )
    else:
        columns = {"identifier": 0}  # no header: one username or email per line
    if len(rows) > MAX_CSV_ROWS:
        raise ValidationError(
            _("The file has %(rows)s rows; upload at most %(max)s at a time.")
            % {"rows": len(rows), "max": MAX_CSV_ROWS}
        )
    return rows, columns


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _find_user(username: str, email: str):
    """Return (user, None) or (None, reason)."""
    User = get_user_model()
    user = None
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            matches = list(User.objects.filter(username__iexact=username)[:2])
            user = matches[0] if len(matches) == 1 else None
        if user is None:
            return None, _("no account with the username “%(username)s”") % {"username": username}
        if email and user.email and user.email.lower() != email.lower():
            return None, _("the username “%(username)s” and the email “%(email)s” belong to different accounts") % {
                "username": username,
                "email": email,
            }
    else:
        matches = list(User.objects.filter(email__iexact=email)[:2])
        if not matches:
            return None, _("no account with the email “%(email)s”") % {"email": email}
        if len(matches) > 1:
            return None, _("several accounts share the email “%(email)s”; give the username instead") % {"email": email}
        user = matches[0]
    if not user.is_active:
        return None, _("the account “%(username)s” is deactivated") % {"username": user.username}
    return user, None


def membership_enrol_csv(*, course: Course, data: bytes, invited_by=None) -> EnrolmentReport:
    """Enrol the people of an uploaded CSV: good rows are enrolled or invited, bad rows are listed with why.

    The file has a header with a ``username`` or ``email`` column (optionally ``name`` and ``role``:
    student, ta, instructor), or no header and one username or email per line. A row whose email
    has no account yet gets one, with an invitation to set its password; a row naming an account
    by username must name one that exists.
    """
    report = EnrolmentReport()
    try:
        rows, columns = _read_rows(_decode_csv(data))
    except ValidationError as error:
        report.file_error = error.messages[0]
        return report
    return _enrol_rows(course=course, rows=rows, columns=columns, invited_by=invited_by, report=report)


def membership_add_by_email(*, course: Course, email: str, role: str, invited_by) -> EnrolmentReport:
    """Add one person (a TA, a co-instructor) by email: enrolled if they have an account, else invited."""
    return _enrol_rows(
        course=course,
        rows=[(1, [email.strip(), role])],
        columns={"email": 0, "role": 1},
        invited_by=invited_by,
        report=EnrolmentReport(),
    )


def _enrol_rows(*, course, rows, columns, invited_by, report: EnrolmentReport) -> EnrolmentReport:
    User = get_user_model()
    existing = {m.user_id: m for m in Membership.objects.filter(course=course)}
    seen: dict[object, int] = {}
    to_create: list[Membership] = []
    to_invite: list[tuple[int, str, str, str, str]] = []  # (line, email, username, name, role)
    for line, cells in rows:
        text = ",".join(cells)[:200]
        if "identifier" in columns:
            identifier = _cell(cells, columns, "identifier")
            username, email = ("", identifier) if "@" in identifier else (identifier, "")
        else:
            username, email = _cell(cells, columns, "username"), _cell(cells, columns, "email")
        if not username and not email:
            report.errors.append(CsvRowProblem(line, text, _("no username or email in this row")))
            continue
        if email:
            try:
                validate_email(email)
            except ValidationError:
                report.errors.append(
                    CsvRowProblem(line, text, _("“%(email)s” is not a valid email address") % {"email": email})
                )
                continue
        role_text = " ".join(_cell(cells, columns, "role").lower().split())
        role = ROLE_NAMES.get(role_text)
        if role is None:
            report.errors.append(
                CsvRowProblem(
                    line, text, _("unknown role “%(role)s” (use student, ta or instructor)") % {"role": role_text}
                )
            )
            continue
        user, reason = _find_user(username, email)
        if user is None and email and not User.objects.filter(email__iexact=email).exists():
            # Nobody has this address: an account is made and invited, unless the username is taken.
            if username and User.objects.filter(username__iexact=username).exists():
                report.errors.append(CsvRowProblem(line, text, reason))
                continue
            key = email.lower()
            if key in seen:
                report.errors.append(
                    CsvRowProblem(
                        line,
                        text,
                        _("%(username)s is already on line %(line)s") % {"username": email, "line": seen[key]},
                    )
                )
                continue
            seen[key] = line
            to_invite.append((line, email, username, _cell(cells, columns, "name"), role))
            continue
        if user is None:
            report.errors.append(CsvRowProblem(line, text, reason))
            continue
        if user.pk in seen:
            report.errors.append(
                CsvRowProblem(
                    line,
                    text,
                    _("%(username)s is already on line %(line)s") % {"username": user.username, "line": seen[user.pk]},
                )
            )
            continue
        seen[user.pk] = line
        membership = existing.get(user.pk)
        if membership is not None:
            if membership.role == role:
                report.unchanged.append((line, user.username, _("already enrolled")))
            else:
                report.errors.append(
                    CsvRowProblem(
                        line,
                        text,
                        _("%(username)s is already in the course as %(role)s; change a role on the members page")
                        % {"username": user.username, "role": membership.get_role_display()},
                    )
                )
            continue
        to_create.append(Membership(course=course, user=user, role=role, source=Membership.Source.CSV))
        report.enrolled.append((line, user.username, role))
    with transaction.atomic():  # all or nothing: no account is left without its membership and invitation
        Membership.objects.bulk_create(to_create, ignore_conflicts=True)
        made = [
            invitations.invitation_create(
                course=course, email=email, role=role, invited_by=invited_by, username=username, name=name
            )
            for _line, email, username, name, role in to_invite
        ]
        students = [m.user_id for m in to_create if m.role == Membership.Role.STUDENT]
        students += [invitation.user_id for invitation in made if invitation.role == Membership.Role.STUDENT]
        if students:
            credit_sync_member(course=course, user_ids=students)
        invitations.invitations_enqueue(invitation_ids=[invitation.pk for invitation in made])
    report.invited = [(line, email, role) for line, email, _username, _name, role in to_invite]
    return report
