import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
  type ApiKey,
  type ApiKeyCreated,
} from "../../api/developer";
import { problemMessage } from "../../api/problemMessage";
import { ErrorView } from "../../components/ErrorView";
import { KeyDialog, type NewKey } from "../../components/developer/KeyDialog";
import { PageLoader } from "../../components/PageLoader";
import { usePageTitle } from "../../lib/usePageTitle";
import { formatDate, formatDateTime } from "./format";

const KEYS_QUERY = ["developer", "keys"] as const;
const EXPIRY_DAYS = [30, 90, 180, 365] as const;

function isExpired(key: ApiKey): boolean {
  return key.expires_at !== null && new Date(key.expires_at).getTime() <= Date.now();
}

function CreateKeyForm({ onCreated }: { onCreated: (key: ApiKeyCreated) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState<string>("never");
  const [nameError, setNameError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: createApiKey,
    onSuccess: (key) => {
      setName("");
      onCreated(key);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameError(t("errors.required"));
      return;
    }
    setNameError(null);
    create.mutate({
      name: name.trim(),
      expires_in_days: expiry === "never" ? null : Number(expiry),
    });
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="create-key-title">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h3" id="create-key-title">
            {t("devPortal.keys.createTitle")}
          </Title>
          <Group align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
            <TextInput
              label={t("devPortal.keys.name")}
              description={t("devPortal.keys.nameHint")}
              value={name}
              maxLength={100}
              required
              error={nameError}
              onChange={(event) => setName(event.currentTarget.value)}
              miw={220}
            />
            <Select
              label={t("devPortal.keys.expiry")}
              value={expiry}
              onChange={(value) => setExpiry(value ?? "never")}
              allowDeselect={false}
              data={[
                { value: "never", label: t("devPortal.keys.expiryNever") },
                ...EXPIRY_DAYS.map((days) => ({
                  value: String(days),
                  label: t("devPortal.keys.expiryDays", { count: days }),
                })),
              ]}
              miw={180}
            />
          </Group>
          {create.isError ? (
            <Alert color="red" role="alert">
              {problemMessage(create.error, t)}
            </Alert>
          ) : null}
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t("devPortal.keys.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

type Confirm = { action: "revoke" | "rotate"; key: ApiKey } | null;

function ConfirmDialog({
  confirm,
  pending,
  error,
  onCancel,
  onConfirm,
}: {
  confirm: Confirm;
  pending: boolean;
  error: string | null;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  const values = confirm ? { name: confirm.key.name, prefix: confirm.key.prefix } : {};
  const action = confirm?.action ?? "revoke";
  return (
    <Modal
      opened={confirm !== null}
      onClose={onCancel}
      title={confirm ? t(`devPortal.keys.${action}Title`, values) : ""}
    >
      <Stack>
        <Text>{confirm ? t(`devPortal.keys.${action}Body`, values) : null}</Text>
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t("devPortal.keys.cancel")}
          </Button>
          <Button color={action === "revoke" ? "red" : undefined} loading={pending} onClick={onConfirm}>
            {confirm ? t(`devPortal.keys.${action}Confirm`, values) : ""}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function KeyStatus({ apiKey }: { apiKey: ApiKey }) {
  const { t, i18n } = useTranslation();
  if (apiKey.revoked_at) {
    return (
      <Badge color="gray" variant="light">
        {t("devPortal.keys.revoked", { date: formatDate(apiKey.revoked_at, i18n.language) })}
      </Badge>
    );
  }
  if (isExpired(apiKey)) return <Badge color="red">{t("devPortal.keys.expired")}</Badge>;
  return <Badge color="teal">{t("devPortal.keys.active")}</Badge>;
}

function KeysTable({ keys, onAction }: { keys: ApiKey[]; onAction: (c: Confirm) => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  return (
    <ScrollArea type="auto">
      <Table striped highlightOnHover miw={760} aria-labelledby="keys-title">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("devPortal.keys.colName")}</Table.Th>
            <Table.Th>{t("devPortal.keys.colPrefix")}</Table.Th>
            <Table.Th>{t("devPortal.keys.colCreated")}</Table.Th>
            <Table.Th>{t("devPortal.keys.colLastUsed")}</Table.Th>
            <Table.Th>{t("devPortal.keys.colExpires")}</Table.Th>
            <Table.Th>{t("devPortal.keys.colStatus")}</Table.Th>
            <Table.Th>{t("devPortal.keys.colActions")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => {
            const usable = !key.revoked_at && !isExpired(key);
            return (
              <Table.Tr key={key.id} data-key-prefix={key.prefix}>
                <Table.Td fw={600}>{key.name}</Table.Td>
                <Table.Td>
                  <Text ff="monospace" size="sm">
                    {key.prefix}…
                  </Text>
                </Table.Td>
                <Table.Td>{formatDate(key.created_at, language)}</Table.Td>
                <Table.Td>
                  {key.last_used_at
                    ? formatDateTime(key.last_used_at, language)
                    : t("devPortal.keys.neverUsed")}
                </Table.Td>
                <Table.Td>
                  {key.expires_at ? formatDate(key.expires_at, language) : t("devPortal.keys.never")}
                </Table.Td>
                <Table.Td>
                  <KeyStatus apiKey={key} />
                </Table.Td>
                <Table.Td>
                  {usable ? (
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => onAction({ action: "rotate", key })}
                        aria-label={`${t("devPortal.keys.rotate")} ${key.name}`}
                      >
                        {t("devPortal.keys.rotate")}
                      </Button>
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        onClick={() => onAction({ action: "revoke", key })}
                        aria-label={`${t("devPortal.keys.revoke")} ${key.name}`}
                      >
                        {t("devPortal.keys.revoke")}
                      </Button>
                    </Group>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

/** /developer/keys: list, create, rotate and revoke API keys. */
export default function Keys() {
  const { t } = useTranslation();
  usePageTitle(t("devPortal.keys.title"));
  const queryClient = useQueryClient();
  // "Last used" changes whenever a program calls the API, so the list is read on every visit.
  const keys = useQuery({
    queryKey: KEYS_QUERY,
    queryFn: () => listApiKeys({ limit: 100 }),
    staleTime: 0,
    refetchOnMount: "always",
  });
  const [newKey, setNewKey] = useState<NewKey | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: KEYS_QUERY });

  const action = useMutation({
    mutationFn: async (c: NonNullable<Confirm>) => {
      if (c.action === "revoke") {
        await revokeApiKey(c.key.id);
        return null;
      }
      return rotateApiKey(c.key.id);
    },
    onSuccess: (created, c) => {
      setConfirm(null);
      if (created) setNewKey({ name: created.name, key: created.key });
      else setNotice(t("devPortal.keys.revokedDone", { name: c.key.name }));
      void refresh();
    },
  });

  const activeCount = keys.data?.items.filter((k) => !k.revoked_at && !isExpired(k)).length ?? 0;

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={2}>{t("devPortal.keys.title")}</Title>
        <Text c="dimmed">{t("devPortal.keys.lead")}</Text>
      </Stack>
      <CreateKeyForm
        onCreated={(key) => {
          setNotice(null);
          setNewKey({ name: key.name, key: key.key });
          void refresh();
        }}
      />
      {notice ? (
        <Alert color="teal" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      ) : null}
      <section aria-labelledby="keys-title">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h3" id="keys-title">
            {t("devPortal.keys.listTitle")}
          </Title>
          {keys.data ? (
            <Text size="sm" c="dimmed">
              {t("devPortal.keys.activeCount", { count: activeCount })}
            </Text>
          ) : null}
        </Group>
        {keys.isPending ? (
          <PageLoader />
        ) : keys.isError ? (
          <ErrorView error={keys.error} onRetry={() => void keys.refetch()} />
        ) : keys.data.items.length === 0 ? (
          <Text>{t("devPortal.keys.empty")}</Text>
        ) : (
          <KeysTable
            keys={keys.data.items}
            onAction={(c) => {
              action.reset();
              setConfirm(c);
            }}
          />
        )}
      </section>
      <ConfirmDialog
        confirm={confirm}
        pending={action.isPending}
        error={action.isError ? problemMessage(action.error, t) : null}
        onCancel={() => setConfirm(null)}
        onConfirm={() => confirm && action.mutate(confirm)}
      />
      <KeyDialog newKey={newKey} onClose={() => setNewKey(null)} />
    </Stack>
  );
}
