import {
  Badge,
  Button,
  Card,
  Group,
  Menu,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { patch } from "../../lib/api.ts";
import { formatNumber, formatRelative } from "../../lib/format.ts";
import { meKey, useMe } from "../auth/session.ts";
import { useRealtime } from "../realtime/RealtimeProvider.tsx";
import { TierBadge } from "../value/TierBadge.tsx";
import { type Availability, chatApi, visitorLabel } from "./api.ts";

const COLOR: Record<Availability, string> = { online: "green", away: "yellow", offline: "gray" };

function useAgents() {
  // Polled: an agent's availability change publishes no realtime event yet.
  return useQuery({
    queryKey: ["chat", "agents"],
    queryFn: chatApi.agents,
    staleTime: 30_000,
    refetchInterval: 30_000,
  });
}

/**
 * My live chats change when a chat ticket is assigned, solved or ended: its ticket frame
 * refreshes my list and the counts (mounted with the navigation badge, so on every page).
 */
function useChatFrames() {
  const realtime = useRealtime();
  const qc = useQueryClient();
  useEffect(() => {
    const off = realtime.subscribe((f) => {
      if (f.type === "ticket" && f.ticket.channel === "chat")
        void qc.invalidateQueries({ queryKey: ["chat"] });
    });
    return () => void off();
  }, [realtime, qc]);
}

/** Nav badge: my availability (a dot) and my live chats. */
export function AvailabilityBadge() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { data } = useAgents();
  useChatFrames();
  const mine = data?.find((a) => a.id === me?.user.id);
  if (!mine) return null;
  return (
    <Badge
      size="sm"
      color={COLOR[mine.availability]}
      variant="light"
      aria-label={`${t(`chat.availability.${mine.availability}`)} · ${t("chat.liveChats", { count: mine.liveChats })}`}
      data-testid="chat-badge"
      data-count={mine.liveChats}
    >
      {mine.liveChats}
    </Badge>
  );
}

const AVAILABILITIES = ["online", "away", "offline"] as const;

/** My availability and the mutation that changes it (shared by the /chat switch and the top bar). */
function useMyAvailability() {
  const { data: me } = useMe();
  const qc = useQueryClient();
  const { data } = useAgents();
  const mine = data?.find((a) => a.id === me?.user.id);
  const set = useMutation({
    mutationFn: chatApi.setAvailability,
    onSuccess: () => qc.invalidateQueries({ queryKey: ["chat"] }),
  });
  return { mine, set };
}

