"""Load and validate an exercise bundle (exercises/<slug>/), the source of truth for an exercise.

A bundle holds exercise.toml, statement.en.md, statement.zh.md, starter.py, reference.py,
cases.py (``make_cases(rng) -> list[Case]``) and optionally mistakes.py (``MISTAKES``, a list of
MistakeVariant), solutions/*.py (alternative correct implementations for the quality gate) and, for a
backward pass, gradcheck.py (the forward function the quality gate differentiates numerically).
Reference, cases and mistakes of a built-in bundle run on the trusted side only; they never enter
the sandbox. A course repository's bundle is the reverse (``untrusted``): its code runs only in the
sandbox and the trusted side reads what it returns (graders/sandboxed_content.py).

exercise.toml may name what the function returns: ``outputs = ["dx", "dW", "db"]`` for a tuple (one
name for a single value), ``gradients`` the outputs that are gradients, and ``[lab]`` a plot of the
visible cases (graders/gradients.py). Feedback names an output by these trusted names.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import re
import tomllib
import uuid as uuid_module
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from graders.cases import Case, MistakeVariant
from graders.errors import BundleError
from graders.feedback import PURPOSE_CODES
from graders.manifest import BILINGUAL, FLAG, INTEGER, NUMBER, TEXT, Table, Value, check_manifest
from graders.sandbox import Limits

REQUIRED_FILES = ("exercise.toml", "statement.en.md", "statement.zh.md", "starter.py", "reference.py", "cases.py")
TOPICS = {
    "exploding-gradients": ("Exploding gradients", "梯度爆炸"),
    "rnn": ("Recurrent networks", "循环神经网络 RNN"),
    "lstm": ("LSTM", "长短期记忆网络 LSTM"),
    "cnn": ("Neurons and CNNs", "神经元与卷积神经网络 CNN"),
    # Last: every backward pass comes after its forward one.
    "backprop": ("Backpropagation", "反向传播"),
}
LAB_PLOTS = ("gradient_norms",)
DIFFICULTIES = ("easy", "medium", "hard")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DEFAULT_RTOL = 1e-6
DEFAULT_ATOL = 1e-9
EXERCISE_MANIFEST = Table(
    {
        "uuid": TEXT,
        "slug": TEXT,
        "function": TEXT,
        "topic": TEXT,
        "difficulty": TEXT,
        "order": INTEGER,
        "points": NUMBER,
        "title": BILINGUAL,
        "tolerance": Table({"rtol": NUMBER, "atol": NUMBER}),
        "limits": Table({"time_s": NUMBER, "memory_mib": INTEGER, "budget_s": NUMBER}),
        "cases": Table({"seed": INTEGER}),
        "checks": Table({"forbid_fp_warnings": FLAG}),
        # What the function returns, named for feedback (graders/gradients.py; checked in _outputs).
        "outputs": Value((list,)),
        "gradients": Value((list,)),
        "lab": Table({"plot": TEXT, "matrix": TEXT, "clip_norm": NUMBER}),
    },
    required=("uuid", "slug", "function", "topic", "title"),
)


@dataclass(frozen=True)
class Bundle:
    path: Path
    uuid: str
    slug: str
    function: str
    topic: str
    difficulty: str
    order: int
    points: float
    title: dict[str, str]
    statement: dict[str, str]
    starter: str
    rtol: float
    atol: float
    limits: Limits
    seed: int
    forbid_fp_warnings: bool
    content_hash: str
    alternative_solutions: dict[str, str] = field(default_factory=dict)
    # Names of the returned values, in order; one name for a single value, () when not named.
    outputs: tuple[str, ...] = ()
    # The outputs that are gradients: feedback reports their error as a gradient check does.
    gradients: tuple[str, ...] = ()
    # A plot of the visible cases on the exercise page, e.g. {"plot": "gradient_norms", ...}.
    lab: dict[str, Any] = field(default_factory=dict)
    # An instructor's code (a course repository's bundle): the worker never imports its reference,
    # cases or mistakes; they run in the sandbox (graders/sandboxed_content.py).
    untrusted: bool = False

    def _trusted_only(self) -> None:
        if self.untrusted:  # graders/sandboxed_content.py fills these in from the sandbox instead
            raise BundleError(self.path, "an instructor's bundle: its code runs only in the sandbox")

    @functools.cached_property
    def _reference(self) -> ModuleType:
        self._trusted_only()
        return _load_module(self.path / "reference.py", f"dlgrade_ref_{self.slug}_{self.content_hash[:8]}")

    @property
    def reference(self):
        return getattr(self._reference, self.function)

    @functools.cached_property
    def cases(self) -> tuple[Case, ...]:
        self._trusted_only()
        module = _load_module(self.path / "cases.py", f"dlgrade_cases_{self.slug}_{self.content_hash[:8]}")
        made = module.make_cases(np.random.default_rng(self.seed))
        return tuple(made)

    @functools.cached_property
    def expected(self) -> tuple[Any, ...]:
        """Reference outputs, computed on the trusted side from copies of the inputs."""
        self._trusted_only()
        return tuple(normalize_output(self.reference(*_copy(case.args), **_copy(case.kwargs))) for case in self.cases)

    @functools.cached_property
    def mistakes(self) -> tuple[MistakeVariant, ...]:
        self._trusted_only()
        path = self.path / "mistakes.py"
        if not path.exists():
            return ()
        module = _load_module(path, f"dlgrade_mistakes_{self.slug}_{self.content_hash[:8]}")
        return tuple(module.MISTAKES)

    def tolerance_for(self, case: Case) -> tuple[float, float]:
        return (case.rtol if case.rtol is not None else self.rtol, case.atol if case.atol is not None else self.atol)


def _copy(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        copied = value.copy()
        copied.flags.writeable = value.flags.writeable
        return copied
    if isinstance(value, list):
        return [_copy(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_copy(item) for item in value)
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    return value


def copy_inputs(value: Any) -> Any:
    return _copy(value)


def leaves(value: Any):
    """The arrays inside nested lists and tuples (outputs like (clipped_list, global_norm))."""
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def normalize_output(value: Any) -> Any:
    """Put a trusted output in the shape the sandbox returns: float64 arrays inside lists/tuples."""
    if isinstance(value, (list, tuple)):
        return type(value)(normalize_output(item) for item in value)
    return np.asarray(value, dtype=np.float64)


def _load_module(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise BundleError(path, "cannot be imported")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def namespaced_uuid(namespace: str, bundle_uuid: str) -> str:
    """A bundle of another source gets its own row even if its authors copied a built-in bundle's uuid."""
    return str(uuid_module.uuid5(uuid_module.UUID(bundle_uuid), namespace)) if namespace else bundle_uuid


