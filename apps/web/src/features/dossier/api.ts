/** Dossier hooks; the shapes come from the server's schemas (@rapport/server/contract). */

import type { Dossier, TimelinePage } from "@rapport/server/contract";
import type { TimelineKind } from "@rapport/shared";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { get, qs } from "../../lib/api.ts";

export type { Dossier, TimelineItem } from "@rapport/server/contract";
export { TIMELINE_KINDS, type TimelineKind } from "@rapport/shared";

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
      get<TimelinePage>(
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
