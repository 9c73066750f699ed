"""The quality gate of a content bundle, as a library: the test suite, ``check_content`` and every sync run it.

A test suite that cannot tell wrong from right is a bug, whoever wrote the bundle. For an exercise:
it loads and validates; the reference scores 1.0 (also returned as nested lists); the starter
scores less; at least two alternative correct solutions, each scoring 1.0; every known mistake
scores below 1.0 and is named (also returned as nested lists); every visible case is described in
English and Chinese and every hidden case says what it checks; the cases are the same every time
they are made; the reference's slowest case takes a small share of the time limit; the statements'
formulas are well formed. For a quiz: it loads, every parameterized question draws, answers and
fills its placeholders deterministically (graders/quiz/bundle.py), and its texts' formulas are
well formed; a course repository's quiz is drawn in the sandbox only (check_course_quiz), and the
variants that come back pass the same checks.

Each check returns Problems (bundle, file, reason) instead of raising, so that a report lists
everything an author has to fix at once, and a sync can publish the good bundles and name the bad.
"""

from __future__ import annotations

import dataclasses
import re
import time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from graders.bundle import Bundle, _load_module, copy_inputs, load_bundle, validate_bundle
from graders.engine import grade
from graders.errors import BundleError
from graders.quiz import QuizBundle, load_quiz, validate_quiz
from graders.quiz.precomputed import VariantTableError, precompute
from graders.quiz.sandboxed import draw_variants
from graders.sandbox import Zygote
from graders.sandboxed_content import CourseContentFailed, compute

MIN_ALTERNATIVES = 2
# The reference's slowest case may use this share of time_s: a correct but slower student solution
# (a Python loop instead of a vectorized call) must still fit comfortably.
REFERENCE_TIME_SHARE = 0.25
EXERCISE_FILES = (
    "exercise.toml",
    "statement.en.md",
    "statement.zh.md",
    "starter.py",
    "reference.py",
    "cases.py",
    "mistakes.py",
    "gradcheck.py",
    "solutions",
)
QUIZ_FILES = ("quiz.toml", "params.py")


@dataclass(frozen=True)
class Problem:
    """One thing an author has to fix: in which bundle, which file, and why."""

    bundle: str
    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.bundle}/{self.file}: {self.reason}"


@dataclass
class Report:
    """The gate's result for one bundle folder."""

    path: Path
    kind: str  # "exercise", "quiz" or "unknown"
    problems: list[Problem] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # the checks that ran, in order

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def name(self) -> str:
        return self.path.name


def bundle_kind(path: Path) -> str:
    if (path / "exercise.toml").is_file():
        return "exercise"
    if (path / "quiz.toml").is_file():
        return "quiz"
    return "unknown"


def file_named_in(reason: str, files: Iterable[str], default: str) -> str:
    """The bundle file a loader's message is about (loaders name it in the sentence)."""
    found = [(reason.find(name), name) for name in files if name in reason]
    return min(found)[1] if found else default


# --- exercise checks: each takes the loaded bundle and a warm sandbox -----------------------------


def student_version_of(mistakes_py: Path, variant: str, function: str) -> str:
    """Turn mistakes.py into a submission that defines ``function`` as the wrong ``variant``.

    By convention mistakes.py imports only numpy, math and graders.cases, and ends with MISTAKES.
    """
    text = mistakes_py.read_text(encoding="utf-8")
    text = text[: text.index("MISTAKES =")]
    lines = [line for line in text.splitlines() if not line.startswith("from graders")]
    return "\n".join(lines) + f"\n\n{function} = {variant}\n"


AS_NESTED_LISTS = """
import numpy as _numpy

_as_arrays = {function}


def _as_lists(value):
    if isinstance(value, (list, tuple)):
        return type(value)(_as_lists(item) for item in value)
    return _numpy.asarray(value).tolist()


def {function}(*args, **kwargs):
    return _as_lists(_as_arrays(*args, **kwargs))
"""


def _failed(verdict) -> str:
    failed = [f"{case.name} ({case.status}: {case.message})" for case in verdict.cases if not case.passed]
    return "; ".join(failed) or verdict.message


