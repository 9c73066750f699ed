"""Statements and quiz texts are rendered from Markdown that a course repository may have written:
formatting and formulas survive, anything that could run or phish in a student's page does not."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from catalog.rendering import render_statement
from graders.bundle import load_bundle

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("markdown", "gone"),
    [
        ("Hi <script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<form action="https://evil.example/"><input name="password"></form>', "<form"),
        ('<iframe src="https://evil.example/"></iframe>', "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ('<a href="https://example.org" onclick="steal()">docs</a>', "onclick"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta"),
    ],
)
def test_html_that_could_run_or_phish_is_removed(markdown, gone):
    assert gone not in render_statement(markdown).lower()


def test_formatting_code_and_formulas_survive():
    html = render_statement(
        "Return **max(0, x)** for $x_{i,j} < 0$, see [NumPy](https://numpy.org).\n\n"
        "```python\ny = x if x > 0 else 0\n```\n\n$$\\sum_i a_i$$"
    )
    assert "<strong>max(0, x)</strong>" in html
    assert "$x_{i,j} &lt; 0$" in html  # the formula reaches KaTeX whole, escaped once
    assert '<a href="https://numpy.org" rel="noopener noreferrer">NumPy</a>' in html
    assert '<code class="language-python">y = x if x &gt; 0 else 0' in html
    assert "$$\\sum_i a_i$$" in html


def _built_in_texts() -> list[str]:
    texts = []
    for folder in sorted((ROOT / "exercises").iterdir()):
        if (folder / "exercise.toml").is_file():
            texts += load_bundle(folder).statement.values()
    for toml in sorted((ROOT / "quizzes").glob("*/quiz.toml")):
        for question in tomllib.loads(toml.read_text())["questions"]:
            texts += [*question["prompt"].values(), *question["explanation"].values()]
    return texts


def test_the_built_in_statements_lose_nothing_to_the_cleaning(monkeypatch):
    texts = _built_in_texts()
    cleaned = [render_statement(text) for text in texts]
    monkeypatch.setattr("catalog.rendering.nh3.clean", lambda html, **options: html)
    assert cleaned == [render_statement(text) for text in texts]
    assert len(texts) > 300
