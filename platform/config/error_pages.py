"""Styled pages for the errors Django answers with an empty body (405 from require_POST and kin)."""

from __future__ import annotations

from django.http import HttpResponseNotAllowed
from django.template.loader import render_to_string


class StyledErrorPagesMiddleware:
    """Give a browser that opens a form's address directly (a 405) the site's page, not an empty one.

    The API and htmx requests keep their plain answers: a client reads the status and ``Allow``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponseNotAllowed)
            and not response.content
            and not request.path.startswith("/api/")
            and request.headers.get("HX-Request") != "true"
        ):
            response.content = render_to_string("405.html", request=request).encode()
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
