from django.urls import path

from dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard_home, name="home"),
    path("start/", views.landing, name="landing"),
    path("courses/<id:course_id>/", views.course_dashboard_view, name="course"),
    path("courses/<id:course_id>/assignments/<id:assignment_id>/", views.assignment_dashboard_view, name="assignment"),
]
