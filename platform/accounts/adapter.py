"""How allauth fits dlgrade: the client's address, mails in the recipient's language, SSO by verified email."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import translation

from accounts.models import Profile

QUIET_MESSAGES = {"account/messages/logged_in.txt", "account/messages/logged_out.txt"}


def client_ip(request) -> str:
    """The client's address as allauth reads it (trusted proxy header or X-Forwarded-For count); axes uses it too."""
    try:
        return AccountAdapter(request).get_client_ip(request)
    except PermissionDenied:  # a request made in code (force_login in a shell or test) has no address
        return request.META.get("REMOTE_ADDR", "")


def sign_in_name(request, credentials) -> str:
    """What axes counts failures against: the username or email typed in, in one case."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email") or request.POST.get("login", "")
    return str(name).strip().lower()[:254]


def language_of(email: str, default: str) -> str:
    """The preferred language of the account that owns ``email``; ``default`` for a stranger."""
    profile = Profile.objects.filter(user__email__iexact=email).exclude(language="").first()
    return profile.language if profile else default


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than trusted proxies: the request did not come through
            # them, so the only address we know for sure is the socket's.
            return request.META.get("REMOTE_ADDR", "")

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        # "Signed in as ..." would wait on pages that show no messages and surface on a later one.
        if message_template in QUIET_MESSAGES:
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # A verification or reset mail is read in the recipient's language, not the sender's page's.
        with translation.override(language_of(email, translation.get_language() or "en")):
            super().send_mail(template_prefix, email, context)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        # Pages follow the language chosen on the profile from the moment of signing in.
        profile = Profile.objects.filter(user=user).exclude(language="").first()
        if profile is not None:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, profile.language, samesite="Lax")
        return response

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            Profile.objects.update_or_create(user=user, defaults={"language": translation.get_language() or ""})
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def authenticate_by_email(self, sociallogin):
        """Sign in to an existing account only when both the provider and dlgrade verified that address."""
        found = super().authenticate_by_email(sociallogin)
        if found is None:
            return None
        user, email = found
        if not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
            return None
        return found
