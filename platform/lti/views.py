"""LTI endpoints: the tool's keys and configuration, login initiation, launch, the resume link, deep
linking, and the course page where staff sync the roster and see every score sent to the LMS."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import LtiContext, LtiUser
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from catalog.selectors import exercises_for_namespace
from courses.access import INSTRUCTOR, STAFF, course_context, course_view
from courses.content.selectors import course_namespace
from courses.models import Membership
from lti import claims, keys, selectors, services
from lti.middleware import FRAME_SESSION_KEY, allow_framing
from lti.tool import MessageLaunch, OidcLogin
from quizzes.selectors import quizzes_for_namespace

log = logging.getLogger(__name__)
RESUME_TTL_S = 300
LAUNCH_SESSION_KEY = "lti_launch_id"

# What the person in front of the LMS is told; staff find the detail in the log.
REFUSALS = {
    "expired": gettext_noop(
        "The LMS's sign-in for this page has expired. Go back to your course in the LMS and open the activity again."
    ),
    "replay": gettext_noop(
        "This launch was already used or has expired. Open the activity again from your course in the LMS."
    ),
    "unknown_platform": gettext_noop(
        "dlgrade does not know this LMS. Ask your LMS administrator to register dlgrade first."
    ),
    "unknown_deployment": gettext_noop(
        "dlgrade does not know this installation of the tool in your LMS. Ask an administrator to add its deployment ID in dlgrade."
    ),
    "signature": gettext_noop(
        "The LMS's sign-in could not be verified. Open the activity again; if it keeps happening, tell your LMS administrator."
    ),
    "platform_unreachable": gettext_noop(
        "dlgrade could not reach your LMS to verify the sign-in. Try again in a minute."
    ),
    "claims": gettext_noop("The LMS's launch lacks information dlgrade needs. Tell your LMS administrator."),
    "role": gettext_noop(
        "Your role in this course does not give access to dlgrade: students, teaching assistants and instructors can use it."
    ),
    "context": gettext_noop("Open dlgrade from inside a course in your LMS."),
    "course_not_ready": gettext_noop(
        "Your instructor has not set dlgrade up for this course yet. Ask them to open it once from the LMS."
    ),
    "staff_only": gettext_noop("Only the course's instructors can add dlgrade activities."),
    "inactive": gettext_noop("Your dlgrade account is deactivated. Contact the course staff."),
    "resume_expired": gettext_noop(
        "This link has expired or was already used. Open the activity again from your course in the LMS."
    ),
    "deep_link_missing": gettext_noop("This page needs a fresh request from your LMS: add the activity again there."),
}


def _reason_of(error: Exception) -> str:
    text = str(error)
    for needle, reason in (
        ("is missing the", "claims"),
        ("has expired", "expired"),
        ("State not found", "replay"),
        ("Missing state", "replay"),
        ("Invalid Nonce", "replay"),
        ("nonce", "replay"),
        ("Registration not found", "unknown_platform"),
        ("Could not find registration", "unknown_platform"),
        ("Client id not registered", "unknown_platform"),
        ("Unable to find deployment", "unknown_deployment"),
        ("Error during fetch URL", "platform_unreachable"),
        ("Invalid response from", "platform_unreachable"),
        ("decode id_token", "signature"),
        ("public key", "signature"),
        ("JWT", "signature"),
        ("id_token", "signature"),
    ):
        if needle in text:
            return reason
    return "claims"


def _refused(request, reason: str, detail: str, *, claimed: dict | None = None, status: int = 400):
    claimed = claimed or {}
    log.warning(
        "lti: refused %s (%s): %s [claimed iss=%r aud=%r deployment=%r sub=%r]",
        request.path,
        reason,
        detail,
        claimed.get("iss") or request.POST.get("iss") or request.GET.get("iss"),
        claimed.get("aud") or request.POST.get("client_id") or request.GET.get("client_id"),
        claimed.get(claims.DEPLOYMENT_ID)
        or request.POST.get("lti_deployment_id")
        or request.GET.get("lti_deployment_id"),
        claimed.get("sub"),
    )
    response = render(
        request,
        "lti/error.html",
        {"message": _(REFUSALS.get(reason, REFUSALS["claims"])), "reason": reason},
        status=status,
    )
    allow_framing(response, selectors.registered_origins())
    return response


def _login(request, user, origins: list[str], launch_id: str | None) -> None:
    # The last backend is the one that loads users by id (ModelBackend or a subclass such as allauth's).
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    request.session[FRAME_SESSION_KEY] = origins
    if launch_id:
        request.session[LAUNCH_SESSION_KEY] = launch_id


# --- the tool's public face ------------------------------------------------------------------------


@require_GET
def jwks(request):
    response = JsonResponse(keys.jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def tool_configuration(request):
    """The tool's configuration in the JSON that Canvas imports ("Paste JSON" / "Enter URL")."""
    launch_url = request.build_absolute_uri(reverse("lti:launch"))
    placement = {"message_type": "LtiDeepLinkingRequest", "target_link_uri": launch_url}
    return JsonResponse(
        {
            "title": "dlgrade",
            "description": _("Auto-graded NumPy exercises and quizzes on deep-learning fundamentals."),
            "oidc_initiation_url": request.build_absolute_uri(reverse("lti:login")),
            "target_link_uri": launch_url,
            "public_jwk_url": request.build_absolute_uri(reverse("lti:jwks")),
            "scopes": [
                claims.SCOPE_LINEITEM,
                claims.SCOPE_LINEITEM_READ,
                claims.SCOPE_RESULT,
                claims.SCOPE_SCORE,
                claims.SCOPE_NRPS,
            ],
            "extensions": [
                {
                    "platform": "canvas.instructure.com",
                    "domain": request.get_host(),
                    "privacy_level": "public",
                    "settings": {
                        "placements": [
                            {"placement": "link_selection", **placement},
                            {"placement": "assignment_selection", **placement},
                        ]
                    },
                }
            ],
            "custom_fields": {},
        },
        json_dumps_params={"indent": 2},
    )


