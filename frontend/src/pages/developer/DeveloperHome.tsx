import { Button, Card, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSession } from "../../auth/useSession";
import { usePageTitle } from "../../lib/usePageTitle";

const CARDS = [
  { to: "/developer/keys", nav: "keys", body: "keysCard" },
  { to: "/developer/analytics", nav: "analytics", body: "analyticsCard" },
  { to: "/developer/analyses", nav: "history", body: "historyCard" },
  { to: "/developer/guide", nav: "guide", body: "guideCard" },
] as const;

/** /developer: the developer portal's start page. */
export default function DeveloperHome() {
  const { t } = useTranslation();
  const { user } = useSession();
  usePageTitle(t("devPortal.title"));
  return (
    <Stack>
      <Title order={2}>{t("devPortal.home.welcome", { name: user?.full_name ?? "" })}</Title>
      <Text>{t("devPortal.home.lead")}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {CARDS.map((card) => (
          <Card key={card.to} withBorder padding="lg" component="article">
            <Stack align="flex-start" gap="xs">
              <Title order={3} size="h4">
                {t(`devPortal.nav.${card.nav}`)}
              </Title>
              <Text size="sm">{t(`devPortal.home.${card.body}`)}</Text>
              <Button component={Link} to={card.to} variant="light" size="sm">
                {t(`devPortal.nav.${card.nav}`)}
              </Button>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
