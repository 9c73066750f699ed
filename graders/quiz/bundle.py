"""Load and validate quiz bundles (quizzes/<slug>/): pure Python, no Django.

A quiz bundle holds ``quiz.toml`` (the quiz and its questions, every text in English and Chinese)
and, when some questions are parameterized, ``params.py``. The question types are in
graders/quiz/types/, listed in graders/quiz/registry.py.

A parameterized question names ``params = "name"``: ``params.py`` then defines
``draw_name(rng) -> dict`` (the numbers shown, drawn from a ``numpy.random.Generator``) and
``name(**inputs) -> answer`` (computed with NumPy from exactly the numbers shown), and may define
``work_name(**inputs) -> dict`` (intermediate numbers for the explanation). Prompts and
explanations use ``{{name}}`` placeholders; ``{{answer}}`` is the answer. The seed comes from the
caller: the platform derives one per student, question and attempt, and never trusts one from a
form.

A course repository's quiz is an instructor's code: the platform never imports its params.py. Its
variants are drawn once in the sandbox when a version is synced (graders/quiz/sandboxed.py), checked
as hostile input and kept (graders/quiz/precomputed.py); the bundle then carries them as
``precomputed`` and a seed picks one of them.
"""

from __future__ import annotations

import functools
import math
import tomllib
import uuid as uuid_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from graders.bundle import SLUG_PATTERN, TOPICS, _hash_folder, _load_module
from graders.errors import BundleError
from graders.manifest import BILINGUAL, INTEGER, NUMBER, TEXT, Field, Table, TableList, Value, check_manifest
from graders.quiz.errors import DefinitionError
from graders.quiz.language import read_texts
from graders.quiz.question import Question, Variant
from graders.quiz.registry import QUESTION_TYPES
from graders.quiz.values import PLACEHOLDER, format_value, leaves, plain

VALIDATION_SEEDS = 64  # a parameterized question is drawn this many times when its bundle loads
MIN_DISTINCT_VARIANTS = 16  # ... and must give at least this many different variants
QUESTION_TYPE = Value((str,), choices=tuple(QUESTION_TYPES))


def question_table(raw: Mapping[str, Any]) -> Table:
    """The keys a [[questions]] table may hold: the common ones and those of its type."""
    kind = QUESTION_TYPES.get(raw["type"]) if isinstance(raw.get("type"), str) else None
    if kind is None:  # the schema then says which types there are
        return Table({"type": QUESTION_TYPE}, required=("type",))
    keys: dict[str, Field] = {
        "uuid": TEXT,
        "key": TEXT,
        "type": QUESTION_TYPE,
        "prompt": BILINGUAL,
        "explanation": BILINGUAL,
        "weight": NUMBER,
        "partial": Value((str,), choices=kind.partial_rules),
    }
    if kind.parameterizable:
        keys["params"] = TEXT
    return Table({**keys, **kind.fields}, required=("uuid", "key", "type", "prompt", "explanation"))


QUIZ_MANIFEST = Table(
    {
        "uuid": TEXT,
        "slug": TEXT,
        "topic": TEXT,
        "order": INTEGER,
        "points": NUMBER,
        "title": BILINGUAL,
        "intro": BILINGUAL,
        "questions": TableList(question_table, label_key="key"),
    },
    required=("uuid", "slug", "topic", "title", "questions"),
)


@dataclass(frozen=True)
class Drawn:
    """One variant of a parameterized question as params.py gave it for one seed (JSON-ready values)."""

    inputs: dict[str, Any]  # the numbers shown
    answer: Any
    work: dict[str, Any]  # the numbers the explanation quotes (work_<name>), may be empty