# --- launch ------------------------------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "POST"])
def oidc_login(request):
    """Third-party initiated login: the LMS sends the browser here first; it goes on to the LMS's sign-in."""
    try:
        response = OidcLogin(request).redirect_to_platform(request.build_absolute_uri(reverse("lti:launch")))
    except (OIDCException, LtiException) as error:
        return _refused(request, _reason_of(error), str(error))
    return response


@csrf_exempt
@require_POST
def launch(request):
    """The LMS posts the signed id_token here: validated, then the user and course are provisioned or matched."""
    message = MessageLaunch(request)
    try:
        message.validate()
        landing = services.launch_accept(launch=message)
    except LtiException as error:
        return _refused(request, _reason_of(error), str(error), claimed=message._jwt.get("body", {}))
    except services.LaunchRefused as error:
        return _refused(request, error.reason, error.detail, claimed=message._jwt.get("body", {}), status=403)
    origins = selectors.registration_origins(message.registration_model)
    if landing.kind == "deep_link":
        target = reverse("lti:deep-link")
    elif landing.assignment_id is not None:
        target = reverse("courses:assignment-detail", args=[landing.course.pk, landing.assignment_id])
    elif landing.role == Membership.Role.STUDENT:
        target = reverse("courses:course-detail", args=[landing.course.pk])
    else:
        target = reverse("lti:course", args=[landing.course.pk])
    _login(request, landing.user, origins, message.get_launch_id())
    token = secrets.token_urlsafe(32)
    cache.set(
        f"lti:resume:{token}",
        {"user": landing.user.pk, "target": target, "origins": origins, "launch": message.get_launch_id()},
        RESUME_TTL_S,
    )
    log.info(
        "lti: %s launch of user %s into course %s (%s, browser-bound=%s)",
        landing.kind,
        landing.user.pk,
        landing.course.pk,
        landing.role,
        message.browser_bound,
    )
    return redirect(reverse("lti:resume", args=[token]) + "?check=1")


@require_GET
def resume(request, token: str):
    """Where a launch lands. With the session cookie (the browser kept it): on to the page. Without it
    (a frame whose cookies the browser blocks): a button that opens this link in a window of its own,
    where it signs the user in once."""
    key = f"lti:resume:{token}"
    data = cache.get(key)
    if data is None:
        return _refused(request, "resume_expired", "unknown or used resume token", status=410)
    if request.GET.get("check"):
        if request.user.is_authenticated and request.user.pk == data["user"]:
            cache.delete(key)
            return redirect(data["target"])
        response = render(request, "lti/new_window.html", {"url": reverse("lti:resume", args=[token])})
        allow_framing(response, data["origins"])
        return response
    if not cache.delete(key):
        return _refused(request, "resume_expired", "resume token used twice at once", status=410)
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return _refused(request, "inactive", f"user {data['user']} is gone or inactive", status=403)
    _login(request, user, data["origins"], data.get("launch"))
    return redirect(data["target"])


# --- deep linking ------------------------------------------------------------------------------------


def _deep_link_launch(request):
    """The deep-linking launch this session came from, its LMS course, and the user's role there."""
    launch_id = request.session.get(LAUNCH_SESSION_KEY)
    if not launch_id:
        return None
    try:
        message = MessageLaunch.restore(request, launch_id)
    except LtiException:
        return None
    if not message.is_deep_link_launch():
        return None
    body = message.get_launch_data()
    owner = LtiUser.objects.filter(registration=message.registration_model, sub=body.get("sub")).first()
    if owner is None or owner.auth_user_id != request.user.pk:
        return None
    context = LtiContext.objects.filter(
        deployment__registration=message.registration_model,
        deployment__deployment_id=body.get(claims.DEPLOYMENT_ID),
        id_on_platform=(body.get(claims.CONTEXT) or {}).get("id"),
    ).first()
    link = getattr(context, "dlgrade_link", None) if context else None
    if link is None:
        return None
    membership = Membership.objects.filter(course=link.course, user=request.user).first()
    if membership is None or not membership.is_staff_role:
        return None
    return message, context, link.course