def check_reference(bundle: Bundle, zygote: Zygote) -> list[Problem]:
    """The reference, graded in the sandbox like a submission, passes every case (also as nested lists)."""
    source = (bundle.path / "reference.py").read_text(encoding="utf-8")
    problems = []
    verdict = grade(bundle, source, zygote=zygote)
    if verdict.score != 1.0 or not all(case.passed for case in verdict.cases):
        problems.append(Problem(bundle.slug, "reference.py", f"the reference fails its own cases: {_failed(verdict)}"))
    as_lists = grade(bundle, source + AS_NESTED_LISTS.format(function=bundle.function), zygote=zygote)
    if verdict.score == 1.0 and as_lists.score != 1.0:
        problems.append(
            Problem(bundle.slug, "reference.py", f"the reference returned as nested lists fails: {_failed(as_lists)}")
        )
    return problems


def check_starter(bundle: Bundle, zygote: Zygote) -> list[Problem]:
    if grade(bundle, bundle.starter, zygote=zygote).score < 1.0:
        return []
    return [Problem(bundle.slug, "starter.py", "the starter already scores full marks: the cases cannot tell it apart")]


def check_alternatives(bundle: Bundle, zygote: Zygote) -> list[Problem]:
    problems = []
    if len(bundle.alternative_solutions) < MIN_ALTERNATIVES:
        problems.append(
            Problem(
                bundle.slug,
                "solutions/",
                f"{MIN_ALTERNATIVES} alternative correct solutions are required, found "
                f"{len(bundle.alternative_solutions)}: they show the cases accept more than one right way",
            )
        )
    for name, source in sorted(bundle.alternative_solutions.items()):
        verdict = grade(bundle, source, zygote=zygote)
        if not all(case.passed for case in verdict.cases):
            problems.append(
                Problem(bundle.slug, f"solutions/{name}", f"a correct solution is marked wrong: {_failed(verdict)}")
            )
    return problems


def check_mistakes(bundle: Bundle, zygote: Zygote) -> list[Problem]:
    """Every known mistake, submitted as a student would, scores below 1 and is named (also as nested lists)."""
    problems = []
    mistakes_py = bundle.path / "mistakes.py"
    for variant in bundle.mistakes:
        source = student_version_of(mistakes_py, variant.function.__name__, bundle.function)
        for how, text in (("", source), (" returned as nested lists", source + _nested(bundle))):
            verdict = grade(bundle, text, zygote=zygote)
            named = [m.key for m in verdict.mistakes]
            if verdict.score >= 1.0:
                problems.append(
                    Problem(
                        bundle.slug,
                        "mistakes.py",
                        f"mistake {variant.key!r}{how} scores full marks: add a case it fails",
                    )
                )
            elif variant.key not in named:
                problems.append(
                    Problem(
                        bundle.slug,
                        "mistakes.py",
                        f"mistake {variant.key!r}{how} is not detected (named: {', '.join(named) or 'none'})",
                    )
                )
    return problems


def _nested(bundle: Bundle) -> str:
    return AS_NESTED_LISTS.format(function=bundle.function)


def check_descriptions(bundle: Bundle, zygote: Zygote | None = None) -> list[Problem]:
    """Visible cases are described in both languages; a hidden case at least says what it checks."""
    problems = []
    undescribed = [
        case.name for case in bundle.cases if not case.hidden and not (case.description and case.description_zh)
    ]
    if undescribed:
        problems.append(
            Problem(
                bundle.slug,
                "cases.py",
                f"visible cases need description= and description_zh=: {', '.join(undescribed)}",
            )
        )
    silent = [case.name for case in bundle.cases if case.hidden and not case.purpose]
    if silent:
        problems.append(
            Problem(
                bundle.slug,
                "cases.py",
                f"hidden cases need purpose= (a purpose_* code of graders/feedback.py): {', '.join(silent)}",
            )
        )
    return problems


