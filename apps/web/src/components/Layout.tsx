import {
  AppShell,
  Avatar,
  Badge,
  Burger,
  Button,
  Group,
  type MantineColorScheme,
  Menu,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
  useMantineColorScheme,
} from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { REALTIME_COUNT_CAP } from "@rapport/shared";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { adminHome } from "../features/admin/sections.ts";
import { meKey, useLogout } from "../features/auth/session.ts";
import { contributions } from "../features/extensions.ts";
import { useRealtimeStatus, useViewCounts } from "../features/realtime/RealtimeProvider.tsx";
import { FIXED_VIEWS } from "../features/realtime/views.ts";
import { SearchBox } from "../features/search/SearchBox.tsx";
import { ShortcutsModal } from "../features/shortcuts/ShortcutsModal.tsx";
import { useShortcuts } from "../features/shortcuts/useShortcuts.ts";
import { useTeams } from "../features/teams/api.ts";
import { patch } from "../lib/api.ts";
import { formatNumber } from "../lib/format.ts";
import type { Me } from "../lib/types.ts";
import { LanguagePicker } from "./LanguagePicker.tsx";

const NAV = contributions("nav");
const NAV_SECTIONS = contributions("navSections");
const HEADER_ITEMS = contributions("headerItems");

function CountBadge({ view }: { view: string }) {
  const { data } = useViewCounts();
  const n = data?.counts[view];
  if (n === undefined) return null;
  // The server caps counts at REALTIME_COUNT_CAP; deltas keep moving them, so show "n+".
  const capped = n >= REALTIME_COUNT_CAP;
  return (
    <Badge variant="light" color="gray" data-testid={`count-${view}`} data-count={n}>
      {formatNumber(n)}
      {capped ? "+" : ""}
    </Badge>
  );
}

function Connection({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const status = useRealtimeStatus();
  const color = status === "open" ? "green" : status === "connecting" ? "yellow" : "red";
  return (
    <Tooltip label={t(`realtime.${status}`)}>
      <Badge
        color={color}
        variant="dot"
        data-testid="realtime-status"
        data-status={status}
        role="status"
        aria-label={t(`realtime.${status}`)}
        className={compact ? "connection-dot" : undefined}
      >
        {compact ? null : t(`realtime.${status}`)}
      </Badge>
    </Tooltip>
  );
}

const SCHEMES: MantineColorScheme[] = ["light", "dark", "auto"];

/** Light, dark, or as the operating system says (the default); kept in this browser. */
function ThemeItems() {
  const { t } = useTranslation();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <>
      <Menu.Label>{t("theme.label")}</Menu.Label>
      {SCHEMES.map((s) => (
        <Menu.Item
          key={s}
          role="menuitemradio"
          aria-checked={colorScheme === s}
          data-testid={`theme-${s}`}
          onClick={() => setColorScheme(s)}
          leftSection={<span aria-hidden="true">{colorScheme === s ? "✓" : ""}</span>}
        >
          {t(`theme.${s}`)}
        </Menu.Item>
      ))}
    </>
  );
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase() ?? "")
    .join("");

