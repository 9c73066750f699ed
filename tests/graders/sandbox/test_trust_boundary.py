"""The trust rule, class by class: nothing the student's process writes decides a grade, a time or a
check, leaks a hidden case, or hurts the trusted side (docs/sandbox.md, "The trust rule").

Every test runs in each isolation mode this host supports (bwrap as root with dedicated uids,
bwrap in a user namespace, plain) through the real engine and zygote, and most end by checking
that the same zygote then grades an honest submission at once.
"""

from __future__ import annotations

import dataclasses
import json
import re
import textwrap
import time

import numpy as np
import pytest

from graders.batch import csv_text, verdict_record
from graders.bundle import leaves
from graders.compare import PREVIEW_CHARS
from graders.engine import MAX_VERDICT_BYTES, grade
from graders.feedback import fit_for_hidden_case, say
from graders.sandbox import Limits
from tests.graders.sandbox.test_attacks import assert_blocked, cheat, escape

pytestmark = pytest.mark.timeout(90)

NAIVE_SIGMOID = "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n"


def source(text: str) -> str:
    return "import numpy as np\n_import = __import__\n" + textwrap.dedent(text)


def everything_shown(bundle, verdict) -> str:
    """Every text a student, the API, the CLI or a batch report can show for this verdict (course
    staff also read the stored verdict, with a hidden case's full explanation)."""
    record = verdict_record("file.py", verdict)
    return "\n".join(
        [
            json.dumps(verdict.public().to_dict()),
            json.dumps(record),
            csv_text([record], [case.name for case in bundle.cases]),
        ]
    )


def hidden_digit_runs(bundle) -> set[str]:
    """Eight-digit runs of the hidden inputs' values that never occur among the visible ones."""

    def runs(cases) -> set[str]:
        found = set()
        for case in cases:
            for leaf in leaves([*case.args, *case.kwargs.values()]):
                for value in np.asarray(leaf, dtype=float).ravel()[:40]:
                    digits = re.sub(r"[^0-9]", "", f"{abs(value):.12e}").lstrip("0")[:8]
                    if len(digits) == 8 and len(set(digits)) > 2:
                        found.add(digits)
        return found

    return runs(c for c in bundle.cases if c.hidden) - runs(c for c in bundle.cases if not c.hidden)


def assert_no_hidden_values(bundle, verdict) -> None:
    shown = re.sub(r"[^0-9]", "", everything_shown(bundle, verdict))
    needles = hidden_digit_runs(bundle)
    assert len(needles) > 10  # the check itself has something to look for
    leaked = [needle for needle in needles if needle in shown]
    assert not leaked, f"hidden input digits in what is shown: {leaked[:5]}"


def assert_hidden_cases_use_fixed_wording(verdict) -> None:
    fixed = ("hidden_", "time_limit", "memory_limit", "budget_", "case_purpose")
    for case in verdict.cases:
        if case.hidden:
            assert all(p.code.startswith(fixed) for p in case.phrases), (case.name, case.phrases)
            assert all(fit_for_hidden_case(p) for p in case.phrases), (case.name, case.phrases)
            assert set(case.details) <= {"explanation"} and case.duration_ms == 0.0
            assert case.public().details == {}


# ---------------------------------------------------------------------------------------------
# grades decided inside the sandbox


def test_input_mutation_is_checked_on_the_trusted_side(sandbox, relu, honest_still_passes):
    # The old runner computed the "unchanged" flag itself; patching it made in-place zeroing score 1.
    body = """
        runner = _import("sys", {}).modules["__main__"]
        runner._same = lambda before, after: True
        runner._encode_after = lambda value, blobs, depth=0: {"none": True}
        x[x < 0] = 0.0
        return x
    """
    verdict = grade(relu, cheat(body), zygote=sandbox)
    assert verdict.score < 0.5
    changed = {case.name for case in verdict.cases if "changed its input" in case.message}
    assert {"vector", "matrix", "large_magnitudes"} <= changed
    honest_still_passes(sandbox)


