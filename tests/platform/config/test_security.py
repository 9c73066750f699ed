import re

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_security_headers_and_no_inline_script(client, student, relu_exercise):
    client.force_login(student)
    for url in (reverse("login"), reverse("exercises:list"), reverse("exercises:detail", args=["relu"])):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        html = response.content.decode()
        # The policy forbids inline script: every <script> must load a file, no on* handlers.
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
        assert re.findall(r"\son[a-z]+=\"", html) == []


def test_every_form_has_a_csrf_token(client, student, relu_exercise):
    client.force_login(student)
    html = client.get(reverse("exercises:detail", args=["relu"])).content.decode()
    forms = re.findall(r"<form\b.*?</form>", html, re.S)
    assert forms and all("csrfmiddlewaretoken" in form for form in forms if 'method="post"' in form)


def test_submitting_too_fast_gets_429_with_retry_after(client, student, relu_exercise, settings):
    cache.clear()
    settings.SUBMIT_RATE = "2/60"
    client.force_login(student)
    url = reverse("exercises:submit", args=["relu"])
    for _ in range(2):
        assert client.post(url, {"source": "def relu(x):\n    return x\n"}, HTTP_HX_REQUEST="true").status_code == 200
    refused = client.post(url, {"source": "def relu(x):\n    return x\n"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "submitting too fast" in refused.content.decode()
    from submissions.models import Submission

    assert Submission.objects.count() == 2
    cache.clear()


def test_oversized_request_body_is_refused(client, student, relu_exercise, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(student)
    response = client.post(reverse("exercises:submit", args=["relu"]), {"source": "x" * 5000})
    assert response.status_code == 400
