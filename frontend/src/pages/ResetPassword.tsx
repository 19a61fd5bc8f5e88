import { Alert, Anchor, Button, Paper, Stack, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { confirmPasswordReset } from "../api/endpoints";
import { ApiError } from "../api/errors";
import { problemMessage } from "../api/problemMessage";
import { PasswordField } from "../components/PasswordField";
import { usePageTitle } from "../lib/usePageTitle";

/** The page a reset e-mail links to: choose a new password with the link's token. */
export default function ResetPassword() {
  const { t } = useTranslation();
  usePageTitle(t("learner.recovery.resetTitle"));
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const reset = useMutation({
    mutationFn: (newPassword: string) => confirmPasswordReset(token, newPassword),
  });
  const fieldError =
    reset.error instanceof ApiError && reset.error.code === "weak_password"
      ? problemMessage(reset.error, t)
      : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate(password);
  };

  return (
    <Paper withBorder p={{ base: "md", sm: "xl" }} maw={440} mx="auto" mt="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            {t("learner.recovery.resetTitle")}
          </Title>
          {!token ? (
            <Alert color="orange" role="alert">
              {t("learner.recovery.missingToken")}
            </Alert>
          ) : reset.isSuccess ? (
            <Alert color="teal" role="status" data-testid="password-reset-done">
              {t("learner.recovery.done")}
            </Alert>
          ) : (
            <>
              {reset.isError && !fieldError ? (
                <Alert color="red" role="alert">
                  {problemMessage(reset.error, t)}{" "}
                  <Anchor component={Link} to="/forgot-password">
                    {t("learner.recovery.requestNew")}
                  </Anchor>
                </Alert>
              ) : null}
              <PasswordField
                label={t("learner.recovery.newPassword")}
                description={t("learner.recovery.newPasswordHint")}
                autoComplete="new-password"
                required
                value={password}
                error={fieldError}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
              <Button type="submit" loading={reset.isPending} fullWidth>
                {t("learner.recovery.save")}
              </Button>
            </>
          )}
          <Anchor component={Link} to="/login" size="sm">
            {t("learner.recovery.backToLogin")}
          </Anchor>
        </Stack>
      </form>
    </Paper>
  );
}
