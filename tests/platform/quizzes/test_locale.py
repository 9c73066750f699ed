"""The quizzes app's own catalog (platform/quizzes/locale): complete, compiled, and holding every quiz sentence.

It holds the quiz pages' strings and what quizzes say to students (graders/quiz/phrases.py and the
question types' labels), so a quiz change never touches the site's catalog.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import re
import string

from django.utils import translation

from graders.quiz import QUESTION_TYPES, render, say
from graders.quiz.phrases import PHRASES
from tests.conftest import ROOT
from tests.platform.config.test_i18n import read_po, template_strings

CATALOG = ROOT / "platform" / "quizzes" / "locale" / "zh_Hans" / "LC_MESSAGES"
PERCENT_PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%")


def entries() -> list[dict]:
    return read_po(CATALOG / "django.po")[1:]


def brace_placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)


def test_every_entry_is_translated_once_and_keeps_its_placeholders():
    problems = []
    for entry in entries():
        name = (entry["msgctxt"], entry["msgid"])
        if entry["obsolete"] or "fuzzy" in entry["flags"]:
            problems.append(("obsolete or fuzzy", name))
        if len(entry["msgstr"]) != 1 or not entry["msgstr"][0].strip() or entry["msgstr"][0] == entry["msgid"]:
            problems.append(("untranslated", name))
            continue
        (translated,) = entry["msgstr"]
        for source in filter(None, (entry["msgid"], entry["msgid_plural"])):
            if sorted(set(PERCENT_PLACEHOLDER.findall(source))) != sorted(set(PERCENT_PLACEHOLDER.findall(translated))):
                problems.append(("placeholders", name, translated))
            if "python-brace-format" in entry["flags"] and brace_placeholders(source) != brace_placeholders(translated):
                problems.append(("placeholders", name, translated))
    assert problems == []


def test_the_compiled_catalog_matches_the_po():
    compiled = stdlib_gettext.GNUTranslations((CATALOG / "django.mo").open("rb"))
    for entry in entries():
        key = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            assert compiled._catalog.get(key) == entry["msgstr"][0], key
        else:
            assert compiled._catalog.get((key, 0)) == entry["msgstr"][0], key


def test_every_quiz_phrase_and_type_label_is_in_this_catalog():
    translated = {entry["msgid"]: entry for entry in entries() if entry["msgctxt"] is None}
    missing = [
        text
        for text in (*PHRASES.values(), *(kind.label for kind in QUESTION_TYPES.values()))
        if text not in translated
    ]
    assert missing == []
    for code, template in PHRASES.items():
        entry = translated[template]
        assert brace_placeholders(entry["msgstr"][0]) == brace_placeholders(template), code
        assert ("python-brace-format" in entry["flags"]) == bool(brace_placeholders(template)), code


def test_every_string_of_the_quiz_templates_is_in_this_catalog():
    msgids = {(entry["msgctxt"], entry["msgid"]) for entry in entries()}
    strings = [(path, function, args) for path, function, args in template_strings() if path.parts[0] == "quizzes"]
    assert len(strings) > 60
    missing = []
    for path, function, args in strings:
        context, msgid = (args[0], args[1]) if function.startswith(("pgettext", "npgettext")) else (None, args[0])
        if (context, msgid) not in msgids:
            missing.append((str(path), args))
    assert missing == []


def test_phrases_read_in_chinese_on_a_chinese_page():
    with translation.override("zh-hans"):
        assert (
            render(say("not_a_number", shown="four"), translation.gettext)
            == "“four”不是数字：请输入数字，例如 4、-0.25 或 1e-3。"
        )
        for code, template in PHRASES.items():
            args = {name: "1" for name in brace_placeholders(template)}
            assert render(say(code, **args), translation.gettext) != render(say(code, **args)), code
