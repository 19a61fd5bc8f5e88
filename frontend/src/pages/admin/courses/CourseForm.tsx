import { Button, Group, NativeSelect, NumberInput, SimpleGrid, Stack, TextInput, Textarea } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../../api/errors";
import type { CourseLevel } from "../../../api/types";
import { useLabels } from "../../../lib/labels";
import type { AdminCourse, CourseCreate } from "../adminApi";
import { ProblemAlert } from "../ui";
import { MarkdownField } from "./MarkdownField";

const LEVELS: CourseLevel[] = ["beginner", "intermediate", "advanced"];
const LANGUAGES = ["id", "en"];
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface CourseFields {
  title: string;
  slug: string;
  summary: string;
  description_md: string;
  level: CourseLevel;
  tags: string;
  language: string;
  estimated_minutes: number;
}

export function fieldsOf(course?: AdminCourse): CourseFields {
  return {
    title: course?.title ?? "",
    slug: course?.slug ?? "",
    summary: course?.summary ?? "",
    description_md: course?.description_md ?? "",
    level: course?.level ?? "beginner",
    tags: course?.tags.join(", ") ?? "",
    language: course?.language ?? "id",
    estimated_minutes: course?.estimated_minutes ?? 0,
  };
}

/** The API body: tags split on commas, an empty slug left out (derived from the title). */
export function toBody(fields: CourseFields): CourseCreate {
  const tags = fields.tags
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
  return {
    title: fields.title.trim(),
    ...(fields.slug.trim() ? { slug: fields.slug.trim() } : {}),
    summary: fields.summary.trim(),
    description_md: fields.description_md,
    level: fields.level,
    tags,
    language: fields.language,
    estimated_minutes: fields.estimated_minutes,
  };
}

/** Create or edit a course's metadata. */
export function CourseForm({
  course,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  course?: AdminCourse;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (body: CourseCreate) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [fields, setFields] = useState<CourseFields>(() => fieldsOf(course));
  const [touched, setTouched] = useState(false);
  const set = <K extends keyof CourseFields>(name: K, value: CourseFields[K]) =>
    setFields((current) => ({ ...current, [name]: value }));
  const tagCount = toBody(fields).tags?.length ?? 0;
  const errors = {
    title: fields.title.trim() ? null : t("errors.required"),
    slug: !fields.slug.trim() || SLUG.test(fields.slug.trim()) ? null : t("adminConsole.courses.fields.slugHint"),
    tags: tagCount <= 10 ? null : t("adminConsole.courses.fields.tagsHint"),
  };
  const serverError = (field: string) =>
    error instanceof ApiError ? error.fieldMessage(field) : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.values(errors).some(Boolean)) return;
    onSubmit(toBody(fields));
  };
  const show = (message: string | null) => (touched ? message : null);

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ProblemAlert error={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label={t("adminConsole.courses.fields.title")}
            required
            value={fields.title}
            onChange={(event) => set("title", event.currentTarget.value)}
            error={show(errors.title) ?? serverError("title")}
            maxLength={200}
          />
          <TextInput
            label={t("adminConsole.courses.fields.slug")}
            description={t("adminConsole.courses.fields.slugHint")}
            value={fields.slug}
            onChange={(event) => set("slug", event.currentTarget.value)}
            error={show(errors.slug) ?? serverError("slug")}
            maxLength={120}
          />
        </SimpleGrid>
        <Textarea
          label={t("adminConsole.courses.fields.summary")}
          value={fields.summary}
          onChange={(event) => set("summary", event.currentTarget.value)}
          maxLength={500}
          autosize
          minRows={2}
        />
        <MarkdownField
          label={t("adminConsole.courses.fields.description")}
          value={fields.description_md}
          onChange={(value) => set("description_md", value)}
          minRows={6}
        />
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
          <NativeSelect
            label={t("adminConsole.courses.fields.level")}
            value={fields.level}
            onChange={(event) => set("level", event.currentTarget.value as CourseLevel)}
            data={LEVELS.map((value) => ({ value, label: labels.level(value) }))}
          />
          <NativeSelect
            label={t("adminConsole.courses.fields.language")}
            value={fields.language}
            onChange={(event) => set("language", event.currentTarget.value)}
            data={LANGUAGES.map((value) => ({ value, label: labels.courseLanguage(value) }))}
          />
          <TextInput
            label={t("adminConsole.courses.fields.tags")}
            description={t("adminConsole.courses.fields.tagsHint")}
            value={fields.tags}
            onChange={(event) => set("tags", event.currentTarget.value)}
            error={show(errors.tags)}
          />
          <NumberInput
            label={t("adminConsole.courses.fields.minutes")}
            value={fields.estimated_minutes}
            onChange={(value) => set("estimated_minutes", typeof value === "number" ? value : 0)}
            min={0}
            max={100000}
            allowDecimal={false}
          />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
