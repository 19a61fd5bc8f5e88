import { Alert, Anchor, Button, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError } from "../api/errors";
import { problemMessage } from "../api/problemMessage";
import { signIn } from "../auth/actions";
import { safeNext } from "../auth/guards";
import { useSession } from "../auth/useSession";
import { PasswordField } from "../components/PasswordField";
import { usePageTitle } from "../lib/usePageTitle";

export default function Login() {
  const { t } = useTranslation();
  usePageTitle(t("nav.login"));
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { status } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const next = safeNext(params.get("next"));

  if (status === "authenticated" && !pending) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setPending(true);
    try {
      await signIn(email.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === "account_locked") {
        const seconds = Number(err.body.retry_after_seconds ?? 60);
        setError(t("learner.recovery.locked", { minutes: Math.max(1, Math.ceil(seconds / 60)) }));
      } else if (err instanceof ApiError && err.status === 401) setError(t("auth.invalid"));
      else setError(problemMessage(err, t));
      setPending(false);
    }
  };

  return (
    <Paper withBorder p={{ base: "md", sm: "xl" }} maw={440} mx="auto" mt="lg">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Title order={1} size="h2">
            {t("auth.loginTitle")}
          </Title>
          {params.get("expired") ? (
            <Alert color="orange" role="status">
              {t("auth.expired")}
            </Alert>
          ) : null}
          {params.get("loggedOut") ? (
            <Alert color="teal" role="status" data-testid="logged-out">
              {t("auth.loggedOut")}
            </Alert>
          ) : null}
          {error ? (
            <Alert color="red" role="alert">
              {error}
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
          <PasswordField
            label={t("auth.password")}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t("learner.recovery.forgotLink")}
          </Anchor>
          <Button type="submit" loading={pending} fullWidth>
            {t("auth.submitLogin")}
          </Button>
          <Text size="sm">
            {t("auth.noAccount")}{" "}
            <Anchor component={Link} to="/register">
              {t("nav.register")}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}