export function Layout({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const [help, helpCtl] = useDisclosure();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const adminLink = adminHome(me);
  const qc = useQueryClient();
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  const teams = useTeams().data ?? [];
  const visibleTeams =
    me.user.role === "agent" ? teams.filter((tm) => me.user.teamIds.includes(tm.id)) : teams;
  const [teamsOpen, teamsCtl] = useDisclosure(visibleTeams.length <= 6);

  useShortcuts({
    "?": () => helpCtl.open(),
    "/": () => document.getElementById("global-search")?.focus(),
  });

  const languagePicker = (
    <LanguagePicker
      onChange={(locale) => {
        void patch<unknown>("/me", { locale }).then(() => qc.invalidateQueries({ queryKey: meKey }));
      }}
    />
  );
  const section = (label: string, first = false) => (
    <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt={first ? 4 : "sm"} pb={2}>
      {label}
    </Text>
  );
  const work = NAV.filter(
    (n) => (!n.adminOnly || me.user.role === "admin") && (!n.managers || me.user.role !== "agent"),
  );

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 260, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding={0}
    >
      <a href="#main" className="skip-link">
        {t("common.skipToContent")}
      </a>
      <AppShell.Header>
        <Group h="100%" px={phone ? "xs" : "md"} justify="space-between" wrap="nowrap" gap="xs">
          <Group wrap="nowrap" gap="xs">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("nav.toggle")} />
            <Text
              component={Link}
              to="/inbox/mine"
              fw={700}
              fz="lg"
              c="bright"
              className="brand"
              visibleFrom="xs"
            >
              Rapport
            </Text>
          </Group>
          <SearchBox />
          <Group gap="xs" wrap="nowrap">
            <Connection compact={phone} />
            {!phone && HEADER_ITEMS.map((Item, i) => <Item key={i} me={me} />)}
            {!phone && languagePicker}
            {!phone && (
              <Button variant="subtle" size="xs" onClick={helpCtl.open} aria-label={t("shortcuts.title")}>
                ?
              </Button>
            )}
            <Menu position="bottom-end" width={240}>
              <Menu.Target>
                <UnstyledButton
                  aria-label={t("nav.account")}
                  px={phone ? 0 : "xs"}
                  fz="sm"
                  data-testid="account-menu"
                >
                  {phone ? (
                    <Avatar size="sm" color="indigo" radius="xl">
                      {initials(me.user.name)}
                    </Avatar>
                  ) : (
                    me.user.name
                  )}
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{phone ? `${me.user.name} · ${me.user.email}` : me.user.email}</Menu.Label>
                <ThemeItems />
                <Menu.Divider />
                {phone && <Menu.Item onClick={helpCtl.open}>{t("shortcuts.title")}</Menu.Item>}
                <Menu.Item
                  onClick={async () => {
                    await logout();
                    navigate("/login");
                  }}
                >
                  {t("auth.signOut")}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t("nav.views")} data-testid="nav">
        {phone && (
          <AppShell.Section pb="xs" className="nav-phone-tools">
            <Stack gap="xs">
              <Group gap="xs" wrap="wrap">
                {HEADER_ITEMS.map((Item, i) => (
                  <Item key={i} me={me} />
                ))}
              </Group>
              {languagePicker}
            </Stack>
          </AppShell.Section>
        )}
        <AppShell.Section grow component={ScrollArea}>
          {section(t("nav.views"), true)}
          {FIXED_VIEWS.map((v) => (
            <NavLink
              key={v}
              component={Link}
              to={`/inbox/${v}`}
              label={t(`views.${v}`)}
              active={pathname === `/inbox/${v}`}
              rightSection={<CountBadge view={v} />}
              onClick={close}
              className="nav-item"
            />
          ))}
          {NAV_SECTIONS.map((Section, i) => (
            <Section key={i} me={me} onNavigate={close} />
          ))}
          {work.length > 0 && section(t("nav.work"))}
          {work.map((n) => (
            <NavLink
              key={n.to}
              component={Link}
              to={n.to}
              label={t(n.labelKey)}
              active={pathname.startsWith(n.to)}
              rightSection={n.badge ? <n.badge /> : undefined}
              onClick={close}
              className="nav-item"
            />
          ))}
          {visibleTeams.length > 0 && (
            <NavLink
              label={section(t("nav.teams"))}
              opened={teamsOpen}
              onClick={teamsCtl.toggle}
              component="button"
              className="nav-group"
              aria-expanded={teamsOpen}
              childrenOffset={0}
            >
              {visibleTeams.map((tm) => (
                <NavLink
                  key={tm.id}
                  component={Link}
                  to={`/inbox/team:${tm.id}`}
                  label={tm.name}
                  active={pathname === `/inbox/team:${tm.id}`}
                  rightSection={<CountBadge view={`team:${tm.id}`} />}
                  onClick={close}
                  className="nav-item"
                />
              ))}
            </NavLink>
          )}
        </AppShell.Section>
        {adminLink && (
          <AppShell.Section pt={4} className="nav-admin">
            <NavLink
              component={Link}
              to={adminLink}
              label={t("nav.admin")}
              active={pathname.startsWith("/admin")}
              onClick={close}
              className="nav-item"
            />
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
      <ShortcutsModal opened={help} onClose={helpCtl.close} />
    </AppShell>
  );
}
