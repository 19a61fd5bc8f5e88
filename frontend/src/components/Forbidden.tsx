import { Alert } from "@mantine/core";
import { useTranslation } from "react-i18next";

export function Forbidden() {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t("errors.forbidden")} role="alert">
      {null}
    </Alert>
  );
}
