import { Alert, Stack, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { usePageTitle } from "../lib/usePageTitle";

export function ComingSoon({ area }: { area: "developer" | "admin" }) {
  const { t } = useTranslation();
  const heading = area === "developer" ? t("nav.developer") : t("nav.admin");
  usePageTitle(heading);
  return (
    <Stack>
      <Title order={1}>{heading}</Title>
      <Alert color="cyan" title={t("comingSoon.title")}>
        {t(`comingSoon.${area}`)}
      </Alert>
    </Stack>
  );
}

export function DeveloperPage() {
  return <ComingSoon area="developer" />;
}

export function AdminPage() {
  return <ComingSoon area="admin" />;
}
