import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()
BACKTICKS = re.compile(r"`([^`\n]+)`")


@register.filter
def inline_code(text: str) -> str:
    """Show `code` in feedback messages as code; everything else stays escaped text."""
    return mark_safe(BACKTICKS.sub(r"<code>\1</code>", escape(text)))
