"""A course repository's bundle: its generator, reference and mistakes run in the sandbox (real children)."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from graders.bundle import BundleError, load_cached
from graders.case_text import parse_cases
from graders.content_check import student_version_of
from graders.runtime import SandboxPool
from graders.sandbox.protocol import ProtocolError
from graders.sandboxed_content import CourseContentFailed, forget, read_tape
from tests.conftest import EXERCISES

SECRET = "postgres://dlgrade:s3cret-password@db/dlgrade"


@pytest.fixture(scope="module")
def pool():
    sandboxes = SandboxPool()
    yield sandboxes
    sandboxes.close()


@pytest.fixture(autouse=True)
def _fresh():
    forget()  # each test computes its bundle's values afresh


def course_copy(tmp_path: Path, slug: str, **files: str) -> Path:
    """A copy of a built-in bundle as a course repository would hold it, with some files replaced."""
    folder = tmp_path / slug
    shutil.copytree(EXERCISES / slug, folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name, text in files.items():
        (folder / name.replace("_py", ".py").replace("_toml", ".toml")).write_text(text)
    return folder


def _without_times(verdict) -> dict:
    data = verdict.to_dict()
    data.pop("elapsed_ms")
    for case in data["cases"]:
        case.pop("duration_ms", None)
    return data


@pytest.mark.parametrize("slug", ["relu", "dense-backward"])
def test_a_course_bundle_grades_exactly_as_the_built_in_path_does(pool, tmp_path, slug):
    folder = course_copy(tmp_path, slug)
    trusted, untrusted = load_cached(folder), load_cached(folder, untrusted=True)
    sources = [(folder / "reference.py").read_text(), trusted.starter] + [
        student_version_of(folder / "mistakes.py", variant.function.__name__, trusted.function)
        for variant in trusted.mistakes
    ]
    named = set()
    for source in sources:
        in_process, sandboxed = pool.grade(trusted, source), pool.grade(untrusted, source)
        assert _without_times(sandboxed) == _without_times(in_process)
        named |= {mistake.key for mistake in sandboxed.mistakes}
    assert named == {variant.key for variant in trusted.mistakes}  # every mistake is still named


def test_the_worker_never_imports_a_course_bundles_code(tmp_path):
    folder = course_copy(tmp_path, "relu")
    bundle = load_cached(folder, untrusted=True)
    for name in ("cases", "expected", "mistakes", "reference"):
        with pytest.raises(BundleError, match="runs only in the sandbox"):
            getattr(bundle, name)


def test_the_values_are_computed_once_per_bundle_version(pool, tmp_path):
    folder = course_copy(tmp_path, "relu")
    bundle = load_cached(folder, untrusted=True)
    source = (folder / "reference.py").read_text()
    zygote = pool.zygote()
    jobs = zygote.jobs_done
    pool.grade(bundle, source)
    first = zygote.jobs_done - jobs
    pool.grade(bundle, source)
    assert zygote.jobs_done - jobs - first < first  # the second submission runs only the student's children


SNOOP = """
import numpy as np
from graders.cases import Case


def _try(what):
    try:
        return str(what())[:200]
    except BaseException as exc:
        return "refused " + type(exc).__name__


def _os():  # past the import guard: a class whose functions' globals hold the os module
    for cls in ().__class__.__base__.__subclasses__():
        if cls.__name__ == "_wrap_close":
            return cls.__init__.__globals__
    raise LookupError("no os")


def make_cases(rng):
    found = [
        _try(lambda: open("/etc/passwd").read()),
        _try(lambda: __import__("os").environ.get("DATABASE_URL")),
        _try(lambda: dict(_os()["environ"])),
        _try(lambda: _os()["listdir"]("/work")),
        _try(lambda: open("/proc/1/environ").read()),
    ]
    seen = " | ".join(found)
    return [
        Case("visible", (np.array([-1.0, 2.0]),), description=seen, description_zh=seen),
        Case("hidden", (np.array([3.0, -4.0]),), hidden=True),
    ]
