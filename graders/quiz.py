"""Load, validate and grade quiz bundles (quizzes/<slug>/): pure Python, no Django.

A quiz bundle holds ``quiz.toml`` (the quiz and its questions, every text in English and Chinese)
and, when some questions are parameterized, ``params.py``. Four question types:

- ``single``: one option id is right.
- ``multiple``: several option ids are right; partial credit per ``partial`` (see ``grade``).
- ``numeric``: a number within a stated tolerance, ``|got - want| <= abs + rel * |want|``.
- ``ordering``: the option ids in the right order; shown shuffled, credit per position.

A parameterized question (numeric only) names ``params = "name"``: ``params.py`` then defines
``draw_name(rng) -> dict`` (the numbers shown, drawn from a ``numpy.random.Generator``) and
``name(**inputs) -> number`` (the answer, computed with NumPy from exactly the numbers shown), and
may define ``work_name(**inputs) -> dict`` (intermediate numbers for the explanation). Prompts and
explanations use ``{{name}}`` placeholders; ``{{answer}}`` is the answer. The seed comes from the
caller: the platform derives one per student, question and attempt, and never trusts one from a
form.

Answers arrive as the raw strings of a form field (``parse_response``); anything that is not a
valid answer raises ``AnswerError`` with a message in both languages, before anything is graded.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
import uuid as uuid_module
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from graders.bundle import SLUG_PATTERN, TOPICS, BundleError, _hash_folder, _load_module

QUESTION_TYPES = ("single", "multiple", "numeric", "ordering")
PARTIAL_RULES = {
    "single": ("all-or-nothing",),
    "numeric": ("all-or-nothing",),
    "multiple": ("proportional", "all-or-nothing"),
    "ordering": ("positions", "all-or-nothing"),
}
DEFAULT_PARTIAL = {
    "single": "all-or-nothing",
    "numeric": "all-or-nothing",
    "multiple": "proportional",
    "ordering": "positions",
}
LANGUAGES = ("en", "zh")
OPTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
QUIZ_KEYS = {"uuid", "slug", "topic", "order", "points", "title", "intro", "questions"}
QUESTION_KEYS = {
    "uuid", "key", "type", "prompt", "explanation", "options", "answer",
    "tolerance", "params", "partial", "weight",
}  # fmt: skip
MAX_RAW_CHARS = 64
VALIDATION_SEEDS = 64  # a parameterized question is drawn this many times when its bundle loads
MIN_DISTINCT_VARIANTS = 16  # ... and must give at least this many different variants


class AnswerError(ValueError):
    """An answer that cannot be graded. ``tampered`` marks input no honest form can send."""

    def __init__(self, en: str, zh: str, *, tampered: bool = False) -> None:
        super().__init__(en)
        self.messages = {"en": en, "zh": zh}
        self.tampered = tampered

    def message(self, language: str) -> str:
        return self.messages["zh" if language.startswith("zh") else "en"]


@dataclass(frozen=True)
class Option:
    id: str
    text: dict[str, str]


@dataclass(frozen=True)
class Tolerance:
    """A numeric answer is right when ``|got - want| <= abs + rel * |want|``."""

    abs: float = 0.0
    rel: float = 0.0

    def accepts(self, got: float, want: float) -> bool:
        # A hair of slack so that a bound typed exactly (want + abs) is not lost to float rounding.
        return abs(got - want) <= self.abs + self.rel * abs(want) + 1e-12 * max(1.0, abs(want))

    def describe(self, language: str) -> str:
        zh = language.startswith("zh")
        if self.abs == 0 and self.rel == 0:
            return "需要精确值" if zh else "exact value"
        parts = []
        if self.abs:
            parts.append(f"±{_fmt(self.abs)}")
        if self.rel:
            parts.append(f"±{_fmt(self.rel * 100)} %" + (" (相对)" if zh else " (relative)"))
        joined = " + ".join(parts)
        return f"误差在 {joined} 以内即算正确" if zh else f"accepted within {joined}"


@dataclass(frozen=True)
class Question:
    uuid: str
    key: str
    type: str
    prompt: dict[str, str]
    explanation: dict[str, str]
    options: tuple[Option, ...] = ()
    answer: Any = None  # option id / tuple of ids / float / tuple order; None when parameterized
    tolerance: Tolerance | None = None
    params: str | None = None
    partial: str = "all-or-nothing"
    weight: float = 1.0

    @property
    def parameterized(self) -> bool:
        return self.params is not None

    def option(self, option_id: str) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)


@dataclass(frozen=True)
class Variant:
    """One student's version of a question: its numbers, its answer and its display order."""

    question: Question
    seed: int
    inputs: dict[str, Any]  # the drawn numbers, JSON-ready
    values: dict[str, str]  # every placeholder, formatted for display
    answer: Any
    option_order: tuple[str, ...]

    def prompt(self, language: str) -> str:
        return fill(self.question.prompt[_lang(language)], self.values)

    def explanation(self, language: str) -> str:
        return fill(self.question.explanation[_lang(language)], self.values)

    def options(self) -> list[Option]:
        return [self.question.option(option_id) for option_id in self.option_order]


