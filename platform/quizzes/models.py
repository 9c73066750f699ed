from django.conf import settings
from django.db import models


class Quiz(models.Model):
    """A quiz of one seed topic, synced from its bundle on disk (quizzes/<slug>/)."""

    uuid = models.UUIDField(unique=True)
    slug = models.SlugField(unique=True)
    topic = models.CharField(max_length=40)
    title_en = models.CharField(max_length=200)
    title_zh = models.CharField(max_length=200)
    points = models.FloatField(default=10)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["topic", "slug"]

    def __str__(self) -> str:
        return self.slug


class QuizAttempt(models.Model):
    """One student's submitted answers to a quiz, graded on the spot; stored like a submission."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    score = models.FloatField()  # in [0, 1]
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.quiz_id} by {self.user_id}: {self.score:.2f}"
