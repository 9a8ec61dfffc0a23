/** Planner hooks; the shapes come from the server's schemas ("@rapport/server/contract"). */
import type {
  AbsenceList,
  Cadence,
  CompletePlannedBody,
  CompletePlannedResult,
  MovePlannedBody,
  MovePlannedResult,
  PlanContactBody,
  PlannedContact,
  PlannedContactList,
  PlannerBoard,
  PlannerSettings,
  PlannerToday,
  SetCadenceBody,
  SpreadDayBody,
  SpreadDayResult,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, del, get, patch, post, qs } from "../../lib/api.ts";

export type {
  Absence,
  Cadence,
  CompletePlannedBody as CompleteInput,
  PlanContactBody as PlanInput,
  PlannedContact,
  PlannerBoardDay as BoardDay,
  PlannerQuickChoice as QuickChoice,
  PlannerSettings,
} from "@rapport/server/contract";
export { PLANNER_CHANNELS, type PlannerChannel } from "@rapport/shared";

/** Every query key the planner reads starts with "planner", so one invalidation refreshes them all. */
export const plannerKey = ["planner"] as const;

export { useUsers } from "../inbox/api.ts";

export function useToday(userId: string | undefined) {
  return useQuery({
    queryKey: [...plannerKey, "today", userId ?? "me"],
    queryFn: () => get<PlannerToday>(`/planner/today${qs({ userId })}`),
    staleTime: 30_000,
  });
}

export function useBoard(userId: string | undefined, month: string | undefined) {
  return useQuery({
    queryKey: [...plannerKey, "board", userId ?? "me", month ?? "current"],
    queryFn: () => get<PlannerBoard>(`/planner/board${qs({ userId, month, tabs: 12 })}`),
  });
}

export function useItems(userId: string | undefined, from: string | undefined, to: string | undefined) {
  return useQuery({
    queryKey: [...plannerKey, "items", userId ?? "me", from, to],
    queryFn: () => get<PlannedContactList>(`/planner/items${qs({ userId, from, to, limit: 2000 })}`),
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
    queryFn: () => get<AbsenceList>("/planner/absences"),
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
    mutationFn: ({ id, input }: { id: string; input: CompletePlannedBody }) =>
      post<CompletePlannedResult>(`/planner/contacts/${id}/complete`, input),
    onSuccess: invalidate,
  });
}

export function usePlan() {
  const invalidate = usePlannerInvalidate();
  return useMutation({
    mutationFn: (input: PlanContactBody) => post<PlannedContact>("/planner/contacts", input),
    onSuccess: invalidate,
  });
}

export function useMove() {
  const invalidate = usePlannerInvalidate();
  return useMutation({
    mutationFn: (input: MovePlannedBody) => post<MovePlannedResult>("/planner/contacts/move", input),
    onSettled: invalidate,
  });
}

export function useSpread() {
  const invalidate = usePlannerInvalidate();
  return useMutation({
    mutationFn: (input: SpreadDayBody) => post<SpreadDayResult>("/planner/spread", input),
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
    mutationFn: (c: SetCadenceBody | null): Promise<Cadence> =>
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
