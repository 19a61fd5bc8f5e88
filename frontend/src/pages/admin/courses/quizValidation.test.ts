import { describe, expect, it } from "vitest";
import {
  emptyQuiz,
  setKind,
  toApi,
  toggleCorrect,
  validateQuiz,
  type QuizDraft,
} from "./quizValidation";

function valid(): QuizDraft {
  return {
    passMark: "70",
    maxAttempts: "3",
    reviewPolicy: "after_pass_or_last_attempt",
    questions: [
      {
        prompt: "Dokumen pabean ekspor?",
        kind: "single",
        explanation: "PEB diajukan lewat CEISA.",
        options: [
          { text: "PEB", correct: true },
          { text: "PIB", correct: false },
        ],
      },
      {
        prompt: "Incoterms laut?",
        kind: "multiple",
        explanation: "",
        options: [
          { text: "FOB", correct: true },
          { text: "CIF", correct: true },
          { text: "DAP", correct: false },
        ],
      },
    ],
  };
}

const keys = (quiz: QuizDraft) => validateQuiz(quiz).map((e) => `${e.path}:${e.key}`);

describe("validateQuiz", () => {
  it("accepts a valid quiz", () => {
    expect(validateQuiz(valid())).toEqual([]);
  });

  it("needs a question, a prompt and non-empty options", () => {
    expect(keys({ ...valid(), questions: [] })).toEqual(["questions:noQuestions"]);
    const quiz = valid();
    quiz.questions[0]!.prompt = "   ";
    quiz.questions[0]!.options[1]!.text = "";
    expect(keys(quiz)).toEqual([
      "questions.0.prompt:promptRequired",
      "questions.0.options.1.text:optionRequired",
    ]);
  });

  it("needs two options and a correct one; single choice exactly one", () => {
    const quiz = valid();
    quiz.questions[0]!.options = [{ text: "PEB", correct: true }];
    quiz.questions[1]!.options.forEach((o) => (o.correct = false));
    expect(keys(quiz)).toEqual(["questions.0.options:tooFewOptions", "questions.1.correct:noCorrect"]);
    const single = valid();
    single.questions[0]!.options[1]!.correct = true;
    expect(keys(single)).toEqual(["questions.0.correct:singleNeedsOne"]);
  });

  it("checks the pass mark (0-100) and the attempts limit (empty or 1-1000)", () => {
    expect(keys({ ...valid(), passMark: "101" })).toEqual(["passMark:passMarkRange"]);
    expect(keys({ ...valid(), passMark: "" })).toEqual(["passMark:passMarkRange"]);
    expect(keys({ ...valid(), passMark: "7.5" })).toEqual(["passMark:passMarkRange"]);
    expect(keys({ ...valid(), passMark: "0" })).toEqual([]);
    expect(keys({ ...valid(), maxAttempts: "0" })).toEqual(["maxAttempts:attemptsRange"]);
    expect(keys({ ...valid(), maxAttempts: "abc" })).toEqual(["maxAttempts:attemptsRange"]);
    expect(keys({ ...valid(), maxAttempts: "" })).toEqual([]);
  });

  it("limits lengths like the API does", () => {
    const quiz = valid();
    quiz.questions[0]!.explanation = "x".repeat(5001);
    quiz.questions[0]!.options[0]!.text = "x".repeat(1001);
    expect(keys(quiz)).toEqual([
      "questions.0.options.0.text:optionTooLong",
      "questions.0.explanation:explanationTooLong",
    ]);
  });

  it("starts new quizzes with one question that still needs text", () => {
    expect(keys(emptyQuiz())).toEqual([
      "questions.0.prompt:promptRequired",
      "questions.0.options.0.text:optionRequired",
      "questions.0.options.1.text:optionRequired",
    ]);
  });
});

describe("editing helpers", () => {
  it("single choice keeps one correct option; multiple toggles", () => {
    const multiple = valid().questions[1]!;
    const single = setKind(multiple, "single");
    expect(single.options.map((o) => o.correct)).toEqual([true, false, false]);
    expect(toggleCorrect(single, 2).options.map((o) => o.correct)).toEqual([false, false, true]);
    expect(toggleCorrect(multiple, 2).options.map((o) => o.correct)).toEqual([true, true, true]);
    expect(toggleCorrect(multiple, 0).options.map((o) => o.correct)).toEqual([false, true, false]);
  });

  it("builds the API body: trimmed text, null for unlimited attempts", () => {
    const quiz = { ...valid(), maxAttempts: " " };
    quiz.questions[0]!.prompt = "  Dokumen?  ";
    const body = toApi(quiz);
    expect(body.pass_mark).toBe(70);
    expect(body.max_attempts).toBeNull();
    expect(body.questions[0]).toMatchObject({ prompt: "Dokumen?", kind: "single" });
    expect(body.questions[0]!.options).toEqual([
      { text: "PEB", correct: true },
      { text: "PIB", correct: false },
    ]);
  });
});
