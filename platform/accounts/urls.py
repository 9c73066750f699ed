from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import ThrottledLoginView, profile_view

urlpatterns = [
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", profile_view, name="profile"),
]
