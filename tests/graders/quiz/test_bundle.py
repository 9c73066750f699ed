"""Quiz bundles: every question's answer checked against hand-worked values, variants, and refused bundles.

HAND_CHECKED lists every question of every bundle. For a fixed question it is the answer as
reviewed against the interview questions' text; for a parameterized one, inputs with the answer worked out by
hand (the working is in the comment). A question added without an entry here fails the suite.
How each question type parses and grades is tested in tests/graders/quiz/types/.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from graders.bundle import BundleError
from graders.quiz import MIN_DISTINCT_VARIANTS, discover_quizzes, load_quiz, validate_quiz
from tests.graders.quiz.bundles import BUNDLES, BY_SLUG, ERRORS, QUIZZES, copy_bundle, edited_bundle, question_of

VERTICAL = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
QUESTION_20_FILTER = [[4, 0, 0], [0, 0, 0], [0, 0, -4]]  # interview question 20's -8 example
QUESTION_20_WINDOW = [[0, 0, 0], [0, 1, 1], [0, 1, 2]]
HORIZONTAL = [[1, 1, 1], [0, 0, 0], [-1, -1, -1]]

# (quiz slug, question key) -> the reviewed answer, or [(inputs, hand-worked answer, tolerance)].
HAND_CHECKED = {
    # --- interview question 17: exploding gradients ---
    ("exploding-gradients-quiz", "what-are-exploding-gradients"): "b",
    ("exploding-gradients-quiz", "signs-of-exploding-gradients"): [
        "a",
        "c",
        "e",
    ],  # NaN loss, unstable loss, huge/NaN weights
    ("exploding-gradients-quiz", "cures-for-exploding-gradients"): [
        "a",
        "c",
        "d",
        "f",
        "g",
    ],  # question 17's five: redesign, LSTM, clipping, regularization, ReLU
    ("exploding-gradients-quiz", "clipnorm-norm-after-clipping"): [
        # np.linalg.norm's last bit depends on the CPU's BLAS kernel (2 came out as 1.9999999999999998).
        ({"g": [3, -4, 0], "c": 1.0}, 1.0, 1e-12),  # |g| = 5 > 1: clipped to norm 1
        ({"g": [3, 4, 12], "c": 20.0}, 13.0, 1e-12),  # |g| = sqrt(9 + 16 + 144) = 13 <= 20: unchanged
        ({"g": [1, 2, 2], "c": 2.0}, 2.0, 1e-12),  # |g| = 3 > 2
    ],
    ("exploding-gradients-quiz", "global-norm-clipping"): [
        ({"a": [3, 0], "b": [0, 4], "c": 1.0}, 0.6, 1e-12),  # G = 5, scale 1/5, 3 * 0.2
        ({"a": [1, 2], "b": [2, 0], "c": 5.0}, 1.0, 0),  # G = sqrt(1 + 4 + 4) = 3 <= 5: unchanged
        ({"a": [-4, 0], "b": [0, 3], "c": 2.0}, -1.6, 1e-12),  # G = 5, scale 2/5, -4 * 0.4
    ],
    ("exploding-gradients-quiz", "clipvalue-norm-after-clipping"): [
        ({"g": [2.0, -0.3, 0.4, -1.5], "c": 0.5}, math.sqrt(0.75), 1e-12),  # (0.5, -0.3, 0.4, -0.5): .25+.09+.16+.25
        ({"g": [0.6, 0.8, 0.0, 0.0], "c": 1.0}, 1.0, 1e-12),  # nothing clipped: sqrt(.36 + .64)
    ],
    ("exploding-gradients-quiz", "keras-clipping-defaults"): "c",  # clipnorm/clipvalue default to None
    ("exploding-gradients-quiz", "keras-clipnorm-per-weight"): "b",  # per weight array in tf.keras 2 / Keras 3
    ("exploding-gradients-quiz", "weight-regularization-facts"): ["a", "c", "e"],
    ("exploding-gradients-quiz", "recurrent-regularizer"): "b",  # recurrent_regularizer penalizes W; kernel_ is U
    ("exploding-gradients-quiz", "truncated-bptt"): "a",  # full forward pass, gradient through at most k steps
    ("exploding-gradients-quiz", "repeated-factor-growth"): [
        ({"w": 2.0, "T": 10}, 1024.0, 0),  # 2^10
        ({"w": 0.5, "T": 10}, 0.0009765625, 0),  # 1/1024: vanishing
        ({"w": 1.5, "T": 5}, 7.59375, 1e-12),  # 1.5^5 = 243/32
    ],
    ("exploding-gradients-quiz", "training-step-order"): ["forward", "loss", "backprop", "clip", "update"],
    # --- question 17 from the backward pass ---
    ("backprop-quiz", "vanishing-or-exploding"): "a",  # ||grad|| ~ rho(W)^k with tanh' ~ 1
    ("backprop-quiz", "norm-k-steps-back"): [
        ({"rho": 2.0, "k": 10}, 1024.0, 0),  # 2^10
        ({"rho": 0.5, "k": 20}, 9.5367431640625e-07, 0),  # 2^-20
        ({"rho": 1.5, "k": 5}, 7.59375, 1e-12),  # 243 / 32
    ],
    ("backprop-quiz", "lstm-cell-path"): "a",  # d(f*c_prev)/dc_prev = diag(f) along the cell path
    ("backprop-quiz", "clipping-and-direction"): ["a", "b", "d"],  # never scales up; loss unchanged
    ("backprop-quiz", "clipped-step-size"): [
        ({"g1": [3, 0], "g2": [4], "c": 1.0, "lr": 0.1}, 0.1, 1e-12),  # N = 5 > 1: lr * 1
        ({"g1": [1, 2], "g2": [2], "c": 5.0, "lr": 0.05}, 0.15, 1e-12),  # N = 3 <= 5: lr * 3
        ({"g1": [6, 0], "g2": [-8], "c": 2.0, "lr": 0.01}, 0.02, 1e-12),  # N = 10 > 2: lr * 2
    ],
    ("backprop-quiz", "sigmoid-derivative-max"): 0.25,  # at z = 0: 0.5 * 0.5
    # --- interview question 18: RNN ---
    ("rnn-quiz", "why-recurrent"): "b",
    ("rnn-quiz", "what-is-the-hidden-state"): "d",
    ("rnn-quiz", "initial-state"): "a",  # s_{-1} = 0
    ("rnn-quiz", "shared-parameters"): ["a", "c", "e"],
    ("rnn-quiz", "scalar-rnn-step"): [
        ({"U": 1.0, "W": 0.5, "x": 1.0, "s": 0.0}, 0.7616, 5e-5),  # tanh(1), as in the rnn-forward example
        ({"U": 0.5, "W": -1.0, "x": 2.0, "s": 0.5}, 0.4621, 5e-5),  # tanh(1 - 0.5) = tanh(0.5)
    ],
    ("rnn-quiz", "softmax-output"): [
        ({"z": [1.0, 2.0, 3.0]}, 0.0900, 5e-5),  # e / (e + e^2 + e^3), as in the softmax exercise
        ({"z": [0.0, 0.0, 0.0]}, 1 / 3, 1e-12),
    ],
    ("rnn-quiz", "why-hard-to-train"): "c",
    ("rnn-quiz", "relu-rnn-step"): [
        ({"U": 0.5, "W": 0.9, "x": -2.0, "s": 1.7}, 0.53, 1e-12),  # max(0, -1 + 1.53)
        ({"U": 1.0, "W": -1.0, "x": 0.5, "s": 1.0}, 0.0, 0),  # max(0, 0.5 - 1) = 0
    ],
    ("rnn-quiz", "one-hot-next-word"): [
        # "I" picks U[0] = 1: s0 = tanh(1) = 0.7616, scores (0.7616, 0, -0.7616), e^s = (2.1417, 1, 0.4669), sum 3.6086
        ({"U": [1.0, 0.5, -1.0], "V": [1.0, 0.0, -1.0], "word": "I", "target": "I"}, 0.5935, 5e-5),
        ({"U": [1.0, 0.5, -1.0], "V": [1.0, 0.0, -1.0], "word": "I", "target": "like"}, 0.2771, 5e-5),  # 1 / 3.6086
        ({"U": [0.3, -1.2, 2.0], "V": [0.0, 0.0, 0.0], "word": "like", "target": "cats"}, 1 / 3, 1e-12),  # scores 0
    ],
    ("rnn-quiz", "sequence-length"): "a",  # the current state assumed to depend on a few states before it
    ("rnn-quiz", "rnn-step-order"): ["prev", "mix", "squash", "scores", "softmax"],
    ("rnn-quiz", "rnn-parameter-count"): [
        ({"D": 10, "H": 20, "K": 5}, 700, 0),  # 20*10 + 20*20 + 5*20
        ({"D": 3, "H": 2, "K": 4}, 18, 0),  # 6 + 4 + 8
    ],
    # --- interview question 19: LSTM ---
    ("lstm-quiz", "forget-gate-role"): "b",
    ("lstm-quiz", "sigmoid-versus-tanh"): "d",
    ("lstm-quiz", "forget-gate-value"): [
        (
            {"h": 0.5, "x": 2.0, "wh": 1.0, "wx": 0.5, "b": 0.0},
            0.8176,
            5e-5,
        ),  # sigma(0.5 + 1.0), lstm-forget-gate example
        ({"h": -0.5, "x": 2.0, "wh": 1.0, "wx": -1.0, "b": 0.5}, 0.1192, 5e-5),  # sigma(-0.5 - 2 + 0.5) = sigma(-2)
        ({"h": 1.0, "x": -1.0, "wh": 1.0, "wx": 1.0, "b": 0.0}, 0.5, 1e-12),  # sigma(0)
    ],
    ("lstm-quiz", "cell-state-value"): [
        ({"f": 0.5, "i": 0.5, "g": 0.7616, "c": 0.0}, 0.3808, 1e-12),  # lstm-forward example, t = 0
        ({"f": 0.9, "i": 0.2, "g": -0.5, "c": 2.0}, 1.7, 1e-12),  # 1.8 - 0.1
    ],
    ("lstm-quiz", "hidden-state-value"): [
        ({"o": 0.5, "c": 0.3808}, 0.1817, 5e-5),  # 0.5 * tanh(0.3808), lstm-forward example
        ({"o": 0.8, "c": 0.0}, 0.0, 0),  # tanh(0) = 0
    ],
    ("lstm-quiz", "lstm-update-order"): ["concat", "gates", "cell", "squash", "hidden"],
    ("lstm-quiz", "cell-state-facts"): ["a", "c", "d"],
    ("lstm-quiz", "concatenation-order"): "c",  # [h_{t-1}, x_t], W_f is H x (H + D)
    ("lstm-quiz", "number-of-gates"): "c",
    ("lstm-quiz", "lstm-parameter-count"): [
        ({"D": 1, "H": 1}, 12, 0),  # 4 * (1*2 + 1)
        ({"D": 100, "H": 128}, 117248, 0),  # 4 * (128*228 + 128) = 4 * 29312
    ],
    ("lstm-quiz", "gru-variant"): "a",
    # --- interview question 20: how a CNN works ---
    ("cnn-quiz", "and-neuron-logic"): "b",
    ("cnn-quiz", "soft-and-neuron"): [
        ({"w1": 20.0, "w2": 20.0, "b": -30.0, "x1": 1, "x2": 1}, 0.99995, 1e-5),  # the seed: sigma(10)
        ({"w1": 20.0, "w2": 20.0, "b": -30.0, "x1": 0, "x2": 1}, 4.54e-5, 1e-7),  # sigma(-10)
        ({"w1": 2.0, "w2": 2.0, "b": -3.0, "x1": 1, "x2": 1}, 0.7311, 5e-5),  # sigma(1)
    ],
    ("cnn-quiz", "conv-output-size"): [
        ({"H": 7, "K": 3, "S": 2, "P": 1}, 4, 0),  # (7 + 2*1 - 3)//2 + 1
        ({"H": 5, "K": 3, "S": 2, "P": 1}, 3, 0),  # the classic 5x5x3 example
        ({"H": 4, "K": 3, "S": 2, "P": 1}, 2, 0),  # floor(3/2) + 1
        ({"H": 32, "K": 5, "S": 1, "P": 0}, 28, 0),  # LeNet-5's first layer
        ({"H": 227, "K": 11, "S": 4, "P": 0}, 55, 0),  # AlexNet's first layer
    ],
    ("cnn-quiz", "conv-value"): [
        ({"patch": QUESTION_20_WINDOW, "kernel": QUESTION_20_FILTER}, -8, 0),  # 4*0 + ... + -4*2, as question 20
        ({"patch": [[3, 1, 5], [2, 0, 4], [1, 2, 5]], "kernel": VERTICAL}, -8, 0),  # (3-5) + (2-4) + (1-5)
        ({"patch": [[3, 1, 5], [2, 0, 4], [1, 2, 5]], "kernel": HORIZONTAL}, 1, 0),  # (3+1+5) - (1+2+5)
    ],
    ("cnn-quiz", "cross-correlation"): "c",
    ("cnn-quiz", "classic-output-volume"): "d",  # 3 x 3 x 2
    ("cnn-quiz", "output-depth"): "a",
    ("cnn-quiz", "conv-parameter-count"): [
        ({"C": 3, "F": 2, "K": 3}, 56, 0),  # 2 * (3*3*3 + 1)
        ({"C": 64, "F": 128, "K": 3}, 73856, 0),  # 128 * (576 + 1)
    ],
    ("cnn-quiz", "why-fewer-parameters"): ["a", "c"],
    ("cnn-quiz", "max-pooling"): "b",
    ("cnn-quiz", "why-relu"): ["a", "c", "e"],
    ("cnn-quiz", "conv-value-steps"): ["pad", "window", "multiply", "sum", "bias"],
    ("cnn-quiz", "hidden-nonlinearity"): "d",
    ("cnn-quiz", "festival-perceptron"): ["a", "b"],  # z = 7x1 + 3x2 - 5 > 0 only when x1 = 1
    ("cnn-quiz", "festival-bias"): "c",  # -10 < b <= -7
    ("cnn-quiz", "festival-probability"): [
        ({"b": -5.0, "x1": 1, "x2": 0}, 0.8808, 5e-5),  # sigma(2)
        ({"b": -5.0, "x1": 1, "x2": 1}, 0.99331, 5e-6),  # sigma(5)
        ({"b": -3.0, "x1": 0, "x2": 1}, 0.5, 1e-12),  # sigma(0)
    ],
    ("cnn-quiz", "layer-order"): ["input", "conv", "relu", "pool", "fc"],
    ("cnn-quiz", "input-preprocessing"): "a",  # the training mean, subtracted from every set
    ("cnn-quiz", "fc-parameter-count"): [
        ({"C": 256, "H": 6, "M": 4096}, 37752832, 0),  # AlexNet's first FC layer: 9216 * 4096 + 4096
        ({"C": 16, "H": 2, "M": 10}, 650, 0),  # 64 * 10 + 10
    ],
    # --- interview question 16: common CNN models ---
    ("cnn-models-quiz", "lenet"): "c",
    ("cnn-models-quiz", "alexnet"): ["a", "c", "e"],  # ReLU, dropout, GPUs
    ("cnn-models-quiz", "vgg"): "b",
    ("cnn-models-quiz", "vgg-stack-weights"): [
        ({"n": 2, "C": 64}, 73728, 0),  # 2 * 9 * 64^2
        ({"n": 3, "C": 1}, 27, 0),
    ],
    ("cnn-models-quiz", "googlenet"): "d",
    ("cnn-models-quiz", "resnet"): "a",
    ("cnn-models-quiz", "one-by-one-convolution"): "c",
    ("cnn-models-quiz", "models-in-order"): ["lenet", "alexnet", "vgg", "resnet", "densenet"],
}

ALL_QUESTIONS = [(bundle.slug, question.key) for bundle in BUNDLES for question in bundle.questions]
PARAMETERIZED = [
    (bundle.slug, question.key) for bundle in BUNDLES for question in bundle.questions if question.parameterized
]


def test_every_quiz_bundle_loads():
    assert ERRORS == []
    assert sorted(BY_SLUG) == [
        "backprop-quiz",
        "cnn-models-quiz",
        "cnn-quiz",
        "exploding-gradients-quiz",
        "lstm-quiz",
        "rnn-quiz",
    ]


def test_at_least_thirty_questions_of_every_type_covering_the_five_seed_questions():
    assert len(ALL_QUESTIONS) >= 30
    types = {question.type for bundle in BUNDLES for question in bundle.questions}
    assert types == {"single", "multiple", "numeric", "ordering"}
    assert {bundle.topic for bundle in BUNDLES} == {"exploding-gradients", "rnn", "lstm", "cnn", "backprop"}
    for bundle in BUNDLES:
        assert len(bundle.questions) >= 6, bundle.slug
    named = {key for _slug, key in PARAMETERIZED}
    # The four the issue names: conv output size, the AND neuron, one LSTM gate, the norm after clipping.
    assert {"conv-output-size", "soft-and-neuron", "forget-gate-value", "clipnorm-norm-after-clipping"} <= named


def test_every_question_has_a_hand_checked_answer():
    assert sorted(HAND_CHECKED) == sorted(ALL_QUESTIONS)


@pytest.mark.parametrize("slug,key", [item for item in ALL_QUESTIONS if item not in PARAMETERIZED])
def test_fixed_answer_is_the_reviewed_one(slug, key):
    _bundle, question = question_of(slug, key)
    reviewed = HAND_CHECKED[(slug, key)]
    assert question.answer == (tuple(reviewed) if isinstance(reviewed, list) else reviewed)


@pytest.mark.parametrize("slug,key", PARAMETERIZED)
def test_answer_function_matches_hand_worked_values(slug, key):
    bundle, question = question_of(slug, key)
    answer = bundle.answer_function(question)
    for inputs, expected, tolerance in HAND_CHECKED[(slug, key)]:
        got = answer(**inputs)
        assert abs(got - expected) <= tolerance, (inputs, got, expected)
        if tolerance == 0:
            assert got == expected


@pytest.mark.parametrize("slug,key", PARAMETERIZED)
def test_variants_are_stable_varied_and_answered_by_the_answer_function(slug, key):
    bundle, question = question_of(slug, key)
    seen = set()
    for seed in range(200):
        variant = bundle.variant(question, seed)
        assert bundle.variant(question, seed) == variant  # same seed, same numbers and answer
        assert variant.answer == bundle.answer_function(question)(**variant.inputs)
        assert question.tolerance.accepts(variant.answer, variant.answer)
        prompt = variant.prompt("en")
        assert "{{" not in prompt and "{{" not in variant.prompt("zh") and "{{" not in variant.explanation("zh")
        seen.add(prompt)
    assert len(seen) >= 2 * MIN_DISTINCT_VARIANTS  # students rarely share a variant


@pytest.mark.parametrize("slug,key", PARAMETERIZED)
def test_the_tolerance_holds_at_the_small_answer_end(slug, key):
    # The smallest answers a question draws are where a slack that is not relative hides a wrong answer.
    bundle, question = question_of(slug, key)
    answers = sorted({bundle.variant(question, seed).answer for seed in range(200)}, key=abs)
    tolerance = question.tolerance
    for want in answers[:8] + answers[-2:]:
        bound = tolerance.abs + tolerance.rel * abs(want)
        assert tolerance.accepts(want, want)
        if abs(want) > bound:
            assert not tolerance.accepts(0.0, want), (want, bound)
        if bound:
            assert tolerance.accepts(want + 0.99 * bound, want) and tolerance.accepts(want - 0.99 * bound, want)
        wrong = max(1.01 * bound, 1e-9 * abs(want), 1e-12)
        assert not tolerance.accepts(want + wrong, want) and not tolerance.accepts(want - wrong, want), (want, bound)


def test_numbers_in_formulas_are_written_for_reading():
    bundle, question = question_of("exploding-gradients-quiz", "repeated-factor-growth")
    variant = bundle.variant_from_inputs(question, {"w": 1.5, "T": 40})
    assert variant.values["answer"] == "1.10573e+07"  # as a student may type it, outside formulas
    for language in ("en", "zh"):
        explanation = variant.explanation(language)
        assert r"\approx 1.10573 \times 10^{7}$" in explanation and "e+07" not in explanation
    tiny = bundle.variant_from_inputs(question, {"w": 0.5, "T": 40})
    assert r"9.09495 \times 10^{-13}" in tiny.explanation("en")


def test_a_rebuilt_variant_shows_the_same_numbers():
    bundle, question = question_of("cnn-quiz", "conv-output-size")
    variant = bundle.variant(question, 12345)
    rebuilt = bundle.variant_from_inputs(question, variant.inputs)
    assert rebuilt.values == variant.values and rebuilt.answer == variant.answer


# --- bundle validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug,old,new,reason",
    [
        ("rnn-quiz", 'slug = "rnn-quiz"', 'slug = "other"', "must match the folder name"),
        ("rnn-quiz", 'topic = "rnn"', 'topic = "gan"', "topic 'gan' is not one of"),
        ("rnn-quiz", 'answer = ["a", "c", "e"]', 'answer = ["a", "z"]', "must list distinct option ids"),
        ("rnn-quiz", 'answer = ["a", "c", "e"]', 'answer = ["a", "b", "c", "d", "e"]', "at least one wrong one"),
        ("rnn-quiz", 'answer = "b"', 'answer = "z"', "a single choice needs"),
        ("rnn-quiz", "tolerance = { abs = 0.001 }", "", "needs `tolerance"),
        ("rnn-quiz", 'params = "rnn_state"', 'params = "nope"', "params.py does not define draw_nope()"),
        ("rnn-quiz", 'key = "why-recurrent"', 'key = "Why Recurrent"', "`key` must use"),
        ("rnn-quiz", 'type = "single"', 'type = "essay"', "must be one of single, multiple, numeric, ordering"),
        ("rnn-quiz", "[[questions]]\nuuid", "[[questions]]\ntolerence = 1\nuuid", "unknown key `tolerence`"),
        ("rnn-quiz", 'answer = "b"', 'answer = "b"\ntolerance = { abs = 1 }', "unknown key `tolerance`"),
        ("rnn-quiz", 'answer = "b"', 'answer = "b"\nparams = "rnn_state"', "unknown key `params`"),
        ("rnn-quiz", "tolerance = { abs = 0.001 }", "tolerance = { abs = 0.001, absolute = 1 }", "did you mean `abs`?"),
        ("rnn-quiz", 'answer = "b"', 'answer = ["b"]', "`answer` in [[questions]] 'why-recurrent'"),
        ("rnn-quiz", 'type = "multiple"', 'type = "multiple"\npartial = "positions"', "must be one of proportional"),
        ("rnn-quiz", "tolerance = { abs = 0.001 }", "tolerance = { abs = nan }", "tolerance.abs must be a finite"),
        ("rnn-quiz", "prompt.zh = '''循环", "prompt.zh = '''{{x}} 循环", "placeholders but has no `params`"),
        (
            "lstm-quiz",
            'answer = ["concat", "gates", "cell", "squash", "hidden"]',
            'answer = ["cell", "concat", "gates", "hidden", "squash"]',
            "alphabetical order give the answer away",
        ),
        ("cnn-quiz", "$H = {{H}}$ goes through", "$H = {{height}}$ goes through", "no value for placeholders height"),
    ],
)
def test_a_bad_bundle_is_refused_with_the_reason(tmp_path, slug, old, new, reason):
    folder = edited_bundle(tmp_path, slug, old, new)
    with pytest.raises(BundleError) as error:
        validate_quiz(load_quiz(folder))
    assert reason in error.value.reason
    assert error.value.path == str(folder)


def refusal(folder: Path) -> str:
    """Why quiz.toml in ``folder`` is refused (copies live in <tmp>/quizzes/, so messages name quizzes/...)."""
    with pytest.raises(BundleError) as error:
        load_quiz(folder)
    assert error.value.path == str(folder)
    return error.value.reason


def test_a_misspelt_quiz_table_is_refused(tmp_path):
    reason = refusal(edited_bundle(tmp_path / "quizzes", "rnn-quiz", "[intro]", "[intros]"))
    assert reason.startswith("unknown table [intros] in quizzes/rnn-quiz/quiz.toml; did you mean [intro]?")
    assert "[title], [intro], [[questions]])" in reason


def test_an_unknown_key_in_a_question_is_refused(tmp_path):
    reason = refusal(edited_bundle(tmp_path / "quizzes", "rnn-quiz", 'answer = "b"', 'answer = "b"\nanwser = "b"'))
    assert reason.startswith(
        "unknown key `anwser` in [[questions]] 'why-recurrent' of quizzes/rnn-quiz/quiz.toml; did you mean `answer`?"
    )


def test_an_unknown_key_deeper_in_a_question_is_refused(tmp_path):
    reason = refusal(
        edited_bundle(
            tmp_path / "quizzes", "rnn-quiz", '{ id = "a", en = "It reruns', '{ id = "a", fr = "Il", en = "It reruns'
        )
    )
    assert reason == (
        "unknown key `fr` in options 'a' of [[questions]] 'why-recurrent' of quizzes/rnn-quiz/quiz.toml "
        "(allowed here: `id`, `en`, `zh`)"
    )
    reason = refusal(
        edited_bundle(
            tmp_path / "again" / "quizzes",
            "rnn-quiz",
            "prompt.zh = '''循环",
            "prompt.fr = 'Pourquoi'\nprompt.zh = '''循环",
        )
    )
    assert reason.startswith(
        "unknown key `fr` in prompt of [[questions]] 'why-recurrent' of quizzes/rnn-quiz/quiz.toml"
    )


def test_params_that_draw_too_few_variants_are_refused(tmp_path):
    folder = copy_bundle(tmp_path, "cnn-models-quiz")
    params = folder / "params.py"
    params.write_text(
        params.read_text().replace('"n": int(rng.integers(2, 5)), "C": int(8 * rng.integers(1, 65))', '"n": 2, "C": 64')
    )
    with pytest.raises(BundleError, match="different variants"):
        validate_quiz(load_quiz(folder))


def test_inputs_must_be_drawn_as_they_are_shown(tmp_path):
    folder = copy_bundle(tmp_path, "lstm-quiz")
    params = folder / "params.py"
    params.write_text(params.read_text().replace('"b": _decimals(rng, -1.0, 1.0, 1)', '"b": float(rng.uniform(-1, 1))'))
    with pytest.raises(BundleError, match="is shown rounded"):
        validate_quiz(load_quiz(folder))


def test_discover_reports_bad_bundles_and_duplicate_uuids_and_loads_the_rest(tmp_path):
    copy_bundle(tmp_path, "rnn-quiz")
    twin = copy_bundle(tmp_path, "lstm-quiz")
    rnn_uuid = load_quiz(QUIZZES / "rnn-quiz").uuid
    text = (twin / "quiz.toml").read_text()
    lstm_uuid = load_quiz(QUIZZES / "lstm-quiz").uuid
    (twin / "quiz.toml").write_text(text.replace(lstm_uuid, rnn_uuid, 1))
    (tmp_path / "broken-quiz").mkdir()
    (tmp_path / "broken-quiz" / "quiz.toml").write_text("uuid = [unclosed")
    bundles, errors = discover_quizzes(tmp_path)
    assert [b.slug for b in bundles] == ["lstm-quiz"]  # folders load in name order: lstm-quiz claims the uuid first
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert "not valid TOML" in reasons["broken-quiz"]
    assert f"uuid {rnn_uuid} is also used by" in reasons["rnn-quiz"] and reasons["rnn-quiz"].endswith("lstm-quiz")


def test_params_run_with_numpy_only_on_the_trusted_side():
    # The answer functions are plain NumPy: no student code is involved in grading a quiz.
    bundle, question = question_of("exploding-gradients-quiz", "clipnorm-norm-after-clipping")
    assert bundle.answer_function(question)(g=np.array([3.0, 4.0]), c=1.0) == pytest.approx(1.0)
