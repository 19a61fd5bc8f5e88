import { Anchor, Stack, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { usePageTitle } from "../../../lib/usePageTitle";
import { createCourse } from "../adminApi";
import { CourseForm } from "./CourseForm";

/** /admin/courses/new: a draft course; sections and lessons are added on its own page. */
export default function CourseNew() {
  const { t } = useTranslation();
  usePageTitle(t("adminConsole.courses.createTitle"));
  const navigate = useNavigate();
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: createCourse,
    onSuccess: async (course) => {
      await client.invalidateQueries({ queryKey: ["admin", "courses"] });
      void navigate(`/admin/courses/${course.id}`);
    },
  });
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/admin/courses">
        ← {t("adminConsole.courses.title")}
      </Anchor>
      <Title order={1}>{t("adminConsole.courses.createTitle")}</Title>
      <CourseForm
        submitLabel={t("adminConsole.courses.create")}
        pending={create.isPending}
        error={create.error}
        onSubmit={(body) => create.mutate(body)}
      />
    </Stack>
  );
}
