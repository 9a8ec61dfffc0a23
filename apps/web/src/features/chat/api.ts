import { api, get, patch, post } from "../../lib/api.ts";

export type Availability = "online" | "away" | "offline";
export type ChatAgent = { id: string; name: string; availability: Availability; liveChats: number };
export type ChatSite = {
  id: string;
  name: string;
  key: string;
  secret: string;
  snippet: string;
  allowedOrigins: string[];
  appearance: {
    color: string;
    position: "right" | "left";
    greeting: Partial<Record<string, string>>;
    /** Greet an identified visitor by their own loyalty tier. */
    showTier?: boolean;
  };
  languages: Array<"en" | "vi" | "km" | "ta">;
  prechat: { enabled: boolean; fields: PrechatField[]; required: PrechatField[]; topics: string[] };
  hours: unknown;
  teamId: string | null;
  active: boolean;
  createdAt: string;
};
export type PrechatField = "name" | "email" | "phone" | "topic";
export type SiteInput = Omit<ChatSite, "id" | "key" | "secret" | "snippet" | "createdAt">;
export type ChatInfo = {
  ticketId: string;
  state: string;
  topic: string | null;
  visitor: {
    name: string | null;
    email: string | null;
    phone: string | null;
    identified: boolean;
    locale: string;
  };
  visitorReadAt: string | null;
};

export const chatApi = {
  agents: () => get<ChatAgent[]>("/chat/agents"),
  mine: () => get<MyChat[]>("/chat/mine"),
  setAvailability: (availability: Availability) =>
    api<{ availability: Availability }>("PUT", "/chat/availability", { availability }),
  sites: () => get<ChatSite[]>("/chat/sites"),
  createSite: (s: SiteInput) => post<ChatSite>("/chat/sites", s),
  updateSite: (id: string, s: Partial<SiteInput>) => patch<ChatSite>(`/chat/sites/${id}`, s),
  rotate: (id: string) => post<ChatSite>(`/chat/sites/${id}/rotate-secret`),
  settings: () => get<{ maxChatsPerAgent: number }>("/chat/settings"),
  setSettings: (maxChatsPerAgent: number) =>
    api<{ maxChatsPerAgent: number }>("PUT", "/chat/settings", { maxChatsPerAgent }),
  info: (ticketId: string) => get<ChatInfo>(`/chat/tickets/${ticketId}`),
  typing: (ticketId: string, typing: boolean) => post<null>(`/chat/tickets/${ticketId}/typing`, { typing }),
  transfer: (ticketId: string, assigneeId: string, note: string) =>
    post<{ ticketId: string }>(`/chat/tickets/${ticketId}/transfer`, { assigneeId, note }),
};

/** One of my live chats (GET /chat/mine). */
export type MyChat = {
  ticketId: string;
  number: number;
  subject: string;
  visitorName: string | null;
  visitorEmail: string | null;
  siteName: string;
  topic: string | null;
  startedAt: string;
  /** The customer's loyalty tier for the badge; null: none. */
  tier: { name: string; color: string } | null;
};

/** A chat's readable name: the visitor's name, else their email, else "Visitor on <site>". */
export const visitorLabel = (
  t: (k: string, o?: Record<string, unknown>) => string,
  v: { visitorName: string | null; visitorEmail: string | null; siteName?: string | null },
) =>
  v.visitorName ||
  v.visitorEmail ||
  (v.siteName ? t("chat.visitorOn", { site: v.siteName }) : t("chat.panel.anonymous"));
