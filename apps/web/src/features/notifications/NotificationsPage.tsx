import { Anchor, Button, Group, Paper, Stack, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMarkAllRead, useUnreadCount } from "./api.ts";
import { NoticeList } from "./NoticeList.tsx";

/** Every notice on one page (the bell's "see all"; the phone's full-screen list). */
export default function NotificationsPage() {
  const { t } = useTranslation();
  const unread = useUnreadCount().data?.unread ?? 0;
  const readAll = useMarkAllRead();
  return (
    <Stack p="md" maw={720}>
      <Group justify="space-between">
        <Title order={1} size="h3">
          {t("notifications.title")}
        </Title>
        <Group gap="xs">
          <Anchor component={Link} to="/settings/notifications" size="sm">
            {t("notifications.preferences")}
          </Anchor>
          <Button variant="default" size="xs" disabled={unread === 0} onClick={() => readAll.mutate()}>
            {t("notifications.markAllRead")}
          </Button>
        </Group>
      </Group>
      <Paper withBorder>
        <NoticeList />
      </Paper>
    </Stack>
  );
}