def check_deterministic(bundle: Bundle, zygote: Zygote | None = None) -> list[Problem]:
    """make_cases(rng) twice with the same seed gives the same cases: everyone is graded on the same inputs."""
    module = _load_module(bundle.path / "cases.py", f"dlgrade_cases_again_{bundle.slug}_{bundle.content_hash[:8]}")
    again = tuple(module.make_cases(np.random.default_rng(bundle.seed)))
    first = bundle.cases
    if [c.name for c in first] != [c.name for c in again] or not all(
        _same_value((a.args, a.kwargs), (b.args, b.kwargs)) for a, b in zip(first, again, strict=True)
    ):
        return [
            Problem(
                bundle.slug,
                "cases.py",
                "make_cases(rng) gives different cases each time: draw only from the rng it is given "
                "(no np.random.* globals, time or os.urandom)",
            )
        ]
    return []


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_value(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b, strict=True))
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True))
    except TypeError:  # not numbers: compare as they are
        return bool(a == b)


def check_sandboxed(bundle: Bundle, zygote: Zygote) -> list[Problem]:
    """A course's code runs only in the sandbox when its students are graded (graders/sandboxed_content.py):
    it must run there, with only what a submission may import, and make the same cases and answers."""
    try:
        computed = compute(dataclasses.replace(bundle, untrusted=True), zygote)
    except CourseContentFailed as exc:
        file = file_named_in(exc.reason, EXERCISE_FILES, "(bundle)")
        return [Problem(bundle.slug, file, f"in the sandbox, where students are graded, {exc}")]
    cases = bundle.cases
    if [c.name for c in computed.cases] != [c.name for c in cases] or not all(
        _same_value((a.args, a.kwargs), (b.args, b.kwargs)) for a, b in zip(computed.cases, cases, strict=True)
    ):
        return []  # cases that change from run to run: check_deterministic says so
    if not all(_same_value(a, b) for a, b in zip(computed.expected, bundle.expected, strict=True)):
        return [Problem(bundle.slug, "reference.py", "the reference gives other answers in the sandbox than here")]
    return []


def check_reference_time(bundle: Bundle, zygote: Zygote | None = None) -> list[Problem]:
    """The reference's slowest case, on the trusted side, takes at most a small share of time_s."""
    slowest, name = 0.0, ""
    for case in bundle.cases:
        started = time.perf_counter()
        bundle.reference(*copy_inputs(case.args), **copy_inputs(case.kwargs))
        took = time.perf_counter() - started
        if took > slowest:
            slowest, name = took, case.name
    allowed = REFERENCE_TIME_SHARE * bundle.limits.time_s
    if slowest > allowed:
        return [
            Problem(
                bundle.slug,
                "cases.py",
                f"the reference takes {slowest:.2f} s on case {name}, more than {REFERENCE_TIME_SHARE:.0%} of "
                f"limits.time_s ({bundle.limits.time_s:g} s): make the case smaller or raise the limit",
            )
        ]
    return []


def check_statements(bundle: Bundle, zygote: Zygote | None = None) -> list[Problem]:
    problems = []
    for lang in ("en", "zh"):
        text = bundle.statement[lang]
        file = f"statement.{lang}.md"
        if not text.strip():
            problems.append(Problem(bundle.slug, file, "the statement is empty"))
        problems += [Problem(bundle.slug, file, reason) for reason in latex_problems(text)]
    return problems


# $$...$$ first, then inline $...$, as catalog/rendering.py finds them for KaTeX.
MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?!\s)[^$\n]+?(?<!\s)\$", re.DOTALL)
ENVIRONMENT = re.compile(r"\\(begin|end)\{([a-zA-Z*]+)\}")


def latex_problems(text: str) -> list[str]:
    """What KaTeX would fail on, as far as can be told without it: unpaired $, braces, environments."""
    problems = []
    # KaTeX pairs delimiters within a paragraph (a formula may span lines, not a blank line).
    for paragraph in re.split(r"\n\s*\n", re.sub(r"`[^`\n]*`", "", text)):  # code spans may hold a literal $
        delimiters = re.findall(r"(?<!\\)\$\$?", paragraph)
        if any(delimiters.count(kind) % 2 for kind in ("$", "$$")):
            problems.append(f"a $ opens a formula that never closes: {paragraph.strip()[:80]!r}")
    for match in MATH.finditer(text):
        formula = match.group(0).strip("$")
        depth = 0
        for char in re.sub(r"\\[{}]", "", formula):
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                break
        if depth != 0:
            problems.append(f"unbalanced braces in ${formula[:60]}$")
        stack: list[str] = []
        for kind, name in ENVIRONMENT.findall(formula):
            if kind == "begin":
                stack.append(name)
            elif not stack or stack.pop() != name:
                problems.append(f"\\end{{{name}}} without its \\begin in ${formula[:60]}$")
                break
        else:
            if stack:
                problems.append(f"\\begin{{{stack[-1]}}} is never ended in ${formula[:60]}$")
    return problems