@dataclass(frozen=True)
class Result:
    score: float  # in [0, 1]
    correct: bool
    response: Any  # the normalized answer: an id, a list of ids, a float, an order
    answer: Any  # the right answer of this variant, JSON-ready


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

    @functools.cached_property
    def _params(self) -> ModuleType | None:
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
        inputs: dict[str, Any] = {}
        if question.parameterized:
            inputs = _plain(getattr(self._params, f"draw_{question.params}")(rng))
        return self._variant(question, seed, inputs, rng)

    def variant_from_inputs(self, question: Question, inputs: dict[str, Any], seed: int = 0) -> Variant:
        """Rebuild the variant a student was shown from its stored inputs (to review an answer)."""
        return self._variant(
            question, seed, dict(inputs) if question.parameterized else {}, np.random.default_rng(seed)
        )

    def _variant(self, question: Question, seed: int, inputs: dict[str, Any], rng: np.random.Generator) -> Variant:
        values: dict[str, str] = {}
        answer = question.answer
        if question.parameterized:
            params = self._params
            answer = _plain(getattr(params, question.params)(**inputs))
            work = getattr(params, f"work_{question.params}", None)
            extras = _plain(work(**inputs)) if work is not None else {}
            values = {name: format_value(value) for name, value in {**inputs, **extras}.items()}
            values["answer"] = format_value(answer)
        order = tuple(option.id for option in question.options)
        if question.type == "ordering":
            order = _shuffled(order, rng)
        return Variant(question, seed, inputs, values, answer, order)


def _lang(language: str) -> str:
    return "zh" if language.startswith("zh") else "en"


def _shuffled(ids: tuple[str, ...], rng: np.random.Generator) -> tuple[str, ...]:
    """A permutation that never shows the right order (that would give the answer away)."""
    permutation = tuple(ids[i] for i in rng.permutation(len(ids)))
    if permutation == ids:
        permutation = permutation[1:] + permutation[:1]
    return permutation


def _plain(value: Any) -> Any:
    """NumPy scalars and arrays to Python numbers and lists (JSON-ready, formattable)."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _fmt(number: float) -> str:
    if isinstance(number, int) or float(number).is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(float(number), ".6g")


def format_value(value: Any) -> str:
    """Numbers as typed by a person; a vector as (a, b, c); a matrix as a LaTeX pmatrix."""
    if isinstance(value, bool):
        raise TypeError("a parameter value cannot be a boolean")
    if isinstance(value, (int, float)):
        return _fmt(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
        rows = [" & ".join(format_value(item) for item in row) for row in value]
        return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"
    if isinstance(value, list):
        return "(" + ", ".join(format_value(item) for item in value) + ")"
    raise TypeError(f"cannot show a parameter of type {type(value).__name__}")


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


# --- answers -------------------------------------------------------------------------------------


def _tampered() -> AnswerError:
    return AnswerError(
        "This answer does not match the question on the page (the form was changed). Reload the page and answer again.",
        "提交的答案与页面上的题目不符（表单被修改过）。请刷新页面后重新作答。",
        tampered=True,
    )


def parse_number(text: str) -> float:
    """A number typed by a student: '0.75', '-2', '1e-3'; a clear message for anything else."""
    cleaned = text.strip().replace("\u2212", "-").replace("\uff0d", "-")
    if not cleaned:
        raise AnswerError("Enter a number.", "请输入一个数字。")
    if len(cleaned) > MAX_RAW_CHARS:
        raise AnswerError("That answer is too long: enter one number.", "答案太长：请只输入一个数字。")
    shown = cleaned[:24]
    if "," in cleaned or "\uff0c" in cleaned:
        raise AnswerError(
            f"“{shown}” is not a number here: write it without commas, with a dot for decimals, e.g. 1769472 or 0.75.",
            f"“{shown}”不是有效的数字：请不要用逗号，小数用小数点，例如 1769472 或 0.75。",
        )
    try:
        number = float(cleaned)
    except ValueError:
        raise AnswerError(
            f"“{shown}” is not a number: enter a number such as 4, -0.25 or 1e-3.",
            f"“{shown}”不是数字：请输入数字，例如 4、-0.25 或 1e-3。",
        ) from None
    if not math.isfinite(number):
        raise AnswerError("Enter a finite number (not inf or NaN).", "请输入一个有限的数（不能是 inf 或 NaN）。")
    return number


def parse_response(question: Question, raw: list[str]) -> Any:
    """Turn a form field's values into a normalized answer, or raise AnswerError saying what is wrong."""
    if any(not isinstance(item, str) or len(item) > MAX_RAW_CHARS for item in raw):
        raise _tampered()
    ids = {option.id for option in question.options}
    if question.type == "numeric":
        if len(raw) > 1:
            raise _tampered()
        return parse_number(raw[0] if raw else "")
    if question.type == "single":
        chosen = [item for item in raw if item]
        if not chosen:
            raise AnswerError("Choose one option.", "请选择一个选项。")
        if len(chosen) > 1 or chosen[0] not in ids:
            raise _tampered()
        return chosen[0]
    if question.type == "multiple":
        chosen = [item for item in raw if item]
        if not chosen:
            raise AnswerError(
                "Tick at least one option: an empty answer is not graded.",
                "请至少勾选一个选项：空白答案不会被评分。",
            )
        if any(item not in ids for item in chosen):
            raise _tampered()
        return sorted(set(chosen), key=[option.id for option in question.options].index)
    # ordering: one value per position, in position order
    if len(raw) != len(question.options):
        raise _tampered()
    if any(item and item not in ids for item in raw):
        raise _tampered()
    if not all(raw):
        raise AnswerError("Fill every position with a step.", "请为每个位置选择一个步骤。")
    repeated = sorted({item for item in raw if raw.count(item) > 1})
    if repeated:
        label = ", ".join(repeated)
        raise AnswerError(
            f"Use every step exactly once (used more than once: {label}).",
            f"每个步骤只能使用一次（重复使用了：{label}）。",
        )
    return list(raw)


