from __future__ import annotations

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import ApiToken, Profile, token_digest

TOKEN_PREFIX = "dlg_"
MAX_TOKENS_PER_USER = 20
LAST_USED_RESOLUTION = timedelta(minutes=1)

DEMO_ACCOUNTS = (
    ("student", "Demo Student", False),
    ("student2", "Second Student", False),
    ("instructor", "Demo Instructor", True),
)


def demo_accounts_ensure(*, password: str) -> list[tuple[str, bool]]:
    """Create or reset the demo users; return (username, is_staff) for each."""
    User = get_user_model()
    made = []
    for username, full_name, is_staff in DEMO_ACCOUNTS:
        user, _created = User.objects.get_or_create(username=username)
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
        user.is_staff = is_staff
        user.set_password(password)
        user.save()
        made.append((username, is_staff))
    return made


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Make a named token; return it with the raw token, which is never stored and shown only now."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name (for example the machine it is for)."))
    if len(name) > 100:
        raise ValidationError(_("Token names are at most 100 characters."))
    if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(_("You have %(n)s tokens; revoke one first.") % {"n": MAX_TOKENS_PER_USER})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], digest=token_digest(raw))
    return token, raw


def api_token_revoke(*, user, token_id: int) -> bool:
    """Delete one of the user's tokens; return False when it is not theirs or already gone."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The live token for this raw value (its user active), noting when it was last used."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most one write a minute
        token.last_used_at = now
    return token


def profile_update(*, user, first_name: str, last_name: str, language: str) -> None:
    """Save the name shown to others and the language pages and mails use."""
    user.first_name, user.last_name = first_name.strip()[:150], last_name.strip()[:150]
    user.save(update_fields=["first_name", "last_name"])
    Profile.objects.update_or_create(user=user, defaults={"language": language})


def user_language(*, user, default: str = "en") -> str:
    profile = Profile.objects.filter(user=user).first()
    return (profile.language if profile else "") or default


def _free_username(email: str) -> str:
    User = get_user_model()
    base = slugify(email.split("@")[0]).replace("-", "_")[:30] or "user"
    name, n = base, 2
    while User.objects.filter(username__iexact=name).exists():
        name, n = f"{base}{n}", n + 1
    return name


def invited_user_create(
    *, email: str, username: str = "", first_name: str = "", last_name: str = "", language: str = ""
):
    """An account for someone invited by email: no password until they set one through their link."""
    User = get_user_model()
    username = username or _free_username(email)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("the username “%(username)s” is taken") % {"username": username})
    with transaction.atomic():
        user = User(username=username, email=email, first_name=first_name[:150], last_name=last_name[:150])
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        Profile.objects.create(user=user, language=language)
    return user


def invited_user_activate(*, user, password: str) -> None:
    """The invitee set their password through the mailed link: that also proves the address is theirs."""
    with transaction.atomic():
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


def mail_send(*, to: str, template: str, context: dict, language: str) -> None:
    """Send ``<template>_subject.txt`` / ``_message.txt`` to one recipient, written in their language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_message.txt", context)
    message = EmailMultiAlternatives(subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body=body, to=[to])
    message.send()
