import { Alert, Anchor, Badge, Box, Group, Image, Paper, Stack, Text } from "@mantine/core";
import { memo } from "react";
import { useTranslation } from "react-i18next";
import { formatBytes, formatDateTime, formatNumber } from "../../lib/format.ts";
import type { Attachment, Message, TicketEvent } from "../../lib/types.ts";
import { EmailBody } from "../email/EmailBody.tsx";
import { contributions } from "../extensions.ts";
import { eventSentence, useEventNames } from "./events.ts";

const MESSAGE_FOOTERS = contributions("messageFooter");

const PREVIEWABLE = /^image\/(png|jpeg|gif|webp)$/;

function AttachmentItem({ a }: { a: Attachment }) {
  const { t } = useTranslation();
  const href = `/api/v1/attachments/${a.id}`;
  return (
    <Paper withBorder p={6} radius="sm">
      {PREVIEWABLE.test(a.contentType) && (
        <Anchor href={href} target="_blank" rel="noopener">
          <Image src={href} alt={a.filename} h={96} w="auto" fit="contain" mb={4} />
        </Anchor>
      )}
      <Group gap={6}>
        <Anchor href={href} download={a.filename} size="sm">
          {a.filename}
        </Anchor>
        <Text size="xs" c="dimmed">
          {formatBytes(a.size)}
        </Text>
        <Text size="xs" className="sr-only">
          {t("ticket.download")}
        </Text>
      </Group>
    </Paper>
  );
}

/** Where delivery of an outgoing message stands; a failure shows the channel's reason. */
function Delivery({ d }: { d: NonNullable<Message["delivery"]> }) {
  const { t } = useTranslation();
  if (d.status === "failed") {
    return (
      <Alert color="red" mt="sm" py={6} title={t("ticket.delivery.failed")} data-testid="delivery-failed">
        {d.error}
      </Alert>
    );
  }
  return (
    <Text size="xs" c="dimmed" mt={6} ta="right" data-testid="delivery-status" data-status={d.status}>
      {t(`ticket.delivery.${d.status}`)} · {formatDateTime(d.updatedAt)}
    </Text>
  );
}

const MessageItem = memo(function MessageItem({ m }: { m: Message }) {
  const { t } = useTranslation();
  const kind = m.internal ? "note" : m.author.type;
  return (
    <Paper
      component="article"
      withBorder
      p="md"
      radius="md"
      className={m.internal ? "note" : undefined}
      data-kind={kind}
      data-message-id={m.id}
      aria-label={t(`ticket.kind.${kind}`, { name: m.author.name })}
      ml={m.author.type === "agent" && !m.internal ? 40 : 0}
      mr={m.author.type === "customer" ? 40 : 0}
      bg={m.author.type === "agent" && !m.internal ? "indigo.0" : undefined}
    >
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Group gap="xs">
          <Text fw={600} size="sm">
            {m.author.name}
          </Text>
          {m.internal ? (
            <Badge color="yellow" variant="filled" size="sm">
              {t("ticket.internalNote")}
            </Badge>
          ) : (
            <Badge color={m.author.type === "customer" ? "gray" : "indigo"} variant="light" size="sm">
              {t(`ticket.author.${m.author.type}`)}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed" component="time" dateTime={m.createdAt}>
          {formatDateTime(m.createdAt)}
        </Text>
      </Group>
      {m.channel === "email" && !m.internal ? (
        <EmailBody m={m} />
      ) : m.bodyHtml ? (
        // The server sanitizes message HTML on write (sanitize-html allow-list); this is that stored HTML.
        <div className="message-body" dangerouslySetInnerHTML={{ __html: m.bodyHtml }} />
      ) : (
        <Text className="message-body" style={{ whiteSpace: "pre-wrap" }}>
          {m.bodyText}
        </Text>
      )}
      {m.attachments.length > 0 && (
        <Group mt="sm" gap="xs" aria-label={t("ticket.attachments")}>
          {m.attachments.map((a) => (
            <AttachmentItem key={a.id} a={a} />
          ))}
        </Group>
      )}
      {m.delivery && <Delivery d={m.delivery} />}
      {MESSAGE_FOOTERS.map((Footer, i) => (
        <Footer key={i} message={m} />
      ))}
    </Paper>
  );
});

const EventGroup = memo(function EventGroup({ events }: { events: TicketEvent[] }) {
  const { t } = useTranslation();
  const names = useEventNames();
  const first = events[0];
  if (!first) return null;
  return (
    <Box component="details" px="sm" c="dimmed" fz="xs" data-testid="event-group">
      <summary style={{ cursor: "pointer" }}>
        {t("ticket.eventsCollapsed", { n: formatNumber(events.length) })} · {formatDateTime(first.createdAt)}
      </summary>
      <Stack gap={2} mt={4} component="ul" style={{ listStyle: "none", paddingLeft: 12 }}>
        {events.map((e) => (
          <li key={e.id}>
            <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time> —{" "}
            {eventSentence({ type: e.type, data: e.data, actorName: e.actor.name }, t, names)}
          </li>
        ))}
      </Stack>
    </Box>
  );
});

/** Messages and (collapsed) timeline events in time order. */
export function Thread({ messages, events }: { messages: Message[]; events: TicketEvent[] }) {
  const { t } = useTranslation();
  const shownEvents = events.filter((e) => !/^(message|reply|note)\./.test(e.type));
  type Item = { at: string; m?: Message; e?: TicketEvent };
  const all: Item[] = [
    ...messages.map((m) => ({ at: m.createdAt, m })),
    ...shownEvents.map((e) => ({ at: e.createdAt, e })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const out: React.ReactNode[] = [];
  let run: TicketEvent[] = [];
  const flush = () => {
    if (run.length) out.push(<EventGroup key={`ev-${run[0]?.id}`} events={run} />);
    run = [];
  };
  for (const it of all) {
    if (it.e) run.push(it.e);
    else if (it.m) {
      flush();
      out.push(<MessageItem key={it.m.id} m={it.m} />);
    }
  }
  flush();
  return (
    <Stack gap="sm" aria-label={t("ticket.conversation")} component="section">
      {out}
    </Stack>
  );
}
