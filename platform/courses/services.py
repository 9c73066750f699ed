"""Writes for courses and their members: create a course, its join code, join, leave."""

from __future__ import annotations

import logging
import re
import secrets
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.selectors import verified_emails_of
from courses.credit import credit_sync_member
from courses.models import (
    Course,
    Membership,
)

log = logging.getLogger(__name__)

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
JOIN_CODE_LENGTH = 8
DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if not Course.objects.filter(join_code=code).exists():
            return code


def _unique_slug(title: str) -> str:
    base = slugify(title)[:50] or "course"
    slug, n = base, 2
    while Course.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def course_create(*, title: str, created_by, description: str = "", time_zone: str = "") -> Course:
    """Create a course; its creator becomes its first instructor."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("A course needs a title.")})
    course = Course.objects.create(
        title=title,
        slug=_unique_slug(title),
        description=description.strip(),
        join_code=new_join_code(),
        created_by=created_by,
        time_zone=_valid_time_zone(time_zone),
    )
    Membership.objects.create(
        course=course, user=created_by, role=Membership.Role.INSTRUCTOR, source=Membership.Source.CREATOR
    )
    return course


def course_join_code_reset(*, course: Course, join_open: bool | None = None) -> Course:
    """Give the course a fresh join code (the old one stops working); optionally open or close joining."""
    course.join_code = new_join_code()
    if join_open is not None:
        course.join_open = join_open
    course.save(update_fields=["join_code", "join_open"])
    return course


def course_join_open_set(*, course: Course, join_open: bool) -> Course:
    course.join_open = join_open
    course.save(update_fields=["join_open"])
    return course


def join_domains(text: str) -> list[str]:
    """``"@Uni.edu, cs.uni.edu"`` -> ``["uni.edu", "cs.uni.edu"]``; raises on something that is no domain."""
    domains = []
    for word in text.replace(",", " ").replace(";", " ").split():
        domain = word.strip().lstrip("@").lower()
        if not DOMAIN.fullmatch(domain):
            raise ValidationError(_("“%(domain)s” is not an email domain (like university.edu).") % {"domain": word})
        if domain not in domains:
            domains.append(domain)
    return domains


def course_join_policy_set(*, course: Course, join_open: bool, email_domains: str) -> Course:
    """Turn self-enrolment (join code and link) on or off, and limit it to addresses at some domains."""
    course.join_open = join_open
    course.join_email_domains = " ".join(join_domains(email_domains))
    course.save(update_fields=["join_open", "join_email_domains"])
    return course


def _valid_time_zone(name: str) -> str:
    name = name.strip()
    if name and name not in available_timezones():
        raise ValidationError({"time_zone": _("%(zone)s is not a time zone name.") % {"zone": name}})
    return name


def course_time_zone_set(*, course: Course, time_zone: str) -> Course:
    """Set the zone the course's deadlines are entered and shown in; stored times do not move."""
    course.time_zone = _valid_time_zone(time_zone)
    course.save(update_fields=["time_zone"])
    return course


def course_by_join_code(*, code: str) -> Course | None:
    code = "".join(code.split()).upper()
    return Course.objects.filter(join_code=code).first() if code else None


def membership_join(*, user, code: str) -> tuple[Membership, bool]:
    """Join a course as a student with its code; return the membership and whether it is new."""
    course = course_by_join_code(code=code)
    if course is None:
        raise ValidationError(_("No course has this join code; check it with your instructor."))
    existing = Membership.objects.filter(course=course, user=user).first()
    if existing is not None:
        return existing, False
    if not course.join_open:
        raise ValidationError(_("This course is not accepting students by join code; ask your instructor."))
    domains = course.join_email_domains.split()
    if domains and not any(email.rpartition("@")[2] in domains for email in verified_emails_of(user=user)):
        raise ValidationError(
            _(
                "This course accepts accounts with a verified address at %(domains)s. "
                "Add and verify one on your profile page, then join again."
            )
            % {"domains": ", ".join("@" + d for d in domains)}
        )
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            course=course, user=user, defaults={"role": Membership.Role.STUDENT, "source": Membership.Source.JOIN_CODE}
        )
        if created:
            credit_sync_member(course=course, user_ids=[user.pk])
    return membership, created


def membership_set(*, course: Course, user, role: str, source: str) -> tuple[Membership, bool]:
    """Make ``user`` a member of ``course`` with ``role``: enrol them, or change the role they have.

    For a roster kept in step with another system (an LMS): the role it gives wins. A student who
    joins, or a member who becomes a student, finds their work made while an assignment was open
    counted. Returns the membership and whether it is new.
    """
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown course role."))
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(
            course=course, user=user, defaults={"role": role, "source": source}
        )
        changed = not created and membership.role != role
        if changed:
            if (
                membership.is_instructor
                and not course.memberships.filter(role=Membership.Role.INSTRUCTOR).exclude(pk=membership.pk).exists()
            ):
                raise ValidationError(_("A course keeps at least one instructor."))
            membership.role = role
            membership.save(update_fields=["role"])
        if (created or changed) and role == Membership.Role.STUDENT:
            credit_sync_member(course=course, user_ids=[user.pk])
    return membership, created


def membership_remove(*, membership: Membership) -> None:
    """Remove a member; their submissions stay (a student re-enrolled finds them again)."""
    if (
        membership.is_instructor
        and not membership.course.memberships.filter(role=Membership.Role.INSTRUCTOR).exclude(pk=membership.pk).exists()
    ):
        raise ValidationError(_("A course keeps at least one instructor."))
    membership.delete()
