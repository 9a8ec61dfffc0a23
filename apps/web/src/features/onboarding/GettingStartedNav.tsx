import { Badge, NavLink } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { formatNumber } from "../../lib/format.ts";
import type { Me } from "../../lib/types.ts";
import { useGettingStarted } from "./api.ts";

/** "Getting started 3/7" at the top of the navigation, for admins, until done or put away. */
export function GettingStartedNav({ me, onNavigate }: { me: Me; onNavigate: () => void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const { data } = useGettingStarted(me);
  if (!data || data.dismissed) return null;
  const done = data.steps.filter((s) => s.done).length;
  if (done === data.steps.length) return null;
  return (
    <NavLink
      component={Link}
      to="/getting-started"
      label={t("onboarding.nav")}
      active={pathname === "/getting-started"}
      rightSection={
        <Badge variant="light" data-testid="getting-started-progress">
          {t("onboarding.progress", { done: formatNumber(done), total: formatNumber(data.steps.length) })}
        </Badge>
      }
      onClick={onNavigate}
      className="nav-item"
    />
  );
}
