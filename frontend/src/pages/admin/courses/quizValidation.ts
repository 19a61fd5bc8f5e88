/**
 * The quiz editor's form model and its validation: the same rules as the platform
 * (`courses/quiz.py` and `LessonCreate`), checked before saving so an admin sees every
 * problem next to its field instead of one 422 at a time.
 */

import type { AdminLesson, QuestionIn } from "../adminApi";

export type QuestionKind = "single" | "multiple";

export interface OptionDraft {
  id?: string;
  text: string;
  correct: boolean;
}

export interface QuestionDraft {
  id?: string;
  prompt: string;
  kind: QuestionKind;
  options: OptionDraft[];
  explanation: string;
}

export interface QuizDraft {
  questions: QuestionDraft[];
  passMark: string;
  /** Empty = unlimited attempts. */
  maxAttempts: string;
  /** When learners see the correct answers and explanations. */
  reviewPolicy: ReviewPolicy;
}

export type ReviewPolicy = "after_pass_or_last_attempt" | "after_last_attempt" | "after_submit";
export const REVIEW_POLICIES: ReviewPolicy[] = [
  "after_pass_or_last_attempt",
  "after_last_attempt",
  "after_submit",
];

export const LIMITS = {
  questions: 100,
  options: 10,
  prompt: 2000,
  option: 1000,
  explanation: 5000,
  attempts: 1000,
} as const;

/** An error: where (a field path such as `questions.0.options.1.text`) and which message key. */
export interface QuizError {
  path: string;
  key:
    | "noQuestions"
    | "tooManyQuestions"
    | "promptRequired"
    | "promptTooLong"
    | "tooFewOptions"
    | "tooManyOptions"
    | "optionRequired"
    | "optionTooLong"
    | "noCorrect"
    | "singleNeedsOne"
    | "explanationTooLong"
    | "passMarkRange"
    | "attemptsRange";
}

export function emptyQuestion(): QuestionDraft {
  return {
    prompt: "",
    kind: "single",
    options: [
      { text: "", correct: true },
      { text: "", correct: false },
    ],
    explanation: "",
  };
}

export function emptyQuiz(): QuizDraft {
  return {
    questions: [emptyQuestion()],
    passMark: "70",
    maxAttempts: "",
    reviewPolicy: "after_pass_or_last_attempt",
  };
}

const isInt = (value: string) => /^\d+$/.test(value.trim());

function questionErrors(question: QuestionDraft, index: number): QuizError[] {
  const at = `questions.${index}`;
  const errors: QuizError[] = [];
  const prompt = question.prompt.trim();
  if (!prompt) errors.push({ path: `${at}.prompt`, key: "promptRequired" });
  else if (prompt.length > LIMITS.prompt) errors.push({ path: `${at}.prompt`, key: "promptTooLong" });
  if (question.options.length < 2) errors.push({ path: `${at}.options`, key: "tooFewOptions" });
  if (question.options.length > LIMITS.options)
    errors.push({ path: `${at}.options`, key: "tooManyOptions" });
  question.options.forEach((option, optionIndex) => {
    const path = `${at}.options.${optionIndex}.text`;
    if (!option.text.trim()) errors.push({ path, key: "optionRequired" });
    else if (option.text.length > LIMITS.option) errors.push({ path, key: "optionTooLong" });
  });
  const correct = question.options.filter((option) => option.correct).length;
  if (correct === 0) errors.push({ path: `${at}.correct`, key: "noCorrect" });
  else if (question.kind === "single" && correct !== 1)
    errors.push({ path: `${at}.correct`, key: "singleNeedsOne" });
  if (question.explanation.length > LIMITS.explanation)
    errors.push({ path: `${at}.explanation`, key: "explanationTooLong" });
  return errors;
}

/** Every problem of the quiz; empty when it can be saved. */
export function validateQuiz(quiz: QuizDraft): QuizError[] {
  const errors: QuizError[] = [];
  if (quiz.questions.length === 0) errors.push({ path: "questions", key: "noQuestions" });
  if (quiz.questions.length > LIMITS.questions)
    errors.push({ path: "questions", key: "tooManyQuestions" });
  quiz.questions.forEach((question, index) => errors.push(...questionErrors(question, index)));
  if (!isInt(quiz.passMark) || Number(quiz.passMark) > 100)
    errors.push({ path: "passMark", key: "passMarkRange" });
  const attempts = quiz.maxAttempts.trim();
  if (attempts && (!isInt(attempts) || Number(attempts) < 1 || Number(attempts) > LIMITS.attempts))
    errors.push({ path: "maxAttempts", key: "attemptsRange" });
  return errors;
}

/** Switching a question to single choice keeps only the first correct option. */
export function setKind(question: QuestionDraft, kind: QuestionKind): QuestionDraft {
  if (kind === "multiple") return { ...question, kind };
  const first = question.options.findIndex((option) => option.correct);
  return {
    ...question,
    kind,
    options: question.options.map((option, index) => ({ ...option, correct: index === first })),
  };
}

/** Mark option `index` correct: single choice un-marks the others, multiple toggles it. */
export function toggleCorrect(question: QuestionDraft, index: number): QuestionDraft {
  return {
    ...question,
    options: question.options.map((option, i) =>
      question.kind === "single"
        ? { ...option, correct: i === index }
        : i === index
          ? { ...option, correct: !option.correct }
          : option,
    ),
  };
}

/** The API body parts of a valid draft. */
export function toApi(quiz: QuizDraft): {
  questions: QuestionIn[];
  pass_mark: number;
  max_attempts: number | null;
  review_policy: ReviewPolicy;
} {
  return {
    questions: quiz.questions.map((question) => ({
      ...(question.id ? { id: question.id } : {}),
      prompt: question.prompt.trim(),
      kind: question.kind,
      explanation: question.explanation.trim(),
      options: question.options.map((option) => ({
        ...(option.id ? { id: option.id } : {}),
        text: option.text.trim(),
        correct: option.correct,
      })),
    })),
    pass_mark: Number(quiz.passMark),
    max_attempts: quiz.maxAttempts.trim() ? Number(quiz.maxAttempts) : null,
    review_policy: quiz.reviewPolicy,
  };
}

/** The form model of a stored quiz lesson. */
export function fromLesson(lesson: AdminLesson): QuizDraft {
  if (!lesson.questions) return emptyQuiz();
  return {
    questions: lesson.questions.map((question) => ({
      id: question.id,
      prompt: question.prompt,
      kind: question.kind,
      explanation: question.explanation,
      options: question.options.map((option) => ({ ...option })),
    })),
    passMark: String(lesson.pass_mark ?? 70),
    maxAttempts: lesson.max_attempts == null ? "" : String(lesson.max_attempts),
    reviewPolicy: REVIEW_POLICIES.includes(lesson.review_policy as ReviewPolicy)
      ? (lesson.review_policy as ReviewPolicy)
      : "after_pass_or_last_attempt",
  };
}
