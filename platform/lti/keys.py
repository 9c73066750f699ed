"""dlgrade's own signing keys: generated and kept in the database, published in the JWKS, rotated without downtime.

A new key is published at once but signs only once it has been in the JWKS for
``LTI_KEY_PUBLISH_AHEAD_S`` (an LMS that cached the old JWKS has fetched it again by then); the key it
replaces stays in the JWKS for ``LTI_KEY_RETIRE_AFTER_S`` more, so everything it signed can still be
checked, and is then retired. Private keys never leave the database.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from lti_tool.models import Key

log = logging.getLogger(__name__)


def key_ensure() -> Key:
    """The key that signs now, generating the first one when there is none."""
    key = signing_key()
    if key is not None:
        return key
    with transaction.atomic():
        if not Key.objects.active().exists():
            created = Key.objects.generate()
            log.info("lti: generated the first signing key %s", created)
    return signing_key()


def signing_key() -> Key | None:
    """The newest active key published long enough; the oldest active one while none is (the first key)."""
    active = Key.objects.active().order_by("-datetime_created")
    ready = active.filter(datetime_created__lte=timezone.now() - timedelta(seconds=settings.LTI_KEY_PUBLISH_AHEAD_S))
    return ready.first() or active.order_by("datetime_created").first()


def key_rotate() -> tuple[Key, int]:
    """Publish a new key and retire keys no longer needed; return the new key and how many were retired."""
    now = timezone.now()
    with transaction.atomic():
        new = Key.objects.generate()
        retired = key_retire_expired(now=now)
    log.info("lti: published key %s (signs from %s); retired %s", new, _signs_from(new), retired)
    return new, retired


def _signs_from(key: Key):
    return key.datetime_created + timedelta(seconds=settings.LTI_KEY_PUBLISH_AHEAD_S)


def key_retire_expired(*, now=None) -> int:
    """Retire every active key whose successor has been signing for longer than LTI_KEY_RETIRE_AFTER_S."""
    now = now or timezone.now()
    keys = list(Key.objects.active().order_by("datetime_created"))
    retire = []
    for older, newer in zip(keys, keys[1:], strict=False):
        if _signs_from(newer) + timedelta(seconds=settings.LTI_KEY_RETIRE_AFTER_S) <= now:
            retire.append(older.pk)
    return Key.objects.filter(pk__in=retire).update(is_active=False)


def jwks() -> dict:
    """Every active public key: the one signing, the next one and the previous one until retired."""
    key_ensure()
    return Key.objects.as_jwks()


def key_rotate_if_old(*, max_age_days: int) -> Key | None:
    """Rotate when the newest key is older than ``max_age_days`` (the beat asks daily); always retire expired keys."""
    newest = Key.objects.active().order_by("-datetime_created").first()
    if newest is None or newest.datetime_created < timezone.now() - timedelta(days=max_age_days):
        return key_rotate()[0]
    key_retire_expired()
    return None
