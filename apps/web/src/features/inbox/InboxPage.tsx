import { Alert, Box, Checkbox, Group, NativeSelect, Paper, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from "@rapport/shared";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { formatNumber, formatRelative } from "../../lib/format.ts";
import type { Ticket } from "../../lib/types.ts";
import { useFields } from "../fields/api.ts";
import { type CfFilter, CfFilterBar, cfParams } from "../fields/CfFilterBar.tsx";
import { useShortcuts } from "../shortcuts/useShortcuts.ts";
import { SlaCountdown } from "../sla/Countdown.tsx";
import { useTeams } from "../teams/api.ts";
import { TierBadge } from "../value/TierBadge.tsx";
import { type InboxFilters, inboxFilters, rememberList, useTicketPages } from "./api.ts";
import { BulkBar } from "./BulkBar.tsx";
import { PriorityBadge, SentimentFlag, StatusBadge } from "./labels.tsx";

const ROW = 44;
/** A ticket card on a phone: requester and time, subject on two lines, badges. */
const CARD = 112;

const HOUR = 3_600_000;
/** Relative times of every magnitude, to size the "updated" column for the longest. */
const AGE_SAMPLES = [-45_000, -50 * 60_000, -23 * HOUR, -6 * 24 * HOUR, -300 * 24 * HOUR];

/**
 * The fixed columns (status, priority, channel, updated) as wide as their widest possible
 * content in the current language (header included), measured from hidden copies of the real
 * labels: Tamil's "நிறுத்திவைக்கப்பட்டது" gets the room it needs, English keeps narrow columns.
 */
function useColumnTemplate(): { template: string; sizer: React.ReactNode } {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const [widths, setWidths] = useState<Record<string, number>>({});
  const lang = i18n.language;
  // Measured again whenever the language changes.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const next: Record<string, number> = {};
    for (const col of el.querySelectorAll<HTMLElement>("[data-col]"))
      next[col.dataset.col ?? ""] = Math.ceil(col.getBoundingClientRect().width) + 2;
    setWidths(next);
  }, [lang]);
  const px = (col: string, min: number) => `${Math.max(min, widths[col] ?? min)}px`;
  const now = Date.now();
  const sizer = (
    <div ref={ref} aria-hidden="true" className="inbox-sizer">
      <div data-col="status">
        <span className="inbox-th">{t("inbox.status")}</span>
        {TICKET_STATUSES.map((st) => (
          <StatusBadge key={st} status={st} />
        ))}
      </div>
      <div data-col="priority">
        <span className="inbox-th">{t("inbox.priority")}</span>
        {TICKET_PRIORITIES.map((p) => (
          <PriorityBadge key={p} priority={p} />
        ))}
      </div>
      <div data-col="requester">
        <span className="inbox-th">{t("inbox.requester")}</span>
      </div>
      <div data-col="assignee">
        <span className="inbox-th">{t("inbox.assignee")}</span>
      </div>
      <div data-col="channel">
        <span className="inbox-th">{t("inbox.channel")}</span>
        {CHANNELS.map((c) => (
          <span key={c}>{t(`channel.${c}`)}</span>
        ))}
      </div>
      <div data-col="updated">
        <span className="inbox-th">{t("inbox.updated")}</span>
        {AGE_SAMPLES.map((d) => (
          <span key={d}>{formatRelative(new Date(now + d).toISOString(), now)}</span>
        ))}
      </div>
    </div>
  );
  const template = `36px 20px minmax(${px("requester", 120)}, 1.2fr) minmax(200px, 3fr) ${px("status", 110)} ${px("priority", 90)} minmax(${px("assignee", 100)}, 1fr) ${px("channel", 80)} ${px("updated", 120)}`;
  return { template, sizer };
}

