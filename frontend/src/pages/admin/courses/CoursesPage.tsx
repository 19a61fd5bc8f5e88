import { Anchor, Button, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageLoader } from "../../../components/PageLoader";
import { usePageTitle } from "../../../lib/usePageTitle";
import { PAGE_SIZE, useAdminCourses, type CourseStatus } from "../adminApi";
import { Pager, ProblemAlert, ScrollTable, StatusBadges, useDateTime } from "../ui";
import { useDebouncedParam, useUrlFilters } from "../useUrlFilters";

const STATUSES: CourseStatus[] = ["draft", "published", "archived"];

/** /admin/courses: every course with its status, counts and pending changes. */
export default function CoursesPage() {
  const { t } = useTranslation();
  usePageTitle(t("adminConsole.courses.title"));
  const when = useDateTime();
  const filters = useUrlFilters();
  const { params, page, update } = filters;
  const q = params.get("q") ?? "";
  const status = filters.oneOf("status", STATUSES);
  const [text, setText] = useDebouncedParam("q", filters);
  const courses = useAdminCourses({
    q: q || undefined,
    status,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t("adminConsole.courses.title")}</Title>
        <Button component={Link} to="/admin/courses/new">
          {t("adminConsole.courses.new")}
        </Button>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          type="search"
          label={t("adminConsole.courses.search")}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
        />
        <NativeSelect
          label={t("adminConsole.courses.status")}
          value={status ?? ""}
          onChange={(event) => update({ status: event.currentTarget.value })}
          data={[
            { value: "", label: t("adminConsole.common.any") },
            ...STATUSES.map((value) => ({ value, label: t(`adminConsole.courses.statuses.${value}`) })),
          ]}
        />
      </SimpleGrid>
      {courses.isPending ? (
        <PageLoader />
      ) : courses.isError ? (
        <ProblemAlert error={courses.error} />
      ) : (
        <>
          <ScrollTable caption={t("adminConsole.courses.title")}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("adminConsole.courses.fields.title")}</Table.Th>
                <Table.Th>{t("adminConsole.courses.status")}</Table.Th>
                <Table.Th>{t("adminConsole.courses.lessons")}</Table.Th>
                <Table.Th>{t("adminConsole.courses.enrolments")}</Table.Th>
                <Table.Th>{t("adminConsole.courses.updated")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {courses.data.items.map((course) => (
                <Table.Tr key={course.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/admin/courses/${course.id}`}>
                      {course.title}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      /{course.slug}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadges status={course.status} pending={course.has_draft_changes} />
                  </Table.Td>
                  <Table.Td>{course.lesson_count}</Table.Td>
                  <Table.Td>{course.enrollment_count}</Table.Td>
                  <Table.Td>{when(course.updated_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
          {courses.data.items.length === 0 ? <Text>{t("adminConsole.common.noResults")}</Text> : null}
          <Pager
            total={courses.data.total}
            page={page}
            pageSize={PAGE_SIZE}
            onChange={(value) => update({ page: String(value) })}
          />
        </>
      )}
    </Stack>
  );
}
