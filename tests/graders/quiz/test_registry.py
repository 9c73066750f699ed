"""The registry of question types: every type implements the whole interface; an unknown type is a bundle error."""

from __future__ import annotations

import inspect

import pytest

from graders.bundle import BundleError
from graders.manifest import Table
from graders.quiz import QUESTION_TYPES, Question, load_quiz
from graders.quiz.bundle import question_table
from tests.graders.quiz.bundles import BUNDLES, edited_bundle

COMMON_KEYS = {"uuid", "key", "type", "prompt", "explanation", "weight", "partial"}


def test_the_registry_holds_the_four_types_under_their_own_names():
    assert list(QUESTION_TYPES) == ["single", "multiple", "numeric", "ordering"]
    assert all(name == kind.type for name, kind in QUESTION_TYPES.items())


@pytest.mark.parametrize("kind", QUESTION_TYPES.values(), ids=list(QUESTION_TYPES))
def test_every_type_implements_validate_parse_grade_partial_rule_and_describe(kind):
    assert issubclass(kind, Question) and not inspect.isabstract(kind)
    for method in ("validate", "parse", "grade", "partial_rule", "describe", "display_order"):
        assert callable(getattr(kind, method)), method
    assert isinstance(kind.label, str) and kind.label
    assert isinstance(kind.template, str) and kind.template.isidentifier()  # quizzes/types/<template>.html
    assert kind.partial_rules and all(isinstance(rule, str) for rule in kind.partial_rules)
    assert set(kind.fields).isdisjoint(COMMON_KEYS | {"params"})  # a type adds keys, never redefines common ones


def test_a_type_that_leaves_out_part_of_the_interface_cannot_be_used():
    class HalfDone(Question):  # no validate, grade or describe
        type = "half"

        def parse(self, raw):
            return raw

    assert inspect.isabstract(HalfDone)
    with pytest.raises(TypeError):
        HalfDone(uuid="u", key="k", prompt={}, explanation={})


def test_the_bundles_use_every_type():
    assert {question.type for bundle in BUNDLES for question in bundle.questions} == set(QUESTION_TYPES)


@pytest.mark.parametrize("name", QUESTION_TYPES)
def test_a_question_table_takes_the_common_keys_and_its_types_own(name):
    kind = QUESTION_TYPES[name]
    table = question_table({"type": name})
    expected = COMMON_KEYS | set(kind.fields) | ({"params"} if kind.parameterizable else set())
    assert isinstance(table, Table) and set(table.keys) == expected


def test_an_unknown_type_is_a_bundle_error_naming_the_known_ones(tmp_path):
    folder = edited_bundle(tmp_path, "rnn-quiz", 'type = "single"', 'type = "essay"')
    with pytest.raises(BundleError) as error:
        load_quiz(folder)
    assert error.value.reason == (
        f"`type` in [[questions]] 'why-recurrent' of {tmp_path.name}/rnn-quiz/quiz.toml must be one of "
        "single, multiple, numeric, ordering, not 'essay'"
    )


def test_a_missing_type_is_a_bundle_error(tmp_path):
    folder = edited_bundle(tmp_path, "rnn-quiz", 'type = "single"\n', "")
    with pytest.raises(BundleError, match=r"missing `type` in \[\[questions\]\] 'why-recurrent'"):
        load_quiz(folder)
