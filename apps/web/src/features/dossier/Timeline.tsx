import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Chip,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { CHANNELS } from "@rapport/shared";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDateTime } from "../../lib/format.ts";
import { RatingBadge } from "../csat/CsatBadge.tsx";
import { dayLabel, PLANNER_CHANNELS } from "../planner/api.ts";
import { eventSentence, useEventNames } from "../ticket/events.ts";
import { TIMELINE_KINDS, type TimelineItem, type TimelineKind, useTimeline } from "./api.ts";

const KIND_COLOR: Record<TimelineKind, string> = {
  message: "blue",
  ticket_event: "gray",
  planned_contact: "teal",
  note: "yellow",
  event: "grape",
  call: "cyan",
  callback: "cyan",
  promise: "orange",
  order: "lime",
  csat: "pink",
};

const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");

function Summary({ item, contactName }: { item: TimelineItem; contactName: string }) {
  const { t, i18n } = useTranslation();
  const names = useEventNames();
  switch (item.kind) {
    case "message":
      return (
        <Text size="sm" fw={600}>
          {item.internal
            ? t("dossier.tl.internalNote")
            : item.type === "customer"
              ? t("dossier.tl.fromCustomer", { name: contactName })
              : t("dossier.tl.fromAgent")}
        </Text>
      );
    case "ticket_event":
      return (
        <Text size="sm" fw={600} data-testid="ticket-event" data-type={item.type}>
          {eventSentence(
            {
              type: item.type,
              data: item.data,
              actorName: item.actorId ? (names.user(item.actorId) ?? null) : null,
            },
            t,
            names,
          )}
        </Text>
      );
    case "planned_contact": {
      const date = str(item.data.date);
      const label = date ? dayLabel(date, i18n.language) : "";
      return (
        <Text size="sm" fw={600}>
          {item.type === "done"
            ? t("dossier.tl.contactDone", { date: label })
            : item.type === "missed"
              ? t("dossier.tl.contactMissed", { date: label })
              : item.type === "cancelled"
                ? t("dossier.tl.contactCancelled", { date: label })
                : t("dossier.tl.contactPlanned", { date: label })}
        </Text>
      );
    }
    case "note":
      return (
        <Text size="sm" fw={600}>
          {t("dossier.tl.note")}
        </Text>
      );
    case "order":
      return (
        <Text size="sm" fw={600}>
          {t("value.orders.number", { number: item.text })} · {t(`value.orders.status.${item.type}`)}
        </Text>
      );
    case "csat":
      return (
        <Group gap="xs" data-testid="csat-event">
          <Text size="sm" fw={600}>
            {t("dossier.kind.csat")}
          </Text>
          <RatingBadge
            good={item.type === "good"}
            rating={Number(item.data.rating) || null}
            scale={str(item.data.scale)}
          />
        </Group>
      );
    case "event": {
      if (item.type === "value.segment_changed")
        return (
          <Text size="sm" fw={600} data-testid="segment-event">
            {t("dossier.tl.segmentChanged", {
              from: t(`value.segment.${str(item.data.from) || "no_purchase"}`),
              to: t(`value.segment.${str(item.data.to)}`),
            })}
          </Text>
        );
      if (item.type === "value.relationship_changed") {
        const type = (v: unknown) => (str(v) ? t(`value.relationship.type.${str(v)}`) : "–");
        return (
          <Text size="sm" fw={600} data-testid="relationship-event">
            {t("dossier.tl.relationshipChanged", { from: type(item.data.from), to: type(item.data.to) })}
          </Text>
        );
      }
      if (item.type === "value.tier_changed")
        return (
          <Text size="sm" fw={600} data-testid="tier-event">
            {t("dossier.tl.tierChanged", { from: str(item.data.from) || "–", to: str(item.data.to) || "–" })}
          </Text>
        );
      if (item.type === "contact.merged") {
        const merged = Array.isArray(item.data.merged) ? (item.data.merged as { name?: string }[]) : [];
        return (
          <Text size="sm" fw={600} data-testid="merge-event">
            {t("dossier.tl.merged", { names: merged.map((m) => m.name || "—").join(", ") })}
          </Text>
        );
      }
      return (
        <Text size="sm" fw={600}>
          {t("dossier.tl.contactEvent")}
        </Text>
      );
    }
    case "call":
      return (
        <Text size="sm" fw={600}>
          {item.type === "outbound" ? t("dossier.tl.callOutbound") : t("dossier.tl.callInbound")}
        </Text>
      );
    case "callback":
      return (
        <Text size="sm" fw={600}>
          {item.type === "open" ? t("dossier.tl.callbackOpen") : t("dossier.tl.callbackClosed")}
        </Text>
      );
    case "promise":
      return (
        <Text size="sm" fw={600}>
          {item.type === "kept"
            ? t("dossier.tl.promiseKept")
            : item.type === "cancelled"
              ? t("dossier.tl.promiseCancelled")
              : t("dossier.tl.promiseOpen")}
        </Text>
      );
    default:
      // A kind this version does not know: its badge names it.
      return null;
  }
}