@dataclass(frozen=True)
class QuizBundle:
    path: Path
    uuid: str
    slug: str
    topic: str
    order: int
    points: float
    title: dict[str, str]
    intro: dict[str, str]
    questions: tuple[Question, ...]
    content_hash: str
    # A course quiz's variants per parameterized question key, drawn in the sandbox; None for a built-in quiz.
    precomputed: Mapping[str, tuple[Drawn, ...]] | None = None

    @functools.cached_property
    def _params(self) -> ModuleType | None:
        if self.precomputed is not None:
            raise RuntimeError("a course quiz's params.py never runs on the platform: its variants are precomputed")
        path = self.path / "params.py"
        if not path.is_file():
            return None
        return _load_module(path, f"dlgrade_quiz_params_{self.slug.replace('-', '_')}_{self.content_hash[:8]}")

    def question(self, key: str) -> Question | None:
        return next((question for question in self.questions if question.key == key), None)

    def answer_function(self, question: Question) -> Callable[..., Any]:
        """The NumPy function that computes a parameterized question's answer from its inputs."""
        return getattr(self._params, question.params)

    def variant(self, question: Question, seed: int) -> Variant:
        """Draw the question for one seed; the same seed always gives the same variant."""
        rng = np.random.default_rng(seed)
        if question.parameterized and self.precomputed is not None:
            table = self.precomputed[question.key]
            return self._assemble(question, seed, table[seed % len(table)], rng)
        inputs: dict[str, Any] = {}
        if question.parameterized:
            inputs = plain(getattr(self._params, f"draw_{question.params}")(rng))
        return self._variant(question, seed, inputs, rng)

    def variant_from_inputs(self, question: Question, inputs: dict[str, Any], seed: int = 0) -> Variant:
        """Rebuild the variant a student was shown from its stored inputs (to review an answer)."""
        rng = np.random.default_rng(seed)
        if question.parameterized and self.precomputed is not None:
            drawn = next((d for d in self.precomputed[question.key] if d.inputs == inputs), None)
            if drawn is None:  # drawn from another version's table: the numbers shown, the rest unknown
                unknown = dict.fromkeys(placeholders(question), "?")
                shown = {name: format_value(value) for name, value in inputs.items()}
                return Variant(question, seed, dict(inputs), {**unknown, **shown}, None, question.display_order(rng))
            return self._assemble(question, seed, drawn, rng)
        return self._variant(question, seed, dict(inputs) if question.parameterized else {}, rng)

    def _variant(self, question: Question, seed: int, inputs: dict[str, Any], rng: np.random.Generator) -> Variant:
        if not question.parameterized:
            return self._assemble(question, seed, Drawn(inputs, question.answer, {}), rng)
        params = self._params
        answer = plain(getattr(params, question.params)(**inputs))
        work = getattr(params, f"work_{question.params}", None)
        extras = plain(work(**inputs)) if work is not None else {}
        return self._assemble(question, seed, Drawn(inputs, answer, extras), rng)

    def _assemble(self, question: Question, seed: int, drawn: Drawn, rng: np.random.Generator) -> Variant:
        values: dict[str, str] = {}
        if question.parameterized:
            values = {name: format_value(value) for name, value in {**drawn.inputs, **drawn.work}.items()}
            values["answer"] = format_value(drawn.answer)
        return Variant(question, seed, drawn.inputs, values, drawn.answer, question.display_order(rng))


# --- loading and validation -------------------------------------------------------------------------


def _number(value: float, what: str) -> float:
    if not math.isfinite(value):
        raise DefinitionError(f"{what} must be a finite number")
    return float(value)


def _question(raw: Mapping[str, Any]) -> Question:
    """One [[questions]] table, whose keys the manifest schema has checked; DefinitionError if it is wrong."""
    kind = QUESTION_TYPES[raw["type"]]
    try:
        question_uuid = str(uuid_module.UUID(raw["uuid"]))
    except ValueError:
        raise DefinitionError(f"`uuid` {raw['uuid']!r} is not a UUID") from None
    prompt = read_texts(raw["prompt"], "prompt")
    explanation = read_texts(raw["explanation"], "explanation")
    weight = _number(raw.get("weight", 1), "weight")
    if weight <= 0:
        raise DefinitionError("weight must be > 0")
    params = raw.get("params")
    if params is not None and not params.isidentifier():
        raise DefinitionError("`params` must name a function of params.py")
    if params is None and any(PLACEHOLDER.search(text) for text in (*prompt.values(), *explanation.values())):
        raise DefinitionError("uses {{...}} placeholders but has no `params`")
    common = {
        "uuid": question_uuid,
        "key": raw["key"],
        "prompt": prompt,
        "explanation": explanation,
        "params": params,
        "partial": raw.get("partial", kind.partial_rules[0]),
        "weight": weight,
    }
    return kind.validate(raw, common)


def _questions(raw_questions: list[dict[str, Any]], path: Path) -> tuple[Question, ...]:
    questions = []
    for index, raw in enumerate(raw_questions):
        key = raw["key"]
        if not SLUG_PATTERN.match(key):
            raise BundleError(path, f"question {index + 1}: `key` must use a-z, 0-9 and hyphens")
        try:
            questions.append(_question(raw))
        except DefinitionError as problem:
            raise BundleError(path, f"question {key!r}: {problem}") from None
    for attribute in ("key", "uuid"):
        seen = [getattr(question, attribute) for question in questions]
        duplicates = sorted({value for value in seen if seen.count(value) > 1})
        if duplicates:
            raise BundleError(path, f"question {attribute}s must be unique: {', '.join(duplicates)}")
    return tuple(questions)


