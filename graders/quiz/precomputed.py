"""A course quiz's variants, drawn once in the sandbox and kept: the platform never imports its params.py.

A course repository's quiz is an instructor's code. When a version is synced, its parameterized
questions are drawn for seeds 0..VALIDATION_SEEDS-1 in a sandboxed job (graders/quiz/sandboxed.py);
what comes back is a table of plain values per question key: for each seed the numbers shown
(``inputs``), the ``answer`` and the explanation's numbers (``work``). ``read_table`` reads it as
hostile input (it came out of the sandbox, then out of a child process that could have been
subverted): known keys only, bounded counts, sizes and depth, finite numbers, short texts, answers
the question's type can grade. ``precompute`` then checks it as validate_quiz checks a built-in quiz
(placeholders filled, numbers shown as drawn, enough different variants).

The table is kept beside the version's kept copy (``variants_file``), outside the bundle's folder
(so it is not part of the content hash, and no file of the repository can stand in for it); a page
or an answer picks ``table[seed % len(table)]`` (QuizBundle.variant).
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

from graders.bundle import _hash_folder, namespaced_uuid
from graders.errors import BundleError
from graders.quiz.bundle import VALIDATION_SEEDS, Drawn, QuizBundle, load_quiz, validate_quiz
from graders.quiz.errors import DefinitionError
from graders.quiz.values import format_value

VARIANTS_FILE = "variants.json"
FORMAT = 1
MAX_VARIANTS = VALIDATION_SEEDS  # per question
MAX_NAMES = 32  # values in one variant (inputs and work)
MAX_LEAVES = 256  # numbers and texts in one variant
MAX_TEXT = 200  # characters of one text value
MAX_DEPTH = 2  # a value is a number, a text, a vector or a matrix
MAX_FILE_BYTES = 4 << 20


class VariantTableError(Exception):
    """The drawn variants cannot be used: what is wrong, in a sentence for the quiz's authors."""


def _leaves(value: Any, where: str, depth: int = 0) -> int:
    """Check one value (a finite number, a short text, or a list of them up to MAX_DEPTH); count its leaves."""
    if isinstance(value, bool) or value is None:
        raise VariantTableError(f"{where} is {value!r}: values are numbers, texts and lists of them")
    if isinstance(value, int):
        if abs(value) > 2**53:
            raise VariantTableError(f"{where} is an integer too large to show exactly")
        return 1
    if isinstance(value, float):
        if not math.isfinite(value):
            raise VariantTableError(f"{where} is {value!r}: numbers must be finite")
        return 1
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise VariantTableError(f"{where} is a text of {len(value)} characters, more than {MAX_TEXT}")
        if "<" in value or ">" in value:  # shown inside the page's Markdown: numbers and words, never markup
            raise VariantTableError(f"{where} is a text holding < or >: values cannot carry markup")
        return 1
    if isinstance(value, list):
        if depth >= MAX_DEPTH:
            raise VariantTableError(f"{where} is nested more than {MAX_DEPTH} lists deep")
        count = 0
        for item in value:
            count += _leaves(item, where, depth + 1)
            if count > MAX_LEAVES:
                break
        return count
    raise VariantTableError(f"{where} is a {type(value).__name__}: values are numbers, texts and lists of them")


