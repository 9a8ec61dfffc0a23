import type {
  Notice,
  NoticePage,
  NoticePreference,
  NoticePreferences,
  NoticeReadAll,
  NoticeUnread,
} from "@rapport/server/contract";
import type { NotificationKind, TNotificationFrame, TNotificationsUnreadFrame } from "@rapport/shared";
import {
  type InfiniteData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { useEffect } from "react";
import { api, get, post, qs } from "../../lib/api.ts";
import { useRealtime } from "../realtime/RealtimeProvider.tsx";

/** GET /api/v1/notifications items (docs/notifications.md); title and body come in the user's language. */
export type { Notice, NoticePreference as Preference } from "@rapport/server/contract";

const listKey = ["notifications", "list"] as const;
const unreadKey = ["notifications", "unread"] as const;
const PAGE = 20;

export function useNoticeList(enabled = true) {
  return useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam }) =>
      get<NoticePage>(`/notifications${qs({ limit: PAGE, cursor: pageParam ?? undefined })}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

/** The caller's unread notices of one kind (the planner's morning banner); refreshed on push. */
export function useUnreadOfKind(kind: NotificationKind) {
  return useQuery({
    queryKey: ["notifications", "kind", kind],
    queryFn: () => get<NoticePage>(`/notifications${qs({ unread: "true", kind, limit: 5 })}`),
  });
}

/** The unread count: read once, then kept by websocket pushes (no polling). */
export function useUnreadCount() {
  return useQuery({
    queryKey: unreadKey,
    queryFn: () => get<NoticeUnread>("/notifications/unread-count"),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

function setRead(qc: QueryClient, id: string | null, unread: number) {
  const at = new Date().toISOString();
  void qc.invalidateQueries({ queryKey: ["notifications", "kind"] });
  qc.setQueryData<NoticeUnread>(unreadKey, { unread });
  qc.setQueryData<InfiniteData<NoticePage, string | null>>(listKey, (old) =>
    old
      ? {
          ...old,
          pages: old.pages.map((p) => ({
            ...p,
            items: p.items.map((n) => ((id === null || n.id === id) && !n.readAt ? { ...n, readAt: at } : n)),
          })),
        }
      : old,
  );
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => post<NoticeUnread>(`/notifications/${id}/read`),
    onSuccess: (r, id) => setRead(qc, id, r.unread),
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => post<NoticeReadAll>("/notifications/read-all"),
    onSuccess: (r) => setRead(qc, null, r.unread),
  });
}

export function usePreferences() {
  return useQuery({
    queryKey: ["notifications", "preferences"],
    queryFn: () => get<NoticePreferences>("/notifications/preferences"),
  });
}

export function useSavePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (items: NoticePreference[]) =>
      api<NoticePreferences>("PUT", "/notifications/preferences", { items }),
    onSuccess: (r) => qc.setQueryData(["notifications", "preferences"], r),
  });
}

/**
 * Keeps the bell current from the websocket: a pushed notice goes on top of the list with the
 * new unread count; a count pushed after reading in another tab replaces ours; after a
 * reconnect that lost events (`resync`) both are read again.
 */
export function useNoticePush(onNotice?: (n: Notice) => void) {
  const client = useRealtime();
  const qc = useQueryClient();
  useEffect(() => {
    const off = client.subscribe((frame) => {
      const f = frame as { type: string };
      if (f.type === "notification") {
        const { notification, unread } = f as TNotificationFrame<Notice>;
        qc.setQueryData<NoticeUnread>(unreadKey, { unread });
        qc.setQueryData<InfiniteData<NoticePage, string | null>>(listKey, (old) => {
          if (!old?.pages[0] || old.pages.some((p) => p.items.some((n) => n.id === notification.id)))
            return old;
          const [first, ...rest] = old.pages;
          return { ...old, pages: [{ ...first, items: [notification, ...first.items] }, ...rest] };
        });
        onNotice?.(notification);
      } else if (f.type === "notifications.unread") {
        const { unread } = f as TNotificationsUnreadFrame;
        qc.setQueryData<NoticeUnread>(unreadKey, { unread });
        void qc.invalidateQueries({ queryKey: listKey });
      }
    });
    return () => void off();
  }, [client, qc, onNotice]);
}

/**
 * Refreshes a feature's queries when a notice of one of `kinds` is pushed to this user (a
 * call-back due, a promise overdue): the push that replaces polling those lists.
 */
export function useRefreshOnNotice(kinds: readonly NotificationKind[], queryKey: readonly unknown[]) {
  const client = useRealtime();
  const qc = useQueryClient();
  const k = kinds.join();
  const key = JSON.stringify(queryKey);
  useEffect(() => {
    const off = client.subscribe((frame) => {
      const f = frame as { type: string; notification?: { kind?: string } };
      if (f.type === "notification" && k.split(",").includes(f.notification?.kind ?? ""))
        void qc.invalidateQueries({ queryKey: JSON.parse(key) });
    });
    return () => void off();
  }, [client, qc, k, key]);
}
