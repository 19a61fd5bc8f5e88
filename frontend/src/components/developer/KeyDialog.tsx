import { Alert, Button, Checkbox, Code, CopyButton, Group, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

export interface NewKey {
  name: string;
  key: string;
}

function CopyRow({ label, value, copyLabel }: { label: string; value: string; copyLabel: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code block style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button variant={copied ? "filled" : "light"} size="xs" onClick={copy} miw={90}>
              {copied ? t("devPortal.keyDialog.copied") : copyLabel}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

/**
 * The only place a secret API key ever appears: right after it was created, rotated or issued
 * by the upgrade. The caller drops the key when the dialog closes, so it is never shown again.
 */
export function KeyDialog({ newKey, onClose }: { newKey: NewKey | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [stored, setStored] = useState(false);
  const close = () => {
    setStored(false);
    onClose();
  };
  return (
    <Modal
      opened={newKey !== null}
      onClose={close}
      title={newKey ? t("devPortal.keyDialog.title", { name: newKey.name }) : ""}
      size="lg"
      closeOnClickOutside={false}
      closeButtonProps={{ "aria-label": t("devPortal.keyDialog.dismiss") }}
    >
      {newKey ? (
        <Stack>
          <Alert color="orange" role="alert">
            {t("devPortal.keyDialog.warning")}
          </Alert>
          <CopyRow
            label={t("devPortal.keyDialog.keyLabel")}
            value={newKey.key}
            copyLabel={t("devPortal.keyDialog.copy")}
          />
          <Text fw={700}>{t("devPortal.keyDialog.usageTitle")}</Text>
          <CopyRow
            label={t("devPortal.keyDialog.usageAuthorization")}
            value={`Authorization: ApiKey ${newKey.key}`}
            copyLabel={t("devPortal.keyDialog.copyHeader")}
          />
          <CopyRow
            label={t("devPortal.keyDialog.usageXApiKey")}
            value={`X-API-Key: ${newKey.key}`}
            copyLabel={t("devPortal.keyDialog.copyHeader")}
          />
          <Checkbox
            checked={stored}
            onChange={(event) => setStored(event.currentTarget.checked)}
            label={t("devPortal.keyDialog.confirm")}
          />
          <Group justify="flex-end">
            <Button onClick={close} disabled={!stored}>
              {t("devPortal.keyDialog.close")}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
