import { ActionIcon, Anchor, Button, Group, Indicator, Popover, ScrollArea, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMarkAllRead, useNoticePush, useUnreadCount } from "./api.ts";
import { NoticeList } from "./NoticeList.tsx";

function BellIcon() {
  return (
    <svg
      width="20"
      height="20"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

/** The bell in the top bar: unread count, the latest notices, mark all read. Kept live by push. */
export function Bell() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [opened, setOpened] = useState(false);
  // Titles come rendered in the user's language: read them again when it changes.
  useEffect(() => {
    if (i18n.language) void qc.invalidateQueries({ queryKey: ["notifications", "list"] });
  }, [i18n.language, qc]);
  const unread = useUnreadCount().data?.unread ?? 0;
  const readAll = useMarkAllRead();
  useNoticePush();
  const label = unread > 0 ? t("notifications.bellUnread", { count: unread }) : t("notifications.title");
  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      shadow="md"
      width="min(24rem, calc(100vw - 1rem))"
    >
      <Popover.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="lg"
          aria-label={label}
          data-testid="bell"
          onClick={() => setOpened((o) => !o)}
        >
          <Indicator
            label={unread > 99 ? "99+" : unread}
            disabled={unread === 0}
            size={16}
            offset={2}
            color="red"
            data-testid="bell-count"
          >
            <BellIcon />
          </Indicator>
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p={0}>
        <Group justify="space-between" px="sm" py="xs" gap={4}>
          <Text fw={600} size="sm">
            {t("notifications.title")}
          </Text>
          <Button size="compact-xs" variant="subtle" disabled={unread === 0} onClick={() => readAll.mutate()}>
            {t("notifications.markAllRead")}
          </Button>
        </Group>
        <ScrollArea.Autosize mah="min(28rem, 70vh)">
          {opened && <NoticeList onOpen={() => setOpened(false)} />}
        </ScrollArea.Autosize>
        <Group justify="space-between" px="sm" py="xs">
          <Anchor component={Link} to="/notifications" size="xs" onClick={() => setOpened(false)}>
            {t("notifications.seeAll")}
          </Anchor>
          <Anchor component={Link} to="/settings/notifications" size="xs" onClick={() => setOpened(false)}>
            {t("notifications.preferences")}
          </Anchor>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}
