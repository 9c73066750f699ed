from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm
from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke, profile_update, user_language


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    """The user's account: name and language, and their API tokens, made here (shown once) and revoked here."""
    user = request.user
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user_language(user=user, default=request.LANGUAGE_CODE),
    }
    context = {"new_token": None, "error": "", "profile_form": ProfileForm(initial=initial)}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "profile":
            form = ProfileForm(request.POST)
            if form.is_valid():
                profile_update(user=user, **form.cleaned_data)
                messages.success(request, _("Your profile was saved."))
                response = redirect("profile")
                # The pages follow the preferred language from now on (LocaleMiddleware reads the cookie).
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"], samesite="Lax")
                return response
            context["profile_form"], status = form, 400
        elif action == "create":
            try:
                token, raw = api_token_create(user=request.user, name=request.POST.get("name", ""))
            except ValidationError as error:
                context["error"], status = error.messages[0], 400
            else:
                context["new_token"] = {"name": token.name, "raw": raw}
        elif action == "revoke":
            try:
                token_id = int(request.POST.get("token", ""))
            except ValueError:
                token_id = 0
            if api_token_revoke(user=request.user, token_id=token_id):
                messages.success(request, _("The token was revoked; programs using it are signed out."))
            return redirect("profile")
        else:
            context["error"], status = _("Unknown action."), 400
    context["tokens"] = ApiToken.objects.filter(user=request.user)
    context["api_url"] = request.build_absolute_uri("/api/v1/")
    response = render(request, "accounts/profile.html", context, status=status)
    if context["new_token"]:
        response["Cache-Control"] = "no-store"  # the page holds a secret shown once
    return response
