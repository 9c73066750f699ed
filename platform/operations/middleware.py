"""Middleware of operations: health probes answered before anything else, and requests counted."""

from __future__ import annotations

from operations import views
from operations.metrics import REQUESTS

PROBES = {"/healthz": views.healthz, "/readyz": views.readyz}


class ProbeMiddleware:
    """Answer /healthz and /readyz first, whatever Host the orchestrator sends and over plain HTTP.

    A container healthcheck calls 127.0.0.1, which production's ALLOWED_HOSTS refuses (400) and
    DJANGO_SSL_REDIRECT would send to https (301): neither says anything about health.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        return probe(request) if probe is not None else self.get_response(request)


class RequestCountMiddleware:
    """Counts every response by method and status class (2xx, 3xx, ...)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        REQUESTS.labels(request.method, f"{response.status_code // 100}xx").inc()
        return response
