import {
  Button,
  Card,
  Code,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { Fragment, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { PageLoader } from "../../../components/PageLoader";
import { usePageTitle } from "../../../lib/usePageTitle";
import { PAGE_SIZE, useAuditChain, useAuditLogs, type AuditLog } from "../adminApi";
import { Pager, ProblemAlert, ScrollTable, useDateTime } from "../ui";
import { valueRows } from "./diff";

const FILTERS = ["actor", "action", "table", "record", "since", "until"] as const;
type FilterName = (typeof FILTERS)[number];
const TABLES = ["users", "api_keys", "courses", "sections", "lessons", "enrollments"];
const ACTIONS = [
  "INSERT",
  "UPDATE",
  "DELETE",
  "LOGIN",
  "LOGIN_FAILED",
  "LOGOUT",
  "ROLE_CHANGED",
  "USER_DEACTIVATED",
  "USER_REACTIVATED",
  "USER_UNLOCKED",
  "COURSE_DRAFT_STARTED",
  "COURSE_CHANGES_PUBLISHED",
  "COURSE_CHANGES_DISCARDED",
];

/** `datetime-local` value (local time, no zone) to an ISO instant; undefined when empty. */
function instant(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** /admin/audit: the tamper-evident trail, its chain status, filters and value diffs. */
export default function AuditPage() {
  const { t } = useTranslation();
  usePageTitle(t("adminConsole.audit.title"));
  const [params, setParams] = useSearchParams();
  const get = (name: FilterName) => params.get(name) ?? "";
  const [form, setForm] = useState<Record<FilterName, string>>(
    () => Object.fromEntries(FILTERS.map((name) => [name, get(name)])) as Record<FilterName, string>,
  );
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const logs = useAuditLogs({
    actor_user_id: get("actor") || undefined,
    action: get("action") || undefined,
    table_name: get("table") || undefined,
    record_id: get("record") || undefined,
    since: instant(get("since")),
    until: instant(get("until")),
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of FILTERS) if (form[name].trim()) next.set(name, form[name].trim());
    setParams(next);
  };
  const field = (name: FilterName) => ({
    value: form[name],
    onChange: (event: { currentTarget: { value: string } }) => {
      const value = event.currentTarget.value; // read now: React reuses the event
      setForm((current) => ({ ...current, [name]: value }));
    },
  });
  const any = { value: "", label: t("adminConsole.common.any") };

  return (
    <Stack gap="md">
      <Title order={1}>{t("adminConsole.audit.title")}</Title>
      <ChainStatus />
      <form onSubmit={submit} aria-label={t("adminConsole.common.search")}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
          <TextInput label={t("adminConsole.audit.actor")} {...field("actor")} />
          <NativeSelect
            label={t("adminConsole.audit.action")}
            data={[any, ...ACTIONS]}
            {...field("action")}
          />
          <NativeSelect
            label={t("adminConsole.audit.table")}
            data={[any, ...TABLES]}
            {...field("table")}
          />
          <TextInput label={t("adminConsole.audit.record")} {...field("record")} />
          <TextInput type="datetime-local" label={t("adminConsole.audit.since")} {...field("since")} />
          <TextInput type="datetime-local" label={t("adminConsole.audit.until")} {...field("until")} />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit">{t("adminConsole.common.apply")}</Button>
          <Button
            variant="subtle"
            onClick={() => {
              setForm(Object.fromEntries(FILTERS.map((name) => [name, ""])) as Record<FilterName, string>);
              setParams(new URLSearchParams());
            }}
          >
            {t("adminConsole.common.clear")}
          </Button>
        </Group>
      </form>
      {logs.isPending ? (
        <PageLoader />
      ) : logs.isError ? (
        <ProblemAlert error={logs.error} />
      ) : (
        <>
          <AuditTable rows={logs.data.items} />
          <Pager
            total={logs.data.total}
            page={page}
            pageSize={PAGE_SIZE}
            onChange={(value) => {
              const next = new URLSearchParams(params);
              next.set("page", String(value));
              setParams(next);
            }}
          />
        </>
      )}
    </Stack>
  );
}

function ChainStatus() {
  const { t } = useTranslation();
  const chain = useAuditChain();
  return (
    <Card withBorder>
      <Stack gap={6}>
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t("adminConsole.audit.chain")}
          </Title>
          <Button size="xs" variant="light" loading={chain.isFetching} onClick={() => void chain.refetch()}>
            {t("adminConsole.audit.verify")}
          </Button>
        </Group>
        {chain.isPending ? (
          <PageLoader />
        ) : chain.isError ? (
          <ProblemAlert error={chain.error} />
        ) : (
          <>
            <Text c={chain.data.ok ? "teal.9" : "red.9"} fw={600} role="status" data-testid="chain-status">
              {chain.data.ok
                ? t("adminConsole.audit.chainOk", { count: chain.data.rows_checked })
                : t("adminConsole.audit.chainBroken", {
                    seq: chain.data.broken_seq,
                    reason: chain.data.reason,
                  })}
            </Text>
            <Text size="sm">
              {t("adminConsole.audit.headHash")}:{" "}
              <Code style={{ wordBreak: "break-all" }}>{chain.data.head_hash}</Code>
            </Text>
          </>
        )}
      </Stack>
    </Card>
  );
}

function AuditTable({ rows }: { rows: AuditLog[] }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const [open, setOpen] = useState<string | null>(null);
  if (rows.length === 0) return <Text>{t("adminConsole.common.noResults")}</Text>;
  return (
    <ScrollTable caption={t("adminConsole.audit.title")} minWidth={820}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th>
          <Table.Th>{t("adminConsole.audit.time")}</Table.Th>
          <Table.Th>{t("adminConsole.audit.action")}</Table.Th>
          <Table.Th>{t("adminConsole.audit.table")}</Table.Th>
          <Table.Th>{t("adminConsole.audit.record")}</Table.Th>
          <Table.Th>{t("adminConsole.audit.who")}</Table.Th>
          <Table.Th>{t("adminConsole.common.actions")}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => {
          const expanded = open === row.id;
          return (
            <Fragment key={row.id}>
              <Table.Tr>
                <Table.Td>{row.seq}</Table.Td>
                <Table.Td>{when(row.occurred_at)}</Table.Td>
                <Table.Td>
                  <Code>{row.action}</Code>
                </Table.Td>
                <Table.Td>{row.table_name ?? "—"}</Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace">
                    {row.record_id ?? "—"}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace">
                    {row.actor_user_id ?? row.actor_api_key_id ?? t("adminConsole.audit.system")}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="subtle"
                    aria-expanded={expanded}
                    aria-controls={`audit-${row.id}`}
                    onClick={() => setOpen(expanded ? null : row.id)}
                  >
                    {expanded
                      ? t("adminConsole.audit.hide", { seq: row.seq })
                      : t("adminConsole.audit.show", { seq: row.seq })}
                  </Button>
                </Table.Td>
              </Table.Tr>
              {expanded ? (
                <Table.Tr id={`audit-${row.id}`}>
                  <Table.Td colSpan={7}>
                    <ValuesSideBySide row={row} />
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Fragment>
          );
        })}
      </Table.Tbody>
    </ScrollTable>
  );
}

function ValuesSideBySide({ row }: { row: AuditLog }) {
  const { t } = useTranslation();
  const values = valueRows(row.old_values, row.new_values);
  return (
    <Stack gap="xs">
      {values.length ? (
        <Table withTableBorder withColumnBorders>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("adminConsole.audit.field")}</Table.Th>
              <Table.Th>{t("adminConsole.audit.old")}</Table.Th>
              <Table.Th>{t("adminConsole.audit.new")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {values.map((value) => (
              <Table.Tr key={value.field} bg={value.changed ? "var(--mantine-color-yellow-light)" : undefined}>
                <Table.Td>
                  <Code>{value.field}</Code>
                </Table.Td>
                <Table.Td style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{value.old}</Table.Td>
                <Table.Td style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}>{value.new}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {row.details ? (
        <Text size="sm">
          {t("adminConsole.audit.details")}: <Code>{JSON.stringify(row.details)}</Code>
        </Text>
      ) : null}
      <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: "break-all" }}>
        hash {row.hash} ← prev {row.prev_hash}
      </Text>
    </Stack>
  );
}
