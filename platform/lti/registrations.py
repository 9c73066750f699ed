"""Writes for platform registrations (the management command; the admin uses django-lti's pages)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.cache import cache
from django.db import transaction
from lti_tool.models import LtiDeployment, LtiRegistration

from lti.selectors import ORIGINS_CACHE_KEY


def _url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an http(s) URL, not {value!r}")
    return value


@transaction.atomic
def registration_save(
    *,
    name: str,
    issuer: str,
    client_id: str,
    deployment_ids: list[str],
    auth_url: str,
    token_url: str,
    keyset_url: str,
    audience: str = "",
) -> tuple[LtiRegistration, bool]:
    """Register a platform, or update the one with this issuer and client id; its deployments are activated."""
    if not issuer.strip() or not client_id.strip():
        raise ValueError("the issuer and the client id are required")
    registration, created = LtiRegistration.objects.update_or_create(
        issuer=issuer.strip(),
        client_id=client_id.strip(),
        defaults={
            "name": name.strip() or issuer,
            "auth_url": _url("the auth URL", auth_url),
            "token_url": _url("the token URL", token_url),
            "keyset_url": _url("the JWKS URL", keyset_url),
            "audience": audience.strip(),
            "is_active": True,
        },
    )
    for deployment_id in {d.strip() for d in deployment_ids if d.strip()}:
        LtiDeployment.objects.update_or_create(
            registration=registration, deployment_id=deployment_id, defaults={"is_active": True}
        )
    cache.delete(ORIGINS_CACHE_KEY)
    return registration, created


def registration_lines() -> list[str]:
    return [
        f"{r.name}: issuer {r.issuer}, client {r.client_id}, deployments "
        f"{', '.join(d.deployment_id + ('' if d.is_active else ' (inactive)') for d in r.deployments.all()) or 'none'}"
        + ("" if r.is_active else " (inactive)")
        for r in LtiRegistration.objects.prefetch_related("deployments").order_by("name")
    ]
