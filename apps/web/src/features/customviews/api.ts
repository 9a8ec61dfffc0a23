import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { del, get, patch, post, qs } from "../../lib/api.ts";
import type { Page, Team, Ticket } from "../../lib/types.ts";
import { countsKey, useRealtime } from "../realtime/RealtimeProvider.tsx";

export const SLA_STATES = ["overdue", "due_soon", "running", "none"] as const;
export const VIEW_COLUMNS = [
  "number",
  "subject",
  "requester",
  "status",
  "priority",
  "assignee",
  "team",
  "channel",
  "tags",
  "language",
  "updated",
  "created",
  "next_due",
] as const;
export const VIEW_SORTS = ["updated", "created", "priority", "next_due"] as const;

export type ViewFilters = {
  status?: string[];
  priority?: string[];
  channel?: string[];
  assignee?: string;
  team?: string;
  tags?: string[];
  requester?: string;
  language?: string;
  sla?: (typeof SLA_STATES)[number];
  q?: string;
  cf?: Record<string, string>;
};
export type CustomView = {
  id: string;
  key: string;
  name: string;
  owner: { id: string; name: string } | null;
  teamIds: string[];
  filters: ViewFilters;
  columns: string[];
  sort: (typeof VIEW_SORTS)[number];
  order: "asc" | "desc";
  editable: boolean;
  createdAt: string;
  updatedAt: string;
};
export type ViewDraft = Pick<CustomView, "name" | "filters" | "columns" | "sort" | "order" | "teamIds">;

const viewsKey = ["custom-views"] as const;

export function useCustomViews() {
  return useQuery({ queryKey: viewsKey, queryFn: () => get<CustomView[]>("/views"), staleTime: 60_000 });
}

/** A view's tickets; `version` (its live count) changing refetches them: no polling. */
export function useViewTickets(id: string, version: number | undefined) {
  return useQuery({
    queryKey: ["custom-view-tickets", id, version],
    queryFn: () => get<Page<Ticket>>(`/views/${id}/tickets${qs({ limit: 100 })}`),
    placeholderData: (prev) => prev,
  });
}

/** Saves or deletes a view; the server recounts the agent's views and pushes the counts. */
export function useSaveView() {
  const qc = useQueryClient();
  const rt = useRealtime();
  const done = () => {
    void qc.invalidateQueries({ queryKey: viewsKey });
    void qc.invalidateQueries({ queryKey: ["custom-view-tickets"] });
    void qc.invalidateQueries({ queryKey: countsKey });
    rt.send({ type: "views" });
  };
  return {
    save: useMutation({
      mutationFn: (v: { id?: string; draft: ViewDraft }) =>
        v.id ? patch<CustomView>(`/views/${v.id}`, v.draft) : post<CustomView>("/views", v.draft),
      onSuccess: done,
    }),
    remove: useMutation({ mutationFn: (id: string) => del<void>(`/views/${id}`), onSuccess: done }),
  };
}

/** The teams a view can be shared with or filtered on (the same query the navigation reads). */
export function useTeamList() {
  return useQuery({ queryKey: ["teams"], queryFn: () => get<Team[]>("/teams"), staleTime: 60_000 });
}
