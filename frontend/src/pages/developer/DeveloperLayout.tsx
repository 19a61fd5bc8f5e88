import { Group, Stack, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router";
import { useSession } from "../../auth/useSession";
import { BecomeDeveloper } from "../../components/developer/BecomeDeveloper";
import { usePageTitle } from "../../lib/usePageTitle";
import classes from "./Developer.module.css";

const LINKS = [
  { to: "/developer", key: "home", end: true },
  { to: "/developer/keys", key: "keys", end: false },
  { to: "/developer/analytics", key: "analytics", end: false },
  { to: "/developer/analyses", key: "history", end: false },
  { to: "/developer/guide", key: "guide", end: false },
] as const;

/**
 * Shell of the developer portal (/developer/*): sub-navigation and the page below it. A learner
 * sees the call to action to become a developer on every portal address instead.
 */
export default function DeveloperLayout() {
  const { t } = useTranslation();
  const { user } = useSession();
  const isDeveloper = user?.role === "developer" || user?.role === "admin";
  usePageTitle(isDeveloper ? null : t("devPortal.upgrade.title"));
  return (
    <Stack gap="lg">
      <Title order={1}>{t("devPortal.title")}</Title>
      {isDeveloper ? (
        <>
          <nav aria-label={t("devPortal.subnav")}>
            <Group component="ul" gap="xs" className={classes.subnav}>
              {LINKS.map((link) => (
                <li key={link.to}>
                  <NavLink to={link.to} end={link.end} className={classes.subnavLink}>
                    {t(`devPortal.nav.${link.key}`)}
                  </NavLink>
                </li>
              ))}
            </Group>
          </nav>
          <Outlet />
        </>
      ) : (
        <BecomeDeveloper />
      )}
    </Stack>
  );
}
