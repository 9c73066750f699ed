from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

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
