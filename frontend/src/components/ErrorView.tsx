import { Alert, Button, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { problemMessage } from "../api/problemMessage";

/** A failed query: a translated message chosen by the problem's code, and a retry button. */
export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = problemMessage(error, t);
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