def test_an_input_changed_in_a_list_is_caught(sandbox, zygote):
    from graders.bundle import load_bundle
    from tests.conftest import EXERCISES

    clip = load_bundle(EXERCISES / "clip-by-value")
    in_place = "import numpy as np\n\ndef clip_by_value(grads, clip_value=0.5):\n"
    in_place += "    for g in grads:\n        np.clip(g, -clip_value, clip_value, out=g)\n    return grads\n"
    replaced = "import numpy as np\n\ndef clip_by_value(grads, clip_value=0.5):\n"
    replaced += "    grads[:] = [np.clip(g, -clip_value, clip_value) for g in grads]\n    return list(grads)\n"
    for body in (in_place, replaced):
        verdict = grade(clip, body, zygote=sandbox)
        assert verdict.score < 0.5, [(c.name, c.message) for c in verdict.cases]
        assert any("changed its input" in case.message for case in verdict.cases if not case.hidden)


@pytest.mark.parametrize(
    "switch_off",
    [
        "np.seterr(all='ignore')",
        "np.seterr(over='ignore', invalid='ignore', divide='ignore')",
        "_import('warnings', {}).simplefilter('ignore')",
        "np.seterrcall(lambda *a: None); np.seterr(all='call')",
        "np._core.seterr(all='ignore')",
        "np._core._ufunc_config.seterr(all='ignore')",
    ],
)
def test_floating_point_warnings_cannot_be_switched_off(sandbox, sigmoid, switch_off):
    body = source(f"{switch_off}\n\n{NAIVE_SIGMOID}")
    verdict = grade(sigmoid, body, zygote=sandbox)
    assert verdict.score < 1.0
    reported = [case for case in verdict.cases if "NumPy reported an overflow" in case.message]
    assert reported, [(c.name, c.status, c.message) for c in verdict.cases]
    hidden = [case for case in verdict.cases if case.hidden and case.status == "fail"]
    assert hidden and all(case.phrases[0].code == "hidden_fp_events" for case in hidden)


def test_errstate_inside_the_function_does_not_hide_an_overflow(sandbox, sigmoid):
    for wrapped in (
        "def sigmoid(z):\n    with np.errstate(all='ignore'):\n        return 1.0 / (1.0 + np.exp(-z))\n",
        "@np.errstate(over='ignore')\ndef sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n",
    ):
        assert grade(sigmoid, source(wrapped), zygote=sandbox).score < 1.0


def test_the_students_own_error_handling_still_works_and_stable_code_passes(sandbox, sigmoid):
    raising = "def sigmoid(z):\n    with np.errstate(over='raise'):\n        return 1.0 / (1.0 + np.exp(-z))\n"
    verdict = grade(sigmoid, source(raising), zygote=sandbox)
    assert any("FloatingPointError" in case.message for case in verdict.cases if not case.hidden)
    stable = (
        "def sigmoid(z):\n    old = np.seterr(over='raise', divide='raise', invalid='raise')\n    out = np.empty_like(z)\n    pos = z >= 0\n"
        "    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))\n    e = np.exp(z[~pos])\n    out[~pos] = e / (1.0 + e)\n"
        "    np.seterr(**old)\n    return out\n"
    )
    assert grade(sigmoid, source(stable), zygote=sandbox).score == 1.0


# ---------------------------------------------------------------------------------------------
# the clock belongs to the trusted side


FORGED_LOADED = """
    os = _import("os", {}); time = _import("time", {}); json = _import("json", {}); struct = _import("struct", {})
    raw = json.dumps({"type": "loaded", "ms": 0.0, "blobs": []}).encode()
    for _ in range(15):
        time.sleep(0.2)
        for fd in range(3, 20):
            try:
                os.write(fd, struct.pack(">I", len(raw)) + raw)
            except OSError:
                pass
    return np.maximum(x, 0.0)
"""


def test_forged_frames_do_not_extend_the_time_limit(sandbox, fast_relu, honest_still_passes):
    started = time.monotonic()
    verdict = grade(fast_relu, cheat(FORGED_LOADED), zygote=sandbox)
    elapsed = time.monotonic() - started
    assert verdict.score < 0.5
    assert elapsed < fast_relu.limits.submission_budget_s + 1.0  # was 3 s per case, ten cases
    assert verdict.cases[0].status in ("timeout", "error")
    honest_still_passes(sandbox)


def test_an_always_looping_submission_stops_at_its_budget(sandbox, fast_relu, honest_still_passes):
    started = time.monotonic()
    verdict = grade(fast_relu, cheat("while True:\n    pass\n"), zygote=sandbox)
    elapsed = time.monotonic() - started
    budget = fast_relu.limits.submission_budget_s
    assert budget - 0.1 < elapsed < budget + 1.0
    assert verdict.score == 0.0 and all(case.status == "timeout" for case in verdict.cases)
    assert verdict.cases[0].message == "Time limit of 0.5 s exceeded in case vector"
    assert "Not run: the submission's time budget of 1.5 s" in verdict.cases[-1].message
    honest_still_passes(sandbox)


