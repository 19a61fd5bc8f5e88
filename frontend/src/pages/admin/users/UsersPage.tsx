import { Anchor, Badge, NativeSelect, SimpleGrid, Stack, Table, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageLoader } from "../../../components/PageLoader";
import { usePageTitle } from "../../../lib/usePageTitle";
import { PAGE_SIZE, useAdminUsers, type Role } from "../adminApi";
import { Pager, ProblemAlert, ScrollTable, useDateTime } from "../ui";
import { useDebouncedParam, useUrlFilters } from "../useUrlFilters";

const ROLES: Role[] = ["learner", "developer", "admin"];

/** /admin/users: search, filter by role and active flag, page through all accounts. */
export default function UsersPage() {
  const { t } = useTranslation();
  usePageTitle(t("adminConsole.users.title"));
  const when = useDateTime();
  const filters = useUrlFilters();
  const { params, page, update } = filters;
  const q = params.get("q") ?? "";
  const role = filters.oneOf("role", ROLES);
  const active = params.get("active") ?? "";
  const [text, setText] = useDebouncedParam("q", filters);

  const users = useAdminUsers({
    q: q || undefined,
    role,
    is_active: active === "" ? undefined : active === "true",
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const any = { value: "", label: t("adminConsole.common.any") };

  return (
    <Stack gap="md">
      <Title order={1}>{t("adminConsole.users.title")}</Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <TextInput
          type="search"
          label={t("adminConsole.users.search")}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <NativeSelect
          label={t("adminConsole.users.role")}
          value={role ?? ""}
          onChange={(event) => update({ role: event.currentTarget.value })}
          data={[any, ...ROLES.map((value) => ({ value, label: t(`adminConsole.roles.${value}`) }))]}
        />
        <NativeSelect
          label={t("adminConsole.users.active")}
          value={active}
          onChange={(event) => update({ active: event.currentTarget.value })}
          data={[
            any,
            { value: "true", label: t("adminConsole.users.activeYes") },
            { value: "false", label: t("adminConsole.users.activeNo") },
          ]}
        />
      </SimpleGrid>
      {users.isPending ? (
        <PageLoader />
      ) : users.isError ? (
        <ProblemAlert error={users.error} />
      ) : (
        <>
          <ScrollTable caption={t("adminConsole.users.title")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("adminConsole.users.email")}</Table.Th>
                <Table.Th>{t("adminConsole.users.name")}</Table.Th>
                <Table.Th>{t("adminConsole.users.role")}</Table.Th>
                <Table.Th>{t("adminConsole.users.active")}</Table.Th>
                <Table.Th>{t("adminConsole.users.lastLogin")}</Table.Th>
                <Table.Th>{t("adminConsole.users.created")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.items.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/admin/users/${user.id}`}>
                      {user.email}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{user.full_name}</Table.Td>
                  <Table.Td>{t(`adminConsole.roles.${user.role}`)}</Table.Td>
                  <Table.Td>
                    <Badge color={user.is_active ? "green" : "gray"} variant="light">
                      {user.is_active ? t("adminConsole.users.activeYes") : t("adminConsole.users.activeNo")}
                    </Badge>
                    {user.locked_until && new Date(user.locked_until) > new Date() ? (
                      <Badge color="red" variant="outline" ml={4}>
                        {t("adminConsole.users.locked")}
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{user.last_login_at ? when(user.last_login_at) : t("adminConsole.common.never")}</Table.Td>
                  <Table.Td>{when(user.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
          {users.data.items.length === 0 ? <p>{t("adminConsole.common.noResults")}</p> : null}
          <Pager
            total={users.data.total}
            page={page}
            pageSize={PAGE_SIZE}
            onChange={(value) => update({ page: String(value) })}
          />
        </>
      )}
    </Stack>
  );
}
