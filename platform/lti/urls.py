from django.urls import path

from lti import views

app_name = "lti"
urlpatterns = [
    path("jwks.json", views.jwks, name="jwks"),
    path("config.json", views.tool_configuration, name="config"),
    path("login/", views.oidc_login, name="login"),
    path("launch/", views.launch, name="launch"),
    path("resume/<str:token>/", views.resume, name="resume"),
    path("deep-link/", views.deep_link, name="deep-link"),
    path("courses/<id:course_id>/", views.course_lms, name="course"),
    path("courses/<id:course_id>/roster/", views.roster_sync_view, name="roster-sync"),
    path("courses/<id:course_id>/resend/", views.scores_resend_view, name="scores-resend"),
]
