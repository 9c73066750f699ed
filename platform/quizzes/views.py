"""Quiz pages: quizzes by topic; a quiz answered all at once or one question at a time, graded on the spot."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from graders.quiz import Question as BundleQuestion
from graders.quiz import QuizBundle, QuizPhrase, say
from graders.quiz.language import in_language
from quizzes.models import Question, Quiz, QuizAttempt
from quizzes.presenters import build_cards, render_block
from quizzes.selectors import (
    attempt_visible_to,
    attempts_for,
    attempts_of_quiz,
    exercises_of_topic,
    open_answers,
    progress_by_quiz,
    quiz_bundle,
    quiz_get_active,
    quiz_groups,
    quizzes_of_topic,
)
from quizzes.services import QuizInputError, open_attempt_number, quiz_answer, quiz_attempt_finish

ANSWER_PREFIX = "a-"
TOKEN_PREFIX = "v-"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@dataclass
class Summary:
    number: int
    answered: int
    total: int
    earned: float  # weighted points so far
    total_weight: float
    finished: QuizAttempt | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.earned / self.total_weight) if self.total_weight else 0

    @property
    def complete(self) -> bool:
        return self.finished is not None


def _active_questions(quiz: Quiz, bundle: QuizBundle) -> list[BundleQuestion]:
    active = {str(value) for value in Question.objects.filter(quiz=quiz, is_active=True).values_list("uuid", flat=True)}
    return [question for question in bundle.questions if question.uuid in active]


def _bundle_or_404(quiz: Quiz) -> QuizBundle:
    bundle = quiz_bundle(quiz=quiz)
    if bundle is None:
        raise Http404("This quiz is being updated; try again in a minute.")
    return bundle


def _mode(value: str | None) -> str:
    return "one" if value == "one" else "all"


def _quiz_url(quiz: Quiz, *, mode: str = "all", index: int | None = None) -> str:
    query = {"mode": "one", "q": index} if mode == "one" and index else {}
    return reverse("quizzes:quiz-detail", args=[quiz.slug]) + (f"?{urlencode(query)}" if query else "")


def _page_context(
    request,
    quiz: Quiz,
    bundle: QuizBundle,
    *,
    number: int,
    mode: str,
    index: int | None = None,
    posted: dict | None = None,
    errors: dict | None = None,
    general_error: QuizPhrase | None = None,
    finished: QuizAttempt | None = None,
) -> dict:
    language = request.LANGUAGE_CODE
    questions = _active_questions(quiz, bundle)
    answers = open_answers(user=request.user, quiz=quiz, attempt_number=number)
    cards = build_cards(
        bundle=bundle,
        questions=questions,
        user_id=request.user.pk,
        attempt_number=number,
        language=language,
        answers=answers,
        posted=posted,
        errors=errors,
    )
    weights = {question.key: question.weight for question in questions}
    summary = Summary(
        number=number,
        answered=sum(card.answered for card in cards),
        total=len(cards),
        earned=sum(weights[card.key] * card.result.score for card in cards if card.result),
        total_weight=sum(weights.values()),
        finished=finished,
    )
    if mode == "one" and cards and finished is None:  # a finished try is reviewed whole
        if index is None:
            index = next((card.index for card in cards if not card.answered), 1)
        index = min(max(index, 1), len(cards))
        shown = [cards[index - 1]]
    else:
        index, shown = None, cards
    return {
        "quiz": quiz,
        "title": quiz.title(language),
        "intro_html": render_block(in_language(bundle.intro, language)) if bundle.intro else "",
        "topic_name": quiz.topic_name(language),
        "cards": shown,
        "all_cards": cards,
        "mode": mode,
        "index": index,
        "prev_url": _quiz_url(quiz, mode="one", index=index - 1) if index and index > 1 else "",
        "next_url": _quiz_url(quiz, mode="one", index=index + 1) if index and index < len(cards) else "",
        "summary": summary,
        "unanswered": summary.answered < summary.total and not finished,
        "general_error": general_error,
        "history": list(attempts_for(user=request.user, quiz=quiz)[:20]),
        "exercises": [(e.slug, e.title(language)) for e in exercises_of_topic(topic=quiz.topic)],
        "sibling_quizzes": [
            (q.slug, q.title(language))
            for q in quizzes_of_topic(topic=quiz.topic, user=request.user)
            if q.pk != quiz.pk
        ],
        "language": language,
    }


@login_required
@require_GET
def quiz_list(request):
    language = request.LANGUAGE_CODE
    groups = quiz_groups(language=language, user=request.user)
    progress = progress_by_quiz(user=request.user)
    for group in groups:
        for quiz in group.quizzes:
            quiz.display_title = quiz.title(language)
            quiz.progress = progress.get(quiz.pk)
    return render(request, "quizzes/quiz_list.html", {"groups": groups})


@login_required
@require_GET
def quiz_detail(request, slug: str):
    quiz = quiz_get_active(slug=slug, user=request.user)
    if quiz is None:
        raise Http404("No such quiz")
    bundle = _bundle_or_404(quiz)
    try:
        index = int(request.GET["q"]) if "q" in request.GET else None
    except ValueError:
        index = None
    number = open_attempt_number(user=request.user, quiz=quiz)
    context = _page_context(request, quiz, bundle, number=number, mode=_mode(request.GET.get("mode")), index=index)
    last = context["history"][0] if context["history"] else None
    context["last_attempt"] = last if last is not None and last.number == number - 1 else None
    return render(request, "quizzes/quiz_detail.html", context)


def _posted_answers(request, questions: list[BundleQuestion], only: str) -> dict[str, list[str]]:
    keys = [only] if only else [question.key for question in questions]
    return {key: request.POST.getlist(ANSWER_PREFIX + key) for key in keys}


@login_required
@require_POST
def quiz_answer_view(request, slug: str):
    quiz = quiz_get_active(slug=slug, user=request.user)
    if quiz is None:
        raise Http404("No such quiz")
    bundle = _bundle_or_404(quiz)
    mode = _mode(request.POST.get("mode"))
    try:
        index = int(request.POST.get("q", "")) if mode == "one" else None
    except ValueError:
        index = None
    only = request.POST.get("only", "").strip()
    number_posted = request.POST.get("attempt")
    current = open_attempt_number(user=request.user, quiz=quiz)
    questions = _active_questions(quiz, bundle)
    answered = set(open_answers(user=request.user, quiz=quiz, attempt_number=current))
    if only:
        responses = _posted_answers(request, questions, only)
    else:  # "submit all": every question not answered yet in this try
        responses = {
            key: raw
            for key, raw in _posted_answers(request, questions, "").items()
            if bundle.question(key).uuid not in answered
        }
    tokens = {key: request.POST.get(TOKEN_PREFIX + key, "") for key in responses}
    try:
        outcome = quiz_answer(
            user=request.user,
            quiz=quiz,
            bundle=bundle,
            attempt_number=number_posted,
            responses=responses,
            tokens=tokens,
        )
    except QuizInputError as problem:
        general = problem.general.phrase if problem.general else None
        off_page = [error for key, error in problem.errors.items() if bundle.question(key) not in questions]
        if off_page and not general:
            general = off_page[0].phrase
        if problem.errors and not general:
            general = say("nothing_stored")
        context = _page_context(
            request,
            quiz,
            bundle,
            number=current,
            mode=mode,
            index=index,
            posted=responses,
            errors=problem.errors,
            general_error=general,
        )
        if _is_htmx(request):
            return _fragment(request, context, only=only if only in {c.key for c in context["all_cards"]} else "")
        return render(request, "quizzes/quiz_detail.html", context, status=400)

    number = int(number_posted)
    finished = outcome.attempt
    if not _is_htmx(request):
        if finished is not None:
            return redirect("quizzes:attempt-detail", pk=finished.pk)
        url = _quiz_url(quiz, mode=mode, index=index)
        return redirect(url + (f"#q-{only}" if only and mode == "all" else ""))
    context = _page_context(request, quiz, bundle, number=number, mode=mode, index=index, finished=finished)
    return _fragment(request, context, only=only)


def _fragment(request, context: dict, *, only: str):
    """htmx: one question's card (retargeted onto itself) plus the summary, or the whole quiz body."""
    if only:
        context["card"] = card = next(card for card in context["all_cards"] if card.key == only)
        if context.get("general_error") and not card.error:
            card.error = context["general_error"]  # e.g. "this page is out of date", shown where the student looks
        response = render(request, "quizzes/_answer_response.html", context)
        response["HX-Retarget"] = f"#q-{only}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "quizzes/_quiz_body.html", context)


