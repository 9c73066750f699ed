"""The runner's side of what real course code needs: the imports it may make, and lists as outputs.

Every test runs in each isolation mode this host supports (bwrap as root, bwrap in a user namespace,
plain): in plain mode a child cannot open a file at all, so whatever a student may import must
already be in the zygote, and this is where a module missing from the warm-up would show.
"""

from __future__ import annotations

import ast
import textwrap

import numpy as np
import pytest

from graders.bundle import load_bundle
from graders.engine import grade
from graders.feedback import PHRASES
from graders.sandbox import Limits
from graders.sandbox.protocol import NumberSequence
from tests.conftest import EXERCISES, ROOT
from tests.graders.sandbox.test_attacks import escape

pytestmark = pytest.mark.timeout(60)

RUNNER = ROOT / "graders" / "sandbox" / "inside" / "runner.py"


def runner_constant(name: str) -> frozenset[str]:
    """A frozenset literal of runner.py, read without running the runner (it is a script for the sandbox)."""
    for node in ast.parse(RUNNER.read_text()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return frozenset(ast.literal_eval(node.value.args[0]))
    raise LookupError(name)


@pytest.fixture(scope="module")
def bundles():
    return {slug: load_bundle(EXERCISES / slug) for slug in ("relu", "clip-by-value", "rnn-step", "conv-forward")}


def failures(verdict) -> list[tuple[str, str, str]]:
    return [(case.name, case.status, case.message) for case in verdict.cases if not case.passed]


# ---------------------------------------------------------------------------------------------
# imports


# The first lines of CS231n's layers.py and rnn_layers.py since 2019, then a solution in their style.
CS231N_LAYERS = '''\
from builtins import range
import numpy as np


def relu(x):
    """
    Computes the forward pass for a layer of rectified linear units (ReLUs).
    """
    out = None
    ###########################################################################
    # TODO: Implement the ReLU forward pass.                                  #
    ###########################################################################
    out = np.maximum(0, x)
    return out
'''
CS231N_RNN_LAYERS = """\
from __future__ import print_function, division
from builtins import range
import numpy as np


def rnn_step(x_t, s_prev, U, W, V):
    next_h = np.tanh(x_t.dot(U.T) + s_prev.dot(W.T))
    scores = next_h.dot(V.T)
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    probs = np.exp(shifted) / np.sum(np.exp(shifted), axis=1, keepdims=True)
    return next_h, probs
"""
# deeplearning.ai clips in place; a copy taken first with `copy` makes the same loop correct here.
DEEP_COPY_THEN_CLIP = """\
import copy

import numpy as np


def clip_by_value(grads, clip_value=0.5):
    gradients = copy.deepcopy(grads)
    for gradient in gradients:
        np.clip(gradient, -clip_value, clip_value, out=gradient)
    return gradients
"""


def test_course_headers_and_copy_are_accepted(sandbox, bundles):
    for slug, source in (
        ("relu", CS231N_LAYERS),
        ("rnn-step", CS231N_RNN_LAYERS),
        ("clip-by-value", DEEP_COPY_THEN_CLIP),
    ):
        verdict = grade(bundles[slug], source, zygote=sandbox)
        assert verdict.score == 1.0, (slug, failures(verdict))


EVERY_ALLOWED_IMPORT = """\
from numpy import *
import numpy as np
import numpy.testing as npt
import numpy.typing as npt_typing
import numpy.char, numpy.rec, numpy.strings, numpy.matlib, numpy.ma, numpy.fft, numpy.linalg, numpy.polynomial
import numpy.exceptions, numpy.dtypes, numpy.lib.stride_tricks, numpy.lib.recfunctions, numpy.lib.scimath
from numpy.lib.stride_tricks import sliding_window_view
import math, cmath, random, copy, functools, itertools, collections, collections.abc, operator, numbers
import typing, dataclasses, enum, abc, heapq, bisect
from builtins import range, object
from __future__ import annotations


def relu(x: npt_typing.NDArray) -> npt_typing.NDArray:
    out = maximum(x, 0.0)
    npt.assert_allclose(out, np.where(x > 0, x, 0.0))
    assert numpy.char.upper("a") == "A" and numpy.strings.lower("B") == "b"
    assert numpy.matlib.eye(2).shape == (2, 2) and numpy.rec.fromarrays([[1]]).shape == (1,)
    return copy.deepcopy(out)
""".replace("from __future__ import annotations\n", "")


def test_every_numpy_submodule_and_allowed_module_imports_in_the_sandbox(sandbox, bundles):
    source = "from __future__ import annotations\n" + EVERY_ALLOWED_IMPORT
    verdict = grade(bundles["relu"], source, zygote=sandbox)
    assert verdict.score == 1.0, failures(verdict)


@pytest.mark.parametrize(
    "statement,module",
    [
        ("import os", "os"),
        ("import subprocess", "subprocess"),
        ("from socket import socket", "socket"),
        ("import numpy.ctypeslib", "numpy.ctypeslib"),
        ("from numpy import ctypeslib", "numpy.ctypeslib"),
        ("from numpy.f2py import crackfortran", "numpy.f2py"),
        ("import numpy.testing.extbuild", "numpy.testing.extbuild"),
    ],
)
def test_modules_refused_for_safety_say_so_and_say_what_is_allowed(sandbox, bundles, statement, module):
    verdict = grade(bundles["relu"], f"{statement}\nimport numpy as np\n\ndef relu(x):\n    return x\n", zygote=sandbox)
    assert verdict.outcome == "not_gradable"
    assert [phrase.code for phrase in verdict.phrases] == ["forbidden_import_unsafe"]
    assert verdict.message.startswith(f"Import of `{module}` is refused for safety")
    assert "may import `numpy` with its submodules (except `numpy.ctypeslib`" in verdict.message


def test_other_modules_are_not_allowed_with_what_is(sandbox, bundles):
    # deeplearning.ai's notebooks import their helpers from a file next to them; a submission is one file.
    verdict = grade(bundles["relu"], "from rnn_utils import *\n\ndef relu(x):\n    return x\n", zygote=sandbox)
    assert [phrase.code for phrase in verdict.phrases] == ["forbidden_import"]
    assert verdict.message.startswith("Import of `rnn_utils` is not allowed. A submission is one file")


def test_a_lazy_numpy_submodule_refused_for_safety_is_refused_as_an_attribute_too(sandbox, bundles):
    source = "import numpy as np\n\ndef relu(x):\n    np.ctypeslib.as_array\n    return np.maximum(x, 0)\n"
    verdict = grade(bundles["relu"], source, zygote=sandbox)
    visible = [case for case in verdict.cases if not case.hidden]
    hidden = [case for case in verdict.cases if case.hidden]
    assert {case.status for case in verdict.cases} == {"forbidden"}
    assert all(case.message.startswith("Import of `numpy.ctypeslib` is refused for safety") for case in visible)
    assert {case.phrases[0].code for case in hidden} == {"hidden_forbidden"}


def test_what_the_allowed_modules_reach_is_still_confined(sandbox, bundles):
    # numpy.testing imports shutil, pathlib and threading, and reaches sys (so os, socket, subprocess) in
    # a step or two, like collections does: the import guard is a courtesy, the confinement holds anyway.
    attempts = {
        "fork": "np.testing._private.utils.os.fork()",
        "subprocess": "np.testing._private.utils.sys.modules['subprocess'].run(['true'])",
        "socket": "np.testing._private.utils.sys.modules['socket'].socket()",
        "write": "np.testing._private.utils.pathlib.Path('/tmp/escaped').write_text('x')",
        "mkdir": "np.testing._private.utils.shutil.copytree('/usr/lib', '/tmp/copied')",
        "ctypeslib loaded": "assert 'numpy.ctypeslib' not in collections._sys.modules, 'loaded'; raise PermissionError",
    }
    for name, attempt in attempts.items():
        source = escape(attempt, prelude="import collections\nimport numpy.testing\n")
        verdict = grade(bundles["relu"], source, zygote=sandbox)
        first = verdict.cases[0]
        assert verdict.score < 1.0 and "BLOCKED" in first.message, (name, first.message)
        assert "Error" in first.message and "loaded" not in first.message, (name, first.message)


def test_the_allowed_imports_sentence_matches_the_runners_lists():
    allowed, unsafe = runner_constant("ALLOWED_IMPORTS"), runner_constant("UNSAFE_IMPORTS")
    sentence = PHRASES["allowed_imports"]
    for module in allowed - {"builtins", "__future__"}:
        assert f"`{module}`" in sentence, module
    assert "`from builtins import ...`" in sentence and "`from __future__ import ...`" in sentence
    for module in {name for name in unsafe if name.startswith("numpy.")} - {"numpy.distutils"}:
        assert f"`{module}`" in sentence, module
    assert not allowed & unsafe


# ---------------------------------------------------------------------------------------------
# lists and tuples of numbers as outputs


def test_tolist_outputs_are_compared_as_arrays(sandbox, bundles):
    relu = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0).tolist()\n"
    assert grade(bundles["relu"], relu, zygote=sandbox).score == 1.0
    reference = (bundles["conv-forward"].path / "reference.py").read_text()
    conv = reference.replace(
        "return out.transpose(0, 3, 1, 2) + b[None, :, None, None]",
        "return (out.transpose(0, 3, 1, 2) + b[None, :, None, None]).tolist()",
    )
    assert conv != reference
    verdict = grade(bundles["conv-forward"], conv, zygote=sandbox)
    assert verdict.score == 1.0, failures(verdict)


