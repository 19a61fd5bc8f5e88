import { Anchor, Button, Card, Group, Progress, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMyCourses } from "../api/queries";
import type { MyCourse } from "../api/types";
import { ErrorView } from "../components/ErrorView";
import { PageLoader } from "../components/PageLoader";
import { usePageTitle } from "../lib/usePageTitle";

function continueLink(item: MyCourse): string {
  const base = `/courses/${item.course.slug}`;
  const lesson = item.next_lesson_id ?? item.last_lesson_id;
  return lesson ? `${base}/lessons/${lesson}` : base;
}

export default function MyLearning() {
  const { t } = useTranslation();
  usePageTitle(t("myLearning.title"));
  const courses = useMyCourses();

  return (
    <Stack gap="lg">
      <Title order={1}>{t("myLearning.title")}</Title>
      {courses.isPending ? (
        <PageLoader />
      ) : courses.isError ? (
        <ErrorView error={courses.error} onRetry={() => void courses.refetch()} />
      ) : courses.data.items.length === 0 ? (
        <Stack align="flex-start">
          <Text>{t("myLearning.empty")}</Text>
          <Button component={Link} to="/courses">
            {t("myLearning.browse")}
          </Button>
        </Stack>
      ) : (
        <SimpleGrid
          cols={{ base: 1, sm: 2 }}
          component="ul"
          style={{ listStyle: "none", padding: 0, margin: 0 }}
        >
          {courses.data.items.map((item) => {
            const percent = Math.round(item.progress_percent);
            const completed = item.status === "completed" || item.completed_at !== null;
            return (
              <li key={item.course.id}>
                <Card withBorder padding="lg" component="article" data-testid="my-course">
                  <Title order={2} size="h4" mb="xs">
                    <Anchor component={Link} to={`/courses/${item.course.slug}`} c="inherit">
                      {item.course.title}
                    </Anchor>
                  </Title>
                  <Progress
                    value={percent}
                    size="lg"
                    color={completed ? "teal" : undefined}
                    aria-label={t("myLearning.progressLabel", { title: item.course.title })}
                    data-testid="progress"
                    data-value={percent}
                  />
                  <Group justify="space-between" mt="sm">
                    <Text size="sm">
                      {completed ? t("myLearning.completed") : `${percent}%`}
                    </Text>
                    <Button component={Link} to={continueLink(item)} size="sm" variant="light">
                      {completed
                        ? t("myLearning.review")
                        : percent > 0
                          ? t("myLearning.continue")
                          : t("myLearning.start")}
                    </Button>
                  </Group>
                </Card>
              </li>
            );
          })}
        </SimpleGrid>
      )}
    </Stack>
  );
}
