import { Alert, Anchor, Badge, Button, Grid, Group, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError } from "../api/errors";
import { problemMessage } from "../api/problemMessage";
import { useCompleteLesson, useCourse, useLesson, useSubmitAttempt } from "../api/queries";
import { ErrorView } from "../components/ErrorView";
import { Markdown } from "../components/Markdown";
import { PageLoader } from "../components/PageLoader";
import { Quiz } from "../components/Quiz";
import { VideoEmbed } from "../components/VideoEmbed";
import { usePageTitle } from "../lib/usePageTitle";
import { useSession } from "../auth/useSession";
import NotFound from "./NotFound";
import classes from "./Lesson.module.css";

export default function LessonPage() {
  const { slug = "", lessonId = "" } = useParams();
  const { t } = useTranslation();
  const course = useCourse(slug);
  const enrolled = course.data?.is_enrolled ?? false;
  // Admins preview any lesson (drafts included) without enrolling; nothing is recorded.
  const { user } = useSession();
  const preview = !enrolled && user?.role === "admin";
  const lesson = useLesson(lessonId, enrolled || preview);
  const complete = useCompleteLesson();
  const attempt = useSubmitAttempt(lessonId);
  usePageTitle(lesson.data?.title ?? course.data?.title);

  if (course.isPending) return <PageLoader />;
  if (course.isError) {
    if (course.error instanceof ApiError && course.error.status === 404) return <NotFound />;
    return <ErrorView error={course.error} onRetry={() => void course.refetch()} />;
  }
  const data = course.data;
  const backLink = (
    <Anchor component={Link} to={`/courses/${data.slug}`}>
      ← {t("lesson.backToCourse")}
    </Anchor>
  );
  if (!enrolled && !preview) {
    return (
      <Stack>
        {backLink}
        <Alert color="cyan" title={data.title}>
          {t("lesson.notEnrolled")}
        </Alert>
      </Stack>
    );
  }

  const lessons = data.sections.flatMap((section) => section.lessons);
  const index = lessons.findIndex((l) => l.id === lessonId);
  if (index < 0) return <NotFound />;
  const previous = index > 0 ? lessons[index - 1] : undefined;
  const next = index < lessons.length - 1 ? lessons[index + 1] : undefined;
  const done = new Set(data.progress?.completed_lesson_ids ?? []);
  const isDone =
    lesson.data?.progress?.status === "completed" || (done.has(lessonId) && !lesson.data);

  let body = <PageLoader />;
  if (lesson.isError) {
    body =
      lesson.error instanceof ApiError && lesson.error.status === 404 ? (
        <Alert color="red">{t("lesson.notFound")}</Alert>
      ) : (
        <ErrorView error={lesson.error} onRetry={() => void lesson.refetch()} />
      );
  } else if (lesson.data) {
    const l = lesson.data;
    body = (
      <Stack gap="lg">
        <Stack gap={4}>
          <Group gap="xs">
            <Badge variant="light">{t(`course.kind.${l.kind}`)}</Badge>
            {isDone ? (
              <Badge color="teal" data-testid="lesson-done">
                {t("course.completedLesson")}
              </Badge>
            ) : null}
          </Group>
          <Title order={1}>{l.title}</Title>
        </Stack>
        {preview ? (
          <Alert color="yellow" role="note">
            {t("adminConsole.lessonPreview")}
          </Alert>
        ) : null}
        {l.kind === "video" && l.video_url ? <VideoEmbed url={l.video_url} title={l.title} /> : null}
        {l.body_md ? <Markdown source={l.body_md} title={l.title} /> : null}
        {preview ? (
          l.quiz ? (
            <ol data-testid="quiz-preview">
              {l.quiz.questions.map((question) => (
                <li key={question.id}>
                  <Text fw={600}>{question.prompt}</Text>
                  <ul>
                    {question.options.map((option) => (
                      <li key={option.id}>{option.text}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          ) : null
        ) : l.kind === "quiz" && l.quiz ? (
          <Quiz
            key={l.id}
            questions={l.quiz.questions}
            passMark={l.quiz.pass_mark}
            attemptsRemaining={l.progress?.attempts_remaining ?? l.quiz.max_attempts}
            bestScore={l.progress?.best_score ?? null}
            onSubmit={(answers) => attempt.mutateAsync(answers)}
          />
        ) : isDone ? (
          <Alert color="teal" role="status">
            {t("lesson.completed")}
          </Alert>
        ) : (
          <Group>
            <Button loading={complete.isPending} onClick={() => complete.mutate(l.id)}>
              {t("lesson.markComplete")}
            </Button>
          </Group>
        )}
        {complete.isError ? (
          <Alert color="red" role="alert">
            {problemMessage(complete.error, t)}
          </Alert>
        ) : null}
        <Group justify="space-between" component="nav" aria-label={t("lesson.outline")}>
          {previous ? (
            <Button
              component={Link}
              variant="default"
              to={`/courses/${data.slug}/lessons/${previous.id}`}
            >
              ← {t("lesson.previous")}
            </Button>
          ) : (
            <span />
          )}
          {next ? (
            <Button component={Link} variant="default" to={`/courses/${data.slug}/lessons/${next.id}`}>
              {t("lesson.next")} →
            </Button>
          ) : null}
        </Group>
      </Stack>
    );
  }

  return (
    <Grid gap="xl">
      <Grid.Col span={{ base: 12, md: 8 }} order={{ base: 1, md: 2 }}>
        <article>{body}</article>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }} order={{ base: 2, md: 1 }}>
        <Stack gap="sm" component="aside" aria-labelledby="lesson-outline">
          {backLink}
          <Text fw={700} id="lesson-outline">
            {data.title}
          </Text>
          {data.sections.map((section) => (
            <div key={section.id}>
              <Text size="sm" fw={600} c="dimmed">
                {section.title}
              </Text>
              <ol className={classes.outline}>
                {section.lessons.map((item) => (
                  <li key={item.id}>
                    <Link
                      to={`/courses/${data.slug}/lessons/${item.id}`}
                      className={classes.outlineLink}
                      aria-current={item.id === lessonId ? "page" : undefined}
                    >
                      <span aria-hidden="true" className={classes.mark}>
                        {done.has(item.id) ? "✓" : "○"}
                      </span>
                      {item.title}
                      {done.has(item.id) ? (
                        <span className="visually-hidden"> ({t("course.completedLesson")})</span>
                      ) : null}
                    </Link>
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
