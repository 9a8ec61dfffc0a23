import type {
  AvailabilityState,
  ChatAgent,
  ChatInfo,
  ChatSettings,
  ChatSite,
  ChatSiteBody,
  MyChat,
  TransferChatResult,
} from "@rapport/server/contract";
import type { Availability } from "@rapport/shared";
import { api, get, patch, post } from "../../lib/api.ts";

export type { ChatSite, ChatSiteBody as SiteInput, PrechatField } from "@rapport/server/contract";
export type { Availability } from "@rapport/shared";

export const chatApi = {
  agents: () => get<ChatAgent[]>("/chat/agents"),
  mine: () => get<MyChat[]>("/chat/mine"),
  setAvailability: (availability: Availability) =>
    api<AvailabilityState>("PUT", "/chat/availability", { availability }),
  sites: () => get<ChatSite[]>("/chat/sites"),
  createSite: (s: ChatSiteBody) => post<ChatSite>("/chat/sites", s),
  updateSite: (id: string, s: Partial<ChatSiteBody>) => patch<ChatSite>(`/chat/sites/${id}`, s),
  rotate: (id: string) => post<ChatSite>(`/chat/sites/${id}/rotate-secret`),
  settings: () => get<ChatSettings>("/chat/settings"),
  setSettings: (maxChatsPerAgent: number) => api<ChatSettings>("PUT", "/chat/settings", { maxChatsPerAgent }),
  info: (ticketId: string) => get<ChatInfo>(`/chat/tickets/${ticketId}`),
  typing: (ticketId: string, typing: boolean) => post<null>(`/chat/tickets/${ticketId}/typing`, { typing }),
  transfer: (ticketId: string, assigneeId: string, note: string) =>
    post<TransferChatResult>(`/chat/tickets/${ticketId}/transfer`, { assigneeId, note }),
};

/** A chat's readable name: the visitor's name, else their email, else "Visitor on <site>". */
export const visitorLabel = (
  t: (k: string, o?: Record<string, unknown>) => string,
  v: { visitorName: string | null; visitorEmail: string | null; siteName?: string | null },
) =>
  v.visitorName ||
  v.visitorEmail ||
  (v.siteName ? t("chat.visitorOn", { site: v.siteName }) : t("chat.panel.anonymous"));
