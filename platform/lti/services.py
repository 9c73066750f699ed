"""Writes for LTI: accept a launch (the user, course and membership it names), place assignments by deep
linking, keep the roster in step with the LMS, and owe and send scores to the LMS gradebook.

Only these functions write django-lti's tables and this app's; course data goes through courses'
own services.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import timedelta

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from lti_tool.models import LtiContext, LtiRegistration, LtiResourceLink, LtiUser
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService

from catalog.models import Exercise
from courses import assignments as course_assignments
from courses import selectors as course_selectors
from courses import services as course_services
from courses.models import Assignment, Course, Membership
from lti import claims
from lti.models import AssignmentLink, CourseLink, ScoreSend
from lti.roles import course_role
from lti.tool import CachedTokenConnector, MessageLaunch
from quizzes.models import Quiz

log = logging.getLogger(__name__)
SEND_TASK = "lti.send_score"  # sent by name: lti.tasks defines it and calls these services


class LaunchRefused(Exception):
    """A launch that validated but that dlgrade will not act on; ``reason`` is shown to the user."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Landing:
    """Where an accepted launch takes its user."""

    user: object
    course: Course
    role: str
    kind: str  # "resource" or "deep_link"
    assignment_id: int | None = None


# --- accounts and courses from launches --------------------------------------------------------


def _username(registration: LtiRegistration, sub: str) -> str:
    return "lti-" + hashlib.sha256(f"{registration.issuer}|{sub}".encode()).hexdigest()[:20]


def lti_user_provision(*, registration: LtiRegistration, sub: str, person: dict) -> LtiUser:
    """The LMS user ``sub`` and the dlgrade account it signs in as, made on first sight.

    Accounts are matched only through this link, never by email: an LMS may assert any address,
    a dlgrade administrator's included. An operator can link an LMS user to an existing account in
    the admin (LTI users, "auth user").
    """
    names = {
        "given_name": (person.get("given_name") or "")[:150],
        "family_name": (person.get("family_name") or "")[:150],
        "name": (person.get("name") or "")[:500],
        "email": (person.get("email") or "")[:254],
    }
    lti_user, _created = LtiUser.objects.get_or_create(registration=registration, sub=sub)
    changed = [name for name, value in names.items() if value and getattr(lti_user, name) != value]
    for name in changed:
        setattr(lti_user, name, names[name])
    User = get_user_model()
    account = lti_user.auth_user
    if account is None:
        account = User.objects.filter(username=_username(registration, sub)).first() or User(
            username=_username(registration, sub)
        )
        account.set_unusable_password()
        lti_user.auth_user = account
        changed.append("auth_user")
    if not account.has_usable_password():  # an account the LMS owns: its names follow the LMS
        first = names["given_name"] or names["name"] or account.first_name
        account.first_name, account.last_name = first[:150], names["family_name"][:150] or account.last_name
        account.email = names["email"] or account.email
    account.save()
    if changed:
        lti_user.auth_user = account
        lti_user.save()
    return lti_user


def _context_sync(*, launch: MessageLaunch) -> LtiContext:
    body = launch.get_launch_data()
    context_claim = body.get(claims.CONTEXT) or {}
    defaults = {"title": (context_claim.get("title") or "")[:500], "label": (context_claim.get("label") or "")[:255]}
    nrps = body.get(claims.NRPS) or {}
    if nrps.get("context_memberships_url"):
        defaults["memberships_url"] = nrps["context_memberships_url"]
    ags = body.get(claims.AGS)
    if ags is not None:
        scopes = ags.get("scope") or []
        defaults.update(
            lineitems_url=ags.get("lineitems") or "",
            can_query_lineitems=claims.SCOPE_LINEITEM_READ in scopes or claims.SCOPE_LINEITEM in scopes,
            can_manage_lineitems=claims.SCOPE_LINEITEM in scopes,
            can_publish_scores=claims.SCOPE_SCORE in scopes,
            can_access_results=claims.SCOPE_RESULT in scopes,
        )
    context, _created = LtiContext.objects.update_or_create(
        deployment=launch.deployment_model, id_on_platform=context_claim["id"], defaults=defaults
    )
    return context


