import { Alert, Anchor, Button, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { requestPasswordReset } from "../api/endpoints";
import { problemMessage } from "../api/problemMessage";
import { usePageTitle } from "../lib/usePageTitle";

/** "Lupa kata sandi?": ask for a reset link (the answer never tells whether the address exists). */
export default function ForgotPassword() {
  const { t } = useTranslation();
  usePageTitle(t("learner.recovery.forgotTitle"));
  const [email, setEmail] = useState("");
  const request = useMutation({ mutationFn: requestPasswordReset });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate(email.trim());
  };

  return (
    <Paper withBorder p={{ base: "md", sm: "xl" }} maw={440} mx="auto" mt="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            {t("learner.recovery.forgotTitle")}
          </Title>
          {request.isSuccess ? (
            <Alert color="teal" role="status" data-testid="reset-requested">
              {t("learner.recovery.sent")}
            </Alert>
          ) : (
            <>
              <Text>{t("learner.recovery.forgotLead")}</Text>
              {request.isError ? (
                <Alert color="red" role="alert">
                  {problemMessage(request.error, t)}
                </Alert>
              ) : null}
              <TextInput
                label={t("auth.email")}
                type="email"
                autoComplete="email"
                required
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <Button type="submit" loading={request.isPending} fullWidth>
                {t("learner.recovery.send")}
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
