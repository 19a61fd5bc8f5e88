import { Alert, Button, Group, Modal, Progress, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { problemMessage } from "../api/problemMessage";
import { useMyCertificates, useUnenroll } from "../api/queries";
import type { CourseDetail } from "../api/types";
import { formatDate } from "../lib/dates";

/** The course page's panel for an enrolled learner: progress, or the completion state. */
export function EnrolledPanel({ course, nextLesson }: { course: CourseDetail; nextLesson: string | null }) {
  const { t, i18n } = useTranslation();
  const percent = Math.round(course.progress?.percent ?? 0);
  const completedAt = course.progress?.completed_at ?? null;
  const certificates = useMyCertificates(completedAt !== null);
  const certificate = certificates.data?.get(course.id);
  const started = (course.progress?.completed_lesson_ids.length ?? 0) > 0;

  if (completedAt) {
    return (
      <Stack gap="sm" data-testid="course-completed">
        <Alert color="teal" title={t("learner.completion.title")} role="status">
          {t("learner.completion.body", { date: formatDate(completedAt, i18n.language) })}
        </Alert>
        <Group>
          {certificate ? (
            <Button component={Link} to={`/certificates/${certificate.code}`}>
              {t("learner.completion.certificate")}
            </Button>
          ) : null}
          {nextLesson ? (
            <Button
              component={Link}
              to={`/courses/${course.slug}/lessons/${nextLesson}`}
              variant="light"
            >
              {t("learner.completion.review")}
            </Button>
          ) : null}
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap="sm">
      <Text fw={600}>{t("course.enrolled")}</Text>
      <Progress value={percent} aria-label={t("course.progress", { percent })} size="lg" />
      <Text size="sm">{t("course.progress", { percent })}</Text>
      <Group>
        {nextLesson ? (
          <Button component={Link} to={`/courses/${course.slug}/lessons/${nextLesson}`}>
            {started ? t("course.continue") : t("course.start")}
          </Button>
        ) : null}
        <UnenrollButton course={course} />
      </Group>
    </Stack>
  );
}

/** Leaving a course asks first and says that progress is kept. */
function UnenrollButton({ course }: { course: CourseDetail }) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const unenroll = useUnenroll();
  return (
    <>
      <Button variant="subtle" color="gray" onClick={open}>
        {t("course.unenroll")}
      </Button>
      <Modal opened={opened} onClose={close} title={t("learner.unenroll.title")} centered>
        <Stack>
          <Text>{t("learner.unenroll.body", { title: course.title })}</Text>
          {unenroll.isError ? (
            <Alert color="red" role="alert">
              {problemMessage(unenroll.error, t)}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              {t("learner.unenroll.cancel")}
            </Button>
            <Button
              color="red"
              loading={unenroll.isPending}
              onClick={() => unenroll.mutate(course.id, { onSuccess: close })}
            >
              {t("learner.unenroll.confirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