"""


def test_a_course_case_generator_cannot_read_files_or_the_environment(pool, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", SECRET)
    folder = course_copy(tmp_path, "relu", cases_py=SNOOP)
    bundle = load_cached(folder, untrusted=True)
    verdict = pool.grade(bundle, (folder / "reference.py").read_text())
    seen = verdict.cases[0].details["description"]
    assert verdict.score == 1.0
    assert seen.count("refused") >= 3, seen
    assert SECRET not in seen and "s3cret" not in seen and "DATABASE_URL" not in seen
    assert "root:" not in seen  # /etc/passwd is not readable (or is the sandbox's own, empty of users)
    assert "wt-content" not in seen and "main" not in seen


LOOPING_REFERENCE = "import numpy as np\n\n\ndef relu(x):\n    while True:\n        pass\n"


def test_a_course_reference_that_never_returns_is_the_courses_fault_within_the_budget(pool, tmp_path):
    toml = (EXERCISES / "relu" / "exercise.toml").read_text().replace("time_s = 2.0", "time_s = 0.5")
    folder = course_copy(tmp_path, "relu", reference_py=LOOPING_REFERENCE, exercise_toml=toml)
    bundle = load_cached(folder, untrusted=True)
    started = time.monotonic()
    with pytest.raises(
        CourseContentFailed, match="the course's exercise failed to run: the reference ended with timeout"
    ):
        pool.grade(bundle, "import numpy as np\ndef relu(x):\n    return np.maximum(x, 0)\n")
    assert time.monotonic() - started < 8  # twice a submission's budget (3 x 0.5 s), plus start-up
    assert pool.take_tally().get("platform_error") == 1  # counted as the platform's, never scored


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        ("def relu(x):\n    return np.zeros((40000, 40000))\n", "ended with memory"),
        ("def relu(x):\n    return 'the answer'\n", "not numbers"),
        ("def relu(x):\n    return {'a': x}\n", "not numbers"),
        ("def relu(x):\n    v = x\n    for _ in range(50):\n        v = [v]\n    return v\n", "ended with error"),
        ("def relu(x):\n    return object()\n", "ended with error"),
        ("def relu(x):\n    return np.array(['a', 'b'])\n", "ended with error"),
        ("def relu(x):\n    return x * np.inf\n", "NaN or inf"),
        ("import os\ndef relu(x):\n    return x\n", "ended with forbidden"),
    ],
)
def test_a_course_reference_that_returns_garbage_is_refused(pool, tmp_path, reference, reason):
    folder = course_copy(tmp_path, "relu", reference_py="import numpy as np\n" + reference)
    bundle = load_cached(folder, untrusted=True)
    with pytest.raises(CourseContentFailed, match=re.escape(reason)):
        pool.grade(bundle, "import numpy as np\ndef relu(x):\n    return np.maximum(x, 0)\n")


def _tape(*parts: bytes) -> np.ndarray:
    return np.frombuffer(b"".join(parts), dtype=np.uint8)


def _u4(n: int) -> bytes:
    return np.array([n], "<u4").tobytes()


@pytest.mark.parametrize(
    "tape",
    [
        _tape(b"l", _u4(3), b"N"),  # cut short
        _tape(b"N", b"N"),  # trailing bytes
        _tape(b"?"),  # unknown tag
        _tape(b"l", _u4(4_000_000_000)),  # a count far beyond the bytes
        _tape(b"s", _u4(2), b"\xff\xfe"),  # not UTF-8
        _tape(b"a", b"s", _u4(3), b"|O8", b"\x01", np.array([1], "<u8").tobytes(), b"C\x00"),  # objects
        _tape(
            b"a",
            b"s",
            _u4(3),
            b"<f8",
            b"\x01",
            np.array([4], "<u8").tobytes(),
            b"C\x00",
            np.array([8], "<u8").tobytes(),
            bytes(8),
        ),  # short data
        _tape(b"a", b"s", _u4(3), b"<f8", b"\x40"),  # too many dimensions
        _tape(*([b"l", _u4(1)] * 20), b"N"),  # nested too deeply
        np.zeros(3, dtype=np.float64),  # not a tape
    ],
)
def test_a_malformed_tape_is_refused(tape):
    with pytest.raises(ProtocolError):
        read_tape(tape)


def test_a_tape_reads_back_what_the_sandbox_side_wrote():
    namespace: dict = {}
    exec((Path(__file__).resolve().parents[2] / "graders/sandbox/content_job.py").read_text(), namespace)
    strided = np.arange(12.0).reshape(3, 4)[:, ::2]
    readonly = np.ones((2, 2), dtype=np.float32)
    readonly.flags.writeable = False
    value = {"a": [1, 2.5, True, None, "zh 中文"], "b": (np.asfortranarray(np.eye(3)), strided, readonly)}
    out: list[bytes] = []
    namespace["_put"](value, out, 0)
    back = read_tape(np.frombuffer(b"".join(out), dtype=np.uint8))
    assert back["a"] == [1, 2.5, True, None, "zh 中文"]
    fortran, strided_back, readonly_back = back["b"]
    assert fortran.flags.f_contiguous and not fortran.flags.c_contiguous and np.array_equal(fortran, np.eye(3))
    assert not strided_back.flags.c_contiguous and np.array_equal(strided_back, strided)
    assert not readonly_back.flags.writeable and readonly_back.dtype == np.float32


def test_run_on_a_course_bundle_asks_the_sandboxed_reference_for_the_students_own_cases(pool, tmp_path):
    folder = course_copy(tmp_path, "relu")
    own = parse_cases("relu(np.array([[1.0, -2.0], [3.0, -4.0]]))\nrelu('abc')\n", function="relu")
    wrong = "import numpy as np\ndef relu(x):\n    return np.abs(x)\n"
    in_process = _without_times(pool.trial(load_cached(folder), wrong, own))
    sandboxed = _without_times(pool.trial(load_cached(folder, untrusted=True), wrong, own))
    refused_here, refused_there = in_process["cases"].pop(), sandboxed["cases"].pop()
    assert sandboxed == in_process  # the visible cases and the first own case, with the reference's answer
    assert sandboxed["cases"][-1]["details"]["expected"] == "[[1., 0.],\n [3., 0.]]"
    for refused in (refused_here, refused_there):
        assert refused["status"] == "error"
        assert refused["message"].startswith("The reference solution cannot run on these inputs (")
