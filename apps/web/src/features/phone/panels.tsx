import { Badge, Button, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/format.ts";
import type { Me, Message, Ticket } from "../../lib/types.ts";
import { duration, useCallByMessage, useTicketCalls } from "./api.ts";
import { LogCallDialog } from "./LogCallDialog.tsx";
import { RequestCallbackDialog } from "./RequestCallbackDialog.tsx";

/** Ticket sidebar: log a call on this ticket, ask for a call-back, the ticket's calls. */
export function TicketPhonePanel({ ticket, me }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<"call" | "callback" | null>(null);
  const calls = useTicketCalls(ticket.id);
  const items = calls.data?.items ?? [];
  return (
    <Paper
      withBorder
      p="sm"
      component="section"
      aria-labelledby="phone-panel-title"
      data-testid="phone-panel"
    >
      <Title order={2} size="h6" id="phone-panel-title" mb={6}>
        {t("phone.panel.title")}
      </Title>
      <Group gap="xs">
        <Button size="xs" onClick={() => setDialog("call")} disabled={!ticket.permissions.reply}>
          {t("phone.log.action")}
        </Button>
        <Button size="xs" variant="light" onClick={() => setDialog("callback")}>
          {t("phone.cb.request")}
        </Button>
      </Group>
      {items.length > 0 && (
        <Stack gap={4} mt="xs">
          {items.slice(0, 5).map((c) => (
            <Text size="xs" key={c.id}>
              {t(`phone.direction.${c.direction}`)} · {c.phone} · {duration(c.durationSeconds)} ·{" "}
              {t(`phone.outcome.${c.outcome}`)}
            </Text>
          ))}
        </Stack>
      )}
      <LogCallDialog
        opened={dialog === "call"}
        onClose={() => setDialog(null)}
        ticketId={ticket.id}
        contactId={ticket.requester.id}
      />
      <RequestCallbackDialog
        opened={dialog === "callback"}
        onClose={() => setDialog(null)}
        ticketId={ticket.id}
        contactId={ticket.requester.id}
        meId={me.user.id}
      />
    </Paper>
  );
}

/** Dossier quick actions: log a call with this customer, or queue a call-back. */
export function DossierPhoneActions({ contactId, me }: { contactId: string; me: Me }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<"call" | "callback" | null>(null);
  return (
    <>
      <Button variant="light" onClick={() => setDialog("call")}>
        {t("phone.log.action")}
      </Button>
      <Button variant="light" onClick={() => setDialog("callback")}>
        {t("phone.cb.request")}
      </Button>
      <LogCallDialog opened={dialog === "call"} onClose={() => setDialog(null)} contactId={contactId} />
      <RequestCallbackDialog
        opened={dialog === "callback"}
        onClose={() => setDialog(null)}
        contactId={contactId}
        meId={me.user.id}
      />
    </>
  );
}

function CallCardLoaded({ messageId }: { messageId: string }) {
  const { t } = useTranslation();
  const call = useCallByMessage(messageId);
  if (!call.data) return null;
  const c = call.data;
  return (
    <Group gap="xs" mt={4} data-testid="call-card">
      <Badge variant="light" color={c.outcome === "answered" ? "green" : "orange"}>
        {t(`phone.direction.${c.direction}`)} · {t(`phone.outcome.${c.outcome}`)}
      </Badge>
      <Text size="xs" c="dimmed">
        {c.phone} · {duration(c.durationSeconds)} · {formatDateTime(c.startedAt)}
        {c.agent ? ` · ${c.agent.name}` : ""}
      </Text>
    </Group>
  );
}

/** Under a call's thread message: the call as a localized card. */
export function CallCard({ message }: { message: Message }) {
  if (message.channel !== "phone" || message.author.type !== "system") return null;
  return <CallCardLoaded messageId={message.id} />;
}