/** One ticket as a card (phones): the same facts as a row, stacked. */
function Card({
  ticket,
  active,
  selected,
  onSelect,
  style,
}: {
  ticket: Ticket;
  active: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  style: React.CSSProperties;
}) {
  const { t } = useTranslation();
  return (
    <li style={style} data-ticket-id={ticket.id} className="inbox-card-slot">
      <Paper
        withBorder
        p="xs"
        className="inbox-card"
        aria-current={active ? "true" : undefined}
        data-unread={ticket.unread || undefined}
      >
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Checkbox
            size="sm"
            mt={2}
            aria-label={t("inbox.selectTicket", { number: ticket.number })}
            checked={selected}
            onChange={(e) => onSelect(e.currentTarget.checked)}
          />
          <Box style={{ flex: 1, minWidth: 0 }}>
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm" fw={ticket.unread ? 700 : 500} truncate="end">
                {ticket.unread && <span className="sr-only">{t("inbox.unread")}: </span>}
                <SentimentFlag sentiment={ticket.sentiment} />{" "}
                <TierBadge tier={ticket.requester.tier} size="xs" />{" "}
                {ticket.requester.name || ticket.requester.email}
              </Text>
              <Text size="xs" c="dimmed" style={{ flexShrink: 0 }} title={ticket.updatedAt}>
                {formatRelative(ticket.updatedAt)}
              </Text>
            </Group>
            <Link to={`/tickets/${ticket.id}`} className="inbox-card-link">
              <Text span c="dimmed" size="xs">
                #{ticket.number}{" "}
              </Text>
              {ticket.subject}
            </Link>
            <Group gap={6} mt={4} wrap="nowrap" className="inbox-card-badges">
              <StatusBadge status={ticket.status} />
              <PriorityBadge priority={ticket.priority} />
              <SlaCountdown dueAt={ticket.nextDueAt ?? null} compact />
              <Text size="xs" c="dimmed" truncate="end">
                {ticket.assignee?.name ?? t("ticket.unassigned")}
              </Text>
            </Group>
          </Box>
        </Group>
      </Paper>
    </li>
  );
}

function Row({
  ticket,
  index,
  active,
  selected,
  onSelect,
  onOpen,
  style,
}: {
  ticket: Ticket;
  index: number;
  active: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onOpen: () => void;
  style: React.CSSProperties;
}) {
  const { t } = useTranslation();
  return (
    <tr
      aria-rowindex={index + 2}
      aria-current={active ? "true" : undefined}
      className="inbox-row"
      data-ticket-id={ticket.id}
      style={style}
      onClick={onOpen}
    >
      <td>
        <Checkbox
          size="xs"
          aria-label={t("inbox.selectTicket", { number: ticket.number })}
          checked={selected}
          onClick={(e) => e.stopPropagation()}
          onChange={(e) => onSelect(e.currentTarget.checked)}
        />
      </td>
      <td>
        {ticket.unread && (
          <Box
            component="span"
            w={8}
            h={8}
            bg="indigo.6"
            display="inline-block"
            style={{ borderRadius: 8 }}
            title={t("inbox.unread")}
          >
            <span className="sr-only">{t("inbox.unread")}</span>
          </Box>
        )}
      </td>
      <td className={ticket.unread ? "unread" : undefined}>
        <SentimentFlag sentiment={ticket.sentiment} /> <TierBadge tier={ticket.requester.tier} size="xs" />{" "}
        {ticket.requester.name || ticket.requester.email}
      </td>
      <td className={ticket.unread ? "unread" : undefined}>
        <Link to={`/tickets/${ticket.id}`} onClick={(e) => e.stopPropagation()} style={{ color: "inherit" }}>
          <Text span c="dimmed" size="xs">
            #{ticket.number}{" "}
          </Text>
          {ticket.subject}
        </Link>{" "}
        <SlaCountdown dueAt={ticket.nextDueAt ?? null} compact />
      </td>
      <td>
        <StatusBadge status={ticket.status} />
      </td>
      <td>
        <PriorityBadge priority={ticket.priority} />
      </td>
      <td>
        {ticket.assignee?.name ?? (
          <Text span c="dimmed" size="sm">
            {t("ticket.unassigned")}
          </Text>
        )}
      </td>
      <td>{t(`channel.${ticket.channel}`)}</td>
      <td title={ticket.updatedAt}>{formatRelative(ticket.updatedAt)}</td>
    </tr>
  );
}

