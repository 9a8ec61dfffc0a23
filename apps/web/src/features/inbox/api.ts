import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { get, qs } from "../../lib/api.ts";
import type { Page, Ticket, User } from "../../lib/types.ts";
import { viewQuery } from "../realtime/views.ts";

export type InboxFilters = {
  priority?: string;
  channel?: string;
  tag?: string;
  sort?: string;
  order?: string;
  /** Custom-field filters, `cf.<key>[.<op>]` as the API takes them. */
  [cf: `cf.${string}`]: string | undefined;
};

export const PAGE_SIZE = 50;

/** One inbox view as cursor pages; the realtime provider patches these caches in place. */
export function useTicketPages(view: string, filters: InboxFilters) {
  return useInfiniteQuery({
    queryKey: ["tickets", view, filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      get<Page<Ticket>>(
        `/tickets${qs({ ...viewQuery(view), ...filters, cursor: pageParam, limit: PAGE_SIZE })}`,
      ),
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 30_000,
  });
}

export function useUsers() {
  return useQuery({ queryKey: ["users"], queryFn: () => get<User[]>("/users"), staleTime: 60_000 });
}

/** Where prev/next in the ticket workspace walk: the ids of the list the agent came from. */
export function rememberList(ids: string[]) {
  sessionStorage.setItem("rapport.list", JSON.stringify(ids));
}

export function neighbours(id: string): { prev?: string; next?: string } {
  try {
    const ids = JSON.parse(sessionStorage.getItem("rapport.list") ?? "[]") as string[];
    const i = ids.indexOf(id);
    if (i < 0) return {};
    return { prev: ids[i - 1], next: ids[i + 1] };
  } catch {
    return {};
  }
}