def load_quiz(path: Path | str) -> QuizBundle:
    """Read and check a quiz bundle's quiz.toml; raise BundleError naming the problem."""
    path = Path(path)
    if not (path / "quiz.toml").is_file():
        raise BundleError(path, "missing quiz.toml")
    try:
        meta = tomllib.loads((path / "quiz.toml").read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BundleError(path, f"quiz.toml is not valid TOML: {exc}") from None
    check_manifest(meta, QUIZ_MANIFEST, bundle_path=path, file_name="quiz.toml")
    slug = meta["slug"]
    if slug != path.name or not SLUG_PATTERN.match(slug):
        raise BundleError(path, f"slug {slug!r} must match the folder name and use a-z, 0-9 and hyphens")
    try:
        quiz_uuid = str(uuid_module.UUID(meta["uuid"]))
    except ValueError:
        raise BundleError(path, f"uuid {meta['uuid']!r} is not a UUID") from None
    topic = meta["topic"]
    if topic not in TOPICS:
        raise BundleError(path, f"topic {topic!r} is not one of {', '.join(TOPICS)}")
    points = float(meta.get("points", 10))
    if not math.isfinite(points) or points <= 0:
        raise BundleError(path, "points must be a finite number > 0")
    if not meta["questions"]:
        raise BundleError(path, "quiz.toml needs at least one [[questions]]")
    questions = _questions(meta["questions"], path)
    if any(question.parameterized for question in questions) and not (path / "params.py").is_file():
        raise BundleError(path, "parameterized questions need params.py")
    try:
        title = read_texts(meta["title"], "title")
        intro = read_texts(meta["intro"], "intro") if "intro" in meta else {}
    except DefinitionError as problem:
        raise BundleError(path, str(problem)) from None
    return QuizBundle(
        path=path,
        uuid=quiz_uuid,
        slug=slug,
        topic=topic,
        order=meta.get("order", 100),
        points=points,
        title=title,
        intro=intro,
        questions=questions,
        content_hash=_hash_folder(path),
    )


def placeholders(question: Question) -> set[str]:
    """The {{names}} its prompt and explanation use, in either language."""
    return {
        name
        for text in (*question.prompt.values(), *question.explanation.values())
        for name in PLACEHOLDER.findall(text)
    }


def _check_parameterized(bundle: QuizBundle, question: Question) -> None:
    """Draw the question for every validation seed (from params.py, or from its precomputed variants)."""
    where = f"question {question.key!r}"
    if bundle.precomputed is None:
        params = bundle._params
        for name in (f"draw_{question.params}", question.params):
            if not callable(getattr(params, name, None)):
                raise BundleError(bundle.path, f"{where}: params.py does not define {name}()")
    used = placeholders(question)
    shown = set()
    for seed in range(VALIDATION_SEEDS):
        variant = bundle.variant(question, seed)
        again = bundle.variant(question, seed)
        if (variant.values, variant.answer) != (again.values, again.answer):
            raise BundleError(bundle.path, f"{where}: the same seed gives different variants")
        try:
            question.check_drawn_answer(variant.answer)
        except DefinitionError as problem:
            raise BundleError(bundle.path, f"{where}: {problem} (seed {seed})") from None
        for name, value in variant.inputs.items():
            for leaf in leaves(value):
                if isinstance(leaf, float) and float(format_value(leaf)) != leaf:
                    raise BundleError(
                        bundle.path, f"{where}: input {name}={leaf!r} is shown rounded; draw numbers as they are shown"
                    )
        missing = used - set(variant.values)
        if missing:
            raise BundleError(bundle.path, f"{where}: no value for placeholders {', '.join(sorted(missing))}")
        shown.add(tuple(sorted(variant.values.items())))
    if len(shown) < MIN_DISTINCT_VARIANTS:
        raise BundleError(
            bundle.path,
            f"{where}: only {len(shown)} different variants in {VALIDATION_SEEDS} draws; students would share them",
        )


def validate_quiz(bundle: QuizBundle) -> None:
    """Run params.py once per parameterized question and seed: it must draw, answer and fill every placeholder."""
    try:
        for question in bundle.questions:
            if question.parameterized:
                _check_parameterized(bundle, question)
    except BundleError:
        raise
    except Exception as exc:  # a bug in the bundle's own params.py
        raise BundleError(bundle.path, f"{type(exc).__name__}: {exc}") from None


def discover_quizzes(root: Path | str) -> tuple[list[QuizBundle], list[BundleError]]:
    """Load and validate every quiz under ``root``; a bad one is reported and the rest still load."""
    bundles: list[QuizBundle] = []
    errors: list[BundleError] = []
    root = Path(root)
    if not root.is_dir():
        return bundles, errors
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith((".", "_")):
            continue
        try:
            bundle = load_quiz_cached(folder)  # validating draws every question 64 times: once per content
        except BundleError as exc:
            errors.append(exc)
            continue
        bundles.append(bundle)
    owners: dict[str, Path] = {}
    for bundle in list(bundles):
        taken = [
            (value, owners[value])
            for value in (bundle.uuid, *(question.uuid for question in bundle.questions))
            if value in owners
        ]
        if taken:
            value, other = taken[0]
            errors.append(BundleError(bundle.path, f"uuid {value} is also used by {other}"))
            bundles.remove(bundle)
            continue
        for value in (bundle.uuid, *(question.uuid for question in bundle.questions)):
            owners[value] = bundle.path
    return bundles, errors


_LOADED: dict[tuple[str, str], QuizBundle] = {}


def load_quiz_cached(path: Path | str) -> QuizBundle:
    """Load and validate a quiz once per process and content; every page view and answer uses it."""
    key = (str(path), _hash_folder(Path(path)))
    if key not in _LOADED:
        bundle = load_quiz(path)
        validate_quiz(bundle)
        _LOADED[key] = bundle
    return _LOADED[key]
