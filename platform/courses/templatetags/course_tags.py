from django import template
from django.utils.translation import get_language

from courses.selectors import user_teaches
from graders.quiz.language import topic_name

register = template.Library()


@register.simple_tag(takes_context=True)
def teaches_any(context) -> bool:
    """Whether the signed-in user is an instructor or TA somewhere (the nav shows "Dashboard")."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    cached = getattr(request, "_teaches_any", None)
    if cached is None:
        cached = request._teaches_any = user_teaches(user=request.user)
    return cached


@register.filter
def points(value) -> str:
    """10.0 -> "10", 7.3333 -> "7.33"."""
    if value is None or value == "":
        return "—"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


@register.filter
def percent(value, digits: int = 0) -> str:
    """A fraction in [0, 1] as a percentage."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def credited(score, penalty) -> float | None:
    """A raw score in [0, 1] after a late penalty (the fraction lost), as the gradebook counts it."""
    if score is None or score == "":
        return None
    return round(float(score) * (1.0 - float(penalty or 0.0)), 6)


@register.filter
def topic_label(topic: str) -> str:
    """A topic's name in the page's language (exercises and quizzes store its slug)."""
    return topic_name(topic, get_language() or "en")
