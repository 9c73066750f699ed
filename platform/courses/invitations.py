"""Invitations: accounts made for roster rows, a one-time link to set a password, mailed by the workers."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from config.celery import app as celery_app
from courses.models import Course, Invitation, Membership

log = logging.getLogger(__name__)
SEND_TASK = "courses.send_invitations"
SEND_BATCH = 50  # invitations per task message


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(*, course: Course, email: str, role: str, invited_by, username: str = "", name: str = ""):
    """Make the account, its membership and a pending invitation (one transaction); the mail is sent later.

    The caller brings a new student's credit up to date (``credit_sync_member``), once for a whole roster.
    """
    first, _, last = name.strip().partition(" ")
    with transaction.atomic():
        user = account_services.invited_user_create(
            email=email, username=username, first_name=first, last_name=last, language=invited_by_language(invited_by)
        )
        Membership.objects.create(course=course, user=user, role=role, source=Membership.Source.CSV)
        return Invitation.objects.create(course=course, user=user, email=email, role=role, invited_by=invited_by)


def invited_by_language(inviter) -> str:
    """An invitee has no language yet: the mail is written in the inviting instructor's."""
    return account_services.user_language(user=inviter, default=settings.LANGUAGE_CODE) if inviter else ""


def invitations_enqueue(*, invitation_ids: list[int]) -> None:
    """Send the invitations' mails from the workers once this transaction commits (not in the request)."""
    for start in range(0, len(invitation_ids), SEND_BATCH):
        batch = invitation_ids[start : start + SEND_BATCH]
        transaction.on_commit(
            lambda batch=batch: celery_app.send_task(SEND_TASK, args=(batch,), queue=settings.CELERY_BATCH_QUEUE)
        )


def invitation_send(*, invitation_id: int) -> None:
    """Mail a fresh one-time link, unless the invitation is settled or this send was already made."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("course", "user").get(pk=invitation_id)
        if invitation.state != Invitation.State.PENDING:
            return
        if invitation.sent_at is not None and invitation.sent_at >= invitation.send_requested_at:
            return  # a redelivered message: the mail went out already
        token = secrets.token_urlsafe(32)
        invitation.token_digest = _digest(token)
        invitation.sent_at = timezone.now()
        invitation.send_count += 1
        invitation.send_error = ""
        invitation.save(update_fields=["token_digest", "sent_at", "send_count", "send_error"])
        link = settings.SITE_URL + reverse("courses:invitation-accept", args=[token])
        account_services.mail_send(
            to=invitation.email,
            template="courses/email/invitation",
            context={
                "course": invitation.course.title,
                "role": invitation.get_role_display(),
                "username": invitation.user.username,
                "link": link,
                "days": settings.INVITATION_DAYS,
            },
            language=account_services.user_language(user=invitation.user, default=settings.LANGUAGE_CODE),
        )


def invitation_record_failure(*, invitation_id: int, message: str) -> None:
    Invitation.objects.filter(pk=invitation_id).update(send_error=message[:500])


def invitation_resend(*, invitation: Invitation) -> None:
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(_("Only a pending invitation can be sent again."))
    invitation.send_requested_at = timezone.now()
    invitation.save(update_fields=["send_requested_at"])
    invitations_enqueue(invitation_ids=[invitation.pk])


def invitation_revoke(*, invitation: Invitation) -> None:
    """The link stops working and the invitee leaves the course; their (passwordless) account stays."""
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(_("Only a pending invitation can be revoked."))
    with transaction.atomic():
        invitation.state = Invitation.State.REVOKED
        invitation.token_digest = ""
        invitation.save(update_fields=["state", "token_digest"])
        Membership.objects.filter(course=invitation.course, user=invitation.user).exclude(
            role=Membership.Role.INSTRUCTOR
        ).delete()


def invitation_for_token(*, token: str) -> Invitation | None:
    """The pending, unexpired invitation this link belongs to; None for anything else (used, revoked, forged)."""
    if not token or len(token) > 100:
        return None
    invitation = (
        Invitation.objects.select_related("course", "user")
        .filter(token_digest=_digest(token), state=Invitation.State.PENDING)
        .first()
    )
    if invitation is None or invitation.sent_at is None:
        return None
    if timezone.now() - invitation.sent_at > timedelta(days=settings.INVITATION_DAYS):
        return None
    return invitation


def invitation_accept(*, invitation: Invitation, password: str, password_again: str):
    """Set the invitee's password (which verifies their address) and settle the invitation; return the user."""
    if password != password_again:
        raise ValidationError(_("The two passwords differ."))
    validate_password(password, user=invitation.user)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.state != Invitation.State.PENDING or locked.token_digest != invitation.token_digest:
            raise ValidationError(_("This invitation link was already used."))
        account_services.invited_user_activate(user=invitation.user, password=password)
        locked.state = Invitation.State.ACCEPTED
        locked.accepted_at = timezone.now()
        locked.token_digest = ""
        locked.save(update_fields=["state", "accepted_at", "token_digest"])
    return invitation.user
