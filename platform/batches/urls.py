from django.urls import path

from batches import views

app_name = "batches"
urlpatterns = [
    path("", views.batch_list_view, name="list"),
    path("<id:pk>/", views.batch_detail_view, name="detail"),
    path("<id:pk>/progress/", views.batch_progress_view, name="progress"),
    path("<id:pk>/files/<int:position>/", views.batch_file_view, name="file"),
    path("<id:pk>/report.csv", views.batch_report_csv_view, name="report-csv"),
    path("<id:pk>/report.json", views.batch_report_json_view, name="report-json"),
]
