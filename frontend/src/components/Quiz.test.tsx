import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AttemptResult, QuizQuestion } from "../api/types";
import { renderUI } from "../test/render";
import { Quiz } from "./Quiz";

const questions: QuizQuestion[] = [
  {
    id: "q1",
    prompt: "Dokumen apa yang membuktikan asal barang?",
    kind: "single",
    options: [
      { id: "a", text: "Surat Keterangan Asal" },
      { id: "b", text: "Faktur pajak" },
    ],
  },
  {
    id: "q2",
    prompt: "Pilih Incoterms yang valid",
    kind: "multiple",
    options: [
      { id: "x", text: "FOB" },
      { id: "y", text: "CIF" },
      { id: "z", text: "ABC" },
    ],
  },
];

// As the platform answers: correct answers only after a pass or the last attempt.
function result(passed: boolean, revealed: boolean = passed): AttemptResult {
  return {
    attempt_id: "a1",
    attempt_number: passed ? 2 : 1,
    submitted_at: "2026-01-01T00:00:00Z",
    score: passed ? 100 : 50,
    passed,
    pass_mark: 70,
    best_score: passed ? 100 : 50,
    attempts_used: passed ? 2 : 1,
    attempts_remaining: null,
    max_attempts: null,
    lesson_completed: passed,
    answers_revealed: revealed,
    course: {
      course_id: "c1",
      percent: passed ? 100 : 50,
      completed_lessons: passed ? 2 : 1,
      total_lessons: 2,
      next_lesson_id: null,
      completed_at: null,
      course_completed: passed,
    },
    questions: [
      {
        question_id: "q1",
        correct: !passed ? false : true,
        selected_option_ids: [passed ? "a" : "b"],
        correct_option_ids: revealed ? ["a"] : null,
        explanation: revealed ? "SKA menunjukkan negara asal barang." : null,
      },
      {
        question_id: "q2",
        correct: true,
        selected_option_ids: ["x", "y"],
        correct_option_ids: revealed ? ["x", "y"] : null,
        explanation: revealed ? "" : null,
      },
    ],
  };
}

describe("Quiz", () => {
  it("asks for every answer before submitting", async () => {
    const onSubmit = vi.fn();
    renderUI(<Quiz questions={questions} passMark={70} onSubmit={onSubmit} />);

    await userEvent.click(screen.getByRole("radio", { name: "Surat Keterangan Asal" }));
    await userEvent.click(screen.getByRole("button", { name: "Kirim jawaban" }));

    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole("alert")).toHaveTextContent("Jawab semua pertanyaan");
  });

  it("sends the chosen options and shows feedback, then allows another try", async () => {
    const onSubmit = vi.fn().mockResolvedValue(result(false));
    renderUI(<Quiz questions={questions} passMark={70} onSubmit={onSubmit} />);

    // Questions are labelled groups a screen reader announces.
    expect(screen.getByRole("group", { name: /asal barang/ })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("radio", { name: "Faktur pajak" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "FOB" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "CIF" }));
    await userEvent.click(screen.getByRole("button", { name: "Kirim jawaban" }));

    expect(onSubmit).toHaveBeenCalledWith([
      { question_id: "q1", option_ids: ["b"] },
      { question_id: "q2", option_ids: ["x", "y"] },
    ]);
    expect(await screen.findByText(/Belum lulus\. Nilai Anda 50%/)).toBeInTheDocument();
    expect(screen.queryByText(/Sisa .* percobaan/)).not.toBeInTheDocument(); // unlimited attempts
    // Attempts are left: right or wrong per question, but no correct answer is revealed.
    expect(screen.queryByText(/Jawaban benar/)).not.toBeInTheDocument();
    expect(screen.queryByText("SKA menunjukkan negara asal barang.")).not.toBeInTheDocument();
    expect(screen.getByTestId("answers-hidden")).toHaveTextContent(/setelah Anda lulus/);
    expect(screen.getByRole("radio", { name: "Faktur pajak" })).toBeDisabled();

    await userEvent.click(screen.getByRole("button", { name: "Coba lagi" }));
    expect(screen.getByRole("radio", { name: "Faktur pajak" })).not.toBeChecked();
    expect(screen.getByRole("button", { name: "Kirim jawaban" })).toBeEnabled();
  });

  it("offers no retry once the attempts are used up", async () => {
    const onSubmit = vi
      .fn()
      .mockResolvedValue({ ...result(false, true), attempts_remaining: 0, max_attempts: 3 });
    renderUI(<Quiz questions={questions} passMark={70} attemptsRemaining={1} onSubmit={onSubmit} />);

    await userEvent.click(screen.getByRole("radio", { name: "Faktur pajak" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "FOB" }));
    await userEvent.click(screen.getByRole("button", { name: "Kirim jawaban" }));

    expect(await screen.findByText(/sudah memakai semua percobaan/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Coba lagi" })).not.toBeInTheDocument();
    // The last attempt is spent: now the answers and explanations are shown.
    expect(screen.getByText("Jawaban benar: Surat Keterangan Asal")).toBeInTheDocument();
    expect(screen.getByText("SKA menunjukkan negara asal barang.")).toBeInTheDocument();
  });

  it("cannot be submitted when no attempt is left", () => {
    renderUI(<Quiz questions={questions} passMark={70} attemptsRemaining={0} onSubmit={vi.fn()} />);
    expect(screen.getByRole("status")).toHaveTextContent(/sudah memakai semua percobaan/);
    expect(screen.queryByRole("button", { name: "Kirim jawaban" })).not.toBeInTheDocument();
    expect(screen.getByRole("radio", { name: "Faktur pajak" })).toBeDisabled();
  });

  it("announces a pass", async () => {
    const onSubmit = vi.fn().mockResolvedValue(result(true));
    renderUI(<Quiz questions={questions} passMark={70} onSubmit={onSubmit} />);

    await userEvent.click(screen.getByRole("radio", { name: "Surat Keterangan Asal" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "FOB" }));
    await userEvent.click(screen.getByRole("button", { name: "Kirim jawaban" }));

    expect(await screen.findByText("Lulus! Nilai Anda 100%.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Coba lagi" })).not.toBeInTheDocument();
  });
});
