import { Button, Card, Group, List, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useCourses } from "../api/queries";
import { useSession } from "../auth/useSession";
import { CourseCard } from "../components/CourseCard";
import { DeveloperCallToAction } from "../components/developer/BecomeDeveloper";
import { usePageTitle } from "../lib/usePageTitle";

const FEATURES = ["courses", "quizzes", "developers"] as const;

export default function Landing() {
  const { t } = useTranslation();
  const { user } = useSession();
  usePageTitle(null);
  const popular = useCourses({ sort: "popularity", limit: 3, offset: 0 });

  return (
    <Stack gap={48}>
      <section aria-labelledby="hero-title">
        <Stack gap="md" maw={760}>
          <Text c="cyan.8" fw={600}>
            {t("app.tagline")}
          </Text>
          <Title id="hero-title" order={1} fz={{ base: 30, sm: 42 }}>
            {t("landing.title")}
          </Title>
          <Text size="lg">{t("landing.lead")}</Text>
          <Group>
            <Button component={Link} to="/courses" size="md">
              {t("landing.browse")}
            </Button>
            {user ? (
              <Button component={Link} to="/my-learning" size="md" variant="default">
                {t("landing.continue")}
              </Button>
            ) : (
              <Button component={Link} to="/register" size="md" variant="default">
                {t("landing.start")}
              </Button>
            )}
          </Group>
        </Stack>
      </section>

      <section aria-labelledby="features-title">
        <Title id="features-title" order={2} mb="md">
          {t("landing.featuresTitle")}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {FEATURES.map((feature) => (
            <Card key={feature} withBorder padding="lg" component="article">
              <Title order={3} size="h4" mb="xs">
                {t(`landing.features.${feature}.title`)}
              </Title>
              <Text size="sm">{t(`landing.features.${feature}.body`)}</Text>
              {feature === "developers" ? (
                <Stack mt="md" align="flex-start">
                  <DeveloperCallToAction />
                </Stack>
              ) : null}
            </Card>
          ))}
        </SimpleGrid>
      </section>

      <section aria-labelledby="steps-title">
        <Title id="steps-title" order={2} mb="md">
          {t("landing.stepsTitle")}
        </Title>
        <List type="ordered" spacing="xs">
          <List.Item>{t("landing.steps.one")}</List.Item>
          <List.Item>{t("landing.steps.two")}</List.Item>
          <List.Item>{t("landing.steps.three")}</List.Item>
        </List>
      </section>

      {popular.data && popular.data.items.length > 0 ? (
        <section aria-labelledby="popular-title">
          <Title id="popular-title" order={2} mb="md">
            {t("landing.popular")}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {popular.data.items.map((course) => (
              <CourseCard key={course.id} course={course} />
            ))}
          </SimpleGrid>
        </section>
      ) : null}
    </Stack>
  );
}
