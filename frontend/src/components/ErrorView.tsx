import { Alert, Button, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/errors";

/** A failed query: the platform's own message when it sent one, and a retry button. */
export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  let message = t("errors.generic");
  if (error instanceof ApiError) {
    if (error.status === 403) message = t("errors.forbidden");
    else if (error.detail) message = error.detail;
  } else if (error instanceof TypeError) {
    message = t("errors.network");
  }
  return (
    <Alert color="red" role="alert" title={message}>
      {onRetry ? (
        <Stack align="flex-start">
          <Button variant="light" color="red" onClick={onRetry}>
            {t("errors.retry")}
          </Button>
        </Stack>
      ) : null}
    </Alert>
  );
}