def test_the_expected_structure_decides_how_a_list_is_read(sandbox, bundles):
    # rnn-step returns the tuple (s_t, o_t); clip-by-value a list of arrays of different shapes, or
    # of the same shape (which the child sends as one array).
    step = CS231N_RNN_LAYERS.replace("return next_h, probs", "return next_h.tolist(), probs.tolist()")
    clip = DEEP_COPY_THEN_CLIP.replace("return gradients", "return [g.tolist() for g in gradients]")
    for slug, source in (("rnn-step", step), ("clip-by-value", clip)):
        verdict = grade(bundles[slug], source, zygote=sandbox)
        assert verdict.score == 1.0, (slug, failures(verdict))


def test_long_lists_of_numbers_travel_as_one_array(sandbox):
    source = "def f(n):\n    return [[float(i * 10 + j) for j in range(10)] for i in range(n)], (1, 2.5, True)\n"
    run = sandbox.run(source, "f", [((100,), {})], Limits())
    assert run.cases[0].status == "ok", run.cases[0].message
    rows, numbers = run.cases[0].output
    assert isinstance(rows, NumberSequence) and rows.kind == "list" and rows.array.shape == (100, 10)
    assert np.array_equal(rows.array.ravel(), np.arange(1000.0))
    assert isinstance(numbers, NumberSequence) and numbers.kind == "tuple" and numbers.array.tolist() == [1.0, 2.5, 1.0]


