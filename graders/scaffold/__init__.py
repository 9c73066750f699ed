"""Write a new bundle to start from: complete, passing the quality gate, with every field explained.

The templates are the folders beside this file, each file named with a ``.tmpl`` suffix (so that
no tool reads a template as code); ``{{slug}}``, ``{{function}}``, ``{{title}}``,
``{{uuid}}`` (fresh ids) and ``{{seed}}`` are filled in, any other ``{{...}}`` (a quiz placeholder)
is left as it is.
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path

from graders.bundle import SLUG_PATTERN

TEMPLATES = Path(__file__).parent
KINDS = ("exercise", "quiz")


class ScaffoldError(Exception):
    """The bundle cannot be written (bad slug, or the folder exists): nothing was written."""


def scaffold(kind: str, slug: str, root: Path | str) -> Path:
    """Write a new ``kind`` bundle named ``slug`` under ``root``; return its folder."""
    if kind not in KINDS:
        raise ScaffoldError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if not SLUG_PATTERN.match(slug):
        raise ScaffoldError(f"slug {slug!r} may use only a-z, 0-9 and single hyphens (like leaky-relu)")
    target = Path(root) / slug
    if target.exists():
        raise ScaffoldError(f"{target} already exists: choose another slug or remove it")
    values = {
        "slug": slug,
        "function": slug.replace("-", "_") if not slug[0].isdigit() else f"f_{slug.replace('-', '_')}",
        "title": slug.replace("-", " ").capitalize(),
        "seed": str(random.randrange(1000, 100000)),
        "uuid": str(uuid.uuid4()),
        "question_uuid_1": str(uuid.uuid4()),
        "question_uuid_2": str(uuid.uuid4()),
    }
    source = TEMPLATES / kind
    for file in sorted(source.rglob("*")):
        if file.suffix != ".tmpl":
            continue
        text = file.read_text(encoding="utf-8")
        for name, value in values.items():
            text = text.replace("{{" + name + "}}", value)
        out = target / file.relative_to(source).with_suffix("")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return target
