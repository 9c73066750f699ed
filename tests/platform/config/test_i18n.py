"""Every page in Chinese and English: the browser's preference or the language switch picks it.

The interface strings live in platform/locale (the quiz pages keep theirs in quizzes/locale); both
the .po and the compiled .mo are committed, so the catalog is checked here to be complete and current.
"""

from __future__ import annotations

import ast
import gettext as stdlib_gettext
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from tests.conftest import ROOT

PLATFORM = ROOT / "platform"
CATALOG = PLATFORM / "locale" / "zh_Hans" / "LC_MESSAGES"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
WRONG_ABS = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"  # fails the negative cases


# --- the pages ----------------------------------------------------------------------------------


@pytest.fixture
def graded_relu(student, relu_exercise, zygote):
    """A wrong relu of the student's, graded for real: the exercise page shows a verdict with failing cases."""
    from graders.bundle import load_cached
    from graders.engine import grade
    from submissions.services import submission_create, submission_record_verdict, submission_start

    submission = submission_create(user=student, exercise=relu_exercise, source=WRONG_ABS)
    submission_start(submission_id=submission.pk)
    verdict = grade(load_cached(relu_exercise.bundle_path), WRONG_ABS, zygote=zygote)
    submission_record_verdict(submission_id=submission.pk, verdict=verdict)
    return submission


@pytest.fixture
def taught_course(instructor, student, relu_exercise):
    """A course the instructor teaches, with the student enrolled in one open assignment."""
    from datetime import timedelta

    from django.utils import timezone

    from courses import assignments, services
    from courses.models import Membership

    course = services.course_create(title="Deep learning 101", created_by=instructor)
    Membership.objects.create(course=course, user=student)
    now = timezone.now()
    assignments.assignment_create(
        course=course,
        title="Week 1",
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=6),
        items=[assignments.ItemSpec(points=10, exercise=relu_exercise)],
    )
    return course


@pytest.fixture
def synced_quizzes(db):
    from quizzes.services import quiz_sync

    assert quiz_sync(root=ROOT / "quizzes").errors == []


def page(client, url: str, headers: dict) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_sign_in_page_follows_the_browser(client, db):
    zh = page(client, reverse("login"), ZH)
    assert '<html lang="zh-hans">' in zh
    assert "用 NumPy 练习深度学习基础，秒级自动评分。" in zh and ">登录<" in zh and "用户名" in zh and "密码" in zh
    assert "Sign in" not in zh and "Password" not in zh
    en = page(client, reverse("login"), EN)
    assert '<html lang="en">' in en and "Sign in" in en and "Password" in en and "登录" not in en


def test_exercise_pages_with_a_verdict_in_chinese(client, student, graded_relu):
    client.force_login(student)
    listing = page(client, reverse("exercises:list"), ZH)
    assert "ReLU 激活函数" in listing and "最高分" in listing and "已尝试 1 次" in listing
    assert ">练习<" in listing and ">测验<" in listing and ">课程<" in listing and "退出登录" in listing

    detail = page(client, reverse("exercises:detail", args=["relu"]), ZH)
    for text in ("你的解答", "恢复初始代码", "用初始代码替换你的代码吗？", "按 Ctrl+Enter 提交", ">提交<", "容差"):
        assert text in detail, text
    assert "你的提交记录" in detail and "已评分" in detail and "简单" in detail
    for english in ("Your solution", "Your attempts", "Reset to starter", "Graded"):
        assert english not in detail, english
    # the verdict panel: score line, case statuses, got/expected, the known mistake
    verdict = page(client, reverse("submissions:panel", args=[graded_relu.pk]), ZH)
    assert re.search(r"通过 \d+ / \d+ 个测试用例", verdict)
    for text in (">未通过<", ">通过<", "实际输出", "期望输出", "可能的错误：", "评分用时"):
        assert text in verdict, text
    for english in ("cases passed", "Likely mistake", ">fail<", "graded in"):
        assert english not in verdict, english
    # the grader's own sentences and the case descriptions
    assert "超出容差" in verdict and "最大误差" in verdict and "得到" in verdict
    assert "are off by more than" not in verdict and "Largest error" not in verdict
    assert "一个 3x4 的矩阵" in verdict and "a 3x4 matrix" not in verdict


