"""Render a statement's Markdown to HTML, leaving LaTeX intact for KaTeX in the browser."""

import html
import re

import markdown

# $$...$$ first, then inline $...$ (not across blank lines, not an escaped \$).
MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?!\s)[^$\n]+?(?<!\s)\$", re.DOTALL)


def render_statement(text: str) -> str:
    """Markdown would read `_` and `*` inside formulas as emphasis, so formulas are set aside first."""
    formulas: list[str] = []

    def hold(match: re.Match) -> str:
        formulas.append(match.group(0))
        return f"@@MATH{len(formulas) - 1}@@"

    protected = MATH.sub(hold, text)
    rendered = markdown.markdown(protected, extensions=["fenced_code", "tables", "sane_lists"], output_format="html")
    return re.sub(r"@@MATH(\d+)@@", lambda m: html.escape(formulas[int(m.group(1))], quote=False), rendered)
