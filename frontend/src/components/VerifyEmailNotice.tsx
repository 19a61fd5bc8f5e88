import { Alert, Button, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { resendVerificationEmail } from "../api/endpoints";
import { problemMessage } from "../api/problemMessage";
import type { User } from "../api/types";

/** Shown to a signed-in person whose address is not confirmed yet, with "send again". */
export function VerifyEmailNotice({ user }: { user: User }) {
  const { t } = useTranslation();
  const resend = useMutation({ mutationFn: resendVerificationEmail });
  if (user.email_verified_at) return null;
  return (
    <Alert color="yellow" title={t("learner.recovery.verifyTitle")} data-testid="verify-notice">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{t("learner.recovery.notVerified")}</Text>
        {resend.isSuccess ? (
          <Text size="sm" role="status">
            {t("learner.recovery.resent")}
          </Text>
        ) : (
          <Button size="xs" variant="light" loading={resend.isPending} onClick={() => resend.mutate()}>
            {t("learner.recovery.resend")}
          </Button>
        )}
        {resend.isError ? (
          <Text size="sm" c="red.8" role="alert">
            {problemMessage(resend.error, t)}
          </Text>
        ) : null}
      </Stack>
    </Alert>
  );
}
