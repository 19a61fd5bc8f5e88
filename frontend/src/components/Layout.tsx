import {
  Anchor,
  Box,
  Burger,
  Button,
  Container,
  Drawer,
  Group,
  Menu,
  Stack,
  Text,
  UnstyledButton,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Suspense, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import {
  NavLink,
  Outlet,
  Link as RouterLink,
  ScrollRestoration,
  useLocation,
  useNavigate,
} from "react-router";
import type { Role } from "../api/types";
import { signOut } from "../auth/actions";
import { useSession } from "../auth/useSession";
import { LanguageSwitch } from "./LanguageSwitch";
import { PageLoader } from "./PageLoader";
import classes from "./Layout.module.css";

interface NavItem {
  to: string;
  label: string;
  roles?: Role[];
  auth?: boolean;
}

export function useNavItems(): NavItem[] {
  const { t } = useTranslation();
  const { user } = useSession();
  const items: NavItem[] = [
    { to: "/courses", label: t("nav.catalogue") },
    { to: "/my-learning", label: t("nav.myLearning"), auth: true },
    { to: "/developer", label: t("nav.developer"), roles: ["developer", "admin"] },
    { to: "/admin", label: t("nav.admin"), roles: ["admin"] },
  ];
  return items.filter((item) => {
    if (item.auth && !user) return false;
    if (item.roles && (!user || !item.roles.includes(user.role))) return false;
    return true;
  });
}

function NavLinks({ onNavigate, vertical }: { onNavigate?: () => void; vertical?: boolean }) {
  const items = useNavItems();
  const Wrapper = vertical ? Stack : Group;
  return (
    <Wrapper gap={vertical ? "xs" : "md"} component="ul" className={classes.navList}>
      {items.map((item) => (
        <li key={item.to}>
          <NavLink to={item.to} className={classes.navLink} onClick={onNavigate}>
            {item.label}
          </NavLink>
        </li>
      ))}
    </Wrapper>
  );
}

function AccountActions({ onNavigate, vertical }: { onNavigate?: () => void; vertical?: boolean }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const navigate = useNavigate();

  const logout = async () => {
    onNavigate?.();
    await signOut();
    navigate("/login?loggedOut=1", { replace: true });
  };

  if (!user) {
    const Wrapper = vertical ? Stack : Group;
    return (
      <Wrapper gap="xs">
        <Button component={RouterLink} to="/login" variant="default" size="sm" onClick={onNavigate}>
          {t("nav.login")}
        </Button>
        <Button component={RouterLink} to="/register" size="sm" onClick={onNavigate}>
          {t("nav.register")}
        </Button>
      </Wrapper>
    );
  }
  if (vertical) {
    return (
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {user.full_name}
        </Text>
        <Button component={RouterLink} to="/profile" variant="default" onClick={onNavigate}>
          {t("nav.profile")}
        </Button>
        <Button variant="light" color="red" onClick={() => void logout()}>
          {t("nav.logout")}
        </Button>
      </Stack>
    );
  }
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton
          className={classes.account}
          aria-label={t("nav.account", { name: user.full_name })}
        >
          {user.full_name}
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component={RouterLink} to="/profile">
          {t("nav.profile")}
        </Menu.Item>
        <Menu.Item color="red" onClick={() => void logout()}>
          {t("nav.logout")}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();

  // Close the mobile menu whenever the page changes, and move keyboard and screen-reader focus
  // to the new page's content (not on the first load: the browser starts at the top anyway).
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(location.pathname);
  useEffect(() => {
    close();
    if (location.pathname !== firstPath.current) {
      firstPath.current = "";
      mainRef.current?.focus({ preventScroll: false });
    }
  }, [location.pathname, close]);

  // A session that could not be refreshed ends on any page, not only protected ones.
  const { status, endReason } = useSession();
  const navigate = useNavigate();
  useEffect(() => {
    if (status !== "anonymous" || endReason !== "expired" || location.pathname === "/login") return;
    const params = new URLSearchParams({ next: location.pathname + location.search, expired: "1" });
    navigate(`/login?${params.toString()}`, { replace: true });
    // Only when the session state changes; the location is read, not watched.
  }, [status, endReason]);

  return (
    <Box className={classes.shell}>
      <ScrollRestoration />
      <a href="#main" className={classes.skip}>
        {t("app.skipToContent")}
      </a>
      <header className={classes.header}>
        <Container size="lg" className={classes.headerInner}>
          <Anchor component={RouterLink} to="/" className={classes.brand} underline="never">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>{t("app.name")}</span>
          </Anchor>
          <Box component="nav" aria-label={t("nav.main")} visibleFrom="sm">
            <NavLinks />
          </Box>
          <Group gap="sm" wrap="nowrap" className={classes.headerEnd}>
            <LanguageSwitch />
            <Box visibleFrom="sm">
              <AccountActions />
            </Box>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              aria-label={opened ? t("nav.closeMenu") : t("nav.openMenu")}
              aria-expanded={opened}
              aria-controls="mobile-menu"
              size="sm"
            />
          </Group>
        </Container>
      </header>
      <Drawer
        id="mobile-menu"
        opened={opened}
        onClose={close}
        title={t("app.name")}
        position="right"
        size="80%"
        closeButtonProps={{ "aria-label": t("nav.closeMenu") }}
      >
        <nav aria-label={t("nav.main")}>
          <NavLinks vertical onNavigate={close} />
        </nav>
        <Box mt="lg">
          <AccountActions vertical onNavigate={close} />
        </Box>
      </Drawer>
      <main id="main" tabIndex={-1} className={classes.main} ref={mainRef}>
        <Container size="lg" py="lg">
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </Container>
      </main>
      <footer className={classes.footer}>
        <Container size="lg">
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed">
              {t("app.footer")}
            </Text>
            {/* A plain link: /docs is served by the platform, not by the web app's router. */}
            <Anchor href="/docs" size="sm">
              {t("devPortal.footerDocs")}
            </Anchor>
          </Group>
        </Container>
      </footer>
    </Box>
  );
}
