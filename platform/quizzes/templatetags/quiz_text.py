"""Filters for quiz pages: a quiz phrase in the page's language, and a bundle text's inline Markdown."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from graders.quiz import QuizPhrase, render
from quizzes.presenters import render_inline

register = template.Library()


@register.filter
def phrase(value: QuizPhrase | None) -> str:
    return render(value, gettext) if value is not None else ""


@register.filter
def inline_markdown(text: str) -> str:
    """Bundle Markdown (an option, a step) as HTML; bundles are the authors' trusted content, like statements."""
    return mark_safe(render_inline(text))
