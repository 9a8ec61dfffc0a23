import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { get, patch, post } from "../../lib/api.ts";

export type SideMessage = {
  id: string;
  direction: "out" | "in";
  author: { id: string | null; name: string };
  to: string[];
  bodyText: string;
  bodyHtml: string;
  delivery: string | null;
  createdAt: string;
};
export type SideConversation = {
  id: string;
  ticketId: string;
  subject: string;
  participants: string[];
  status: "open" | "closed";
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
  messages: SideMessage[];
};

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
      mutationFn: (v: { to: string[]; subject: string; body: string }) => post<SideConversation>(base, v),
      onSuccess: done,
    }),
    reply: useMutation({
      mutationFn: (v: { sideId: string; body: string }) =>
        post<SideConversation>(`${base}/${v.sideId}/messages`, { body: v.body }),
      onSuccess: done,
    }),
    status: useMutation({
      mutationFn: (v: { sideId: string; status: "open" | "closed" }) =>
        patch<SideConversation>(`${base}/${v.sideId}`, { status: v.status }),
      onSuccess: done,
    }),
  };
}
