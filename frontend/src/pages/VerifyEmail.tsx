import { Alert, Anchor, Loader, Paper, Stack, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { verifyEmail } from "../api/endpoints";
import { problemMessage } from "../api/problemMessage";
import { keys } from "../api/queries";
import { usePageTitle } from "../lib/usePageTitle";

/** The page the welcome / verification e-mail links to: confirms the address once. */
export default function VerifyEmail() {
  const { t } = useTranslation();
  usePageTitle(t("learner.recovery.verifyTitle"));
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const client = useQueryClient();
  const verify = useMutation({
    mutationFn: verifyEmail,
    onSuccess: () => client.invalidateQueries({ queryKey: keys.me }),
  });
  const { mutate, isIdle } = verify;

  useEffect(() => {
    if (token && isIdle) mutate(token);
  }, [token, isIdle, mutate]);

  return (
    <Paper withBorder p={{ base: "md", sm: "xl" }} maw={480} mx="auto" mt="lg">
      <Stack>
        <Title order={1} size="h2">
          {t("learner.recovery.verifyTitle")}
        </Title>
        {!token ? (
          <Alert color="orange" role="alert">
            {t("learner.recovery.missingToken")}
          </Alert>
        ) : verify.isSuccess ? (
          <Alert color="teal" role="status" data-testid="email-verified">
            {t("learner.recovery.verified")}
          </Alert>
        ) : verify.isError ? (
          <Alert color="red" role="alert">
            {problemMessage(verify.error, t)}
          </Alert>
        ) : (
          <Stack align="center" role="status">
            <Loader size="sm" />
            {t("learner.recovery.verifying")}
          </Stack>
        )}
        <Anchor component={Link} to="/">
          {t("notFound.home")}
        </Anchor>
      </Stack>
    </Paper>
  );
}
