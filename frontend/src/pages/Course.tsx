import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "react-router";
import { ApiError } from "../api/errors";
import { problemMessage } from "../api/problemMessage";
import { useCourse, useEnroll } from "../api/queries";
import type { CourseDetail } from "../api/types";
import { useSession } from "../auth/useSession";
import { EnrolledPanel } from "../components/EnrolledPanel";
import { ErrorView } from "../components/ErrorView";
import { Markdown } from "../components/Markdown";
import { PageLoader } from "../components/PageLoader";
import { useLabels } from "../lib/labels";
import { usePageTitle } from "../lib/usePageTitle";
import NotFound from "./NotFound";

/** The lesson a learner should open next: the first not yet completed, else the first. */
export function nextLessonId(course: CourseDetail): string | null {
  const lessons = course.sections.flatMap((section) => section.lessons);
  const done = new Set(course.progress?.completed_lesson_ids ?? []);
  return (
    course.progress?.next_lesson_id ??
    (lessons.find((lesson) => !done.has(lesson.id)) ?? lessons[0])?.id ??
    null
  );
}

export default function CoursePage() {
  const { slug = "" } = useParams();
  const { t } = useTranslation();
  const labels = useLabels();
  const location = useLocation();
  const { user } = useSession();
  const course = useCourse(slug);
  const enrolled = course.data?.is_enrolled ?? false;
  const enroll = useEnroll();
  usePageTitle(course.data?.title);

  if (course.isPending) return <PageLoader />;
  if (course.isError) {
    if (course.error instanceof ApiError && course.error.status === 404) return <NotFound />;
    return <ErrorView error={course.error} onRetry={() => void course.refetch()} />;
  }
  const data = course.data;
  const lessonCount = data.sections.reduce((sum, section) => sum + section.lessons.length, 0);
  const completed = new Set(data.progress?.completed_lesson_ids ?? []);
  const target = nextLessonId(data);
  // Only admins can open a draft (preview); it takes no enrolments until published.
  const isDraft = data.status === "draft";

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Group gap="xs">
          {isDraft ? (
            <Badge color="yellow" variant="filled" autoContrast>
              {t("adminConsole.draftBadge")}
            </Badge>
          ) : null}
          <Badge variant="light">{labels.level(data.level)}</Badge>
          <Badge variant="outline" color="gray">
            {labels.courseLanguage(data.language)}
          </Badge>
          {data.tags.map((tag) => (
            <Badge key={tag} variant="dot" color="gray">
              {tag}
            </Badge>
          ))}
        </Group>
        <Title order={1}>{data.title}</Title>
        <Text size="lg">{data.summary}</Text>
        <Text size="sm" c="dimmed">
          {t("course.lessons", { count: lessonCount })}
          {data.estimated_minutes ? ` · ${t("course.minutes", { count: data.estimated_minutes })}` : ""}
        </Text>
      </Stack>

      <Card withBorder padding="md">
        {isDraft ? (
          <Stack gap="sm">
            <Alert color="yellow" role="note">
              {t("adminConsole.draftCourseNotice")}
            </Alert>
            {target ? (
              <Group>
                <Button variant="light" component={Link} to={`/courses/${data.slug}/lessons/${target}`}>
                  {t("course.start")}
                </Button>
              </Group>
            ) : null}
          </Stack>
        ) : !user ? (
          <Button
            component={Link}
            to={`/login?${new URLSearchParams({ next: location.pathname }).toString()}`}
          >
            {t("course.loginToEnroll")}
          </Button>
        ) : enrolled ? (
          <EnrolledPanel course={data} nextLesson={target} />
        ) : (
          <Button loading={enroll.isPending} onClick={() => enroll.mutate(data.id)}>
            {enroll.isPending ? t("course.enrolling") : t("course.enroll")}
          </Button>
        )}
        {enroll.isError ? (
          <Alert color="red" role="alert" mt="sm">
            {problemMessage(enroll.error, t)}
          </Alert>
        ) : null}
      </Card>

      {data.description_md ? <Markdown source={data.description_md} title={data.title} /> : null}

      <section aria-labelledby="outline-title">
        <Title order={2} id="outline-title" mb="sm">
          {t("course.outline")}
        </Title>
        <Stack gap="md">
          {data.sections.map((section) => (
            <Card key={section.id} withBorder padding="md" component="section">
              <Title order={3} size="h4" mb="xs">
                {section.title}
              </Title>
              <ol style={{ margin: 0, paddingLeft: "1.25rem" }}>
                {section.lessons.map((lesson) => (
                  <li key={lesson.id} style={{ padding: "0.25rem 0" }}>
                    <Group gap="xs" wrap="nowrap" align="baseline">
                      {enrolled || isDraft ? (
                        <Anchor component={Link} to={`/courses/${data.slug}/lessons/${lesson.id}`}>
                          {lesson.title}
                        </Anchor>
                      ) : (
                        <Text span>{lesson.title}</Text>
                      )}
                      <Text span size="xs" c="dimmed">
                        {t(`course.kind.${lesson.kind}`)}
                        {lesson.duration_minutes
                          ? ` · ${t("course.minutes", { count: lesson.duration_minutes })}`
                          : ""}
                      </Text>
                      {completed.has(lesson.id) ? (
                        <ThemeIcon size="sm" color="teal" radius="xl" aria-hidden="true">
                          ✓
                        </ThemeIcon>
                      ) : null}
                      {completed.has(lesson.id) ? (
                        <span className="visually-hidden">{t("course.completedLesson")}</span>
                      ) : null}
                    </Group>
                  </li>
                ))}
              </ol>
            </Card>
          ))}
        </Stack>
      </section>
    </Stack>
  );
}