def grade(variant: Variant, response: Any) -> Result:
    """Score a parsed response against this variant's answer.

    - single, numeric: 1 or 0.
    - multiple, ``proportional``: with k right and m wrong options, every right option ticked earns
      1/k, every wrong option ticked costs 1/m, and the score never goes below 0 (ticking every
      option scores 0). ``all-or-nothing``: 1 only for exactly the right set.
    - ordering, ``positions``: each step in its right position earns 1/n. ``all-or-nothing``: 1 or 0.
    """
    question = variant.question
    answer = variant.answer
    if question.type == "numeric":
        correct = question.tolerance.accepts(float(response), float(answer))
        return Result(1.0 if correct else 0.0, correct, float(response), answer)
    if question.type == "single":
        correct = response == answer
        return Result(1.0 if correct else 0.0, correct, response, answer)
    if question.type == "multiple":
        right, chosen = set(answer), set(response)
        correct = chosen == right
        if question.partial == "all-or-nothing":
            score = 1.0 if correct else 0.0
        else:
            wrong_options = len(question.options) - len(right)
            score = len(chosen & right) / len(right) - len(chosen - right) / wrong_options
            score = min(1.0, max(0.0, score))
        return Result(score, correct, list(response), list(answer))
    in_place = sum(got == want for got, want in zip(response, answer, strict=True))
    correct = in_place == len(answer)
    score = (1.0 if correct else 0.0) if question.partial == "all-or-nothing" else in_place / len(answer)
    return Result(score, correct, list(response), list(answer))


def partial_rule(question: Question, language: str) -> str:
    """The partial-credit rule as the page states it, in the student's language."""
    zh = language.startswith("zh")
    if question.type == "multiple" and question.partial == "proportional":
        if zh:
            return "部分得分：设共有 k 个正确选项、m 个错误选项，每勾选一个正确选项得 1/k，每勾选一个错误选项扣 1/m，最低 0 分。"
        return (
            "Partial credit: with k correct and m wrong options, each correct option you tick earns 1/k, "
            "each wrong option you tick costs 1/m; the score never goes below 0."
        )
    if question.type == "ordering" and question.partial == "positions":
        if zh:
            return "部分得分：共 n 个步骤，每个放在正确位置上的步骤得 1/n。"
        return "Partial credit: with n steps, each step in its correct position earns 1/n."
    if question.type in ("multiple", "ordering"):
        return "全对才得分。" if zh else "All or nothing: only the fully correct answer scores."
    return ""


# --- loading and validation -------------------------------------------------------------------------


