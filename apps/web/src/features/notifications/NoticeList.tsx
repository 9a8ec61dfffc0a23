import { Button, Group, Loader, Stack, Text, UnstyledButton } from "@mantine/core";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { formatDateTime, formatRelative } from "../../lib/format.ts";
import { type Notice, useMarkRead, useNoticeList } from "./api.ts";

/**
 * The user's notices, newest first, loading older pages by cursor as the end scrolls into
 * view. Opening a notice marks it read and goes to what it is about.
 */
export function NoticeList({ onOpen }: { onOpen?: () => void }) {
  const { t } = useTranslation();
  const list = useNoticeList();
  const read = useMarkRead();
  const navigate = useNavigate();
  const end = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;

  useEffect(() => {
    const el = end.current;
    if (!el || !hasNextPage) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const open = (n: Notice) => {
    if (!n.readAt) read.mutate(n.id);
    if (n.link) {
      onOpen?.();
      void navigate(n.link);
    }
  };

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (list.isLoading) return <Loader size="sm" m="md" aria-label={t("notifications.loading")} />;
  if (items.length === 0)
    return (
      <Text c="dimmed" size="sm" p="md">
        {t("notifications.empty")}
      </Text>
    );
  return (
    <>
      <Stack
        gap={0}
        component="ul"
        m={0}
        p={0}
        style={{ listStyle: "none" }}
        aria-label={t("notifications.title")}
      >
        {items.map((n) => (
          <li key={n.id} data-testid="notice" data-unread={n.readAt ? undefined : "true"}>
            <Group
              gap="xs"
              wrap="nowrap"
              align="flex-start"
              px="sm"
              py={6}
              bg={n.readAt ? undefined : "var(--mantine-primary-color-light)"}
              style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}
            >
              <UnstyledButton onClick={() => open(n)} style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={n.readAt ? 400 : 600} style={{ overflowWrap: "anywhere" }}>
                  {n.title}
                </Text>
                {n.body && (
                  <Text size="xs" c="dimmed" lineClamp={2} style={{ overflowWrap: "anywhere" }}>
                    {n.body}
                  </Text>
                )}
                <Text size="xs" c="dimmed" title={formatDateTime(n.createdAt)}>
                  {t(`notifications.kind.${n.kind}`, { defaultValue: "" })}
                  {t(`notifications.kind.${n.kind}`, { defaultValue: "" }) ? " · " : ""}
                  {formatRelative(n.createdAt)}
                </Text>
              </UnstyledButton>
              {!n.readAt && (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => read.mutate(n.id)}
                  aria-label={`${t("notifications.markRead")}: ${n.title}`}
                >
                  {t("notifications.markRead")}
                </Button>
              )}
            </Group>
          </li>
        ))}
      </Stack>
      <div ref={end} />
      {isFetchingNextPage && <Loader size="xs" m="sm" />}
    </>
  );
}
