"""Rough edges: every page a browser opens is styled, languages name themselves, one word for instructor."""

from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
PO = Path(__file__).resolve().parents[3] / "platform" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_the_history_fragment_opened_directly_is_a_whole_page(client, student, relu_exercise):
    client.force_login(student)
    page = client.get(reverse("exercises:history", args=["relu"])).content.decode()
    assert "<html" in page and "dlgrade.css" in page and "Your attempts" in page
    fragment = client.get(reverse("exercises:history", args=["relu"]), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "Your attempts" in fragment


def test_a_form_address_opened_directly_gives_a_styled_405(client, student, relu_exercise):
    client.force_login(student)
    response = client.get(reverse("exercises:submit", args=["relu"]))
    page = response.content.decode()
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "<html" in page and "Not a page to open" in page
    api = client.get("/api/v1/me/", HTTP_HX_REQUEST="true")  # clients keep their plain answers
    assert "<html" not in api.content.decode()


def test_a_403_page_is_styled(client, student, settings):
    settings.DEBUG = False
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.views import defaults

    request = RequestFactory().get("/somewhere/")
    request.user = student
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403 and "Not allowed" in response.content.decode()
    assert "dlgrade.css" in response.content.decode()


def test_each_language_names_itself_in_the_menu_and_pages_have_a_favicon(client, student):
    client.force_login(student)
    page = client.get(reverse("exercises:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">English</option>" in page and "英语" not in page and ">简体中文</option>" in page
    assert 'rel="icon"' in page


def test_the_instructor_role_has_one_chinese_name():
    assert "讲师" not in PO.read_text(encoding="utf-8")


def test_staff_find_batch_grading_in_the_navigation(client, student, django_user_model):
    operator = django_user_model.objects.create_user(username="operator", password="x", is_staff=True)
    client.force_login(operator)
    assert reverse("batches:list") in client.get(reverse("exercises:list")).content.decode().split("</nav>")[0]
    client.force_login(student)
    assert reverse("batches:list") not in client.get(reverse("exercises:list")).content.decode()
