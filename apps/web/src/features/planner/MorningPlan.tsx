import { Alert, Badge, Button, Group, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get, post } from "../../lib/api.ts";
import { dayLabel, plannerKey, useToday } from "./api.ts";

type Notification = {
  id: string;
  kind: string;
  day: string;
  title: string;
  data: { count?: number; missed?: number; emailed?: boolean } | null;
  readAt: string | null;
  createdAt: string;
};

const key = [...plannerKey, "notifications"] as const;

/** The morning plan the server files each day (`planner.morning`), until the agent dismisses it. */
export function MorningPlan() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const unread = useQuery({
    queryKey: key,
    queryFn: () => get<{ items: Notification[] }>("/planner/notifications?unread=true"),
    staleTime: 60_000,
  });
  const read = useMutation({
    mutationFn: (id: string) => post<void>(`/planner/notifications/${id}/read`),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
  });
  const n = unread.data?.items.find((x) => x.kind === "morning_plan");
  if (!n) return null;
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
