"""Variant seeds: derived on the server from a secret, stable per student and try, different between students."""

from __future__ import annotations

from quizzes.services import variant_for
from quizzes.variants import token_matches, variant_seed, variant_token
from tests.platform.quizzes.conftest import bundle_of

QUESTION = "0b6f3d2e-7a51-4f3c-9a57-1f0e5b8b6c11"


def test_token_is_stable_and_depends_on_student_question_and_try():
    token = variant_token(user_id=7, question_uuid=QUESTION, attempt_number=1)
    assert token == variant_token(user_id=7, question_uuid=QUESTION, attempt_number=1)
    assert len(token) == 16 and int(token, 16) == variant_seed(token)
    assert token != variant_token(user_id=8, question_uuid=QUESTION, attempt_number=1)
    assert token != variant_token(user_id=7, question_uuid=QUESTION, attempt_number=2)
    assert token != variant_token(user_id=7, question_uuid=QUESTION.replace("0b", "1b"), attempt_number=1)


def test_token_cannot_be_computed_without_the_secret_key(settings):
    token = variant_token(user_id=7, question_uuid=QUESTION, attempt_number=1)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert variant_token(user_id=7, question_uuid=QUESTION, attempt_number=1) != token


def test_posted_token_must_match_exactly():
    token = variant_token(user_id=7, question_uuid=QUESTION, attempt_number=1)
    assert token_matches(token, token)
    assert not token_matches("", token) and not token_matches(None, token) and not token_matches(token.upper(), token)


def test_students_get_different_numbers():
    bundle = bundle_of("cnn-quiz")
    question = bundle.question("conv-output-size")
    shown = {
        tuple(
            sorted(variant_for(bundle=bundle, question=question, user_id=user_id, attempt_number=1)[1].values.items())
        )
        for user_id in range(1, 61)
    }
    assert len(shown) >= 50  # 60 students, a few thousand possible variants
