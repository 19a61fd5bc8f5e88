import { Button, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { usePageTitle } from "../lib/usePageTitle";

export default function NotFound() {
  const { t } = useTranslation();
  usePageTitle(t("notFound.title"));
  return (
    <Stack align="flex-start" py="xl">
      <Text c="dimmed" fw={700}>
        404
      </Text>
      <Title order={1}>{t("notFound.title")}</Title>
      <Text>{t("notFound.body")}</Text>
      <Button component={Link} to="/">
        {t("notFound.home")}
      </Button>
    </Stack>
  );
}