def _named_values(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise VariantTableError(f"{where} should be a table of named values")
    if len(raw) > MAX_NAMES:
        raise VariantTableError(f"{where} holds {len(raw)} values, more than {MAX_NAMES}")
    for name in raw:
        if not isinstance(name, str) or not name.isidentifier() or len(name) > 64 or name == "answer":
            raise VariantTableError(f"{where}: {str(name)[:40]!r} is not a name a placeholder can use")
    return dict(raw)


def _drawn(raw: Any, question, where: str) -> Drawn:
    if not isinstance(raw, dict) or set(raw) != {"inputs", "answer", "work"}:
        raise VariantTableError(f"{where} should hold exactly inputs, answer and work")
    inputs = _named_values(raw["inputs"], f"{where}: inputs")
    work = _named_values(raw["work"], f"{where}: work")
    values = {**inputs, **work, "answer": raw["answer"]}
    leaves = sum(_leaves(value, f"{where}: {name}") for name, value in values.items())
    if leaves > MAX_LEAVES:
        raise VariantTableError(f"{where} holds more than {MAX_LEAVES} numbers")
    try:
        question.check_drawn_answer(raw["answer"])
        for value in values.values():
            format_value(value)
    except (DefinitionError, TypeError) as exc:
        raise VariantTableError(f"{where}: {exc}") from None
    return Drawn(inputs, raw["answer"], work)


def read_table(raw: Any, bundle: QuizBundle) -> dict[str, tuple[Drawn, ...]]:
    """The variants of every parameterized question of ``bundle``, read from untrusted ``raw``; or VariantTableError."""
    parameterized = {question.key: question for question in bundle.questions if question.parameterized}
    if not isinstance(raw, dict):
        raise VariantTableError("the drawn variants are not a table of questions")
    if set(raw) != set(parameterized):
        unexpected = sorted(str(key)[:40] for key in set(raw) - set(parameterized))
        missing = sorted(set(parameterized) - set(raw))
        raise VariantTableError(
            "the drawn variants do not match the parameterized questions"
            + (f" (missing: {', '.join(missing)})" if missing else "")
            + (f" (not parameterized: {', '.join(unexpected)})" if unexpected else "")
        )
    table = {}
    for key, question in parameterized.items():
        entries = raw[key]
        if not isinstance(entries, list) or not 0 < len(entries) <= MAX_VARIANTS:
            raise VariantTableError(f"question {key!r}: between 1 and {MAX_VARIANTS} variants are expected")
        table[key] = tuple(
            _drawn(entry, question, f"question {key!r}, variant {index}") for index, entry in enumerate(entries)
        )
    return table


def table_json(table: dict[str, tuple[Drawn, ...]]) -> dict[str, list[dict[str, Any]]]:
    return {key: [dataclasses.asdict(drawn) for drawn in entries] for key, entries in table.items()}


def precompute(bundle: QuizBundle, raw: Any) -> QuizBundle:
    """``bundle`` carrying the variants ``raw`` holds, checked as hostile input and as validate_quiz checks a quiz.

    Raises VariantTableError when the values are malformed, BundleError when they fail the quiz's checks.
    """
    carried = dataclasses.replace(bundle, precomputed=read_table(raw, bundle))
    validate_quiz(carried)
    return carried


def variants_file(bundle_path: Path | str) -> Path:
    """Where a kept version's variants are: beside its folder, never inside it."""
    return Path(bundle_path).parent / VARIANTS_FILE


def write_variants(bundle: QuizBundle) -> Path:
    """Keep the variants of a checked, precomputed bundle beside its folder."""
    assert bundle.precomputed is not None
    file = variants_file(bundle.path)
    data = {"format": FORMAT, "content_hash": bundle.content_hash, "variants": table_json(dict(bundle.precomputed))}
    file.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return file


def load_precomputed(path: Path | str, namespace: str = "") -> QuizBundle:
    """A kept course quiz with its kept variants (params.py is never imported); its uuids namespaced.

    Raises BundleError when the quiz or its variants do not load.
    """
    bundle = load_quiz(path)
    file = variants_file(bundle.path)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise BundleError(bundle.path, f"{VARIANTS_FILE} is larger than {MAX_FILE_BYTES >> 20} MiB")
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BundleError(bundle.path, f"the drawn variants ({VARIANTS_FILE}) cannot be read") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("content_hash") != bundle.content_hash:
        raise BundleError(bundle.path, f"the drawn variants ({VARIANTS_FILE}) are of another version")
    try:
        bundle = precompute(bundle, data.get("variants"))
    except VariantTableError as exc:
        raise BundleError(bundle.path, str(exc)) from None
    if namespace:
        bundle = dataclasses.replace(
            bundle,
            uuid=namespaced_uuid(namespace, bundle.uuid),
            questions=tuple(
                dataclasses.replace(question, uuid=namespaced_uuid(namespace, question.uuid))
                for question in bundle.questions
            ),
        )
    return bundle


_LOADED: dict[tuple[str, str, str, int], QuizBundle] = {}
MAX_KEPT = 256


def load_precomputed_cached(path: Path | str, namespace: str = "") -> QuizBundle:
    """load_precomputed once per process, version and variants file; every page view and answer uses it."""
    file = variants_file(path)
    key = (str(path), namespace, _hash_folder(Path(path)), file.stat().st_mtime_ns if file.exists() else 0)
    if key not in _LOADED:
        while len(_LOADED) >= MAX_KEPT:
            del _LOADED[next(iter(_LOADED))]
        _LOADED[key] = load_precomputed(path, namespace)
    return _LOADED[key]
