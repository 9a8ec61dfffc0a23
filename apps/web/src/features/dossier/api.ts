/** Dossier REST shapes (mirrors of apps/server/src/modules/dossier/dossier.schema.ts) and hooks. */
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { get, qs } from "../../lib/api.ts";
import type { Contact, Page, Ticket } from "../../lib/types.ts";
import type { Cadence, PlannedContact } from "../planner/api.ts";

export const TIMELINE_KINDS = [
  "message",
  "ticket_event",
  "planned_contact",
  "note",
  "event",
  "call",
  "callback",
  "promise",
  "order",
  "csat",
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export type TimelineItem = {
  key: string;
  kind: TimelineKind;
  id: string;
  at: string;
  channel: string | null;
  ticket: { id: string; number: number; subject: string } | null;
  type: string;
  internal: boolean;
  text: string;
  data: Record<string, unknown>;
  actorId: string | null;
};

export type Dossier = {
  contact: Contact;
  organization: {
    id: string;
    name: string;
    domains: string[];
    tags: string[];
    accountOwner: { id: string; name: string } | null;
  } | null;
  accountOwner: { id: string; name: string } | null;
  tags: string[];
  figures: {
    tickets: { total: number; byStatus: Record<string, number> };
    firstContactAt: string | null;
    lastContactAt: string | null;
  };
  openTickets: Ticket[];
  lastContact: PlannedContact | null;
  nextContact: PlannedContact | null;
  cadence: Cadence;
  timeline: Page<TimelineItem>;
};

export type TimelineFilters = { types: TimelineKind[]; channel: string | null; q: string };

export function useDossier(id: string) {
  return useQuery({
    queryKey: ["dossier", id, "summary"],
    // The timeline is paged separately (with its filters); one item keeps this request light.
    queryFn: () => get<Dossier>(`/contacts/${id}/dossier?limit=1`),
    retry: (n, err) => (err as { status?: number }).status !== 404 && n < 2,
  });
}

export function useTimeline(id: string, f: TimelineFilters) {
  return useInfiniteQuery({
    queryKey: ["dossier", id, "timeline", f],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      get<Page<TimelineItem>>(
        `/contacts/${id}/timeline${qs({
          types: f.types.length ? f.types.join(",") : undefined,
          channel: f.channel,
          q: f.q.trim() || undefined,
          cursor: pageParam,
          limit: 30,
        })}`,
      ),
    getNextPageParam: (last) => last.nextCursor,
  });
}