def test_exercise_pages_with_a_verdict_in_english(client, student, graded_relu):
    client.force_login(student)
    listing = page(client, reverse("exercises:list"), EN)
    assert "ReLU activation" in listing and "1 attempts" in listing and "最高分" not in listing
    detail = page(client, reverse("exercises:detail", args=["relu"]), EN)
    assert "Your solution" in detail and "Your attempts" in detail and "Graded" in detail and "你的解答" not in detail
    verdict = page(client, reverse("submissions:panel", args=[graded_relu.pk]), EN)
    for text in ("cases passed", "Likely mistake:", ">fail<", ">pass<", "expected", "graded in"):
        assert text in verdict, text
    assert "are off by more than the tolerance" in verdict and "Largest error" in verdict
    assert "实际输出" not in verdict and "超出容差" not in verdict


@pytest.mark.parametrize(
    "source,chinese,english",
    [
        ("import numpy as np\n\ndef relu(x)\n    return x\n", "第 3 行有语法错误", "SyntaxError at line 3"),
        ("import os\n\ndef relu(x):\n    return x\n", "不允许导入 <code>os</code>", "Import of <code>os</code>"),
        ("def rectify(x):\n    return x\n", "你的文件中没有定义 <code>relu</code>", "is not defined"),
    ],
)
def test_code_that_cannot_run_is_explained_in_the_pages_language(
    client, student, relu_exercise, zygote, source, chinese, english
):
    from tests.platform.courses.fixtures import submit

    submission = submit(student, relu_exercise, source, zygote=zygote)
    client.force_login(student)
    zh = page(client, reverse("submissions:panel", args=[submission.pk]), ZH)
    assert chinese in zh and english not in zh
    en = page(client, reverse("submissions:panel", args=[submission.pk]), EN)
    assert english in en and chinese not in en


def test_verdicts_stored_before_phrases_still_show_their_message(client, student, graded_relu):
    from submissions.models import Submission

    graded_relu.refresh_from_db()
    stored = graded_relu.verdict
    for case in stored["cases"]:
        case.pop("phrases", None)
    Submission.objects.filter(pk=graded_relu.pk).update(verdict=stored)
    client.force_login(student)
    verdict = page(client, reverse("submissions:panel", args=[graded_relu.pk]), ZH)
    assert "are off by more than the tolerance" in verdict


def test_every_feedback_phrase_has_a_chinese_translation_with_the_same_placeholders():
    import string

    from graders.feedback import PHRASES

    def placeholders(template):
        return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)

    with translation.override("zh-hans"):
        for code, template in PHRASES.items():
            chinese = translation.gettext(template)
            assert chinese != template, code
            assert placeholders(chinese) == placeholders(template), code


def test_quiz_list_in_both_languages(client, student, synced_quizzes):
    client.force_login(student)
    zh = page(client, reverse("quizzes:quiz-list"), ZH)
    assert "<h1>测验</h1>" in zh and "尚未开始" in zh and "道题" in zh and "个人资料和 API 令牌" in zh
    en = page(client, reverse("quizzes:quiz-list"), EN)
    assert "<h1>Quizzes</h1>" in en and "not started" in en and "测验" not in en


def test_course_pages_in_both_languages(client, student, taught_course):
    client.force_login(student)
    zh = page(client, reverse("courses:course-list"), ZH)
    assert "你参加的课程" in zh and "输入教师给你的加入码以加入课程" in zh and "Deep learning 101" in zh
    course = page(client, reverse("courses:course-detail", args=[taught_course.pk]), ZH)
    assert "我的提交" in course and "截止时间" in course and "开放中" in course and "未开始" in course
    en = page(client, reverse("courses:course-list"), EN)
    assert "Courses you take" in en and "你参加的课程" not in en


