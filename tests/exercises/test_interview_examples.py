"""The numbers the interview questions print are the ones the exercises and quizzes compute.

Students compare with the source: its -8 (question 20, a filter on one window of the input) must come
out of the conv2d-single reference and its first case, and out of the quiz that explains it. And they
read the source named as they know it ("interview question 20", "面试题第 20 题"), never "the seed".
"""

from __future__ import annotations

import re
import tomllib

import numpy as np

from graders.engine import grade
from tests.conftest import ROOT
from tests.exercises.test_bundles import BY_SLUG
from tests.graders.quiz.bundles import question_of

# Interview question 20: "4*0 + 0*0 + 0*0 + 0*0 + 0*1 + 0*1 + 0*0 + 0*1 + -4*2 = -8".
FILTER = [[4, 0, 0], [0, 0, 0], [0, 0, -4]]
WINDOW = [[0, 0, 0], [0, 1, 1], [0, 1, 2]]


def test_the_minus_8_of_question_20_through_the_reference():
    bundle = BY_SLUG["conv2d-single"]
    window, kernel = np.array(WINDOW, dtype=float), np.array(FILTER, dtype=float)
    terms = [k * p for k, p in zip(np.ravel(FILTER), np.ravel(WINDOW), strict=True)]
    assert terms == [0, 0, 0, 0, 0, 0, 0, 0, -8] and sum(terms) == -8  # the source's sum, term by term
    np.testing.assert_array_equal(bundle.reference(window, kernel), [[-8.0]])
    np.testing.assert_array_equal(bundle.reference(window, kernel[::-1, ::-1]), [[8.0]])  # flipped: +8
    # The window's zeros are zero padding: a 2x2 image padded by 1 shows the same window first.
    np.testing.assert_array_equal(bundle.reference(window[1:, 1:], kernel, pad=1), [[-8.0, 0.0], [0.0, 4.0]])


def test_the_first_case_of_conv2d_single_is_question_20s_example(zygote):
    bundle = BY_SLUG["conv2d-single"]
    first = bundle.cases[0]
    assert first.name == "question20_example" and not first.hidden
    np.testing.assert_array_equal(first.args[0], WINDOW)
    np.testing.assert_array_equal(first.args[1], FILTER)
    np.testing.assert_array_equal(bundle.expected[0], [[-8.0]])
    assert "-8" in first.description and "-8" in first.description_zh
    flipped = "import numpy as np\n\ndef conv2d_single(image, kernel, stride=1, pad=0):\n"
    flipped += "    from numpy.lib.stride_tricks import sliding_window_view as w\n"
    flipped += "    padded = np.pad(image, pad)\n"
    flipped += "    return (w(padded, kernel.shape)[::stride, ::stride] * kernel[::-1, ::-1]).sum(axis=(2, 3))\n"
    verdict = grade(bundle, flipped, zygote=zygote)
    assert verdict.cases[0].status == "fail" and "flipped_kernel" in [m.key for m in verdict.mistakes]


def test_the_quiz_explains_the_same_minus_8():
    bundle, question = question_of("cnn-quiz", "conv-value")
    assert bundle.answer_function(question)(patch=WINDOW, kernel=FILTER) == -8
    variant = bundle.variant_from_inputs(question, {"patch": WINDOW, "kernel": FILTER})
    for language in ("en", "zh"):
        explanation = variant.explanation(language)
        assert r"\begin{pmatrix} 4 & 0 & 0 \\ 0 & 0 & 0 \\ 0 & 0 & -4 \end{pmatrix}" in explanation
        assert r"\begin{pmatrix} 0 & 0 & 0 \\ 0 & 1 & 1 \\ 0 & 1 & 2 \end{pmatrix}" in explanation
        assert "= -8" in explanation and "+8" in explanation


# "seed" is the catalog's word for the source; students know it as the interview questions.
SEED_WORDING = re.compile(r"\bseeds?\b|seed's|种子|原题", re.IGNORECASE)
# A random generator's seed is another word: the Run feature writes large inputs as seeded draws.
RANDOM_SEED = re.compile(r"default_rng\(seed\)|固定种子|随机种子")


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_students_read_interview_question_n_never_seed():
    texts = []
    for slug, bundle in BY_SLUG.items():
        texts += [(slug, text) for text in (*bundle.title.values(), *bundle.statement.values(), bundle.starter)]
        texts += [(slug, text) for case in bundle.cases for text in (case.description, case.description_zh)]
        texts += [(slug, text) for mistake in bundle.mistakes for text in (mistake.message, mistake.message_zh)]
    for quiz in sorted((ROOT / "quizzes").glob("*/quiz.toml")):
        texts += [(quiz.parent.name, text) for text in _strings(tomllib.loads(quiz.read_text(encoding="utf-8")))]
    for page in sorted((ROOT / "platform").glob("**/templates/**/*.html")):
        texts.append((str(page.relative_to(ROOT)), page.read_text(encoding="utf-8")))
    for catalog in sorted((ROOT / "platform").glob("**/locale/zh_Hans/LC_MESSAGES/django.po")):
        texts.append((str(catalog.relative_to(ROOT)), catalog.read_text(encoding="utf-8")))
    texts = [(where, RANDOM_SEED.sub("", text)) for where, text in texts]
    offenders = [(where, SEED_WORDING.search(text).group(0)) for where, text in texts if SEED_WORDING.search(text)]
    assert offenders == []