def test_durations_come_from_the_trusted_clock(sandbox, relu):
    # The old runner reported each case's "ms": a full-score file could encode hidden values in it.
    body = """
        runner = _import("sys", {}).modules["__main__"]
        real = runner._send_frame
        runner._send_frame = lambda fd, header, blobs=(): real(fd, dict(header, ms=float(x.ravel()[0]) * 1e6), blobs)
        return np.maximum(x, 0.0)
    """
    started = time.monotonic()
    verdict = grade(relu, cheat(body), zygote=sandbox)
    elapsed_ms = (time.monotonic() - started) * 1000
    assert verdict.score == 1.0
    for case in verdict.cases:
        assert 0.0 <= case.duration_ms <= elapsed_ms
        if case.hidden:
            assert case.duration_ms == 0.0
    assert verdict.public().elapsed_ms % 100 == 0  # students see it to a tenth of a second


# ---------------------------------------------------------------------------------------------
# hidden cases never leak


INPUTS_IN_MEMORY = """
import numpy as np
_import = __import__
sys, io = _import("sys", {}), _import("io", {})


def inputs_in_memory():
    found, seen, frame = [], set(), sys._getframe(0)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, list) and value and all(isinstance(item, bytes) for item in value):
                if id(value) in seen:
                    continue
                seen.add(id(value))
                for blob in value:
                    try:
                        found.append(np.load(io.BytesIO(blob), allow_pickle=False))
                    except Exception:
                        pass
        frame = frame.f_back
    return found
"""


def test_an_exception_carrying_every_input_shows_no_hidden_value(sandbox, relu):
    body = INPUTS_IN_MEMORY + "\n\ndef relu(x):\n    raise ValueError(repr(inputs_in_memory()) + repr(x))\n"
    verdict = grade(relu, body, zygote=sandbox)
    assert verdict.score == 0.0
    assert_hidden_cases_use_fixed_wording(verdict)
    hidden = [case for case in verdict.cases if case.hidden]
    assert all(case.phrases[0] == say("hidden_exception", error="ValueError") for case in hidden)
    assert all(
        case.message.startswith("Your code raised ValueError (hidden case: the message is not shown)")
        for case in hidden
    )
    assert_no_hidden_values(relu, verdict)


def test_a_load_error_once_hidden_inputs_are_present_shows_fixed_wording(sandbox, relu):
    # The visible part loads fine; a visible case ends the process, so the hidden cases run in a
    # fresh child whose top level finds their inputs in memory and raises with them.
    body = INPUTS_IN_MEMORY + (
        "\nif len(inputs_in_memory()) > 4:\n    raise ValueError(repr(inputs_in_memory()))\n\n\n"
        "def relu(x):\n    if np.all(x < 0):\n        _import('os', {})._exit(0)\n    return np.maximum(x, 0.0)\n"
    )
    verdict = grade(relu, body, zygote=sandbox)
    hidden = [case for case in verdict.cases if case.hidden]
    assert hidden and all(case.phrases[0].code == "hidden_load_failed" for case in hidden), hidden
    assert all(len(case.phrases) == 1 for case in hidden)  # cases it never ran say nothing about their purpose
    assert "although it loaded with the visible ones" in hidden[0].message
    assert_hidden_cases_use_fixed_wording(verdict)
    assert_no_hidden_values(relu, verdict)


def test_a_top_level_that_raises_with_every_input_never_sees_a_hidden_one(sandbox, relu):
    body = INPUTS_IN_MEMORY + "\nraise ValueError(repr(inputs_in_memory()))\n"
    verdict = grade(relu, body, zygote=sandbox)
    assert verdict.outcome == "not_gradable"
    assert "raised while loading" in verdict.message
    assert_no_hidden_values(relu, verdict)


