from django.urls import path

from submissions import views

app_name = "submissions"
urlpatterns = [
    path("<id:pk>/", views.submission_detail_view, name="detail"),
    path("<id:pk>/panel/", views.submission_panel_view, name="panel"),
    path("runs/<id:pk>/", views.trial_panel_view, name="trial-panel"),
]
