import { Alert, Badge, Button, Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useMarkRead, useUnreadOfKind } from "../notifications/api.ts";
import { dayLabel, useToday } from "./api.ts";

/**
 * The morning plan the server files each day (a `planner.morning_plan` notice in the
 * notification centre), until the agent dismisses it (which marks the notice read).
 */
export function MorningPlan() {
  const { t, i18n } = useTranslation();
  const read = useMarkRead();
  const found = useUnreadOfKind("planner.morning_plan").data?.items[0];
  if (!found) return null;
  const n = {
    ...found,
    day: String(found.params.day ?? ""),
    data: found.params as { count?: number; missed?: number },
  };
  return (
    <Alert
      color="indigo"
      variant="light"
      title={t("planner.morning.title", { date: dayLabel(n.day, i18n.language) })}
    >
      <Group justify="space-between">
        <Text size="sm">
          {t("planner.morning.body", { count: n.data?.count ?? 0, missed: n.data?.missed ?? 0 })}
        </Text>
        <Button
          size="compact-sm"
          variant="default"
          onClick={() => read.mutate(n.id)}
          loading={read.isPending}
        >
          {t("planner.morning.dismiss")}
        </Button>
      </Group>
    </Alert>
  );
}

/** The number of contacts on today's list, beside "Today" in the navigation (red when some were missed). */
export function TodayBadge() {
  const today = useToday(undefined);
  const items = today.data?.items ?? [];
  if (items.length === 0) return null;
  const missed = items.some((i) => i.missed);
  return (
    <Badge variant={missed ? "filled" : "light"} color={missed ? "red.9" : "gray"} data-testid="today-count">
      {items.length}
    </Badge>
  );
}