def launch_accept(*, launch: MessageLaunch) -> Landing:
    """Provision or match the user, course and membership a validated launch names.

    Raises LaunchRefused, writing nothing, when the launch gives no course role, names no course,
    or is a student's first launch into an LMS course no instructor has opened dlgrade in yet.
    """
    body = launch.get_launch_data()
    role = course_role(body.get(claims.ROLES))
    if role is None:
        raise LaunchRefused("role", f"no course role in {body.get(claims.ROLES)!r}")
    context_claim = body.get(claims.CONTEXT) or {}
    if not context_claim.get("id"):
        raise LaunchRefused("context", "the launch names no course (context claim)")
    deep_link = launch.is_deep_link_launch()
    if deep_link and role == Membership.Role.STUDENT:
        raise LaunchRefused("staff_only", "a student cannot place content")
    with transaction.atomic():
        context = _context_sync(launch=launch)
        link = CourseLink.objects.select_related("course").filter(context=context).first()
        if link is None and role != Membership.Role.INSTRUCTOR:
            transaction.set_rollback(True)
            raise LaunchRefused("course_not_ready", f"context {context.id_on_platform!r} has no dlgrade course yet")
        lti_user = lti_user_provision(registration=launch.registration_model, sub=body["sub"], person=body)
        user = lti_user.auth_user
        if not user.is_active:
            transaction.set_rollback(True)
            raise LaunchRefused("inactive", f"account {user.username} is deactivated")
        if link is None:
            course = course_services.course_create(
                title=context.title or context.label or _("Course from the LMS"), created_by=user
            )
            link = CourseLink.objects.create(context=context, course=course)
        try:
            course_services.membership_set(course=link.course, user=user, role=role, source=Membership.Source.LMS)
        except ValidationError:
            log.warning("lti: kept the last instructor of course %s an instructor", link.course_id)
        assignment_id = None
        if not deep_link:
            assignment_id = _resource_link_sync(launch=launch, context=context, course_link=link)
    return Landing(
        user=user,
        course=link.course,
        role=role,
        kind="deep_link" if deep_link else "resource",
        assignment_id=assignment_id,
    )


def _resource_link_sync(*, launch: MessageLaunch, context: LtiContext, course_link: CourseLink) -> int | None:
    """Record the launched link; learn which line item the LMS made for a placed assignment."""
    body = launch.get_launch_data()
    claim = body.get(claims.RESOURCE_LINK) or {}
    resource_link, _created = LtiResourceLink.objects.update_or_create(
        context=context,
        id_on_platform=claim["id"],
        defaults={"title": (claim.get("title") or "")[:500], "description": claim.get("description") or ""},
    )
    custom = body.get(claims.CUSTOM) or {}
    try:
        assignment_id = int(custom.get("dlgrade_assignment") or 0) or None
    except (TypeError, ValueError):
        assignment_id = None
    if assignment_id is None:
        return None
    link = AssignmentLink.objects.filter(course_link=course_link, assignment_id=assignment_id).first()
    if link is None:
        if not Assignment.objects.filter(pk=assignment_id, course=course_link.course).exists():
            return None  # a link copied from another course: land on this course's page
        link = AssignmentLink.objects.create(course_link=course_link, assignment_id=assignment_id)
    lineitem = (body.get(claims.AGS) or {}).get("lineitem") or ""
    if link.resource_link_id != resource_link.pk or (lineitem and link.lineitem_url != lineitem):
        link.resource_link = resource_link
        if lineitem and link.lineitem_url != lineitem:
            link.lineitem_url = lineitem
            ScoreSend.objects.filter(link=link).update(sent_points=None, status=ScoreSend.Status.PENDING)
        link.save()
    return assignment_id


# --- deep linking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    assignment: Assignment
    title: str
    max_points: float


def deep_link_place(
    *,
    course: Course,
    context: LtiContext,
    kind: str,
    target_id: int,
    points: float | None = None,
    due_at=None,
) -> Placement:
    """Place an existing assignment, or a new one-item assignment of an exercise or a quiz, in the LMS course."""
    course_link = CourseLink.objects.get(context=context, course=course)
    if kind == "assignment":
        assignment = course.assignments.filter(pk=target_id).first()
        if assignment is None:
            raise ValidationError(_("Choose an assignment of this course."))
    else:
        model = Exercise if kind == "exercise" else Quiz
        target = model.objects.filter(pk=target_id, is_active=True).first()
        if target is None:
            raise ValidationError(_("Choose an exercise or a quiz."))
        now = timezone.now()
        spec = course_assignments.ItemSpec(
            points=target.points if points is None else points,
            exercise=target if kind == "exercise" else None,
            quiz=target if kind == "quiz" else None,
        )
        assignment = course_assignments.assignment_create(
            course=course,
            title=target.title_en,
            opens_at=now - timedelta(minutes=1),
            due_at=due_at or now + timedelta(days=settings.LTI_PLACED_DUE_DAYS),
            items=[spec],
        )
    AssignmentLink.objects.get_or_create(course_link=course_link, assignment=assignment)
    return Placement(assignment=assignment, title=assignment.title, max_points=assignment.max_points)