# The checks of an exercise in the order a report lists them (cheap ones first).
EXERCISE_CHECKS: dict[str, Callable[[Bundle, Zygote], list[Problem]]] = {
    "statements": check_statements,
    "descriptions": check_descriptions,
    "deterministic": check_deterministic,
    "reference_time": check_reference_time,
    "sandboxed": check_sandboxed,
    "reference": check_reference,
    "starter": check_starter,
    "alternatives": check_alternatives,
    "mistakes": check_mistakes,
}


def load_exercise(path: Path) -> tuple[Bundle | None, list[Problem]]:
    """Load and validate a bundle; a refusal becomes a Problem naming the file it is about."""
    try:
        bundle = load_bundle(path)
    except BundleError as exc:
        return None, [Problem(path.name, file_named_in(exc.reason, EXERCISE_FILES, "exercise.toml"), exc.reason)]
    except Exception as exc:  # any failure of the author's files is the author's to fix
        return None, [Problem(path.name, "(bundle)", f"{type(exc).__name__}: {exc}")]
    try:
        validate_bundle(bundle)
    except BundleError as exc:  # the bundle's own code ran: find out whose
        return None, [
            Problem(path.name, file_named_in(exc.reason, EXERCISE_FILES, "") or _failing_file(path), exc.reason)
        ]
    return bundle, []


def _failing_file(path: Path) -> str:
    """Which of the bundle's own programs raised: its cases, its reference on them, or its mistakes."""
    bundle = load_bundle(path)  # afresh: nothing cached from the failed run
    for file, part in (("cases.py", "cases"), ("reference.py", "expected"), ("mistakes.py", "mistakes")):
        try:
            getattr(bundle, part)
        except Exception:  # the author's code failed: this is the file to look at
            return file
    return "exercise.toml"


def run_check(bundle: Bundle, name: str, zygote: Zygote) -> list[Problem]:
    """One check; a crash in the bundle's own code (cases.py, mistakes.py, reference.py) is its problem."""
    try:
        return EXERCISE_CHECKS[name](bundle, zygote)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        return [Problem(bundle.slug, file_named_in(reason, EXERCISE_FILES, "(bundle)"), f"check {name}: {reason}")]


def check_exercise(path: Path | str, zygote: Zygote) -> Report:
    path = Path(path)
    report = Report(path, "exercise")
    bundle, report.problems = load_exercise(path)
    report.checks.append("loads")
    if bundle is None:
        return report
    for name in EXERCISE_CHECKS:
        report.checks.append(name)
        report.problems += run_check(bundle, name, zygote)
    return report


# --- quizzes -----------------------------------------------------------------------------------


def _quiz_text_problems(bundle: QuizBundle) -> list[Problem]:
    texts = [("intro", bundle.intro), ("title", bundle.title)]
    for question in bundle.questions:
        texts += [(f"question {question.key!r} prompt", question.prompt)]
        texts += [(f"question {question.key!r} explanation", question.explanation)]
    return [
        Problem(bundle.slug, "quiz.toml", f"{where} ({lang}): {reason}")
        for where, by_language in texts
        for lang, text in by_language.items()
        for reason in latex_problems(text)
    ]


def _quiz_load_problem(path: Path, exc: BundleError) -> Problem:
    return Problem(path.name, file_named_in(exc.reason, QUIZ_FILES, "quiz.toml"), exc.reason)


