import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError } from "../../../api/errors";
import { useSession } from "../../../auth/useSession";
import { PageLoader } from "../../../components/PageLoader";
import { usePageTitle } from "../../../lib/usePageTitle";
import NotFound from "../../NotFound";
import { useAdminUser, useSecurityEvents, useUserAction, type AdminUser, type Role } from "../adminApi";
import { ConfirmButton, Notice, ProblemAlert, ScrollTable, useDateTime } from "../ui";

const ROLES: Role[] = ["learner", "developer", "admin"];

/** /admin/users/:userId: role, active flag, lockout, sessions and security events. */
export default function UserDetail() {
  const { userId = "" } = useParams();
  const { t } = useTranslation();
  const user = useAdminUser(userId);
  usePageTitle(user.data?.email ?? t("adminConsole.users.detail"));
  if (user.isPending) return <PageLoader />;
  if (user.isError) {
    if (user.error instanceof ApiError && [404, 422].includes(user.error.status)) return <NotFound />;
    return <ProblemAlert error={user.error} />;
  }
  return <UserPanels user={user.data} />;
}

function UserPanels({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const me = useSession().user;
  const action = useUserAction(user.id);
  const [role, setRole] = useState<Role>(user.role);
  const [notice, setNotice] = useState("");
  useEffect(() => setRole(user.role), [user.role]);
  const locked = user.locked_until && new Date(user.locked_until) > new Date();

  const run = (
    change: Parameters<typeof action.mutate>[0],
    success: (result: unknown) => string,
  ) => {
    setNotice("");
    action.mutate(change, { onSuccess: (result) => setNotice(success(result)) });
  };
  const lastAdmin = action.error instanceof ApiError && action.error.code === "last_admin";

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/admin/users">
        ← {t("adminConsole.users.title")}
      </Anchor>
      <Stack gap={4}>
        <Title order={1}>{user.full_name}</Title>
        <Text>{user.email}</Text>
        <Group gap="xs">
          <Badge variant="light">{t(`adminConsole.roles.${user.role}`)}</Badge>
          <Badge color={user.is_active ? "green" : "gray"} variant="light">
            {user.is_active ? t("adminConsole.users.activeYes") : t("adminConsole.users.activeNo")}
          </Badge>
        </Group>
        {me?.id === user.id ? <Text size="sm">{t("adminConsole.users.you")}</Text> : null}
        <Group gap="md">
          <Anchor component={Link} to={`/admin/audit?actor=${user.id}`} size="sm">
            {t("adminConsole.users.auditByActor")}
          </Anchor>
          <Anchor component={Link} to={`/admin/audit?record=${user.id}`} size="sm">
            {t("adminConsole.users.auditAboutUser")}
          </Anchor>
        </Group>
        <Text size="sm" c="dimmed">
          {t("adminConsole.users.lastLogin")}:{" "}
          {user.last_login_at ? when(user.last_login_at) : t("adminConsole.common.never")} ·{" "}
          {t("adminConsole.users.created")}: {when(user.created_at)}
        </Text>
      </Stack>

      <Notice>{notice}</Notice>
      {lastAdmin ? (
        <Alert color="orange" role="alert" title={t("adminConsole.users.changeRole")}>
          {t("adminConsole.users.lastAdmin")}
        </Alert>
      ) : (
        <ProblemAlert error={action.error} />
      )}

      <Card withBorder>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            run({ kind: "update", body: { role } }, () => t("adminConsole.common.saved"));
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <NativeSelect
              label={t("adminConsole.users.changeRole")}
              value={role}
              onChange={(event) => setRole(event.currentTarget.value as Role)}
              data={ROLES.map((value) => ({ value, label: t(`adminConsole.roles.${value}`) }))}
            />
            <Button type="submit" disabled={role === user.role} loading={action.isPending}>
              {t("adminConsole.users.saveRole")}
            </Button>
          </Group>
        </form>
      </Card>

      <Card withBorder>
        <Stack gap="sm">
          {locked ? (
            <Text>
              {t("adminConsole.users.lockedUntil", {
                time: when(user.locked_until),
                count: user.failed_logins,
              })}
            </Text>
          ) : user.failed_logins > 0 ? (
            <Text>{t("adminConsole.users.failedLogins", { count: user.failed_logins })}</Text>
          ) : null}
          <Group wrap="wrap">
            {user.is_active ? (
              <ConfirmButton
                color="red"
                variant="light"
                message={t("adminConsole.users.confirmDeactivate", { email: user.email })}
                onConfirm={() =>
                  run({ kind: "update", body: { is_active: false } }, () => t("adminConsole.common.saved"))
                }
              >
                {t("adminConsole.users.deactivate")}
              </ConfirmButton>
            ) : (
              <Button
                variant="light"
                onClick={() =>
                  run({ kind: "update", body: { is_active: true } }, () => t("adminConsole.common.saved"))
                }
              >
                {t("adminConsole.users.reactivate")}
              </Button>
            )}
            {locked || user.failed_logins > 0 ? (
              <Button
                variant="light"
                onClick={() => run({ kind: "unlock" }, () => t("adminConsole.users.unlocked"))}
              >
                {t("adminConsole.users.unlock")}
              </Button>
            ) : null}
            <ConfirmButton
              color="orange"
              variant="light"
              message={t("adminConsole.users.confirmLogoutAll", { email: user.email })}
              onConfirm={() =>
                run({ kind: "logoutAll" }, (result) =>
                  t("adminConsole.users.loggedOut", {
                    count: (result as { revoked: number }).revoked,
                  }),
                )
              }
            >
              {t("adminConsole.users.logoutAll")}
            </ConfirmButton>
          </Group>
        </Stack>
      </Card>

      <SecurityEvents userId={user.id} />
    </Stack>
  );
}

function SecurityEvents({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const when = useDateTime();
  const events = useSecurityEvents(userId);
  return (
    <section aria-labelledby="events-title">
      <Title order={2} id="events-title" size="h3" mb="sm">
        {t("adminConsole.users.events")}
      </Title>
      {events.isPending ? (
        <PageLoader />
      ) : events.isError ? (
        <ProblemAlert error={events.error} />
      ) : events.data.items.length === 0 ? (
        <Text>{t("adminConsole.users.noEvents")}</Text>
      ) : (
        <ScrollTable caption={t("adminConsole.users.events")} minWidth={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("adminConsole.users.eventTime")}</Table.Th>
              <Table.Th>{t("adminConsole.users.eventAction")}</Table.Th>
              <Table.Th>{t("adminConsole.users.eventIp")}</Table.Th>
              <Table.Th>{t("adminConsole.users.eventDetails")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {events.data.items.map((event) => (
              <Table.Tr key={event.id}>
                <Table.Td>{when(event.occurred_at)}</Table.Td>
                <Table.Td>
                  <Code>{event.action}</Code>
                </Table.Td>
                <Table.Td>{event.ip ?? "—"}</Table.Td>
                <Table.Td>
                  {event.details ? <Code>{JSON.stringify(event.details)}</Code> : "—"}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
    </section>
  );
}
