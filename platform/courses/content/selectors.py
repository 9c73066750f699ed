from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext

from courses.models import ContentRepository, ContentVersion, Course
from graders.errors import BundleError
from graders.quiz import Question, Variant
from graders.quiz.language import in_language
from graders.quiz.precomputed import load_precomputed_cached
from graders.quiz.values import format_value
from quizzes.presenters import render_block, render_inline

LANGUAGES = ("en", "zh")
PREVIEW_DRAWS = 3  # variants of each parameterized question shown before publishing


def course_namespace(course: Course | int) -> str:
    """The namespace of a course's own content: its exercises' slugs are "c<id>--<slug>"."""
    return f"c{course if isinstance(course, int) else course.pk}"


def course_of_namespace(namespace: str) -> int | None:
    """The course id a namespace belongs to, or None for a deployment folder's namespace."""
    if namespace.startswith("c") and namespace[1:].isdigit():
        return int(namespace[1:])
    return None


def repository_of(course: Course) -> ContentRepository | None:
    return ContentRepository.objects.filter(course=course).first()


@dataclass
class BundleVersions:
    kind: str  # ContentVersion.Kind
    slug: str
    versions: list[ContentVersion] = field(default_factory=list)


def versions_by_bundle(repository: ContentRepository) -> list[BundleVersions]:
    """Every version of every bundle, exercises first, by slug, newest first."""
    grouped: dict[tuple[str, str], BundleVersions] = {}
    for version in repository.versions.order_by("kind", "slug", "-created_at", "-id"):
        key = (version.kind, version.slug)
        grouped.setdefault(key, BundleVersions(version.kind, version.slug)).versions.append(version)
    return list(grouped.values())


@dataclass
class DrawnPreview:
    values: list[tuple[str, str]]  # the numbers shown, by name
    prompt_html: str
    answer_html: str


@dataclass
class QuestionPreview:
    key: str
    type_label: str
    parameterized: bool
    options_html: list[str]
    draws: list[DrawnPreview]


@dataclass
class QuizPreview:
    language: str
    title: str
    intro_html: str
    questions: list[QuestionPreview]


def _answer_html(question: Question, variant: Variant, language: str) -> str:
    answer = variant.answer
    if question.options:
        ids = [answer] if isinstance(answer, str) else list(answer or [])
        texts = [in_language(question.option(i).text, language) for i in ids if question.option(i) is not None]
        return " → ".join(render_inline(text) for text in texts)
    return render_inline(f"${format_value(answer)}$") if answer is not None else ""


def quiz_version_preview(version: ContentVersion) -> list[QuizPreview] | None:
    """A quiz version as students will see it, in each language: every question, and PREVIEW_DRAWS drawn variants
    of each parameterized one with their right answer. Read from the kept copy and its kept variants (params.py
    is not imported); None when they do not load."""
    try:
        bundle = load_precomputed_cached(version.path)
    except (BundleError, OSError):
        return None
    previews = []
    for language in LANGUAGES:
        questions = []
        for question in bundle.questions:
            seeds = range(PREVIEW_DRAWS if question.parameterized else 1)
            draws = []
            for seed in seeds:
                variant = bundle.variant(question, seed)
                shown = [(name, variant.values[name]) for name in variant.inputs]
                draws.append(
                    DrawnPreview(
                        shown, render_block(variant.prompt(language)), _answer_html(question, variant, language)
                    )
                )
            questions.append(
                QuestionPreview(
                    key=question.key,
                    type_label=gettext(question.label),
                    parameterized=question.parameterized,
                    options_html=[render_inline(in_language(option.text, language)) for option in question.options],
                    draws=draws,
                )
            )
        previews.append(
            QuizPreview(
                language=language,
                title=in_language(bundle.title, language),
                intro_html=render_block(in_language(bundle.intro, language)) if bundle.intro else "",
                questions=questions,
            )
        )
    return previews