# --- roster (Names and Role Provisioning Services) ---------------------------------------------------


@dataclass
class RosterReport:
    added: int = 0
    changed: int = 0
    removed: int = 0
    skipped: list[str] = field(default_factory=list)


def roster_sync(*, course_link: CourseLink) -> RosterReport:
    """Bring the course's members in step with the LMS roster: add, re-role, remove those the LMS dropped.

    Only memberships the LMS made are removed; members added in dlgrade stay. Raises ValidationError
    when the LMS offers no roster or cannot be reached (nothing changes then).
    """
    context = course_link.context
    registration = context.deployment.registration
    if not context.memberships_url:
        raise ValidationError(
            _("The LMS does not share this course's roster with dlgrade (Names and Role Provisioning Service).")
        )
    service = NamesRolesProvisioningService(
        CachedTokenConnector(registration), {"context_memberships_url": context.memberships_url}
    )
    try:
        members = service.get_members()
    except (requests.RequestException, LtiException, ValueError, KeyError) as error:
        log.warning("lti: roster of %s could not be read: %s", context, error)
        CourseLink.objects.filter(pk=course_link.pk).update(roster_message=str(error)[:1000])
        raise ValidationError(_("The LMS did not answer with the roster; try again later.")) from error
    report = RosterReport()
    course = course_link.course
    with transaction.atomic():
        for member in members:
            sub = member.get("user_id")
            if not sub:
                continue
            role = course_role(member.get("roles"))
            active = member.get("status", "Active") == "Active"
            if role is None:
                report.skipped.append(member.get("name") or sub)
                continue
            if not active:
                lti_user = (
                    LtiUser.objects.filter(registration=registration, sub=sub).select_related("auth_user").first()
                )
                membership = (
                    Membership.objects.filter(
                        course=course, user=lti_user.auth_user, source=Membership.Source.LMS
                    ).first()
                    if lti_user and lti_user.auth_user
                    else None
                )
                if membership is not None:
                    try:
                        course_services.membership_remove(membership=membership)
                        report.removed += 1
                    except ValidationError:
                        report.skipped.append(member.get("name") or sub)
                continue
            lti_user = lti_user_provision(registration=registration, sub=sub, person=member)
            before = (
                Membership.objects.filter(course=course, user=lti_user.auth_user).values_list("role", flat=True).first()
            )
            try:
                course_services.membership_set(
                    course=course, user=lti_user.auth_user, role=role, source=Membership.Source.LMS
                )
            except ValidationError:
                report.skipped.append(member.get("name") or sub)
                continue
            if before is None:
                report.added += 1
            elif before != role:
                report.changed += 1
        course_link.roster_synced_at = timezone.now()
        course_link.roster_message = ""
        course_link.save(update_fields=["roster_synced_at", "roster_message"])
    log.info("lti: roster of course %s synced: %s", course.pk, report)
    return report


# --- scores (Assignment and Grade Services) -------------------------------------------------------


