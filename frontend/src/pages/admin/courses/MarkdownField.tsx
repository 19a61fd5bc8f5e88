import { Box, SimpleGrid, Stack, Text, Textarea } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Markdown } from "../../../components/Markdown";

/**
 * A Markdown textarea with a live preview beside it (below it on narrow screens), rendered
 * by the same sanitiser the learner pages use, so what the admin sees is what learners get.
 */
export function MarkdownField({
  label,
  value,
  onChange,
  error,
  required,
  minRows = 8,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  required?: boolean;
  minRows?: number;
}) {
  const { t } = useTranslation();
  const previewId = useId();
  const [preview] = useDebouncedValue(value, 150);
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Textarea
        label={label}
        description={t("adminConsole.lesson.markdownHint")}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        autosize
        minRows={minRows}
        maxRows={30}
        error={error}
        required={required}
        aria-describedby={previewId}
        styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
      />
      <Stack gap={4}>
        <Text size="sm" fw={500} id={previewId}>
          {t("adminConsole.courses.preview")}
        </Text>
        <Box
          p="sm"
          data-testid="markdown-preview"
          style={{
            border: "1px solid var(--mantine-color-default-border)",
            borderRadius: "var(--mantine-radius-sm)",
            minHeight: "6rem",
            overflowX: "auto",
          }}
        >
          <Markdown source={preview} />
        </Box>
      </Stack>
    </SimpleGrid>
  );
}
