import { Alert, Anchor, Badge, Button, Checkbox, Group, SimpleGrid, Stack, TextInput, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { api } from "../../../api/client";
import { ApiError, unwrap } from "../../../api/errors";
import type { LessonKind } from "../../../api/types";
import { PageLoader } from "../../../components/PageLoader";
import { usePageTitle } from "../../../lib/usePageTitle";
import NotFound from "../../NotFound";
import { useCourseChange, type AdminLesson, type LessonCreate } from "../adminApi";
import { ProblemAlert } from "../ui";
import { MarkdownField } from "./MarkdownField";
import { QuizEditor } from "./QuizEditor";
import { emptyQuiz, fromLesson, toApi, validateQuiz, type QuizDraft } from "./quizValidation";

const KINDS: LessonKind[] = ["text", "video", "quiz"];

/** /admin/courses/:courseId/lessons/:lessonId: edit a lesson. */
export function LessonEdit() {
  const { courseId = "", lessonId = "" } = useParams();
  const lesson = useQuery({
    queryKey: ["admin", "lesson", courseId, lessonId],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/admin/courses/{course_id}/lessons/{lesson_id}", {
          params: { path: { course_id: courseId, lesson_id: lessonId } },
        }),
      ),
  });
  if (lesson.isPending) return <PageLoader />;
  if (lesson.isError) {
    if (lesson.error instanceof ApiError && [404, 422].includes(lesson.error.status)) return <NotFound />;
    return <ProblemAlert error={lesson.error} />;
  }
  return <LessonForm courseId={courseId} lesson={lesson.data} kind={lesson.data.kind} />;
}

/** /admin/courses/:courseId/sections/:sectionId/new-lesson?kind=text|video|quiz */
export function LessonNew() {
  const { courseId = "", sectionId = "" } = useParams();
  const [params] = useSearchParams();
  const kindParam = params.get("kind") as LessonKind;
  const kind = KINDS.includes(kindParam) ? kindParam : "text";
  return <LessonForm key={kind} courseId={courseId} sectionId={sectionId} kind={kind} />;
}

function isUrl(value: string): boolean {
  // A video uploaded to the platform (POST /api/v1/admin/media answers its /media/… path).
  if (/^\/media\/[A-Za-z0-9_-]{1,80}\.(mp4|webm)$/.test(value)) return true;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && !/\s/.test(value);
  } catch {
    return false;
  }
}

function LessonForm({
  courseId,
  sectionId,
  lesson,
  kind,
}: {
  courseId: string;
  sectionId?: string;
  lesson?: AdminLesson;
  kind: LessonKind;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const change = useCourseChange(courseId);
  usePageTitle(lesson?.title ?? t("adminConsole.lesson.newTitle"));
  const [title, setTitle] = useState(lesson?.title ?? "");
  const [body, setBody] = useState(lesson?.body_md ?? "");
  const [videoUrl, setVideoUrl] = useState(lesson?.video_url ?? "");
  const [duration, setDuration] = useState(lesson?.duration_minutes == null ? "" : String(lesson.duration_minutes));
  const [required, setRequired] = useState(lesson?.is_required ?? true);
  const [quiz, setQuiz] = useState<QuizDraft>(() => (lesson ? fromLesson(lesson) : emptyQuiz()));
  const [submitted, setSubmitted] = useState(false);

  const quizErrors = kind === "quiz" ? validateQuiz(quiz) : [];
  const errors = {
    title: title.trim() ? null : t("errors.required"),
    body: kind === "text" && !body.trim() ? t("adminConsole.lesson.bodyRequired") : null,
    videoUrl: kind === "video" && !isUrl(videoUrl.trim()) ? t("adminConsole.lesson.urlInvalid") : null,
    duration: duration.trim() && !/^\d+$/.test(duration.trim()) ? t("adminConsole.quiz.errors.attemptsRange") : null,
  };
  const invalid = Object.values(errors).some(Boolean) || quizErrors.length > 0;
  const show = (message: string | null) => (submitted ? message : null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (invalid) return;
    const content: LessonCreate = {
      title: title.trim(),
      kind,
      body_md: body,
      duration_minutes: duration.trim() ? Number(duration) : null,
      is_required: required,
      review_policy: quiz.reviewPolicy,
      ...(kind === "video" ? { video_url: videoUrl.trim() } : {}),
      ...(kind === "quiz" ? toApi(quiz) : {}),
    };
    const back = () => void navigate(`/admin/courses/${courseId}`);
    if (lesson) {
      const { kind: _kind, ...update } = content;
      change.mutate({ kind: "updateLesson", lessonId: lesson.id, body: update }, { onSuccess: back });
    } else if (sectionId) {
      change.mutate({ kind: "addLesson", sectionId, body: content }, { onSuccess: back });
    }
  };

  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/admin/courses/${courseId}`}>
        ← {t("adminConsole.lesson.backToCourse")}
      </Anchor>
      <Group gap="xs">
        <Title order={1}>{lesson ? t("adminConsole.lesson.editTitle") : t("adminConsole.lesson.newTitle")}</Title>
        <Badge variant="light">{t(`adminConsole.courses.kinds.${kind}`)}</Badge>
      </Group>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {submitted && invalid ? (
            <Alert color="red" role="alert">
              {t("adminConsole.lesson.fixErrors")}
            </Alert>
          ) : null}
          <ProblemAlert error={change.error} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label={t("adminConsole.lesson.title")}
              value={title}
              onChange={(event) => setTitle(event.currentTarget.value)}
              error={show(errors.title)}
              maxLength={200}
              required
            />
            <TextInput
              label={t("adminConsole.lesson.duration")}
              inputMode="numeric"
              value={duration}
              onChange={(event) => setDuration(event.currentTarget.value)}
              error={show(errors.duration)}
            />
          </SimpleGrid>
          <Checkbox
            label={t("adminConsole.lesson.required")}
            checked={required}
            onChange={(event) => setRequired(event.currentTarget.checked)}
          />
          {kind === "video" ? (
            <TextInput
              type="url"
              label={t("adminConsole.lesson.videoUrl")}
              description={t("adminConsole.lesson.videoUrlHint")}
              value={videoUrl}
              onChange={(event) => setVideoUrl(event.currentTarget.value)}
              error={show(errors.videoUrl)}
              required
            />
          ) : null}
          <MarkdownField
            label={
              kind === "text"
                ? t("adminConsole.lesson.body")
                : kind === "video"
                  ? t("adminConsole.lesson.transcript")
                  : t("adminConsole.lesson.notes")
            }
            value={body}
            onChange={setBody}
            error={show(errors.body)}
            required={kind === "text"}
            minRows={kind === "text" ? 12 : 4}
          />
          {kind === "quiz" ? (
            <QuizEditor value={quiz} onChange={setQuiz} errors={submitted ? quizErrors : []} />
          ) : null}
          <Group>
            <Button type="submit" loading={change.isPending}>
              {lesson ? t("adminConsole.lesson.save") : t("adminConsole.lesson.create")}
            </Button>
            <Button variant="default" component={Link} to={`/admin/courses/${courseId}`}>
              {t("adminConsole.common.cancel")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
