"""Writes for quizzes: sync the bundles, store graded answers, close a try into a QuizAttempt."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from catalog.bundle_sync import bundle_row_upsert, bundle_rows_deactivate
from graders.bundle import BundleError
from graders.quiz import AnswerError, QuizBundle, Result, Variant, discover_quizzes, grade, parse_response, say
from graders.quiz.precomputed import load_precomputed
from quizzes.hooks import quiz_credit_policy
from quizzes.models import Question, QuestionAnswer, Quiz, QuizAttempt
from quizzes.variants import token_matches, variant_seed, variant_token

log = logging.getLogger(__name__)


# --- sync ---------------------------------------------------------------------------------------


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    errors: list[BundleError] = field(default_factory=list)


def _quiz_fields(bundle: QuizBundle) -> dict:
    return {
        "slug": bundle.slug,
        "topic": bundle.topic,
        "title_en": bundle.title["en"],
        "title_zh": bundle.title["zh"],
        "points": bundle.points,
        "order": bundle.order,
        "bundle_path": str(bundle.path.resolve()),
        "content_hash": bundle.content_hash,
        "question_count": len(bundle.questions),
        "is_active": True,
    }


def _sync_questions(quiz: Quiz, bundle: QuizBundle) -> None:
    seen = []
    for order, question in enumerate(bundle.questions):
        seen.append(question.uuid)
        Question.objects.update_or_create(
            uuid=question.uuid,
            defaults={
                "quiz": quiz,
                "key": question.key,
                "order": order,
                "qtype": question.type,
                "weight": question.weight,
                "is_parameterized": question.parameterized,
                "prompt_en": question.prompt["en"],
                "is_active": True,
            },
        )
    Question.objects.filter(quiz=quiz, is_active=True).exclude(uuid__in=seen).update(is_active=False)


@transaction.atomic
def quiz_sync(*, root: Path) -> SyncReport:
    """Upsert every valid quiz bundle and its questions by uuid; a bad bundle is reported, the rest load."""
    report = SyncReport()
    bundles, report.errors = discover_quizzes(root)
    seen = set()
    for bundle in bundles:
        seen.add(bundle.uuid)
        quiz, outcome = bundle_row_upsert(Quiz, uuid=bundle.uuid, slug=bundle.slug, fields=_quiz_fields(bundle))
        getattr(report, outcome).append(bundle.slug)
        if outcome == "unchanged":
            continue
        _sync_questions(quiz, bundle)
    broken_paths = {Path(error.path).resolve() for error in report.errors}
    report.deactivated = bundle_rows_deactivate(
        Quiz, seen=seen, broken_paths=broken_paths, rows=Quiz.objects.filter(namespace="")
    )
    return report


def quiz_publish(*, path: Path, namespace: str, public: bool) -> tuple[Quiz, str]:
    """Make the kept quiz at ``path`` the live version of its quiz in ``namespace`` ("<namespace>--<slug>").

    The quiz passed the quality gate already, its variants drawn in the sandbox and kept beside it
    (graders/quiz/precomputed.py): only its quiz.toml and those variants are read here, params.py
    never runs. Returns the row and "created", "updated" or "unchanged"; raises BundleError if the
    quiz or its variants do not load.
    """
    bundle = load_precomputed(path, namespace)  # uuids namespaced: two courses may copy one quiz
    fields = {
        **_quiz_fields(bundle),
        "slug": f"{namespace}--{bundle.slug}",
        "namespace": namespace,
        "is_public": public,
    }
    with transaction.atomic():
        quiz, outcome = bundle_row_upsert(Quiz, uuid=bundle.uuid, slug=fields["slug"], fields=fields)
        if outcome != "unchanged":
            _sync_questions(quiz, bundle)
    return quiz, outcome


def quiz_retire(*, quiz: Quiz) -> None:
    """Take a quiz off its course (its bundle left the repository); tries and answers keep it."""
    quiz.is_active = False
    quiz.save(update_fields=["is_active", "synced_at"])


# --- answering ------------------------------------------------------------------------------------


class QuizInputError(Exception):
    """The answers cannot be stored, and nothing was: why, per question key, or for the whole request."""

    def __init__(self, *, errors: dict[str, AnswerError] | None = None, general: AnswerError | None = None) -> None:
        super().__init__("; ".join(str(e) for e in [*(errors or {}).values(), *([general] if general else [])]))
        self.errors = errors or {}
        self.general = general

    @property
    def tampered(self) -> bool:
        return any(error.tampered for error in [*self.errors.values(), *([self.general] if self.general else [])])


@dataclass
class AnswerOutcome:
    answers: dict[str, QuestionAnswer]  # the stored answers of this request, by question key
    attempt: QuizAttempt | None  # set when this request finished the try


def open_attempt_number(*, user, quiz: Quiz) -> int:
    """The number of the try in progress: one more than the last finished try."""
    last = QuizAttempt.objects.filter(user=user, quiz=quiz).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def variant_for(*, bundle: QuizBundle, question, user_id: int, attempt_number: int) -> tuple[str, Variant]:
    token = variant_token(user_id=user_id, question_uuid=question.uuid, attempt_number=attempt_number)
    return token, bundle.variant(question, variant_seed(token))


def _stale_page() -> AnswerError:
    return AnswerError(say("page_out_of_date"))


def _lock_user(user) -> None:
    """Serialize the writes of one student (two tabs, a double click): one try, one answer per question."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _check_number(user, quiz: Quiz, attempt_number) -> int:
    expected = open_attempt_number(user=user, quiz=quiz)
    try:
        posted = int(attempt_number)
    except (TypeError, ValueError):
        raise QuizInputError(general=_stale_page()) from None
    if posted != expected:
        raise QuizInputError(general=_stale_page())
    return expected


