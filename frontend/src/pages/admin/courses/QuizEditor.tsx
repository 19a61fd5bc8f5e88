import {
  ActionIcon,
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import {
  emptyQuestion,
  LIMITS,
  REVIEW_POLICIES,
  setKind,
  toggleCorrect,
  type QuestionDraft,
  type QuestionKind,
  type QuizDraft,
  type QuizError,
  type ReviewPolicy,
} from "./quizValidation";

/** Questions, options, correct answers, explanations, pass mark and attempts limit. */
export function QuizEditor({
  value,
  onChange,
  errors,
}: {
  value: QuizDraft;
  onChange: (value: QuizDraft) => void;
  errors: QuizError[];
}) {
  const { t } = useTranslation();
  const errorAt = (path: string) => {
    const error = errors.find((e) => e.path === path);
    return error ? t(`adminConsole.quiz.errors.${error.key}`) : null;
  };
  const setQuestion = (index: number, question: QuestionDraft) =>
    onChange({ ...value, questions: value.questions.map((q, i) => (i === index ? question : q)) });

  return (
    <Stack gap="md">
      <Card withBorder component="fieldset" style={{ margin: 0 }}>
        <legend>
          <Text fw={600}>{t("adminConsole.quiz.settings")}</Text>
        </legend>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
          <TextInput
            label={t("adminConsole.quiz.passMark")}
            inputMode="numeric"
            value={value.passMark}
            onChange={(event) => onChange({ ...value, passMark: event.currentTarget.value })}
            error={errorAt("passMark")}
            required
          />
          <TextInput
            label={t("adminConsole.quiz.maxAttempts")}
            description={t("adminConsole.quiz.maxAttemptsHint")}
            inputMode="numeric"
            value={value.maxAttempts}
            onChange={(event) => onChange({ ...value, maxAttempts: event.currentTarget.value })}
            error={errorAt("maxAttempts")}
          />
          <NativeSelect
            label={t("adminConsole.quiz.reviewPolicy")}
            value={value.reviewPolicy}
            onChange={(event) => {
              const next = event.currentTarget.value as ReviewPolicy;
              if (REVIEW_POLICIES.includes(next)) onChange({ ...value, reviewPolicy: next });
            }}
            data={REVIEW_POLICIES.map((policy) => ({
              value: policy,
              label: t(`adminConsole.quiz.reviewPolicies.${policy}`),
            }))}
          />
        </SimpleGrid>
      </Card>

      <Title order={2} size="h4">
        {t("adminConsole.quiz.questions")}
      </Title>
      {errorAt("questions") ? (
        <Text c="red.8" role="alert">
          {errorAt("questions")}
        </Text>
      ) : null}
      {value.questions.map((question, index) => (
        <QuestionCard
          key={index}
          index={index}
          question={question}
          onChange={(next) => setQuestion(index, next)}
          onRemove={
            value.questions.length > 1
              ? () => onChange({ ...value, questions: value.questions.filter((_, i) => i !== index) })
              : undefined
          }
          errorAt={errorAt}
        />
      ))}
      <Group>
        <Button
          variant="light"
          disabled={value.questions.length >= LIMITS.questions}
          onClick={() => onChange({ ...value, questions: [...value.questions, emptyQuestion()] })}
        >
          + {t("adminConsole.quiz.addQuestion")}
        </Button>
      </Group>
    </Stack>
  );
}

function QuestionCard({
  index,
  question,
  onChange,
  onRemove,
  errorAt,
}: {
  index: number;
  question: QuestionDraft;
  onChange: (question: QuestionDraft) => void;
  onRemove?: () => void;
  errorAt: (path: string) => string | null;
}) {
  const { t } = useTranslation();
  const at = `questions.${index}`;
  const n = index + 1;
  const setOption = (optionIndex: number, text: string) =>
    onChange({
      ...question,
      options: question.options.map((o, i) => (i === optionIndex ? { ...o, text } : o)),
    });
  const correctError = errorAt(`${at}.correct`) ?? errorAt(`${at}.options`);
  return (
    <Card withBorder component="fieldset" style={{ margin: 0 }} data-testid={`question-${n}`}>
      <legend>
        <Text fw={600}>{t("adminConsole.quiz.question", { n })}</Text>
      </legend>
      <Stack gap="sm">
        <Textarea
          label={t("adminConsole.quiz.prompt")}
          value={question.prompt}
          onChange={(event) => onChange({ ...question, prompt: event.currentTarget.value })}
          error={errorAt(`${at}.prompt`)}
          autosize
          minRows={2}
          required
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id={`${at}-kind`}>
            {t("adminConsole.quiz.kind")}
          </Text>
          <SegmentedControl
            aria-labelledby={`${at}-kind`}
            value={question.kind}
            onChange={(kind) => onChange(setKind(question, kind as QuestionKind))}
            data={[
              { value: "single", label: t("adminConsole.quiz.single") },
              { value: "multiple", label: t("adminConsole.quiz.multiple") },
            ]}
            fullWidth
          />
        </Stack>
        <Text size="sm" fw={500}>
          {t("adminConsole.quiz.options")}
        </Text>
        {question.options.map((option, optionIndex) => {
          const label = t("adminConsole.quiz.option", { n: optionIndex + 1 });
          const correctLabel = `${t("adminConsole.quiz.correct")}: ${label}`;
          return (
            <Group key={optionIndex} align="flex-start" wrap="nowrap" gap="xs">
              <div style={{ paddingTop: "2rem" }}>
                {question.kind === "single" ? (
                  <Radio
                    name={`${at}-correct`}
                    aria-label={correctLabel}
                    checked={option.correct}
                    onChange={() => onChange(toggleCorrect(question, optionIndex))}
                  />
                ) : (
                  <Checkbox
                    aria-label={correctLabel}
                    checked={option.correct}
                    onChange={() => onChange(toggleCorrect(question, optionIndex))}
                  />
                )}
              </div>
              <TextInput
                style={{ flex: 1 }}
                label={label}
                value={option.text}
                onChange={(event) => setOption(optionIndex, event.currentTarget.value)}
                error={errorAt(`${at}.options.${optionIndex}.text`)}
                required
              />
              <ActionIcon
                mt="1.75rem"
                variant="subtle"
                color="red"
                aria-label={t("adminConsole.quiz.removeOption", { n: optionIndex + 1 })}
                disabled={question.options.length <= 2}
                onClick={() =>
                  onChange({ ...question, options: question.options.filter((_, i) => i !== optionIndex) })
                }
              >
                <span aria-hidden="true">✕</span>
              </ActionIcon>
            </Group>
          );
        })}
        {correctError ? (
          <Text c="red.8" size="sm" role="alert">
            {correctError}
          </Text>
        ) : null}
        <Group>
          <Button
            size="xs"
            variant="subtle"
            disabled={question.options.length >= LIMITS.options}
            onClick={() => onChange({ ...question, options: [...question.options, { text: "", correct: false }] })}
          >
            + {t("adminConsole.quiz.addOption")}
          </Button>
        </Group>
        <Textarea
          label={t("adminConsole.quiz.explanation")}
          value={question.explanation}
          onChange={(event) => onChange({ ...question, explanation: event.currentTarget.value })}
          error={errorAt(`${at}.explanation`)}
          autosize
          minRows={2}
        />
        {onRemove ? (
          <Group justify="flex-end">
            <Button size="xs" variant="subtle" color="red" onClick={onRemove}>
              {t("adminConsole.quiz.removeQuestion", { n })}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Card>
  );
}