def _texts(value: Any, path: Path, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGUAGES
    ):
        raise BundleError(path, f"{where} needs non-empty `en` and `zh` texts")
    extra = set(value) - set(LANGUAGES)
    if extra:
        raise BundleError(path, f"{where} has unknown languages: {', '.join(sorted(extra))}")
    return {lang: value[lang].strip() for lang in LANGUAGES}


def _number(value: Any, path: Path, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BundleError(path, f"{where} must be a finite number")
    return float(value)


def _question(raw: Any, index: int, path: Path) -> Question:
    where = f"question {index + 1}"
    if not isinstance(raw, dict):
        raise BundleError(path, f"{where} is not a table")
    unknown = set(raw) - QUESTION_KEYS
    if unknown:
        raise BundleError(path, f"{where} has unknown fields: {', '.join(sorted(unknown))}")
    key = raw.get("key")
    if not isinstance(key, str) or not SLUG_PATTERN.match(key):
        raise BundleError(path, f"{where}: `key` must use a-z, 0-9 and hyphens")
    where = f"question {key!r}"
    try:
        question_uuid = str(uuid_module.UUID(str(raw.get("uuid", ""))))
    except ValueError:
        raise BundleError(path, f"{where}: `uuid` {raw.get('uuid')!r} is not a UUID") from None
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        raise BundleError(path, f"{where}: `type` must be one of {', '.join(QUESTION_TYPES)}")
    prompt = _texts(raw.get("prompt"), path, f"{where}: prompt")
    explanation = _texts(raw.get("explanation"), path, f"{where}: explanation")
    partial = raw.get("partial", DEFAULT_PARTIAL[kind])
    if partial not in PARTIAL_RULES[kind]:
        raise BundleError(path, f"{where}: `partial` must be one of {', '.join(PARTIAL_RULES[kind])} for {kind}")
    weight = _number(raw.get("weight", 1), path, f"{where}: weight")
    if weight <= 0:
        raise BundleError(path, f"{where}: weight must be > 0")

    options: list[Option] = []
    for option in raw.get("options", []):
        if not isinstance(option, dict) or not isinstance(option.get("id"), str) or not OPTION_ID.match(option["id"]):
            raise BundleError(path, f"{where}: every option needs an `id` of a-z, 0-9, _ and -")
        text = {lang: option.get(lang) for lang in LANGUAGES}
        options.append(Option(option["id"], _texts(text, path, f"{where}: option {option['id']!r}")))
    ids = [option.id for option in options]
    if len(set(ids)) != len(ids):
        raise BundleError(path, f"{where}: option ids must be unique")

    params = raw.get("params")
    answer = raw.get("answer")
    tolerance = None
    if kind == "numeric":
        if options:
            raise BundleError(path, f"{where}: a numeric question has no options")
        table = raw.get("tolerance")
        if not isinstance(table, dict) or not set(table) <= {"abs", "rel"}:
            raise BundleError(path, f"{where}: a numeric question needs `tolerance = {{ abs = ..., rel = ... }}`")
        tolerance = Tolerance(
            _number(table.get("abs", 0), path, f"{where}: tolerance.abs"),
            _number(table.get("rel", 0), path, f"{where}: tolerance.rel"),
        )
        if tolerance.abs < 0 or not 0 <= tolerance.rel < 1:
            raise BundleError(path, f"{where}: tolerances must be >= 0 (rel < 1)")
        if (params is None) == (answer is None):
            raise BundleError(path, f"{where}: a numeric question needs either `answer` or `params`, not both")
        if params is not None and (not isinstance(params, str) or not params.isidentifier()):
            raise BundleError(path, f"{where}: `params` must name a function of params.py")
        if answer is not None:
            answer = _number(answer, path, f"{where}: answer")
    else:
        if params is not None or "tolerance" in raw:
            raise BundleError(path, f"{where}: only numeric questions take `params` or `tolerance`")
        if kind == "single":
            if len(options) < 2 or answer not in ids:
                raise BundleError(path, f"{where}: a single choice needs 2+ options and `answer` = one option id")
        elif kind == "multiple":
            if (
                not isinstance(answer, list)
                or not answer
                or len(set(answer)) != len(answer)
                or not set(answer) <= set(ids)
            ):
                raise BundleError(path, f"{where}: `answer` must list distinct option ids")
            if len(answer) == len(ids) or len(ids) < 3:
                raise BundleError(path, f"{where}: a multiple choice needs 3+ options and at least one wrong one")
            answer = tuple(answer)
        else:
            if len(options) < 3 or not isinstance(answer, list) or sorted(answer) != sorted(ids):
                raise BundleError(path, f"{where}: an ordering needs 3+ items and `answer` = all their ids in order")
            if answer == sorted(answer):
                raise BundleError(path, f"{where}: the ids in alphabetical order give the answer away; rename them")
            answer = tuple(answer)
        if any(PLACEHOLDER.search(text) for text in (*prompt.values(), *explanation.values())):
            raise BundleError(path, f"{where}: uses {{{{...}}}} placeholders but has no `params`")
    return Question(
        uuid=question_uuid,
        key=key,
        type=kind,
        prompt=prompt,
        explanation=explanation,
        options=tuple(options),
        answer=answer,
        tolerance=tolerance,
        params=params,
        partial=partial,
        weight=weight,
    )


def load_quiz(path: Path | str) -> QuizBundle:
    """Read and check a quiz bundle's quiz.toml; raise BundleError naming the problem."""
    path = Path(path)
    if not (path / "quiz.toml").is_file():
        raise BundleError(path, "missing quiz.toml")
    try:
        meta = tomllib.loads((path / "quiz.toml").read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BundleError(path, f"quiz.toml is not valid TOML: {exc}") from None
    unknown = set(meta) - QUIZ_KEYS
    if unknown:
        raise BundleError(path, f"quiz.toml has unknown fields: {', '.join(sorted(unknown))}")
    slug = meta.get("slug")
    if not isinstance(slug, str) or slug != path.name or not SLUG_PATTERN.match(slug):
        raise BundleError(path, f"slug {slug!r} must match the folder name and use a-z, 0-9 and hyphens")
    try:
        quiz_uuid = str(uuid_module.UUID(str(meta.get("uuid", ""))))
    except ValueError:
        raise BundleError(path, f"uuid {meta.get('uuid')!r} is not a UUID") from None
    topic = meta.get("topic")
    if topic not in TOPICS:
        raise BundleError(path, f"topic {topic!r} is not one of {', '.join(TOPICS)}")
    points = _number(meta.get("points", 10), path, "points")
    if points <= 0:
        raise BundleError(path, "points must be > 0")
    order = meta.get("order", 100)
    if not isinstance(order, int) or isinstance(order, bool):
        raise BundleError(path, "order must be an integer")
    raw_questions = meta.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise BundleError(path, "quiz.toml needs at least one [[questions]]")
    questions = tuple(_question(raw, index, path) for index, raw in enumerate(raw_questions))
    for attribute in ("key", "uuid"):
        seen = [getattr(question, attribute) for question in questions]
        duplicates = sorted({value for value in seen if seen.count(value) > 1})
        if duplicates:
            raise BundleError(path, f"question {attribute}s must be unique: {', '.join(duplicates)}")
    if any(question.parameterized for question in questions) and not (path / "params.py").is_file():
        raise BundleError(path, "parameterized questions need params.py")
    return QuizBundle(
        path=path,
        uuid=quiz_uuid,
        slug=slug,
        topic=topic,
        order=order,
        points=points,
        title=_texts(meta.get("title"), path, "title"),
        intro=_texts(meta["intro"], path, "intro") if "intro" in meta else {},
        questions=questions,
        content_hash=_hash_folder(path),
    )


def _check_parameterized(bundle: QuizBundle, question: Question) -> None:
    where = f"question {question.key!r}"
    params = bundle._params
    for name in (f"draw_{question.params}", question.params):
        if not callable(getattr(params, name, None)):
            raise BundleError(bundle.path, f"{where}: params.py does not define {name}()")
    used = {
        name
        for text in (*question.prompt.values(), *question.explanation.values())
        for name in PLACEHOLDER.findall(text)
    }
    shown = set()
    for seed in range(VALIDATION_SEEDS):
        variant = bundle.variant(question, seed)
        again = bundle.variant(question, seed)
        if (variant.values, variant.answer) != (again.values, again.answer):
            raise BundleError(bundle.path, f"{where}: the same seed gives different variants")
        if isinstance(variant.answer, bool) or not isinstance(variant.answer, (int, float)):
            raise BundleError(bundle.path, f"{where}: {question.params}() must return a number")
        if not math.isfinite(variant.answer):
            raise BundleError(bundle.path, f"{where}: {question.params}() gives a non-finite answer for seed {seed}")
        for name, value in variant.inputs.items():
            for leaf in _leaves(value):
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


def _leaves(value: Any):
    if isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


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
            bundle = load_quiz(folder)
            validate_quiz(bundle)
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


__all__ = [
    "AnswerError",
    "Option",
    "Question",
    "QuizBundle",
    "Result",
    "Tolerance",
    "Variant",
    "discover_quizzes",
    "fill",
    "format_value",
    "grade",
    "load_quiz",
    "load_quiz_cached",
    "parse_number",
    "parse_response",
    "partial_rule",
    "validate_quiz",
]
