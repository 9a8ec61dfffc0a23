import { Badge, Button, Card, Group, Select, Stack, Text, Textarea } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Me, Ticket } from "../../lib/types.ts";
import { TierBadge } from "../value/TierBadge.tsx";
import { chatApi, visitorLabel } from "./api.ts";

/**
 * Ticket sidebar for chat tickets: who the visitor is, transfer with a note, and the typing
 * signal: typing in this page's reply box tells the visitor "… is typing".
 */
export function ChatPanel({ ticket, me }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const isChat = ticket.channel === "chat";
  const { data: info } = useQuery({
    queryKey: ["chat", "info", ticket.id],
    queryFn: () => chatApi.info(ticket.id),
    enabled: isChat,
    retry: false,
  });
  const { data: agents } = useQuery({
    queryKey: ["chat", "agents"],
    queryFn: chatApi.agents,
    enabled: isChat,
  });
  const [to, setTo] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const transfer = useMutation({
    mutationFn: () => chatApi.transfer(ticket.id, to ?? "", note),
    onSuccess: () => {
      setNote("");
      setTo(null);
      qc.invalidateQueries({ queryKey: ["ticket", ticket.id] });
      qc.invalidateQueries({ queryKey: ["events", ticket.id] });
      qc.invalidateQueries({ queryKey: ["chat"] });
    },
  });

  // Typing: any input in a textarea of the ticket page (the reply box) while this chat is live.
  useEffect(() => {
    if (!isChat || info?.state !== "live") return;
    let typing = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    let lastSent = 0;
    const stop = () => {
      if (typing) chatApi.typing(ticket.id, false).catch(() => undefined);
      typing = false;
    };
    const onInput = (e: Event) => {
      const el = e.target as HTMLElement;
      if (el.tagName !== "TEXTAREA" || el.closest("[data-chat-panel]")) return;
      const now = Date.now();
      if (!typing || now - lastSent > 4000) {
        typing = true;
        lastSent = now;
        chatApi.typing(ticket.id, true).catch(() => undefined);
      }
      clearTimeout(idle);
      idle = setTimeout(stop, 5000);
    };
    document.addEventListener("input", onInput, true);
    return () => {
      document.removeEventListener("input", onInput, true);
      clearTimeout(idle);
      stop();
    };
  }, [isChat, info?.state, ticket.id]);

  if (!isChat || !info) return null;
  const v = info.visitor;
  return (
    <Card withBorder data-chat-panel data-testid="chat-panel">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t("chat.panel.title")}</Text>
        <Badge variant="light" color={info.state === "live" ? "green" : "gray"}>
          {t(`chat.state.${info.state === "live" ? "live" : info.state === "offline" ? "offline" : "ended"}`)}
        </Badge>
      </Group>
      <Stack gap={2}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm">{visitorLabel(t, { visitorName: v.name, visitorEmail: v.email })}</Text>
          <TierBadge tier={ticket.requester?.tier} size="xs" />
        </Group>
        {v.email && <Text size="sm">{v.email}</Text>}
        {v.phone && <Text size="sm">{v.phone}</Text>}
        {info.topic && (
          <Text size="sm">
            {t("chat.panel.topic")}: {info.topic}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {v.identified ? t("chat.panel.verified") : t("chat.panel.unverified")} · {v.locale}
        </Text>
        {info.visitorReadAt && (
          <Text size="xs" c="dimmed">
            {t("chat.panel.read", { time: new Date(info.visitorReadAt).toLocaleTimeString() })}
          </Text>
        )}
      </Stack>
      <Stack gap="xs" mt="sm">
        <Select
          label={t("chat.transfer.to")}
          placeholder={t("chat.transfer.pick")}
          value={to}
          onChange={setTo}
          data={(agents ?? [])
            .filter((a) => a.id !== ticket.assignee?.id)
            .map((a) => ({
              value: a.id,
              label: `${a.name} · ${t(`chat.availability.${a.availability}`)} · ${a.liveChats}`,
            }))}
          searchable
        />
        <Textarea
          label={t("chat.transfer.note")}
          value={note}
          maxLength={2000}
          autosize
          minRows={2}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <Button size="xs" disabled={!to} loading={transfer.isPending} onClick={() => transfer.mutate()}>
          {t("chat.transfer.do")}
        </Button>
        {transfer.isError && (
          <Text size="xs" c="red" role="alert">
            {(transfer.error as Error).message}
          </Text>
        )}
        {me.user.id === ticket.assignee?.id && (
          <Text size="xs" c="dimmed">
            {t("chat.panel.yours")}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
