from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, token_digest

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