def test_every_failure_kind_of_a_hidden_case_is_told_without_its_data(sandbox, relu):
    kinds = {
        "raise": ("raise KeyError(repr(x))", "Your code raised KeyError"),
        "made-up exception class": (
            "raise type('Leak' + str(x.ravel()[0]), (Exception,), {})()",
            "raised an exception",
        ),
        "wrong shape": ("return x.ravel()[:1]", "Wrong shape (hidden case"),
        "nan": ("return np.full_like(x, np.nan)", "NaN or infinity"),
        "ragged list": ("return [1, [2, 3]]", "Wrong kind of result"),
        "exit code": ("_import('os', {})._exit(int(abs(x.ravel()[0]) * 100) % 250)", "Your code failed (hidden case"),
    }
    for name, (statement, expected) in kinds.items():
        verdict = grade(relu, cheat(statement + "\n"), zygote=sandbox)
        hidden = [case for case in verdict.cases if case.hidden]
        assert any(expected in case.message for case in hidden), (name, [c.message for c in hidden])
        assert_hidden_cases_use_fixed_wording(verdict)
        assert_no_hidden_values(relu, verdict)


def test_the_honest_verdict_passes_the_leak_check(zygote, relu):
    # The needles exist and an honest verdict contains none of them: the check above can fail.
    verdict = grade(relu, "import numpy as np\ndef relu(x):\n    return np.maximum(x, 0.0)\n", zygote=zygote)
    assert_no_hidden_values(relu, verdict)
    leaking = dataclasses.replace(verdict, message=repr([c.args for c in relu.cases if c.hidden]))
    with pytest.raises(AssertionError, match="hidden input digits"):
        assert_no_hidden_values(relu, leaking)


# ---------------------------------------------------------------------------------------------
# hostile frames never crash or stall the trusted side


