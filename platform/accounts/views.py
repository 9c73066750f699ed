from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke
from config import ratelimit


class ThrottledLoginView(auth_views.LoginView):
    """Sign-in that slows password guessing: a few failures per username and per address, then a wait."""

    redirect_authenticated_user = True

    def _keys(self) -> list[str]:
        username = (self.request.POST.get("username") or "").strip().lower()[:150]
        address = self.request.META.get("REMOTE_ADDR", "")
        return [f"login-user:{username}", f"login-address:{address}"]

    def post(self, request, *args, **kwargs):
        limit = ratelimit.Limit.parse(settings.LOGIN_FAILURE_RATE)
        wait = max(ratelimit.peek(key, limit) for key in self._keys())
        if wait:
            form = self.get_form()
            form.errors.clear()
            response = self.render_to_response(
                self.get_context_data(
                    form=form, throttled=_("Too many failed sign-ins. Try again in %(wait)s s.") % {"wait": wait}
                )
            )
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        limit = ratelimit.Limit.parse(settings.LOGIN_FAILURE_RATE)
        for key in self._keys():
            ratelimit.hit(key, limit)
        return super().form_invalid(form)

    def form_valid(self, form):
        ratelimit.reset(self._keys()[0], ratelimit.Limit.parse(settings.LOGIN_FAILURE_RATE))
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request):
    """The user's account: their API tokens, made here (shown once) and revoked here."""
    context = {"new_token": None, "error": ""}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
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