def _hash_folder(path: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(file.relative_to(path)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def load_bundle(path: Path | str) -> Bundle:
    """Read and validate a bundle's metadata and files; raise BundleError naming the problem."""
    path = Path(path)
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise BundleError(path, f"missing {', '.join(missing)}")
    try:
        meta = tomllib.loads((path / "exercise.toml").read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BundleError(path, f"exercise.toml is not valid TOML: {exc}") from None
    check_manifest(meta, EXERCISE_MANIFEST, bundle_path=path, file_name="exercise.toml")

    slug = meta["slug"]
    if slug != path.name or not SLUG_PATTERN.match(slug):
        raise BundleError(path, f"slug {slug!r} must match the folder name and use a-z, 0-9 and hyphens")
    raw_uuid = meta["uuid"]
    try:
        uuid_module.UUID(raw_uuid)
    except ValueError:
        raise BundleError(path, f"uuid {raw_uuid!r} is not a UUID") from None
    topic = meta["topic"]
    if topic not in TOPICS:
        raise BundleError(path, f"topic {topic!r} is not one of {', '.join(TOPICS)}")
    difficulty = meta.get("difficulty", "medium")
    if difficulty not in DIFFICULTIES:
        raise BundleError(path, f"difficulty {difficulty!r} is not one of {', '.join(DIFFICULTIES)}")
    title = meta["title"]
    if not all(isinstance(title.get(lang), str) and title[lang].strip() for lang in ("en", "zh")):
        raise BundleError(path, "title needs `en` and `zh`")
    tolerance = meta.get("tolerance", {})
    limits = meta.get("limits", {})
    rtol = float(tolerance.get("rtol", DEFAULT_RTOL))
    atol = float(tolerance.get("atol", DEFAULT_ATOL))
    limit = Limits(
        time_s=float(limits.get("time_s", 2.0)),
        memory_mib=limits.get("memory_mib", 256),
        budget_s=float(limits.get("budget_s", 0.0)),
    )
    points = float(meta.get("points", 10))
    seed = meta.get("cases", {}).get("seed", 0)
    if not (0 <= rtol < 1 and 0 <= atol < 1):
        raise BundleError(path, "tolerances must be in [0, 1)")
    if not (0 < limit.time_s <= 30 and 32 <= limit.memory_mib <= 4096):
        raise BundleError(path, "limits: time_s must be in (0, 30] and memory_mib in [32, 4096]")
    if limit.budget_s and not limit.time_s <= limit.budget_s <= 60:
        raise BundleError(path, "limits: budget_s (the whole submission's time) must be in [time_s, 60]")
    function = meta["function"]
    if not function.isidentifier():
        raise BundleError(path, f"function {function!r} is not a Python identifier")

    starter = (path / "starter.py").read_text(encoding="utf-8")
    try:
        compile(starter, "starter.py", "exec")
    except SyntaxError as exc:
        raise BundleError(path, f"starter.py has a syntax error at line {exc.lineno}") from None
    if not re.search(rf"^def {re.escape(function)}\(", starter, re.MULTILINE):
        raise BundleError(path, f"starter.py does not define {function}()")

    outputs, gradients, lab = _outputs(meta, path)

    solutions_dir = path / "solutions"
    alternatives = (
        {p.name: p.read_text(encoding="utf-8") for p in sorted(solutions_dir.glob("*.py"))}
        if solutions_dir.is_dir()
        else {}
    )

    return Bundle(
        path=path,
        uuid=raw_uuid,
        slug=slug,
        function=function,
        topic=topic,
        difficulty=difficulty,
        order=meta.get("order", 100),
        points=points,
        title={"en": title["en"].strip(), "zh": title["zh"].strip()},
        statement={lang: (path / f"statement.{lang}.md").read_text(encoding="utf-8") for lang in ("en", "zh")},
        starter=starter,
        rtol=rtol,
        atol=atol,
        limits=limit,
        seed=seed,
        forbid_fp_warnings=bool(meta.get("checks", {}).get("forbid_fp_warnings", False)),
        content_hash=_hash_folder(path),
        alternative_solutions=alternatives,
        outputs=outputs,
        gradients=gradients,
        lab=lab,
    )


def _outputs(meta: dict, path: Path) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, Any]]:
    """The optional ``outputs``, ``gradients`` and ``[lab]`` of exercise.toml, checked."""
    outputs = meta.get("outputs", [])
    gradients = meta.get("gradients", [])
    for key, names in (("outputs", outputs), ("gradients", gradients)):
        if not isinstance(names, list) or not all(isinstance(n, str) and n.isidentifier() for n in names):
            raise BundleError(path, f"exercise.toml: `{key}` should be a list of Python identifiers")
        if len(set(names)) != len(names):
            raise BundleError(path, f"exercise.toml: `{key}` names an output twice")
    if not set(gradients) <= set(outputs):
        raise BundleError(path, "exercise.toml: every name in `gradients` must be one of `outputs`")
    lab = meta.get("lab", {})
    if not isinstance(lab, dict):
        raise BundleError(path, "exercise.toml: `lab` should be a table")
    if lab:
        if lab.get("plot") not in LAB_PLOTS:
            raise BundleError(path, f"exercise.toml: lab.plot should be one of {', '.join(LAB_PLOTS)}")
        clip = lab.get("clip_norm", 1.0)
        if not isinstance(clip, (int, float)) or isinstance(clip, bool) or not clip > 0:
            raise BundleError(path, "exercise.toml: lab.clip_norm should be a number > 0")
        if len(outputs) != 1:
            raise BundleError(path, "exercise.toml: a lab plots one output: name it in `outputs`")
    return tuple(outputs), tuple(gradients), dict(lab)


def validate_bundle(bundle: Bundle) -> None:
    """Run the trusted parts once: cases build, names are unique, the reference gives finite numbers."""
    try:
        if not callable(getattr(bundle._reference, bundle.function, None)):
            raise BundleError(bundle.path, f"reference.py does not define {bundle.function}()")
        cases = bundle.cases
        if not cases or not all(isinstance(case, Case) for case in cases):
            raise BundleError(bundle.path, "make_cases() must return a non-empty list of Case")
        names = [case.name for case in cases]
        if len(set(names)) != len(names):
            raise BundleError(bundle.path, "case names must be unique")
        if all(case.hidden for case in cases) or not any(case.hidden for case in cases):
            raise BundleError(bundle.path, "cases need at least one visible and one hidden case")
        unknown = sorted({case.purpose for case in cases if case.purpose} - PURPOSE_CODES)
        if unknown:
            raise BundleError(bundle.path, f"unknown case purpose {', '.join(unknown)} (see graders/feedback.py)")
        for case, expected in zip(cases, bundle.expected, strict=False):
            if any(not np.all(np.isfinite(leaf)) for leaf in leaves(expected)):
                raise BundleError(bundle.path, f"the reference gives NaN or inf in case {case.name}")
            if len(bundle.outputs) > 1 and (
                not isinstance(expected, (tuple, list)) or len(expected) != len(bundle.outputs)
            ):
                raise BundleError(
                    bundle.path, f"`outputs` names {len(bundle.outputs)} values: the reference returns another count"
                )
        for variant in bundle.mistakes:
            if not isinstance(variant, MistakeVariant):
                raise BundleError(bundle.path, "MISTAKES must hold MistakeVariant entries")
    except BundleError:
        raise
    except Exception as exc:  # a bug in the bundle's own code
        raise BundleError(bundle.path, f"{type(exc).__name__}: {exc}") from None


def discover(root: Path | str) -> tuple[list[Bundle], list[BundleError]]:
    """Load and validate every bundle under ``root``; a bad one is reported and the rest still load."""
    bundles, errors = [], []
    for folder in sorted(Path(root).iterdir()):
        if not folder.is_dir() or folder.name.startswith((".", "_")):
            continue
        try:
            bundle = load_bundle(folder)
            validate_bundle(bundle)
        except BundleError as exc:
            errors.append(exc)
            continue
        bundles.append(bundle)
    seen: dict[str, Path] = {}
    for bundle in list(bundles):
        if bundle.uuid in seen:
            errors.append(BundleError(bundle.path, f"uuid {bundle.uuid} is also used by {seen[bundle.uuid]}"))
            bundles.remove(bundle)
        else:
            seen[bundle.uuid] = bundle.path
    return bundles, errors


_LOADED: dict[tuple[str, str, bool], Bundle] = {}


def load_cached(path: Path | str, *, untrusted: bool = False) -> Bundle:
    """Load and validate a bundle once per process and content; workers grade many submissions of it.

    ``untrusted``: an instructor's bundle; only its metadata is read here, its code is never run in
    this process (graders/sandboxed_content.py runs and checks it in the sandbox).
    """
    key = (str(path), _hash_folder(Path(path)), untrusted)
    if key not in _LOADED:
        bundle = load_bundle(path)
        if untrusted:
            bundle = dataclasses.replace(bundle, untrusted=True)
        else:
            validate_bundle(bundle)
        _LOADED[key] = bundle
    return _LOADED[key]
