from allauth.account import views as allauth_views
from django.urls import include, path

from accounts.views import profile_view

urlpatterns = [
    # The names the rest of dlgrade links to, on allauth's own views.
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("profile/", profile_view, name="profile"),
    # Sign-up, email verification and change, password reset and change, single sign-on.
    path("", include("allauth.urls")),
]