/** Top bar: my availability as a coloured badge; a menu changes it from any page. */
export function AvailabilityMenu() {
  const { t } = useTranslation();
  const { mine, set } = useMyAvailability();
  if (!mine) return null;
  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <UnstyledButton
          aria-label={`${t("chat.availability.label")}: ${t(`chat.availability.${mine.availability}`)}`}
        >
          <Badge color={COLOR[mine.availability]} variant="dot" size="lg" data-testid="availability-header">
            {t(`chat.availability.${mine.availability}`)}
          </Badge>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t("chat.availability.label")}</Menu.Label>
        {AVAILABILITIES.map((a) => (
          <Menu.Item
            key={a}
            leftSection={<Badge color={COLOR[a]} variant="dot" size="xs" />}
            onClick={() => set.mutate(a)}
            disabled={a === mine.availability}
          >
            {t(`chat.availability.${a}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * The availability switch (online / away / offline). Going away or offline hands my live chats on.
 * `fullWidth` (phones): the three choices stacked, each the card's width, so no label is cut.
 */
export function AvailabilitySwitch({ fullWidth = false }: { fullWidth?: boolean }) {
  const { t } = useTranslation();
  const { mine, set } = useMyAvailability();
  return (
    <SegmentedControl
      fullWidth={fullWidth}
      orientation={fullWidth ? "vertical" : "horizontal"}
      aria-label={t("chat.availability.label")}
      value={mine?.availability ?? "offline"}
      onChange={(v) => set.mutate(v as Availability)}
      data={AVAILABILITIES.map((a) => ({
        value: a,
        label: t(`chat.availability.${a}`),
      }))}
    />
  );
}

/** The name visitors see in chat, separate from the full name (PATCH /me `chatName`). */
function ChatNameCard() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const [value, setValue] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (chatName: string | null) => patch<unknown>("/me", { chatName }),
    onSuccess: () => qc.invalidateQueries({ queryKey: meKey }),
  });
  if (!me) return null;
  const current = value ?? me.user.chatName ?? "";
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(current.trim() ? current.trim() : null);
        }}
      >
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t("chat.chatName")}
            description={t("chat.chatNameHelp", { name: me.user.name })}
            placeholder={me.user.name}
            value={current}
            onChange={(e) => setValue(e.currentTarget.value)}
            maxLength={80}
            style={{ flex: 1, minWidth: 200 }}
            data-testid="chat-name"
          />
          <Button type="submit" loading={save.isPending}>
            {t("chat.chatNameSave")}
          </Button>
        </Group>
        {save.isSuccess && value !== null && (
          <Text size="sm" c="teal.8" role="status" mt={4}>
            {t("chat.chatNameSaved")}
          </Text>
        )}
      </form>
    </Card>
  );
}

/** /chat: my availability, my live chats and who is online. */
export default function ChatPage() {
  const { t } = useTranslation();
  const { data: agents } = useAgents();
  const { data: mine } = useQuery({ queryKey: ["chat", "mine"], queryFn: chatApi.mine });
  useChatFrames();
  // On a phone the switch takes the card's width under its label, and the team is a list.
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  return (
    <Stack p="md" maw={800} data-testid="chat-console" data-layout={phone ? "phone" : "wide"}>
      <Title order={2}>{t("chat.nav")}</Title>
      <Card withBorder>
        {phone ? (
          <Stack gap="xs">
            <Text fw={600}>{t("chat.availability.label")}</Text>
            <AvailabilitySwitch fullWidth />
          </Stack>
        ) : (
          <Group justify="space-between">
            <Text fw={600}>{t("chat.availability.label")}</Text>
            <AvailabilitySwitch />
          </Group>
        )}
        <Text size="sm" c="dimmed" mt="xs">
          {t("chat.availability.help")}
        </Text>
      </Card>
      <ChatNameCard />
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t("chat.mine")} ({formatNumber(mine?.length ?? 0)})
        </Text>
        {mine?.length ? (
          <Stack gap={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {mine.map((c) => (
              <li key={c.ticketId} data-testid="my-chat">
                <Link to={`/tickets/${c.ticketId}`}>{visitorLabel(t, c)}</Link>{" "}
                <TierBadge tier={c.tier} size="xs" />
                <Text span size="sm" c="dimmed">
                  {" "}
                  · #{c.number} {c.topic || c.subject} · {formatRelative(c.startedAt)}
                </Text>
              </li>
            ))}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            {t("chat.none")}
          </Text>
        )}
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t("chat.team")}
        </Text>
        {phone ? (
          <Stack gap="xs" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {agents?.map((a) => (
              <Group key={a.id} component="li" justify="space-between" gap={6} data-testid="chat-agent">
                <Text size="sm" fw={500}>
                  {a.name}
                </Text>
                <Group gap={6}>
                  <Badge color={COLOR[a.availability]} variant="light">
                    {t(`chat.availability.${a.availability}`)}
                  </Badge>
                  <Text size="sm">{t("chat.liveChats", { count: a.liveChats })}</Text>
                </Group>
              </Group>
            ))}
          </Stack>
        ) : (
          <Table>
            <Table.Tbody>
              {agents?.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.name}</Table.Td>
                  <Table.Td>
                    <Badge color={COLOR[a.availability]} variant="light">
                      {t(`chat.availability.${a.availability}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{t("chat.liveChats", { count: a.liveChats })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}