def _parse_due(value: str) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValidationError(_("Give the due date as YYYY-MM-DD HH:MM."))
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _deep_link_choices(course, language: str) -> list[tuple[str, list[tuple[str, str, float]]]]:
    assignments = course.assignments.prefetch_related("items").order_by("due_at", "pk")
    exercises = exercises_for_namespace(namespace=course_namespace(course)).order_by("topic", "order", "slug")
    quizzes = quizzes_for_namespace(namespace=course_namespace(course)).order_by("topic", "slug")
    return [
        (_("Assignments of this course"), [(f"assignment:{a.pk}", a.title, a.max_points) for a in assignments]),
        (_("Exercises"), [(f"exercise:{e.pk}", e.title(language), e.points) for e in exercises]),
        (_("Quizzes"), [(f"quiz:{q.pk}", q.title(language), q.points) for q in quizzes]),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def deep_link(request):
    """An instructor picks an exercise, a quiz or an assignment; it goes back to the LMS as a graded item."""
    found = _deep_link_launch(request)
    if found is None:
        return _refused(request, "deep_link_missing", f"no deep-linking launch in the session of {request.user.pk}")
    message, context, course = found
    settings_claim = message.get_launch_data().get(claims.DEEP_LINKING) or {}
    origins = request.session.get(FRAME_SESSION_KEY) or []
    error = ""
    if request.method == "POST":
        kind, _sep, target = request.POST.get("item", "").partition(":")
        try:
            if kind not in ("assignment", "exercise", "quiz") or not target.isdigit():
                raise ValidationError(_("Choose what to add."))
            points = request.POST.get("points", "").strip()
            placement = services.deep_link_place(
                course=course,
                context=context,
                kind=kind,
                target_id=int(target),
                points=float(points) if points else None,
                due_at=_parse_due(request.POST.get("due_at", "").strip()),
            )
        except (ValidationError, ValueError) as problem:
            error = problem.messages[0] if isinstance(problem, ValidationError) else _("Points must be a number.")
        else:
            resource = (
                DeepLinkResource()
                .set_url(request.build_absolute_uri(reverse("lti:launch")))
                .set_title(placement.title)
                .set_custom_params({"dlgrade_assignment": str(placement.assignment.pk)})
                .set_lineitem(
                    LineItem()
                    .set_score_maximum(placement.max_points)
                    .set_label(placement.title)
                    .set_resource_id(f"dlgrade-assignment-{placement.assignment.pk}")
                    .set_tag("dlgrade")
                )
            )
            jwt_value = message.get_deep_link().get_response_jwt([resource])
            return_url = settings_claim["deep_link_return_url"]
            log.info("lti: placed assignment %s of course %s in %s", placement.assignment.pk, course.pk, context)
            response = render(
                request,
                "lti/deep_link_return.html",
                {"return_url": return_url, "jwt": jwt_value, "title": placement.title},
            )
            allow_framing(response, origins, form_action=[selectors.origin_of(return_url)])
            return response
    response = render(
        request,
        "lti/deep_link.html",
        {
            "course": course,
            "choices": _deep_link_choices(course, request.LANGUAGE_CODE),
            "error": error,
        },
        status=400 if error else 200,
    )
    allow_framing(response, origins)
    return response


# --- the course's LMS page ------------------------------------------------------------------------


@course_view(STAFF)
@require_GET
def course_lms(request, course):
    link = selectors.course_link_of(course=course)
    table = selectors.score_table(course_link=link) if link else None
    return render(request, "lti/course.html", course_context(request, course, link=link, table=table, tab="lms"))


@course_view(INSTRUCTOR)
@require_POST
def roster_sync_view(request, course):
    link = selectors.course_link_of(course=course)
    if link is None:
        raise Http404("The course is not linked to an LMS")
    try:
        report = services.roster_sync(course_link=link)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Roster synced from the LMS: %(added)s added, %(changed)s with a new role, %(removed)s removed.")
            % {"added": report.added, "changed": report.changed, "removed": report.removed},
        )
        if report.skipped:
            messages.info(
                request,
                _("Left out (no student, TA or instructor role): %(names)s")
                % {"names": ", ".join(report.skipped[:20])},
            )
    return redirect("lti:course", course_id=course.pk)


@course_view(INSTRUCTOR)
@require_POST
def scores_resend_view(request, course):
    link = selectors.course_link_of(course=course)
    if link is None:
        raise Http404("The course is not linked to an LMS")
    count = services.score_resend(course_link=link)
    messages.success(request, _("%(n)s scores will be sent again within a minute.") % {"n": count})
    return redirect("lti:course", course_id=course.pk)
