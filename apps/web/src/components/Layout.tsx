import {
  AppShell,
  Badge,
  Burger,
  Button,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  Tooltip,
  UnstyledButton,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { REALTIME_COUNT_CAP } from "@rapport/shared";
import { useQuery, useQueryClient } from "@tanstack/react-query";
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
import { get, patch } from "../lib/api.ts";
import { formatNumber } from "../lib/format.ts";
import type { Me, Team } from "../lib/types.ts";
import { LanguagePicker } from "./LanguagePicker.tsx";

const NAV = contributions("nav");
const NAV_SECTIONS = contributions("navSections");
const HEADER_ITEMS = contributions("headerItems");

export function useTeams() {
  return useQuery({ queryKey: ["teams"], queryFn: () => get<Team[]>("/teams"), staleTime: 60_000 });
}

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

function Connection() {
  const { t } = useTranslation();
  const status = useRealtimeStatus();
  const color = status === "open" ? "green" : status === "connecting" ? "yellow" : "red";
  return (
    <Tooltip label={t(`realtime.${status}`)}>
      <Badge color={color} variant="dot" data-testid="realtime-status" data-status={status} role="status">
        {t(`realtime.${status}`)}
      </Badge>
    </Tooltip>
  );
}

export function Layout({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure();
  const [help, helpCtl] = useDisclosure();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const adminLink = adminHome(me);
  const qc = useQueryClient();
  const teams = useTeams().data ?? [];
  const visibleTeams =
    me.user.role === "agent" ? teams.filter((tm) => me.user.teamIds.includes(tm.id)) : teams;

  useShortcuts({
    "?": () => helpCtl.open(),
    "/": () => document.getElementById("global-search")?.focus(),
  });

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding={0}
    >
      <a href="#main" className="skip-link">
        {t("common.skipToContent")}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t("nav.toggle")} />
            <Text component={Link} to="/inbox/mine" fw={700} fz="lg" c="indigo.8">
              Rapport
            </Text>
          </Group>
          <SearchBox />
          <Group gap="xs" wrap="nowrap">
            <Connection />
            {HEADER_ITEMS.map((Item, i) => (
              <Item key={i} me={me} />
            ))}
            <LanguagePicker
              onChange={(locale) => {
                void patch<unknown>("/me", { locale }).then(() => qc.invalidateQueries({ queryKey: meKey }));
              }}
            />
            <Button variant="subtle" size="xs" onClick={helpCtl.open} aria-label={t("shortcuts.title")}>
              ?
            </Button>
            <Menu position="bottom-end">
              <Menu.Target>
                <UnstyledButton aria-label={t("nav.account")} px="xs" fz="sm">
                  {me.user.name}
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{me.user.email}</Menu.Label>
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
      <AppShell.Navbar p="xs" aria-label={t("nav.views")}>
        <AppShell.Section grow component={ScrollArea}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={4}>
            {t("nav.views")}
          </Text>
          {FIXED_VIEWS.map((v) => (
            <NavLink
              key={v}
              component={Link}
              to={`/inbox/${v}`}
              label={t(`views.${v}`)}
              active={pathname === `/inbox/${v}`}
              rightSection={<CountBadge view={v} />}
              onClick={close}
            />
          ))}
          {visibleTeams.length > 0 && (
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
              {t("nav.teams")}
            </Text>
          )}
          {visibleTeams.map((tm) => (
            <NavLink
              key={tm.id}
              component={Link}
              to={`/inbox/team:${tm.id}`}
              label={tm.name}
              active={pathname === `/inbox/team:${tm.id}`}
              rightSection={<CountBadge view={`team:${tm.id}`} />}
              onClick={close}
            />
          ))}
          {NAV_SECTIONS.map((Section, i) => (
            <Section key={i} me={me} onNavigate={close} />
          ))}
          {NAV.some((n) => !n.adminOnly || me.user.role === "admin") && (
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
              {t("nav.work")}
            </Text>
          )}
          {NAV.filter((n) => !n.adminOnly || me.user.role === "admin").map((n) => (
            <NavLink
              key={n.to}
              component={Link}
              to={n.to}
              label={t(n.labelKey)}
              active={pathname.startsWith(n.to)}
              rightSection={n.badge ? <n.badge /> : undefined}
              onClick={close}
            />
          ))}
        </AppShell.Section>
        {adminLink && (
          <AppShell.Section>
            <NavLink
              component={Link}
              to={adminLink}
              label={t("nav.admin")}
              active={pathname.startsWith("/admin")}
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