def quiz_variants_in_sandbox(bundle: QuizBundle, zygote: Zygote) -> tuple[QuizBundle | None, list[Problem]]:
    """Draw the quiz's parameterized questions in the sandbox, as a course sync does, and check what comes back
    as the platform will (graders/quiz/precomputed.py). Returns the bundle carrying those variants."""
    try:
        raw = draw_variants(bundle, zygote)
    except CourseContentFailed as exc:
        return None, [Problem(bundle.slug, "params.py", f"in the sandbox, where its variants are drawn, {exc.reason}")]
    try:
        return precompute(bundle, raw), []
    except VariantTableError as exc:
        return None, [Problem(bundle.slug, "params.py", f"the variants drawn in the sandbox are refused: {exc}")]
    except BundleError as exc:
        return None, [_quiz_load_problem(bundle.path, exc)]


def check_quiz(path: Path | str, zygote: Zygote | None = None) -> Report:
    """A quiz bundle: it loads, its params.py draws and answers (here), its formulas are well formed; given a
    zygote, its variants are also drawn in the sandbox as a course repository's are."""
    path = Path(path)
    report = Report(path, "quiz", checks=["loads", "variants", "statements"])
    try:
        bundle = load_quiz(path)
        validate_quiz(bundle)
    except BundleError as exc:
        report.problems.append(_quiz_load_problem(path, exc))
        return report
    except Exception as exc:
        report.problems.append(Problem(path.name, "params.py", f"{type(exc).__name__}: {exc}"))
        return report
    report.problems += _quiz_text_problems(bundle)
    if zygote is not None and any(question.parameterized for question in bundle.questions):
        report.checks.append("sandboxed")
        report.problems += quiz_variants_in_sandbox(bundle, zygote)[1]
    return report


def check_course_quiz(path: Path | str, zygote: Zygote) -> tuple[Report, QuizBundle | None]:
    """A course repository's quiz, checked without importing its params.py in this process: its variants are
    drawn in the sandbox only. Returns the report and, when it passes, the bundle carrying its variants."""
    path = Path(path)
    report = Report(path, "quiz", checks=["loads", "sandboxed", "variants", "statements"])
    try:
        bundle = load_quiz(path)
    except BundleError as exc:
        report.problems.append(_quiz_load_problem(path, exc))
        return report, None
    carried, report.problems = quiz_variants_in_sandbox(bundle, zygote)
    report.problems += _quiz_text_problems(bundle)
    return report, carried if report.ok else None


# --- folders -----------------------------------------------------------------------------------


def bundle_folders(path: Path | str) -> list[Path]:
    """``path`` itself when it is a bundle, else the bundles directly inside it."""
    path = Path(path)
    if bundle_kind(path) != "unknown":
        return [path]
    if not path.is_dir():
        return []
    return [
        folder
        for folder in sorted(path.iterdir())
        if folder.is_dir() and not folder.name.startswith((".", "_")) and bundle_kind(folder) != "unknown"
    ]


def check_folder(path: Path | str, zygote: Zygote) -> Report:
    path = Path(path)
    kind = bundle_kind(path)
    if kind == "exercise":
        return check_exercise(path, zygote)
    if kind == "quiz":
        return check_quiz(path, zygote)
    return Report(path, "unknown", [Problem(path.name, "(folder)", "neither exercise.toml nor quiz.toml is here")])


def check_path(path: Path | str, zygote: Zygote) -> list[Report]:
    """Check every bundle at ``path`` (one bundle, or a folder of them), and that their uuids are unique."""
    path = Path(path)
    folders = bundle_folders(path)
    if not folders:
        return [Report(path, "unknown", [Problem(path.name, "(folder)", "no exercise or quiz bundle found here")])]
    reports = [check_folder(folder, zygote) for folder in folders]
    owners: dict[str, str] = {}
    for report in reports:
        uuid = _uuid_of(report.path)
        if uuid and uuid in owners:
            report.problems.append(
                Problem(report.name, f"{report.kind}.toml", f"uuid {uuid} is also used by {owners[uuid]}")
            )
        elif uuid:
            owners[uuid] = report.name
    return reports


def _uuid_of(path: Path) -> str:
    for name in ("exercise.toml", "quiz.toml"):
        try:
            return str(tomllib.loads((path / name).read_text(encoding="utf-8")).get("uuid", ""))
        except (OSError, ValueError):
            continue
    return ""
