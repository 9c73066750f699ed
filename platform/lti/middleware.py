"""Framing and cookies for LTI: dlgrade opens inside a registered LMS, and nowhere else.

Every page forbids framing (CSP frame-ancestors 'none', X-Frame-Options DENY) except:
- the LTI pages themselves (login, launch, resume, deep linking), which any registered LMS may
  frame: a view marks its response with ``lti_frame_origins``;
- the pages of a session that an LTI launch opened, which the LMS that launched it may frame
  (the session holds its origins; signing out ends it).
A session opened by a launch over HTTPS gets its session and CSRF cookies with SameSite=None;
Secure, so that the browser sends them inside the LMS's frame. Over plain HTTP (local development)
browsers refuse such cookies: framed launches then always take the new-window fallback.
"""

from __future__ import annotations

import re

from django.conf import settings

FRAME_SESSION_KEY = "lti_frame_origins"
_FRAME_ANCESTORS = re.compile(r"frame-ancestors [^;]*")
_FORM_ACTION = re.compile(r"form-action [^;]*")


def allow_framing(response, origins: list[str], *, form_action: list[str] = ()) -> None:
    """Let these origins frame this response (and its forms post to ``form_action`` as well as here)."""
    response.lti_frame_origins = list(origins)
    response.lti_form_action = list(form_action)


class LtiFramingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        session_origins = session.get(FRAME_SESSION_KEY) if session is not None else None
        origins = getattr(response, "lti_frame_origins", None) or session_origins
        if origins:
            policy = _FRAME_ANCESTORS.sub("frame-ancestors " + " ".join(["'self'", *origins]), _policy(response))
            form_action = getattr(response, "lti_form_action", ())
            if form_action:
                policy = _FORM_ACTION.sub("form-action " + " ".join(["'self'", *form_action]), policy)
            response["Content-Security-Policy"] = policy
            if "X-Frame-Options" in response:
                del response["X-Frame-Options"]
            response.xframe_options_exempt = True
        if session_origins and request.is_secure():
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["samesite"] = "None"
                    response.cookies[name]["secure"] = True
        return response


def _policy(response) -> str:
    return response.get("Content-Security-Policy") or settings.CONTENT_SECURITY_POLICY
