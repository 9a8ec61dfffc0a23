import { Button, Group } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
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
  // On a phone: two by two, labels wrapping, rather than a row that runs off the screen.
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  return (
    <Group
      gap={4}
      component="nav"
      aria-label={t("planner.nav.label")}
      className={phone ? "planner-tabs-phone wrap-buttons" : undefined}
    >
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
