/** Planner REST shapes (mirrors of apps/server/src/modules/planner/planner.schema.ts) and hooks. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, del, get, patch, post, qs } from "../../lib/api.ts";

export const PLANNER_CHANNELS = ["phone", "email", "chat", "meeting", "visit", "video", "other"] as const;
export type PlannerChannel = (typeof PLANNER_CHANNELS)[number];

export type PlannedContact = {
  id: string;
  contact: { id: string; name: string };
  ownerId: string;
  coverId: string | null;
  date: string;
  time: string | null;
  timeZone: string | null;
  at: string | null;
  channel: string;
  purpose: string;
  notes: string;
  status: "planned" | "done" | "missed" | "cancelled";
  outcome: string | null;
  completedAt: string | null;
  previousId: string | null;
  missed: boolean;
  covering: boolean;
  createdAt: string;
};

export type Today = { userId: string; date: string; capacity: number; items: PlannedContact[] };

export type BoardDay = {
  date: string;
  day: number;
  planned: number;
  done: number;
  capacity: number;
  overloaded: boolean;
  absent: boolean;
};
export type Board = {
  userId: string;
  month: string;
  today: string;
  capacityPerDay: number;
  days: BoardDay[];
  monthTabs: { month: string; planned: number }[];
  overdue: number;
};

export type PlannerSettings = {
  capacityPerDay: number;
  workDays: number[];
  reminderEmail: boolean;
  icalFeed: boolean;
  timeZone: string;
};

export type Absence = {
  id: string;
  agentId: string;
  coverId: string;
  from: string;
  to: string;
  note: string;
  status: "scheduled" | "active" | "ended" | "cancelled";
  createdAt: string;
};

export type Cadence = { every: number; unit: "day" | "week" | "month"; anchorDay: number | null } | null;

export type QuickChoice =
  | { kind: "tomorrow" }
  | { kind: "in_a_week" }
  | { kind: "in_a_month" }
  | { kind: "on_date"; date: string }
  | { kind: "none" };

export type CompleteInput = {
  outcome: string;
  status: "done" | "missed";
  next?: QuickChoice;
  nextTime?: string | null;
  nextPurpose?: string;
  nextChannel?: PlannerChannel;
};

export type PlanInput = {
  contactId: string;
  date: string;
  time?: string | null;
  /** IANA zone of the time (the customer's, say); the owner's zone when absent. */
  timeZone?: string | null;
  channel: PlannerChannel;
  purpose: string;
  notes: string;
  ownerId?: string;
};

/** Every query key the planner reads starts with "planner", so one invalidation refreshes them all. */
export const plannerKey = ["planner"] as const;

export { useUsers } from "../inbox/api.ts";

export function useToday(userId: string | undefined) {
  return useQuery({
    queryKey: [...plannerKey, "today", userId ?? "me"],
    queryFn: () => get<Today>(`/planner/today${qs({ userId })}`),
    staleTime: 30_000,
  });
}

export function useBoard(userId: string | undefined, month: string | undefined) {
  return useQuery({
    queryKey: [...plannerKey, "board", userId ?? "me", month ?? "current"],
    queryFn: () => get<Board>(`/planner/board${qs({ userId, month, tabs: 12 })}`),
  });
}

export function useItems(userId: string | undefined, from: string | undefined, to: string | undefined) {
  return useQuery({
    queryKey: [...plannerKey, "items", userId ?? "me", from, to],
    queryFn: () => get<{ items: PlannedContact[] }>(`/planner/items${qs({ userId, from, to, limit: 2000 })}`),
    enabled: !!from && !!to,
  });
}

export function useSettings(userId?: string) {
  return useQuery({
    queryKey: [...plannerKey, "settings", userId ?? "me"],
    queryFn: () => get<PlannerSettings>(`/planner/settings${qs({ userId })}`),
  });
}

export function useAbsences() {
  return useQuery({
    queryKey: [...plannerKey, "absences"],
    queryFn: () => get<{ items: Absence[] }>("/planner/absences"),
  });
}

/** Invalidates the planner and every dossier (a planned contact shows on both). */
export function usePlannerInvalidate() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: plannerKey }),
      qc.invalidateQueries({ queryKey: ["dossier"] }),
    ]);
}

export function useComplete() {
  const invalidate = usePlannerInvalidate();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: CompleteInput }) =>
      post<{ completed: PlannedContact; next: PlannedContact | null }>(
        `/planner/contacts/${id}/complete`,
        input,
      ),
    onSuccess: invalidate,
  });
}

export function usePlan() {
  const invalidate = usePlannerInvalidate();
  return useMutation({
    mutationFn: (input: PlanInput) => post<PlannedContact>("/planner/contacts", input),
    onSuccess: invalidate,
  });
}

export function useMove() {
  const invalidate = usePlannerInvalidate();
  return useMutation({
    mutationFn: (input: { ids: string[]; date: string }) =>
      post<{ moved: number; date: string }>("/planner/contacts/move", input),
    onSettled: invalidate,
  });
}

export function useSpread() {
  const invalidate = usePlannerInvalidate();
  return useMutation({
    mutationFn: (input: { date: string; userId?: string }) =>
      post<{ moves: { id: string; from: string; to: string }[]; unplaced: string[] }>(
        "/planner/spread",
        input,
      ),
    onSuccess: invalidate,
  });
}

export function useCancelPlanned() {
  const invalidate = usePlannerInvalidate();
  return useMutation({
    mutationFn: (id: string) => patch<PlannedContact>(`/planner/contacts/${id}`, { status: "cancelled" }),
    onSuccess: invalidate,
  });
}

export function useCadence(contactId: string) {
  return useQuery({
    queryKey: ["dossier", contactId, "cadence"],
    queryFn: () => get<Cadence>(`/contacts/${contactId}/cadence`),
  });
}

export function useSetCadence(contactId: string) {
  const invalidate = usePlannerInvalidate();
  return useMutation({
    mutationFn: (c: { every: number; unit: "day" | "week" | "month" } | null): Promise<Cadence> =>
      c
        ? api<Cadence>("PUT", `/contacts/${contactId}/cadence`, c)
        : del<void>(`/contacts/${contactId}/cadence`).then(() => null),
    onSuccess: invalidate,
  });
}

/** A calendar date (YYYY-MM-DD) as a readable date in the UI language, without time-zone shifts. */
export function dayLabel(date: string, locale: string, opts: Intl.DateTimeFormatOptions = {}) {
  const [y, m, d] = date.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC", ...opts }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)),
  );
}

export function monthLabel(month: string, locale: string) {
  const [y, m] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, 1)),
  );
}

/** Today's calendar date in the browser's zone (the server decides the owner's "today"). */
export function localToday() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
