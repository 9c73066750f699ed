"""The exercise pages: the list by topic, an exercise with its editor, submitting and the history."""

from django.urls import path

from submissions import views

app_name = "exercises"
urlpatterns = [
    path("", views.exercise_list, name="list"),
    path("<slug:slug>/", views.exercise_detail, name="detail"),
    path("<slug:slug>/submit/", views.submission_create_view, name="submit"),
    path("<slug:slug>/run/", views.trial_create_view, name="run"),
    path("<slug:slug>/history/", views.submission_history_view, name="history"),
    path("<slug:slug>/counts-for/", views.submission_targets_view, name="counts-for"),
]
