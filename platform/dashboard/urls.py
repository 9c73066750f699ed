from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard_home, name="home"),
    path("courses/<int:course_id>/", views.course_dashboard_view, name="course"),
    path(
        "courses/<int:course_id>/assignments/<int:assignment_id>/", views.assignment_dashboard_view, name="assignment"
    ),
]