@login_required
@require_POST
def quiz_finish_view(request, slug: str):
    quiz = quiz_get_active(slug=slug, user=request.user)
    if quiz is None:
        raise Http404("No such quiz")
    bundle = _bundle_or_404(quiz)
    mode = _mode(request.POST.get("mode"))
    number_posted = request.POST.get("attempt")
    try:
        attempt = quiz_attempt_finish(user=request.user, quiz=quiz, bundle=bundle, attempt_number=number_posted)
    except QuizInputError as problem:
        current = open_attempt_number(user=request.user, quiz=quiz)
        context = _page_context(
            request,
            quiz,
            bundle,
            number=current,
            mode=mode,
            general_error=problem.general.phrase,
        )
        if _is_htmx(request):
            return render(request, "quizzes/_quiz_body.html", context)
        return render(request, "quizzes/quiz_detail.html", context, status=400)
    if not _is_htmx(request):
        return redirect("quizzes:attempt-detail", pk=attempt.pk)
    context = _page_context(request, quiz, bundle, number=attempt.number, mode=mode, finished=attempt)
    return render(request, "quizzes/_quiz_body.html", context)


@login_required
@require_GET
def attempt_detail(request, pk: int):
    attempt = attempt_visible_to(user=request.user, attempt_id=pk)
    if attempt is None:
        raise Http404("No such attempt")
    quiz = attempt.quiz
    language = request.LANGUAGE_CODE
    bundle = quiz_bundle(quiz=quiz)
    cards = []
    if bundle is not None and attempt.number is not None:
        questions = [question for question in bundle.questions if question.key in attempt.answers]
        answers = {str(a.question.uuid): a for a in attempt.question_answers.select_related("question")}
        cards = build_cards(
            bundle=bundle,
            questions=questions,
            user_id=attempt.user_id,
            attempt_number=attempt.number,
            language=language,
            answers=answers,
        )
    return render(
        request,
        "quizzes/attempt_detail.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "title": quiz.title(language),
            "cards": cards,
            "review": True,
            "exercises": [(e.slug, e.title(language)) for e in exercises_of_topic(topic=quiz.topic)],
            "is_own": attempt.user_id == request.user.pk,
        },
    )


@login_required
@require_GET
def quiz_attempts(request, slug: str):
    """Staff: every student's finished tries at one quiz."""
    if not request.user.is_staff:
        raise Http404("No such page")
    quiz = Quiz.objects.filter(slug=slug).first()
    if quiz is None:
        raise Http404("No such quiz")
    return render(
        request,
        "quizzes/quiz_attempts.html",
        {"quiz": quiz, "title": quiz.title(request.LANGUAGE_CODE), "attempts": attempts_of_quiz(quiz=quiz)[:500]},
    )
