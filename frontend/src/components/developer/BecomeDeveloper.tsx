import { Alert, Button, Card, List, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link as RouterLink } from "react-router";
import { session } from "../../api/client";
import { upgradeToDeveloper } from "../../api/developer";
import { problemMessage } from "../../api/problemMessage";
import { useSession } from "../../auth/useSession";
import { KeyDialog, type NewKey } from "./KeyDialog";

/** The one-click upgrade: the first key appears once in the key dialog. */
export function UpgradeButton({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [newKey, setNewKey] = useState<NewKey | null>(null);
  const [upgradedUser, setUpgradedUser] = useState<Parameters<typeof session.updateUser>[0] | null>(
    null,
  );

  const upgrade = async () => {
    setPending(true);
    setError(null);
    try {
      const result = await upgradeToDeveloper();
      setUpgradedUser(result.user);
      setNewKey({ name: result.api_key.name, key: result.api_key.key });
    } catch (err) {
      setError(problemMessage(err, t));
    } finally {
      setPending(false);
    }
  };

  // The new role is adopted when the dialog closes, so the page behind it does not re-render
  // into the portal (and away from this dialog) while the key is on screen.
  const close = () => {
    setNewKey(null);
    if (upgradedUser) session.updateUser(upgradedUser);
    onDone?.();
  };

  return (
    <Stack gap="xs" align="flex-start">
      <Button size="md" loading={pending} onClick={() => void upgrade()}>
        {t("devPortal.upgrade.button")}
      </Button>
      {error ? (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      ) : null}
      <KeyDialog newKey={newKey} onClose={close} />
    </Stack>
  );
}

/** The full call to action on /developer for a signed-in learner. */
export function BecomeDeveloper() {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="upgrade-title">
      <Stack>
        <Title order={2} id="upgrade-title">
          {t("devPortal.upgrade.title")}
        </Title>
        <Text>{t("devPortal.upgrade.lead")}</Text>
        <List spacing="sm">
          <List.Item>
            <Text fw={700} span>
              {t("devPortal.upgrade.whatIsKeyTitle")}
            </Text>{" "}
            {t("devPortal.upgrade.whatIsKey")}
          </List.Item>
          <List.Item>
            <Text fw={700} span>
              {t("devPortal.upgrade.limitTitle")}
            </Text>{" "}
            {t("devPortal.upgrade.limit")}
          </List.Item>
          <List.Item>
            <Text fw={700} span>
              {t("devPortal.upgrade.analyticsTitle")}
            </Text>{" "}
            {t("devPortal.upgrade.analytics")}
          </List.Item>
        </List>
        <Text size="sm" c="dimmed">
          {t("devPortal.upgrade.free")}
        </Text>
        <UpgradeButton />
      </Stack>
    </Card>
  );
}

/**
 * The short version for the profile and the landing page: sign-up for visitors, the upgrade
 * for learners, a link to the portal for developers and admins.
 */
export function DeveloperCallToAction() {
  const { t } = useTranslation();
  const { user } = useSession();
  if (!user) {
    return (
      <Button component={RouterLink} to="/register" variant="light">
        {t("devPortal.upgrade.signUp")}
      </Button>
    );
  }
  if (user.role !== "learner") {
    return (
      <Button component={RouterLink} to="/developer" variant="light">
        {t("devPortal.upgrade.openPortal")}
      </Button>
    );
  }
  return <UpgradeButton />;
}
