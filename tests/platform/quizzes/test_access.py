"""Who sees a quiz that is not public: the QuizAccess policy (courses registers it in ready())."""

from __future__ import annotations

import uuid

import pytest

from quizzes import access
from quizzes.models import Quiz
from quizzes.selectors import quiz_get_active, quizzes_for_namespace, quizzes_of_topic, quizzes_visible
from quizzes.services import quiz_sync
from tests.platform.quizzes.conftest import QUIZZES

pytestmark = pytest.mark.django_db


def course_quiz(namespace="c999999", slug="activations-quiz") -> Quiz:
    return Quiz.objects.create(
        uuid=uuid.uuid4(),
        slug=f"{namespace}--{slug}",
        namespace=namespace,
        is_public=False,
        topic="cnn",
        title_en="Activations",
        title_zh="激活函数",
    )


def test_a_row_written_without_the_new_fields_is_a_built_in_public_quiz():
    quiz = Quiz.objects.create(uuid=uuid.uuid4(), slug="plain", topic="cnn", title_en="A", title_zh="甲")
    quiz.refresh_from_db()
    assert (quiz.namespace, quiz.is_public, quiz.bundle_slug, quiz.variants_precomputed) == ("", True, "plain", False)


def test_a_course_quiz_is_hidden_from_those_the_policy_does_not_name(student, instructor):
    quiz = course_quiz()
    assert quiz.bundle_slug == "activations-quiz" and quiz.variants_precomputed
    assert quiz_get_active(slug=quiz.slug, user=student) is None  # not a member of course 999999
    assert quiz not in quizzes_visible(user=student)
    assert quiz not in quizzes_of_topic(topic="cnn", user=student)
    assert quiz not in quizzes_of_topic(topic="cnn")  # beside exercises: public quizzes only
    assert quiz in quizzes_for_namespace(namespace="c999999")
    assert quiz not in quizzes_for_namespace(namespace="c1")


def test_without_a_registered_policy_only_staff_open_it(student, django_user_model):
    quiz = course_quiz()
    operator = django_user_model.objects.create_user(username="operator", password="x", is_staff=True)
    registered = access.quiz_access()
    access.quiz_access_register(access._StaffOnly())
    try:
        assert not access.quiz_open_to(user=student, quiz=quiz)
        assert access.quiz_open_to(user=operator, quiz=quiz)
    finally:
        access.quiz_access_register(registered)


def test_syncing_the_built_in_quizzes_leaves_the_courses_quizzes_alone():
    quiz = course_quiz()
    quiz_sync(root=QUIZZES)
    quiz.refresh_from_db()
    assert quiz.is_active
