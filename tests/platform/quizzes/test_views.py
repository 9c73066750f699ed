"""Quiz pages through Django's test client on the real database: rendering, grading, bad input, access."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from quizzes.models import QuestionAnswer, QuizAttempt
from tests.platform.quizzes.conftest import bundle_of, right_answer, shown_numbers, token_of

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def answer(client, slug, key, values, *, attempt=1, token=None, htmx=True, **extra):
    data = {"attempt": attempt, "only": key, f"a-{key}": values, **extra}
    if token is not None:
        data[f"v-{key}"] = token
    return client.post(reverse("quizzes:quiz-answer", args=[slug]), data, **(HTMX if htmx else {}))


def nothing_stored():
    return not QuestionAnswer.objects.exists() and not QuizAttempt.objects.exists()


# --- access -------------------------------------------------------------------------------------------


def test_pages_need_sign_in(client, quizzes):
    for url in (
        reverse("quizzes:quiz-list"),
        reverse("quizzes:quiz-detail", args=["cnn-quiz"]),
        reverse("quizzes:quiz-attempts", args=["cnn-quiz"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(
        reverse("quizzes:quiz-answer", args=["cnn-quiz"]), {"attempt": 1, "only": "and-neuron-logic"}
    )
    assert response.status_code == 302 and nothing_stored()


def test_attempts_are_visible_to_their_student_and_staff_only(client, student, other_student, instructor, quizzes):
    client.force_login(student)
    answer(client, "rnn-quiz", "why-recurrent", ["b"])
    response = client.post(reverse("quizzes:quiz-finish", args=["rnn-quiz"]), {"attempt": 1}, **HTMX)
    attempt = QuizAttempt.objects.get()
    url = reverse("quizzes:attempt-detail", args=[attempt.pk])
    assert response.status_code == 200 and client.get(url).status_code == 200

    client.force_login(other_student)
    assert client.get(url).status_code == 404
    assert client.get(reverse("quizzes:quiz-attempts", args=["rnn-quiz"])).status_code == 404
    assert "Your tries" in client.get(reverse("quizzes:quiz-detail", args=["rnn-quiz"])).content.decode()
    assert f'href="{url}"' not in client.get(reverse("quizzes:quiz-detail", args=["rnn-quiz"])).content.decode()

    client.force_login(instructor)
    page = client.get(url).content.decode()
    assert "try by student" in page and "Why is a recurrent neural network called" in page
    listing = client.get(reverse("quizzes:quiz-attempts", args=["rnn-quiz"])).content.decode()
    assert "student" in listing and f'href="{url}"' in listing


def test_unknown_quiz_is_404(client, student, quizzes):
    client.force_login(student)
    assert client.get(reverse("quizzes:quiz-detail", args=["no-such-quiz"])).status_code == 404


# --- rendering in both languages ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["exploding-gradients-quiz", "rnn-quiz", "lstm-quiz", "cnn-quiz", "cnn-models-quiz"])
def test_every_question_renders_in_both_languages(client, student, quizzes, slug):
    client.force_login(student)
    bundle = bundle_of(slug)
    english = client.get(reverse("quizzes:quiz-detail", args=[slug])).content.decode()
    chinese = client.get(reverse("quizzes:quiz-detail", args=[slug]), **ZH).content.decode()
    assert bundle.title["en"] in english and bundle.title["zh"] in chinese
    for question in bundle.questions:
        assert f'id="q-{question.key}"' in english and f'id="q-{question.key}"' in chinese
        en_prompt, zh_prompt = shown_numbers(english, question.key), shown_numbers(chinese, question.key)
        assert "{{" not in en_prompt and "{{" not in zh_prompt
        assert re.search(r"[\u4e00-\u9fff]", zh_prompt), question.key  # the Chinese prompt
        assert not re.search(r"[\u4e00-\u9fff]", en_prompt.replace("λ", "")), question.key
    assert "vendor/katex/katex.min.js" in english and "quizzes/quiz.js" in english
    assert "第 1 题" in chinese and "提交本题" in chinese and "本主题的编程练习" in chinese  # the interface too


def test_quiz_list_groups_by_topic_and_links_to_the_exercises(client, student, quizzes, topic_exercises):
    client.force_login(student)
    page = client.get(reverse("quizzes:quiz-list")).content.decode()
    assert "Exploding gradients" in page and "Common CNN models" in page and "How does a CNN work?" in page
    assert 'href="/exercises/#topic-cnn"' in page and "not started" in page
    chinese = client.get(reverse("quizzes:quiz-list"), **ZH).content.decode()
    assert "常见的 CNN 模型" in chinese and "梯度爆炸" in chinese


def test_quiz_links_to_the_coding_exercises_of_its_topic_and_back(client, student, quizzes, topic_exercises):
    client.force_login(student)
    quiz_page = client.get(reverse("quizzes:quiz-detail", args=["cnn-quiz"])).content.decode()
    assert reverse("exercises:detail", args=["relu"]) in quiz_page
    assert reverse("exercises:detail", args=["clip-by-norm"]) not in quiz_page  # another topic
    assert reverse("quizzes:quiz-detail", args=["cnn-models-quiz"]) in quiz_page  # the other CNN quiz
    exercise_list = client.get(reverse("exercises:list")).content.decode()
    assert reverse("quizzes:quiz-detail", args=["cnn-quiz"]) in exercise_list
    assert reverse("quizzes:quiz-detail", args=["exploding-gradients-quiz"]) in exercise_list
    detail = client.get(reverse("exercises:detail", args=["clip-by-norm"])).content.decode()
    assert reverse("quizzes:quiz-detail", args=["exploding-gradients-quiz"]) in detail
    assert reverse("quizzes:quiz-detail", args=["cnn-quiz"]) not in detail
    nav = client.get(reverse("exercises:list")).content.decode()
    assert f'href="{reverse("quizzes:quiz-list")}"' in nav


def test_one_question_at_a_time(client, student, quizzes):
    client.force_login(student)
    page = client.get(reverse("quizzes:quiz-detail", args=["lstm-quiz"]) + "?mode=one&q=3").content.decode()
    assert page.count('class="card question') == 1 and 'id="q-forget-gate-value"' in page
    assert "Question 3 of 11" in page and "mode=one&amp;q=2" in page and "mode=one&amp;q=4" in page
    response = answer(
        client,
        "lstm-quiz",
        "forget-gate-value",
        right_answer(student, "lstm-quiz", "forget-gate-value"),
        token=token_of(student, "lstm-quiz", "forget-gate-value"),
        mode="one",
        q=3,
        htmx=False,
    )
    assert response.status_code == 302 and response["Location"].endswith("?mode=one&q=3")
    page = client.get(response["Location"]).content.decode()
    assert "✓ Correct" in page and "Next question" in page


# --- answering and grading -------------------------------------------------------------------------------------


def test_single_choice_graded_on_the_spot_with_the_explanation(client, student, quizzes):
    client.force_login(student)
    response = answer(client, "cnn-quiz", "and-neuron-logic", ["b"])
    page = response.content.decode()
    assert response.status_code == 200 and response["HX-Retarget"] == "#q-and-neuron-logic"
    assert "✓ Correct" in page and "Explanation" in page and "the same weights compute OR" in page
    count = len(bundle_of("cnn-quiz").questions)
    assert 'id="quiz-summary"' in page and 'hx-swap-oob="true"' in page and f"1 of {count} answered" in page
    stored = QuestionAnswer.objects.get()
    assert (stored.response, stored.score, stored.is_correct, stored.attempt_number) == ("b", 1.0, True, 1)
    assert not QuizAttempt.objects.exists()  # the try is still open


def test_the_explanation_follows_the_language(client, student, quizzes):
    client.force_login(student)
    data = {"attempt": 1, "only": "and-neuron-logic", "a-and-neuron-logic": "a"}
    response = client.post(reverse("quizzes:quiz-answer", args=["cnn-quiz"]), data, **HTMX, **ZH)
    page = response.content.decode()
    assert "同样的权重就计算“或”" in page and "the same weights compute OR" not in page


def test_multiple_choice_partial_credit(client, student, quizzes):
    client.force_login(student)
    page = answer(client, "rnn-quiz", "shared-parameters", ["a", "c", "b"]).content.decode()
    stored = QuestionAnswer.objects.get()
    assert stored.score == pytest.approx(2 / 3 - 1 / 2) and not stored.is_correct
    assert "Partly right" in page and "17% of this question" in page
    assert "each correct option you tick earns 1/k" in page


def test_parameterized_numeric_question_right_and_wrong(client, student, quizzes):
    client.force_login(student)
    key = "conv-output-size"
    right = right_answer(student, "cnn-quiz", key)
    answer(client, "cnn-quiz", key, right, token=token_of(student, "cnn-quiz", key))
    stored = QuestionAnswer.objects.get()
    assert stored.is_correct and stored.score == 1.0 and stored.expected == int(float(right[0]))
    assert set(stored.values) == {"H", "K", "S", "P"}  # the numbers the student was shown
    assert stored.variant == token_of(student, "cnn-quiz", key)

    key = "forget-gate-value"
    wrong = [str(float(right_answer(student, "lstm-quiz", key)[0]) + 0.01)]
    page = answer(client, "lstm-quiz", key, wrong, token=token_of(student, "lstm-quiz", key)).content.decode()
    assert "Not right" in page and "right answer:" in page and "accepted within ±0.001" in page
    assert QuestionAnswer.objects.get(question__key=key).score == 0.0


def test_ordering_credit_per_position(client, student, quizzes):
    client.force_login(student)
    page = answer(
        client, "lstm-quiz", "lstm-update-order", ["concat", "cell", "gates", "squash", "hidden"]
    ).content.decode()
    assert QuestionAnswer.objects.get().score == pytest.approx(0.6)
    assert "Your order" in page and "Right order" in page


def test_answering_everything_finishes_the_try_and_the_score_counts(client, student, quizzes):
    client.force_login(student)
    bundle = bundle_of("cnn-models-quiz")
    data = {"attempt": 1}
    for question in bundle.questions:
        data[f"a-{question.key}"] = right_answer(student, "cnn-models-quiz", question.key)
        if question.parameterized:
            data[f"v-{question.key}"] = token_of(student, "cnn-models-quiz", question.key)
    response = client.post(reverse("quizzes:quiz-answer", args=["cnn-models-quiz"]), data)
    attempt = QuizAttempt.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("quizzes:attempt-detail", args=[attempt.pk])
    assert (attempt.score, attempt.number, attempt.answered, attempt.total) == (1.0, 1, 8, 8)
    assert attempt.quiz.points == 10 and set(attempt.answers) == {q.key for q in bundle.questions}
    assert QuestionAnswer.objects.filter(attempt=attempt).count() == 8
    review = client.get(response["Location"]).content.decode()
    assert "100%" in review and review.count("✓ Correct") == 8

    # The next visit is a new try, with its own numbers.
    page = client.get(reverse("quizzes:quiz-detail", args=["cnn-models-quiz"])).content.decode()
    assert 'name="attempt" value="2"' in page and "Your try 1 is finished" in page
    assert token_of(student, "cnn-models-quiz", "vgg-stack-weights", 2) in page


def test_finishing_early_scores_unanswered_questions_zero(client, student, quizzes):
    client.force_login(student)
    answer(client, "rnn-quiz", "why-recurrent", ["b"])
    answer(client, "rnn-quiz", "initial-state", ["b"])
    page = client.post(reverse("quizzes:quiz-finish", args=["rnn-quiz"]), {"attempt": 1}, **HTMX).content.decode()
    attempt, count = QuizAttempt.objects.get(), len(bundle_of("rnn-quiz").questions)
    assert attempt.score == pytest.approx(1 / count, abs=1e-6) and (attempt.answered, attempt.total) == (2, count)
    assert "try 1 finished" in page and "Start a new try" in page and "Not answered in this try." in page


def test_finishing_with_no_answer_is_refused(client, student, quizzes):
    client.force_login(student)
    page = client.post(reverse("quizzes:quiz-finish", args=["rnn-quiz"]), {"attempt": 1}, **HTMX).content.decode()
    assert "Answer at least one question before you finish." in page and nothing_stored()


def test_submit_all_answers_at_once(client, student, quizzes):
    client.force_login(student)
    answer(client, "rnn-quiz", "why-recurrent", ["a"])  # one checked before, wrong
    bundle = bundle_of("rnn-quiz")
    data = {"attempt": 1}
    for question in bundle.questions:
        data[f"a-{question.key}"] = right_answer(student, "rnn-quiz", question.key)
        if question.parameterized:
            data[f"v-{question.key}"] = token_of(student, "rnn-quiz", question.key)
    page = client.post(reverse("quizzes:quiz-answer", args=["rnn-quiz"]), data, **HTMX).content.decode()
    attempt = QuizAttempt.objects.get()
    count = len(bundle.questions)
    assert attempt.score == pytest.approx((count - 1) / count, abs=1e-6)  # the earlier wrong answer stands
    assert "try 1 finished" in page and page.count("Explanation") == count


# --- bad input: a clear message, nothing stored ---------------------------------------------------------------


@pytest.mark.parametrize(
    "slug,key,values,message",
    [
        ("cnn-quiz", "conv-output-size", ["four"], "“four” is not a number"),
        ("cnn-quiz", "conv-output-size", [""], "Enter a number."),
        ("rnn-quiz", "shared-parameters", [], "Tick at least one option"),
        ("rnn-quiz", "why-recurrent", [], "Choose one option."),
        ("rnn-quiz", "why-recurrent", ["z"], "does not match the question on the page"),
        ("rnn-quiz", "shared-parameters", ["a", "nope"], "does not match the question on the page"),
        ("lstm-quiz", "lstm-update-order", ["concat", "concat", "cell", "squash", "hidden"], "exactly once"),
    ],
)
def test_bad_answers_get_a_clear_message_and_nothing_is_stored(client, student, quizzes, slug, key, values, message):
    client.force_login(student)
    bundle = bundle_of(slug)
    token = token_of(student, slug, key) if bundle.question(key).parameterized else None
    response = answer(client, slug, key, values, token=token)
    assert response.status_code == 200 and message in response.content.decode()
    assert response["HX-Retarget"] == f"#q-{key}"
    assert nothing_stored()
    page = answer(client, slug, key, values, token=token, htmx=False)
    assert page.status_code == 400 and message in page.content.decode() and nothing_stored()


def test_another_students_variant_is_refused(client, student, other_student, quizzes):
    client.force_login(student)
    key = "clipnorm-norm-after-clipping"
    theirs = token_of(other_student, "exploding-gradients-quiz", key)
    their_answer = right_answer(other_student, "exploding-gradients-quiz", key)
    page = answer(client, "exploding-gradients-quiz", key, their_answer, token=theirs).content.decode()
    assert "These numbers were not generated for you" in page and nothing_stored()
    for token in ("", "0" * 16, token_of(student, "exploding-gradients-quiz", key, attempt_number=2)):
        page = answer(client, "exploding-gradients-quiz", key, ["1"], token=token).content.decode()
        assert "These numbers were not generated for you" in page
    assert nothing_stored()


def test_a_tampered_form_is_refused(client, student, quizzes):
    client.force_login(student)
    page = answer(client, "rnn-quiz", "no-such-question", ["a"]).content.decode()
    assert "not part of the quiz" in page and nothing_stored()
    for attempt in (2, 0, "x", ""):
        page = answer(client, "rnn-quiz", "why-recurrent", ["b"], attempt=attempt).content.decode()
        assert "This page is out of date" in page
    assert nothing_stored()


def test_submit_all_with_one_bad_answer_stores_nothing(client, student, quizzes):
    client.force_login(student)
    data = {"attempt": 1, "a-why-recurrent": "b", "a-initial-state": "a", "a-softmax-output": "0,5"}
    data["v-softmax-output"] = token_of(student, "rnn-quiz", "softmax-output")
    page = client.post(reverse("quizzes:quiz-answer", args=["rnn-quiz"]), data, **HTMX).content.decode()
    assert "Nothing was stored" in page and "without commas" in page and "Choose one option." in page
    assert 'value="b" checked' in page  # what the student ticked is kept
    assert nothing_stored()


def test_a_question_is_answered_once_per_try(client, student, quizzes):
    client.force_login(student)
    answer(client, "rnn-quiz", "why-recurrent", ["a"])
    page = answer(client, "rnn-quiz", "why-recurrent", ["b"]).content.decode()
    assert "You already answered this question in this try" in page
    assert QuestionAnswer.objects.get().response == "a"


# --- variants per student ------------------------------------------------------------------------------------


def test_the_same_student_sees_the_same_variant_on_reload_and_another_student_another(
    client, student, other_student, quizzes
):
    url = reverse("quizzes:quiz-detail", args=["cnn-quiz"])
    parameterized = [q.key for q in bundle_of("cnn-quiz").questions if q.parameterized]
    client.force_login(student)
    first = client.get(url).content.decode()
    again = client.get(url).content.decode()
    mine = [shown_numbers(first, key) for key in parameterized]
    assert mine == [shown_numbers(again, key) for key in parameterized]
    client.force_login(other_student)
    theirs_page = client.get(url).content.decode()
    theirs = [shown_numbers(theirs_page, key) for key in parameterized]
    assert mine != theirs
    assert sum(a != b for a, b in zip(mine, theirs, strict=True)) >= len(parameterized) - 1
    for key in parameterized:
        assert token_of(student, "cnn-quiz", key) in first and token_of(other_student, "cnn-quiz", key) in theirs_page


# --- feedback in the page's language ---------------------------------------------------------------------


def answer_in_chinese(client, slug, key, values, **data):
    data = {"attempt": 1, "only": key, f"a-{key}": values, **data}
    return client.post(reverse("quizzes:quiz-answer", args=[slug]), data, **HTMX, **ZH).content.decode()


def test_a_chinese_page_states_tolerances_rules_and_hints_in_chinese(client, student, quizzes):
    client.force_login(student)
    lstm = client.get(reverse("quizzes:quiz-detail", args=["lstm-quiz"]), **ZH).content.decode()
    assert "误差在 ±0.001 以内即算正确" in lstm and "部分得分：共 n 个步骤，每个放在正确位置上的步骤得 1/n。" in lstm
    assert "部分得分：设共有 k 个正确选项、m 个错误选项" in lstm and "勾选所有符合的选项。" in lstm
    assert "需要精确值" in client.get(reverse("quizzes:quiz-detail", args=["cnn-quiz"]), **ZH).content.decode()
    for english in ("accepted within", "Partial credit", "Tick every option", "exact value"):
        assert english not in lstm, english
    english_page = client.get(reverse("quizzes:quiz-detail", args=["lstm-quiz"])).content.decode()
    assert "accepted within ±0.001" in english_page and "误差在" not in english_page


@pytest.mark.parametrize(
    "slug,key,values,chinese,english",
    [
        ("cnn-quiz", "conv-output-size", ["four"], "“four”不是数字：请输入数字", "is not a number"),
        ("rnn-quiz", "softmax-output", ["0,5"], "不是有效的数字：请不要用逗号", "without commas"),
        ("rnn-quiz", "shared-parameters", [], "请至少勾选一个选项：空白答案不会被评分。", "Tick at least one"),
        ("rnn-quiz", "why-recurrent", [], "请选择一个选项。", "Choose one option."),
        ("rnn-quiz", "why-recurrent", ["z"], "提交的答案与页面上的题目不符", "does not match the question"),
        (
            "lstm-quiz",
            "lstm-update-order",
            ["concat", "concat", "cell", "squash", "hidden"],
            "重复使用了：concat",
            "exactly once",
        ),
        ("rnn-quiz", "no-such-question", ["a"], "这道题不在（或已不在）本测验中。", "not part of the quiz"),
    ],
)
def test_a_refused_answer_is_explained_in_chinese_on_a_chinese_page(
    client, student, quizzes, slug, key, values, chinese, english
):
    client.force_login(student)
    question = bundle_of(slug).question(key)
    token = {f"v-{key}": token_of(student, slug, key)} if question is not None and question.parameterized else {}
    page = answer_in_chinese(client, slug, key, values, **token)
    assert chinese in page and english not in page
    assert nothing_stored()


def test_refusals_about_the_try_are_in_chinese_too(client, student, other_student, quizzes):
    client.force_login(student)
    assert "页面已过期" in answer_in_chinese(client, "rnn-quiz", "why-recurrent", ["b"], attempt=2)
    key = "clipnorm-norm-after-clipping"
    theirs = token_of(other_student, "exploding-gradients-quiz", key)
    assert "这些数字不是在本次作答中为你生成的" in answer_in_chinese(
        client, "exploding-gradients-quiz", key, ["1"], **{f"v-{key}": theirs}
    )
    finish = client.post(reverse("quizzes:quiz-finish", args=["rnn-quiz"]), {"attempt": 1}, **HTMX, **ZH)
    assert "请至少回答一道题后再结束作答。" in finish.content.decode()
    answer_in_chinese(client, "rnn-quiz", "why-recurrent", ["a"])
    assert "本次作答中你已经回答过这道题" in answer_in_chinese(client, "rnn-quiz", "why-recurrent", ["b"])
    data = {"attempt": 1, "a-initial-state": "a", "a-softmax-output": "0,5"}
    data["v-softmax-output"] = token_of(student, "rnn-quiz", "softmax-output")
    page = client.post(reverse("quizzes:quiz-answer", args=["rnn-quiz"]), data, **HTMX, **ZH).content.decode()
    assert "没有保存任何答案：请改正下面标出的答案后重新提交。" in page and "Nothing was stored" not in page


def test_a_graded_numeric_answer_states_its_tolerance_in_chinese(client, student, quizzes):
    client.force_login(student)
    key = "forget-gate-value"
    wrong = [str(float(right_answer(student, "lstm-quiz", key)[0]) + 0.01)]
    page = answer_in_chinese(client, "lstm-quiz", key, wrong, **{f"v-{key}": token_of(student, "lstm-quiz", key)})
    assert "不正确" in page and "正确答案：" in page and "(误差在 ±0.001 以内即算正确)" in page
