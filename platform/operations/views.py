"""Thin views of operations: health and readiness for orchestrators, metrics for Prometheus, the staff status page."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from prometheus_client import CONTENT_TYPE_LATEST

from operations import selectors, services
from operations.metrics import exposition


@never_cache
@require_GET
def healthz(request):
    """The process is alive and answers (no dependency checked: a restart would not fix one)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Ready to grade: database, broker, and a worker whose sandbox self-test passed recently."""
    result = selectors.readiness()
    return JsonResponse(
        {"status": "ready" if result.ready else "not ready", "checks": result.checks},
        status=200 if result.ready else 503,
    )


def _may_scrape(request) -> bool:
    if request.user.is_authenticated and request.user.is_staff:
        return True
    header = request.headers.get("Authorization", "")
    token = settings.METRICS_TOKEN
    return bool(token) and hmac.compare_digest(header.encode(), f"Bearer {token}".encode())


@never_cache
@require_GET
def metrics(request):
    if not _may_scrape(request):
        return HttpResponse("metrics need a staff session or the DLGRADE_METRICS_TOKEN bearer token\n", status=403)
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


@staff_member_required
@never_cache
def status_page(request):
    workers = selectors.workers_online()
    for worker in workers:
        worker.trusted = selectors.worker_is_trusted(worker)
    context = {
        "workers": workers,
        "queues": selectors.queue_depths(),
        "counts": selectors.submission_counts(),
        "oldest": selectors.oldest_queued(),
        "needing_staff": selectors.submissions_needing_staff(),
        "stuck_after_min": selectors.STUCK_AFTER_S // 60,
        "readiness": selectors.readiness(),
    }
    return render(request, "operations/status.html", context)


@staff_member_required
@require_POST
def resend(request):
    ids = [int(value) for value in request.POST.getlist("submission") if value.isdigit()]
    sent = services.submissions_resend(submission_ids=ids)
    if sent:
        messages.success(
            request,
            ngettext(
                "%(n)d submission was sent to grading again.",
                "%(n)d submissions were sent to grading again.",
                len(sent),
            )
            % {"n": len(sent)},
        )
    else:
        messages.info(request, _("Nothing was re-sent: those submissions were graded meanwhile."))
    return redirect("operations:status")
