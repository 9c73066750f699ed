from django.db import models
from django.utils.translation import gettext_lazy as _

from graders.bundle import DIFFICULTIES, TOPICS

# The labels of graders.bundle.DIFFICULTIES, spelled out so that they can be translated.
DIFFICULTY_LABELS = {"easy": _("Easy"), "medium": _("Medium"), "hard": _("Hard")}


class Exercise(models.Model):
    """A coding exercise, synced from its bundle on disk (the source of truth) by sync_exercises."""

    uuid = models.UUIDField(unique=True)
    # Built-in bundles keep their own slug; a bundle of another content source is "<namespace>--<slug>"
    # (a bundle's slug never holds "--", so the two can never clash).
    slug = models.SlugField(max_length=120, unique=True)
    # The content source: "" for the built-in catalog, a deployment folder's key, or "c<course id>".
    namespace = models.CharField(max_length=60, blank=True, default="", db_default="", db_index=True)
    # (db_default: rows written by code that predates these fields, e.g. older migrations, are built-in.)
    # Public: listed for everyone. A course's own content is shown only to that course (catalog/access.py).
    is_public = models.BooleanField(default=True, db_default=True)
    function_name = models.CharField(max_length=100)
    topic = models.CharField(max_length=40, choices=[(key, names[0]) for key, names in TOPICS.items()])
    difficulty = models.CharField(
        max_length=10, choices=[(d, DIFFICULTY_LABELS.get(d, d.capitalize())) for d in DIFFICULTIES]
    )
    order = models.IntegerField(default=100)
    points = models.FloatField(default=10)
    title_en = models.CharField(max_length=200)
    title_zh = models.CharField(max_length=200)
    statement_en_html = models.TextField()
    statement_zh_html = models.TextField()
    starter_code = models.TextField()
    bundle_path = models.CharField(max_length=500)
    content_hash = models.CharField(max_length=64)
    rtol = models.FloatField()
    atol = models.FloatField()
    time_limit_s = models.FloatField()
    # All cases of one submission together (graders' Limits.submission_budget_s); 0 until next synced.
    time_budget_s = models.FloatField(db_default=0.0)  # a database default: older code may insert rows
    memory_limit_mib = models.IntegerField()
    case_count = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic", "order", "slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def bundle_slug(self) -> str:
        """The slug its authors gave it, without the namespace."""
        return self.slug.split("--", 1)[1] if self.namespace else self.slug

    @property
    def runs_in_sandbox(self) -> bool:
        """Whether its bundle's own code (cases, reference, mistakes) is an instructor's, to run only in
        the sandbox: a course repository's namespace, "c<course id>" (courses.content.selectors)."""
        return self.namespace.startswith("c") and self.namespace[1:].isdigit()

    @property
    def tolerance_text(self) -> str:
        return f"rtol={self.rtol:g}, atol={self.atol:g}"

    def title(self, language: str) -> str:
        return self.title_zh if language.startswith("zh") else self.title_en

    def statement_html(self, language: str) -> str:
        return self.statement_zh_html if language.startswith("zh") else self.statement_en_html
