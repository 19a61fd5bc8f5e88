import { Anchor, Button, Code, CopyButton, Group, Paper, Stack, Tabs, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { listApiKeys } from "../../api/developer";
import { usePageTitle } from "../../lib/usePageTitle";
import { guideExamples, type Language as CodeLanguage } from "./guideExamples";

const LANGUAGES: { value: CodeLanguage; label: string }[] = [
  { value: "curl", label: "curl" },
  { value: "python", label: "Python (httpx)" },
  { value: "js", label: "JavaScript (fetch)" },
];

function Snippet({ code }: { code: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Group justify="flex-end">
        <CopyButton value={code}>
          {({ copied, copy }) => (
            <Button size="compact-sm" variant={copied ? "filled" : "default"} onClick={copy}>
              {copied ? t("devPortal.guide.copied") : t("devPortal.guide.copy")}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block style={{ whiteSpace: "pre", overflowX: "auto" }}>
        {code}
      </Code>
    </Stack>
  );
}

/** /developer/guide: copy-paste examples with the user's own key prefix as the placeholder. */
export default function ApiGuide() {
  const { t } = useTranslation();
  usePageTitle(t("devPortal.guide.title"));
  const keys = useQuery({ queryKey: ["developer", "keys"], queryFn: () => listApiKeys({ limit: 100 }) });
  const active = keys.data?.items.find((key) => !key.revoked_at);
  const placeholder = active ? `${active.prefix}…` : "pe_live_…";
  const origin = window.location.origin;
  const examples = guideExamples(origin, placeholder);
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={2}>{t("devPortal.guide.title")}</Title>
        <Text>{t("devPortal.guide.lead", { placeholder })}</Text>
        <Text size="sm">{t("devPortal.guide.base", { base: `${origin}/api/v1` })}</Text>
        <Group gap="lg">
          <Anchor href="/docs">{t("devPortal.guide.docs")}</Anchor>
          <Anchor href="/api/v1/openapi.json">{t("devPortal.guide.openapi")}</Anchor>
        </Group>
      </Stack>
      {examples.map((section) => (
        <Paper withBorder p="lg" component="section" key={section.id} aria-labelledby={`guide-${section.id}`}>
          <Stack gap="xs">
            <Title order={3} size="h4" id={`guide-${section.id}`}>
              {t(`devPortal.guide.sections.${section.id}`)}
            </Title>
            {section.note ? <Text size="sm">{t(`devPortal.guide.sections.${section.note}`)}</Text> : null}
            <Tabs defaultValue="curl" keepMounted={false}>
              <Tabs.List aria-label={t("devPortal.guide.tabs")}>
                {LANGUAGES.map((language) => (
                  <Tabs.Tab key={language.value} value={language.value}>
                    {language.label}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {LANGUAGES.map((language) => (
                <Tabs.Panel key={language.value} value={language.value} pt="xs">
                  <Snippet code={section.code[language.value]} />
                </Tabs.Panel>
              ))}
            </Tabs>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