NPY = 'b"\\x93NUMPY\\x01\\x00" + struct.pack("<H", 118) + ({!r} + " " * 117)[:117].encode() + b"\\n"'
RESULT = '{"type": "result", "index": 0, "status": "ok", "output": {"nd": 0}, "after": {"tuple": []}, "blobs": [%d]}'
# Each: Python that sets ``raw`` (the header's bytes) and ``blob`` inside the student's process.
MALFORMED = {
    "negative dimensions": (
        "blob = " + NPY.format("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, -8), }") + " + bytes(64)\n"
        "raw = (RESULT % len(blob)).encode()"
    ),
    "zero size, huge dimensions": (
        "blob = " + NPY.format("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 1000000000000000000), }") + "\n"
        "raw = (RESULT % len(blob)).encode()"
    ),
    "json nested 200000 deep": 'raw = b"[" * 200000 + b"]" * 200000',
    "Infinity as a length": """raw = b'{"type": "result", "blobs": [Infinity]}'""",
    "NaN as an index": """raw = b'{"type": "result", "index": NaN, "status": "ok"}'""",
    "string as an index": """raw = b'{"type": "result", "index": "0", "status": "ok"}'""",
    "object where a list belongs": """raw = b'{"type": "result", "blobs": {"a": 1}}'""",
    "list as a status": """raw = b'{"type": "result", "index": 0, "status": ["ok"]}'""",
    "unhashable phrase code": """raw = b'{"type": "load_error", "kind": "syntax", "phrase": {"code": [1], "args": {}}}'""",
    "unhashable floating-point event": (
        """raw = b'{"type": "result", "index": 0, "status": "ok", "fp": [{"a": 1}], "output": {"none": true}, """
        """"after": {"none": true}}'"""
    ),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_frames_are_the_students_error_and_the_next_job_grades(name, sandbox, relu, honest_still_passes):
    body = "\n".join(
        [
            'os = _import("os", {}); struct = _import("struct", {})',
            f"RESULT = {RESULT!r}",
            'blob = b""',
            MALFORMED[name],
            "for fd in range(3, 20):",
            "    try:",
            '        os.write(fd, struct.pack(">I", len(raw)) + raw + blob)',
            "    except OSError:",
            "        pass",
            "return np.maximum(x, 0.0)",
            "",
        ]
    )
    verdict = grade(relu, cheat(body), zygote=sandbox)
    assert verdict.outcome in ("graded", "not_gradable")
    assert verdict.score < 1.0
    assert verdict.cases[0].status == "error", (verdict.cases[0].status, verdict.cases[0].message)
    started = time.monotonic()
    honest_still_passes(sandbox)
    assert time.monotonic() - started < 2.0  # the zygote was left ready, not stuck on the hostile job


# ---------------------------------------------------------------------------------------------
# signals and process control


def test_fcntl_cannot_make_the_kernel_signal_anyone(sandbox, relu, honest_still_passes):
    for attempt in (
        "fcntl.fcntl(1, fcntl.F_SETOWN, os.getppid())",
        "fcntl.fcntl(1, fcntl.F_SETOWN, 999999)",  # ESRCH used to list the host's processes
        "fcntl.fcntl(1, fcntl.F_SETSIG, 9)",
        "fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_ASYNC)",
        "fcntl.fcntl(1, fcntl.F_NOTIFY, 0x80000000)",
    ):
        body = f'os = _import("os", {{}}); fcntl = _import("fcntl", {{}})\n{attempt}\n'
        assert_blocked(grade(relu, escape(body), zygote=sandbox), "PermissionError")
    honest_still_passes(sandbox)


def test_a_job_runs_under_a_uid_that_cannot_signal_its_zygote(zygote, relu):
    if zygote.plan.child_uid is None:
        pytest.skip("dedicated uids need a root worker with CAP_SETUID")
    run = zygote.run(
        "import os\nimport numpy as np\ndef f(x):\n    return np.array([os.getuid(), os.geteuid()])\n".replace(
            "import os\n", "os = __import__('os', {})\n"
        ),
        "f",
        [((np.zeros(1),), {})],
        Limits(),
    )
    assert run.cases[0].status == "ok", run.cases[0].message
    uid, euid = (int(v) for v in run.cases[0].output)
    assert uid == euid == zygote.plan.child_uid != zygote.info["uid"] == zygote.plan.uid


AT_EMPTY_PATH_STAT = """
ctypes = _import("ctypes", {})
libc = ctypes.CDLL(None, use_errno=True)
status = libc.fstatat(-100, HOST_FILE.encode(), ctypes.create_string_buffer(256), 0x1000)  # AT_FDCWD, AT_EMPTY_PATH
if status != 0:
    raise OSError(ctypes.get_errno(), "fstatat")
"""


def test_no_host_metadata_in_any_mode(sandbox, relu, honest_still_passes):
    # AT_EMPTY_PATH used to pass the plain mode's filter while the kernel still resolved the path.
    for probe in ("os.stat(HOST_FILE)", AT_EMPTY_PATH_STAT, "os.listdir('/')[99]"):
        body = f'os = _import("os", {{}})\nHOST_FILE = {__file__!r}\n{probe}\n'
        verdict = grade(relu, escape(body), zygote=sandbox)
        assert_blocked(verdict, "PermissionError", "FileNotFoundError", "IndexError")
    honest_still_passes(sandbox)


# ---------------------------------------------------------------------------------------------
# amplification


def test_nested_previews_are_bounded_in_time_and_bytes(sandbox, relu, honest_still_passes):
    started = time.monotonic()
    verdict = grade(relu, cheat("return [[np.zeros((2,) * 13)] * 8] * 8\n"), zygote=sandbox)
    assert time.monotonic() - started < 5.0
    assert len(json.dumps(verdict.to_dict())) <= MAX_VERDICT_BYTES
    for case in verdict.cases:
        assert all(len(text) <= PREVIEW_CHARS for text in (case.details.get("got", ""), case.message))
    honest_still_passes(sandbox)


def test_returned_bytes_are_capped_per_submission_not_per_attempt(sandbox, relu, honest_still_passes):
    small = dataclasses.replace(relu, limits=Limits(result_bytes=1 << 20))
    verdict = grade(small, cheat("return np.zeros(80_000)\n"), zygote=sandbox)  # 640 KB each
    statuses = [case.status for case in verdict.cases]
    assert statuses[0] == "fail" and statuses[1] == "error"
    assert "returned more than 1 MiB" in verdict.cases[1].message
    later = [case for case in verdict.cases[2:] if not case.hidden]
    assert all("already returned more than 1 MiB" in case.message for case in later)
    honest_still_passes(sandbox)


def test_a_verdict_stays_small_whatever_the_previews_hold(relu):
    from graders.engine import _fit
    from graders.verdict import CaseResult, Verdict

    cases = tuple(
        CaseResult(
            name=f"c{i}", status="fail", message="m" * 2000, details={"got": "x" * 2000, "inputs": {"a": "y" * 2000}}
        )
        for i in range(200)
    )
    big = Verdict(outcome="graded", score=0.0, passed=0, total=200, cases=cases)
    assert len(json.dumps(_fit(big).to_dict())) <= MAX_VERDICT_BYTES
