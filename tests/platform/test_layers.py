"""One dependency direction between the apps, and no import tucked into a function to hide a circle.

graders <- catalog, accounts <- submissions, quizzes <- courses, batches <- dashboard, api, lti: an app
imports only apps of a lower layer (docs/architecture.md, "Where things go").
"""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

LAYER = {
    "accounts": 0,
    "catalog": 0,
    "submissions": 1,
    "quizzes": 1,
    "courses": 2,
    "batches": 2,
    "dashboard": 3,
    "api": 3,
    "lti": 3,
    "operations": 3,
}


def app_files(app: str):
    return [path for path in (ROOT / "platform" / app).rglob("*.py") if "migrations" not in path.parts]


def imports(path) -> list[tuple[str, ast.AST, bool]]:
    """(module, node, inside a function other than AppConfig.ready) for every import of the file."""
    found = []

    def walk(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or (
                isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and child.name != "ready"
            )
            if isinstance(child, ast.Import):
                found.extend((alias.name, child, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.module, child, in_function))
            walk(child, inside)

    walk(ast.parse(path.read_text(), filename=str(path)), False)
    return found


def test_every_app_has_a_layer():
    apps = {path.name for path in (ROOT / "platform").iterdir() if (path / "apps.py").exists()}
    assert apps == set(LAYER)


@pytest.mark.parametrize("app", sorted(LAYER))
def test_an_app_imports_only_apps_below_it(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{node.lineno} imports {module}"
        for path in app_files(app)
        for module, node, _ in imports(path)
        if module.split(".")[0] in LAYER and module.split(".")[0] != app and LAYER[module.split(".")[0]] >= LAYER[app]
    ]
    assert wrong == []


@pytest.mark.parametrize("app", sorted(LAYER))
def test_no_app_module_is_imported_inside_a_function(app):
    hidden = [
        f"{path.relative_to(ROOT)}:{node.lineno} imports {module}"
        for path in app_files(app)
        for module, node, in_function in imports(path)
        if in_function and module.split(".")[0] in LAYER
    ]
    assert hidden == []


def test_graders_and_exercises_know_nothing_of_the_platform():
    for folder in ("graders", "exercises"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not [m for m, _, _ in imports(path) if m.split(".")[0] in {*LAYER, "config", "django"}], path
