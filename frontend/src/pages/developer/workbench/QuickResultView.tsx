import { Paper, ScrollArea, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { components } from "../../../api/schema";
import { formatDate, formatNumber, formatPercent } from "../format";

type QuickResult = components["schemas"]["QuickAnalysisResult"];

/** A quick analysis (`POST /analytics/quick-analysis`, made through the API): one table. */
export function QuickResultView({ result }: { result: QuickResult }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="quick-title">
      <Stack>
        <Title order={3} size="h4" id="quick-title">
          {t("devPortal.result.quickTitle")}
        </Title>
        <ScrollArea type="auto">
          <Table striped miw={640}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("devPortal.result.cross.category")}</Table.Th>
                <Table.Th>{t("devPortal.result.summary.periods")}</Table.Th>
                <Table.Th>{t("devPortal.result.summary.last")}</Table.Th>
                <Table.Th>{t("devPortal.result.trendTitle")}</Table.Th>
                <Table.Th>{t("devPortal.result.growth.pop")}</Table.Th>
                <Table.Th>{t("devPortal.result.growth.yoy")}</Table.Th>
                <Table.Th>{t("devPortal.result.growth.cagr")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.categories.map((row) => (
                <Table.Tr key={row.category}>
                  <Table.Td>{row.category}</Table.Td>
                  <Table.Td>{row.periods}</Table.Td>
                  <Table.Td>
                    {t("devPortal.result.summary.at", {
                      value: formatNumber(row.last_value, lang),
                      date: formatDate(row.last_date, lang),
                    })}
                  </Table.Td>
                  <Table.Td>{t(`devPortal.result.trend.${row.trend_direction}`)}</Table.Td>
                  <Table.Td>{formatPercent(row.pop_growth, lang)}</Table.Td>
                  <Table.Td>{formatPercent(row.yoy_growth, lang)}</Table.Td>
                  <Table.Td>{formatPercent(row.cagr, lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
        {result.skipped_categories.length ? (
          <Text size="sm">
            {t("devPortal.result.cleaning.skipped", {
              names: result.skipped_categories.map((s) => s.category).join(", "),
            })}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
