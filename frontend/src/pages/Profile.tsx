import {
  Alert,
  Button,
  Grid,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { session } from "../api/client";
import * as endpoints from "../api/endpoints";
import { fieldProblemMessage, problemMessage } from "../api/problemMessage";
import type { Locale } from "../api/types";
import { useSession } from "../auth/useSession";
import { applyLanguage, isLanguage } from "../i18n";
import { PasswordField } from "../components/PasswordField";
import { DeveloperCallToAction } from "../components/developer/BecomeDeveloper";
import { VerifyEmailNotice } from "../components/VerifyEmailNotice";
import { usePageTitle } from "../lib/usePageTitle";

type Feedback = { kind: "ok" | "error"; text: string } | null;


function DetailsForm() {
  const { t } = useTranslation();
  const { user } = useSession();
  const [fullName, setFullName] = useState(user?.full_name ?? "");
  // Follows the account's language (the header switch changes it too) until the person picks
  // another one here; saving sends the pick, or the current language, never a stale value.
  const [localeChoice, setLocaleChoice] = useState<Locale | null>(null);
  const locale: Locale = localeChoice ?? user?.locale ?? "id";
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [pending, setPending] = useState(false);
  if (!user) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFeedback(null);
    if (!fullName.trim()) {
      setFeedback({ kind: "error", text: t("errors.required") });
      return;
    }
    setPending(true);
    try {
      const updated = await endpoints.updateMe({ full_name: fullName.trim(), locale });
      session.updateUser(updated);
      setLocaleChoice(null);
      await applyLanguage(updated.locale);
      setFeedback({ kind: "ok", text: t("profile.saved") });
    } catch (error) {
      setFeedback({ kind: "error", text: problemMessage(error, t) });
    } finally {
      setPending(false);
    }
  };

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="details-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Title order={2} size="h3" id="details-title">
            {t("profile.details")}
          </Title>
          <div>
            <Text size="sm" fw={500}>
              {t("profile.email")}
            </Text>
            <Text>{user.email}</Text>
          </div>
          <div>
            <Text size="sm" fw={500}>
              {t("profile.role")}
            </Text>
            <Text>{t(`roles.${user.role}`)}</Text>
          </div>
          <TextInput
            label={t("profile.fullName")}
            autoComplete="name"
            required
            value={fullName}
            onChange={(e) => setFullName(e.currentTarget.value)}
          />
          <NativeSelect
            label={t("profile.locale")}
            value={locale}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (isLanguage(value)) setLocaleChoice(value);
            }}
            data={[
              { value: "id", label: t("language.id") },
              { value: "en", label: t("language.en") },
            ]}
          />
          {feedback ? (
            <Alert color={feedback.kind === "ok" ? "teal" : "red"} role={feedback.kind === "ok" ? "status" : "alert"}>
              {feedback.text}
            </Alert>
          ) : null}
          <Button type="submit" loading={pending} style={{ alignSelf: "flex-start" }}>
            {t("profile.save")}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

function PasswordForm() {
  const { t } = useTranslation();
  const [values, setValues] = useState({ current: "", next: "", confirm: "" });
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFeedback(null);
    if (!values.current || !values.next) {
      setFeedback({ kind: "error", text: t("errors.required") });
      return;
    }
    if (values.next !== values.confirm) {
      setFeedback({ kind: "error", text: t("profile.passwordMismatch") });
      return;
    }
    setPending(true);
    try {
      await endpoints.changePassword({
        current_password: values.current,
        new_password: values.next,
      });
      setValues({ current: "", next: "", confirm: "" });
      setFeedback({ kind: "ok", text: t("profile.passwordChanged") });
    } catch (error) {
      const fieldMessage =
        fieldProblemMessage(error, "new_password", t) ??
        fieldProblemMessage(error, "current_password", t);
      setFeedback({ kind: "error", text: fieldMessage ?? problemMessage(error, t) });
    } finally {
      setPending(false);
    }
  };

  const field = (name: keyof typeof values) => ({
    value: values[name],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setValues((current) => ({ ...current, [name]: value }));
    },
  });

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="password-title">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Stack>
          <Title order={2} size="h3" id="password-title">
            {t("profile.passwordTitle")}
          </Title>
          <PasswordField
            label={t("profile.currentPassword")}
            autoComplete="current-password"
            required
            {...field("current")}
          />
          <PasswordField
            label={t("profile.newPassword")}
            description={t("auth.passwordHint")}
            autoComplete="new-password"
            required
            {...field("next")}
          />
          <PasswordField
            label={t("profile.confirmPassword")}
            autoComplete="new-password"
            required
            {...field("confirm")}
          />
          {feedback ? (
            <Alert color={feedback.kind === "ok" ? "teal" : "red"} role={feedback.kind === "ok" ? "status" : "alert"}>
              {feedback.text}
            </Alert>
          ) : null}
          <Button type="submit" loading={pending} style={{ alignSelf: "flex-start" }}>
            {t("profile.changePassword")}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

export default function Profile() {
  const { t } = useTranslation();
  const { user } = useSession();
  usePageTitle(t("profile.title"));
  return (
    <Stack gap="lg">
      <Title order={1}>{t("profile.title")}</Title>
      {user ? <VerifyEmailNotice user={user} /> : null}
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <DetailsForm />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <PasswordForm />
        </Grid.Col>
      </Grid>
      <Paper withBorder p="lg" component="section" aria-labelledby="developer-title">
        <Stack align="flex-start">
          <Title order={2} size="h3" id="developer-title">
            {t("devPortal.upgrade.compactTitle")}
          </Title>
          <Text>{t("devPortal.upgrade.compact")}</Text>
          <DeveloperCallToAction />
        </Stack>
      </Paper>
    </Stack>
  );
}