def scores_refresh() -> int:
    """Compare every placed assignment's gradebook with what its LMS was sent; mark what changed as owed.

    The gradebook is the one the course pages show (best or last attempt, late penalty applied), so
    a new grade, a regrade, its rollback, an extension or a changed late policy all reach the LMS
    the same way. Students who have not started an assignment are not sent a zero. Returns how many
    scores became owed.
    """
    owed = 0
    now = timezone.now()
    links = list(AssignmentLink.objects.select_related("course_link__course", "course_link__context__deployment"))
    by_course: dict[int, list[AssignmentLink]] = {}
    for link in links:
        by_course.setdefault(link.course_link_id, []).append(link)
    for course_links in by_course.values():
        course_link = course_links[0].course_link
        registration_id = course_link.context.deployment.registration_id
        lti_users = {
            lu.auth_user_id: lu
            for lu in LtiUser.objects.filter(
                registration_id=registration_id,
                auth_user__course_memberships__course=course_link.course,
                auth_user__course_memberships__role=Membership.Role.STUDENT,
            )
        }
        if not lti_users:
            continue
        wanted = {link.assignment_id: link for link in course_links}
        assignments = [a for a in course_selectors.assignments_of(course=course_link.course) if a.pk in wanted]
        users = list(get_user_model().objects.filter(pk__in=lti_users))
        gradebook = course_selectors.course_gradebook(course=course_link.course, assignments=assignments, users=users)
        existing = {(s.link_id, s.user_id): s for s in ScoreSend.objects.filter(link__in=course_links)}
        for row in gradebook.rows:
            for cell in row.cells:
                link = wanted[cell.assignment.pk]
                score = existing.get((link.pk, row.user.pk))
                points, max_points = cell.points, cell.max_points
                if score is None:
                    if not cell.started:
                        continue
                    ScoreSend.objects.create(
                        link=link,
                        user=row.user,
                        lti_user=lti_users[row.user.pk],
                        points=points,
                        max_points=max_points,
                        changed_at=now,
                    )
                    owed += 1
                elif (score.points, score.max_points) != (points, max_points):
                    ScoreSend.objects.filter(pk=score.pk).update(
                        points=points,
                        max_points=max_points,
                        changed_at=now,
                        status=ScoreSend.Status.PENDING,
                        attempts=0,
                        next_attempt_at=None,
                    )
                    owed += 1
    return owed


