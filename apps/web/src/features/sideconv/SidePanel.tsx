import {
  Accordion,
  Alert,
  Badge,
  Box,
  Button,
  Group,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import type { SideConversation } from "@rapport/server/contract";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatRelative } from "../../lib/format.ts";
import type { Me, Ticket } from "../../lib/types.ts";
import { useRealtime } from "../realtime/RealtimeProvider.tsx";
import { sideKey, useSideActions, useSideConversations } from "./api.ts";

function NewSide({ ticketId, onDone }: { ticketId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { start } = useSideActions(ticketId);
  const [to, setTo] = useState<string[]>([]);
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  return (
    <Stack
      gap="xs"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        start.mutate({ to, subject, body }, { onSuccess: onDone });
      }}
    >
      <TagsInput
        id="side-to"
        label={t("sideconv.to")}
        description={t("sideconv.toHint")}
        value={to}
        onChange={setTo}
        maxTags={10}
        splitChars={[",", " ", ";"]}
      />
      <TextInput
        id="side-subject"
        label={t("sideconv.subject")}
        value={subject}
        maxLength={300}
        onChange={(e) => setSubject(e.currentTarget.value)}
        required
      />
      <Textarea
        id="side-body"
        label={t("sideconv.message")}
        autosize
        minRows={3}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        required
      />
      {start.error && (
        <Alert color="red" role="alert">
          {start.error.message}
        </Alert>
      )}
      <Group gap="xs">
        <Button
          type="submit"
          size="xs"
          loading={start.isPending}
          disabled={to.length === 0}
          data-testid="side-send"
        >
          {t("sideconv.send")}
        </Button>
        <Button size="xs" variant="subtle" onClick={onDone}>
          {t("sideconv.cancel")}
        </Button>
      </Group>
    </Stack>
  );
}

function Thread({ side, ticketId }: { side: SideConversation; ticketId: string }) {
  const { t } = useTranslation();
  const { reply, status } = useSideActions(ticketId);
  const [body, setBody] = useState("");
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        {t("sideconv.with", { list: side.participants.join(", ") })}
      </Text>
      {side.messages.map((m) => (
        <Box
          key={m.id}
          p="xs"
          data-testid={`side-message-${m.direction}`}
          style={{
            borderLeft: `3px solid var(--mantine-color-${m.direction === "in" ? "teal" : "indigo"}-4)`,
            background: "var(--mantine-color-gray-0)",
          }}
        >
          <Group justify="space-between" gap={4} wrap="nowrap">
            <Text size="xs" fw={600}>
              {m.author.name}
            </Text>
            <Text size="xs" c="dimmed" title={m.createdAt}>
              {formatRelative(m.createdAt)}
              {m.delivery ? ` · ${t(`sideconv.delivery.${m.delivery}`, { defaultValue: m.delivery })}` : ""}
            </Text>
          </Group>
          {/* Sanitized on the server (lib/html.ts), like ticket messages. */}
          <div
            className="message-body"
            style={{ fontSize: "var(--mantine-font-size-sm)" }}
            dangerouslySetInnerHTML={{ __html: m.bodyHtml }}
          />
        </Box>
      ))}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reply.mutate({ sideId: side.id, body }, { onSuccess: () => setBody("") });
        }}
      >
        <Stack gap={6}>
          <Textarea
            aria-label={t("sideconv.replyLabel", { subject: side.subject })}
            placeholder={t("sideconv.replyHint")}
            autosize
            minRows={2}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <Group gap="xs">
            <Button type="submit" size="compact-xs" loading={reply.isPending} disabled={!body.trim()}>
              {t("sideconv.reply")}
            </Button>
            <Button
              size="compact-xs"
              variant="subtle"
              color="gray"
              loading={status.isPending}
              onClick={() =>
                status.mutate({ sideId: side.id, status: side.status === "open" ? "closed" : "open" })
              }
            >
              {side.status === "open" ? t("sideconv.close") : t("sideconv.reopen")}
            </Button>
          </Group>
          {(reply.error || status.error) && (
            <Text size="xs" c="red" role="alert">
              {(reply.error ?? status.error)?.message}
            </Text>
          )}
        </Stack>
      </form>
    </Stack>
  );
}

/**
 * Side conversations in the ticket's right column: each an email thread with a third party,
 * collapsible, never shown to the customer. Reloaded when the websocket says one changed.
 */
export function SidePanel({ ticket }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const rt = useRealtime();
  const list = useSideConversations(ticket.id).data ?? [];
  const [adding, setAdding] = useState(false);
  useEffect(() => {
    const off = rt.subscribe((frame) => {
      if (frame.type === "ticket" && frame.ticket.id === ticket.id && frame.changes?.sideConversations)
        void qc.invalidateQueries({ queryKey: sideKey(ticket.id) });
    });
    return () => {
      off();
    };
  }, [rt, qc, ticket.id]);
  return (
    <Stack gap="xs" component="section" aria-labelledby={`side-${ticket.id}`} data-testid="side-panel">
      <Group justify="space-between" wrap="nowrap">
        <Title order={4} size="h6" id={`side-${ticket.id}`}>
          {t("sideconv.title")}
        </Title>
        {!adding && (
          <Button size="compact-xs" variant="light" onClick={() => setAdding(true)}>
            {t("sideconv.new")}
          </Button>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {t("sideconv.private")}
      </Text>
      {adding && <NewSide ticketId={ticket.id} onDone={() => setAdding(false)} />}
      {list.length > 0 && (
        <Accordion variant="separated" multiple>
          {list.map((s) => (
            <Accordion.Item key={s.id} value={s.id} data-testid="side-conversation">
              <Accordion.Control>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" lineClamp={1} style={{ flex: 1 }}>
                    {s.subject}
                  </Text>
                  <Badge size="xs" variant="light" color={s.status === "open" ? "teal" : "gray"}>
                    {t(`sideconv.status.${s.status}`)}
                  </Badge>
                  <Badge size="xs" variant="outline" color="gray">
                    {s.messages.length}
                  </Badge>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <Thread side={s} ticketId={ticket.id} />
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Stack>
  );
}
