"""The one strict schema of bundle manifests (exercise.toml, quiz.toml): every key is known, at every level.

A key nobody reads is almost always a typo (``[limit]`` for ``[limits]``, ``tolerence``), and a
typo that is silently ignored gives the bundle its defaults instead of what the author wrote. So a
manifest is checked against its schema before anything reads it: an unknown key, a table where a
value belongs (or the reverse), a value of the wrong kind or a missing required key is a
BundleError naming the file, where in it, the key and what is allowed there. The loaders then
check what the schema cannot say (ranges, formats, how keys relate to each other).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders.errors import BundleError


@dataclass(frozen=True)
class Value:
    """A plain value (not a table): one of ``kinds``, and one of ``choices`` when they are given."""

    kinds: tuple[type, ...]
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table with exactly these keys allowed; ``required`` ones must be present."""

    keys: Mapping[str, Field]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableList:
    """An array of tables (``[[questions]]`` or ``options = [{...}, ...]``).

    ``item`` is the table every element must match, or a function choosing it from the element
    (a quiz question's keys depend on its type). ``label_key`` names an element in messages.
    """

    item: Table | Callable[[Mapping[str, Any]], Table]
    label_key: str = ""


Field = Value | Table | TableList

TEXT = Value((str,))
NUMBER = Value((int, float))
INTEGER = Value((int,))
FLAG = Value((bool,))
BILINGUAL = Table({"en": TEXT, "zh": TEXT})

KIND_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "an array"}


@dataclass(frozen=True)
class _Place:
    """Where in the file a table is: its TOML name while headers can reach it, else a description."""

    dotted: str | None  # "" for the top level, "limits" for [limits]; None inside an array of tables
    described: str  # "" for the top level, "[limits]", "[[questions]] 'why-recurrent'", "prompt of ..."
    file: str

    def where(self) -> str:
        return f"{self.described} of {self.file}" if self.described else self.file

    def child_table(self, key: str) -> _Place:
        if self.dotted is not None:
            dotted = f"{self.dotted}.{key}" if self.dotted else key
            return _Place(dotted, f"[{dotted}]", self.file)
        return _Place(None, f"{key} of {self.described}", self.file)

    def list_item(self, key: str, label: str) -> _Place:
        if self.dotted is not None:
            dotted = f"{self.dotted}.{key}" if self.dotted else key
            return _Place(None, f"[[{dotted}]] {label}", self.file)
        return _Place(None, f"{key} {label} of {self.described}", self.file)

    def name(self, key: str, field: Field) -> str:
        """How a key of this table is written in a message: [limits], [[questions]] or `time_s`."""
        if self.dotted is not None and isinstance(field, (Table, TableList)):
            dotted = f"{self.dotted}.{key}" if self.dotted else key
            return f"[[{dotted}]]" if isinstance(field, TableList) else f"[{dotted}]"
        return f"`{key}`"


def manifest_file(bundle_path: Path, file_name: str) -> str:
    """The manifest as messages name it: exercises/relu/exercise.toml."""
    return f"{bundle_path.parent.name}/{bundle_path.name}/{file_name}"


def check_manifest(document: Mapping[str, Any], schema: Table, *, bundle_path: Path, file_name: str) -> None:
    """Raise BundleError on the first key or value of ``document`` that ``schema`` does not allow."""
    problem = _check_table(document, schema, _Place("", "", manifest_file(bundle_path, file_name)))
    if problem:
        raise BundleError(bundle_path, problem)


def _check_table(table: Mapping[str, Any], schema: Table, place: _Place) -> str:
    for key in schema.required:
        if key not in table:
            return f"missing {place.name(key, schema.keys[key])} in {place.where()}"
    # Known keys first: a bad value of a key that decides the others (a question's type) explains
    # more than the unknown keys it causes.
    for key, value in table.items():
        if key in schema.keys:
            problem = _check_value(key, value, schema.keys[key], place)
            if problem:
                return problem
    for key, value in table.items():
        if key not in schema.keys:
            return _unknown(key, value, schema, place)
    return ""


def _check_value(key: str, value: Any, field: Field, place: _Place) -> str:
    if isinstance(field, Table):
        if not isinstance(value, dict):
            return f"{place.name(key, field)} in {place.where()} must be a table"
        return _check_table(value, field, place.child_table(key))
    if isinstance(field, TableList):
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            return f"{place.name(key, field)} in {place.where()} must be an array of tables"
        for index, item in enumerate(value):
            label = item.get(field.label_key) if field.label_key else None
            item_place = place.list_item(key, repr(label) if isinstance(label, str) else f"#{index + 1}")
            table = field.item if isinstance(field.item, Table) else field.item(item)
            problem = _check_table(item, table, item_place)
            if problem:
                return problem
        return ""
    if isinstance(value, dict):
        return f"{place.name(key, field)} in {place.where()} must be {_kinds(field)}, not a table"
    # bool is an int to Python, never to an author: `points = true` is a mistake.
    if not isinstance(value, field.kinds) or (isinstance(value, bool) and bool not in field.kinds):
        return f"{place.name(key, field)} in {place.where()} must be {_kinds(field)}, not {value!r}"
    if field.choices and value not in field.choices:
        return f"{place.name(key, field)} in {place.where()} must be one of {', '.join(field.choices)}, not {value!r}"
    return ""


def _kinds(field: Value) -> str:
    # An integer is a number too: (int, float) reads "a number".
    kinds = [kind for kind in field.kinds if not (kind is int and float in field.kinds)]
    return " or ".join(KIND_NAMES.get(kind, kind.__name__) for kind in kinds)


def _unknown(key: str, value: Any, schema: Table, place: _Place) -> str:
    if isinstance(value, dict) and place.dotted is not None:
        what, name = "table", place.name(key, Table({}))
    elif (
        isinstance(value, list) and value and all(isinstance(item, dict) for item in value) and place.dotted is not None
    ):
        what, name = "array of tables", place.name(key, TableList(Table({})))
    else:
        what, name = "key", f"`{key}`"
    message = f"unknown {what} {name} in {place.where()}"
    guess = _closest(key, list(schema.keys))
    if guess:
        message += f"; did you mean {place.name(guess, schema.keys[guess])}?"
    allowed = ", ".join(place.name(allowed_key, field) for allowed_key, field in schema.keys.items())
    return f"{message} (allowed here: {allowed})"


def _closest(key: str, allowed: list[str]) -> str | None:
    """The allowed key ``key`` is probably a typo of: a close spelling, or one it begins with (absolute, abs)."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return close[0]
    return next((name for name in allowed if min(len(name), len(key)) >= 3 and key.startswith(name)), None)


__all__ = [
    "BILINGUAL",
    "FLAG",
    "INTEGER",
    "NUMBER",
    "TEXT",
    "Field",
    "Table",
    "TableList",
    "Value",
    "check_manifest",
    "manifest_file",
]
