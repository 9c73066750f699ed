from django.urls import path

from quizzes import views

app_name = "quizzes"
urlpatterns = [
    path("", views.quiz_list, name="quiz-list"),
    path("attempts/<id:pk>/", views.attempt_detail, name="attempt-detail"),
    path("<slug:slug>/", views.quiz_detail, name="quiz-detail"),
    path("<slug:slug>/answer/", views.quiz_answer_view, name="quiz-answer"),
    path("<slug:slug>/finish/", views.quiz_finish_view, name="quiz-finish"),
    path("<slug:slug>/attempts/", views.quiz_attempts, name="quiz-attempts"),
]
