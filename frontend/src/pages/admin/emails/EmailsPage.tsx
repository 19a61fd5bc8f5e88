import { Badge, Button, Code, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { PageLoader } from "../../../components/PageLoader";
import { usePageTitle } from "../../../lib/usePageTitle";
import { PAGE_SIZE, useEmails, useRetryEmail, type EmailStatus } from "../adminApi";
import { Notice, Pager, ProblemAlert, ScrollTable, useDateTime } from "../ui";
import { useDebouncedParam, useUrlFilters } from "../useUrlFilters";

const STATUSES: EmailStatus[] = ["pending", "sending", "sent", "failed"];
const COLOURS: Record<EmailStatus, string> = {
  pending: "blue",
  sending: "indigo",
  sent: "green",
  failed: "red",
};

/** /admin/emails: the outbox with attempts and last error; a failed message can be retried. */
export default function EmailsPage() {
  const { t } = useTranslation();
  usePageTitle(t("adminConsole.emails.title"));
  const when = useDateTime();
  const filters = useUrlFilters();
  const { params, page, update } = filters;
  const status = filters.oneOf("status", STATUSES);
  const template = params.get("template") ?? "";
  const [text, setText] = useDebouncedParam("template", filters);

  const emails = useEmails({
    status,
    template: template || undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const retry = useRetryEmail();

  return (
    <Stack gap="md">
      <Title order={1}>{t("adminConsole.emails.title")}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <NativeSelect
          label={t("adminConsole.emails.status")}
          value={status ?? ""}
          onChange={(event) => update({ status: event.currentTarget.value })}
          data={[
            { value: "", label: t("adminConsole.common.any") },
            ...STATUSES.map((value) => ({ value, label: t(`adminConsole.emails.statuses.${value}`) })),
          ]}
        />
        <TextInput
          label={t("adminConsole.emails.template")}
          placeholder={t("adminConsole.emails.templatePlaceholder")}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
        />
      </SimpleGrid>
      <Notice>{retry.isSuccess ? t("adminConsole.emails.retried") : null}</Notice>
      <ProblemAlert error={retry.error} />
      {emails.isPending ? (
        <PageLoader />
      ) : emails.isError ? (
        <ProblemAlert error={emails.error} />
      ) : (
        <>
          <ScrollTable caption={t("adminConsole.emails.title")} minWidth={900}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("adminConsole.emails.created")}</Table.Th>
                <Table.Th>{t("adminConsole.emails.to")}</Table.Th>
                <Table.Th>{t("adminConsole.emails.template")}</Table.Th>
                <Table.Th>{t("adminConsole.emails.status")}</Table.Th>
                <Table.Th>{t("adminConsole.emails.attempts")}</Table.Th>
                <Table.Th>{t("adminConsole.emails.lastError")}</Table.Th>
                <Table.Th>{t("adminConsole.common.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {emails.data.items.map((email) => (
                <Table.Tr key={email.id}>
                  <Table.Td>{when(email.created_at)}</Table.Td>
                  <Table.Td>{email.to}</Table.Td>
                  <Table.Td>
                    <Code>{email.template}</Code> <Text span size="xs">({email.locale})</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={COLOURS[email.status]} variant="light">
                      {t(`adminConsole.emails.statuses.${email.status}`)}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {email.status === "sent"
                        ? `${t("adminConsole.emails.sentAt")} ${when(email.sent_at)}`
                        : email.status === "failed"
                          ? ""
                          : `${t("adminConsole.emails.nextAttempt")} ${when(email.next_attempt_at)}`}
                    </Text>
                  </Table.Td>
                  <Table.Td>{email.attempts}</Table.Td>
                  <Table.Td style={{ maxWidth: 280, wordBreak: "break-word" }}>{email.last_error ?? "—"}</Table.Td>
                  <Table.Td>
                    {email.status === "failed" ? (
                      <Button
                        size="xs"
                        variant="light"
                        loading={retry.isPending && retry.variables === email.id}
                        onClick={() => retry.mutate(email.id)}
                        aria-label={`${t("adminConsole.emails.retry")}: ${email.to}`}
                      >
                        {t("adminConsole.emails.retry")}
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
          {emails.data.items.length === 0 ? <Text>{t("adminConsole.common.noResults")}</Text> : null}
          <Pager
            total={emails.data.total}
            page={page}
            pageSize={PAGE_SIZE}
            onChange={(value) => update({ page: String(value) })}
          />
        </>
      )}
    </Stack>
  );
}
