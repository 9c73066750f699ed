"""What the student's code printed: shown for each visible case, never for a hidden one."""

import json

import pytest

from graders.bundle import load_bundle
from graders.engine import PRINTED_SHOWN_MAX, grade
from tests.conftest import EXERCISES


@pytest.fixture(scope="module")
def relu():
    return load_bundle(EXERCISES / "relu")


def test_each_visible_case_shows_what_it_printed_and_only_that(relu, zygote):
    source = (
        "import numpy as np\nprint('loading')\ndef relu(x):\n    print('shape', x.shape)\n    return np.maximum(x, 0)\n"
    )
    verdict = grade(relu, source, zygote=zygote)
    visible = [case for case in verdict.public().cases if not case.hidden]
    assert visible[0].printed == "loading\nshape (5,)\n"  # the file's top level goes with the first case
    assert [case.printed for case in visible[1:3]] == ["shape (3, 4)\n", "shape (2, 3, 4, 4)\n"]
    assert verdict.score == 1.0


def test_hidden_cases_never_carry_their_output_even_for_staff(relu, zygote):
    # Prints every input it sees: a hidden case's values must not reach any stored text.
    source = "import numpy as np\ndef relu(x):\n    print('SECRET', x.ravel()[:3].tolist(), x.shape)\n    return x\n"
    verdict = grade(relu, source, zygote=zygote)
    hidden = [case for case in verdict.cases if case.hidden]
    assert hidden and all(case.printed == "" for case in hidden)
    visible_sizes = {case.printed.split(")")[0] for case in verdict.cases if not case.hidden}
    assert len(visible_sizes) == sum(not case.hidden for case in verdict.cases)
    public = json.dumps(verdict.public().to_dict())
    assert public.count("SECRET") == sum(not case.hidden for case in verdict.cases)


def test_a_case_that_crashes_shows_what_it_printed_before(relu, zygote):
    source = "def relu(x):\n    print('about to fail on', x.size)\n    raise ValueError('boom')\n"
    verdict = grade(relu, source, zygote=zygote)
    first = verdict.cases[0]
    assert first.status == "error" and first.printed == "about to fail on 5\n"


def test_printed_output_is_bounded_and_stripped_of_control_characters(relu, zygote):
    source = (
        "import numpy as np\n"
        "def relu(x):\n"
        "    print('\\x1b[31mred\\x00\\r')\n"
        "    print('y' * 10000)\n"
        "    return np.maximum(x, 0)\n"
    )
    verdict = grade(relu, source, zygote=zygote)
    case = verdict.public().cases[0]
    assert case.printed.startswith("[31mred\n") and len(case.printed) == PRINTED_SHOWN_MAX
    assert case.details["printed_cut"] == len("[31mred\n") + 10001 - PRINTED_SHOWN_MAX
