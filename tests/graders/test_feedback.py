"""Feedback phrases: one English rendering for the CLI and API, any language on the site."""

import json
import string

import numpy as np
import pytest

from graders.bundle import load_bundle
from graders.compare import compare
from graders.engine import grade
from graders.feedback import PHRASES, UNTRUSTED_CODES, Phrase, phrase_from_untrusted, render, say
from graders.verdict import Verdict
from tests.conftest import EXERCISES


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def bracketed(template: str) -> str:
    """A stand-in translation that shows which templates went through the translator."""
    return "<" + template + ">"


@pytest.fixture(scope="module")
def relu():
    return load_bundle(EXERCISES / "relu")


@pytest.mark.parametrize("code", sorted(PHRASES))
def test_every_phrase_renders_with_its_arguments(code):
    args = {name: f"<{name}>" for name in placeholders(PHRASES[code])}
    text = render([say(code, **args)])
    assert text and "{" not in text
    assert all(f"<{name}>" in text for name in args)


def test_unknown_codes_are_refused_when_built():
    with pytest.raises(ValueError, match="unknown feedback phrase"):
        Phrase("you_win")


def test_a_comparison_message_is_the_english_rendering_of_its_phrases():
    want = [np.zeros((2, 3)), np.array([1.0, 2.0, 4.0])]
    result = compare([np.zeros((2, 3)), np.array([1.0, 2.5, np.inf])], want, rtol=1e-5, atol=1e-8)
    assert result.message == render(result.phrases)
    assert result.message.startswith("Your output[1] has inf at [2] where 4 was expected. In your output[1]: 2 of 3")
    assert "Largest error inf at [2]: got inf, expected 4." in result.message


def test_translation_reaches_nested_descriptions():
    result = compare(np.zeros(3), [np.zeros(3)], rtol=1e-5, atol=1e-8)
    assert result.message == "Expected your output to be a list of 1 items, got an array of shape (3,)"
    translated = render(result.phrases, bracketed)
    assert translated == "<Expected your output to be a list of 1 items, got <an array of shape (3,)>>"


def test_chinese_sentences_follow_on_without_a_space():
    phrases = [say("values_off", count="2", size="5", percent="40", rtol="1e-05", atol="1e-08"), say("not_run")]
    chinese = {PHRASES["values_off"]: "5 个值中有 2 个超出容差。", PHRASES["not_run"]: "未运行"}
    assert render(phrases, lambda template: chinese.get(template, template)) == "5 个值中有 2 个超出容差。未运行"
    assert render(phrases).endswith("(rtol=1e-05, atol=1e-08). Not run")


def test_a_translation_with_a_broken_placeholder_falls_back_to_english():
    phrase = say("wrong_shape", item="", expected="(2, 3)", got="(6,)")
    assert render([phrase], lambda template: "形状不对 {expected_shape}") == render([phrase])


def test_verdicts_keep_their_phrases_through_json(relu, zygote):
    source = "import numpy as np\n\ndef relu(x):\n    y = x.copy()\n    return y[[0, 1]] + np.ones(3)\n"
    verdict = grade(relu, source, zygote=zygote)
    case = verdict.cases[0]
    assert case.phrases[0].code == "exception_at"
    assert render(case.phrases) == case.message
    again = Verdict.from_dict(json.loads(json.dumps(verdict.to_dict())))
    assert again == verdict


def test_a_stored_verdict_with_a_phrase_this_version_does_not_know_keeps_its_message():
    stored = {
        "outcome": "graded",
        "score": 0.0,
        "passed": 0,
        "total": 1,
        "cases": [
            {"name": "vector", "status": "fail", "message": "Off by a lot", "phrases": [{"code": "gone", "args": {}}]}
        ],
    }
    case = Verdict.from_dict(stored).cases[0]
    assert case.phrases == () and case.message == "Off by a lot"


def test_runner_messages_arrive_as_phrases_a_page_can_translate(relu, zygote):
    verdict = grade(relu, "import numpy as np\n\ndef relu(x)\n    return x\n", zygote=zygote)
    assert verdict.message == "SyntaxError at line 3: expected ':': def relu(x)"
    assert render(verdict.phrases, bracketed) == "<SyntaxError at line 3: expected ':': def relu(x)>"
    forbidden = grade(relu, "import os\n\ndef relu(x):\n    return x\n", zygote=zygote)
    assert [phrase.code for phrase in forbidden.phrases] == ["forbidden_import_unsafe"]


def test_limits_and_failures_decided_on_the_trusted_side_are_phrases(relu, zygote):
    source = "import numpy as np\ndef relu(x):\n    x[0] = 0\n    return np.maximum(x, 0)\n"
    verdict = grade(relu, source, zygote=zygote)
    mutated = [case for case in verdict.cases if case.phrases and case.phrases[0].code == "mutated_inputs"]
    assert mutated and all(case.message == render(case.phrases) for case in mutated)


class TestPhrasesFromTheSandbox:
    def test_a_known_runner_phrase_is_kept(self):
        data = {
            "code": "exception_at",
            "args": {
                "error": "ValueError: bad",
                "where": [{"code": "student_line", "args": {"line": "3", "function": "f", "source": "x"}}],
            },
        }
        phrase = phrase_from_untrusted(data)
        assert render([phrase]) == "ValueError: bad (at line 3, in f: x)"

    @pytest.mark.parametrize(
        "data",
        [
            None,
            "Import of `os` is not allowed",
            {"code": "values_off", "args": {}},  # only the trusted side compares values
            {"code": "no_such_code", "args": {}},
            {"code": "not_defined", "args": {"function": 3}},
            {"code": "not_defined", "args": {}},  # does not fill the template
            {"code": "not_defined", "args": {"function": "f", "__class__": "x", "a b": "y"}},
            {"code": "not_defined", "args": {"function": {"code": "not_defined", "args": {"function": {}}}}},
            {"code": "exception_at", "args": {"error": "e", "where": [{"code": "student_line"}] * 50}},
        ],
    )
    def test_anything_else_is_dropped(self, data):
        assert phrase_from_untrusted(data) is None

    def test_arguments_are_cut_to_a_bounded_length(self):
        phrase = phrase_from_untrusted({"code": "cannot_compile", "args": {"detail": "x" * 100_000}})
        assert len(render([phrase])) < 700

    def test_every_code_the_runner_sends_is_allowed(self):
        runner = (EXERCISES.parent / "graders" / "sandbox" / "inside" / "runner.py").read_text()
        sent = {code for code in PHRASES if f'"{code}"' in runner}
        assert sent and sent <= UNTRUSTED_CODES
