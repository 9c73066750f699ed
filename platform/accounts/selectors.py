"""Reads about accounts other apps need."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model


def verified_emails_of(*, user) -> list[str]:
    """The addresses the user proved are theirs (lower case)."""
    return [e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)]


def user_has_password(*, user) -> bool:
    return user.has_usable_password()


def users_by_email(*, email: str) -> list:
    """Accounts whose address is ``email``, case-insensitively (at most two: enough to tell it is ambiguous)."""
    return list(get_user_model().objects.filter(email__iexact=email)[:2])
