import { infiniteQueryOptions, useInfiniteQuery, useQuery } from "@tanstack/react-query";
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

/** The list filters in the address (`?priority=&channel=&sort=&order=&cf.<key>[.<op>]=`). */
export function inboxFilters(params: URLSearchParams): InboxFilters {
  return {
    priority: params.get("priority") ?? undefined,
    channel: params.get("channel") ?? undefined,
    sort: params.get("sort") ?? undefined,
    order: params.get("order") ?? undefined,
    ...Object.fromEntries([...params].filter(([k]) => k.startsWith("cf."))),
  };
}

/** One inbox view as cursor pages (shared by the page and the start-up prefetch). */
export function ticketPagesOptions(view: string, filters: InboxFilters) {
  return infiniteQueryOptions({
    queryKey: ["tickets", view, filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      get<Page<Ticket>>(
        `/tickets${qs({ ...viewQuery(view), ...filters, cursor: pageParam, limit: PAGE_SIZE })}`,
      ),
    getNextPageParam: (last: Page<Ticket>) => last.nextCursor,
    staleTime: 30_000,
  });
}

/** One inbox view as cursor pages; the realtime provider patches these caches in place. */
export function useTicketPages(view: string, filters: InboxFilters) {
  return useInfiniteQuery(ticketPagesOptions(view, filters));
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
