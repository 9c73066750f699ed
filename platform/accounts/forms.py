from allauth.account import app_settings as allauth_settings
from allauth.account import forms as allauth_forms
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LoginForm(allauth_forms.LoginForm):
    def _clean_with_password(self, credentials: dict):
        cleaned = super()._clean_with_password(credentials)
        login = getattr(self, "_login", None)
        if login is not None and not EmailAddress.objects.filter(user=login.user).exists():
            # Accounts made by an administrator (createsuperuser, the demo accounts) have no
            # address to verify: they sign in as before. Every address an account has is verified.
            login.email_verification = allauth_settings.EmailVerificationMethod.NONE
        return cleaned


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
