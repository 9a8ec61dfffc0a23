import type {
  SideConversation,
  SideReplyBody,
  SideUpdateBody,
  StartSideConversationBody,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post } from "../../lib/api.ts";

export const sideKey = (ticketId: string) => ["side-conversations", ticketId] as const;

export function useSideConversations(ticketId: string) {
  return useQuery({
    queryKey: sideKey(ticketId),
    queryFn: () => get<SideConversation[]>(`/tickets/${ticketId}/side-conversations`),
    staleTime: 30_000,
  });
}

export function useSideActions(ticketId: string) {
  const qc = useQueryClient();
  const done = () => void qc.invalidateQueries({ queryKey: sideKey(ticketId) });
  const base = `/tickets/${ticketId}/side-conversations`;
  return {
    start: useMutation({
      mutationFn: (v: StartSideConversationBody) => post<SideConversation>(base, v),
      onSuccess: done,
    }),
    reply: useMutation({
      mutationFn: (v: SideReplyBody & { sideId: string }) =>
        post<SideConversation>(`${base}/${v.sideId}/messages`, { body: v.body }),
      onSuccess: done,
    }),
    status: useMutation({
      mutationFn: (v: SideUpdateBody & { sideId: string }) =>
        patch<SideConversation>(`${base}/${v.sideId}`, { status: v.status }),
      onSuccess: done,
    }),
  };
}
