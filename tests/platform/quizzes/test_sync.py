"""sync_quizzes: bundles on disk are the source of truth; a bad one is reported and the others still load."""

from __future__ import annotations

import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from graders.quiz import QUESTION_TYPES
from quizzes.checks import check_quiz_bundles
from quizzes.models import Question, Quiz
from quizzes.services import quiz_sync
from tests.platform.quizzes.conftest import QUIZZES

pytestmark = pytest.mark.django_db


def _copy(root, slug):
    shutil.copytree(QUIZZES / slug, root / slug, ignore=shutil.ignore_patterns("__pycache__"))
    return root / slug


def test_sync_creates_every_quiz_and_question_then_leaves_them_unchanged():
    first = quiz_sync(root=QUIZZES)
    assert sorted(first.created) == [
        "backprop-quiz",
        "cnn-models-quiz",
        "cnn-quiz",
        "exploding-gradients-quiz",
        "lstm-quiz",
        "rnn-quiz",
    ]
    assert Question.objects.count() >= 30
    quiz = Quiz.objects.get(slug="lstm-quiz")
    assert (quiz.topic, quiz.title_zh, quiz.points, quiz.question_count) == ("lstm", "什么是 LSTM？", 10, 11)
    assert set(Question.objects.values_list("qtype", flat=True)) == {"single", "multiple", "numeric", "ordering"}
    assert Question.objects.filter(is_parameterized=True).count() >= 4
    second = quiz_sync(root=QUIZZES)
    assert second.created == [] and len(second.unchanged) == 6


def test_bad_bundle_is_reported_with_path_and_reason_and_others_load(tmp_path):
    _copy(tmp_path, "rnn-quiz")
    broken = _copy(tmp_path, "lstm-quiz")
    (broken / "quiz.toml").write_text((broken / "quiz.toml").read_text().replace('answer = "b"', 'answer = "zz"', 1))
    out, err = StringIO(), StringIO()
    call_command("sync_quizzes", root=str(tmp_path), stdout=out, stderr=err)
    assert "bad quiz bundle" in err.getvalue() and str(broken) in err.getvalue()
    assert "a single choice needs 2+ options" in err.getvalue()
    assert "1 created" in out.getvalue() and "1 bad" in out.getvalue()
    assert list(Quiz.objects.values_list("slug", flat=True)) == ["rnn-quiz"]
    with pytest.raises(Exception, match="1 bad quiz bundle"):
        call_command("sync_quizzes", root=str(tmp_path), strict=True, stdout=StringIO(), stderr=StringIO())


def test_a_removed_quiz_or_question_is_deactivated_not_deleted(tmp_path):
    folder = _copy(tmp_path, "rnn-quiz")
    quiz_sync(root=tmp_path)
    text = (folder / "quiz.toml").read_text()
    start = text.index("[[questions]]", text.index('key = "initial-state"') - 200)
    end = text.index("[[questions]]", start + 10)
    (folder / "quiz.toml").write_text(text[:start] + text[end:])
    report = quiz_sync(root=tmp_path)
    assert report.updated == ["rnn-quiz"]
    assert Question.objects.get(key="initial-state").is_active is False
    assert Quiz.objects.get(slug="rnn-quiz").question_count == 11  # 12 in the bundle, one removed
    shutil.rmtree(folder)
    assert quiz_sync(root=tmp_path).deactivated == ["rnn-quiz"]
    assert Quiz.objects.get(slug="rnn-quiz").is_active is False


def test_a_bundle_being_edited_keeps_its_last_good_version(tmp_path):
    folder = _copy(tmp_path, "rnn-quiz")
    quiz_sync(root=tmp_path)
    (folder / "quiz.toml").write_text("not = [valid")
    report = quiz_sync(root=tmp_path)
    assert report.deactivated == [] and Quiz.objects.get(slug="rnn-quiz").is_active


def test_system_check_reports_a_bad_bundle(tmp_path, settings):
    _copy(tmp_path, "rnn-quiz")
    (tmp_path / "half-written").mkdir()
    settings.QUIZZES_DIR = tmp_path
    warnings = check_quiz_bundles(None)
    assert [w.id for w in warnings] == ["quizzes.W001"]
    assert "half-written" in warnings[0].msg and "missing quiz.toml" in warnings[0].msg
    settings.QUIZZES_DIR = QUIZZES
    assert check_quiz_bundles(None) == []


def test_every_question_type_fits_the_column_it_is_stored_in():
    width = Question._meta.get_field("qtype").max_length
    assert all(len(name) <= width for name in QUESTION_TYPES)
