import { Alert, Anchor, Button, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate } from "react-router";
import { fieldProblemMessage, problemMessage } from "../api/problemMessage";
import { signUp } from "../auth/actions";
import { useSession } from "../auth/useSession";
import { PasswordField } from "../components/PasswordField";
import { usePageTitle } from "../lib/usePageTitle";

const MIN_PASSWORD = 10; // the platform's policy (accounts/passwords.py)

export default function Register() {
  const { t } = useTranslation();
  usePageTitle(t("nav.register"));
  const navigate = useNavigate();
  const { status } = useSession();
  const [values, setValues] = useState({ full_name: "", email: "", password: "" });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  if (status === "authenticated" && !pending) return <Navigate to="/my-learning" replace />;

  const set = (field: keyof typeof values) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setValues((current) => ({ ...current, [field]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!values.full_name.trim()) local.full_name = t("errors.required");
    if (!values.email.trim()) local.email = t("errors.required");
    if (values.password.length < MIN_PASSWORD) local.password = t("auth.passwordHint");
    setFieldErrors(local);
    setError(null);
    if (Object.keys(local).length) return;
    setPending(true);
    try {
      await signUp({
        full_name: values.full_name.trim(),
        email: values.email.trim(),
        password: values.password,
      });
      navigate("/courses", { replace: true });
    } catch (err) {
      setPending(false);
      const fields: Record<string, string> = {};
      for (const name of ["full_name", "email", "password"]) {
        const message = fieldProblemMessage(err, name, t);
        if (message) fields[name] = message;
      }
      setFieldErrors(fields);
      setError(problemMessage(err, t));
    }
  };

  return (
    <Paper withBorder p={{ base: "md", sm: "xl" }} maw={440} mx="auto" mt="lg">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Title order={1} size="h2">
            {t("auth.registerTitle")}
          </Title>
          {error ? (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          ) : null}
          <TextInput
            label={t("auth.fullName")}
            autoComplete="name"
            required
            value={values.full_name}
            onChange={set("full_name")}
            error={fieldErrors.full_name}
          />
          <TextInput
            label={t("auth.email")}
            type="email"
            autoComplete="email"
            required
            value={values.email}
            onChange={set("email")}
            error={fieldErrors.email}
          />
          <PasswordField
            label={t("auth.password")}
            description={t("auth.passwordHint")}
            autoComplete="new-password"
            required
            value={values.password}
            onChange={set("password")}
            error={fieldErrors.password}
          />
          <Button type="submit" loading={pending} fullWidth>
            {t("auth.submitRegister")}
          </Button>
          <Text size="sm">
            {t("auth.haveAccount")}{" "}
            <Anchor component={Link} to="/login">
              {t("nav.login")}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Paper>
  );
}
