from django.conf import settings
from django.db import models
from django.db.models import Q

from graders.quiz.language import in_language, topic_name


class Quiz(models.Model):
    """A quiz of one seed topic, synced from its bundle on disk (quizzes/<slug>/) or published from a course repository."""

    uuid = models.UUIDField(unique=True)
    # Built-in quizzes keep their own slug; a course repository's quiz is "<namespace>--<slug>" (a bundle's
    # slug never holds "--", so the two can never clash), as catalog.Exercise.
    slug = models.SlugField(max_length=120, unique=True)
    # "" for the built-in quizzes, "c<course id>" for a course's own (its params.py is never imported:
    # its variants were drawn in the sandbox and kept beside the bundle, graders/quiz/precomputed.py).
    # db_default: rows written by code that predates these fields are built-in.
    namespace = models.CharField(max_length=60, blank=True, default="", db_default="", db_index=True)
    # Public: listed for everyone. A course's own quiz opens only to that course (quizzes/access.py).
    is_public = models.BooleanField(default=True, db_default=True)
    topic = models.CharField(max_length=40)
    title_en = models.CharField(max_length=200)
    title_zh = models.CharField(max_length=200)
    points = models.FloatField(default=10)
    is_active = models.BooleanField(default=True)
    order = models.IntegerField(default=100)
    bundle_path = models.CharField(max_length=500, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    question_count = models.IntegerField(default=0)
    synced_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        ordering = ["topic", "slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def bundle_slug(self) -> str:
        """The slug its authors gave it, without the namespace."""
        return self.slug.split("--", 1)[1] if self.namespace else self.slug

    @property
    def variants_precomputed(self) -> bool:
        """Whether its parameterized questions are drawn from kept variants (any quiz that is not built-in)."""
        return bool(self.namespace)

    def title(self, language: str) -> str:
        return in_language({"en": self.title_en, "zh": self.title_zh}, language)

    def topic_name(self, language: str) -> str:
        return topic_name(self.topic, language)


class Question(models.Model):
    """One question of a quiz: identity and metadata. Its text and answer live in the bundle on disk."""

    uuid = models.UUIDField(unique=True)
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="questions")
    key = models.SlugField(max_length=80)
    order = models.IntegerField(default=0)
    # A type of graders/quiz/registry.py: the bundle was validated against it before it was synced,
    # and a new type needs no migration.
    qtype = models.CharField(max_length=40)
    weight = models.FloatField(default=1)
    is_parameterized = models.BooleanField(default=False)
    prompt_en = models.TextField(blank=True)  # the raw prompt, for staff and the admin
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["quiz", "order"]

    def __str__(self) -> str:
        return f"{self.quiz_id}:{self.key}"


class QuizAttempt(models.Model):
    """One student's finished try at a quiz, graded on the spot; stored like a submission.

    It is created when the try ends (every question answered, or the student finishes early), so
    ``created_at`` is when the score was earned and ``score`` (in [0, 1]) is final: unanswered
    questions count 0. The answers given along the way are QuestionAnswer rows.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    score = models.FloatField()  # in [0, 1]
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The student's n-th try at this quiz (it seeds the variants); null for rows made elsewhere.
    number = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    answered = models.IntegerField(default=0)
    total = models.IntegerField(default=0)
    bundle_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], condition=Q(number__isnull=False), name="quiz_attempt_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id} by {self.user_id}: {self.score:.2f}"


class QuestionAnswer(models.Model):
    """One graded answer to one question, stored the moment it is checked; part of try ``attempt_number``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_answers")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    attempt_number = models.PositiveIntegerField()
    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, null=True, blank=True, related_name="question_answers"
    )
    response = models.JSONField()  # the normalized answer: an option id, a list of ids, a number, an order
    score = models.FloatField()  # in [0, 1]
    is_correct = models.BooleanField()
    expected = models.JSONField()  # the right answer of this student's variant
    variant = models.CharField(max_length=32, blank=True)  # the variant token, for parameterized questions
    values = models.JSONField(default=dict)  # the numbers the student was shown
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question", "attempt_number"], name="question_answered_once_per_try"
            )
        ]
        indexes = [models.Index(fields=["user", "quiz", "attempt_number"], name="answer_user_quiz_try")]

    def __str__(self) -> str:
        return f"{self.question_id} by {self.user_id} (try {self.attempt_number}): {self.score:.2f}"
