import { Alert, Box, Checkbox, Group, NativeSelect, Text, Title } from "@mantine/core";
import { CHANNELS, TICKET_PRIORITIES } from "@rapport/shared";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useTeams } from "../../components/Layout.tsx";
import { formatNumber, formatRelative } from "../../lib/format.ts";
import type { Ticket } from "../../lib/types.ts";
import { useFields } from "../fields/api.ts";
import { type CfFilter, CfFilterBar, cfParams } from "../fields/CfFilterBar.tsx";
import { useShortcuts } from "../shortcuts/useShortcuts.ts";
import { SlaCountdown } from "../sla/Countdown.tsx";
import { type InboxFilters, inboxFilters, rememberList, useTicketPages } from "./api.ts";
import { BulkBar } from "./BulkBar.tsx";
import { PriorityBadge, StatusBadge } from "./labels.tsx";

const ROW = 44;

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
  const tickets = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const scrollRef = useRef<HTMLDivElement>(null);

  const virtual = useVirtualizer({
    count: tickets.length + (q.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
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
      <div ref={scrollRef} style={{ flex: 1, overflow: "auto", minHeight: 0 }} data-testid="inbox-scroll">
        <table
          aria-label={title}
          aria-rowcount={tickets.length + 1}
          style={{ display: "grid", width: "100%", borderCollapse: "collapse" }}
        >
          <thead style={{ display: "grid", position: "sticky", top: 0, zIndex: 1 }}>
            <tr aria-rowindex={1} className="inbox-row inbox-head" style={{ height: ROW }}>
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
