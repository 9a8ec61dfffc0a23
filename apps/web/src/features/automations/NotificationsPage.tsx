import { Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { post } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useNotifications } from "./api.ts";

export default function NotificationsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const data = useNotifications().data;
  const refresh = () => qc.invalidateQueries({ queryKey: ["notifications"] });
  const read = useMutation({
    mutationFn: (id: string) => post(`/notifications/${id}/read`),
    onSuccess: refresh,
  });
  const readAll = useMutation({ mutationFn: () => post("/notifications/read-all"), onSuccess: refresh });
  return (
    <Stack p="md">
      <Group justify="space-between">
        <Title order={1} size="h3">
          {t("automations.notifications")}
        </Title>
        <Button variant="default" size="xs" onClick={() => readAll.mutate()} disabled={!data?.unread}>
          {t("automations.markAllRead")}
        </Button>
      </Group>
      {(data?.items ?? []).map((n) => (
        <Paper key={n.id} withBorder p="sm" bg={n.readAt ? undefined : "var(--mantine-color-orange-light)"}>
          <Group justify="space-between">
            <div>
              <Text fw={500}>
                {n.ticket ? <Link to={`/tickets/${n.ticket.id}`}>{n.title}</Link> : n.title}
              </Text>
              <Text size="xs" c="dimmed">
                {n.body} · {formatDateTime(n.createdAt)}
              </Text>
            </div>
            {!n.readAt && (
              <Button size="xs" variant="subtle" onClick={() => read.mutate(n.id)}>
                {t("automations.markRead")}
              </Button>
            )}
          </Group>
        </Paper>
      ))}
      {data?.items.length === 0 && <Text c="dimmed">{t("automations.noNotifications")}</Text>}
    </Stack>
  );
}
