import { Button, Group, ScrollArea, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router";

const LINKS = [
  { to: "/admin", key: "dashboard", end: true },
  { to: "/admin/users", key: "users", end: false },
  { to: "/admin/courses", key: "courses", end: false },
  { to: "/admin/audit", key: "audit", end: false },
  { to: "/admin/emails", key: "emails", end: false },
] as const;

/** Shell of the admin console (/admin/*): sub-navigation and the page below it. */
export default function AdminLayout() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <nav aria-label={t("adminConsole.nav.label")}>
        <ScrollArea type="auto" offsetScrollbars>
          <Group gap="xs" wrap="nowrap">
            {LINKS.map((link) => (
              <NavLink key={link.to} to={link.to} end={link.end} style={{ textDecoration: "none" }}>
                {({ isActive }) => (
                  <Button component="span" variant={isActive ? "filled" : "subtle"} size="sm">
                    {t(`adminConsole.nav.${link.key}`)}
                  </Button>
                )}
              </NavLink>
            ))}
          </Group>
        </ScrollArea>
      </nav>
      <Outlet />
    </Stack>
  );
}
