import type { TPresenceAgent, TViewCounts } from "@rapport/shared";
import { type InfiniteData, type QueryClient, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from "react";
import { get } from "../../lib/api.ts";
import type { Message, Page, Ticket } from "../../lib/types.ts";
import { RealtimeClient, type ServerFrame, type Status } from "./client.ts";
import { inView } from "./views.ts";

const Ctx = createContext<RealtimeClient | null>(null);

export const countsKey = ["view-counts"] as const;
export type Counts = { counts: TViewCounts };

/** Query keys of the inbox lists: ["tickets", view, filters]. */
export type TicketList = InfiniteData<Page<Ticket>, string | null>;

function applyTicket(qc: QueryClient, ticket: Ticket, meId: string) {
  qc.setQueryData<Ticket>(["ticket", ticket.id], (old) => (old ? { ...old, ...ticket } : old));
  for (const [key, raw] of qc.getQueriesData<TicketList | Page<Ticket>>({ queryKey: ["tickets"] })) {
    if (!raw) continue;
    if (!("pages" in raw)) {
      // A plain page (a customer's other tickets): refresh the ticket in place.
      qc.setQueryData<Page<Ticket>>(key, {
        ...raw,
        items: raw.items.map((t) => (t.id === ticket.id ? { ...t, ...ticket } : t)),
      });
      continue;
    }
    const data = raw;
    const view = String(key[1]);
    const filters = (key[2] ?? {}) as Record<string, string | undefined>;
    const matchesFilters =
      (!filters.priority || filters.priority === ticket.priority) &&
      (!filters.channel || filters.channel === ticket.channel) &&
      (!filters.requester || filters.requester === ticket.requester.id) &&
      !filters.q &&
      (!filters.tag || ticket.tags.includes(filters.tag));
    const belongs = matchesFilters && inView(view, ticket, meId);
    // Custom-field filters are the server's to judge: rows already listed are refreshed in
    // place, and a new ticket waits for the next refetch rather than being guessed in.
    const cfFiltered = Object.keys(filters).some((k) => k.startsWith("cf."));
    let found = false;
    const pages = data.pages.map((p) => ({
      ...p,
      items: p.items.flatMap((t) => {
        if (t.id !== ticket.id) return [t];
        found = true;
        return belongs ? [{ ...t, ...ticket }] : [];
      }),
    }));
    if (!found && belongs && !cfFiltered && pages[0]) {
      pages[0] = { ...pages[0], items: [ticket, ...pages[0].items] };
    }
    qc.setQueryData<TicketList>(key, { ...data, pages });
  }
}

function applyMessage(qc: QueryClient, ticketId: string, message: Message) {
  qc.setQueryData<Page<Message>>(["messages", ticketId], (old) =>
    old && !old.items.some((m) => m.id === message.id) ? { ...old, items: [...old.items, message] } : old,
  );
  void qc.invalidateQueries({ queryKey: ["events", ticketId] });
}

function applyCounts(qc: QueryClient, deltas: Record<string, number>) {
  qc.setQueryData<Counts>(countsKey, (old) => {
    if (!old) return old;
    const counts = { ...old.counts };
    for (const [k, d] of Object.entries(deltas)) counts[k] = Math.max(0, (counts[k] ?? 0) + d);
    return { ...old, counts };
  });
}

export function RealtimeProvider({ meId, children }: { meId: string; children: ReactNode }) {
  const qc = useQueryClient();
  const [client] = useState(() => {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    return new RealtimeClient(`${proto}//${location.host}/api/v1/ws`);
  });

  useEffect(() => {
    const off = client.subscribe((frame: ServerFrame) => {
      switch (frame.type) {
        case "hello":
          qc.setQueryData<Counts>(countsKey, { counts: frame.counts });
          break;
        case "counts":
          applyCounts(qc, frame.deltas);
          break;
        case "view_counts":
          // Custom views are recounted by the server: absolute values, not deltas.
          qc.setQueryData<Counts>(countsKey, (old) => ({ counts: { ...old?.counts, ...frame.counts } }));
          break;
        case "ticket":
          applyTicket(qc, frame.ticket, meId);
          break;
        case "message":
          applyMessage(qc, frame.ticketId, frame.message);
          break;
        case "resync":
          void qc.invalidateQueries();
          break;
        default:
          break;
      }
    });
    client.start();
    (window as unknown as { __rapportRealtime?: RealtimeClient }).__rapportRealtime = client;
    return () => {
      off();
      client.stop();
    };
  }, [client, qc, meId]);

  return <Ctx.Provider value={client}>{children}</Ctx.Provider>;
}

export function useRealtime(): RealtimeClient {
  const c = useContext(Ctx);
  if (!c) throw new Error("useRealtime outside RealtimeProvider");
  return c;
}

export function useRealtimeStatus(): Status {
  const c = useRealtime();
  return useSyncExternalStore(
    (l) => c.onStatus(l),
    () => c.status,
  );
}

const none: TPresenceAgent[] = [];
export function usePresence(ticketId: string): TPresenceAgent[] {
  const c = useRealtime();
  return useSyncExternalStore(
    (l) => c.onPresence(l),
    () => c.presenceOf(ticketId) ?? none,
  );
}

/** Initial counts from REST; afterwards only pushed deltas change them. */
export function useViewCounts() {
  return useQuery({
    queryKey: countsKey,
    queryFn: async (): Promise<Counts> => {
      const counts = await get<TViewCounts>("/views/counts");
      return { counts };
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}
