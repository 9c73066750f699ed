from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from config.converters import IdConverter

register_converter(IdConverter, "id")  # before the apps' URL modules are included

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="exercises:list", permanent=False)),
    path("accounts/", include("accounts.urls")),
    path("exercises/", include("submissions.exercise_urls")),
    path("submissions/", include("submissions.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("courses/", include("courses.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("batches/", include("batches.urls")),
    path("api/v1/", include("api.urls")),
    path("lti/", include("lti.urls")),
    path("operations/", include("operations.urls")),
    path("", include("operations.probe_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# JSON instead of an HTML page for errors under /api/ (other paths keep Django's pages).
handler404 = "api.views.handler404"
handler500 = "api.views.handler500"
