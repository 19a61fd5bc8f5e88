"""Quiz rules in one place: authoring validation, the public projection, and grading.

Questions are stored as JSON on the lesson:
`{id, prompt, kind: single|multiple, options: [{id, text, correct}], explanation}`.
Learners only ever receive `public_questions(...)` (no `correct`, no `explanation`) until they
submit an attempt; grading happens here, on the server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

QuestionKind = Literal["single", "multiple"]
DEFAULT_PASS_MARK = 70


class QuizRuleError(ValueError):
    """An authored quiz or lesson breaks a rule (message names the offending item)."""


class AnswerError(ValueError):
    """A learner's answers name questions or options that do not exist, or leave some out."""

    def __init__(
        self, message: str, errors: list[dict[str, Any]], *, code: str = "invalid_answers"
    ) -> None:
        super().__init__(message)
        self.errors = errors
        self.code = code


def new_item_id() -> str:
    return uuid.uuid4().hex[:12]


def normalise_questions(questions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Check the authoring rules and return the questions as stored (ids filled in).

    Rules: at least one question; ids unique; each question has 2+ options and at least one
    correct option; a single-choice question has exactly one.
    """
    if not questions:
        raise QuizRuleError("A quiz needs at least one question.")
    stored: list[dict[str, Any]] = []
    seen_questions: set[str] = set()
    for number, question in enumerate(questions, start=1):
        qid = str(question.get("id") or new_item_id())
        if qid in seen_questions:
            raise QuizRuleError(f"Question id {qid!r} is used twice.")
        seen_questions.add(qid)
        kind = question.get("kind", "single")
        options = list(question.get("options") or [])
        label = f"Question {number} ({qid})"
        if len(options) < 2:
            raise QuizRuleError(f"{label} needs at least two options.")
        seen_options: set[str] = set()
        stored_options: list[dict[str, Any]] = []
        for option in options:
            oid = str(option.get("id") or new_item_id())
            if oid in seen_options:
                raise QuizRuleError(f"{label}: option id {oid!r} is used twice.")
            seen_options.add(oid)
            stored_options.append(
                {"id": oid, "text": str(option["text"]), "correct": bool(option.get("correct"))}
            )
        correct = sum(1 for o in stored_options if o["correct"])
        if correct == 0:
            raise QuizRuleError(f"{label} needs at least one correct option.")
        if kind == "single" and correct != 1:
            raise QuizRuleError(
                f"{label} is single choice and must have exactly one correct option."
            )
        stored.append(
            {
                "id": qid,
                "prompt": str(question["prompt"]),
                "kind": kind,
                "options": stored_options,
                "explanation": str(question.get("explanation") or ""),
            }
        )
    return stored


def check_lesson_content(
    *,
    kind: str,
    body_md: str,
    video_url: str | None,
    questions: Sequence[Mapping[str, Any]] | None,
    pass_mark: int | None,
    max_attempts: int | None,
) -> None:
    """Check that a lesson has what its kind needs, and nothing that belongs to another kind."""
    if kind == "text" and not body_md.strip():
        raise QuizRuleError("A text lesson needs a Markdown body (body_md).")
    if kind == "video" and not video_url:
        raise QuizRuleError("A video lesson needs a video_url.")
    if kind != "video" and video_url:
        raise QuizRuleError("Only video lessons have a video_url.")
    if kind == "quiz":
        if not questions:
            raise QuizRuleError("A quiz lesson needs at least one question.")
        if pass_mark is not None and not 0 <= pass_mark <= 100:
            raise QuizRuleError("pass_mark must be between 0 and 100.")
        if max_attempts is not None and max_attempts < 1:
            raise QuizRuleError("max_attempts must be at least 1 (or null for unlimited).")
    elif questions or pass_mark is not None or max_attempts is not None:
        raise QuizRuleError("Only quiz lessons have questions, pass_mark or max_attempts.")


def public_questions(questions: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The questions as a learner sees them before an attempt: no answers, no explanations."""
    return [
        {
            "id": q["id"],
            "prompt": q["prompt"],
            "kind": q["kind"],
            "options": [{"id": o["id"], "text": o["text"]} for o in q["options"]],
        }
        for q in questions
    ]


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    correct: bool
    selected_option_ids: list[str]
    correct_option_ids: list[str]
    explanation: str


@dataclass(frozen=True)
class Grade:
    score: int  # 0-100, rounded half up
    correct_count: int
    question_count: int
    results: list[QuestionResult]


def check_answers(
    questions: Sequence[Mapping[str, Any]], answers: Sequence[tuple[str, Sequence[str]]]
) -> dict[str, list[str]]:
    """Map question id -> selected option ids, or raise `AnswerError` naming every bad id."""
    by_id = {q["id"]: q for q in questions}
    errors: list[dict[str, Any]] = []
    selected: dict[str, list[str]] = {}
    for index, (qid, option_ids) in enumerate(answers):
        where: list[str | int] = ["body", "answers", index]
        question = by_id.get(qid)
        if question is None:
            errors.append(
                _error(where, "question_id", f"unknown question id {qid!r}", "unknown_question")
            )
            continue
        if qid in selected:
            errors.append(
                _error(
                    where, "question_id", f"question {qid!r} is answered twice", "duplicate_answer"
                )
            )
            continue
        valid = {o["id"] for o in question["options"]}
        unique = list(dict.fromkeys(option_ids))
        unknown = [oid for oid in unique if oid not in valid]
        if unknown:
            names = ", ".join(repr(u) for u in unknown)
            errors.append(
                _error(
                    where,
                    "option_ids",
                    f"unknown option ids {names} for question {qid!r}",
                    "unknown_option",
                )
            )
            continue
        if question["kind"] == "single" and len(unique) > 1:
            errors.append(
                _error(
                    where,
                    "option_ids",
                    f"question {qid!r} is single choice; pick one option",
                    "too_many_options",
                )
            )
            continue
        selected[qid] = unique
    if errors:
        summary = "; ".join(e["message"] for e in errors[:5])
        raise AnswerError(f"The answers do not match this quiz: {summary}.", errors)
    _check_complete(questions, selected)
    return selected


def _check_complete(
    questions: Sequence[Mapping[str, Any]], selected: Mapping[str, Sequence[str]]
) -> None:
    # A blank or partial attempt is refused, not graded: grading it would spend an attempt
    # on nothing, and used to hand back every correct answer for free.
    missing = [q["id"] for q in questions if not selected.get(q["id"])]
    if not missing:
        return
    errors = [
        _error(["body", "answers"], "question_id", f"question {qid!r} is unanswered", "unanswered")
        | {"question_id": qid}
        for qid in missing
    ]
    names = ", ".join(repr(qid) for qid in missing[:10])
    raise AnswerError(
        f"Answer every question before submitting; unanswered: {names}.",
        errors,
        code="unanswered_questions",
    )


REVIEW_POLICIES = ("after_pass_or_last_attempt", "after_last_attempt", "after_submit")
DEFAULT_REVIEW_POLICY = "after_pass_or_last_attempt"


def reveals_answers(
    *,
    passed: bool,
    attempts_used: int,
    max_attempts: int | None,
    policy: str = DEFAULT_REVIEW_POLICY,
) -> bool:
    """Whether an attempt's answer shows the correct options and explanations.

    The author picks the policy per quiz: `after_pass_or_last_attempt` (default: once they can
    no longer help a guess), `after_last_attempt` (only when no attempt is left, so a passed
    quiz can still be retried honestly), or `after_submit` (practice quizzes: at once). Until
    then a learner sees the score and which questions were wrong, never the right answers.
    """
    out_of_attempts = max_attempts is not None and attempts_used >= max_attempts
    if policy == "after_submit":
        return True
    if policy == "after_last_attempt":
        return out_of_attempts
    return passed or out_of_attempts


def grade(questions: Sequence[Mapping[str, Any]], selected: Mapping[str, Sequence[str]]) -> Grade:
    """All-or-nothing per question; unanswered questions count as wrong."""
    results: list[QuestionResult] = []
    for q in questions:
        chosen = list(selected.get(q["id"], []))
        right = [o["id"] for o in q["options"] if o["correct"]]
        results.append(
            QuestionResult(
                question_id=q["id"],
                correct=set(chosen) == set(right),
                selected_option_ids=chosen,
                correct_option_ids=right,
                explanation=q.get("explanation", ""),
            )
        )
    total = len(results)
    good = sum(1 for r in results if r.correct)
    score = (200 * good + total) // (2 * total) if total else 0
    return Grade(score=score, correct_count=good, question_count=total, results=results)


def _error(loc: list[str | int], name: str, message: str, kind: str) -> dict[str, Any]:
    full = [*loc, name]
    return {
        "loc": full,
        "field": ".".join(str(p) for p in full[1:]),
        "message": message,
        "type": kind,
    }