def _due(now) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def scores_due(*, limit: int = 500) -> list[int]:
    """Owed scores whose next attempt is due, each leased to one send (the lease outlives a slow LMS)."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.LTI_SEND_LEASE_S)
    candidates = list(
        ScoreSend.objects.exclude(status=ScoreSend.Status.SENT).filter(_due(now)).values_list("pk", flat=True)[:limit]
    )
    return [pk for pk in candidates if ScoreSend.objects.filter(_due(now), pk=pk).update(next_attempt_at=lease)]


def _backoff_s(attempts: int) -> int:
    return int(min(settings.LTI_RETRY_MAX_S, settings.LTI_RETRY_BASE_S * 2 ** max(0, attempts - 1)))


class _LineItemGone(Exception):
    pass


def _ags(link: AssignmentLink, connector: CachedTokenConnector) -> AssignmentsGradesService:
    context = link.course_link.context
    scopes = [claims.SCOPE_SCORE]
    if context.can_query_lineitems:
        scopes.append(claims.SCOPE_LINEITEM_READ)
    if context.can_manage_lineitems:
        scopes.append(claims.SCOPE_LINEITEM)
    return AssignmentsGradesService(
        connector, {"scope": scopes, "lineitems": context.lineitems_url, "lineitem": link.lineitem_url}
    )


def _line_item(link: AssignmentLink, ags: AssignmentsGradesService, *, replace: bool) -> str:
    """The line item URL of a placed assignment: found by its resourceId, or made again when the LMS lost it."""
    context = link.course_link.context
    if not replace and context.can_query_lineitems and context.lineitems_url:
        found = ags.find_lineitem_by_resource_id(link.resource_id)
        if found is not None and found.get_id():
            return found.get_id()
    if not (context.can_manage_lineitems and context.lineitems_url):
        raise _LineItemGone()
    item = (
        LineItem()
        .set_label(link.assignment.title)
        .set_score_maximum(link.assignment.max_points or 1)
        .set_resource_id(link.resource_id)
        .set_tag("dlgrade")
    )
    if link.resource_link is not None:
        item.set_resource_link_id(link.resource_link.id_on_platform)
    return ags.find_or_create_lineitem(item, find_by="resource_id").get_id()


def _set_line_item(link: AssignmentLink, url: str) -> None:
    """Point the placed assignment at another line item; every score is owed to it again."""
    log.warning("lti: assignment %s now sends to line item %s (was %r)", link.assignment_id, url, link.lineitem_url)
    AssignmentLink.objects.filter(pk=link.pk).update(lineitem_url=url)
    ScoreSend.objects.filter(link=link).update(sent_points=None, sent_max_points=None, status=ScoreSend.Status.PENDING)
    link.lineitem_url = url


def score_send(*, score_id: int) -> str:
    """Post one owed score to its LMS line item; record the outcome and, after a failure, when to try again.

    Idempotent: a score the LMS already has is not sent again, and every post carries the time the
    score changed, so an LMS keeps the newest one whatever order posts arrive in. The database, not
    the broker, holds what is owed: a lost task, a restarted worker or an LMS down for a day only
    delay a score. Returns the status recorded.
    """
    score = (
        ScoreSend.objects.select_related(
            "lti_user",
            "link__assignment",
            "link__resource_link",
            "link__course_link__context__deployment__registration",
        )
        .filter(pk=score_id)
        .first()
    )
    if score is None:
        return "gone"
    if not score.is_owed:
        ScoreSend.objects.filter(pk=score.pk).update(status=ScoreSend.Status.SENT, next_attempt_at=None)
        return ScoreSend.Status.SENT
    link = score.link
    registration = link.course_link.context.deployment.registration
    connector = CachedTokenConnector(registration)
    ags = _ags(link, connector)
    grade = (
        Grade()
        .set_score_given(max(0.0, score.points))
        .set_score_maximum(score.max_points)
        .set_timestamp(score.changed_at.isoformat(timespec="milliseconds"))
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(score.lti_user.sub)
    )
    try:
        if not link.lineitem_url:
            _set_line_item(link, _line_item(link, ags, replace=False))
            ags = _ags(link, connector)
        try:
            ags.put_grade(grade)
        except LtiServiceException as error:
            status = error.response.status_code
            if status == 401:  # a cached token the LMS no longer accepts: once more with a new one
                connector.forget_token(ags._service_data["scope"])
                ags.put_grade(grade)
            elif status in (404, 410):  # the line item was deleted in the LMS
                _set_line_item(link, _line_item(link, ags, replace=True))
                _ags(link, connector).put_grade(grade)
            else:
                raise
    except _LineItemGone:
        return _score_failed(
            score, ScoreSend.Status.LINE_ITEM_MISSING, "the line item is gone and cannot be made again"
        )
    except LtiServiceException as error:
        code = error.response.status_code
        status = ScoreSend.Status.RETRYING if code in (401, 408, 425, 429) or code >= 500 else ScoreSend.Status.REFUSED
        return _score_failed(score, status, f"HTTP {code} from {error.response.url}: {error.response.text[:300]}")
    except (requests.RequestException, LtiException, ValueError, KeyError) as error:
        return _score_failed(score, ScoreSend.Status.RETRYING, f"{type(error).__name__}: {error}"[:1000])
    updated = ScoreSend.objects.filter(pk=score.pk, points=score.points, max_points=score.max_points).update(
        sent_points=score.points,
        sent_max_points=score.max_points,
        sent_at=timezone.now(),
        status=ScoreSend.Status.SENT,
        attempts=0,
        last_error="",
        next_attempt_at=None,
    )
    if not updated:  # the score changed while it was being sent: the newer one is owed
        ScoreSend.objects.filter(pk=score.pk).update(next_attempt_at=None)
        return ScoreSend.Status.PENDING
    log.info("lti: sent %s/%s for user %s to %s", score.points, score.max_points, score.user_id, link.lineitem_url)
    return ScoreSend.Status.SENT


def _score_failed(score: ScoreSend, status: str, message: str) -> str:
    attempts = score.attempts + 1
    wait = _backoff_s(attempts) if status == ScoreSend.Status.RETRYING else settings.LTI_RETRY_MAX_S
    log.warning(
        "lti: score %s (user %s, assignment %s) not sent, attempt %s, next in %s s: %s",
        score.pk,
        score.user_id,
        score.link.assignment_id,
        attempts,
        wait,
        message,
    )
    ScoreSend.objects.filter(pk=score.pk).update(
        status=status,
        attempts=attempts,
        last_error=message[:2000],
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
    )
    return status


def score_resend(*, course_link: CourseLink) -> int:
    """Send every score of a course again now (an instructor asked, e.g. after fixing the LMS side)."""
    return (
        ScoreSend.objects.filter(link__course_link=course_link)
        .exclude(status=ScoreSend.Status.SENT)
        .update(next_attempt_at=None, attempts=0)
    )
