from django.urls import path

from operations import views

app_name = "operations"
urlpatterns = [
    path("", views.status_page, name="status"),
    path("resend/", views.resend, name="resend"),
]
