import { Anchor, Badge, Group, NavLink, Text } from "@mantine/core";
import { REALTIME_COUNT_CAP } from "@rapport/shared";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { formatNumber } from "../../lib/format.ts";
import type { Me } from "../../lib/types.ts";
import { useViewCounts } from "../realtime/RealtimeProvider.tsx";
import { useCustomViews } from "./api.ts";

function ViewCount({ viewKey }: { viewKey: string }) {
  const n = useViewCounts().data?.counts[viewKey];
  if (n === undefined) return null;
  return (
    <Badge variant="light" color="gray" data-testid={`count-${viewKey}`} data-count={n}>
      {formatNumber(n)}
      {n >= REALTIME_COUNT_CAP ? "+" : ""}
    </Badge>
  );
}

/** "My views" in the left navigation: each custom view with its live count, and "New view". */
export function ViewsNav({ onNavigate }: { me: Me; onNavigate: () => void }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const views = useCustomViews().data ?? [];
  return (
    <>
      <Group justify="space-between" px="sm" pt="md" pb={4} wrap="nowrap">
        <Text size="xs" fw={700} c="dimmed" tt="uppercase">
          {t("customviews.nav")}
        </Text>
        <Anchor component={Link} to="/views/new" onClick={onNavigate} fz="xs">
          {t("customviews.new")}
        </Anchor>
      </Group>
      {views.map((v) => (
        <NavLink
          key={v.id}
          component={Link}
          to={`/views/${v.id}`}
          label={v.name}
          description={v.teamIds.length > 0 ? t("customviews.shared") : undefined}
          active={pathname === `/views/${v.id}`}
          rightSection={<ViewCount viewKey={v.key} />}
          onClick={onNavigate}
        />
      ))}
    </>
  );
}
