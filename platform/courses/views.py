from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.adapter import client_ip
from catalog.selectors import exercise_get_active
from config import ratelimit
from courses import assignments, enrolment, invitations, selectors, services
from courses.access import INSTRUCTOR, MEMBER, STAFF, course_context, course_view
from courses.exports import gradebook_csv
from courses.forms import (
    AssignmentForm,
    CourseForm,
    EnrolCsvForm,
    ExtensionForm,
    InviteForm,
    JoinForm,
    JoinPolicyForm,
    TimeZoneForm,
    time_zone_names,
)
from courses.models import Extension, Invitation, Membership
from graders.verdict import Verdict


def _too_fast(request, key: str) -> bool:
    """Count one invitation action of this instructor (or address); True once over DLGRADE_INVITATION_RATE."""
    if ratelimit.hit(f"invitations:{key}", ratelimit.Limit.parse(settings.INVITATION_RATE)):
        messages.error(request, _("Too many invitations in a short time; try again later."))
        return True
    return False


def _assignment_or_404(course, assignment_id: int):
    assignment = selectors.assignment_get(course=course, assignment_id=assignment_id)
    if assignment is None:
        raise Http404("No such assignment")
    return assignment


# --- courses ------------------------------------------------------------------------------------


@login_required
@require_GET
def course_list(request):
    memberships = selectors.memberships_of(user=request.user)
    return render(
        request,
        "courses/course_list.html",
        {
            "teaching": [m for m in memberships if m.is_staff_role],
            "learning": [m for m in memberships if not m.is_staff_role],
            "join_form": JoinForm(),
            "can_create": selectors.user_can_create_courses(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create_view(request):
    if not selectors.user_can_create_courses(user=request.user):
        raise PermissionDenied
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Course created. Enrol students from a CSV or share the join code."))
            return redirect("courses:member-list", course_id=course.pk)
    return render(request, "courses/course_form.html", {"form": form})


@login_required
@require_POST
def course_join_view(request):
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            membership, created = services.membership_join(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            if created:
                messages.success(request, _("You joined %(course)s.") % {"course": membership.course.title})
            else:
                messages.info(request, _("You are already in %(course)s.") % {"course": membership.course.title})
            return redirect("courses:course-detail", course_id=membership.course_id)
    else:
        messages.error(request, _("Enter the join code your instructor gave you."))
    return redirect("courses:course-list")


@require_GET
def course_join_link_view(request, code: str):
    """A course's join link: sign up or sign in first if needed, then one button joins (never a bare GET)."""
    course = services.course_by_join_code(code=code)
    context = {"course": course, "code": code}
    if course is not None and request.user.is_authenticated:
        membership = Membership.objects.filter(course=course, user=request.user).first()
        if membership is not None:
            return redirect("courses:course-detail", course_id=course.pk)
    if not request.user.is_authenticated:
        back = urlencode({"next": request.get_full_path()})
        context["signup_url"] = f"{reverse('account_signup')}?{back}"
        context["login_url"] = f"{reverse('account_login')}?{back}"
    return render(request, "courses/join.html", context, status=200 if course else 404)


@course_view(MEMBER)
@require_GET
def course_detail(request, course):
    assignments = selectors.assignments_of(course=course)
    if request.membership.is_staff_role:
        return render(
            request,
            "courses/course_staff.html",
            course_context(
                request,
                course,
                assignments=assignments,
                students=len(selectors.students_of(course=course)),
                now=timezone.now(),
            ),
        )
    views = [selectors.student_assignment(assignment=a, user=request.user) for a in assignments]
    return render(request, "courses/course_student.html", course_context(request, course, assignment_views=views))


@course_view(INSTRUCTOR)
@require_POST
def course_time_zone_view(request, course):
    form = TimeZoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a time zone from the list."))
        services.course_time_zone_set(course=course, time_zone=form.cleaned_data["time_zone"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Deadlines are now shown in %(zone)s.") % {"zone": course.zone.key})
    return redirect("courses:member-list", course_id=course.pk)


@course_view(INSTRUCTOR)
@require_POST
def course_join_code_view(request, course):
    action = request.POST.get("action")
    if action == "reset":
        services.course_join_code_reset(course=course)
        messages.success(
            request, _("New join code: %(code)s. The old one no longer works.") % {"code": course.join_code}
        )
    elif action in ("open", "close"):
        services.course_join_open_set(course=course, join_open=action == "open")
    elif action == "policy":
        form = JoinPolicyForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Check the join settings."))
            services.course_join_policy_set(course=course, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Join settings saved."))
    return redirect("courses:member-list", course_id=course.pk)


# --- members ------------------------------------------------------------------------------------


def _members_page(request, course, *, form=None, report=None, status=200):
    memberships = (
        Membership.objects.filter(course=course)
        .select_related("user")
        .order_by("role", "user__last_name", "user__username")
    )
    return render(
        request,
        "courses/members.html",
        course_context(
            request,
            course,
            memberships=memberships,
            form=form or EnrolCsvForm(),
            report=report,
            invitations=course.invitations.select_related("user").order_by("state", "email"),
            invite_form=InviteForm(),
            join_url=request.build_absolute_uri(reverse("courses:course-join-link", args=[course.join_code])),
            time_zones=time_zone_names(),
        ),
        status=status,
    )


@course_view(STAFF)
@require_GET
def member_list(request, course):
    return _members_page(request, course)


@course_view(INSTRUCTOR)
@require_POST
def member_enrol_view(request, course):
    form = EnrolCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return _members_page(request, course, form=form, status=400)
    # Read one byte more than the limit: a larger file is refused without being read whole.
    data = form.cleaned_data["file"].read(enrolment.MAX_CSV_BYTES + 1)
    if _too_fast(request, f"user:{request.user.pk}"):
        return _members_page(request, course, status=429)
    report = enrolment.membership_enrol_csv(course=course, data=data, invited_by=request.user)
    return _members_page(request, course, form=EnrolCsvForm(), report=report, status=200 if report.ok else 400)


@course_view(INSTRUCTOR)
@require_POST
def member_invite_view(request, course):
    """Add a TA or co-instructor (or a student) by email: enrolled if they have an account, else invited."""
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid email address and a role."))
        return redirect("courses:member-list", course_id=course.pk)
    if _too_fast(request, f"user:{request.user.pk}"):
        return redirect("courses:member-list", course_id=course.pk)
    report = enrolment.membership_add_by_email(course=course, invited_by=request.user, **form.cleaned_data)
    return _members_page(request, course, report=report, status=200 if not report.errors else 400)


def _invitation_or_404(course, invitation_id: int) -> Invitation:
    invitation = course.invitations.filter(pk=invitation_id).select_related("course", "user").first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


@course_view(INSTRUCTOR)
@require_POST
def invitation_resend_view(request, course, invitation_id: int):
    invitation = _invitation_or_404(course, invitation_id)
    if not _too_fast(request, f"user:{request.user.pk}"):
        try:
            invitations.invitation_resend(invitation=invitation)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("A new link is on its way to %(email)s; the old one no longer works.") % {"email": invitation.email},
            )
    return redirect("courses:member-list", course_id=course.pk)


@course_view(INSTRUCTOR)
@require_POST
def invitation_revoke_view(request, course, invitation_id: int):
    invitation = _invitation_or_404(course, invitation_id)
    try:
        invitations.invitation_revoke(invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The invitation of %(email)s was revoked.") % {"email": invitation.email})
    return redirect("courses:member-list", course_id=course.pk)


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token: str):
    """The invitee's one-time link: choose a password, be signed in, land in the course."""
    invitation = invitations.invitation_for_token(token=token)
    if invitation is None:
        return render(request, "courses/invitation.html", {"invitation": None}, status=404)
    error = ""
    if request.method == "POST":
        if _too_fast(request, f"address:{client_ip(request)}"):
            return render(request, "courses/invitation.html", {"invitation": invitation}, status=429)
        try:
            user = invitations.invitation_accept(
                invitation=invitation,
                password=request.POST.get("password1", ""),
                password_again=request.POST.get("password2", ""),
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, _("Welcome to %(course)s.") % {"course": invitation.course.title})
            return redirect("courses:course-detail", course_id=invitation.course_id)
    # The token in the URL never leaves the site: the site-wide Referrer-Policy is same-origin.
    return render(
        request, "courses/invitation.html", {"invitation": invitation, "error": error}, status=400 if error else 200
    )


@course_view(INSTRUCTOR)
@require_POST
def member_remove_view(request, course, membership_id: int):
    membership = Membership.objects.filter(course=course, pk=membership_id).select_related("user", "course").first()
    if membership is None:
        raise Http404("No such member")
    try:
        services.membership_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(user)s was removed from the course.") % {"user": membership.user.username})
    return redirect("courses:member-list", course_id=course.pk)


# --- assignments ---------------------------------------------------------------------------------


def _save_assignment(request, course, form, assignment=None):
    try:
        if assignment is None:
            assignment = assignments.assignment_create(course=course, **form.service_arguments())
        else:
            assignment = assignments.assignment_update(assignment=assignment, **form.service_arguments())
    except ValidationError as error:
        form.add_error(None, error)
        return None
    return assignment


@course_view(INSTRUCTOR)
@require_http_methods(["GET", "POST"])
def assignment_create_view(request, course):
    form = AssignmentForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        assignment = _save_assignment(request, course, form)
        if assignment is not None:
            messages.success(request, _("Assignment created."))
            return redirect("courses:assignment-detail", course_id=course.pk, assignment_id=assignment.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "courses/assignment_form.html", course_context(request, course, form=form), status=status)


@course_view(INSTRUCTOR)
@require_http_methods(["GET", "POST"])
def assignment_update_view(request, course, assignment_id: int):
    assignment = _assignment_or_404(course, assignment_id)
    form = AssignmentForm(request.POST or None, assignment=assignment, course=course)
    if request.method == "POST" and form.is_valid() and _save_assignment(request, course, form, assignment):
        messages.success(request, _("Assignment saved; submissions already made were judged again."))
        return redirect("courses:assignment-detail", course_id=course.pk, assignment_id=assignment.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "courses/assignment_form.html",
        course_context(request, course, form=form, assignment=assignment),
        status=status,
    )


@course_view(MEMBER)
@require_GET
def assignment_detail(request, course, assignment_id: int):
    assignment = _assignment_or_404(course, assignment_id)
    if request.membership.is_staff_role:
        students = selectors.students_of(course=course)
        return render(
            request,
            "courses/assignment_staff.html",
            course_context(
                request,
                course,
                assignment=assignment,
                extensions=assignment.extensions.select_related("user", "granted_by"),
                extension_form=ExtensionForm(students=students),
            ),
        )
    view = selectors.student_assignment(assignment=assignment, user=request.user)
    return render(request, "courses/assignment_student.html", course_context(request, course, view=view))


@course_view(MEMBER)
@require_GET
def assignment_banner_view(request, course, assignment_id: int, slug: str):
    """The "Counts for" box of an exercise opened from this assignment (the URL pages loaded before kept)."""
    exercise = exercise_get_active(slug=slug, user=request.user)
    if exercise is None or not course.assignments.filter(pk=assignment_id).exists():
        raise Http404("No such assignment")
    targets = selectors.credit_targets_for(user=request.user, exercise_ids=[exercise.pk], assignment_id=assignment_id)
    targets = targets.get(exercise.pk, [])
    if not any(target.is_target for target in targets):
        raise Http404("No such assignment")
    return render(
        request,
        "submissions/_counts_for.html",
        {"targets": targets, "exercise": exercise, "assignment_id": assignment_id},
    )


@course_view(STAFF)
@require_POST
def extension_grant_view(request, course, assignment_id: int):
    assignment = _assignment_or_404(course, assignment_id)
    form = ExtensionForm(request.POST, students=selectors.students_of(course=course))
    if form.is_valid():
        try:
            assignments.extension_grant(
                assignment=assignment,
                user=form.cleaned_data["user"],
                due_at=form.cleaned_data["due_at"],
                reason=form.cleaned_data["reason"],
                granted_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Extension granted."))
    else:
        messages.error(request, _("Choose a student and a new due date."))
    return redirect("courses:assignment-detail", course_id=course.pk, assignment_id=assignment.pk)


@course_view(STAFF)
@require_POST
def extension_revoke_view(request, course, assignment_id: int, extension_id: int):
    extension = Extension.objects.filter(
        pk=extension_id, assignment_id=assignment_id, assignment__course=course
    ).first()
    if extension is None:
        raise Http404("No such extension")
    assignments.extension_revoke(extension=extension)
    messages.success(request, _("Extension removed."))
    return redirect("courses:assignment-detail", course_id=course.pk, assignment_id=assignment_id)


# --- gradebook and students ----------------------------------------------------------------------


@course_view(STAFF)
@require_GET
def gradebook_view(request, course):
    gradebook = selectors.course_gradebook(course=course)
    per_item = request.GET.get("items") == "1"  # a column per exercise and quiz beside each assignment
    return render(
        request, "courses/gradebook.html", course_context(request, course, gradebook=gradebook, per_item=per_item)
    )


@course_view(STAFF)
@require_GET
def gradebook_csv_view(request, course):
    gradebook = selectors.course_gradebook(course=course)
    response = HttpResponse(gradebook_csv(gradebook), content_type="text/csv; charset=utf-8")
    filename = f"{course.slug}-gradebook-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@course_view(MEMBER)
@require_GET
def student_detail(request, course, user_id: int):
    """Every submission and quiz try of one student judged for the course, with what each counted for."""
    is_staff = request.membership.is_staff_role
    if not is_staff and user_id != request.user.pk:
        raise Http404("No such student")
    student = get_user_model().objects.filter(pk=user_id, course_memberships__course=course).first()
    if student is None:
        raise Http404("No such student")
    gradebook = selectors.course_gradebook(course=course, users=[student])
    work = selectors.student_course_work(course=course, user=student)
    for entry in work:
        if entry.submission is not None:
            verdict = Verdict.from_dict(entry.submission.verdict) if entry.submission.verdict else None
            entry.verdict_view = verdict if (verdict is None or is_staff) else verdict.public()
    return render(
        request,
        "courses/student_detail.html",
        course_context(
            request,
            course,
            student=student,
            row=gradebook.rows[0],
            assignments=gradebook.assignments,
            work=work,
            submission_count=sum(1 for entry in work if entry.submission is not None),
            quiz_try_count=sum(1 for entry in work if entry.quiz_attempt is not None),
            is_staff=is_staff,
        ),
    )


# --- regrades ------------------------------------------------------------------------------------
