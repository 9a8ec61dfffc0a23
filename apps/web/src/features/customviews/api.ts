import type { CustomView } from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { del, get, patch, post, qs } from "../../lib/api.ts";
import type { Page, Team, Ticket } from "../../lib/types.ts";
import { countsKey, useRealtime } from "../realtime/RealtimeProvider.tsx";

export type { CustomView, ViewFilters } from "@rapport/server/contract";
export { SLA_STATES, VIEW_COLUMNS, VIEW_SORTS } from "@rapport/shared";
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
