import {
  Badge,
  Card,
  Group,
  Menu,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMe } from "../auth/session.ts";
import { useRealtime } from "../realtime/RealtimeProvider.tsx";
import { type Availability, chatApi } from "./api.ts";

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

/** Nav badge: my availability (a dot) and my live chats. */
export function AvailabilityBadge() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { data } = useAgents();
  const mine = data?.find((a) => a.id === me?.user.id);
  if (!mine) return null;
  return (
    <Badge
      size="sm"
      color={COLOR[mine.availability]}
      variant="light"
      aria-label={t(`chat.availability.${mine.availability}`)}
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

/** The availability switch (online / away / offline). Going away or offline hands my live chats on. */
export function AvailabilitySwitch() {
  const { t } = useTranslation();
  const { mine, set } = useMyAvailability();
  return (
    <SegmentedControl
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

/** /chat: my availability, my live chats and who is online. */
export default function ChatPage() {
  const { t } = useTranslation();
  const { data: agents } = useAgents();
  const { data: mine } = useQuery({ queryKey: ["chat", "mine"], queryFn: chatApi.mine });
  // My live chats are chat tickets: their ticket frames (assigned, solved) refresh the list.
  const realtime = useRealtime();
  const qc = useQueryClient();
  useEffect(() => {
    const off = realtime.subscribe((f) => {
      if (f.type === "ticket" && f.ticket.channel === "chat")
        void qc.invalidateQueries({ queryKey: ["chat", "mine"] });
    });
    return () => void off();
  }, [realtime, qc]);
  return (
    <Stack p="md" maw={800}>
      <Title order={2}>{t("chat.nav")}</Title>
      <Card withBorder>
        <Group justify="space-between">
          <Text fw={600}>{t("chat.availability.label")}</Text>
          <AvailabilitySwitch />
        </Group>
        <Text size="sm" c="dimmed" mt="xs">
          {t("chat.availability.help")}
        </Text>
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t("chat.mine")}
        </Text>
        {mine?.length ? (
          <Stack gap={4}>
            {mine.map((c) => (
              <Link key={c.ticketId} to={`/tickets/${c.ticketId}`}>
                {t("chat.openChat")} {c.ticketId.slice(0, 8)}
              </Link>
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
      </Card>
    </Stack>
  );
}
