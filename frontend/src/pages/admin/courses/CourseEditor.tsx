import { Alert, Anchor, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../../api/errors";
import { PageLoader } from "../../../components/PageLoader";
import { usePageTitle } from "../../../lib/usePageTitle";
import NotFound from "../../NotFound";
import { useAdminCourse, useCourseChange, type AdminCourse, type CourseChange } from "../adminApi";
import { ConfirmButton, Notice, ProblemAlert, StatusBadges } from "../ui";
import { CourseForm } from "./CourseForm";
import { StructureEditor } from "./StructureEditor";

/** /admin/courses/:courseId: metadata, publishing, sections and lessons of one course. */
export default function CourseEditor() {
  const { courseId = "" } = useParams();
  const { t } = useTranslation();
  const course = useAdminCourse(courseId);
  usePageTitle(course.data?.title ?? t("adminConsole.courses.title"));
  if (course.isPending) return <PageLoader />;
  if (course.isError) {
    if (course.error instanceof ApiError && [404, 422].includes(course.error.status)) return <NotFound />;
    return <ProblemAlert error={course.error} />;
  }
  return <Editor course={course.data} />;
}

function Editor({ course }: { course: AdminCourse }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const change = useCourseChange(course.id);
  const [notice, setNotice] = useState("");
  const apply = (next: CourseChange, success?: (result: unknown) => void) => {
    setNotice("");
    change.mutate(next, { onSuccess: success });
  };
  const lessonCount = course.sections.reduce((sum, s) => sum + s.lessons.length, 0);
  const live = course.status !== "draft";

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/admin/courses">
        ← {t("adminConsole.courses.title")}
      </Anchor>
      <Stack gap={4}>
        <Title order={1}>{course.title}</Title>
        <Group gap="xs">
          <StatusBadges status={course.status} pending={course.has_draft_changes} />
          <Text size="sm" c="dimmed">
            /{course.slug}
          </Text>
          <Anchor component={Link} to={`/admin/audit?record=${course.id}`} size="sm">
            {t("adminConsole.courses.auditHistory")}
          </Anchor>
        </Group>
      </Stack>

      {live ? (
        <Alert color={course.has_draft_changes ? "orange" : "blue"} role="note">
          {t("adminConsole.courses.draftChangesNotice")}
        </Alert>
      ) : null}
      <Notice>{notice}</Notice>
      <ProblemAlert error={change.error} />

      <Card withBorder component="section" aria-labelledby="status-title">
        <Stack gap="sm">
          <Title order={2} size="h3" id="status-title">
            {t("adminConsole.courses.statusActions")}
          </Title>
          <Group wrap="wrap" gap="xs">
            {course.has_draft_changes ? (
              <>
                <Button color="green" onClick={() => apply({ kind: "changes", to: "publish-changes" }, () => setNotice(t("adminConsole.common.saved")))} loading={change.isPending}>
                  {t("adminConsole.courses.publishChanges")}
                </Button>
                <ConfirmButton
                  variant="light"
                  color="orange"
                  message={t("adminConsole.courses.confirmDiscard")}
                  onConfirm={() => apply({ kind: "changes", to: "discard-changes" })}
                >
                  {t("adminConsole.courses.discardChanges")}
                </ConfirmButton>
              </>
            ) : null}
            {course.status !== "published" ? (
              <Button
                color="green"
                variant={course.has_draft_changes ? "light" : "filled"}
                disabled={lessonCount === 0}
                onClick={() => apply({ kind: "status", to: "publish" })}
              >
                {course.status === "archived" ? t("adminConsole.courses.restore") : t("adminConsole.courses.publish")}
              </Button>
            ) : null}
            {course.status !== "draft" ? (
              <Button variant="default" onClick={() => apply({ kind: "status", to: "unpublish" })}>
                {t("adminConsole.courses.unpublish")}
              </Button>
            ) : null}
            {course.status !== "archived" ? (
              <Button variant="default" onClick={() => apply({ kind: "status", to: "archive" })}>
                {t("adminConsole.courses.archive")}
              </Button>
            ) : null}
            <Button variant="light" component={Link} to={`/courses/${course.draft_course_id ?? course.id}`}>
              {t("adminConsole.courses.previewLearner")}
            </Button>
            <ConfirmButton
              variant="subtle"
              color="red"
              message={t("adminConsole.courses.confirmDelete", { title: course.title })}
              onConfirm={() =>
                apply({ kind: "delete" }, (result) => {
                  if (result) setNotice(t("adminConsole.courses.archivedInstead"));
                  else void navigate("/admin/courses");
                })
              }
            >
              {t("adminConsole.courses.deleteCourse")}
            </ConfirmButton>
          </Group>
          {lessonCount === 0 ? <Text size="sm">{t("adminConsole.courses.publishHint")}</Text> : null}
          <Text size="sm" c="dimmed">
            {t("adminConsole.courses.rules")}
          </Text>
        </Stack>
      </Card>

      <Card withBorder component="section" aria-labelledby="structure-title">
        <Stack gap="sm">
          <Title order={2} size="h3" id="structure-title">
            {t("adminConsole.courses.structure")}
          </Title>
          <StructureEditor course={course} apply={(next) => apply(next)} busy={change.isPending} />
        </Stack>
      </Card>

      <Card withBorder component="section" aria-labelledby="metadata-title">
        <Stack gap="sm">
          <Title order={2} size="h3" id="metadata-title">
            {t("adminConsole.courses.metadata")}
          </Title>
          <CourseForm
            key={course.draft_course_id ?? course.id}
            course={course}
            submitLabel={t("adminConsole.common.save")}
            pending={change.isPending}
            error={null}
            onSubmit={(body) => apply({ kind: "update", body }, () => setNotice(t("adminConsole.common.saved")))}
          />
        </Stack>
      </Card>
    </Stack>
  );
}