def test_instructor_dashboard_in_both_languages(client, instructor, taught_course):
    client.force_login(instructor)
    home = client.get(reverse("dashboard:home"), **ZH)  # one course: straight to its dashboard
    assert home.status_code == 302
    zh = page(client, home["Location"], ZH)
    for text in (
        "仪表盘",
        "成绩册",
        "重新评分",
        "整个课程",
        "得分中位数",
        "最常失败的测试用例",
        "没有学生卡住。",
        "教师",
    ):
        assert text in zh, text
    charts = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', zh).group(1))
    assert charts["titles"]["completion"] == "各作业完成情况" and charts["titles"]["timeline"] == "每日提交数"
    en = page(client, home["Location"], EN)
    assert "Whole course" in en and "median score" in en and "Nobody is stuck." in en and "仪表盘" not in en

    gradebook = page(client, reverse("courses:gradebook", args=[taught_course.pk]), ZH)
    assert "<h1>成绩册</h1>" in gradebook and "导出 CSV" in gradebook and "总分" in gradebook


def test_profile_page_in_both_languages(client, student):
    client.force_login(student)
    zh = page(client, reverse("profile"), ZH)
    assert "<h1>个人资料</h1>" in zh and "API 令牌" in zh and "创建令牌" in zh and "还没有令牌。" in zh
    en = page(client, reverse("profile"), EN)
    assert "<h1>Profile</h1>" in en and "Create token" in en and "创建令牌" not in en


def test_messages_from_python_follow_the_language(client, student, relu_exercise):
    client.force_login(student)
    url = reverse("exercises:submit", args=["relu"])
    refused = client.post(url, {"source": "   "}, HTTP_HX_REQUEST="true", **ZH)
    assert "你的代码是空的。" in refused.content.decode()
    refused = client.post(url, {"source": "   "}, HTTP_HX_REQUEST="true", **EN)
    assert "Your code is empty." in refused.content.decode()
    joined = client.post(reverse("courses:course-join"), {"code": "NOPE2345"}, follow=True, **ZH)
    assert "没有课程使用这个加入码，请向教师核实。" in joined.content.decode()


def test_the_language_switch_overrides_the_browser(client, student, relu_exercise):
    client.force_login(student)
    exercises = reverse("exercises:list")
    switched = client.post(reverse("set_language"), {"language": "zh-hans", "next": exercises}, **EN)
    assert switched.status_code == 302 and switched["Location"] == exercises
    zh = page(client, exercises, EN)  # the browser still asks for English
    assert '<html lang="zh-hans">' in zh and "退出登录" in zh and "未开始" in zh
    assert '<option value="zh-hans" selected>' in zh
    client.post(reverse("set_language"), {"language": "en", "next": exercises}, **ZH)
    en = page(client, exercises, ZH)
    assert '<html lang="en">' in en and "Sign out" in en and "退出登录" not in en


# --- the catalog --------------------------------------------------------------------------------


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file (header first): msgctxt, msgid, msgid_plural, msgstr list, flags."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": [], "flags": set(), "obsolete": False}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                if field == "msgstr":
                    entry["msgstr"][-1] += _unquote(line)
                else:
                    entry[field] += _unquote(line)
            else:
                keyword, _, value = line.partition(" ")
                field = "msgstr" if keyword.startswith("msgstr") else keyword
                if field == "msgstr":
                    entry["msgstr"].append(_unquote(value))
                else:
                    entry[field] = _unquote(value)
        entries.append(entry)
    return entries


PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%|<[^>]+>")


