import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from graders.feedback import render, say

register = template.Library()
BACKTICKS = re.compile(r"`([^`\n]+)`")


@register.filter
def inline_code(text: str) -> str:
    """Show `code` in feedback messages as code; everything else stays escaped text."""
    return mark_safe(BACKTICKS.sub(r"<code>\1</code>", escape(text)))


@register.filter
def feedback(result) -> str:
    """A case's or verdict's message in the page's language; verdicts stored before phrases keep their text."""
    phrases = getattr(result, "phrases", ())
    return (render(phrases, gettext) if phrases else "") or result.message


@register.filter
def mistake_cases(mistake) -> str:
    """Which failed cases a named mistake explains, in the page's language."""
    return render([say("mistake_in_cases", cases=_names(mistake.cases))], gettext) if mistake.cases else ""


@register.filter
def unexplained_failures(verdict) -> str:
    """The failed cases none of the named mistakes explains: another problem remains."""
    names = getattr(verdict, "unexplained", ())
    return render([say("other_failures_remain", cases=_names(names))], gettext) if names else ""


def _names(cases) -> str:
    return ", ".join(f"`{name}`" for name in cases)


@register.filter
def has_hidden(verdict) -> bool:
    """Whether the verdict lists hidden cases (the panel then says why they show so little)."""
    return any(case.hidden for case in getattr(verdict, "cases", ()))
