import { Anchor, Badge, Card, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { CourseSummary } from "../api/types";
import { useLabels } from "../lib/labels";

export function CourseCard({ course }: { course: CourseSummary }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <Card withBorder padding="lg" component="article" h="100%">
      <Group gap="xs" mb="xs">
        <Badge variant="light">{labels.level(course.level)}</Badge>
        <Badge variant="outline" color="gray">
          {labels.courseLanguage(course.language)}
        </Badge>
      </Group>
      <Text component="h3" fw={700} size="lg" mb={4}>
        <Anchor component={Link} to={`/courses/${course.slug}`} c="inherit">
          {course.title}
        </Anchor>
      </Text>
      <Text size="sm" c="dimmed" lineClamp={3}>
        {course.summary}
      </Text>
      {course.estimated_minutes ? (
        <Text size="xs" c="dimmed" mt="sm">
          {t("course.minutes", { count: course.estimated_minutes })}
        </Text>
      ) : null}
    </Card>
  );
}