def quiz_answer(
    *,
    user,
    quiz: Quiz,
    bundle: QuizBundle,
    attempt_number,
    responses: dict[str, list[str]],
    tokens: dict[str, str],
) -> AnswerOutcome:
    """Grade and store answers to some questions of the open try; finish the try once all are answered.

    ``responses`` maps question keys to the raw form values; ``tokens`` maps the keys of
    parameterized questions to the variant token the page was rendered with. Every answer is
    checked before anything is stored: one bad answer raises QuizInputError and stores nothing.
    """
    if not responses:
        raise QuizInputError(general=AnswerError(say("answer_a_question_first")))
    with transaction.atomic():
        _lock_user(user)
        number = _check_number(user, quiz, attempt_number)
        already = {
            str(value)
            for value in QuestionAnswer.objects.filter(user=user, quiz=quiz, attempt_number=number).values_list(
                "question__uuid", flat=True
            )
        }
        rows = {str(q.uuid): q for q in Question.objects.filter(quiz=quiz, is_active=True)}
        errors: dict[str, AnswerError] = {}
        graded: list[tuple[Question, str, Variant, Result]] = []
        for key, raw in responses.items():
            question = bundle.question(key)
            if question is None or question.uuid not in rows:
                errors[key] = AnswerError(say("not_in_quiz"), tampered=question is None)
                continue
            if question.uuid in already:
                errors[key] = AnswerError(say("already_answered"))
                continue
            token, variant = variant_for(bundle=bundle, question=question, user_id=user.pk, attempt_number=number)
            if question.parameterized and not token_matches(tokens.get(key), token):
                errors[key] = AnswerError(say("not_your_numbers"), tampered=True)
                continue
            try:
                response = parse_response(question, raw)
            except AnswerError as error:
                errors[key] = error
                continue
            graded.append((rows[question.uuid], token, variant, grade(variant, response)))
        if errors:
            if any(error.tampered for error in errors.values()):
                log.warning("quiz %s: tampered answer by user %s: %s", quiz.slug, user.pk, sorted(errors))
            raise QuizInputError(errors=errors)
        stored = {}
        for row, token, variant, result in graded:
            stored[variant.question.key] = QuestionAnswer.objects.create(
                user=user,
                quiz=quiz,
                question=row,
                attempt_number=number,
                response=result.response,
                score=result.score,
                is_correct=result.correct,
                expected=result.answer,
                variant=token if variant.question.parameterized else "",
                values=variant.inputs,
            )
        attempt = None
        answered = already | {str(row.uuid) for row, *_rest in graded}
        if set(rows) <= answered:
            attempt = _close(user=user, quiz=quiz, bundle=bundle, number=number)
    return AnswerOutcome(answers=stored, attempt=attempt)


def quiz_attempt_finish(*, user, quiz: Quiz, bundle: QuizBundle, attempt_number) -> QuizAttempt:
    """End the open try now; unanswered questions score 0. A try with no answer cannot be finished."""
    with transaction.atomic():
        _lock_user(user)
        number = _check_number(user, quiz, attempt_number)
        if not QuestionAnswer.objects.filter(user=user, quiz=quiz, attempt_number=number).exists():
            raise QuizInputError(general=AnswerError(say("answer_before_finishing")))
        return _close(user=user, quiz=quiz, bundle=bundle, number=number)


def _close(*, user, quiz: Quiz, bundle: QuizBundle, number: int) -> QuizAttempt:
    """Store the try as one QuizAttempt: score = weighted mean over the quiz's questions, 0 if unanswered."""
    answers = {
        str(a.question.uuid): a
        for a in QuestionAnswer.objects.filter(user=user, quiz=quiz, attempt_number=number).select_related("question")
    }
    active = {str(q.uuid) for q in Question.objects.filter(quiz=quiz, is_active=True)}
    questions = [question for question in bundle.questions if question.uuid in active]
    total_weight = sum(question.weight for question in questions)
    summary = {}
    earned = 0.0
    for question in questions:
        answer = answers.get(question.uuid)
        score = answer.score if answer is not None else 0.0
        earned += question.weight * score
        summary[question.key] = {
            "question": question.uuid,
            "type": question.type,
            "weight": question.weight,
            "response": answer.response if answer is not None else None,
            "score": score,
            "correct": bool(answer is not None and answer.is_correct),
            "variant": answer.variant if answer is not None else "",
        }
    started = min((a.created_at for a in answers.values()), default=timezone.now())
    attempt = QuizAttempt.objects.create(
        user=user,
        quiz=quiz,
        number=number,
        score=round(earned / total_weight, 6) if total_weight else 0.0,
        answers=summary,
        started_at=started,
        answered=sum(1 for question in questions if question.uuid in answers),
        total=len(questions),
        bundle_hash=bundle.content_hash,
    )
    QuestionAnswer.objects.filter(user=user, quiz=quiz, attempt_number=number).update(attempt=attempt)
    quiz_credit_policy().judge_new(attempt=attempt)  # same transaction: a try and its credit are stored together
    return attempt
