import {
  Anchor,
  Button,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMyCertificates, useMyCourses } from "../api/queries";
import type { MyCourse } from "../api/types";
import { ErrorView } from "../components/ErrorView";
import { PageLoader } from "../components/PageLoader";
import { formatDate } from "../lib/dates";
import { usePageTitle } from "../lib/usePageTitle";

function continueLink(item: MyCourse): string {
  const base = `/courses/${item.course.slug}`;
  const lesson = item.next_lesson_id ?? item.last_lesson_id;
  return lesson ? `${base}/lessons/${lesson}` : base;
}

function CourseGrid({ items }: { items: MyCourse[] }) {
  const { t, i18n } = useTranslation();
  const certificates = useMyCertificates(items.some((item) => item.completed_at !== null));
  return (
    <SimpleGrid
      cols={{ base: 1, sm: 2 }}
      component="ul"
      style={{ listStyle: "none", padding: 0, margin: 0 }}
    >
      {items.map((item) => {
        const percent = Math.round(item.progress_percent);
        const completed = item.status === "completed" || item.completed_at !== null;
        const certificate = certificates.data?.get(item.course.id);
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
                  {completed
                    ? t("learner.myLearning.completedOn", {
                        date: formatDate(item.completed_at, i18n.language),
                      })
                    : `${percent}%`}
                </Text>
                {certificate ? (
                  <Anchor component={Link} to={`/certificates/${certificate.code}`} size="sm">
                    {t("learner.myLearning.certificate")}
                  </Anchor>
                ) : null}
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
  );
}

export default function MyLearning() {
  const { t } = useTranslation();
  usePageTitle(t("myLearning.title"));
  const courses = useMyCourses();
  const items = courses.data?.items ?? [];
  const inProgress = items.filter((item) => item.completed_at === null);
  const done = items.filter((item) => item.completed_at !== null);

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
        <Tabs defaultValue={inProgress.length === 0 && done.length > 0 ? "completed" : "current"}>
          <Tabs.List aria-label={t("learner.myLearning.tabs")}>
            <Tabs.Tab value="current">
              {t("learner.myLearning.inProgress")} ({inProgress.length})
            </Tabs.Tab>
            <Tabs.Tab value="completed">
              {t("learner.myLearning.completed")} ({done.length})
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="current" pt="md">
            {inProgress.length === 0 ? (
              <Button component={Link} to="/courses" variant="light">
                {t("myLearning.browse")}
              </Button>
            ) : (
              <CourseGrid items={inProgress} />
            )}
          </Tabs.Panel>
          <Tabs.Panel value="completed" pt="md">
            {done.length === 0 ? (
              <Text>{t("learner.myLearning.emptyCompleted")}</Text>
            ) : (
              <CourseGrid items={done} />
            )}
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