@pytest.mark.parametrize(
    "returned,visible_message",
    [
        ("[1, [2, 3]]", "Your output is a list whose items have different lengths or shapes"),
        ("[x.ravel().tolist(), [0.0, 1.0]]", "Your output is a list whose items have different lengths or shapes"),
        ("[None] * len(x)", "got a list that holds something other than numbers"),
        ("['a', 'b']", "got a list that holds something other than numbers"),
    ],
)
def test_a_ragged_or_non_numeric_list_is_a_clear_failure(sandbox, bundles, returned, visible_message):
    verdict = grade(bundles["relu"], f"import numpy as np\n\ndef relu(x):\n    return {returned}\n", zygote=sandbox)
    assert verdict.score == 0.0
    visible = [case for case in verdict.cases if not case.hidden]
    hidden = [case for case in verdict.cases if case.hidden]
    assert all(visible_message in case.message for case in visible), [case.message for case in visible]
    assert {case.phrases[0].code for case in hidden} == {"hidden_wrong_type"}
    assert hidden[0].message.startswith("Wrong kind of result, for example None, text or a ragged list")


def test_an_array_where_a_list_is_expected_is_still_wrong(sandbox, bundles):
    source = textwrap.dedent(
        """
        import numpy as np

        def clip_by_value(grads, clip_value=0.5):
            return np.array([np.clip(g, -clip_value, clip_value).sum() for g in grads])
        """
    )
    verdict = grade(bundles["clip-by-value"], source, zygote=sandbox)
    assert verdict.score == 0.0
    assert verdict.cases[0].message == "Expected your output to be a list of 1 items, got an array of shape (1,)"
