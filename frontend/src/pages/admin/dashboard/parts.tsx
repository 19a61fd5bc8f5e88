/** Small building blocks of the dashboard: figure cards, CSV button, chart frame, errors. */

import { Alert, Button, Card, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { problemMessage } from "../../../api/problemMessage";
import { downloadCsv, type Filters, type ReportName } from "./api";

export function Figure({
  label,
  value,
  suppressed = false,
  testId,
}: {
  label: string;
  value: string;
  suppressed?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="sm" component="dl" m={0} data-testid={testId}>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" m={0} fw={700} fz="xl">
        {value}
        {suppressed ? <VisuallyHidden> ({t("dashboard.suppressed")})</VisuallyHidden> : null}
      </Text>
    </Card>
  );
}

export function CsvButton({
  report,
  filters,
  courseId,
}: {
  report: ReportName;
  filters: Filters;
  courseId?: string | null;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = t(`dashboard.reports.${report}`);
  return (
    <Stack gap={4} align="flex-start">
      <Button
        variant="light"
        size="xs"
        loading={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await downloadCsv(report, filters, courseId);
          } catch (caught) {
            setError(caught);
          } finally {
            setBusy(false);
          }
        }}
      >
        {t("dashboard.csvNamed", { name })}
      </Button>
      {error ? (
        <Text size="sm" c="red.8" role="alert">
          {problemMessage(error, t)}
        </Text>
      ) : null}
    </Stack>
  );
}

/** A chart with its heading; the SVG is described by a text summary for screen readers. */
export function ChartFrame({
  title,
  summary,
  children,
  actions,
}: {
  title: string;
  summary: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Card withBorder padding="md" component="figure" m={0} aria-label={title}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Text size="sm" c="dimmed" component="figcaption">
          {summary}
        </Text>
        {children}
        {actions}
      </Stack>
    </Card>
  );
}

export function ReportError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" role="alert" title={problemMessage(error, t)}>
      {null}
    </Alert>
  );
}

export interface ReportRow {
  key: string;
  /** The row's name, rendered as its header cell. */
  head: ReactNode;
  cells: ReactNode[];
}

/** A report table: column headers, one header cell per row, scrolls sideways on phones. */
export function ReportTable({
  columns,
  rows,
  minWidth = 320,
  testId,
}: {
  columns: string[];
  rows: ReportRow[];
  minWidth?: number;
  testId?: string;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th scope="col" key={column}>
                {column}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Th scope="row">{row.head}</Table.Th>
              {row.cells.map((cell, index) => (
                <Table.Td key={index}>{cell}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
