/** Small building blocks shared by the admin pages. */

import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Pagination,
  Stack,
  Table,
  Text,
  type ButtonProps,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { problemMessage } from "../../api/problemMessage";
import type { CourseStatus } from "./adminApi";

export function useDateTime() {
  const { i18n } = useTranslation();
  return (iso: string | null | undefined) =>
    iso
      ? new Date(iso).toLocaleString(i18n.language === "en" ? "en-GB" : "id-ID", {
          dateStyle: "medium",
          timeStyle: "short",
        })
      : "—";
}

const STATUS_COLOURS: Record<CourseStatus, string> = {
  draft: "yellow",
  published: "green",
  archived: "gray",
};

/** Course status, and a second badge when a published course has unpublished changes. */
export function StatusBadges({ status, pending }: { status: CourseStatus; pending?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={STATUS_COLOURS[status]} variant="light" autoContrast>
        {t(`adminConsole.courses.statuses.${status}`)}
      </Badge>
      {pending ? (
        <Badge color="orange" variant="outline">
          {t("adminConsole.courses.pendingChanges")}
        </Badge>
      ) : null}
    </Group>
  );
}

/** A table that scrolls sideways on narrow screens instead of squeezing its columns. */
export function ScrollTable({
  minWidth = 720,
  caption,
  children,
}: {
  minWidth?: number;
  caption: string;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth} type="native">
      <Table striped highlightOnHover verticalSpacing="xs">
        <caption className="visually-hidden">{caption}</caption>
        {children}
      </Table>
    </Table.ScrollContainer>
  );
}

/** A server error in the current language (never raw English `detail` in the Indonesian UI). */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" role="alert">
      {problemMessage(error, t)}
    </Alert>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <Alert color="teal" role="status">
      {children}
    </Alert>
  );
}

/** Page controls under a list, with the total; hidden when everything fits on one page. */
export function Pager({
  total,
  page,
  pageSize,
  onChange,
}: {
  total: number;
  page: number;
  pageSize: number;
  onChange: (page: number) => void;
}) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <Group justify="space-between">
      <Text size="sm" c="dimmed" aria-live="polite">
        {t("adminConsole.common.total", { count: total })}
      </Text>
      {pages > 1 ? (
        <Pagination
          total={pages}
          value={page}
          onChange={onChange}
          size="sm"
          getControlProps={(control) => ({
            "aria-label": `${t("adminConsole.common.pagination")} ${control}`,
          })}
        />
      ) : null}
    </Group>
  );
}

/** A button that asks before doing something that cannot be undone. */
export function ConfirmButton({
  message,
  onConfirm,
  children,
  loading,
  ...props
}: ButtonProps & {
  message: string;
  onConfirm: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button {...props} loading={loading} onClick={open}>
        {children}
      </Button>
      <Modal opened={opened} onClose={close} title={children} centered>
        <Stack>
          <Text>{message}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t("adminConsole.common.cancel")}
            </Button>
            <Button
              color={props.color ?? "red"}
              onClick={() => {
                close();
                onConfirm();
              }}
            >
              {t("adminConsole.common.confirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
