/** The report period: two dates and the time bucket of the charts. */

import { Card, Group, SegmentedControl, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Filters, Granularity } from "./api";

export function FiltersBar({
  value,
  onChange,
}: {
  value: Filters;
  onChange: (filters: Filters) => void;
}) {
  const { t } = useTranslation();
  // Dates are applied once both are valid and in order; until then the field shows why not.
  const [draft, setDraft] = useState({ from: value.from, to: value.to });
  const invalid = Boolean(draft.from && draft.to && draft.from > draft.to);
  const update = (next: { from: string; to: string }) => {
    setDraft(next);
    if (next.from && next.to && next.from <= next.to) onChange({ ...value, ...next });
  };
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="filters-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="filters-heading">
          {t("dashboard.filters.title")}
        </Title>
        <Group align="flex-end" gap="md" wrap="wrap">
          <TextInput
            type="date"
            label={t("dashboard.filters.from")}
            value={draft.from}
            max={draft.to || undefined}
            onChange={(event) => update({ ...draft, from: event.currentTarget.value })}
            error={invalid ? t("dashboard.filters.invalidRange") : undefined}
            w={{ base: "100%", xs: 180 }}
          />
          <TextInput
            type="date"
            label={t("dashboard.filters.to")}
            value={draft.to}
            min={draft.from || undefined}
            onChange={(event) => update({ ...draft, to: event.currentTarget.value })}
            w={{ base: "100%", xs: 180 }}
          />
          <Stack gap={4}>
            <Text component="span" size="sm" fw={500} id="granularity-label">
              {t("dashboard.filters.granularity")}
            </Text>
            <SegmentedControl
              aria-labelledby="granularity-label"
              value={value.granularity}
              onChange={(granularity) =>
                onChange({ ...value, granularity: granularity as Granularity })
              }
              data={[
                { value: "day", label: t("dashboard.filters.day") },
                { value: "week", label: t("dashboard.filters.week") },
                { value: "month", label: t("dashboard.filters.month") },
              ]}
            />
          </Stack>
        </Group>
      </Stack>
    </Card>
  );
}
