/**
 * The REST shapes the web app reads (mirrors of the server's zod schemas in
 * apps/server/src/modules/*\/*.schema.ts, which the browser bundle does not import).
 */
import type { Channel, DeliveryStatus, Locale, Role, TicketPriority, TicketStatus } from "@rapport/shared";

export type Ticket = {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  channel: Channel;
  requester: { id: string; name: string; email: string | null };
  assignee: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  tags: string[];
  language: string | null;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
  solvedAt: string | null;
  /** The earliest due time of the ticket's running SLA clocks (features/sla). */
  nextDueAt?: string | null;
  /** Added by issue 3's realtime work: the agent has not opened it since the last customer message. */
  unread?: boolean;
  permissions: { reply: boolean; note: boolean; update: boolean; assignOthers: boolean; changeTeam: boolean };
  /** Values of admin-defined ticket fields, by key (features/fields). */
  customFields?: Record<string, unknown>;
};

export type Attachment = {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
  createdAt: string;
};

export type Message = {
  id: string;
  ticketId: string;
  author: { type: "agent" | "customer" | "system"; id: string | null; name: string };
  internal: boolean;
  channel: Channel;
  bodyText: string;
  bodyHtml: string;
  attachments: Attachment[];
  /** Delivery of an outgoing message on its channel; null for notes and inbound messages. */
  delivery: { status: DeliveryStatus; error: string | null; updatedAt: string } | null;
  createdAt: string;
};

export type TicketEvent = {
  id: number;
  type: string;
  actor: { type: string; id: string | null; name: string | null };
  data: Record<string, unknown>;
  createdAt: string;
};

export type Page<T> = { items: T[]; nextCursor: string | null };

export type User = {
  id: string;
  email: string;
  name: string;
  /** The name visitors see in live chat; null: the full name. */
  chatName: string | null;
  role: Role;
  locale: string;
  timeZone: string | null;
  active: boolean;
  teamIds: string[];
  lastLoginAt: string | null;
  createdAt: string;
};

export type Me = {
  user: User;
  csrfToken: string | null;
  organization: { name: string; defaultLanguage: string; timeZone: string } | null;
};

/** GET /bootstrap: the app's start-up data (apps/server/src/modules/bootstrap/bootstrap.schema.ts). */
export type Bootstrap = {
  needsSetup: boolean;
  me: Me | null;
  teams: Team[];
  counts: Record<string, number>;
  /** Each feature's start-up data by part name (see FeatureExtension.bootstrap). */
  parts: Record<string, unknown>;
};

export type Team = { id: string; name: string; description: string; memberIds: string[]; createdAt: string };

export type Contact = {
  id: string;
  name: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
  phones: { phone: string; primary: boolean }[];
  language: string | null;
  timeZone: string | null;
  organization: { id: string; name: string } | null;
  notes: string;
  tags: string[];
  /** Values of admin-defined contact fields, by key (features/fields). */
  customFields?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
};

export type Settings = { name: string; defaultLanguage: Locale; timeZone: string };

export type ApiToken = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
};

export type SearchResult = {
  /** The groups, most relevant first. */
  groups: Array<"tickets" | "messages" | "contacts">;
  tickets: Ticket[];
  messages: {
    id: string;
    ticketId: string;
    ticketNumber: number;
    ticketSubject: string;
    internal: boolean;
    snippet: string;
    createdAt: string;
  }[];
  contacts: Contact[];
};

export type BulkResult = { updated: string[]; failed: { id: string; code: string; message: string }[] };
