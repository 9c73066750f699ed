"""The probes at the site's root, where orchestrators and Prometheus expect them (the middleware answers
/healthz and /readyz before these routes are reached; they are here so that reverse() knows them)."""

from django.urls import path

from operations import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
]
