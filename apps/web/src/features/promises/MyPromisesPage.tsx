import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatRelative } from "../../lib/format.ts";
import { useMarkNotificationRead, useSlaNotifications } from "../sla/api.ts";
import { useOverduePromises, usePromises } from "./api.ts";
import { PromiseItem } from "./PromiseList.tsx";

/** My open promises, the overdue ones I (or, for managers, my team) must act on, and my reminders. */
export function MyPromisesPage() {
  const { t } = useTranslation();
  const mine = usePromises({ owner: "me", status: "open" });
  const overdue = useOverduePromises();
  const notes = useSlaNotifications().data?.items ?? [];
  const read = useMarkNotificationRead();
  return (
    <Stack p="md" gap="lg">
      <Title order={2}>{t("promises.myTitle")}</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            {t("promises.overdueTitle")}{" "}
            <Badge color="red" variant="light">
              {overdue.data?.items.length ?? 0}
            </Badge>
          </Title>
          <Stack gap="sm" data-testid="overdue-promises">
            {(overdue.data?.items ?? []).map((p) => (
              <PromiseItem key={p.id} p={p} showTicket />
            ))}
            {overdue.data?.items.length === 0 && (
              <Text size="sm" c="dimmed">
                {t("promises.noneOverdue")}
              </Text>
            )}
          </Stack>
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            {t("promises.openTitle")}
          </Title>
          <Stack gap="sm" data-testid="my-promises">
            {(mine.data?.items ?? []).map((p) => (
              <PromiseItem key={p.id} p={p} showTicket />
            ))}
            {mine.data?.items.length === 0 && (
              <Text size="sm" c="dimmed">
                {t("promises.none")}
              </Text>
            )}
          </Stack>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={3} size="h5" mb="sm">
          {t("promises.alerts")}
        </Title>
        <Stack gap={6}>
          {notes.length === 0 && (
            <Text size="sm" c="dimmed">
              {t("promises.noAlerts")}
            </Text>
          )}
          {notes.map((n) => (
            <Group key={n.id} justify="space-between" wrap="nowrap">
              <Text size="sm" fw={n.readAt ? 400 : 600}>
                <Badge size="xs" mr={6} variant="light">
                  {t(`promises.alertKind.${n.kind}`, { defaultValue: n.kind })}
                </Badge>
                {n.ticketId ? <Link to={`/tickets/${n.ticketId}`}>{n.title}</Link> : n.title}
              </Text>
              <Group gap="xs" wrap="nowrap">
                <Text size="xs" c="dimmed">
                  {formatRelative(n.createdAt)}
                </Text>
                {!n.readAt && (
                  <Button size="compact-xs" variant="subtle" onClick={() => read.mutate(n.id)}>
                    {t("promises.markRead")}
                  </Button>
                )}
              </Group>
            </Group>
          ))}
        </Stack>
      </Card>
    </Stack>
  );
}
