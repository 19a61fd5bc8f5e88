import { Alert, Badge, Button, Checkbox, Group, Radio, Stack, Text } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { AnswerInput, AttemptResult, QuizQuestion } from "../api/types";
import { problemMessage } from "../api/problemMessage";
import classes from "./Quiz.module.css";

interface QuizProps {
  questions: QuizQuestion[];
  passMark: number;
  /** null = unlimited */
  attemptsRemaining?: number | null;
  bestScore?: number | null;
  onSubmit: (answers: AnswerInput[]) => Promise<AttemptResult>;
}

/**
 * A quiz as a form: one fieldset per question (radio buttons for one answer, checkboxes for
 * several). After submitting, every question shows whether it was right and the explanation.
 */
export function Quiz({
  questions,
  passMark,
  attemptsRemaining = null,
  bestScore = null,
  onSubmit,
}: QuizProps) {
  const { t } = useTranslation();
  const [answers, setAnswers] = useState<Record<string, string[]>>({});
  const [result, setResult] = useState<AttemptResult | null>(null);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const setAnswer = (questionId: string, optionIds: string[]) => {
    setAnswers((current) => ({ ...current, [questionId]: optionIds }));
    setProblem(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (questions.some((q) => !answers[q.id]?.length)) {
      setProblem(t("quiz.unanswered"));
      return;
    }
    setPending(true);
    try {
      const payload = questions.map((q) => ({ question_id: q.id, option_ids: answers[q.id] ?? [] }));
      setResult(await onSubmit(payload));
    } catch (error) {
      setProblem(problemMessage(error, t));
    } finally {
      setPending(false);
    }
  };

  const retry = () => {
    setResult(null);
    setAnswers({});
  };

  const remaining = result ? result.attempts_remaining : attemptsRemaining;
  const exhausted = remaining === 0;
  const feedback = new Map(result?.questions.map((r) => [r.question_id, r]) ?? []);

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label={t("quiz.title")}>
      <Stack gap="lg">
        <Text>{t("quiz.instructions", { passMark })}</Text>
        {bestScore !== null && !result ? (
          <Text size="sm" c="dimmed">
            {t("quiz.bestScore", { score: bestScore })}
          </Text>
        ) : null}
        {exhausted && !result ? (
          <Alert color="gray" role="status">
            {t("quiz.noAttemptsLeft")}
          </Alert>
        ) : null}
        {questions.map((question, index) => {
          const questionResult = feedback.get(question.id);
          const selected = answers[question.id] ?? [];
          const legend = (
            <>
              <span className="visually-hidden">{t("quiz.question", { number: index + 1 })}: </span>
              {question.prompt}
            </>
          );
          const description = question.kind === "multiple" ? t("quiz.chooseMany") : t("quiz.chooseOne");
          const correctText = questionResult?.correct_option_ids
            ?.map((id) => question.options.find((o) => o.id === id)?.text)
            .filter(Boolean)
            .join(", ");
          return (
            <fieldset
              key={question.id}
              className={classes.question}
              data-testid="quiz-question"
              data-question-id={question.id}
              data-result={questionResult ? (questionResult.correct ? "correct" : "incorrect") : undefined}
              data-correct-options={questionResult?.correct_option_ids?.join(" ")}
            >
              <legend className={classes.legend}>
                {index + 1}. {legend}
              </legend>
              <Text size="sm" c="dimmed" mb="xs">
                {description}
              </Text>
              {question.kind === "multiple" ? (
                <Checkbox.Group value={selected} onChange={(v) => setAnswer(question.id, v)}>
                  <Stack gap="xs">
                    {question.options.map((option) => (
                      <Checkbox
                        key={option.id}
                        value={option.id}
                        label={option.text}
                        disabled={result !== null || exhausted}
                      />
                    ))}
                  </Stack>
                </Checkbox.Group>
              ) : (
                <Radio.Group
                  name={`q-${question.id}`}
                  value={selected[0] ?? null}
                  onChange={(v) => setAnswer(question.id, [v])}
                >
                  <Stack gap="xs">
                    {question.options.map((option) => (
                      <Radio
                        key={option.id}
                        value={option.id}
                        label={option.text}
                        disabled={result !== null || exhausted}
                      />
                    ))}
                  </Stack>
                </Radio.Group>
              )}
              {questionResult ? (
                <Stack gap={4} mt="sm" aria-live="polite">
                  <Group gap="xs">
                    <Badge color={questionResult.correct ? "teal" : "red"}>
                      {questionResult.correct ? t("quiz.correct") : t("quiz.incorrect")}
                    </Badge>
                  </Group>
                  {!questionResult.correct && correctText ? (
                    <Text size="sm" data-testid="correct-answer">
                      {t("quiz.correctAnswer", { answer: correctText })}
                    </Text>
                  ) : null}
                  {questionResult.explanation ? (
                    <Text size="sm" c="dimmed">
                      {questionResult.explanation}
                    </Text>
                  ) : null}
                </Stack>
              ) : null}
            </fieldset>
          );
        })}
        {problem ? (
          <Alert color="red" role="alert">
            {problem}
          </Alert>
        ) : null}
        {result ? (
          <Alert
            color={result.passed ? "teal" : "orange"}
            role="status"
            data-testid="quiz-result"
            data-passed={result.passed}
            title={
              result.passed
                ? t("quiz.passed", { score: Math.round(result.score) })
                : t("quiz.failed", { score: Math.round(result.score), passMark: result.pass_mark })
            }
          >
            {remaining !== null ? (
              <Text size="sm">
                {exhausted ? t("quiz.noAttemptsLeft") : t("quiz.attemptsLeft", { count: remaining })}
              </Text>
            ) : null}
            {!result.answers_revealed ? (
              <Text size="sm" data-testid="answers-hidden">
                {t("learner.quizAnswersHidden")}
              </Text>
            ) : null}
            {!result.passed && !exhausted ? (
              <Button variant="light" onClick={retry} mt="xs">
                {t("quiz.retry")}
              </Button>
            ) : null}
          </Alert>
        ) : exhausted ? null : (
          <Group>
            <Button type="submit" loading={pending}>
              {pending ? t("quiz.submitting") : t("quiz.submit")}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
