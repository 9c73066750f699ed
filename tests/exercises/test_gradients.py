"""Quality gate for the backward passes: the reference is the gradient of the forward function, and the
feedback names the wrong gradients and the known mistake that explains each.

- every backward reference agrees with centered finite differences of its bundle's forward function
  (gradcheck.py, graders/gradcheck.py) on every case, visible and hidden;
- a known mistake graded as a submission is told exactly which outputs are wrong (those where that
  wrong version differs from the reference) and which known mistake gives them, on a visible case;
- a hidden case says which outputs are wrong in the trusted side's own words, nothing more.
"""

from __future__ import annotations

import numpy as np
import pytest

from graders.compare import matches
from graders.content_check import student_version_of
from graders.engine import grade
from graders.feedback import fit_for_hidden_case, render
from graders.gradcheck import check_case, gradcheck_module
from graders.gradients import _summary
from tests.exercises.test_bundles import BY_SLUG

# Largest relative error of a reference against differences: rounding (eps * |loss| / h) and
# truncation (h**2) stay near 1e-9 with the bundles' magnitudes.
GRADCHECK_TOLERANCE = 1e-6
BACKWARD = sorted(slug for slug, bundle in BY_SLUG.items() if bundle.topic == "backprop")
CHECKED = sorted(slug for slug in BACKWARD if gradcheck_module(BY_SLUG[slug]) is not None)
NAMED = sorted(slug for slug, bundle in BY_SLUG.items() if bundle.outputs and bundle.mistakes)


def test_every_backward_pass_is_checked_against_its_forward_function():
    assert len(BACKWARD) == 11, BACKWARD
    # sgd-clipped-step is an update rule, not a derivative: its gradcheck.py recomputes its values.
    assert CHECKED == BACKWARD
    for slug in BACKWARD:
        bundle = BY_SLUG[slug]
        assert bundle.outputs, f"{slug}: name the outputs in exercise.toml"
        module = gradcheck_module(bundle)
        checked = set(getattr(module, "WRT", {})) | set(getattr(module, "VALUES", {}))
        if hasattr(module, "numerical"):
            checked |= set(bundle.outputs)  # numerical() returns them; check_case compares them
        assert checked >= set(bundle.outputs), f"{slug}: gradcheck.py leaves {set(bundle.outputs) - checked} out"
        assert set(bundle.gradients) <= set(getattr(module, "WRT", {})) | set(bundle.outputs)


@pytest.mark.parametrize("slug", CHECKED)
def test_reference_matches_finite_differences_of_the_forward_function(slug):
    bundle = BY_SLUG[slug]
    module = gradcheck_module(bundle)
    worst = {}
    for case, expected in zip(bundle.cases, bundle.expected, strict=True):
        for output, error in check_case(bundle, module, case, expected).items():
            worst[(case.name, output)] = error
    assert worst
    bad = {key: error for key, error in worst.items() if not error <= GRADCHECK_TOLERANCE}
    assert bad == {}, f"relative errors above {GRADCHECK_TOLERANCE}"


def _differing(bundle, variant, index):
    expected = bundle.expected[index]
    case = bundle.cases[index]
    with np.errstate(all="ignore"):
        wrong = variant.function(*case.args, **case.kwargs)
    items = (wrong,) if len(bundle.outputs) == 1 else tuple(wrong)
    wants = (expected,) if len(bundle.outputs) == 1 else tuple(expected)
    rtol, atol = bundle.tolerance_for(case)
    with np.errstate(all="ignore"):
        return [
            name
            for name, got, want in zip(bundle.outputs, items, wants, strict=True)
            if not matches(_as_output(got), want, rtol=rtol, atol=atol)
        ]


def _as_output(value):
    if isinstance(value, (list, tuple)):
        return type(value)(_as_output(item) for item in value)
    return np.asarray(value, dtype=np.float64)


@pytest.mark.parametrize("slug,key", [(slug, variant.key) for slug in NAMED for variant in BY_SLUG[slug].mistakes])
def test_a_mistake_is_told_which_outputs_are_wrong_and_why(slug, key, zygote):
    bundle = BY_SLUG[slug]
    variant = next(v for v in bundle.mistakes if v.key == key)
    source = student_version_of(bundle.path / "mistakes.py", variant.function.__name__, bundle.function)
    verdict = grade(bundle, source, zygote=zygote)
    assert key in [m.key for m in verdict.mistakes]

    told = []
    for index, (case, result) in enumerate(zip(bundle.cases, verdict.cases, strict=True)):
        if result.status != "fail" or result.phrases[0].code == "mutated_inputs":
            continue
        wrong = _differing(bundle, variant, index)
        right = [name for name in bundle.outputs if name not in wrong]
        summary = _summary(wrong, right)
        if case.hidden:
            # which outputs are wrong, then (when the case has one) what the case is for
            assert [p.code for p in result.phrases][:1] == ["hidden_outputs_wrong"]
            assert {p.code for p in result.phrases[1:]} <= {"case_purpose"}
            assert all(fit_for_hidden_case(p) for p in result.phrases)
            assert result.public().message == render(result.phrases)
            assert render([summary]) in result.message
        else:
            assert result.phrases[0] == summary, (case.name, result.message)
            told.append(result.message)
    if bundle.topic == "backprop":  # every backward mistake shows on a visible case, with its name
        assert told, "no visible case shows this mistake: add one where it changes an output"
        assert any(f"known mistake `{key}`" in message for message in told), told
