"""Render a statement's Markdown to HTML, leaving LaTeX intact for KaTeX in the browser.

Statements come from course repositories too: instructor text, shown to every student of the
course. Markdown passes raw HTML through, so the result is cleaned (nh3, the Rust ammonia
sanitizer) to an allowlist of formatting tags: no script, style, form, iframe or event
attribute, links only to http(s) and mailto, whoever wrote the bundle.
"""

import html
import re

import markdown
import nh3

# nh3's default tags and attributes, plus the language class fenced code blocks carry.
ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "code": {"class"}}
URL_SCHEMES = {"http", "https", "mailto"}

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
    rendered = nh3.clean(rendered, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES)
    return re.sub(r"@@MATH(\d+)@@", lambda m: html.escape(formulas[int(m.group(1))], quote=False), rendered)
