from django.urls import path

from catalog import views
from submissions import views as submission_views

app_name = "catalog"
urlpatterns = [
    path("", views.exercise_list, name="exercise-list"),
    path("<slug:slug>/", views.exercise_detail, name="exercise-detail"),
    path("<slug:slug>/submit/", submission_views.submission_create_view, name="exercise-submit"),
    path("<slug:slug>/history/", submission_views.submission_history_view, name="exercise-history"),
    path("<slug:slug>/counts-for/", submission_views.submission_targets_view, name="exercise-counts-for"),
]
