from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"
urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("me/", views.MeView.as_view(), name="me"),
    path("exercises/", views.ExerciseListView.as_view(), name="exercise-list"),
    path("exercises/<slug:slug>/", views.ExerciseDetailView.as_view(), name="exercise-detail"),
    path("quizzes/", views.QuizListView.as_view(), name="quiz-list"),
    path("quizzes/<slug:slug>/", views.QuizDetailView.as_view(), name="quiz-detail"),
    path("submissions/", views.SubmissionListView.as_view(), name="submission-list"),
    path("submissions/<id:pk>/", views.SubmissionDetailView.as_view(), name="submission-detail"),
    path("batches/", views.BatchJobListView.as_view(), name="batch-list"),
    path("batches/<id:pk>/", views.BatchJobDetailView.as_view(), name="batch-detail"),
    path("batches/<id:pk>/results/", views.BatchResultListView.as_view(), name="batch-results"),
    path("batches/<id:pk>/report.csv", views.BatchReportCsvView.as_view(), name="batch-report-csv"),
    path("courses/", views.CourseListView.as_view(), name="course-list"),
    path("courses/<id:pk>/gradebook/", views.CourseGradebookView.as_view(), name="course-gradebook"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's files (no CDN), its script served apart (the CSP forbids inline).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^(?P<path>.*)$", views.endpoint_not_found, name="not-found"),
]
