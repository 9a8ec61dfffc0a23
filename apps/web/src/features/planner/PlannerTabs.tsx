import { Button, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

const TABS = [
  { path: "/planner/today", key: "planner.nav.today" },
  { path: "/planner/month", key: "planner.nav.month" },
  { path: "/planner/absences", key: "planner.nav.absences" },
  { path: "/planner/settings", key: "planner.nav.settings" },
] as const;

/** The planner's sections; the agent picker (`?agent=`) is kept when switching. */
export function PlannerTabs() {
  const { t } = useTranslation();
  const { pathname, search } = useLocation();
  const agent = new URLSearchParams(search).get("agent");
  return (
    <Group gap={4} component="nav" aria-label={t("planner.nav.label")}>
      {TABS.map((x) => {
        const active = pathname.startsWith(x.path);
        return (
          <Button
            key={x.path}
            component={Link}
            to={agent ? `${x.path}?agent=${agent}` : x.path}
            variant={active ? "filled" : "subtle"}
            size="xs"
            aria-current={active ? "page" : undefined}
          >
            {t(x.key)}
          </Button>
        );
      })}
    </Group>
  );
}
