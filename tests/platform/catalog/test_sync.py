from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Exercise
from tests.conftest import FIXTURES, sync_only

pytestmark = pytest.mark.django_db


def test_sync_creates_then_leaves_unchanged(tmp_path):
    first = sync_only(tmp_path, "relu")
    assert first.created == ["relu"]
    second = sync_only(tmp_path, "relu")
    assert second.unchanged == ["relu"] and second.created == []
    exercise = Exercise.objects.get(slug="relu")
    assert exercise.case_count == 10 and exercise.topic == "cnn"
    # Formulas survive Markdown untouched for KaTeX, the rest becomes HTML.
    assert "$$\\mathrm{ReLU}(x) = \\max(0, x).$$" in exercise.statement_en_html
    assert "<strong>elementwise</strong>" in exercise.statement_en_html
    assert "逐元素" in exercise.statement_zh_html


def test_bad_bundle_is_reported_with_path_and_reason_and_others_load(tmp_path):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "bad-toml").symlink_to(FIXTURES / "exercises" / "bad-toml")
    report = sync_only(tmp_path, "relu")
    assert report.created == ["relu"]
    assert [e.path.endswith("bad-toml") for e in report.errors] == [True]

    err = StringIO()
    out = StringIO()
    call_command("sync_exercises", root=str(tmp_path / "exercises"), stdout=out, stderr=err)
    assert "bad bundle" in err.getvalue() and "bad-toml" in err.getvalue() and "not valid TOML" in err.getvalue()
    assert "1 unchanged" in out.getvalue()


def test_a_removed_bundle_is_deactivated_not_deleted(tmp_path):
    sync_only(tmp_path, "relu")
    (tmp_path / "exercises" / "relu").unlink()
    from catalog.services import exercise_sync

    report = exercise_sync(root=tmp_path / "exercises")
    assert report.deactivated == ["relu"]
    assert Exercise.objects.get(slug="relu").is_active is False
