"""Reads about accounts other apps need."""

from __future__ import annotations

from allauth.account.models import EmailAddress


def verified_emails_of(*, user) -> list[str]:
    """The addresses the user proved are theirs (lower case)."""
    return [e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)]
