"""The course content pages: the repository and its pull, each bundle's versions (exercises and quizzes), a
version's preview and publishing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.rendering import render_statement
from courses.access import INSTRUCTOR, course_context, course_view
from courses.content import selectors, services
from courses.models import ContentRepository, ContentVersion


@course_view(INSTRUCTOR)
@require_http_methods(["GET", "POST"])
def content_view(request, course):
    repository = selectors.repository_of(course)
    if request.method == "POST":
        try:
            services.repository_save(
                course=course, git_url=request.POST.get("git_url", ""), branch=request.POST.get("branch", "")
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Repository saved: pull it to check its exercises and quizzes."))
        return redirect("courses:content", course_id=course.pk)
    context = course_context(
        request,
        course,
        repository=repository,
        bundles=selectors.versions_by_bundle(repository) if repository else [],
        webhook_url=(
            request.build_absolute_uri(reverse("courses:content-webhook") + f"?token={repository.webhook_token}")
            if repository
            else ""
        ),
    )
    return render(request, "courses/content.html", context)


@course_view(INSTRUCTOR)
@require_POST
def content_sync_view(request, course):
    repository = selectors.repository_of(course)
    if repository is None:
        raise Http404("No content repository")
    services.repository_enqueue(repository=repository)
    messages.success(
        request, _("Pulling the repository: its exercises and quizzes are being checked. Reload to see the result.")
    )
    return redirect("courses:content", course_id=course.pk)


def _version_or_404(course, version_id: int) -> ContentVersion:
    version = ContentVersion.objects.filter(repository__course=course, pk=version_id).first()
    if version is None:
        raise Http404("No such version")
    return version


@course_view(INSTRUCTOR)
@require_GET
def content_version_view(request, course, version_id: int):
    version = _version_or_404(course, version_id)
    preview = version.preview or {}
    statements = {lang: render_statement(text) for lang, text in preview.get("statement", {}).items()}
    quiz_previews = (
        selectors.quiz_version_preview(version)
        if version.kind == ContentVersion.Kind.QUIZ and version.status != ContentVersion.Status.FAILED
        else None
    )
    return render(
        request,
        "courses/content_version.html",
        course_context(
            request, course, version=version, preview=preview, statements=statements, quiz_previews=quiz_previews
        ),
    )


@course_view(INSTRUCTOR)
@require_POST
def content_publish_view(request, course, version_id: int):
    version = _version_or_404(course, version_id)
    try:
        published = services.version_publish(version=version, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("courses:content-version", course_id=course.pk, version_id=version.pk)
    messages.success(
        request, _("Published: students of this course now see %(slug)s in its assignments.") % {"slug": published.slug}
    )
    return redirect("courses:content", course_id=course.pk)


@csrf_exempt
@require_POST
def content_webhook_view(request):
    """A git host's push webhook: the token in the URL names the repository; the body is not read."""
    repository = ContentRepository.objects.filter(webhook_token=request.GET.get("token", "") or "-").first()
    if repository is None:
        raise Http404("Unknown token")
    services.repository_enqueue(repository=repository)
    return HttpResponse(status=202)
