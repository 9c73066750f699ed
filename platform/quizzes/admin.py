from django.contrib import admin

from quizzes.models import Question, QuestionAnswer, Quiz, QuizAttempt


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ("slug", "topic", "question_count", "points", "is_active", "synced_at")
    list_filter = ("topic", "is_active")
    readonly_fields = ("uuid", "content_hash", "bundle_path", "synced_at")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("key", "quiz", "qtype", "is_parameterized", "weight", "is_active")
    list_filter = ("quiz", "qtype", "is_parameterized", "is_active")


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ("quiz", "user", "number", "score", "answered", "total", "created_at")
    list_filter = ("quiz",)
    search_fields = ("user__username",)


@admin.register(QuestionAnswer)
class QuestionAnswerAdmin(admin.ModelAdmin):
    list_display = ("question", "user", "attempt_number", "score", "is_correct", "created_at")
    list_filter = ("quiz", "is_correct")
    search_fields = ("user__username",)