function Item({
  item,
  contactName,
  names,
}: {
  item: TimelineItem;
  contactName: string;
  names: Map<string, string>;
}) {
  const { t } = useTranslation();
  const actor = item.actorId ? names.get(item.actorId) : undefined;
  const body = item.kind === "planned_contact" ? item.text || str(item.data.purpose) : item.text;
  return (
    <Paper
      withBorder
      p="sm"
      component="li"
      data-testid="timeline-item"
      data-kind={item.kind}
      bg={item.internal ? "yellow.0" : undefined}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Group gap={6}>
            <Badge size="xs" color={KIND_COLOR[item.kind]} variant="light">
              {t(`dossier.kind.${item.kind}`)}
            </Badge>
            {item.channel && (
              <Badge size="xs" variant="outline" color="gray">
                {(CHANNELS as readonly string[]).includes(item.channel) && item.kind === "message"
                  ? t(`channel.${item.channel}`)
                  : (PLANNER_CHANNELS as readonly string[]).includes(item.channel)
                    ? t(`planner.channel.${item.channel}`)
                    : item.channel}
              </Badge>
            )}
            <Summary item={item} contactName={contactName} />
          </Group>
          {item.ticket && (
            <Anchor component={Link} to={`/tickets/${item.ticket.id}`} size="xs">
              #{item.ticket.number} {item.ticket.subject}
            </Anchor>
          )}
          {body && (
            <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }} lineClamp={6}>
              {body}
            </Text>
          )}
        </Stack>
        <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
          <Text size="xs" c="dimmed" component="time" dateTime={item.at}>
            {formatDateTime(item.at)}
          </Text>
          {actor && (
            <Text size="xs" c="dimmed">
              {actor}
            </Text>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}

/** One timeline across every channel: type chips, channel, search, infinite scroll by cursor. */
export function Timeline({
  contactId,
  contactName,
  names,
}: {
  contactId: string;
  contactName: string;
  names: Map<string, string>;
}) {
  const { t } = useTranslation();
  const [types, setTypes] = useState<string[]>([]);
  const [channel, setChannel] = useState<string | null>(null);
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 300);
  const timeline = useTimeline(contactId, { types: types as TimelineKind[], channel, q });
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = timeline;

  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && hasNextPage && !isFetchingNextPage) void fetchNextPage();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const items = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  const channels = [...new Set([...CHANNELS, ...PLANNER_CHANNELS])];
  return (
    <Stack gap="sm" component="section" aria-labelledby="timeline-title">
      <Title order={2} size="h4" id="timeline-title">
        {t("dossier.timeline")}
      </Title>
      <Chip.Group multiple value={types} onChange={setTypes}>
        <Group gap={6} role="group" aria-label={t("dossier.filterTypes")}>
          {TIMELINE_KINDS.map((k) => (
            <Chip key={k} value={k} size="xs" variant="outline">
              {t(`dossier.kind.${k}`)}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      <Group gap="xs" align="flex-end">
        <TextInput
          type="search"
          label={t("dossier.search")}
          placeholder={t("dossier.searchPlaceholder")}
          value={search}
          maxLength={200}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <Select
          label={t("dossier.channel")}
          placeholder={t("dossier.allChannels")}
          clearable
          value={channel}
          onChange={setChannel}
          data={channels.map((c) => ({
            value: c,
            label: (CHANNELS as readonly string[]).includes(c)
              ? t(`channel.${c}`)
              : t(`planner.channel.${c}`),
          }))}
          w={200}
        />
      </Group>
      {timeline.isPending && (
        <Center p="md">
          <Loader aria-label={t("common.loading")} />
        </Center>
      )}
      {timeline.isError && (
        <Alert color="red" role="alert">
          {t("dossier.timelineError")}
        </Alert>
      )}
      {timeline.data && items.length === 0 && (
        <Text c="dimmed" size="sm" data-testid="timeline-empty">
          {q || types.length || channel ? t("dossier.timelineNoMatch") : t("dossier.timelineEmpty")}
        </Text>
      )}
      <Stack gap={6} component="ol" m={0} p={0} style={{ listStyle: "none" }} aria-live="polite">
        {items.map((item) => (
          <Item key={item.key} item={item} contactName={contactName} names={names} />
        ))}
      </Stack>
      <div ref={sentinel} />
      {hasNextPage && (
        <Button variant="light" onClick={() => fetchNextPage()} loading={isFetchingNextPage} w="fit-content">
          {t("dossier.loadMore")}
        </Button>
      )}
    </Stack>
  );
}