export function InboxPage() {
  const { t } = useTranslation();
  const { view = "mine" } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const teams = useTeams().data ?? [];
  const filters: InboxFilters = useMemo(() => inboxFilters(params), [params]);
  const ticketFields = useFields("ticket").data ?? [];
  const cfFilters: CfFilter[] = [...params]
    .filter(([k]) => k.startsWith("cf."))
    .map(([k, value]) => {
      const [, key = "", op = "eq"] = k.split(".");
      return { key, op, value };
    });
  const setCfFilters = (next: CfFilter[]) => {
    const n = new URLSearchParams([...params].filter(([k]) => !k.startsWith("cf.")));
    for (const [k, v] of Object.entries(cfParams(next))) n.set(k, v);
    setParams(n, { replace: true });
  };
  const q = useTicketPages(view, filters);
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  const { template, sizer } = useColumnTemplate();
  const tickets = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtual = useVirtualizer({
    count: tickets.length + (q.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => (phone ? CARD : ROW),
    overscan: 10,
  });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && last.index >= tickets.length - 10 && q.hasNextPage && !q.isFetchingNextPage)
      void q.fetchNextPage();
  }, [last, tickets.length, q]);

  useEffect(() => {
    setSelected(new Set());
    setActive(0);
  }, [view]);

  useEffect(() => rememberList(tickets.map((tk) => tk.id)), [tickets]);
  // Rows and cards differ in height: re-measure when the layout switches.
  useEffect(() => virtual.measure(), [phone, virtual]);

  const move = (d: number) => {
    const next = Math.max(0, Math.min(tickets.length - 1, active + d));
    setActive(next);
    virtual.scrollToIndex(next);
  };
  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    ArrowDown: () => move(1),
    ArrowUp: () => move(-1),
    Enter: () => {
      const tk = tickets[active];
      if (tk) navigate(`/tickets/${tk.id}`);
    },
    x: () => {
      const tk = tickets[active];
      if (tk) toggle(tk.id, !selected.has(tk.id));
    },
  });

  function toggle(id: string, on: boolean) {
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  }

  const setFilter = (key: string, value: string) => {
    const n = new URLSearchParams(params);
    if (value) n.set(key, value);
    else n.delete(key);
    setParams(n, { replace: true });
  };

  const title = view.startsWith("team:")
    ? (teams.find((tm) => tm.id === view.slice(5))?.name ?? t("nav.teams"))
    : t(`views.${view}`);
  const allSelected = tickets.length > 0 && tickets.every((tk) => selected.has(tk.id));

  return (
    <Box h="calc(100vh - 56px)" style={{ display: "flex", flexDirection: "column" }}>
      <Group p="md" justify="space-between" wrap="wrap" gap="sm">
        <Title order={1} size="h3">
          {title}
        </Title>
        <Group gap="xs">
          <NativeSelect
            size="xs"
            aria-label={t("inbox.filterPriority")}
            value={filters.priority ?? ""}
            onChange={(e) => setFilter("priority", e.currentTarget.value)}
            data={[
              { value: "", label: t("inbox.anyPriority") },
              ...TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) })),
            ]}
          />
          <NativeSelect
            size="xs"
            aria-label={t("inbox.filterChannel")}
            value={filters.channel ?? ""}
            onChange={(e) => setFilter("channel", e.currentTarget.value)}
            data={[
              { value: "", label: t("inbox.anyChannel") },
              ...CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) })),
            ]}
          />
          <NativeSelect
            size="xs"
            aria-label={t("inbox.sortBy")}
            value={`${filters.sort ?? "updated"}:${filters.order ?? "desc"}`}
            onChange={(e) => {
              const [sort = "updated", order = "desc"] = e.currentTarget.value.split(":");
              const n = new URLSearchParams(params);
              n.set("sort", sort);
              n.set("order", order);
              setParams(n, { replace: true });
            }}
            data={[
              { value: "updated:desc", label: t("inbox.sortUpdatedDesc") },
              { value: "updated:asc", label: t("inbox.sortUpdatedAsc") },
              { value: "created:desc", label: t("inbox.sortCreatedDesc") },
              { value: "created:asc", label: t("inbox.sortCreatedAsc") },
              { value: "priority:desc", label: t("inbox.sortPriority") },
              { value: "next_due:asc", label: t("sla.sortNextDue") },
            ]}
          />
        </Group>
      </Group>
      {ticketFields.length > 0 && (
        <Box px="md" pb="xs" data-testid="inbox-cf-filters">
          <CfFilterBar fields={ticketFields} filters={cfFilters} onChange={setCfFilters} />
        </Box>
      )}
      {selected.size > 0 && <BulkBar ids={[...selected]} onDone={() => setSelected(new Set())} />}
      {q.isError && (
        <Alert color="red" m="md" role="alert">
          {t("common.error")}
        </Alert>
      )}
      <div
        ref={scrollRef}
        style={{ flex: 1, overflow: "auto", minHeight: 0, "--inbox-cols": template } as React.CSSProperties}
        data-testid="inbox-scroll"
        data-layout={phone ? "cards" : "table"}
      >
        {sizer}
        {phone ? (
          <ul
            aria-label={title}
            className="inbox-cards"
            style={{ height: virtual.getTotalSize(), position: "relative" }}
            data-testid="inbox-cards"
          >
            {items.map((it) => {
              const tk = tickets[it.index];
              const style: React.CSSProperties = {
                position: "absolute",
                top: 0,
                left: 0,
                right: 0,
                height: CARD,
                transform: `translateY(${it.start}px)`,
              };
              if (!tk)
                return (
                  <li key="loader" style={style}>
                    <Text p="sm">{t("common.loading")}</Text>
                  </li>
                );
              return (
                <Card
                  key={tk.id}
                  ticket={tk}
                  active={it.index === active}
                  selected={selected.has(tk.id)}
                  onSelect={(on) => toggle(tk.id, on)}
                  style={style}
                />
              );
            })}
          </ul>
        ) : (
          <table
            aria-label={title}
            aria-rowcount={tickets.length + 1}
            style={{ display: "grid", width: "100%", borderCollapse: "collapse" }}
          >
            <thead style={{ display: "grid", position: "sticky", top: 0, zIndex: 1 }}>
              <tr aria-rowindex={1} className="inbox-row inbox-head" style={{ minHeight: ROW }}>
                <th scope="col">
                  <Checkbox
                    size="xs"
                    aria-label={t("inbox.selectAll")}
                    checked={allSelected}
                    indeterminate={selected.size > 0 && !allSelected}
                    onChange={(e) =>
                      setSelected(e.currentTarget.checked ? new Set(tickets.map((tk) => tk.id)) : new Set())
                    }
                  />
                </th>
                <th scope="col">
                  <span className="sr-only">{t("inbox.unread")}</span>
                </th>
                <th scope="col">{t("inbox.requester")}</th>
                <th scope="col">{t("inbox.subject")}</th>
                <th scope="col">{t("inbox.status")}</th>
                <th scope="col">{t("inbox.priority")}</th>
                <th scope="col">{t("inbox.assignee")}</th>
                <th scope="col">{t("inbox.channel")}</th>
                <th scope="col">{t("inbox.updated")}</th>
              </tr>
            </thead>
            <tbody style={{ display: "grid", height: virtual.getTotalSize(), position: "relative" }}>
              {items.map((it) => {
                const tk = tickets[it.index];
                const style: React.CSSProperties = {
                  position: "absolute",
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW,
                  transform: `translateY(${it.start}px)`,
                };
                if (!tk)
                  return (
                    <tr key="loader" style={style} className="inbox-row">
                      <td>{t("common.loading")}</td>
                    </tr>
                  );
                return (
                  <Row
                    key={tk.id}
                    ticket={tk}
                    index={it.index}
                    active={it.index === active}
                    selected={selected.has(tk.id)}
                    onSelect={(on) => toggle(tk.id, on)}
                    onOpen={() => navigate(`/tickets/${tk.id}`)}
                    style={style}
                  />
                );
              })}
            </tbody>
          </table>
        )}
        {!q.isPending && tickets.length === 0 && (
          <Text c="dimmed" p="xl" ta="center" role="status">
            {t("inbox.empty")}
          </Text>
        )}
      </div>
      <Text
        size="xs"
        c="dimmed"
        px="md"
        py={4}
        aria-live="polite"
        data-testid="loaded-count"
        data-loaded={tickets.length}
      >
        {t("inbox.loaded", { n: formatNumber(tickets.length) })}
      </Text>
    </Box>
  );
}