def test_every_entry_is_translated_and_keeps_its_placeholders():
    entries = read_po(CATALOG / "django.po")
    header, entries = entries[0], entries[1:]
    assert header["msgid"] == "" and "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"][0]
    assert "Language: zh_Hans" in header["msgstr"][0] and "fuzzy" not in header["flags"]
    assert len(entries) > 300
    problems = []
    for entry in entries:
        name = (entry["msgctxt"], entry["msgid"])
        if entry["obsolete"]:
            problems.append(("obsolete", name))
        if "fuzzy" in entry["flags"]:
            problems.append(("fuzzy", name))
        expected_forms = 1  # Chinese has one plural form
        if len(entry["msgstr"]) != expected_forms or not all(s.strip() for s in entry["msgstr"]):
            problems.append(("untranslated", name))
            continue
        for source in filter(None, (entry["msgid"], entry["msgid_plural"])):
            wanted = sorted(set(PLACEHOLDER.findall(source)))
            for translated in entry["msgstr"]:
                if sorted(set(PLACEHOLDER.findall(translated))) != wanted:
                    problems.append(("placeholders", name, translated))
        if entry["msgid"] != "%" and entry["msgstr"][0] == entry["msgid"]:
            problems.append(("same as English", name))
    assert problems == []


def test_the_compiled_catalog_matches_the_po():
    """The .mo is committed (machines without gettext): it must hold exactly what the .po says."""
    compiled = stdlib_gettext.GNUTranslations((CATALOG / "django.mo").open("rb"))
    for entry in read_po(CATALOG / "django.po")[1:]:
        key = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            assert compiled._catalog.get(key) == entry["msgstr"][0], key
        else:
            assert compiled._catalog.get((key, 0)) == entry["msgstr"][0], key


TEMPLATE_CALL = re.compile(r"\b(gettext|pgettext|ngettext|npgettext)\(\s*((?:u?'(?:[^'\\]|\\.)*'\s*,?\s*)+)")
LITERAL = re.compile(r"u?'(?:[^'\\]|\\.)*'")


def template_strings():
    """Every {% translate %} and {% blocktranslate %} of every template, as Django's makemessages sees it."""
    for path in sorted(PLATFORM.glob("**/templates/**/*.html")):
        for function, arguments in TEMPLATE_CALL.findall(templatize(path.read_text(), origin=str(path))):
            yield (
                path.relative_to(PLATFORM),
                function,
                [ast.literal_eval(s.lstrip("u")) for s in LITERAL.findall(arguments)],
            )


def test_every_template_string_has_a_chinese_translation():
    missing = []
    strings = list(template_strings())
    assert len(strings) > 400
    with translation.override("zh-hans"):
        for path, function, args in strings:
            if function == "gettext":
                ok = translation.gettext(args[0]) != args[0]
            elif function == "pgettext":
                ok = translation.pgettext(args[0], args[1]) != args[1]
            elif function == "ngettext":
                one, many = translation.ngettext(*args[:2], 1), translation.ngettext(*args[:2], 5)
                ok = one != args[0] and many != args[1]
            else:
                ok = translation.npgettext(args[0], args[1], args[2], 1) != args[1]
            if not ok:
                missing.append((str(path), args))
    assert missing == []


def visible_text(html: str) -> tuple[list[str], list[str]]:
    """English left outside translation tags: text between tags, and text of attributes people read."""
    html = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", " ", html, flags=re.S)
    html = re.sub(r"<(script|style|pre|code)[^>]*>.*?</\1>", " ", html, flags=re.S)
    attributes = [
        value
        for value in re.findall(r'\b(?:title|placeholder|aria-label|alt|data-confirm|hx-confirm)="([^"]*)"', html)
        if re.search(r"[a-z]{2,}", re.sub(r"{[{%].*?[%}]}", "", value))
    ]
    text = re.sub(r"<[^>]*>", " ", re.sub(r"{[{%#].*?[%}#]}", " ", html, flags=re.S))
    words = [line.strip() for line in text.splitlines() if re.search(r"[A-Za-z]{2,}", line)]
    return [w for w in words if w not in {"dlgrade  · dlgrade", "dl grade"}], attributes


def test_no_template_shows_untranslated_english():
    found = {}
    for path in sorted(PLATFORM.glob("**/templates/**/*.html")):
        words, attributes = visible_text(path.read_text())
        if words or attributes:
            found[str(path.relative_to(PLATFORM))] = words + attributes
    assert found == {}
