"""Fixed-window counters in the shared cache, for limits that protect the service."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        """Parse "10/60": 10 events per 60 seconds."""
        count, _, seconds = text.partition("/")
        return cls(int(count), int(seconds))


def hit(key: str, limit: Limit) -> int:
    """Count one event; return 0 if allowed, else the seconds to wait before the next is."""
    window = int(time.time()) // limit.seconds
    bucket = f"ratelimit:{key}:{window}"
    cache.add(bucket, 0, timeout=limit.seconds + 5)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=limit.seconds + 5)
        count = 1
    if count <= limit.count:
        return 0
    return limit.seconds - int(time.time()) % limit.seconds


def limit_per_user(rate_setting: str):
    """Refuse a view with 429 and Retry-After once a user exceeds ``settings.<rate_setting>``."""
    from functools import wraps

    from django.conf import settings
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limit = Limit.parse(getattr(settings, rate_setting))
            wait = hit(f"{rate_setting}:{request.user.pk}", limit)
            if wait:
                message = _(
                    "You are submitting too fast: at most %(count)s submissions in %(seconds)s s. "
                    "Try again in %(wait)s s."
                ) % {"count": limit.count, "seconds": limit.seconds, "wait": wait}
                response = render(
                    request, "submissions/_verdict.html", {"error": message, "submission": None}, status=429
                )
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
