"""The OpenAPI schema validates, covers every endpoint, and the docs need nothing from a CDN."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

EXPECTED_OPERATIONS = {
    ("/api/v1/", "get"),
    ("/api/v1/me/", "get"),
    ("/api/v1/exercises/", "get"),
    ("/api/v1/exercises/{slug}/", "get"),
    ("/api/v1/quizzes/", "get"),
    ("/api/v1/quizzes/{slug}/", "get"),
    ("/api/v1/submissions/", "get"),
    ("/api/v1/submissions/", "post"),
    ("/api/v1/submissions/{id}/", "get"),
    ("/api/v1/batches/", "get"),
    ("/api/v1/batches/", "post"),
    ("/api/v1/batches/{id}/", "get"),
    ("/api/v1/batches/{id}/results/", "get"),
    ("/api/v1/batches/{id}/report.csv", "get"),
    ("/api/v1/courses/", "get"),
    ("/api/v1/courses/{id}/gradebook/", "get"),
}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return json.loads(response.content)


def test_served_schema_is_valid_openapi_3(schema):
    validate(schema)  # raises with the first problem
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearerAuth"]["description"],
    }


def test_schema_generates_without_a_warning(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_schema_lists_every_endpoint(schema):
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert operations == EXPECTED_OPERATIONS


def test_every_list_is_paginated(schema):
    for path, item in schema["paths"].items():
        get = item.get("get")
        if get and path.endswith(
            ("/exercises/", "/quizzes/", "/submissions/", "/batches/", "/results/", "/courses/", "/gradebook/")
        ):
            names = {parameter["name"] for parameter in get.get("parameters", [])}
            assert {"page", "page_size"} <= names, path


def test_docs_are_served_from_local_files(client, db):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http://" not in html and "https://" not in html  # no CDN
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "/api/v1/openapi.json" in script.content.decode()
    assert "script-src 'self'" in page["Content-Security-Policy"] and "<script>" not in html  # nothing inline
